/* test_sip_txn.c: RFC 3261 17 state machines on a fake clock with a fake
 * transport: retransmission counts and intervals (Timers A, E, G, 2xx),
 * timeouts at 64*T1 (B, F, H), the Proceeding bound P (restarted by
 * 101-199, not by 100; CANCEL from inside the timeout callback; the 0 =
 * default rule), absorption of retransmitted requests and
 * responses, automatic ACK for non-2xx, ACK matching for 2xx, CANCEL
 * matching, and the end timers (D, K, I, J, L, M); responses from another
 * address than the peer dropped; refusals sent once. What a transaction
 * keeps as it goes: the request until the final response, and exactly
 * the bytes it may send again (stats requests/bytes), byte for byte. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sip/loop.h"
#include "sip/msg.h"
#include "sip/txn.h"
#include "tests/unit/unit.h"

static SL_TEST_STATE(ts);

#define T1 100
#define T2 400
#define T4 500
#define TD 1000
#define TP 2000
#define MAXLOG 128

struct sent {
	uint64_t t;
	char line[48];		/* start line */
	char *bytes;
	size_t n;
};

struct fix {
	uint64_t now;
	struct sl_loop *loop;
	struct sl_txn_layer *l;
	struct sent log[MAXLOG];
	int nlog;
	int requests, acks, responses, strays, timeouts, gones;
	int last_status;
	struct sl_sip_txn *last_st, *ack_st, *timed_out;
	int timeout_status;		/* sl_txn_status() seen in on_timeout */
	enum sl_txn_state timeout_state;
	bool respond_on_request;	/* TU answers 180 inside the callback */
	int final_on_request;		/* or this final status */
	bool req_after_final;		/* the request readable after that final */
	int resp_with_req;		/* responses whose callback could read it */
	bool cancel_on_timeout;		/* TU CANCELs a timed-out INVITE */
	enum sl_err cancel_err;
	struct sl_sip_txn *cancel_ct;
};

static uint64_t
fake_clock(void *arg)
{
	return ((struct fix *)arg)->now;
}

static enum sl_err
fake_send(void *arg, const struct sl_endpoint *to, const void *p, size_t n)
{
	struct fix *f = arg;

	(void)to;
	if (f->nlog < MAXLOG) {
		struct sent *s = &f->log[f->nlog++];
		const char *eol = memchr(p, '\r', n);
		size_t ln = eol ? (size_t)(eol - (const char *)p) : n;
		s->t = f->now;
		snprintf(s->line, sizeof(s->line), "%.*s", (int)ln, (const char *)p);
		s->bytes = malloc(n + 1);
		memcpy(s->bytes, p, n);
		s->bytes[n] = '\0';
		s->n = n;
	}
	return SL_OK;
}

static void
on_request(void *arg, struct sl_sip_txn *st, osip_message_t *req, const struct sl_endpoint *from)
{
	struct fix *f = arg;

	(void)req;
	(void)from;
	f->requests++;
	f->last_st = st;
	if (f->respond_on_request)
		SL_CHECK(&ts, sl_txn_respond_code(f->l, st, 180, NULL, "uas") == SL_OK);
	if (f->final_on_request) {
		SL_CHECK(&ts, sl_txn_respond_code(f->l, st, f->final_on_request, NULL, "uas") ==
		    SL_OK);
		f->req_after_final = sl_txn_request(st) == req;
	}
}

static void
on_ack(void *arg, struct sl_sip_txn *st, osip_message_t *ack, const struct sl_endpoint *from)
{
	struct fix *f = arg;

	(void)ack;
	(void)from;
	f->acks++;
	f->ack_st = st;
}

static void
on_response(void *arg, struct sl_sip_txn *ct, osip_message_t *resp, const struct sl_endpoint *from)
{
	struct fix *f = arg;

	(void)from;
	f->responses++;
	if (sl_txn_request(ct) != NULL)
		f->resp_with_req++;
	f->last_status = sl_msg_status(resp);
}

static void
on_stray(void *arg, osip_message_t *resp, const struct sl_endpoint *from)
{
	(void)resp;
	(void)from;
	((struct fix *)arg)->strays++;
}

static void
on_timeout(void *arg, struct sl_sip_txn *t)
{
	struct fix *f = arg;

	f->timeouts++;
	f->timed_out = t;
	f->timeout_status = sl_txn_status(t);
	f->timeout_state = sl_txn_state(t);
	if (f->cancel_on_timeout && sl_txn_kind(t) == SL_TXN_CLIENT_INVITE) {
		osip_message_t *c = NULL;
		f->cancel_err = sl_msg_cancel(sl_txn_request(t), &c);
		if (f->cancel_err == SL_OK)
			f->cancel_err = sl_txn_client(f->l, c, sl_txn_peer(t), NULL, &f->cancel_ct);
	}
}

static void
on_gone(void *arg, struct sl_sip_txn *t)
{
	struct fix *f = arg;

	f->gones++;
	if (f->last_st == t)
		f->last_st = NULL;
	if (f->cancel_ct == t)
		f->cancel_ct = NULL;
}

static const struct sl_endpoint peer = { { SL_AF_INET4, { 127, 0, 0, 183 } }, 5060, SL_TP_UDP };

/* p: Timer P for this layer (0 asks for the default) */
static void
fix_init_p(struct fix *f, uint32_t p)
{
	struct sl_txn_cfg cfg;
	static const struct sl_txn_user tu = {
		fake_send, on_request, on_ack, on_response, on_stray, on_timeout, on_gone,
	};

	memset(f, 0, sizeof(*f));
	f->now = 1000;
	f->loop = sl_loop_new(0, 0);
	sl_loop_set_clock(f->loop, fake_clock, f);
	sl_txn_cfg_default(&cfg);
	cfg.t1_ms = T1;
	cfg.t2_ms = T2;
	cfg.t4_ms = T4;
	cfg.timer_d_ms = TD;
	cfg.proceeding_max_ms = p;
	f->l = sl_txn_layer_new(f->loop, &cfg, &tu, f);
}

static void
fix_init(struct fix *f)
{
	fix_init_p(f, TP);
}

