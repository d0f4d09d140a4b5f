/* ua_uac.c: the outgoing call (RFC 3261 13.2). INVITE with our SDP offer
 * (preferred G.711 law, then the other); a 401/407 is ACKed by the
 * transaction layer and answered with a new INVITE: same Call-ID and From
 * tag, CSeq + 1, new branch (22.2). The first 2xx creates the dialog; its
 * ACK is kept and resent for every retransmitted 2xx (13.2.2.4). CANCEL
 * (9.1) only after a provisional response. */
#include "phone/ua_int.h"

#include <stdio.h>
#include <string.h>

void
sl_ua_call_start(struct sl_phone *ph)
{
	const struct sl_phone_opts *o = ph->o;
	struct sl_phone_call *c = &ph->call;
	struct sl_msg_local me;
	char from[SL_MSG_URI_MAX], to[SL_MSG_URI_MAX + 2];
	osip_message_t *m = NULL;

	c->outgoing = true;
	c->peer = o->first_hop;
	sl_ua_me(ph, &c->peer.ip, &me);
	c->local_ip = sl_ua_local_ip(ph, &c->peer.ip);
	c->npt = sl_media_offer_pts(o->law, c->pts);
	c->sdp_id = sl_ids_below(&ph->ids, 1u << 30) + 1u;
	c->sdp_ver = c->sdp_id;
	if (sl_ua_build_sdp(ph, c->pts, c->npt, SL_SIPSDP_SENDRECV) != SL_OK) {
		sl_ua_fail(ph, "cannot build the SDP offer");
		return;
	}
	snprintf(from, sizeof(from), "<sip:%s@%s>", o->user ? o->user : "anonymous",
	    o->domain);
	snprintf(to, sizeof(to), "<%s>", o->ruri);
	struct sl_msg_req q = {
		.method = "INVITE",
		.ruri = o->ruri,
		.from = { from, NULL },
		.to = { to, NULL },
		.cseq = 1,
		.via_host = me.host,
		.via_port = me.port,
		.max_forwards = 70,
		.contact = me.contact,
		.user_agent = ph->ua,
		.expires = -1,
		.content_type = "application/sdp",
		.body = c->sdp.p,
		.body_len = c->sdp.len,
	};
	enum sl_err e = sl_msg_request(&q, &ph->ids, &m);
	if (e == SL_OK)
		e = sl_msg_add_header(m, "Allow", SL_PHONE_ALLOW);
	if (e) {
		sl_msg_free(m);
		sl_ua_fail(ph, "cannot build INVITE: %s", sl_strerror(e));
		return;
	}
	sl_log(&ph->log, SL_LOG_INFO, NULL, "calling %s", o->ruri);
	if (sl_ua_send_request(ph, m, &c->peer, SL_REQ_INVITE, &c->invite_ct) == SL_OK)
		c->state = SL_PHONE_CALL_OUT_TRYING;
}

void
sl_ua_cancel(struct sl_phone *ph)
{
	struct sl_phone_call *c = &ph->call;
	osip_message_t *m = NULL;

	c->cancel_wanted = true;
	/* RFC 3261 9.1: not before a provisional response */
	if (c->cancel_sent || c->state != SL_PHONE_CALL_OUT_EARLY || c->invite_ct == NULL)
		return;
	if (sl_msg_cancel(sl_txn_request(c->invite_ct), &m) != SL_OK ||
	    sl_msg_add_header(m, "User-Agent", ph->ua) != SL_OK) {
		sl_msg_free(m);
		sl_log(&ph->log, SL_LOG_WARN, NULL, "cannot build CANCEL");
		return;
	}
	c->cancel_sent = true;
	sl_log(&ph->log, SL_LOG_INFO, NULL, "cancelling the call");
	sl_txn_client(ph->txn, m, &c->peer, &ph->tags[SL_REQ_CANCEL], &c->cancel_ct);
}

