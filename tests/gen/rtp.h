/* rtp.h: a model of one RTP stream as it appears at the capture point.
 *
 * A sender stream emits packet k (k = 0, 1, ...) at
 *   t0 + k * span_ns / span_n + noise(k)
 * where noise is a pure function of (seed, k) within +-jitter_ns, so the
 * time of any packet can be recomputed at any moment. That is what makes
 * relays cheap: a relay stream (src != NULL) forwards packet k of its
 * source at the source's arrival time plus a per-packet delay in
 * [dmin_ns, dmax_ns], with its own SSRC and contiguous sequence numbers,
 * as Yate's yrtpchan does, and needs no buffer of what it has seen.
 *
 * Loss and reordering belong to the sender (`lost`, `reorder`): a lost
 * packet never appears, and with reorder = r packet r arrives 1.5 ms after
 * packet r + 1. Relays inherit both, because they forward in arrival
 * order. A stream ends at nmax packets or at the first packet that would
 * be emitted at or after `stop`. */
#ifndef SLG_RTP_H
#define SLG_RTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tests/gen/net.h"

struct slg_rtp_stream {
	const struct slg_rtp_stream *src;	/* relay: the forwarded stream */
	struct slg_host *from;
	struct slg_host *to;
	uint16_t sport;
	uint16_t dport;
	uint8_t pt;
	uint32_t ssrc;
	uint16_t seq0;
	uint32_t ts0;
	uint32_t samples;	/* timestamp units per packet */
	uint32_t plen;		/* payload bytes */

	uint64_t t0;		/* sender: nominal time of packet 0 */
	uint64_t span_ns;	/* sender: period = span_ns / span_n */
	uint32_t span_n;
	uint32_t jitter_ns;	/* sender: max |noise| */
	uint32_t pin_last;	/* sender: no noise on packet 0 nor this one */
	uint32_t dmin_ns;	/* relay: forwarding delay range */
	uint32_t dmax_ns;
	uint64_t seed;

	uint64_t stop;		/* no packet at or after this time */
	uint32_t nmax;
	int32_t lost[2];	/* sender: packet indexes never seen, or -1 */
	int32_t reorder;	/* sender: r, or -1 */

	uint32_t slot;		/* cursor: next arrival slot */
	uint32_t nsent;		/* packets emitted so far */
};

struct slg_rtp_pkt {
	uint32_t k;		/* sender packet index */
	uint16_t seq;
	uint32_t ts;
	uint64_t t;
};

/* Initialises the fields every stream shares: PCMU, 20 ms, 160 bytes,
 * no loss, no reordering, no jitter, stop never. */
void slg_rtp_init(struct slg_rtp_stream *s);
uint64_t slg_rtp_time(const struct slg_rtp_stream *s, uint32_t k);
/* Next packet in arrival order; false when the stream is over. */
bool slg_rtp_next(struct slg_rtp_stream *s, struct slg_rtp_pkt *p);
/* RTP header + payload of p into out; returns the length or 0. */
size_t slg_rtp_make(const struct slg_rtp_stream *s,
    const struct slg_rtp_pkt *p, uint8_t *out, size_t cap);

#endif
