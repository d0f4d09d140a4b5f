/* b2bua.c: see b2bua.h. Header sets follow Yate 2.x's ysip
 * (libs/ysip/message.cpp: answers copy Via/From/To/Call-ID/CSeq, add
 * "Server:", fill rport and received; 100 Trying stays short; requests
 * carry "User-Agent:", Max-Forwards, Contact, Allow) and YATE.md. The
 * phones answer the server's leg with compact header forms. */
#include "tests/gen/b2bua.h"

#include <stdlib.h>
#include <string.h>

#include "tests/gen/rtp.h"
#include "tests/gen/sip.h"
#include "tests/gen/slg.h"
#include "tests/gen/text.h"

/* The four media streams. */
enum {
	ST_A_UP,	/* caller -> server */
	ST_B_DOWN,	/* server -> callee, relays ST_A_UP */
	ST_B_UP,	/* callee -> server */
	ST_A_DOWN,	/* server -> caller, relays ST_B_UP */
	ST_N
};

/* Signalling messages, in the order of the seed's tables. */
enum {
	M_INV1, M_INV1_100, M_INV1_401, M_INV1_ACK,
	M_INV2, M_INV2_100,
	M_B_INV, M_B_100, M_B_180, M_A_180, M_B_200, M_B_ACK, M_A_200, M_A_ACK,
	M_BYE1, M_BYE1_100, M_BYE1_401, M_BYE2, M_BYE2_100, M_BYE2_200,
	M_B_BYE, M_B_BYE_100, M_B_BYE_200
};

#define YATE_UA		"YATE/2.0.0"
#define PHONE_UA	"X-Lite release 1011s stamp 41150"
#define YATE_ALLOW	"ACK, INVITE, BYE, CANCEL, REGISTER, REFER, " \
			"OPTIONS, INFO, SUBSCRIBE, NOTIFY"
#define PHONE_ALLOW	"INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, " \
			"NOTIFY, MESSAGE, SUBSCRIBE, INFO"

/* Offsets of the signalling from the first INVITE (us), taken from the
 * ladder in LADDER-EXAMPLES.md; later ones are relative to the answer or
 * to the caller's BYE. */
static const uint32_t setup_us[] = { 0, 900, 1300, 11200, 15800, 16400,
	22000, 24100, 130500, 131200 };
static const uint32_t answer_us[] = { 0, 600, 1400, 10000 };
static const uint32_t bye_us[] = { 0, 900, 1200, 10500, 11100, 12000,
	12800, 20100, 21000 };

#define RTP_A_START_US	18000	/* after the answer */
#define RTP_B_START_US	19000
#define AFTER_BYE_US	215000	/* server keeps sending to the caller */
#define AFTER_SBYE_US	20000	/* callee keeps sending to the server */

struct slg_b2bua {
	struct slg_b2bua_cfg cfg;
	struct slg_host caller;
	struct slg_host callee;
	struct slg_host *server;
	struct slg_rtp_stream st[ST_N];
	uint64_t icmp_after[ST_N];	/* answered with ICMP from then on */
	uint64_t sig[SLG_B2BUA_NSIG];
	char hc[48];			/* caller, server, callee as in URIs */
	char hs[48];
	char hb[48];
	char nonce[2][64];
	unsigned pending;
};

