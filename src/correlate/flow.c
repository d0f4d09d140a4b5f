/* flow.c: a cache from a UDP flow (src, dst) to what media.c's maps say
 * about it: the media description it belongs to and the stream it last
 * fed. Each RTP packet needs both answers twice (the dissectors ask
 * whether it is media, sl_corr_rtp whose), and the maps' nodes lie
 * scattered over the call arenas: one slot per flow saves most of the
 * lookups, and the cache misses that were most of an RTP packet's cost.
 *
 * Two ways per set: with one, a seventh of the flows of the 200-call
 * benchmark shared their slot with another live flow and missed on every
 * packet. A new flow goes to way 0 and the one there moves to way 1, so
 * the older of the two is replaced.
 *
 * The cache never changes an answer.
 *  - Media: media.c bumps a version per endpoint bucket whenever the map
 *    gains, loses or replaces the entry of an endpoint in it; a slot keeps
 *    the versions its answer was found under. An answer found at dst
 *    depends on dst's entry alone (dst is asked first); one found at src,
 *    or none, on both. Versions are 32-bit: reaching a kept value again
 *    takes 2^32 SIP-driven changes to one bucket.
 *  - Streams: a slot only ever holds a stream that is in the stream map,
 *    and the stream points back at the slot (cache_slot), so a stream
 *    leaving the map empties the slot first. While the slot has a media
 *    entry, its stream is of that entry's call: a new answer of another
 *    call drops it. So sl_corr_rtp need not check a cached stream's call,
 *    which would load its leg and call.
 * Media entries and streams are freed only after leaving their map, so no
 * slot that is believed points to freed memory.
 *
 * A slot is one cache line (corr_int.h), aligned: a packet of a flow seen
 * before reads that line, a line of media versions and its stream. */
#include <stdlib.h>

#include "correlate/corr_int.h"

struct sl_flows {
	struct sl_flow slot[SL_FLOW_SETS][2];	/* first: aligned with the struct */
	uint32_t media_ver[SL_FLOW_SETS];	/* by endpoint hash */
	struct sl_flow *last;			/* asked twice per packet */
	uint16_t last_i_src, last_i_dst;	/* its endpoints' version buckets */
	void *raw;				/* what calloc returned */
};

struct sl_flows *
sl_corr_flows_new(void)
{
	/* Zeroed slots hold family 0 endpoints, which no dissected packet
	 * has; a packet that had them would get the right answer anyway, as
	 * no media entry has family 0 (sl_corr_media_announce). calloc,
	 * not malloc + memset: for this size the pages come zeroed from the
	 * kernel and only those a run touches are ever mapped, which keeps a
	 * correlator cheap to make for a fuzz input or a small capture. The
	 * slots start on a cache line, so that each is one line. */
	char *raw = calloc(1, sizeof(struct sl_flows) + SL_CORR_LINE - 1);
	if (raw == NULL)
		return NULL;
	struct sl_flows *f = (struct sl_flows *)(void *)(raw +
	    (SL_CORR_LINE - (uintptr_t)raw % SL_CORR_LINE) % SL_CORR_LINE);
	f->raw = raw;
	return f;
}

void
sl_corr_flows_free(struct sl_flows *f)
{
	if (f)
		free(f->raw);
}

static inline uint64_t
ep_key(const struct sl_corr *c, const struct sl_endpoint *e)
{
	/* the flow cache ignores the transport, as media lookups do */
	return sl_corr_ep_hash(e, SL_TP_UDP, c->seed);
}

/* Both halves are seeded hashes already; a flood of flows into one set
 * only costs the cache its hits, the maps behind it stay seeded. */
static inline uint32_t
set_of(uint64_t hsrc, uint64_t hdst)
{
	return (uint32_t)((hsrc ^ hdst * 0x9e3779b97f4a7c15ULL) >> 52) & (SL_FLOW_SETS - 1);
}

static inline bool
is_flow(const struct sl_flow *f, const struct sl_packet *pkt)
{
	return f->src_port == pkt->src.port && f->dst_port == pkt->dst.port &&
	    memcmp(f->src_a, pkt->src.ip.a, 16) == 0 &&
	    memcmp(f->dst_a, pkt->dst.ip.a, 16) == 0 &&
	    f->family == pkt->src.ip.family && f->family == pkt->dst.ip.family &&
	    f->src_tp == pkt->src.transport && f->dst_tp == pkt->dst.transport;
}

/* A packet whose two families differ (none that the dissectors make)
 * never matches its slot: it is answered afresh each time, still right. */
