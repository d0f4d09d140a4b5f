/* test_json.c: JSON Lines output (reports/json.c) on calls built by
 * hand: exact lines, key order, nulls, escaping of hostile strings (a
 * From user with quotes, control bytes and invalid UTF-8), each leg's
 * end state and authentication, findings, the registration and summary
 * objects, and the buffer cap. */
#include <stdint.h>
#include <string.h>

#include "core/buf.h"
#include "tests/unit/fixture.h"

/* ----- fixtures ----- */

/* A direct call: caller hangs up, one stream that outlives the BYE, a
 * From user no one should trust. */
static struct sl_call *
direct_call(void)
{
	struct sl_endpoint caller = fx_ep("192.168.1.101", 5060),
	    callee = fx_ep("192.168.1.183", 5060);
	struct sl_call *c = fx_new_call(SL_CALL_INVITE, 4);
	struct sl_leg *a = fx_add_leg(c, 'A', "1@192.168.1.101", "a\"b\\c\x01\xff\xc3\xa9", "0",
	    caller, callee);
	struct sl_msg *m = fx_req(c, a, 1000, caller, callee, "INVITE", 1);
	m->has_sdp = true;
	m = fx_resp(c, a, 2500, callee, caller, 486, "Busy \"Here\"", "INVITE", 1);
	m->anomalies[0] = "sip.bad_header";
	m->anomalies[1] = "sip.content_length";
	m->n_anomalies = 2;
	fx_req(c, a, 3000, caller, callee, "ACK", 1)->retrans = true;
	struct sl_stream *s = fx_add_stream(c, a, fx_ep("192.168.1.183", 27824),
	    fx_ep("192.168.1.101", 27392), 0x1726C94E, "PCMU", 281, 1500, 5598500);
	s->lost = -1;
	s->expected = 280;
	s->dups = 1;
	s->out_of_order = 2;
	s->max_delta_ms = 20.0625;
	s->max_jitter_ms = 1.25;
	s->mean_jitter_ms = 0.3333;
	s->rtcp_packets = 3;
	s->after_bye_packets = 11;
	s->after_bye_first_ts = FX_US(5388500);
	s->after_bye_last_ts = FX_US(5598500);
	s->icmp_unreachable = 11;

	a->final_status = 486;
	a->last_invite_status = 486;

	c->sum.state = SL_STATE_REJECTED;
	c->sum.status = 486;
	c->sum.from_user = a->from_user;
	c->sum.to_user = SL_STR("0");
	c->sum.reason = SL_STR("Busy \"Here\"");
	c->sum.setup_ns = -1;
	c->sum.talk_ns = -1;
	c->sum.duration_ns = 5597500000;
	fx_findings(c);
	return c;
}

/* A joined second leg, to pin the evidence array and its numbers. */
static struct sl_call *
joined_call(void)
{
	struct sl_endpoint caller = fx_ep("192.168.1.183", 5060),
	    server = fx_ep("192.168.1.50", 5060), callee = fx_ep("2001:db8::1", 5062);
	struct sl_call *c = fx_new_call(SL_CALL_INVITE, 1);
	struct sl_leg *a = fx_add_leg(c, 'A', "A1@x", "u1", "2", caller, server);
	struct sl_leg *b = fx_add_leg(c, 'B', "B1@x", "u1", "u2", server, callee);
	b->joined_to = a;
	b->join_ev = SL_JOIN_HEADER | SL_JOIN_MAX_FWD | SL_JOIN_HANGUP;
	b->join_conf = SL_CONF_CERTAIN;
	b->join_delay_ns = 6200400;
	b->join_mf_parent = 70;
	b->join_mf_self = -1;
	struct sl_msg *m = fx_req(c, b, 0, server, callee, "INVITE", 1);
	m->retrans_count = 3;
	m->retrans_last_ts = FX_US(3500000);
	a->auth[SL_AUTH_INVITE] = (struct sl_auth){ .challenges = 1, .status = 401,
	    .credentials = 1, .authorised = true, .user = SL_STR("u1"), .realm = SL_STR("Yate") };
	a->answer_ts = FX_US(3703400);
	a->final_status = 200;
	b->answer_ts = FX_US(3702000);
	b->final_status = 200;
	b->bye_ts = FX_US(9310000);
	b->bye_by = SL_SIDE_CALLEE;
	b->bye_status = 200;
	b->bye_done_ts = FX_US(9331000);
	c->sum.state = SL_STATE_COMPLETED;
	c->sum.status = 200;
	c->sum.hangup_by = SL_SIDE_CALLEE;
	c->sum.setup_ns = 3703400000;
	c->sum.talk_ns = 5606599999;
	c->sum.duration_ns = 9331000000;
	c->sum.invite_challenges = 1;
	c->sum.challenges = 1;
	c->sum.challenge_status = 401;
	c->sum.credentials = true;
	c->sum.authorised = true;
	fx_findings(c);
	return c;
}

