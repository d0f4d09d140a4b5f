/* txn.c: retransmission detection per transaction (RFC 3261 17). A
 * request is a retransmission when its transaction (top Via branch, CSeq
 * number and method) already saw a request from the same sender; a
 * response when the same status with the same To tag came from the same
 * sender before. Messages without a branch (RFC 2543 peers) fall back to
 * Call-ID + CSeq, which the leg already scopes.
 *
 * A transaction also remembers each message's first copy, so that its
 * retransmissions are counted there, and whether its request carried
 * credentials: a final response then tells whether they were accepted
 * (RFC 3261 22.2). */
#include "correlate/corr_int.h"

static struct sl_txn *
txn_find(struct sl_corr_leg *leg, struct sl_str branch, uint32_t cseq,
    enum sl_sip_method method, struct sl_str method_name)
{
	for (struct sl_txn *t = leg->txns; t; t = t->next) {
		if (t->cseq != cseq || t->method != method)
			continue;
		if (method == SL_SIP_METHOD_OTHER && !sl_str_eq(t->method_name, method_name))
			continue;
		if (sl_str_eq(t->branch, branch))
			return t;
	}
	return NULL;
}

void
sl_corr_txn_see(struct sl_corr *c, struct sl_leg *pub, const struct sl_sip *m,
    const struct sl_packet *pkt, struct sl_txn_seen *out)
{
	*out = (struct sl_txn_seen){ 0 };
	struct sl_corr_leg *leg = sl_corr_leg_of(pub);
	struct sl_arena *a = &pub->call->arena;
	enum sl_sip_method method = m->is_request ? m->method_id : m->cseq_method_id;
	struct sl_str mname = m->is_request ? m->method : m->cseq_method;
	struct sl_txn *t = txn_find(leg, m->via_branch, m->cseq, method, mname);
	if (t == NULL) {
		t = sl_arena_zalloc(a, sizeof *t);
		if (t == NULL)
			return;
		t->branch = sl_arena_str(a, m->via_branch);
		t->cseq = m->cseq;
		t->method = method;
		t->method_name = sl_arena_str(a, mname);
		t->next = leg->txns;
		leg->txns = t;
	}
	out->req_auth = t->req_auth;
	if (m->is_request) {
		if (t->req_seen && sl_ep_eq(&t->req_src, &pkt->src)) {
			out->retrans = true;
			out->first = &t->req_msg;
			return;
		}
		if (!t->req_seen) {
			t->req_seen = true;
			t->req_src = pkt->src;
			t->req_auth = m->has_auth;
			out->req_auth = m->has_auth;
			out->first = &t->req_msg;
		}
		return;
	}
	uint64_t tag = sl_hash_str(m->to_tag, c->seed);
	for (unsigned i = 0; i < t->n_resp; i++) {
		if (t->resp_status[i] == m->status && t->resp_tag[i] == tag &&
		    sl_ep_eq(&t->resp_src[i], &pkt->src)) {
			out->retrans = true;
			out->first = &t->resp_msg[i];
			return;
		}
	}
	if (t->n_resp < SL_TXN_MAX_RESP) {
		t->resp_status[t->n_resp] = m->status;
		t->resp_tag[t->n_resp] = tag;
		t->resp_src[t->n_resp] = pkt->src;
		out->first = &t->resp_msg[t->n_resp];
		t->n_resp++;
	}
}
