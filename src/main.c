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
#include "core/opttab.h"
#include "engine/pipeline.h"

/* The commands and, per option, which commands it serves: one table
 * drives parsing ("--opt VALUE" and "--opt=VALUE"), the general help and
 * each command's own help, so an option cannot be parsed but missing
 * from the help. */
enum { C_LADDER = 1, C_CALLS = 2, C_RTP = 4, C_CAPTURE = 8, C_ALL = 15 };
/* options about reading capture files, and those about showing ladders */
#define C_FILES (C_LADDER | C_CALLS | C_RTP)
#define C_LADDERS (C_LADDER | C_CAPTURE)

static const struct {
	const char *name;
	enum sl_cmd cmd;
	unsigned bit;
	const char *what;
} commands[] = {
	{ "ladder", SL_CMD_LADDER, C_LADDER, "call flows (default style sngrep, or --style wireshark)" },
	{ "calls", SL_CMD_CALLS, C_CALLS, "one line per call, registration and dialog" },
	{ "rtp", SL_CMD_RTP, C_RTP, "one line per RTP stream (tshark -z rtp,streams columns)" },
	{ "capture", SL_CMD_CAPTURE, C_CAPTURE,
	    "live capture: a ladder as each call ends (root or CAP_NET_RAW)" },
};

enum opt_id {
	O_JSON, O_CALL, O_STYLE, O_RTP, O_NO_RTP, O_NO_MERGE, O_WIDTH, O_ASCII, O_UTF8,
	O_DELTA, O_RTP_PORT, O_QUIET, O_HELP, O_IFACE, O_FILTER, O_SNAPLEN, O_WRITE,
	O_DURATION, O_COUNT, O_PROMISC,
};

