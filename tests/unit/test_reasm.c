/* test_reasm.c: IPv4/IPv6 fragment reassembly (dissectors/reasm.c):
 * order, duplicates, overlaps (RFC 5722), timeouts on capture time, the
 * datagram and byte caps, and the counters' invariant. Fragments are
 * built here and fed through sl_dissect_frame (DLT_IPV4 / DLT_IPV6). */
#include <stdint.h>
#include <string.h>

#include "tests/unit/frames.h"
#include "dissectors/reasm.h"

static SL_TEST_STATE(ts);

#define SEC 1000000000LL

/* The datagram: UDP (8) + RTP (12) + 100 bytes of payload = 120 bytes */
static uint8_t dgram[120];

static void
make_dgram(void)
{
	static const uint8_t hdr[20] = {
		0x6c, 0x00, 0x6c, 0xb0, 0x00, 120, 0x00, 0x00,
		0x80, 0x08, 0x00, 0x07, 0x00, 0x00, 0x03, 0x20, 0x78, 0x05, 0x57, 0x9c,
	};
	memcpy(dgram, hdr, sizeof(hdr));
	for (size_t i = sizeof(hdr); i < sizeof(dgram); i++)
		dgram[i] = (uint8_t)(0xd5 ^ i);
}

static size_t
frag4(uint8_t *out, uint16_t id, uint8_t proto, uint32_t off, bool mf,
    const uint8_t *data, size_t len)
{
	uint16_t total = (uint16_t)(20 + len);
	uint16_t ff = (uint16_t)((mf ? 0x2000 : 0) | off / 8);
	const uint8_t h[20] = {
		0x45, 0, (uint8_t)(total >> 8), (uint8_t)total, (uint8_t)(id >> 8), (uint8_t)id,
		(uint8_t)(ff >> 8), (uint8_t)ff, 64, proto, 0, 0,
		192, 168, 1, 50, 192, 168, 1, 101,
	};
	memcpy(out, h, 20);
	memcpy(out + 20, data, len);
	return 20 + len;
}

/* IPv6 with a Hop-by-Hop header before the Fragment header */
static size_t
frag6(uint8_t *out, uint32_t id, uint8_t nh, uint32_t off, bool mf,
    const uint8_t *data, size_t len)
{
	uint16_t plen = (uint16_t)(8 + 8 + len);
	uint8_t h[56] = { 0x60, 0, 0, 0, (uint8_t)(plen >> 8), (uint8_t)plen, 0 /* HBH */, 64 };
	h[8] = 0x20, h[9] = 0x01, h[10] = 0x0d, h[11] = 0xb8, h[23] = 1;
	h[24] = 0x20, h[25] = 0x01, h[26] = 0x0d, h[27] = 0xb8, h[39] = 2;
	h[40] = 44;		/* HBH: next = Fragment, len 0, PadN */
	h[42] = 1;
	h[43] = 4;
	uint16_t offm = (uint16_t)(off | (mf ? 1 : 0));
	h[48] = nh;
	h[50] = (uint8_t)(offm >> 8);
	h[51] = (uint8_t)offm;
	h[52] = (uint8_t)(id >> 24), h[53] = (uint8_t)(id >> 16), h[54] = (uint8_t)(id >> 8);
	h[55] = (uint8_t)id;
	memcpy(out, h, sizeof(h));
	memcpy(out + sizeof(h), data, len);
	return sizeof(h) + len;
}

struct feed {
	struct sl_dctx ctx;
	struct sl_arena arena;
	struct sl_packet pkt;
	uint8_t buf[70000];
};

static void
feed(struct feed *f, int linktype, int64_t ts_ns, size_t n)
{
	sl_arena_reset(&f->arena);
	sl_packet_init(&f->pkt, &f->arena);
	f->pkt.linktype = linktype;
	f->pkt.ts_ns = ts_ns;
	sl_dissect_frame(&f->ctx, &f->pkt, f->buf, n);
}

