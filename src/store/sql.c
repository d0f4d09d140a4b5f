/* sql.c: `sipladder db sql` for power users: their statements on a read-only
 * connection, rows printed as TSV or JSON Lines. Three locks keep the
 * database safe from a statement that writes: the connection is opened
 * read-only, PRAGMA query_only is on, and a statement SQLite does not
 * call read-only is refused before it runs. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "store/store_int.h"

#define FLUSH_AT (64u << 10)

struct out {
	struct sl_buf b;
	sl_store_out_fn fn;
	void *user;
};

static enum sl_err
flush(struct out *o, bool all)
{
	if (o->b.len == 0 || (!all && o->b.len < FLUSH_AT))
		return SL_OK;
	enum sl_err e = o->fn(o->user, o->b.p, o->b.len);
	sl_buf_reset(&o->b);
	return e;
}

static enum sl_err
tsv_text(struct sl_buf *b, const unsigned char *p, size_t n)
{
	enum sl_err e = SL_OK;
	for (size_t i = 0; e == SL_OK && i < n; i++) {
		switch (p[i]) {
		case '\\': e = sl_buf_adds(b, "\\\\"); break;
		case '\t': e = sl_buf_adds(b, "\\t"); break;
		case '\n': e = sl_buf_adds(b, "\\n"); break;
		case '\r': e = sl_buf_adds(b, "\\r"); break;
		default: e = sl_buf_addc(b, (char)p[i]); break;
		}
	}
	return e;
}

static enum sl_err
hex(struct sl_buf *b, const unsigned char *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	enum sl_err e = SL_OK;
	for (size_t i = 0; e == SL_OK && i < n; i++) {
		char two[2] = { digits[p[i] >> 4], digits[p[i] & 15] };
		e = sl_buf_add(b, two, 2);
	}
	return e;
}

static enum sl_err
real(struct sl_buf *b, double d, bool json)
{
	if (!isfinite(d))
		return sl_buf_adds(b, json ? "null" : "\\N");
	/* 17 digits: the stored double, exactly */
	return sl_buf_printf(b, "%.17g", d);
}

static enum sl_err
value(struct sl_buf *b, sqlite3_stmt *q, int i, bool json)
{
	switch (sqlite3_column_type(q, i)) {
	case SQLITE_NULL:
		return sl_buf_adds(b, json ? "null" : "\\N");
	case SQLITE_INTEGER:
		return sl_buf_printf(b, "%lld", (long long)sqlite3_column_int64(q, i));
	case SQLITE_FLOAT:
		return real(b, sqlite3_column_double(q, i), json);
	case SQLITE_BLOB: {
		const unsigned char *p = sqlite3_column_blob(q, i);
		size_t n = (size_t)sqlite3_column_bytes(q, i);
		enum sl_err e = sl_buf_adds(b, json ? "\"" : "\\x");
		if (e == SL_OK)
			e = hex(b, p, n);
		if (e == SL_OK && json)
			e = sl_buf_addc(b, '"');
		return e;
	}
	default: {
		const unsigned char *p = sqlite3_column_text(q, i);
		size_t n = (size_t)sqlite3_column_bytes(q, i);
		if (json)
			return sl_buf_json_str(b, sl_str_make((const char *)p, n));
		return tsv_text(b, p, n);
	}
	}
}

static enum sl_err
header(struct sl_buf *b, sqlite3_stmt *q)
{
	enum sl_err e = SL_OK;
	int n = sqlite3_column_count(q);
	for (int i = 0; e == SL_OK && i < n; i++) {
		const char *name = sqlite3_column_name(q, i);
		if (i)
			e = sl_buf_addc(b, '\t');
		if (e == SL_OK)
			e = tsv_text(b, (const unsigned char *)(name ? name : ""),
			    name ? strlen(name) : 0);
	}
	return e == SL_OK ? sl_buf_addc(b, '\n') : e;
}

