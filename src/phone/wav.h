/* wav.h: the phone's WAV files. Reads what the phone can send: RIFF/WAVE,
 * 8 kHz mono, 16-bit little-endian PCM or 8-bit G.711 (format tags 6 A-law
 * and 7 mu-law, also inside WAVE_FORMAT_EXTENSIBLE), decoded to 16-bit
 * PCM. Every header field is checked; anything else is refused with a
 * one-line reason. Writes 8 kHz mono 16-bit PCM incrementally (the
 * recorder) and patches the RIFF and data sizes when closed.
 *
 * Input: untrusted. A whole file is read into memory, bounded by the
 * caller's limit and SL_WAV_MAX_BYTES. */
#ifndef SL_WAV_H
#define SL_WAV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/err.h"

#define SL_WAV_RATE 8000
#define SL_WAV_HEADER_LEN 44			/* canonical PCM header we write */
#define SL_WAV_MAX_BYTES (64u << 20)		/* ~70 min of 16-bit 8 kHz */
#define SL_WAV_MAX_CHUNKS 64			/* chunks scanned before data */

/* WAVE format tags (RFC 2361 appendix A). */
enum sl_wav_format {
	SL_WAV_PCM16 = 1,
	SL_WAV_ALAW = 6,
	SL_WAV_ULAW = 7,
};

struct sl_wav {
	enum sl_wav_format format;	/* as stored in the file */
	int16_t *pcm;			/* decoded samples; NULL when n == 0 */
	size_t n;			/* samples (= seconds * 8000) */
};

/* Parse and decode a whole WAV file image p[0..n). On SL_OK out->pcm is
 * malloc'd and owned by out (sl_wav_free). Errors, with text in errbuf:
 *   SL_ETRUNC      a declared size runs past the end of the bytes
 *   SL_EMALFORMED  not a well-formed RIFF/WAVE file (bad magic, fields that
 *                  contradict each other, no fmt/data chunk)
 *   SL_EUSAGE      a valid WAV the phone cannot play (stereo, 16 kHz, 8-bit
 *                  PCM, float, ...) or one with no samples
 *   SL_ENOMEM      allocation failed
 * On error out is {0}. */
enum sl_err sl_wav_parse(const uint8_t *p, size_t n, struct sl_wav *out /* OUT */,
    char *errbuf /* [SL_ERRBUF_SIZE] */);

/* Read path (at most max_bytes, capped at SL_WAV_MAX_BYTES; 0 = the cap)
 * and sl_wav_parse it. SL_EIO when it cannot be read, SL_EUSAGE when it is
 * larger than the limit. Error text starts with the path. */
enum sl_err sl_wav_load(const char *path, size_t max_bytes,
    struct sl_wav *out /* OUT */, char *errbuf /* [SL_ERRBUF_SIZE] */);

/* Frees out->pcm and zeroes out; accepts a zeroed struct. */
void sl_wav_free(struct sl_wav *w);

/* The 44-byte header of an 8 kHz mono 16-bit PCM file holding data_bytes
 * of samples. */
void sl_wav_header(uint8_t out[SL_WAV_HEADER_LEN] /* OUT */, uint32_t data_bytes);

/* ---- writer ---------------------------------------------------------- */

/* The largest data chunk we write: keeps the RIFF size inside 32 bits. */
#define SL_WAV_MAX_DATA (UINT32_MAX - 64u)

struct sl_wav_writer {
	FILE *f;
	uint32_t data_bytes;	/* written so far */
	bool failed;		/* a write failed; close still patches sizes */
};

/* Create (truncate) path and write a header with zero sizes, so even a
 * file left by a killed phone is recognisably WAV. */
enum sl_err sl_wav_writer_open(struct sl_wav_writer *w, const char *path,
    char *errbuf /* [SL_ERRBUF_SIZE] */);
/* Append n samples. SL_ENOMEM once SL_WAV_MAX_DATA would be passed (nothing
 * of this call is written), SL_EIO on a write error. */
enum sl_err sl_wav_writer_write(struct sl_wav_writer *w, const int16_t *pcm,
    size_t n, char *errbuf /* [SL_ERRBUF_SIZE] */);
/* Patch the RIFF and data sizes and close. Always closes the file; w can
 * be closed once. SL_EIO if anything failed since open. */
enum sl_err sl_wav_writer_close(struct sl_wav_writer *w,
    char *errbuf /* [SL_ERRBUF_SIZE] */);

#endif
