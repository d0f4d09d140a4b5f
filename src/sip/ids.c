/* ids.c: xoshiro256** (Blackman/Vigna) behind the identifiers of ids.h. */
#include "ids.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

void
sl_ids_seed(struct sl_ids *g, uint64_t seed)
{
	/* splitmix64 expands one word into a state that is never all zero */
	for (int i = 0; i < 4; i++) {
		uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		g->s[i] = z ^ (z >> 31);
	}
}

enum sl_err
sl_ids_seed_random(struct sl_ids *g, char errbuf[SL_ERRBUF_SIZE])
{
	uint64_t seed;
	ssize_t n;

	/* a short read is impossible for <= 256 bytes once the pool is
	 * initialised; retry only on a signal */
	for (int tries = 0; tries < 8; tries++) {
		n = getrandom(&seed, sizeof(seed), 0);
		if (n == (ssize_t)sizeof(seed)) {
			sl_ids_seed(g, seed);
			return SL_OK;
		}
		if (n < 0 && errno != EINTR)
			break;
	}
	snprintf(errbuf, SL_ERRBUF_SIZE, "getrandom: %s",
	    n < 0 ? strerror(errno) : "short read");
	return SL_EIO;
}

uint64_t
sl_ids_u64(struct sl_ids *g)
{
	uint64_t *s = g->s;
	uint64_t r = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return r;
}

uint32_t
sl_ids_below(struct sl_ids *g, uint32_t n)
{
	if (n == 0)
		return 0;
	/* Lemire's multiply-shift; the tiny bias is irrelevant for ids */
	return (uint32_t)(((sl_ids_u64(g) >> 32) * (uint64_t)n) >> 32);
}

char *
sl_ids_hex(struct sl_ids *g, char out[SL_IDS_HEX_LEN])
{
	snprintf(out, SL_IDS_HEX_LEN, "%016llx", (unsigned long long)sl_ids_u64(g));
	return out;
}

char *
sl_ids_branch(struct sl_ids *g, char out[SL_IDS_BRANCH_LEN])
{
	/* RFC 3261 8.1.1.7: the magic cookie marks an RFC 3261 branch */
	snprintf(out, SL_IDS_BRANCH_LEN, "z9hG4bK%016llx",
	    (unsigned long long)sl_ids_u64(g));
	return out;
}

char *
sl_ids_tag(struct sl_ids *g, char out[SL_IDS_TAG_LEN])
{
	/* never 0, so a tag is never the empty-looking "0" */
	uint32_t v = (uint32_t)(sl_ids_u64(g) >> 32);
	snprintf(out, SL_IDS_TAG_LEN, "%u", v ? v : 1u);
	return out;
}

char *
sl_ids_callid(struct sl_ids *g, const char *host, char out[SL_IDS_CALLID_LEN])
{
	/* All 64 bits: with Yate's 32 a busy server repeats a Call-ID within
	 * tens of thousands of calls (the birthday bound), and peers that
	 * remember ended Call-IDs (SIPp: 33 s) then drop the new call. */
	uint64_t v = sl_ids_u64(g);
	snprintf(out, SL_IDS_CALLID_LEN, "%llu@%s", (unsigned long long)(v ? v : 1u),
	    host ? host : "localhost");
	return out;
}
