/* ua_dialog.c: the established call, whichever side placed it: media
 * start/stop, BYE sent (with digest on 401/407, as the seed's server
 * demands) and received, re-INVITE answered with our unchanged SDP
 * (README.md: the session is kept, the peer's new address adopted), ACK,
 * and teardown. In-dialog requests go to the server when the call came
 * through it (it is our outbound proxy), else to the remote target. */
#include "phone/ua_int.h"

#include <stdio.h>
#include <string.h>

struct sl_endpoint
sl_ua_dialog_hop(struct sl_phone *ph)
{
	struct sl_endpoint ep;

	/* a call taken with --allow-direct never went through the server,
	 * which would answer its requests with 481 */
	if (ph->o->has_server && sl_ep_eq(&ph->call.peer, &ph->o->server))
		return ph->o->server;
	if (ph->call.has_dialog && sl_uri_endpoint(ph->call.d.remote_target, &ep) &&
	    ep.ip.family == ph->sip.local.ip.family)
		return ep;
	return ph->call.peer;
}

bool
sl_ua_from_peer(const struct sl_phone *ph, const struct sl_endpoint *from)
{
	const struct sl_phone_call *c = &ph->call;
	struct sl_endpoint target;

	if (sl_ep_eq(from, &c->peer))
		return true;
	/* a peer behind no proxy sends its in-dialog requests from its
	 * Contact, which it gave us in the INVITE or the 2xx */
	return c->has_dialog && sl_uri_endpoint(c->d.remote_target, &target) &&
	    sl_ep_eq(from, &target);
}

bool
sl_ua_media_aim_ok(const struct sl_phone *ph, const struct sl_endpoint *src,
    const struct sl_media_plan *plan, char *why, size_t n)
{
	char a[SL_IP_STRLEN], b[SL_IP_STRLEN];

	/* the server's relay, or a UA behind it, may put any address there */
	if (ph->o->has_server && sl_ep_eq(src, &ph->o->server))
		return true;
	/* without ICE/consent (RFC 7675) the only address a direct caller
	 * showed to be its own is the one its request came from; c=0.0.0.0
	 * is hold: nothing is sent */
	if (sl_ip_is_any(&plan->peer.ip) || sl_ip_eq(&plan->peer.ip, &src->ip))
		return true;
	snprintf(why, n, "SDP c= %s is not the caller's address %s (a direct call "
	    "sends media only to the address its INVITE came from)",
	    sl_ip_str(&plan->peer.ip, a, sizeof(a)), sl_ip_str(&src->ip, b, sizeof(b)));
	return false;
}

enum sl_err
sl_ua_build_sdp(struct sl_phone *ph, const uint8_t *pts, size_t n, enum sl_sipsdp_dir dir)
{
	struct sl_phone_call *c = &ph->call;

	sl_buf_reset(&c->sdp);
	enum sl_err e = sl_media_sdp(&c->local_ip, sl_media_port(&ph->media), pts, n, dir,
	    c->sdp_id, c->sdp_ver, &c->sdp);
	if (e)
		sl_buf_init(&c->sdp, 4096);	/* freed on failure: usable again */
	return e;
}

static void
on_hangup_timer(struct sl_loop *l, uint64_t id, void *arg)
{
	struct sl_phone *ph = arg;

	(void)l;
	(void)id;
	ph->call.hangup_timer = 0;
	sl_ua_hangup(ph);
}

void
sl_ua_media_start(struct sl_phone *ph)
{
	struct sl_phone_call *c = &ph->call;
	char ep[SL_EP_STRLEN];

	sl_media_start(&ph->media, &c->local_ip, &c->plan, sl_ids_u64(&ph->ids));
	c->media_on = true;
	sl_log(&ph->log, SL_LOG_DEBUG, NULL, "rtp: %s%s%s %s, peer %s",
	    c->plan.send ? "send" : "", c->plan.send && c->plan.recv ? "+" : "",
	    c->plan.recv ? "recv" : "", sl_sipsdp_codec_name((int)c->plan.law),
	    sl_ep_str(&c->plan.peer, ep, sizeof(ep)));
	if (ph->o->has_duration && !ph->finishing)
		c->hangup_timer = sl_loop_timer_add(ph->loop, ph->o->duration_ms,
		    on_hangup_timer, ph);
}

void
sl_ua_call_end(struct sl_phone *ph)
{
	struct sl_phone_call *c = &ph->call;

	sl_media_stop(&ph->media, ph->o->linger_ms);
	sl_loop_timer_cancel(ph->loop, c->ring_timer);
	sl_loop_timer_cancel(ph->loop, c->hangup_timer);
	sl_msg_free(c->ack);
	if (c->outgoing) {
		ph->call_finished = true;
	} else {
		ph->calls_done++;
		if (c->failed)
			ph->calls_failed++;
	}
	/* the transactions finish on their own; we only forget them */
	struct sl_buf sdp = c->sdp;
	sl_buf_reset(&sdp);
	memset(c, 0, sizeof(*c));
	c->sdp = sdp;
}

