/* test_tables.c: the `calls` and `rtp` tables (reports/summary.c,
 * rtp_table.c) on calls built by hand, and the text helpers under every
 * renderer: locale-free numbers, UTC stamps, display width, cleaning of
 * hostile text, word wrap. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "correlate/model.h"
#include "fmt.h"
#include "report.h"
#include "textwrap.h"
#include "unit.h"

/* ----- building calls by hand ----- */

/* 2009-06-01T10:00:01Z: time zero of every fixture capture */
#define BASE_NS INT64_C(1243850401000000000)
#define US(x) (BASE_NS + (int64_t)(x) * 1000)

static struct sl_endpoint
ep(const char *ip, uint16_t port)
{
	struct sl_endpoint e;
	memset(&e, 0, sizeof e);
	sl_ip_parse(sl_str_c(ip), &e.ip);
	e.port = port;
	e.transport = SL_TP_UDP;
	return e;
}

static struct sl_call *
new_call(enum sl_call_kind kind, uint32_t index)
{
	struct sl_call *c = calloc(1, sizeof *c);
	if (c == NULL)
		abort();
	sl_arena_init(&c->arena, 4096, 0);
	c->kind = kind;
	c->index = index;
	c->sum.setup_ns = -1;
	c->sum.talk_ns = -1;
	return c;
}

static void
free_call(struct sl_call *c)
{
	sl_arena_free(&c->arena);
	free(c);
}

static void *
zalloc(struct sl_call *c, size_t n)
{
	void *p = sl_arena_zalloc(&c->arena, n);
	if (p == NULL)
		abort();
	return p;
}

static struct sl_leg *
add_leg(struct sl_call *c, char name, const char *cid, const char *from,
    const char *to, struct sl_endpoint uac, struct sl_endpoint uas)
{
	struct sl_leg *g = zalloc(c, sizeof *g);
	g->call = c;
	g->name = name;
	g->call_id = sl_str_c(cid);
	g->from_user = sl_str_c(from);
	g->to_user = sl_str_c(to);
	g->uac = uac;
	g->uas = uas;
	g->first_max_forwards = -1;
	struct sl_leg **p = &c->legs;
	while (*p)
		p = &(*p)->next;
	*p = g;
	c->n_legs++;
	return g;
}

static enum sl_sip_method
method_id(const char *m)
{
	static const struct { const char *name; enum sl_sip_method id; } map[] = {
		{ "INVITE", SL_SIP_METHOD_INVITE }, { "ACK", SL_SIP_METHOD_ACK },
		{ "BYE", SL_SIP_METHOD_BYE }, { "CANCEL", SL_SIP_METHOD_CANCEL },
		{ "REGISTER", SL_SIP_METHOD_REGISTER }, { "OPTIONS", SL_SIP_METHOD_OPTIONS },
		{ "MESSAGE", SL_SIP_METHOD_MESSAGE },
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(map[i].name, m) == 0)
			return map[i].id;
	return SL_SIP_METHOD_OTHER;
}

static struct sl_msg *
add_msg(struct sl_call *c, struct sl_leg *g, int64_t us, struct sl_endpoint src,
    struct sl_endpoint dst, const char *method, uint32_t cseq)
{
	struct sl_msg *m = zalloc(c, sizeof *m);
	m->leg = g;
	m->frame = ++c->n_msgs;
	m->ts_ns = US(us);
	m->src = src;
	m->dst = dst;
	m->method = sl_str_c(method);
	m->method_id = method_id(method);
	m->cseq = cseq;
	m->max_forwards = -1;
	m->expires = -1;
	if (g) {
		m->call_id = g->call_id;
		m->from_user = g->from_user;
		m->to_user = g->to_user;
		g->n_msgs++;
	}
	if (c->msgs_tail)
		c->msgs_tail->next = m;
	else
		c->msgs = m;
	c->msgs_tail = m;
	if (c->n_msgs == 1)
		c->first_ts = m->ts_ns;
	c->last_ts = m->ts_ns;
	return m;
}

