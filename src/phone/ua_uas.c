/* ua_uas.c: requests the phone receives. First sl_ua_admit screens each
 * one before the transaction layer (README.md, Security): a version other
 * than SIP/2.0 gets 505; a request for our call from anyone but the
 * call's peer, or (with --server) any other request from anyone but the
 * server, gets 403; an INVITE we cannot take gets its refusal. Those
 * answers are stateless: one datagram per datagram received, nothing
 * retransmitted towards a source that may be spoofed, no state to fill.
 *
 * Then, in transactions: a new INVITE on an answering, idle phone: 100
 * (transaction layer), 180 Ringing, 200 OK with the SDP answer after
 * --ring-delay (or --reject's final); RTP starts with the ACK. CANCEL
 * before the 200: 200 for the CANCEL, 487 for the INVITE (RFC 3261 9.2).
 * OPTIONS: 200 with Allow/Accept (11.2). In-dialog requests go to
 * ua_dialog.c; anything else gets 405 with Allow (8.2.1). */
#include "phone/ua_int.h"

#include <stdio.h>
#include <string.h>

static void
on_ring_timer(struct sl_loop *l, uint64_t id, void *arg)
{
	struct sl_phone *ph = arg;
	struct sl_phone_call *c = &ph->call;

	(void)l;
	(void)id;
	c->ring_timer = 0;
	if (c->state != SL_PHONE_CALL_IN_RINGING || c->invite_st == NULL)
		return;
	uint8_t pt = (uint8_t)c->plan.law;
	if (sl_ua_build_sdp(ph, &pt, 1, c->plan.our_dir) != SL_OK ||
	    sl_ua_respond(ph, c->invite_st, 200, c->local_tag, true, &c->sdp) != SL_OK) {
		sl_ua_call_fail(ph, "cannot answer the call");
		sl_ua_call_end(ph);
		return;
	}
	/* media waits for the ACK (sl_ua_ack) */
	c->state = SL_PHONE_CALL_ACTIVE;
	sl_log(&ph->log, SL_LOG_INFO, NULL, "call answered");
}

/* ----- screening (before the transaction layer) ----- */

/* RFC 3261 7.1: the version is compared case-insensitively; libosip2
 * keeps whatever the start line said */
static bool
version_ok(const osip_message_t *m)
{
	return m->sip_version != NULL &&
	    sl_str_ieq(sl_str_c(m->sip_version), SL_STR("SIP/2.0"));
}

/* m names our call: its Call-ID and the peer's tag, and our tag if it
 * has one (an INVITE retransmission or a CANCEL has none yet) */
static bool
for_our_call(const struct sl_phone *ph, const osip_message_t *m)
{
	const struct sl_phone_call *c = &ph->call;
	char cid[SL_MSG_CALLID_MAX];
	struct sl_str to_tag = sl_msg_to_tag(m);

	return c->has_dialog && sl_msg_call_id(m, cid) && strcmp(cid, c->d.call_id) == 0 &&
	    sl_str_eq(sl_msg_from_tag(m), sl_str_c(c->d.remote_tag)) &&
	    (to_tag.n == 0 || sl_str_eq(to_tag, sl_str_c(c->d.local_tag)));
}

static bool
source_allowed(const struct sl_phone *ph, const struct sl_endpoint *from)
{
	const struct sl_phone_opts *o = ph->o;

	return !o->has_server || o->allow_direct || sl_ep_eq(from, &o->server);
}

/* The one answer of a screened request (none to an ACK). A refusal is
 * not a call (README.md, Security): it is counted apart, never ends the
 * run; a retransmission of the last refused request (same source,
 * Call-ID, From tag, CSeq) is answered again but not counted or logged
 * again at warn level. */
static void
refuse_stateless(struct sl_phone *ph, const osip_message_t *m,
    const struct sl_endpoint *from, int code, const char *why)
{
	char ep[SL_EP_STRLEN], cid[SL_MSG_CALLID_MAX], key[sizeof(ph->refused)];
	struct sl_str method = sl_msg_method(m), cmethod, ftag = sl_msg_from_tag(m);
	int mn = (int)(method.n > 32 ? 32 : method.n);
	uint32_t cseq = 0;

	sl_ep_str(from, ep, sizeof(ep));
	/* RFC 3261 17: an ACK is never answered */
	if (sl_msg_is(m, "ACK")) {
		sl_log(&ph->log, SL_LOG_WARN, NULL, "dropped ACK from %s: %s", ep, why);
		return;
	}
	if (!sl_msg_call_id(m, cid))
		cid[0] = '\0';
	if (!sl_msg_cseq(m, &cseq, &cmethod))
		cmethod = (struct sl_str){ 0 };
	snprintf(key, sizeof(key), "%s %s %.*s %u %.*s", ep, cid,
	    (int)(ftag.n > 64 ? 64 : ftag.n), ftag.p ? ftag.p : "", cseq,
	    (int)(cmethod.n > 32 ? 32 : cmethod.n), cmethod.p ? cmethod.p : "");
	bool again = strcmp(key, ph->refused) == 0;
	if (!again) {
		snprintf(ph->refused, sizeof(ph->refused), "%s", key);
		ph->calls_refused++;
	}
	sl_log(&ph->log, again ? SL_LOG_DEBUG : SL_LOG_WARN, NULL,
	    "refused %.*s from %s with %d %s: %s%s", mn, method.p ? method.p : "", ep, code,
	    sl_msg_reason_phrase(code), why, again ? " (retransmission)" : "");
	sl_ua_respond_stateless(ph, m, from, code);
}

