/* write.c: storing captures and calls in batches. A batch is one
 * write transaction: it opens with the first write and commits when it
 * is old enough or big enough, so that the cost of a commit (an fsync)
 * is paid once per batch, not per call, while a crash loses at most one
 * batch. Any error rolls the batch back whole: the database then holds
 * exactly what earlier commits stored. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store_int.h"

/* ----- batches ----- */

enum sl_err
sl_store_txn(struct sl_store *s)
{
	if (s->in_txn)
		return SL_OK;
	if (s->o.mode != SL_STORE_WRITE)
		return sl_store_failf(s, SL_STORE_EREADONLY, "opened for reading: cannot store");
	sqlite3_stmt *q = sl_store_stmt(s, ST_BEGIN);
	if (q == NULL)
		return s->err.code == SL_STORE_ENOMEM ? SL_ENOMEM : SL_EDB;
	int rc = sqlite3_step(q);
	if (rc != SQLITE_DONE)
		return sl_store_fail(s, rc, "starting a batch");
	s->in_txn = true;
	s->txn_start = sl_store_now(s);
	s->txn_calls = 0;
	return SL_OK;
}

void
sl_store_abort(struct sl_store *s)
{
	/* SQLite rolls back by itself on some errors (full disk, I/O); the
	 * error that brought us here is the one to report */
	if (!sqlite3_get_autocommit(s->db)) {
		struct sl_store_error keep = s->err;
		sqlite3_stmt *q = sl_store_stmt(s, ST_ROLLBACK);
		if (q)
			sqlite3_step(q);
		else
			sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		s->err = keep;
	}
	if (s->in_txn)
		s->stats.calls_written -= s->txn_calls;
	s->in_txn = false;
	s->txn_calls = 0;
}

enum sl_err
sl_store_commit_now(struct sl_store *s)
{
	if (!s->in_txn)
		return SL_OK;
	enum sl_err e = s->progress ? s->progress(s->progress_user) : SL_OK;
	if (e != SL_OK) {
		sl_store_abort(s);
		return e;
	}
	sqlite3_stmt *q = sl_store_stmt(s, ST_COMMIT);
	int rc = q ? sqlite3_step(q) : SQLITE_NOMEM;
	if (rc != SQLITE_DONE) {
		e = q ? sl_store_fail(s, rc, "committing") : SL_ENOMEM;
		sl_store_abort(s);
		return e;
	}
	s->in_txn = false;
	s->stats.calls_committed += s->txn_calls;
	s->stats.commits++;
	s->txn_calls = 0;
	if (s->o.on_commit)
		s->o.on_commit(s->o.commit_user, &s->stats);
	return SL_OK;
}

static enum sl_err
tick_locked(struct sl_store *s)
{
	if (s->in_txn && sl_store_now(s) - s->txn_start >= s->o.batch_age_ns)
		return sl_store_commit_now(s);
	return SL_OK;
}

/* ----- captures ----- */

