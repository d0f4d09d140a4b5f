/* test_opts.c: sipladder-server's command line (src/server/opts.c): the
 * agreed defaults, every option in both spellings, and the refusals. */
#include <string.h>

#include "server/opts.h"
#include "tests/unit/unit.h"

static SL_TEST_STATE(ts);

static enum sl_err
parse(struct sl_srv_opts *o, char *err, const char *a0, const char *a1, const char *a2,
    const char *a3, const char *a4)
{
	const char *argv[] = { "sipladder-server", a0, a1, a2, a3, a4, NULL };
	int argc = 1;

	while (argc < 6 && argv[argc])
		argc++;
	return sl_srv_opts_parse(argc, (char *const *)(uintptr_t)argv, o, err);
}

static void
test_defaults(void)
{
	struct sl_srv_opts o;
	char err[SL_ERRBUF_SIZE], ep[SL_EP_STRLEN];

	SL_CHECK(&ts, parse(&o, err, "-c", "conf", NULL, NULL, NULL) == SL_OK);
	SL_CHECK(&ts, strcmp(o.conf_dir, "conf") == 0);
	SL_CHECK(&ts, strcmp(sl_ep_str(&o.listen, ep, sizeof(ep)), "0.0.0.0:5060") == 0);
	SL_CHECK(&ts, o.rtp_lo == 20000 && o.rtp_hi == 29999);
	SL_CHECK(&ts, strcmp(o.realm, "Yate") == 0);
	SL_CHECK(&ts, o.nonce_ttl_s == 300 && o.min_expires_s == 60 && o.max_expires_s == 3600);
	SL_CHECK(&ts, o.def_expires_s == 600 && o.no_answer_s == 60);
	SL_CHECK(&ts, o.log_level == SL_LOG_INFO && !o.has_seed && !o.daemon);
	SL_CHECK(&ts, o.max_calls == 1000 && o.max_regs == 1024 && o.max_txns == 131072);
	SL_CHECK(&ts, o.trace_path == NULL && o.pidfile == NULL);
}

static void
test_values(void)
{
	struct sl_srv_opts o;
	char err[SL_ERRBUF_SIZE], ep[SL_EP_STRLEN];

	SL_CHECK(&ts, parse(&o, err, "-c", "d", "--listen", "127.0.0.50:5070", NULL) == SL_OK);
	SL_CHECK(&ts, strcmp(sl_ep_str(&o.listen, ep, sizeof(ep)), "127.0.0.50:5070") == 0);
	SL_CHECK(&ts, parse(&o, err, "-c", "d", "--listen=[::1]:5062", NULL, NULL) == SL_OK);
	SL_CHECK(&ts, strcmp(sl_ep_str(&o.listen, ep, sizeof(ep)), "[::1]:5062") == 0);
	SL_CHECK(&ts, parse(&o, err, "-c", "d", "--listen", "127.0.0.1", NULL) == SL_OK &&
	    o.listen.port == 5060);
	SL_CHECK(&ts, parse(&o, err, "-c", "d", "--rtp-ports=30000-30099", NULL, NULL) == SL_OK &&
	    o.rtp_lo == 30000 && o.rtp_hi == 30099);
	SL_CHECK(&ts, parse(&o, err, "-c", "d", "--realm", "Office", NULL) == SL_OK &&
	    strcmp(o.realm, "Office") == 0);
	SL_CHECK(&ts, parse(&o, err, "-c", "d", "--seed", "18446744073709551615", NULL) == SL_OK &&
	    o.has_seed && o.seed == UINT64_MAX);
	SL_CHECK(&ts, parse(&o, err, "-c", "d", "--log-level=debug", "--daemon", NULL) == SL_OK &&
	    o.log_level == SL_LOG_DEBUG && o.daemon);
	SL_CHECK(&ts, parse(&o, err, "--min-expires", "10", "--max-expires=20", "-c", "d") == SL_OK &&
	    o.min_expires_s == 10 && o.max_expires_s == 20 && o.def_expires_s == 20);
	SL_CHECK(&ts, parse(&o, err, "-c", "d", "--max-txns", "100", NULL) == SL_OK &&
	    o.max_txns == 100);
	SL_CHECK(&ts, parse(&o, err, "-c", "d", "--no-answer", "5", NULL) == SL_OK &&
	    o.no_answer_s == 5);
	SL_CHECK(&ts, parse(&o, err, "-c", "d", "--trace-pcap", "x.pcap", NULL) == SL_OK &&
	    strcmp(o.trace_path, "x.pcap") == 0);
	SL_CHECK(&ts, parse(&o, err, "--help", NULL, NULL, NULL, NULL) == SL_OK && o.help);
	SL_CHECK(&ts, parse(&o, err, "--version", NULL, NULL, NULL, NULL) == SL_OK && o.version);
}

