/* call.c: allocation of calls, legs and messages. Everything a call keeps
 * is copied into its arena, so nothing points into packet memory. */
#include <stdlib.h>
#include <string.h>

#include "correlate/corr_int.h"

#define CALL_CHUNK 16384

struct sl_corr_call *
sl_corr_call_new(struct sl_corr *c, enum sl_call_kind kind, int64_t ts,
    uint64_t frame)
{
	struct sl_corr_call *cc = calloc(1, sizeof *cc);
	if (cc == NULL)
		return NULL;
	struct sl_call *call = &cc->pub;
	sl_arena_init(&call->arena, CALL_CHUNK, c->o.call_mem_cap);
	call->kind = kind;
	call->index = ++c->next_index;
	call->first_ts = ts;
	call->last_ts = ts;
	call->first_frame = frame;
	cc->prev = c->tail;
	if (c->tail)
		c->tail->next = cc;
	else
		c->head = cc;
	c->tail = cc;
	c->n_live++;
	return cc;
}

void
sl_corr_call_unlink(struct sl_corr *c, struct sl_corr_call *call)
{
	if (call->prev)
		call->prev->next = call->next;
	else
		c->head = call->next;
	if (call->next)
		call->next->prev = call->prev;
	else
		c->tail = call->prev;
	call->next = call->prev = NULL;
	c->n_live--;
	sl_corr_setup_remove(c, call);
}

static bool
leg_eq(const struct sl_hnode *n, const void *key)
{
	const struct sl_corr_leg *l = (const struct sl_corr_leg *)((const char *)n -
	    offsetof(struct sl_corr_leg, node));
	return sl_str_eq(l->pub.call_id, *(const struct sl_str *)key);
}

struct sl_leg *
sl_corr_leg_find(struct sl_corr *c, struct sl_str call_id)
{
	struct sl_hnode *n = sl_hmap_find(&c->legs,
	    sl_hash_str(call_id, c->seed), leg_eq, &call_id);
	return n ? &SL_CORR_OF(n, struct sl_corr_leg, node)->pub : NULL;
}

static enum sl_leg_kind
kind_of(const struct sl_sip *m)
{
	switch (m->cseq_method_id ? m->cseq_method_id : m->method_id) {
	case SL_SIP_METHOD_INVITE:
	case SL_SIP_METHOD_ACK:
	case SL_SIP_METHOD_BYE:
	case SL_SIP_METHOD_CANCEL:
	case SL_SIP_METHOD_PRACK:
	case SL_SIP_METHOD_UPDATE:
	case SL_SIP_METHOD_INFO:
		return SL_LEG_INVITE;
	case SL_SIP_METHOD_REGISTER:
		return SL_LEG_REGISTER;
	default:
		return SL_LEG_OTHER;
	}
}

struct sl_leg *
sl_corr_leg_new(struct sl_corr *c, struct sl_call *call,
    const struct sl_sip *m, const struct sl_packet *pkt)
{
	struct sl_arena *a = &call->arena;
	struct sl_corr_leg *cl = sl_arena_zalloc(a, sizeof *cl);
	if (cl == NULL)
		return NULL;
	struct sl_leg *leg = &cl->pub;
	sl_call_add_leg(call, leg);
	leg->kind = kind_of(m);
	leg->call_id = sl_arena_str(a, m->call_id);
	leg->from_user = sl_arena_str(a, m->from_user);
	leg->to_user = sl_arena_str(a, m->to_user);
	leg->ruri = sl_arena_str(a, m->ruri);
	/* the first request's sender is the UAC; a response seen first
	 * (capture started mid-call) means the other way round */
	leg->uac = m->is_request ? pkt->src : pkt->dst;
	leg->uas = m->is_request ? pkt->dst : pkt->src;
	leg->first_ts = pkt->ts_ns;
	leg->last_ts = pkt->ts_ns;
	sl_corr_setup_add(c, sl_corr_call_of(call));
	sl_hmap_insert(&c->legs, &cl->node, sl_hash_str(leg->call_id, c->seed));
	return leg;
}

static struct sl_str
cp(struct sl_arena *a, struct sl_str s)
{
	return sl_arena_str(a, s);
}

/* The codec and address of the first audio (else first) m= line: what a
 * ladder shows next to "(SDP)". */
