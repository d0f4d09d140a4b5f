/* scenario_authfail.c: auth-failures.pcap, the ways a call on the seed's
 * LAN (u1 192.168.1.183, the Yate server 192.168.1.50, u2 192.168.1.101)
 * goes wrong around authentication and teardown, one case per call, so
 * that the analyzer's findings show in every output (issue #11):
 *
 *   0 s   u1 dials 2 with a wrong password: INVITE -> 401 -> ACK ->
 *         INVITE with Authorization -> 401 -> ACK, and gives up. The
 *         credentials were sent and refused: never authorised.
 *   5 s   the seed's call through the B2BUA, both challenges passed
 *         (INVITE and BYE); u2's phone dies while the call is up, so the
 *         server's BYE on leg B goes unanswered: RFC 3261 timer E resends
 *         it at 0.5, 1, 2 and then every 4 s until timer F (32 s).
 *   50 s  u1 calls the server's echo service "3" (answered by the server
 *         itself); its BYE is challenged with 407 and u1, which has no
 *         proxy credentials, gives up: the BYE never gets past it.
 *   70 s  u2 REGISTERs without a password: 401, and nothing more.
 *
 * No media: the findings here are about signalling. Identifiers are
 * fixed literals, so the file depends on nothing but this source. */
#include "tests/gen/scenario.h"

#include <stdio.h>
#include <string.h>

#include "tests/gen/sip.h"
#include "tests/gen/slg.h"

#define PHONE_UA	"YATE/2.0.0"
#define SERVER_UA	"YATE/2.0.0"

struct af_ctx {
	struct slg_out o;
	struct slg_host server;
	struct slg_host u1;
	struct slg_host u2;
};

/* The headers every message carries, in Yate's order. */
struct af_hdrs {
	const struct slg_host *via;	/* the request's sender */
	const char *branch;
	const char *from;		/* whole header values */
	const char *to;
	const char *callid;
	const char *cseq;		/* "2 INVITE" */
};

/* One message without a body: start line, the common headers, then
 * extra (header lines ending CRLF, or NULL). */
static int
af_send(struct af_ctx *c, uint64_t t, struct slg_host *src,
    struct slg_host *dst, const char *start, const struct af_hdrs *h,
    const char *extra)
{
	char buf[SLG_SIP_MAX], via[48];
	struct slg_text m;

	slg_text_init(&m, buf, sizeof(buf));
	slg_sip_host(&h->via->ip, via, sizeof(via));
	slg_text_add(&m, "%s\r\n", start);
	slg_text_add(&m, "Via: SIP/2.0/UDP %s:5060;rport;branch=z9hG4bK%s\r\n",
	    via, h->branch);
	slg_text_add(&m, "From: %s\r\nTo: %s\r\nCall-ID: %s\r\nCSeq: %s\r\n",
	    h->from, h->to, h->callid, h->cseq);
	slg_text_add(&m, "%s", extra ? extra : "");
	slg_text_add(&m, "User-Agent: %s\r\n", src == &c->server ? SERVER_UA :
	    PHONE_UA);
	slg_sip_end(&m, NULL, NULL, "Content-Length", NULL, 0);
	if (m.overflow)
		return -1;
	return slg_out_udp(&c->o, t, src, 5060, dst, 5060, m.p, m.len);
}

/* u1's "Authorization: Digest ..." with pass, answering nonce, then the
 * Max-Forwards every request of this file carries. */
static void
af_auth(char *out, size_t cap, const char *method, const char *uri,
    const char *pass, const char *nonce)
{
	char resp[33];

	slg_digest_response(resp, "u1", "Yate", pass, method, uri, nonce);
	snprintf(out, cap, "Authorization: Digest username=\"u1\", realm=\"Yate\", "
	    "nonce=\"%s\", uri=\"%s\", response=\"%s\", algorithm=MD5\r\n"
	    "Max-Forwards: 70\r\n", nonce, uri, resp);
}

/* "WWW-Authenticate: Digest ..." with a Yate nonce for time t. */
static void
af_challenge(char *out, size_t cap, char *nonce, size_t ncap, uint64_t t)
{
	slg_yate_nonce(nonce, ncap, "slgen-yate", t / SLG_NS_PER_SEC);
	snprintf(out, cap, "WWW-Authenticate: Digest realm=\"Yate\", "
	    "nonce=\"%s\", stale=FALSE, algorithm=MD5\r\n", nonce);
}

