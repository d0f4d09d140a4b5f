/* test_authreplay.c: captured credentials are worth nothing to whoever
 * captured them (src/server/auth.c, src/sip/digest.c): each attack runs
 * through sl_srv_input on the fake network of harness.h. A REGISTER's
 * Authorization replayed from another address, an INVITE's on a new
 * Call-ID, one call's BYE credentials on another call, a reused nonce
 * count: 401 with stale=TRUE (an honest client just retries) and nothing
 * changes. Credentials signed for another URI: 400. A wrong guess spends
 * nothing of the legitimate client's nonce; the nonce ring wraps.
 * Relay ports: 127.0.0.61:25980-25999. */
#include <stdlib.h>
#include <string.h>

#include "tests/server/harness.h"

static SL_TEST_STATE(ts);

#define RANGE "25980-25999"
#define A_EP "127.0.0.183:5060"
#define B_EP "127.0.0.101:5060"
#define EVIL_EP "127.0.0.66:5060"
#define REG "sip:" H_SERVER
#define DIAL "sip:2@" H_SERVER
#define A_CONTACT "sip:2@" H_SERVER ":5060"	/* our Contact on leg A */

/* the final response after the 100 the server sends first */
static osip_message_t *
final(struct h *h, const char *ep, const char *what)
{
	osip_message_t *t = h_out(h, ep, "100 Trying");

	SL_CHECK_MSG(&ts, t && sl_msg_status(t) == 100, "100 before %s", what);
	sl_msg_free(t);
	return h_out(h, ep, what);
}

/* a 401 whose challenge offers qop=auth and says stale=want_stale */
static bool
is_401(const osip_message_t *m, bool want_stale)
{
	struct sl_digest_params dp;

	return m && sl_msg_status(m) == 401 && sl_msg_auth(m, SL_MSG_WWW_AUTHENTICATE, &dp) &&
	    sl_str_eq(dp.stale, want_stale ? SL_STR("TRUE") : SL_STR("FALSE")) &&
	    sl_str_eq(dp.qop, SL_STR("auth"));
}

static int
status_free(osip_message_t *m)
{
	int c = m ? sl_msg_status(m) : 0;

	sl_msg_free(m);
	return c;
}

/* REGISTER from ua (Via and Contact at ua->ep) with an Authorization
 * line (or none); the final response. */
static osip_message_t *
reg(struct h *h, const struct h_ua *ua, const char *callid, unsigned cseq,
    const char *branch, const char *authz)
{
	char to[64], extra[4400];

	snprintf(to, sizeof(to), "sip:%s@" H_SERVER, ua->user);
	snprintf(extra, sizeof(extra), "Expires: 600\r\n%s", authz ? authz : "");
	char *t = h_req(ua, "REGISTER", REG, to, NULL, callid, cseq, "rt", branch, extra, NULL);
	h_in(h, ua->ep, t);
	free(t);
	return final(h, ua->ep, "final response to REGISTER");
}

static bool
bound_at(struct h *h, const char *user, const char *contact)
{
	const struct sl_binding *b = sl_registrar_find(&h->srv.reg, user, h->now);

	return b && strcmp(b->contact, contact) == 0;
}

/* "Authorization: ...\r\n" in the RFC 2069 form (no qop), as a client
 * that ignores qop= would send it */
static char *
authz_noqop(const struct h_ua *ua, const osip_message_t *ch, const char *method,
    const char *uri)
{
	struct sl_digest_params p;
	struct sl_buf b;

	if (ch == NULL || !sl_msg_auth(ch, SL_MSG_WWW_AUTHENTICATE, &p))
		return NULL;
	p.qop = SL_STR_NULL;
	sl_buf_init(&b, 4096);
	sl_buf_adds(&b, "Authorization: ");
	if (sl_digest_authorization(&p, ua->user, ua->password, method, uri, 1, NULL, &b) !=
	    SL_OK)
		return NULL;
	sl_buf_adds(&b, "\r\n");
	return b.p;
}

/* The victim registers; whoever saw the REGISTER sends its Authorization
 * from elsewhere to move the binding: refused, the binding stays. */