static void
fix_free(struct fix *f)
{
	sl_txn_layer_free(f->l);
	sl_loop_free(f->loop);
	for (int i = 0; i < f->nlog; i++)
		free(f->log[i].bytes);
}

/* advance the fake clock 1 ms at a time, firing timers as they fall due */
static void
run_until(struct fix *f, uint64_t t)
{
	while (f->now < t) {
		f->now++;
		sl_loop_run_timers(f->loop);
	}
}

static osip_message_t *
parse(const char *s)
{
	char err[SL_ERRBUF_SIZE];
	osip_message_t *m = NULL;

	SL_CHECK_MSG(&ts, sl_msg_parse(s, strlen(s), &m, err) == SL_OK, "%s", err);
	return m;
}

/* a request as the peer would send it */
static osip_message_t *
peer_request(const char *method, const char *branch, int cseq, const char *cseq_method)
{
	char buf[1024];

	snprintf(buf, sizeof(buf),
	    "%s sip:2@127.0.0.50 SIP/2.0\r\n"
	    "Via: SIP/2.0/UDP 127.0.0.183:5060;branch=%s;rport\r\n"
	    "From: <sip:u1@127.0.0.50>;tag=ftag\r\n"
	    "To: <sip:2@127.0.0.50>%s\r\n"
	    "Call-ID: cid-1@127.0.0.183\r\n"
	    "CSeq: %d %s\r\n"
	    "Contact: <sip:u1@127.0.0.183:5060>\r\n"
	    "Max-Forwards: 70\r\n"
	    "Content-Length: 0\r\n\r\n",
	    method, branch, strcmp(method, "ACK") == 0 ? ";tag=uas" : "", cseq,
	    cseq_method ? cseq_method : method);
	return parse(buf);
}

/* a response as the peer would send it to the request we sent */
static osip_message_t *
peer_response(struct sl_sip_txn *ct, int status)
{
	osip_message_t *r = NULL;
	struct sl_buf b;

	SL_CHECK(&ts, sl_msg_response(sl_txn_request(ct), status, NULL, "peer", &r) == SL_OK);
	sl_buf_init(&b, SL_MSG_MAX_LEN);
	sl_msg_serialize(r, &b);
	sl_msg_free(r);
	osip_message_t *p = parse(b.p);
	sl_buf_free(&b);
	return p;
}

static osip_message_t *
our_request(const char *method, const char *branch)
{
	struct sl_msg_req r = {
		.method = method, .ruri = "sip:u2@127.0.0.101", .from = { "sip:u1@h", "t1" },
		.to = { "sip:u2@h", NULL }, .call_id = "c@h", .cseq = 5, .via_host = "127.0.0.50",
		.via_port = 5060, .branch = branch, .max_forwards = 19, .expires = -1,
	};
	osip_message_t *m = NULL;

	SL_CHECK(&ts, sl_msg_request(&r, NULL, &m) == SL_OK);
	return m;
}

/* send times relative to start, checked against the RFC schedule */
static void
check_times(const struct fix *f, uint64_t start, const uint64_t *want, int n, const char *what)
{
	SL_CHECK_MSG(&ts, f->nlog == n, "%s: %d sends, want %d", what, f->nlog, n);
	for (int i = 0; i < n && i < f->nlog; i++)
		SL_CHECK_MSG(&ts, f->log[i].t - start == want[i], "%s send %d at %llu, want %llu",
		    what, i, (unsigned long long)(f->log[i].t - start),
		    (unsigned long long)want[i]);
}

/* 17.1.1.2: INVITE sent at 0 and retransmitted at T1, 3T1, 7T1, ...;
 * Timer B = 64*T1 ends it: 7 transmissions in all */
static void
test_timer_a_b(void)
{
	static const uint64_t want[] = { 0, 100, 300, 700, 1500, 3100, 6300 };
	struct fix f;
	struct sl_sip_txn *ct;

	fix_init(&f);
	uint64_t start = f.now;
	SL_CHECK(&ts, sl_txn_client(f.l, our_request("INVITE", "z9hG4bKa"), &peer, NULL, &ct) ==
	    SL_OK);
	SL_CHECK(&ts, sl_txn_state(ct) == SL_TXN_CALLING);
	run_until(&f, start + 64 * T1 - 1);
	SL_CHECK(&ts, f.timeouts == 0);
	run_until(&f, start + 64 * T1);
	SL_CHECK(&ts, f.timeouts == 1 && f.gones == 1 && f.timed_out == ct);
	run_until(&f, start + 200 * T1);
	check_times(&f, start, want, 7, "timer A");
	SL_CHECK(&ts, sl_txn_stats(f.l)->retransmitted == 6 && sl_txn_stats(f.l)->live == 0);
	fix_free(&f);
}

/* 17.1.2.2: E doubles up to T2; F = 64*T1 */
static void
test_timer_e_f(void)
{
	static const uint64_t want[] = { 0, 100, 300, 700, 1100, 1500, 1900, 2300, 2700, 3100,
		3500, 3900, 4300, 4700, 5100, 5500, 5900, 6300 };
	struct fix f;
	struct sl_sip_txn *ct;

	fix_init(&f);
	uint64_t start = f.now;
	SL_CHECK(&ts, sl_txn_client(f.l, our_request("REGISTER", "z9hG4bKe"), &peer, NULL, &ct) ==
	    SL_OK);
	run_until(&f, start + 64 * T1);
	SL_CHECK(&ts, f.timeouts == 1 && f.gones == 1);
	check_times(&f, start, want, (int)(sizeof(want) / sizeof(want[0])), "timer E");
	fix_free(&f);

	/* after a 1xx, E is T2 straight away; the final response stops it and
	 * K = T4 ends the transaction; a retransmitted final is absorbed */
	static const uint64_t want2[] = { 0, 100, 300, 700, 1100 };
	fix_init(&f);
	start = f.now;
	SL_CHECK(&ts, sl_txn_client(f.l, our_request("BYE", "z9hG4bKe2"), &peer, NULL, &ct) ==
	    SL_OK);
	run_until(&f, start + 150);
	sl_txn_input(f.l, peer_response(ct, 100), &peer);
	SL_CHECK(&ts, f.responses == 1 && sl_txn_state(ct) == SL_TXN_PROCEEDING);
	run_until(&f, start + 1200);
	osip_message_t *ok = peer_response(ct, 200);
	osip_message_t *ok2 = NULL;
	sl_msg_clone(ok, &ok2);
	sl_txn_input(f.l, ok, &peer);
	SL_CHECK(&ts, f.responses == 2 && f.last_status == 200);
	SL_CHECK(&ts, sl_txn_state(ct) == SL_TXN_COMPLETED);
	sl_txn_input(f.l, ok2, &peer);
	SL_CHECK(&ts, f.responses == 2 && sl_txn_stats(f.l)->absorbed == 1);
	run_until(&f, start + 1200 + T4 - 1);
	SL_CHECK(&ts, f.gones == 0);
	run_until(&f, start + 1200 + T4);
	SL_CHECK(&ts, f.gones == 1 && f.timeouts == 0);
	check_times(&f, start, want2, 5, "timer E proceeding");
	fix_free(&f);
}

