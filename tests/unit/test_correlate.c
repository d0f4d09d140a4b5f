/* test_correlate.c: the correlator from dissected SIP to calls. Each
 * scenario is a table of datagrams (time, sender, receiver, SIP text)
 * run through the SIP dissector and the correlator; the calls it emits
 * are checked field by field: retransmission marking (RFC 3261 17),
 * ACK to a non-2xx, dialog tags, REGISTER exchanges, and B2BUA leg
 * joining with its evidence, for joins that must and must not happen. */
#include <stdint.h>
#include <string.h>

#include "tests/unit/corrfeed.h"
#include "tests/unit/sipseed.h"

static SL_TEST_STATE(ts);

/* ----- the fixture: datagrams in, emitted calls kept ----- */

struct fx {
	struct cf cf;
	struct cf_calls kept;
};

static void
fx_init(struct fx *f, bool merge)
{
	memset(f, 0, sizeof *f);
	cf_init(&f->cf, merge, cf_keep, &f->kept);
}

static void
fx_free(struct fx *f)
{
	cf_calls_free(&f->kept);
	cf_free(&f->cf);
}

static void
fx_run(struct fx *f, const struct cf_step *steps, size_t n)
{
	cf_run(&ts, &f->cf, steps, n);
}

static bool
str_is(struct sl_str s, const char *want)
{
	return sl_str_eq(s, sl_str_c(want));
}

static const struct sl_msg *
msg_at(const struct sl_call *call, unsigned i)
{
	const struct sl_msg *m = call->msgs;
	while (m && i--)
		m = m->next;
	return m;
}

/* ----- SIP text ----- */

#define A "10.0.0.1:5060"
#define B "10.0.0.2:5060"
#define SDP_A "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\n" \
	"t=0 0\r\nm=audio 4000 RTP/AVP 0\r\n"
#define SDP_B "v=0\r\no=- 2 2 IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 10.0.0.2\r\n" \
	"t=0 0\r\nm=audio 6000 RTP/AVP 0\r\n"

#define FA "<sip:alice@10.0.0.2>;tag=fa"
#define TB0 "<sip:bob@10.0.0.2>"
#define TB "<sip:bob@10.0.0.2>;tag=tb"

/* ----- transactions and dialogs ----- */

static const struct cf_step direct_call[] = {
	{ 0, A, B, "INVITE sip:bob@10.0.0.2 SIP/2.0" CRLF VIA(A, "i1")
	    HDRS(FA, TB0, "d1@10.0.0.1", "1 INVITE") "Max-Forwards: 70" CRLF, SDP_A },
	{ 500, A, B, "INVITE sip:bob@10.0.0.2 SIP/2.0" CRLF VIA(A, "i1")
	    HDRS(FA, TB0, "d1@10.0.0.1", "1 INVITE") "Max-Forwards: 70" CRLF, SDP_A },
	{ 510, B, A, "SIP/2.0 100 Trying" CRLF VIA(A, "i1")
	    HDRS(FA, TB0, "d1@10.0.0.1", "1 INVITE"), NULL },
	{ 600, B, A, "SIP/2.0 180 Ringing" CRLF VIA(A, "i1")
	    HDRS(FA, TB, "d1@10.0.0.1", "1 INVITE"), NULL },
	{ 2000, B, A, "SIP/2.0 200 OK" CRLF VIA(A, "i1")
	    HDRS(FA, TB, "d1@10.0.0.1", "1 INVITE"), SDP_B },
	{ 2500, B, A, "SIP/2.0 200 OK" CRLF VIA(A, "i1")
	    HDRS(FA, TB, "d1@10.0.0.1", "1 INVITE"), SDP_B },
	{ 2510, A, B, "ACK sip:bob@10.0.0.2 SIP/2.0" CRLF VIA(A, "a1")
	    HDRS(FA, TB, "d1@10.0.0.1", "1 ACK"), NULL },
	{ 5000, B, A, "BYE sip:alice@10.0.0.1 SIP/2.0" CRLF VIA(B, "b1")
	    HDRS(TB, FA, "d1@10.0.0.1", "1 BYE") "Reason: Q.850;cause=16" CRLF, NULL },
	{ 5010, A, B, "SIP/2.0 200 OK" CRLF VIA(B, "b1")
	    HDRS(TB, FA, "d1@10.0.0.1", "1 BYE"), NULL },
};