/* What is wrong with the offer of an INVITE from `from` that we could
 * take (0: nothing), with the plan it gives; *why points to a static
 * text or to buf[n]. */
static int
offer_problem(struct sl_phone *ph, const osip_message_t *req,
    const struct sl_endpoint *from, struct sl_media_plan *plan /* OUT */,
    const char **why /* OUT */, char *buf, size_t n)
{
	struct sl_sipsdp_info info;
	struct sl_dialog probe;
	struct sl_str body;
	char ctype[64];

	*why = NULL;
	if (!sl_msg_body(req, &body, ctype, sizeof(ctype)) ||
	    strcmp(ctype, "application/sdp") != 0) {
		*why = "no SDP offer (offerless INVITE not supported)";
		return 488;
	}
	if (sl_sipsdp_parse(body.p, body.n, &info) != SL_OK) {
		*why = "unparsable SDP offer";
		return 488;
	}
	if (sl_dialog_from_uas(&probe, req, "probe") != SL_OK) {
		*why = "no usable Contact, From tag or Call-ID";
		return 400;
	}
	if (sl_media_plan_offer(&info, ph->o->law, plan, why) != SL_OK)
		return 488;
	if (!sl_ua_media_aim_ok(ph, from, plan, buf, n)) {
		*why = buf;
		return 488;
	}
	return 0;
}

/* A new INVITE: false when refused here (a refusal, not a call). */
static bool
screen_invite(struct sl_phone *ph, const osip_message_t *req,
    const struct sl_endpoint *from)
{
	const struct sl_phone_opts *o = ph->o;
	struct sl_media_plan plan;
	const char *why;
	char buf[SL_ERRBUF_SIZE];

	if (o->cmd != SL_PHONE_ANSWER || ph->phase != SL_PH_MAIN || ph->finishing) {
		refuse_stateless(ph, req, from, ph->call.state == SL_PHONE_CALL_IDLE ? 480 : 486,
		    "not taking calls");
		return false;
	}
	if (ph->call.state != SL_PHONE_CALL_IDLE) {
		refuse_stateless(ph, req, from, 486, "already in a call");
		return false;
	}
	int code = offer_problem(ph, req, from, &plan, &why, buf, sizeof(buf));
	if (code == 0)
		return true;
	refuse_stateless(ph, req, from, code, why);
	return false;
}

bool
sl_ua_admit(struct sl_phone *ph, const osip_message_t *m, const struct sl_endpoint *from)
{
	char ep[SL_EP_STRLEN];

	if (!sl_msg_is_request(m)) {
		/* not an answer to anything we sent */
		if (version_ok(m))
			return true;
		sl_log(&ph->log, SL_LOG_WARN, NULL, "dropped a response from %s: not SIP/2.0",
		    sl_ep_str(from, ep, sizeof(ep)));
		return false;
	}
	/* 8.2 / 21.5.6: nothing else is read from a request we cannot
	 * interpret */
	if (!version_ok(m)) {
		refuse_stateless(ph, m, from, 505, "not SIP/2.0");
		return false;
	}
	/* CANCEL, BYE, re-INVITE, INFO, ACK... of our call: only its peer
	 * may move or end it */
	if (for_our_call(ph, m)) {
		if (sl_ua_from_peer(ph, from))
			return true;
		refuse_stateless(ph, m, from, 403, "not the call's peer");
		return false;
	}
	if (!source_allowed(ph, from)) {
		refuse_stateless(ph, m, from, 403, "not the server (--allow-direct not given)");
		return false;
	}
	if (!sl_msg_is(m, "INVITE"))
		return true;
	if (sl_msg_to_tag(m).n > 0) {
		/* 12.2.2: a re-INVITE for a dialog we do not have */
		refuse_stateless(ph, m, from, 481, "no such dialog");
		return false;
	}
	return screen_invite(ph, m, from);
}

/* ----- in transactions ----- */

