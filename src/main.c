/* main.c: the sipladder command line. Parses options, runs the pipeline
 * and turns errors into the documented exit codes:
 *   0 ok, 1 run failed or a --call matched nothing, 2 usage, 3 a capture
 *   could not be read (the readable ones are analysed first). */
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"
#include "pipeline.h"

static const char usage_text[] =
    "usage: sipladder <command> [options] FILE... ('-' reads stdin)\n"
    "commands:\n"
    "  ladder   call flows (default style sngrep, or --style wireshark)\n"
    "  calls    one line per call, registration and dialog\n"
    "  rtp      one line per RTP stream (tshark -z rtp,streams columns)\n"
    "options:\n"
    "  --json             JSON Lines (schema: reports/JSON.md) instead of text\n"
    "  --call SEL         only these calls (ladder, rtp, --json); SEL is a call\n"
    "                     number N, a registration R<n> or a Call-ID; repeat\n"
    "                     --call or give a list: --call 1,3,R2\n"
    "  --style S          ladder style: sngrep (default) or wireshark\n"
    "  --rtp / --no-rtp   ladder rows for RTP streams (wireshark style: on)\n"
    "  --no-merge         do not join B2BUA legs into one call\n"
    "  --width N          ladder width in columns (default $COLUMNS or 120)\n"
    "  --ascii / --utf8   ladder drawing characters (default: from the locale)\n"
    "  --delta            ladder times since the previous row\n"
    "  --rtp-port P       treat UDP port P as media even without SDP (repeatable)\n"
    "  -q, --quiet        no summary line on stderr\n"
    "  -h, --help         this text;  --version  the version\n"
    "exit codes: 0 ok, 1 run failed or a --call matched nothing, 2 usage,\n"
    "  3 a capture could not be read (the others are analysed first)\n";

static int
usage_error(const char *fmt, const char *arg)
{
	/* fmt holds one "%s": substituted by hand, so the format stays a
	 * literal everywhere it matters (-Wformat-nonliteral) */
	const char *at = strstr(fmt, "%s");
	size_t head = at ? (size_t)(at - fmt) : strlen(fmt);
	fprintf(stderr, "sipladder: %.*s%s%s\nTry 'sipladder --help'.\n", (int)head, fmt,
	    at ? arg : "", at ? at + 2 : "");
	return SL_EXIT_USAGE;
}

static bool
parse_uint(const char *s, uint32_t max, uint32_t *out)
{
	return sl_str_u32(sl_str_c(s), max, out);
}

static bool
utf8_locale(void)
{
	/* LC_CTYPE only: numbers must never follow the locale */
	if (setlocale(LC_CTYPE, "") == NULL)
		return false;
	const char *cs = nl_langinfo(CODESET);
	return cs && (!strcmp(cs, "UTF-8") || !strcmp(cs, "utf8"));
}

