/* ua_io.c: what connects the phone to the network and the transaction
 * layer: its own address towards a peer, sending (traced), receiving
 * (traced, parsed; ICMP errors traced too), building responses, and the
 * transaction-layer callbacks that route events to ua_reg.c, ua_uac.c,
 * ua_uas.c and ua_dialog.c. */
#include "phone/ua_int.h"

#include <stdio.h>
#include <string.h>

/* ----- addresses ----- */

struct sl_ip
sl_ua_local_ip(struct sl_phone *ph, const struct sl_ip *peer)
{
	char errbuf[SL_ERRBUF_SIZE];

	if (!sl_ip_is_any(&ph->o->bind.ip))
		return ph->o->bind.ip;
	if (ph->route_known && sl_ip_eq(&ph->route_for, peer))
		return ph->route_src;
	if (sl_route_source(peer, &ph->route_src, errbuf) != SL_OK) {
		sl_log(&ph->log, SL_LOG_WARN, NULL, "%s", errbuf);
		return ph->o->bind.ip;
	}
	ph->route_for = *peer;
	ph->route_known = true;
	return ph->route_src;
}

void
sl_ua_me(struct sl_phone *ph, const struct sl_ip *peer, struct sl_msg_local *me)
{
	struct sl_ip ip = sl_ua_local_ip(ph, peer);
	char h[SL_URI_HOST_LEN];

	sl_ip_str(&ip, ph->host, sizeof(ph->host));
	snprintf(ph->contact, sizeof(ph->contact), "<sip:%s@%s:%u>",
	    ph->o->user ? ph->o->user : "anonymous", sl_uri_host(&ip, h),
	    ph->sip.local.port);
	me->host = ph->host;
	me->port = ph->sip.local.port;
	me->contact = ph->contact;
	me->user_agent = ph->ua;
}

/* ----- transport ----- */

static enum sl_err
tu_send(void *arg, const struct sl_endpoint *to, const void *p, size_t n)
{
	struct sl_phone *ph = arg;
	char errbuf[SL_ERRBUF_SIZE], ep[SL_EP_STRLEN];
	struct sl_endpoint me = ph->sip.local;

	me.ip = sl_ua_local_ip(ph, &to->ip);
	enum sl_err e = sl_udp_send(&ph->sip, to, p, n, errbuf);
	if (e) {
		sl_log(&ph->log, SL_LOG_WARN, NULL, "%s", errbuf);
		return e;
	}
	sl_trace_udp(ph->trace, &me, to, p, n);
	if (sl_log_on(&ph->log, SL_LOG_DEBUG)) {
		const char *s = p, *eol = memchr(s, '\r', n);
		sl_log(&ph->log, SL_LOG_DEBUG, NULL, "-> %s %.*s", sl_ep_str(to, ep, sizeof(ep)),
		    (int)(eol ? (size_t)(eol - s) : (n > 80 ? 80 : n)), s);
	}
	return SL_OK;
}

static void
drain_icmp(struct sl_phone *ph)
{
	struct sl_endpoint dst, me = ph->sip.local;
	struct sl_ip offender;
	uint8_t type, code;
	size_t n;
	char ep[SL_EP_STRLEN];

	for (int i = 0; i < 64; i++) {
		if (sl_udp_recv_icmp(&ph->sip, ph->rxbuf, sizeof(ph->rxbuf), &n, &dst,
		    &offender, &type, &code) != SL_UDP_RX_DATA)
			return;
		me.ip = sl_ua_local_ip(ph, &dst.ip);
		sl_trace_icmp(ph->trace, &offender, &me, &dst, type, code, ph->rxbuf, n);
		sl_log(&ph->log, SL_LOG_DEBUG, NULL, "ICMP type %u code %u for SIP to %s",
		    type, code, sl_ep_str(&dst, ep, sizeof(ep)));
	}
}

static void
take(struct sl_phone *ph, size_t n, const struct sl_endpoint *from)
{
	char errbuf[SL_ERRBUF_SIZE], ep[SL_EP_STRLEN];
	struct sl_endpoint me = ph->sip.local;
	osip_message_t *m = NULL;

	me.ip = sl_ua_local_ip(ph, &from->ip);
	sl_trace_udp(ph->trace, from, &me, ph->rxbuf, n);
	if (sl_msg_parse(ph->rxbuf, n, &m, errbuf) != SL_OK) {
		/* keepalives (CRLF) are normal; anything else is worth a line */
		bool noise = n <= 4 && (ph->rxbuf[0] == '\r' || ph->rxbuf[0] == '\n');
		sl_log(&ph->log, noise ? SL_LOG_DEBUG : SL_LOG_WARN, NULL,
		    "dropped %zu bytes from %s: %s", n, sl_ep_str(from, ep, sizeof(ep)),
		    errbuf);
		return;
	}
	if (sl_log_on(&ph->log, SL_LOG_DEBUG)) {
		const char *s = (const char *)ph->rxbuf, *eol = memchr(s, '\r', n);
		sl_log(&ph->log, SL_LOG_DEBUG, NULL, "<- %s %.*s", sl_ep_str(from, ep, sizeof(ep)),
		    (int)(eol ? (size_t)(eol - s) : (n > 80 ? 80 : n)), s);
	}
	/* before the transaction layer: a refusal there would come after its
	 * 100 Trying and be retransmitted (Timer G) towards whoever the
	 * source claims to be */
	if (!sl_ua_admit(ph, m, from)) {
		sl_msg_free(m);
		return;
	}
	sl_txn_input(ph->txn, m, from);
}

