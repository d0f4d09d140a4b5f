/* server.c: datagram input, transaction-user dispatch and small response
 * helpers of sipladder-server (server.h). */
#include "server/server.h"

#include <osipparser2/osip_port.h>
#include <stdio.h>
#include <stdlib.h>	/* osip_free() expands to free() */
#include <string.h>

#include "server/b2bua.h"
#include "server/badreq.h"
#include "server/register.h"
#include "server/uri.h"

#define SWEEP_MS 1000

/* ----- clocks and identity ----- */

uint64_t
sl_srv_now_ms(const struct sl_srv *s)
{
	return sl_loop_now(s->cfg.loop);
}

uint64_t
sl_srv_now_s(const struct sl_srv *s)
{
	return s->cfg.nonce_base_s + (sl_srv_now_ms(s) - s->start_ms) / 1000u;
}

char *
sl_srv_tag(struct sl_srv *s, char out[SL_IDS_TAG_LEN])
{
	return sl_ids_tag(&s->ids, out);
}

void
sl_srv_me(struct sl_srv *s, const struct sl_endpoint *peer, const char *user,
    struct sl_srv_me *o)
{
	memset(o, 0, sizeof(*o));
	s->cfg.local_ip(s->cfg.io_arg, peer, &o->ip);
	sl_ip_str(&o->ip, o->host, sizeof(o->host));
	snprintf(o->uri_host, sizeof(o->uri_host),
	    o->ip.family == SL_AF_INET6 ? "[%s]" : "%s", o->host);
	if (user && user[0])
		snprintf(o->contact, sizeof(o->contact), "<sip:%s@%s:%u>", user,
		    o->uri_host, s->cfg.port);
	else
		snprintf(o->contact, sizeof(o->contact), "<sip:%s:%u>", o->uri_host,
		    s->cfg.port);
	o->l.host = o->host;
	o->l.port = s->cfg.port;
	o->l.contact = o->contact;
	o->l.user_agent = s->user_agent;
}

const char *
sl_srv_unroutable(struct sl_srv *s, const struct sl_endpoint *target)
{
	struct sl_srv_me me;

	if (!sl_ip_unicast(&target->ip))
		return "not a unicast address";
	if (target->port == 0)
		return "port 0";
	sl_srv_me(s, target, NULL, &me);
	if (target->port == s->cfg.port &&
	    (sl_ip_eq(&target->ip, &me.ip) || sl_ip_eq(&target->ip, &s->cfg.bind_ip)))
		return "this server's own SIP address";
	return NULL;
}

const char *
sl_srv_domain(const osip_message_t *m, char out[SL_MSG_URI_MAX])
{
	const char *h = m->from && m->from->url ? m->from->url->host : NULL;

	if (!sl_srv_token_ok(h, SL_MSG_URI_MAX - 1))
		return NULL;
	snprintf(out, SL_MSG_URI_MAX, "%s", h);
	return out;
}

/* ----- responses ----- */

/* "METHOD user" of st's request for the rejection log, read before the
 * final response: the transaction forgets its request then (txn.h). */
static void
describe(struct sl_sip_txn *st, char *out, size_t n)
{
	const osip_message_t *req = sl_txn_request(st);

	out[0] = '\0';
	if (req == NULL)
		return;
	struct sl_str m = sl_msg_method(req), u = sl_msg_ruri_user(req);
	if (u.n == 0)
		u = sl_msg_to_user(req);	/* REGISTER names its user in To */
	snprintf(out, n, "%.*s %.*s", SL_PRI(m), SL_PRI(u));
}

static void
send_failed(struct sl_srv *s, struct sl_sip_txn *st, int status)
{
	sl_log(s->cfg.log, SL_LOG_WARN, sl_txn_peer(st),
	    "could not send %d (transaction state %s)", status,
	    sl_txn_state_name(sl_txn_state(st)));
}

static void
log_rejection(struct sl_srv *s, const struct sl_endpoint *peer, const char *what,
    int status, const char *why)
{
	sl_log(s->cfg.log, SL_LOG_INFO, peer, "%s -> %d %s%s%s", what, status,
	    sl_msg_reason_phrase(status), why ? ": " : "", why ? why : "");
}