/* 17.1.1.3: a 401 is ACKed by the transaction, again for each
 * retransmission of it, and reaches the TU once; Timer D ends it */
static void
test_client_invite_non2xx(void)
{
	struct fix f;
	struct sl_sip_txn *ct;

	fix_init(&f);
	uint64_t start = f.now;
	sl_txn_client(f.l, our_request("INVITE", "z9hG4bKc"), &peer, NULL, &ct);
	sl_txn_input(f.l, peer_response(ct, 100), &peer);
	run_until(&f, start + 1000);
	SL_CHECK(&ts, f.nlog == 1);	/* no retransmission after the 100 */
	osip_message_t *again = peer_response(ct, 401);
	sl_txn_input(f.l, peer_response(ct, 401), &peer);
	SL_CHECK(&ts, f.responses == 2 && f.last_status == 401);
	SL_CHECK(&ts, f.nlog == 2 && strncmp(f.log[1].line, "ACK ", 4) == 0);
	if (f.nlog == 2) {
		osip_message_t *ack = parse(f.log[1].bytes);
		if (ack) {
			SL_CHECK(&ts, sl_str_eq(sl_msg_branch(ack), SL_STR("z9hG4bKc")));
			SL_CHECK(&ts, sl_str_eq(sl_msg_to_tag(ack), SL_STR("peer")));
		}
		sl_msg_free(ack);
	}
	sl_txn_input(f.l, again, &peer);
	SL_CHECK(&ts, f.responses == 2 && f.nlog == 3 && strncmp(f.log[2].line, "ACK ", 4) == 0);
	run_until(&f, start + 1000 + TD);
	SL_CHECK(&ts, f.gones == 1 && f.timeouts == 0);
	/* now nobody wants it */
	fix_free(&f);
}

/* Timer P (txn.h): a callee that rings and never answers. The INVITE is
 * retransmitted until the 180, then P runs from the last 101-199; at its
 * expiry the TU hears `timeout` once (still seeing the 1xx) and the
 * transaction is gone: a late 200 is stray */
static void
test_timer_p(void)
{
	struct fix f;
	struct sl_sip_txn *ct;

	fix_init(&f);
	uint64_t start = f.now;
	sl_txn_client(f.l, our_request("INVITE", "z9hG4bKp"), &peer, NULL, &ct);
	run_until(&f, start + 150);
	sl_txn_input(f.l, peer_response(ct, 180), &peer);
	SL_CHECK(&ts, sl_txn_state(ct) == SL_TXN_PROCEEDING && f.responses == 1);
	osip_message_t *late = peer_response(ct, 200);
	/* no Timer B any more: 64*T1 passes quietly */
	run_until(&f, start + 150 + TP - 1);
	SL_CHECK(&ts, f.timeouts == 0 && f.gones == 0 && sl_txn_stats(f.l)->live == 1);
	SL_CHECK_MSG(&ts, f.nlog == 2, "sends %d (INVITE + one Timer A)", f.nlog);
	run_until(&f, start + 150 + TP);
	SL_CHECK(&ts, f.timeouts == 1 && f.gones == 1 && f.timed_out == ct);
	SL_CHECK(&ts, f.timeout_status == 180 && f.timeout_state == SL_TXN_TERMINATED);
	SL_CHECK(&ts, sl_txn_stats(f.l)->live == 0 && sl_txn_stats(f.l)->timeouts == 1);
	sl_txn_input(f.l, late, &peer);
	SL_CHECK(&ts, f.strays == 1 && f.responses == 1);
	run_until(&f, f.now + 10 * TP);
	SL_CHECK(&ts, f.timeouts == 1 && f.gones == 1 && f.nlog == 2);
	fix_free(&f);

	/* each 183 restarts P; a 100 (here after the 183) does not */
	fix_init(&f);
	start = f.now;
	sl_txn_client(f.l, our_request("INVITE", "z9hG4bKp2"), &peer, NULL, &ct);
	sl_txn_input(f.l, peer_response(ct, 100), &peer);
	run_until(&f, start + TP - 10);
	sl_txn_input(f.l, peer_response(ct, 183), &peer);
	uint64_t last1xx = f.now;
	run_until(&f, last1xx + TP / 2);
	sl_txn_input(f.l, peer_response(ct, 100), &peer);
	run_until(&f, start + TP + 10);
	SL_CHECK(&ts, f.timeouts == 0 && f.responses == 3);
	run_until(&f, last1xx + TP - 1);
	SL_CHECK(&ts, f.timeouts == 0);
	run_until(&f, last1xx + TP);
	SL_CHECK_MSG(&ts, f.timeouts == 1 && f.gones == 1, "P at %llu after the 183",
	    (unsigned long long)(f.now - last1xx));
	SL_CHECK(&ts, f.timeout_status == 100);	/* the last 1xx seen */
	fix_free(&f);

	/* a final response before P stops it: 486 -> Completed -> D, no timeout */
	fix_init(&f);
	start = f.now;
	sl_txn_client(f.l, our_request("INVITE", "z9hG4bKp3"), &peer, NULL, &ct);
	sl_txn_input(f.l, peer_response(ct, 180), &peer);
	run_until(&f, start + TP - 1);
	sl_txn_input(f.l, peer_response(ct, 486), &peer);
	run_until(&f, start + TP + TD + 10 * T1);
	SL_CHECK(&ts, f.timeouts == 0 && f.gones == 1 && f.last_status == 486);
	fix_free(&f);
}