static void
test_register_replay(void)
{
	struct h h;
	struct h_cfg cfg = { .rtp = RANGE, .rate_reqs = H_OFF };
	struct h_ua v = { B_EP, "u2", "u2pass", 0 };
	struct h_ua evil = { EVIL_EP, "u2", "?", 0 };

	if (!h_init(&h, &ts, &cfg))
		return;
	for (int qop = 1; qop >= 0; qop--) {
		osip_message_t *ch = reg(&h, &v, "v1", 1 + 10 * (unsigned)!qop,
		    qop ? "z9hG4bKv1" : "z9hG4bKv3", NULL);
		SL_CHECK(&ts, is_401(ch, false));
		char *az = qop ? h_authz(&v, ch, "REGISTER", REG) :
		    authz_noqop(&v, ch, "REGISTER", REG);
		sl_msg_free(ch);
		SL_CHECK(&ts, az && (strstr(az, "qop=auth") != NULL) == qop);
		SL_CHECK(&ts, status_free(reg(&h, &v, "v1", 2 + 10 * (unsigned)!qop,
		    qop ? "z9hG4bKv2" : "z9hG4bKv4", az)) == 200);
		SL_CHECK(&ts, bound_at(&h, "u2", "sip:u2@" B_EP));
		/* the same Authorization from another address, new Call-ID */
		osip_message_t *m = reg(&h, &evil, "evil1", 1 + 10 * (unsigned)!qop,
		    qop ? "z9hG4bKe1" : "z9hG4bKe2", az);
		SL_CHECK_MSG(&ts, is_401(m, true), "qop %d: got %d", qop,
		    m ? sl_msg_status(m) : 0);
		sl_msg_free(m);
		SL_CHECK(&ts, bound_at(&h, "u2", "sip:u2@" B_EP));
		SL_CHECK(&ts, h_logged(&h, qop ? "nonce count reused" : "nonce already used"));
		/* and from the victim's own address, same Call-ID, next CSeq */
		m = reg(&h, &v, "v1", 3 + 10 * (unsigned)!qop, qop ? "z9hG4bKv5" : "z9hG4bKv6",
		    az);
		SL_CHECK(&ts, is_401(m, true));
		sl_msg_free(m);
		free(az);
		h_quiet(&h, "nothing else sent");
	}
	h_free(&h);
}

/* INVITE up to the challenge: the 401 (caller frees) */
static osip_message_t *
invite_401(struct h *h, const struct h_ua *a, const char *callid, const char *ftag,
    const char *branch)
{
	char *sdp = h_sdp("127.0.0.183", 40000);
	char *t = h_req(a, "INVITE", DIAL, DIAL, NULL, callid, 1, ftag, branch, NULL, sdp);

	free(sdp);
	h_in(h, a->ep, t);
	free(t);
	return final(h, a->ep, "401 to INVITE");
}

/* INVITE with credentials az, Call-ID callid, from a->ep */
static void
invite_authz(struct h *h, const struct h_ua *a, const char *callid, const char *ftag,
    const char *branch, const char *az)
{
	char *sdp = h_sdp("127.0.0.183", 40000);
	char *t = h_req(a, "INVITE", DIAL, DIAL, NULL, callid, 2, ftag, branch, az, sdp);

	free(sdp);
	h_in(h, a->ep, t);
	free(t);
}

/* INVITE, its 401 (checked), the INVITE with credentials (branches br1,
 * br2) and the server's 100 to it: the Authorization line (caller frees). */
static char *
invite_authorised(struct h *h, const struct h_ua *a, const char *callid, const char *ftag,
    const char *br1, const char *br2)
{
	osip_message_t *ch = invite_401(h, a, callid, ftag, br1);

	SL_CHECK(&ts, is_401(ch, false));
	char *az = h_authz(a, ch, "INVITE", DIAL);
	sl_msg_free(ch);
	invite_authz(h, a, callid, ftag, br2, az);
	sl_msg_free(h_out(h, a->ep, "100 to the authorised INVITE"));
	return az;
}

/* A call from a to the registered u2, answered and ACKed; a_tag gets the
 * server's tag on leg A, *b_inv the callee's INVITE (caller frees). */
