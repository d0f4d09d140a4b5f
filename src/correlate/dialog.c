/* dialog.c: per-leg state from each new (non-retransmitted) message: the
 * INVITE attempts, answer, teardown, REGISTER exchanges, and the
 * authentication of each kind of request (RFC 3261 10, 12-15, 22). A
 * 401/407 is a step of the exchange, never its outcome. */
#include "correlate/corr_int.h"

static bool
is_challenge(uint16_t st)
{
	return st == 401 || st == 407;
}

/* Which side of the whole call sent msg on this leg. */
static enum sl_side
side_of(const struct sl_leg *leg, const struct sl_msg *msg)
{
	bool uac = sl_ep_eq(&msg->src, &leg->uac) ||
	    (sl_ip_eq(&msg->src.ip, &leg->uac.ip) && !sl_ip_eq(&msg->src.ip, &leg->uas.ip));
	if (!uac)
		return SL_SIDE_CALLEE;
	return leg == leg->call->legs ? SL_SIDE_CALLER : SL_SIDE_SERVER;
}

static struct sl_reg *
open_reg(struct sl_call *call)
{
	struct sl_reg *last = NULL;
	for (struct sl_reg *r = call->regs; r; r = r->next)
		last = r;
	return last && last->result == 0 ? last : NULL;
}

static void
register_update(struct sl_leg *leg, const struct sl_msg *msg)
{
	struct sl_call *call = leg->call;
	struct sl_reg *r = open_reg(call);
	if (msg->is_request) {
		if (r == NULL) {
			r = sl_arena_zalloc(&call->arena, sizeof *r);
			if (r == NULL)
				return;
			r->user = msg->to_user;
			r->contact = msg->contact;
			r->expires_req = msg->expires;
			r->expires = -1;
			r->unregister = msg->expires == 0;
			r->start_ts = msg->ts_ns;
			struct sl_reg **pp = &call->regs;
			while (*pp)
				pp = &(*pp)->next;
			*pp = r;
			call->n_regs++;
		}
		if (msg->has_auth && msg->auth_user.n)
			r->auth_user = msg->auth_user;
		r->n_msgs++;
		r->end_ts = msg->ts_ns;
		return;
	}
	if (r == NULL)
		return;
	r->n_msgs++;
	r->end_ts = msg->ts_ns;
	if (is_challenge(msg->status))
		r->challenges++;
	else if (msg->status >= 200) {
		r->result = msg->status;
		if (msg->status < 300)
			r->expires = msg->expires;
	}
}

/* RFC 3261 22: credentials answer the challenge before them, and the
 * final response to a request that carried them says whether they were
 * accepted. The exchange has failed while its last final response is a
 * challenge nobody answered. req_auth: msg answers a request that
 * carried credentials. */
static void
auth_update(struct sl_leg *leg, const struct sl_msg *msg, bool req_auth)
{
	enum sl_auth_req r = sl_auth_req_of(msg->method_id);
	if (r == SL_AUTH_N)
		return;
	struct sl_auth *a = &leg->auth[r];
	if (msg->is_request) {
		if (!msg->has_auth)
			return;
		a->credentials++;
		a->failed = false;
		if (msg->auth_user.n)
			a->user = msg->auth_user;
		return;
	}
	if (msg->status < 200)
		return;
	if (is_challenge(msg->status)) {
		if (a->challenges++ == 0)
			a->status = msg->status;
		if (msg->chal_realm.n)
			a->realm = msg->chal_realm;
		a->last_challenge = msg;
		a->failed = true;
		return;
	}
	a->authorised |= req_auth;
	a->failed = false;
}

static void
invite_request(struct sl_corr *c, struct sl_leg *leg, const struct sl_msg *msg)
{
	/* a re-INVITE inside the dialog is not a new attempt */
	if (msg->to_tag.n)
		return;
	leg->n_attempts++;
	if (leg->invite_ts == 0) {
		leg->invite_ts = msg->ts_ns;
		leg->first_max_forwards = msg->max_forwards;
		sl_corr_setup_add(c, sl_corr_call_of(leg->call));
	}
	if (msg->has_auth && leg->auth_invite_ts == 0)
		leg->auth_invite_ts = msg->ts_ns;
}

static void
invite_response(struct sl_leg *leg, const struct sl_msg *msg)
{
	uint16_t st = msg->status;
	if (st >= 180 && st < 200 && leg->ring_ts == 0)
		leg->ring_ts = msg->ts_ns;
	if (st < 200)
		return;
	leg->last_invite_status = st;
	if (is_challenge(st))
		return;
	if (st < 300) {
		if (leg->answer_ts == 0)
			leg->answer_ts = msg->ts_ns;
		leg->final_status = st;
		leg->final_reason = msg->reason;
		return;
	}
	/* a failure after the answer belongs to a re-INVITE */
	if (leg->answer_ts == 0) {
		leg->final_status = st;
		leg->final_reason = msg->reason;
	}
}

static void
bye_request(struct sl_leg *leg, const struct sl_msg *msg)
{
	leg->last_bye = msg;
	if (leg->bye_ts == 0) {
		leg->bye_ts = msg->ts_ns;
		leg->bye_by = side_of(leg, msg);
		leg->bye_reason = msg->reason_hdr;
		sl_corr_media_bye(leg);
	}
}

static void
bye_response(struct sl_leg *leg, const struct sl_msg *msg)
{
	uint16_t st = msg->status;
	if (st < 200 || is_challenge(st))
		return;
	leg->bye_status = st;
	if (st < 300 && leg->bye_done_ts == 0)
		leg->bye_done_ts = msg->ts_ns;
}

void
sl_corr_leg_update(struct sl_corr *c, struct sl_leg *leg,
    const struct sl_msg *msg, const struct sl_sip *m, bool req_auth)
{
	if (m->sdp)
		sl_corr_media_announce(c, leg, m->sdp);
	auth_update(leg, msg, req_auth);
	if (leg->kind == SL_LEG_REGISTER) {
		if (msg->method_id == SL_SIP_METHOD_REGISTER)
			register_update(leg, msg);
		return;
	}
	switch (msg->method_id) {
	case SL_SIP_METHOD_INVITE:
		if (msg->is_request)
			invite_request(c, leg, msg);
		else
			invite_response(leg, msg);
		break;
	case SL_SIP_METHOD_BYE:
		if (msg->is_request)
			bye_request(leg, msg);
		else
			bye_response(leg, msg);
		break;
	case SL_SIP_METHOD_CANCEL:
		if (msg->is_request)
			leg->cancelled = true;
		break;
	default:
		break;
	}
}