/* the TU answers P with a CANCEL (RFC 3261 16.8) from inside the timeout
 * callback, built from the request that is still readable there; the
 * CANCEL is its own transaction and ends normally with its 200 */
static void
test_timer_p_cancel(void)
{
	struct fix f;
	struct sl_sip_txn *ct;

	fix_init(&f);
	f.cancel_on_timeout = true;
	uint64_t start = f.now;
	sl_txn_client(f.l, our_request("INVITE", "z9hG4bKpc"), &peer, NULL, &ct);
	sl_txn_input(f.l, peer_response(ct, 180), &peer);
	run_until(&f, start + TP);
	SL_CHECK(&ts, f.timeouts == 1 && f.cancel_err == SL_OK && f.cancel_ct != NULL);
	SL_CHECK(&ts, f.nlog == 2 && strncmp(f.log[1].line, "CANCEL ", 7) == 0);
	SL_CHECK(&ts, sl_txn_stats(f.l)->live == 1);
	if (f.nlog == 2) {
		osip_message_t *c = parse(f.log[1].bytes);
		if (c) {
			SL_CHECK(&ts, sl_str_eq(sl_msg_branch(c), SL_STR("z9hG4bKpc")));
			SL_CHECK(&ts, sl_str_eq(sl_msg_method(c), SL_STR("CANCEL")));
		}
		sl_msg_free(c);
	}
	if (f.cancel_ct) {
		sl_txn_input(f.l, peer_response(f.cancel_ct, 200), &peer);
		SL_CHECK(&ts, f.last_status == 200);
	}
	run_until(&f, f.now + T4);
	SL_CHECK(&ts, f.gones == 2 && f.timeouts == 1 && sl_txn_stats(f.l)->live == 0);
	fix_free(&f);

	/* the TU cancelled first (after the 180) and the callee never sent
	 * its 487: P still ends the INVITE, once, after the CANCEL is done */
	fix_init(&f);
	start = f.now;
	sl_txn_client(f.l, our_request("INVITE", "z9hG4bKpc2"), &peer, NULL, &ct);
	sl_txn_input(f.l, peer_response(ct, 180), &peer);
	osip_message_t *cm = NULL;
	struct sl_sip_txn *cancel = NULL;
	SL_CHECK(&ts, sl_msg_cancel(sl_txn_request(ct), &cm) == SL_OK);
	SL_CHECK(&ts, sl_txn_client(f.l, cm, &peer, NULL, &cancel) == SL_OK);
	f.cancel_ct = cancel;
	if (cancel)
		sl_txn_input(f.l, peer_response(cancel, 200), &peer);
	run_until(&f, start + T4);
	SL_CHECK(&ts, f.gones == 1 && f.cancel_ct == NULL && f.timeouts == 0);
	run_until(&f, start + TP);
	SL_CHECK(&ts, f.timeouts == 1 && f.timed_out == ct && f.gones == 2);
	SL_CHECK(&ts, sl_txn_stats(f.l)->live == 0);
	fix_free(&f);
}

/* proceeding_max_ms 0 means the documented default, 3 minutes */
static void
test_timer_p_default(void)
{
	struct sl_txn_cfg cfg;
	struct fix f;
	struct sl_sip_txn *ct;

	sl_txn_cfg_default(&cfg);
	SL_CHECK(&ts, cfg.proceeding_max_ms == 180000);
	fix_init_p(&f, 0);
	uint64_t start = f.now;
	sl_txn_client(f.l, our_request("INVITE", "z9hG4bKpd"), &peer, NULL, &ct);
	sl_txn_input(f.l, peer_response(ct, 180), &peer);
	run_until(&f, start + 180000 - 1);
	SL_CHECK(&ts, f.timeouts == 0);
	run_until(&f, start + 180000);
	SL_CHECK(&ts, f.timeouts == 1 && f.gones == 1);
	fix_free(&f);
}

/* RFC 6026: 2xx -> Accepted; retransmitted 2xx reach the TU (to ACK
 * again); Timer M ends it and later ones are stray */
static void
test_client_invite_2xx(void)
{
	struct fix f;
	struct sl_sip_txn *ct;

	fix_init(&f);
	uint64_t start = f.now;
	sl_txn_client(f.l, our_request("INVITE", "z9hG4bKok"), &peer, NULL, &ct);
	osip_message_t *ok = peer_response(ct, 200), *ok2 = NULL, *ok3 = NULL;
	sl_msg_clone(ok, &ok2);
	sl_msg_clone(ok, &ok3);
	sl_txn_input(f.l, ok, &peer);
	SL_CHECK(&ts, sl_txn_state(ct) == SL_TXN_ACCEPTED && f.responses == 1);
	SL_CHECK(&ts, f.nlog == 1);	/* the ACK for 2xx is the TU's */
	sl_txn_input(f.l, ok2, &peer);
	SL_CHECK(&ts, f.responses == 2);
	run_until(&f, start + 64 * T1);
	SL_CHECK(&ts, f.gones == 1 && f.timeouts == 0);
	sl_txn_input(f.l, ok3, &peer);
	SL_CHECK(&ts, f.strays == 1 && f.responses == 2);
	fix_free(&f);
}

/* 17.2.1: 100 at once; a retransmitted INVITE gets the last response and
 * never reaches the TU twice; non-2xx retransmitted by G up to T2 until
 * the ACK (Confirmed, absorbed, Timer I) */
