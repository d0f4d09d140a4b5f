/* rng.h: seeded pseudo-random numbers (splitmix64).
 *
 * The state lives in the caller's struct, never in a global, so every
 * scenario and every call of the bench draws the same numbers in the same
 * order on every run. slg_mix64 is the stateless finaliser, used where a
 * value must be a pure function of (seed, index): a relayed packet has to
 * recompute the arrival time of the packet it forwards. */
#ifndef SLG_RNG_H
#define SLG_RNG_H

#include <stdint.h>

struct slg_rng {
	uint64_t s;
};

void slg_rng_seed(struct slg_rng *r, uint64_t seed);
uint64_t slg_rng_next(struct slg_rng *r);
/* Uniform in [0, n); n == 0 returns 0. */
uint32_t slg_rng_below(struct slg_rng *r, uint32_t n);
/* Uniform in [lo, hi]. */
uint32_t slg_rng_range(struct slg_rng *r, uint32_t lo, uint32_t hi);

uint64_t slg_mix64(uint64_t x);
/* A bijection on 32-bit values: distinct inputs give distinct outputs, so
 * identifiers derived from a call index never collide. */
uint32_t slg_perm32(uint32_t x);

#endif