/* Returns -1 when parsing succeeded, else the exit code. */
static int
parse_args(int argc, char **argv, struct sl_cli *cli)
{
	if (argc < 2)
		return usage_error("%s", "missing command");
	const char *cmd = argv[1];
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help")) {
		fputs(usage_text, stdout);
		return SL_EXIT_OK;
	}
	if (!strcmp(cmd, "--version")) {
		printf("sipladder %s\n", SL_VERSION);
		return SL_EXIT_OK;
	}
	if (!strcmp(cmd, "ladder"))
		cli->cmd = SL_CMD_LADDER;
	else if (!strcmp(cmd, "calls"))
		cli->cmd = SL_CMD_CALLS;
	else if (!strcmp(cmd, "rtp"))
		cli->cmd = SL_CMD_RTP;
	else
		return usage_error("unknown command '%s'", cmd);
	int rtp_flag = -1, ascii_flag = -1;
	bool only_files = false;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		const char *next = i + 1 < argc ? argv[i + 1] : NULL;
		if (only_files || a[0] != '-' || !strcmp(a, "-")) {
			if (cli->n_files < SL_CLI_MAX_FILES)
				cli->files[cli->n_files++] = a;
			else
				return usage_error("more than %s files", SL_CLI_MAX_FILES_STR);
			continue;
		}
		if (!strcmp(a, "--")) {
			only_files = true;
		} else if (!strcmp(a, "--json")) {
			cli->json = true;
		} else if (!strcmp(a, "--no-merge")) {
			cli->run.corr.merge = false;
		} else if (!strcmp(a, "--ascii")) {
			ascii_flag = 1;
		} else if (!strcmp(a, "--utf8")) {
			ascii_flag = 0;
		} else if (!strcmp(a, "--delta")) {
			cli->rep.delta = true;
		} else if (!strcmp(a, "--rtp")) {
			rtp_flag = 1;
		} else if (!strcmp(a, "--no-rtp")) {
			rtp_flag = 0;
		} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			cli->quiet = true;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage_text, stdout);
			return SL_EXIT_OK;
		} else if (!strcmp(a, "--call")) {
			if (next == NULL || next[0] == '\0')
				return usage_error("%s needs a call number, R<n> or Call-ID", a);
			/* Call-IDs hold no commas (RFC 3261 25.1 word) */
			struct sl_str rest = sl_str_c(next), one;
			while (rest.p != NULL) {
				rest = sl_str_split(rest, ',', &one);
				if (one.n == 0)
					return usage_error("empty item in --call '%s'", next);
				if (cli->n_sel == SL_CLI_MAX_SELS)
					return usage_error("more than 64 --call items at '%s'", next);
				cli->sel[cli->n_sel++] = one;
			}
			i++;
		} else if (!strcmp(a, "--style")) {
			if (next == NULL)
				return usage_error("%s needs sngrep or wireshark", a);
			if (!strcmp(next, "sngrep") || !strcmp(next, "text"))
				cli->rep.style = SL_LADDER_STYLE_TEXT;
			else if (!strcmp(next, "wireshark"))
				cli->rep.style = SL_LADDER_STYLE_WIRESHARK;
			else
				return usage_error("unknown style '%s' (sngrep, wireshark)", next);
			i++;
		} else if (!strcmp(a, "--width")) {
			uint32_t w;
			if (next == NULL || !parse_uint(next, 10000, &w))
				return usage_error("%s needs a number of columns", a);
			cli->rep.width = w;
			i++;
		} else if (!strcmp(a, "--rtp-port")) {
			uint32_t p;
			if (next == NULL || !parse_uint(next, 65535, &p) || p == 0)
				return usage_error("%s needs a UDP port", a);
			if (cli->n_rtp_ports >= SL_CLI_MAX_PORTS)
				return usage_error("too many %s", a);
			cli->rtp_ports[cli->n_rtp_ports++] = (uint16_t)p;
			i++;
		} else {
			return usage_error("unknown option '%s'", a);
		}
	}
	if (cli->n_files == 0)
		return usage_error("%s", "no capture file given ('-' reads stdin)");
	/* box drawing only where the terminal's charset can show it */
	cli->rep.ascii = ascii_flag == -1 ? !utf8_locale() : ascii_flag == 1;
	cli->rep.rtp = rtp_flag == -1 ? cli->rep.style == SL_LADDER_STYLE_WIRESHARK : rtp_flag == 1;
	if (cli->rep.width == 0) {
		/* $COLUMNS first (scripts and tests set it), then the terminal */
		uint32_t w;
		struct winsize ws;
		const char *cols = getenv("COLUMNS");
		if (cols && parse_uint(cols, 10000, &w) && w)
			cli->rep.width = w;
		else if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col)
			cli->rep.width = ws.ws_col;
		else
			cli->rep.width = SL_REPORT_WIDTH_DEFAULT;
	}
	return -1;
}

int
main(int argc, char **argv)
{
	struct sl_cli cli = { 0 };
	sl_run_opts_default(&cli.run);
	sl_report_opts_default(&cli.rep);
	cli.rep.width = 0;
	int rc = parse_args(argc, argv, &cli);
	if (rc >= 0)
		return rc;
	sl_sip_global_init();
	return sl_cli_run(&cli);
}