static void
test_server_invite(void)
{
	struct fix f;

	fix_init(&f);
	uint64_t start = f.now;
	sl_txn_input(f.l, peer_request("INVITE", "z9hG4bKs", 1, NULL), &peer);
	SL_CHECK(&ts, f.requests == 1 && f.last_st != NULL);
	SL_CHECK(&ts, f.nlog == 1 && strcmp(f.log[0].line, "SIP/2.0 100 Trying") == 0);
	struct sl_sip_txn *st = f.last_st;
	SL_CHECK(&ts, st && sl_txn_kind(st) == SL_TXN_SERVER_INVITE &&
	    sl_txn_state(st) == SL_TXN_PROCEEDING);
	sl_txn_input(f.l, peer_request("INVITE", "z9hG4bKs", 1, NULL), &peer);
	SL_CHECK(&ts, f.requests == 1 && f.nlog == 2 &&
	    strcmp(f.log[1].line, "SIP/2.0 100 Trying") == 0);
	SL_CHECK(&ts, sl_txn_respond_code(f.l, st, 180, NULL, "uas") == SL_OK);
	sl_txn_input(f.l, peer_request("INVITE", "z9hG4bKs", 1, NULL), &peer);
	SL_CHECK(&ts, f.requests == 1 && f.nlog == 4 &&
	    strcmp(f.log[3].line, "SIP/2.0 180 Ringing") == 0);
	SL_CHECK(&ts, sl_txn_stats(f.l)->absorbed == 2);

	/* a different branch is a different transaction */
	sl_txn_input(f.l, peer_request("INVITE", "z9hG4bKother", 2, NULL), &peer);
	SL_CHECK(&ts, f.requests == 2);
	f.last_st = st;

	uint64_t t0 = f.now;
	SL_CHECK(&ts, sl_txn_respond_code(f.l, st, 486, NULL, "uas") == SL_OK);
	SL_CHECK(&ts, sl_txn_state(st) == SL_TXN_COMPLETED);
	SL_CHECK(&ts, sl_txn_respond_code(f.l, st, 200, NULL, "uas") == SL_EUSAGE);
	int base = f.nlog;
	run_until(&f, t0 + 1500);
	/* G: T1, 2T1, 4T1 (=T2), T2...: at 100, 300, 700, 1100, 1500 */
	static const uint64_t g[] = { 100, 300, 700, 1100, 1500 };
	SL_CHECK_MSG(&ts, f.nlog - base == 5, "G sends %d", f.nlog - base);
	for (int i = 0; i < 5 && base + i < f.nlog; i++)
		SL_CHECK_MSG(&ts, f.log[base + i].t - t0 == g[i], "G %d at %llu", i,
		    (unsigned long long)(f.log[base + i].t - t0));
	/* the ACK (same branch) is absorbed and stops G */
	sl_txn_input(f.l, peer_request("ACK", "z9hG4bKs", 1, NULL), &peer);
	SL_CHECK(&ts, sl_txn_state(st) == SL_TXN_CONFIRMED && f.acks == 0);
	base = f.nlog;
	sl_txn_input(f.l, peer_request("ACK", "z9hG4bKs", 1, NULL), &peer);
	run_until(&f, f.now + T4 - 1);
	SL_CHECK(&ts, f.nlog == base && f.gones == 0);
	run_until(&f, f.now + 1);
	SL_CHECK(&ts, f.gones == 1 && f.timeouts == 0);
	(void)start;
	fix_free(&f);

	/* Timer H: no ACK at all */
	fix_init(&f);
	sl_txn_input(f.l, peer_request("INVITE", "z9hG4bKh", 1, NULL), &peer);
	st = f.last_st;
	t0 = f.now;
	sl_txn_respond_code(f.l, st, 401, NULL, "uas");
	run_until(&f, t0 + 64 * T1 - 1);
	SL_CHECK(&ts, f.timeouts == 0);
	run_until(&f, t0 + 64 * T1);
	SL_CHECK(&ts, f.timeouts == 1 && f.gones == 1);
	fix_free(&f);
}

/* 13.3.1.4 + RFC 6026: our 2xx is retransmitted until the ACK (new
 * branch) arrives; the ACK reaches the TU once, with the INVITE txn;
 * retransmitted INVITEs are absorbed; Timer L ends it quietly */
static void
test_server_invite_2xx(void)
{
	struct fix f;

	fix_init(&f);
	f.respond_on_request = true;
	sl_txn_input(f.l, peer_request("INVITE", "z9hG4bK2x", 7, NULL), &peer);
	struct sl_sip_txn *st = f.last_st;
	SL_CHECK(&ts, f.nlog == 2 && strcmp(f.log[1].line, "SIP/2.0 180 Ringing") == 0);
	uint64_t t0 = f.now;
	SL_CHECK(&ts, sl_txn_respond_code(f.l, st, 200, NULL, "uas") == SL_OK);
	SL_CHECK(&ts, sl_txn_state(st) == SL_TXN_ACCEPTED);
	int base = f.nlog;
	run_until(&f, t0 + 750);
	SL_CHECK_MSG(&ts, f.nlog - base == 3, "2xx resends %d", f.nlog - base);	/* 100,300,700 */
	sl_txn_input(f.l, peer_request("INVITE", "z9hG4bK2x", 7, NULL), &peer);
	SL_CHECK(&ts, f.requests == 1);
	sl_txn_input(f.l, peer_request("ACK", "z9hG4bKnewbranch", 7, NULL), &peer);
	SL_CHECK(&ts, f.acks == 1 && f.ack_st == st);
	sl_txn_input(f.l, peer_request("ACK", "z9hG4bKnewbranch", 7, NULL), &peer);
	SL_CHECK(&ts, f.acks == 1);
	base = f.nlog;
	run_until(&f, t0 + 64 * T1);
	SL_CHECK(&ts, f.nlog == base && f.gones == 1 && f.timeouts == 0);
	/* an ACK for nothing still reaches the TU, with no transaction */
	sl_txn_input(f.l, peer_request("ACK", "z9hG4bKlate", 7, NULL), &peer);
	SL_CHECK(&ts, f.acks == 2 && f.ack_st == NULL);
	fix_free(&f);
}