void
sl_ua_on_sip(struct sl_loop *l, int fd, unsigned events, void *arg)
{
	struct sl_phone *ph = arg;
	char errbuf[SL_ERRBUF_SIZE];
	struct sl_endpoint from;
	size_t n;

	(void)l;
	(void)fd;
	if (events & SL_LOOP_ERROR)
		drain_icmp(ph);
	for (int i = 0; i < 64 && (events & SL_LOOP_READ); i++) {
		enum sl_udp_rx r = sl_udp_recv(&ph->sip, ph->rxbuf, sizeof(ph->rxbuf), &n,
		    &from, errbuf);
		if (r == SL_UDP_RX_DATA)
			take(ph, n, &from);
		else if (r != SL_UDP_RX_REFUSED)
			break;
	}
}

enum sl_err
sl_ua_send_request(struct sl_phone *ph, osip_message_t *m, const struct sl_endpoint *to,
    enum sl_req_kind kind, struct sl_sip_txn **ct)
{
	enum sl_err e = sl_txn_client(ph->txn, m, to, &ph->tags[kind], ct);

	if (e)
		sl_ua_fail(ph, "cannot send %s: %s", kind == SL_REQ_REGISTER ? "REGISTER" :
		    kind == SL_REQ_INVITE ? "INVITE" : kind == SL_REQ_BYE ? "BYE" : "CANCEL",
		    sl_strerror(e));
	return e;
}

enum sl_err
sl_ua_respond(struct sl_phone *ph, struct sl_sip_txn *st, int code, const char *tag,
    bool contact, const struct sl_buf *sdp)
{
	char fresh[SL_IDS_TAG_LEN];
	osip_message_t *req = sl_txn_request(st), *r = NULL;

	if (req == NULL)
		return SL_EUSAGE;	/* st has its final response (txn.h) */
	enum sl_err e = sl_msg_response(req, code, NULL, tag ? tag : sl_ids_tag(&ph->ids,
	    fresh), &r);

	if (e == SL_OK)
		e = sl_msg_add_header(r, "User-Agent", ph->ua);
	bool invite_or_options = sl_msg_is(req, "INVITE") || sl_msg_is(req, "OPTIONS");
	if (e == SL_OK && ((code >= 200 && code < 300 && invite_or_options) || code == 405))
		e = sl_msg_add_header(r, "Allow", SL_PHONE_ALLOW);
	if (e == SL_OK && contact) {
		struct sl_msg_local me;
		sl_ua_me(ph, &sl_txn_peer(st)->ip, &me);
		e = sl_msg_set_contact(r, me.contact);
	}
	if (e == SL_OK && sdp && sdp->len)
		e = sl_msg_set_body(r, "application/sdp", sdp->p, sdp->len);
	if (e) {
		sl_msg_free(r);
		sl_log(&ph->log, SL_LOG_WARN, NULL, "cannot build %d response: %s", code,
		    sl_strerror(e));
		return e;
	}
	return sl_txn_respond(ph->txn, st, r);
}

void
sl_ua_respond_stateless(struct sl_phone *ph, const osip_message_t *req,
    const struct sl_endpoint *to, int code)
{
	char tag[SL_IDS_TAG_LEN];
	osip_message_t *r = NULL;

	/* the tag is only there because 8.2.6.2 wants one: no dialog follows */
	if (sl_msg_response(req, code, sl_msg_reason_phrase(code), sl_ids_tag(&ph->ids, tag),
	    &r) != SL_OK ||
	    sl_msg_add_header(r, "User-Agent", ph->ua) != SL_OK) {
		sl_msg_free(r);
		sl_log(&ph->log, SL_LOG_WARN, NULL, "cannot build %d response", code);
		return;
	}
	sl_txn_send_stateless(ph->txn, r, to);
	sl_msg_free(r);
}