void
slg_b2bua_cfg_random(struct slg_b2bua_cfg *cfg, struct slg_rng *rng)
{
	/* Identifiers as Yate prints them: decimal 31-bit-ish numbers. */
	cfg->callid_a = slg_rng_range(rng, 100000000, 2147483647);
	cfg->callid_b = slg_rng_range(rng, 100000000, 2147483647);
	cfg->tag_caller = slg_rng_range(rng, 100000000, 2147483647);
	cfg->tag_srv_401 = slg_rng_range(rng, 100000000, 2147483647);
	cfg->tag_srv_a = slg_rng_range(rng, 100000000, 2147483647);
	cfg->tag_srv_b = slg_rng_range(rng, 100000000, 2147483647);
	cfg->tag_callee = slg_rng_range(rng, 100000000, 2147483647);
	cfg->cseq_b = slg_rng_range(rng, 1, 40);
	for (unsigned i = 0; i < 8; i++)
		cfg->branch[i] = slg_rng_range(rng, 100000000, 2147483647);
	for (unsigned i = 0; i < 4; i++) {
		cfg->ssrc[i] = (uint32_t)slg_rng_next(rng);
		cfg->seq[i] = (uint16_t)slg_rng_next(rng);
		cfg->ts[i] = (uint32_t)slg_rng_next(rng);
	}
	cfg->sdp_caller = slg_rng_range(rng, 100000000, 2147483647);
	cfg->sdp_callee = slg_rng_range(rng, 100000000, 2147483647);
	/* Phones pick even ports in Yate's default RTP range. */
	cfg->caller_rtp = (uint16_t)(slg_rng_range(rng, 8192, 16383) * 2);
	cfg->callee_rtp = (uint16_t)(slg_rng_range(rng, 8192, 16383) * 2);
	cfg->seed = slg_rng_next(rng);
	cfg->lost[0] = cfg->lost[1] = -1;
	cfg->reorder = -1;
	cfg->jitter_ns = 2 * SLG_NS_PER_MS;
	memcpy(cfg->nonce_secret, "slgen-yate", sizeof("slgen-yate"));
}

static uint64_t
bye_time(const struct slg_b2bua_cfg *cfg)
{
	/* The caller hangs up 10 ms after its last RTP packet. */
	return cfg->t0 + cfg->answer_ns + RTP_A_START_US * SLG_NS_PER_US +
	    (uint64_t)(cfg->rtp_packets - 1) * 20 * SLG_NS_PER_MS +
	    10 * SLG_NS_PER_MS;
}

uint64_t
slg_b2bua_duration(const struct slg_b2bua_cfg *cfg)
{
	return bye_time(cfg) + AFTER_BYE_US * SLG_NS_PER_US - cfg->t0;
}