/* 17.2.2 + CANCEL (9.2) + the unanswered safety net */
static void
test_server_non_invite(void)
{
	struct fix f;

	fix_init(&f);
	sl_txn_input(f.l, peer_request("REGISTER", "z9hG4bKr", 1, NULL), &peer);
	struct sl_sip_txn *st = f.last_st;
	SL_CHECK(&ts, f.nlog == 1 && sl_txn_kind(st) == SL_TXN_SERVER_NON_INVITE);
	sl_txn_input(f.l, peer_request("REGISTER", "z9hG4bKr", 1, NULL), &peer);
	SL_CHECK(&ts, f.requests == 1 && f.nlog == 2);
	uint64_t t0 = f.now;
	SL_CHECK(&ts, sl_txn_respond_code(f.l, st, 401, NULL, "reg") == SL_OK);
	sl_txn_input(f.l, peer_request("REGISTER", "z9hG4bKr", 1, NULL), &peer);
	SL_CHECK(&ts, f.nlog == 4 && strcmp(f.log[3].line, "SIP/2.0 401 Unauthorized") == 0);
	SL_CHECK(&ts, sl_txn_respond_code(f.l, st, 200, NULL, "reg") == SL_EUSAGE);
	run_until(&f, t0 + 64 * T1);
	SL_CHECK(&ts, f.gones == 1 && f.timeouts == 0 && f.nlog == 4);	/* J, no retransmits */
	fix_free(&f);

	fix_init(&f);
	sl_txn_input(f.l, peer_request("INVITE", "z9hG4bKinv", 3, NULL), &peer);
	struct sl_sip_txn *inv = f.last_st;
	osip_message_t *cancel = peer_request("CANCEL", "z9hG4bKinv", 3, NULL);
	osip_message_t *cancel2 = NULL;
	sl_msg_clone(cancel, &cancel2);
	sl_txn_input(f.l, cancel, &peer);
	SL_CHECK(&ts, f.requests == 2 && f.last_st != inv &&
	    sl_txn_kind(f.last_st) == SL_TXN_SERVER_NON_INVITE);
	SL_CHECK(&ts, sl_txn_cancel_target(f.l, cancel2, &peer) == inv);
	sl_msg_free(cancel2);
	cancel2 = peer_request("CANCEL", "z9hG4bKnone", 3, NULL);
	SL_CHECK(&ts, sl_txn_cancel_target(f.l, cancel2, &peer) == NULL);
	sl_msg_free(cancel2);
	/* the TU never answers the CANCEL: timeout after 64*T1 */
	t0 = f.now;
	run_until(&f, t0 + 64 * T1);
	SL_CHECK(&ts, f.timeouts == 1);
	fix_free(&f);
}

static bool
same_bytes(const struct fix *f, int a, int b)
{
	return a < f->nlog && b < f->nlog && f->log[a].n == f->log[b].n &&
	    memcmp(f->log[a].bytes, f->log[b].bytes, f->log[a].n) == 0;
}

/* 17.1.3 plus our rule: a response that matches a client transaction by
 * branch but comes from another address than the request went to is
 * dropped and counted, never reaches the TU (not even as a stray), and
 * leaves the transaction as it was */
static void
test_client_foreign(void)
{
	static const struct sl_endpoint other = { { SL_AF_INET4, { 127, 0, 0, 66 } }, 5060,
		SL_TP_UDP };
	static const struct sl_endpoint other_port = { { SL_AF_INET4, { 127, 0, 0, 183 } }, 5099,
		SL_TP_UDP };
	struct fix f;
	struct sl_sip_txn *ct;

	fix_init(&f);
	sl_txn_client(f.l, our_request("INVITE", "z9hG4bKfo"), &peer, NULL, &ct);
	sl_txn_input(f.l, peer_response(ct, 200), &other);
	sl_txn_input(f.l, peer_response(ct, 486), &other_port);
	SL_CHECK(&ts, f.responses == 0 && f.strays == 0 && sl_txn_stats(f.l)->foreign == 2);
	SL_CHECK(&ts, sl_txn_state(ct) == SL_TXN_CALLING && f.nlog == 1);
	sl_txn_input(f.l, peer_response(ct, 180), &peer);
	SL_CHECK(&ts, f.responses == 1 && f.last_status == 180 &&
	    sl_txn_state(ct) == SL_TXN_PROCEEDING);
	fix_free(&f);
}

/* respond_once: the final response goes out once, nothing is
 * retransmitted (no Timer G), the transaction is gone on the next turn
 * of the loop; a retransmitted request from the same source gets the
 * same bytes again for 64*T1, anything else is a request of its own;
 * misuse (2xx to INVITE, provisional, twice) refused */
static void
test_respond_once(void)
{
	struct fix f;

	fix_init(&f);
	uint64_t t0 = f.now;
	sl_txn_input(f.l, peer_request("INVITE", "z9hG4bKonce", 1, NULL), &peer);
	struct sl_sip_txn *st = f.last_st;
	osip_message_t *r = NULL;
	SL_CHECK(&ts, sl_msg_response(sl_txn_request(st), 200, NULL, "uas", &r) == SL_OK);
	SL_CHECK(&ts, sl_txn_respond_once(f.l, st, r) == SL_EUSAGE);
	r = NULL;
	SL_CHECK(&ts, sl_msg_response(sl_txn_request(st), 180, NULL, "uas", &r) == SL_OK);
	SL_CHECK(&ts, sl_txn_respond_once(f.l, st, r) == SL_EUSAGE);
	r = NULL;
	SL_CHECK(&ts, sl_msg_response(sl_txn_request(st), 401, NULL, "uas", &r) == SL_OK);
	SL_CHECK(&ts, sl_txn_respond_once(f.l, st, r) == SL_OK);
	SL_CHECK(&ts, f.nlog == 2 && strcmp(f.log[1].line, "SIP/2.0 401 Unauthorized") == 0);
	SL_CHECK(&ts, sl_txn_respond_code(f.l, st, 403, NULL, "uas") == SL_EUSAGE);
	run_until(&f, t0 + 1);
	SL_CHECK(&ts, f.gones == 1 && sl_txn_stats(f.l)->live == 0 &&
	    sl_txn_stats(f.l)->once == 1 && sl_txn_stats(f.l)->bytes == 0);
	/* the same INVITE again: the same 401, byte for byte, without the
	 * TU or a transaction; its ACK is absorbed */
	sl_txn_input(f.l, peer_request("INVITE", "z9hG4bKonce", 1, NULL), &peer);
	SL_CHECK(&ts, f.requests == 1 && f.nlog == 3 && same_bytes(&f, 1, 2));
	sl_txn_input(f.l, peer_request("ACK", "z9hG4bKonce", 1, NULL), &peer);
	SL_CHECK(&ts, f.acks == 0 && f.nlog == 3 && sl_txn_stats(f.l)->live == 0);
	/* from another address it is a request of its own */
	static const struct sl_endpoint other = { { SL_AF_INET4, { 127, 0, 0, 66 } }, 5060,
		SL_TP_UDP };
	sl_txn_input(f.l, peer_request("INVITE", "z9hG4bKonce", 1, NULL), &other);
	SL_CHECK(&ts, f.requests == 2);
	SL_CHECK(&ts, sl_txn_respond_code(f.l, f.last_st, 486, NULL, "uas") == SL_OK);
	/* compare: the stateful non-2xx is retransmitted by G, the once one
	 * was not */
	run_until(&f, t0 + 64 * T1 + 10);
	SL_CHECK_MSG(&ts, f.nlog > 6, "%d sends", f.nlog);
	int once401 = 0;
	for (int i = 0; i < f.nlog; i++)
		once401 += strcmp(f.log[i].line, "SIP/2.0 401 Unauthorized") == 0;
	SL_CHECK(&ts, once401 == 2);
	/* past 64*T1 the answer is forgotten: a new transaction again */
	sl_txn_input(f.l, peer_request("INVITE", "z9hG4bKonce", 1, NULL), &peer);
	SL_CHECK(&ts, f.requests == 3);
	fix_free(&f);

	/* non-INVITE: a final of any class goes once too */
	fix_init(&f);
	sl_txn_input(f.l, peer_request("OPTIONS", "z9hG4bKopt", 1, NULL), &peer);
	r = NULL;
	SL_CHECK(&ts, sl_msg_response(sl_txn_request(f.last_st), 200, NULL, "uas", &r) == SL_OK);
	SL_CHECK(&ts, sl_txn_respond_once(f.l, f.last_st, r) == SL_OK);
	run_until(&f, f.now + 1);
	SL_CHECK(&ts, sl_txn_stats(f.l)->live == 0 && f.nlog == 2);
	fix_free(&f);
}


