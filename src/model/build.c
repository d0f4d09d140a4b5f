/* build.c: making a call model from parts, for whoever rebuilds one
 * without the correlator (the store's loader, hand-made test calls).
 * Each part is zeroed, linked at the end of its list and counted; the
 * caller fills in the facts. */
#include <stdlib.h>

#include "model/model.h"

#define CALL_CHUNK 16384

struct sl_call *
sl_call_new(enum sl_call_kind kind, uint32_t index, size_t mem_cap)
{
	struct sl_call *call = calloc(1, sizeof *call);
	if (call == NULL)
		return NULL;
	sl_arena_init(&call->arena, CALL_CHUNK, mem_cap);
	call->kind = kind;
	call->index = index;
	/* what sl_call_analyze says of a call never answered */
	call->sum.setup_ns = -1;
	call->sum.talk_ns = -1;
	return call;
}

struct sl_leg *
sl_call_new_leg(struct sl_call *call)
{
	struct sl_leg *leg = sl_arena_zalloc(&call->arena, sizeof *leg);
	if (leg != NULL)
		sl_call_add_leg(call, leg);
	return leg;
}

void
sl_call_add_leg(struct sl_call *call, struct sl_leg *leg)
{
	leg->call = call;
	leg->name = (char)('A' + (call->n_legs < 26 ? call->n_legs : 25));
	leg->first_max_forwards = -1;
	leg->join_mf_parent = -1;
	leg->join_mf_self = -1;
	struct sl_leg **pp = &call->legs;
	while (*pp)
		pp = &(*pp)->next;
	*pp = leg;
	call->n_legs++;
}

struct sl_msg *
sl_call_new_msg(struct sl_call *call, struct sl_leg *leg)
{
	struct sl_msg *m = sl_arena_zalloc(&call->arena, sizeof *m);
	if (m == NULL)
		return NULL;
	m->leg = leg;
	m->max_forwards = -1;
	m->expires = -1;
	if (call->msgs_tail)
		call->msgs_tail->next = m;
	else
		call->msgs = m;
	call->msgs_tail = m;
	call->n_msgs++;
	return m;
}

struct sl_stream *
sl_call_new_stream(struct sl_call *call, struct sl_leg *leg)
{
	struct sl_stream *s = sl_arena_zalloc(&call->arena, sizeof *s);
	if (s == NULL)
		return NULL;
	s->leg = leg;
	struct sl_stream **pp = &call->streams;
	while (*pp)
		pp = &(*pp)->next;
	*pp = s;
	call->n_streams++;
	return s;
}

struct sl_reg *
sl_call_new_reg(struct sl_call *call)
{
	struct sl_reg *r = sl_arena_zalloc(&call->arena, sizeof *r);
	if (r == NULL)
		return NULL;
	r->expires_req = -1;
	r->expires = -1;
	struct sl_reg **pp = &call->regs;
	while (*pp)
		pp = &(*pp)->next;
	*pp = r;
	call->n_regs++;
	return r;
}