static void
test_direct_call(void)
{
	struct fx f;
	fx_init(&f, true);
	fx_run(&f, direct_call, sizeof direct_call / sizeof direct_call[0]);
	const struct sl_corr_stats *st = sl_corr_stats(f.cf.corr);
	SL_CHECK(&ts, st->sip_msgs == 9);
	SL_CHECK(&ts, st->sip_retrans == 2);
	SL_CHECK(&ts, st->calls == 1 && st->registrations == 0 && st->dialogs == 0);
	SL_CHECK(&ts, f.kept.n_calls == 1);
	if (f.kept.n_calls != 1) {
		fx_free(&f);
		return;
	}
	const struct sl_call *c = f.kept.calls[0];
	SL_CHECK(&ts, c->kind == SL_CALL_INVITE);
	SL_CHECK(&ts, c->index == 1);
	SL_CHECK(&ts, c->n_legs == 1 && c->n_msgs == 9);
	/* the repeated INVITE and the repeated 200 OK, nothing else */
	static const bool retrans[] = { 0, 1, 0, 0, 0, 1, 0, 0, 0 };
	for (unsigned i = 0; i < 9; i++) {
		const struct sl_msg *m = msg_at(c, i);
		SL_CHECK_MSG(&ts, m && m->retrans == retrans[i], "message %u retrans", i);
	}
	/* the dialog's tags as each message carried them */
	SL_CHECK(&ts, str_is(msg_at(c, 2)->to_tag, ""));
	SL_CHECK(&ts, str_is(msg_at(c, 4)->to_tag, "tb") && str_is(msg_at(c, 4)->from_tag, "fa"));
	SL_CHECK(&ts, str_is(msg_at(c, 7)->from_tag, "tb") && str_is(msg_at(c, 7)->to_tag, "fa"));
	SL_CHECK(&ts, msg_at(c, 0)->has_sdp && str_is(msg_at(c, 0)->sdp_codec, "PCMU"));
	const struct sl_leg *l = c->legs;
	SL_CHECK(&ts, str_is(l->call_id, "d1@10.0.0.1"));
	SL_CHECK(&ts, str_is(l->from_user, "alice") && str_is(l->to_user, "bob"));
	SL_CHECK(&ts, l->n_attempts == 1);
	SL_CHECK(&ts, l->first_max_forwards == 70);
	SL_CHECK(&ts, l->ring_ts == CF_T0 + 600 * CF_MS);
	SL_CHECK(&ts, l->answer_ts == CF_T0 + 2000 * CF_MS);
	SL_CHECK(&ts, l->final_status == 200);
	SL_CHECK(&ts, l->bye_ts == CF_T0 + 5000 * CF_MS && l->bye_by == SL_SIDE_CALLEE);
	SL_CHECK(&ts, l->bye_status == 200 && l->bye_done_ts == CF_T0 + 5010 * CF_MS);
	SL_CHECK(&ts, str_is(l->bye_reason, "Q.850;cause=16"));
	SL_CHECK(&ts, l->joined_to == NULL);
	SL_CHECK(&ts, c->sum.state == SL_STATE_COMPLETED && c->sum.status == 200);
	SL_CHECK(&ts, c->sum.hangup_by == SL_SIDE_CALLEE);
	SL_CHECK(&ts, c->sum.setup_ns == 2000 * CF_MS);
	SL_CHECK(&ts, c->sum.talk_ns == 3000 * CF_MS);
	SL_CHECK(&ts, c->sum.duration_ns == 5010 * CF_MS);
	fx_free(&f);
}

/* RFC 3261 17.1.1.3: the ACK to a non-2xx final response shares the
 * INVITE's branch; it is a message of its own, and only its repetition
 * (like the repeated 486) is a retransmission. */
