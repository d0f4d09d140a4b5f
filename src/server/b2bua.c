/* b2bua.c: call setup (the caller's INVITE becomes one INVITE per
 * target), responses of the B legs and the timers of a pending call. See
 * b2bua.h for the behaviour, call.h for the objects. */
#include "server/b2bua.h"

#include <osipparser2/osip_port.h>
#include <stdio.h>
#include <string.h>

#include "server/call.h"
#include "server/route.h"
#include "server/uri.h"
#include "sip/sdp.h"
#include "sip/uri.h"

#define MAX_FORWARDS_CAP 20	/* Yate's maxforwards default (YATE.md 4) */
#define COMPLETED_ELSEWHERE "SIP;cause=200;text=\"Call completed elsewhere\""

/* ----- SDP ----- */

/* The SDP body of m; *other set when m has a body of another type. */
static bool
sdp_body(const osip_message_t *m, struct sl_str *body, bool *other)
{
	char ct[64];

	*other = false;
	if (!sl_msg_body(m, body, ct, sizeof(ct)) || body->n == 0)
		return false;
	if (osip_strcasecmp(ct, "application/sdp") != 0) {
		*other = true;
		return false;
	}
	return true;
}

/* body rewritten to the relay's side (c=, o=, m=audio port) into out */
static enum sl_err
rewrite(const struct sl_b2b_call *c, enum sl_relay_side side, struct sl_str body,
    struct sl_buf *out)
{
	sl_buf_reset(out);
	return sl_sipsdp_rewrite(body.p, body.n, sl_relay_addr(c->relay, side),
	    sl_relay_port(c->relay, side), out);
}

/* The caller sent no offer (RFC 3264 late offer): B gets ours; the
 * caller's answer arrives in its ACK. */
static enum sl_err
own_offer(struct sl_srv *s, const struct sl_b2b_call *c, struct sl_buf *out)
{
	static const uint8_t pts[] = { SL_SIPSDP_PCMU, SL_SIPSDP_PCMA };
	uint64_t id = sl_ids_u64(&s->ids) >> 12;
	struct sl_sipsdp_spec sp = {
		.user = "sipladder", .sess_id = id, .sess_ver = id,
		.session_name = "sipladder", .addr = *sl_relay_addr(c->relay, SL_RELAY_B),
		.port = sl_relay_port(c->relay, SL_RELAY_B), .pts = pts, .npt = 2,
		.te_pt = 101, .ptime_ms = 20, .dir = SL_SIPSDP_SENDRECV,
	};

	sl_buf_reset(out);
	return sl_sipsdp_build(&sp, out);
}

/* ----- helpers ----- */

static bool
copy_str(char *dst, size_t n, struct sl_str v)
{
	if (v.n >= n || (v.n && memchr(v.p, '\0', v.n)))
		return false;
	if (v.n)
		memcpy(dst, v.p, v.n);
	dst[v.n] = '\0';
	return true;
}

/* a display name we may put between quotes */
static bool
display_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 64)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p >= 0x7f || *p == '"' || *p == '\\')
			return false;
	return true;
}

static int
fail_rank(int code)
{
	return code >= 600 ? 0 : code >= 400 && code < 500 ? 1 : code >= 500 ? 2 : 3;
}

/* What the caller is told when the callee refused (b2bua.h) */
static int
map_for_a(int code)
{
	if (code < 400)
		return 480;
	if (code == 401 || code == 407)
		return 403;
	return code;
}

/* An A-leg response built on the caller's INVITE: our tag and Contact,
 * optionally the SDP in body (kept as the leg's last SDP). */
