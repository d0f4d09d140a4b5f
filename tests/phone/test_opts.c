/* test_opts.c: sipladder-phone's command line: every option, the derived
 * Request-URI / first hop / domain of a call, and the refusals (most rows
 * are malformed on purpose). */
#include <stdlib.h>
#include <string.h>

#include "phone/opts.h"
#include "tests/unit/unit.h"

static SL_TEST_STATE(ts);

#define MAX_ARGS 64

/* split on spaces into argv (argv[0] = program name) */
static int
split(const char *line, char *buf, size_t n, char **argv)
{
	int argc = 0;

	snprintf(buf, n, "%s", line);
	argv[argc++] = (char *)(uintptr_t)"sipladder-phone";
	for (char *p = buf; *p && argc < MAX_ARGS - 1; ) {
		while (*p == ' ')
			*p++ = '\0';
		if (*p == '\0')
			break;
		argv[argc++] = p;
		while (*p && *p != ' ')
			p++;
	}
	argv[argc] = NULL;
	return argc;
}

struct row {
	const char *args;
	enum sl_err want;
	const char *ruri;	/* call: expected Request-URI, NULL: not checked */
	const char *hop;	/* call: expected first hop */
	const char *domain;	/* expected domain, NULL: not checked */
	const char *err;	/* substring of the usage error */
};

