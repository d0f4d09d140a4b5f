/* arena.h: bump allocator (nginx pool). Everything allocated from an
 * arena lives until sl_arena_reset or sl_arena_free; nothing is freed one
 * by one. Used for per-packet scratch and per-call storage.
 *
 * A cap bounds the total bytes an arena may hold, so one hostile call
 * cannot take all memory: past it allocation returns NULL and the caller
 * records the loss. */
#ifndef SL_ARENA_H
#define SL_ARENA_H

#include <stddef.h>

#include "core/str.h"

struct sl_arena_chunk;

struct sl_arena {
	struct sl_arena_chunk *head;	/* current chunk; older ones chained */
	size_t used;			/* bytes handed out since reset */
	size_t chunk_size;		/* default chunk payload */
	size_t cap;			/* max bytes handed out; 0 = no cap */
};

void sl_arena_init(struct sl_arena *a, size_t chunk_size, size_t cap);
/* Frees every chunk; the arena can be reused after sl_arena_init. */
void sl_arena_free(struct sl_arena *a);
/* Forgets every allocation but keeps the first chunk for reuse. */
void sl_arena_reset(struct sl_arena *a);

/* n bytes aligned for any type, or NULL (out of memory or over cap). */
void *sl_arena_alloc(struct sl_arena *a, size_t n);
/* As sl_arena_alloc, zero-filled. */
void *sl_arena_zalloc(struct sl_arena *a, size_t n);
/* A copy of s in the arena (NUL-terminated too, for convenience). On
 * failure an empty slice. */
struct sl_str sl_arena_str(struct sl_arena *a, struct sl_str s);

#endif