static int64_t
wall_now(const struct sl_store *s)
{
	if (s->o.wall)
		return s->o.wall(s->o.wall_user);
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static int
bind_cstr(sqlite3_stmt *q, int i, const char *v)
{
	return v ? sqlite3_bind_text(q, i, v, -1, SQLITE_STATIC) : sqlite3_bind_null(q, i);
}

/* Steps an INSERT/UPDATE/DELETE whose binding went to rc. */
static enum sl_err
run(struct sl_store *s, sqlite3_stmt *q, int rc, const char *doing)
{
	if (q == NULL)
		return s->err.code == SL_STORE_ENOMEM ? SL_ENOMEM : SL_EDB;
	if (rc == SQLITE_OK)
		rc = sqlite3_step(q);
	if (rc != SQLITE_DONE)
		return sl_store_fail(s, rc, doing);
	return SL_OK;
}

static enum sl_err
capture_begin_locked(struct sl_store *s, const struct sl_store_capture_info *ci, int64_t *id)
{
	sl_store_clear_error(s);
	enum sl_err e = sl_store_txn(s);
	if (e != SL_OK)
		return e;
	sqlite3_stmt *q = sl_store_stmt(s, ST_CAP_INSERT);
	int rc = SQLITE_OK;
	if (q) {
		rc = bind_cstr(q, 1, ci->source ? ci->source : "");
		if (rc == SQLITE_OK)
			rc = bind_cstr(q, 2, ci->interfaces);
		if (rc == SQLITE_OK)
			rc = bind_cstr(q, 3, ci->filter);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_int64(q, 4, wall_now(s));
	}
	e = run(s, q, rc, "recording the capture");
	if (e != SL_OK) {
		sl_store_abort(s);
		return e;
	}
	*id = sqlite3_last_insert_rowid(s->db);
	return SL_OK;
}

static enum sl_err
write_skips(struct sl_store *s, int64_t id, const struct sl_store_totals *t)
{
	sqlite3_stmt *q = sl_store_stmt(s, ST_SKIPS_DELETE);
	enum sl_err e = run(s, q, q ? sqlite3_bind_int64(q, 1, id) : SQLITE_OK,
	    "recording the capture");
	for (size_t i = 0; e == SL_OK && i < t->n_skipped; i++) {
		const struct sl_store_count *c = &t->skipped[i];
		q = sl_store_stmt(s, ST_SKIPS_INSERT);
		int rc = SQLITE_OK;
		if (q) {
			rc = sqlite3_bind_int64(q, 1, id);
			if (rc == SQLITE_OK)
				rc = sqlite3_bind_int64(q, 2, (sqlite3_int64)i);
			if (rc == SQLITE_OK)
				rc = bind_cstr(q, 3, c->id ? c->id : "");
			if (rc == SQLITE_OK)
				rc = bind_cstr(q, 4, c->name ? c->name : "");
			if (rc == SQLITE_OK)
				rc = sqlite3_bind_int64(q, 5, (sqlite3_int64)c->count);
		}
		e = run(s, q, rc, "recording the capture");
	}
	return e;
}

static enum sl_err
capture_update_locked(struct sl_store *s, int64_t id, const struct sl_store_totals *t,
    bool finished)
{
	enum sl_err e = sl_store_txn(s);
	if (e != SL_OK)
		return e;
	sqlite3_stmt *q = sl_store_stmt(s, ST_CAP_UPDATE);
	int rc = SQLITE_OK;
	if (q) {
		const uint64_t v[] = { t->frames, t->drops, t->sip_messages, t->sip_retrans,
		    t->rtp_packets, t->rtcp_packets, t->icmp_attributed, t->icmp_unattributed,
		    t->anomalies, t->calls, t->registrations, t->out_of_order, t->calls_stored,
		    t->calls_skipped };
		rc = t->have_start ? sqlite3_bind_int64(q, 1, t->start_ts) : sqlite3_bind_null(q, 1);
		if (rc == SQLITE_OK)
			rc = t->end_ts ? sqlite3_bind_int64(q, 2, t->end_ts) : sqlite3_bind_null(q, 2);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_int(q, 3, finished);
		int i = 4;
		for (size_t k = 0; rc == SQLITE_OK && k < sizeof v / sizeof v[0]; k++)
			rc = sqlite3_bind_int64(q, i++, (sqlite3_int64)v[k]);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_int64(q, i, id);
	}
	e = run(s, q, rc, "recording the capture");
	if (e == SL_OK)
		e = write_skips(s, id, t);
	if (e != SL_OK)
		sl_store_abort(s);
	return e;
}

/* ----- positions: references between a call's parts ----- */

enum sl_err
sl_store_posmap_add(struct sl_store_posmap *m, const void *p, uint32_t seq)
{
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64;
		struct sl_store_pos *v = realloc(m->v, cap * sizeof *v);
		if (v == NULL)
			return SL_ENOMEM;
		m->v = v;
		m->cap = cap;
	}
	m->v[m->n++] = (struct sl_store_pos){ p, seq };
	return SL_OK;
}