static void
answer_a(struct sl_b2b_call *c, int status, const struct sl_buf *body)
{
	struct sl_srv *s = c->b->s;
	osip_message_t *r = NULL;

	if (c->a.inv == NULL ||
	    sl_msg_response(sl_txn_request(c->a.inv), status, NULL, c->a.local_tag, &r) ||
	    sl_msg_set_contact(r, c->a.me.contact) ||
	    (body && body->len && sl_msg_set_body(r, "application/sdp", body->p, body->len))) {
		sl_msg_free(r);
		sl_log(s->cfg.log, SL_LOG_WARN, &c->a.peer, "call %llu: cannot build %d",
		    (unsigned long long)c->id, status);
		return;
	}
	if (body && body->len) {
		sl_buf_reset(&c->a.sdp);
		sl_buf_add(&c->a.sdp, body->p, body->len);
	}
	sl_srv_send_resp(s, c->a.inv, r, NULL);
}

/* ----- the caller's INVITE ----- */

struct setup {
	int mf;				/* Max-Forwards of the B legs */
	const char *caller;		/* From user of the B legs */
	char display[72];		/* From display name, "" for none */
	struct sl_buf sdp;		/* offer for the B legs */
};

static bool
start_b(struct sl_b2b_call *c, struct sl_b2b_leg *l, const struct sl_srv_target *t,
    const struct setup *su)
{
	struct sl_srv *s = c->b->s;
	char from[SL_MSG_URI_MAX + 96];
	osip_message_t *m = NULL;

	snprintf(l->uri, sizeof(l->uri), "%s", t->uri);
	snprintf(l->user, sizeof(l->user), "%s", t->user);
	l->peer = t->dst;
	sl_srv_me(s, &t->dst, su->caller, &l->me);
	sl_ids_callid(&s->ids, l->me.host, l->call_id);
	sl_ids_tag(&s->ids, l->local_tag);
	snprintf(from, sizeof(from), su->display[0] ? "\"%s\" <sip:%s@%s>" : "%s<sip:%s@%s>",
	    su->display, su->caller, l->me.uri_host);
	struct sl_msg_req r = {
		.method = "INVITE", .ruri = l->uri,
		.from = { from, l->local_tag }, .to = { l->uri, NULL },
		.call_id = l->call_id, .cseq = 1,
		.via_host = l->me.host, .via_port = s->cfg.port,
		.max_forwards = su->mf, .contact = l->me.contact,
		.user_agent = s->user_agent, .expires = -1,
		.content_type = "application/sdp", .body = su->sdp.p, .body_len = su->sdp.len,
	};
	if (sl_msg_request(&r, &s->ids, &m) != SL_OK)
		return false;
	if (sl_buf_add(&l->sdp, su->sdp.p, su->sdp.len) != SL_OK) {
		sl_msg_free(m);
		return false;
	}
	sl_b2b_call_index(c, l);
	return sl_txn_client(s->txn, m, &l->peer, l, &l->inv) == SL_OK;
}

static void
on_noanswer(struct sl_loop *loop, uint64_t id, void *arg)
{
	struct sl_b2b_call *c = arg;

	(void)loop;
	(void)id;
	c->t_noanswer = 0;
	sl_b2b_call_fail(c, c->ringing ? 480 : 408, "no answer (--no-answer)");
	sl_b2b_call_maybe_free(c);
}

/* The A leg: identity, tags, transaction, relay. False: c is failed. */
static bool
setup_a(struct sl_srv *s, struct sl_b2b_call *c, struct sl_sip_txn *st, const osip_message_t *req,
    const struct sl_endpoint *from, const struct sl_srv_route_out *ro)
{
	char dialled[SL_ROUTE_VALUE_MAX], errbuf[SL_ERRBUF_SIZE];
	struct sl_b2b_leg *a = &c->a;

	a->inv = st;
	sl_txn_set_user(st, a);
	a->peer = *from;
	sl_ids_tag(&s->ids, a->local_tag);
	if (!sl_msg_call_id(req, a->call_id) ||
	    !copy_str(a->remote_tag, sizeof(a->remote_tag), sl_msg_from_tag(req))) {
		sl_b2b_call_fail(c, 400, "Call-ID or From tag unusable");
		return false;
	}
	copy_str(dialled, sizeof(dialled), sl_msg_ruri_user(req));
	sl_srv_me(s, from, sl_srv_token_ok(dialled, 64) ? dialled : NULL, &a->me);
	sl_b2b_call_index(c, a);

	struct sl_srv_me towards_b;
	sl_srv_me(s, &ro->t[0].dst, NULL, &towards_b);
	struct sl_ip adv[2] = { a->me.ip, towards_b.ip };
	enum sl_err e;
	c->relay = sl_relay_new(&s->relay, &s->cfg.bind_ip, adv, &e, errbuf);
	if (c->relay == NULL) {
		sl_log(s->cfg.log, SL_LOG_WARN, from, "call %llu: RTP relay: %s",
		    (unsigned long long)c->id, errbuf);
		sl_b2b_call_fail(c, 503, "no RTP relay ports");
		return false;
	}
	return true;
}

