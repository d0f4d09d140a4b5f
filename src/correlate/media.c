/* media.c: from SDP to RTP streams. SDP bodies announce where each party
 * receives media; every UDP datagram to or from such an address is media
 * of that call. Streams get Wireshark's RTP stream analysis (so figures
 * can be checked against tshark -z rtp,streams) and RFC 3550 A.3 loss. */
#include <math.h>

#include "correlate/corr_int.h"

/* Wireshark's comfort-noise payload types: PT_CN and PT_CN_OLD. */
#define PT_CN 13
#define PT_CN_OLD 19

static inline struct sl_hnode *
chain(const struct sl_hmap *m, uint64_t hash)
{
	return m->nb ? m->b[hash & (m->nb - 1)] : NULL;
}

struct sl_media_ep *
sl_corr_media_lookup(const struct sl_corr *c, const struct sl_endpoint *ep)
{
	uint64_t h = sl_corr_ep_hash(ep, SL_TP_UDP, c->seed);
	for (struct sl_hnode *n = chain(&c->media, h); n; n = n->next) {
		struct sl_media_ep *m = SL_CORR_OF(n, struct sl_media_ep, node);
		if (n->hash == h && sl_corr_ep_same(&m->ep, ep, SL_TP_UDP))
			return m;
	}
	return NULL;
}

static void
media_put(struct sl_corr *c, struct sl_leg *leg, const struct sl_endpoint *ep,
    bool rtcp, const struct sl_sdp_media *md)
{
	struct sl_call *call = leg->call;
	struct sl_corr_call *cc = sl_corr_call_of(call);
	struct sl_media_ep *old = sl_corr_media_lookup(c, ep);
	if (old && old->leg == leg && old->rtcp == rtcp) {
		/* re-INVITE or answer repeating the address: refresh codecs */
	} else {
		/* newest wins: a later call may reuse a port of an older one */
		sl_corr_flow_media_changed(c, ep);
		if (old) {
			sl_hmap_remove(&c->media, &old->node);
			old->in_map = false;
		}
		old = sl_arena_zalloc(&call->arena, sizeof *old);
		if (old == NULL)
			return;
		old->ep = *ep;
		old->rtcp = rtcp;
		old->leg = leg;
		old->in_map = true;
		old->next = cc->media_eps;
		cc->media_eps = old;
		sl_hmap_insert(&c->media, &old->node,
		    sl_corr_ep_hash(ep, SL_TP_UDP, c->seed));
	}
	old->n_fmt = 0;
	for (unsigned i = 0; i < md->n_fmt && i < SL_SDP_MAX_FMT; i++) {
		old->fmt[i] = md->fmt[i];
		old->fmt[i].name = sl_arena_str(&call->arena, md->fmt[i].name);
		old->n_fmt++;
	}
}

void
sl_corr_media_announce(struct sl_corr *c, struct sl_leg *leg,
    const struct sl_sdp *sdp)
{
	for (unsigned i = 0; i < sdp->n_media; i++) {
		const struct sl_sdp_media *md = &sdp->media[i];
		/* port 0 rejects the stream (RFC 3264 6) */
		if (md->port == 0 || md->conn.family == SL_AF_NONE)
			continue;
		struct sl_endpoint ep = { .ip = md->conn, .port = md->port,
		    .transport = SL_TP_UDP };
		media_put(c, leg, &ep, false, md);
		if (md->port < UINT16_MAX) {
			/* RFC 3550 11: RTCP on the next port */
			ep.port = (uint16_t)(md->port + 1);
			media_put(c, leg, &ep, true, md);
		}
	}
}

/* Where the flow's media is described: the address it goes to, else the
 * one it comes from (flow.c caches the answer). */
bool
sl_corr_is_media(void *user, const struct sl_packet *pkt)
{
	return sl_corr_flow(user, pkt)->ep != NULL;
}

/* ---- streams ---- */

static uint64_t
flow_hash(const struct sl_corr *c, const struct sl_endpoint *src,
    const struct sl_endpoint *dst)
{
	return sl_hash_u64(sl_corr_ep_hash(src, src->transport, c->seed) * 31u +
	    sl_corr_ep_hash(dst, dst->transport, c->seed));
}

struct sl_corr_stream *
sl_corr_stream_find(const struct sl_corr *c, const struct sl_endpoint *src,
    const struct sl_endpoint *dst, uint32_t ssrc, bool any_ssrc)
{
	uint64_t h = flow_hash(c, src, dst);
	for (struct sl_hnode *n = chain(&c->streams, h); n; n = n->next) {
		struct sl_corr_stream *cs = SL_CORR_OF(n, struct sl_corr_stream, node);
		const struct sl_stream *s = &cs->pub;
		if (n->hash == h && (any_ssrc || s->ssrc == ssrc) &&
		    sl_corr_ep_same(&s->src, src, src->transport) &&
		    sl_corr_ep_same(&s->dst, dst, dst->transport))
			return cs;
	}
	return NULL;
}

