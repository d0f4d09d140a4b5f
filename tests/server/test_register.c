/* test_register.c: REGISTER handling of sipladder-server
 * (src/server/register.c, auth.c) on the fake network of harness.h:
 * challenges (plain, stale, wrong password, another user's credentials,
 * a nonce reused with a growing nc, the same nc refused, empty passwords),
 * Expires limits (423, cut at the maximum, ;expires= over the header),
 * unregister, Contact: *, queries, out-of-order CSeq, the --max-regs cap,
 * expiry on time, and malformed or unsupported requests.
 * Relay ports: 127.0.0.61:25900-25909 (no call is placed). */
#include <stdlib.h>
#include <string.h>

#include "tests/server/harness.h"

static SL_TEST_STATE(ts);

#define UA "127.0.0.183:5060"
#define REG "sip:" H_SERVER
#define AOR "sip:u1@" H_SERVER

struct reg {
	struct h *h;
	struct h_ua ua;
	unsigned cseq;
	osip_message_t *ch;	/* last challenge */
	uint32_t nc;		/* last nonce count used with it */
};

/* One REGISTER; returns the final response (100 checked and dropped). */
static osip_message_t *
send_reg(struct reg *r, const char *callid, const char *extra, bool with_auth,
    const char *user_override)
{
	char branch[32], both[4400];
	char *az = NULL;

	if (with_auth) {
		struct h_ua who = r->ua;
		if (user_override)
			who.user = user_override;
		az = h_authz_nc(&who, r->ch, "REGISTER", REG, ++r->nc);
	}
	snprintf(both, sizeof(both), "%s%s", extra ? extra : "", az ? az : "");
	free(az);
	snprintf(branch, sizeof(branch), "z9hG4bKreg%u", ++r->cseq);
	char *t = h_req(&r->ua, "REGISTER", REG, AOR, NULL, callid, r->cseq, "rt", branch, both,
	    NULL);
	h_in(r->h, UA, t);
	free(t);
	osip_message_t *m100 = h_out(r->h, UA, "100 Trying");
	SL_CHECK(&ts, m100 && sl_msg_status(m100) == 100);
	sl_msg_free(m100);
	osip_message_t *fin = h_out(r->h, UA, "final response");
	if (fin && sl_msg_status(fin) == 401) {
		sl_msg_free(r->ch);
		r->ch = NULL;
		r->nc = 0;
		sl_msg_clone(fin, &r->ch);
	}
	return fin;
}

static int
code(osip_message_t *m)
{
	int c = m ? sl_msg_status(m) : 0;

	sl_msg_free(m);
	return c;
}