static enum sl_err
row(struct sl_buf *b, sqlite3_stmt *q, bool json)
{
	enum sl_err e = json ? sl_buf_addc(b, '{') : SL_OK;
	int n = sqlite3_column_count(q);
	for (int i = 0; e == SL_OK && i < n; i++) {
		if (i)
			e = sl_buf_addc(b, json ? ',' : '\t');
		if (e == SL_OK && json) {
			const char *name = sqlite3_column_name(q, i);
			e = sl_buf_json_str(b, sl_str_c(name));
			if (e == SL_OK)
				e = sl_buf_addc(b, ':');
		}
		if (e == SL_OK)
			e = value(b, q, i, json);
	}
	if (e == SL_OK && json)
		e = sl_buf_addc(b, '}');
	return e == SL_OK ? sl_buf_addc(b, '\n') : e;
}

/* One statement, already checked read-only, to the end. */
static enum sl_err
run(struct sl_store *s, sqlite3_stmt *q, bool json, struct out *o)
{
	enum sl_err e = json || sqlite3_column_count(q) == 0 ? SL_OK : header(&o->b, q);
	int rc = SQLITE_ROW;
	while (e == SL_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		e = row(&o->b, q, json);
		if (e == SL_OK)
			e = flush(o, false);
	}
	if (e == SL_ENOMEM) {
		sl_buf_init(&o->b, 1u << 30);
		return sl_store_failf(s, SL_STORE_ENOMEM, "out of memory printing rows");
	}
	if (e == SL_OK && rc != SQLITE_DONE)
		e = (rc & 0xff) == SQLITE_ERROR ? sl_store_failf(s, SL_STORE_ESQL, "%s",
		    sqlite3_errmsg(s->db)) : sl_store_fail(s, rc, "running the query");
	return e;
}

/* Each statement of sql in turn: checked only (run false), or run. */
static enum sl_err
each(struct sl_store *s, const char *sql, bool run_them, bool json, struct out *o)
{
	enum sl_err e = SL_OK;
	const char *rest = sql;
	while (e == SL_OK && rest && *rest) {
		sqlite3_stmt *q = NULL;
		const char *tail = NULL;
		int rc = sqlite3_prepare_v2(s->db, rest, -1, &q, &tail);
		if (rc != SQLITE_OK)
			return (rc & 0xff) == SQLITE_ERROR ? sl_store_failf(s, SL_STORE_ESQL, "%s",
			    sqlite3_errmsg(s->db)) : sl_store_fail(s, rc, "preparing the query");
		rest = tail;
		if (q == NULL)		/* only blanks or a comment */
			continue;
		if (!sqlite3_stmt_readonly(q))
			e = sl_store_failf(s, SL_STORE_ESQL, "only read-only statements: %.60s",
			    sqlite3_sql(q));
		else if (run_them)
			e = run(s, q, json, o);
		sqlite3_finalize(q);
	}
	return e;
}

static enum sl_err
sql_locked(struct sl_store *s, const char *sql, enum sl_store_sql_format fmt,
    sl_store_out_fn fn, void *user)
{
	sl_store_clear_error(s);
	if (s->o.mode != SL_STORE_READ)
		return sl_store_failf(s, SL_STORE_EUSAGE, "db sql needs a read-only store");
	struct out o = { .fn = fn, .user = user };
	sl_buf_init(&o.b, 1u << 30);
	bool json = fmt == SL_STORE_SQL_JSON;
	/* all checked before any runs: a writing statement anywhere stops
	 * the lot */
	enum sl_err e = each(s, sql, false, json, &o);
	if (e == SL_OK)
		e = each(s, sql, true, json, &o);
	if (e == SL_OK)
		e = flush(&o, true);
	sl_buf_free(&o.b);
	return e;
}

enum sl_err
sl_store_sql(struct sl_store *s, const char *sql, enum sl_store_sql_format fmt,
    sl_store_out_fn fn, void *user)
{
	sl_store_lock(s);
	enum sl_err e = sql_locked(s, sql, fmt, fn, user);
	sl_store_unlock(s);
	return e;
}