struct slg_b2bua *
slg_b2bua_new(const struct slg_b2bua_cfg *cfg, struct slg_host *server)
{
	struct slg_b2bua *c = calloc(1, sizeof(*c));
	uint64_t ans, tbye, tsbye;
	unsigned i = 0;

	if (c == NULL)
		return NULL;
	c->cfg = *cfg;
	c->caller = cfg->caller;
	c->callee = cfg->callee;
	c->server = server;
	slg_sip_host(&c->caller.ip, c->hc, sizeof(c->hc));
	slg_sip_host(&server->ip, c->hs, sizeof(c->hs));
	slg_sip_host(&c->callee.ip, c->hb, sizeof(c->hb));

	ans = cfg->t0 + cfg->answer_ns;
	tbye = bye_time(cfg);
	for (size_t j = 0; j < sizeof(setup_us) / sizeof(setup_us[0]); j++)
		c->sig[i++] = cfg->t0 + setup_us[j] * SLG_NS_PER_US;
	for (size_t j = 0; j < sizeof(answer_us) / sizeof(answer_us[0]); j++)
		c->sig[i++] = ans + answer_us[j] * SLG_NS_PER_US;
	for (size_t j = 0; j < sizeof(bye_us) / sizeof(bye_us[0]); j++)
		c->sig[i++] = tbye + bye_us[j] * SLG_NS_PER_US;
	tsbye = c->sig[M_B_BYE];

	for (unsigned s = 0; s < ST_N; s++) {
		struct slg_rtp_stream *st = &c->st[s];

		slg_rtp_init(st);
		st->ssrc = cfg->ssrc[s];
		st->seq0 = cfg->seq[s];
		st->ts0 = cfg->ts[s];
		st->seed = slg_mix64(cfg->seed + s);
		c->icmp_after[s] = UINT64_MAX;
	}
	c->st[ST_A_UP].from = &c->caller;
	c->st[ST_A_UP].to = server;
	c->st[ST_A_UP].sport = cfg->caller_rtp;
	c->st[ST_A_UP].dport = cfg->srv_rtp_a;
	c->st[ST_A_UP].t0 = ans + RTP_A_START_US * SLG_NS_PER_US;
	c->st[ST_A_UP].nmax = cfg->rtp_packets;
	c->st[ST_A_UP].jitter_ns = cfg->jitter_ns;
	c->st[ST_A_UP].lost[0] = cfg->lost[0];
	c->st[ST_A_UP].lost[1] = cfg->lost[1];
	c->st[ST_A_UP].reorder = cfg->reorder;

	c->st[ST_B_DOWN].src = &c->st[ST_A_UP];
	c->st[ST_B_DOWN].from = server;
	c->st[ST_B_DOWN].to = &c->callee;
	c->st[ST_B_DOWN].sport = cfg->srv_rtp_b;
	c->st[ST_B_DOWN].dport = cfg->callee_rtp;
	c->st[ST_B_DOWN].nmax = cfg->rtp_packets;

	/* The callee talks until it sees the server's BYE, plus a packet:
	 * the server has closed its port and answers with ICMP. */
	c->st[ST_B_UP].from = &c->callee;
	c->st[ST_B_UP].to = server;
	c->st[ST_B_UP].sport = cfg->callee_rtp;
	c->st[ST_B_UP].dport = cfg->srv_rtp_b;
	c->st[ST_B_UP].t0 = ans + RTP_B_START_US * SLG_NS_PER_US;
	c->st[ST_B_UP].jitter_ns = cfg->jitter_ns;
	c->st[ST_B_UP].stop = tsbye + AFTER_SBYE_US * SLG_NS_PER_US;
	c->icmp_after[ST_B_UP] = tsbye;

	/* The server keeps feeding the caller for a while after the BYE;
	 * the caller's port is closed and answers with ICMP. */
	c->st[ST_A_DOWN].src = &c->st[ST_B_UP];
	c->st[ST_A_DOWN].from = server;
	c->st[ST_A_DOWN].to = &c->caller;
	c->st[ST_A_DOWN].sport = cfg->srv_rtp_a;
	c->st[ST_A_DOWN].dport = cfg->caller_rtp;
	c->st[ST_A_DOWN].stop = tbye + AFTER_BYE_US * SLG_NS_PER_US;
	c->icmp_after[ST_A_DOWN] = tbye;

	for (unsigned s = 0; s < ST_N; s++) {
		c->st[s].dmin_ns = 200 * SLG_NS_PER_US;
		c->st[s].dmax_ns = 1000 * SLG_NS_PER_US;
	}
	return c;
}

void
slg_b2bua_free(struct slg_b2bua *c)
{
	free(c);
}

static int
push(struct slg_b2bua *c, struct slg_sched *s, struct slg_ev *ev)
{
	ev->owner = c;
	if (slg_sched_push(s, ev) != 0)
		return -1;
	c->pending++;
	return 0;
}

static int
push_rtp(struct slg_b2bua *c, struct slg_sched *s, unsigned idx)
{
	struct slg_rtp_pkt p;
	struct slg_ev ev;

	if (!slg_rtp_next(&c->st[idx], &p))
		return 0;
	memset(&ev, 0, sizeof(ev));
	ev.t = p.t;
	ev.kind = SLG_EV_RTP;
	ev.arg = (uint16_t)idx;
	ev.k = p.k;
	ev.seq = p.seq;
	ev.ts = p.ts;
	return push(c, s, &ev);
}

int
slg_b2bua_start(struct slg_b2bua *c, struct slg_sched *s)
{
	struct slg_ev ev;

	memset(&ev, 0, sizeof(ev));
	ev.t = c->sig[0];
	ev.kind = SLG_EV_SIP;
	ev.arg = 0;
	if (push(c, s, &ev) != 0)
		return -1;
	for (unsigned i = 0; i < ST_N; i++)
		if (push_rtp(c, s, i) != 0)
			return -1;
	return 0;
}

/* ---- signalling text ---- */

static void
sdp_phone(struct slg_text *t, const struct slg_ip *ip, uint64_t id,
    uint16_t port, const char *fmts)
{
	struct slg_sdp sdp = {
		.user = "-", .sess_id = id, .sess_ver = id, .addr = ip,
		.port = port, .fmts = fmts, .session = "-",
		.extra = "a=ptime:20\r\na=sendrecv\r\n",
	};

	slg_sdp_audio(t, &sdp);
}

