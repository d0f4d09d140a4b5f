/* corr_int.h: the correlator's private state, shared by the files of
 * src/correlate/ only: its indexes, transactions, caches and per-packet
 * stream state. Each object of the public model (model/model.h) that has
 * bookkeeping is embedded in a private struct here and reached from the
 * model pointer with SL_CORR_OF, a constant offset: no extra load on the
 * RTP path, and the model stays free of what only the correlator reads. */
#ifndef SL_CORR_INT_H
#define SL_CORR_INT_H

#include <stddef.h>
#include <string.h>

#include "core/hash.h"
#include "correlate/correlate.h"

/* The private struct of type whose member is at p. */
#define SL_CORR_OF(p, type, member) \
	((type *)(void *)((char *)(p) - offsetof(type, member)))

struct sl_txn;
struct sl_media_ep;
struct sl_flow;

/* A call: the model first, because sl_call_free frees the block the
 * model starts (and so the bookkeeping behind it). */
struct sl_corr_call {
	struct sl_call pub;
	struct sl_corr_call *next;	/* live calls, by first message */
	struct sl_corr_call *prev;
	struct sl_media_ep *media_eps;	/* SDP-announced addresses it owns */
	bool emitted;
	/* join.c: in c->setup, the calls that may have a leg waiting for the
	 * answer to its INVITE, which is all a new leg's scan looks at: most
	 * live calls are talking. A leg stops waiting for good (answer, final
	 * status, CANCEL and BYE are never undone); only a new leg or a leg's
	 * first INVITE can start one waiting (sl_corr_setup_add). */
	bool in_setup;
	struct sl_corr_call *setup_next;
	struct sl_corr_call *setup_prev;
};
_Static_assert(offsetof(struct sl_corr_call, pub) == 0, "sl_call_free frees from pub");

struct sl_corr_leg {
	struct sl_leg pub;
	struct sl_txn *txns;		/* transactions seen */
	struct sl_hnode node;		/* in the Call-ID index */
};

/* A stream: the per-packet state (RFC 3550 A.1 sequence extension and
 * Wireshark's rtppacket_analyse() state, so figures match tshark) right
 * before the model's per-packet figures, all within the first two cache
 * lines of a stream that media.c places on a line boundary; the map and
 * cache links, read only when the flow changes, after them. An RTP
 * packet touches no other line of the call: bye_ts and max_ts stand in
 * for the leg's and the call's fields it would otherwise load. */
#define SL_CORR_LINE 64
struct sl_corr_stream {
	uint32_t base_seq;
	uint32_t max_seq;		/* extended */
	uint16_t ws_seq;		/* last in-order sequence number */
	uint8_t ws_pt;
	bool ws_first_done;
	uint32_t ws_first_rtp_ts;	/* RTP timestamp of the first packet */
	double ws_time_ms;		/* arrival of the last in-time packet, ms since the first */
	double ws_last_nominal_ms;	/* Wireshark's lastnominaltime */
	int64_t bye_ts;			/* pub.leg->bye_ts, copied (sl_corr_media_bye) */
	int64_t max_ts;			/* newest packet; folded into the call's last_ts */
	struct sl_stream pub;
	bool in_map;
	struct sl_hnode node;		/* in the stream map */
	struct sl_flow *cache_slot;	/* flow.c's slot holding it, or NULL */
};
_Static_assert(offsetof(struct sl_corr_stream, pub.last_ts) + sizeof(int64_t) <=
    2 * SL_CORR_LINE, "a packet's stream fields fit two cache lines");

static inline struct sl_corr_call *
sl_corr_call_of(struct sl_call *call)
{
	return SL_CORR_OF(call, struct sl_corr_call, pub);
}

static inline struct sl_corr_leg *
sl_corr_leg_of(struct sl_leg *leg)
{
	return SL_CORR_OF(leg, struct sl_corr_leg, pub);
}

static inline struct sl_corr_stream *
sl_corr_stream_of(struct sl_stream *s)
{
	return SL_CORR_OF(s, struct sl_corr_stream, pub);
}

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
	bool req_auth;			/* the request carried credentials */
	struct sl_msg *req_msg;		/* its first copy, if kept */
	uint8_t n_resp;
	uint16_t resp_status[SL_TXN_MAX_RESP];
	uint64_t resp_tag[SL_TXN_MAX_RESP];
	struct sl_endpoint resp_src[SL_TXN_MAX_RESP];
	struct sl_msg *resp_msg[SL_TXN_MAX_RESP];
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
	struct sl_hmap legs;		/* Call-ID -> struct sl_corr_leg */
	struct sl_hmap media;		/* endpoint -> struct sl_media_ep */
	struct sl_hmap streams;		/* (src, dst) -> struct sl_corr_stream */
	struct sl_corr_call *head;	/* live calls by start */
	struct sl_corr_call *tail;
	struct sl_corr_call *setup;	/* join.c: live calls that may be setting up */
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

