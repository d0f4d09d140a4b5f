/* search.c: a filter (struct sl_store_filter) as the WHERE clause of a
 * query on calls, with its values bound as parameters, never pasted into
 * the text. Each criterion is written so that an index serves it:
 * calls_identity for time ranges, legs_* and registrations_user for
 * users and numbers, the partial indexes for auth failures and media
 * problems. */
#include <string.h>

#include "store/store_int.h"

void
sl_store_filter_init(struct sl_store_filter *f)
{
	*f = (struct sl_store_filter){ .kind = -1 };
}

struct query {
	struct sl_buf sql;
	const char *text[8];		/* bound as ?1.. in order, then ints */
	int n_text;
	int64_t num[8];
	int n_num;
	bool where;
	enum sl_err e;
};

static void
cond(struct query *q, const char *sql)
{
	if (q->e == SL_OK)
		q->e = sl_buf_printf(&q->sql, " %s %s", q->where ? "AND" : "WHERE", sql);
	q->where = true;
}

/* frag with each '@' as parameter ?k */
static void
cond_param(struct query *q, const char *frag, int k)
{
	if (q->e == SL_OK)
		q->e = sl_buf_printf(&q->sql, " %s ", q->where ? "AND" : "WHERE");
	q->where = true;
	for (const char *p = frag; q->e == SL_OK && *p; p++)
		q->e = *p == '@' ? sl_buf_printf(&q->sql, "?%d", k) : sl_buf_addc(&q->sql, *p);
}

static void
text_param(struct query *q, const char *frag, const char *v)
{
	q->text[q->n_text++] = v;
	cond_param(q, frag, q->n_text);
}

/* numbers are ?101.. so that they never collide with the texts */
static void
num_param(struct query *q, const char *frag, int64_t v)
{
	q->num[q->n_num++] = v;
	cond_param(q, frag, 100 + q->n_num);
}

static bool
known_state(const char *name)
{
	for (int v = 0; v <= SL_STATE_OTHER; v++)
		if (strcmp(name, sl_call_state_name((enum sl_call_state)v)) == 0)
			return true;
	return false;
}

/* The calls query: id, capture, the capture's start, then the columns of
 * sl_store_call_cols. */
static enum sl_err
build(struct sl_store *s, const struct sl_store_filter *f, struct query *q)
{
	q->e = sl_buf_adds(&q->sql, "SELECT c.id, c.capture, p.start_ts, ");
	if (q->e == SL_OK) {
		/* every column of the call, qualified */
		for (const struct sl_col *c = sl_store_call_cols; q->e == SL_OK && c->name; c++)
			q->e = sl_buf_printf(&q->sql, "%sc.%s", c == sl_store_call_cols ? "" : ", ",
			    c->name);
	}
	if (q->e == SL_OK)
		q->e = sl_buf_adds(&q->sql, " FROM calls c JOIN captures p ON p.id = c.capture");
	if (f == NULL)
		goto order;
	if (f->state && !known_state(f->state))
		return sl_store_failf(s, SL_STORE_EUSAGE, "no call state '%.40s' (setup, "
		    "ringing, answered, completed, bye_unanswered, cancelled, rejected, "
		    "auth_failed, registered, unregistered, reg_failed, other)", f->state);
	if (f->capture)
		num_param(q, "c.capture = @", f->capture);
	if (f->index)
		num_param(q, "c.idx = @", f->index);
	if (f->kind >= 0)
		text_param(q, "c.kind = @", sl_store_enum_call_kind.name(f->kind));
	if (f->call_id)
		text_param(q, "c.id IN (SELECT call FROM legs WHERE call_id = @)", f->call_id);
	if (f->user)
		text_param(q, "c.id IN (SELECT call FROM legs WHERE from_user GLOB @ "
		    "UNION SELECT call FROM legs WHERE to_user GLOB @ "
		    "UNION SELECT call FROM leg_auth WHERE user GLOB @ "
		    "UNION SELECT call FROM registrations WHERE user GLOB @)", f->user);
	if (f->number) {
		/* "+4930..." and "4930..." are the same number */
		const char *n = f->number[0] == '+' ? f->number + 1 : f->number;
		text_param(q, "c.id IN (SELECT call FROM legs WHERE from_user GLOB @ "
		    "UNION SELECT call FROM legs WHERE from_user GLOB '+' || @ "
		    "UNION SELECT call FROM legs WHERE to_user GLOB @ "
		    "UNION SELECT call FROM legs WHERE to_user GLOB '+' || @)", n);
	}
	if (f->since_ts)
		num_param(q, "c.last_ts >= @", f->since_ts);
	if (f->until_ts)
		num_param(q, "c.first_ts < @", f->until_ts);
	if (f->state)
		text_param(q, "c.state = @", f->state);
	if (f->auth_failed)
		cond(q, "c.auth_failed");
	if (f->media_problems)
		cond(q, "c.media_problems");
order:
	if (q->e == SL_OK)
		q->e = sl_buf_adds(&q->sql, f && f->capture ? " ORDER BY c.idx" :
		    " ORDER BY c.first_ts, c.capture, c.idx");
	if (q->e == SL_OK && f && f->limit)
		q->e = sl_buf_printf(&q->sql, " LIMIT %llu", (unsigned long long)f->limit);
	if (q->e != SL_OK)
		return sl_store_failf(s, SL_STORE_ENOMEM, "out of memory building a query");
	return SL_OK;
}

enum sl_err
sl_store_calls_query(struct sl_store *s, const struct sl_store_filter *f, sqlite3_stmt **out)
{
	*out = NULL;
	struct query q = { .e = SL_OK };
	sl_buf_init(&q.sql, 1u << 16);
	enum sl_err e = build(s, f, &q);
	if (e != SL_OK) {
		sl_buf_free(&q.sql);
		return e;
	}
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(s->db, q.sql.p, (int)q.sql.len, &st, NULL);
	sl_buf_free(&q.sql);
	if (rc != SQLITE_OK)
		return sl_store_fail(s, rc, "searching calls");
	for (int i = 0; rc == SQLITE_OK && i < q.n_text; i++)
		rc = sqlite3_bind_text(st, i + 1, q.text[i], -1, SQLITE_STATIC);
	for (int i = 0; rc == SQLITE_OK && i < q.n_num; i++)
		rc = sqlite3_bind_int64(st, 101 + i, q.num[i]);
	if (rc != SQLITE_OK) {
		sqlite3_finalize(st);
		return sl_store_fail(s, rc, "searching calls");
	}
	*out = st;
	return SL_OK;
}
