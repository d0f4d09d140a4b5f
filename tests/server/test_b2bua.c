/* test_b2bua.c: the B2BUA of sipladder-server (src/server/b2bua.c,
 * call.c, indialog.c) on the fake network of harness.h: the seed's call
 * message by message (SEED-EN.md), retransmissions absorbed, CANCEL
 * (before and after the callee's first provisional, crossing a 200),
 * failures mapped for the caller, the no-answer timer, the callee's BYE,
 * Timer L, forking, and the limits (--max-calls, the RTP range); what the
 * transactions keep once the call is over.
 * Relay ports: 127.0.0.61:25800-25899. */
#include <stdlib.h>
#include <string.h>

#include "tests/server/harness.h"
#include "server/uri.h"
#include "sip/sdp.h"

static SL_TEST_STATE(ts);

#define A_EP "127.0.0.183:5060"
#define B_EP "127.0.0.101:5060"
#define DIAL "sip:2@" H_SERVER
#define RANGE "25800-25899"

struct call {
	struct h_ua a, b;
	char a_tag[64];			/* the server's tag on leg A */
	osip_message_t *b_inv;		/* the INVITE the callee received */
	osip_message_t *a_inv2;		/* the authorised INVITE, as sent */
	char *inv2_text;
	char a_callid[32];
};

static void
call_free(struct call *c)
{
	sl_msg_free(c->b_inv);
	sl_msg_free(c->a_inv2);
	free(c->inv2_text);
}

static bool
status_is(osip_message_t *m, int code)
{
	bool ok = m && sl_msg_status(m) == code;

	SL_CHECK_MSG(&ts, ok, "expected %d, got %d", code, m ? sl_msg_status(m) : -1);
	sl_msg_free(m);
	return ok;
}

/* Register u1/u2 and run the caller's INVITE through the challenge, up
 * to the INVITE the callee receives. */
static bool
start_call(struct h *h, struct call *c, const char *callid)
{
	char *sdp_a = h_sdp("127.0.0.183", 40000), err[SL_ERRBUF_SIZE];

	memset(c, 0, sizeof(*c));
	c->a = (struct h_ua){ A_EP, "u1", "u1pass", 0 };
	c->b = (struct h_ua){ B_EP, "u2", "u2pass", 0 };
	snprintf(c->a_callid, sizeof(c->a_callid), "%s", callid);
	SL_CHECK(&ts, h_register(h, &c->a, 600) == 200);
	SL_CHECK(&ts, h_register(h, &c->b, 600) == 200);

	char *t = h_req(&c->a, "INVITE", DIAL, DIAL, NULL, callid, 1, "ct1", "z9hG4bKi1", NULL,
	    sdp_a);
	h_in(h, A_EP, t);
	free(t);
	SL_CHECK(&ts, status_is(h_out(h, A_EP, "100 to INVITE"), 100));
	osip_message_t *ch = h_out(h, A_EP, "401 to INVITE");
	SL_CHECK(&ts, ch && sl_msg_status(ch) == 401);
	struct sl_digest_params dp;
	SL_CHECK(&ts, ch && sl_msg_auth(ch, SL_MSG_WWW_AUTHENTICATE, &dp) &&
	    sl_str_eq(dp.realm, SL_STR("Yate")) && sl_str_eq(dp.domain, SL_STR(H_SERVER)) &&
	    sl_str_eq(dp.stale, SL_STR("FALSE")));
	/* the ACK for the 401 is the transaction's business */
	char to[128];
	snprintf(to, sizeof(to), "%s", DIAL);
	t = h_req(&c->a, "ACK", DIAL, DIAL, ch ? sl_msg_to_tag(ch).p : "x", callid, 1, "ct1",
	    "z9hG4bKi1", NULL, NULL);
	h_in(h, A_EP, t);
	free(t);
	h_quiet(h, "ACK of the 401");

	char *az = h_authz(&c->a, ch, "INVITE", DIAL);
	sl_msg_free(ch);
	c->inv2_text = h_req(&c->a, "INVITE", DIAL, DIAL, NULL, callid, 2, "ct1", "z9hG4bKi2",
	    az, sdp_a);
	free(az);
	free(sdp_a);
	sl_msg_parse(c->inv2_text, strlen(c->inv2_text), &c->a_inv2, err);
	h_in(h, A_EP, c->inv2_text);
	SL_CHECK(&ts, status_is(h_out(h, A_EP, "100 to the authorised INVITE"), 100));
	c->b_inv = h_out(h, B_EP, "B-leg INVITE");
	return c->b_inv != NULL;
}

/* callee: 100, 180 -> the caller hears 180 (returns our A tag) */
static void
ring(struct h *h, struct call *c)
{
	char *t = h_resp(c->b_inv, 100, NULL, NULL, NULL);
	h_in(h, B_EP, t);
	free(t);
	h_quiet(h, "100 from the callee is not relayed");
	t = h_resp(c->b_inv, 180, "cb1", "<sip:u2@" B_EP ">", NULL);
	h_in(h, B_EP, t);
	free(t);
	osip_message_t *r = h_out(h, A_EP, "180 relayed");
	SL_CHECK(&ts, r && sl_msg_status(r) == 180 && sl_msg_to_tag(r).n > 0);
	if (r) {
		snprintf(c->a_tag, sizeof(c->a_tag), "%.*s", SL_PRI(sl_msg_to_tag(r)));
		char ct[SL_MSG_URI_MAX];
		bool star;
		uint32_t exp;
		SL_CHECK(&ts, sl_msg_contact(r, ct, &star, &exp) &&
		    strcmp(ct, "sip:2@" H_SERVER ":5060") == 0);
	}
	sl_msg_free(r);
}