static void
setup_b(struct sl_srv *s, struct sl_b2b_call *c, const osip_message_t *req,
    const struct sl_srv_route_out *ro, int mf, struct sl_str offer)
{
	struct setup su = { .mf = mf };
	size_t started = 0;

	su.caller = sl_srv_token_ok(ro->caller, 64) ? ro->caller : "anonymous";
	if (display_ok(ro->callername)) {
		snprintf(su.display, sizeof(su.display), "%.64s", ro->callername);
	} else {
		/* Yate's callername: the caller's display name, unquoted */
		struct sl_str d = sl_msg_from_display(req);
		if (d.n >= 2 && d.p[0] == '"' && d.p[d.n - 1] == '"')
			d = sl_str_make(d.p + 1, d.n - 2);
		if (!copy_str(su.display, sizeof(su.display), d) || !display_ok(su.display))
			su.display[0] = '\0';
	}
	sl_buf_init(&su.sdp, SL_MSG_MAX_LEN);
	enum sl_err e = c->late_offer ? own_offer(s, c, &su.sdp) :
	    rewrite(c, SL_RELAY_B, offer, &su.sdp);
	for (size_t i = 0; e == SL_OK && i < c->nb; i++) {
		struct sl_b2b_leg *l = &c->bl[i];
		if (start_b(c, l, &ro->t[i], &su)) {
			started++;
			continue;
		}
		l->final = true;
		l->status = 503;
		sl_log(s->cfg.log, SL_LOG_WARN, &l->peer, "call %llu: cannot send INVITE to %s",
		    (unsigned long long)c->id, l->uri);
	}
	sl_buf_free(&su.sdp);
	if (started == 0) {
		sl_b2b_call_fail(c, 503, "no leg to the callee could be started");
		return;
	}
	c->t_noanswer = sl_loop_timer_add(s->cfg.loop,
	    (uint64_t)s->cfg.opts->no_answer_s * 1000u, on_noanswer, c);
	s->st.calls++;
	sl_log(s->cfg.log, SL_LOG_INFO, &c->a.peer, "call %llu: %s -> %s: INVITE %s%s",
	    (unsigned long long)c->id, c->caller, c->called, c->bl[0].uri,
	    c->nb > 1 ? " (forked)" : "");
}

/* Reject before any call exists (once, sl_srv_refuse); 401 carries a
 * challenge. */
static void
reject(struct sl_srv *s, struct sl_sip_txn *st, const osip_message_t *req, int code,
    bool stale, const char *why)
{
	char tag[SL_IDS_TAG_LEN], dom[SL_MSG_URI_MAX];
	osip_message_t *r = NULL;

	if (code != 401) {
		sl_srv_refuse(s, st, code, NULL, why);
		return;
	}
	if (sl_srv_auth_401(&s->auth, req, sl_srv_now_s(s), stale, sl_srv_domain(req, dom),
	    sl_srv_tag(s, tag), &r) == SL_OK)
		sl_srv_refuse_resp(s, st, r, why);
}

