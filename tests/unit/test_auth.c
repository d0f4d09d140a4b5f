/* test_auth.c: authentication per leg and per kind of request, the
 * verdict and the findings, for calls built through the correlator from
 * SIP text, and every renderer telling the same story about them (the
 * ladder's headline, legend and '!' lines, the calls table, JSON).
 * Regressions of issue #11: a call whose credentials were refused was
 * "authorised" in JSON while its state was auth_failed, and its ladder
 * said "never authorised" over a leg line saying "then authorised"; a
 * call whose INVITE and BYE challenges both succeeded printed "401 ->
 * failed (x2)" because the callee, killed mid-call, never answered the
 * server's BYE. */
#include <stdint.h>
#include <string.h>

#include "tests/unit/corrfeed.h"
#include "core/buf.h"
#include "reports/report.h"
#include "tests/unit/sipseed.h"

static SL_TEST_STATE(ts);

/* ----- SIP text: caller u1, B2BUA server, callee u2 ----- */

#define AUTH "Authorization: Digest username=\"u1\", realm=\"sipladder\", nonce=\"n1\", " \
	"uri=\"sip:2@10.0.0.50\", response=\"0123456789abcdef0123456789abcdef\"" CRLF
#define CHAL "WWW-Authenticate: Digest realm=\"sipladder\", nonce=\"n1\"" CRLF

#define INVITE_A(ms, br, cseq, extra) \
	{ ms, CLR, SRV, "INVITE sip:2@10.0.0.50 SIP/2.0" CRLF VIA(CLR, br) \
	    HDRS(FC, TC0, "a@10.0.0.183", cseq " INVITE") "Max-Forwards: 70" CRLF extra, NULL }
#define RESP_A(ms, br, cseq, status, to, extra) \
	{ ms, SRV, CLR, "SIP/2.0 " status CRLF VIA(CLR, br) \
	    HDRS(FC, to, "a@10.0.0.183", cseq) extra, NULL }
#define ACK_A(ms, br, cseq, to) \
	{ ms, CLR, SRV, "ACK sip:2@10.0.0.50 SIP/2.0" CRLF VIA(CLR, br) \
	    HDRS(FC, to, "a@10.0.0.183", cseq " ACK"), NULL }

/* INVITE challenged, the retry with credentials challenged again, and
 * the caller gives up: the credentials were refused. */
static const struct cf_step refused[] = {
	INVITE_A(0, "a1", "1", ""),
	RESP_A(5, "a1", "1 INVITE", "401 Unauthorized", TC0 ";tag=x1", CHAL),
	ACK_A(10, "a1", "1", TC0 ";tag=x1"),
	INVITE_A(20, "a2", "2", AUTH),
	RESP_A(25, "a2", "2 INVITE", "401 Unauthorized", TC0 ";tag=x2", CHAL),
	ACK_A(30, "a2", "2", TC0 ";tag=x2"),
};

/* The retry with credentials rings and the capture ends: still setting
 * up, not a failure. */
static const struct cf_step pending[] = {
	INVITE_A(0, "a1", "1", ""),
	RESP_A(5, "a1", "1 INVITE", "401 Unauthorized", TC0 ";tag=x1", CHAL),
	ACK_A(10, "a1", "1", TC0 ";tag=x1"),
	INVITE_A(20, "a2", "2", AUTH),
	RESP_A(25, "a2", "2 INVITE", "180 Ringing", TC, ""),
};

/* The seed's call through the B2BUA, both challenges passed; then the
 * callee is gone: the server's BYE to it is retransmitted (RFC 3261
 * timer E: 0.5, 1, 2, 4 s) and never answered. */
