/* scenario_register.c: register-retrans.pcap, the seed's "Register and
 * unregister" section: u1 (192.168.1.183) and u2 (192.168.1.101) log in
 * to the Yate server 192.168.1.50 and later log out.
 *
 *   REGISTER (no credentials) -> 401 WWW-Authenticate (Yate: no domain=
 *   for REGISTER) -> REGISTER with Authorization -> 200 OK with
 *   "Expires: 600" and "Contact: <...>;expires=600"; the same with
 *   "Expires: 0" to log out (200 without Contact).
 *
 * u1's first REGISTER is retransmitted once, 500 ms later (same branch,
 * same CSeq: RFC 3261 timer E), before the server's 401 arrives. The
 * server models Yate with lazy100=yes: no 100 Trying for REGISTER.
 *
 * File format on purpose unlike the others: nanosecond pcap magic and a
 * big-endian file, so readers must honour both. Times carry sub-
 * microsecond digits that only a nanosecond reader keeps. */
#include "tests/gen/scenario.h"

#include <stdio.h>
#include <string.h>

#include "tests/gen/rng.h"
#include "tests/gen/sip.h"
#include "tests/gen/slg.h"

#define PHONE_UA	"X-Lite release 1011s stamp 41150"

struct reg_user {
	struct slg_host *h;
	const char *user;
	const char *pass;
	uint32_t callid;
	uint32_t tag;
	uint32_t cseq;
	char nonce[64];
};

struct reg_ctx {
	struct slg_out o;
	struct slg_host server;
	struct slg_rng rng;
};

static int
send_text(struct reg_ctx *c, uint64_t t, struct slg_host *src,
    struct slg_host *dst, const struct slg_text *m)
{
	if (m->overflow)
		return -1;
	return slg_out_udp(&c->o, t, src, 5060, dst, 5060, m->p, m->len);
}

/* One REGISTER; with_auth adds the digest for the last 401's nonce. */
static void
build_register(struct reg_ctx *c, struct reg_user *u, struct slg_text *m,
    uint32_t branch, unsigned expires, bool with_auth)
{
	char h[48], s[48];

	slg_sip_host(&u->h->ip, h, sizeof(h));
	slg_sip_host(&c->server.ip, s, sizeof(s));
	slg_text_add(m, "REGISTER sip:%s SIP/2.0\r\n", s);
	slg_text_add(m, "Via: SIP/2.0/UDP %s:5060;rport;branch=z9hG4bK%u\r\n",
	    h, branch);
	slg_text_add(m, "From: <sip:%s@%s>;tag=%u\r\n", u->user, s, u->tag);
	slg_text_add(m, "To: <sip:%s@%s>\r\n", u->user, s);
	slg_text_add(m, "Call-ID: %u@%s\r\n", u->callid, h);
	slg_text_add(m, "CSeq: %u REGISTER\r\n", u->cseq);
	if (with_auth) {
		char uri[64], resp[33];

		snprintf(uri, sizeof(uri), "sip:%s", s);
		slg_digest_response(resp, u->user, "Yate", u->pass, "REGISTER",
		    uri, u->nonce);
		slg_text_add(m, "Authorization: Digest username=\"%s\", "
		    "realm=\"Yate\", nonce=\"%s\", uri=\"%s\", response=\"%s\", "
		    "algorithm=MD5\r\n", u->user, u->nonce, uri, resp);
	}
	slg_text_add(m, "Contact: <sip:%s@%s:5060>\r\n", u->user, h);
	slg_text_add(m, "Expires: %u\r\nMax-Forwards: 70\r\n"
	    "User-Agent: %s\r\n", expires, PHONE_UA);
	slg_sip_end(m, NULL, NULL, "Content-Length", NULL, 0);
}

static void
build_answer(struct reg_ctx *c, struct reg_user *u, struct slg_text *m,
    uint32_t branch, unsigned code, unsigned expires, uint64_t t)
{
	char h[48], s[48];

	slg_sip_host(&u->h->ip, h, sizeof(h));
	slg_sip_host(&c->server.ip, s, sizeof(s));
	slg_text_add(m, "SIP/2.0 %s\r\n", code == 401 ? "401 Unauthorized" :
	    "200 OK");
	slg_text_add(m, "Via: SIP/2.0/UDP %s:5060;rport=5060;branch=z9hG4bK%u;"
	    "received=%s\r\n", h, branch, h);
	slg_text_add(m, "From: <sip:%s@%s>;tag=%u\r\n", u->user, s, u->tag);
	slg_text_add(m, "To: <sip:%s@%s>;tag=%u\r\n", u->user, s,
	    slg_rng_range(&c->rng, 100000000, 2147483647));
	slg_text_add(m, "Call-ID: %u@%s\r\n", u->callid, h);
	slg_text_add(m, "CSeq: %u REGISTER\r\n", u->cseq);
	if (code == 401) {
		slg_yate_nonce(u->nonce, sizeof(u->nonce), "slgen-yate",
		    t / SLG_NS_PER_SEC);
		slg_text_add(m, "WWW-Authenticate: Digest realm=\"Yate\", "
		    "nonce=\"%s\", stale=FALSE, algorithm=MD5\r\n", u->nonce);
	} else {
		slg_text_add(m, "Expires: %u\r\n", expires);
		if (expires > 0)
			slg_text_add(m, "Contact: <sip:%s@%s:5060>;expires=%u\r\n",
			    u->user, h, expires);
	}
	slg_text_add(m, "Server: YATE/2.0.0\r\n");
	slg_sip_end(m, NULL, NULL, "Content-Length", NULL, 0);
}

