/* list.c: the capture records, with the totals of their runs, so a
 * summary line can be printed again from the database. */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

#define MAX_SKIPS 64

static const char *
text_or_null(sqlite3_stmt *q, int i)
{
	return (const char *)sqlite3_column_text(q, i);
}

/* The skip counts of capture id into sk, their names copied into a (the
 * column text dies with the next step). */
static enum sl_err
skips(struct sl_store *s, sqlite3_stmt *q2, int64_t id, struct sl_store_count *sk,
    size_t *n, struct sl_arena *a)
{
	*n = 0;
	sqlite3_reset(q2);
	int rc = sqlite3_bind_int64(q2, 1, id);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(q2);
	for (; rc == SQLITE_ROW && *n < MAX_SKIPS; rc = sqlite3_step(q2)) {
		struct sl_str r, nm;
		if (sl_store_read_str(q2, 0, a, &r) != SL_OK ||
		    sl_store_read_str(q2, 1, a, &nm) != SL_OK)
			return sl_store_failf(s, SL_STORE_ENOMEM, "out of memory listing captures");
		sk[(*n)++] = (struct sl_store_count){ r.p ? r.p : "", nm.p ? nm.p : "",
		    (uint64_t)sqlite3_column_int64(q2, 2) };
	}
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return sl_store_fail(s, rc, "listing captures");
	return SL_OK;
}

static enum sl_err
captures_locked(struct sl_store *s, int64_t id, sl_store_capture_fn fn, void *user)
{
	sl_store_clear_error(s);
	static const char sql[] = "SELECT id, source, interfaces, capture_filter, imported_at, "
	    "start_ts, end_ts, finished, frames, drops, sip_messages, sip_retrans, rtp_packets, "
	    "rtcp_packets, icmp_attributed, icmp_unattributed, anomalies, calls, registrations, "
	    "out_of_order, calls_stored, calls_skipped FROM captures "
	    "WHERE ?1 = 0 OR id = ?1 ORDER BY id";
	sqlite3_stmt *q = NULL, *q2 = NULL;
	int rc = sqlite3_prepare_v2(s->db, sql, -1, &q, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(s->db, "SELECT reason, name, count FROM capture_skips "
		    "WHERE capture = ? ORDER BY seq", -1, &q2, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(q, 1, id);
	enum sl_err e = rc == SQLITE_OK ? SL_OK : sl_store_fail(s, rc, "listing captures");
	struct sl_arena a;
	sl_arena_init(&a, 4096, 0);
	struct sl_store_count sk[MAX_SKIPS];
	if (e == SL_OK)
		rc = sqlite3_step(q);
	for (; e == SL_OK && rc == SQLITE_ROW; rc = sqlite3_step(q)) {
		sl_arena_reset(&a);
		struct sl_store_capture c = {
			.id = sqlite3_column_int64(q, 0),
			.source = text_or_null(q, 1),
			.interfaces = text_or_null(q, 2),
			.filter = text_or_null(q, 3),
			.imported_at = sqlite3_column_int64(q, 4),
			.finished = sqlite3_column_int(q, 7) != 0,
		};
		struct sl_store_totals *t = &c.totals;
		t->have_start = sqlite3_column_type(q, 5) != SQLITE_NULL;
		t->start_ts = sqlite3_column_int64(q, 5);
		t->end_ts = sqlite3_column_int64(q, 6);
		uint64_t *v[] = { &t->frames, &t->drops, &t->sip_messages, &t->sip_retrans,
		    &t->rtp_packets, &t->rtcp_packets, &t->icmp_attributed, &t->icmp_unattributed,
		    &t->anomalies, &t->calls, &t->registrations, &t->out_of_order,
		    &t->calls_stored, &t->calls_skipped };
		for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
			*v[k] = (uint64_t)sqlite3_column_int64(q, 8 + (int)k);
		e = skips(s, q2, c.id, sk, &t->n_skipped, &a);
		t->skipped = sk;
		if (e == SL_OK)
			e = fn(user, &c);
	}
	if (e == SL_OK && rc != SQLITE_DONE)
		e = sl_store_fail(s, rc, "listing captures");
	sl_arena_free(&a);
	sqlite3_finalize(q);
	sqlite3_finalize(q2);
	return e;
}

enum sl_err
sl_store_captures(struct sl_store *s, int64_t id, sl_store_capture_fn fn, void *user)
{
	sl_store_lock(s);
	enum sl_err e = captures_locked(s, id, fn, user);
	sl_store_unlock(s);
	return e;
}
