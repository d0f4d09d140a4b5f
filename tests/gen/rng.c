/* rng.c: splitmix64 (Steele, Lea, Flood 2014); see rng.h. */
#include "tests/gen/rng.h"

uint64_t
slg_mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

uint32_t
slg_perm32(uint32_t x)
{
	/* Each step (xorshift, odd multiply) is invertible mod 2^32. */
	x ^= x >> 16;
	x *= 0x7feb352du;
	x ^= x >> 15;
	x *= 0x846ca68bu;
	x ^= x >> 16;
	return x;
}

void
slg_rng_seed(struct slg_rng *r, uint64_t seed)
{
	r->s = seed;
}

uint64_t
slg_rng_next(struct slg_rng *r)
{
	uint64_t x = slg_mix64(r->s);

	r->s += 0x9e3779b97f4a7c15ull;
	return x;
}

uint32_t
slg_rng_below(struct slg_rng *r, uint32_t n)
{
	if (n == 0)
		return 0;
	/* 64-bit draw reduced by multiply-shift: bias below 2^-32. */
	return (uint32_t)(((slg_rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

uint32_t
slg_rng_range(struct slg_rng *r, uint32_t lo, uint32_t hi)
{
	if (hi <= lo)
		return lo;
	return lo + slg_rng_below(r, hi - lo + 1);
}
