/* test_sip_digest.c: RFC 2617 vectors, header parsing (mostly broken
 * input), Yate-style nonces, and a full challenge -> credentials ->
 * verification round trip. */
#include <string.h>

#include "sip/digest.h"
#include "unit.h"

static SL_TEST_STATE(ts);

static void
test_vectors(void)
{
	static const struct {
		const char *user, *realm, *pw, *method, *uri, *nonce, *nc, *cnonce, *qop;
		const char *want;
	} rows[] = {
		/* RFC 2617 3.5 */
		{ "Mufasa", "testrealm@host.com", "Circle Of Life", "GET", "/dir/index.html",
		  "dcd98b7102dd2f0e8b11d0f600bfb0c093", "00000001", "0a4f113b", "auth",
		  "6629fae49393a05397450978507c4ef1" },
		/* SIP, RFC 3261 22.4 without qop, as Yate challenges */
		{ "u1", "Yate", "870212", "INVITE", "sip:2@192.168.1.50",
		  "a5b6f2e1c2d3e4f5a6b7c8d9e0f1a2b3.1250000000", "", "", "",
		  "1f23f494cdb17dfc02d7534cc1f915b3" },
		{ "u1", "Yate", "870212", "BYE", "sip:2@192.168.1.50:5060",
		  "0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e.1250000010", "", "", "",
		  "9bfcdfdb8d361428b6e4e11ce4277382" },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char out[33];
		sl_digest_response(sl_str_c(rows[i].user), sl_str_c(rows[i].realm),
		    sl_str_c(rows[i].pw), sl_str_c(rows[i].method), sl_str_c(rows[i].uri),
		    sl_str_c(rows[i].nonce), sl_str_c(rows[i].nc), sl_str_c(rows[i].cnonce),
		    sl_str_c(rows[i].qop), out);
		SL_CHECK_MSG(&ts, strcmp(out, rows[i].want) == 0, "row %zu: %s", i, out);
	}
}

static void
test_parse(void)
{
	static const struct {
		const char *in;
		bool ok;
		const char *realm, *nonce, *qop, *user;
	} rows[] = {
		{ "Digest realm=\"Yate\", nonce=\"abc.1\", stale=FALSE, algorithm=MD5",
		  true, "Yate", "abc.1", "", "" },
		{ "digest  username=\"u1\",realm=\"Yate\" ,nonce=\"n\", uri=\"sip:2@h\", "
		  "response=\"0123456789abcdef0123456789abcdef\", qop=auth, nc=00000001",
		  true, "Yate", "n", "auth", "u1" },
		{ "Digest realm=\"a\\\"b\", nonce=x", true, "a\\\"b", "x", "", "" },
		{ "Digest qop=\"auth,auth-int\", realm=r", true, "r", "", "auth,auth-int", "" },
		{ "Digest", true, "", "", "", "" },
		{ "Basic realm=\"x\"", false, NULL, NULL, NULL, NULL },
		{ "", false, NULL, NULL, NULL, NULL },
		{ "Digest realm=\"unterminated", false, NULL, NULL, NULL, NULL },
		{ "Digest realm", false, NULL, NULL, NULL, NULL },
		{ "Digest =x", false, NULL, NULL, NULL, NULL },
		{ "Digest realm=\"x\\", false, NULL, NULL, NULL, NULL },
		{ "Digest a=1,b=2,c=3,d=4,e=5,f=6,g=7,h=8,i=9,j=10,k=11,l=12,m=13,n=14,o=15,"
		  "p=16,q=17,r=18,s=19,t=20,u=21,v=22,w=23,x=24,y=25,z=26,aa=1,bb=2,cc=3,"
		  "dd=4,ee=5,ff=6,gg=7", false, NULL, NULL, NULL, NULL },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct sl_digest_params p;
		bool ok = sl_digest_parse(sl_str_c(rows[i].in), &p);
		SL_CHECK_MSG(&ts, ok == rows[i].ok, "row %zu", i);
		if (!ok || !rows[i].ok)
			continue;
		SL_CHECK_MSG(&ts, sl_str_eq(p.realm, sl_str_c(rows[i].realm)), "row %zu realm", i);
		SL_CHECK_MSG(&ts, sl_str_eq(p.nonce, sl_str_c(rows[i].nonce)), "row %zu nonce", i);
		SL_CHECK_MSG(&ts, sl_str_eq(p.qop, sl_str_c(rows[i].qop)), "row %zu qop", i);
		SL_CHECK_MSG(&ts, sl_str_eq(p.username, sl_str_c(rows[i].user)), "row %zu user", i);
	}
	/* a slice that is not NUL-terminated must not be read past */
	char raw[] = { 'D', 'i', 'g', 'e', 's', 't', ' ', 'r', '=', '"', 'x' };
	struct sl_digest_params p;
	SL_CHECK(&ts, !sl_digest_parse(sl_str_make(raw, sizeof(raw)), &p));
}