/* callee answers: ACK on B first, then 200 on A; the caller ACKs */
static void
answer(struct h *h, struct call *c)
{
	char *sdp_b = h_sdp("127.0.0.101", 40002);
	char *t = h_resp(c->b_inv, 200, "cb1", "<sip:u2@" B_EP ">", sdp_b);
	free(sdp_b);
	h_in(h, B_EP, t);
	osip_message_t *ack = h_out(h, B_EP, "ACK on leg B (before the 200 on A)");
	SL_CHECK(&ts, ack && sl_msg_is(ack, "ACK") && sl_str_eq(sl_msg_to_tag(ack), SL_STR("cb1")));
	char ack_bytes[4096] = "";
	if (h_last(h))
		snprintf(ack_bytes, sizeof(ack_bytes), "%s", h_last(h)->data);
	osip_message_t *ok = h_out(h, A_EP, "200 on A");
	SL_CHECK(&ts, ok && sl_msg_status(ok) == 200);
	char *body = h_body(ok);
	struct sl_sipsdp_info si;
	SL_CHECK(&ts, body && sl_sipsdp_parse(body, strlen(body), &si) == SL_OK &&
	    si.port >= 25800 && si.port <= 25899 && si.port % 2 == 0);
	free(body);
	if (ok)
		snprintf(c->a_tag, sizeof(c->a_tag), "%.*s", SL_PRI(sl_msg_to_tag(ok)));
	sl_msg_free(ok);
	sl_msg_free(ack);
	/* a retransmitted 200 gets the same ACK again, nothing goes to A */
	h_in(h, B_EP, t);
	free(t);
	ack = h_out(h, B_EP, "ACK again");
	SL_CHECK(&ts, ack && h_last(h) && strcmp(h_last(h)->data, ack_bytes) == 0);
	sl_msg_free(ack);
	h_quiet(h, "retransmitted 200 not relayed");
	t = h_req(&c->a, "ACK", "sip:2@" H_SERVER ":5060", DIAL, c->a_tag, c->a_callid, 2, "ct1",
	    "z9hG4bKa2", NULL, NULL);
	h_in(h, A_EP, t);
	free(t);
	h_quiet(h, "the caller's ACK ends on the server");
}

