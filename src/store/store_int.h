/* store_int.h: what the files of src/store share and nobody else sees:
 * the store itself, its prepared statements, error mapping and the
 * column tables that keep writer and loader symmetric. */
#ifndef SL_STORE_INT_H
#define SL_STORE_INT_H

#include <pthread.h>
#include <sqlite3.h>

#include "store/store.h"

/* Prepared once per store, when first needed. */
enum st_id {
	ST_BEGIN = 0, ST_COMMIT, ST_ROLLBACK,
	ST_CAP_INSERT, ST_CAP_UPDATE, ST_SKIPS_DELETE, ST_SKIPS_INSERT,
	ST_CALL_INSERT, ST_LEG_INSERT, ST_AUTH_INSERT, ST_MSG_INSERT,
	ST_STREAM_INSERT, ST_REG_INSERT, ST_FINDING_INSERT,
	ST_LOAD_LEGS, ST_LOAD_AUTH, ST_LOAD_MSGS, ST_LOAD_STREAMS, ST_LOAD_REGS,
	ST_LOAD_FINDINGS,
	ST__COUNT
};

/* A pointer's position in its list, to write references as positions */
struct sl_store_pos {
	const void *p;
	uint32_t seq;
};

struct sl_store_posmap {
	struct sl_store_pos *v;
	size_t n, cap;
};

struct sl_store {
	sqlite3 *db;
	char *path;
	struct sl_store_opts o;
	struct sl_store_error err;
	struct sl_store_stats stats;
	sqlite3_stmt *st[ST__COUNT];

	/* the open batch */
	bool in_txn;
	int64_t txn_start;		/* o.clock when it began */
	unsigned txn_calls;

	/* the sink writing a capture, told before each commit so that the
	 * capture record is current in every commit */
	enum sl_err (*progress)(void *user);
	void *progress_user;
	/* waits until the sink's writer thread has written what it holds */
	enum sl_err (*drain)(void *user);
	void *drain_user;
	/* a sink's writer thread and the caller's thread share the
	 * connection: every public function holds this (recursive) */
	pthread_mutex_t mu;

	/* scratch kept across calls: no allocation per row once warm */
	struct sl_buf key;		/* calls.call_ids */
	struct sl_buf text;		/* labels, anomaly lists */
	struct sl_store_posmap msgs, streams;
};

/* ----- errors (open.c) ----- */

/* Records rc (an SQLite result code) with what was being done; returns
 * SL_EDB, or SL_ENOMEM for SQLITE_NOMEM. */
enum sl_err sl_store_fail(struct sl_store *s, int rc, const char *doing);
/* Records an error of ours (code, printf text after "DB: "). */
enum sl_err sl_store_failf(struct sl_store *s, enum sl_store_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void sl_store_clear_error(struct sl_store *s);

/* The statement id, prepared on first use; NULL after recording the
 * error. Reset before it is returned; the caller binds every parameter. */
sqlite3_stmt *sl_store_stmt(struct sl_store *s, enum st_id id);

/* Runs one statement without results (PRAGMAs, DDL). */
enum sl_err sl_store_exec(struct sl_store *s, const char *sql, const char *doing);

/* ----- schema (schema.c) ----- */

/* The statements (NULL-terminated) that make version v out of v - 1
 * (v >= 1), or NULL beyond SL_STORE_SCHEMA. */
const char *const *sl_store_migration(int v);

/* ----- search (search.c) ----- */

/* The calls f selects (NULL: all), in load order: columns calls.id,
 * calls.capture, captures.start_ts, then sl_store_call_cols. The caller
 * finalizes *out; f must outlive it (its strings are bound in place). */
enum sl_err sl_store_calls_query(struct sl_store *s, const struct sl_store_filter *f,
    sqlite3_stmt **out /* OUT */);

/* ----- batches (write.c) ----- */

/* Commits the open batch, if any (the lock held, no drain). */
enum sl_err sl_store_commit_now(struct sl_store *s);
void sl_store_lock(struct sl_store *s);
void sl_store_unlock(struct sl_store *s);

/* Opens a write transaction unless one is open. */
enum sl_err sl_store_txn(struct sl_store *s);
/* Undoes the open batch after an error (keeps s->err). */
void sl_store_abort(struct sl_store *s);
int64_t sl_store_now(const struct sl_store *s);

/* ----- column tables (cols.c): the model's plain fields, one column
 * each, in the order of the INSERT and SELECT texts of schema.c ----- */

enum sl_col_type {
	COL_I64, COL_U64, COL_I32, COL_U32, COL_U16, COL_U8, COL_BOOL, COL_CHAR,
	COL_DBL, COL_STR,
	COL_EP,			/* three columns: <name>_ip, <name>_port, <name>_transport */
	COL_ENUM,		/* text: names[value]; NULL for value 0 when zero_null */
};

struct sl_col_enum {
	const char *(*name)(int v);
	int n;			/* values 0 .. n-1 */
	bool zero_null;
};

struct sl_col {
	const char *name;
	enum sl_col_type type;
	size_t off;
	const struct sl_col_enum *e;
};

extern const struct sl_col sl_store_call_cols[];	/* struct sl_call, with sum.* */
extern const struct sl_col sl_store_leg_cols[];
extern const struct sl_col sl_store_auth_cols[];
extern const struct sl_col sl_store_msg_cols[];
extern const struct sl_col sl_store_stream_cols[];
extern const struct sl_col sl_store_reg_cols[];
extern const struct sl_col sl_store_finding_cols[];
extern const struct sl_col_enum sl_store_enum_call_kind, sl_store_enum_auth_req;

/* Binds the fields of obj from parameter *idx on (advanced past them).
 * Strings and blobs are bound SQLITE_STATIC: obj must live until the
 * step. */
int sl_store_bind_cols(sqlite3_stmt *q, int *idx, const struct sl_col *cols, const void *obj);
/* Reads the fields into obj from column *idx on; strings are copied into
 * a (the call's arena). SL_OK, SL_ENOMEM, or SL_EDB (a value this
 * program cannot have written: the column named in s->err). */
enum sl_err sl_store_read_cols(struct sl_store *s, sqlite3_stmt *q, int *idx,
    const struct sl_col *cols, void *obj, struct sl_arena *a);
/* Comma-separated column names of cols (endpoints as three), appended. */
enum sl_err sl_store_col_names(struct sl_buf *b, const struct sl_col *cols);
size_t sl_store_col_count(const struct sl_col *cols);

/* A text column as a slice in arena a: NULL stays NULL, '' stays a
 * non-NULL empty slice. */
enum sl_err sl_store_read_str(sqlite3_stmt *q, int i, struct sl_arena *a,
    struct sl_str *out /* OUT */);
int sl_store_bind_str(sqlite3_stmt *q, int i, struct sl_str v);

/* ----- positions ----- */

enum sl_err sl_store_posmap_add(struct sl_store_posmap *m, const void *p, uint32_t seq);
void sl_store_posmap_sort(struct sl_store_posmap *m);
/* p's position, or -1 (NULL, or not in the list). */
int64_t sl_store_posmap_find(const struct sl_store_posmap *m, const void *p);
void sl_store_posmap_free(struct sl_store_posmap *m);

#endif
