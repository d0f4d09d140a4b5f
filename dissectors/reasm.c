/* reasm.c: bounded IP fragment reassembly; see reasm.h. Coverage is a
 * bitmap of 8-byte blocks (fragment offsets are in 8-byte units, RFC 791
 * 3.1, RFC 8200 4.5), so overlap tests are exact and need no lists. Does
 * not implement per-OS overlap policies: any overlap with different
 * bytes drops the datagram (RFC 5722). Input: untrusted. */
#include "dissectors/reasm.h"

#include <stdlib.h>
#include <string.h>

#include "dissectors/dissector.h"

#define MIN_CAP 2048u		/* first buffer: a typical 1500-MTU pair */
#define MAX_CAP 65536u		/* >= SL_REASM_MAX_DATAGRAM, power of two */

struct dgram {
	bool used;
	struct sl_ip src;
	struct sl_ip dst;
	uint32_t id;
	uint8_t proto;		/* v4: key part; v6: from the offset-0 fragment */
	bool have_first;	/* offset-0 fragment seen */
	bool have_last;		/* total known */
	uint32_t total;		/* payload length, from the last fragment */
	uint32_t max_end;	/* highest fragment end seen */
	uint64_t seq;		/* creation order, for eviction */
	int64_t first_ts;
	uint32_t n_frags;
	uint32_t n_blocks;	/* bits set in bits */
	uint32_t cap;		/* bytes in data */
	uint8_t *data;
	uint8_t *bits;		/* cap / 64 bytes: one bit per 8-byte block */
};

struct sl_reasm {
	size_t max_bytes;
	size_t max_datagrams;
	int64_t timeout_ns;
	uint64_t next_seq;
	uint8_t *done;		/* last completed datagram; freed on next call */
	struct sl_reasm_stats st;
	struct dgram slots[];
};

struct sl_reasm *
sl_reasm_new(size_t max_bytes, size_t max_datagrams, int64_t timeout_ns)
{
	if (max_datagrams == 0)
		max_datagrams = 1;
	if (max_datagrams > (SIZE_MAX - sizeof(struct sl_reasm)) / sizeof(struct dgram))
		return NULL;
	struct sl_reasm *r = calloc(1, sizeof(*r) + max_datagrams * sizeof(struct dgram));
	if (r == NULL)
		return NULL;
	r->max_bytes = max_bytes;
	r->max_datagrams = max_datagrams;
	r->timeout_ns = timeout_ns > 0 ? timeout_ns : 0;
	return r;
}

static size_t
dgram_bytes(const struct dgram *d)
{
	return d->cap ? d->cap + d->cap / 64 : 0;
}

static void
dgram_release(struct sl_reasm *r, struct dgram *d)
{
	r->st.bytes_held -= dgram_bytes(d);
	r->st.frags_pending -= d->n_frags;
	r->st.datagrams_pending--;
	free(d->data);
	free(d->bits);
	memset(d, 0, sizeof(*d));
}

static void
dgram_drop(struct sl_reasm *r, struct dgram *d)
{
	r->st.frags_dropped += d->n_frags;
	r->st.datagrams_dropped++;
	dgram_release(r, d);
}

void
sl_reasm_free(struct sl_reasm *r)
{
	if (r == NULL)
		return;
	for (size_t i = 0; i < r->max_datagrams; i++) {
		free(r->slots[i].data);
		free(r->slots[i].bits);
	}
	free(r->done);
	free(r);
}

void
sl_reasm_expire(struct sl_reasm *r, int64_t now_ns)
{
	if (r->timeout_ns == 0)
		return;
	for (size_t i = 0; i < r->max_datagrams && r->st.datagrams_pending; i++) {
		struct dgram *d = &r->slots[i];
		/* time may step back across merged inputs: only a forward gap
		 * larger than the timeout expires; written to avoid overflow */
		if (d->used && now_ns > d->first_ts &&
		    (uint64_t)now_ns - (uint64_t)d->first_ts > (uint64_t)r->timeout_ns) {
			r->st.datagrams_timed_out++;
			dgram_drop(r, d);
		}
	}
}

