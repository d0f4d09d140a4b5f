/* rtp.c: see rtp.h. RTP header per RFC 3550 section 5.1. */
#include "tests/gen/rtp.h"

#include <string.h>

#include "tests/gen/rng.h"
#include "tests/gen/slg.h"

void
slg_rtp_init(struct slg_rtp_stream *s)
{
	memset(s, 0, sizeof(*s));
	s->pt = 0;
	s->samples = 160;
	s->plen = 160;
	s->span_ns = 20 * SLG_NS_PER_MS;
	s->span_n = 1;
	s->pin_last = UINT32_MAX;
	s->stop = UINT64_MAX;
	s->nmax = UINT32_MAX;
	s->lost[0] = s->lost[1] = -1;
	s->reorder = -1;
}

static const struct slg_rtp_stream *
root(const struct slg_rtp_stream *s)
{
	while (s->src != NULL)
		s = s->src;
	return s;
}

static uint64_t
sender_time(const struct slg_rtp_stream *s, uint32_t k)
{
	uint64_t t = s->t0 + (uint64_t)k * s->span_ns / s->span_n;

	if (s->jitter_ns > 0 && k != 0 && k != s->pin_last) {
		uint64_t r = slg_mix64(s->seed ^ ((uint64_t)k << 32 | 0x7a11));
		int64_t noise = (int64_t)(r % (2ull * s->jitter_ns + 1)) -
		    (int64_t)s->jitter_ns;

		t = (uint64_t)((int64_t)t + noise);
	}
	return t;
}

uint64_t
slg_rtp_time(const struct slg_rtp_stream *s, uint32_t k)
{
	if (s->src != NULL) {
		uint64_t r = slg_mix64(s->seed ^ ((uint64_t)k << 32 | 0xde1a));
		uint32_t span = s->dmax_ns - s->dmin_ns + 1;

		return slg_rtp_time(s->src, k) + s->dmin_ns + r % span;
	}
	if (s->reorder >= 0 && k == (uint32_t)s->reorder)
		return sender_time(s, k + 1) + 1500 * SLG_NS_PER_US;
	return sender_time(s, k);
}

bool
slg_rtp_next(struct slg_rtp_stream *s, struct slg_rtp_pkt *p)
{
	const struct slg_rtp_stream *r = root(s);

	while (s->slot < s->nmax) {
		uint32_t k = s->slot++;

		if (r->reorder >= 0) {
			if (k == (uint32_t)r->reorder)
				k++;
			else if (k == (uint32_t)r->reorder + 1)
				k--;
		}
		if ((int64_t)k == r->lost[0] || (int64_t)k == r->lost[1])
			continue;
		p->t = slg_rtp_time(s, k);
		if (p->t >= s->stop)
			return false;
		p->k = k;
		/* A sender numbers by packet, so gaps show loss; a relay
		 * numbers what it sends, so its sequence has no gaps. */
		p->seq = (uint16_t)(s->seq0 + (s->src ? s->nsent : k));
		p->ts = s->ts0 + k * s->samples;
		s->nsent++;
		return true;
	}
	return false;
}

size_t
slg_rtp_make(const struct slg_rtp_stream *s, const struct slg_rtp_pkt *p,
    uint8_t *out, size_t cap)
{
	const struct slg_rtp_stream *r = root(s);
	struct slg_rng rng;
	size_t len = 12 + s->plen;

	if (len > cap)
		return 0;
	out[0] = 0x80;
	out[1] = (uint8_t)((p->k == 0 ? 0x80 : 0) | (s->pt & 0x7f));
	sl_pkt_put16(out + 2, p->seq);
	sl_pkt_put32(out + 4, p->ts);
	sl_pkt_put32(out + 8, s->ssrc);
	/* The payload belongs to the original sender's packet k, so a relay
	 * forwards the very same bytes. Quiet mu-law noise: values near
	 * 0xff/0x7f are close to zero amplitude. */
	slg_rng_seed(&rng, slg_mix64(r->seed ^ ((uint64_t)p->k << 24)));
	for (size_t i = 0; i < s->plen; i += 8) {
		uint64_t v = slg_rng_next(&rng);

		for (size_t j = 0; j < 8 && i + j < s->plen; j++) {
			uint8_t b = (uint8_t)(v >> (8 * j));

			out[12 + i + j] = (uint8_t)((b & 0x80) | 0x70 |
			    (b & 0x0f));
		}
	}
	return len;
}