void
sl_b2b_invite(struct sl_srv *s, struct sl_sip_txn *st, osip_message_t *req,
    const struct sl_endpoint *from)
{
	struct sl_b2b *b = s->b2b;
	char contact[SL_MSG_URI_MAX], called[SL_ROUTE_VALUE_MAX], caller[SL_ROUTE_VALUE_MAX];
	bool star, other;
	uint32_t cexp;
	struct sl_str offer;
	struct sl_sipsdp_info info;

	if (sl_b2b_call_find_a(b, req)) {
		sl_srv_refuse(s, st, 482, NULL, "merged request (RFC 3261 8.2.2.2)");
		return;
	}
	/* Yate: antiloop = min(Max-Forwards, 20) - 1, <= 0 is "looping" */
	int mf = sl_msg_max_forwards(req);
	if (mf < 0)
		mf = 70;
	mf = (mf < MAX_FORWARDS_CAP ? mf : MAX_FORWARDS_CAP) - 1;
	if (mf <= 0) {
		sl_srv_refuse(s, st, 483, NULL, "Max-Forwards exhausted");
		return;
	}
	if (!sl_msg_contact(req, contact, &star, &cexp) || star) {
		sl_srv_refuse(s, st, 400, "Missing Contact", "INVITE without Contact");
		return;
	}
	struct sl_endpoint target;
	const char *bad = sl_sip_uri_dst(contact, &target) ? sl_srv_unroutable(s, &target) :
	    NULL;
	if (bad) {
		sl_srv_refuse(s, st, 400, "Unroutable Contact", bad);
		return;
	}
	bool has_sdp = sdp_body(req, &offer, &other);
	if (other) {
		sl_srv_refuse(s, st, 415, NULL, "body is not application/sdp");
		return;
	}
	if (has_sdp && (sl_sipsdp_parse(offer.p, offer.n, &info) != SL_OK || !info.has_audio)) {
		sl_srv_refuse(s, st, 488, NULL, "SDP without an audio stream");
		return;
	}
	if (!copy_str(called, sizeof(called), sl_msg_ruri_user(req)) ||
	    !copy_str(caller, sizeof(caller), sl_msg_from_user(req))) {
		sl_srv_refuse(s, st, 400, NULL, "Request-URI or From user too long");
		return;
	}

	struct sl_auth_result ar;
	sl_srv_auth_check(&s->auth, req, sl_srv_now_s(s), &ar);
	if (ar.v == SL_AUTH_BAD_URI) {
		sl_srv_refuse(s, st, 400, "Digest uri does not match Request-URI", ar.why);
		return;
	}
	/* Kamailio's auth_check with the identity check: credentials of u1
	 * do not let a call go out as u2 */
	if (ar.v == SL_AUTH_OK && strcmp(ar.user, caller) != 0) {
		char why[SL_REGFILE_MAX_NAME + 64];
		snprintf(why, sizeof(why), "From user is not the authenticated user %s", ar.user);
		sl_srv_refuse(s, st, 403, NULL, why);
		return;
	}
	struct sl_route_msg rm = { .called = called, .caller = caller,
		.username = ar.v == SL_AUTH_OK ? ar.user : NULL };
	struct sl_srv_route_out ro;
	sl_srv_route(s->cfg.rr, s->cfg.rf, &s->reg, sl_srv_now_ms(s), &rm, &ro);
	if (ro.code != 0) {
		char why[160];
		snprintf(why, sizeof(why), "%.80s%s%.60s", ro.error, ro.code == 401 ? ", " : "",
		    ro.code == 401 ? ar.why : "");
		reject(s, st, req, ro.code, ar.v == SL_AUTH_STALE, why);
		return;
	}
	if (b->n >= s->cfg.opts->max_calls) {
		sl_log(s->cfg.log, SL_LOG_WARN, from, "call limit (%u) reached",
		    s->cfg.opts->max_calls);
		sl_srv_refuse(s, st, 503, NULL, "too many calls");
		return;
	}
	struct sl_b2b_call *c = sl_b2b_call_new(b, ro.n);
	if (c == NULL) {
		sl_srv_refuse(s, st, 503, NULL, "out of memory");
		return;
	}
	snprintf(c->caller, sizeof(c->caller), "%s", caller);
	snprintf(c->called, sizeof(c->called), "%s", called);
	if (ar.v == SL_AUTH_OK)
		snprintf(c->auth_user, sizeof(c->auth_user), "%s", ar.user);
	c->late_offer = !has_sdp;
	c->a.ack_sdp = !has_sdp;	/* RFC 3264: the answer comes in the ACK */
	if (setup_a(s, c, st, req, from, &ro)) {
		if (has_sdp)
			sl_b2b_call_learn(c, &c->a, offer);
		setup_b(s, c, req, &ro, mf, offer);
	}
	sl_b2b_call_maybe_free(c);
}

