/* test_sip_digest.c: RFC 2617 vectors, header parsing (mostly broken
 * input), the challenge text, nonce state (nc must grow, no-qop nonces
 * are one-time, only verified responses count, ring wrap and ttl make a
 * nonce stale), forged nonces, and a full challenge -> credentials ->
 * verification round trip. */
#include <string.h>

#include "sip/digest.h"
#include "tests/unit/unit.h"

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
test_init(void)
{
	struct sl_digest_server s;

	SL_CHECK(&ts, sl_digest_server_init(&s, "Yate", "k", 10, 0) == SL_EUSAGE);
	sl_digest_server_free(&s);
	SL_CHECK(&ts, sl_digest_server_init(&s, "Yate", "k", 10, SL_DIGEST_MAX_SLOTS + 1) ==
	    SL_EUSAGE);
	sl_digest_server_free(&s);
	SL_CHECK(&ts, sl_digest_server_init(&s, "Yate", "k", 10, 1) == SL_OK);
	sl_digest_server_free(&s);
	sl_digest_server_free(&s);	/* twice is fine */
}

/* the challenge text: Yate's order, qop="auth" last */
static void
test_challenge(void)
{
	struct sl_digest_server s;
	struct sl_buf b;
	char n[SL_DIGEST_NONCE_LEN], want[256];

	SL_CHECK(&ts, sl_digest_server_init(&s, "Yate", "secret", 10, 8) == SL_OK);
	sl_buf_init(&b, 1024);
	SL_CHECK(&ts, sl_digest_challenge(&s, 1700000000, false, "192.168.1.50", true, &b) ==
	    SL_OK);
	/* the next nonce has seq 2: seq 1 went into that challenge */
	sl_digest_nonce(&s, 1700000000, n);
	SL_CHECK_MSG(&ts, strlen(n) == 32 + 1 + 10 + 2 && strcmp(n + 32, ".1700000000.2") == 0 &&
	    strspn(n, "0123456789abcdef") == 32, "%s", n);
	struct sl_digest_params p;
	SL_CHECK(&ts, b.p && sl_digest_parse(sl_str_make(b.p, b.len), &p));
	snprintf(want, sizeof(want), "Digest realm=\"Yate\", domain=\"192.168.1.50\", "
	    "nonce=\"%.*s\", stale=FALSE, algorithm=MD5, qop=\"auth\"", SL_PRI(p.nonce));
	SL_CHECK_MSG(&ts, b.p && strcmp(b.p, want) == 0, "%s", b.p);
	SL_CHECK(&ts, p.nonce.n == 45 && memcmp(p.nonce.p + 32, ".1700000000.1", 13) == 0);
	b.len = 0;
	SL_CHECK(&ts, sl_digest_challenge(&s, 5, true, NULL, true, &b) == SL_OK);
	SL_CHECK(&ts, b.p && strstr(b.p, "\", stale=TRUE, algorithm=MD5, qop=\"auth\"") &&
	    strncmp(b.p, "Digest realm=\"Yate\", nonce=\"", 28) == 0);
	sl_buf_free(&b);
	sl_digest_server_free(&s);
}

/* Credentials for nonce as a client would compute them; nc NULL: the
 * RFC 2069 form (no qop). Slices point into the arguments. */
static void
cred(struct sl_digest_params *p, const char *nonce, const char *user, const char *pw,
    const char *method, const char *nc, char resp[33])
{
	memset(p, 0, sizeof(*p));
	p->scheme = SL_STR("Digest");
	p->username = sl_str_c(user);
	p->realm = SL_STR("Yate");
	p->nonce = sl_str_c(nonce);
	p->uri = SL_STR("sip:2@192.168.1.50");
	if (nc) {
		p->qop = SL_STR("auth");
		p->nc = sl_str_c(nc);
		p->cnonce = SL_STR("0a4f113b");
	}
	sl_digest_response(p->username, p->realm, sl_str_c(pw), sl_str_c(method), p->uri,
	    p->nonce, p->nc, p->cnonce, p->qop, resp);
	p->response = sl_str_make(resp, 32);
}

/* One server per scenario; 'n' issues nonce k at time t, 'v' answers
 * nonce k (nc NULL: no qop) with password pw at time t. */