static void
sdp_yate(struct slg_b2bua *c, struct slg_text *t, uint64_t now,
    uint16_t port, const char *fmts)
{
	uint64_t sec = now / SLG_NS_PER_SEC;
	struct slg_sdp sdp = {
		.user = "yate", .sess_id = sec, .sess_ver = sec,
		.addr = &c->server->ip, .port = port, .fmts = fmts,
		.session = "SIP Call", .extra = NULL,
	};

	slg_sdp_audio(t, &sdp);
}

/* Via of a response from the server, as Yate completes it. */
static void
via_srv_answer(struct slg_b2bua *c, struct slg_text *t, uint32_t branch)
{
	slg_text_add(t, "Via: SIP/2.0/UDP %s:5060;rport=5060;branch=z9hG4bK%u;"
	    "received=%s\r\n", c->hc, branch, c->hc);
}

/* From/To/Call-ID of the caller leg; to_tag 0 means none. */
static void
dlg_a(struct slg_b2bua *c, struct slg_text *t, uint32_t to_tag)
{
	slg_text_add(t, "From: <sip:%s@%s>;tag=%u\r\n", c->cfg.caller_user,
	    c->hs, c->cfg.tag_caller);
	if (to_tag != 0)
		slg_text_add(t, "To: <sip:%s@%s>;tag=%u\r\n", c->cfg.dialled,
		    c->hs, to_tag);
	else
		slg_text_add(t, "To: <sip:%s@%s>\r\n", c->cfg.dialled, c->hs);
	slg_text_add(t, "Call-ID: %u@%s\r\n", c->cfg.callid_a, c->hs);
}

/* The same for the callee leg, in compact form when the callee writes. */
static void
dlg_b(struct slg_b2bua *c, struct slg_text *t, bool compact, bool to_tag)
{
	slg_text_add(t, "%s: <sip:%s@%s>;tag=%u\r\n", compact ? "f" : "From",
	    c->cfg.caller_user, c->hs, c->cfg.tag_srv_b);
	slg_text_add(t, "%s: <sip:%s@%s:5060>", compact ? "t" : "To",
	    c->cfg.callee_user, c->hb);
	if (to_tag)
		slg_text_add(t, ";tag=%u", c->cfg.tag_callee);
	slg_text_add(t, "\r\n%s: %u@%s\r\n", compact ? "i" : "Call-ID",
	    c->cfg.callid_b, c->hs);
}

static void
authz(struct slg_b2bua *c, struct slg_text *t, const char *method,
    const char *uri, const char *nonce)
{
	char resp[33];

	slg_digest_response(resp, c->cfg.caller_user, "Yate",
	    c->cfg.caller_pass, method, uri, nonce);
	slg_text_add(t, "Authorization: Digest username=\"%s\", realm=\"Yate\", "
	    "nonce=\"%s\", uri=\"%s\", response=\"%s\", algorithm=MD5\r\n",
	    c->cfg.caller_user, nonce, uri, resp);
}

static void
rtp_stat(struct slg_b2bua *c, struct slg_text *t, unsigned out, unsigned in)
{
	const struct slg_rtp_stream *r = &c->st[in];
	unsigned lost = 0;

	/* Yate's P-RTP-Stat: packets/octets sent and received, lost. The
	 * counters are live: events run in time order. */
	for (unsigned i = 0; i < 2; i++)
		if (r->src == NULL && r->lost[i] >= 0 &&
		    (uint32_t)r->lost[i] < r->slot)
			lost++;
	slg_text_add(t, "P-RTP-Stat: PS=%u,OS=%u,PR=%u,OR=%u,PL=%u\r\n",
	    c->st[out].nsent, c->st[out].nsent * 160, r->nsent,
	    r->nsent * 160, lost);
}