/* Clock rate the way Wireshark picks it: static table below 96, the SDP
 * rtpmap rate for dynamic types, none for telephone-event (RFC 4733
 * timestamps stand still during an event). */
static void
stream_codec(struct sl_stream *s, const struct sl_media_ep *ep, uint8_t pt)
{
	uint32_t rate = 0;
	const char *stat = sl_rtp_static_codec(pt, &rate);
	s->codec = sl_str_c(stat);
	s->clock_rate = pt < 96 ? rate : 0;
	for (unsigned i = 0; ep && i < ep->n_fmt; i++) {
		if (ep->fmt[i].pt != pt)
			continue;
		if (ep->fmt[i].name.n)
			s->codec = ep->fmt[i].name;
		if (pt >= 96)
			s->clock_rate = sl_str_istarts(ep->fmt[i].name,
			    SL_STR("telephone-event")) ? 0 : ep->fmt[i].rate;
		break;
	}
}

static struct sl_corr_stream *
stream_new(struct sl_corr *c, struct sl_call *call, struct sl_media_ep *ep,
    const struct sl_packet *pkt)
{
	/* on a cache line boundary, so that the per-packet fields take two
	 * lines, not three (the arena aligns for any type, to 16 bytes) */
	char *raw = sl_arena_zalloc(&call->arena, sizeof(struct sl_corr_stream) +
	    SL_CORR_LINE - 1);
	if (raw == NULL)
		return NULL;
	struct sl_corr_stream *cs = (struct sl_corr_stream *)(void *)(raw +
	    ((SL_CORR_LINE - (uintptr_t)raw % SL_CORR_LINE) % SL_CORR_LINE));
	struct sl_stream *s = &cs->pub;
	s->leg = ep->leg;
	s->src = pkt->src;
	s->dst = pkt->dst;
	s->ssrc = pkt->rtp.ssrc;
	s->pt = pkt->rtp.pt;
	stream_codec(s, ep, pkt->rtp.pt);
	s->first_ts = pkt->ts_ns;
	cs->bye_ts = ep->leg->bye_ts;
	cs->max_ts = INT64_MIN;
	cs->in_map = true;
	struct sl_stream **pp = &call->streams;
	while (*pp)
		pp = &(*pp)->next;
	*pp = s;
	call->n_streams++;
	sl_hmap_insert(&c->streams, &cs->node, flow_hash(c, &s->src, &s->dst));
	return cs;
}

/* RFC 3550 A.1: extend the 16-bit sequence number; packets more than
 * 32768 behind the highest are late, not a new cycle. */
static void
seq_rfc3550(struct sl_corr_stream *cs, uint16_t seq)
{
	if (cs->pub.packets == 0) {
		cs->base_seq = seq;
		cs->max_seq = seq;
		return;
	}
	uint16_t max16 = (uint16_t)cs->max_seq;
	uint16_t ahead = (uint16_t)(seq - max16);
	if (ahead != 0 && ahead < 0x8000) {
		uint32_t ext = (cs->max_seq & 0xffff0000u) | seq;
		if (seq < max16)
			ext += 0x10000u;
		cs->max_seq = ext;
	} else if (ahead == 0) {
		cs->pub.dups++;
	}
}

/* Clock rate of one packet the way Wireshark 4.0's rtppacket_analyse()
 * picks it, packet by packet: a telephone-event packet inside an audio
 * stream has none, so it moves the arrival reference without touching
 * the jitter. Wireshark's static table also knows 1016 (1), G721 (2) and
 * the old CN (19), which RFC 3551 dropped and sl_rtp_static_codec() does
 * not name. A rate below 1 kHz would divide by zero there: none here. */
static uint32_t
packet_clock_rate(const struct sl_media_ep *ep, uint8_t pt)
{
	uint32_t rate = 0;
	if (pt < 96) {
		(void)sl_rtp_static_codec(pt, &rate);
		if (pt == 1 || pt == 2 || pt == PT_CN_OLD)
			rate = 8000;
	} else {
		for (unsigned i = 0; ep && i < ep->n_fmt; i++) {
			if (ep->fmt[i].pt != pt)
				continue;
			if (!sl_str_istarts(ep->fmt[i].name, SL_STR("telephone-event")))
				rate = ep->fmt[i].rate;
			break;
		}
	}
	return rate >= 1000 ? rate : 0;
}