void
sl_reasm_flush(struct sl_reasm *r)
{
	free(r->done);
	r->done = NULL;
	for (size_t i = 0; i < r->max_datagrams; i++)
		if (r->slots[i].used)
			dgram_drop(r, &r->slots[i]);
}

void
sl_reasm_stats(const struct sl_reasm *r, struct sl_reasm_stats *out)
{
	*out = r->st;
}

static bool
key_eq(const struct dgram *d, const struct sl_reasm_frag *f)
{
	if (d->id != f->id || !sl_ip_eq(&d->src, &f->src) || !sl_ip_eq(&d->dst, &f->dst))
		return false;
	/* RFC 791: the key includes the protocol; RFC 8200: it does not */
	return f->src.family == SL_AF_INET6 || d->proto == f->proto;
}

static struct dgram *
oldest(struct sl_reasm *r, const struct dgram *except)
{
	struct dgram *best = NULL;
	for (size_t i = 0; i < r->max_datagrams; i++) {
		struct dgram *d = &r->slots[i];
		if (d->used && d != except && (best == NULL || d->seq < best->seq))
			best = d;
	}
	return best;
}

static void
evict(struct sl_reasm *r, struct dgram *d)
{
	r->st.datagrams_evicted++;
	dgram_drop(r, d);
}

static struct dgram *
find_or_create(struct sl_reasm *r, const struct sl_reasm_frag *f, int64_t ts)
{
	struct dgram *free_slot = NULL;
	for (size_t i = 0; i < r->max_datagrams; i++) {
		struct dgram *d = &r->slots[i];
		if (d->used && key_eq(d, f))
			return d;
		if (!d->used && free_slot == NULL)
			free_slot = d;
	}
	if (free_slot == NULL) {
		free_slot = oldest(r, NULL);
		evict(r, free_slot);
	}
	struct dgram *d = free_slot;
	d->used = true;
	d->src = f->src;
	d->dst = f->dst;
	d->id = f->id;
	d->proto = f->src.family == SL_AF_INET6 ? 0 : f->proto;
	d->seq = r->next_seq++;
	d->first_ts = ts;
	r->st.datagrams_pending++;
	return d;
}

/* Grows d's buffer to hold end bytes, evicting the oldest other
 * datagrams while the byte cap would be passed. False if it cannot. */
static bool
grow(struct sl_reasm *r, struct dgram *d, uint32_t end)
{
	if (end <= d->cap)
		return true;
	uint32_t cap = d->cap ? d->cap : MIN_CAP;
	while (cap < end)
		cap *= 2;
	size_t extra = (size_t)cap + cap / 64 - dgram_bytes(d);
	while (r->st.bytes_held + extra > r->max_bytes) {
		struct dgram *o = oldest(r, d);
		if (o == NULL)
			return false;
		evict(r, o);
	}
	uint8_t *data = realloc(d->data, cap);
	if (data == NULL)
		return false;
	d->data = data;
	uint8_t *bits = realloc(d->bits, cap / 64);
	if (bits == NULL)
		return false;
	memset(bits + d->cap / 64, 0, (cap - d->cap) / 64);
	d->bits = bits;
	r->st.bytes_held += extra;
	d->cap = cap;
	return true;
}

static bool
bit_get(const struct dgram *d, uint32_t block)
{
	return ((unsigned)d->bits[block / 8] >> (block % 8) & 1u) != 0;
}

static void
bit_set(struct dgram *d, uint32_t block)
{
	d->bits[block / 8] = (uint8_t)(d->bits[block / 8] | 1u << (block % 8));
}

/* No block at or past the end is ever set (those fragments are refused),
 * so counting blocks is enough: no rescan of the bitmap per fragment,
 * which would make 8192 tiny fragments cost 8192 squared. */
static bool
complete(const struct dgram *d)
{
	return d->have_first && d->have_last && d->n_blocks == (d->total + 7) / 8;
}