/* A response to st's request with our tag (to_tag NULL: a fresh one),
 * Allow on 405/501; NULL (logged) when it cannot be built. */
static osip_message_t *
build_reply(struct sl_srv *s, struct sl_sip_txn *st, int status, const char *reason,
    const char *to_tag)
{
	char tag[SL_IDS_TAG_LEN];
	osip_message_t *r = NULL;

	if (sl_txn_request(st) == NULL) {
		send_failed(s, st, status);	/* its final response went out */
		return NULL;
	}
	if (to_tag == NULL)
		to_tag = sl_srv_tag(s, tag);
	if (sl_msg_response(sl_txn_request(st), status, reason, to_tag, &r) != SL_OK) {
		sl_log(s->cfg.log, SL_LOG_WARN, sl_txn_peer(st),
		    "cannot build a %d response", status);
		return NULL;
	}
	if (status == 405 || status == 501)
		sl_msg_add_header(r, "Allow", SL_SRV_ALLOW);
	return r;
}

void
sl_srv_send_resp(struct sl_srv *s, struct sl_sip_txn *st, osip_message_t *resp,
    const char *why)
{
	int status = sl_msg_status(resp);
	char what[SL_MSG_URI_MAX];

	if (status >= 300)
		describe(st, what, sizeof(what));
	if (sl_txn_respond(s->txn, st, resp) != SL_OK) {
		send_failed(s, st, status);
		return;
	}
	if (status < 300)
		return;
	s->st.rejected++;
	log_rejection(s, sl_txn_peer(st), what, status, why);
}

void
sl_srv_reply(struct sl_srv *s, struct sl_sip_txn *st, int status, const char *reason,
    const char *to_tag, const char *why)
{
	osip_message_t *r = build_reply(s, st, status, reason, to_tag);

	if (r)
		sl_srv_send_resp(s, st, r, why);
}

/* ----- refusals: once, charged, log lines bounded per source ----- */

/* A blocked source gets no answer to anything unverified (ratelimit.h):
 * true when from is blocked, counting the drop. */
static bool
silenced(struct sl_srv *s, const struct sl_endpoint *from)
{
	uint64_t now = sl_srv_now_ms(s);

	if (!sl_rl_blocked(&s->rl, &from->ip, now))
		return false;
	sl_rl_dropped(&s->rl, &from->ip, now);
	s->st.blocked++;
	return true;
}

void
sl_srv_charge(struct sl_srv *s, const struct sl_endpoint *from)
{
	char ip[SL_IP_STRLEN];

	if (!sl_rl_charge(&s->rl, &from->ip, sl_srv_now_ms(s)))
		return;
	sl_log(s->cfg.log, SL_LOG_WARN, NULL,
	    "%s blocked for %u s: more than %u unverified requests in %u s (--rate-limit)",
	    sl_ip_str(&from->ip, ip, sizeof(ip)), s->cfg.opts->rate_block_s,
	    s->cfg.opts->rate_reqs, s->cfg.opts->rate_secs);
}

void
sl_srv_refuse_resp(struct sl_srv *s, struct sl_sip_txn *st, osip_message_t *resp,
    const char *why)
{
	int status = sl_msg_status(resp);
	char what[SL_MSG_URI_MAX];
	struct sl_endpoint peer = *sl_txn_peer(st);

	if (silenced(s, &peer)) {
		sl_msg_free(resp);
		sl_txn_discard(s->txn, st);
		return;
	}
	describe(st, what, sizeof(what));
	if (sl_txn_respond_once(s->txn, st, resp) != SL_OK) {
		send_failed(s, st, status);
		return;
	}
	s->st.rejected++;
	if (sl_rl_may_log(&s->rl, &peer.ip, sl_srv_now_ms(s)))
		log_rejection(s, &peer, what, status, why);
	sl_srv_charge(s, &peer);
}

void
sl_srv_refuse(struct sl_srv *s, struct sl_sip_txn *st, int status, const char *reason,
    const char *why)
{
	osip_message_t *r = build_reply(s, st, status, reason, NULL);

	if (r)
		sl_srv_refuse_resp(s, st, r, why);
}