static void
new_invite(struct sl_phone *ph, struct sl_sip_txn *st, osip_message_t *req,
    const struct sl_endpoint *from)
{
	const struct sl_phone_opts *o = ph->o;
	struct sl_phone_call *c = &ph->call;
	char errbuf[SL_ERRBUF_SIZE], caller[SL_MSG_URI_MAX];
	const char *why = NULL;

	/* sl_ua_admit screened it unless it named our call: the peer's new
	 * INVITE (new CSeq, no To tag) within it */
	if (c->state != SL_PHONE_CALL_IDLE) {
		sl_ua_respond(ph, st, 486, NULL, false, NULL);
		return;
	}
	if (offer_problem(ph, req, from, &c->plan, &why, errbuf, sizeof(errbuf)) != 0) {
		sl_ua_respond(ph, st, 500, NULL, false, NULL);
		return;
	}
	c->outgoing = false;
	c->peer = *from;
	c->invite_st = st;
	sl_ids_tag(&ph->ids, c->local_tag);
	if (sl_dialog_from_uas(&c->d, req, c->local_tag) != SL_OK) {
		sl_ua_respond(ph, st, 500, NULL, false, NULL);
		memset(&c->d, 0, sizeof(c->d));
		c->invite_st = NULL;
		return;
	}
	c->has_dialog = true;
	c->state = SL_PHONE_CALL_IN_RINGING;
	struct sl_str from_user = sl_msg_from_user(req);
	snprintf(caller, sizeof(caller), "%.*s", (int)(from_user.n > 64 ? 64 : from_user.n),
	    from_user.p ? from_user.p : "");
	sl_log(&ph->log, SL_LOG_INFO, NULL, "incoming call from %s",
	    caller[0] ? caller : "anonymous");
	if (o->reject) {
		sl_ua_respond(ph, st, o->reject, c->local_tag, false, NULL);
		sl_log(&ph->log, SL_LOG_INFO, NULL, "rejected with %d %s", o->reject,
		    sl_msg_reason_phrase(o->reject));
		sl_ua_call_end(ph);
		return;
	}
	if (sl_media_open(&ph->media, errbuf) != SL_OK) {
		sl_ua_respond(ph, st, 500, c->local_tag, false, NULL);
		sl_ua_call_fail(ph, "rtp: %s", errbuf);
		sl_ua_call_end(ph);
		return;
	}
	c->local_ip = sl_ua_local_ip(ph, &from->ip);
	c->sdp_id = sl_ids_below(&ph->ids, 1u << 30) + 1u;
	c->sdp_ver = c->sdp_id;
	sl_ua_respond(ph, st, 180, c->local_tag, true, NULL);
	sl_log(&ph->log, SL_LOG_INFO, NULL, "ringing");
	c->ring_timer = sl_loop_timer_add(ph->loop, o->ring_delay_ms, on_ring_timer, ph);
}

static void
cancel(struct sl_phone *ph, struct sl_sip_txn *st, osip_message_t *req,
    const struct sl_endpoint *from)
{
	struct sl_phone_call *c = &ph->call;
	struct sl_sip_txn *target = sl_txn_cancel_target(ph->txn, req, from);

	if (target == NULL) {
		sl_ua_respond(ph, st, 481, NULL, false, NULL);
		return;
	}
	/* RFC 3261 9.2: the CANCEL is answered 200 whatever the INVITE's
	 * state; the INVITE gets 487 only while it is still unanswered */
	sl_ua_respond(ph, st, 200, c->local_tag[0] ? c->local_tag : NULL, false, NULL);
	if (target != c->invite_st || c->state != SL_PHONE_CALL_IN_RINGING)
		return;
	sl_ua_respond(ph, target, 487, c->local_tag, false, NULL);
	sl_ua_call_fail(ph, "call cancelled by the caller");
	sl_ua_call_end(ph);
}

static void
options(struct sl_phone *ph, struct sl_sip_txn *st)
{
	osip_message_t *r = NULL;
	char tag[SL_IDS_TAG_LEN];

	if (sl_msg_response(sl_txn_request(st), 200, NULL, sl_ids_tag(&ph->ids, tag), &r)
	    != SL_OK || sl_msg_add_header(r, "User-Agent", ph->ua) != SL_OK ||
	    sl_msg_add_header(r, "Allow", SL_PHONE_ALLOW) != SL_OK ||
	    sl_msg_add_header(r, "Accept", "application/sdp") != SL_OK) {
		sl_msg_free(r);
		return;
	}
	sl_txn_respond(ph->txn, st, r);
}

void
sl_ua_request(struct sl_phone *ph, struct sl_sip_txn *st, osip_message_t *req,
    const struct sl_endpoint *from)
{
	if (sl_msg_is(req, "INVITE")) {
		if (sl_msg_to_tag(req).n > 0) {
			if (ph->call.has_dialog && sl_dialog_matches(&ph->call.d, req))
				sl_ua_reinvite(ph, st, req);
			else
				sl_ua_respond(ph, st, 481, NULL, false, NULL);
		} else {
			new_invite(ph, st, req, from);
		}
	} else if (sl_msg_is(req, "BYE")) {
		sl_ua_bye_received(ph, st, req);
	} else if (sl_msg_is(req, "CANCEL")) {
		cancel(ph, st, req, from);
	} else if (sl_msg_is(req, "OPTIONS")) {
		options(ph, st);
	} else {
		sl_ua_respond(ph, st, 405, NULL, false, NULL);
	}
}
