/* corr_int.h: the correlator's private state, shared by the files of
 * src/correlate/ only. */
#ifndef SL_CORR_INT_H
#define SL_CORR_INT_H

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
	enum sl_err failed;		/* sticky emit error */
};

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
void sl_corr_media_announce(struct sl_corr *c, struct sl_leg *leg,
    const struct sl_sdp *sdp);
void sl_corr_media_forget(struct sl_corr *c, struct sl_call *call);
void sl_corr_rtp(struct sl_corr *c, const struct sl_packet *pkt);
void sl_corr_rtcp(struct sl_corr *c, const struct sl_packet *pkt);
void sl_corr_icmp(struct sl_corr *c, const struct sl_packet *pkt);
void sl_corr_stream_finish(struct sl_stream *s);

#endif