static void
test_seed_call(void)
{
	struct h h;
	struct h_cfg cfg = { .rtp = RANGE };
	struct call c;

	if (!h_init(&h, &ts, &cfg))
		return;
	if (!start_call(&h, &c, "2126492930@" H_SERVER))
		goto out;
	osip_message_t *bi = c.b_inv;
	char cid[SL_MSG_CALLID_MAX], ruri[SL_MSG_URI_MAX];
	SL_CHECK(&ts, sl_msg_call_id(bi, cid) && strcmp(cid, c.a_callid) != 0 &&
	    strstr(cid, "@" H_SERVER) != NULL);
	SL_CHECK(&ts, sl_msg_ruri(bi, ruri) && strcmp(ruri, "sip:u2@" B_EP) == 0);
	SL_CHECK(&ts, sl_str_eq(sl_msg_from_user(bi), SL_STR("u1")) &&
	    strcmp(bi->from->url->host, H_SERVER) == 0);
	SL_CHECK(&ts, sl_msg_from_tag(bi).n > 0 && !sl_str_eq(sl_msg_from_tag(bi), SL_STR("ct1")));
	SL_CHECK(&ts, sl_msg_max_forwards(bi) == 19);
	SL_CHECK(&ts, osip_list_size(&bi->authorizations) == 0);
	uint32_t cseq;
	struct sl_str cm;
	SL_CHECK(&ts, sl_msg_cseq(bi, &cseq, &cm) && cseq == 1);
	char *body = h_body(bi);
	struct sl_sipsdp_info si;
	SL_CHECK(&ts, body && sl_sipsdp_parse(body, strlen(body), &si) == SL_OK && si.has_conn &&
	    si.port >= 25800 && si.port <= 25899);
	char ip[SL_IP_STRLEN];
	SL_CHECK(&ts, strcmp(sl_ip_str(&si.conn, ip, sizeof(ip)), H_SERVER) == 0);
	free(body);

	/* the caller retransmits its INVITE: the 100 again, no second leg */
	h_in(&h, A_EP, c.inv2_text);
	SL_CHECK(&ts, status_is(h_out(&h, A_EP, "100 retransmitted"), 100));
	h_quiet(&h, "retransmitted INVITE absorbed");

	ring(&h, &c);
	answer(&h, &c);
	SL_CHECK(&ts, sl_srv_calls(&h.srv) == 1);

	/* the seed's hangup: BYE, 100, 401, BYE with credentials, 100, 200,
	 * then the server's BYE (with Reason) on leg B */
	char *t = h_req(&c.a, "BYE", "sip:2@" H_SERVER ":5060", DIAL, c.a_tag, c.a_callid, 3,
	    "ct1", "z9hG4bKb3", "Reason: SIP;text=\"User hangup\"\r\n", NULL);
	h_in(&h, A_EP, t);
	free(t);
	SL_CHECK(&ts, status_is(h_out(&h, A_EP, "100 to BYE"), 100));
	osip_message_t *ch = h_out(&h, A_EP, "401 to BYE");
	SL_CHECK(&ts, ch && sl_msg_status(ch) == 401);
	h_quiet(&h, "challenged BYE goes nowhere");
	char *az = h_authz(&c.a, ch, "BYE", "sip:2@" H_SERVER ":5060");
	sl_msg_free(ch);
	char extra[4400];
	snprintf(extra, sizeof(extra), "Reason: SIP;text=\"User hangup\"\r\n%s", az ? az : "");
	free(az);
	char *bye4 = h_req(&c.a, "BYE", "sip:2@" H_SERVER ":5060", DIAL, c.a_tag, c.a_callid, 4,
	    "ct1", "z9hG4bKb4", extra, NULL);
	h_in(&h, A_EP, bye4);
	SL_CHECK(&ts, status_is(h_out(&h, A_EP, "100 to BYE"), 100));
	osip_message_t *ok = h_out(&h, A_EP, "200 to BYE");
	SL_CHECK(&ts, ok && sl_msg_status(ok) == 200 &&
	    strncmp(h_hdr(ok, "p-rtp-stat"), "PS=0,OS=0,PR=0,OR=0", 19) == 0);
	char *ok_bytes = h_last(&h) ? strdup(h_last(&h)->data) : NULL;
	sl_msg_free(ok);
	osip_message_t *bye = h_bye_ok(&h, B_EP, "BYE on leg B");
	SL_CHECK(&ts, bye && strcmp(h_hdr(bye, "reason"), "SIP;text=\"User hangup\"") == 0);
	SL_CHECK(&ts, bye && sl_msg_call_id(bye, ruri) && strcmp(ruri, cid) == 0 &&
	    sl_msg_ruri(bye, ruri) && strcmp(ruri, "sip:u2@" B_EP) == 0);
	SL_CHECK(&ts, bye && sl_msg_cseq(bye, &cseq, &cm) && cseq == 2);
	sl_msg_free(bye);
	h_quiet(&h, "call over");
	SL_CHECK(&ts, sl_srv_calls(&h.srv) == 0);
	SL_CHECK(&ts, h.srv.relay.pool.in_use == 0);
	SL_CHECK(&ts, h_logged(&h, "ended by the caller"));
	/* the transactions linger (64*T1) without a parsed request, keeping
	 * only what they may send again: the BYE's 200, byte for byte */
	const struct sl_txn_stats *tst = sl_txn_stats(h.srv.txn);
	SL_CHECK(&ts, tst->live > 0 && tst->requests == 0);
	h_in(&h, A_EP, bye4);
	ok = h_out(&h, A_EP, "200 to the repeated BYE");
	SL_CHECK(&ts, ok && ok_bytes && h_last(&h) && strcmp(h_last(&h)->data, ok_bytes) == 0);
	sl_msg_free(ok);
	free(ok_bytes);
	free(bye4);
	h_in(&h, A_EP, c.inv2_text);
	h_quiet(&h, "INVITE repeated after the ACK: absorbed (RFC 6026)");
	/* a BYE on the finished dialog: 481 */
	t = h_req(&c.a, "BYE", "sip:2@" H_SERVER ":5060", DIAL, c.a_tag, c.a_callid, 5, "ct1",
	    "z9hG4bKb5", NULL, NULL);
	h_in(&h, A_EP, t);
	free(t);
	SL_CHECK(&ts, status_is(h_out(&h, A_EP, "100"), 100));
	SL_CHECK(&ts, status_is(h_out(&h, A_EP, "481 after the end"), 481));
	h_advance(&h, 7000);	/* 64*T1 = 6.4 s: every timer has run */
	SL_CHECK(&ts, tst->live == 0 && tst->requests == 0 && tst->bytes == 0);
out:
	call_free(&c);
	h_free(&h);
}