/* ----- responses on B legs ----- */

static void
b_provisional(struct sl_b2b_call *c, struct sl_b2b_leg *l, const osip_message_t *resp, int code)
{
	struct sl_str body;
	bool other, has_sdp;

	l->provisional = true;
	if (l->cancel_wanted) {
		sl_b2b_call_cancel_now(c, l);
		return;
	}
	if (code == 100 || c->state != SL_B2B_CALLING)
		return;
	has_sdp = sdp_body(resp, &body, &other);
	if (!has_sdp && code == c->last_prov)
		return;	/* the caller heard this one already (forks ring too) */
	c->last_prov = code;
	c->ringing = true;
	if (!has_sdp) {
		answer_a(c, code, NULL);
		return;
	}
	/* early media (183 with SDP) goes through the relay as well */
	struct sl_buf sdp;
	sl_buf_init(&sdp, SL_MSG_MAX_LEN);
	sl_b2b_call_learn(c, l, body);
	if (rewrite(c, SL_RELAY_A, body, &sdp) == SL_OK)
		answer_a(c, code, &sdp);
	sl_buf_free(&sdp);
}

/* RFC 3261 13.2.2.4: every 2xx is ACKed, retransmissions with the same ACK */
static bool
ack_2xx(struct sl_srv *s, struct sl_b2b_leg *l)
{
	osip_message_t *ack = NULL;

	sl_buf_reset(&l->ack);
	if (sl_dialog_ack(&l->dlg, &l->me.l, &s->ids, &ack) != SL_OK ||
	    sl_msg_serialize(ack, &l->ack) != SL_OK) {
		sl_msg_free(ack);
		sl_buf_init(&l->ack, SL_MSG_MAX_LEN);
		return false;
	}
	sl_msg_free(ack);
	l->ack_dst = sl_b2b_call_leg_dst(l);
	s->cfg.send(s->cfg.io_arg, &l->ack_dst, l->ack.p, l->ack.len);
	return true;
}