static void
feed4(struct feed *f, int64_t t, uint16_t id, uint32_t off, bool mf, size_t len)
{
	feed(f, 228, t, frag4(f->buf, id, 17, off, mf, dgram + off, len));
}

static void
check_invariant(const struct sl_reasm *r, const char *what)
{
	struct sl_reasm_stats st;
	sl_reasm_stats(r, &st);
	SL_CHECK_MSG(&ts, st.frags_in == st.frags_completed + st.frags_dropped + st.frags_dup +
	    st.frags_pending, "%s: in %llu completed %llu dropped %llu dup %llu pending %llu", what,
	    (unsigned long long)st.frags_in, (unsigned long long)st.frags_completed,
	    (unsigned long long)st.frags_dropped, (unsigned long long)st.frags_dup,
	    (unsigned long long)st.frags_pending);
}

static void
check_done(struct feed *f, const char *what)
{
	struct sl_packet *p = &f->pkt;
	SL_CHECK_MSG(&ts, p->app == SL_APP_RTP && p->reassembled, "%s: app %d skip %s", what,
	    p->app, sl_skip_name(p->skip));
	SL_CHECK_MSG(&ts, p->rtp.payload_len == 100 && p->rtp.ssrc == 0x7805579c &&
	    p->src.port == 27648 && p->dst.port == 27824, "%s: fields", what);
	SL_CHECK_MSG(&ts, sl_cur_left(&p->l4) == 112 && memcmp(p->l4.p, dgram + 8, 112) == 0,
	    "%s: bytes", what);
	SL_CHECK_MSG(&ts, p->n_anomalies == 0, "%s: anomaly %s", what,
	    p->n_anomalies ? p->anomalies[0] : "");
}

/* Fragment orders: (offset, length, more) triples of the 120 bytes */
static const struct {
	const char *name;
	uint32_t off[4];
	size_t len[4];
	size_t n;
} orders[] = {
	{ "in order", { 0, 48, 96 }, { 48, 48, 24 }, 3 },
	{ "reverse", { 96, 48, 0 }, { 24, 48, 48 }, 3 },
	{ "last first", { 96, 0, 48 }, { 24, 48, 48 }, 3 },
	{ "middle first", { 48, 96, 0 }, { 48, 24, 48 }, 3 },
	{ "uneven", { 0, 8, 104, 16 }, { 8, 8, 16, 88 }, 4 },
	{ "two", { 64, 0 }, { 56, 64 }, 2 },
};

static void
test_orders(struct feed *f)
{
	for (size_t i = 0; i < sizeof(orders) / sizeof(orders[0]); i++) {
		struct sl_reasm *r = sl_reasm_new(1 << 20, 16, 30 * SEC);
		f->ctx.reasm = r;
		for (size_t k = 0; k < orders[i].n; k++) {
			uint32_t off = orders[i].off[k];
			size_t len = orders[i].len[k];
			feed4(f, (int64_t)k, 7, off, off + len < sizeof(dgram), len);
			if (k + 1 < orders[i].n)
				SL_CHECK_MSG(&ts, f->pkt.skip == SL_SKIP_FRAGMENT && !f->pkt.reassembled,
				    "%s: frag %zu skip %s", orders[i].name, k, sl_skip_name(f->pkt.skip));
		}
		check_done(f, orders[i].name);
		struct sl_reasm_stats st;
		sl_reasm_stats(r, &st);
		SL_CHECK_MSG(&ts, st.datagrams_completed == 1 && st.frags_completed == orders[i].n &&
		    st.frags_pending == 0 && st.bytes_held == 0 && st.datagrams_pending == 0,
		    "%s: stats", orders[i].name);
		check_invariant(r, orders[i].name);
		sl_reasm_flush(r);
		sl_reasm_free(r);
	}
}