static const struct cf_step rejected[] = {
	{ 0, A, B, "INVITE sip:bob@10.0.0.2 SIP/2.0" CRLF VIA(A, "r1")
	    HDRS(FA, TB0, "r1@10.0.0.1", "7 INVITE"), NULL },
	{ 100, B, A, "SIP/2.0 486 Busy Here" CRLF VIA(A, "r1")
	    HDRS(FA, TB, "r1@10.0.0.1", "7 INVITE"), NULL },
	{ 110, A, B, "ACK sip:bob@10.0.0.2 SIP/2.0" CRLF VIA(A, "r1")
	    HDRS(FA, TB, "r1@10.0.0.1", "7 ACK"), NULL },
	{ 600, B, A, "SIP/2.0 486 Busy Here" CRLF VIA(A, "r1")
	    HDRS(FA, TB, "r1@10.0.0.1", "7 INVITE"), NULL },
	{ 610, A, B, "ACK sip:bob@10.0.0.2 SIP/2.0" CRLF VIA(A, "r1")
	    HDRS(FA, TB, "r1@10.0.0.1", "7 ACK"), NULL },
	/* the same status from another sender is not a repeat */
	{ 700, "10.0.0.9:5060", A, "SIP/2.0 486 Busy Here" CRLF VIA(A, "r1")
	    HDRS(FA, TB, "r1@10.0.0.1", "7 INVITE"), NULL },
};

static void
test_rejected_ack(void)
{
	struct fx f;
	fx_init(&f, true);
	fx_run(&f, rejected, sizeof rejected / sizeof rejected[0]);
	SL_CHECK(&ts, sl_corr_stats(f.cf.corr)->sip_retrans == 2);
	SL_CHECK(&ts, f.kept.n_calls == 1);
	if (f.kept.n_calls == 1) {
		const struct sl_call *c = f.kept.calls[0];
		static const bool retrans[] = { 0, 0, 0, 1, 1, 0 };
		for (unsigned i = 0; i < 6; i++)
			SL_CHECK_MSG(&ts, msg_at(c, i) && msg_at(c, i)->retrans == retrans[i],
			    "message %u retrans", i);
		SL_CHECK(&ts, msg_at(c, 2)->method_id == SL_SIP_METHOD_ACK);
		SL_CHECK(&ts, c->sum.state == SL_STATE_REJECTED && c->sum.status == 486);
		SL_CHECK(&ts, str_is(c->sum.reason, "Busy Here"));
		SL_CHECK(&ts, c->legs->answer_ts == 0 && c->legs->final_status == 486);
	}
	fx_free(&f);
}

/* A re-INVITE carries the To tag: it is in the dialog, not a new attempt. */
static const struct cf_step reinvite[] = {
	{ 0, A, B, "INVITE sip:bob@10.0.0.2 SIP/2.0" CRLF VIA(A, "x1")
	    HDRS(FA, TB0, "x1@10.0.0.1", "1 INVITE"), SDP_A },
	{ 100, B, A, "SIP/2.0 200 OK" CRLF VIA(A, "x1")
	    HDRS(FA, TB, "x1@10.0.0.1", "1 INVITE"), SDP_B },
	{ 110, A, B, "ACK sip:bob@10.0.0.2 SIP/2.0" CRLF VIA(A, "x2")
	    HDRS(FA, TB, "x1@10.0.0.1", "1 ACK"), NULL },
	{ 1000, A, B, "INVITE sip:bob@10.0.0.2 SIP/2.0" CRLF VIA(A, "x3")
	    HDRS(FA, TB, "x1@10.0.0.1", "2 INVITE"), SDP_A },
	{ 1100, B, A, "SIP/2.0 488 Not Acceptable Here" CRLF VIA(A, "x3")
	    HDRS(FA, TB, "x1@10.0.0.1", "2 INVITE"), NULL },
	{ 1110, A, B, "ACK sip:bob@10.0.0.2 SIP/2.0" CRLF VIA(A, "x3")
	    HDRS(FA, TB, "x1@10.0.0.1", "2 ACK"), NULL },
	{ 3000, A, B, "BYE sip:bob@10.0.0.2 SIP/2.0" CRLF VIA(A, "x4")
	    HDRS(FA, TB, "x1@10.0.0.1", "3 BYE"), NULL },
	{ 3010, B, A, "SIP/2.0 200 OK" CRLF VIA(A, "x4")
	    HDRS(FA, TB, "x1@10.0.0.1", "3 BYE"), NULL },
};