static const struct row rows[] = {
	/* direct mode (the seed's second capture) */
	{ "call 127.0.0.101", SL_OK, "sip:127.0.0.101", "127.0.0.101:5060", "127.0.0.101", NULL },
	{ "call 127.0.0.101:5070 --bind 127.0.0.183:5062", SL_OK, "sip:127.0.0.101:5070",
	  "127.0.0.101:5070", "127.0.0.101:5070", NULL },
	{ "call sip:0@192.168.1.183", SL_OK, "sip:0@192.168.1.183", "192.168.1.183:5060",
	  "192.168.1.183", NULL },
	{ "call sip:bob@10.0.0.1:5080;transport=udp", SL_OK,
	  "sip:bob@10.0.0.1:5080;transport=udp", "10.0.0.1:5080", "10.0.0.1:5080", NULL },
	{ "call sip:bob@[::1]:5080 --bind [::1]:5062", SL_OK, "sip:bob@[::1]:5080",
	  "[::1]:5080", "[::1]:5080", NULL },
	{ "call [::1] --bind [::]", SL_OK, "sip:[::1]", "[::1]:5060", "[::1]", NULL },
	{ "--timeout 5 call 127.0.0.1 --domain example.org", SL_OK, "sip:127.0.0.1",
	  "127.0.0.1:5060", "example.org", NULL },
	/* through the server (the seed's first capture) */
	{ "call 2 --server 192.168.1.50 --user u1 --password u1pass", SL_OK,
	  "sip:2@192.168.1.50", "192.168.1.50:5060", "192.168.1.50", NULL },
	{ "call 2 --server 127.0.0.50:5070", SL_OK, "sip:2@127.0.0.50:5070",
	  "127.0.0.50:5070", "127.0.0.50:5070", NULL },
	{ "call 2 --server=127.0.0.50 --domain=yate.local", SL_OK, "sip:2@yate.local",
	  "127.0.0.50:5060", "yate.local", NULL },
	{ "call u2@other.net --server 127.0.0.50", SL_OK, "sip:u2@other.net",
	  "127.0.0.50:5060", NULL, NULL },
	{ "call sip:2@127.0.0.50 --server 127.0.0.50", SL_OK, "sip:2@127.0.0.50",
	  "127.0.0.50:5060", NULL, NULL },
	{ "register --server 127.0.0.50 --user u1 --password u1pass", SL_OK, NULL, NULL,
	  "127.0.0.50", NULL },
	{ "unregister --server 127.0.0.50 --user u1", SL_OK, NULL, NULL, NULL, NULL },
	{ "answer --register --server 127.0.0.50 --user u2 --password u2pass --calls 3",
	  SL_OK, NULL, NULL, NULL, NULL },
	{ "answer", SL_OK, NULL, NULL, NULL, NULL },
	{ "answer --server 127.0.0.50 --allow-direct --t1 50", SL_OK, NULL, NULL, NULL, NULL },

	/* refusals */
	{ "", SL_EUSAGE, NULL, NULL, NULL, "missing COMMAND" },
	{ "dial 2", SL_EUSAGE, NULL, NULL, NULL, "unknown command" },
	{ "call", SL_EUSAGE, NULL, NULL, NULL, "missing TARGET" },
	{ "answer extra", SL_EUSAGE, NULL, NULL, NULL, "unexpected argument" },
	{ "call 1 2", SL_EUSAGE, NULL, NULL, NULL, "unexpected argument" },
	{ "call 2", SL_EUSAGE, NULL, NULL, NULL, "without --server" },
	{ "call host.example.org", SL_EUSAGE, NULL, NULL, NULL, "without --server" },
	{ "call sip:bob@host.example.org", SL_EUSAGE, NULL, NULL, NULL, "without --server" },
	{ "call 0.0.0.0", SL_EUSAGE, NULL, NULL, NULL, "without --server" },
	{ "call 127.0.0.1:0", SL_EUSAGE, NULL, NULL, NULL, "without --server" },
	{ "call 127.0.0.1:70000", SL_EUSAGE, NULL, NULL, NULL, "without --server" },
	{ "call 2<x> --server 127.0.0.50", SL_EUSAGE, NULL, NULL, NULL, "bad TARGET" },
	{ "call a:b --server 127.0.0.50", SL_EUSAGE, NULL, NULL, NULL, "bad TARGET" },
	{ "register --user u1", SL_EUSAGE, NULL, NULL, NULL, "needs --server" },
	{ "register --server 127.0.0.50", SL_EUSAGE, NULL, NULL, NULL, "needs --user" },
	{ "answer --register --server 127.0.0.50", SL_EUSAGE, NULL, NULL, NULL, "needs --user" },
	{ "call 2 --register --user u1", SL_EUSAGE, NULL, NULL, NULL, "needs --server" },
	{ "answer --password x", SL_EUSAGE, NULL, NULL, NULL, "needs --user" },
	{ "answer --user a@b", SL_EUSAGE, NULL, NULL, NULL, "bad user" },
	{ "answer --domain a\"b", SL_EUSAGE, NULL, NULL, NULL, "bad domain" },
	{ "answer --server 0.0.0.0", SL_EUSAGE, NULL, NULL, NULL, "unicast" },
	{ "answer --server [::1]", SL_EUSAGE, NULL, NULL, NULL, "address families" },
	{ "answer --server example.org", SL_EUSAGE, NULL, NULL, NULL, "bad address" },
	{ "answer --bind 1.2.3", SL_EUSAGE, NULL, NULL, NULL, "--bind" },
	{ "answer --expires -1", SL_EUSAGE, NULL, NULL, NULL, "--expires" },
	{ "answer --expires 3000000000", SL_EUSAGE, NULL, NULL, NULL, "--expires" },
	{ "answer --duration 1.2345", SL_EUSAGE, NULL, NULL, NULL, "--duration" },
	{ "answer --duration .5", SL_EUSAGE, NULL, NULL, NULL, "--duration" },
	{ "answer --duration 5.", SL_EUSAGE, NULL, NULL, NULL, "--duration" },
	{ "answer --duration 86401", SL_EUSAGE, NULL, NULL, NULL, "--duration" },
	{ "answer --ring-delay x", SL_EUSAGE, NULL, NULL, NULL, "--ring-delay" },
	{ "answer --calls 0", SL_EUSAGE, NULL, NULL, NULL, "--calls" },
	{ "answer --timeout 1e3", SL_EUSAGE, NULL, NULL, NULL, "--timeout" },
	{ "answer --rtp-port 40001", SL_EUSAGE, NULL, NULL, NULL, "even" },
	{ "answer --rtp-port 0", SL_EUSAGE, NULL, NULL, NULL, "even" },
	{ "answer --rtp-port 65536", SL_EUSAGE, NULL, NULL, NULL, "even" },
	{ "answer --codec g729", SL_EUSAGE, NULL, NULL, NULL, "--codec" },
	{ "answer --tone 4000", SL_EUSAGE, NULL, NULL, NULL, "--tone" },
	{ "answer --tone 300 --wav x.wav", SL_EUSAGE, NULL, NULL, NULL, "exclude" },
	{ "answer --rtp-linger 600001", SL_EUSAGE, NULL, NULL, NULL, "--rtp-linger" },
	{ "answer --log-level loud", SL_EUSAGE, NULL, NULL, NULL, "--log-level" },
	{ "answer --seed -3", SL_EUSAGE, NULL, NULL, NULL, "--seed" },
	{ "answer --reject 200", SL_EUSAGE, NULL, NULL, NULL, "--reject" },
	{ "answer --reject 700", SL_EUSAGE, NULL, NULL, NULL, "--reject" },
	{ "answer --user=", SL_EUSAGE, NULL, NULL, NULL, "empty value" },
	{ "answer --timeout", SL_EUSAGE, NULL, NULL, NULL, "needs a value" },
	{ "answer --frobnicate 1", SL_EUSAGE, NULL, NULL, NULL, "unknown option" },
	{ "answer --register=yes", SL_EUSAGE, NULL, NULL, NULL, "unknown option" },
	{ "answer --lazy-100=1", SL_EUSAGE, NULL, NULL, NULL, "unknown option" },
	{ "answer --allow-direct", SL_EUSAGE, NULL, NULL, NULL, "needs --server" },
	{ "answer --allow-direct=1 --server 127.0.0.50", SL_EUSAGE, NULL, NULL, NULL,
	  "unknown option" },
	{ "answer --t1 9", SL_EUSAGE, NULL, NULL, NULL, "--t1" },
	{ "answer --t1 4001", SL_EUSAGE, NULL, NULL, NULL, "--t1" },
	{ "answer --", SL_EUSAGE, NULL, NULL, NULL, "unexpected argument" },
};

