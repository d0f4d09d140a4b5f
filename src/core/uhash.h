/* uhash.h: a keyed hash for bytes an attacker chooses, where a collision
 * changes an answer (two different packets taken for one) and not only
 * a table's speed. Universal hashing (Carter and Wegman): for any two
 * different inputs of at most n bytes, fixed before the key is drawn,
 * the chance over the key that they collide is at most
 * (n / 224 + 2) / (2^61 - 1), whatever the inputs; so a capture cannot be
 * prepared to collide without the run's key. sl_hash_bytes (hash.h) is
 * seeded but gives no such bound.
 *
 * Two levels, as UMAC and VHASH: each block of 32 chunks of 7 bytes
 * (56-bit numbers) goes through a multilinear form over GF(2^61 - 1)
 * with 32 random coefficients, whose products do not wait on each other
 * (half of SipHash-1-3's time, 200 bytes or 1000); the block values and
 * the length through a polynomial in one more random element.
 *
 * The values must stay in the process: an attacker who saw them could
 * solve for the key. */
#ifndef SL_UHASH_H
#define SL_UHASH_H

#include <stddef.h>
#include <stdint.h>

#define SL_UHASH_CHUNK 7	/* bytes per field element */
#define SL_UHASH_BLOCK 32	/* chunks per block */

struct sl_uhash_key {
	uint64_t k[SL_UHASH_BLOCK];	/* elements of GF(2^61 - 1) */
	uint64_t r;
};

/* A key from SL_UHASH_BLOCK + 1 random 64-bit words. */
void sl_uhash_key(struct sl_uhash_key *key /* OUT */, const uint64_t raw[SL_UHASH_BLOCK + 1]);

/* The hash of p[0..n), below 2^61 - 1. */
uint64_t sl_uhash(const struct sl_uhash_key *key, const void *p, size_t n);

#endif