static void
b_answer(struct sl_b2b_call *c, struct sl_b2b_leg *l, struct sl_sip_txn *ct,
    const osip_message_t *resp)
{
	struct sl_srv *s = c->b->s;
	struct sl_str body;
	bool other;

	if (l->has_dlg) {
		if (l->ack.len)
			s->cfg.send(s->cfg.io_arg, &l->ack_dst, l->ack.p, l->ack.len);
		return;
	}
	/* the INVITE is gone when an earlier 2xx of this transaction was
	 * unusable (txn.h); a 2xx repeats its From, To, Call-ID and CSeq */
	const osip_message_t *inv = sl_txn_request(ct);
	if (sl_dialog_from_uac(&l->dlg, inv ? inv : resp, resp) != SL_OK) {
		sl_log(s->cfg.log, SL_LOG_WARN, &l->peer,
		    "call %llu: 2xx without usable To tag or Contact", (unsigned long long)c->id);
		sl_b2b_leg_failed(l, 502);
		return;
	}
	l->has_dlg = true;
	l->final = true;
	l->status = sl_msg_status(resp);
	sl_loop_timer_cancel(s->cfg.loop, l->t_settle);
	l->t_settle = 0;
	snprintf(l->remote_tag, sizeof(l->remote_tag), "%s", l->dlg.remote_tag);
	ack_2xx(s, l);
	if (c->state != SL_B2B_CALLING) {
		/* lost the race against a CANCEL, the no-answer timer or
		 * another fork: this dialog is not wanted */
		sl_b2b_call_bye(c, l, c->winner ? COMPLETED_ELSEWHERE : "SIP;text=\"Cancelled\"");
		sl_b2b_call_maybe_free(c);
		return;
	}
	c->winner = l;
	c->state = SL_B2B_ANSWERED;
	sl_b2b_call_arm_timers(c);
	sl_loop_timer_cancel(s->cfg.loop, c->t_noanswer);
	c->t_noanswer = 0;

	struct sl_buf sdp;
	sl_buf_init(&sdp, SL_MSG_MAX_LEN);
	if (sdp_body(resp, &body, &other)) {
		sl_b2b_call_learn(c, l, body);
		if (rewrite(c, SL_RELAY_A, body, &sdp) != SL_OK)
			sl_buf_init(&sdp, SL_MSG_MAX_LEN);
	} else {
		sl_log(s->cfg.log, SL_LOG_WARN, &l->peer, "call %llu: 2xx without SDP",
		    (unsigned long long)c->id);
	}
	/* the dialog first: the 200 ends the INVITE's life (txn.h) */
	const osip_message_t *a_req = c->a.inv ? sl_txn_request(c->a.inv) : NULL;
	bool a_dlg = a_req && sl_dialog_from_uas(&c->a.dlg, a_req, c->a.local_tag) == SL_OK;
	answer_a(c, 200, &sdp);
	sl_buf_free(&sdp);
	if (a_dlg)
		c->a.has_dlg = true;
	for (size_t i = 0; i < c->nb; i++)
		if (&c->bl[i] != l)
			sl_b2b_call_cancel_leg(c, &c->bl[i], COMPLETED_ELSEWHERE);
	s->st.answered++;
	sl_log(s->cfg.log, SL_LOG_INFO, &l->peer, "call %llu: %s -> %s answered",
	    (unsigned long long)c->id, c->caller, c->called);
}

void
sl_b2b_leg_failed(struct sl_b2b_leg *l, int status)
{
	struct sl_b2b_call *c = l->call;

	if (l->final)
		return;
	l->final = true;
	l->status = status;
	sl_loop_timer_cancel(c->b->s->cfg.loop, l->t_settle);
	l->t_settle = 0;
	if (c->state == SL_B2B_CALLING) {
		if (c->fail_status == 0 || fail_rank(status) < fail_rank(c->fail_status))
			c->fail_status = status;
		size_t pending = 0;
		for (size_t i = 0; i < c->nb; i++)
			pending += !c->bl[i].final;
		if (pending == 0) {
			char why[64];
			snprintf(why, sizeof(why), "callee answered %d", c->fail_status);
			sl_b2b_call_fail(c, map_for_a(c->fail_status), why);
		}
	}
	sl_b2b_call_maybe_free(c);
}

/* ----- 2xx nobody is waiting for ----- */

/* A 2xx for an INVITE whose call is gone: ACK it and hang up (RFC 3261
 * 13.2.2.4, 15). Only for a 2xx that matched one of our INVITE client
 * transactions, which the layer accepts only from where that INVITE went
 * (txn.h), so the branch (from the CSPRNG) proves the dialog is ours and
 * a forged response cannot make us ACK and BYE anyone. */
static void
orphan_2xx(struct sl_srv *s, const osip_message_t *resp, const struct sl_endpoint *from)
{
	char cid[SL_MSG_CALLID_MAX];
	struct sl_srv_me me;
	struct sl_dialog d;
	osip_message_t *m = NULL;

	sl_srv_me(s, from, NULL, &me);
	if (!sl_msg_call_id(resp, cid))
		return;
	char *at = strchr(cid, '@');
	if (at == NULL || at == cid || strspn(cid, "0123456789") != (size_t)(at - cid) ||
	    strcmp(at + 1, me.host) != 0)
		return;
	/* a 2xx carries the INVITE's From, To, Call-ID and CSeq */
	if (sl_dialog_from_uac(&d, resp, resp) != SL_OK)
		return;
	if (sl_dialog_ack(&d, &me.l, &s->ids, &m) == SL_OK)
		sl_txn_send_stateless(s->txn, m, from);
	sl_msg_free(m);
	m = NULL;
	if (sl_dialog_request(&d, "BYE", &me.l, &s->ids, &m) == SL_OK &&
	    sl_msg_add_header(m, "Reason", "SIP;text=\"Call is gone\"") == SL_OK) {
		sl_txn_client(s->txn, m, from, NULL, NULL);
		m = NULL;
	}
	sl_msg_free(m);
	sl_log(s->cfg.log, SL_LOG_INFO, from, "2xx for a call that is gone: ACK and BYE");
}