static struct sl_call *
register_call(void)
{
	struct sl_endpoint ua = fx_ep("192.168.1.183", 5060), reg = fx_ep("192.168.1.50", 5060);
	struct sl_call *c = fx_new_call(SL_CALL_REGISTER, 2);
	struct sl_leg *a = fx_add_leg(c, 'A', "r1@x", "u1", "u1", ua, reg);
	struct sl_msg *m = fx_req(c, a, 0, ua, reg, "REGISTER", 1);
	m->expires = 600;
	struct sl_reg *r = fx_zalloc(c, sizeof *r);
	r->user = SL_STR("u1");
	r->contact = SL_STR("sip:u1@192.168.1.183:5060");
	r->expires_req = 600;
	r->expires = 600;
	r->challenges = 1;
	r->result = 200;
	r->auth_user = SL_STR("u1");
	r->start_ts = FX_US(0);
	r->end_ts = FX_US(12000);
	struct sl_reg *u = fx_zalloc(c, sizeof *u);
	u->user = SL_STR("u1");
	u->expires_req = 0;
	u->expires = -1;
	u->unregister = true;
	u->result = 0;
	u->start_ts = FX_US(60000000);
	u->end_ts = FX_US(60000000);
	r->next = u;
	c->regs = r;
	c->n_regs = 2;
	a->auth[SL_AUTH_REGISTER] = (struct sl_auth){ .challenges = 1, .status = 401,
	    .credentials = 2, .authorised = true, .user = SL_STR("u1"),
	    .realm = SL_STR("sipladder") };
	c->sum.state = SL_STATE_UNREGISTERED;
	c->sum.from_user = SL_STR("u1");
	c->sum.duration_ns = 60000000000;
	c->sum.invite_challenges = 1;
	c->sum.challenges = 1;
	c->sum.challenge_status = 401;
	c->sum.credentials = true;
	c->sum.authorised = true;
	return c;
}

static void
check_json(struct sl_test_state *ts, const struct sl_call *c, const char *want, const char *what)
{
	struct sl_report_opts o = fx_opts();
	struct sl_buf b;
	sl_buf_init(&b, 1 << 20);
	SL_CHECK(ts, sl_report_json_call(&b, c, &o) == SL_OK);
	bool same = b.p && strcmp(b.p, want) == 0;
	SL_CHECK_MSG(ts, same, "%s:\n got %s\nwant %s", what, b.p ? b.p : "(null)", want);
	sl_buf_free(&b);
}

/* ----- tests ----- */

