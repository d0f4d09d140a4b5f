/* test_tables.c: the `calls` and `rtp` tables (reports/summary.c,
 * rtp_table.c) on calls built by hand, and the text helpers under every
 * renderer: locale-free numbers, UTC stamps, display width, cleaning of
 * hostile text, word wrap. */
#include <stdint.h>
#include <string.h>

#include "core/buf.h"
#include "tests/unit/fixture.h"
#include "reports/fmt.h"
#include "reports/textwrap.h"

/* A registration (challenged, then unregistered), a rejected call with
 * a hostile From user, a cancelled call, a call that never got past its
 * challenge. */
static struct sl_call *
register_call(void)
{
	struct sl_endpoint ua = fx_ep("192.168.1.183", 5060), reg = fx_ep("192.168.1.50", 5060);
	struct sl_call *c = fx_new_call(SL_CALL_REGISTER, 2);
	struct sl_leg *a = fx_add_leg(c, 'A', "r1@x", "u1", "u1", ua, reg);
	for (int i = 0; i < 8; i++)
		fx_req(c, a, -1949000 + i * 1000, ua, reg, "REGISTER", (uint32_t)i + 1);
	struct sl_reg *r = fx_zalloc(c, sizeof *r), *u = fx_zalloc(c, sizeof *u);
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
	c->first_ts = FX_US(-1949000);
	a->auth[SL_AUTH_REGISTER] = (struct sl_auth){ .challenges = 2, .status = 401,
	    .credentials = 2, .authorised = true };
	c->sum.state = SL_STATE_UNREGISTERED;
	c->sum.from_user = SL_STR("u1");
	c->sum.invite_challenges = 2;
	c->sum.challenges = 2;
	c->sum.challenge_status = 401;
	c->sum.credentials = true;
	c->sum.authorised = true;
	return c;
}

static struct sl_call *
small_call(uint32_t index, enum sl_call_state state, uint16_t status, const char *from,
    const char *reason)
{
	struct sl_endpoint x = fx_ep("10.0.0.1", 5060), y = fx_ep("10.0.0.2", 5060);
	struct sl_call *c = fx_new_call(SL_CALL_INVITE, index);
	struct sl_leg *a = fx_add_leg(c, 'A', "s@x", from, "bob", x, y);
	fx_req(c, a, 20000000, x, y, "INVITE", 1);
	if (state == SL_STATE_AUTH_FAILED) {
		struct sl_msg *m = fx_resp(c, a, 20001000, y, x, 407,
		    "Proxy Authentication Required", "INVITE", 1);
		a->auth[SL_AUTH_INVITE] = (struct sl_auth){ .challenges = 2, .status = 407,
		    .credentials = 1, .failed = true, .last_challenge = m };
		c->sum.invite_challenges = 2;
		c->sum.challenges = 2;
		c->sum.challenge_status = 407;
		c->sum.credentials = true;
		c->sum.auth_failed = true;
	} else {
		fx_resp(c, a, 20001000, y, x, status, reason, "INVITE", 1);
	}
	c->sum.state = state;
	c->sum.status = status;
	c->sum.from_user = sl_str_c(from);
	c->sum.to_user = SL_STR("bob");
	c->sum.reason = sl_str_c(reason);
	return c;
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
		register_call(), fx_seed_b2bua(),
		small_call(3, SL_STATE_REJECTED, 486, "\x1b]0;pwned\x07", "Busy Here"),
		small_call(4, SL_STATE_CANCELLED, 487, "carol", ""),
		small_call(5, SL_STATE_AUTH_FAILED, 0, "dave", ""),
	};
	v[3]->sum.hangup_by = SL_SIDE_CALLER;
	struct sl_report_opts o = fx_opts();
	struct sl_buf b;
	sl_buf_init(&b, 1 << 16);
	SL_CHECK(ts, sl_report_calls_table(&b, (const struct sl_call *const *)v, 5, &o) == SL_OK);
	fx_check_text(ts, b.p, calls_table, "calls table");
	sl_buf_free(&b);

	sl_buf_init(&b, 1 << 16);
	SL_CHECK(ts, sl_report_calls_table(&b, NULL, 0, &o) == SL_OK);
	fx_check_text(ts, b.p, " #  start  from  to  legs  msgs  state  dur  auth  media  reason\n",
	    "empty calls table");
	sl_buf_free(&b);

	sl_buf_init(&b, 100);
	SL_CHECK(ts, sl_report_calls_table(&b, (const struct sl_call *const *)v, 5, &o) == SL_ENOMEM);
	SL_CHECK(ts, b.p == NULL);
	for (size_t i = 0; i < 5; i++)
		fx_free_call(v[i]);
}

/* Re-registering every minute gives runs, not a list. */
static void
test_registration_runs(struct sl_test_state *ts)
{
	struct sl_call *c = register_call();
	struct sl_reg **tail = &c->regs->next;
	*tail = NULL;
	for (int i = 0; i < 9; i++) {
		struct sl_reg *r = fx_zalloc(c, sizeof *r);
		r->expires_req = 60;
		r->expires = i < 5 ? 60 : 120;
		r->result = i == 7 ? 403 : 200;
		*tail = r;
		tail = &r->next;
	}
	struct sl_reg *u = fx_zalloc(c, sizeof *u);
	u->unregister = true;
	u->result = 200;
	u->expires = -1;
	*tail = u;
	struct sl_report_opts o = fx_opts();
	struct sl_buf b;
	sl_buf_init(&b, 1 << 16);
	const struct sl_call *v[1] = { c };
	SL_CHECK(ts, sl_report_calls_table(&b, v, 1, &o) == SL_OK);
	SL_CHECK_MSG(ts, b.p && strstr(b.p, "  registered 600 s, registered 60 s (x5), "
	    "registered 120 s (x2), ... 2 more, unregistered  ") != NULL, "%s", b.p ? b.p : "");
	sl_buf_free(&b);
	fx_free_call(c);
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
	struct sl_call *v[3] = {
		register_call(), fx_seed_b2bua(), small_call(3, SL_STATE_REJECTED, 486, "x", ""),
	};
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
	fx_add_stream(v[2], v[2]->legs, fx_ep("2001:db8::7", 4000), fx_ep("10.0.0.1", 4002),
	    0xABCDEF01, "G722", 3, 20500000, 20540000);
	struct sl_report_opts o = fx_opts();
	struct sl_buf b;
	sl_buf_init(&b, 1 << 16);
	SL_CHECK(ts, sl_report_rtp_table(&b, (const struct sl_call *const *)v, 3, &o) == SL_OK);
	fx_check_text(ts, b.p, rtp_table, "rtp table");
	sl_buf_free(&b);
	for (size_t i = 0; i < 3; i++)
		fx_free_call(v[i]);
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
	SL_CHECK(ts, sl_fmt_utc(&b, FX_BASE_NS + 949999999, true, 6) == SL_OK);
	SL_CHECK(ts, sl_buf_addc(&b, ' ') == SL_OK);
	SL_CHECK(ts, sl_fmt_utc(&b, FX_BASE_NS + 949999999, false, 3) == SL_OK);
	SL_CHECK(ts, sl_buf_addc(&b, ' ') == SL_OK);
	SL_CHECK(ts, sl_fmt_utc(&b, -1, true, 3) == SL_OK);
	SL_CHECK(ts, sl_buf_addc(&b, ' ') == SL_OK);
	SL_CHECK(ts, sl_fmt_utc(&b, 0, false, 0) == SL_OK);
	fx_check_text(ts, b.p, "2009-06-01T10:00:01.949999Z 10:00:01.949 1969-12-31T23:59:59.999Z 00:00:00",
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
