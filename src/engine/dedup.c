/* dedup.c: the duplicate check of dedup.h: a fingerprint of the packet
 * with the fields that differ between capture points zeroed, and a table
 * of the fingerprints of the last window. */
#include "engine/dedup.h"

#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "core/hash.h"

#define WAYS 3
/* 49152 packets within one window: 490,000 packets/s at 100 ms, the RTP
 * of 4,900 G.711 calls; 1 MiB */
#define BUCKETS (1u << 14)
#define EMPTY INT64_MIN

/* One cache line: the ways a fingerprint may sit in, when each was seen
 * (EMPTY: never), and by which capture point with which IPv4
 * Identification */
struct bucket {
	uint64_t fp[WAYS];
	int64_t ts[WAYS];
	uint16_t id[WAYS];
	uint16_t point[WAYS];
	uint32_t pad;
};
_Static_assert(sizeof(struct bucket) == 64, "a bucket is one cache line");

struct sl_dedup {
	struct bucket *b;
	int64_t window_ns;
	struct sl_uhash_key key;
	uint64_t forgotten;
};

/* Every byte the rules of dedup.h ignore lies in the first 68: an IPv4
 * header with the most options (60) and the UDP header after it. The
 * masked copy is hashed first, then the rest of the packet in place,
 * which needs a whole number of the hash's chunks in the copy. */
#define HEAD 70
_Static_assert(HEAD >= 68 && HEAD % SL_UHASH_CHUNK == 0, "head: masked bytes, whole chunks");

static size_t
be16(const uint8_t *p)
{
	return (size_t)p[0] << 8 | p[1];
}

bool
sl_dedup_fingerprint(const struct sl_uhash_key *k, enum sl_net net, const uint8_t *ip,
    size_t n, uint64_t *fp)
{
	uint8_t head[HEAD];
	size_t len, udp = 0;	/* udp: offset of a UDP header to mask, 0 none */

	if (net == SL_NET_IP4) {
		if (n < 20 || ip[0] >> 4 != 4)
			return false;
		size_t hlen = 4u * (ip[0] & 0x0fu), total = be16(ip + 2);
		if (hlen < 20 || total < hlen)
			return false;
		/* a frame cut by the snaplen: what was captured is compared,
		 * and its length with it */
		len = total < n ? total : n;
		memcpy(head, ip, len < HEAD ? len : HEAD);
		head[1] = 0;			/* DSCP, ECN */
		head[8] = 0;			/* TTL */
		head[10] = head[11] = 0;	/* header checksum */
		size_t frag = be16(ip + 6) & 0x3fffu;	/* MF and offset */
		if (frag == 0)
			memset(head + 4, 0, 4);	/* Identification, DF */
		if (ip[9] == 17 && (frag & 0x1fffu) == 0)
			udp = hlen;
	} else if (net == SL_NET_IP6) {
		if (n < 40 || ip[0] >> 4 != 6)
			return false;
		/* payload length 0: a jumbogram, its length in an option */
		size_t plen = be16(ip + 4);
		len = plen && 40 + plen < n ? 40 + plen : n;
		memcpy(head, ip, len < HEAD ? len : HEAD);
		head[0] &= 0xf0;		/* traffic class, flow label */
		head[1] = head[2] = head[3] = 0;
		head[7] = 0;			/* hop limit */
		if (ip[6] == 17)
			udp = 40;
	} else {
		return false;
	}
	if (udp && udp + 8 <= len)
		head[udp + 6] = head[udp + 7] = 0;

	size_t nh = len < HEAD ? len : HEAD;
	*fp = sl_uhash2(k, head, nh, ip + nh, len - nh);
	return true;
}

/* The key must be one a capture's author cannot know. The kernel's
 * CSPRNG does not fail on Linux once booted; should it, the clocks and an
 * address (ASLR) still make a key no file can be prepared against in
 * advance. */
static void
make_key(struct sl_uhash_key *k, const void *salt)
{
	uint64_t raw[SL_UHASH_BLOCK + 1];
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
		uint64_t x = (uint64_t)a.tv_sec << 30 ^ (uint64_t)a.tv_nsec ^ (uintptr_t)salt ^
		    ((uint64_t)b.tv_sec << 30 ^ (uint64_t)b.tv_nsec) * 0x9e3779b97f4a7c15ULL;
		for (size_t i = 0; i < SL_UHASH_BLOCK + 1; i++)
			raw[i] = x = sl_hash_u64(x + i);
	}
	sl_uhash_key(k, raw);
}

struct sl_dedup *
sl_dedup_new(int64_t window_ns)
{
	struct sl_dedup *d = calloc(1, sizeof *d);
	if (d == NULL)
		return NULL;
	/* a bucket is one cache line, so a lookup touches one */
	d->b = aligned_alloc(64, BUCKETS * sizeof *d->b);
	if (d->b == NULL) {
		free(d);
		return NULL;
	}
	memset(d->b, 0, BUCKETS * sizeof *d->b);
	for (size_t i = 0; i < BUCKETS; i++)
		for (unsigned w = 0; w < WAYS; w++)
			d->b[i].ts[w] = EMPTY;
	d->window_ns = window_ns;
	make_key(&d->key, d);
	return d;
}

void
sl_dedup_free(struct sl_dedup *d)
{
	if (d == NULL)
		return;
	free(d->b);
	free(d);
}

/* |a - b| <= w without overflow: b may be EMPTY (never within), and
 * frame times are only bounded by SL_TS_LIMIT */
static bool
within(int64_t a, int64_t b, int64_t w)
{
	uint64_t d = a > b ? (uint64_t)a - (uint64_t)b : (uint64_t)b - (uint64_t)a;
	return d <= (uint64_t)w;
}

bool
sl_dedup_seen(struct sl_dedup *d, enum sl_net net, const uint8_t *ip, size_t n,
    int64_t ts_ns, uint16_t point)
{
	uint64_t fp;
	if (!sl_dedup_fingerprint(&d->key, net, ip, n, &fp))
		return false;
	/* an IPv6 packet has none: 0 */
	uint16_t id = net == SL_NET_IP4 ? (uint16_t)(ip[4] << 8 | ip[5]) : 0;
	struct bucket *b = &d->b[fp & (BUCKETS - 1)];
	unsigned victim = 0;
	for (unsigned w = 0; w < WAYS; w++) {
		if (b->fp[w] == fp && within(ts_ns, b->ts[w], d->window_ns) &&
		    (b->point[w] != point || b->id[w] == id))
			return true;
		if (b->ts[w] < b->ts[victim])
			victim = w;
	}
	if (within(ts_ns, b->ts[victim], d->window_ns))
		d->forgotten++;
	b->fp[victim] = fp;
	b->ts[victim] = ts_ns;
	b->id[victim] = id;
	b->point[victim] = point;
	return false;
}

uint64_t
sl_dedup_forgotten(const struct sl_dedup *d)
{
	return d->forgotten;
}