static void
set_flow(struct sl_flow *f, const struct sl_packet *pkt)
{
	memcpy(f->src_a, pkt->src.ip.a, 16);
	memcpy(f->dst_a, pkt->dst.ip.a, 16);
	f->src_port = pkt->src.port;
	f->dst_port = pkt->dst.port;
	f->family = pkt->src.ip.family;
	f->src_tp = pkt->src.transport;
	f->dst_tp = pkt->dst.transport;
}

/* The slot's stream, if any, is no longer cached there. */
static void
drop_stream(struct sl_flow *f)
{
	if (f->stream)
		f->stream->cache_slot = NULL;
	f->stream = NULL;
}

static void
find_media(struct sl_corr *c, struct sl_flow *f, const struct sl_packet *pkt,
    uint16_t i_src, uint16_t i_dst)
{
	struct sl_flows *fl = c->flows;
	f->ep = sl_corr_media_lookup(c, &pkt->dst);
	f->via_dst = f->ep != NULL;
	if (f->ep == NULL)
		f->ep = sl_corr_media_lookup(c, &pkt->src);
	/* a media entry's leg and a leg's call never change, nor a
	 * stream's leg: the slot's stream must be of the new entry's call */
	if (f->ep && f->stream && f->stream->pub.leg->call != f->ep->leg->call)
		drop_stream(f);
	f->v_src = fl->media_ver[i_src];
	f->v_dst = fl->media_ver[i_dst];
}

static inline bool
media_current(const struct sl_flows *fl, const struct sl_flow *f, uint16_t i_src,
    uint16_t i_dst)
{
	return f->v_dst == fl->media_ver[i_dst] &&
	    (f->via_dst || f->v_src == fl->media_ver[i_src]);
}

/* The dissectors ask first, and sl_corr_rtp needs the stream only after
 * the RTP header is read: start loading it now, so that its cache
 * misses overlap that work. */
static inline void
prefetch(const struct sl_flow *f)
{
	if (f->stream) {
		const char *s = (const char *)f->stream;
		__builtin_prefetch(s);
		__builtin_prefetch(s + SL_CORR_LINE);
	}
}

/* A new flow in way 0 of its set; the flow there moves to way 1 and the
 * one in way 1 is forgotten. */
static struct sl_flow *
take_way0(struct sl_flow *way)
{
	drop_stream(&way[1]);
	way[1] = way[0];
	if (way[1].stream)
		way[1].stream->cache_slot = &way[1];
	way[0].stream = NULL;
	return &way[0];
}

struct sl_flow *
sl_corr_flow(struct sl_corr *c, const struct sl_packet *pkt)
{
	struct sl_flows *fl = c->flows;
	struct sl_flow *f = fl->last;
	bool again = f != NULL && is_flow(f, pkt);
	bool stale = false;
	if (!again) {
		uint64_t hs = ep_key(c, &pkt->src), hd = ep_key(c, &pkt->dst);
		struct sl_flow *way = fl->slot[set_of(hs, hd)];
		f = is_flow(&way[0], pkt) ? &way[0] : &way[1];
		if (!is_flow(f, pkt)) {
			f = take_way0(way);
			set_flow(f, pkt);
			stale = true;
		}
		fl->last = f;
		fl->last_i_src = (uint16_t)(hs & (SL_FLOW_SETS - 1));
		fl->last_i_dst = (uint16_t)(hd & (SL_FLOW_SETS - 1));
	}
	if (stale || !media_current(fl, f, fl->last_i_src, fl->last_i_dst))
		find_media(c, f, pkt, fl->last_i_src, fl->last_i_dst);
	if (!again)
		prefetch(f);
	return f;
}

void
sl_corr_flow_set_stream(struct sl_corr *c, struct sl_flow *f, struct sl_corr_stream *s)
{
	(void)c;
	if (f->stream == s)
		return;
	drop_stream(f);
	/* a stream is one flow's, so no other slot should hold it; if one
	 * did, it must not keep a pointer this slot no longer accounts for */
	if (s->cache_slot)
		s->cache_slot->stream = NULL;
	f->stream = s;
	s->cache_slot = f;
}

void
sl_corr_flow_media_changed(struct sl_corr *c, const struct sl_endpoint *ep)
{
	c->flows->media_ver[ep_key(c, ep) & (SL_FLOW_SETS - 1)]++;
}

void
sl_corr_flow_stream_gone(struct sl_corr *c, struct sl_corr_stream *s)
{
	(void)c;
	if (s->cache_slot)
		s->cache_slot->stream = NULL;
	s->cache_slot = NULL;
}