static void
test_rows(void)
{
	char buf[512], errbuf[SL_ERRBUF_SIZE], ep[SL_EP_STRLEN];
	char *argv[MAX_ARGS];

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		struct sl_phone_opts o;
		int argc = split(r->args, buf, sizeof(buf), argv);
		enum sl_err e = sl_phone_opts_parse(&o, argc, argv, errbuf);
		SL_CHECK_MSG(&ts, e == r->want, "'%s': %s (%s)", r->args, sl_strerror(e), errbuf);
		if (e != r->want)
			continue;
		if (r->err)
			SL_CHECK_MSG(&ts, strstr(errbuf, r->err) != NULL, "'%s': error '%s'",
			    r->args, errbuf);
		if (r->ruri)
			SL_CHECK_MSG(&ts, strcmp(o.ruri, r->ruri) == 0, "'%s': ruri %s",
			    r->args, o.ruri);
		if (r->hop)
			SL_CHECK_MSG(&ts, strcmp(sl_ep_str(&o.first_hop, ep, sizeof(ep)),
			    r->hop) == 0, "'%s': hop %s", r->args, ep);
		if (r->domain)
			SL_CHECK_MSG(&ts, strcmp(o.domain, r->domain) == 0, "'%s': domain %s",
			    r->args, o.domain);
	}
}