static void
yate_nonce(struct slg_b2bua *c, unsigned which, uint64_t now)
{
	slg_yate_nonce(c->nonce[which], sizeof(c->nonce[which]),
	    c->cfg.nonce_secret, now / SLG_NS_PER_SEC);
}

/* Builds message m into t and says who sends it to whom. */
static void
build_msg(struct slg_b2bua *c, unsigned m, struct slg_text *t,
    struct slg_host **src, struct slg_host **dst)
{
	const struct slg_b2bua_cfg *g = &c->cfg;
	char body[2048];
	struct slg_text b;
	char uri[128];
	uint64_t now = c->sig[m];

	slg_text_init(&b, body, sizeof(body));
	/* Leg A: caller <-> server; leg B: server <-> callee. */
	switch (m) {
	case M_INV1:
	case M_INV2:
	case M_INV1_ACK:
	case M_A_ACK:
	case M_BYE1:
	case M_BYE2:
		*src = &c->caller;
		*dst = c->server;
		break;
	case M_B_INV:
	case M_B_ACK:
	case M_B_BYE:
		*src = c->server;
		*dst = &c->callee;
		break;
	case M_B_100:
	case M_B_180:
	case M_B_200:
	case M_B_BYE_100:
	case M_B_BYE_200:
		*src = &c->callee;
		*dst = c->server;
		break;
	default:
		*src = c->server;
		*dst = &c->caller;
		break;
	}

