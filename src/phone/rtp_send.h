/* rtp_send.h: RTP packetizer for G.711 audio (RFC 3550 5.1, RFC 3551 4.5.14).
 * Pure logic: it builds datagram bytes in the caller's buffer; the phone's
 * loop owns the socket and the 20 ms clock.
 *
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           timestamp                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                             SSRC                              |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * We always send V=2, P=0, X=0, CC=0. */
#ifndef SL_RTP_SEND_H
#define SL_RTP_SEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "phone/g711.h"

#define SL_RTP_HDR_LEN 12
#define SL_RTP_FRAME_SAMPLES 160	/* 20 ms at 8 kHz (RFC 3551 4.5: ptime 20) */
#define SL_RTP_MAX_PAYLOAD 1400		/* stays under a 1500-byte MTU */

struct sl_rtp_sender {
	enum sl_g711_law law;	/* also the payload type */
	uint32_t ssrc;
	uint16_t seq;		/* of the next packet */
	uint32_t ts;		/* of the next packet's first sample */
	bool marker;		/* set on the next packet (talkspurt start) */
	uint64_t packets;	/* sent, for RTCP-style statistics and logs */
	uint64_t octets;	/* payload octets sent */
};

/* Start a stream. RFC 3550 5.1 wants SSRC, first sequence number and first
 * timestamp random: they are derived from seed (the phone passes
 * getrandom() output, or a fixed --seed for reproducible captures), so the
 * same seed gives the same stream. The first packet has the marker bit. */
void sl_rtp_sender_init(struct sl_rtp_sender *s, enum sl_g711_law law,
    uint64_t seed);

/* One packet carrying payload[0..n) (already G.711 codes, n <=
 * SL_RTP_MAX_PAYLOAD) that covers n samples, written to out. Returns the
 * datagram length, or 0 (nothing changes) if n is too large or cap too
 * small. Advances seq by 1 and ts by n. */
size_t sl_rtp_send_payload(struct sl_rtp_sender *s, const uint8_t *payload,
    size_t n, uint8_t *out /* OUT */, size_t cap);

/* As sl_rtp_send_payload, encoding n PCM samples with the stream's law. */
size_t sl_rtp_send_pcm(struct sl_rtp_sender *s, const int16_t *pcm, size_t n,
    uint8_t *out /* OUT */, size_t cap);

/* Samples not sent (the loop fell behind, or silence suppression): the
 * timestamp moves on by n, the sequence number does not (RFC 3550 5.1), and
 * the next packet starts a talkspurt, so it carries the marker. */
void sl_rtp_sender_skip(struct sl_rtp_sender *s, uint32_t n);

#endif