static void
test_reinvite(void)
{
	struct fx f;
	fx_init(&f, true);
	fx_run(&f, reinvite, sizeof reinvite / sizeof reinvite[0]);
	SL_CHECK(&ts, f.kept.n_calls == 1 && sl_corr_stats(f.cf.corr)->sip_retrans == 0);
	if (f.kept.n_calls == 1) {
		const struct sl_leg *l = f.kept.calls[0]->legs;
		SL_CHECK(&ts, l->n_attempts == 1);
		/* the re-INVITE's failure does not undo the answer */
		SL_CHECK(&ts, l->final_status == 200 && l->last_invite_status == 488);
		SL_CHECK(&ts, l->bye_by == SL_SIDE_CALLER);
		SL_CHECK(&ts, f.kept.calls[0]->sum.state == SL_STATE_COMPLETED);
		SL_CHECK(&ts, f.kept.calls[0]->sum.hangup_by == SL_SIDE_CALLER);
		SL_CHECK(&ts, f.kept.calls[0]->sum.talk_ns == 2900 * CF_MS);
	}
	fx_free(&f);
}

/* ----- REGISTER ----- */

#define R "10.0.0.50:5060"
#define FU1 "<sip:u1@10.0.0.50>;tag=ru"
#define TU1 "<sip:u1@10.0.0.50>"
#define AUTH "Authorization: Digest username=\"u1\", realm=\"sipladder\", " \
	"nonce=\"abc\", uri=\"sip:10.0.0.50\", response=\"0123456789abcdef0123456789abcdef\"" CRLF

static const struct cf_step registration[] = {
	{ 0, A, R, "REGISTER sip:10.0.0.50 SIP/2.0" CRLF VIA(A, "g1")
	    HDRS(FU1, TU1, "reg1@10.0.0.1", "1 REGISTER")
	    "Contact: <sip:u1@10.0.0.1:5060>" CRLF "Expires: 3600" CRLF, NULL },
	{ 10, R, A, "SIP/2.0 401 Unauthorized" CRLF VIA(A, "g1")
	    HDRS(FU1, TU1 ";tag=s1", "reg1@10.0.0.1", "1 REGISTER")
	    "WWW-Authenticate: Digest realm=\"sipladder\", nonce=\"abc\"" CRLF, NULL },
	{ 20, A, R, "REGISTER sip:10.0.0.50 SIP/2.0" CRLF VIA(A, "g2")
	    HDRS(FU1, TU1, "reg1@10.0.0.1", "2 REGISTER") AUTH
	    "Contact: <sip:u1@10.0.0.1:5060>" CRLF "Expires: 3600" CRLF, NULL },
	{ 30, R, A, "SIP/2.0 200 OK" CRLF VIA(A, "g2")
	    HDRS(FU1, TU1 ";tag=s2", "reg1@10.0.0.1", "2 REGISTER")
	    "Contact: <sip:u1@10.0.0.1:5060>;expires=1800" CRLF, NULL },
	{ 5000, A, R, "REGISTER sip:10.0.0.50 SIP/2.0" CRLF VIA(A, "g3")
	    HDRS(FU1, TU1, "reg1@10.0.0.1", "3 REGISTER") AUTH
	    "Contact: <sip:u1@10.0.0.1:5060>" CRLF "Expires: 0" CRLF, NULL },
	{ 5010, R, A, "SIP/2.0 200 OK" CRLF VIA(A, "g3")
	    HDRS(FU1, TU1 ";tag=s3", "reg1@10.0.0.1", "3 REGISTER"), NULL },
};