static struct sl_msg *
req(struct sl_call *c, struct sl_leg *g, int64_t us, struct sl_endpoint src,
    struct sl_endpoint dst, const char *method, uint32_t cseq)
{
	struct sl_msg *m = add_msg(c, g, us, src, dst, method, cseq);
	m->is_request = true;
	return m;
}

static struct sl_msg *
resp(struct sl_call *c, struct sl_leg *g, int64_t us, struct sl_endpoint src,
    struct sl_endpoint dst, uint16_t status, const char *reason,
    const char *method, uint32_t cseq)
{
	struct sl_msg *m = add_msg(c, g, us, src, dst, method, cseq);
	m->status = status;
	m->reason = sl_str_c(reason);
	m->to_tag = SL_STR("t1");
	return m;
}

static struct sl_stream *
add_stream(struct sl_call *c, struct sl_leg *g, struct sl_endpoint src,
    struct sl_endpoint dst, uint32_t ssrc, const char *codec, uint64_t packets,
    int64_t first_us, int64_t last_us)
{
	struct sl_stream *s = zalloc(c, sizeof *s);
	s->leg = g;
	s->src = src;
	s->dst = dst;
	s->ssrc = ssrc;
	s->codec = sl_str_c(codec);
	s->pt = 0;
	s->clock_rate = 8000;
	s->packets = packets;
	s->expected = packets;
	s->first_ts = US(first_us);
	s->last_ts = US(last_us);
	struct sl_stream **p = &c->streams;
	while (*p)
		p = &(*p)->next;
	*p = s;
	c->n_streams++;
	return s;
}

static void
sdp(struct sl_msg *m, struct sl_endpoint media)
{
	m->has_sdp = true;
	m->sdp_codec = SL_STR("PCMU");
	m->sdp_media = media;
}

/* ----- the seed's call through the server (SEED-EN.md, times from
 * LADDER-EXAMPLES.md section 1) ----- */