/* One slot is one cache line (flow.c aligns them): the flow's endpoints
 * packed, since a packet's two addresses share its family; the answer;
 * the media versions it was found under. Every RTP packet reads one. */
struct sl_flow {
	uint8_t src_a[16];		/* sl_ip.a of src and dst */
	uint8_t dst_a[16];
	uint16_t src_port, dst_port;
	uint8_t family;			/* of both */
	uint8_t src_tp, dst_tp;		/* transports */
	bool via_dst;			/* ep is dst's: src's version is moot */
	struct sl_media_ep *ep;		/* media of dst, else of src; NULL: none */
	/* in the stream map, its cache_slot is us, and while ep is set it
	 * belongs to ep's call (find_media drops it otherwise) */
	struct sl_corr_stream *stream;
	uint32_t v_src, v_dst;		/* media versions ep was found under */
};
_Static_assert(sizeof(struct sl_flow) == SL_CORR_LINE, "a flow slot is one cache line");

struct sl_flows *sl_corr_flows_new(void);
void sl_corr_flows_free(struct sl_flows *f);
/* pkt's flow with ep up to date; never NULL */
struct sl_flow *sl_corr_flow(struct sl_corr *c, const struct sl_packet *pkt);
void sl_corr_flow_set_stream(struct sl_corr *c, struct sl_flow *f,
    struct sl_corr_stream *s);
/* The media map gained, lost or replaced the entry of ep. */
void sl_corr_flow_media_changed(struct sl_corr *c, const struct sl_endpoint *ep);
/* s left the stream map. */
void sl_corr_flow_stream_gone(struct sl_corr *c, struct sl_corr_stream *s);

/* call.c */
struct sl_corr_call *sl_corr_call_new(struct sl_corr *c, enum sl_call_kind kind,
    int64_t ts, uint64_t frame);
struct sl_leg *sl_corr_leg_new(struct sl_corr *c, struct sl_call *call,
    const struct sl_sip *m, const struct sl_packet *pkt);
struct sl_leg *sl_corr_leg_find(struct sl_corr *c, struct sl_str call_id);
struct sl_msg *sl_corr_msg_add(struct sl_corr *c, struct sl_leg *leg,
    const struct sl_sip *m, const struct sl_packet *pkt);
void sl_corr_call_unlink(struct sl_corr *c, struct sl_corr_call *call);

/* txn.c: what m's transaction says of m */
struct sl_txn_seen {
	bool retrans;		/* m repeats a message already seen in it */
	bool req_auth;		/* its request carried credentials */
	/* where the first copy of m is kept (NULL: no room to track it):
	 * *first is NULL until the caller stores a kept first copy there */
	struct sl_msg **first;
};
void sl_corr_txn_see(struct sl_corr *c, struct sl_leg *leg, const struct sl_sip *m,
    const struct sl_packet *pkt, struct sl_txn_seen *out /* OUT */);

/* dialog.c: leg state from one (non-retransmitted) message; req_auth:
 * the request of its transaction carried credentials */
void sl_corr_leg_update(struct sl_corr *c, struct sl_leg *leg,
    const struct sl_msg *msg, const struct sl_sip *m, bool req_auth);

/* join.c: B2BUA leg joining at a new leg's first INVITE */
struct sl_leg *sl_corr_join_find(struct sl_corr *c, const struct sl_sip *m,
    const struct sl_packet *pkt, uint32_t *ev /* OUT */, int32_t *mf_parent /* OUT */,
    int64_t *delay /* OUT */);
/* join.c: evidence visible only once both legs are over */
void sl_corr_join_finish(struct sl_call *call);
/* join.c: cc gained a leg, or a leg of it its first INVITE */
void sl_corr_setup_add(struct sl_corr *c, struct sl_corr_call *cc);
/* join.c: cc is leaving the live calls */
void sl_corr_setup_remove(struct sl_corr *c, struct sl_corr_call *cc);

/* media.c */
struct sl_media_ep *sl_corr_media_lookup(const struct sl_corr *c,
    const struct sl_endpoint *ep);
struct sl_corr_stream *sl_corr_stream_find(const struct sl_corr *c,
    const struct sl_endpoint *src, const struct sl_endpoint *dst, uint32_t ssrc,
    bool any_ssrc);
void sl_corr_media_announce(struct sl_corr *c, struct sl_leg *leg,
    const struct sl_sdp *sdp);
void sl_corr_media_forget(struct sl_corr *c, struct sl_corr_call *call);
void sl_corr_rtp(struct sl_corr *c, const struct sl_packet *pkt);
void sl_corr_rtcp(struct sl_corr *c, const struct sl_packet *pkt);
void sl_corr_icmp(struct sl_corr *c, const struct sl_packet *pkt);
void sl_corr_stream_finish(struct sl_corr_stream *s);
/* leg->bye_ts was just set: its streams take the copy they read */
void sl_corr_media_bye(struct sl_leg *leg);

#endif