static void
test_flow(void)
{
	struct h h;
	struct h_cfg cfg = { .rtp = "25900-25909", .nonce_ttl_s = 20 };
	struct reg r = { .h = &h, .ua = { UA, "u1", "u1pass", 0 } };

	if (!h_init(&h, &ts, &cfg))
		return;
	/* no credentials: 401, Yate's challenge without domain= */
	osip_message_t *m = send_reg(&r, "c1", "Expires: 600\r\n", false, NULL);
	struct sl_digest_params dp;
	SL_CHECK(&ts, m && sl_msg_status(m) == 401 && sl_msg_auth(m, SL_MSG_WWW_AUTHENTICATE, &dp) &&
	    dp.domain.n == 0 && sl_str_eq(dp.stale, SL_STR("FALSE")) &&
	    sl_str_eq(dp.realm, SL_STR("Yate")) && dp.nonce.n > 0 &&
	    sl_str_eq(dp.qop, SL_STR("auth")));
	sl_msg_free(m);
	/* wrong password: 401 again */
	r.ua.password = "nope";
	SL_CHECK(&ts, code(send_reg(&r, "c1", "Expires: 600\r\n", true, NULL)) == 401);
	r.ua.password = "u1pass";
	/* u2's name with u1's password: 401 (wrong credentials) */
	SL_CHECK(&ts, code(send_reg(&r, "c1", "Expires: 600\r\n", true, "u2")) == 401);
	/* the right credentials */
	m = send_reg(&r, "c1", "Expires: 600\r\n", true, NULL);
	char ct[SL_MSG_URI_MAX];
	bool star;
	uint32_t exp;
	SL_CHECK(&ts, m && sl_msg_status(m) == 200 && strcmp(h_hdr(m, "expires"), "600") == 0 &&
	    sl_msg_contact(m, ct, &star, &exp) && exp == 600 &&
	    strcmp(ct, "sip:u1@" UA) == 0);
	sl_msg_free(m);
	SL_CHECK(&ts, h_logged(&h, "registered u1 at sip:u1@127.0.0.183:5060"));
	/* the same credentials again (same nc): a replay, 401 stale=TRUE */
	r.nc--;
	m = send_reg(&r, "c1", "Expires: 600\r\n", true, NULL);
	SL_CHECK(&ts, m && sl_msg_status(m) == 401 && sl_msg_auth(m, SL_MSG_WWW_AUTHENTICATE, &dp) &&
	    sl_str_eq(dp.stale, SL_STR("TRUE")) && sl_str_eq(dp.qop, SL_STR("auth")));
	sl_msg_free(m);
	SL_CHECK(&ts, h_logged(&h, "nonce count reused"));
	SL_CHECK(&ts, code(send_reg(&r, "c1", "Expires: 600\r\n", true, NULL)) == 200);
	/* the nonce is reusable with a growing nc until it expires */
	m = send_reg(&r, "c1", "Expires: 7200\r\n", true, NULL);
	SL_CHECK(&ts, m && sl_msg_status(m) == 200 && strcmp(h_hdr(m, "expires"), "3600") == 0);
	sl_msg_free(m);
	m = send_reg(&r, "c1", "Expires: 30\r\n", true, NULL);
	SL_CHECK(&ts, m && sl_msg_status(m) == 423 && strcmp(h_hdr(m, "min-expires"), "60") == 0);
	sl_msg_free(m);
	/* no Expires: Yate's default 600 */
	m = send_reg(&r, "c1", NULL, true, NULL);
	SL_CHECK(&ts, m && sl_msg_status(m) == 200 && strcmp(h_hdr(m, "expires"), "600") == 0);
	sl_msg_free(m);
	/* a query (no Contact): the binding with the seconds left */
	h_advance(&h, 10000);
	char br[] = "z9hG4bKq1";
	char *t = malloc(1024);
	snprintf(t, 1024, "REGISTER " REG " SIP/2.0\r\nVia: SIP/2.0/UDP " UA ";branch=%s\r\n"
	    "From: <" AOR ">;tag=q\r\nTo: <" AOR ">\r\nCall-ID: q1\r\nCSeq: 1 REGISTER\r\n"
	    "Content-Length: 0\r\n\r\n", br);
	h_in(&h, UA, t);
	free(t);
	sl_msg_free(h_out(&h, UA, "100"));
	m = h_out(&h, UA, "401 to the query");
	SL_CHECK(&ts, m && sl_msg_status(m) == 401);
	sl_msg_free(m);
	/* the nonce is now 10 s old (ttl 20): still fine; at 25 s stale */
	h_advance(&h, 15000);
	m = send_reg(&r, "c1", "Expires: 600\r\n", true, NULL);
	SL_CHECK(&ts, m && sl_msg_status(m) == 401 && sl_msg_auth(m, SL_MSG_WWW_AUTHENTICATE, &dp) &&
	    sl_str_eq(dp.stale, SL_STR("TRUE")));
	sl_msg_free(m);
	SL_CHECK(&ts, code(send_reg(&r, "c1", "Expires: 600\r\n", true, NULL)) == 200);
	/* ;expires= on the Contact wins over the header */
	char extra[128];
	snprintf(extra, sizeof(extra), "Expires: 600\r\n");
	t = h_req(&r.ua, "REGISTER", REG, AOR, NULL, "c1", ++r.cseq, "rt", "z9hG4bKce", NULL,
	    NULL);
	char *p = strstr(t, "Contact: <sip:u1@" UA ">");
	char *az = h_authz_nc(&r.ua, r.ch, "REGISTER", REG, ++r.nc);
	char *t2 = malloc(8192);
	snprintf(t2, 8192, "%.*sContact: <sip:u1@" UA ">;expires=120\r\n%s%s",
	    (int)(p - t), t, az ? az : "", p + strlen("Contact: <sip:u1@" UA ">\r\n"));
	free(az);
	free(t);
	h_in(&h, UA, t2);
	free(t2);
	sl_msg_free(h_out(&h, UA, "100"));
	m = h_out(&h, UA, "200 with the contact's expires");
	SL_CHECK(&ts, m && sl_msg_status(m) == 200 && strcmp(h_hdr(m, "expires"), "120") == 0);
	sl_msg_free(m);
	/* an older CSeq of the same Call-ID is refused */
	r.cseq -= 5;
	SL_CHECK(&ts, code(send_reg(&r, "c1", "Expires: 600\r\n", true, NULL)) == 500);
	r.cseq += 10;
	/* unregister: Expires 0, then Contact: * with Expires 0 */
	SL_CHECK(&ts, code(send_reg(&r, "c1", "Expires: 0\r\n", true, NULL)) == 200);
	SL_CHECK(&ts, h_logged(&h, "unregistered u1") && h.srv.reg.n == 0);
	t = h_req(&r.ua, "REGISTER", REG, AOR, NULL, "c1", ++r.cseq, "rt", "z9hG4bKstar", NULL,
	    NULL);
	p = strstr(t, "Contact: <sip:u1@" UA ">");
	az = h_authz_nc(&r.ua, r.ch, "REGISTER", REG, ++r.nc);
	t2 = malloc(8192);
	snprintf(t2, 8192, "%.*sContact: *\r\nExpires: 0\r\n%s%s", (int)(p - t), t, az ? az : "",
	    p + strlen("Contact: <sip:u1@" UA ">\r\n"));
	h_in(&h, UA, t2);
	sl_msg_free(h_out(&h, UA, "100"));
	SL_CHECK(&ts, code(h_out(&h, UA, "200 to Contact: *")) == 200);
	/* Contact: * without Expires: 0 is a 400 (RFC 3261 10.2.2); with
	 * new credentials, the last ones are spent */
	free(t2);
	free(az);
	az = h_authz_nc(&r.ua, r.ch, "REGISTER", REG, ++r.nc);
	t2 = malloc(8192);
	snprintf(t2, 8192, "%.*sContact: *\r\n%s%s", (int)(p - t), t, az ? az : "",
	    p + strlen("Contact: <sip:u1@" UA ">\r\n"));
	char *q = strstr(t2, "z9hG4bKstar");
	memcpy(q, "z9hG4bKstaR", 11);
	char *cs = strstr(t2, "CSeq: ");
	cs[6] = '9';
	h_in(&h, UA, t2);
	free(az);
	free(t2);
	free(t);
	sl_msg_free(h_out(&h, UA, "100"));
	SL_CHECK(&ts, code(h_out(&h, UA, "400 to a lone *")) == 400);
	sl_msg_free(r.ch);
	h_free(&h);
}

