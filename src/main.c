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

/* The commands and, per option, which commands it serves: one table
 * drives parsing ("--opt VALUE" and "--opt=VALUE"), the general help and
 * each command's own help, so an option cannot be parsed but missing
 * from the help. */
enum { C_LADDER = 1, C_CALLS = 2, C_RTP = 4, C_ALL = 7 };

static const struct {
	const char *name;
	enum sl_cmd cmd;
	unsigned bit;
	const char *what;
} commands[] = {
	{ "ladder", SL_CMD_LADDER, C_LADDER, "call flows (default style sngrep, or --style wireshark)" },
	{ "calls", SL_CMD_CALLS, C_CALLS, "one line per call, registration and dialog" },
	{ "rtp", SL_CMD_RTP, C_RTP, "one line per RTP stream (tshark -z rtp,streams columns)" },
};

enum opt_id {
	O_JSON, O_CALL, O_STYLE, O_RTP, O_NO_RTP, O_NO_MERGE, O_WIDTH, O_ASCII, O_UTF8,
	O_DELTA, O_RTP_PORT, O_QUIET, O_HELP,
};

static const struct opt {
	const char *name, *alias;	/* alias: a short form, or NULL */
	const char *arg;		/* value name, NULL: a flag */
	unsigned cmds;			/* commands it serves (help) */
	enum opt_id id;
	const char *help[3];		/* lines of help */
} opts[] = {
	{ "--json", NULL, NULL, C_ALL, O_JSON,
	    { "JSON Lines (schema: reports/JSON.md) instead of text;",
	      "rtp: one object per stream" } },
	{ "--call", NULL, "SEL", C_ALL, O_CALL,
	    { "only these calls: a call number N, a registration R<n> or a",
	      "Call-ID; repeat --call or give a list: --call 1,3,R2" } },
	{ "--style", NULL, "S", C_LADDER, O_STYLE, { "ladder style: sngrep (default) or wireshark" } },
	{ "--rtp", NULL, NULL, C_LADDER, O_RTP,
	    { "ladder rows for RTP streams (wireshark style: on)" } },
	{ "--no-rtp", NULL, NULL, C_LADDER, O_NO_RTP, { "no ladder rows for RTP streams" } },
	{ "--no-merge", NULL, NULL, C_ALL, O_NO_MERGE, { "do not join B2BUA legs into one call" } },
	{ "--width", NULL, "N", C_LADDER, O_WIDTH,
	    { "ladder width in columns (default $COLUMNS or 120)" } },
	{ "--ascii", NULL, NULL, C_LADDER, O_ASCII,
	    { "ASCII drawing characters (default: from the locale)" } },
	{ "--utf8", NULL, NULL, C_LADDER, O_UTF8, { "UTF-8 box drawing characters" } },
	{ "--delta", NULL, NULL, C_LADDER, O_DELTA, { "ladder times since the previous row" } },
	{ "--rtp-port", NULL, "P", C_ALL, O_RTP_PORT,
	    { "treat UDP port P as media even without SDP (repeatable)" } },
	{ "--quiet", "-q", NULL, C_ALL, O_QUIET, { "no summary line on stderr" } },
	{ "--help", "-h", NULL, C_ALL, O_HELP, { "this text" } },
};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

static void
help_options(FILE *f, unsigned bit)
{
	for (size_t i = 0; i < N_OF(opts); i++) {
		const struct opt *o = &opts[i];
		if (!(o->cmds & bit))
			continue;
		char head[40];
		snprintf(head, sizeof(head), "%s%s%s%s%s", o->alias ? o->alias : "",
		    o->alias ? ", " : "", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
		fprintf(f, "  %-19s%s\n", head, o->help[0]);
		for (size_t k = 1; k < N_OF(o->help) && o->help[k]; k++)
			fprintf(f, "  %-19s%s\n", "", o->help[k]);
	}
}

static const char exit_text[] =
    "exit codes: 0 ok, 1 run failed or a --call matched nothing, 2 usage,\n"
    "  3 a capture could not be read (the others are analysed first)\n";

static void
help_general(FILE *f)
{
	fputs("usage: sipladder <command> [options] FILE... ('-' reads stdin)\n"
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
	fprintf(f, "usage: sipladder %s [options] FILE... ('-' reads stdin)\n%s\noptions:\n",
	    commands[c].name, commands[c].what);
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

/* The table row of argument a ("--name", "--name=value" or an alias),
 * or NULL; *value points after '=' when there is one. */
static const struct opt *
option_of(const char *a, const char **value)
{
	const char *eq = strncmp(a, "--", 2) == 0 ? strchr(a, '=') : NULL;
	size_t n = eq ? (size_t)(eq - a) : strlen(a);

	*value = eq ? eq + 1 : NULL;
	for (size_t i = 0; i < N_OF(opts); i++) {
		const struct opt *o = &opts[i];
		if ((strlen(o->name) == n && strncmp(o->name, a, n) == 0) ||
		    (o->alias && !eq && strcmp(o->alias, a) == 0))
			return o;
	}
	return NULL;
}

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
apply(struct sl_cli *cli, size_t cmd, const struct opt *o, const char *v, int *rtp_flag,
    int *ascii_flag)
{
	uint32_t n;

	switch (o->id) {
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
		const struct opt *o = option_of(a, &v);
		if (o == NULL)
			return usage_error("unknown option '%s'", a);
		if (o->arg == NULL && v != NULL)
			return usage_error("%s takes no value", o->name);
		if (o->arg != NULL && v == NULL) {
			if (i + 1 >= argc) {
				if (o->id == O_CALL)
					return usage_error("%s needs a call number, R<n> or Call-ID", a);
				if (o->id == O_STYLE)
					return usage_error("%s needs sngrep or wireshark", a);
				if (o->id == O_WIDTH)
					return usage_error("%s needs a number of columns", a);
				return usage_error("%s needs a value", a);
			}
			v = argv[++i];
		}
		int rc = apply(cli, (size_t)c, o, v, &rtp_flag, &ascii_flag);
		if (rc >= 0)
			return rc;
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
	sl_osip_init();
	return sl_cli_run(&cli);
}
