/* corr_int.h: the correlator's private state, shared by the files of
 * src/correlate/ only. */
#ifndef SL_CORR_INT_H
#define SL_CORR_INT_H

#include <string.h>

#include "../core/hash.h"
#include "correlate.h"

/* RFC 3261 17.1.3/17.2.3: a transaction is the top Via branch plus the
 * CSeq method; ACK to a non-2xx shares the INVITE's branch but is its own
 * entry here, since we only need "seen before?". */
#define SL_TXN_MAX_RESP 8
struct sl_txn {
	struct sl_txn *next;
	struct sl_str branch;
	uint32_t cseq;
	enum sl_sip_method method;
	struct sl_str method_name;
	struct sl_endpoint req_src;
	bool req_seen;
	uint8_t n_resp;
	uint16_t resp_status[SL_TXN_MAX_RESP];
	uint64_t resp_tag[SL_TXN_MAX_RESP];
	struct sl_endpoint resp_src[SL_TXN_MAX_RESP];
};

/* An address:port an SDP body said it receives media on. */
struct sl_media_ep {
	struct sl_hnode node;
	struct sl_media_ep *next;	/* in its call */
	bool in_map;			/* replaced entries stay listed, unmapped */
	bool rtcp;			/* the RTP port + 1 */
	struct sl_endpoint ep;
	struct sl_leg *leg;
	struct sl_sdp_fmt fmt[SL_SDP_MAX_FMT];	/* names in the call arena */
	uint8_t n_fmt;
};

struct sl_corr {
	struct sl_corr_opts o;
	struct sl_corr_stats st;
	struct sl_hmap legs;		/* Call-ID -> struct sl_leg */
	struct sl_hmap media;		/* endpoint -> struct sl_media_ep */
	struct sl_hmap streams;		/* (src, dst) -> struct sl_stream */
	struct sl_call *head;		/* live calls by start */
	struct sl_call *tail;
	size_t n_live;
	size_t n_done_waiting;
	uint32_t next_index;
	int64_t now;			/* last packet time */
	int64_t last_sweep;
	uint64_t seed;			/* hash seed */
	struct sl_flows *flows;		/* flow.c: cache in front of media, streams */
	enum sl_err failed;		/* sticky emit error */
};

/* ---- endpoint keys of the media and stream maps and of the flow cache ----
 * Every RTP packet hashes and compares endpoints several times, so this is
 * done inline rather than through sl_ep_hash and sl_hmap_find's callback.
 * The transport is an argument because media addresses are UDP whatever
 * the packet's transport, and copying an endpoint to change one byte
 * stalls the loads that follow. */

static inline uint64_t
sl_corr_ep_hash(const struct sl_endpoint *e, uint8_t transport, uint64_t seed)
{
	uint64_t lo, hi;
	memcpy(&lo, e->ip.a, 8);
	memcpy(&hi, e->ip.a + 8, 8);
	uint64_t rest = (uint64_t)e->port << 16 | (uint64_t)transport << 8 | e->ip.family;
	/* IPv4 fills only the low half of lo: one mix of an injective
	 * packing; IPv6 needs two so that no chosen address collides
	 * whatever the seed */
	if (e->ip.family == SL_AF_INET4)
		return sl_hash_u64(seed ^ (lo & 0xffffffffu) ^ rest << 32);
	return sl_hash_u64(sl_hash_u64(seed ^ lo) ^ hi ^ rest);
}

/* sl_ep_eq with y's transport taken as given */
static inline bool
sl_corr_ep_same(const struct sl_endpoint *x, const struct sl_endpoint *y,
    uint8_t y_transport)
{
	return x->port == y->port && x->transport == y_transport &&
	    x->ip.family == y->ip.family && memcmp(x->ip.a, y->ip.a, 16) == 0;
}

/* ---- flow.c: a two-way cache from a UDP flow to its media and stream ---- */

#define SL_FLOW_SETS 4096u	/* power of two; two flows each */