/* The callee hangs up: no challenge, BYE to the caller's Contact. */
static void
test_callee_bye(void)
{
	struct h h;
	struct h_cfg cfg = { .rtp = RANGE };
	struct call c;

	if (!h_init(&h, &ts, &cfg))
		return;
	if (!start_call(&h, &c, "cb@x")) {
		call_free(&c);
		h_free(&h);
		return;
	}
	ring(&h, &c);
	answer(&h, &c);
	char from_b[128], ruri[SL_MSG_URI_MAX];
	snprintf(from_b, sizeof(from_b), "%.*s", SL_PRI(sl_msg_from_tag(c.b_inv)));
	char cid[SL_MSG_CALLID_MAX];
	sl_msg_call_id(c.b_inv, cid);
	/* the callee's BYE: From is the callee (tag cb1), To is us */
	char *t = malloc(2048);
	snprintf(t, 2048, "BYE sip:u1@" H_SERVER ":5060 SIP/2.0\r\n"
	    "Via: SIP/2.0/UDP " B_EP ";branch=z9hG4bKcb\r\n"
	    "From: <sip:u2@" B_EP ">;tag=cb1\r\nTo: <sip:u2@" B_EP ">;tag=%s\r\n"
	    "Call-ID: %s\r\nCSeq: 7 BYE\r\nContent-Length: 0\r\n\r\n", from_b, cid);
	h_in(&h, B_EP, t);
	free(t);
	SL_CHECK(&ts, status_is(h_out(&h, B_EP, "100 to the callee's BYE"), 100));
	SL_CHECK(&ts, status_is(h_out(&h, B_EP, "200 to the callee's BYE, unchallenged"), 200));
	osip_message_t *bye = h_out(&h, A_EP, "BYE to the caller");
	SL_CHECK(&ts, bye && sl_msg_is(bye, "BYE") && sl_msg_ruri(bye, ruri) &&
	    strcmp(ruri, "sip:u1@" A_EP) == 0 &&
	    strcmp(h_hdr(bye, "reason"), "SIP;text=\"Normal call clearing\"") == 0 &&
	    sl_str_eq(sl_msg_to_tag(bye), SL_STR("ct1")));
	sl_msg_free(bye);
	h_quiet(&h, "done");
	SL_CHECK(&ts, sl_srv_calls(&h.srv) == 0);
	call_free(&c);
	h_free(&h);
}

/* CANCEL after the callee rang, and a 200 crossing the CANCEL */
static void
test_cancel(void)
{
	struct h h;
	struct h_cfg cfg = { .rtp = RANGE };
	struct call c;

	if (!h_init(&h, &ts, &cfg))
		return;
	if (!start_call(&h, &c, "cancel1@x"))
		goto out;
	ring(&h, &c);
	char *t = h_req(&c.a, "CANCEL", DIAL, DIAL, NULL, c.a_callid, 2, "ct1", "z9hG4bKi2",
	    NULL, NULL);
	h_in(&h, A_EP, t);
	free(t);
	SL_CHECK(&ts, status_is(h_out(&h, A_EP, "100 to CANCEL"), 100));
	osip_message_t *ok = h_out(&h, A_EP, "200 to CANCEL");
	SL_CHECK(&ts, ok && sl_msg_status(ok) == 200 &&
	    sl_str_eq(sl_msg_to_tag(ok), sl_str_c(c.a_tag)));
	sl_msg_free(ok);
	SL_CHECK(&ts, status_is(h_out(&h, A_EP, "487 to the INVITE"), 487));
	osip_message_t *cancel = h_out(&h, B_EP, "CANCEL on leg B");
	SL_CHECK(&ts, cancel && sl_msg_is(cancel, "CANCEL") &&
	    sl_str_eq(sl_msg_branch(cancel), sl_msg_branch(c.b_inv)));
	/* the callee's 200 crossed our CANCEL: ACK it, then BYE */
	char *sdp_b = h_sdp("127.0.0.101", 40002);
	t = h_resp(c.b_inv, 200, "cb1", "<sip:u2@" B_EP ">", sdp_b);
	free(sdp_b);
	h_in(&h, B_EP, t);
	free(t);
	osip_message_t *ack = h_out(&h, B_EP, "ACK of the crossing 200");
	SL_CHECK(&ts, ack && sl_msg_is(ack, "ACK"));
	osip_message_t *bye = h_out(&h, B_EP, "BYE of the unwanted dialog");
	SL_CHECK(&ts, bye && sl_msg_is(bye, "BYE"));
	h_quiet(&h, "caller untouched");
	SL_CHECK(&ts, sl_srv_calls(&h.srv) == 0);
	sl_msg_free(ack);
	sl_msg_free(bye);
	sl_msg_free(cancel);
	/* the caller's ACK for the 487 is absorbed */
	t = h_req(&c.a, "ACK", DIAL, DIAL, c.a_tag, c.a_callid, 2, "ct1", "z9hG4bKi2", NULL, NULL);
	h_in(&h, A_EP, t);
	free(t);
	h_quiet(&h, "ACK of 487");
out:
	call_free(&c);
	h_free(&h);
}

/* CANCEL before any provisional: the CANCEL waits for the callee's 100
 * (RFC 3261 9.1); the callee's 487 ends the leg. A CANCEL matching
 * nothing gets 481. */