/* Drops one fragment that was never stored. */
static enum sl_reasm_res
refuse(struct sl_reasm *r, struct sl_packet *pkt, const char *anomaly)
{
	r->st.frags_dropped++;
	if (anomaly)
		sl_anomaly(pkt, anomaly);
	return SL_REASM_DROPPED;
}

/* Drops the fragment and the datagram it belongs to. */
static enum sl_reasm_res
refuse_all(struct sl_reasm *r, struct sl_packet *pkt, struct dgram *d,
    const char *anomaly)
{
	dgram_drop(r, d);
	return refuse(r, pkt, anomaly);
}

enum sl_reasm_res
sl_reasm_add(struct sl_reasm *r, struct sl_packet *pkt,
    const struct sl_reasm_frag *f, struct sl_cur *out, uint8_t *proto)
{
	free(r->done);
	r->done = NULL;
	r->st.frags_in++;
	sl_reasm_expire(r, pkt->ts_ns);

	size_t len = sl_cur_left(&f->data);
	if (f->data.bad || f->offset % 8 != 0)
		return refuse(r, pkt, "ip.frag_bad");
	/* RFC 8200 4.5: every fragment but the last is a multiple of 8 bytes
	 * long; an empty one adds nothing and only holds memory */
	if (f->more && (len == 0 || len % 8 != 0))
		return refuse(r, pkt, "ip.frag_bad");
	if (len > SL_REASM_MAX_DATAGRAM || f->offset > SL_REASM_MAX_DATAGRAM - len) {
		/* a datagram that cannot exist: drop what we hold of it too */
		for (size_t i = 0; i < r->max_datagrams; i++)
			if (r->slots[i].used && key_eq(&r->slots[i], f))
				return refuse_all(r, pkt, &r->slots[i], "ip.frag_too_big");
		return refuse(r, pkt, "ip.frag_too_big");
	}
	uint32_t off = f->offset;
	uint32_t end = off + (uint32_t)len;

	struct dgram *d = find_or_create(r, f, pkt->ts_ns);
	if (d->have_last && end > d->total)
		return refuse_all(r, pkt, d, "ip.frag_overlap");
	if (!f->more && (d->max_end > end || (d->have_last && end != d->total)))
		return refuse_all(r, pkt, d, "ip.frag_overlap");
	if (!grow(r, d, end)) {
		/* over the byte cap even alone, or out of memory */
		if (d->n_frags == 0) {
			dgram_release(r, d);
			return refuse(r, pkt, NULL);
		}
		return refuse_all(r, pkt, d, NULL);
	}

	uint32_t b0 = off / 8, b1 = (end + 7) / 8;
	uint32_t seen = 0;
	for (uint32_t b = b0; b < b1; b++)
		seen += bit_get(d, b);
	if (seen) {
		/* a retransmitted or twice-captured fragment is harmless; any
		 * other overlap is ambiguous, so nothing of it is trusted */
		if (seen == b1 - b0 && memcmp(d->data + off, f->data.p, len) == 0 &&
		    (f->more || d->have_last)) {
			r->st.frags_dup++;
			return SL_REASM_HELD;
		}
		return refuse_all(r, pkt, d, "ip.frag_overlap");
	}

	if (len)
		memcpy(d->data + off, f->data.p, len);
	for (uint32_t b = b0; b < b1; b++)
		bit_set(d, b);
	d->n_blocks += b1 - b0;
	if (end > d->max_end)
		d->max_end = end;
	if (off == 0) {
		d->have_first = true;
		d->proto = f->proto;
	}
	if (!f->more) {
		d->have_last = true;
		d->total = end;
	}
	d->n_frags++;
	r->st.frags_pending++;

	if (!complete(d))
		return SL_REASM_HELD;

	r->st.datagrams_completed++;
	r->st.frags_completed += d->n_frags;
	*proto = d->proto;
	r->done = d->data;
	*out = sl_cur_init(r->done, d->total);
	d->data = NULL;
	dgram_release(r, d);
	return SL_REASM_DONE;
}