/* ----- BYE ----- */

static osip_message_t *
build_bye(struct sl_phone *ph)
{
	struct sl_phone_call *c = &ph->call;
	struct sl_endpoint hop = sl_ua_dialog_hop(ph);
	struct sl_msg_local me;
	osip_message_t *m = NULL;

	sl_ua_me(ph, &hop.ip, &me);
	if (sl_dialog_request(&c->d, "BYE", &me, &ph->ids, &m) != SL_OK ||
	    sl_msg_add_header(m, "Reason", "SIP;text=\"User hangup\"") != SL_OK) {
		sl_msg_free(m);
		return NULL;
	}
	return m;
}

void
sl_ua_hangup(struct sl_phone *ph)
{
	struct sl_phone_call *c = &ph->call;

	if (c->state != SL_PHONE_CALL_ACTIVE || !c->has_dialog)
		return;
	sl_loop_timer_cancel(ph->loop, c->hangup_timer);
	c->hangup_timer = 0;
	/* stop sending first: the seed's phone went quiet with its BYE */
	sl_media_stop(&ph->media, ph->o->linger_ms);
	osip_message_t *m = build_bye(ph);
	if (m == NULL) {
		sl_ua_call_fail(ph, "cannot build BYE");
		sl_ua_call_end(ph);
		return;
	}
	struct sl_endpoint hop = sl_ua_dialog_hop(ph);
	sl_log(&ph->log, SL_LOG_DEBUG, NULL, "hanging up");
	if (sl_ua_send_request(ph, m, &hop, SL_REQ_BYE, &c->bye_ct) != SL_OK) {
		sl_ua_call_end(ph);
		return;
	}
	c->state = SL_PHONE_CALL_BYE_SENT;
}

void
sl_ua_bye_response(struct sl_phone *ph, osip_message_t *resp)
{
	struct sl_phone_call *c = &ph->call;
	int code = sl_msg_status(resp);
	char st[128], errbuf[SL_ERRBUF_SIZE];

	if (code < 200)
		return;
	c->bye_ct = NULL;
	if (sl_ua_may_answer_challenge(ph, resp, &c->bye_challenges)) {
		/* 12.2.1.1: a new BYE in the dialog, CSeq + 1, with credentials */
		osip_message_t *m = build_bye(ph);
		if (m == NULL || sl_phone_auth_add(&ph->auth, m, resp, ph->o->user,
		    ph->o->password, &ph->ids, errbuf) != SL_OK) {
			sl_msg_free(m);
			sl_ua_call_fail(ph, "hangup failed: %s", m ? errbuf : "cannot build BYE");
			sl_ua_call_end(ph);
			return;
		}
		struct sl_endpoint hop = sl_ua_dialog_hop(ph);
		if (sl_ua_send_request(ph, m, &hop, SL_REQ_BYE, &c->bye_ct) != SL_OK)
			sl_ua_call_end(ph);
		return;
	}
	if (code < 300)
		sl_log(&ph->log, SL_LOG_INFO, NULL, "hung up");
	else
		sl_ua_call_fail(ph, "hangup failed: %s", sl_ua_status_text(resp, st,
		    sizeof(st)));
	sl_ua_call_end(ph);
}

void
sl_ua_bye_received(struct sl_phone *ph, struct sl_sip_txn *st, osip_message_t *req)
{
	struct sl_phone_call *c = &ph->call;

	if (!c->has_dialog || !sl_dialog_matches(&c->d, req) ||
	    (c->state != SL_PHONE_CALL_ACTIVE && c->state != SL_PHONE_CALL_BYE_SENT)) {
		sl_ua_respond(ph, st, 481, NULL, false, NULL);
		return;
	}
	sl_ua_respond(ph, st, 200, c->local_tag, false, NULL);
	sl_log(&ph->log, SL_LOG_INFO, NULL, "peer hung up");
	sl_ua_call_end(ph);
}

/* ----- re-INVITE and ACK ----- */

/* Our SDP for the current plan; the version moves only if it changed
 * (RFC 3264 8: an unchanged session keeps its o= version). */
static enum sl_err
refresh_sdp(struct sl_phone *ph, enum sl_sipsdp_dir dir)
{
	struct sl_phone_call *c = &ph->call;
	uint8_t pt = (uint8_t)c->plan.law;
	struct sl_buf old;

	sl_buf_init(&old, 4096);
	enum sl_err e = sl_buf_add(&old, c->sdp.p, c->sdp.len);
	if (e == SL_OK)
		e = sl_ua_build_sdp(ph, &pt, 1, dir);
	if (e == SL_OK && (old.len != c->sdp.len || memcmp(old.p, c->sdp.p, old.len) != 0)) {
		c->sdp_ver++;
		e = sl_ua_build_sdp(ph, &pt, 1, dir);
	}
	sl_buf_free(&old);
	return e;
}