struct step {
	char op;
	int k;
	const char *nc, *pw;
	uint64_t t;
	enum sl_digest_result want;
};

#define N(k, t) { 'n', k, NULL, NULL, t, SL_DIGEST_OK }
#define V(k, nc, pw, t, want) { 'v', k, nc, pw, t, SL_DIGEST_##want }
#define END { 0, 0, NULL, NULL, 0, SL_DIGEST_OK }

static const struct {
	const char *name;
	size_t slots;
	struct step steps[16];
} scenarios[] = {
	{ "qop: nc must grow", 16, {
		N(0, 100),
		V(0, "00000001", "870212", 100, OK),
		V(0, "00000001", "870212", 101, REPLAY),	/* same nc */
		V(0, "00000003", "870212", 101, OK),		/* gaps are fine */
		V(0, "00000002", "870212", 101, REPLAY),	/* lower nc */
		V(0, "00000003", "870212", 101, REPLAY),
		V(0, "0000000A", "870212", 102, OK),		/* upper-case hex */
		V(0, "0000000a", "870212", 102, REPLAY),
		V(0, "0000000b", "870212", 102, OK),
		END } },
	{ "no qop: one-time", 16, {
		N(0, 100),
		V(0, NULL, "870212", 100, OK),
		V(0, NULL, "870212", 100, REPLAY),
		V(0, "00000001", "870212", 100, REPLAY),	/* spent for qop too */
		END } },
	{ "qop first, then no qop", 16, {
		N(0, 100),
		V(0, "00000001", "870212", 100, OK),
		V(0, NULL, "870212", 100, REPLAY),
		V(0, "00000002", "870212", 100, OK),
		END } },
	{ "a wrong response spends nothing", 16, {
		N(0, 100), N(1, 100),
		V(0, "00000001", "guess", 100, MISMATCH),
		V(0, "ffffffff", "guess", 100, MISMATCH),
		V(0, "00000001", "870212", 100, OK),
		V(1, NULL, "guess", 100, MISMATCH),
		V(1, NULL, "870212", 100, OK),
		END } },
	{ "nonces are independent", 16, {
		N(0, 100), N(1, 100),
		V(0, "00000005", "870212", 100, OK),
		V(1, "00000001", "870212", 100, OK),
		V(1, NULL, "870212", 100, REPLAY),
		END } },
	{ "ring wrap: the pushed-out nonce is stale", 4, {
		N(0, 100), N(1, 100), N(2, 100), N(3, 100), N(4, 100),
		V(0, "00000001", "870212", 100, STALE),		/* slot taken by 4 */
		V(0, NULL, "870212", 100, STALE),
		V(0, "00000001", "guess", 100, MISMATCH),
		V(1, "00000001", "870212", 100, OK),
		V(4, "00000001", "870212", 100, OK),
		N(5, 100),
		V(1, "00000002", "870212", 100, STALE),
		END } },
	{ "one slot", 1, {
		N(0, 100), V(0, NULL, "870212", 100, OK),
		N(1, 100), V(0, "00000001", "870212", 100, STALE),
		V(1, "00000001", "870212", 100, OK),
		END } },
	{ "ttl (10 s)", 16, {
		N(0, 100),
		V(0, "00000001", "870212", 110, OK),
		V(0, "00000002", "870212", 111, STALE),
		V(0, "00000002", "guess", 111, MISMATCH),
		N(1, 100),
		V(1, NULL, "870212", 99, BAD_NONCE),		/* from the future */
		V(1, NULL, "870212", 111, STALE),
		END } },
	{ "nc values", 16, {
		N(0, 100),
		V(0, "00000000", "870212", 100, MALFORMED),
		V(0, "1", "870212", 100, MALFORMED),
		V(0, "0000001", "870212", 100, MALFORMED),
		V(0, "000000001", "870212", 100, MALFORMED),
		V(0, "100000000", "870212", 100, MALFORMED),
		V(0, "99999999999999999999999", "870212", 100, MALFORMED),
		V(0, "0000000g", "870212", 100, MALFORMED),
		V(0, "+0000001", "870212", 100, MALFORMED),
		V(0, "0x000001", "870212", 100, MALFORMED),
		V(0, " 0000001", "870212", 100, MALFORMED),
		V(0, "", "870212", 100, MALFORMED),
		V(0, "ffffffff", "870212", 100, OK),		/* the largest */
		V(0, "FFFFFFFF", "870212", 100, REPLAY),
		V(0, "00000001", "870212", 100, REPLAY),
		END } },
	{ "unknown user spends nothing", 16, {
		N(0, 100),
		V(0, "00000001", NULL, 100, UNKNOWN_USER),
		V(0, "00000001", "870212", 100, OK),
		END } },
};

