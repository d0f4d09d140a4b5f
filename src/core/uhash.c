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

/* Little-endian whatever the host, so that a chunk is its first 7 bytes */
static inline uint64_t
le64(const uint8_t *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w;
}

/* A chunk from 8 readable bytes */
static inline uint64_t
le56(const uint8_t *p)
{
	return le64(p) & LOW56;
}

/* A chunk of the last n (1 to 7) bytes of a piece, `before` bytes into
 * it: the 8 bytes that end the piece, shifted down, when there are 8 (a
 * copy byte by byte costs more than the rest of a small packet's chunk) */
static uint64_t
le56_last(const uint8_t *p, size_t n, size_t before)
{
	if (before + n >= 8)
		return le64(p + n - 8) >> (8 * (8 - n));
	uint8_t t[8] = { 0 };
	memcpy(t, p, n);
	return le56(t);
}

/* Products of n chunks at p (each with an 8th byte readable) with k;
 * two sums, so that each addition waits on half of the others. At most
 * 32 products of < 2^117: below 2^122. */
static u128
products(const uint64_t *k, const uint8_t *p, size_t n)
{
	u128 a = 0, b = 0;
	size_t j = 0;
	for (; j + 2 <= n; j += 2, p += 2 * SL_UHASH_CHUNK) {
		a += (u128)le56(p) * k[j];
		b += (u128)le56(p + SL_UHASH_CHUNK) * k[j + 1];
	}
	if (j < n)
		a += (u128)le56(p) * k[j];
	return a + b;
}

/* h r + v, h and v below P */
static uint64_t
horner(const struct sl_uhash_key *key, uint64_t h, u128 v)
{
	return canon(fold((u128)h * key->r) + canon(fold(v)));
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
sl_uhash(const struct sl_uhash_key *key, const void *data, size_t n)
{
	const uint8_t *p = data;
	size_t chunks = (n + SL_UHASH_CHUNK - 1) / SL_UHASH_CHUNK;
	uint64_t h = 0;
	/* the last chunk has no 8th byte to load, and may be short */
	size_t fast = chunks ? chunks - 1 : 0;
	while (fast >= SL_UHASH_BLOCK) {
		h = horner(key, h, products(key->k, p, SL_UHASH_BLOCK));
		p += SL_UHASH_BLOCK * SL_UHASH_CHUNK;
		fast -= SL_UHASH_BLOCK;
	}
	if (chunks) {
		/* fast < 32 chunks, then the last: one more block */
		size_t done = (size_t)(p - (const uint8_t *)data), last = n - done -
		    fast * SL_UHASH_CHUNK;
		u128 v = products(key->k, p, fast);
		v += (u128)le56_last(p + fast * SL_UHASH_CHUNK, last, n - last) * key->k[fast];
		h = horner(key, h, v);
	}
	return canon(fold((u128)h * key->r) + canon((uint64_t)n));
}