void
sl_ua_reinvite(struct sl_phone *ph, struct sl_sip_txn *st, osip_message_t *req)
{
	struct sl_phone_call *c = &ph->call;
	struct sl_sipsdp_info info;
	struct sl_media_plan plan;
	struct sl_str body;
	char ctype[64], buf[SL_ERRBUF_SIZE];
	const char *why = NULL;

	if (c->state != SL_PHONE_CALL_ACTIVE) {
		sl_ua_respond(ph, st, 491, c->local_tag, false, NULL);
		return;
	}
	if (!sl_msg_body(req, &body, ctype, sizeof(ctype))) {
		/* offer in our 200, answer in the ACK (RFC 3264 4) */
		c->plan.our_dir = SL_SIPSDP_SENDRECV;
		c->await_ack_sdp = true;
	} else if (strcmp(ctype, "application/sdp") != 0 ||
	    sl_sipsdp_parse(body.p, body.n, &info) != SL_OK) {
		why = "unparsable SDP offer";
	} else if (sl_media_plan_offer(&info, c->plan.law, &plan, &why) == SL_OK) {
		/* a direct caller cannot move our media elsewhere either */
		if (c->outgoing || sl_ua_media_aim_ok(ph, &c->peer, &plan, buf, sizeof(buf))) {
			c->plan = plan;
			sl_media_update(&ph->media, &c->plan);
		} else {
			why = buf;
		}
	}
	if (why) {
		/* RFC 3261 14.2: a refused re-INVITE leaves the session as it was */
		sl_log(&ph->log, SL_LOG_WARN, NULL, "re-INVITE refused: %s", why);
		sl_ua_respond(ph, st, 488, c->local_tag, false, NULL);
		return;
	}
	if (refresh_sdp(ph, c->plan.our_dir) != SL_OK) {
		sl_ua_respond(ph, st, 500, c->local_tag, false, NULL);
		return;
	}
	sl_ua_respond(ph, st, 200, c->local_tag, true, &c->sdp);
	sl_log(&ph->log, SL_LOG_INFO, NULL, "re-INVITE accepted");
}

void
sl_ua_ack(struct sl_phone *ph, osip_message_t *ack)
{
	struct sl_phone_call *c = &ph->call;
	struct sl_sipsdp_info info;
	struct sl_media_plan plan;
	struct sl_str body;
	char ctype[64], buf[SL_ERRBUF_SIZE];
	const char *why = NULL;
	uint8_t pt = (uint8_t)c->plan.law;

	if (!c->has_dialog || !sl_dialog_matches(&c->d, ack))
		return;
	sl_log(&ph->log, SL_LOG_DEBUG, NULL, "ACK received");
	/* RFC 3261 13.3.1.4: the ACK confirms the dialog, and it is the first
	 * sign that the caller gets what we send: RTP to the offer's address
	 * before it would let anyone who can send one INVITE aim our media
	 * at a third party */
	if (!c->outgoing && c->state == SL_PHONE_CALL_ACTIVE && !c->media_on)
		sl_ua_media_start(ph);
	if (!c->await_ack_sdp)
		return;
	c->await_ack_sdp = false;
	if (sl_msg_body(ack, &body, ctype, sizeof(ctype)) &&
	    strcmp(ctype, "application/sdp") == 0 &&
	    sl_sipsdp_parse(body.p, body.n, &info) == SL_OK &&
	    sl_media_plan_answer(&info, &pt, 1, &plan, &why) == SL_OK) {
		if (!c->outgoing && !sl_ua_media_aim_ok(ph, &c->peer, &plan, buf, sizeof(buf))) {
			sl_log(&ph->log, SL_LOG_WARN, NULL, "ACK's SDP answer refused: %s; "
			    "media unchanged", buf);
			return;
		}
		c->plan = plan;
		sl_media_update(&ph->media, &c->plan);
	} else {
		sl_log(&ph->log, SL_LOG_WARN, NULL, "ACK without a usable SDP answer: "
		    "media unchanged");
	}
}

/* ----- failure cleanup ----- */

void
sl_ua_call_abort(struct sl_phone *ph)
{
	struct sl_phone_call *c = &ph->call;

	switch (c->state) {
	case SL_PHONE_CALL_OUT_TRYING:
	case SL_PHONE_CALL_OUT_EARLY:
		sl_ua_cancel(ph);
		break;
	case SL_PHONE_CALL_IN_RINGING:
		if (c->invite_st)
			sl_ua_respond(ph, c->invite_st, 480, c->local_tag, false, NULL);
		sl_ua_call_end(ph);
		break;
	case SL_PHONE_CALL_ACTIVE:
		sl_ua_hangup(ph);
		break;
	case SL_PHONE_CALL_BYE_SENT:
	case SL_PHONE_CALL_IDLE:
		break;
	}
}