static struct sl_call *
seed_b2bua(void)
{
	struct sl_endpoint caller = ep("192.168.1.183", 5060), server = ep("192.168.1.50", 5060),
	    callee = ep("192.168.1.101", 5060);
	struct sl_endpoint m_caller = ep("192.168.1.183", 27824), m_srv_a = ep("192.168.1.50", 20000),
	    m_srv_b = ep("192.168.1.50", 20002), m_callee = ep("192.168.1.101", 27392);
	struct sl_call *c = new_call(SL_CALL_INVITE, 1);
	struct sl_leg *a = add_leg(c, 'A', "2126492930@192.168.1.50", "u1", "2", caller, server);
	struct sl_leg *b = add_leg(c, 'B', "495687575@192.168.1.50", "u1", "u2", server, callee);
	struct sl_msg *m;

	sdp(req(c, a, 0, caller, server, "INVITE", 1), m_caller);
	resp(c, a, 900, server, caller, 100, "Trying", "INVITE", 1);
	m = resp(c, a, 1300, server, caller, 401, "Unauthorized", "INVITE", 1);
	m->has_challenge = true;
	m->chal_realm = SL_STR("Yate");
	req(c, a, 11200, caller, server, "ACK", 1);
	m = req(c, a, 15800, caller, server, "INVITE", 2);
	sdp(m, m_caller);
	m->has_auth = true;
	m->auth_user = SL_STR("u1");
	m->max_forwards = 20;
	resp(c, a, 16400, server, caller, 100, "Trying", "INVITE", 2);
	m = req(c, b, 22000, server, callee, "INVITE", 1);
	sdp(m, m_srv_b);
	m->max_forwards = 19;
	resp(c, b, 24100, callee, server, 100, "Trying", "INVITE", 1);
	resp(c, b, 130500, callee, server, 180, "Ringing", "INVITE", 1);
	resp(c, a, 131200, server, caller, 180, "Ringing", "INVITE", 2);
	sdp(resp(c, b, 3702000, callee, server, 200, "OK", "INVITE", 1), m_callee);
	req(c, b, 3702600, server, callee, "ACK", 1);
	sdp(resp(c, a, 3703400, server, caller, 200, "OK", "INVITE", 2), m_srv_a);
	req(c, a, 3712000, caller, server, "ACK", 2);
	m = req(c, a, 9310000, caller, server, "BYE", 3);
	m->reason_hdr = SL_STR("SIP;cause=200;text=\"User hangup\"");
	resp(c, a, 9310900, server, caller, 100, "Trying", "BYE", 3);
	m = resp(c, a, 9311200, server, caller, 401, "Unauthorized", "BYE", 3);
	m->has_challenge = true;
	m->chal_realm = SL_STR("Yate");
	m = req(c, a, 9320500, caller, server, "BYE", 4);
	m->has_auth = true;
	m->auth_user = SL_STR("u1");
	resp(c, a, 9321100, server, caller, 100, "Trying", "BYE", 4);
	resp(c, a, 9322000, server, caller, 200, "OK", "BYE", 4);
	req(c, b, 9322800, server, callee, "BYE", 2);
	resp(c, b, 9330100, callee, server, 100, "Trying", "BYE", 2);
	resp(c, b, 9331000, callee, server, 200, "OK", "BYE", 2);

	struct sl_stream *s;
	s = add_stream(c, a, m_caller, m_srv_a, 0x11111111, "PCMU", 280, 3720000, 9310000);
	s->max_jitter_ms = 1.3;
	s = add_stream(c, b, m_srv_b, m_callee, 0x22222222, "PCMU", 280, 3720400, 9310400);
	s->max_jitter_ms = 1.3;
	s = add_stream(c, b, m_callee, m_srv_b, 0x33333333, "PCMU", 281, 3721000, 9341000);
	s->max_jitter_ms = 1.2;
	s->after_bye_packets = 1;
	s->after_bye_first_ts = US(9322800);
	s->after_bye_last_ts = US(9341000);
	s->icmp_unreachable = 1;
	s = add_stream(c, a, m_srv_a, m_caller, 0x44444444, "PCMU", 281, 3721400, 9520000);
	s->max_jitter_ms = 1.2;
	s->after_bye_packets = 11;
	s->after_bye_first_ts = US(9310000);
	s->after_bye_last_ts = US(9520000);
	s->icmp_unreachable = 11;

	a->n_challenges = 1;
	a->authorised = true;
	a->auth_user = SL_STR("u1");
	a->realm = SL_STR("Yate");
	a->n_bye_challenges = 1;
	a->bye_status = 200;
	b->joined_to = a;
	b->join_ev = SL_JOIN_TIMING | SL_JOIN_FROM_USER | SL_JOIN_MAX_FWD | SL_JOIN_MEDIA;
	b->join_conf = SL_CONF_HIGH;
	b->join_delay_ns = 6200000;
	b->join_mf_parent = 20;
	b->join_mf_self = 19;

	struct sl_call_summary *sum = &c->sum;
	sum->state = SL_STATE_COMPLETED;
	sum->status = 200;
	sum->hangup_by = SL_SIDE_CALLER;
	sum->from_user = SL_STR("u1");
	sum->to_user = SL_STR("2");
	sum->callee_user = SL_STR("u2");
	sum->reason = SL_STR("User hangup");
	sum->setup_ns = 3703400000;
	sum->talk_ns = 5600000000;
	sum->duration_ns = 9331000000;
	sum->invite_challenges = 1;
	sum->bye_challenges = 1;
	sum->authorised = true;
	return c;
}

/* A registration (challenged, then unregistered), a rejected call with
 * a hostile From user, a cancelled call, a call that never got past its
 * challenge. */
static struct sl_call *
register_call(void)
{
	struct sl_endpoint ua = ep("192.168.1.183", 5060), reg = ep("192.168.1.50", 5060);
	struct sl_call *c = new_call(SL_CALL_REGISTER, 2);
	struct sl_leg *a = add_leg(c, 'A', "r1@x", "u1", "u1", ua, reg);
	for (int i = 0; i < 8; i++)
		req(c, a, -1949000 + i * 1000, ua, reg, "REGISTER", (uint32_t)i + 1);
	struct sl_reg *r = zalloc(c, sizeof *r), *u = zalloc(c, sizeof *u);
	r->user = SL_STR("u1");
	r->expires_req = 600;
	r->expires = 600;
	r->challenges = 1;
	r->result = 200;
	u->user = SL_STR("u1");
	u->expires_req = 0;
	u->expires = -1;
	u->unregister = true;
	u->challenges = 1;
	u->result = 200;
	r->next = u;
	c->regs = r;
	c->n_regs = 2;
	c->first_ts = US(-1949000);
	c->sum.state = SL_STATE_UNREGISTERED;
	c->sum.from_user = SL_STR("u1");
	return c;
}

