/* open.c: opening a store (identity, schema version, migrations, the
 * connection's settings), closing it, and turning SQLite's result codes
 * into the few errors a user can act on. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store_int.h"

#define WAL_KEEP_BYTES (64 << 20)	/* the WAL is cut back to this after a checkpoint */
#define WAL_CHECKPOINT_PAGES 4096	/* 64 MiB of 16 KiB pages */

const char *
sl_store_code_name(enum sl_store_code c)
{
	switch (c) {
	case SL_STORE_OK: return "ok";
	case SL_STORE_EOPEN: return "cannot_open";
	case SL_STORE_ENOTDB: return "not_a_database";
	case SL_STORE_ENEWER: return "newer_schema";
	case SL_STORE_ELOCKED: return "locked";
	case SL_STORE_EREADONLY: return "read_only";
	case SL_STORE_EFULL: return "disk_full";
	case SL_STORE_ECORRUPT: return "corrupt";
	case SL_STORE_EIO: return "io_error";
	case SL_STORE_ENOMEM: return "out_of_memory";
	case SL_STORE_ESQL: return "bad_sql";
	case SL_STORE_EUSAGE: return "usage";
	case SL_STORE_EINTERNAL: return "internal";
	}
	return "internal";
}

void
sl_store_opts_default(struct sl_store_opts *o)
{
	*o = (struct sl_store_opts){
		.mode = SL_STORE_READ,
		.busy_timeout_ms = 5000,
		.batch_age_ns = 1000000000,
		.batch_calls = 1000,
	};
}

/* ----- errors ----- */

static void
vset(struct sl_store_error *err, const char *path, enum sl_store_code code, const char *fmt,
    va_list ap) __attribute__((format(printf, 4, 0)));

static void
vset(struct sl_store_error *err, const char *path, enum sl_store_code code, const char *fmt,
    va_list ap)
{
	char what[SL_ERRBUF_SIZE];
	vsnprintf(what, sizeof what, fmt, ap);
	err->code = code;
	/* a long path gives way to the reason: 96 + 2 + 157 fill the buffer */
	snprintf(err->msg, sizeof err->msg, "%.96s: %.157s", path, what);
}

static void
setf(struct sl_store_error *err, const char *path, enum sl_store_code code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
setf(struct sl_store_error *err, const char *path, enum sl_store_code code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vset(err, path, code, fmt, ap);
	va_end(ap);
}

/* The user's view of an SQLite failure: what kind, and one line. */
static void
set_rc(struct sl_store_error *err, const char *path, sqlite3 *db, int rc, int busy_ms,
    const char *doing)
{
	int sys = db ? sqlite3_system_errno(db) : 0;
	const char *why = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		setf(err, path, SL_STORE_ELOCKED, "database is locked by another process "
		    "(waited %d ms) while %s", busy_ms, doing);
		break;
	case SQLITE_READONLY:
		setf(err, path, SL_STORE_EREADONLY, "database is read-only (file, directory or "
		    "medium) while %s", doing);
		break;
	case SQLITE_FULL:
		setf(err, path, SL_STORE_EFULL, "disk full while %s: that batch was not "
		    "stored; earlier commits are intact", doing);
		break;
	case SQLITE_NOTADB:
		setf(err, path, SL_STORE_ENOTDB, "not a sipladder database (not an SQLite file)");
		break;
	case SQLITE_CORRUPT:
		setf(err, path, SL_STORE_ECORRUPT, "database is damaged (%s) while %s", why, doing);
		break;
	case SQLITE_CANTOPEN:
	case SQLITE_PERM:
		setf(err, path, SL_STORE_EOPEN, "cannot open database: %s",
		    sys ? strerror(sys) : why);
		break;
	case SQLITE_IOERR:
		setf(err, path, SL_STORE_EIO, "I/O error while %s: %s", doing,
		    sys ? strerror(sys) : why);
		break;
	case SQLITE_NOMEM:
		setf(err, path, SL_STORE_ENOMEM, "out of memory while %s", doing);
		break;
	default:
		setf(err, path, SL_STORE_EINTERNAL, "SQLite error while %s: %s", doing, why);
		break;
	}
}

enum sl_err
sl_store_fail(struct sl_store *s, int rc, const char *doing)
{
	set_rc(&s->err, s->path, s->db, rc, s->o.busy_timeout_ms, doing);
	return s->err.code == SL_STORE_ENOMEM ? SL_ENOMEM : SL_EDB;
}

enum sl_err
sl_store_failf(struct sl_store *s, enum sl_store_code code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vset(&s->err, s->path, code, fmt, ap);
	va_end(ap);
	switch (code) {
	case SL_STORE_ENOMEM: return SL_ENOMEM;
	case SL_STORE_EUSAGE:
	case SL_STORE_ESQL: return SL_EUSAGE;
	default: return SL_EDB;
	}
}

