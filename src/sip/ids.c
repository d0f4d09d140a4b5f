/* ids.c: the kernel CSPRNG, or xoshiro256** (Blackman/Vigna) for --seed,
 * behind the identifiers of ids.h. */
#include "sip/ids.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t
splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void
sl_ids_seed(struct sl_ids *g, uint64_t seed)
{
	uint64_t x = seed;

	memset(g, 0, sizeof(*g));
	g->deterministic = true;
	g->seed = seed;
	/* splitmix64 expands one word into a state that is never all zero */
	for (int i = 0; i < 4; i++)
		g->s[i] = splitmix(&x);
}

/* false only when the kernel refuses (not for a signal) */
static bool
kernel_bytes(void *out, size_t n, int *err)
{
	uint8_t *p = out;

	while (n > 0) {
		ssize_t r = getrandom(p, n, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			*err = errno;
			return false;
		}
		p += r;
		n -= (size_t)r;
	}
	return true;
}

static void
kernel_or_die(void *out, size_t n)
{
	int err = 0;

	if (!kernel_bytes(out, n, &err)) {
		/* cannot happen after the probe in sl_ids_seed_random; an id
		 * we cannot make unpredictable must not be made at all */
		fprintf(stderr, "getrandom: %s\n", strerror(err));
		abort();
	}
}

enum sl_err
sl_ids_seed_random(struct sl_ids *g, char errbuf[SL_ERRBUF_SIZE])
{
	uint64_t probe;
	int err = 0;

	memset(g, 0, sizeof(*g));
	if (kernel_bytes(&probe, sizeof(probe), &err))
		return SL_OK;
	snprintf(errbuf, SL_ERRBUF_SIZE, "getrandom: %s", strerror(err));
	return SL_EIO;
}

uint64_t
sl_ids_u64(struct sl_ids *g)
{
	if (!g->deterministic) {
		uint64_t v;
		kernel_or_die(&v, sizeof(v));
		return v;
	}
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
	/* Lemire's multiply-shift with rejection: exact uniformity, so a
	 * random relay port is not more likely at the start of the range */
	uint64_t m = (sl_ids_u64(g) >> 32) * (uint64_t)n;
	uint32_t low = (uint32_t)m;
	if (low < n) {
		uint32_t thresh = (uint32_t)-n % n;
		while (low < thresh) {
			m = (sl_ids_u64(g) >> 32) * (uint64_t)n;
			low = (uint32_t)m;
		}
	}
	return (uint32_t)(m >> 32);
}

void
sl_ids_secret(const struct sl_ids *g, void *out, size_t n)
{
	if (!g->deterministic) {
		kernel_or_die(out, n);
		return;
	}
	/* a splitmix stream from a different starting point than the
	 * identifier state: nothing printed as an id is ever part of it */
	uint64_t x = g->seed ^ 0x5ec7e75ec7e75ec7ULL;
	uint8_t *p = out;
	while (n > 0) {
		uint64_t v = splitmix(&x);
		size_t k = n < sizeof(v) ? n : sizeof(v);
		memcpy(p, &v, k);
		p += k;
		n -= k;
	}
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