static const char *
pw_lookup(void *arg, struct sl_str user, struct sl_str realm)
{
	(void)arg;
	(void)realm;
	return sl_str_eq(user, SL_STR("u1")) ? "870212" : NULL;
}

static void
test_nonce(void)
{
	struct sl_digest_server s;
	char n[SL_DIGEST_NONCE_LEN];

	sl_digest_server_init(&s, "Yate", "secret", 10);
	sl_digest_nonce(&s, 1700000000, n);
	SL_CHECK(&ts, strcmp(n, "270272694a9d9f6e93f18185bf7bc198.1700000000") == 0);
	SL_CHECK(&ts, sl_digest_nonce_check(&s, sl_str_c(n), 1700000000) == SL_DIGEST_OK);
	SL_CHECK(&ts, sl_digest_nonce_check(&s, sl_str_c(n), 1700000010) == SL_DIGEST_OK);
	SL_CHECK(&ts, sl_digest_nonce_check(&s, sl_str_c(n), 1700000011) == SL_DIGEST_STALE);
	SL_CHECK(&ts, sl_digest_nonce_check(&s, sl_str_c(n), 1699999999) == SL_DIGEST_BAD_NONCE);
	n[0] = n[0] == 'a' ? 'b' : 'a';
	SL_CHECK(&ts, sl_digest_nonce_check(&s, sl_str_c(n), 1700000000) == SL_DIGEST_BAD_NONCE);
	static const char *const bad[] = { "", ".", "x.1", "270272694a9d9f6e93f18185bf7bc198.",
		"270272694a9d9f6e93f18185bf7bc198.-1", "270272694a9d9f6e93f18185bf7bc198x1700000000",
		"270272694a9d9f6e93f18185bf7bc198.99999999999999999999999" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		SL_CHECK_MSG(&ts, sl_digest_nonce_check(&s, sl_str_c(bad[i]), 1700000000) ==
		    SL_DIGEST_BAD_NONCE, "bad %zu", i);
}

/* challenge -> client answer -> server verdict, for each case */
static void
test_round_trip(void)
{
	static const struct {
		bool qop;
		const char *user, *pw, *method_client, *method_server;
		uint64_t t_verify;
		enum sl_digest_result want;
	} rows[] = {
		{ false, "u1", "870212", "INVITE", "INVITE", 100, SL_DIGEST_OK },
		{ true, "u1", "870212", "REGISTER", "REGISTER", 100, SL_DIGEST_OK },
		{ false, "u1", "wrong", "INVITE", "INVITE", 100, SL_DIGEST_MISMATCH },
		{ false, "u1", "870212", "INVITE", "BYE", 100, SL_DIGEST_MISMATCH },
		{ false, "u1", "870212", "BYE", "BYE", 111, SL_DIGEST_STALE },
		{ true, "u1", "wrong", "BYE", "BYE", 111, SL_DIGEST_MISMATCH },
		{ false, "nobody", "x", "INVITE", "INVITE", 100, SL_DIGEST_UNKNOWN_USER },
	};
	struct sl_digest_server s;

	sl_digest_server_init(&s, "Yate", "0123456789abcdef", 10);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct sl_buf ch, au;
		struct sl_digest_params chp, aup;

		sl_buf_init(&ch, 1024);
		sl_buf_init(&au, 1024);
		SL_CHECK(&ts, sl_digest_challenge(&s, 100, false, i ? NULL : "192.168.1.50",
		    rows[i].qop, &ch) == SL_OK);
		SL_CHECK(&ts, sl_digest_parse(sl_str_make(ch.p, ch.len), &chp));
		SL_CHECK(&ts, sl_str_eq(chp.stale, SL_STR("FALSE")));
		SL_CHECK(&ts, sl_digest_authorization(&chp, rows[i].user, rows[i].pw,
		    rows[i].method_client, "sip:2@192.168.1.50", 1, "c0ffee", &au) == SL_OK);
		SL_CHECK(&ts, sl_digest_parse(sl_str_make(au.p, au.len), &aup));
		enum sl_digest_result r = sl_digest_verify(&s, &aup,
		    sl_str_c(rows[i].method_server), rows[i].t_verify, pw_lookup, NULL);
		SL_CHECK_MSG(&ts, r == rows[i].want, "row %zu: %s", i, sl_digest_result_str(r));
		sl_buf_free(&ch);
		sl_buf_free(&au);
	}

	/* malformed credentials never reach the password lookup */
	static const char *const bad[] = {
		"Digest username=\"u1\", realm=\"Yate\"",
		"Digest username=\"u1\", realm=\"Yate\", nonce=\"n\", uri=\"u\", response=\"short\"",
		"Digest username=\"u1\", realm=\"Yate\", nonce=\"n\", uri=\"u\", "
		"response=\"0123456789abcdef0123456789abcdef\", algorithm=SHA-256",
		"Digest username=\"u1\", realm=\"Yate\", nonce=\"n\", uri=\"u\", "
		"response=\"0123456789abcdef0123456789abcdef\", qop=auth",
		"Digest username=\"u1\", realm=\"Yate\", nonce=\"n\", uri=\"u\", "
		"response=\"0123456789abcdef0123456789abcdef\", qop=auth-int, nc=1, cnonce=x",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct sl_digest_params p;
		sl_digest_parse(sl_str_c(bad[i]), &p);
		SL_CHECK_MSG(&ts, sl_digest_verify(&s, &p, SL_STR("INVITE"), 100, pw_lookup,
		    NULL) == SL_DIGEST_MALFORMED, "bad %zu", i);
	}
	/* a foreign nonce, and a foreign realm */
	struct sl_digest_params p;
	sl_digest_parse(SL_STR("Digest username=\"u1\", realm=\"Yate\", nonce=\"x.5\", "
	    "uri=\"u\", response=\"0123456789abcdef0123456789abcdef\""), &p);
	SL_CHECK(&ts, sl_digest_verify(&s, &p, SL_STR("INVITE"), 100, pw_lookup, NULL) ==
	    SL_DIGEST_BAD_NONCE);
	p.realm = SL_STR("Other");
	SL_CHECK(&ts, sl_digest_verify(&s, &p, SL_STR("INVITE"), 100, pw_lookup, NULL) ==
	    SL_DIGEST_MISMATCH);
}