static void
test_cancel_early(void)
{
	struct h h;
	struct h_cfg cfg = { .rtp = RANGE };
	struct call c;

	if (!h_init(&h, &ts, &cfg))
		return;
	if (!start_call(&h, &c, "cancel2@x"))
		goto out;
	char *t = h_req(&c.a, "CANCEL", DIAL, DIAL, NULL, c.a_callid, 2, "ct1", "z9hG4bKi2",
	    NULL, NULL);
	h_in(&h, A_EP, t);
	free(t);
	SL_CHECK(&ts, status_is(h_out(&h, A_EP, "100 to CANCEL"), 100));
	SL_CHECK(&ts, status_is(h_out(&h, A_EP, "200 to CANCEL"), 200));
	SL_CHECK(&ts, status_is(h_out(&h, A_EP, "487"), 487));
	h_quiet(&h, "no CANCEL before a provisional");
	t = h_resp(c.b_inv, 100, NULL, NULL, NULL);
	h_in(&h, B_EP, t);
	free(t);
	osip_message_t *cancel = h_out(&h, B_EP, "deferred CANCEL");
	SL_CHECK(&ts, cancel && sl_msg_is(cancel, "CANCEL"));
	sl_msg_free(cancel);
	t = h_resp(c.b_inv, 487, "cb1", NULL, NULL);
	h_in(&h, B_EP, t);
	free(t);
	osip_message_t *ack = h_out(&h, B_EP, "ACK of 487 (transaction layer)");
	SL_CHECK(&ts, ack && sl_msg_is(ack, "ACK"));
	sl_msg_free(ack);
	h_quiet(&h, "nothing more");
	SL_CHECK(&ts, sl_srv_calls(&h.srv) == 0 && h.srv.relay.pool.in_use == 0);
	t = h_req(&c.a, "CANCEL", DIAL, DIAL, NULL, "nothing@x", 1, "zz", "z9hG4bKnone", NULL,
	    NULL);
	h_in(&h, A_EP, t);
	free(t);
	SL_CHECK(&ts, status_is(h_out(&h, A_EP, "100"), 100));
	SL_CHECK(&ts, status_is(h_out(&h, A_EP, "481 to a stray CANCEL"), 481));
out:
	call_free(&c);
	h_free(&h);
}

/* the callee's final failure, as the caller hears it */
static void
test_failures(void)
{
	static const struct {
		int callee, caller;
	} rows[] = { { 486, 486 }, { 603, 603 }, { 404, 404 }, { 302, 480 }, { 407, 403 },
		     { 500, 500 } };

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct h h;
		struct h_cfg cfg = { .rtp = RANGE };
		struct call c;
		char cid[32];

		if (!h_init(&h, &ts, &cfg))
			return;
		snprintf(cid, sizeof(cid), "fail%zu@x", i);
		if (start_call(&h, &c, cid)) {
			char *t = h_resp(c.b_inv, rows[i].callee, "cb1", NULL, NULL);
			h_in(&h, B_EP, t);
			free(t);
			osip_message_t *ack = h_out(&h, B_EP, "ACK of the failure");
			SL_CHECK(&ts, ack && sl_msg_is(ack, "ACK"));
			sl_msg_free(ack);
			osip_message_t *r = h_out(&h, A_EP, "failure relayed");
			SL_CHECK_MSG(&ts, r && sl_msg_status(r) == rows[i].caller, "row %zu: %d", i,
			    r ? sl_msg_status(r) : 0);
			sl_msg_free(r);
			SL_CHECK(&ts, sl_srv_calls(&h.srv) == 0);
		}
		call_free(&c);
		h_free(&h);
	}
}

/* --no-answer: 480 after ringing, 408 without; the leg is CANCELled */
static void
test_no_answer(void)
{
	for (int rang = 0; rang < 2; rang++) {
		struct h h;
		struct h_cfg cfg = { .rtp = RANGE, .no_answer_s = 10 };
		struct call c;

		if (!h_init(&h, &ts, &cfg))
			return;
		if (start_call(&h, &c, rang ? "na1@x" : "na0@x")) {
			if (rang)
				ring(&h, &c);
			else {
				char *t = h_resp(c.b_inv, 100, NULL, NULL, NULL);
				h_in(&h, B_EP, t);
				free(t);
			}
			h_advance(&h, 9990);
			h_quiet(&h, "still ringing at 9.99 s");
			h_advance(&h, 20);
			SL_CHECK(&ts, status_is(h_out(&h, A_EP, "no-answer failure"), rang ? 480 : 408));
			osip_message_t *cancel = h_out(&h, B_EP, "CANCEL after no answer");
			SL_CHECK(&ts, cancel && sl_msg_is(cancel, "CANCEL"));
			sl_msg_free(cancel);
			char *t = h_resp(c.b_inv, 487, "cb1", NULL, NULL);
			h_in(&h, B_EP, t);
			free(t);
			osip_message_t *ack = h_out(&h, B_EP, "ACK of 487");
			sl_msg_free(ack);
			SL_CHECK(&ts, sl_srv_calls(&h.srv) == 0);
		}
		call_free(&c);
		h_free(&h);
	}
}

/* Timer L: the caller never ACKs the 200: both legs get a BYE. Timer B:
 * a callee that never answers at all: 408 to the caller. */
