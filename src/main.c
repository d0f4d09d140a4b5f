/* main.c: the sipladder command line. Parses options, runs the command
 * and turns errors into the documented exit codes:
 *   0 ok, 1 run failed or a --call matched nothing, 2 usage (bad SQL and
 *   search filters included), 3 a capture could not be read (the
 *   readable ones are analysed first), 4 a database error. */
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
 * each command's own help, and refuses an option its command does not
 * take, so an option cannot be parsed but missing from the help. The db
 * subcommands have bits of their own: each takes its own options. */
enum {
	C_LADDER = 1, C_CALLS = 2, C_RTP = 4, C_CAPTURE = 8, C_READ = 16,
	D_LIST = 32, D_SEARCH = 64, D_PRUNE = 128, D_VACUUM = 256, D_CHECK = 512, D_SQL = 1024,
	C_EXPORT = 2048,
};
#define C_DB (D_LIST | D_SEARCH | D_PRUNE | D_VACUUM | D_CHECK | D_SQL)
#define C_ALL (C_LADDER | C_CALLS | C_RTP | C_CAPTURE | C_READ | C_DB | C_EXPORT)
/* options about reading capture files, about showing ladders, about
 * showing calls, and about analysing */
#define C_FILES (C_LADDER | C_CALLS | C_RTP)
#define C_LADDERS (C_LADDER | C_CAPTURE)
#define C_SHOW (C_FILES | C_CAPTURE)
#define C_ANALYSE (C_SHOW | C_READ | C_EXPORT)

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
	    "live capture: ladders as calls end, stored (root or CAP_NET_RAW)" },
	{ "read", SL_CMD_READ, C_READ, "store the calls of capture files in the database" },
	{ "export", SL_CMD_EXPORT, C_EXPORT,
	    "one pcap with every frame of the --call calls (SIP, RTP, RTCP, ICMP)" },
	{ "db", SL_CMD_DB, C_DB, "the database: list, search, prune, vacuum, check, sql" },
};

static const struct {
	const char *name;
	enum sl_db_cmd cmd;
	unsigned bit;
	const char *what[2];
} db_commands[] = {
	{ "list", SL_DB_LIST, D_LIST,
	    { "the stored captures: source, start, end, packets, drops, calls" } },
	{ "search", SL_DB_SEARCH, D_SEARCH,
	    { "the stored calls that match every filter given, as the calls",
	      "table (or --json)" } },
	{ "prune", SL_DB_PRUNE, D_PRUNE,
	    { "delete the oldest calls past --max-calls, --max-age, --max-db-size" } },
	{ "vacuum", SL_DB_VACUUM, D_VACUUM, { "rebuild the file compactly" } },
	{ "check", SL_DB_CHECK, D_CHECK, { "check the file's integrity" } },
	{ "sql", SL_DB_SQL, D_SQL,
	    { "sql \"SELECT ...\": read-only SQL (tables: src/store/SCHEMA.md); rows",
	      "as TSV with a header line, or --json" } },
};

enum opt_id {
	O_JSON, O_CALL, O_STYLE, O_RTP, O_NO_RTP, O_NO_MERGE, O_WIDTH, O_ASCII, O_UTF8,
	O_DELTA, O_RTP_PORT, O_QUIET, O_HELP, O_IFACE, O_FILTER, O_SNAPLEN, O_WRITE,
	O_DURATION, O_COUNT, O_PROMISC, O_DB, O_NO_DB, O_CAPTURE, O_MAX_CALLS, O_MAX_AGE,
	O_MAX_SIZE, O_USER, O_NUMBER, O_CALL_ID, O_SINCE, O_UNTIL, O_STATE, O_AUTH_FAILED,
	O_MEDIA_PROBLEMS, O_DEDUP, O_DEDUP_WINDOW,
};