static void
test_values(void)
{
	char buf[1024], errbuf[SL_ERRBUF_SIZE], ep[SL_EP_STRLEN];
	char *argv[MAX_ARGS];
	struct sl_phone_opts o;

	/* the defaults of the agreed command line */
	int argc = split("answer", buf, sizeof(buf), argv);
	SL_CHECK(&ts, sl_phone_opts_parse(&o, argc, argv, errbuf) == SL_OK);
	SL_CHECK(&ts, o.cmd == SL_PHONE_ANSWER);
	SL_CHECK(&ts, strcmp(sl_ep_str(&o.bind, ep, sizeof(ep)), "0.0.0.0:5060") == 0);
	SL_CHECK(&ts, !o.has_server && o.user == NULL && o.password == NULL);
	SL_CHECK(&ts, o.expires == 3600 && !o.do_register && !o.has_duration);
	SL_CHECK(&ts, o.ring_delay_ms == 1000 && o.calls == 1 && o.timeout_ms == 60000);
	SL_CHECK(&ts, o.rtp_port == 40000 && o.law == SL_G711_PCMU && o.tone_hz == 440);
	SL_CHECK(&ts, o.wav == NULL && o.record == NULL && o.linger_ms == 0);
	SL_CHECK(&ts, o.trace == NULL && o.log_level == SL_LOG_INFO && !o.has_seed);
	SL_CHECK(&ts, o.reject == 0 && !o.lazy100);
	SL_CHECK(&ts, !o.allow_direct && o.t1_ms == 500);

	/* every value option, "--opt value" and "--opt=value" mixed */
	argc = split("call 2 --bind 127.0.0.183:5062 --server=127.0.0.50:5070 --user u1 "
	    "--password u1pass --domain yate --expires 600 --register --duration 2.5 "
	    "--ring-delay 0.25 --calls 4 --timeout 0 --rtp-port 40100 --codec pcma "
	    "--tone 1000 --record r.wav --rtp-linger 300 --trace-pcap t.pcap "
	    "--log-level debug --seed 18446744073709551615 --reject 603 --lazy-100 "
	    "--allow-direct --t1=40",
	    buf, sizeof(buf), argv);
	SL_CHECK_MSG(&ts, sl_phone_opts_parse(&o, argc, argv, errbuf) == SL_OK, "%s", errbuf);
	SL_CHECK(&ts, o.cmd == SL_PHONE_CALL && strcmp(o.target, "2") == 0);
	SL_CHECK(&ts, strcmp(sl_ep_str(&o.bind, ep, sizeof(ep)), "127.0.0.183:5062") == 0);
	SL_CHECK(&ts, o.has_server && o.server.port == 5070);
	SL_CHECK(&ts, strcmp(o.user, "u1") == 0 && strcmp(o.password, "u1pass") == 0);
	SL_CHECK(&ts, strcmp(o.domain, "yate") == 0 && strcmp(o.ruri, "sip:2@yate") == 0);
	SL_CHECK(&ts, o.expires == 600 && o.do_register);
	SL_CHECK(&ts, o.has_duration && o.duration_ms == 2500 && o.ring_delay_ms == 250);
	SL_CHECK(&ts, o.calls == 4 && o.timeout_ms == 0 && o.rtp_port == 40100);
	SL_CHECK(&ts, o.law == SL_G711_PCMA && o.tone_hz == 1000);
	SL_CHECK(&ts, strcmp(o.record, "r.wav") == 0 && o.linger_ms == 300);
	SL_CHECK(&ts, strcmp(o.trace, "t.pcap") == 0 && o.log_level == SL_LOG_DEBUG);
	SL_CHECK(&ts, o.has_seed && o.seed == UINT64_MAX && o.reject == 603 && o.lazy100);
	SL_CHECK(&ts, o.allow_direct && o.t1_ms == 40);

	argc = split("call 1.2.3.4 --help --frobnicate", buf, sizeof(buf), argv);
	SL_CHECK(&ts, sl_phone_opts_parse(&o, argc, argv, errbuf) == SL_OK && o.help);
	argc = split("--version", buf, sizeof(buf), argv);
	SL_CHECK(&ts, sl_phone_opts_parse(&o, argc, argv, errbuf) == SL_OK && o.version);
}