static void
test_timers(void)
{
	struct h h;
	struct h_cfg cfg = { .rtp = RANGE };
	struct call c;

	if (!h_init(&h, &ts, &cfg))
		return;
	if (start_call(&h, &c, "tl@x")) {
		char *sdp_b = h_sdp("127.0.0.101", 40002);
		char *t = h_resp(c.b_inv, 200, "cb1", "<sip:u2@" B_EP ">", sdp_b);
		free(sdp_b);
		h_in(&h, B_EP, t);
		free(t);
		sl_msg_free(h_out(&h, B_EP, "ACK"));
		sl_msg_free(h_out(&h, A_EP, "200"));
		/* T1 = 100 ms: 2xx retransmitted at 100, 300, 700 ms...; Timer
		 * L at 64*T1 = 6.4 s */
		h_advance(&h, 6500);
		int bye_a = 0, bye_b = 0, retx = 0;
		while (h.head < h.nq) {
			struct h_pkt *k = &h.q[h.head++];
			if (strncmp(k->data, "BYE ", 4) == 0) {
				/* first sends and their Timer E retransmissions */
				bye_a += strcmp(k->to, A_EP) == 0;
				bye_b += strcmp(k->to, B_EP) == 0;
				SL_CHECK(&ts, strstr(k->data, "Reason: SIP;cause=408;text=\"ACK timeout\"") !=
				    NULL);
			} else if (strncmp(k->data, "SIP/2.0 200", 11) == 0 &&
			    strcmp(k->to, A_EP) == 0) {
				retx++;
			}
		}
		SL_CHECK_MSG(&ts, bye_a >= 1 && bye_b >= 1 && retx >= 5, "byes %d/%d retx %d",
		    bye_a, bye_b, retx);
		SL_CHECK(&ts, sl_srv_calls(&h.srv) == 0);
	}
	call_free(&c);
	h_free(&h);

	if (!h_init(&h, &ts, &cfg))
		return;
	if (start_call(&h, &c, "tb@x")) {
		h_advance(&h, 6500);
		bool got408 = false;
		while (h.head < h.nq) {
			struct h_pkt *k = &h.q[h.head++];
			got408 |= strcmp(k->to, A_EP) == 0 && strncmp(k->data, "SIP/2.0 408", 11) == 0;
		}
		SL_CHECK(&ts, got408);
		SL_CHECK(&ts, sl_srv_calls(&h.srv) == 0);
	}
	call_free(&c);
	h_free(&h);
}

/* Routing outcomes and limits before any leg B exists */
static void
test_rejections(void)
{
	struct h h;
	struct h_cfg cfg = { .rtp = "25890-25893", .max_calls = 2 };
	struct h_ua a = { A_EP, "u1", "u1pass", 0 }, b = { B_EP, "u2", "u2pass", 0 };

	if (!h_init(&h, &ts, &cfg))
		return;
	SL_CHECK(&ts, h_register(&h, &a, 600) == 200);
	char *sdp_a = h_sdp("127.0.0.183", 40000);
	/* authorised calls need a fresh challenge: take one per call */
	struct {
		const char *ruri;
		int want;
		const char *why;
	} rows[] = {
		{ "sip:2@" H_SERVER, 404, "offline" },		/* u2 not registered */
		{ "sip:9@" H_SERVER, 404, "noroute" },		/* no such number */
		{ "sip:2@" H_SERVER, 0, NULL },			/* u2 registered: call 1 */
		{ "sip:2@" H_SERVER, 503, "no RTP relay ports" },	/* range: 2 ports */
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char cid[32], br[32];
		if (i == 2)
			SL_CHECK(&ts, h_register(&h, &b, 600) == 200);
		snprintf(cid, sizeof(cid), "rej%zu@x", i);
		snprintf(br, sizeof(br), "z9hG4bKrj%zu", i);
		char *t = h_req(&a, "INVITE", rows[i].ruri, rows[i].ruri, NULL, cid, 1, "f", br,
		    NULL, sdp_a);
		h_in(&h, A_EP, t);
		free(t);
		sl_msg_free(h_out(&h, A_EP, "100"));
		osip_message_t *ch = h_out(&h, A_EP, "401");
		char *az = h_authz(&a, ch, "INVITE", rows[i].ruri);
		sl_msg_free(ch);
		snprintf(br, sizeof(br), "z9hG4bKrk%zu", i);
		t = h_req(&a, "INVITE", rows[i].ruri, rows[i].ruri, NULL, cid, 2, "f", br, az, sdp_a);
		free(az);
		h_in(&h, A_EP, t);
		free(t);
		sl_msg_free(h_out(&h, A_EP, "100"));
		if (rows[i].want == 0) {
			osip_message_t *inv = h_out(&h, B_EP, "INVITE to u2");
			SL_CHECK(&ts, inv && sl_msg_is(inv, "INVITE"));
			sl_msg_free(inv);
			continue;
		}
		osip_message_t *r = h_out(&h, A_EP, "rejection");
		SL_CHECK_MSG(&ts, r && sl_msg_status(r) == rows[i].want, "row %zu: %d", i,
		    r ? sl_msg_status(r) : 0);
		sl_msg_free(r);
		SL_CHECK_MSG(&ts, h_logged(&h, rows[i].why), "row %zu: log lacks %s", i,
		    rows[i].why);
	}
	SL_CHECK(&ts, h_logged(&h, "127.0.0.183:5060: INVITE 9 -> 404 Not Found: noroute"));
	free(sdp_a);
	h_free(&h);

	/* --max-calls 1: the second call gets 503 */
	struct h_cfg cfg2 = { .rtp = RANGE, .max_calls = 1 };
	struct call c;
	if (!h_init(&h, &ts, &cfg2))
		return;
	if (start_call(&h, &c, "mc1@x")) {
		struct h_ua a2 = { "127.0.0.184:5060", "u1", "u1pass", 0 };
		char *sdp = h_sdp("127.0.0.184", 40010);
		char *t = h_req(&a2, "INVITE", DIAL, DIAL, NULL, "mc2@x", 1, "g", "z9hG4bKm1", NULL,
		    sdp);
		h_in(&h, "127.0.0.184:5060", t);
		free(t);
		sl_msg_free(h_out(&h, "127.0.0.184:5060", "100"));
		osip_message_t *ch = h_out(&h, "127.0.0.184:5060", "401");
		char *az = h_authz(&a2, ch, "INVITE", DIAL);
		sl_msg_free(ch);
		t = h_req(&a2, "INVITE", DIAL, DIAL, NULL, "mc2@x", 2, "g", "z9hG4bKm2", az, sdp);
		free(az);
		free(sdp);
		h_in(&h, "127.0.0.184:5060", t);
		free(t);
		sl_msg_free(h_out(&h, "127.0.0.184:5060", "100"));
		SL_CHECK(&ts, status_is(h_out(&h, "127.0.0.184:5060", "503 over --max-calls"), 503));
		SL_CHECK(&ts, h_logged(&h, "call limit (1) reached"));
		/* a new INVITE reusing a live call's Call-ID and From tag */
		t = h_req(&c.a, "INVITE", DIAL, DIAL, NULL, c.a_callid, 3, "ct1", "z9hG4bKdup", NULL,
		    NULL);
		h_in(&h, A_EP, t);
		free(t);
		sl_msg_free(h_out(&h, A_EP, "100"));
		SL_CHECK(&ts, status_is(h_out(&h, A_EP, "482 merged"), 482));
	}
	call_free(&c);
	h_free(&h);
}