void
sl_b2b_response(struct sl_srv *s, struct sl_sip_txn *ct, osip_message_t *resp,
    const struct sl_endpoint *from)
{
	struct sl_b2b_leg *l = sl_txn_user(ct);
	int code = sl_msg_status(resp);

	if (!sl_str_eq(sl_msg_method(resp), SL_STR("INVITE")))
		return;	/* our BYE and CANCEL: their outcome changes nothing */
	if (l == NULL) {
		if (code >= 200 && code < 300)
			orphan_2xx(s, resp, from);
		return;
	}
	if (code < 200)
		b_provisional(l->call, l, resp, code);
	else if (code < 300)
		b_answer(l->call, l, ct, resp);
	else
		sl_b2b_leg_failed(l, code);
}

void
sl_b2b_stray(struct sl_srv *s, osip_message_t *resp, const struct sl_endpoint *from)
{
	int code = sl_msg_status(resp);

	if (!sl_str_eq(sl_msg_method(resp), SL_STR("INVITE")) || code < 200 || code >= 300) {
		sl_log(s->cfg.log, SL_LOG_DEBUG, from, "response %d matches no transaction",
		    code);
		sl_srv_charge(s, from);
		return;
	}
	/* a 2xx retransmission after our transaction ended: the ACK again,
	 * but only to the callee that answered, and only when it is the one
	 * asking; everything else that claims to answer our INVITEs gets
	 * nothing (a forged 200 used to draw an ACK and eleven BYEs) */
	struct sl_b2b_leg *l = sl_b2b_call_find_b(s->b2b, resp);
	if (l && l->ack.len && sl_b2b_call_from_peer(l, from)) {
		s->cfg.send(s->cfg.io_arg, &l->ack_dst, l->ack.p, l->ack.len);
		return;
	}
	if (sl_rl_may_log(&s->rl, &from->ip, sl_srv_now_ms(s)))
		sl_log(s->cfg.log, SL_LOG_INFO, from, "2xx that matches none of our INVITEs: "
		    "ignored");
	sl_srv_charge(s, from);
}

/* ----- transaction ends ----- */

void
sl_b2b_timeout(struct sl_srv *s, struct sl_sip_txn *t)
{
	struct sl_b2b_leg *l = sl_txn_user(t);

	(void)s;
	if (l == NULL)
		return;
	if (!l->is_a) {
		/* Timer P (txn.h), the status is the callee's last 1xx: it
		 * may still be ringing, so stop it (RFC 3261 16.8) while the
		 * INVITE is readable. A leg cancelled already is left alone
		 * by sl_b2b_call_cancel_leg. Timer B: nobody answers at all. */
		int st = sl_txn_status(t);
		if (st >= 100 && st < 200)
			sl_b2b_call_cancel_leg(l->call, l, NULL);
		sl_b2b_leg_failed(l, 408);
		return;
	}
	/* Timer L: the caller never ACKed our 200 (RFC 3261 13.3.1.4) */
	int st = sl_txn_status(t);
	if (st >= 200 && st < 300 && l->call->state == SL_B2B_ANSWERED)
		sl_b2b_call_hangup(l->call, NULL, "SIP;cause=408;text=\"ACK timeout\"");
}

void
sl_b2b_gone(struct sl_srv *s, struct sl_sip_txn *t)
{
	struct sl_b2b_leg *l = sl_txn_user(t);

	(void)s;
	if (l == NULL || l->inv != t)
		return;
	l->inv = NULL;
	sl_b2b_call_maybe_free(l->call);
}