/* --max-regs, expiry on time, unknown users */
static void
test_limits(void)
{
	static const char rf[] = "[general]\nallow_empty_password=yes\n[a]\npassword=pa\n"
	    "[b]\npassword=pb\n[c]\npassword=\n";
	struct h h;
	struct h_cfg cfg = { .regfile = rf, .rtp = "25900-25909", .max_regs = 1 };
	struct h_ua a = { "127.0.0.2:5060", "a", "pa", 0 };
	struct h_ua b = { "127.0.0.3:5060", "b", "pb", 0 };
	struct h_ua c = { "127.0.0.4:5060", "c", "anything", 0 };
	struct h_ua c0 = { "127.0.0.4:5060", "c", "", 10 };	/* new branches */
	struct h_ua x = { "127.0.0.5:5060", "x", "px", 0 };

	if (!h_init(&h, &ts, &cfg))
		return;
	SL_CHECK(&ts, h_register(&h, &a, 60) == 200);
	SL_CHECK(&ts, h_register(&h, &b, 60) == 503);
	SL_CHECK(&ts, h_logged(&h, "registration table full"));
	/* a's binding expires after 60 s; the sweep frees the slot */
	h_advance(&h, 59000);
	SL_CHECK(&ts, h.srv.reg.n == 1);
	h_advance(&h, 2000);
	SL_CHECK(&ts, h.srv.reg.n == 0 && h_logged(&h, "registration of a expired"));
	SL_CHECK(&ts, h_register(&h, &b, 60) == 200);
	SL_CHECK(&ts, h_register(&h, &a, 0) == 200);	/* not registered: still 200 */
	/* an empty password (allow_empty_password=yes) is a password: the
	 * response must be computed with it (Yate accepts anything) */
	h_register(&h, &b, 0);
	SL_CHECK(&ts, h_register(&h, &c, 60) == 401);
	SL_CHECK(&ts, h.srv.reg.n == 0);
	SL_CHECK(&ts, h_register(&h, &c0, 60) == 200);
	/* a user regfile does not know never passes the challenge */
	SL_CHECK(&ts, h_register(&h, &x, 60) == 401);
	h_free(&h);
}

