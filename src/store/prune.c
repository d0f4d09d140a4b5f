/* prune.c: retention (oldest calls first, by age, count or size) and
 * upkeep (vacuum, size, integrity). A call goes with everything of its
 * own (ON DELETE CASCADE); a finished capture whose calls are all gone
 * goes too. Freed pages go back to the file system at once
 * (auto_vacuum = INCREMENTAL, set when the file was made), so a size
 * limit is a limit on the file, not only on its content. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store/store_int.h"

static enum sl_err
one_int(struct sl_store *s, const char *sql, int64_t bind, int64_t *out, const char *doing)
{
	sqlite3_stmt *q;
	int rc = sqlite3_prepare_v2(s->db, sql, -1, &q, NULL);
	if (rc == SQLITE_OK && sqlite3_bind_parameter_count(q) > 0)
		rc = sqlite3_bind_int64(q, 1, bind);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(q);
		*out = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : 0;
		if (rc == SQLITE_ROW || rc == SQLITE_DONE)
			rc = SQLITE_OK;
	}
	sqlite3_finalize(q);
	return rc == SQLITE_OK ? SL_OK : sl_store_fail(s, rc, doing);
}

/* Runs a DELETE with one bound value; adds its row count to *n. */
static enum sl_err
delete(struct sl_store *s, const char *sql, int64_t bind, uint64_t *n)
{
	sqlite3_stmt *q;
	int rc = sqlite3_prepare_v2(s->db, sql, -1, &q, NULL);
	if (rc == SQLITE_OK && sqlite3_bind_parameter_count(q) > 0)
		rc = sqlite3_bind_int64(q, 1, bind);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(q);
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return sl_store_fail(s, rc, "pruning");
	*n += (uint64_t)sqlite3_changes(s->db);
	return SL_OK;
}

static const char oldest[] = "DELETE FROM calls WHERE id IN "
    "(SELECT id FROM calls ORDER BY first_ts, id LIMIT ?)";

/* Bytes of pages in use: what the file shrinks to once freed pages go. */
static enum sl_err
used_bytes(struct sl_store *s, int64_t *out)
{
	int64_t pages = 0, free_pages = 0, size = 0;
	enum sl_err e = one_int(s, "PRAGMA page_count", 0, &pages, "measuring");
	if (e == SL_OK)
		e = one_int(s, "PRAGMA freelist_count", 0, &free_pages, "measuring");
	if (e == SL_OK)
		e = one_int(s, "PRAGMA page_size", 0, &size, "measuring");
	*out = (pages - free_pages) * size;
	return e;
}

static enum sl_err
by_size(struct sl_store *s, uint64_t max, uint64_t *n)
{
	for (;;) {
		int64_t used = 0, calls = 0;
		enum sl_err e = used_bytes(s, &used);
		if (e == SL_OK)
			e = one_int(s, "SELECT count(*) FROM calls", 0, &calls, "pruning");
		if (e != SL_OK || (uint64_t)used <= max || calls == 0)
			return e;
		/* calls are alike enough that the average tells how many to
		 * drop; a few rounds settle the rest (pages are not freed
		 * row by row) */
		int64_t per = used / calls, k = ((int64_t)((uint64_t)used - max)) / (per ? per : 1) + 1;
		e = delete(s, oldest, k < calls ? k : calls, n);
		if (e != SL_OK)
			return e;
	}
}

enum sl_err
sl_store_size(struct sl_store *s, uint64_t *bytes)
{
	*bytes = 0;
	struct stat st;
	if (stat(s->path, &st) == 0)
		*bytes += (uint64_t)st.st_size;
	size_t n = strlen(s->path) + 5;
	char *wal = malloc(n);
	if (wal == NULL)
		return sl_store_failf(s, SL_STORE_ENOMEM, "out of memory");
	snprintf(wal, n, "%s-wal", s->path);
	if (stat(wal, &st) == 0)
		*bytes += (uint64_t)st.st_size;
	free(wal);
	return SL_OK;
}

/* Gives freed pages back and cuts the WAL; best effort, as a reader may
 * hold the WAL (then the next checkpoint does it). */
static void
shrink(struct sl_store *s)
{
	sqlite3_exec(s->db, "PRAGMA incremental_vacuum", NULL, NULL, NULL);
	sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
}

static enum sl_err
prune_locked(struct sl_store *s, const struct sl_store_prune *p, struct sl_store_pruned *out)
{
	struct sl_store_pruned r = { 0 };
	sl_store_clear_error(s);
	enum sl_err e = sl_store_commit_now(s);
	if (e == SL_OK)
		e = sl_store_size(s, &r.bytes_before);
	if (e == SL_OK)
		e = sl_store_txn(s);
	if (e == SL_OK && p->before_ts)
		e = delete(s, "DELETE FROM calls WHERE first_ts < ?", p->before_ts, &r.calls);
	if (e == SL_OK && p->max_calls) {
		int64_t calls = 0;
		e = one_int(s, "SELECT count(*) FROM calls", 0, &calls, "pruning");
		if (e == SL_OK && (uint64_t)calls > p->max_calls)
			e = delete(s, oldest, calls - (int64_t)p->max_calls, &r.calls);
	}
	if (e == SL_OK && p->max_bytes)
		e = by_size(s, p->max_bytes, &r.calls);
	if (e == SL_OK)
		e = delete(s, "DELETE FROM captures WHERE finished AND calls_stored > 0 AND "
		    "NOT EXISTS (SELECT 1 FROM calls WHERE capture = captures.id)", 0, &r.captures);
	if (e == SL_OK)
		e = sl_store_commit_now(s);
	else
		sl_store_abort(s);
	if (e == SL_OK) {
		shrink(s);
		e = sl_store_size(s, &r.bytes_after);
	}
	if (out)
		*out = r;
	return e;
}

static enum sl_err
vacuum_locked(struct sl_store *s)
{
	sl_store_clear_error(s);
	if (s->o.mode != SL_STORE_WRITE)
		return sl_store_failf(s, SL_STORE_EREADONLY, "opened for reading: cannot vacuum");
	enum sl_err e = sl_store_commit_now(s);
	if (e == SL_OK)
		e = sl_store_exec(s, "VACUUM", "vacuuming");
	if (e == SL_OK)
		shrink(s);
	return e;
}

static enum sl_err
check_locked(struct sl_store *s)
{
	sl_store_clear_error(s);
	sqlite3_stmt *q;
	int rc = sqlite3_prepare_v2(s->db, "PRAGMA integrity_check", -1, &q, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(q);
	enum sl_err e = SL_OK;
	if (rc == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(q, 0);
		if (t == NULL || strcmp(t, "ok") != 0)
			e = sl_store_failf(s, SL_STORE_ECORRUPT, "integrity check failed: %.150s",
			    t ? t : "(no answer)");
	} else {
		e = sl_store_fail(s, rc, "checking integrity");
	}
	sqlite3_finalize(q);
	return e;
}

enum sl_err
sl_store_prune(struct sl_store *s, const struct sl_store_prune *p, struct sl_store_pruned *out)
{
	sl_store_lock(s);
	enum sl_err e = prune_locked(s, p, out);
	sl_store_unlock(s);
	return e;
}

enum sl_err
sl_store_vacuum(struct sl_store *s)
{
	sl_store_lock(s);
	enum sl_err e = vacuum_locked(s);
	sl_store_unlock(s);
	return e;
}

enum sl_err
sl_store_check(struct sl_store *s)
{
	sl_store_lock(s);
	enum sl_err e = check_locked(s);
	sl_store_unlock(s);
	return e;
}