#define FROM_U1(tag)	"<sip:u1@192.168.1.50>;tag=" tag
#define TO_2		"<sip:2@192.168.1.50>"

/* u1 dials 2 with the wrong password. */
static int
af_refused(struct af_ctx *c, uint64_t t0)
{
	struct af_hdrs h = { &c->u1, "1001", FROM_U1("70011"), TO_2,
	    "70010@192.168.1.183", "1 INVITE" };
	char chal[256], auth[512], nonce[64];
	int rc = 0;

	rc |= af_send(c, t0, &c->u1, &c->server, "INVITE sip:2@192.168.1.50 SIP/2.0",
	    &h, "Max-Forwards: 70\r\n");
	af_challenge(chal, sizeof(chal), nonce, sizeof(nonce), t0);
	h.to = TO_2 ";tag=81001";
	rc |= af_send(c, t0 + 1 * SLG_NS_PER_MS + 207 * SLG_NS_PER_US, &c->server,
	    &c->u1, "SIP/2.0 401 Unauthorized", &h, chal);
	h.cseq = "1 ACK";
	rc |= af_send(c, t0 + 11 * SLG_NS_PER_MS, &c->u1, &c->server,
	    "ACK sip:2@192.168.1.50 SIP/2.0", &h, "Max-Forwards: 70\r\n");
	af_auth(auth, sizeof(auth), "INVITE", "sip:2@192.168.1.50", "wrongpass", nonce);
	h = (struct af_hdrs){ &c->u1, "1002", FROM_U1("70011"), TO_2,
	    "70010@192.168.1.183", "2 INVITE" };
	rc |= af_send(c, t0 + 15 * SLG_NS_PER_MS, &c->u1, &c->server,
	    "INVITE sip:2@192.168.1.50 SIP/2.0", &h, auth);
	af_challenge(chal, sizeof(chal), nonce, sizeof(nonce), t0);
	h.to = TO_2 ";tag=81002";
	rc |= af_send(c, t0 + 16 * SLG_NS_PER_MS + 95 * SLG_NS_PER_US, &c->server,
	    &c->u1, "SIP/2.0 401 Unauthorized", &h, chal);
	h.cseq = "2 ACK";
	rc |= af_send(c, t0 + 26 * SLG_NS_PER_MS, &c->u1, &c->server,
	    "ACK sip:2@192.168.1.50 SIP/2.0", &h, "Max-Forwards: 70\r\n");
	return rc;
}