/* Client side: the request bytes while they may be retransmitted, the
 * ACK of a non-2xx while the 401 may come again, nothing after a 2xx;
 * the parsed request through the callback of the first final response
 * (where a TU builds its dialog or its authenticated retry), then gone. */
static void
test_client_keeps(void)
{
	struct fix f;
	struct sl_sip_txn *ct;
	const struct sl_txn_stats *st;

	fix_init(&f);
	st = sl_txn_stats(f.l);
	sl_txn_client(f.l, our_request("INVITE", "z9hG4bKk1"), &peer, NULL, &ct);
	SL_CHECK(&ts, st->requests == 1 && f.nlog == 1 && st->bytes == f.log[0].n);
	run_until(&f, f.now + T1);
	SL_CHECK(&ts, f.nlog == 2 && same_bytes(&f, 0, 1));	/* Timer A: the same bytes */
	sl_txn_input(f.l, peer_response(ct, 180), &peer);
	SL_CHECK(&ts, st->bytes == 0 && sl_txn_request(ct) != NULL && f.resp_with_req == 1);
	osip_message_t *ok = peer_response(ct, 200), *ok2 = NULL;
	sl_msg_clone(ok, &ok2);
	sl_txn_input(f.l, ok, &peer);
	SL_CHECK(&ts, f.resp_with_req == 2 && sl_txn_request(ct) == NULL);
	SL_CHECK(&ts, st->requests == 0 && st->bytes == 0 && st->live == 1);
	sl_txn_input(f.l, ok2, &peer);	/* Accepted: to the TU, no request */
	SL_CHECK(&ts, f.responses == 3 && f.resp_with_req == 2);
	run_until(&f, f.now + 64 * T1);
	SL_CHECK(&ts, st->live == 0);
	fix_free(&f);

	fix_init(&f);
	st = sl_txn_stats(f.l);
	sl_txn_client(f.l, our_request("INVITE", "z9hG4bKk2"), &peer, NULL, &ct);
	osip_message_t *ch = peer_response(ct, 407), *ch2 = NULL;
	sl_msg_clone(ch, &ch2);
	sl_txn_input(f.l, ch, &peer);
	SL_CHECK(&ts, f.resp_with_req == 1 && sl_txn_request(ct) == NULL && st->requests == 0);
	SL_CHECK(&ts, f.nlog == 2 && strncmp(f.log[1].line, "ACK ", 4) == 0 &&
	    st->bytes == f.log[1].n);
	sl_txn_input(f.l, ch2, &peer);
	SL_CHECK(&ts, f.nlog == 3 && same_bytes(&f, 1, 2));
	run_until(&f, f.now + TD);
	SL_CHECK(&ts, st->live == 0 && st->bytes == 0);
	fix_free(&f);

	/* non-INVITE: Timer E goes on in Proceeding with the same bytes */
	fix_init(&f);
	st = sl_txn_stats(f.l);
	sl_txn_client(f.l, our_request("BYE", "z9hG4bKk3"), &peer, NULL, &ct);
	sl_txn_input(f.l, peer_response(ct, 100), &peer);
	SL_CHECK(&ts, st->bytes == f.log[0].n && sl_txn_request(ct) != NULL);
	run_until(&f, f.now + T2);
	SL_CHECK(&ts, f.nlog == 2 && same_bytes(&f, 0, 1));
	sl_txn_input(f.l, peer_response(ct, 200), &peer);
	SL_CHECK(&ts, f.resp_with_req == 2 && st->requests == 0 && st->bytes == 0);
	SL_CHECK(&ts, sl_txn_state(ct) == SL_TXN_COMPLETED);
	fix_free(&f);

	/* Timer P: the request is still there for the TU's CANCEL */
	fix_init(&f);
	f.cancel_on_timeout = true;
	sl_txn_client(f.l, our_request("INVITE", "z9hG4bKk4"), &peer, NULL, &ct);
	sl_txn_input(f.l, peer_response(ct, 180), &peer);
	run_until(&f, f.now + TP);
	SL_CHECK(&ts, f.timeouts == 1 && f.cancel_err == SL_OK);
	fix_free(&f);
}