static void
reply_options(struct sl_srv *s, struct sl_sip_txn *st)
{
	char tag[SL_IDS_TAG_LEN];
	osip_message_t *r = NULL;

	if (sl_msg_response(sl_txn_request(st), 200, NULL, sl_srv_tag(s, tag), &r) ||
	    sl_msg_add_header(r, "Allow", SL_SRV_ALLOW) ||
	    sl_msg_add_header(r, "Accept", "application/sdp")) {
		sl_msg_free(r);
		return;
	}
	/* from anyone: answered once, and counted like a refusal so that an
	 * OPTIONS flood is limited too (a keepalive every few seconds is far
	 * below the limit) */
	if (silenced(s, sl_txn_peer(st))) {
		sl_msg_free(r);
		sl_txn_discard(s->txn, st);
	} else if (sl_txn_respond_once(s->txn, st, r) == SL_OK) {
		sl_srv_charge(s, sl_txn_peer(st));
	}
}

/* ----- transaction user ----- */

static enum sl_err
tu_send(void *arg, const struct sl_endpoint *to, const void *p, size_t n)
{
	struct sl_srv *s = arg;

	return s->cfg.send(s->cfg.io_arg, to, p, n);
}

/* RFC 3261 8.2.2.3: an extension we do not support must be refused */
static bool
require_ok(struct sl_srv *s, struct sl_sip_txn *st, const osip_message_t *req)
{
	struct sl_str req_ext = sl_msg_header(req, "require");
	osip_message_t *r = NULL;
	char tag[SL_IDS_TAG_LEN], ext[256];

	if (req_ext.n == 0 || sl_msg_is(req, "CANCEL"))
		return true;
	snprintf(ext, sizeof(ext), "%.*s", SL_PRI(req_ext));
	if (sl_msg_response(req, 420, NULL, sl_srv_tag(s, tag), &r) == SL_OK &&
	    sl_msg_add_header(r, "Unsupported", ext) == SL_OK)
		sl_srv_refuse_resp(s, st, r, "Require not supported");
	else
		sl_msg_free(r);
	return false;
}

static void
tu_request(void *arg, struct sl_sip_txn *st, osip_message_t *req,
    const struct sl_endpoint *from)
{
	struct sl_srv *s = arg;
	bool in_dialog = sl_msg_to_tag(req).n > 0;
	const char *scheme = req->req_uri ? req->req_uri->scheme : NULL;

	if (scheme == NULL || osip_strcasecmp(scheme, "sip") != 0) {
		sl_srv_refuse(s, st, 416, NULL, "only sip: Request-URIs");
		return;
	}
	if (!require_ok(s, st, req))
		return;
	if (sl_msg_is(req, "REGISTER")) {
		sl_srv_register(s, st, req, from);
	} else if (sl_msg_is(req, "INVITE") && !in_dialog) {
		sl_b2b_invite(s, st, req, from);
	} else if (sl_msg_is(req, "CANCEL")) {
		sl_b2b_cancel(s, st, req, from);
	} else if (in_dialog) {
		if (!sl_b2b_in_dialog(s, st, req, from))
			sl_srv_refuse(s, st, 481, NULL, "no such dialog");
	} else if (sl_msg_is(req, "OPTIONS")) {
		reply_options(s, st);
	} else if (sl_msg_is(req, "BYE")) {
		sl_srv_refuse(s, st, 481, NULL, "BYE outside a dialog");
	} else {
		sl_srv_refuse(s, st, 501, NULL, "method not supported");
	}
}

static void
tu_ack(void *arg, struct sl_sip_txn *invite_st, osip_message_t *ack,
    const struct sl_endpoint *from)
{
	sl_b2b_ack(arg, invite_st, ack, from);
}

static void
tu_response(void *arg, struct sl_sip_txn *ct, osip_message_t *resp,
    const struct sl_endpoint *from)
{
	sl_b2b_response(arg, ct, resp, from);
}

static void
tu_stray(void *arg, osip_message_t *resp, const struct sl_endpoint *from)
{
	sl_b2b_stray(arg, resp, from);
}

static void
tu_timeout(void *arg, struct sl_sip_txn *t)
{
	sl_b2b_timeout(arg, t);
}

static void
tu_gone(void *arg, struct sl_sip_txn *t)
{
	sl_b2b_gone(arg, t);
}

/* ----- input ----- */

/* RFC 3581 4 / RFC 3261 18.2.1: record where the request really came
 * from in its top Via; responses echo it */