	switch (m) {
	case M_INV1:
	case M_INV2:
		slg_text_add(t, "INVITE sip:%s@%s SIP/2.0\r\n", g->dialled, c->hs);
		slg_text_add(t, "Via: SIP/2.0/UDP %s:5060;rport;branch=z9hG4bK%u"
		    "\r\n", c->hc, g->branch[m == M_INV1 ? 0 : 1]);
		dlg_a(c, t, 0);
		slg_text_add(t, "CSeq: %u INVITE\r\n", m == M_INV1 ? 1 : 2);
		if (m == M_INV2) {
			snprintf(uri, sizeof(uri), "sip:%s@%s", g->dialled,
			    c->hs);
			authz(c, t, "INVITE", uri, c->nonce[0]);
		}
		slg_text_add(t, "Contact: <sip:%s@%s:5060>\r\n", g->caller_user,
		    c->hc);
		slg_text_add(t, "Max-Forwards: 20\r\nUser-Agent: %s\r\n"
		    "Allow: %s\r\n", PHONE_UA, PHONE_ALLOW);
		sdp_phone(&b, &c->caller.ip, g->sdp_caller, g->caller_rtp,
		    "0 8 3 101");
		slg_sip_end(t, "Content-Type", "application/sdp",
		    "Content-Length", body, b.len);
		break;
	case M_INV1_100:
	case M_INV2_100:
	case M_BYE1_100:
	case M_BYE2_100: {
		static const struct { unsigned m, br, cseq, tag; const char *me; }
		    tr[] = {
			{ M_INV1_100, 0, 1, 0, "INVITE" },
			{ M_INV2_100, 1, 2, 0, "INVITE" },
			{ M_BYE1_100, 3, 3, 1, "BYE" },
			{ M_BYE2_100, 4, 4, 1, "BYE" },
		};
		unsigned i = 0;

		while (tr[i].m != m)
			i++;
		slg_text_add(t, "SIP/2.0 100 Trying\r\n");
		via_srv_answer(c, t, g->branch[tr[i].br]);
		dlg_a(c, t, tr[i].tag ? g->tag_srv_a : 0);
		slg_text_add(t, "CSeq: %u %s\r\nServer: %s\r\n", tr[i].cseq,
		    tr[i].me, YATE_UA);
		slg_sip_end(t, NULL, NULL, "Content-Length", NULL, 0);
		break;
	}
	case M_INV1_401:
	case M_BYE1_401:
		yate_nonce(c, m == M_INV1_401 ? 0 : 1, now);
		slg_text_add(t, "SIP/2.0 401 Unauthorized\r\n");
		via_srv_answer(c, t, g->branch[m == M_INV1_401 ? 0 : 3]);
		dlg_a(c, t, m == M_INV1_401 ? g->tag_srv_401 : g->tag_srv_a);
		slg_text_add(t, "CSeq: %s\r\n", m == M_INV1_401 ? "1 INVITE" :
		    "3 BYE");
		slg_text_add(t, "WWW-Authenticate: Digest realm=\"Yate\", "
		    "domain=\"%s\", nonce=\"%s\", stale=FALSE, algorithm=MD5\r\n",
		    c->hs, c->nonce[m == M_INV1_401 ? 0 : 1]);
		slg_text_add(t, "Server: %s\r\nAllow: %s\r\n", YATE_UA,
		    YATE_ALLOW);
		slg_sip_end(t, NULL, NULL, "Content-Length", NULL, 0);
		break;
	case M_INV1_ACK:
	case M_A_ACK:
		if (m == M_INV1_ACK)
			slg_text_add(t, "ACK sip:%s@%s SIP/2.0\r\n", g->dialled,
			    c->hs);
		else
			slg_text_add(t, "ACK sip:%s@%s:5060 SIP/2.0\r\n",
			    g->dialled, c->hs);
		/* A non-2xx ACK reuses the INVITE's branch; a 2xx ACK is a
		 * new transaction. */
		slg_text_add(t, "Via: SIP/2.0/UDP %s:5060;rport;branch=z9hG4bK%u"
		    "\r\n", c->hc, g->branch[m == M_INV1_ACK ? 0 : 2]);
		dlg_a(c, t, m == M_INV1_ACK ? g->tag_srv_401 : g->tag_srv_a);
		slg_text_add(t, "CSeq: %u ACK\r\n", m == M_INV1_ACK ? 1 : 2);
		slg_text_add(t, "Contact: <sip:%s@%s:5060>\r\n", g->caller_user,
		    c->hc);
		slg_text_add(t, "Max-Forwards: 20\r\nUser-Agent: %s\r\n",
		    PHONE_UA);
		slg_sip_end(t, NULL, NULL, "Content-Length", NULL, 0);
		break;
	case M_B_INV:
		slg_text_add(t, "INVITE sip:%s@%s:5060 SIP/2.0\r\n",
		    g->callee_user, c->hb);
		slg_text_add(t, "Via: SIP/2.0/UDP %s:5060;rport;branch=z9hG4bK%u"
		    "\r\n", c->hs, g->branch[5]);
		dlg_b(c, t, false, false);
		slg_text_add(t, "CSeq: %u INVITE\r\n", g->cseq_b);
		slg_text_add(t, "User-Agent: %s\r\nMax-Forwards: 19\r\n"
		    "Contact: <sip:%s@%s:5060>\r\nAllow: %s\r\n", YATE_UA,
		    g->caller_user, c->hs, YATE_ALLOW);
		sdp_yate(c, &b, now, g->srv_rtp_b, "0 8 3 101");
		slg_sip_end(t, "Content-Type", "application/sdp",
		    "Content-Length", body, b.len);
		break;
	case M_B_100:
	case M_B_180:
	case M_B_200:
	case M_B_BYE_100:
	case M_B_BYE_200: {
		bool inv = m == M_B_100 || m == M_B_180 || m == M_B_200;

		slg_text_add(t, "SIP/2.0 %s\r\n", m == M_B_180 ? "180 Ringing" :
		    (m == M_B_100 || m == M_B_BYE_100) ? "100 Trying" : "200 OK");
		slg_text_add(t, "v: SIP/2.0/UDP %s:5060;branch=z9hG4bK%u;"
		    "rport=5060\r\n", c->hs, g->branch[inv ? 5 : 7]);
		dlg_b(c, t, true, m != M_B_100);
		slg_text_add(t, "CSeq: %u %s\r\n", inv ? g->cseq_b :
		    g->cseq_b + 1, inv ? "INVITE" : "BYE");
		if (m == M_B_180 || m == M_B_200)
			slg_text_add(t, "m: <sip:%s@%s:5060>\r\n",
			    g->callee_user, c->hb);
		if (m != M_B_100 && m != M_B_BYE_100)
			slg_text_add(t, "User-Agent: %s\r\n", PHONE_UA);
		if (m == M_B_200) {
			slg_text_add(t, "Allow: %s\r\n", PHONE_ALLOW);
			sdp_phone(&b, &c->callee.ip, g->sdp_callee,
			    g->callee_rtp, "0 101");
			slg_sip_end(t, "c", "application/sdp", "l", body,
			    b.len);
		} else {
			slg_sip_end(t, NULL, NULL, "l", NULL, 0);
		}
		break;
	}
	case M_A_180:
	case M_A_200:
		slg_text_add(t, "SIP/2.0 %s\r\n", m == M_A_180 ? "180 Ringing" :
		    "200 OK");
		via_srv_answer(c, t, g->branch[1]);
		dlg_a(c, t, g->tag_srv_a);
		slg_text_add(t, "CSeq: 2 INVITE\r\nServer: %s\r\n"
		    "Contact: <sip:%s@%s:5060>\r\nAllow: %s\r\n", YATE_UA,
		    g->dialled, c->hs, YATE_ALLOW);
		if (m == M_A_200) {
			sdp_yate(c, &b, now, g->srv_rtp_a, "0 101");
			slg_sip_end(t, "Content-Type", "application/sdp",
			    "Content-Length", body, b.len);
		} else {
			slg_sip_end(t, NULL, NULL, "Content-Length", NULL, 0);
		}
		break;
	case M_B_ACK:
		slg_text_add(t, "ACK sip:%s@%s:5060 SIP/2.0\r\n", g->callee_user,
		    c->hb);
		slg_text_add(t, "Via: SIP/2.0/UDP %s:5060;rport;branch=z9hG4bK%u"
		    "\r\n", c->hs, g->branch[6]);
		dlg_b(c, t, false, true);
		slg_text_add(t, "CSeq: %u ACK\r\nMax-Forwards: 19\r\n"
		    "Contact: <sip:%s@%s:5060>\r\nUser-Agent: %s\r\n", g->cseq_b,
		    g->caller_user, c->hs, YATE_UA);
		slg_sip_end(t, NULL, NULL, "Content-Length", NULL, 0);
		break;
	case M_BYE1:
	case M_BYE2:
		snprintf(uri, sizeof(uri), "sip:%s@%s:5060", g->dialled, c->hs);
		slg_text_add(t, "BYE %s SIP/2.0\r\n", uri);
		slg_text_add(t, "Via: SIP/2.0/UDP %s:5060;rport;branch=z9hG4bK%u"
		    "\r\n", c->hc, g->branch[m == M_BYE1 ? 3 : 4]);
		dlg_a(c, t, g->tag_srv_a);
		slg_text_add(t, "CSeq: %u BYE\r\n", m == M_BYE1 ? 3 : 4);
		if (m == M_BYE2)
			authz(c, t, "BYE", uri, c->nonce[1]);
		slg_text_add(t, "Max-Forwards: 20\r\n"
		    "Reason: SIP;text=\"User hangup\"\r\nUser-Agent: %s\r\n",
		    PHONE_UA);
		slg_sip_end(t, NULL, NULL, "Content-Length", NULL, 0);
		break;
	case M_BYE2_200:
		slg_text_add(t, "SIP/2.0 200 OK\r\n");
		via_srv_answer(c, t, g->branch[4]);
		dlg_a(c, t, g->tag_srv_a);
		slg_text_add(t, "CSeq: 4 BYE\r\n");
		rtp_stat(c, t, ST_A_DOWN, ST_A_UP);
		slg_text_add(t, "Server: %s\r\nAllow: %s\r\n", YATE_UA,
		    YATE_ALLOW);
		slg_sip_end(t, NULL, NULL, "Content-Length", NULL, 0);
		break;
	case M_B_BYE:
		slg_text_add(t, "BYE sip:%s@%s:5060 SIP/2.0\r\n", g->callee_user,
		    c->hb);
		slg_text_add(t, "Via: SIP/2.0/UDP %s:5060;rport;branch=z9hG4bK%u"
		    "\r\n", c->hs, g->branch[7]);
		dlg_b(c, t, false, true);
		slg_text_add(t, "CSeq: %u BYE\r\nUser-Agent: %s\r\n"
		    "Max-Forwards: 70\r\nReason: SIP;text=\"User hangup\"\r\n",
		    g->cseq_b + 1, YATE_UA);
		rtp_stat(c, t, ST_B_DOWN, ST_B_UP);
		slg_text_add(t, "Allow: %s\r\n", YATE_ALLOW);
		slg_sip_end(t, NULL, NULL, "Content-Length", NULL, 0);
		break;
	default:
		t->overflow = true;
		break;
	}
	if (b.overflow)
		t->overflow = true;
}