static bool
establish(struct h *h, const struct h_ua *a, const char *callid, const char *ftag,
    char a_tag[64], osip_message_t **b_inv)
{
	char br[64], br2[64];

	*b_inv = NULL;
	snprintf(br, sizeof(br), "z9hG4bK%s1", ftag);
	snprintf(br2, sizeof(br2), "z9hG4bK%s2", ftag);
	free(invite_authorised(h, a, callid, ftag, br, br2));
	*b_inv = h_out(h, B_EP, "B-leg INVITE");
	if (*b_inv == NULL)
		return false;
	char *sdp = h_sdp("127.0.0.101", 40002);
	char *t = h_resp(*b_inv, 200, "cb1", "<sip:u2@" B_EP ">", sdp);
	free(sdp);
	h_in(h, B_EP, t);
	free(t);
	sl_msg_free(h_out(h, B_EP, "ACK on leg B"));
	osip_message_t *ok = h_out(h, a->ep, "200 on A");
	bool up = ok && sl_msg_status(ok) == 200;
	SL_CHECK(&ts, up);
	a_tag[0] = '\0';
	if (ok)
		snprintf(a_tag, 64, "%.*s", SL_PRI(sl_msg_to_tag(ok)));
	sl_msg_free(ok);
	snprintf(br, sizeof(br), "z9hG4bK%sa", ftag);
	t = h_req(a, "ACK", A_CONTACT, DIAL, a_tag, callid, 2, ftag, br, NULL, NULL);
	h_in(h, a->ep, t);
	free(t);
	h_quiet(h, "after the ACK");
	return up;
}

/* The caller's authorised INVITE, replayed with a new Call-ID (by anyone,
 * from anywhere): no second call, a stale challenge. */
static void
test_invite_replay(void)
{
	struct h h;
	struct h_cfg cfg = { .rtp = RANGE, .rate_reqs = H_OFF };
	struct h_ua a = { A_EP, "u1", "u1pass", 0 };
	struct h_ua b = { B_EP, "u2", "u2pass", 0 };
	struct h_ua evil = { EVIL_EP, "u1", "?", 0 };

	if (!h_init(&h, &ts, &cfg))
		return;
	SL_CHECK(&ts, h_register(&h, &b, 600) == 200);
	char *az = invite_authorised(&h, &a, "call1@x", "f1", "z9hG4bKi1", "z9hG4bKi2");
	osip_message_t *bi = h_out(&h, B_EP, "B-leg INVITE");
	SL_CHECK(&ts, bi && sl_msg_is(bi, "INVITE"));
	sl_msg_free(bi);
	h_quiet(&h, "one call");
	SL_CHECK(&ts, sl_srv_calls(&h.srv) == 1);
	static const struct {
		const char *ep, *callid, *branch;
	} rows[] = {
		{ A_EP, "call2@x", "z9hG4bKr1" },	/* the caller's own address */
		{ EVIL_EP, "call3@x", "z9hG4bKr2" },	/* somewhere else */
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct h_ua who = i ? evil : a;
		invite_authz(&h, &who, rows[i].callid, "f2", rows[i].branch, az);
		osip_message_t *m = final(&h, rows[i].ep, "401 to the replayed INVITE");
		SL_CHECK_MSG(&ts, is_401(m, true), "row %zu: %d", i, m ? sl_msg_status(m) : 0);
		sl_msg_free(m);
		h_quiet(&h, "no INVITE to the callee");
		SL_CHECK(&ts, sl_srv_calls(&h.srv) == 1);
	}
	SL_CHECK(&ts, h_logged(&h, "nonce count reused"));
	free(az);
	h_free(&h);
}

/* BYE of call 1 with credentials; the same Authorization on call 2's BYE
 * (the Request-URI, our Contact, is the same for both) is refused and
 * call 2 goes on. */
