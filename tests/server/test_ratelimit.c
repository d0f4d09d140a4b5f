/* test_ratelimit.c: the per-source limiter (src/server/ratelimit.c) on a
 * clock the test moves: the density and window, blocking and its end,
 * the per-source log budget and its report, and that a flood of spoofed
 * sources cannot grow the table or unblock a flooder by eviction alone. */
#include <stdio.h>
#include <string.h>

#include "server/ratelimit.h"
#include "sip/udp.h"
#include "tests/unit/unit.h"

static SL_TEST_STATE(ts);

static struct sl_ip
ip(const char *s)
{
	struct sl_endpoint e;

	sl_udp_parse_endpoint(s, 5060, &e);
	return e.ip;
}

static void
test_density(void)
{
	struct sl_ratelimit rl;
	struct sl_ip a = ip("127.0.0.66"), b = ip("127.0.0.67");
	int blocked_at = -1;

	SL_CHECK(&ts, sl_rl_init(&rl, 30, 2, 60, 64, 7) == SL_OK);
	/* 30 in a window are fine, the 31st blocks */
	for (int i = 0; i < 40 && blocked_at < 0; i++)
		if (sl_rl_charge(&rl, &a, 1000 + (uint64_t)i))
			blocked_at = i;
	SL_CHECK_MSG(&ts, blocked_at == 30, "blocked at %d", blocked_at);
	SL_CHECK(&ts, sl_rl_blocked(&rl, &a, 1100));
	SL_CHECK(&ts, !sl_rl_blocked(&rl, &b, 1100));
	/* blocking is reported once, not per further charge */
	SL_CHECK(&ts, !sl_rl_charge(&rl, &a, 1200));
	SL_CHECK(&ts, rl.st.blocks == 1);
	/* still blocked just before the block ends, free after */
	SL_CHECK(&ts, sl_rl_blocked(&rl, &a, 1030 + 60000 - 1));
	SL_CHECK(&ts, !sl_rl_blocked(&rl, &a, 1030 + 60000));
	/* asking counts nothing; the caller says what it dropped */
	SL_CHECK(&ts, rl.st.dropped == 0);
	sl_rl_dropped(&rl, &a, 1100);
	SL_CHECK(&ts, rl.st.dropped == 1);
	sl_rl_free(&rl);

	/* the same 30 spread over two windows never block */
	SL_CHECK(&ts, sl_rl_init(&rl, 30, 2, 60, 64, 7) == SL_OK);
	bool any = false;
	for (int i = 0; i < 60; i++)
		any |= sl_rl_charge(&rl, &a, (uint64_t)i * 140);	/* 60 over 8.4 s */
	SL_CHECK(&ts, !any && !sl_rl_blocked(&rl, &a, 9000));
	sl_rl_free(&rl);

	/* 0: never blocks */
	SL_CHECK(&ts, sl_rl_init(&rl, 0, 2, 60, 64, 7) == SL_OK);
	any = false;
	for (int i = 0; i < 1000; i++)
		any |= sl_rl_charge(&rl, &a, 5);
	SL_CHECK(&ts, !any && !sl_rl_blocked(&rl, &a, 6));
	sl_rl_free(&rl);
}

struct seen {
	int lines, rest_lines;
	uint64_t dropped, suppressed, rest_sources;
};

static void
on_report(void *arg, const struct sl_rl_src *src, const struct sl_rl_rest *rest,
    uint64_t now_ms)
{
	struct seen *s = arg;

	(void)now_ms;
	if (src == NULL) {
		s->rest_lines++;
		s->rest_sources += rest->sources;
		s->dropped += rest->dropped;
		s->suppressed += rest->suppressed;
		return;
	}
	s->lines++;
	s->dropped += src->dropped;
	s->suppressed += src->suppressed;
}

