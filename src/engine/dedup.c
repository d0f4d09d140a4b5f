/* dedup.c: the duplicate check of dedup.h: the packet copied with the
 * fields that differ between capture points zeroed, its fingerprint, and
 * a table of the fingerprints of the last window. */
#include "engine/dedup.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <time.h>

#include "core/hash.h"
#include "core/uhash.h"

#define WAYS 4
/* 65536 packets within one window: 655,000 packets/s at 100 ms, the RTP
 * of 6,500 G.711 calls; 1 MiB */
#define BUCKETS (1u << 14)

/* One cache line: the ways a fingerprint may sit in (fp below 2^61, with
 * two flags above it), when each was seen, by which capture point, with
 * which IPv4 Identification. Four ways, not three with full-width times:
 * the benchmark capture merged with itself 50 ms later (1,500 packets
 * waiting for their copy at any time) lost 1,900 copies of 3 million to
 * full lines with three ways, 80 with four. */
#define USED (UINT64_C(1) << 63)
#define COPIED (UINT64_C(1) << 62)	/* a copy came: the first to make room */
struct bucket {
	uint64_t fp[WAYS];
	uint32_t ts[WAYS];	/* capture time in units of 2^10 ns, mod 2^32 */
	uint16_t id[WAYS];
	uint16_t point[WAYS];
};
_Static_assert(sizeof(struct bucket) == 64, "a bucket is one cache line");
#define TS_SHIFT 10

/* The longest packet checked: IPv4's total length and IPv6's payload
 * length are 16 bits (an IPv6 jumbogram, never seen carrying SIP, is
 * not checked) */
#define MAX_LEN (40u + 65535u)
/* the bucket index reads bytes 8 to 55 (bucket_of) */
#define INDEX_END 56

/* The table and the packet buffer share one aligned region the kernel
 * may back with a single huge page: lookups land anywhere in the table,
 * and with 4 KiB pages most of them missed the TLB, which cost a tenth
 * of the whole run on the benchmark, as much as the hash. */
#define REGION (2u << 20)
_Static_assert(BUCKETS * sizeof(struct bucket) + MAX_LEN <= REGION, "table and buffer fit");

struct sl_dedup {
	struct bucket *b;	/* in region */
	uint8_t *buf;		/* the packet as compared, MAX_LEN, in region */
	void *region;
	uint32_t window;	/* in units of 2^TS_SHIFT ns, rounded up */
	struct sl_uhash_key key;
	uint64_t seed;		/* of the bucket index */
	uint64_t forgotten;
};

static size_t
be16(const uint8_t *p)
{
	return (size_t)p[0] << 8 | p[1];
}

/* The packet as compared into d->buf (the rules of dedup.h), zeros after
 * it to INDEX_END; its length, 0 when ip holds no IP header of that
 * version. One copy, hashed in one piece: cheaper than hashing a masked
 * copy of the header and the rest apart. */
static size_t
mask(struct sl_dedup *d, enum sl_net net, const uint8_t *ip, size_t n)
{
	uint8_t *m = d->buf;
	size_t len, udp = 0;	/* udp: offset of a UDP header to mask, 0 none */

	if (net == SL_NET_IP4) {
		if (n < 20 || ip[0] >> 4 != 4)
			return 0;
		size_t hlen = 4u * (ip[0] & 0x0fu), total = be16(ip + 2);
		if (hlen < 20 || total < hlen)
			return 0;
		/* a frame cut by the snaplen: what was captured is compared,
		 * and its length with it */
		len = total < n ? total : n;
		memcpy(m, ip, len);
		m[1] = 0;			/* DSCP, ECN */
		m[8] = 0;			/* TTL */
		m[10] = m[11] = 0;		/* header checksum */
		size_t frag = be16(ip + 6) & 0x3fffu;	/* MF and offset */
		if (frag == 0)
			memset(m + 4, 0, 4);	/* Identification, DF */
		if (ip[9] == 17 && (frag & 0x1fffu) == 0)
			udp = hlen;
	} else if (net == SL_NET_IP6) {
		if (n < 40 || ip[0] >> 4 != 6)
			return 0;
		size_t plen = be16(ip + 4);
		if (plen == 0 && n > MAX_LEN)
			return 0;	/* a jumbogram */
		len = plen && 40 + plen < n ? 40 + plen : n;
		memcpy(m, ip, len);
		m[0] &= 0xf0;			/* traffic class, flow label */
		m[1] = m[2] = m[3] = 0;
		m[7] = 0;			/* hop limit */
		if (ip[6] == 17)
			udp = 40;
	} else {
		return 0;
	}
	if (udp && udp + 8 <= len)
		m[udp + 6] = m[udp + 7] = 0;
	if (len < INDEX_END)
		memset(m + len, 0, INDEX_END - len);
	return len;
}

bool
sl_dedup_fingerprint(struct sl_dedup *d, enum sl_net net, const uint8_t *ip, size_t n,
    uint64_t *fp)
{
	size_t len = mask(d, net, ip, n);
	if (len == 0)
		return false;
	*fp = sl_uhash(&d->key, d->buf, len);
	return true;
}

/* The key must be one a capture's author cannot know. The kernel's
 * CSPRNG does not fail on Linux once booted; should it, the clocks and an
 * address (ASLR) still make a key no file can be prepared against in
 * advance. */