static void
test_register(void)
{
	struct fx f;
	fx_init(&f, true);
	fx_run(&f, registration, sizeof registration / sizeof registration[0]);
	const struct sl_corr_stats *st = sl_corr_stats(f.cf.corr);
	SL_CHECK(&ts, st->registrations == 1 && st->calls == 0);
	SL_CHECK(&ts, f.kept.n_calls == 1);
	if (f.kept.n_calls != 1) {
		fx_free(&f);
		return;
	}
	const struct sl_call *c = f.kept.calls[0];
	SL_CHECK(&ts, c->kind == SL_CALL_REGISTER && c->n_regs == 2 && c->n_msgs == 6);
	const struct sl_reg *r = c->regs;
	SL_CHECK(&ts, str_is(r->user, "u1"));
	SL_CHECK(&ts, str_is(r->contact, "sip:u1@10.0.0.1:5060"));
	SL_CHECK(&ts, r->challenges == 1 && r->result == 200);
	SL_CHECK(&ts, r->expires_req == 3600 && r->expires == 1800 && !r->unregister);
	SL_CHECK(&ts, str_is(r->auth_user, "u1"));
	SL_CHECK(&ts, r->n_msgs == 4);
	SL_CHECK(&ts, r->start_ts == CF_T0 && r->end_ts == CF_T0 + 30 * CF_MS);
	r = r->next;
	SL_CHECK(&ts, r && r->unregister && r->expires_req == 0 && r->result == 200);
	SL_CHECK(&ts, r && r->challenges == 0 && r->n_msgs == 2 && r->next == NULL);
	SL_CHECK(&ts, c->sum.state == SL_STATE_UNREGISTERED && c->sum.status == 200);
	SL_CHECK(&ts, c->sum.invite_challenges == 1 && c->sum.authorised);
	fx_free(&f);
}

/* Challenged and never past it: a failed registration, status 401. */
static void
test_register_failed(void)
{
	struct fx f;
	fx_init(&f, true);
	fx_run(&f, registration, 2);
	SL_CHECK(&ts, f.kept.n_calls == 1);
	if (f.kept.n_calls == 1) {
		const struct sl_call *c = f.kept.calls[0];
		SL_CHECK(&ts, c->n_regs == 1 && c->regs->result == 0 && c->regs->challenges == 1);
		SL_CHECK(&ts, c->sum.state == SL_STATE_REG_FAILED && c->sum.status == 401);
		SL_CHECK(&ts, !c->sum.authorised);
	}
	fx_free(&f);
}

/* ----- B2BUA joining ----- */


/* The seed's call: leg A challenged, authorised, then leg B placed by the
 * server under its own Call-ID; B's INVITE is given as a template so the
 * negative cases can vary it. */
#define LEG_A_SETUP \
	{ 0, CLR, SRV, "INVITE sip:2@10.0.0.50 SIP/2.0" CRLF VIA(CLR, "a1") \
	    HDRS(FC, TC0, "a@10.0.0.183", "1 INVITE") "Max-Forwards: 70" CRLF, NULL }, \
	{ 5, SRV, CLR, "SIP/2.0 401 Unauthorized" CRLF VIA(CLR, "a1") \
	    HDRS(FC, TC0 ";tag=x401", "a@10.0.0.183", "1 INVITE") \
	    "WWW-Authenticate: Digest realm=\"sipladder\", nonce=\"n1\"" CRLF, NULL }, \
	{ 10, CLR, SRV, "ACK sip:2@10.0.0.50 SIP/2.0" CRLF VIA(CLR, "a1") \
	    HDRS(FC, TC0 ";tag=x401", "a@10.0.0.183", "1 ACK"), NULL }, \
	{ 20, CLR, SRV, "INVITE sip:2@10.0.0.50 SIP/2.0" CRLF VIA(CLR, "a2") \
	    HDRS(FC, TC0, "a@10.0.0.183", "2 INVITE") "Max-Forwards: 70" CRLF \
	    "Authorization: Digest username=\"u1\", realm=\"sipladder\", nonce=\"n1\", " \
	    "uri=\"sip:2@10.0.0.50\", response=\"0123456789abcdef0123456789abcdef\"" CRLF, NULL }, \
	{ 25, SRV, CLR, "SIP/2.0 100 Trying" CRLF VIA(CLR, "a2") \
	    HDRS(FC, TC0, "a@10.0.0.183", "2 INVITE"), NULL }

#define LEG_B_INVITE(ms, src, from, mf, extra) \
	{ ms, src, CLE, "INVITE sip:u2@10.0.0.101 SIP/2.0" CRLF VIA(src, "b1") \
	    HDRS(from, TS0, "b@10.0.0.50", "1 INVITE") "Max-Forwards: " mf CRLF extra, NULL }