static void
mark_via(osip_message_t *m, const struct sl_endpoint *from)
{
	osip_via_t *v = osip_list_get(&m->vias, 0);
	osip_generic_param_t *rport = NULL, *recv = NULL;
	char ip[SL_IP_STRLEN], port[8];
	char rport_name[] = "rport", recv_name[] = "received";	/* osip wants char * */

	if (v == NULL)
		return;
	sl_ip_str(&from->ip, ip, sizeof(ip));
	snprintf(port, sizeof(port), "%u", from->port);
	osip_via_param_get_byname(v, rport_name, &rport);
	osip_via_param_get_byname(v, recv_name, &recv);
	if (rport) {
		osip_free(rport->gvalue);
		rport->gvalue = osip_strdup(port);
	}
	if (rport || v->host == NULL || strcmp(v->host, ip) != 0) {
		if (recv) {
			osip_free(recv->gvalue);
			recv->gvalue = osip_strdup(ip);
		} else {
			osip_via_set_received(v, osip_strdup(ip));
		}
	}
	osip_message_force_update(m);
}

static bool
keepalive(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != '\r' && p[i] != '\n' && p[i] != ' ' && p[i] != '\0')
			return false;
	return true;
}

static void
bad_input(struct sl_srv *s, const void *p, size_t n, const struct sl_endpoint *from,
    const char *why)
{
	struct sl_buf b;
	char tag[SL_IDS_TAG_LEN];

	s->st.bad++;
	if (silenced(s, from))
		return;
	bool log = sl_rl_may_log(&s->rl, &from->ip, sl_srv_now_ms(s));
	sl_buf_init(&b, SL_MSG_MAX_LEN);
	if (sl_badreq_reply(p, n, 400, "Bad Request", sl_srv_tag(s, tag), &b)) {
		s->cfg.send(s->cfg.io_arg, from, b.p, b.len);
		if (log)
			sl_log(s->cfg.log, SL_LOG_WARN, from, "malformed request (%s): 400 sent",
			    why);
	} else if (log) {
		sl_log(s->cfg.log, SL_LOG_WARN, from, "malformed datagram (%s, %zu bytes) dropped",
		    why, n);
	}
	sl_buf_free(&b);
	sl_srv_charge(s, from);
}

/* RFC 3261 8.2.x / 21.5.6: only SIP/2.0 is spoken here. libosip2 accepts
 * any "SIP/x.y" on the request line; answered once, statelessly. */
static bool
version_ok(struct sl_srv *s, osip_message_t *m, const struct sl_endpoint *from)
{
	const char *v = m->sip_version;
	osip_message_t *r = NULL;
	char tag[SL_IDS_TAG_LEN];

	if (v != NULL && osip_strcasecmp(v, "SIP/2.0") == 0)
		return true;
	s->st.bad++;
	if (silenced(s, from))
		return false;
	if (sl_msg_is_request(m) && !sl_msg_is(m, "ACK") &&
	    sl_msg_response(m, 505, NULL, sl_srv_tag(s, tag), &r) == SL_OK) {
		sl_txn_send_stateless(s->txn, r, from);
		if (sl_rl_may_log(&s->rl, &from->ip, sl_srv_now_ms(s)))
			sl_log(s->cfg.log, SL_LOG_INFO, from, "%.16s request -> 505 %s",
			    v ? v : "no version", sl_msg_reason_phrase(505));
	}
	sl_msg_free(r);
	sl_srv_charge(s, from);
	return false;
}

/* The transaction layer took no transaction for a parsed request: its
 * table is full (503, RFC 3261 21.5.4: the client may retry later) or the
 * Via/CSeq give no usable key (400). Answered statelessly from the bytes. */
