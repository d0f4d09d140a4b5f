/* cli.h: what the command line asked for, and the run that serves it. */
#ifndef SL_CLI_H
#define SL_CLI_H

#include <stdatomic.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdint.h>

#include "engine/pipeline.h"
#include "reports/report.h"
#include "store/store.h"

#define SL_CLI_MAX_FILES 256
#define SL_CLI_MAX_FILES_STR "256"
#define SL_CLI_MAX_PORTS 64
#define SL_CLI_MAX_SELS 64
#define SL_CLI_MAX_IFACES 16
#define SL_CLI_PATH_MAX 4096

enum sl_exit {
	SL_EXIT_OK = 0,
	SL_EXIT_FAIL = 1,	/* run failed, or --call matched nothing */
	SL_EXIT_USAGE = 2,	/* also bad SQL and bad search filters */
	SL_EXIT_INPUT = 3,	/* a capture could not be opened (the others
				 * are still analysed), or an interface */
	SL_EXIT_DB = 4,		/* the database: missing, not one, newer
				 * schema, locked, read-only, full, damaged */
};

enum sl_cmd {
	SL_CMD_LADDER = 0, SL_CMD_CALLS, SL_CMD_RTP, SL_CMD_CAPTURE, SL_CMD_READ, SL_CMD_DB,
	SL_CMD_EXPORT,
};

enum sl_db_cmd { SL_DB_LIST = 0, SL_DB_SEARCH, SL_DB_PRUNE, SL_DB_VACUUM, SL_DB_CHECK, SL_DB_SQL };

struct sl_cli {
	enum sl_cmd cmd;
	bool json;
	bool quiet;
	/* --call, repeatable, each a comma-separated list: call index,
	 * R<n> registration, or Call-ID of any leg; none: all calls */
	struct sl_str sel[SL_CLI_MAX_SELS];
	bool sel_hit[SL_CLI_MAX_SELS];	/* matched at least one call */
	size_t n_sel;
	/* operands: capture files; for db, the subcommand and its SQL */
	const char *files[SL_CLI_MAX_FILES];
	size_t n_files;
	uint16_t rtp_ports[SL_CLI_MAX_PORTS];
	size_t n_rtp_ports;
	struct sl_run_opts run;
	struct sl_report_opts rep;
	/* capture */
	const char *ifaces[SL_CLI_MAX_IFACES];	/* none: "any" */
	size_t n_ifaces;
	const char *filter;		/* NULL: SL_LIVE_FILTER */
	int snaplen;
	bool promisc;
	const char *write;		/* -w FILE: capture's copy, export's output */
	uint32_t duration_s;		/* 0: until a signal */
	uint32_t count;			/* packets; 0: no limit */
	/* the database */
	const char *db;			/* --db; NULL: the default (sl_cli_db_path) */
	bool no_db;			/* capture --no-db */
	int64_t capture_id;		/* --capture; 0: every capture */
	uint64_t max_calls;		/* --max-calls; 0: no limit */
	uint64_t max_age_s;		/* --max-age */
	uint64_t max_bytes;		/* --max-db-size, in bytes */
	enum sl_db_cmd db_cmd;
	const char *sql;		/* db sql */
	struct sl_store_filter search;	/* db search */
};

/* Runs the command; returns the exit code. */
int sl_cli_run(struct sl_cli *cli);

/* cli_capture.c: opens the interfaces (-1, or the exit code with the
 * reason printed), and runs the engine on them until a signal, the
 * duration or the count; then finishes the engine. round (may be NULL)
 * runs after every step of the loop (sl_pump.round). */
int sl_cli_capture_open(struct sl_cli *cli, struct sl_input **in /* OUT */);
enum sl_err sl_cli_capture_run(struct sl_cli *cli, struct sl_input *in,
    struct sl_engine *eng, enum sl_err (*round)(void *user), void *round_user);

/* ----- cli_out.c: the command's output, the same whether calls come
 * from the engine or from the database ----- */

struct sl_export_plan;

struct sl_cli_out {
	struct sl_cli *cli;
	enum sl_cmd as;			/* ladder, calls or rtp: what to print;
					 * export: the plan alone */
	bool silent;			/* count only (read) */
	struct sl_buf buf;
	uint64_t shown;
	uint64_t calls, regs;		/* handed in, as the summary line counts them */
	struct sl_report_table *table;	/* calls and rtp without --json */
	struct sl_export_plan *plan;	/* export: what identifies the calls' frames */
};

/* SL_OK or SL_ENOMEM. */
enum sl_err sl_cli_out_init(struct sl_cli_out *o, struct sl_cli *cli, enum sl_cmd as,
    bool silent);
/* One call: counted, then printed (or kept for the table, or added to
 * export's plan) if --call selects it; ladders and JSON lines reach stdout at once. Times are
 * relative to cli->rep.base_ts_ns. */
enum sl_err sl_cli_out_call(struct sl_cli_out *o, const struct sl_call *call);
/* The table, then with --json and no --call the summary object of t
 * (NULL: none). */