#define REST_OF_CALL \
	{ 100, CLE, SRV, "SIP/2.0 180 Ringing" CRLF VIA(SRV, "b1") \
	    HDRS(FS, TSD, "b@10.0.0.50", "1 INVITE"), NULL }, \
	{ 101, SRV, CLR, "SIP/2.0 180 Ringing" CRLF VIA(CLR, "a2") \
	    HDRS(FC, TC, "a@10.0.0.183", "2 INVITE"), NULL }, \
	{ 1000, CLE, SRV, "SIP/2.0 200 OK" CRLF VIA(SRV, "b1") \
	    HDRS(FS, TSD, "b@10.0.0.50", "1 INVITE"), NULL }, \
	{ 1001, SRV, CLR, "SIP/2.0 200 OK" CRLF VIA(CLR, "a2") \
	    HDRS(FC, TC, "a@10.0.0.183", "2 INVITE"), NULL }, \
	{ 1010, SRV, CLE, "ACK sip:u2@10.0.0.101 SIP/2.0" CRLF VIA(SRV, "b2") \
	    HDRS(FS, TSD, "b@10.0.0.50", "1 ACK"), NULL }, \
	{ 1011, CLR, SRV, "ACK sip:2@10.0.0.50 SIP/2.0" CRLF VIA(CLR, "a3") \
	    HDRS(FC, TC, "a@10.0.0.183", "2 ACK"), NULL }, \
	{ 5000, CLR, SRV, "BYE sip:2@10.0.0.50 SIP/2.0" CRLF VIA(CLR, "a4") \
	    HDRS(FC, TC, "a@10.0.0.183", "3 BYE"), NULL }, \
	{ 5001, SRV, CLR, "SIP/2.0 200 OK" CRLF VIA(CLR, "a4") \
	    HDRS(FC, TC, "a@10.0.0.183", "3 BYE"), NULL }, \
	{ 5002, SRV, CLE, "BYE sip:u2@10.0.0.101 SIP/2.0" CRLF VIA(SRV, "b3") \
	    HDRS(FS, TSD, "b@10.0.0.50", "2 BYE"), NULL }, \
	{ 5003, CLE, SRV, "SIP/2.0 200 OK" CRLF VIA(SRV, "b3") \
	    HDRS(FS, TSD, "b@10.0.0.50", "2 BYE"), NULL }