static void
refused_input(struct sl_srv *s, const void *p, size_t n, const struct sl_endpoint *from,
    bool answerable)
{
	bool full = sl_txn_stats(s->txn)->live >= s->max_txns;
	struct sl_buf b;
	char tag[SL_IDS_TAG_LEN];

	s->st.bad++;
	if (silenced(s, from))
		return;
	sl_buf_init(&b, SL_MSG_MAX_LEN);
	if (answerable && sl_badreq_reply(p, n, full ? 503 : 400,
	    full ? "Service Unavailable" : "Bad Request", sl_srv_tag(s, tag), &b))
		s->cfg.send(s->cfg.io_arg, from, b.p, b.len);
	sl_buf_free(&b);
	if (sl_rl_may_log(&s->rl, &from->ip, sl_srv_now_ms(s)))
		sl_log(s->cfg.log, SL_LOG_WARN, from, "request refused: %s%s",
		    full ? "transaction table full" : "no usable Via or CSeq",
		    answerable ? (full ? " (503 sent)" : " (400 sent)") : "");
	sl_srv_charge(s, from);
}

void
sl_srv_input(struct sl_srv *s, const void *p, size_t n, const struct sl_endpoint *from)
{
	osip_message_t *m = NULL;
	char errbuf[SL_ERRBUF_SIZE];

	s->st.rx++;
	if (keepalive(p, n)) {
		sl_log(s->cfg.log, SL_LOG_DEBUG, from, "keepalive (%zu bytes)", n);
		return;
	}
	if (sl_msg_parse(p, n, &m, errbuf) != SL_OK) {
		bad_input(s, p, n, from, errbuf);
		return;
	}
	if (!version_ok(s, m, from)) {
		sl_msg_free(m);
		return;
	}
	/* a blocked source's request that cannot prove itself (no
	 * credentials, no dialog) is dropped here, before a transaction or
	 * its 100 Trying exists; the rest goes on and is judged as usual */
	if (sl_msg_is_request(m) && !sl_msg_is(m, "ACK") && sl_msg_to_tag(m).n == 0 &&
	    osip_list_size(&m->authorizations) <= 0 && silenced(s, from)) {
		sl_msg_free(m);
		return;
	}
	if (sl_msg_is_request(m))
		mark_via(m, from);
	if (sl_log_on(s->cfg.log, SL_LOG_DEBUG)) {
		struct sl_str meth = sl_msg_method(m);
		sl_log(s->cfg.log, SL_LOG_DEBUG, from, "received %s %.*s (%zu bytes)",
		    sl_msg_is_request(m) ? "request" : "response", SL_PRI(meth), n);
	}
	bool answerable = sl_msg_is_request(m) && !sl_msg_is(m, "ACK");
	const struct sl_txn_stats *ts = sl_txn_stats(s->txn);
	uint64_t refused = ts->refused, foreign = ts->foreign;
	sl_txn_input_dgram(s->txn, m, n, from);
	if (ts->refused != refused)
		refused_input(s, p, n, from, answerable);
	if (ts->foreign != foreign) {
		if (sl_rl_may_log(&s->rl, &from->ip, sl_srv_now_ms(s)))
			sl_log(s->cfg.log, SL_LOG_WARN, from,
			    "message for a transaction with another peer: dropped");
		sl_srv_charge(s, from);
	}
}

/* ----- life cycle ----- */

static void
on_expired(void *arg, const struct sl_binding *b)
{
	struct sl_srv *s = arg;

	sl_log(s->cfg.log, SL_LOG_INFO, &b->source, "registration of %s expired", b->user);
}

static void
on_rl_report(void *arg, const struct sl_rl_src *src, const struct sl_rl_rest *rest,
    uint64_t now_ms)
{
	struct sl_srv *s = arg;
	char ip[SL_IP_STRLEN];

	if (src == NULL) {
		sl_log(s->cfg.log, SL_LOG_WARN, NULL,
		    "%llu more sources: %llu datagrams dropped (blocked), %llu log lines "
		    "suppressed in the last %u s", (unsigned long long)rest->sources,
		    (unsigned long long)rest->dropped, (unsigned long long)rest->suppressed,
		    SL_RL_INTERVAL_MS / 1000u);
		return;
	}
	sl_log(s->cfg.log, SL_LOG_WARN, NULL,
	    "%s: %llu datagrams dropped (blocked), %llu log lines suppressed in the last %u s%s",
	    sl_ip_str(&src->ip, ip, sizeof(ip)), (unsigned long long)src->dropped,
	    (unsigned long long)src->suppressed, SL_RL_INTERVAL_MS / 1000u,
	    src->blocked_until_ms > now_ms ? "; still blocked" : "");
}