/* REGISTER, [retransmission], 401, REGISTER+auth, 200. t0 and the
 * offsets are in ns so the file exercises nanosecond timestamps. */
static int
exchange(struct reg_ctx *c, struct reg_user *u, uint64_t t0,
    unsigned expires, bool retransmit)
{
	char buf[SLG_SIP_MAX];
	struct slg_text m;
	uint32_t br1 = slg_rng_range(&c->rng, 100000000, 2147483647);
	uint32_t br2 = slg_rng_range(&c->rng, 100000000, 2147483647);
	uint64_t t = t0;
	int rc = 0;

	slg_text_init(&m, buf, sizeof(buf));
	build_register(c, u, &m, br1, expires, false);
	rc |= send_text(c, t, u->h, &c->server, &m);
	if (retransmit) {
		t += 500 * SLG_NS_PER_MS + 217;
		rc |= send_text(c, t, u->h, &c->server, &m);
	}
	t += 1 * SLG_NS_PER_MS + 312417;
	slg_text_init(&m, buf, sizeof(buf));
	build_answer(c, u, &m, br1, 401, 0, t);
	rc |= send_text(c, t, &c->server, u->h, &m);
	u->cseq++;
	t += 9 * SLG_NS_PER_MS + 843105;
	slg_text_init(&m, buf, sizeof(buf));
	build_register(c, u, &m, br2, expires, true);
	rc |= send_text(c, t, u->h, &c->server, &m);
	t += 2 * SLG_NS_PER_MS + 77093;
	slg_text_init(&m, buf, sizeof(buf));
	build_answer(c, u, &m, br2, 200, expires, t);
	rc |= send_text(c, t, &c->server, u->h, &m);
	u->cseq++;
	return rc != 0 ? -1 : 0;
}

int
slg_scn_register(const char *path, const struct slg_opts *opt)
{
	static const struct slg_link eth = { .dlt = SLG_DLT_EN10MB };
	struct reg_ctx c;
	struct slg_host h1, h2;
	struct reg_user u1 = { .h = &h1, .user = "u1", .pass = "u1pass",
		.cseq = 1 };
	struct reg_user u2 = { .h = &h2, .user = "u2", .pass = "u2pass",
		.cseq = 1 };
	int rc = 0;

	slg_rng_seed(&c.rng, opt->seed ^ 0x4e6);
	slg_host_init(&c.server, "192.168.1.50", slg_mac_server, 128, 0x3a90);
	slg_host_init(&h1, "192.168.1.183", slg_mac_caller, 128, 0x1b02);
	slg_host_init(&h2, "192.168.1.101", slg_mac_callee, 128, 0x09f3);
	u1.callid = slg_rng_range(&c.rng, 100000000, 2147483647);
	u1.tag = slg_rng_range(&c.rng, 100000000, 2147483647);
	u2.callid = slg_rng_range(&c.rng, 100000000, 2147483647);
	u2.tag = slg_rng_range(&c.rng, 100000000, 2147483647);

	if (slg_out_init(&c.o) != 0)
		return slg_scn_fail(NULL, path, "out of memory");
	if (slg_pcap_open(&c.o.w, path, SLG_DLT_EN10MB, 65535, true,
	    true) != 0)
		return slg_scn_fail(&c.o, path, "cannot write");
	c.o.link = &eth;
	/* Log in at 10:00:00, u2 1.3 s later; both log out after ~40 s,
	 * well inside the 600 s they registered for. */
	rc |= exchange(&c, &u1, SLG_T(0, 0) + 123, 600, true);
	rc |= exchange(&c, &u2, SLG_T(1, 302040) + 789, 600, false);
	rc |= exchange(&c, &u1, SLG_T(41, 880512) + 456, 0, false);
	rc |= exchange(&c, &u2, SLG_T(43, 105733) + 901, 0, false);
	if (rc != 0)
		return slg_scn_fail(&c.o, path, "cannot build or write the messages");
	if (slg_out_finish(&c.o) != 0)
		return slg_scn_fail(NULL, path, "write error");
	return 0;
}