struct sl_flow {
	struct sl_endpoint src;
	struct sl_endpoint dst;
	struct sl_media_ep *ep;		/* media of dst, else of src; NULL: none */
	struct sl_leg *leg;		/* ep->leg and its call, so that an RTP */
	struct sl_call *call;		/* packet need not wait for two loads */
	struct sl_stream *stream;	/* in the stream map; its cache_slot is us */
	uint32_t v_src, v_dst;		/* media versions ep was found under */
	uint16_t i_src, i_dst;		/* media version buckets of src and dst */
	bool via_dst;			/* ep is dst's: src's version is moot */
};

struct sl_flows *sl_corr_flows_new(void);
void sl_corr_flows_free(struct sl_flows *f);
/* pkt's flow with ep up to date; never NULL */
struct sl_flow *sl_corr_flow(struct sl_corr *c, const struct sl_packet *pkt);
/* the flow's stream with this SSRC, from the cache or the stream map */
struct sl_stream *sl_corr_flow_stream(struct sl_corr *c, struct sl_flow *f,
    uint32_t ssrc);
void sl_corr_flow_set_stream(struct sl_corr *c, struct sl_flow *f, struct sl_stream *s);
/* The media map gained, lost or replaced the entry of ep. */
void sl_corr_flow_media_changed(struct sl_corr *c, const struct sl_endpoint *ep);
/* s left the stream map. */
void sl_corr_flow_stream_gone(struct sl_corr *c, struct sl_stream *s);

/* call.c */
struct sl_call *sl_corr_call_new(struct sl_corr *c, enum sl_call_kind kind,
    int64_t ts, uint64_t frame);
struct sl_leg *sl_corr_leg_new(struct sl_corr *c, struct sl_call *call,
    const struct sl_sip *m, const struct sl_packet *pkt);
struct sl_leg *sl_corr_leg_find(struct sl_corr *c, struct sl_str call_id);
struct sl_msg *sl_corr_msg_add(struct sl_corr *c, struct sl_leg *leg,
    const struct sl_sip *m, const struct sl_packet *pkt);
void sl_corr_call_unlink(struct sl_corr *c, struct sl_call *call);

/* txn.c: true when m repeats a message already seen in its transaction */
bool sl_corr_txn_retrans(struct sl_corr *c, struct sl_leg *leg,
    const struct sl_sip *m, const struct sl_packet *pkt);

/* dialog.c: leg state from one (non-retransmitted) message */
void sl_corr_leg_update(struct sl_corr *c, struct sl_leg *leg,
    const struct sl_msg *msg, const struct sl_sip *m);

/* join.c: B2BUA leg joining at a new leg's first INVITE */
struct sl_leg *sl_corr_join_find(struct sl_corr *c, const struct sl_sip *m,
    const struct sl_packet *pkt, uint32_t *ev /* OUT */, int32_t *mf_parent /* OUT */,
    int64_t *delay /* OUT */);
/* join.c: evidence visible only once both legs are over */
void sl_corr_join_finish(struct sl_call *call);

/* media.c */
struct sl_media_ep *sl_corr_media_lookup(const struct sl_corr *c,
    const struct sl_endpoint *ep);
struct sl_stream *sl_corr_stream_find(const struct sl_corr *c,
    const struct sl_endpoint *src, const struct sl_endpoint *dst, uint32_t ssrc,
    bool any_ssrc);
void sl_corr_media_announce(struct sl_corr *c, struct sl_leg *leg,
    const struct sl_sdp *sdp);
void sl_corr_media_forget(struct sl_corr *c, struct sl_call *call);
void sl_corr_rtp(struct sl_corr *c, const struct sl_packet *pkt);
void sl_corr_rtcp(struct sl_corr *c, const struct sl_packet *pkt);
void sl_corr_icmp(struct sl_corr *c, const struct sl_packet *pkt);
void sl_corr_stream_finish(struct sl_stream *s);

#endif
