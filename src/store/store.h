/* store.h: the session store. Calls and the captures they came from
 * are kept in an SQLite file (the schema is a public interface:
 * src/store/SCHEMA.md), written by an engine sink in batched
 * transactions and read back as the very call model the correlator
 * built, so that every report renders from a database byte for byte as
 * from the capture. Only src/store/ includes <sqlite3.h>.
 *
 * Errors. Functions return SL_OK, SL_ENOMEM, SL_EUSAGE (a bad argument,
 * such as an unknown state name or a writing `db sql` statement) or SL_EDB.
 * After any error sl_store_error() tells which kind (enum
 * sl_store_code) and gives one line for the user that names the
 * database. A failed write rolls back the open batch: what earlier
 * commits stored is never touched, and the file stays consistent
 * (SQLite's journal; WAL mode).
 *
 * Durability. A writing store commits its batch when it is
 * batch_age_ns old (default 1 s, by the injected clock) or holds
 * batch_calls calls, at sl_store_commit and at close; each commit is
 * fsynced (synchronous=FULL), so a crash, kill -9 or power cut loses at
 * most the open batch. A live driver calls sl_store_tick each round, so
 * a quiet second still commits.
 *
 * Concurrency. Any number of readers and one writer (WAL). A writer
 * waits busy_timeout_ms for another writer, then fails with
 * SL_STORE_ELOCKED. A store is used by one thread, and by its sink's
 * writer thread while a sink lives (sl_store_sink_new). */
#ifndef SL_STORE_H
#define SL_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "model/model.h"

/* PRAGMA user_version of the files this program writes; it opens any
 * older one (migrating it when writing) and refuses newer ones. */
#define SL_STORE_SCHEMA 1
/* PRAGMA application_id of a sipladder database: "SLdb" */
#define SL_STORE_APP_ID 0x534c6462

enum sl_store_code {
	SL_STORE_OK = 0,
	SL_STORE_EOPEN,		/* cannot open: missing (reading), no permission, a directory */
	SL_STORE_ENOTDB,	/* not a sipladder database: not SQLite, or another program's */
	SL_STORE_ENEWER,	/* written by a newer sipladder (schema above SL_STORE_SCHEMA) */
	SL_STORE_ELOCKED,	/* another process kept it locked past the busy timeout */
	SL_STORE_EREADONLY,	/* writing refused: file, directory or medium read-only,
				 * or the store was opened for reading */
	SL_STORE_EFULL,		/* disk (or quota, or max_bytes) full */
	SL_STORE_ECORRUPT,	/* the file is damaged, or holds rows this program cannot read */
	SL_STORE_EIO,		/* the operating system reported an I/O error */
	SL_STORE_ENOMEM,
	SL_STORE_ESQL,		/* db sql: the statement is not valid SQL, or it would write */
	SL_STORE_EUSAGE,	/* a bad argument (unknown state name, ...) */
	SL_STORE_EINTERNAL,	/* any other SQLite error: a bug of ours */
};

struct sl_store_error {
	enum sl_store_code code;
	char msg[SL_ERRBUF_SIZE];	/* one line, no newline: "DB: why" */
};

/* Stable snake_case name of a code ("locked", "newer_schema", ...). */
const char *sl_store_code_name(enum sl_store_code c);

struct sl_store;

enum sl_store_mode {
	SL_STORE_READ = 0,	/* read-only connection: rendering, search, db sql */
	SL_STORE_WRITE,		/* creates the file and schema if needed, migrates */
};

struct sl_store_stats {
	uint64_t calls_written;		/* stored, committed or not */
	uint64_t calls_skipped;		/* already stored: not written again */
	uint64_t calls_committed;	/* of calls_written */
	uint64_t commits;
};

struct sl_store_opts {
	enum sl_store_mode mode;
	int busy_timeout_ms;		/* default 5000 */
	int64_t batch_age_ns;		/* default 1 s */
	unsigned batch_calls;		/* default 1000 */
	/* monotonic ns for batch ages; NULL: CLOCK_MONOTONIC */
	int64_t (*clock)(void *user);
	void *clock_user;
	/* wall clock ns (captures.imported_at); NULL: CLOCK_REALTIME */
	int64_t (*wall)(void *user);
	void *wall_user;
	/* the file may not grow past this: writes then fail as on a full
	 * disk (SL_STORE_EFULL); 0 none. Not retention: see sl_store_prune */
	uint64_t max_bytes;
	/* after each commit, with the totals so far (a live driver reports
	 * progress; the crash test learns what is durable) */
	void (*on_commit)(void *user, const struct sl_store_stats *st);
	void *commit_user;
};