enum sl_err sl_cli_out_end(struct sl_cli_out *o, const struct sl_store_totals *t);
void sl_cli_out_free(struct sl_cli_out *o);
/* The summary line on stderr ("# 668 frames: ..."). */
void sl_cli_summary(const struct sl_store_totals *t);
/* What a --call item names: a registration R<n> or a call number (*n),
 * else a Call-ID. */
enum sl_cli_sel { SL_CLI_SEL_REG, SL_CLI_SEL_NUM, SL_CLI_SEL_CALL_ID };
enum sl_cli_sel sl_cli_sel_kind(struct sl_str sel, uint32_t *n /* OUT */);
/* Names each --call item that matched nothing; true if one did not. */
bool sl_cli_unmatched(const struct sl_cli *cli);

/* ----- cli_store.c: where the database is, opening it, and a store
 * written during a run ----- */

/* --db, else $SIPLADDER_DB, else ${XDG_DATA_HOME:-$HOME/.local/share}/
 * sipladder/sipladder.db into out; false (message printed) when there
 * is none (no HOME) or it is too long. */
bool sl_cli_db_path(const struct sl_cli *cli, char out[SL_CLI_PATH_MAX]);

/* Opens the database: reading, or writing (create: make the file, and
 * the default path's directories with mode 0700; else it must exist).
 * A file that must exist and does not is one line, "no stored calls in
 * PATH". Returns -1, or the exit code with the reason printed. */
int sl_cli_db_open(const struct sl_cli *cli, enum sl_store_mode mode, bool create,
    struct sl_store **s /* OUT */, char path[SL_CLI_PATH_MAX] /* OUT */);

/* The exit code of a store function's failure e, its message printed
 * (one line naming the database): 4, 2 for bad SQL or a bad filter, 1
 * out of memory; 1 with e's text when the store recorded no error (the
 * output failed, not the store). */
int sl_cli_db_fail(const struct sl_store *s, enum sl_err e);

/* The retention limits asked for, as sl_store_prune takes them (--max-age
 * against the wall clock now); false when none was given. */
bool sl_cli_prune_limits(const struct sl_cli *cli, struct sl_store_prune *p /* OUT */);

/* "pruned: N calls, M captures (X -> Y bytes)" after prefix. */
void sl_cli_print_pruned(FILE *f, const char *prefix, const struct sl_store_pruned *r);

/* A store that a run writes into: its sink, ticks and pruning. */
struct sl_cli_store {
	struct sl_cli *cli;
	struct sl_store *s;
	struct sl_store_sink *k;
	char path[SL_CLI_PATH_MAX];
	struct sl_input *in;		/* live: its drop counters go into the record */
	_Atomic uint64_t drops;		/* read by the sink's writer thread */
	bool periodic;			/* prune during the run (capture), not only at the end */
	int64_t next_prune;		/* monotonic ns */
	struct sl_store_pruned pruned;	/* over the run */
	struct sl_buf source;		/* captures.source */
};

/* Opens the database for writing and makes the store sink in *sink.
 * Returns -1, or the exit code with the reason printed (then nothing is
 * left to free). */
int sl_cli_store_begin(struct sl_cli_store *cs, struct sl_cli *cli, struct sl_input *in,
    struct sl_sink *sink /* OUT */);
/* sl_pump.round: commits a batch that is due, refreshes the drop
 * counters and prunes when due. */
enum sl_err sl_cli_store_round(void *user);
/* After the engine is freed: the sink is freed, the limits applied, the
 * store closed; with run_ok, what was stored is reported (read on
 * stdout, others on stderr). Returns -1, or the exit code with the
 * reason printed. */
int sl_cli_store_end(struct sl_cli_store *cs, bool run_ok);

/* ----- cli_show.c: calls from the database ----- */

/* ladder, calls or rtp with no FILE: every stored call (or --capture's),
 * capture by capture, in start order, then the stored totals' summary.
 * Returns the exit code. */
int sl_cli_show(struct sl_cli *cli);
/* Every call f selects into o, each with its capture's time base. */
enum sl_err sl_cli_show_load(struct sl_store *s, const struct sl_store_filter *f,
    struct sl_cli_out *o);

/* ----- cli_export.c: sipladder export, whose first pass is the run of
 * cli_run.c with the plan as its output (struct sl_cli_out.plan) ----- */

/* The captures must be files, read again by the second pass: -1, or the
 * exit code with the reason printed. */
int sl_cli_export_check(struct sl_input *in);
/* The second pass, after a run that went well (st: its totals): writes
 * the plan's frames to -w's file and says so on stderr ("export: N frames
 * of K calls written to FILE"). Nothing is written when no call was
 * chosen. Returns -1, or the exit code with the reason printed. */
int sl_cli_export_write(struct sl_cli *cli, struct sl_export_plan *plan,
    const struct sl_run_stats *st);

/* ----- cli_db.c: sipladder db ----- */

int sl_cli_db(struct sl_cli *cli);

/* ----- cli_time.c ----- */

/* ISO 8601 UTC ("2026-12-07T10:00:00Z", "2026-12-07T10:00:00.250Z",
 * "2026-12-07") or seconds since 1970 ("1796637600") as ns since 1970. */
bool sl_cli_parse_time(const char *s, int64_t *ns /* OUT */);

#endif