static void
test_duplicates_overlaps(struct feed *f)
{
	struct sl_reasm *r = sl_reasm_new(1 << 20, 16, 30 * SEC);
	struct sl_reasm_stats st;
	f->ctx.reasm = r;

	/* an exact duplicate (captured twice) is ignored */
	feed4(f, 0, 1, 0, true, 48);
	feed4(f, 0, 1, 0, true, 48);
	SL_CHECK(&ts, f->pkt.skip == SL_SKIP_FRAGMENT && f->pkt.n_anomalies == 0);
	feed4(f, 0, 1, 48, true, 48);
	feed4(f, 0, 1, 96, false, 24);
	check_done(f, "duplicate");
	sl_reasm_stats(r, &st);
	SL_CHECK(&ts, st.frags_dup == 1 && st.frags_completed == 3);

	/* overlap with different bytes: the whole datagram goes */
	feed4(f, 1, 2, 0, true, 48);
	feed(f, 228, 1, frag4(f->buf, 2, 17, 40, true, (const uint8_t *)"XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", 48));
	SL_CHECK(&ts, f->pkt.skip == SL_SKIP_FRAG_DROPPED);
	SL_CHECK(&ts, fr_has_anomaly(&f->pkt, "ip.frag_overlap"));
	sl_reasm_stats(r, &st);
	SL_CHECK(&ts, st.datagrams_dropped == 1 && st.frags_dropped == 2 && st.frags_pending == 0);
	/* the rest arrives and starts over: never completes */
	feed4(f, 1, 2, 48, true, 48);
	feed4(f, 1, 2, 96, false, 24);
	SL_CHECK(&ts, f->pkt.skip == SL_SKIP_FRAGMENT);

	/* partial overlap with the same bytes is still refused (RFC 5722) */
	feed4(f, 2, 3, 0, true, 48);
	feed4(f, 2, 3, 40, true, 16);
	SL_CHECK(&ts, f->pkt.skip == SL_SKIP_FRAG_DROPPED && fr_has_anomaly(&f->pkt, "ip.frag_overlap"));

	/* two different last fragments */
	feed4(f, 3, 4, 96, false, 24);
	feed4(f, 3, 4, 88, false, 32);
	SL_CHECK(&ts, f->pkt.skip == SL_SKIP_FRAG_DROPPED && fr_has_anomaly(&f->pkt, "ip.frag_overlap"));
	/* data beyond the known end */
	feed4(f, 3, 5, 48, false, 8);
	feed4(f, 3, 5, 48, true, 16);
	SL_CHECK(&ts, f->pkt.skip == SL_SKIP_FRAG_DROPPED && fr_has_anomaly(&f->pkt, "ip.frag_overlap"));
	/* last fragment ending before data already held */
	feed4(f, 3, 6, 48, true, 48);
	feed4(f, 3, 6, 16, false, 24);
	SL_CHECK(&ts, f->pkt.skip == SL_SKIP_FRAG_DROPPED && fr_has_anomaly(&f->pkt, "ip.frag_overlap"));

	/* malformed fragments are refused alone */
	feed4(f, 4, 8, 0, true, 20);		/* not a multiple of 8 */
	SL_CHECK(&ts, f->pkt.skip == SL_SKIP_FRAG_DROPPED && fr_has_anomaly(&f->pkt, "ip.frag_bad"));
	feed(f, 228, 4, frag4(f->buf, 9, 17, 65528, false, dgram, 16));
	SL_CHECK(&ts, f->pkt.skip == SL_SKIP_FRAG_DROPPED && fr_has_anomaly(&f->pkt, "ip.frag_too_big"));
	feed(f, 228, 4, frag4(f->buf, 10, 17, 8, true, dgram, 0));
	SL_CHECK(&ts, f->pkt.skip == SL_SKIP_FRAG_DROPPED && fr_has_anomaly(&f->pkt, "ip.frag_bad"));
	/* a held datagram that turns out too big is dropped whole */
	feed4(f, 4, 11, 0, true, 48);
	feed(f, 228, 4, frag4(f->buf, 11, 17, 65528, true, dgram, 16));
	SL_CHECK(&ts, f->pkt.skip == SL_SKIP_FRAG_DROPPED && fr_has_anomaly(&f->pkt, "ip.frag_too_big"));

	check_invariant(r, "overlaps");
	sl_reasm_flush(r);
	check_invariant(r, "overlaps flushed");
	sl_reasm_stats(r, &st);
	SL_CHECK(&ts, st.frags_pending == 0 && st.bytes_held == 0 && st.datagrams_pending == 0);
	sl_reasm_free(r);
}