/* ---- events ---- */

static int
fire_sip(struct slg_b2bua *c, const struct slg_ev *ev, struct slg_sched *s,
    struct slg_out *o)
{
	char buf[SLG_SIP_MAX];
	struct slg_text t;
	struct slg_host *src, *dst;

	slg_text_init(&t, buf, sizeof(buf));
	build_msg(c, ev->arg, &t, &src, &dst);
	if (t.overflow)
		return -1;
	if (slg_out_udp(o, ev->t, src, 5060, dst, 5060, buf, t.len) != 0)
		return -1;
	if (ev->arg + 1 < SLG_B2BUA_NSIG) {
		struct slg_ev next;

		memset(&next, 0, sizeof(next));
		next.t = c->sig[ev->arg + 1];
		next.kind = SLG_EV_SIP;
		next.arg = (uint16_t)(ev->arg + 1);
		return push(c, s, &next);
	}
	return 0;
}

static int
fire_rtp(struct slg_b2bua *c, const struct slg_ev *ev, struct slg_sched *s,
    struct slg_out *o)
{
	struct slg_rtp_stream *st = &c->st[ev->arg];
	struct slg_rtp_pkt p = { .k = ev->k, .seq = (uint16_t)ev->seq,
		.ts = ev->ts, .t = ev->t };
	uint8_t pl[512];
	size_t n = slg_rtp_make(st, &p, pl, sizeof(pl));