/* The seed's call, then u2 gone: leg B's BYE is never answered. */
static int
af_callee_killed(struct af_ctx *c, uint64_t t0)
{
	static const char cid_a[] = "70020@192.168.1.183", cid_b[] = "90020@192.168.1.50";
	static const char from_b[] = "<sip:u1@192.168.1.50>;tag=90021";
	static const char to_b0[] = "<sip:u2@192.168.1.101>";
	static const char to_b[] = "<sip:u2@192.168.1.101>;tag=60021";
	static const char to_a[] = TO_2 ";tag=82002";
	struct af_hdrs a = { &c->u1, "2001", FROM_U1("70021"), TO_2, cid_a, "1 INVITE" };
	struct af_hdrs b = { &c->server, "3001", from_b, to_b0, cid_b, "1 INVITE" };
	char chal[256], auth[512], nonce[64];
	int rc = 0;

	/* leg A: challenged, then authorised */
	rc |= af_send(c, t0, &c->u1, &c->server, "INVITE sip:2@192.168.1.50 SIP/2.0",
	    &a, "Max-Forwards: 70\r\n");
	af_challenge(chal, sizeof(chal), nonce, sizeof(nonce), t0);
	a.to = TO_2 ";tag=82001";
	rc |= af_send(c, t0 + 1 * SLG_NS_PER_MS, &c->server, &c->u1,
	    "SIP/2.0 401 Unauthorized", &a, chal);
	a.cseq = "1 ACK";
	rc |= af_send(c, t0 + 11 * SLG_NS_PER_MS, &c->u1, &c->server,
	    "ACK sip:2@192.168.1.50 SIP/2.0", &a, "Max-Forwards: 70\r\n");
	af_auth(auth, sizeof(auth), "INVITE", "sip:2@192.168.1.50", "u1pass", nonce);
	a = (struct af_hdrs){ &c->u1, "2002", FROM_U1("70021"), TO_2, cid_a, "2 INVITE" };
	rc |= af_send(c, t0 + 15 * SLG_NS_PER_MS, &c->u1, &c->server,
	    "INVITE sip:2@192.168.1.50 SIP/2.0", &a, auth);
	rc |= af_send(c, t0 + 16 * SLG_NS_PER_MS, &c->server, &c->u1,
	    "SIP/2.0 100 Trying", &a, NULL);
	/* leg B: Yate caps Max-Forwards at 20, minus its own hop */
	rc |= af_send(c, t0 + 22 * SLG_NS_PER_MS, &c->server, &c->u2,
	    "INVITE sip:u2@192.168.1.101 SIP/2.0", &b, "Max-Forwards: 19\r\n");
	rc |= af_send(c, t0 + 24 * SLG_NS_PER_MS, &c->u2, &c->server,
	    "SIP/2.0 100 Trying", &b, NULL);
	b.to = to_b;
	rc |= af_send(c, t0 + 130 * SLG_NS_PER_MS, &c->u2, &c->server,
	    "SIP/2.0 180 Ringing", &b, NULL);
	a.to = to_a;
	rc |= af_send(c, t0 + 131 * SLG_NS_PER_MS, &c->server, &c->u1,
	    "SIP/2.0 180 Ringing", &a, NULL);
	rc |= af_send(c, t0 + 1700 * SLG_NS_PER_MS, &c->u2, &c->server,
	    "SIP/2.0 200 OK", &b, "Contact: <sip:u2@192.168.1.101:5060>\r\n");
	b.branch = "3002";
	b.cseq = "1 ACK";
	rc |= af_send(c, t0 + 1701 * SLG_NS_PER_MS, &c->server, &c->u2,
	    "ACK sip:u2@192.168.1.101:5060 SIP/2.0", &b, "Max-Forwards: 70\r\n");
	rc |= af_send(c, t0 + 1702 * SLG_NS_PER_MS, &c->server, &c->u1,
	    "SIP/2.0 200 OK", &a, "Contact: <sip:2@192.168.1.50:5060>\r\n");
	a.branch = "2003";
	a.cseq = "2 ACK";
	rc |= af_send(c, t0 + 1712 * SLG_NS_PER_MS, &c->u1, &c->server,
	    "ACK sip:2@192.168.1.50:5060 SIP/2.0", &a, "Max-Forwards: 70\r\n");
	/* u1 hangs up: the BYE is challenged too, and passes */
	a.branch = "2004";
	a.cseq = "3 BYE";
	uint64_t tb = t0 + 5000 * SLG_NS_PER_MS;
	rc |= af_send(c, tb, &c->u1, &c->server, "BYE sip:2@192.168.1.50:5060 SIP/2.0",
	    &a, "Max-Forwards: 70\r\n");
	af_challenge(chal, sizeof(chal), nonce, sizeof(nonce), tb);
	rc |= af_send(c, tb + 1 * SLG_NS_PER_MS, &c->server, &c->u1,
	    "SIP/2.0 401 Unauthorized", &a, chal);
	af_auth(auth, sizeof(auth), "BYE", "sip:2@192.168.1.50:5060", "u1pass", nonce);
	a.branch = "2005";
	a.cseq = "4 BYE";
	rc |= af_send(c, tb + 10 * SLG_NS_PER_MS, &c->u1, &c->server,
	    "BYE sip:2@192.168.1.50:5060 SIP/2.0", &a, auth);
	rc |= af_send(c, tb + 11 * SLG_NS_PER_MS, &c->server, &c->u1,
	    "SIP/2.0 200 OK", &a, NULL);
	/* the server's BYE to the dead phone: sent at 0, then timer E
	 * (500 ms doubling up to T2 = 4 s) until timer F fires at 32 s */
	b.branch = "3003";
	b.cseq = "2 BYE";
	static const unsigned resend_ms[] = { 0, 500, 1500, 3500, 7500, 11500, 15500,
		19500, 23500, 27500, 31500 };
	for (size_t i = 0; i < sizeof(resend_ms) / sizeof(resend_ms[0]); i++)
		rc |= af_send(c, tb + (12 + resend_ms[i]) * SLG_NS_PER_MS, &c->server,
		    &c->u2, "BYE sip:u2@192.168.1.101:5060 SIP/2.0", &b,
		    "Max-Forwards: 70\r\nReason: SIP;text=\"User hangup\"\r\n");
	return rc;
}