static const struct sl_opt opts[] = {
	{ "--json", NULL, NULL,
	    { "JSON Lines (schema: reports/JSON.md) instead of text;",
	      "rtp: one object per stream" }, O_JSON, C_ALL },
	{ "--call", NULL, "SEL",
	    { "only these calls: a call number N, a registration R<n> or a",
	      "Call-ID; repeat --call or give a list: --call 1,3,R2" }, O_CALL, C_ALL },
	{ "--interface", "-i", "IFACE",
	    { "capture on IFACE (default any: every interface); repeatable" }, O_IFACE,
	    C_CAPTURE },
	{ "--filter", "-f", "BPF",
	    { "capture filter (default: all UDP, ICMP, IPv6 fragments, SIP",
	      "over TCP: media ports are dynamic; see README 'Live capture')" }, O_FILTER,
	    C_CAPTURE },
	{ "--snaplen", "-s", "N", { "bytes kept per packet (default 262144)" }, O_SNAPLEN,
	    C_CAPTURE },
	{ "--promisc", NULL, NULL, { "promiscuous mode (default off: this host's traffic)" },
	    O_PROMISC, C_CAPTURE },
	{ "--write", "-w", "FILE", { "also write every captured packet to FILE (pcap)" },
	    O_WRITE, C_CAPTURE },
	{ "--duration", NULL, "S", { "stop after S seconds" }, O_DURATION, C_CAPTURE },
	{ "--count", "-c", "N", { "stop after N packets" }, O_COUNT, C_CAPTURE },
	{ "--style", NULL, "S", { "ladder style: sngrep (default) or wireshark" }, O_STYLE,
	    C_LADDERS },
	{ "--rtp", NULL, NULL, { "ladder rows for RTP streams (wireshark style: on)" }, O_RTP,
	    C_LADDERS },
	{ "--no-rtp", NULL, NULL, { "no ladder rows for RTP streams" }, O_NO_RTP, C_LADDERS },
	{ "--no-merge", NULL, NULL, { "do not join B2BUA legs into one call" }, O_NO_MERGE,
	    C_ALL },
	{ "--width", NULL, "N", { "ladder width in columns (default $COLUMNS or 120)" },
	    O_WIDTH, C_LADDERS },
	{ "--ascii", NULL, NULL, { "ASCII drawing characters (default: from the locale)" },
	    O_ASCII, C_LADDERS },
	{ "--utf8", NULL, NULL, { "UTF-8 box drawing characters" }, O_UTF8, C_LADDERS },
	{ "--delta", NULL, NULL, { "ladder times since the previous row" }, O_DELTA, C_LADDERS },
	{ "--rtp-port", NULL, "P",
	    { "treat UDP port P as media even without SDP (repeatable)" }, O_RTP_PORT, C_ALL },
	{ "--quiet", "-q", NULL, { "no summary line on stderr" }, O_QUIET, C_ALL },
	{ "--help", "-h", NULL, { "this text" }, O_HELP, C_ALL },
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static void
help_options(FILE *f, unsigned bit)
{
	sl_opt_help(f, opts, N_OF(opts), bit);
}

static const char exit_text[] =
    "exit codes: 0 ok, 1 run failed or a --call matched nothing, 2 usage,\n"
    "  3 a capture could not be read (the others are analysed first), or an\n"
    "  interface could not be opened (missing, or capture not permitted)\n";

static void
help_general(FILE *f)
{
	fputs("usage: sipladder <command> [options] FILE... ('-' reads stdin)\n"
	    "       sipladder capture [-i IFACE]... [options]\n"
	    "commands:\n", f);
	for (size_t i = 0; i < N_OF(commands); i++)
		fprintf(f, "  %-9s%s\n", commands[i].name, commands[i].what);
	fputs("  help     this text; 'sipladder help COMMAND' (or COMMAND --help):\n"
	    "           that command's options\n"
	    "options:\n", f);
	help_options(f, C_ALL);
	fputs("  --version          the version\n", f);
	fputs(exit_text, f);
}

static void
help_command(FILE *f, size_t c)
{
	if (commands[c].cmd == SL_CMD_CAPTURE)
		fprintf(f, "usage: sipladder capture [-i IFACE]... [options]\n%s\n"
		    "Stops on SIGINT or SIGTERM, --duration or --count: calls still open are\n"
		    "shown then, marked as such.\noptions:\n", commands[c].what);
	else
		fprintf(f, "usage: sipladder %s [options] FILE... ('-' reads stdin)\n%s\n"
		    "options:\n", commands[c].name, commands[c].what);
	help_options(f, commands[c].bit);
	fputs(exit_text, f);
}

static int
command_of(const char *name)
{
	for (size_t i = 0; i < N_OF(commands); i++)
		if (strcmp(commands[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int
usage_error(const char *fmt, const char *arg)
{
	/* fmt holds one "%s": substituted by hand, so the format stays a
	 * literal everywhere it matters (-Wformat-nonliteral) */
	const char *at = strstr(fmt, "%s");
	size_t head = at ? (size_t)(at - fmt) : strlen(fmt);
	char msg[SL_ERRBUF_SIZE];
	snprintf(msg, sizeof(msg), "%.*s%s%s", (int)head, fmt, at ? arg : "", at ? at + 2 : "");
	sl_opt_try(stderr, "sipladder", msg);
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

static int
call_items(struct sl_cli *cli, const char *v)
{
	/* Call-IDs hold no commas (RFC 3261 25.1 word) */
	struct sl_str rest = sl_str_c(v), one;
	while (rest.p != NULL) {
		rest = sl_str_split(rest, ',', &one);
		if (one.n == 0)
			return usage_error("empty item in --call '%s'", v);
		if (cli->n_sel == SL_CLI_MAX_SELS)
			return usage_error("more than 64 --call items at '%s'", v);
		cli->sel[cli->n_sel++] = one;
	}
	return -1;
}

/* One option with its value (NULL for flags). Returns -1 to go on,
 * else the exit code. */
static int
apply(struct sl_cli *cli, size_t cmd, const struct sl_opt *o, const char *v, int *rtp_flag,
    int *ascii_flag)
{
	uint32_t n;

	switch ((enum opt_id)o->id) {
	case O_JSON:
		cli->json = true;
		break;
	case O_CALL:
		if (v[0] == '\0')
			return usage_error("%s needs a call number, R<n> or Call-ID", o->name);
		return call_items(cli, v);
	case O_STYLE:
		if (!strcmp(v, "sngrep") || !strcmp(v, "text"))
			cli->rep.style = SL_LADDER_STYLE_TEXT;
		else if (!strcmp(v, "wireshark"))
			cli->rep.style = SL_LADDER_STYLE_WIRESHARK;
		else
			return usage_error("unknown style '%s' (sngrep, wireshark)", v);
		break;
	case O_RTP:
		*rtp_flag = 1;
		break;
	case O_NO_RTP:
		*rtp_flag = 0;
		break;
	case O_NO_MERGE:
		cli->run.corr.merge = false;
		break;
	case O_WIDTH:
		if (!parse_uint(v, 10000, &n))
			return usage_error("%s needs a number of columns", o->name);
		cli->rep.width = n;
		break;
	case O_ASCII:
		*ascii_flag = 1;
		break;
	case O_UTF8:
		*ascii_flag = 0;
		break;
	case O_DELTA:
		cli->rep.delta = true;
		break;
	case O_RTP_PORT:
		if (!parse_uint(v, 65535, &n) || n == 0)
			return usage_error("%s needs a UDP port", o->name);
		if (cli->n_rtp_ports >= SL_CLI_MAX_PORTS)
			return usage_error("too many %s", o->name);
		cli->rtp_ports[cli->n_rtp_ports++] = (uint16_t)n;
		break;
	case O_QUIET:
		cli->quiet = true;
		break;
	case O_HELP:
		help_command(stdout, cmd);
		return SL_EXIT_OK;
	case O_IFACE:
		if (v[0] == '\0')
			return usage_error("%s needs an interface name ('any': all)", o->name);
		if (cli->n_ifaces == SL_CLI_MAX_IFACES)
			return usage_error("more than 16 interfaces at '%s'", v);
		cli->ifaces[cli->n_ifaces++] = v;
		break;
	case O_FILTER:
		cli->filter = v;
		break;
	case O_SNAPLEN:
		if (!parse_uint(v, 262144, &n) || n < 64)
			return usage_error("%s needs a number of bytes from 64 to 262144", o->name);
		cli->snaplen = (int)n;
		break;
	case O_PROMISC:
		cli->promisc = true;
		break;
	case O_WRITE:
		if (v[0] == '\0')
			return usage_error("%s needs a file name", o->name);
		cli->write = v;
		break;
	case O_DURATION:
		if (!parse_uint(v, 100u * 366 * 86400, &n) || n == 0)
			return usage_error("%s needs a number of seconds", o->name);
		cli->duration_s = n;
		break;
	case O_COUNT:
		if (!parse_uint(v, UINT32_MAX, &n) || n == 0)
			return usage_error("%s needs a number of packets", o->name);
		cli->count = n;
		break;
	}
	return -1;
}

/* Returns -1 when parsing succeeded, else the exit code. */
static int
parse_args(int argc, char **argv, struct sl_cli *cli)
{
	if (argc < 2)
		return usage_error("%s", "missing command");
	const char *cmd = argv[1];
	if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help")) {
		help_general(stdout);
		return SL_EXIT_OK;
	}
	if (!strcmp(cmd, "--version")) {
		printf("sipladder %s\n", SL_VERSION);
		return SL_EXIT_OK;
	}
	if (!strcmp(cmd, "help")) {
		if (argc < 3) {
			help_general(stdout);
			return SL_EXIT_OK;
		}
		int c = command_of(argv[2]);
		if (c < 0)
			return usage_error("unknown command '%s'", argv[2]);
		help_command(stdout, (size_t)c);
		return SL_EXIT_OK;
	}
	int c = command_of(cmd);
	if (c < 0)
		return usage_error("unknown command '%s'", cmd);
	cli->cmd = commands[c].cmd;
	int rtp_flag = -1, ascii_flag = -1;
	bool only_files = false;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		if (only_files || a[0] != '-' || !strcmp(a, "-")) {
			if (cli->n_files < SL_CLI_MAX_FILES)
				cli->files[cli->n_files++] = a;
			else
				return usage_error("more than %s files", SL_CLI_MAX_FILES_STR);
			continue;
		}
		if (!strcmp(a, "--")) {
			only_files = true;
			continue;
		}
		const char *v;
		const struct sl_opt *o;
		char err[SL_ERRBUF_SIZE];
		enum sl_opt_status st = sl_opt_match(opts, N_OF(opts), argc, argv, &i, &o, &v, err);
		if (st == SL_OPT_NEEDS_VALUE) {
			if (o->id == O_CALL)
				return usage_error("%s needs a call number, R<n> or Call-ID", a);
			if (o->id == O_STYLE)
				return usage_error("%s needs sngrep or wireshark", a);
			if (o->id == O_WIDTH)
				return usage_error("%s needs a number of columns", a);
		}
		if (st != SL_OPT_OK)
			return usage_error("%s", err);
		int rc = apply(cli, (size_t)c, o, v, &rtp_flag, &ascii_flag);
		if (rc >= 0)
			return rc;
	}
	if (cli->cmd == SL_CMD_CAPTURE && cli->n_files)
		return usage_error("capture reads interfaces (-i), not files such as '%s'",
		    cli->files[0]);
	if (cli->cmd != SL_CMD_CAPTURE && cli->n_files == 0)
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
	sl_osip_init();
	return sl_cli_run(&cli);
}