static int
by_ptr(const void *x, const void *y)
{
	uintptr_t a = (uintptr_t)((const struct sl_store_pos *)x)->p;
	uintptr_t b = (uintptr_t)((const struct sl_store_pos *)y)->p;
	return a < b ? -1 : a > b;
}

void
sl_store_posmap_sort(struct sl_store_posmap *m)
{
	if (m->n > 1)
		qsort(m->v, m->n, sizeof *m->v, by_ptr);
}

int64_t
sl_store_posmap_find(const struct sl_store_posmap *m, const void *p)
{
	if (p == NULL)
		return -1;
	size_t lo = 0, hi = m->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uintptr_t a = (uintptr_t)m->v[mid].p;
		if (a == (uintptr_t)p)
			return m->v[mid].seq;
		if (a < (uintptr_t)p)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

void
sl_store_posmap_free(struct sl_store_posmap *m)
{
	free(m->v);
	*m = (struct sl_store_posmap){ 0 };
}

/* ----- one call ----- */

static int
bind_pos(sqlite3_stmt *q, int i, int64_t pos)
{
	return pos < 0 ? sqlite3_bind_null(q, i) : sqlite3_bind_int64(q, i, pos);
}

static int64_t
leg_pos(const struct sl_call *call, const struct sl_leg *leg)
{
	int64_t i = 0;
	for (const struct sl_leg *l = call->legs; l; l = l->next, i++)
		if (l == leg)
			return i;
	return -1;
}

static enum sl_err
write_call_row(struct sl_store *s, int64_t capture, const struct sl_call *call, bool *skipped)
{
	sl_buf_reset(&s->key);
	enum sl_err e = SL_OK;
	for (const struct sl_leg *l = call->legs; e == SL_OK && l; l = l->next) {
		if (l != call->legs)
			e = sl_buf_addc(&s->key, ' ');
		if (e == SL_OK)
			e = sl_buf_addstr(&s->key, l->call_id);
	}
	if (e != SL_OK) {
		sl_buf_init(&s->key, 1u << 20);
		return sl_store_failf(s, SL_STORE_ENOMEM, "out of memory storing a call");
	}
	sqlite3_stmt *q = sl_store_stmt(s, ST_CALL_INSERT);
	int rc = SQLITE_OK, i = 1;
	if (q) {
		rc = sqlite3_bind_int64(q, i++, capture);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_text(q, i++, s->key.len ? s->key.p : "", (int)s->key.len,
			    SQLITE_STATIC);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_int64(q, i++, call->n_msgs);
		if (rc == SQLITE_OK)
			rc = sl_store_bind_cols(q, &i, sl_store_call_cols, call);
		if (rc == SQLITE_OK)
			rc = sqlite3_bind_int(q, i++, sl_call_media_problems(call));
	}
	e = run(s, q, rc, "storing a call");
	if (e == SL_OK)
		*skipped = sqlite3_changes(s->db) == 0;
	return e;
}

static enum sl_err
evidence_text(struct sl_buf *b, uint32_t ev)
{
	sl_buf_reset(b);
	enum sl_err e = SL_OK;
	for (int i = 0; e == SL_OK && sl_join_ev_names[i]; i++)
		if (ev & (1u << i))
			e = sl_buf_printf(b, "%s%s", b->len ? "," : "", sl_join_ev_names[i]);
	return e;
}

static enum sl_err
write_legs(struct sl_store *s, int64_t id, const struct sl_call *call)
{
	uint32_t seq = 0;
	enum sl_err e = SL_OK;
	for (const struct sl_leg *l = call->legs; e == SL_OK && l; l = l->next, seq++) {
		e = evidence_text(&s->text, l->join_ev);
		if (e != SL_OK) {
			sl_buf_init(&s->text, 1u << 20);
			return sl_store_failf(s, SL_STORE_ENOMEM, "out of memory storing a call");
		}
		sqlite3_stmt *q = sl_store_stmt(s, ST_LEG_INSERT);
		int rc = SQLITE_OK, i = 1;
		if (q) {
			rc = sqlite3_bind_int64(q, i++, id);
			if (rc == SQLITE_OK)
				rc = sqlite3_bind_int64(q, i++, seq);
			if (rc == SQLITE_OK)
				rc = bind_pos(q, i++, l->joined_to ? leg_pos(call, l->joined_to) : -1);
			if (rc == SQLITE_OK)
				rc = bind_pos(q, i++, sl_store_posmap_find(&s->msgs, l->last_bye));
			if (rc == SQLITE_OK)
				rc = sl_store_bind_cols(q, &i, sl_store_leg_cols, l);
			if (rc == SQLITE_OK)
				rc = l->join_ev ? sqlite3_bind_text(q, i, s->text.p, (int)s->text.len,
				    SQLITE_STATIC) : sqlite3_bind_null(q, i);
		}
		e = run(s, q, rc, "storing a call");
		for (int r = 0; e == SL_OK && r < SL_AUTH_N; r++) {
			const struct sl_auth *a = &l->auth[r];
			/* a request never challenged nor sent with credentials has
			 * nothing to say: no row (the loader's zero is the same) */
			if (!a->challenges && !a->status && !a->credentials && !a->authorised &&
			    !a->failed && !a->user.p && !a->realm.p && !a->last_challenge)
				continue;
			q = sl_store_stmt(s, ST_AUTH_INSERT);
			i = 1;
			if (q) {
				rc = sqlite3_bind_int64(q, i++, id);
				if (rc == SQLITE_OK)
					rc = sqlite3_bind_int64(q, i++, seq);
				if (rc == SQLITE_OK)
					rc = sqlite3_bind_text(q, i++, sl_auth_req_name((enum sl_auth_req)r),
					    -1, SQLITE_STATIC);
				if (rc == SQLITE_OK)
					rc = bind_pos(q, i++,
					    sl_store_posmap_find(&s->msgs, a->last_challenge));
				if (rc == SQLITE_OK)
					rc = sl_store_bind_cols(q, &i, sl_store_auth_cols, a);
			}
			e = run(s, q, rc, "storing a call");
		}
	}
	return e;
}

/* "INVITE", "INVITE (SDP)", "401 Unauthorized": what a ladder row says;
 * then, after *label_n bytes and a NUL, the anomaly names */
static enum sl_err
label_text(struct sl_buf *b, const struct sl_msg *m, size_t *label_n)
{
	sl_buf_reset(b);
	enum sl_err e = m->is_request ? sl_buf_addstr(b, m->method) :
	    sl_buf_printf(b, "%u %.*s", m->status, SL_PRI(m->reason));
	if (e == SL_OK && m->has_sdp)
		e = sl_buf_adds(b, " (SDP)");
	*label_n = b->len;
	if (e == SL_OK)
		e = sl_buf_addc(b, '\0');
	for (unsigned k = 0; e == SL_OK && k < m->n_anomalies; k++)
		e = sl_buf_printf(b, "%s%s", k ? " " : "", m->anomalies[k]);
	return e;
}

static enum sl_err
write_msgs(struct sl_store *s, int64_t id, const struct sl_call *call)
{
	uint32_t seq = 0;
	enum sl_err e = SL_OK;
	const struct sl_leg *last_leg = NULL;
	int64_t last_pos = -1;
	for (const struct sl_msg *m = call->msgs; e == SL_OK && m; m = m->next, seq++) {
		/* label, NUL, then the anomaly list, in one scratch buffer */
		size_t label_n;
		if (label_text(&s->text, m, &label_n) != SL_OK) {
			sl_buf_init(&s->text, 1u << 20);
			return sl_store_failf(s, SL_STORE_ENOMEM, "out of memory storing a call");
		}
		const char *anom = s->text.p + label_n + 1;
		size_t anom_n = s->text.len - label_n - 1;
		if (m->leg != last_leg) {
			last_leg = m->leg;
			last_pos = m->leg ? leg_pos(call, m->leg) : -1;
		}
		sqlite3_stmt *q = sl_store_stmt(s, ST_MSG_INSERT);
		int rc = SQLITE_OK, i = 1;
		if (q) {
			rc = sqlite3_bind_int64(q, i++, id);
			if (rc == SQLITE_OK)
				rc = sqlite3_bind_int64(q, i++, seq);
			if (rc == SQLITE_OK)
				rc = bind_pos(q, i++, last_pos);
			if (rc == SQLITE_OK)
				rc = sl_store_bind_cols(q, &i, sl_store_msg_cols, m);
			if (rc == SQLITE_OK)
				rc = sqlite3_bind_text(q, i++, s->text.p, (int)label_n, SQLITE_STATIC);
			if (rc == SQLITE_OK)
				rc = m->n_anomalies ? sqlite3_bind_text(q, i, anom, (int)anom_n,
				    SQLITE_STATIC) : sqlite3_bind_null(q, i);
			i++;
			if (rc == SQLITE_OK)
				rc = m->raw.p ? sqlite3_bind_blob64(q, i, m->raw.p, m->raw.n,
				    SQLITE_STATIC) : sqlite3_bind_null(q, i);
		}
		e = run(s, q, rc, "storing a call");
	}
	return e;
}

static enum sl_err
write_streams(struct sl_store *s, int64_t id, const struct sl_call *call)
{
	uint32_t seq = 0;
	enum sl_err e = SL_OK;
	for (const struct sl_stream *st = call->streams; e == SL_OK && st; st = st->next, seq++) {
		sqlite3_stmt *q = sl_store_stmt(s, ST_STREAM_INSERT);
		int rc = SQLITE_OK, i = 1;
		if (q) {
			rc = sqlite3_bind_int64(q, i++, id);
			if (rc == SQLITE_OK)
				rc = sqlite3_bind_int64(q, i++, seq);
			if (rc == SQLITE_OK)
				rc = bind_pos(q, i++, st->leg ? leg_pos(call, st->leg) : -1);
			if (rc == SQLITE_OK)
				rc = sl_store_bind_cols(q, &i, sl_store_stream_cols, st);
			if (rc == SQLITE_OK)
				rc = sqlite3_bind_int(q, i, sl_stream_problems(st));
		}
		e = run(s, q, rc, "storing a call");
	}
	return e;
}

static enum sl_err
write_regs(struct sl_store *s, int64_t id, const struct sl_call *call)
{
	uint32_t seq = 0;
	enum sl_err e = SL_OK;
	for (const struct sl_reg *r = call->regs; e == SL_OK && r; r = r->next, seq++) {
		sqlite3_stmt *q = sl_store_stmt(s, ST_REG_INSERT);
		int rc = SQLITE_OK, i = 1;
		if (q) {
			rc = sqlite3_bind_int64(q, i++, id);
			if (rc == SQLITE_OK)
				rc = sqlite3_bind_int64(q, i++, seq);
			if (rc == SQLITE_OK)
				rc = sl_store_bind_cols(q, &i, sl_store_reg_cols, r);
		}
		e = run(s, q, rc, "storing a call");
	}
	return e;
}

static enum sl_err
write_findings(struct sl_store *s, int64_t id, const struct sl_call *call)
{
	enum sl_err e = SL_OK;
	for (unsigned k = 0; e == SL_OK && k < call->n_findings; k++) {
		const struct sl_finding *f = &call->findings[k];
		sqlite3_stmt *q = sl_store_stmt(s, ST_FINDING_INSERT);
		int rc = SQLITE_OK, i = 1;
		if (q) {
			rc = sqlite3_bind_int64(q, i++, id);
			if (rc == SQLITE_OK)
				rc = sqlite3_bind_int64(q, i++, k);
			if (rc == SQLITE_OK)
				rc = bind_pos(q, i++, f->leg ? leg_pos(call, f->leg) : -1);
			if (rc == SQLITE_OK)
				rc = bind_pos(q, i++, sl_store_posmap_find(&s->msgs, f->msg));
			if (rc == SQLITE_OK)
				rc = bind_pos(q, i++, sl_store_posmap_find(&s->streams, f->stream));
			/* the request only means something for auth_failed */
			if (rc == SQLITE_OK)
				rc = f->kind == SL_FINDING_AUTH_FAILED ? sqlite3_bind_text(q, i,
				    sl_auth_req_name(f->req), -1, SQLITE_STATIC) :
				    sqlite3_bind_null(q, i);
			i++;
			if (rc == SQLITE_OK)
				rc = sl_store_bind_cols(q, &i, sl_store_finding_cols, f);
		}
		e = run(s, q, rc, "storing a call");
	}
	return e;
}

static enum sl_err
index_parts(struct sl_store *s, const struct sl_call *call)
{
	s->msgs.n = 0;
	s->streams.n = 0;
	uint32_t seq = 0;
	for (const struct sl_msg *m = call->msgs; m; m = m->next)
		if (sl_store_posmap_add(&s->msgs, m, seq++) != SL_OK)
			return SL_ENOMEM;
	seq = 0;
	for (const struct sl_stream *st = call->streams; st; st = st->next)
		if (sl_store_posmap_add(&s->streams, st, seq++) != SL_OK)
			return SL_ENOMEM;
	sl_store_posmap_sort(&s->msgs);
	sl_store_posmap_sort(&s->streams);
	return SL_OK;
}

static enum sl_err
write_call_locked(struct sl_store *s, int64_t capture, const struct sl_call *call,
    bool *skipped)
{
	sl_store_clear_error(s);
	*skipped = false;
	if (index_parts(s, call) != SL_OK)
		return sl_store_failf(s, SL_STORE_ENOMEM, "out of memory storing a call");
	enum sl_err e = sl_store_txn(s);
	if (e != SL_OK)
		return e;
	e = write_call_row(s, capture, call, skipped);
	if (e == SL_OK && *skipped) {
		s->stats.calls_skipped++;
		return sl_store_tick(s);
	}
	int64_t id = sqlite3_last_insert_rowid(s->db);
	if (e == SL_OK)
		e = write_legs(s, id, call);
	if (e == SL_OK)
		e = write_msgs(s, id, call);
	if (e == SL_OK)
		e = write_streams(s, id, call);
	if (e == SL_OK)
		e = write_regs(s, id, call);
	if (e == SL_OK)
		e = write_findings(s, id, call);
	if (e != SL_OK) {
		sl_store_abort(s);
		return e;
	}
	s->txn_calls++;
	s->stats.calls_written++;
	if (s->txn_calls >= s->o.batch_calls)
		return sl_store_commit_now(s);
	return sl_store_tick(s);
}

enum sl_err
sl_store_tick(struct sl_store *s)
{
	sl_store_lock(s);
	enum sl_err e = tick_locked(s);
	sl_store_unlock(s);
	return e;
}

enum sl_err
sl_store_capture_begin(struct sl_store *s, const struct sl_store_capture_info *ci, int64_t *id)
{
	sl_store_lock(s);
	enum sl_err e = capture_begin_locked(s, ci, id);
	sl_store_unlock(s);
	return e;
}

enum sl_err
sl_store_capture_update(struct sl_store *s, int64_t id, const struct sl_store_totals *t,
    bool finished)
{
	sl_store_lock(s);
	enum sl_err e = capture_update_locked(s, id, t, finished);
	sl_store_unlock(s);
	return e;
}

enum sl_err
sl_store_write_call(struct sl_store *s, int64_t capture, const struct sl_call *call,
    bool *skipped)
{
	sl_store_lock(s);
	enum sl_err e = write_call_locked(s, capture, call, skipped);
	sl_store_unlock(s);
	return e;
}

enum sl_err
sl_store_commit(struct sl_store *s)
{
	/* what a sink's writer thread still holds belongs to this commit;
	 * waited for without the lock, which the writer needs */
	enum sl_err e = s->drain ? s->drain(s->drain_user) : SL_OK;
	sl_store_lock(s);
	if (e == SL_OK)
		e = sl_store_commit_now(s);
	sl_store_unlock(s);
	return e;
}