static void
test_log_budget(void)
{
	struct sl_ratelimit rl;
	struct sl_ip a = ip("127.0.0.66"), b = ip("::1");
	struct seen seen = { 0 };
	int full = 0;

	SL_CHECK(&ts, sl_rl_init(&rl, 30, 2, 60, 64, 7) == SL_OK);
	for (int i = 0; i < 100; i++)
		full += sl_rl_may_log(&rl, &a, 10);
	SL_CHECK_MSG(&ts, full == SL_RL_LOG_BURST, "%d full lines", full);
	SL_CHECK(&ts, sl_rl_may_log(&rl, &b, 10));
	sl_rl_report(&rl, SL_RL_INTERVAL_MS, on_report, &seen);
	SL_CHECK_MSG(&ts, seen.lines == 1 && seen.suppressed == 100 - SL_RL_LOG_BURST,
	    "%d lines, %llu suppressed", seen.lines, (unsigned long long)seen.suppressed);
	/* a new interval: full lines again, and nothing left to report */
	SL_CHECK(&ts, sl_rl_may_log(&rl, &a, SL_RL_INTERVAL_MS + 1));
	memset(&seen, 0, sizeof(seen));
	sl_rl_report(&rl, 2 * SL_RL_INTERVAL_MS, on_report, &seen);
	SL_CHECK(&ts, seen.lines == 0);
	sl_rl_free(&rl);

	/* many sources: at most SL_RL_LOG_GLOBAL full lines in all, and a
	 * report names SL_RL_REPORT_LINES of them plus one line for the rest */
	SL_CHECK(&ts, sl_rl_init(&rl, 30, 2, 60, 4096, 7) == SL_OK);
	full = 0;
	char text[32];
	for (int i = 0; i < 1000; i++) {
		snprintf(text, sizeof(text), "10.0.%d.%d", i / 250, i % 250 + 1);
		struct sl_ip x = ip(text);
		for (int k = 0; k < 3; k++)
			full += sl_rl_may_log(&rl, &x, 20);
	}
	SL_CHECK_MSG(&ts, full == SL_RL_LOG_GLOBAL, "%d full lines", full);
	memset(&seen, 0, sizeof(seen));
	sl_rl_report(&rl, SL_RL_INTERVAL_MS, on_report, &seen);
	SL_CHECK_MSG(&ts, seen.lines == SL_RL_REPORT_LINES && seen.rest_lines == 1 &&
	    seen.suppressed == 3000 - SL_RL_LOG_GLOBAL, "%d + %d lines, %llu suppressed",
	    seen.lines, seen.rest_lines, (unsigned long long)seen.suppressed);
	SL_CHECK(&ts, sl_rl_may_log(&rl, &a, SL_RL_INTERVAL_MS + 1));
	sl_rl_free(&rl);
}

static void
test_spoofed_flood(void)
{
	struct sl_ratelimit rl;
	struct sl_ip flooder = ip("127.0.0.66");
	char text[32];

	SL_CHECK(&ts, sl_rl_init(&rl, 30, 2, 60, 256, 7) == SL_OK);
	SL_CHECK(&ts, rl.cap == 256);
	for (int i = 0; i <= 30; i++)
		sl_rl_charge(&rl, &flooder, 100);
	SL_CHECK(&ts, sl_rl_blocked(&rl, &flooder, 101));
	/* 100000 one-shot sources: the table stays 256 slots; the flooder,
	 * active all along, stays known and blocked */
	bool still = true;
	for (uint32_t i = 0; i < 100000; i++) {
		snprintf(text, sizeof(text), "10.%u.%u.%u", (i >> 16) & 255, (i >> 8) & 255,
		    i & 255);
		sl_rl_charge(&rl, &(struct sl_ip){ 0 }, 200);	/* family 0: harmless */
		struct sl_ip x = ip(text);
		sl_rl_charge(&rl, &x, 200 + i / 1000);
		if (i % 100 == 0) {
			still &= sl_rl_blocked(&rl, &flooder, 200 + i / 1000);
			sl_rl_dropped(&rl, &flooder, 200 + i / 1000);
		}
	}
	SL_CHECK(&ts, still);
	SL_CHECK(&ts, rl.cap == 256 && rl.st.evicted > 0);
	sl_rl_free(&rl);
}

int
main(void)
{
	test_density();
	test_log_budget();
	test_spoofed_flood();
	return sl_test_report(&ts, "test_ratelimit");
}