static void
test_key(struct feed *f)
{
	struct sl_reasm *r = sl_reasm_new(1 << 20, 16, 30 * SEC);
	f->ctx.reasm = r;
	/* RFC 791: the protocol is part of the key */
	feed4(f, 0, 1, 0, true, 48);
	feed(f, 228, 0, frag4(f->buf, 1, 6, 48, true, dgram + 48, 48));
	feed4(f, 0, 1, 96, false, 24);
	SL_CHECK(&ts, f->pkt.skip == SL_SKIP_FRAGMENT);
	/* another id interleaved does not disturb */
	feed4(f, 0, 2, 96, false, 24);
	feed4(f, 0, 1, 48, true, 48);
	check_done(f, "key");
	check_invariant(r, "key");
	sl_reasm_flush(r);
	struct sl_reasm_stats st;
	sl_reasm_stats(r, &st);
	SL_CHECK(&ts, st.datagrams_dropped == 2 && st.frags_dropped == 2);
	sl_reasm_free(r);
}

static void
test_timeout(struct feed *f)
{
	struct sl_reasm *r = sl_reasm_new(1 << 20, 16, 1 * SEC);
	struct sl_reasm_stats st;
	f->ctx.reasm = r;
	feed4(f, 10 * SEC, 1, 0, true, 48);
	feed4(f, 10 * SEC + SEC / 2, 1, 48, true, 48);
	/* time going backwards (merged inputs) expires nothing */
	feed4(f, 5 * SEC, 9, 0, true, 48);
	sl_reasm_stats(r, &st);
	SL_CHECK(&ts, st.datagrams_timed_out == 0 && st.frags_pending == 3);
	/* 1.5 s after the first fragment of id 1: it timed out */
	feed4(f, 11 * SEC + SEC / 2, 1, 96, false, 24);
	SL_CHECK(&ts, f->pkt.skip == SL_SKIP_FRAGMENT);
	sl_reasm_stats(r, &st);
	SL_CHECK(&ts, st.datagrams_timed_out == 2 && st.frags_dropped == 3 && st.frags_pending == 1);
	/* explicit expiry from the pipeline */
	sl_reasm_expire(r, 20 * SEC);
	sl_reasm_stats(r, &st);
	SL_CHECK(&ts, st.datagrams_timed_out == 3 && st.frags_pending == 0 && st.bytes_held == 0);
	check_invariant(r, "timeout");
	sl_reasm_free(r);

	/* timeout 0: never */
	r = sl_reasm_new(1 << 20, 16, 0);
	f->ctx.reasm = r;
	feed4(f, 0, 1, 0, true, 48);
	feed4(f, 1000 * SEC, 1, 48, true, 48);
	feed4(f, 2000 * SEC, 1, 96, false, 24);
	check_done(f, "no timeout");
	sl_reasm_free(r);
}