void
sl_store_clear_error(struct sl_store *s)
{
	s->err.code = SL_STORE_OK;
	s->err.msg[0] = '\0';
}

const struct sl_store_error *
sl_store_error(const struct sl_store *s)
{
	return &s->err;
}

const struct sl_store_stats *
sl_store_stats(const struct sl_store *s)
{
	return &s->stats;
}

/* ----- statements ----- */

enum sl_err
sl_store_exec(struct sl_store *s, const char *sql, const char *doing)
{
	int rc = sqlite3_exec(s->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? SL_OK : sl_store_fail(s, rc, doing);
}

/* One integer from a statement such as "PRAGMA user_version". */
static enum sl_err
query_int(struct sl_store *s, const char *sql, int64_t *out)
{
	sqlite3_stmt *q;
	int rc = sqlite3_prepare_v2(s->db, sql, -1, &q, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(q);
		if (rc == SQLITE_ROW) {
			*out = sqlite3_column_int64(q, 0);
			rc = SQLITE_OK;
		} else if (rc == SQLITE_DONE) {
			*out = 0;
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(q);
	return rc == SQLITE_OK ? SL_OK : sl_store_fail(s, rc, "reading the schema");
}

/* ----- identity and migrations ----- */

static enum sl_err
identify(struct sl_store *s, int64_t *version)
{
	int64_t app = 0, tables = 0;
	enum sl_err e = query_int(s, "PRAGMA application_id", &app);
	if (e == SL_OK)
		e = query_int(s, "PRAGMA user_version", version);
	if (e == SL_OK)
		e = query_int(s, "SELECT count(*) FROM sqlite_schema", &tables);
	if (e != SL_OK)
		return e;
	if (app == 0 && tables == 0 && *version == 0) {
		if (s->o.mode == SL_STORE_WRITE)
			return SL_OK;
		return sl_store_failf(s, SL_STORE_ENOTDB, "not a sipladder database (empty)");
	}
	if (app != SL_STORE_APP_ID)
		return sl_store_failf(s, SL_STORE_ENOTDB, "not a sipladder database "
		    "(application_id %#llx, %lld tables of another program)",
		    (unsigned long long)(uint32_t)app, (long long)tables);
	if (*version > SL_STORE_SCHEMA)
		return sl_store_failf(s, SL_STORE_ENEWER, "written by a newer sipladder (schema "
		    "%lld; this one reads up to %d): upgrade sipladder", (long long)*version,
		    SL_STORE_SCHEMA);
	if (*version < SL_STORE_SCHEMA && s->o.mode == SL_STORE_READ)
		return sl_store_failf(s, SL_STORE_EOPEN, "schema %lld is older than this "
		    "sipladder's %d: open it for writing once to upgrade it",
		    (long long)*version, SL_STORE_SCHEMA);
	return SL_OK;
}

/* Each step in its own transaction, re-reading the version inside it:
 * another process may have upgraded the file meanwhile. */
static enum sl_err
migrate(struct sl_store *s, int64_t version)
{
	for (int v = (int)version + 1; v <= SL_STORE_SCHEMA; v++) {
		enum sl_err e = sl_store_exec(s, "BEGIN IMMEDIATE", "upgrading the schema");
		int64_t now = 0;
		if (e == SL_OK)
			e = query_int(s, "PRAGMA user_version", &now);
		if (e == SL_OK && now < v) {
			char set[96];
			snprintf(set, sizeof set, "PRAGMA application_id = %d; PRAGMA user_version = %d",
			    SL_STORE_APP_ID, v);
			for (const char *const *m = sl_store_migration(v); e == SL_OK && *m; m++)
				e = sl_store_exec(s, *m, "upgrading the schema");
			if (e == SL_OK)
				e = sl_store_exec(s, set, "upgrading the schema");
		}
		if (e == SL_OK)
			e = sl_store_exec(s, "COMMIT", "upgrading the schema");
		if (e != SL_OK) {
			if (!sqlite3_get_autocommit(s->db))
				sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
			return e;
		}
	}
	return SL_OK;
}

/* A new (empty) file frees pages to the file system. auto_vacuum only
 * takes before the first table and before WAL; a file left empty in WAL
 * mode (a run killed while creating it) needs a VACUUM to take it. */
static enum sl_err
incremental(struct sl_store *s)
{
	int64_t mode = 0;
	/* 16 KiB pages: a quarter of the system calls of the default for
	 * the same rows (SIP messages with their bytes are big rows) */
	enum sl_err e = sl_store_exec(s, "PRAGMA page_size = 16384; "
	    "PRAGMA auto_vacuum = INCREMENTAL", "creating the database");
	if (e == SL_OK)
		e = query_int(s, "PRAGMA auto_vacuum", &mode);
	if (e == SL_OK && mode != 2)
		e = sl_store_exec(s, "VACUUM", "creating the database");
	return e;
}

static enum sl_err
settings(struct sl_store *s)
{
	char sql[256];
	if (s->o.mode == SL_STORE_READ)
		return sl_store_exec(s, "PRAGMA query_only = 1", "opening");
	/* WAL: readers never block the writer; FULL: a commit survives a
	 * power cut, not only a crash (one fsync per batch) */
	enum sl_err e = sl_store_exec(s, "PRAGMA journal_mode = WAL", "turning on WAL");
	/* a checkpoint costs two fsyncs: one per 64 MiB of WAL, not per 4 */
	snprintf(sql, sizeof sql, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; "
	    "PRAGMA journal_size_limit = %d; PRAGMA wal_autocheckpoint = %d", WAL_KEEP_BYTES,
	    WAL_CHECKPOINT_PAGES);
	if (e == SL_OK)
		e = sl_store_exec(s, sql, "opening");
	if (e == SL_OK && s->o.max_bytes) {
		int64_t page = 0;
		e = query_int(s, "PRAGMA page_size", &page);
		if (e == SL_OK && page > 0) {
			snprintf(sql, sizeof sql, "PRAGMA max_page_count = %llu",
			    (unsigned long long)(s->o.max_bytes / (uint64_t)page + 1));
			e = sl_store_exec(s, sql, "opening");
		}
	}
	return e;
}

enum sl_err
sl_store_open(struct sl_store **out, const char *path, const struct sl_store_opts *o,
    struct sl_store_error *err)
{
	*out = NULL;
	*err = (struct sl_store_error){ SL_STORE_OK, "" };
	struct sl_store *s = calloc(1, sizeof *s);
	char *p = strdup(path);
	if (s == NULL || p == NULL) {
		free(s);
		free(p);
		setf(err, path, SL_STORE_ENOMEM, "out of memory opening the database");
		return SL_ENOMEM;
	}
	s->path = p;
	s->o = *o;
	pthread_mutexattr_t ma;
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&s->mu, &ma);
	pthread_mutexattr_destroy(&ma);
	sl_buf_init(&s->key, 1u << 20);
	sl_buf_init(&s->text, 1u << 20);
	int flags = o->mode == SL_STORE_WRITE ? SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE :
	    SQLITE_OPEN_READONLY;
	int rc = sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL);
	enum sl_err e = SL_OK;
	if (rc != SQLITE_OK) {
		e = sl_store_fail(s, rc, "opening");
	} else {
		sqlite3_extended_result_codes(s->db, 1);
		sqlite3_busy_timeout(s->db, o->busy_timeout_ms);
		if (o->mode == SL_STORE_WRITE && sqlite3_db_readonly(s->db, "main") == 1)
			e = sl_store_failf(s, SL_STORE_EREADONLY, "database is read-only (file "
			    "permissions or medium): cannot store into it");
	}
	int64_t version = 0;
	if (e == SL_OK)
		e = identify(s, &version);
	/* a new file: before WAL and the first table, or it can never be set:
	 * freed pages then go back to the file system (prune) */
	if (e == SL_OK && o->mode == SL_STORE_WRITE && version == 0)
		e = incremental(s);
	if (e == SL_OK)
		e = settings(s);
	if (e == SL_OK && o->mode == SL_STORE_WRITE && version < SL_STORE_SCHEMA)
		e = migrate(s, version);
	if (e != SL_OK) {
		*err = s->err;
		s->in_txn = false;
		sl_store_close(s);
		return e;
	}
	*out = s;
	return SL_OK;
}

enum sl_err
sl_store_close(struct sl_store *s)
{
	if (s == NULL)
		return SL_OK;
	enum sl_err e = s->in_txn ? sl_store_commit_now(s) : SL_OK;
	for (int i = 0; i < ST__COUNT; i++)
		sqlite3_finalize(s->st[i]);
	/* the last connection checkpoints and removes the WAL */
	sqlite3_close(s->db);
	sl_buf_free(&s->key);
	sl_buf_free(&s->text);
	sl_store_posmap_free(&s->msgs);
	sl_store_posmap_free(&s->streams);
	pthread_mutex_destroy(&s->mu);
	free(s->path);
	free(s);
	return e;
}

void
sl_store_lock(struct sl_store *s)
{
	pthread_mutex_lock(&s->mu);
}

void
sl_store_unlock(struct sl_store *s)
{
	pthread_mutex_unlock(&s->mu);
}

int64_t
sl_store_now(const struct sl_store *s)
{
	if (s->o.clock)
		return s->o.clock(s->o.clock_user);
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}