/* requests the server refuses before any logic: 400 for what osip cannot
 * parse (echoing what it can), silence for noise, 416, 420, 501, OPTIONS */
static void
test_misc(void)
{
	struct h h;
	struct h_cfg cfg = { .rtp = "25900-25909" };

	if (!h_init(&h, &ts, &cfg))
		return;
	h_in(&h, UA, "\x16\x03\x01garbage");
	h_in(&h, UA, "\r\n\r\n");
	h_in(&h, UA, "SIP/2.0 200 OK\r\n\r\n");
	h_quiet(&h, "noise and keepalives get nothing");
	h_in(&h, UA, "INVITE sip:2@x SIP/2.0\r\nVia: SIP/2.0/UDP " UA ";branch=z9hG4bKm\r\n"
	    "From: <sip:a@b>;tag=1\r\nTo: <sip:2@x>\r\nCall-ID: m@x\r\nCSeq: 1 INVITE\r\n"
	    "Content-Length: 500\r\n\r\nv=0\r\n");
	osip_message_t *m = h_out(&h, UA, "400 to a truncated body");
	SL_CHECK(&ts, m && sl_msg_status(m) == 400 && sl_msg_to_tag(m).n > 0);
	sl_msg_free(m);
	SL_CHECK(&ts, h_logged(&h, "127.0.0.183:5060: malformed request (Content-Length exceeds"));

	struct h_ua u = { UA, "u1", "u1pass", 0 };
	char *t = h_req(&u, "OPTIONS", "sip:" H_SERVER, "sip:" H_SERVER, NULL, "o@x", 1, "o",
	    "z9hG4bKo", NULL, NULL);
	h_in(&h, UA, t);
	free(t);
	sl_msg_free(h_out(&h, UA, "100"));
	m = h_out(&h, UA, "200 to OPTIONS");
	/* osip keeps Allow in its own list: look at the bytes */
	SL_CHECK(&ts, m && sl_msg_status(m) == 200 && h_last(&h) &&
	    strstr(h_last(&h)->data, "Allow: INVITE, ACK, CANCEL, BYE") != NULL);
	sl_msg_free(m);
	t = h_req(&u, "MESSAGE", "sip:u2@" H_SERVER, "sip:u2@" H_SERVER, NULL, "msg@x", 1, "o",
	    "z9hG4bKmsg", NULL, NULL);
	h_in(&h, UA, t);
	free(t);
	sl_msg_free(h_out(&h, UA, "100"));
	SL_CHECK(&ts, code(h_out(&h, UA, "501 to MESSAGE")) == 501);
	t = h_req(&u, "OPTIONS", "tel:+123", "sip:" H_SERVER, NULL, "tel@x", 1, "o",
	    "z9hG4bKtel", NULL, NULL);
	h_in(&h, UA, t);
	free(t);
	sl_msg_free(h_out(&h, UA, "100"));
	SL_CHECK(&ts, code(h_out(&h, UA, "416 to tel:")) == 416);
	t = h_req(&u, "OPTIONS", "sip:" H_SERVER, "sip:" H_SERVER, NULL, "req@x", 1, "o",
	    "z9hG4bKreq", "Require: 100rel\r\n", NULL);
	h_in(&h, UA, t);
	free(t);
	sl_msg_free(h_out(&h, UA, "100"));
	m = h_out(&h, UA, "420 to Require");
	SL_CHECK(&ts, m && sl_msg_status(m) == 420 && strcmp(h_hdr(m, "unsupported"), "100rel") == 0);
	sl_msg_free(m);
	/* a BYE outside any dialog */
	t = h_req(&u, "BYE", "sip:" H_SERVER, "sip:" H_SERVER, "zz", "nodlg@x", 1, "o",
	    "z9hG4bKbye", NULL, NULL);
	h_in(&h, UA, t);
	free(t);
	sl_msg_free(h_out(&h, UA, "100"));
	SL_CHECK(&ts, code(h_out(&h, UA, "481 to BYE")) == 481);
	/* an INVITE without Contact, with a non-SDP body, with MF 1 */
	t = h_req(&u, "INVITE", "sip:2@" H_SERVER, "sip:2@" H_SERVER, NULL, "mf@x", 1, "o",
	    "z9hG4bKmf", NULL, NULL);
	char *mf = strstr(t, "Max-Forwards: 70");
	memcpy(mf, "Max-Forwards: 01", 16);
	h_in(&h, UA, t);
	free(t);
	sl_msg_free(h_out(&h, UA, "100"));
	SL_CHECK(&ts, code(h_out(&h, UA, "483 for Max-Forwards 1")) == 483);
	h_quiet(&h, "done");
	h_free(&h);
}