/* Server side: the last response while a retransmitted request or Timer
 * G may need it, the parsed request until the final response (longer
 * only for a TU still inside its request callback). */
static void
test_server_keeps(void)
{
	struct fix f;
	const struct sl_txn_stats *st;

	/* 401 to an INVITE: kept for G and repeated INVITEs until the ACK */
	fix_init(&f);
	st = sl_txn_stats(f.l);
	sl_txn_input(f.l, peer_request("INVITE", "z9hG4bKs1", 1, NULL), &peer);
	struct sl_sip_txn *t = f.last_st;
	SL_CHECK(&ts, st->requests == 1 && f.nlog == 1 && st->bytes == f.log[0].n);
	SL_CHECK(&ts, sl_txn_respond_code(f.l, t, 401, NULL, "uas") == SL_OK);
	SL_CHECK(&ts, sl_txn_request(t) == NULL && st->requests == 0);
	SL_CHECK(&ts, f.nlog == 2 && st->bytes == f.log[1].n);
	SL_CHECK(&ts, sl_txn_respond_code(f.l, t, 500, NULL, "uas") == SL_EUSAGE);
	run_until(&f, f.now + T1);
	sl_txn_input(f.l, peer_request("INVITE", "z9hG4bKs1", 1, NULL), &peer);
	SL_CHECK(&ts, f.nlog == 4 && same_bytes(&f, 1, 2) && same_bytes(&f, 1, 3));
	sl_txn_input(f.l, peer_request("ACK", "z9hG4bKs1", 1, NULL), &peer);
	SL_CHECK(&ts, sl_txn_state(t) == SL_TXN_CONFIRMED && st->bytes == 0);
	sl_txn_input(f.l, peer_request("INVITE", "z9hG4bKs1", 1, NULL), &peer);
	SL_CHECK(&ts, f.nlog == 4 && f.requests == 1);	/* absorbed */
	run_until(&f, f.now + T4);
	SL_CHECK(&ts, st->live == 0);
	fix_free(&f);

	/* a final response from inside the request callback: the message
	 * handed to the TU stays readable until the callback returns */
	fix_init(&f);
	st = sl_txn_stats(f.l);
	f.final_on_request = 200;
	sl_txn_input(f.l, peer_request("INVITE", "z9hG4bKs2", 1, NULL), &peer);
	t = f.last_st;
	SL_CHECK(&ts, f.req_after_final && sl_txn_request(t) == NULL && st->requests == 0);
	SL_CHECK(&ts, sl_txn_state(t) == SL_TXN_ACCEPTED && f.nlog == 2 &&
	    st->bytes == f.log[1].n);
	run_until(&f, f.now + T1);
	SL_CHECK(&ts, f.nlog == 3 && same_bytes(&f, 1, 2));	/* 2xx until the ACK */
	sl_txn_input(f.l, peer_request("ACK", "z9hG4bKs2ack", 1, NULL), &peer);
	SL_CHECK(&ts, f.acks == 1 && f.ack_st == t && st->bytes == 0);
	run_until(&f, f.now + 64 * T1);
	SL_CHECK(&ts, f.nlog == 3 && st->live == 0 && f.timeouts == 0);
	fix_free(&f);

	/* non-INVITE: the final response through Timer J, the same bytes
	 * for every retransmitted request */
	fix_init(&f);
	st = sl_txn_stats(f.l);
	f.final_on_request = 401;
	sl_txn_input(f.l, peer_request("BYE", "z9hG4bKs3", 2, NULL), &peer);
	t = f.last_st;
	SL_CHECK(&ts, f.req_after_final && sl_txn_request(t) == NULL && st->requests == 0);
	SL_CHECK(&ts, f.nlog == 2 && st->bytes == f.log[1].n);
	run_until(&f, f.now + 64 * T1 - 1);
	sl_txn_input(f.l, peer_request("BYE", "z9hG4bKs3", 2, NULL), &peer);
	SL_CHECK(&ts, f.requests == 1 && f.nlog == 3 && same_bytes(&f, 1, 2));
	run_until(&f, f.now + 1);
	SL_CHECK(&ts, st->live == 0 && st->bytes == 0 && st->requests == 0);
	fix_free(&f);
}

static void
test_misuse(void)
{
	struct fix f;
	struct sl_sip_txn *ct;

	fix_init(&f);
	SL_CHECK(&ts, sl_txn_client(f.l, our_request("ACK", "z9hG4bKx"), &peer, NULL, &ct) ==
	    SL_EUSAGE);
	SL_CHECK(&ts, sl_txn_client(f.l, our_request("OPTIONS", "z9hG4bKdup"), &peer, NULL, &ct) ==
	    SL_OK);
	SL_CHECK(&ts, sl_txn_client(f.l, our_request("OPTIONS", "z9hG4bKdup"), &peer, NULL, &ct) ==
	    SL_EUSAGE);
	SL_CHECK(&ts, sl_txn_respond_code(f.l, ct, 200, NULL, "x") == SL_EUSAGE);
	/* a response for nothing */
	osip_message_t *r = parse("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bKzz\r\n"
	    "From: <sip:a@b>;tag=1\r\nTo: <sip:a@b>;tag=2\r\nCall-ID: x\r\nCSeq: 1 BYE\r\n\r\n");
	sl_txn_input(f.l, r, &peer);
	SL_CHECK(&ts, f.strays == 1);
	/* an RFC 2543 branch still forms a transaction */
	sl_txn_input(f.l, peer_request("OPTIONS", "old1", 1, NULL), &peer);
	sl_txn_input(f.l, peer_request("OPTIONS", "old1", 1, NULL), &peer);
	SL_CHECK(&ts, f.requests == 1);
	fix_free(&f);
}

int
main(void)
{
	sl_osip_init();
	test_timer_a_b();
	test_timer_e_f();
	test_client_invite_non2xx();
	test_timer_p();
	test_timer_p_cancel();
	test_timer_p_default();
	test_client_invite_2xx();
	test_client_foreign();
	test_respond_once();
	test_server_invite();
	test_server_invite_2xx();
	test_server_non_invite();
	test_client_keeps();
	test_server_keeps();
	test_misuse();
	return sl_test_report(&ts, "sip.txn");
}