static struct sl_call *
small_call(uint32_t index, enum sl_call_state state, uint16_t status, const char *from,
    const char *reason)
{
	struct sl_endpoint x = ep("10.0.0.1", 5060), y = ep("10.0.0.2", 5060);
	struct sl_call *c = new_call(SL_CALL_INVITE, index);
	struct sl_leg *a = add_leg(c, 'A', "s@x", from, "bob", x, y);
	req(c, a, 20000000, x, y, "INVITE", 1);
	if (state == SL_STATE_AUTH_FAILED) {
		resp(c, a, 20001000, y, x, 407, "Proxy Authentication Required", "INVITE", 1);
		c->sum.invite_challenges = 2;
	} else {
		resp(c, a, 20001000, y, x, status, reason, "INVITE", 1);
	}
	c->sum.state = state;
	c->sum.status = status;
	c->sum.from_user = sl_str_c(from);
	c->sum.to_user = SL_STR("bob");
	c->sum.reason = sl_str_c(reason);
	return c;
}

static void
check_text(struct sl_test_state *ts, const char *got, const char *want, const char *what)
{
	bool same = got && strcmp(got, want) == 0;
	SL_CHECK_MSG(ts, same, "%s differs:\n--- got\n%s--- want\n%s", what,
	    got ? got : "(null)", want);
}

static struct sl_report_opts
opts(void)
{
	struct sl_report_opts o;
	sl_report_opts_default(&o);
	o.base_ts_ns = BASE_NS;
	return o;
}

/* ----- the calls table ----- */

static const char calls_table[] =
	" #   start         from        to   legs  msgs  state                           dur    auth                media              reason\n"
	" R2  09:59:59.051  u1          -    -     8     registered 600 s, unregistered  -      401 -> ok (x2)      -\n"
	" 1   10:00:01.000  u1          2    2     23    completed (caller BYE)          5.6 s  401 -> ok (x2)      4 streams, 0 lost  User hangup\n"
	" 3   10:00:21.000  ?]0;pwned?  bob  1     2     rejected 486                    -      -                   -                  Busy Here\n"
	" 4   10:00:21.000  carol       bob  1     2     cancelled                       -      -                   -\n"
	" 5   10:00:21.000  dave        bob  1     2     auth failed 407                 -      407 -> failed (x2)  -\n";

static void
test_calls_table(struct sl_test_state *ts)
{
	struct sl_call *v[5] = {
		register_call(), seed_b2bua(),
		small_call(3, SL_STATE_REJECTED, 486, "\x1b]0;pwned\x07", "Busy Here"),
		small_call(4, SL_STATE_CANCELLED, 487, "carol", ""),
		small_call(5, SL_STATE_AUTH_FAILED, 0, "dave", ""),
	};
	v[3]->sum.hangup_by = SL_SIDE_CALLER;
	struct sl_report_opts o = opts();
	struct sl_buf b;
	sl_buf_init(&b, 1 << 16);
	SL_CHECK(ts, sl_report_calls_table(&b, (const struct sl_call *const *)v, 5, &o) == SL_OK);
	check_text(ts, b.p, calls_table, "calls table");
	sl_buf_free(&b);

	sl_buf_init(&b, 1 << 16);
	SL_CHECK(ts, sl_report_calls_table(&b, NULL, 0, &o) == SL_OK);
	check_text(ts, b.p, " #  start  from  to  legs  msgs  state  dur  auth  media  reason\n",
	    "empty calls table");
	sl_buf_free(&b);

	sl_buf_init(&b, 100);
	SL_CHECK(ts, sl_report_calls_table(&b, (const struct sl_call *const *)v, 5, &o) == SL_ENOMEM);
	SL_CHECK(ts, b.p == NULL);
	for (size_t i = 0; i < 5; i++)
		free_call(v[i]);
}