static const char direct_json[] =
	"{\"schema\":1,\"type\":\"call\",\"index\":4,\"call_id\":[\"1@192.168.1.101\"],"
	"\"state\":\"rejected\",\"status\":486,\"hangup_by\":null,\"from\":\"a\\\"b\\\\c\\u0001\\u00ff\xc3\xa9" "\","
	"\"to\":\"0\",\"callee\":null,\"reason\":\"Busy \\\"Here\\\"\",\"start\":0.001000,"
	"\"start_epoch\":\"2009-06-01T10:00:01.001000Z\",\"duration\":5.597500,\"setup_ms\":null,"
	"\"talk_ms\":null,\"auth\":{\"invite_challenges\":0,\"bye_challenges\":0,"
	"\"authorised\":false,\"challenges\":0,\"credentials_sent\":false,\"failed\":false},"
	"\"legs\":[{\"name\":\"A\",\"call_id\":\"1@192.168.1.101\","
	"\"from\":\"a\\\"b\\\\c\\u0001\\u00ff\xc3\xa9" "\",\"to\":\"0\",\"uac\":\"192.168.1.101:5060\","
	"\"uas\":\"192.168.1.183:5060\",\"joined_to\":null,\"evidence\":[],\"confidence\":null,"
	"\"delay_ms\":null,\"max_forwards\":null,\"answered\":false,\"final_status\":486,"
	"\"cancelled\":false,\"bye_by\":null,\"bye_answered\":false,\"bye_status\":null,"
	"\"auth\":{\"invite\":null,\"bye\":null,\"register\":null,\"other\":null}}],"
	"\"messages\":[{\"frame\":1,\"time\":0.001000,"
	"\"src\":\"192.168.1.101:5060\",\"dst\":\"192.168.1.183:5060\",\"leg\":\"A\","
	"\"label\":\"INVITE (SDP)\",\"method\":\"INVITE\",\"status\":null,\"reason\":null,\"call_id\":\"1@192.168.1.101\",\"cseq\":1,"
	"\"cseq_method\":\"INVITE\",\"retransmission\":false,\"anomalies\":[]},{\"frame\":2,"
	"\"time\":0.002500,\"src\":\"192.168.1.183:5060\",\"dst\":\"192.168.1.101:5060\",\"leg\":\"A\","
	"\"label\":\"486 Busy \\\"Here\\\"\",\"method\":null,\"status\":486,\"reason\":\"Busy \\\"Here\\\"\","
	"\"call_id\":\"1@192.168.1.101\",\"cseq\":1,\"cseq_method\":\"INVITE\","
	"\"retransmission\":false,\"anomalies\":[\"sip.bad_header\",\"sip.content_length\"]},"
	"{\"frame\":3,\"time\":0.003000,\"src\":\"192.168.1.101:5060\","
	"\"dst\":\"192.168.1.183:5060\",\"leg\":\"A\",\"label\":\"ACK\",\"method\":\"ACK\",\"status\":null,\"reason\":null,"
	"\"call_id\":\"1@192.168.1.101\",\"cseq\":1,\"cseq_method\":\"ACK\",\"retransmission\":true,"
	"\"anomalies\":[]}],\"messages_dropped\":0,\"streams\":[{\"ssrc\":\"0x1726C94E\","
	"\"src\":\"192.168.1.183:27824\",\"dst\":\"192.168.1.101:27392\",\"leg\":\"A\","
	"\"payload_type\":0,\"codec\":\"PCMU\",\"packets\":281,\"lost\":-1,\"expected\":280,\"dups\":1,"
	"\"out_of_order\":2,\"max_delta_ms\":20.063,\"max_jitter_ms\":1.250,"
	"\"mean_jitter_ms\":0.333,\"start\":0.001500,\"end\":5.598500,\"rtcp_packets\":3,"
	"\"after_bye\":{\"packets\":11,\"duration\":0.210000,\"icmp_unreachable\":11}}],"
	"\"registrations\":[],\"findings\":[{\"kind\":\"media_after_bye\",\"leg\":\"A\","
	"\"start\":5.388500,\"end\":5.598500,\"count\":11,\"method\":null,\"status\":null,"
	"\"frame\":null,\"stream\":0,\"icmp_unreachable\":11}]}\n";

