/* load.c: rebuilding calls from the database, every field as the
 * correlator and the analysis left it, so that a report cannot tell a
 * loaded call from an emitted one. The verdict (summary and findings)
 * is the stored one, decided when the call was captured; the round-trip
 * test checks that analysing the loaded call again agrees. References
 * between parts were stored as positions and become pointers again. */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

/* Pointers by position, for one call at a time. */
struct vec {
	void **v;
	size_t n, cap;
};

struct loader {
	struct sl_store *s;
	struct vec legs, msgs, streams;
	int64_t *joined, *last_bye;	/* per leg position; -1 none */
	size_t ref_cap;
};

static enum sl_err
vec_push(struct vec *v, void *p)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 32;
		void **nv = realloc(v->v, cap * sizeof *nv);
		if (nv == NULL)
			return SL_ENOMEM;
		v->v = nv;
		v->cap = cap;
	}
	v->v[v->n++] = p;
	return SL_OK;
}

static enum sl_err
oom(struct loader *L)
{
	return sl_store_failf(L->s, SL_STORE_ENOMEM, "out of memory loading a call");
}

static enum sl_err
corrupt(struct loader *L, const char *what, int64_t call)
{
	return sl_store_failf(L->s, SL_STORE_ECORRUPT, "call %lld: %s refers to a part it does "
	    "not have", (long long)call, what);
}

/* A position column: -1 for NULL; *ok false when it points nowhere. */
static void *
at(struct vec *v, sqlite3_stmt *q, int col, bool *ok)
{
	if (sqlite3_column_type(q, col) == SQLITE_NULL)
		return NULL;
	sqlite3_int64 i = sqlite3_column_int64(q, col);
	if (i < 0 || (size_t)i >= v->n) {
		*ok = false;
		return NULL;
	}
	return v->v[i];
}

static sqlite3_stmt *
children(struct loader *L, enum st_id id, int64_t call)
{
	sqlite3_stmt *q = sl_store_stmt(L->s, id);
	if (q && sqlite3_bind_int64(q, 1, call) != SQLITE_OK)
		return NULL;
	return q;
}

/* Ends a children loop: SQLITE_DONE is success. */
static enum sl_err
done(struct loader *L, sqlite3_stmt *q, int rc)
{
	if (q == NULL)
		return L->s->err.code == SL_STORE_ENOMEM ? SL_ENOMEM : SL_EDB;
	if (rc != SQLITE_DONE)
		return sl_store_fail(L->s, rc, "loading a call");
	return SL_OK;
}

static int64_t
pos_or_none(sqlite3_stmt *q, int col)
{
	return sqlite3_column_type(q, col) == SQLITE_NULL ? -1 : sqlite3_column_int64(q, col);
}

static enum sl_err
load_legs(struct loader *L, struct sl_call *call, int64_t id)
{
	sqlite3_stmt *q = children(L, ST_LOAD_LEGS, id);
	int rc = q ? sqlite3_step(q) : SQLITE_ERROR;
	for (; rc == SQLITE_ROW; rc = sqlite3_step(q)) {
		struct sl_leg *l = sl_call_new_leg(call);
		if (l == NULL || vec_push(&L->legs, l) != SL_OK)
			return oom(L);
		if (L->legs.n > L->ref_cap) {
			size_t cap = L->ref_cap ? L->ref_cap * 2 : 16;
			int64_t *j = realloc(L->joined, cap * sizeof *j);
			if (j)
				L->joined = j;
			int64_t *b = j ? realloc(L->last_bye, cap * sizeof *b) : NULL;
			if (b == NULL)
				return oom(L);
			L->last_bye = b;
			L->ref_cap = cap;
		}
		L->joined[L->legs.n - 1] = pos_or_none(q, 0);
		L->last_bye[L->legs.n - 1] = pos_or_none(q, 1);
		int i = 2;
		enum sl_err e = sl_store_read_cols(L->s, q, &i, sl_store_leg_cols, l, &call->arena);
		if (e != SL_OK)
			return e;
	}
	return done(L, q, rc);
}

/* "sip.content_length udp.checksum": static names in the model, copies
 * in the call's arena here */
static enum sl_err
anomalies(struct loader *L, struct sl_call *call, sqlite3_stmt *q, int col, struct sl_msg *m)
{
	struct sl_str rest;
	if (sl_store_read_str(q, col, &call->arena, &rest) != SL_OK)
		return oom(L);
	while (rest.n && m->n_anomalies < SL_MSG_MAX_ANOMALIES) {
		struct sl_str name;
		rest = sl_str_split(rest, ' ', &name);
		char *c = sl_arena_alloc(&call->arena, name.n + 1);
		if (c == NULL)
			return oom(L);
		memcpy(c, name.p, name.n);
		c[name.n] = '\0';
		m->anomalies[m->n_anomalies++] = c;
	}
	return SL_OK;
}

