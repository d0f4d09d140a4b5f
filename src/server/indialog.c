/* indialog.c: requests inside a call: the caller's CANCEL, ACKs, BYE from
 * either side (the caller's challenged like the seed), re-INVITE/UPDATE,
 * INFO and OPTIONS. See b2bua.h for the decisions. */
#include <osipparser2/osip_port.h>
#include <stdio.h>
#include <string.h>

#include "server/b2bua.h"
#include "server/call.h"
#include "sip/sdp.h"

static enum sl_relay_side
side_of(const struct sl_b2b_leg *l)
{
	return l->is_a ? SL_RELAY_A : SL_RELAY_B;
}

static void
learn_from(struct sl_b2b_call *c, const struct sl_b2b_leg *l, const osip_message_t *m)
{
	struct sl_str body;
	char ct[64];

	if (sl_msg_body(m, &body, ct, sizeof(ct)) && osip_strcasecmp(ct, "application/sdp") == 0)
		sl_b2b_call_learn(c, l, body);
}

void
sl_b2b_cancel(struct sl_srv *s, struct sl_sip_txn *st, osip_message_t *req,
    const struct sl_endpoint *from)
{
	struct sl_sip_txn *inv = sl_txn_cancel_target(s->txn, req, from);

	if (inv == NULL) {
		sl_srv_refuse(s, st, 481, NULL, "CANCEL matches no INVITE");
		return;
	}
	/* RFC 3261 9.1: the CANCEL comes from whoever sent the INVITE; the
	 * branch it must repeat was on the wire */
	if (!sl_ep_eq(from, sl_txn_peer(inv))) {
		sl_srv_refuse(s, st, 403, NULL, "CANCEL from another address than its INVITE");
		return;
	}
	struct sl_b2b_leg *l = sl_txn_user(inv);
	/* RFC 3261 9.2: the same To tag as the INVITE's responses */
	sl_srv_reply(s, st, 200, NULL, l ? l->local_tag : NULL, NULL);
	if (sl_txn_state(inv) != SL_TXN_PROCEEDING)
		return;	/* a final response went out already: no effect */
	if (l == NULL || !l->is_a) {
		sl_srv_reply(s, inv, 487, NULL, NULL, "cancelled");
		return;
	}
	struct sl_b2b_call *c = l->call;
	sl_b2b_call_fail(c, 487, "cancelled by the caller");
	sl_b2b_call_maybe_free(c);
}

void
sl_b2b_ack(struct sl_srv *s, struct sl_sip_txn *invite_st, osip_message_t *ack,
    const struct sl_endpoint *from)
{
	struct sl_b2b_leg *l = invite_st ? sl_txn_user(invite_st) : NULL;

	if (l == NULL)
		l = sl_b2b_call_find(s->b2b, ack);	/* a re-INVITE's ACK, or late */

	if (l == NULL) {
		sl_log(s->cfg.log, SL_LOG_DEBUG, from, "ACK matches no call");
		return;
	}
	if (!sl_b2b_call_from_peer(l, from)) {
		if (sl_rl_may_log(&s->rl, &from->ip, sl_srv_now_ms(s)))
			sl_log(s->cfg.log, SL_LOG_INFO, from,
			    "call %llu: ACK from outside the dialog ignored",
			    (unsigned long long)l->call->id);
		sl_srv_charge(s, from);
		return;
	}
	struct sl_b2b_call *c = l->call;
	/* an ACK carries SDP only as the answer to an offer we made in our
	 * 2xx (RFC 3264 late offer); anything else there is ignored, or a
	 * repeated ACK could move the media */
	if (l->ack_sdp) {
		learn_from(c, l, ack);
		l->ack_sdp = false;
	}
	if (l->is_a && c->state == SL_B2B_ANSWERED)
		c->state = SL_B2B_ACTIVE;
}

/* The Reason for the other leg: the hanging-up side's own Reason when it
 * is plain text (Yate passes the text on), else normal clearing. */
static void
reason_for_other(const osip_message_t *bye, char *out, size_t n)
{
	struct sl_str v = sl_str_trim(sl_msg_header(bye, "reason"));
	bool ok = v.n > 0 && v.n < n && v.n <= 200;

	for (size_t i = 0; ok && i < v.n; i++)
		ok = (unsigned char)v.p[i] >= 0x20 && (unsigned char)v.p[i] < 0x7f;
	if (ok)
		snprintf(out, n, "%.*s", SL_PRI(v));
	else
		snprintf(out, n, "SIP;text=\"Normal call clearing\"");
}

/* Whose credentials a request on leg l needs, or NULL for none. Yate's
 * doBye: a caller that authenticated its INVITE must authenticate its
 * BYE too (401 until it does); so must its re-INVITE and UPDATE, which
 * move media as much as a BYE ends it. The callee is a regfile user with
 * a password too: its re-INVITE and UPDATE would move the caller's media
 * to wherever their SDP says, and the source address they come from is
 * no proof (it can be forged by anyone who sees the traffic), so they
 * are challenged as well. Its BYE is not, as in Yate (m_authBye is off
 * on the outgoing leg) and in the seed: ending a call moves nothing. */