static const struct cf_step callee_killed[] = {
	INVITE_A(0, "a1", "1", ""),
	RESP_A(5, "a1", "1 INVITE", "401 Unauthorized", TC0 ";tag=x1", CHAL),
	ACK_A(10, "a1", "1", TC0 ";tag=x1"),
	INVITE_A(20, "a2", "2", AUTH),
	RESP_A(25, "a2", "2 INVITE", "100 Trying", TC0, ""),
	{ 30, SRV, CLE, "INVITE sip:u2@10.0.0.101 SIP/2.0" CRLF VIA(SRV, "b1")
	    HDRS(FS, TS0, "b@10.0.0.50", "1 INVITE") "Max-Forwards: 69" CRLF, NULL },
	{ 1000, CLE, SRV, "SIP/2.0 200 OK" CRLF VIA(SRV, "b1")
	    HDRS(FS, TSD, "b@10.0.0.50", "1 INVITE"), NULL },
	RESP_A(1001, "a2", "2 INVITE", "200 OK", TC, ""),
	{ 1010, SRV, CLE, "ACK sip:u2@10.0.0.101 SIP/2.0" CRLF VIA(SRV, "b2")
	    HDRS(FS, TSD, "b@10.0.0.50", "1 ACK"), NULL },
	ACK_A(1011, "a3", "2", TC),
	{ 5000, CLR, SRV, "BYE sip:2@10.0.0.50 SIP/2.0" CRLF VIA(CLR, "a4")
	    HDRS(FC, TC, "a@10.0.0.183", "3 BYE"), NULL },
	RESP_A(5001, "a4", "3 BYE", "401 Unauthorized", TC, CHAL),
	{ 5010, CLR, SRV, "BYE sip:2@10.0.0.50 SIP/2.0" CRLF VIA(CLR, "a5")
	    HDRS(FC, TC, "a@10.0.0.183", "4 BYE") AUTH, NULL },
	RESP_A(5011, "a5", "4 BYE", "200 OK", TC, ""),
#define BYE_B(ms) { ms, SRV, CLE, "BYE sip:u2@10.0.0.101 SIP/2.0" CRLF VIA(SRV, "b3") \
	    HDRS(FS, TSD, "b@10.0.0.50", "2 BYE"), NULL }
	BYE_B(5012), BYE_B(5512), BYE_B(6512), BYE_B(8512), BYE_B(12512),
#undef BYE_B
};

/* An answered call whose caller gives up at the BYE's challenge. */
static const struct cf_step bye_refused[] = {
	INVITE_A(0, "a1", "1", ""),
	RESP_A(100, "a1", "1 INVITE", "200 OK", TC, ""),
	ACK_A(110, "a2", "1", TC),
	{ 3000, CLR, SRV, "BYE sip:2@10.0.0.50 SIP/2.0" CRLF VIA(CLR, "a3")
	    HDRS(FC, TC, "a@10.0.0.183", "2 BYE"), NULL },
	RESP_A(3001, "a3", "2 BYE", "407 Proxy Authentication Required", TC,
	    "Proxy-Authenticate: Digest realm=\"sipladder\", nonce=\"n2\"" CRLF),
};