static const char joined_json[] =
	"{\"schema\":1,\"type\":\"call\",\"index\":1,\"call_id\":[\"A1@x\",\"B1@x\"],"
	"\"state\":\"completed\",\"status\":200,\"hangup_by\":\"callee\",\"from\":null,\"to\":null,"
	"\"callee\":null,\"reason\":null,\"start\":0.000000,"
	"\"start_epoch\":\"2009-06-01T10:00:01.000000Z\",\"duration\":9.331000,"
	"\"setup_ms\":3703.400,\"talk_ms\":5606.600,\"auth\":{\"invite_challenges\":1,"
	"\"bye_challenges\":0,\"authorised\":true,\"challenges\":1,\"credentials_sent\":true,"
	"\"failed\":false},\"legs\":[{\"name\":\"A\",\"call_id\":\"A1@x\","
	"\"from\":\"u1\",\"to\":\"2\",\"uac\":\"192.168.1.183:5060\",\"uas\":\"192.168.1.50:5060\","
	"\"joined_to\":null,\"evidence\":[],\"confidence\":null,\"delay_ms\":null,"
	"\"max_forwards\":null,\"answered\":true,\"final_status\":200,\"cancelled\":false,"
	"\"bye_by\":null,\"bye_answered\":false,\"bye_status\":null,\"auth\":{\"invite\":"
	"{\"challenges\":1,\"status\":401,\"credentials\":1,\"authorised\":true,\"failed\":false,"
	"\"user\":\"u1\",\"realm\":\"Yate\"},\"bye\":null,\"register\":null,\"other\":null}},"
	"{\"name\":\"B\",\"call_id\":\"B1@x\",\"from\":\"u1\",\"to\":\"u2\","
	"\"uac\":\"192.168.1.50:5060\",\"uas\":\"[2001:db8::1]:5062\",\"joined_to\":\"A\","
	"\"evidence\":[\"header\",\"max_forwards\",\"hangup\"],\"confidence\":\"certain\","
	"\"delay_ms\":6.200,\"max_forwards\":[70,null],\"answered\":true,\"final_status\":200,"
	"\"cancelled\":false,\"bye_by\":\"callee\",\"bye_answered\":true,\"bye_status\":200,"
	"\"auth\":{\"invite\":null,\"bye\":null,\"register\":null,\"other\":null}}],"
	"\"messages\":[{\"frame\":1,"
	"\"time\":0.000000,\"src\":\"192.168.1.50:5060\",\"dst\":\"[2001:db8::1]:5062\",\"leg\":\"B\","
	"\"label\":\"INVITE\",\"method\":\"INVITE\",\"status\":null,\"reason\":null,\"call_id\":\"B1@x\",\"cseq\":1,"
	"\"cseq_method\":\"INVITE\",\"retransmission\":false,\"anomalies\":[]}],"
	"\"messages_dropped\":0,\"streams\":[],\"registrations\":[],\"findings\":[{\"kind\":"
	"\"retransmissions\",\"leg\":\"B\",\"start\":0.000000,\"end\":3.500000,\"count\":3,"
	"\"method\":\"INVITE\",\"status\":null,\"frame\":1,\"stream\":null,"
	"\"icmp_unreachable\":0}]}\n";

static const char register_json[] =
	"{\"schema\":1,\"type\":\"registration\",\"index\":2,\"call_id\":[\"r1@x\"],"
	"\"state\":\"unregistered\",\"status\":null,\"hangup_by\":null,\"from\":\"u1\",\"to\":null,"
	"\"callee\":null,\"reason\":null,\"start\":0.000000,"
	"\"start_epoch\":\"2009-06-01T10:00:01.000000Z\",\"duration\":60.000000,"
	"\"setup_ms\":null,\"talk_ms\":null,\"auth\":{\"invite_challenges\":1,\"bye_challenges\":0,"
	"\"authorised\":true,\"challenges\":1,\"credentials_sent\":true,\"failed\":false},"
	"\"legs\":[{\"name\":\"A\",\"call_id\":\"r1@x\",\"from\":\"u1\",\"to\":\"u1\","
	"\"uac\":\"192.168.1.183:5060\",\"uas\":\"192.168.1.50:5060\",\"joined_to\":null,"
	"\"evidence\":[],\"confidence\":null,\"delay_ms\":null,\"max_forwards\":null,"
	"\"answered\":false,\"final_status\":null,\"cancelled\":false,\"bye_by\":null,"
	"\"bye_answered\":false,\"bye_status\":null,\"auth\":{\"invite\":null,\"bye\":null,"
	"\"register\":{\"challenges\":1,\"status\":401,\"credentials\":2,\"authorised\":true,"
	"\"failed\":false,\"user\":\"u1\",\"realm\":\"sipladder\"},\"other\":null}}],"
	"\"messages\":[{\"frame\":1,\"time\":0.000000,\"src\":\"192.168.1.183:5060\","
	"\"dst\":\"192.168.1.50:5060\",\"leg\":\"A\",\"label\":\"REGISTER\",\"method\":\"REGISTER\",\"status\":null,\"reason\":null,"
	"\"call_id\":\"r1@x\",\"cseq\":1,\"cseq_method\":\"REGISTER\",\"retransmission\":false,"
	"\"anomalies\":[]}],\"messages_dropped\":0,\"streams\":[],"
	"\"registrations\":[{\"user\":\"u1\",\"contact\":\"sip:u1@192.168.1.183:5060\","
	"\"expires_requested\":600,\"expires\":600,\"unregister\":false,\"challenged\":1,"
	"\"result\":200,\"auth_user\":\"u1\",\"start\":0.000000,\"end\":0.012000},{\"user\":\"u1\","
	"\"contact\":null,\"expires_requested\":0,\"expires\":null,\"unregister\":true,"
	"\"challenged\":0,\"result\":null,\"auth_user\":null,\"start\":60.000000,"
	"\"end\":60.000000}],\"findings\":[]}\n";

