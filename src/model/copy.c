/* copy.c: a deep copy of a call, for a consumer that must keep a call
 * past the callback that lends it (the store's writer thread). The copy
 * owns everything it points to, anomaly names included, and its parts
 * refer to each other as the original's did. */
#include <stdlib.h>
#include <string.h>

#include "model/model.h"

/* old pointer -> new pointer, sorted by old for lookups */
struct pair {
	const void *from;
	void *to;
};

static int
by_from(const void *x, const void *y)
{
	uintptr_t a = (uintptr_t)((const struct pair *)x)->from;
	uintptr_t b = (uintptr_t)((const struct pair *)y)->from;
	return a < b ? -1 : a > b;
}

static void *
lookup(const struct pair *v, size_t n, const void *from)
{
	if (from == NULL)
		return NULL;
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid].from == from)
			return v[mid].to;
		if ((uintptr_t)v[mid].from < (uintptr_t)from)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* A copy of s in the call's arena; an empty slice stays empty, NULL or
 * not. false on out of memory. */
static bool
str(struct sl_call *c, struct sl_str *s)
{
	if (s->p == NULL)
		return true;
	if (s->n == 0) {
		s->p = "";	/* never into the original, which dies first */
		return true;
	}
	struct sl_str d = sl_arena_str(&c->arena, *s);
	if (d.p == NULL)
		return false;
	*s = d;
	return true;
}

static bool
msg_strs(struct sl_call *c, struct sl_msg *m)
{
	struct sl_str *v[] = { &m->method, &m->reason, &m->ruri, &m->call_id, &m->from_user,
		&m->from_tag, &m->to_user, &m->to_tag, &m->from_uri, &m->to_uri, &m->branch,
		&m->contact, &m->reason_hdr, &m->user_agent, &m->xcid, &m->auth_user,
		&m->auth_realm, &m->chal_realm, &m->sdp_codec, &m->raw };
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		if (!str(c, v[i]))
			return false;
	for (unsigned i = 0; i < m->n_anomalies; i++) {
		struct sl_str a = sl_arena_str(&c->arena, sl_str_c(m->anomalies[i]));
		if (a.p == NULL)
			return false;
		m->anomalies[i] = a.p;
	}
	return true;
}

static bool
leg_strs(struct sl_call *c, struct sl_leg *l)
{
	struct sl_str *v[] = { &l->call_id, &l->from_user, &l->to_user, &l->ruri,
		&l->final_reason, &l->bye_reason };
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		if (!str(c, v[i]))
			return false;
	for (int r = 0; r < SL_AUTH_N; r++)
		if (!str(c, &l->auth[r].user) || !str(c, &l->auth[r].realm))
			return false;
	return true;
}

static bool
copy_parts(struct sl_call *c, const struct sl_call *src, struct pair *legs, struct pair *msgs,
    struct pair *streams)
{
	size_t nl = 0, nm = 0, ns = 0;
	for (const struct sl_leg *l = src->legs; l; l = l->next) {
		struct sl_leg *d = sl_call_new_leg(c);
		if (d == NULL)
			return false;
		struct sl_leg *next = d->next;
		*d = *l;
		d->next = next;
		d->call = c;
		legs[nl++] = (struct pair){ l, d };
		if (!leg_strs(c, d))
			return false;
	}
	qsort(legs, nl, sizeof *legs, by_from);
	for (const struct sl_msg *m = src->msgs; m; m = m->next) {
		struct sl_msg *d = sl_call_new_msg(c, lookup(legs, nl, m->leg));
		if (d == NULL)
			return false;
		struct sl_leg *leg = d->leg;
		*d = *m;
		d->next = NULL;
		d->leg = leg;
		msgs[nm++] = (struct pair){ m, d };
		if (!msg_strs(c, d))
			return false;
	}
	qsort(msgs, nm, sizeof *msgs, by_from);
	for (const struct sl_stream *s = src->streams; s; s = s->next) {
		struct sl_stream *d = sl_call_new_stream(c, lookup(legs, nl, s->leg));
		if (d == NULL)
			return false;
		struct sl_leg *leg = d->leg;
		*d = *s;
		d->next = NULL;
		d->leg = leg;
		streams[ns++] = (struct pair){ s, d };
		if (!str(c, &d->codec))
			return false;
	}
	qsort(streams, ns, sizeof *streams, by_from);
	for (const struct sl_reg *r = src->regs; r; r = r->next) {
		struct sl_reg *d = sl_call_new_reg(c);
		if (d == NULL)
			return false;
		*d = *r;
		d->next = NULL;
		if (!str(c, &d->user) || !str(c, &d->contact) || !str(c, &d->auth_user))
			return false;
	}
	/* references between parts, now that every part has its copy */
	for (struct sl_leg *l = c->legs; l; l = l->next) {
		l->joined_to = lookup(legs, nl, l->joined_to);
		l->last_bye = lookup(msgs, nm, l->last_bye);
		for (int r = 0; r < SL_AUTH_N; r++)
			l->auth[r].last_challenge = lookup(msgs, nm, l->auth[r].last_challenge);
	}
	for (unsigned i = 0; i < src->n_findings; i++) {
		struct sl_finding f = src->findings[i];
		f.leg = lookup(legs, nl, f.leg);
		f.msg = lookup(msgs, nm, f.msg);
		f.stream = lookup(streams, ns, f.stream);
		if (sl_call_add_finding(c, &f) != SL_OK)
			return false;
	}
	return true;
}

struct sl_call *
sl_call_copy(const struct sl_call *src)
{
	struct sl_call *c = sl_call_new(src->kind, src->index, 0);
	struct pair *legs = malloc((src->n_legs + 1) * sizeof *legs);
	struct pair *msgs = malloc((src->n_msgs + 1) * sizeof *msgs);
	struct pair *streams = malloc((src->n_streams + 1) * sizeof *streams);
	bool ok = c && legs && msgs && streams;
	if (ok) {
		c->msgs_dropped = src->msgs_dropped;
		c->first_ts = src->first_ts;
		c->last_ts = src->last_ts;
		c->first_frame = src->first_frame;
		c->sum = src->sum;
		ok = copy_parts(c, src, legs, msgs, streams) && str(c, &c->sum.from_user) &&
		    str(c, &c->sum.to_user) && str(c, &c->sum.callee_user) &&
		    str(c, &c->sum.reason);
	}
	free(legs);
	free(msgs);
	free(streams);
	if (!ok) {
		sl_call_free(c);
		return NULL;
	}
	return c;
}