static const char *
needs_auth(struct sl_srv *s, const struct sl_b2b_call *c, const struct sl_b2b_leg *l,
    const osip_message_t *req)
{
	if (l->is_a)
		return c->auth_user[0] ? c->auth_user : NULL;
	if (sl_msg_is(req, "BYE") || l->user[0] == '\0')
		return NULL;
	const struct sl_regfile_user *u = sl_regfile_find(s->cfg.rf, l->user);
	return u && u->password[0] ? l->user : NULL;
}

/* True when the request may proceed; else it was challenged or refused. */
static bool
party_authorized(struct sl_srv *s, struct sl_b2b_call *c, struct sl_b2b_leg *l,
    struct sl_sip_txn *st, const osip_message_t *req)
{
	struct sl_auth_result ar;
	osip_message_t *r = NULL;
	char dom[SL_MSG_URI_MAX];
	const char *who = needs_auth(s, c, l, req);

	if (who == NULL)
		return true;
	sl_srv_auth_check(&s->auth, req, sl_srv_now_s(s), &ar);
	if (ar.v == SL_AUTH_OK) {
		if (strcmp(ar.user, who) == 0)
			return true;
		sl_srv_refuse(s, st, 403, NULL, "credentials of another user than the call's");
		return false;
	}
	if (ar.v == SL_AUTH_BAD_URI) {
		sl_srv_refuse(s, st, 400, "Digest uri does not match Request-URI", ar.why);
		return false;
	}
	if (sl_srv_auth_401(&s->auth, req, sl_srv_now_s(s), ar.v == SL_AUTH_STALE,
	    sl_srv_domain(req, dom), NULL, &r) == SL_OK)
		sl_srv_refuse_resp(s, st, r, ar.why);
	return false;
}

static void
bye(struct sl_srv *s, struct sl_b2b_call *c, struct sl_b2b_leg *l, struct sl_sip_txn *st,
    const osip_message_t *req)
{
	char reason[256], stat[128];
	osip_message_t *r = NULL;

	if (!party_authorized(s, c, l, st, req))
		return;
	reason_for_other(req, reason, sizeof(reason));
	sl_b2b_call_rtp_stat(c, side_of(l), stat, sizeof(stat));
	if (sl_msg_response(req, 200, NULL, NULL, &r) == SL_OK &&
	    sl_msg_add_header(r, "P-RTP-Stat", stat) == SL_OK)
		sl_srv_send_resp(s, st, r, NULL);
	else
		sl_msg_free(r);
	if (c->state == SL_B2B_CALLING) {
		/* RFC 3261 15: a BYE on an early dialog ends the attempt */
		sl_b2b_call_fail(c, 487, "BYE before the answer");
		sl_b2b_call_maybe_free(c);
		return;
	}
	sl_b2b_call_hangup(c, l, reason);
}

/* re-INVITE / UPDATE: move this side's relay peer, answer with the SDP we
 * last sent on the leg (unchanged, so its o= version stays valid) */
static void
refresh(struct sl_srv *s, struct sl_b2b_call *c, struct sl_b2b_leg *l, struct sl_sip_txn *st,
    const osip_message_t *req)
{
	osip_message_t *r = NULL;

	if (l->sdp.len == 0 || c->state == SL_B2B_DONE) {
		sl_srv_reply(s, st, 488, NULL, NULL, "no media to offer on this leg");
		return;
	}
	if (!party_authorized(s, c, l, st, req))
		return;
	struct sl_str body;
	char ct[64];
	/* without an offer our 200 is the offer and the ACK has the answer */
	l->ack_sdp = !sl_msg_body(req, &body, ct, sizeof(ct)) || body.n == 0;
	learn_from(c, l, req);
	if (sl_msg_response(req, 200, NULL, NULL, &r) != SL_OK ||
	    sl_msg_set_contact(r, l->me.contact) != SL_OK ||
	    sl_msg_set_body(r, "application/sdp", l->sdp.p, l->sdp.len) != SL_OK) {
		sl_msg_free(r);
		return;
	}
	sl_srv_send_resp(s, st, r, NULL);
}

bool
sl_b2b_in_dialog(struct sl_srv *s, struct sl_sip_txn *st, osip_message_t *req,
    const struct sl_endpoint *from)
{
	struct sl_b2b_leg *l = sl_b2b_call_find(s->b2b, req);

	if (l == NULL)
		return false;
	struct sl_b2b_call *c = l->call;
	if (!sl_b2b_call_from_peer(l, from)) {
		sl_srv_refuse(s, st, 403, NULL, "request inside a dialog from outside it");
		return true;
	}
	if (sl_msg_is(req, "BYE"))
		bye(s, c, l, st, req);
	else if (sl_msg_is(req, "INVITE") || sl_msg_is(req, "UPDATE"))
		refresh(s, c, l, st, req);
	else if (sl_msg_is(req, "INFO") || sl_msg_is(req, "OPTIONS"))
		sl_srv_reply(s, st, 200, NULL, NULL, NULL);
	else
		sl_srv_reply(s, st, 501, NULL, NULL, "not supported inside a call");
	return true;
}
