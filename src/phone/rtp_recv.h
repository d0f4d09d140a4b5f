/* rtp_recv.h: the phone's RTP receiver. Validates one datagram at a time
 * (RFC 3550 5.1: version, CSRC list, extension, padding), keeps per-source
 * sequence, loss and interarrival jitter (RFC 3550 A.1, A.3, A.8, without
 * the probation period), and decodes G.711 payloads to PCM for the
 * recorder. Pure logic: the caller reads the socket and supplies the
 * arrival time. Input: untrusted; any bytes are safe. */
#ifndef SL_RTP_RECV_H
#define SL_RTP_RECV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "phone/g711.h"

#define SL_RTP_PT_ANY (-1)		/* accept PCMU and PCMA */
#define SL_RTP_MAX_DROPOUT 3000		/* RFC 3550 A.1 */
#define SL_RTP_MAX_MISORDER 100
#define SL_RTP_MAX_GAP 8000		/* silence reported for at most 1 s */

/* One accepted packet; payload points into the caller's datagram. */
struct sl_rtp_packet {
	uint8_t pt;
	bool marker;
	uint16_t seq;
	uint32_t ts;
	uint32_t ssrc;
	const uint8_t *payload;
	size_t payload_len;	/* = samples for G.711 */
	/* Samples missing between the previous in-order packet and this one,
	 * from the timestamps (lost packets or silence suppression), at most
	 * SL_RTP_MAX_GAP: a recorder writes that much silence first. */
	uint32_t gap;
	/* Arrived after a later packet (reordered) or again (duplicate): a
	 * recorder that writes in arrival order drops it. */
	bool late;
};

struct sl_rtp_receiver {
	int expected_pt;	/* 0, 8 or SL_RTP_PT_ANY */
	bool started;
	uint32_t ssrc;		/* source being tracked */
	uint16_t max_seq;	/* highest sequence number seen */
	uint32_t cycles;	/* sequence wraps, times 65536 */
	uint32_t base_seq;
	uint32_t bad_seq;	/* after a jump: the seq that confirms a restart */
	uint32_t next_ts;	/* timestamp expected after max_seq's packet */
	int32_t transit;	/* of the previous packet, timestamp units */
	double jitter;		/* RFC 3550 A.8 estimate, timestamp units */
	uint64_t received;	/* accepted from the current source */
	uint64_t late;		/* reordered or duplicate, also counted received */
	uint64_t invalid;	/* not RTP or malformed */
	uint64_t other_pt;	/* valid RTP with a payload type we did not expect */
	uint64_t ssrc_changes;	/* times a new SSRC took over */
	const char *why;	/* static reason for the last rejection */
};

/* expected_pt: the payload type SDP negotiated (0 or 8), or SL_RTP_PT_ANY. */
void sl_rtp_receiver_init(struct sl_rtp_receiver *r, int expected_pt);

/* Check and account one datagram that arrived at arrival_us (any monotonic
 * microsecond clock; only differences matter). Returns
 *   SL_OK          accepted; *out describes it
 *   SL_EMALFORMED  not valid RTP (r->why says what), counted in invalid
 *   SL_ENOTMINE    valid RTP we do not play: other payload type (DTMF,
 *                  comfort noise), RTCP, or a sequence jump not yet
 *                  confirmed by a second packet; r->why says which
 * A packet from a new SSRC restarts the statistics (ssrc_changes). */
enum sl_err sl_rtp_receive(struct sl_rtp_receiver *r, const uint8_t *dgram,
    size_t len, uint64_t arrival_us, struct sl_rtp_packet *out /* OUT */);

/* Decode p's payload into pcm (at most cap samples); returns the count. */
size_t sl_rtp_decode(const struct sl_rtp_packet *p, int16_t *pcm /* OUT */,
    size_t cap);

struct sl_rtp_stats {
	uint64_t received;
	uint64_t expected;	/* from the extended sequence range */
	uint64_t lost;		/* expected - received, 0 if duplicates exceed */
	uint64_t late;
	uint64_t invalid;
	uint64_t other_pt;
	uint64_t ssrc_changes;
	double jitter_ms;
};

void sl_rtp_receiver_stats(const struct sl_rtp_receiver *r,
    struct sl_rtp_stats *out /* OUT */);

#endif
