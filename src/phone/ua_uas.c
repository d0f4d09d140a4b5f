/* ua_uas.c: requests the phone receives. A new INVITE on an answering,
 * idle phone: 100 (transaction layer), 180 Ringing, 200 OK with the SDP
 * answer after --ring-delay (or --reject's final). CANCEL before the 200:
 * 200 for the CANCEL, 487 for the INVITE (RFC 3261 9.2). OPTIONS: 200
 * with Allow/Accept (11.2). In-dialog requests go to ua_dialog.c;
 * anything else gets 405 with Allow (8.2.1). */
#include "ua_int.h"

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
	if (c->state != SL_CALL_IN_RINGING || c->invite_st == NULL)
		return;
	uint8_t pt = (uint8_t)c->plan.law;
	if (sl_ua_build_sdp(ph, &pt, 1, c->plan.our_dir) != SL_OK ||
	    sl_ua_respond(ph, c->invite_st, 200, c->local_tag, true, &c->sdp) != SL_OK) {
		sl_ua_fail(ph, "cannot answer the call");
		sl_ua_call_end(ph);
		return;
	}
	c->state = SL_CALL_ACTIVE;
	sl_plog(&ph->log, SL_PLOG_INFO, "call answered");
	sl_ua_media_start(ph);
}

/* Refuse a call we will not take, before any dialog state exists. */
static void
refuse(struct sl_phone *ph, struct sl_txn *st, int code, const char *why)
{
	char ep[SL_EP_STRLEN];

	sl_plog(&ph->log, SL_PLOG_INFO, "refused call from %s with %d %s: %s",
	    sl_ep_str(sl_txn_peer(st), ep, sizeof(ep)), code, sl_msg_reason_phrase(code), why);
	sl_ua_respond(ph, st, code, NULL, false, NULL);
}

static void
new_invite(struct sl_phone *ph, struct sl_txn *st, osip_message_t *req,
    const struct sl_endpoint *from)
{
	const struct sl_phone_opts *o = ph->o;
	struct sl_phone_call *c = &ph->call;
	struct sl_sdp_info info;
	struct sl_str body;
	char ctype[64], errbuf[SL_ERRBUF_SIZE], caller[SL_MSG_URI_MAX];
	const char *why = NULL;

	if (o->cmd != SL_PHONE_ANSWER || ph->phase != SL_PH_MAIN || ph->finishing) {
		refuse(ph, st, c->state == SL_CALL_IDLE ? 480 : 486, "not taking calls");
		return;
	}
	if (c->state != SL_CALL_IDLE) {
		refuse(ph, st, 486, "already in a call");
		return;
	}
	if (!sl_msg_body(req, &body, ctype, sizeof(ctype)) ||
	    strcmp(ctype, "application/sdp") != 0) {
		refuse(ph, st, 488, "no SDP offer (offerless INVITE not supported)");
		return;
	}
	if (sl_sdp_parse(body.p, body.n, &info) != SL_OK) {
		refuse(ph, st, 488, "unparsable SDP offer");
		return;
	}
	c->outgoing = false;
	c->peer = *from;
	c->invite_st = st;
	sl_ids_tag(&ph->ids, c->local_tag);
	if (sl_dialog_from_uas(&c->d, req, c->local_tag) != SL_OK) {
		refuse(ph, st, 400, "no usable Contact, From tag or Call-ID");
		memset(&c->d, 0, sizeof(c->d));
		c->invite_st = NULL;
		return;
	}
	c->has_dialog = true;
	c->state = SL_CALL_IN_RINGING;
	struct sl_str from_user = sl_msg_from_user(req);
	snprintf(caller, sizeof(caller), "%.*s", (int)(from_user.n > 64 ? 64 : from_user.n),
	    from_user.p ? from_user.p : "");
	sl_plog(&ph->log, SL_PLOG_INFO, "incoming call from %s",
	    caller[0] ? caller : "anonymous");
	if (o->reject) {
		sl_ua_respond(ph, st, o->reject, c->local_tag, false, NULL);
		sl_plog(&ph->log, SL_PLOG_INFO, "rejected with %d %s", o->reject,
		    sl_msg_reason_phrase(o->reject));
		sl_ua_call_end(ph);
		return;
	}
	if (sl_media_plan_offer(&info, o->law, &c->plan, &why) != SL_OK) {
		sl_ua_respond(ph, st, 488, c->local_tag, false, NULL);
		sl_ua_fail(ph, "incoming call refused with 488: %s", why);
		sl_ua_call_end(ph);
		return;
	}
	if (sl_media_open(&ph->media, errbuf) != SL_OK) {
		sl_ua_respond(ph, st, 500, c->local_tag, false, NULL);
		sl_ua_fail(ph, "rtp: %s", errbuf);
		sl_ua_call_end(ph);
		return;
	}
	c->local_ip = sl_ua_local_ip(ph, &from->ip);
	c->sdp_id = sl_ids_below(&ph->ids, 1u << 30) + 1u;
	c->sdp_ver = c->sdp_id;
	sl_ua_respond(ph, st, 180, c->local_tag, true, NULL);
	sl_plog(&ph->log, SL_PLOG_INFO, "ringing");
	c->ring_timer = sl_loop_timer_add(ph->loop, o->ring_delay_ms, on_ring_timer, ph);
}

static void
cancel(struct sl_phone *ph, struct sl_txn *st, osip_message_t *req,
    const struct sl_endpoint *from)
{
	struct sl_phone_call *c = &ph->call;
	struct sl_txn *target = sl_txn_cancel_target(ph->txn, req, from);

	if (target == NULL) {
		sl_ua_respond(ph, st, 481, NULL, false, NULL);
		return;
	}
	/* RFC 3261 9.2: the CANCEL is answered 200 whatever the INVITE's
	 * state; the INVITE gets 487 only while it is still unanswered */
	sl_ua_respond(ph, st, 200, c->local_tag[0] ? c->local_tag : NULL, false, NULL);
	if (target != c->invite_st || c->state != SL_CALL_IN_RINGING)
		return;
	sl_ua_respond(ph, target, 487, c->local_tag, false, NULL);
	sl_ua_call_end(ph);
	sl_ua_fail(ph, "call cancelled by the caller");
}

static void
options(struct sl_phone *ph, struct sl_txn *st)
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
sl_ua_request(struct sl_phone *ph, struct sl_txn *st, osip_message_t *req,
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