void sl_store_opts_default(struct sl_store_opts *o /* OUT */);

/* Opens path. Writing: creates it (and its schema) when missing or
 * empty, migrates an older schema, turns on WAL. Reading: the file must
 * exist. On failure *out is NULL, err says why, and the file is as it
 * was. Returns SL_OK, SL_ENOMEM or SL_EDB. */
enum sl_err sl_store_open(struct sl_store **out /* OUT */, const char *path,
    const struct sl_store_opts *o, struct sl_store_error *err /* OUT */);

/* Commits the open batch (if any) and closes. Returns the commit's error;
 * the store is freed either way. NULL is fine. */
enum sl_err sl_store_close(struct sl_store *s);

/* The last error (code SL_STORE_OK when none). Valid until the next call
 * on s. */
const struct sl_store_error *sl_store_error(const struct sl_store *s);

/* Counters so far; while a sink's writer thread runs, exact only after
 * sl_store_sink_flush (or from on_commit). */
const struct sl_store_stats *sl_store_stats(const struct sl_store *s);

/* ----- captures (write.c) ----- */

struct sl_store_capture_info {
	const char *source;		/* the capture files as given, or the interfaces */
	const char *interfaces;		/* live capture: interface names; NULL for files */
	const char *filter;		/* capture filter; NULL none */
};

/* A named count of frames not analysed (the engine's sl_run_count). */
struct sl_store_count {
	const char *id;			/* stable snake_case (JSON) */
	const char *name;		/* for people (text summary) */
	uint64_t count;
};

/* What a run saw: everything the closing summary line (text and JSON)
 * prints, so it can be printed again from the database. */
struct sl_store_totals {
	bool have_start;
	int64_t start_ts;		/* first frame: time zero of the renderings */
	int64_t end_ts;			/* last call activity seen; 0 none */
	uint64_t frames;
	uint64_t drops;			/* live: dropped by kernel or interface */
	uint64_t sip_messages;
	uint64_t sip_retrans;
	uint64_t rtp_packets;
	uint64_t rtcp_packets;
	uint64_t icmp_attributed;
	uint64_t icmp_unattributed;
	uint64_t anomalies;
	uint64_t calls;			/* INVITE calls and other dialogs emitted */
	uint64_t registrations;
	uint64_t out_of_order;		/* calls emitted out of start order */
	uint64_t calls_stored;
	uint64_t calls_skipped;		/* already in the database */
	const struct sl_store_count *skipped;	/* biggest first */
	size_t n_skipped;
};

struct sl_run_stats;

/* The totals an engine run's stats give (sl_engine_stats), skip counts
 * into sk (up to n_sk, biggest first); what the engine does not count
 * (calls, registrations, end_ts, drops, calls_stored, calls_skipped) is
 * left 0 for the caller. One mapping, so the sink's record and the
 * command line's summary line cannot disagree. */
void sl_store_totals_of_run(struct sl_store_totals *t /* OUT */, struct sl_store_count *sk,
    size_t n_sk, const struct sl_run_stats *st);

/* Starts a capture's record (committed with the next batch); *id is its
 * captures.id. */
enum sl_err sl_store_capture_begin(struct sl_store *s, const struct sl_store_capture_info *ci,
    int64_t *id /* OUT */);

/* Records how far capture id got, in the open batch; finished: the run
 * ended normally (else the record says it is running or was cut off). */
enum sl_err sl_store_capture_update(struct sl_store *s, int64_t id,
    const struct sl_store_totals *t, bool finished);

/* ----- calls (write.c) ----- */

/* Writes one finished call of capture `capture` into the open batch
 * (opening one), then commits if the batch is due. A call already
 * stored, in any capture (same Call-IDs in leg order, same first packet
 * time), is not written again: *skipped tells. The call is only read. */