/* The echo service answers; the BYE's 407 is never answered. */
static int
af_bye_refused(struct af_ctx *c, uint64_t t0)
{
	struct af_hdrs h = { &c->u1, "4001", FROM_U1("70031"), "<sip:3@192.168.1.50>",
	    "70030@192.168.1.183", "1 INVITE" };
	int rc = 0;

	rc |= af_send(c, t0, &c->u1, &c->server, "INVITE sip:3@192.168.1.50 SIP/2.0", &h,
	    "Max-Forwards: 70\r\n");
	h.to = "<sip:3@192.168.1.50>;tag=83001";
	rc |= af_send(c, t0 + 2 * SLG_NS_PER_MS, &c->server, &c->u1, "SIP/2.0 200 OK",
	    &h, "Contact: <sip:3@192.168.1.50:5060>\r\n");
	h.branch = "4002";
	h.cseq = "1 ACK";
	rc |= af_send(c, t0 + 12 * SLG_NS_PER_MS, &c->u1, &c->server,
	    "ACK sip:3@192.168.1.50:5060 SIP/2.0", &h, "Max-Forwards: 70\r\n");
	h.branch = "4003";
	h.cseq = "2 BYE";
	rc |= af_send(c, t0 + 4000 * SLG_NS_PER_MS, &c->u1, &c->server,
	    "BYE sip:3@192.168.1.50:5060 SIP/2.0", &h, "Max-Forwards: 70\r\n");
	rc |= af_send(c, t0 + 4001 * SLG_NS_PER_MS, &c->server, &c->u1,
	    "SIP/2.0 407 Proxy Authentication Required", &h,
	    "Proxy-Authenticate: Digest realm=\"Yate\", nonce=\"x\", algorithm=MD5\r\n");
	return rc;
}

/* u2 has no password configured. */
static int
af_reg_refused(struct af_ctx *c, uint64_t t0)
{
	struct af_hdrs h = { &c->u2, "5001", "<sip:u2@192.168.1.50>;tag=60041",
	    "<sip:u2@192.168.1.50>", "60040@192.168.1.101", "1 REGISTER" };
	char chal[256], nonce[64];
	int rc = 0;

	rc |= af_send(c, t0, &c->u2, &c->server, "REGISTER sip:192.168.1.50 SIP/2.0", &h,
	    "Contact: <sip:u2@192.168.1.101:5060>\r\nExpires: 600\r\nMax-Forwards: 70\r\n");
	af_challenge(chal, sizeof(chal), nonce, sizeof(nonce), t0);
	h.to = "<sip:u2@192.168.1.50>;tag=84001";
	rc |= af_send(c, t0 + 1 * SLG_NS_PER_MS, &c->server, &c->u2,
	    "SIP/2.0 401 Unauthorized", &h, chal);
	return rc;
}

int
slg_scn_auth_failures(const char *path, const struct slg_opts *opt)
{
	static const struct slg_link eth = { .dlt = SLG_DLT_EN10MB };
	struct af_ctx c;
	int rc = 0;

	(void)opt;	/* fixed identifiers: the seed changes nothing */
	memset(&c, 0, sizeof(c));
	slg_host_init(&c.server, "192.168.1.50", slg_mac_server, 128, 0x3c11);
	slg_host_init(&c.u1, "192.168.1.183", slg_mac_caller, 128, 0x1d20);
	slg_host_init(&c.u2, "192.168.1.101", slg_mac_callee, 128, 0x0b31);
	if (slg_scn_open_eth(&c.o, path, &eth) != 0)
		return -1;
	rc |= af_refused(&c, SLG_T(0, 0));
	rc |= af_callee_killed(&c, SLG_T(5, 0));
	rc |= af_bye_refused(&c, SLG_T(50, 0));
	rc |= af_reg_refused(&c, SLG_T(70, 0));
	if (rc != 0)
		return slg_scn_fail(&c.o, path, "cannot build or write the messages");
	if (slg_out_finish(&c.o) != 0)
		return slg_scn_fail(NULL, path, "write error");
	return 0;
}