static void
test_caps(struct feed *f)
{
	struct sl_reasm_stats st;
	/* two datagrams at most: a third evicts the oldest */
	struct sl_reasm *r = sl_reasm_new(1 << 20, 2, 30 * SEC);
	f->ctx.reasm = r;
	feed4(f, 0, 1, 0, true, 48);
	feed4(f, 1, 2, 0, true, 48);
	feed4(f, 2, 3, 0, true, 48);
	SL_CHECK(&ts, f->pkt.skip == SL_SKIP_FRAGMENT);
	sl_reasm_stats(r, &st);
	SL_CHECK(&ts, st.datagrams_evicted == 1 && st.datagrams_pending == 2 && st.frags_dropped == 1);
	/* id 2 survived and completes */
	feed4(f, 3, 2, 48, true, 48);
	feed4(f, 3, 2, 96, false, 24);
	check_done(f, "eviction");
	check_invariant(r, "eviction");
	sl_reasm_free(r);

	/* a byte cap of one small buffer: the second datagram evicts the first */
	r = sl_reasm_new(2048 + 32, 16, 30 * SEC);
	f->ctx.reasm = r;
	feed4(f, 0, 1, 0, true, 48);
	feed4(f, 1, 2, 0, true, 48);
	sl_reasm_stats(r, &st);
	SL_CHECK(&ts, st.datagrams_evicted == 1 && st.bytes_held <= 2048 + 32);
	feed4(f, 1, 2, 48, true, 48);
	feed4(f, 1, 2, 96, false, 24);
	check_done(f, "byte cap");
	/* a datagram larger than the whole cap is refused, not an anomaly */
	feed(f, 228, 2, frag4(f->buf, 3, 17, 4096, true, dgram, 48));
	SL_CHECK(&ts, f->pkt.skip == SL_SKIP_FRAG_DROPPED && f->pkt.n_anomalies == 0);
	sl_reasm_stats(r, &st);
	SL_CHECK(&ts, st.datagrams_pending == 0 && st.bytes_held == 0);
	/* ... and one that grows past it drops what it held */
	feed4(f, 3, 4, 0, true, 48);
	feed(f, 228, 3, frag4(f->buf, 4, 17, 8192, false, dgram, 16));
	SL_CHECK(&ts, f->pkt.skip == SL_SKIP_FRAG_DROPPED);
	sl_reasm_stats(r, &st);
	SL_CHECK(&ts, st.datagrams_pending == 0 && st.bytes_held == 0);
	check_invariant(r, "byte cap");
	sl_reasm_free(r);

	/* a big datagram near the 65535 limit completes */
	r = sl_reasm_new(1 << 20, 4, 30 * SEC);
	f->ctx.reasm = r;
	static uint8_t big[65515];
	memset(big, 0xab, sizeof(big));
	memcpy(big, dgram, 20);
	big[4] = (uint8_t)(sizeof(big) >> 8);
	big[5] = (uint8_t)sizeof(big);
	size_t step = 1480;
	for (size_t off = 0; off < sizeof(big); off += step) {
		size_t len = sizeof(big) - off < step ? sizeof(big) - off : step;
		feed(f, 228, 0, frag4(f->buf, 77, 17, (uint32_t)off, off + len < sizeof(big), big + off, len));
	}
	SL_CHECK(&ts, f->pkt.app == SL_APP_RTP && f->pkt.rtp.payload_len == sizeof(big) - 20);
	check_invariant(r, "big");
	sl_reasm_free(r);
	sl_reasm_free(NULL);
}