const char *
sl_ua_status_text(const osip_message_t *resp, char *out, size_t n)
{
	struct sl_str reason = sl_msg_reason(resp);

	if (reason.n > 80)
		reason.n = 80;
	snprintf(out, n, "%d %.*s", sl_msg_status(resp), SL_PRI(reason));
	return out;
}

bool
sl_ua_may_answer_challenge(struct sl_phone *ph, const osip_message_t *resp, int *count)
{
	/* a second challenge means wrong credentials, unless the server only
	 * found our nonce too old (stale=true) */
	if (ph->o->user == NULL || !sl_phone_auth_is_challenge(resp))
		return false;
	if (*count >= SL_PHONE_MAX_CHALLENGES || (*count > 0 && !sl_phone_auth_is_stale(resp)))
		return false;
	(*count)++;
	return true;
}

/* ----- transaction-layer callbacks ----- */

static void
tu_request(void *arg, struct sl_sip_txn *st, osip_message_t *req,
    const struct sl_endpoint *from)
{
	sl_ua_request(arg, st, req, from);
}

static void
tu_ack(void *arg, struct sl_sip_txn *invite_st, osip_message_t *ack,
    const struct sl_endpoint *from)
{
	(void)invite_st;
	/* sl_ua_admit already dropped ACKs for our call from anyone but its peer */
	(void)from;
	sl_ua_ack(arg, ack);
}

static void
tu_response(void *arg, struct sl_sip_txn *ct, osip_message_t *resp,
    const struct sl_endpoint *from)
{
	struct sl_phone *ph = arg;
	const struct sl_req_tag *tag = sl_txn_user(ct);

	(void)from;
	switch (tag->kind) {
	case SL_REQ_REGISTER:
		if (ct == ph->reg.ct)
			sl_ua_reg_response(ph, ct, resp);
		break;
	case SL_REQ_INVITE:
		sl_ua_invite_response(ph, ct, resp);
		break;
	case SL_REQ_BYE:
		if (ct == ph->call.bye_ct)
			sl_ua_bye_response(ph, resp);
		break;
	case SL_REQ_CANCEL:
	case SL_REQ_KINDS:
		break;
	}
}

static void
tu_timeout(void *arg, struct sl_sip_txn *t)
{
	struct sl_phone *ph = arg;
	char ep[SL_EP_STRLEN];

	sl_ep_str(sl_txn_peer(t), ep, sizeof(ep));
	if (t == ph->reg.ct) {
		ph->reg.ct = NULL;
		sl_ua_reg_timeout(ph);
	} else if (t == ph->call.invite_ct) {
		int st = sl_txn_status(t);
		if (st >= 100 && st < 200) {
			/* Timer P (txn.h): the callee may still be ringing;
			 * CANCEL (RFC 3261 16.8) while t is readable */
			sl_ua_cancel(ph);
			sl_ua_fail(ph, "call failed: no final response to INVITE from %s "
			    "(last %d)", ep, st);
		} else {
			sl_ua_fail(ph, "call failed: no response to INVITE from %s", ep);
		}
		ph->call.invite_ct = NULL;
		sl_ua_call_end(ph);
	} else if (t == ph->call.bye_ct) {
		ph->call.bye_ct = NULL;
		sl_ua_call_fail(ph, "hangup failed: no response to BYE from %s", ep);
		sl_ua_call_end(ph);
	} else if (t == ph->call.invite_st && ph->call.state == SL_PHONE_CALL_ACTIVE) {
		/* no ACK for our 2xx: no RTP went out (media waits for the
		 * ACK) and the call ends. RFC 3261 13.3.1.4 ends it with a
		 * BYE, which we send to our server; a direct caller never
		 * showed it receives what we send, and a BYE retransmitted to
		 * the Contact of its INVITE would aim datagrams wherever that
		 * INVITE said */
		sl_ua_call_fail(ph, "call failed: no ACK for 200 OK from %s", ep);
		ph->call.invite_st = NULL;
		if (ph->o->has_server && sl_ep_eq(&ph->call.peer, &ph->o->server))
			sl_ua_hangup(ph);
		else
			sl_ua_call_end(ph);
	}
}

static void
tu_gone(void *arg, struct sl_sip_txn *t)
{
	struct sl_phone *ph = arg;
	struct sl_sip_txn **slots[] = { &ph->reg.ct, &ph->call.invite_ct, &ph->call.cancel_ct,
		&ph->call.bye_ct, &ph->call.invite_st };

	for (size_t i = 0; i < sizeof(slots) / sizeof(slots[0]); i++)
		if (*slots[i] == t)
			*slots[i] = NULL;
}

void
sl_ua_txn_user(struct sl_txn_user *tu)
{
	*tu = (struct sl_txn_user){
		.send = tu_send,
		.request = tu_request,
		.ack = tu_ack,
		.response = tu_response,
		.timeout = tu_timeout,
		.gone = tu_gone,
	};
}