static void
make_key(struct sl_dedup *d)
{
	uint64_t raw[SL_UHASH_BLOCK + 2];
	size_t got = 0;
	while (got < sizeof raw) {
		ssize_t r = getrandom((char *)raw + got, sizeof raw - got, GRND_NONBLOCK);
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	if (got < sizeof raw) {
		struct timespec a = { 0 }, b = { 0 };
		clock_gettime(CLOCK_REALTIME, &a);
		clock_gettime(CLOCK_MONOTONIC, &b);
		uint64_t x = (uint64_t)a.tv_sec << 30 ^ (uint64_t)a.tv_nsec ^ (uintptr_t)d ^
		    ((uint64_t)b.tv_sec << 30 ^ (uint64_t)b.tv_nsec) * 0x9e3779b97f4a7c15ULL;
		for (size_t i = 0; i < SL_UHASH_BLOCK + 2; i++)
			raw[i] = x = sl_hash_u64(x + i);
	}
	sl_uhash_key(&d->key, raw);
	d->seed = raw[SL_UHASH_BLOCK + 1];
}

struct sl_dedup *
sl_dedup_new(int64_t window_ns)
{
	struct sl_dedup *d = calloc(1, sizeof *d);
	if (d == NULL)
		return NULL;
	/* aligned beyond a bucket's cache line: to the huge page */
	d->region = aligned_alloc(REGION, REGION);
	if (d->region == NULL) {
		free(d);
		return NULL;
	}
#ifdef MADV_HUGEPAGE
	/* a request: without transparent huge pages, 4 KiB pages serve */
	(void)madvise(d->region, REGION, MADV_HUGEPAGE);
#endif
	d->b = d->region;
	d->buf = (uint8_t *)d->region + BUCKETS * sizeof *d->b;
	memset(d->b, 0, BUCKETS * sizeof *d->b);
	/* up to half the wrap of the stored times, far beyond any use */
	uint64_t w = ((uint64_t)window_ns + (1u << TS_SHIFT) - 1) >> TS_SHIFT;
	d->window = w < INT32_MAX ? (uint32_t)w : INT32_MAX;
	make_key(d);
	return d;
}

void
sl_dedup_free(struct sl_dedup *d)
{
	if (d == NULL)
		return;
	free(d->region);
	free(d);
}

/* Whether two times are at most w apart. Times wrap every 73 minutes:
 * only a packet seen again a multiple of that later, to the window,
 * could pass for a copy, and only if it is the same packet. */
static bool
within(uint32_t a, uint32_t b, uint32_t w)
{
	uint32_t d = a - b;
	return d <= w || 0u - d <= w;
}

/* The bucket, from the first bytes of the packet as compared (copies have
 * the same), so that its line is on its way while the whole packet is
 * hashed: the table is mostly out of the cache, and waiting for it cost
 * as much as the hash. Bytes 8 to 55 hold the addresses and what follows
 * them, through the RTP sequence number and timestamp in IPv4 and IPv6
 * alike. Keyed, so that a capture cannot aim packets at another packet's
 * bucket; packets made to share one only crowd each other out. */
static struct bucket *
bucket_of(const struct sl_dedup *d)
{
	/* products and rotations that do not wait on each other */
	uint64_t w[(INDEX_END - 8) / 8];
	memcpy(w, d->buf + 8, sizeof w);
	uint64_t x = d->seed;
	for (unsigned i = 0; i < sizeof w / sizeof w[0]; i++) {
		uint64_t m = (w[i] + d->seed) * 0x9e3779b97f4a7c15ULL;
		x ^= i ? m << (11 * i) | m >> (64 - 11 * i) : m;
	}
	return &d->b[sl_hash_u64(x) & (BUCKETS - 1)];
}

bool
sl_dedup_probe(struct sl_dedup *d, enum sl_net net, const uint8_t *ip, size_t n,
    struct sl_dedup_probe *pr)
{
	size_t len = mask(d, net, ip, n);
	if (len == 0)
		return false;
	struct bucket *b = bucket_of(d);
	__builtin_prefetch(b);
	pr->bucket = b;
	pr->fp = sl_uhash(&d->key, d->buf, len);
	/* an IPv6 packet has none: 0 */
	pr->id = net == SL_NET_IP4 ? (uint16_t)(ip[4] << 8 | ip[5]) : 0;
	return true;
}

bool
sl_dedup_check(struct sl_dedup *d, const struct sl_dedup_probe *pr, int64_t ts_ns,
    uint16_t point)
{
	struct bucket *b = pr->bucket;
	uint32_t now = (uint32_t)((uint64_t)ts_ns >> TS_SHIFT);
	/* room: a way unused or out of the window, else one whose copy came
	 * (with two capture points, all it was kept for), else the oldest */
	unsigned victim = 0, rank = 3;
	uint32_t age = 0;
	for (unsigned w = 0; w < WAYS; w++) {
		bool live = (b->fp[w] & USED) && within(now, b->ts[w], d->window);
		if (live && (b->fp[w] & ~COPIED) == (pr->fp | USED) &&
		    (b->point[w] != point || b->id[w] == pr->id)) {
			b->fp[w] |= COPIED;
			return true;
		}
		unsigned r = !live ? 0 : b->fp[w] & COPIED ? 1 : 2;
		uint32_t a = now - b->ts[w];
		if (r < rank || (r == rank && a > age)) {
			rank = r;
			victim = w;
			age = a;
		}
	}
	if (rank == 2)
		d->forgotten++;
	b->fp[victim] = pr->fp | USED;
	b->ts[victim] = now;
	b->id[victim] = pr->id;
	b->point[victim] = point;
	return false;
}

bool
sl_dedup_seen(struct sl_dedup *d, enum sl_net net, const uint8_t *ip, size_t n,
    int64_t ts_ns, uint16_t point)
{
	struct sl_dedup_probe pr;
	return sl_dedup_probe(d, net, ip, n, &pr) && sl_dedup_check(d, &pr, ts_ns, point);
}

uint64_t
sl_dedup_forgotten(const struct sl_dedup *d)
{
	return d->forgotten;
}