	if (n == 0 || slg_out_udp(o, ev->t, st->from, st->sport, st->to,
	    st->dport, pl, n) != 0)
		return -1;
	if (ev->t >= c->icmp_after[ev->arg]) {
		/* Quote the IP and UDP headers plus 8 bytes of RTP, as the
		 * phones' stack did; the ICMP leaves 60-200 us later. */
		struct slg_ev icmp;
		size_t q = o->f->l7 + 8 - o->f->l3;

		memset(&icmp, 0, sizeof(icmp));
		if (q > SLG_EV_QUOTE)
			q = SLG_EV_QUOTE;
		icmp.t = ev->t + (60 + slg_mix64(st->seed ^ ev->t) % 141) *
		    SLG_NS_PER_US;
		icmp.kind = SLG_EV_ICMP;
		icmp.arg = ev->arg;
		icmp.qlen = (uint16_t)q;
		memcpy(icmp.q, o->f->b + o->f->l3, q);
		if (push(c, s, &icmp) != 0)
			return -1;
	}
	return push_rtp(c, s, ev->arg);
}

int
slg_b2bua_fire(struct slg_b2bua *c, const struct slg_ev *ev,
    struct slg_sched *s, struct slg_out *o)
{
	int rc = -1;

	c->pending--;
	switch (ev->kind) {
	case SLG_EV_SIP:
		rc = fire_sip(c, ev, s, o);
		break;
	case SLG_EV_RTP:
		rc = fire_rtp(c, ev, s, o);
		break;
	case SLG_EV_ICMP: {
		const struct slg_rtp_stream *st = &c->st[ev->arg];

		rc = slg_out_icmp_unreach(o, ev->t, st->to, st->from, ev->q,
		    ev->qlen);
		break;
	}
	default:
		break;
	}
	if (rc != 0)
		return -1;
	return c->pending == 0 ? 1 : 0;
}

int
slg_b2bua_drop(struct slg_b2bua *c)
{
	c->pending--;
	return c->pending == 0 ? 1 : 0;
}