static enum sl_err
raw_bytes(struct loader *L, struct sl_call *call, sqlite3_stmt *q, int col, struct sl_msg *m)
{
	if (sqlite3_column_type(q, col) == SQLITE_NULL)
		return SL_OK;
	const void *p = sqlite3_column_blob(q, col);
	size_t n = (size_t)sqlite3_column_bytes(q, col);
	if (n == 0) {
		m->raw = sl_str_make("", 0);
		return SL_OK;
	}
	char *c = p ? sl_arena_alloc(&call->arena, n + 1) : NULL;
	if (c == NULL)
		return oom(L);
	memcpy(c, p, n);
	c[n] = '\0';
	m->raw = sl_str_make(c, n);
	return SL_OK;
}

static enum sl_err
load_msgs(struct loader *L, struct sl_call *call, int64_t id)
{
	sqlite3_stmt *q = children(L, ST_LOAD_MSGS, id);
	int rc = q ? sqlite3_step(q) : SQLITE_ERROR;
	for (; rc == SQLITE_ROW; rc = sqlite3_step(q)) {
		bool ok = true;
		struct sl_leg *leg = at(&L->legs, q, 0, &ok);
		if (!ok)
			return corrupt(L, "a message", id);
		struct sl_msg *m = sl_call_new_msg(call, leg);
		if (m == NULL || vec_push(&L->msgs, m) != SL_OK)
			return oom(L);
		enum sl_err e = anomalies(L, call, q, 1, m);
		if (e == SL_OK)
			e = raw_bytes(L, call, q, 2, m);
		int i = 3;
		if (e == SL_OK)
			e = sl_store_read_cols(L->s, q, &i, sl_store_msg_cols, m, &call->arena);
		if (e != SL_OK)
			return e;
		/* derived, as the dissector derives it */
		m->method_id = sl_sip_method_id(m->method);
	}
	return done(L, q, rc);
}

static bool
auth_req(sqlite3_stmt *q, int col, enum sl_auth_req *out)
{
	const unsigned char *t = sqlite3_column_text(q, col);
	for (int r = 0; t && r < SL_AUTH_N; r++)
		if (strcmp((const char *)t, sl_auth_req_name((enum sl_auth_req)r)) == 0) {
			*out = (enum sl_auth_req)r;
			return true;
		}
	return false;
}

static enum sl_err
load_auth(struct loader *L, struct sl_call *call, int64_t id)
{
	sqlite3_stmt *q = children(L, ST_LOAD_AUTH, id);
	int rc = q ? sqlite3_step(q) : SQLITE_ERROR;
	for (; rc == SQLITE_ROW; rc = sqlite3_step(q)) {
		bool ok = true;
		struct sl_leg *l = at(&L->legs, q, 0, &ok);
		enum sl_auth_req r = SL_AUTH_OTHER;
		if (l == NULL || !auth_req(q, 1, &r))
			return corrupt(L, "an authentication record", id);
		struct sl_auth *a = &l->auth[r];
		a->last_challenge = at(&L->msgs, q, 2, &ok);
		if (!ok)
			return corrupt(L, "an authentication record", id);
		int i = 3;
		enum sl_err e = sl_store_read_cols(L->s, q, &i, sl_store_auth_cols, a, &call->arena);
		if (e != SL_OK)
			return e;
	}
	return done(L, q, rc);
}

static enum sl_err
load_streams(struct loader *L, struct sl_call *call, int64_t id)
{
	sqlite3_stmt *q = children(L, ST_LOAD_STREAMS, id);
	int rc = q ? sqlite3_step(q) : SQLITE_ERROR;
	for (; rc == SQLITE_ROW; rc = sqlite3_step(q)) {
		bool ok = true;
		struct sl_leg *leg = at(&L->legs, q, 0, &ok);
		if (!ok)
			return corrupt(L, "a stream", id);
		struct sl_stream *st = sl_call_new_stream(call, leg);
		if (st == NULL || vec_push(&L->streams, st) != SL_OK)
			return oom(L);
		int i = 1;
		enum sl_err e = sl_store_read_cols(L->s, q, &i, sl_store_stream_cols, st,
		    &call->arena);
		if (e != SL_OK)
			return e;
	}
	return done(L, q, rc);
}

static enum sl_err
load_regs(struct loader *L, struct sl_call *call, int64_t id)
{
	sqlite3_stmt *q = children(L, ST_LOAD_REGS, id);
	int rc = q ? sqlite3_step(q) : SQLITE_ERROR;
	for (; rc == SQLITE_ROW; rc = sqlite3_step(q)) {
		struct sl_reg *r = sl_call_new_reg(call);
		if (r == NULL)
			return oom(L);
		int i = 1;
		enum sl_err e = sl_store_read_cols(L->s, q, &i, sl_store_reg_cols, r, &call->arena);
		if (e != SL_OK)
			return e;
	}
	return done(L, q, rc);
}