/* The arithmetic of Wireshark 4.0's rtppacket_analyse()
 * (ui/tap-rtp-analysis.c), re-derived, so max/mean jitter and max delta
 * equal tshark -z rtp,streams (tests/crosscheck compares them):
 *  - "in time" means the RTP timestamp is less than 2^31 ticks after the
 *    stream's FIRST packet's (mod 2^32), not after the previous one's: a
 *    reordered packet is in time and its jitter counts;
 *  - jitter is RFC 3550 A.8 in ms, the nominal time being the ticks since
 *    the first packet divided by the integer kHz rate, measured from the
 *    last packet that had a clock rate;
 *  - max/mean figures only take "regular" packets (not first, marker,
 *    comfort noise or after it, not out of time); the mean is over the
 *    packets - 1 gaps, all packets counted. */
static void
analyse_ws(struct sl_corr_stream *w, const struct sl_media_ep *ep,
    const struct sl_packet *pkt)
{
	struct sl_stream *s = &w->pub;
	const struct sl_rtp *r = &pkt->rtp;
	double now = (double)(pkt->ts_ns - s->first_ts) / 1e6;
	if (!w->ws_first_done) {
		w->ws_first_done = true;
		w->ws_seq = r->seq;
		w->ws_first_rtp_ts = r->ts;
		w->ws_last_nominal_ms = 0;
		w->ws_time_ms = now;
		w->ws_pt = r->pt;
		return;
	}
	uint32_t ticks = r->ts - w->ws_first_rtp_ts;
	bool in_time = ticks < 0x80000000u;
	bool seq_ok = in_time && ((uint16_t)(w->ws_seq + 1) == r->seq);
	if (!seq_ok) {
		if (in_time && (w->ws_seq + 1 < r->seq || w->ws_seq - r->seq > 0xff00)) {
			w->ws_seq = r->seq;
			s->out_of_order++;
		} else if (w->ws_seq + 1 > r->seq) {
			s->out_of_order++;
		}
	} else {
		w->ws_seq = r->seq;
	}
	bool cn = r->pt == PT_CN || r->pt == PT_CN_OLD;
	bool follow_cn = w->ws_pt == PT_CN || w->ws_pt == PT_CN_OLD;
	if (r->pt != w->ws_pt)
		s->pt_changes++;
	w->ws_pt = r->pt;
	uint32_t rate = packet_clock_rate(ep, r->pt);
	double delta = now - w->ws_time_ms;
	if (in_time && rate) {
		s->clock_rate = rate;
		double nominal = (double)ticks / (double)(rate / 1000);
		double expected = w->ws_time_ms + (nominal - w->ws_last_nominal_ms);
		s->jitter_ms = (15 * s->jitter_ms + fabs(now - expected)) / 16;
		w->ws_last_nominal_ms = nominal;
	}
	bool regular = in_time && !r->marker && !cn && !follow_cn;
	if (regular) {
		if (delta > s->max_delta_ms)
			s->max_delta_ms = delta;
		if (rate) {
			if (s->jitter_ms > s->max_jitter_ms)
				s->max_jitter_ms = s->jitter_ms;
			double gaps = (double)(s->packets - 1);
			s->mean_jitter_ms = (s->mean_jitter_ms * (gaps - 1) + s->jitter_ms) / gaps;
		}
	}
	if (in_time)
		w->ws_time_ms = now;
}

/* The leg hung up before this packet: the seed's "RTP after BYE" tail. */
static void
after_bye(struct sl_corr_stream *cs, const struct sl_packet *pkt)
{
	if (cs->bye_ts == 0 || pkt->ts_ns <= cs->bye_ts)
		return;
	struct sl_stream *s = &cs->pub;
	if (s->after_bye_packets++ == 0)
		s->after_bye_first_ts = pkt->ts_ns;
	s->after_bye_last_ts = pkt->ts_ns;
}

void
sl_corr_media_bye(struct sl_leg *leg)
{
	/* a stream is listed in the call of its leg (stream_new) */
	for (struct sl_stream *s = leg->call->streams; s; s = s->next)
		if (s->leg == leg)
			sl_corr_stream_of(s)->bye_ts = leg->bye_ts;
}

/* The flow's stream of pkt's SSRC when the flow slot does not hold it:
 * from the map, or new. NULL: over the call's memory cap. */
static struct sl_corr_stream *
stream_of(struct sl_corr *c, struct sl_flow *f, const struct sl_packet *pkt)
{
	struct sl_call *call = f->ep->leg->call;
	struct sl_corr_stream *cs = sl_corr_stream_find(c, &pkt->src, &pkt->dst,
	    pkt->rtp.ssrc, false);
	if (cs && cs->pub.leg->call != call) {
		/* the port now belongs to a newer call: start afresh there */
		sl_hmap_remove(&c->streams, &cs->node);
		cs->in_map = false;
		sl_corr_flow_stream_gone(c, cs);
		cs = NULL;
	}
	if (cs == NULL)
		cs = stream_new(c, call, f->ep, pkt);
	if (cs)
		sl_corr_flow_set_stream(c, f, cs);
	return cs;
}

