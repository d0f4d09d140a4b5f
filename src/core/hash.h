/* hash.h: non-cryptographic hashing and an intrusive chained hash table.
 *
 * The table stores struct sl_hnode embedded in the caller's objects and
 * never allocates them; the caller owns every entry. Lookups take the
 * precomputed hash and an equality callback, so one table type serves
 * Call-IDs, flows and transactions alike. */
#ifndef SL_HASH_H
#define SL_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/str.h"

/* 64-bit finaliser (splitmix64): spreads every input bit. */
static inline uint64_t
sl_hash_u64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

uint64_t sl_hash_bytes(const void *p, size_t n, uint64_t seed);

static inline uint64_t
sl_hash_str(struct sl_str s, uint64_t seed)
{
	return sl_hash_bytes(s.p, s.n, seed);
}

struct sl_hnode {
	struct sl_hnode *next;
	uint64_t hash;
};

struct sl_hmap {
	struct sl_hnode **b;
	size_t nb;	/* power of two */
	size_t count;
};

typedef bool (*sl_hmap_eq_fn)(const struct sl_hnode *n, const void *key);

enum sl_err sl_hmap_init(struct sl_hmap *m, size_t nb_hint);
/* Frees the bucket array only; entries belong to the caller. */
void sl_hmap_cleanup(struct sl_hmap *m);
struct sl_hnode *sl_hmap_find(const struct sl_hmap *m, uint64_t hash,
    sl_hmap_eq_fn eq, const void *key);
/* Inserts n with its hash (duplicates allowed). Growth failure is not an
 * error: the table keeps working with longer chains. */
void sl_hmap_insert(struct sl_hmap *m, struct sl_hnode *n, uint64_t hash);
/* Removes n if present; true if it was. */
bool sl_hmap_remove(struct sl_hmap *m, struct sl_hnode *n);

#endif