enum sl_err sl_store_write_call(struct sl_store *s, int64_t capture,
    const struct sl_call *call, bool *skipped /* OUT */);

/* Commits the open batch if it is batch_age_ns old (cheap otherwise). */
enum sl_err sl_store_tick(struct sl_store *s);

/* Commits the open batch now, if there is one, with every call handed to
 * a sink before (it waits for the writer thread). */
enum sl_err sl_store_commit(struct sl_store *s);

/* ----- the engine sink (sink.c) ----- */

struct sl_sink;
struct sl_store_sink;

struct sl_store_sink_opts {
	struct sl_store_capture_info capture;
	/* live: packets dropped so far (pcap_stats); NULL for files. Called
	 * at each commit, from the writer thread. */
	uint64_t (*drops)(void *user);
	void *drops_user;
	/* write in the engine's thread, no writer thread (single core,
	 * debugging) */
	bool same_thread;
};

/* A sink storing every call the engine emits as one capture of s: the
 * capture record is created here, kept current at each commit and
 * completed (finished, final totals) by the sink's end, which also
 * commits. *sink is filled for sl_engine_new; it uses k, which must
 * outlive the engine. One sink per store at a time.
 *
 * Each call is taken over from the engine (take()) and written by a
 * writer thread of the sink, so the analysis does not wait for SQLite;
 * at most 256 calls wait for it (then the engine does). A write error stops the writer and
 * comes back from the next call() or end(). While the sink lives, every
 * store function may be called from the engine's thread (they take the
 * store's lock); the store's on_commit and the sink's drops callbacks
 * run on the writer thread. sl_store_commit waits for the calls handed
 * over so far, so it makes them durable. */
enum sl_err sl_store_sink_new(struct sl_store *s, const struct sl_store_sink_opts *o,
    struct sl_store_sink **k /* OUT */, struct sl_sink *sink /* OUT */);

/* Waits until every call handed to the sink is in the open batch; the
 * writer's error if it failed. */
enum sl_err sl_store_sink_flush(struct sl_store_sink *k);

/* captures.id of the sink's capture. */
int64_t sl_store_sink_capture(const struct sl_store_sink *k);
/* Calls of this capture stored, and skipped as already stored, so far
 * (exact after end or sl_store_sink_flush). */
void sl_store_sink_counts(struct sl_store_sink *k, uint64_t *stored /* OUT */,
    uint64_t *skipped /* OUT */);

/* Writes what is still queued (unless the writer failed), stops the
 * writer and detaches from the store; NULL is fine. Before
 * sl_store_close. */
/* Detaches from the store; NULL is fine. */
void sl_store_sink_free(struct sl_store_sink *k);

/* ----- reading back: the loader and search (load.c, search.c) ----- */

/* Which calls. Every criterion set must hold. */
struct sl_store_filter {
	int64_t capture;		/* captures.id; 0 any */
	uint32_t index;			/* the call's number within its capture; 0 any */
	int kind;			/* enum sl_call_kind; -1 any */
	const char *call_id;		/* some leg's Call-ID, exactly */
	/* a user: some leg's From or To user, an authentication user, a
	 * registered user; GLOB pattern (case-sensitive, * ? [...]) */
	const char *user;
	/* a number: some leg's From or To user, ignoring one leading '+'
	 * on either side; GLOB pattern */
	const char *number;
	int64_t since_ts;		/* active at or after (last packet >=); 0 open */
	int64_t until_ts;		/* started before; 0 open */
	const char *state;		/* sl_call_state_name; NULL any */
	bool auth_failed;		/* some request never got past its challenge */
	bool media_problems;		/* loss, sequence errors, media after BYE, ICMP */
	uint64_t limit;			/* at most this many; 0 all */
};

/* No criterion: every call. */
void sl_store_filter_init(struct sl_store_filter *f /* OUT */);

/* Where a loaded call comes from. */
struct sl_store_call_ref {
	int64_t id;			/* calls.id */
	int64_t capture;		/* captures.id */
	int64_t base_ts;		/* the capture's first frame: opts.base_ts_ns of
					 * the renderings */
};

/* Receives each loaded call; it may change the call (the loader frees
 * it after the return). A non-OK return stops the load and is returned. */