static void
test_client_refusals(void)
{
	struct sl_digest_params ch;
	struct sl_buf b;

	sl_buf_init(&b, 1024);
	sl_digest_parse(SL_STR("Digest realm=\"r\", nonce=\"n\", algorithm=MD5-sess"), &ch);
	SL_CHECK(&ts, sl_digest_authorization(&ch, "u", "p", "INVITE", "sip:x", 1, "c", &b) ==
	    SL_EUSAGE);
	sl_digest_parse(SL_STR("Digest realm=\"r\", nonce=\"n\", qop=\"auth-int\""), &ch);
	SL_CHECK(&ts, sl_digest_authorization(&ch, "u", "p", "INVITE", "sip:x", 1, "c", &b) ==
	    SL_EUSAGE);
	sl_digest_parse(SL_STR("Digest realm=\"r\", nonce=\"n\", qop=\"auth\""), &ch);
	SL_CHECK(&ts, sl_digest_authorization(&ch, "u", "p", "INVITE", "sip:x", 1, NULL, &b) ==
	    SL_EUSAGE);
	SL_CHECK(&ts, sl_digest_authorization(&ch, "u\"", "p", "INVITE", "sip:x", 1, "c", &b) ==
	    SL_EUSAGE);
	/* RFC 2617 3.5 through the client builder */
	sl_digest_parse(SL_STR("Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", "
	    "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", "
	    "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\""), &ch);
	SL_CHECK(&ts, sl_digest_authorization(&ch, "Mufasa", "Circle Of Life", "GET",
	    "/dir/index.html", 1, "0a4f113b", &b) == SL_OK);
	SL_CHECK(&ts, b.p && strstr(b.p, "response=\"6629fae49393a05397450978507c4ef1\"") != NULL);
	SL_CHECK(&ts, b.p && strstr(b.p, "nc=00000001, qop=auth") != NULL);
	SL_CHECK(&ts, b.p && strstr(b.p, "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"") != NULL);
	sl_buf_free(&b);
}

int
main(void)
{
	test_vectors();
	test_parse();
	test_nonce();
	test_round_trip();
	test_client_refusals();
	return sl_test_report(&ts, "sip.digest");
}