/* Re-registering every minute gives runs, not a list. */
static void
test_registration_runs(struct sl_test_state *ts)
{
	struct sl_call *c = register_call();
	struct sl_reg **tail = &c->regs->next;
	*tail = NULL;
	for (int i = 0; i < 9; i++) {
		struct sl_reg *r = zalloc(c, sizeof *r);
		r->expires_req = 60;
		r->expires = i < 5 ? 60 : 120;
		r->result = i == 7 ? 403 : 200;
		*tail = r;
		tail = &r->next;
	}
	struct sl_reg *u = zalloc(c, sizeof *u);
	u->unregister = true;
	u->result = 200;
	u->expires = -1;
	*tail = u;
	struct sl_report_opts o = opts();
	struct sl_buf b;
	sl_buf_init(&b, 1 << 16);
	const struct sl_call *v[1] = { c };
	SL_CHECK(ts, sl_report_calls_table(&b, v, 1, &o) == SL_OK);
	SL_CHECK_MSG(ts, b.p && strstr(b.p, "  registered 600 s, registered 60 s (x5), "
	    "registered 120 s (x2), ... 2 more, unregistered  ") != NULL, "%s", b.p ? b.p : "");
	sl_buf_free(&b);
	free_call(c);
}

/* ----- the RTP table ----- */

static const char rtp_table[] =
	" Call  Start time   End time    Src IP addr   Port   Dest IP addr   Port        SSRC  Payload  Pkts        Lost  Max Delta(ms)  Max Jitter(ms)  Mean Jitter(ms)  Problems?\n"
	"    1    3.720000   9.310000  192.168.1.183  27824   192.168.1.50  20000  0x11111111    g711U   280    6 (3.8%)         58.347           8.229            4.726  X\n"
	"    1    3.720400   9.310400   192.168.1.50  20002  192.168.1.101  27392  0x22222222     opus   280    0 (0.0%)          0.000           1.300            0.000  X\n"
	"    1    3.721000   9.341000  192.168.1.101  27392   192.168.1.50  20002  0x33333333    g711A   281  -2 (-0.7%)          0.000               -                -  X\n"
	"    1    3.721400   9.520000   192.168.1.50  20000  192.168.1.183  27824  0x44444444     PT96   281    0 (0.0%)          0.000           1.200            0.000\n"
	"    3   20.500000  20.540000    2001:db8::7   4000       10.0.0.1   4002  0xABCDEF01     g722     3    0 (0.0%)          0.000           0.000            0.000\n";

static void
test_rtp_table(struct sl_test_state *ts)
{
	struct sl_call *v[3] = { register_call(), seed_b2bua(), small_call(3, SL_STATE_REJECTED, 486, "x", "") };
	struct sl_stream *s = v[1]->streams;
	s->lost = 6;
	s->expected = 156;
	s->max_delta_ms = 58.347;
	s->mean_jitter_ms = 4.7264;
	s->max_jitter_ms = 8.2289;
	s = s->next;
	s->out_of_order = 1;
	s->codec = SL_STR("opus");
	s->pt = 111;
	s = s->next;
	s->codec = SL_STR_NULL;
	s->pt = 8;
	s->clock_rate = 0;
	s->lost = -2;
	s->expected = 279;
	s = s->next;
	s->codec = SL_STR_NULL;
	s->pt = 96;
	add_stream(v[2], v[2]->legs, ep("2001:db8::7", 4000), ep("10.0.0.1", 4002), 0xABCDEF01, "G722",
	    3, 20500000, 20540000);
	struct sl_report_opts o = opts();
	struct sl_buf b;
	sl_buf_init(&b, 1 << 16);
	SL_CHECK(ts, sl_report_rtp_table(&b, (const struct sl_call *const *)v, 3, &o) == SL_OK);
	check_text(ts, b.p, rtp_table, "rtp table");
	sl_buf_free(&b);
	for (size_t i = 0; i < 3; i++)
		free_call(v[i]);
}

/* ----- text helpers ----- */

