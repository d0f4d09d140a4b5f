/* uhash.c: the two-level universal hash of uhash.h. With chunks m_1..m_L
 * (the last zero-padded), block values v_j = sum of k_i * m_i over the
 * block's chunks, and B blocks:
 *   H = v_1 r^B + v_2 r^(B-1) + ... + v_B r + length   (mod 2^61 - 1).
 * Two inputs of one length that differ have a block that differs, whose
 * values collide for 1 key in 2^61 - 1, or else block values that differ,
 * a polynomial in r of degree at most B, with at most B roots; inputs of
 * two lengths differ in the last term. Arithmetic is lazy: sums of
 * products stay below 2^128 and are folded once per block. */
#include "core/uhash.h"

#include <string.h>

#ifndef __SIZEOF_INT128__
#error "uhash.c needs a 128-bit integer type (GCC or Clang, 64-bit target)"
#endif
__extension__ typedef unsigned __int128 u128;

#define P ((UINT64_C(1) << 61) - 1)
#define LOW56 ((UINT64_C(1) << 56) - 1)

/* A value below 2^62 + 64 congruent to x (2^61 = 1 modulo P) */
static inline uint64_t
fold(u128 x)
{
	return ((uint64_t)x & P) + ((uint64_t)(x >> 61) & P) + (uint64_t)(x >> 122);
}

/* The residue of any v, in [0, P) */
static inline uint64_t
canon(uint64_t v)
{
	v = (v & P) + (v >> 61);
	return v >= P ? v - P : v;
}

/* A chunk from 8 readable bytes, little-endian whatever the host, so
 * that the 7 bytes taken are the first 7 */
static inline uint64_t
le56(const uint8_t *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w & LOW56;
}

/* A chunk from the last n <= 7 bytes of an input */
static uint64_t
le56_short(const uint8_t *p, size_t n)
{
	uint8_t t[8] = { 0 };
	memcpy(t, p, n);
	return le56(t);
}

struct state {
	const struct sl_uhash_key *key;
	u128 acc;	/* the current block's products: at most 32 of < 2^117 */
	unsigned i;	/* chunks in it */
	uint64_t h;	/* the polynomial so far, < P */
};

static void
end_block(struct state *s)
{
	s->h = canon(fold((u128)s->h * s->key->r) + canon(fold(s->acc)));
	s->acc = 0;
	s->i = 0;
}

static void
chunk(struct state *s, uint64_t m)
{
	s->acc += (u128)m * s->key->k[s->i];
	if (++s->i == SL_UHASH_BLOCK)
		end_block(s);
}

/* Products of n chunks at p (each with an 8th byte readable) with k;
 * two sums, so that each addition waits on half of the others */
static u128
products(const uint64_t *k, const uint8_t *p, unsigned n)
{
	u128 a = 0, b = 0;
	unsigned j = 0;
	for (; j + 2 <= n; j += 2, p += 2 * SL_UHASH_CHUNK) {
		a += (u128)le56(p) * k[j];
		b += (u128)le56(p + SL_UHASH_CHUNK) * k[j + 1];
	}
	if (j < n)
		a += (u128)le56(p) * k[j];
	return a + b;
}

static void
absorb(struct state *s, const uint8_t *p, size_t n)
{
	size_t whole = n / SL_UHASH_CHUNK, rest = n % SL_UHASH_CHUNK;
	/* the last whole chunk has an 8th byte only if bytes follow it */
	size_t fast = rest || whole == 0 ? whole : whole - 1;
	while (fast) {
		unsigned room = SL_UHASH_BLOCK - s->i;
		unsigned m = fast < room ? (unsigned)fast : room;
		s->acc += products(s->key->k + s->i, p, m);
		s->i += m;
		p += (size_t)m * SL_UHASH_CHUNK;
		fast -= m;
		if (s->i == SL_UHASH_BLOCK)
			end_block(s);
	}
	if (whole && !rest) {
		chunk(s, le56_short(p, SL_UHASH_CHUNK));
		p += SL_UHASH_CHUNK;
	}
	if (rest)
		chunk(s, le56_short(p, rest));
}

void
sl_uhash_key(struct sl_uhash_key *key, const uint64_t raw[SL_UHASH_BLOCK + 1])
{
	/* 61 random bits; P itself, the one value out of the field, is 0 */
	for (unsigned i = 0; i < SL_UHASH_BLOCK; i++)
		key->k[i] = canon(raw[i] >> 3);
	key->r = canon(raw[SL_UHASH_BLOCK] >> 3);
}

uint64_t
sl_uhash2(const struct sl_uhash_key *key, const void *a, size_t na, const void *b, size_t nb)
{
	struct state s = { .key = key };
	absorb(&s, a, na);
	absorb(&s, b, nb);
	if (s.i)
		end_block(&s);
	return canon(fold((u128)s.h * key->r) + canon((uint64_t)(na + nb)));
}