static void
test_replay(void)
{
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		struct sl_digest_server s;
		char nonce[8][SL_DIGEST_NONCE_LEN];

		SL_CHECK(&ts, sl_digest_server_init(&s, "Yate", "0123456789abcdef", 10,
		    scenarios[i].slots) == SL_OK);
		for (size_t j = 0; scenarios[i].steps[j].op; j++) {
			const struct step *st = &scenarios[i].steps[j];
			if (st->op == 'n') {
				sl_digest_nonce(&s, st->t, nonce[st->k]);
				continue;
			}
			struct sl_digest_params p;
			char resp[33];
			cred(&p, nonce[st->k], st->pw ? "u1" : "nobody", st->pw ? st->pw : "x",
			    "INVITE", st->nc, resp);
			enum sl_digest_result r = sl_digest_verify(&s, &p, SL_STR("INVITE"), st->t,
			    pw_lookup, NULL);
			SL_CHECK_MSG(&ts, r == st->want, "%s, step %zu: %s, want %s",
			    scenarios[i].name, j, sl_digest_result_str(r),
			    sl_digest_result_str(st->want));
		}
		sl_digest_server_free(&s);
	}
	/* the response's hex digits may come in upper case */
	struct sl_digest_server s;
	struct sl_digest_params p;
	char n[SL_DIGEST_NONCE_LEN], resp[33];
	SL_CHECK(&ts, sl_digest_server_init(&s, "Yate", "k", 10, 4) == SL_OK);
	cred(&p, sl_digest_nonce(&s, 100, n), "u1", "870212", "INVITE", "00000001", resp);
	for (char *c = resp; *c; c++)
		*c = (char)(*c >= 'a' ? *c - 'a' + 'A' : *c);
	SL_CHECK(&ts, sl_digest_verify(&s, &p, SL_STR("INVITE"), 100, pw_lookup, NULL) ==
	    SL_DIGEST_OK);
	sl_digest_server_free(&s);
}

/* A nonce is ours only as issued: any change to mac, time or seq, a
 * different secret, or a seq this server never issued is BAD_NONCE, even
 * with a response computed correctly over the changed text. */