static const struct sl_opt opts[] = {
	{ "--json", NULL, NULL,
	    { "JSON Lines (schema: reports/JSON.md) instead of text;",
	      "rtp: one object per stream; db sql: one object per row" }, O_JSON,
	    C_SHOW | D_SEARCH | D_SQL },
	{ "--call", NULL, "SEL",
	    { "only these calls: a call number N, a registration R<n> or a",
	      "Call-ID; repeat --call or give a list: --call 1,3,R2" }, O_CALL,
	    C_SHOW | C_EXPORT },
	{ "--db", NULL, "DB",
	    { "the database (default $SIPLADDER_DB, else",
	      "${XDG_DATA_HOME:-~/.local/share}/sipladder/sipladder.db);",
	      "ladder, calls, rtp: with no FILE, show its calls; with",
	      "FILEs, store their calls there too" }, O_DB,
	    C_ALL & ~C_EXPORT },
	{ "--capture", NULL, "ID",
	    { "only the calls of stored capture ID (sipladder db list)" }, O_CAPTURE,
	    C_FILES | D_SEARCH },
	{ "--no-db", NULL, NULL, { "store nothing (default: into the database)" }, O_NO_DB,
	    C_CAPTURE },
	{ "--max-calls", NULL, "N",
	    { "keep the newest N calls, delete older ones (read: after the",
	      "import; capture: every minute and at the end)" }, O_MAX_CALLS,
	    C_CAPTURE | C_READ | D_PRUNE },
	{ "--max-age", NULL, "S",
	    { "delete calls that started more than S seconds ago" }, O_MAX_AGE,
	    C_CAPTURE | C_READ | D_PRUNE },
	{ "--max-db-size", NULL, "MB",
	    { "delete the oldest calls until the file is at most MB MiB" }, O_MAX_SIZE,
	    C_CAPTURE | C_READ | D_PRUNE },
	{ "--user", NULL, "U",
	    { "a From, To, auth or registered user (GLOB: * ? [...])" },
	    O_USER, D_SEARCH },
	{ "--number", NULL, "N",
	    { "a From or To user, with or without a leading + (GLOB)" }, O_NUMBER, D_SEARCH },
	{ "--call-id", NULL, "C", { "a leg's Call-ID, exactly" }, O_CALL_ID, D_SEARCH },
	{ "--since", NULL, "T",
	    { "calls active at or after T: ISO 8601 UTC",
	      "(2026-12-07T10:00:00Z, 2026-12-07) or seconds since 1970" }, O_SINCE,
	    D_SEARCH },
	{ "--until", NULL, "T", { "calls that started before T" }, O_UNTIL, D_SEARCH },
	{ "--state", NULL, "S",
	    { "completed, answered, ringing, setup, cancelled,",
	      "rejected, auth_failed, bye_unanswered, registered,",
	      "unregistered, reg_failed, other" }, O_STATE, D_SEARCH },
	{ "--auth-failed", NULL, NULL,
	    { "calls with a request that never got past its challenge" }, O_AUTH_FAILED,
	    D_SEARCH },
	{ "--media-problems", NULL, NULL,
	    { "calls with loss, sequence errors, media after BYE or ICMP" },
	    O_MEDIA_PROBLEMS, D_SEARCH },
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
	{ "--write", "-w", "FILE",
	    { "capture: also write every captured packet to FILE (pcap);",
	      "export: the pcap to write" }, O_WRITE, C_CAPTURE | C_EXPORT },
	{ "--duration", NULL, "S", { "stop after S seconds" }, O_DURATION, C_CAPTURE },
	{ "--count", "-c", "N", { "stop after N packets" }, O_COUNT, C_CAPTURE },
	{ "--style", NULL, "S", { "ladder style: sngrep (default) or wireshark" }, O_STYLE,
	    C_LADDERS },
	{ "--rtp", NULL, NULL, { "ladder rows for RTP streams (wireshark style: on)" }, O_RTP,
	    C_LADDERS },
	{ "--no-rtp", NULL, NULL, { "no ladder rows for RTP streams" }, O_NO_RTP, C_LADDERS },
	{ "--no-merge", NULL, NULL, { "do not join B2BUA legs into one call" }, O_NO_MERGE,
	    C_ANALYSE },
	{ "--width", NULL, "N", { "ladder width in columns (default $COLUMNS or 120)" },
	    O_WIDTH, C_LADDERS },
	{ "--ascii", NULL, NULL, { "ASCII drawing characters (default: from the locale)" },
	    O_ASCII, C_LADDERS },
	{ "--utf8", NULL, NULL, { "UTF-8 box drawing characters" }, O_UTF8, C_LADDERS },
	{ "--delta", NULL, NULL, { "ladder times since the previous row" }, O_DELTA, C_LADDERS },
	{ "--rtp-port", NULL, "P",
	    { "treat UDP port P as media even without SDP (repeatable)" }, O_RTP_PORT,
	    C_ANALYSE },
	{ "--dedup", NULL, NULL,
	    { "remove packets seen twice (the same IP packet within",
	      "--dedup-window: capture points merged), as editcap -d" }, O_DEDUP,
	    C_ANALYSE },
	{ "--dedup-window", NULL, "MS",
	    { "how close in time two copies are: 1 to 499 ms",
	      "(default 100; SIP resends the same bytes at 500 ms)" }, O_DEDUP_WINDOW,
	    C_ANALYSE },
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
    "exit codes: 0 ok, 1 run failed or a --call matched nothing, 2 usage (bad SQL\n"
    "  and search filters too), 3 a capture could not be read (the others are\n"
    "  analysed first), or an interface could not be opened (missing, or capture\n"
    "  not permitted), 4 database error (missing, not a sipladder database,\n"
    "  newer schema, locked, read-only, disk full: one line names the file)\n";

static void
help_general(FILE *f)
{
	fputs("usage: sipladder <command> [options] FILE... ('-' reads stdin)\n"
	    "       sipladder ladder|calls|rtp [options]   (no FILE: the stored calls)\n"
	    "       sipladder capture [-i IFACE]... [options]\n"
	    "       sipladder export --call SEL... [options] FILE... -w OUT.pcap\n"
	    "       sipladder db list|search|prune|vacuum|check|sql [options]\n"
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
	switch (commands[c].cmd) {
	case SL_CMD_CAPTURE:
		fprintf(f, "usage: sipladder capture [-i IFACE]... [options]\n%s\n"
		    "Stops on SIGINT or SIGTERM, --duration or --count: calls still open are\n"
		    "shown then, marked as such. Calls are stored as they end (committed each\n"
		    "second) unless --no-db.\noptions:\n", commands[c].what);
		break;
	case SL_CMD_READ:
		fprintf(f, "usage: sipladder read [options] FILE... ('-' reads stdin)\n%s\n"
		    "The files are analysed together, as one capture; a call stored before\n"
		    "is not stored again.\noptions:\n", commands[c].what);
		break;
	case SL_CMD_EXPORT:
		fprintf(f, "usage: sipladder export --call SEL... [options] FILE... -w OUT.pcap\n"
		    "%s\n"
		    "The calls' SIP messages, RTP, RTCP and ICMP errors, several calls into one\n"
		    "file in capture order, each frame as captured (nanosecond pcap). The files\n"
		    "are read twice: no stdin.\noptions:\n", commands[c].what);
		break;
	case SL_CMD_DB:
		fprintf(f, "usage: sipladder db list|search|prune|vacuum|check|sql [options]\n"
		    "%s\n", commands[c].what);
		for (size_t i = 0; i < N_OF(db_commands); i++)
			for (size_t l = 0; l < 2 && db_commands[i].what[l]; l++)
				fprintf(f, "  %-9s%s\n", l ? "" : db_commands[i].name,
				    db_commands[i].what[l]);
		fputs("options (search: every filter given must hold):\n", f);
		break;
	default:
		fprintf(f, "usage: sipladder %s [options] FILE... ('-' reads stdin)\n"
		    "       sipladder %s [options]   (no FILE: the stored calls)\n%s\n"
		    "options:\n", commands[c].name, commands[c].name, commands[c].what);
		break;
	}
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
parse_u64(const char *s, uint64_t max, uint64_t *out)
{
	return sl_str_u64(sl_str_c(s), max, out) && *out > 0;
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
	uint64_t u;
	int64_t ts;

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
	case O_DB:
		if (v[0] == '\0')
			return usage_error("%s needs a file name", o->name);
		cli->db = v;
		break;
	case O_NO_DB:
		cli->no_db = true;
		break;
	case O_CAPTURE:
		if (!parse_u64(v, INT64_MAX, &u))
			return usage_error("%s needs a capture number (sipladder db list)", o->name);
		cli->capture_id = (int64_t)u;
		break;
	case O_MAX_CALLS:
		if (!parse_u64(v, INT64_MAX, &u))
			return usage_error("%s needs a number of calls", o->name);
		cli->max_calls = u;
		break;
	case O_MAX_AGE:
		if (!parse_u64(v, 1000ull * 366 * 86400, &u))
			return usage_error("%s needs a number of seconds", o->name);
		cli->max_age_s = u;
		break;
	case O_MAX_SIZE:
		/* MiB, so that the bytes still fit a signed 64-bit size */
		if (!parse_u64(v, (uint64_t)INT64_MAX >> 20, &u))
			return usage_error("%s needs a size in MiB", o->name);
		cli->max_bytes = u << 20;
		break;
	case O_USER:
		cli->search.user = v;
		break;
	case O_NUMBER:
		cli->search.number = v;
		break;
	case O_CALL_ID:
		cli->search.call_id = v;
		break;
	case O_SINCE:
	case O_UNTIL:
		if (!sl_cli_parse_time(v, &ts))
			return usage_error("%s needs a time: ISO 8601 UTC (2026-12-07T10:00:00Z, "
			    "2026-12-07) or seconds since 1970", o->name);
		*(o->id == O_SINCE ? &cli->search.since_ts : &cli->search.until_ts) = ts;
		break;
	case O_STATE:
		/* the store knows the states: an unknown one is its usage error */
		cli->search.state = v;
		break;
	case O_AUTH_FAILED:
		cli->search.auth_failed = true;
		break;
	case O_MEDIA_PROBLEMS:
		cli->search.media_problems = true;
		break;
	case O_DEDUP:
		cli->run.dedup = true;
		break;
	case O_DEDUP_WINDOW:
		/* at T1 (500 ms) a SIP retransmission would pass for a copy */
		if (!parse_uint(v, 499, &n) || n == 0)
			return usage_error("%s needs 1 to 499 ms (SIP resends the same bytes "
			    "after 500 ms)", o->name);
		cli->run.dedup_window_ns = (int64_t)n * 1000000;
		break;
	}
	return -1;
}

static int
db_command_of(const char *name)
{
	for (size_t i = 0; i < N_OF(db_commands); i++)
		if (strcmp(db_commands[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* The db subcommand and its SQL from the operands; its bit, or 0 after
 * a usage error (*rc set). */
static unsigned
db_operands(struct sl_cli *cli, int *rc)
{
	if (cli->n_files == 0) {
		*rc = usage_error("%s", "db needs a subcommand: list, search, prune, vacuum, "
		    "check or sql");
		return 0;
	}
	int d = db_command_of(cli->files[0]);
	if (d < 0) {
		*rc = usage_error("unknown db subcommand '%s' (list, search, prune, vacuum, "
		    "check, sql)", cli->files[0]);
		return 0;
	}
	cli->db_cmd = db_commands[d].cmd;
	size_t want = 1;
	if (cli->db_cmd == SL_DB_SQL) {
		if (cli->n_files < 2) {
			*rc = usage_error("%s", "db sql needs a query: db sql \"SELECT ...\"");
			return 0;
		}
		cli->sql = cli->files[1];
		want = 2;
	}
	if (cli->n_files > want) {
		*rc = usage_error("unexpected argument '%s'", cli->files[want]);
		return 0;
	}
	return db_commands[d].bit;
}

/* What a command's options and operands must agree on, once all are
 * known. Returns -1, or the exit code of the usage error. */
static int
check_args(struct sl_cli *cli, size_t c, const bool *seen)
{
	unsigned bit = commands[c].bit;
	const char *sub = "";
	int rc = -1;
	if (cli->cmd == SL_CMD_DB) {
		if ((bit = db_operands(cli, &rc)) == 0)
			return rc;
		sub = cli->files[0];
	}
	for (size_t i = 0; i < N_OF(opts); i++)
		if (seen[i] && !(opts[i].mask & bit)) {
			char msg[SL_ERRBUF_SIZE];
			snprintf(msg, sizeof msg, "%s%s%s takes no %s", commands[c].name, *sub ? " " : "",
			    sub, opts[i].name);
			return usage_error("%s", msg);
		}
	switch (cli->cmd) {
	case SL_CMD_CAPTURE:
		if (cli->n_files)
			return usage_error("capture reads interfaces (-i), not files such as '%s'",
			    cli->files[0]);
		if (cli->db && cli->no_db)
			return usage_error("%s", "--db and --no-db contradict each other");
		break;
	case SL_CMD_READ:
		if (cli->n_files == 0)
			return usage_error("%s", "no capture file given ('-' reads stdin)");
		break;
	case SL_CMD_EXPORT:
		if (cli->n_files == 0)
			return usage_error("%s", "no capture file given");
		for (size_t i = 0; i < cli->n_files; i++)
			if (!strcmp(cli->files[i], "-"))
				return usage_error("%s", "export reads its captures twice: not from "
				    "stdin ('-')");
		if (cli->n_sel == 0)
			return usage_error("%s", "export needs --call: which calls to write");
		if (cli->write == NULL)
			return usage_error("%s", "export needs -w FILE: the pcap to write");
		break;
	case SL_CMD_DB:
		if (cli->db_cmd == SL_DB_PRUNE && !cli->max_calls && !cli->max_age_s &&
		    !cli->max_bytes)
			return usage_error("%s", "db prune needs --max-calls, --max-age or "
			    "--max-db-size");
		break;
	default:
		/* stored calls were analysed when they were stored: what only
		 * steers the analysis (C_ANALYSE alone) has nothing to act on */
		for (size_t i = 0; cli->n_files == 0 && i < N_OF(opts); i++)
			if (seen[i] && opts[i].mask == C_ANALYSE)
				return usage_error("%s steers the analysis of capture files; stored "
				    "calls were analysed when they were stored", opts[i].name);
		if (cli->n_files && cli->capture_id)
			return usage_error("%s", "--capture picks stored calls: not with capture files");
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
	bool seen[N_OF(opts)] = { false };
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
		seen[o - opts] = true;
		int rc = apply(cli, (size_t)c, o, v, &rtp_flag, &ascii_flag);
		if (rc >= 0)
			return rc;
	}
	int rc = check_args(cli, (size_t)c, seen);
	if (rc >= 0)
		return rc;
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
	sl_store_filter_init(&cli.search);
	cli.rep.width = 0;
	int rc = parse_args(argc, argv, &cli);
	if (rc >= 0)
		return rc;
	/* libosip2 is set up by each frame decoder (engine/framedec.c) */
	return sl_cli_run(&cli);
}