typedef enum sl_err (*sl_store_call_fn)(void *user, struct sl_call *call,
    const struct sl_store_call_ref *ref);

/* Rebuilds each call f selects (NULL: all) and hands it to fn (which
 * holds the store's lock meanwhile: it may call store functions, but not
 * sl_store_commit or sl_store_sink_flush, which wait for the writer
 * thread the lock holds up): every
 * field of the model as the correlator and analysis left it (summary and
 * findings as stored), in start order: by number within one capture
 * (f->capture set), else by first packet time, capture and number. One
 * read snapshot: a concurrent writer's later commits are not seen.
 * SL_EUSAGE for an unknown state name. */
enum sl_err sl_store_load(struct sl_store *s, const struct sl_store_filter *f,
    sl_store_call_fn fn, void *user);

/* A capture record: what sl_store_capture_begin/_update wrote. */
struct sl_store_capture {
	int64_t id;
	const char *source;
	const char *interfaces;		/* NULL: files */
	const char *filter;		/* NULL: none */
	int64_t imported_at;		/* wall clock ns when the record began */
	bool finished;			/* false: still running, or cut off */
	struct sl_store_totals totals;
};

/* Receives each capture record; strings and totals.skipped are valid
 * until it returns. */
typedef enum sl_err (*sl_store_capture_fn)(void *user, const struct sl_store_capture *c);

/* Capture id (0: every capture, oldest first) to fn. */
enum sl_err sl_store_captures(struct sl_store *s, int64_t id, sl_store_capture_fn fn,
    void *user);

/* ----- retention and upkeep (prune.c) ----- */

/* Oldest first (by first packet time). Every limit set applies. */
struct sl_store_prune {
	int64_t before_ts;		/* calls that started before this; 0 none */
	uint64_t max_calls;		/* keep the newest this many; 0 no limit */
	uint64_t max_bytes;		/* until the database holds at most this; 0 none */
};

struct sl_store_pruned {
	uint64_t calls;			/* calls deleted */
	uint64_t captures;		/* capture records left with no call, deleted */
	uint64_t bytes_before;		/* file size (database + WAL) */
	uint64_t bytes_after;
};

/* Deletes calls (with everything of theirs) past the limits, then
 * returns the freed pages to the file system. Commits the open batch
 * first; runs in its own transaction. */
enum sl_err sl_store_prune(struct sl_store *s, const struct sl_store_prune *p,
    struct sl_store_pruned *out /* OUT, may be NULL */);

/* Rebuilds the file compactly (VACUUM). Needs a writing store with no
 * reader in the middle of a query. */
enum sl_err sl_store_vacuum(struct sl_store *s);

/* Bytes the database takes: main file plus WAL. */
enum sl_err sl_store_size(struct sl_store *s, uint64_t *bytes /* OUT */);

/* PRAGMA integrity_check: SL_OK when it says "ok", else SL_EDB with
 * code SL_STORE_ECORRUPT and the first problem in the message. */
enum sl_err sl_store_check(struct sl_store *s);

/* ----- power users (sql.c) ----- */

enum sl_store_sql_format {
	SL_STORE_SQL_TSV = 0,	/* a header line, then one line per row, tab-separated */
	SL_STORE_SQL_JSON,	/* one JSON object per row (JSON Lines), keys in column order */
};

/* Receives output text in pieces (about 64 KiB); non-OK stops. */
typedef enum sl_err (*sl_store_out_fn)(void *user, const char *p, size_t n);

/* Runs sql, which may hold several statements, on a store opened with
 * SL_STORE_READ; each must be read-only (SQLite decides: SELECT, a
 * read-only PRAGMA, EXPLAIN, WITH ... SELECT), else nothing of it runs
 * and the answer is SL_EUSAGE with code SL_STORE_ESQL. TSV: NULL is \N;
 * backslash, tab, newline and CR inside a value are \\ \t \n \r; a blob
 * is \x and hex. JSON: NULL is null, a blob is a string of hex digits,
 * a non-finite real is null. */
enum sl_err sl_store_sql(struct sl_store *s, const char *sql, enum sl_store_sql_format fmt,
    sl_store_out_fn out, void *user);

#endif