static void
test_calls(struct sl_test_state *ts)
{
	static const struct {
		const char *what;
		struct sl_call *(*make)(void);
		const char *want;
	} cases[] = {
		{ "direct call", direct_call, direct_json },
		{ "joined call", joined_call, joined_json },
		{ "registration", register_call, register_json },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct sl_call *c = cases[i].make();
		check_json(ts, c, cases[i].want, cases[i].what);
		fx_free_call(c);
	}
}

/* Neither a call nor a registration: the same object, typed "dialog". */
static void
test_dialog(struct sl_test_state *ts)
{
	struct sl_call *c = register_call();
	c->kind = SL_CALL_OTHER;
	struct sl_report_opts o = fx_opts();
	struct sl_buf b;
	sl_buf_init(&b, 1 << 20);
	SL_CHECK(ts, sl_report_json_call(&b, c, &o) == SL_OK);
	SL_CHECK(ts, b.p && strncmp(b.p, "{\"schema\":1,\"type\":\"dialog\",", 28) == 0);
	sl_buf_free(&b);
	fx_free_call(c);
}

static void
test_summary(struct sl_test_state *ts)
{
	static const struct sl_report_count skipped[] = {
		{ "not_ip", 3 }, { "udp.\"odd\"", 1 }, { "tcp", 0 },
	};
	struct sl_report_totals t = { 100, 40, 561, 6, 12, 3, 1, skipped, 3, 2 };
	struct sl_buf b;
	sl_buf_init(&b, 4096);
	SL_CHECK(ts, sl_report_json_summary(&b, &t) == SL_OK);
	const char *want = "{\"schema\":1,\"type\":\"summary\",\"frames\":100,\"sip_messages\":40,"
	    "\"rtp_packets\":561,\"rtcp_packets\":6,\"icmp_packets\":12,\"calls\":3,"
	    "\"registrations\":1,\"skipped\":{\"not_ip\":3,\"udp.\\\"odd\\\"\":1,\"tcp\":0},"
	    "\"icmp_unattributed\":2}\n";
	SL_CHECK_MSG(ts, b.p && strcmp(b.p, want) == 0, "got %s", b.p ? b.p : "(null)");
	sl_buf_free(&b);
	t.n_skipped = 0;
	sl_buf_init(&b, 4096);
	SL_CHECK(ts, sl_report_json_summary(&b, &t) == SL_OK);
	SL_CHECK(ts, b.p && strstr(b.p, "\"skipped\":{},\"icmp_unattributed\":2}\n") != NULL);
	sl_buf_free(&b);
}

/* Lines are appended: two calls make two lines. A cap hit anywhere
 * frees the buffer. */
static void
test_append_and_enomem(struct sl_test_state *ts)
{
	struct sl_call *c = direct_call(), *r = register_call();
	struct sl_report_opts o = fx_opts();
	struct sl_buf b;
	sl_buf_init(&b, 1 << 20);
	SL_CHECK(ts, sl_report_json_call(&b, c, &o) == SL_OK);
	SL_CHECK(ts, sl_report_json_call(&b, r, &o) == SL_OK);
	size_t lines = 0;
	for (size_t i = 0; b.p && i < b.len; i++)
		lines += b.p[i] == '\n';
	SL_CHECK(ts, lines == 2);
	size_t full = b.len;
	sl_buf_free(&b);
	for (size_t cap = 1; cap < full; cap += 37) {
		sl_buf_init(&b, cap);
		enum sl_err e = sl_report_json_call(&b, c, &o);
		if (e == SL_OK)
			e = sl_report_json_call(&b, r, &o);
		SL_CHECK_MSG(ts, e == SL_ENOMEM && b.p == NULL, "cap %zu", cap);
		sl_buf_free(&b);
	}
	fx_free_call(c);
	fx_free_call(r);
}

int
main(void)
{
	SL_TEST_STATE(ts);
	test_calls(&ts);
	test_dialog(&ts);
	test_summary(&ts);
	test_append_and_enomem(&ts);
	return sl_test_report(&ts, "test_json");
}