static void
test_numbers(struct sl_test_state *ts)
{
	static const struct {
		int64_t ns;
		unsigned dec;
		const char *want;
	} secs[] = {
		{ 0, 6, "0.000000" },
		{ 1500, 6, "0.000002" },		/* half rounds away from zero */
		{ 1499, 6, "0.000001" },
		{ -1500, 6, "-0.000002" },
		{ -400, 6, "0.000000" },		/* no "-0" */
		{ 3985000000, 3, "3.985" },
		{ 3985499999, 3, "3.985" },
		{ 3985500000, 3, "3.986" },
		{ 999999999, 2, "1.00" },
		{ 5597000000, 0, "6" },
		{ 123456789, 9, "0.123456789" },
		{ INT64_MIN, 6, "-9223372036.854776" },
		{ INT64_MAX, 3, "9223372036.855" },
	};
	char t[SL_FMT_NUM];
	for (size_t i = 0; i < sizeof secs / sizeof secs[0]; i++)
		SL_CHECK_MSG(ts, strcmp(sl_fmt_secs(t, secs[i].ns, secs[i].dec), secs[i].want) == 0,
		    "%lld/%u: %s", (long long)secs[i].ns, secs[i].dec, t);
	SL_CHECK(ts, strcmp(sl_fmt_fixed(t, -5, 1), "-0.5") == 0);
	SL_CHECK(ts, strcmp(sl_fmt_fixed(t, 38, 1), "3.8") == 0);
	SL_CHECK(ts, strcmp(sl_fmt_fixed(t, 7, 0), "7") == 0);
	SL_CHECK(ts, strcmp(sl_fmt_fixed(t, INT64_MIN, 0), "-9223372036854775808") == 0);
	SL_CHECK(ts, sl_fmt_double(t, 1.25, 1) && strcmp(t, "1.3") == 0);
	SL_CHECK(ts, sl_fmt_double(t, 0.0625, 3) && strcmp(t, "0.063") == 0);
	SL_CHECK(ts, sl_fmt_double(t, -0.0004, 3) && strcmp(t, "0.000") == 0);
	SL_CHECK(ts, !sl_fmt_double(t, 1.0 / 0.0, 3) && t[0] == '\0');
	SL_CHECK(ts, !sl_fmt_double(t, 0.0 / 0.0, 3));
	SL_CHECK(ts, !sl_fmt_double(t, 1e300, 3));
}

static void
test_utc(struct sl_test_state *ts)
{
	struct sl_buf b;
	sl_buf_init(&b, 256);
	SL_CHECK(ts, sl_fmt_utc(&b, BASE_NS + 949999999, true, 6) == SL_OK);
	SL_CHECK(ts, sl_buf_addc(&b, ' ') == SL_OK);
	SL_CHECK(ts, sl_fmt_utc(&b, BASE_NS + 949999999, false, 3) == SL_OK);
	SL_CHECK(ts, sl_buf_addc(&b, ' ') == SL_OK);
	SL_CHECK(ts, sl_fmt_utc(&b, -1, true, 3) == SL_OK);
	SL_CHECK(ts, sl_buf_addc(&b, ' ') == SL_OK);
	SL_CHECK(ts, sl_fmt_utc(&b, 0, false, 0) == SL_OK);
	check_text(ts, b.p, "2009-06-01T10:00:01.949999Z 10:00:01.949 1969-12-31T23:59:59.999Z 00:00:00",
	    "utc");
	sl_buf_free(&b);
}