static void
sdp_brief(struct sl_arena *a, struct sl_msg *msg, const struct sl_sdp *sdp)
{
	const struct sl_sdp_media *md = NULL;
	for (unsigned i = 0; i < sdp->n_media; i++) {
		if (sl_str_eq(sdp->media[i].type, SL_STR("audio"))) {
			md = &sdp->media[i];
			break;
		}
	}
	if (md == NULL && sdp->n_media)
		md = &sdp->media[0];
	if (md == NULL)
		return;
	msg->sdp_media.ip = md->conn;
	msg->sdp_media.port = md->port;
	msg->sdp_media.transport = SL_TP_UDP;
	if (md->n_fmt) {
		if (md->fmt[0].name.n)
			msg->sdp_codec = cp(a, md->fmt[0].name);
		else {
			uint32_t rate;
			msg->sdp_codec = cp(a, sl_str_c(sl_rtp_static_codec(md->fmt[0].pt, &rate)));
		}
	}
}

struct sl_msg *
sl_corr_msg_add(struct sl_corr *c, struct sl_leg *leg, const struct sl_sip *m,
    const struct sl_packet *pkt)
{
	struct sl_call *call = leg->call;
	struct sl_arena *a = &call->arena;
	struct sl_msg *msg = sl_arena_zalloc(a, sizeof *msg);
	if (msg == NULL) {
		call->msgs_dropped++;
		c->st.msgs_over_cap++;
		return NULL;
	}
	msg->leg = leg;
	msg->frame = pkt->frame;
	msg->ts_ns = pkt->ts_ns;
	msg->src = pkt->src;
	msg->dst = pkt->dst;
	msg->size = (uint32_t)m->raw.n;
	msg->is_request = m->is_request;
	msg->method_id = m->is_request ? m->method_id : m->cseq_method_id;
	msg->method = cp(a, m->is_request ? m->method : m->cseq_method);
	msg->status = m->status;
	msg->reason = cp(a, m->reason);
	msg->ruri = cp(a, m->ruri);
	msg->call_id = leg->call_id;
	msg->from_user = cp(a, m->from_user);
	msg->from_tag = cp(a, m->from_tag);
	msg->to_user = cp(a, m->to_user);
	msg->to_tag = cp(a, m->to_tag);
	msg->from_uri = cp(a, m->from_uri);
	msg->to_uri = cp(a, m->to_uri);
	msg->cseq = m->cseq;
	msg->branch = cp(a, m->via_branch);
	msg->max_forwards = m->max_forwards;
	msg->contact = cp(a, m->contact);
	msg->expires = m->expires;
	msg->reason_hdr = cp(a, m->reason_hdr);
	msg->user_agent = cp(a, m->user_agent);
	msg->xcid = cp(a, m->xcid);
	msg->has_auth = m->has_auth;
	msg->auth_proxy = m->auth_proxy;
	msg->auth_user = cp(a, m->auth_user);
	msg->auth_realm = cp(a, m->auth_realm);
	msg->has_challenge = m->has_challenge;
	msg->chal_proxy = m->chal_proxy;
	msg->chal_realm = cp(a, m->chal_realm);
	msg->chal_stale = m->chal_stale;
	if (m->sdp) {
		msg->has_sdp = true;
		sdp_brief(a, msg, m->sdp);
	}
	/* packet-level anomalies first (ip/udp), then the message's own */
	for (unsigned i = 0; i < pkt->n_anomalies && msg->n_anomalies < SL_MSG_MAX_ANOMALIES; i++)
		msg->anomalies[msg->n_anomalies++] = pkt->anomalies[i];
	for (unsigned i = 0; i < m->n_anomalies && msg->n_anomalies < SL_MSG_MAX_ANOMALIES; i++) {
		bool dup = false;
		for (unsigned j = 0; j < msg->n_anomalies; j++)
			dup |= msg->anomalies[j] == m->anomalies[i];
		if (!dup)
			msg->anomalies[msg->n_anomalies++] = m->anomalies[i];
	}
	msg->raw = cp(a, m->raw);

	/* capture order: packets arrive sorted, so appending keeps it */
	if (call->msgs_tail)
		call->msgs_tail->next = msg;
	else
		call->msgs = msg;
	call->msgs_tail = msg;
	call->n_msgs++;
	leg->n_msgs++;
	return msg;
}