/* a full transaction table: 503 from the raw bytes, logged; once the
 * transactions end (Timer J, 64*T1), requests are served again */
static void
test_txn_cap(void)
{
	struct h h;
	struct h_cfg cfg = { .rtp = "25900-25909", .max_txns = 3 };
	struct h_ua u = { UA, "u1", "u1pass", 0 };

	if (!h_init(&h, &ts, &cfg))
		return;
	for (int i = 0; i < 4; i++) {
		char br[32], cid[32];
		snprintf(br, sizeof(br), "z9hG4bKcap%d", i);
		snprintf(cid, sizeof(cid), "cap%d@x", i);
		char *t = h_req(&u, "OPTIONS", "sip:" H_SERVER, "sip:" H_SERVER, NULL, cid, 1, "o",
		    br, NULL, NULL);
		h_in(&h, UA, t);
		free(t);
		if (i < 3) {
			sl_msg_free(h_out(&h, UA, "100"));
			SL_CHECK(&ts, code(h_out(&h, UA, "200 to OPTIONS")) == 200);
		}
	}
	osip_message_t *m = h_out(&h, UA, "503 with a full table");
	char cid[SL_MSG_CALLID_MAX];
	SL_CHECK(&ts, m && sl_msg_status(m) == 503 && sl_msg_call_id(m, cid) &&
	    strcmp(cid, "cap3@x") == 0);
	sl_msg_free(m);
	SL_CHECK(&ts, h_logged(&h, "127.0.0.183:5060: request refused: transaction table full"));
	/* an ACK is never answered, even refused */
	char *t = h_req(&u, "ACK", "sip:" H_SERVER, "sip:" H_SERVER, "x", "ackcap@x", 1, "o",
	    "z9hG4bKackcap", NULL, NULL);
	h_in(&h, UA, t);
	free(t);
	h_quiet(&h, "ACK");
	h_advance(&h, 6500);
	t = h_req(&u, "OPTIONS", "sip:" H_SERVER, "sip:" H_SERVER, NULL, "cap9@x", 1, "o",
	    "z9hG4bKcap9", NULL, NULL);
	h_in(&h, UA, t);
	free(t);
	sl_msg_free(h_out(&h, UA, "100"));
	SL_CHECK(&ts, code(h_out(&h, UA, "200 once the table drained")) == 200);
	h_free(&h);
}

int
main(void)
{
	sl_osip_init();
	test_txn_cap();
	test_flow();
	test_limits();
	test_misc();
	return sl_test_report(&ts, "server.register");
}