/* regfile alternatives fork; the first 200 wins, the other leg is
 * CANCELled with Reason "Call completed elsewhere" */
static void
test_fork(void)
{
	static const char rf[] = "[general]\n[u1]\npassword=u1pass\n"
	    "[alice]\npassword=a\nalternatives=100\n[bob]\npassword=b\nalternatives=100\n";
	static const char rr[] = "[default]\n${username}^$=-;error=noauth\n";
	struct h h;
	struct h_cfg cfg = { .regfile = rf, .regexroute = rr, .rtp = RANGE };
	struct h_ua caller = { A_EP, "u1", "u1pass", 0 };
	struct h_ua alice = { "127.0.0.102:5060", "alice", "a", 0 };
	struct h_ua bob = { "127.0.0.103:5060", "bob", "b", 0 };

	if (!h_init(&h, &ts, &cfg))
		return;
	SL_CHECK(&ts, h_register(&h, &alice, 600) == 200 && h_register(&h, &bob, 600) == 200);
	SL_CHECK(&ts, h_register(&h, &caller, 600) == 200);
	char *sdp = h_sdp("127.0.0.183", 40000);
	const char *uri = "sip:100@" H_SERVER;
	char *t = h_req(&caller, "INVITE", uri, uri, NULL, "fork@x", 1, "ff", "z9hG4bKf1", NULL, sdp);
	h_in(&h, A_EP, t);
	free(t);
	sl_msg_free(h_out(&h, A_EP, "100"));
	osip_message_t *ch = h_out(&h, A_EP, "401");
	char *az = h_authz(&caller, ch, "INVITE", uri);
	sl_msg_free(ch);
	t = h_req(&caller, "INVITE", uri, uri, NULL, "fork@x", 2, "ff", "z9hG4bKf2", az, sdp);
	free(az);
	free(sdp);
	h_in(&h, A_EP, t);
	free(t);
	sl_msg_free(h_out(&h, A_EP, "100"));
	osip_message_t *ia = h_out(&h, "127.0.0.102:5060", "INVITE to alice");
	osip_message_t *ib = h_out(&h, "127.0.0.103:5060", "INVITE to bob");
	if (ia && ib) {
		char ca[SL_MSG_CALLID_MAX], cb[SL_MSG_CALLID_MAX];
		SL_CHECK(&ts, sl_msg_call_id(ia, ca) && sl_msg_call_id(ib, cb) && strcmp(ca, cb) != 0);
		t = h_resp(ib, 180, "bt", "<sip:bob@127.0.0.103>", NULL);
		h_in(&h, "127.0.0.103:5060", t);
		free(t);
		SL_CHECK(&ts, status_is(h_out(&h, A_EP, "180 from bob"), 180));
		t = h_resp(ia, 180, "at", "<sip:alice@127.0.0.102>", NULL);
		h_in(&h, "127.0.0.102:5060", t);
		free(t);
		h_quiet(&h, "a second 180 is not repeated to the caller");
		char *sb = h_sdp("127.0.0.102", 40004);
		t = h_resp(ia, 200, "at", "<sip:alice@127.0.0.102>", sb);
		free(sb);
		h_in(&h, "127.0.0.102:5060", t);
		free(t);
		sl_msg_free(h_out(&h, "127.0.0.102:5060", "ACK to alice"));
		SL_CHECK(&ts, status_is(h_out(&h, A_EP, "200 from alice"), 200));
		osip_message_t *cancel = h_out(&h, "127.0.0.103:5060", "CANCEL to bob");
		SL_CHECK(&ts, cancel && sl_msg_is(cancel, "CANCEL") &&
		    strcmp(h_hdr(cancel, "reason"),
		    "SIP;cause=200;text=\"Call completed elsewhere\"") == 0);
		sl_msg_free(cancel);
	}
	sl_msg_free(ia);
	sl_msg_free(ib);
	h_free(&h);
}