static void
test_clean_and_width(struct sl_test_state *ts)
{
	static const struct {
		const char *in;
		size_t cols;
		const char *want;
		size_t width;
	} rows[] = {
		{ "plain", SIZE_MAX, "plain", 5 },
		{ "plain", 5, "plain", 5 },
		{ "plain", 4, "pla~", 5 },
		{ "plain", 1, "~", 5 },
		{ "plain", 0, "", 5 },
		{ "caf\xc3\xa9 \xe2\x94\x82", SIZE_MAX, "caf\xc3\xa9 \xe2\x94\x82", 6 },
		{ "caf\xc3\xa9 \xe2\x94\x82", 5, "caf\xc3\xa9~", 6 },
		{ "\x1b[2J", SIZE_MAX, "?[2J", 4 },			/* ESC */
		{ "a\xc2\x9b" "1m", SIZE_MAX, "a?1m", 4 },		/* C1 CSI */
		{ "x\xe2\x80\xaey", SIZE_MAX, "x?y", 3 },		/* RLO override */
		{ "\xff\xfe", SIZE_MAX, "?\?", 2 },			/* invalid bytes */
		{ "\xe2\x94", SIZE_MAX, "?\?", 2 },			/* cut sequence */
		{ "\xc0\xaf", SIZE_MAX, "?\?", 2 },			/* overlong '/' */
		{ "\xed\xa0\x80", SIZE_MAX, "?\?\?", 3 },		/* surrogate */
		{ "tab\there\n", SIZE_MAX, "tab?here?", 9 },
		{ "del\x7f", SIZE_MAX, "del?", 4 },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct sl_buf b;
		sl_buf_init(&b, 256);
		struct sl_str in = sl_str_c(rows[i].in);
		SL_CHECK(ts, sl_fmt_put(&b, in, rows[i].cols) == SL_OK);
		SL_CHECK_MSG(ts, strcmp(b.p ? b.p : "", rows[i].want) == 0, "row %zu: %s", i,
		    b.p ? b.p : "");
		SL_CHECK_MSG(ts, sl_fmt_width(in) == rows[i].width, "row %zu: width %zu", i,
		    sl_fmt_width(in));
		sl_buf_free(&b);
	}
}

static void
test_codec_names(struct sl_test_state *ts)
{
	char t[SL_FMT_NUM];
	SL_CHECK(ts, sl_str_eq(sl_fmt_ws_codec(SL_STR("PCMU"), 0, t), SL_STR("g711U")));
	SL_CHECK(ts, sl_str_eq(sl_fmt_ws_codec(SL_STR("pcma"), 8, t), SL_STR("g711A")));
	SL_CHECK(ts, sl_str_eq(sl_fmt_ws_codec(SL_STR("G729"), 18, t), SL_STR("g729")));
	SL_CHECK(ts, sl_str_eq(sl_fmt_ws_codec(SL_STR("opus"), 111, t), SL_STR("opus")));
	SL_CHECK(ts, sl_str_eq(sl_fmt_ws_codec(SL_STR_NULL, 9, t), SL_STR("g722")));
	SL_CHECK(ts, sl_str_eq(sl_fmt_ws_codec(SL_STR_NULL, 96, t), SL_STR("PT96")));
}

static void
test_wrap(struct sl_test_state *ts)
{
	static const struct {
		const char *in;
		size_t indent, width;
		const char *want;
	} rows[] = {
		{ "short", 2, 20, "short\n" },
		{ "", 2, 20, "\n" },
		{ "  leg A  x  y  one two three four", 9, 20,
		    "  leg A  x  y  one\n         two three\n         four\n" },
		{ "abcdefghijklmnopqrstuvwxyz", 2, 10, "abcdefghij\n  klmnopqr\n  stuvwxyz\n" },
		{ "a b   ", 0, 10, "a b\n" },
		{ "\xe2\x94\x82\xe2\x94\x82\xe2\x94\x82 \xe2\x94\x82\xe2\x94\x82", 0, 4,
		    "\xe2\x94\x82\xe2\x94\x82\xe2\x94\x82\n\xe2\x94\x82\xe2\x94\x82\n" },
		/* an indent that leaves no room is dropped */
		{ "aaaa bbbb cccc", 9, 10, "aaaa bbbb\ncccc\n" },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct sl_buf b;
		sl_buf_init(&b, 256);
		SL_CHECK(ts, sl_text_wrap(&b, sl_str_c(rows[i].in), rows[i].indent, rows[i].width) == SL_OK);
		SL_CHECK_MSG(ts, b.p && strcmp(b.p, rows[i].want) == 0, "row %zu: [%s]", i,
		    b.p ? b.p : "");
		sl_buf_free(&b);
	}
}

int
main(void)
{
	SL_TEST_STATE(ts);
	test_calls_table(&ts);
	test_registration_runs(&ts);
	test_rtp_table(&ts);
	test_numbers(&ts);
	test_utc(&ts);
	test_clean_and_width(&ts);
	test_codec_names(&ts);
	test_wrap(&ts);
	return sl_test_report(&ts, "test_tables");
}