static void
test_bye_replay(void)
{
	struct h h;
	struct h_cfg cfg = { .rtp = RANGE, .rate_reqs = H_OFF };
	struct h_ua a = { A_EP, "u1", "u1pass", 0 };
	struct h_ua b = { B_EP, "u2", "u2pass", 0 };
	char tag1[64] = "", tag2[64] = "";
	osip_message_t *b1 = NULL, *b2 = NULL;

	if (!h_init(&h, &ts, &cfg))
		return;
	SL_CHECK(&ts, h_register(&h, &b, 600) == 200);
	if (!establish(&h, &a, "c1@x", "g1", tag1, &b1) ||
	    !establish(&h, &a, "c2@x", "g2", tag2, &b2))
		goto out;
	SL_CHECK(&ts, sl_srv_calls(&h.srv) == 2);
	/* call 1: BYE, 401, BYE with credentials, 200, BYE on leg B */
	char *t = h_req(&a, "BYE", A_CONTACT, DIAL, tag1, "c1@x", 3, "g1", "z9hG4bKb1", NULL,
	    NULL);
	h_in(&h, A_EP, t);
	free(t);
	osip_message_t *ch = final(&h, A_EP, "401 to BYE");
	SL_CHECK(&ts, is_401(ch, false));
	char *az = h_authz(&a, ch, "BYE", A_CONTACT);
	sl_msg_free(ch);
	t = h_req(&a, "BYE", A_CONTACT, DIAL, tag1, "c1@x", 4, "g1", "z9hG4bKb2", az, NULL);
	h_in(&h, A_EP, t);
	free(t);
	SL_CHECK(&ts, status_free(final(&h, A_EP, "200 to BYE")) == 200);
	sl_msg_free(h_bye_ok(&h, B_EP, "BYE on leg B"));
	h_quiet(&h, "call 1 over");
	SL_CHECK(&ts, sl_srv_calls(&h.srv) == 1);
	/* call 2: its BYE with call 1's Authorization */
	t = h_req(&a, "BYE", A_CONTACT, DIAL, tag2, "c2@x", 3, "g2", "z9hG4bKb3", az, NULL);
	h_in(&h, A_EP, t);
	free(t);
	osip_message_t *m = final(&h, A_EP, "401 to the replayed BYE");
	SL_CHECK_MSG(&ts, is_401(m, true), "got %d", m ? sl_msg_status(m) : 0);
	sl_msg_free(m);
	h_quiet(&h, "no BYE on leg B");
	SL_CHECK(&ts, sl_srv_calls(&h.srv) == 1);
	free(az);
out:
	sl_msg_free(b1);
	sl_msg_free(b2);
	h_free(&h);
}

/* RFC 2617 3.2.2.5: uri= must designate the Request-URI. A mismatch is a
 * 400 and does not spend the nonce; equivalent spellings are fine. */
static void
test_uri(void)
{
	static const struct {
		const char *uri;
		int code;
	} rows[] = {
		{ "sip:127.0.0.99", 400 },		/* another host */
		{ "sip:u2@" H_SERVER, 400 },		/* a user part added */
		{ "sip:" H_SERVER ":5070", 400 },	/* another port */
		{ "sips:" H_SERVER, 400 },		/* another scheme */
		{ "x", 400 },				/* not a URI */
		{ "sip:" H_SERVER ":5060", 200 },	/* the default port spelt out */
		{ "sip:" H_SERVER ";transport=udp", 200 },	/* parameters */
		{ "SIP:" H_SERVER, 200 },		/* scheme case */
		{ REG, 200 },
	};
	struct h h;
	struct h_cfg cfg = { .rtp = RANGE, .rate_reqs = H_OFF };
	struct h_ua v = { B_EP, "u2", "u2pass", 0 };
	char br[32];

	if (!h_init(&h, &ts, &cfg))
		return;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		snprintf(br, sizeof(br), "z9hG4bKu%zu", i);
		osip_message_t *ch = reg(&h, &v, "u@x", (unsigned)(3 * i + 1), br, NULL);
		SL_CHECK(&ts, is_401(ch, false));
		char *az = h_authz(&v, ch, "REGISTER", rows[i].uri);
		snprintf(br, sizeof(br), "z9hG4bKu%zub", i);
		int got = status_free(reg(&h, &v, "u@x", (unsigned)(3 * i + 2), br, az));
		SL_CHECK_MSG(&ts, got == rows[i].code, "uri %s: %d, want %d", rows[i].uri, got,
		    rows[i].code);
		free(az);
		/* the refused credentials did not spend nc 1 of that nonce */
		if (rows[i].code != 200) {
			az = h_authz(&v, ch, "REGISTER", REG);
			snprintf(br, sizeof(br), "z9hG4bKu%zuc", i);
			SL_CHECK_MSG(&ts, status_free(reg(&h, &v, "u@x", (unsigned)(3 * i + 3), br,
			    az)) == 200, "uri %s, then the right one", rows[i].uri);
			free(az);
		}
		sl_msg_free(ch);
	}
	SL_CHECK(&ts, h_logged(&h, "credentials for another Request-URI"));
	/* INVITE: credentials for dialling 1 used to dial 2 */
	struct h_ua a = { A_EP, "u1", "u1pass", 0 };
	osip_message_t *ch = invite_401(&h, &a, "iu@x", "fu", "z9hG4bKiu1");
	char *az = h_authz(&a, ch, "INVITE", "sip:1@" H_SERVER);
	sl_msg_free(ch);
	invite_authz(&h, &a, "iu@x", "fu", "z9hG4bKiu2", az);
	free(az);
	SL_CHECK(&ts, status_free(final(&h, A_EP, "400 to INVITE")) == 400);
	h_free(&h);
}

