/* arena.c: chunked bump allocator; see arena.h. */
#include "core/arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct sl_arena_chunk {
	struct sl_arena_chunk *next;
	size_t size;
	size_t off;
	alignas(max_align_t) unsigned char data[];
};

void
sl_arena_init(struct sl_arena *a, size_t chunk_size, size_t cap)
{
	a->head = NULL;
	a->used = 0;
	a->chunk_size = chunk_size ? chunk_size : 4096;
	a->cap = cap;
}

void
sl_arena_free(struct sl_arena *a)
{
	struct sl_arena_chunk *c = a->head;
	while (c) {
		struct sl_arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
	a->used = 0;
}

void
sl_arena_reset(struct sl_arena *a)
{
	if (a->head == NULL)
		return;
	/* keep the oldest chunk: it is the one sized for the common case */
	struct sl_arena_chunk *c = a->head, *last = NULL;
	while (c->next) {
		struct sl_arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	last = c;
	last->off = 0;
	a->head = last;
	a->used = 0;
}

void *
sl_arena_alloc(struct sl_arena *a, size_t n)
{
	const size_t al = alignof(max_align_t);
	if (n == 0)
		n = 1;
	if (n > SIZE_MAX / 2)
		return NULL;
	n = (n + al - 1) & ~(al - 1);
	if (a->cap && (a->used > a->cap || n > a->cap - a->used))
		return NULL;
	struct sl_arena_chunk *c = a->head;
	if (c == NULL || c->size - c->off < n) {
		size_t sz = n > a->chunk_size ? n : a->chunk_size;
		struct sl_arena_chunk *nc = malloc(sizeof(*nc) + sz);
		if (nc == NULL)
			return NULL;
		nc->size = sz;
		nc->off = 0;
		nc->next = c;
		a->head = nc;
		c = nc;
	}
	void *p = c->data + c->off;
	c->off += n;
	a->used += n;
	return p;
}

void *
sl_arena_zalloc(struct sl_arena *a, size_t n)
{
	void *p = sl_arena_alloc(a, n);
	if (p)
		memset(p, 0, n);
	return p;
}

struct sl_str
sl_arena_str(struct sl_arena *a, struct sl_str s)
{
	if (s.n == 0)
		return SL_STR_NULL;
	char *p = sl_arena_alloc(a, s.n + 1);
	if (p == NULL)
		return SL_STR_NULL;
	memcpy(p, s.p, s.n);
	p[s.n] = '\0';
	return sl_str_make(p, s.n);
}
