/* sched.c: see sched.h. */
#include "tests/gen/sched.h"

#include <stdlib.h>

void
slg_sched_init(struct slg_sched *s)
{
	s->heap = NULL;
	s->n = 0;
	s->cap = 0;
	s->next_order = 0;
}

void
slg_sched_free(struct slg_sched *s)
{
	free(s->heap);
	slg_sched_init(s);
}

static bool
before(const struct slg_ev *a, const struct slg_ev *b)
{
	return a->t < b->t || (a->t == b->t && a->order < b->order);
}

int
slg_sched_push(struct slg_sched *s, const struct slg_ev *ev)
{
	size_t i;

	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 256;
		struct slg_ev *h = realloc(s->heap, cap * sizeof(*h));

		if (h == NULL)
			return -1;
		s->heap = h;
		s->cap = cap;
	}
	i = s->n++;
	s->heap[i] = *ev;
	s->heap[i].order = s->next_order++;
	while (i > 0) {
		size_t p = (i - 1) / 2;
		struct slg_ev tmp;

		if (!before(&s->heap[i], &s->heap[p]))
			break;
		tmp = s->heap[i];
		s->heap[i] = s->heap[p];
		s->heap[p] = tmp;
		i = p;
	}
	return 0;
}

bool
slg_sched_pop(struct slg_sched *s, struct slg_ev *out)
{
	size_t i = 0;

	if (s->n == 0)
		return false;
	*out = s->heap[0];
	s->heap[0] = s->heap[--s->n];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		struct slg_ev tmp;

		if (l < s->n && before(&s->heap[l], &s->heap[m]))
			m = l;
		if (r < s->n && before(&s->heap[r], &s->heap[m]))
			m = r;
		if (m == i)
			break;
		tmp = s->heap[i];
		s->heap[i] = s->heap[m];
		s->heap[m] = tmp;
		i = m;
	}
	return true;
}