/* qop=auth: nc must grow; a wrong password spends nothing */
static void
test_nc(void)
{
	static const struct {
		uint32_t nc;
		const char *pw;
		int code;
		bool stale;
	} rows[] = {
		{ 1, "u2pass", 200, false },
		{ 1, "u2pass", 401, true },	/* same nc */
		{ 3, "u2pass", 200, false },
		{ 2, "u2pass", 401, true },	/* lower */
		{ 4, "guess", 401, false },	/* not even stale: wrong */
		{ 4, "u2pass", 200, false },	/* the guess did not spend 4 */
		{ 0xffffffff, "u2pass", 200, false },
		{ 0xffffffff, "u2pass", 401, true },
	};
	struct h h;
	struct h_cfg cfg = { .rtp = RANGE, .rate_reqs = H_OFF };
	struct h_ua v = { B_EP, "u2", "u2pass", 0 };
	char br[32];

	if (!h_init(&h, &ts, &cfg))
		return;
	osip_message_t *ch = reg(&h, &v, "n@x", 1, "z9hG4bKn", NULL);
	SL_CHECK(&ts, is_401(ch, false));
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct h_ua who = v;
		who.password = rows[i].pw;
		char *az = h_authz_nc(&who, ch, "REGISTER", REG, rows[i].nc);
		snprintf(br, sizeof(br), "z9hG4bKn%zu", i);
		osip_message_t *m = reg(&h, &v, "n@x", (unsigned)i + 2, br, az);
		free(az);
		SL_CHECK_MSG(&ts, m && sl_msg_status(m) == rows[i].code &&
		    (rows[i].code != 401 || is_401(m, rows[i].stale)), "row %zu: %d", i,
		    m ? sl_msg_status(m) : 0);
		sl_msg_free(m);
	}
	sl_msg_free(ch);
	h_free(&h);
}

/* --nonce-slots 16: after 16 more challenges the first nonce is gone
 * (stale, the client retries); the newest one still works */
static void
test_ring(void)
{
	struct h h;
	struct h_cfg cfg = { .rtp = RANGE, .rate_reqs = H_OFF, .nonce_slots = 16 };
	struct h_ua v = { B_EP, "u2", "u2pass", 0 };
	char br[32];
	osip_message_t *first = NULL, *last = NULL;

	if (!h_init(&h, &ts, &cfg))
		return;
	for (unsigned i = 0; i <= 16; i++) {
		snprintf(br, sizeof(br), "z9hG4bKw%u", i);
		osip_message_t *ch = reg(&h, &v, "w@x", i + 1, br, NULL);
		SL_CHECK(&ts, is_401(ch, false));
		if (i == 0)
			first = ch;
		else if (i == 16)
			last = ch;
		else
			sl_msg_free(ch);
	}
	char *az = h_authz(&v, first, "REGISTER", REG);
	osip_message_t *m = reg(&h, &v, "w@x", 20, "z9hG4bKwa", az);
	free(az);
	SL_CHECK_MSG(&ts, is_401(m, true), "got %d", m ? sl_msg_status(m) : 0);
	sl_msg_free(m);
	az = h_authz(&v, last, "REGISTER", REG);
	SL_CHECK(&ts, status_free(reg(&h, &v, "w@x", 21, "z9hG4bKwb", az)) == 200);
	free(az);
	sl_msg_free(first);
	sl_msg_free(last);
	h_free(&h);
}

int
main(void)
{
	sl_osip_init();
	test_register_replay();
	test_invite_replay();
	test_bye_replay();
	test_uri();
	test_nc();
	test_ring();
	return sl_test_report(&ts, "server.authreplay");
}