static void
answered(struct sl_phone *ph, struct sl_sip_txn *ct, osip_message_t *resp)
{
	struct sl_phone_call *c = &ph->call;
	struct sl_msg_local me;
	struct sl_endpoint hop;
	struct sl_sipsdp_info info;
	struct sl_str body;
	char ctype[64];
	const char *why = NULL;

	if (c->has_dialog) {
		/* a retransmitted 2xx: our ACK was lost */
		if (c->ack && sl_str_eq(sl_msg_to_tag(resp), sl_str_c(c->d.remote_tag))) {
			hop = sl_ua_dialog_hop(ph);
			sl_txn_send_stateless(ph->txn, c->ack, &hop);
		}
		return;
	}
	/* the INVITE is gone after the transaction's first final response
	 * (txn.h); a 2xx repeats its From, To, Call-ID and CSeq */
	const osip_message_t *inv = sl_txn_request(ct);
	if (sl_dialog_from_uac(&c->d, inv ? inv : resp, resp) != SL_OK) {
		sl_ua_fail(ph, "call failed: unusable 200 OK (no To tag or Contact)");
		sl_ua_call_end(ph);
		return;
	}
	c->has_dialog = true;
	c->state = SL_PHONE_CALL_ACTIVE;
	hop = sl_ua_dialog_hop(ph);
	sl_ua_me(ph, &hop.ip, &me);
	if (sl_dialog_ack(&c->d, &me, &ph->ids, &c->ack) != SL_OK) {
		sl_ua_fail(ph, "cannot build ACK");
		sl_ua_hangup(ph);
		return;
	}
	sl_txn_send_stateless(ph->txn, c->ack, &hop);
	if (!sl_msg_body(resp, &body, ctype, sizeof(ctype)) ||
	    strcmp(ctype, "application/sdp") != 0) {
		why = "200 OK without an SDP answer";
	} else if (sl_sipsdp_parse(body.p, body.n, &info) != SL_OK) {
		why = "unparsable SDP answer";
	} else {
		sl_media_plan_answer(&info, c->pts, c->npt, &c->plan, &why);
	}
	if (why) {
		sl_ua_fail(ph, "call failed: %s", why);
		sl_ua_hangup(ph);
		return;
	}
	sl_log(&ph->log, SL_LOG_INFO, NULL, "call answered");
	sl_ua_media_start(ph);
	if (ph->finishing || c->cancel_wanted)
		sl_ua_hangup(ph);
}

void
sl_ua_invite_response(struct sl_phone *ph, struct sl_sip_txn *ct, osip_message_t *resp)
{
	struct sl_phone_call *c = &ph->call;
	int code = sl_msg_status(resp);
	char st[128], errbuf[SL_ERRBUF_SIZE];
	osip_message_t *m = NULL;

	/* only the current INVITE counts (an older challenged one is done) */
	if (ct != c->invite_ct || c->state == SL_PHONE_CALL_IDLE)
		return;
	if (code < 200) {
		if (c->state == SL_PHONE_CALL_OUT_TRYING)
			c->state = SL_PHONE_CALL_OUT_EARLY;
		if ((code == 180 || code == 183) && !c->ringing_logged) {
			c->ringing_logged = true;
			sl_log(&ph->log, SL_LOG_INFO, NULL, "ringing");
		}
		if (c->cancel_wanted)
			sl_ua_cancel(ph);
		return;
	}
	if (code < 300) {
		answered(ph, ct, resp);
		return;
	}
	/* after a failure (timeout, signal) the call is not pursued */
	if (!ph->finishing && !c->cancel_wanted &&
	    sl_ua_may_answer_challenge(ph, resp, &c->challenges)) {
		uint32_t cseq;
		struct sl_str method;
		sl_msg_cseq(sl_txn_request(ct), &cseq, &method);
		if (sl_phone_auth_resend(&ph->auth, sl_txn_request(ct), resp, cseq + 1,
		    ph->o->user, ph->o->password, &ph->ids, &m, errbuf) != SL_OK) {
			sl_ua_fail(ph, "call failed: %s", errbuf);
			sl_ua_call_end(ph);
			return;
		}
		sl_log(&ph->log, SL_LOG_DEBUG, NULL, "INVITE challenged (%d): sending credentials",
		    code);
		c->state = SL_PHONE_CALL_OUT_TRYING;
		c->cancel_sent = false;
		if (sl_ua_send_request(ph, m, &c->peer, SL_REQ_INVITE, &c->invite_ct) != SL_OK)
			sl_ua_call_end(ph);
		return;
	}
	sl_ua_fail(ph, "call failed: %s", sl_ua_status_text(resp, st, sizeof(st)));
	sl_ua_call_end(ph);
}