static void
test_refusals(void)
{
	static const struct {
		const char *a[5];
		const char *err;	/* substring of the message */
	} rows[] = {
		{ { NULL }, "-c DIR is required" },
		{ { "-c", NULL }, "-c needs a value" },
		{ { "-c", "d", "--bogus" }, "unknown option '--bogus'" },
		{ { "-c", "d", "--daemon=yes" }, "takes no value" },
		{ { "-c", "d", "--listen", "nowhere:5060" }, "bad value for --listen" },
		{ { "-c", "d", "--listen", "127.0.0.1:0" }, "bad value for --listen" },
		{ { "-c", "d", "--listen", "127.0.0.1:65536" }, "bad value for --listen" },
		{ { "-c", "d", "--rtp-ports", "30001-30001" }, "bad value for --rtp-ports" },
		{ { "-c", "d", "--rtp-ports", "30010-30000" }, "bad value for --rtp-ports" },
		{ { "-c", "d", "--rtp-ports", "0-100" }, "bad value for --rtp-ports" },
		{ { "-c", "d", "--rtp-ports", "30000" }, "bad value for --rtp-ports" },
		{ { "-c", "d", "--realm", "a\"b" }, "bad value for --realm" },
		{ { "-c", "d", "--nonce-ttl", "0" }, "bad value for --nonce-ttl" },
		{ { "-c", "d", "--nonce-ttl", "-5" }, "bad value for --nonce-ttl" },
		{ { "-c", "d", "--max-calls", "12x" }, "bad value for --max-calls" },
		{ { "-c", "d", "--max-txns", "3" }, "bad value for --max-txns" },
		{ { "-c", "d", "--log-level", "verbose" }, "bad value for --log-level" },
		{ { "-c", "d", "--seed", "" }, "bad value for --seed" },
		{ { "-c", "d", "--min-expires", "100", "--max-expires=50" }, "above --max-expires" },
		{ { "-c", "" }, "bad value for -c" },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct sl_srv_opts o;
		char err[SL_ERRBUF_SIZE];
		enum sl_err e = parse(&o, err, rows[i].a[0], rows[i].a[1], rows[i].a[2],
		    rows[i].a[3], rows[i].a[4]);
		SL_CHECK_MSG(&ts, e == SL_EUSAGE && strstr(err, rows[i].err) != NULL,
		    "row %zu: got %d '%s'", i, e, err);
	}
}

/* the help names every option the parser takes */
static void
test_usage(void)
{
	static const char *const names[] = { "-c DIR", "--listen ADDR:PORT",
		"--rtp-ports LO-HI", "--realm NAME", "--nonce-ttl S", "--min-expires S",
		"--max-expires S", "--default-expires S", "--no-answer S", "--max-calls N",
		"--max-regs N", "--max-txns N", "--nonce-slots N", "--rate-limit R/S",
		"--rate-block S", "--rtp-timeout S", "--session-timeout S", "--rtp-latch",
		"--trace-pcap FILE", "--log-level L", "--seed N", "--daemon", "--pidfile FILE",
		"--version", "-h, --help" };
	char out[4096] = { 0 };
	FILE *f = fmemopen(out, sizeof(out) - 1, "w");

	SL_CHECK(&ts, f != NULL);
	if (f == NULL)
		return;
	sl_srv_opts_usage(f);
	fclose(f);
	SL_CHECK(&ts, strncmp(out, "usage: sipladder-server -c DIR [options]\n", 41) == 0);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char line[64];
		snprintf(line, sizeof(line), "\n  %s", names[i]);
		SL_CHECK_MSG(&ts, strstr(out, line) != NULL, "'%s' not in the help", names[i]);
	}
	/* and each of them parses, in both spellings where it takes a value */
	struct sl_srv_opts o;
	char err[SL_ERRBUF_SIZE];
	SL_CHECK(&ts, parse(&o, err, "-c", "d", "--rtp-latch", "--daemon", NULL) == SL_OK &&
	    o.rtp_latch && o.daemon);
	SL_CHECK(&ts, parse(&o, err, "-c", "d", "--rate-limit=0", "--rate-block", "5") == SL_OK &&
	    o.rate_reqs == 0 && o.rate_block_s == 5);
	SL_CHECK(&ts, parse(&o, err, "-c", "d", "--rtp-timeout=0", "--session-timeout=9",
	    NULL) == SL_OK && o.rtp_timeout_s == 0 && o.session_timeout_s == 9);
	SL_CHECK(&ts, parse(&o, err, "-c=d", NULL, NULL, NULL, NULL) == SL_EUSAGE &&
	    strstr(err, "unknown option '-c=d'") != NULL);
	SL_CHECK(&ts, parse(&o, err, "-h", NULL, NULL, NULL, NULL) == SL_OK && o.help);
}

int
main(void)
{
	test_defaults();
	test_values();
	test_refusals();
	test_usage();
	return sl_test_report(&ts, "server.opts");
}