static void
test_ipv6(struct feed *f)
{
	struct sl_reasm *r = sl_reasm_new(1 << 20, 16, 60 * SEC);
	f->ctx.reasm = r;
	/* the fragmentable part: a Destination Options header, then UDP */
	uint8_t payload[8 + sizeof(dgram)];
	memcpy(payload, "\x11\x00\x01\x04\x00\x00\x00\x00", 8);
	memcpy(payload + 8, dgram, sizeof(dgram));

	feed(f, 229, 0, frag6(f->buf, 0xabcdef01, 60, 64, false, payload + 64, sizeof(payload) - 64));
	SL_CHECK(&ts, f->pkt.skip == SL_SKIP_FRAGMENT && f->pkt.ip_proto == 44);
	feed(f, 229, 0, frag6(f->buf, 0xabcdef01, 60, 0, true, payload, 64));
	check_done(f, "ipv6");
	SL_CHECK(&ts, f->pkt.ip_proto == 17 && f->pkt.src.ip.family == SL_AF_INET6);

	/* v6 ignores the Next Header for the key: taken from offset 0 */
	feed(f, 229, 0, frag6(f->buf, 5, 6, 64, false, payload + 64, sizeof(payload) - 64));
	feed(f, 229, 0, frag6(f->buf, 5, 60, 0, true, payload, 64));
	check_done(f, "ipv6 nh");

	/* a fragment inside a reassembled payload is nested: refused */
	uint8_t nested[8 + 8 + 16];
	memcpy(nested, "\x11\x00\x00\x01\x00\x00\x00\x09", 8);	/* Fragment hdr, M=1 */
	memset(nested + 8, 0, sizeof(nested) - 8);
	feed(f, 229, 0, frag6(f->buf, 6, 44, 16, false, nested + 16, 16));
	feed(f, 229, 0, frag6(f->buf, 6, 44, 0, true, nested, 16));
	SL_CHECK(&ts, f->pkt.skip == SL_SKIP_IP_BAD && fr_has_anomaly(&f->pkt, "ip6.frag_nested"));

	/* IPv6 non-last fragment lengths must be multiples of 8 */
	feed(f, 229, 0, frag6(f->buf, 7, 17, 0, true, payload, 12));
	SL_CHECK(&ts, f->pkt.skip == SL_SKIP_FRAG_DROPPED && fr_has_anomaly(&f->pkt, "ip.frag_bad"));

	check_invariant(r, "ipv6");
	sl_reasm_flush(r);
	check_invariant(r, "ipv6 flushed");
	sl_reasm_free(r);
}

/* The API without the IP layer: a completed datagram's bytes belong to
 * the reasm object until its next call. */
static void
test_api(void)
{
	struct sl_reasm *r = sl_reasm_new(1 << 20, 1, 0);
	SL_CHECK(&ts, r != NULL);
	struct sl_packet pkt;
	sl_packet_init(&pkt, NULL);
	struct sl_reasm_frag fr = { .src = { .family = SL_AF_INET4 }, .dst = { .family = SL_AF_INET4 },
		.id = 1, .proto = 17, .offset = 8, .more = false, .data = sl_cur_init(dgram + 8, 8) };
	struct sl_cur out = { 0 };
	uint8_t proto = 0;
	SL_CHECK(&ts, sl_reasm_add(r, &pkt, &fr, &out, &proto) == SL_REASM_HELD);
	fr.offset = 0;
	fr.more = true;
	fr.data = sl_cur_init(dgram, 8);
	SL_CHECK(&ts, sl_reasm_add(r, &pkt, &fr, &out, &proto) == SL_REASM_DONE);
	SL_CHECK(&ts, proto == 17 && sl_cur_left(&out) == 16 && memcmp(out.p, dgram, 16) == 0);
	/* a bad cursor is refused */
	fr.data.bad = true;
	SL_CHECK(&ts, sl_reasm_add(r, &pkt, &fr, &out, &proto) == SL_REASM_DROPPED);
	/* offsets are in 8-byte units */
	fr.data = sl_cur_init(dgram, 8);
	fr.offset = 4;
	SL_CHECK(&ts, sl_reasm_add(r, &pkt, &fr, &out, &proto) == SL_REASM_DROPPED);
	check_invariant(r, "api");
	sl_reasm_free(r);
}

int
main(void)
{
	static struct feed f;
	make_dgram();
	sl_arena_init(&f.arena, 4096, 0);
	f.ctx.all_udp_media = true;
	test_orders(&f);
	test_duplicates_overlaps(&f);
	test_key(&f);
	test_timeout(&f);
	test_caps(&f);
	test_ipv6(&f);
	test_api();
	sl_arena_free(&f.arena);
	return sl_test_report(&ts, "test_reasm");
}