static enum sl_err
load_findings(struct loader *L, struct sl_call *call, int64_t id)
{
	sqlite3_stmt *q = children(L, ST_LOAD_FINDINGS, id);
	int rc = q ? sqlite3_step(q) : SQLITE_ERROR;
	for (; rc == SQLITE_ROW; rc = sqlite3_step(q)) {
		bool ok = true;
		struct sl_finding f = { 0 };
		f.leg = at(&L->legs, q, 0, &ok);
		f.msg = at(&L->msgs, q, 1, &ok);
		f.stream = at(&L->streams, q, 2, &ok);
		if (sqlite3_column_type(q, 3) != SQLITE_NULL && !auth_req(q, 3, &f.req))
			ok = false;
		if (!ok)
			return corrupt(L, "a finding", id);
		int i = 4;
		enum sl_err e = sl_store_read_cols(L->s, q, &i, sl_store_finding_cols, &f,
		    &call->arena);
		if (e == SL_OK && sl_call_add_finding(call, &f) != SL_OK)
			e = oom(L);
		if (e != SL_OK)
			return e;
	}
	return done(L, q, rc);
}

static enum sl_err
leg_refs(struct loader *L, int64_t id)
{
	for (size_t i = 0; i < L->legs.n; i++) {
		struct sl_leg *l = L->legs.v[i];
		int64_t j = L->joined[i], b = L->last_bye[i];
		if (j >= (int64_t)L->legs.n || b >= (int64_t)L->msgs.n)
			return corrupt(L, "a leg", id);
		l->joined_to = j >= 0 ? L->legs.v[j] : NULL;
		l->last_bye = b >= 0 ? L->msgs.v[b] : NULL;
	}
	return SL_OK;
}

/* One call from the current row of the calls query. */
static enum sl_err
load_call(struct loader *L, sqlite3_stmt *cq, struct sl_call **out)
{
	int64_t id = sqlite3_column_int64(cq, 0);
	struct sl_call *call = sl_call_new(SL_CALL_INVITE, 0, 0);
	if (call == NULL)
		return oom(L);
	L->legs.n = L->msgs.n = L->streams.n = 0;
	int i = 3;
	enum sl_err e = sl_store_read_cols(L->s, cq, &i, sl_store_call_cols, call, &call->arena);
	if (e == SL_OK)
		e = load_legs(L, call, id);
	if (e == SL_OK)
		e = load_msgs(L, call, id);
	if (e == SL_OK)
		e = load_auth(L, call, id);
	if (e == SL_OK)
		e = load_streams(L, call, id);
	if (e == SL_OK)
		e = load_regs(L, call, id);
	if (e == SL_OK)
		e = load_findings(L, call, id);
	if (e == SL_OK)
		e = leg_refs(L, id);
	if (e != SL_OK) {
		sl_call_free(call);
		return e;
	}
	*out = call;
	return SL_OK;
}

static enum sl_err
load_locked(struct sl_store *s, const struct sl_store_filter *f, sl_store_call_fn fn,
    void *user)
{
	sl_store_clear_error(s);
	/* one snapshot for the whole load; a writer's own open batch is
	 * read as it stands */
	bool own = !s->in_txn;
	if (own && sl_store_exec(s, "BEGIN", "loading calls") != SL_OK)
		return SL_EDB;
	sqlite3_stmt *cq;
	enum sl_err e = sl_store_calls_query(s, f, &cq);
	struct loader L = { .s = s };
	int rc = SQLITE_DONE;
	if (e == SL_OK) {
		for (rc = sqlite3_step(cq); e == SL_OK && rc == SQLITE_ROW; rc = sqlite3_step(cq)) {
			/* set on success only; -O2 cannot see that through load_call */
			struct sl_call *call = NULL;
			e = load_call(&L, cq, &call);
			if (e != SL_OK)
				break;
			struct sl_store_call_ref ref = {
				.id = sqlite3_column_int64(cq, 0),
				.capture = sqlite3_column_int64(cq, 1),
				.base_ts = sqlite3_column_int64(cq, 2),
			};
			e = fn(user, call, &ref);
			sl_call_free(call);
		}
		if (e == SL_OK && rc != SQLITE_DONE)
			e = sl_store_fail(s, rc, "loading calls");
		sqlite3_finalize(cq);
	}
	/* a statement left mid-rows would hold its snapshot */
	for (int id = ST_LOAD_LEGS; id <= ST_LOAD_FINDINGS; id++)
		if (s->st[id])
			sqlite3_reset(s->st[id]);
	free(L.legs.v);
	free(L.msgs.v);
	free(L.streams.v);
	free(L.joined);
	free(L.last_bye);
	if (own)
		sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	return e;
}

enum sl_err
sl_store_load(struct sl_store *s, const struct sl_store_filter *f, sl_store_call_fn fn,
    void *user)
{
	sl_store_lock(s);
	enum sl_err e = load_locked(s, f, fn, user);
	sl_store_unlock(s);
	return e;
}