/* A registration that never got past its challenge. */
static const struct cf_step reg_refused[] = {
	{ 0, CLR, SRV, "REGISTER sip:10.0.0.50 SIP/2.0" CRLF VIA(CLR, "g1")
	    HDRS("<sip:u1@10.0.0.50>;tag=ru", "<sip:u1@10.0.0.50>", "reg1@10.0.0.183", "1 REGISTER")
	    "Contact: <sip:u1@10.0.0.183:5060>" CRLF "Expires: 600" CRLF, NULL },
	{ 10, SRV, CLR, "SIP/2.0 401 Unauthorized" CRLF VIA(CLR, "g1")
	    HDRS("<sip:u1@10.0.0.50>;tag=ru", "<sip:u1@10.0.0.50>;tag=s1", "reg1@10.0.0.183",
	    "1 REGISTER") CHAL, NULL },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ----- running a scenario and rendering its call ----- */

struct run {
	struct cf cf;
	struct cf_calls kept;
	const struct sl_call *call;	/* the one call, or NULL */
	char *ladder;			/* text ladder, ASCII, 200 columns */
	char *table;			/* calls table */
	char *json;			/* the call's JSON line */
};

static char *
render(const struct sl_call *c, int what)
{
	struct sl_report_opts o;
	sl_report_opts_default(&o);
	o.base_ts_ns = CF_T0;
	o.ascii = true;
	o.width = 200;
	struct sl_buf b;
	sl_buf_init(&b, 1 << 20);
	enum sl_err e = what == 0 ? sl_report_ladder_text(&b, c, &o) :
	    what == 1 ? sl_report_calls_table(&b, &c, 1, &o) : sl_report_json_call(&b, c, &o);
	SL_CHECK_MSG(&ts, e == SL_OK, "render %d", what);
	return e == SL_OK ? b.p : NULL;
}

static void
run(struct run *r, const struct cf_step *steps, size_t n)
{
	memset(r, 0, sizeof *r);
	cf_init(&r->cf, true, cf_keep, &r->kept);
	cf_run(&ts, &r->cf, steps, n);
	SL_CHECK_MSG(&ts, r->kept.n_calls == 1, "%zu calls", r->kept.n_calls);
	if (r->kept.n_calls != 1)
		return;
	r->call = r->kept.calls[0];
	r->ladder = render(r->call, 0);
	r->table = render(r->call, 1);
	r->json = render(r->call, 2);
}

static void
run_free(struct run *r)
{
	sl_buf_free(&(struct sl_buf){ .p = r->ladder });
	sl_buf_free(&(struct sl_buf){ .p = r->table });
	sl_buf_free(&(struct sl_buf){ .p = r->json });
	cf_calls_free(&r->kept);
	cf_free(&r->cf);
}

static bool
has(const char *text, const char *want)
{
	return text && strstr(text, want) != NULL;
}

/* One check per expected (or, with want false, unwanted) piece of text. */
#define SAYS(r, field, text, want) \
	SL_CHECK_MSG(&ts, has((r)->field, text) == (want), "%s %s \"%s\" in:\n%s", #field, \
	    (want) ? "lacks" : "has", text, (r)->field ? (r)->field : "(null)")

/* ----- tests ----- */

static void
test_refused(void)
{
	struct run r;
	run(&r, refused, N(refused));
	if (r.call) {
		const struct sl_auth *a = &r.call->legs->auth[SL_AUTH_INVITE];
		SL_CHECK(&ts, a->challenges == 2 && a->status == 401 && a->credentials == 1);
		SL_CHECK(&ts, !a->authorised && a->failed);
		SL_CHECK(&ts, a->last_challenge && a->last_challenge->cseq == 2);
		const struct sl_call_summary *s = &r.call->sum;
		SL_CHECK(&ts, s->state == SL_STATE_AUTH_FAILED && s->status == 401);
		SL_CHECK(&ts, !s->authorised && s->credentials && s->auth_failed && s->challenges == 2);
		SL_CHECK(&ts, r.call->n_findings == 1);
		if (r.call->n_findings == 1) {
			const struct sl_finding *f = &r.call->findings[0];
			SL_CHECK(&ts, f->kind == SL_FINDING_AUTH_FAILED && f->leg == r.call->legs);
			SL_CHECK(&ts, f->req == SL_AUTH_INVITE && f->status == 401 && f->count == 2);
			SL_CHECK(&ts, f->msg == a->last_challenge && f->first_ts == CF_T0 + 25 * CF_MS);
		}
		/* the headline and the leg line agree, as do the table and JSON */
		SAYS(&r, ladder, "challenged 401, never authorised\n", true);
		SAYS(&r, ladder, "INVITE challenged 401 x2, never authorised\n", true);
		SAYS(&r, ladder, "then authorised", false);
		SAYS(&r, ladder, "! auth never completed: caller -> callee INVITE challenged 401 x2\n",
		    true);
		SAYS(&r, table, "auth failed 401  ", true);
		SAYS(&r, table, "401 -> failed (x2)", true);
		SAYS(&r, json, "\"state\":\"auth_failed\"", true);
		SAYS(&r, json, "\"auth\":{\"invite_challenges\":2,\"bye_challenges\":0,"
		    "\"authorised\":false,\"challenges\":2,\"credentials_sent\":true,\"failed\":true}", true);
		SAYS(&r, json, "\"invite\":{\"challenges\":2,\"status\":401,\"credentials\":1,"
		    "\"authorised\":false,\"failed\":true,\"user\":\"u1\",\"realm\":\"sipladder\"}", true);
		SAYS(&r, json, "\"findings\":[{\"kind\":\"auth_failed\",\"leg\":\"A\",\"start\":0.025000,"
		    "\"end\":0.025000,\"count\":2,\"method\":\"INVITE\",\"status\":401,\"frame\":5,"
		    "\"stream\":null,\"icmp_unreachable\":0}]}", true);
	}
	run_free(&r);
}

static void
test_pending(void)
{
	struct run r;
	run(&r, pending, N(pending));
	if (r.call) {
		const struct sl_auth *a = &r.call->legs->auth[SL_AUTH_INVITE];
		SL_CHECK(&ts, a->challenges == 1 && a->credentials == 1);
		SL_CHECK(&ts, !a->authorised && !a->failed);
		const struct sl_call_summary *s = &r.call->sum;
		SL_CHECK(&ts, s->state == SL_STATE_RINGING);
		SL_CHECK(&ts, !s->auth_failed && s->auth_pending && !s->authorised);
		SL_CHECK(&ts, r.call->n_findings == 0);
		SAYS(&r, ladder, "ringing, not answered\n", true);
		SAYS(&r, ladder, "INVITE challenged 401, no final answer\n", true);
		SAYS(&r, ladder, "never authorised", false);
		SAYS(&r, ladder, "\n              !", false);
		SAYS(&r, table, "401 -> no answer", true);
		SAYS(&r, json, "\"findings\":[]}", true);
	}
	run_free(&r);
}

static void
test_callee_killed(void)
{
	struct run r;
	run(&r, callee_killed, N(callee_killed));
	if (r.call) {
		const struct sl_leg *a = r.call->legs, *b = a ? a->next : NULL;
		SL_CHECK(&ts, r.call->n_legs == 2 && b && b->joined_to == a);
		if (b == NULL) {
			run_free(&r);
			return;
		}
		SL_CHECK(&ts, a->auth[SL_AUTH_INVITE].authorised && !a->auth[SL_AUTH_INVITE].failed);
		SL_CHECK(&ts, a->auth[SL_AUTH_BYE].authorised && !a->auth[SL_AUTH_BYE].failed);
		SL_CHECK(&ts, a->auth[SL_AUTH_BYE].challenges == 1 && a->bye_status == 200);
		SL_CHECK(&ts, b->bye_by == SL_SIDE_SERVER && b->bye_status == 0 && b->bye_done_ts == 0);
		SL_CHECK(&ts, b->last_bye && b->last_bye->retrans_count == 4);
		const struct sl_call_summary *s = &r.call->sum;
		SL_CHECK(&ts, s->state == SL_STATE_BYE_UNANSWERED && s->hangup_by == SL_SIDE_CALLER);
		/* leg B's BYE decides, and it got no status at all */
		SL_CHECK(&ts, s->status == 0);
		SL_CHECK(&ts, s->authorised && !s->auth_failed && !s->auth_pending && s->challenges == 2);
		SL_CHECK(&ts, r.call->n_findings == 2);
		if (r.call->n_findings == 2) {
			/* both start with the first BYE: kind order breaks the tie */
			const struct sl_finding *f = &r.call->findings[0], *g = &r.call->findings[1];
			SL_CHECK(&ts, f->kind == SL_FINDING_BYE_UNANSWERED && f->leg == b);
			SL_CHECK(&ts, f->count == 5 && f->status == 0 && f->msg == b->last_bye);
			SL_CHECK(&ts, g->kind == SL_FINDING_RETRANSMISSIONS && g->leg == b);
			SL_CHECK(&ts, g->count == 4 && g->msg == b->last_bye);
			SL_CHECK(&ts, g->first_ts == CF_T0 + 5012 * CF_MS &&
			    g->last_ts == CF_T0 + 12512 * CF_MS);
		}
		/* both challenges succeeded: nothing failed, whatever leg B did */
		SAYS(&r, table, "401 -> ok (x2)", true);
		SAYS(&r, table, "BYE unanswered", true);
		/* the caller's BYE was answered: the headline says whose was not */
		SAYS(&r, ladder, "answered, hung up by caller, BYE unanswered on leg B, 4.00 s talk\n",
		    true);
		SAYS(&r, ladder, "INVITE challenged 401 then authorised; BYE challenged 401 then 200\n",
		    true);
		SAYS(&r, ladder, "! BYE unanswered: server -> callee, no final response\n",
		    true);
		SAYS(&r, ladder, "! retransmissions: server -> callee BYE sent 5 times over 7.50 s\n",
		    true);
		SAYS(&r, json, "\"bye_by\":\"server\",\"bye_answered\":false,\"bye_status\":null", true);
		SAYS(&r, json, "\"bye_by\":\"caller\",\"bye_answered\":true,\"bye_status\":200", true);
		SAYS(&r, json, "\"authorised\":true,\"challenges\":2,\"credentials_sent\":true,"
		    "\"failed\":false}", true);
		SAYS(&r, json, "{\"kind\":\"bye_unanswered\",\"leg\":\"B\",\"start\":5.012000,"
		    "\"end\":12.512000,\"count\":5,\"method\":\"BYE\",\"status\":null,\"frame\":15,", true);
		SAYS(&r, json, "{\"kind\":\"retransmissions\",\"leg\":\"B\",\"start\":5.012000,"
		    "\"end\":12.512000,\"count\":4,\"method\":\"BYE\",\"status\":null,\"frame\":15,", true);
	}
	run_free(&r);
}

static void
test_bye_refused(void)
{
	struct run r;
	run(&r, bye_refused, N(bye_refused));
	if (r.call) {
		const struct sl_auth *a = &r.call->legs->auth[SL_AUTH_BYE];
		SL_CHECK(&ts, a->challenges == 1 && a->status == 407 && a->failed);
		SL_CHECK(&ts, r.call->legs->auth[SL_AUTH_INVITE].challenges == 0);
		SL_CHECK(&ts, r.call->sum.state == SL_STATE_BYE_UNANSWERED);
		SL_CHECK(&ts, r.call->sum.status == 407 && r.call->sum.auth_failed);
		/* the auth finding says why the BYE went unanswered: one finding */
		SL_CHECK(&ts, r.call->n_findings == 1 &&
		    r.call->findings[0].kind == SL_FINDING_AUTH_FAILED &&
		    r.call->findings[0].req == SL_AUTH_BYE);
		SAYS(&r, ladder, "BYE challenged 407, never authorised\n", true);
		SAYS(&r, ladder, "! auth never completed: caller -> callee BYE challenged 407\n", true);
		SAYS(&r, table, "407 -> failed", true);
	}
	run_free(&r);
}

static void
test_reg_refused(void)
{
	struct run r;
	run(&r, reg_refused, N(reg_refused));
	if (r.call) {
		const struct sl_auth *a = &r.call->legs->auth[SL_AUTH_REGISTER];
		SL_CHECK(&ts, a->challenges == 1 && a->credentials == 0 && a->failed);
		SL_CHECK(&ts, r.call->sum.state == SL_STATE_REG_FAILED && r.call->sum.auth_failed);
		SL_CHECK(&ts, r.call->n_findings == 1 &&
		    r.call->findings[0].kind == SL_FINDING_AUTH_FAILED &&
		    r.call->findings[0].req == SL_AUTH_REGISTER);
		/* headline, legend and table state say the same, not "pending" */
		SAYS(&r, ladder, "Registration R1  u1  never authorised\n", true);
		SAYS(&r, ladder, "never authorised after 1 challenge\n", true);
		SAYS(&r, ladder, "! auth never completed: client -> registrar REGISTER challenged 401\n",
		    true);
		SAYS(&r, ladder, "pending", false);
		SAYS(&r, table, "never authorised  ", true);
		SAYS(&r, table, "401 -> failed", true);
	}
	run_free(&r);
}

int
main(void)
{
	sl_osip_init();
	test_refused();
	test_pending();
	test_callee_killed();
	test_bye_refused();
	test_reg_refused();
	return sl_test_report(&ts, "test_auth");
}