/* The hot path of a capture. It reads the flow slot, a line of media
 * versions and the stream's first two lines, and nothing else of the
 * call: a stream in the slot is of the slot's call (flow.c), the leg's
 * BYE time is copied into the stream, and the call's last_ts is brought
 * up to date from the streams only when it is read (correlate.c). */
void
sl_corr_rtp(struct sl_corr *c, const struct sl_packet *pkt)
{
	struct sl_flow *f = sl_corr_flow(c, pkt);
	struct sl_media_ep *ep = f->ep;
	if (ep == NULL) {
		c->st.rtp_unattributed++;
		return;
	}
	struct sl_corr_stream *cs = f->stream;
	if (cs == NULL || cs->pub.ssrc != pkt->rtp.ssrc) {
		cs = stream_of(c, f, pkt);
		if (cs == NULL) {
			c->st.media_over_cap++;
			return;
		}
	}
	c->st.rtp_packets++;
	struct sl_stream *s = &cs->pub;
	seq_rfc3550(cs, pkt->rtp.seq);
	s->packets++;
	analyse_ws(cs, ep, pkt);
	if (pkt->rtp.marker)
		s->marker++;
	s->last_ts = pkt->ts_ns;
	after_bye(cs, pkt);
	if (pkt->ts_ns > cs->max_ts)
		cs->max_ts = pkt->ts_ns;
}

/* Lost stays RFC 3550 A.3 (highest extended sequence number), not
 * tshark's: ui/cli/tap-rtp.c takes the LAST packet's sequence number plus
 * the cycles rtppacket_analyse() counted. Both agree whenever the last
 * packet is the highest one, which every committed capture satisfies
 * (tests/crosscheck checks it); when a late packet arrives last, tshark
 * under-counts the expected packets (1..98, 100, 99 gives it lost -1, A.3
 * gives 0), which is no figure to copy. */
void
sl_corr_stream_finish(struct sl_corr_stream *cs)
{
	struct sl_stream *s = &cs->pub;
	if (s->packets == 0)
		return;
	s->expected = (uint64_t)(cs->max_seq - cs->base_seq) + 1;
	s->lost = (int64_t)s->expected - (int64_t)s->packets;
}

/* An RTP stream's flow seen from its RTCP port pair (RFC 3550 11). */
static struct sl_corr_stream *
rtcp_stream(const struct sl_corr *c, const struct sl_packet *pkt)
{
	if (pkt->src.port == 0 || pkt->dst.port == 0)
		return NULL;
	struct sl_endpoint src = pkt->src, dst = pkt->dst;
	src.port--;
	dst.port--;
	return sl_corr_stream_find(c, &src, &dst, 0, true);
}

void
sl_corr_rtcp(struct sl_corr *c, const struct sl_packet *pkt)
{
	c->st.rtcp_packets++;
	struct sl_corr_stream *cs = rtcp_stream(c, pkt);
	if (cs == NULL) {
		c->st.rtcp_unattributed++;
		return;
	}
	cs->pub.rtcp_packets++;
}

void
sl_corr_icmp(struct sl_corr *c, const struct sl_packet *pkt)
{
	/* the quoted datagram is the flow that provoked the error */
	struct sl_corr_stream *cs = sl_corr_stream_find(c, &pkt->icmp.inner_src,
	    &pkt->icmp.inner_dst, 0, true);
	if (cs == NULL) {
		c->st.icmp_unattributed++;
		return;
	}
	c->st.icmp_attributed++;
	struct sl_stream *s = &cs->pub;
	if (s->icmp_unreachable++ == 0)
		s->icmp_first_ts = pkt->ts_ns;
	s->icmp_last_ts = pkt->ts_ns;
	if (pkt->ts_ns > s->leg->call->last_ts)
		s->leg->call->last_ts = pkt->ts_ns;
}

void
sl_corr_media_forget(struct sl_corr *c, struct sl_corr_call *cc)
{
	for (struct sl_media_ep *m = cc->media_eps; m; m = m->next) {
		if (m->in_map) {
			sl_hmap_remove(&c->media, &m->node);
			sl_corr_flow_media_changed(c, &m->ep);
		}
		m->in_map = false;
	}
	for (struct sl_stream *s = cc->pub.streams; s; s = s->next) {
		struct sl_corr_stream *cs = sl_corr_stream_of(s);
		if (cs->in_map) {
			sl_hmap_remove(&c->streams, &cs->node);
			sl_corr_flow_stream_gone(c, cs);
		}
		cs->in_map = false;
	}
}