static const struct cf_step b2bua_join[] = {
	LEG_A_SETUP, LEG_B_INVITE(30, SRV, FS, "69", ""), REST_OF_CALL,
};
/* from the server, in time, but neither the caller's user nor MF - 1 */
static const struct cf_step b2bua_timing_only[] = {
	LEG_A_SETUP, LEG_B_INVITE(30, SRV, "<sip:other@10.0.0.50>;tag=s2", "70", ""),
	REST_OF_CALL,
};
/* another From user, but Max-Forwards capped as Yate does (70 -> 19) */
static const struct cf_step b2bua_capped_mf[] = {
	LEG_A_SETUP, LEG_B_INVITE(30, SRV, "<sip:other@10.0.0.50>;tag=s2", "19", ""),
	REST_OF_CALL,
};
/* the same user and MF - 1, but 5.03 s after A's last INVITE: too late */
static const struct cf_step b2bua_late[] = {
	LEG_A_SETUP, LEG_B_INVITE(5030, SRV, FS, "69", ""),
};
/* every clue but sent by a host that is not A's UAS */
static const struct cf_step b2bua_other_host[] = {
	LEG_A_SETUP, LEG_B_INVITE(30, "10.0.0.77:5060", FS, "69", ""),
};
/* X-Call-ID names leg A: joined whatever the rest says */
static const struct cf_step b2bua_header[] = {
	LEG_A_SETUP, LEG_B_INVITE(30, "10.0.0.77:5060", "<sip:other@h>;tag=s2", "71",
	    "X-Call-ID: a@10.0.0.183" CRLF),
};
/* two unrelated calls at the same time, between different hosts */
static const struct cf_step two_calls[] = {
	{ 0, A, B, "INVITE sip:bob@10.0.0.2 SIP/2.0" CRLF VIA(A, "u1")
	    HDRS(FA, TB0, "u1@10.0.0.1", "1 INVITE") "Max-Forwards: 70" CRLF, NULL },
	{ 20, "10.0.0.3:5060", "10.0.0.4:5060", "INVITE sip:bob@10.0.0.4 SIP/2.0" CRLF
	    VIA("10.0.0.3:5060", "u2") HDRS(FA, TB0, "u2@10.0.0.3", "1 INVITE")
	    "Max-Forwards: 69" CRLF, NULL },
	{ 100, B, A, "SIP/2.0 200 OK" CRLF VIA(A, "u1")
	    HDRS(FA, TB, "u1@10.0.0.1", "1 INVITE"), NULL },
	{ 120, "10.0.0.4:5060", "10.0.0.3:5060", "SIP/2.0 200 OK" CRLF
	    VIA("10.0.0.3:5060", "u2") HDRS(FA, TB, "u2@10.0.0.3", "1 INVITE"), NULL },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Two calls to the server alike in every clue for leg B, their INVITEs
 * at the same moment: B joins the newer one, the one a scan of the live
 * calls newest first meets first. The older call's INVITE comes after
 * its 100 Trying and after the newer call's INVITE, so it is the last to
 * start waiting for an answer (join.c keeps those calls apart). */
#define OLD "10.0.0.184:5060"
static const struct cf_step b2bua_tie[] = {
	{ 0, SRV, OLD, "SIP/2.0 100 Trying" CRLF VIA(OLD, "o1")
	    HDRS(FC, TC0, "o@10.0.0.184", "1 INVITE"), NULL },
	{ 2, CLR, SRV, "INVITE sip:2@10.0.0.50 SIP/2.0" CRLF VIA(CLR, "a1")
	    HDRS(FC, TC0, "a@10.0.0.183", "1 INVITE") "Max-Forwards: 70" CRLF, NULL },
	{ 2, OLD, SRV, "INVITE sip:2@10.0.0.50 SIP/2.0" CRLF VIA(OLD, "o1")
	    HDRS(FC, TC0, "o@10.0.0.184", "1 INVITE") "Max-Forwards: 70" CRLF, NULL },
	LEG_B_INVITE(30, SRV, FS, "69", ""),
};

static void
test_join_tie(void)
{
	struct fx f;
	fx_init(&f, true);
	fx_run(&f, b2bua_tie, N(b2bua_tie));
	SL_CHECK_MSG(&ts, f.kept.n_calls == 2, "tie: %zu calls", f.kept.n_calls);
	if (f.kept.n_calls == 2) {
		const struct sl_call *old = f.kept.calls[0], *newer = f.kept.calls[1];
		SL_CHECK(&ts, old->n_legs == 1 && str_is(old->legs->call_id, "o@10.0.0.184"));
		SL_CHECK_MSG(&ts, newer->n_legs == 2 && newer->legs->next &&
		    newer->legs->next->joined_to == newer->legs &&
		    str_is(newer->legs->call_id, "a@10.0.0.183"), "tie: B joined the older call");
	}
	fx_free(&f);
}

static const struct {
	const char *name;
	const struct cf_step *steps;
	size_t n;
	bool merge;
	size_t calls;			/* emitted */
	uint32_t ev;			/* leg B's evidence when joined */
	enum sl_confidence conf;
	int64_t delay_ms;
} joins[] = {
	{ "seed b2bua", b2bua_join, N(b2bua_join), true, 1,
	    SL_JOIN_TIMING | SL_JOIN_FROM_USER | SL_JOIN_MAX_FWD | SL_JOIN_PROGRESS |
	    SL_JOIN_HANGUP, SL_CONF_HIGH, 10 },
	{ "no merge", b2bua_join, N(b2bua_join), false, 2, 0, SL_CONF_NONE, 0 },
	{ "capped max-forwards", b2bua_capped_mf, N(b2bua_capped_mf), true, 1,
	    SL_JOIN_TIMING | SL_JOIN_MAX_FWD | SL_JOIN_PROGRESS | SL_JOIN_HANGUP,
	    SL_CONF_HIGH, 10 },
	{ "timing only", b2bua_timing_only, N(b2bua_timing_only), true, 2, 0, SL_CONF_NONE, 0 },
	{ "late", b2bua_late, N(b2bua_late), true, 2, 0, SL_CONF_NONE, 0 },
	{ "other host", b2bua_other_host, N(b2bua_other_host), true, 2, 0, SL_CONF_NONE, 0 },
	{ "x-call-id", b2bua_header, N(b2bua_header), true, 1, SL_JOIN_HEADER,
	    SL_CONF_CERTAIN, 10 },
	{ "two calls", two_calls, N(two_calls), true, 2, 0, SL_CONF_NONE, 0 },
};

static void
test_joins(void)
{
	for (size_t i = 0; i < N(joins); i++) {
		struct fx f;
		fx_init(&f, joins[i].merge);
		fx_run(&f, joins[i].steps, joins[i].n);
		const struct sl_corr_stats *st = sl_corr_stats(f.cf.corr);
		SL_CHECK_MSG(&ts, f.kept.n_calls == joins[i].calls, "%s: %zu calls", joins[i].name,
		    f.kept.n_calls);
		SL_CHECK_MSG(&ts, st->legs_joined == (joins[i].calls == 1), "%s: legs_joined %llu",
		    joins[i].name, (unsigned long long)st->legs_joined);
		if (joins[i].calls == 1 && f.kept.n_calls == 1) {
			const struct sl_call *c = f.kept.calls[0];
			const struct sl_leg *a = c->legs, *b = a ? a->next : NULL;
			SL_CHECK_MSG(&ts, c->n_legs == 2 && b && b->joined_to == a, "%s: legs",
			    joins[i].name);
			if (b) {
				SL_CHECK_MSG(&ts, b->join_ev == joins[i].ev, "%s: evidence %#x",
				    joins[i].name, b->join_ev);
				SL_CHECK_MSG(&ts, b->join_conf == joins[i].conf, "%s: confidence %s",
				    joins[i].name, sl_confidence_name(b->join_conf));
				SL_CHECK_MSG(&ts, b->join_delay_ns == joins[i].delay_ms * CF_MS,
				    "%s: delay %lld", joins[i].name, (long long)b->join_delay_ns);
				SL_CHECK(&ts, b->name == 'B' && str_is(b->call_id, "b@10.0.0.50"));
			}
		}
		if (joins[i].calls == 2 && f.kept.n_calls == 2) {
			/* each call alone, in start order, nothing joined */
			for (size_t k = 0; k < 2; k++) {
				SL_CHECK_MSG(&ts, f.kept.calls[k]->n_legs == 1 &&
				    f.kept.calls[k]->legs->joined_to == NULL, "%s: call %zu joined",
				    joins[i].name, k);
				SL_CHECK(&ts, f.kept.calls[k]->index == k + 1);
			}
		}
		fx_free(&f);
	}
}

/* The joined seed call read as one: the caller's view of the outcome,
 * the callee's user from leg B, one challenge, authorised. */
static void
test_join_summary(void)
{
	struct fx f;
	fx_init(&f, true);
	fx_run(&f, b2bua_join, N(b2bua_join));
	if (f.kept.n_calls == 1) {
		const struct sl_call *c = f.kept.calls[0];
		const struct sl_leg *b = c->legs->next;
		SL_CHECK(&ts, c->sum.state == SL_STATE_COMPLETED && c->sum.status == 200);
		SL_CHECK(&ts, str_is(c->sum.from_user, "u1") && str_is(c->sum.to_user, "2"));
		SL_CHECK(&ts, str_is(c->sum.callee_user, "u2"));
		SL_CHECK(&ts, c->sum.invite_challenges == 1 && c->sum.authorised);
		SL_CHECK(&ts, c->sum.hangup_by == SL_SIDE_CALLER);
		const struct sl_auth *ai = &c->legs->auth[SL_AUTH_INVITE];
		SL_CHECK(&ts, c->legs->n_attempts == 2 && ai->challenges == 1);
		SL_CHECK(&ts, ai->status == 401 && ai->credentials == 1 && ai->authorised);
		SL_CHECK(&ts, !ai->failed && str_is(ai->realm, "sipladder") && str_is(ai->user, "u1"));
		SL_CHECK(&ts, b->join_mf_parent == 70 && b->join_mf_self == 69);
		SL_CHECK(&ts, b->bye_by == SL_SIDE_SERVER);
		SL_CHECK(&ts, c->n_msgs == 16);
	} else {
		SL_CHECK_MSG(&ts, false, "%zu calls", f.kept.n_calls);
	}
	fx_free(&f);
}

int
main(void)
{
	sl_osip_init();
	test_direct_call();
	test_rejected_ack();
	test_reinvite();
	test_register();
	test_register_failed();
	test_joins();
	test_join_tie();
	test_join_summary();
	return sl_test_report(&ts, "test_correlate");
}