static void
test_seconds(void)
{
	static const struct {
		const char *s;
		bool ok;
		uint32_t ms;
	} t[] = {
		{ "0", true, 0 }, { "1", true, 1000 }, { "1.5", true, 1500 },
		{ "0.02", true, 20 }, { "0.001", true, 1 }, { "86400", true, 86400000 },
		{ "86400.0", true, 86400000 }, { "86400.001", false, 0 }, { "86401", false, 0 },
		{ "", false, 0 }, { ".", false, 0 }, { "1.", false, 0 }, { ".1", false, 0 },
		{ "1.0001", false, 0 }, { "-1", false, 0 }, { "+1", false, 0 },
		{ "1 ", false, 0 }, { "1.x", false, 0 }, { "1..2", false, 0 },
		{ "99999999999999999999", false, 0 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint32_t ms = 7;
		bool ok = sl_phone_parse_seconds(t[i].s, SL_PHONE_MAX_SECONDS, &ms);
		SL_CHECK_MSG(&ts, ok == t[i].ok && (!ok || ms == t[i].ms), "'%s' -> %d %u",
		    t[i].s, ok, ms);
	}
}

static void
test_log(void)
{
	char out[256] = { 0 };
	FILE *f = fmemopen(out, sizeof(out), "w");
	struct sl_log l = { f, SL_LOG_INFO, "sipladder-phone" };
	enum sl_log_level lv;

	SL_CHECK(&ts, f != NULL);
	if (f == NULL)
		return;
	sl_log(&l, SL_LOG_INFO, NULL, "call %s", "answered");
	sl_log(&l, SL_LOG_DEBUG, NULL, "hidden");
	sl_log(&l, SL_LOG_WARN, NULL, "peer said %s", "bad\r\nforged line");
	sl_log(&l, SL_LOG_ERROR, NULL, "x");
	fclose(f);
	SL_CHECK_MSG(&ts, strcmp(out, "sipladder-phone: info: call answered\n"
	    "sipladder-phone: warn: peer said bad\\x0d\\x0aforged line\n"
	    "sipladder-phone: error: x\n") == 0, "%s", out);
	SL_CHECK(&ts, sl_log_level_parse("debug", &lv) && lv == SL_LOG_DEBUG);
	SL_CHECK(&ts, sl_log_level_parse("error", &lv) && lv == SL_LOG_ERROR);
	SL_CHECK(&ts, !sl_log_level_parse("Debug", &lv) && !sl_log_level_parse("", &lv));
}

/* the help names every option the parser takes */
static void
test_usage(void)
{
	static const char *const names[] = { "--bind ADDR[:PORT]", "--server ADDR[:PORT]",
		"--allow-direct", "--user NAME", "--password PW", "--domain NAME",
		"--expires S", "--register", "--duration S", "--ring-delay S", "--calls N",
		"--reject CODE", "--lazy-100", "--t1 MS", "--timeout S", "--rtp-port N",
		"--codec C", "--tone HZ", "--wav FILE", "--record FILE", "--rtp-linger MS",
		"--trace-pcap FILE", "--log-level L", "--seed N", "--version", "-h, --help" };
	char out[8192] = { 0 };
	FILE *f = fmemopen(out, sizeof(out) - 1, "w");

	SL_CHECK(&ts, f != NULL);
	if (f == NULL)
		return;
	sl_phone_usage(f);
	fclose(f);
	SL_CHECK(&ts, strncmp(out, "usage: sipladder-phone COMMAND [options]\n", 41) == 0);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char line[64];
		snprintf(line, sizeof(line), "\n  %s", names[i]);
		SL_CHECK_MSG(&ts, strstr(out, line) != NULL, "'%s' not in the help", names[i]);
	}
}

int
main(void)
{
	test_rows();
	test_values();
	test_seconds();
	test_log();
	test_usage();
	return sl_test_report(&ts, "phone.opts");
}