/* A late offer (INVITE without SDP): the callee gets our offer, the
 * caller's answer arrives in its ACK. In-dialog re-INVITE answered with
 * the SDP last sent; INFO 200. */
static void
test_late_offer(void)
{
	struct h h;
	struct h_cfg cfg = { .rtp = RANGE };
	struct h_ua a = { A_EP, "u1", "u1pass", 0 }, b = { B_EP, "u2", "u2pass", 0 };

	if (!h_init(&h, &ts, &cfg))
		return;
	SL_CHECK(&ts, h_register(&h, &a, 600) == 200 && h_register(&h, &b, 600) == 200);
	char *t = h_req(&a, "INVITE", DIAL, DIAL, NULL, "late@x", 1, "lt", "z9hG4bKl1", NULL, NULL);
	h_in(&h, A_EP, t);
	free(t);
	sl_msg_free(h_out(&h, A_EP, "100"));
	osip_message_t *ch = h_out(&h, A_EP, "401");
	char *az = h_authz(&a, ch, "INVITE", DIAL);
	sl_msg_free(ch);
	t = h_req(&a, "INVITE", DIAL, DIAL, NULL, "late@x", 2, "lt", "z9hG4bKl2", az, NULL);
	free(az);
	h_in(&h, A_EP, t);
	free(t);
	sl_msg_free(h_out(&h, A_EP, "100"));
	osip_message_t *inv = h_out(&h, B_EP, "INVITE with our offer");
	char *body = h_body(inv);
	SL_CHECK(&ts, body && strstr(body, "m=audio 258") && strstr(body, "RTP/AVP 0 8 101"));
	free(body);
	if (inv) {
		char *sb = h_sdp("127.0.0.101", 40002);
		t = h_resp(inv, 200, "lb", "<sip:u2@" B_EP ">", sb);
		free(sb);
		h_in(&h, B_EP, t);
		free(t);
		sl_msg_free(h_out(&h, B_EP, "ACK"));
		osip_message_t *ok = h_out(&h, A_EP, "200 with an offer");
		char tag[64] = "";
		if (ok)
			snprintf(tag, sizeof(tag), "%.*s", SL_PRI(sl_msg_to_tag(ok)));
		sl_msg_free(ok);
		char *sa = h_sdp("127.0.0.183", 40000);
		t = h_req(&a, "ACK", "sip:2@" H_SERVER ":5060", DIAL, tag, "late@x", 2, "lt",
		    "z9hG4bKl3", NULL, sa);
		h_in(&h, A_EP, t);
		free(t);
		h_quiet(&h, "ACK with the answer");
		/* the caller authenticated its INVITE: its re-INVITE is
		 * challenged like its BYE (it could move the media) */
		t = h_req(&a, "INVITE", "sip:2@" H_SERVER ":5060", DIAL, tag, "late@x", 3, "lt",
		    "z9hG4bKl4", NULL, sa);
		h_in(&h, A_EP, t);
		free(t);
		sl_msg_free(h_out(&h, A_EP, "100 to re-INVITE"));
		osip_message_t *ch2 = h_out(&h, A_EP, "401 to re-INVITE");
		SL_CHECK(&ts, ch2 && sl_msg_status(ch2) == 401);
		char *az2 = h_authz(&a, ch2, "INVITE", "sip:2@" H_SERVER ":5060");
		sl_msg_free(ch2);
		t = h_req(&a, "INVITE", "sip:2@" H_SERVER ":5060", DIAL, tag, "late@x", 4, "lt",
		    "z9hG4bKl4b", az2, sa);
		free(az2);
		free(sa);
		h_in(&h, A_EP, t);
		free(t);
		sl_msg_free(h_out(&h, A_EP, "100 to re-INVITE"));
		osip_message_t *re = h_out(&h, A_EP, "200 to re-INVITE");
		char *rb = h_body(re);
		/* unchanged: the SDP the caller got in the 200 */
		SL_CHECK(&ts, re && sl_msg_status(re) == 200 && rb && strstr(rb, "c=IN IP4 " H_SERVER));
		free(rb);
		sl_msg_free(re);
		t = h_req(&a, "INFO", "sip:2@" H_SERVER ":5060", DIAL, tag, "late@x", 5, "lt",
		    "z9hG4bKl5", NULL, NULL);
		h_in(&h, A_EP, t);
		free(t);
		sl_msg_free(h_out(&h, A_EP, "100"));
		SL_CHECK(&ts, status_is(h_out(&h, A_EP, "200 to INFO"), 200));
		SL_CHECK(&ts, sl_srv_calls(&h.srv) == 1);
	}
	sl_msg_free(inv);
	h_free(&h);
	/* h_free closed the call's relay ports: none leak (ASan would say) */
}

int
main(void)
{
	sl_osip_init();
	test_seed_call();
	test_callee_bye();
	test_cancel();
	test_cancel_early();
	test_failures();
	test_no_answer();
	test_timers();
	test_rejections();
	test_fork();
	test_late_offer();
	return sl_test_report(&ts, "server.b2bua");
}