static void
test_forged(void)
{
	struct sl_digest_server s, other, same;
	char n[SL_DIGEST_NONCE_LEN], f[SL_DIGEST_NONCE_LEN + 8];

	SL_CHECK(&ts, sl_digest_server_init(&s, "Yate", "0123456789abcdef", 10, 16) == SL_OK);
	SL_CHECK(&ts, sl_digest_server_init(&other, "Yate", "0123456789abcdeF", 10, 16) ==
	    SL_OK);
	SL_CHECK(&ts, sl_digest_server_init(&same, "Yate", "0123456789abcdef", 10, 16) ==
	    SL_OK);
	sl_digest_nonce(&s, 100, n);	/* "<mac>.100.1" */
	SL_CHECK(&ts, sl_digest_nonce_check(&s, sl_str_c(n), 100) == SL_DIGEST_OK);
	static const struct {
		const char *what;
		int mac;		/* bytes of the genuine mac kept */
		const char *tail;
	} rows[] = {
		{ "time + 1", 32, ".101.1" },
		{ "time - 1", 32, ".99.1" },
		{ "time with a leading zero", 32, ".0100.1" },
		{ "seq + 1", 32, ".100.2" },
		{ "seq 0", 32, ".100.0" },
		{ "seq with a leading zero", 32, ".100.01" },
		{ "seq huge", 32, ".100.18446744073709551615" },
		{ "seq overflow", 32, ".100.18446744073709551616" },
		{ "no seq (Yate's format)", 32, ".100" },
		{ "empty seq", 32, ".100." },
		{ "extra field", 32, ".100.1.1" },
		{ "negative", 32, ".100.-1" },
		{ "empty time", 32, "..1" },
		{ "short mac", 31, ".100.1" },
		{ "no dots", 32, "1001" },
		{ "empty", 0, "" },
		{ "dot", 0, "." },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		snprintf(f, sizeof(f), "%.*s%s", rows[i].mac, n, rows[i].tail);
		struct sl_digest_params p;
		char resp[33];
		SL_CHECK_MSG(&ts, sl_digest_nonce_check(&s, sl_str_c(f), 100) ==
		    SL_DIGEST_BAD_NONCE, "%s: %s", rows[i].what, f);
		cred(&p, f, "u1", "870212", "INVITE", "00000001", resp);
		/* no nonce at all is malformed credentials */
		SL_CHECK_MSG(&ts, sl_digest_verify(&s, &p, SL_STR("INVITE"), 100, pw_lookup,
		    NULL) == (f[0] ? SL_DIGEST_BAD_NONCE : SL_DIGEST_MALFORMED), "%s: %s",
		    rows[i].what, f);
	}
	/* each byte of the mac matters (upper case included) */
	for (size_t i = 0; i < 32; i++) {
		snprintf(f, sizeof(f), "%s", n);
		f[i] = f[i] == 'a' ? 'b' : (f[i] >= 'a' ? 'A' : 'a');
		SL_CHECK_MSG(&ts, sl_digest_nonce_check(&s, sl_str_c(f), 100) ==
		    SL_DIGEST_BAD_NONCE, "mac byte %zu: %s", i, f);
	}
	/* the nonce comes back exactly: its mac in upper case is not ours */
	snprintf(f, sizeof(f), "%s", n);
	size_t up = strcspn(f, "abcdef");
	if (up < 32)
		f[up] = (char)(f[up] - 'a' + 'A');
	SL_CHECK_MSG(&ts, up < 32 && sl_digest_nonce_check(&s, sl_str_c(f), 100) ==
	    SL_DIGEST_BAD_NONCE, "%s", f);
	/* a nonce of another secret */
	char o[SL_DIGEST_NONCE_LEN];
	sl_digest_nonce(&other, 100, o);
	SL_CHECK(&ts, strcmp(o + 32, n + 32) == 0 && memcmp(o, n, 32) != 0);
	SL_CHECK(&ts, sl_digest_nonce_check(&s, sl_str_c(o), 100) == SL_DIGEST_BAD_NONCE);
	/* same secret, a seq this server has not issued (an earlier run
	 * with the same --seed): not ours */
	sl_digest_nonce(&same, 100, o);
	sl_digest_nonce(&same, 100, o);
	SL_CHECK(&ts, sl_digest_nonce_check(&same, sl_str_c(o), 100) == SL_DIGEST_OK);
	SL_CHECK(&ts, sl_digest_nonce_check(&s, sl_str_c(o), 100) == SL_DIGEST_BAD_NONCE);
	/* a nonce longer than any we issue is not even hashed */
	char big[4096];
	memset(big, '1', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big, n, strlen(n));
	SL_CHECK(&ts, sl_digest_nonce_check(&s, sl_str_c(big), 100) == SL_DIGEST_BAD_NONCE);
	/* a slice that is not NUL-terminated: the genuine nonce, cut */
	SL_CHECK(&ts, sl_digest_nonce_check(&s, sl_str_make(n, strlen(n) - 1), 100) ==
	    SL_DIGEST_BAD_NONCE);
	sl_digest_server_free(&s);
	sl_digest_server_free(&other);
	sl_digest_server_free(&same);
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

	SL_CHECK(&ts, sl_digest_server_init(&s, "Yate", "0123456789abcdef", 10, 64) == SL_OK);
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
	sl_digest_server_free(&s);
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
	test_init();
	test_challenge();
	test_replay();
	test_forged();
	test_round_trip();
	test_client_refusals();
	return sl_test_report(&ts, "sip.digest");
}
