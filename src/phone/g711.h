/* g711.h: ITU-T G.711 companding (PCMU mu-law, PCMA A-law) between 16-bit
 * linear PCM and 8-bit codes, bit-exact with the classic Sun reference
 * implementation (g711.c, CCITT tables), which is what Yate, Asterisk and
 * Wireshark's decoders agree with. Pure functions; any input is valid. */
#ifndef SL_G711_H
#define SL_G711_H

#include <stddef.h>
#include <stdint.h>

/* The value is the static RTP payload type (RFC 3551 table 4). */
enum sl_g711_law {
	SL_G711_PCMU = 0,
	SL_G711_PCMA = 8,
};

uint8_t sl_g711_ulaw_encode(int16_t pcm);
int16_t sl_g711_ulaw_decode(uint8_t code);
uint8_t sl_g711_alaw_encode(int16_t pcm);
int16_t sl_g711_alaw_decode(uint8_t code);

/* n samples of pcm into n codes in out (and the reverse). A law other than
 * PCMU/PCMA is treated as PCMU; callers validate payload types first. */
void sl_g711_encode(enum sl_g711_law law, const int16_t *pcm, size_t n,
    uint8_t *out /* OUT */);
void sl_g711_decode(enum sl_g711_law law, const uint8_t *codes, size_t n,
    int16_t *out /* OUT */);

/* The code for digital silence: 0xFF (PCMU) or 0xD5 (PCMA). */
uint8_t sl_g711_silence(enum sl_g711_law law);

#endif