static void
on_sweep(struct sl_loop *loop, uint64_t id, void *arg)
{
	struct sl_srv *s = arg;

	(void)id;
	sl_registrar_expire(&s->reg, sl_loop_now(loop), on_expired, s);
	if (sl_loop_now(loop) - s->t_rl_report >= SL_RL_INTERVAL_MS) {
		s->t_rl_report = sl_loop_now(loop);
		sl_rl_report(&s->rl, s->t_rl_report, on_rl_report, s);
	}
	s->t_sweep = sl_loop_timer_add(loop, SWEEP_MS, on_sweep, s);
}

enum sl_err
sl_srv_init(struct sl_srv *s, const struct sl_srv_cfg *cfg, const struct sl_ids *ids,
    char errbuf[SL_ERRBUF_SIZE])
{
	const struct sl_srv_opts *o = cfg->opts;
	struct sl_txn_cfg tc;
	uint8_t key[16];
	char both[2 * sizeof(key) + 1];
	static const struct sl_txn_user tu = {
		.send = tu_send, .request = tu_request, .ack = tu_ack,
		.response = tu_response, .stray_response = tu_stray,
		.timeout = tu_timeout, .gone = tu_gone,
	};

	memset(s, 0, sizeof(*s));
	s->cfg = *cfg;
	s->ids = *ids;
	s->start_ms = sl_loop_now(cfg->loop);
	snprintf(s->user_agent, sizeof(s->user_agent), "sipladder-server/%s",
#ifdef SL_VERSION
	    SL_VERSION
#else
	    "0"
#endif
	);
	/* the nonce key never passes through the identifier stream */
	sl_ids_secret(&s->ids, key, sizeof(key));
	for (size_t i = 0; i < sizeof(key); i++)
		snprintf(both + 2 * i, 3, "%02x", key[i]);
	s->relay.loop = cfg->loop;
	s->relay.trace = cfg->trace;
	s->relay.log = cfg->log;
	s->relay.ids = &s->ids;
	s->relay.latch = o->rtp_latch;
	s->relay.sip_port = cfg->port;
	enum sl_err e = sl_relay_pool_init(&s->relay.pool, o->rtp_lo, o->rtp_hi);
	if (e) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "no even RTP port in %u-%u", o->rtp_lo,
		    o->rtp_hi);
		return e;
	}
	if (sl_srv_auth_init(&s->auth, cfg->rf, o->realm, both, o->nonce_ttl_s,
	    o->nonce_slots) != SL_OK)
		goto nomem;
	if (sl_registrar_init(&s->reg, o->max_regs) != SL_OK ||
	    sl_rl_init(&s->rl, o->rate_reqs, o->rate_secs, o->rate_block_s,
	    SL_SRV_RL_SOURCES, sl_ids_u64(&s->ids)) != SL_OK)
		goto nomem;
	sl_txn_cfg_default(&tc);
	if (cfg->t1_ms)
		tc.t1_ms = cfg->t1_ms;
	if (cfg->max_txns)
		tc.max_txns = cfg->max_txns;
	s->max_txns = tc.max_txns;
	s->txn = sl_txn_layer_new(cfg->loop, &tc, &tu, s);
	if (s->txn == NULL || (s->b2b = sl_b2b_new(s)) == NULL)
		goto nomem;
	s->t_sweep = sl_loop_timer_add(cfg->loop, SWEEP_MS, on_sweep, s);
	return SL_OK;
nomem:
	snprintf(errbuf, SL_ERRBUF_SIZE, "out of memory");
	sl_srv_cleanup(s);
	return SL_ENOMEM;
}

void
sl_srv_cleanup(struct sl_srv *s)
{
	if (s->cfg.loop)
		sl_loop_timer_cancel(s->cfg.loop, s->t_sweep);
	/* calls first: they detach from the transactions freed next */
	sl_b2b_free(s->b2b);
	s->b2b = NULL;
	sl_txn_layer_free(s->txn);
	s->txn = NULL;
	sl_registrar_free(&s->reg);
	sl_rl_free(&s->rl);
	sl_relay_pool_free(&s->relay.pool);
	sl_srv_auth_free(&s->auth);
}

size_t
sl_srv_calls(const struct sl_srv *s)
{
	return s->b2b ? sl_b2b_count(s->b2b) : 0;
}
