/* test_capture.c: the capture readers. Each row builds a capture in
 * memory (classic pcap in both byte orders and both time precisions,
 * pcapng with several interfaces, link types and if_tsresol values, and
 * broken files of each kind), opens it as the pipeline does, and checks
 * every frame's time, link type and lengths, the counters and the
 * warning or the open error. Then the paths: several files merged by
 * time, a missing file, and stdin. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/source.h"
#include "tests/unit/unit.h"

static SL_TEST_STATE(ts);

/* ----- building captures ----- */

struct cap {
	uint8_t b[2048];
	size_t n;
	bool be;
};

static void
put(struct cap *c, const void *p, size_t n)
{
	if (c->n + n <= sizeof c->b) {
		memcpy(c->b + c->n, p, n);
		c->n += n;
	}
}

static void
put16(struct cap *c, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };
	if (!c->be) {
		b[0] = (uint8_t)v;
		b[1] = (uint8_t)(v >> 8);
	}
	put(c, b, 2);
}

static void
put32(struct cap *c, uint32_t v)
{
	if (c->be) {
		put16(c, (uint16_t)(v >> 16));
		put16(c, (uint16_t)v);
	} else {
		put16(c, (uint16_t)v);
		put16(c, (uint16_t)(v >> 16));
	}
}

static void
put64(struct cap *c, uint64_t v)
{
	if (c->be) {
		put32(c, (uint32_t)(v >> 32));
		put32(c, (uint32_t)v);
	} else {
		put32(c, (uint32_t)v);
		put32(c, (uint32_t)(v >> 32));
	}
}

/* A frame's bytes: its first byte says which frame it is. */
static const uint8_t frame_bytes[64] = { 0 };

static void
frame(struct cap *c, uint8_t id, size_t n)
{
	put(c, &id, 1);
	put(c, frame_bytes, n - 1);
}

static void
pcap_hdr(struct cap *c, bool be, bool nsec, uint32_t snaplen, uint32_t linktype)
{
	c->be = be;
	put32(c, nsec ? 0xa1b23c4du : 0xa1b2c3d4u);
	put16(c, 2);
	put16(c, 4);
	put32(c, 0);
	put32(c, 0);
	put32(c, snaplen);
	put32(c, linktype);
}

static void
pcap_rec(struct cap *c, uint32_t sec, uint32_t frac, uint32_t caplen, uint32_t wirelen,
    uint8_t id)
{
	put32(c, sec);
	put32(c, frac);
	put32(c, caplen);
	put32(c, wirelen);
	frame(c, id, caplen);
}

/* pcapng: a block is type, length, body padded to 4, length again */
static void
ng_block(struct cap *c, uint32_t type, const struct cap *body)
{
	size_t pad = (4 - body->n % 4) % 4;
	uint32_t len = (uint32_t)(12 + body->n + pad);
	static const uint8_t zero[4] = { 0 };
	put32(c, type);
	put32(c, len);
	put(c, body->b, body->n);
	put(c, zero, pad);
	put32(c, len);
}

static void
ng_shb(struct cap *c, bool be)
{
	c->be = be;
	struct cap b = { .be = be };
	put32(&b, 0x1A2B3C4Du);
	put16(&b, 1);
	put16(&b, 0);
	put64(&b, UINT64_MAX);
	ng_block(c, 0x0A0D0D0Au, &b);
}

/* tsresol < 0: none (microseconds); tsoffset 0: none */
static void
ng_idb(struct cap *c, uint16_t linktype, uint32_t snaplen, int tsresol, int64_t tsoffset)
{
	struct cap b = { .be = c->be };
	put16(&b, linktype);
	put16(&b, 0);
	put32(&b, snaplen);
	if (tsresol >= 0) {
		uint8_t r[4] = { (uint8_t)tsresol, 0, 0, 0 };
		put16(&b, 9);
		put16(&b, 1);
		put(&b, r, 4);
	}
	if (tsoffset) {
		put16(&b, 14);
		put16(&b, 8);
		put64(&b, (uint64_t)tsoffset);
	}
	if (tsresol >= 0 || tsoffset) {
		put16(&b, 0);
		put16(&b, 0);
	}
	ng_block(c, 1, &b);
}

static void
ng_epb(struct cap *c, uint32_t ifid, uint64_t t, uint32_t caplen, uint32_t wirelen, uint8_t id)
{
	struct cap b = { .be = c->be };
	put32(&b, ifid);
	put32(&b, (uint32_t)(t >> 32));
	put32(&b, (uint32_t)t);
	put32(&b, caplen);
	put32(&b, wirelen);
	frame(&b, id, caplen);
	ng_block(c, 6, &b);
}

static void
ng_spb(struct cap *c, uint32_t wirelen, uint32_t n, uint8_t id)
{
	struct cap b = { .be = c->be };
	put32(&b, wirelen);
	frame(&b, id, n);
	ng_block(c, 3, &b);
}

static void
ng_opb(struct cap *c, uint16_t ifid, uint64_t t, uint32_t caplen, uint8_t id)
{
	struct cap b = { .be = c->be };
	put16(&b, ifid);
	put16(&b, 0);
	put32(&b, (uint32_t)(t >> 32));
	put32(&b, (uint32_t)t);
	put32(&b, caplen);
	put32(&b, caplen);
	frame(&b, id, caplen);
	ng_block(c, 2, &b);
}

static void
ng_other(struct cap *c, uint32_t type)
{
	struct cap b = { .be = c->be };
	put32(&b, 0);
	ng_block(c, type, &b);
}

/* ----- the captures ----- */

#define S 1700000000u			/* seconds of the first frame */
#define NS(sec, ns) ((int64_t)(sec) * 1000000000LL + (ns))

static void
le_usec(struct cap *c)
{
	pcap_hdr(c, false, false, 65535, 1);
	pcap_rec(c, S, 250000, 60, 60, 1);
	pcap_rec(c, S + 1, 999999, 42, 1514, 2);
}

static void
be_usec(struct cap *c)
{
	pcap_hdr(c, true, false, 65535, 113);
	pcap_rec(c, S, 250000, 60, 60, 1);
	pcap_rec(c, S + 1, 999999, 42, 1514, 2);
}

static void
le_nsec(struct cap *c)
{
	pcap_hdr(c, false, true, 65535, 276);
	pcap_rec(c, S, 123456789, 60, 60, 1);
	pcap_rec(c, S, 123456790, 30, 30, 2);
}

static void
be_nsec(struct cap *c)
{
	pcap_hdr(c, true, true, 65535, 101);
	pcap_rec(c, S, 123456789, 60, 60, 1);
	pcap_rec(c, S, 123456790, 30, 30, 2);
}

/* the last record is cut: two frames, then a warning */
static void
trunc_record(struct cap *c)
{
	le_usec(c);
	pcap_rec(c, S + 2, 0, 50, 50, 3);
	c->n -= 10;
}

static void
trunc_header(struct cap *c)
{
	le_usec(c);
	put32(c, S + 2);
	put32(c, 0);
}

/* a record longer than the snaplen and libpcap's sanity cap */
static void
absurd_caplen(struct cap *c)
{
	pcap_hdr(c, false, false, 65535, 1);
	pcap_rec(c, S, 0, 60, 60, 1);
	put32(c, S);
	put32(c, 1);
	put32(c, 0x7fffffffu);
	put32(c, 60);
}

static void
header_only(struct cap *c)
{
	pcap_hdr(c, false, false, 65535, 1);
}

/* times going backwards inside a file are read as they come, and counted */
static void
backwards(struct cap *c)
{
	pcap_hdr(c, false, false, 65535, 1);
	pcap_rec(c, S + 5, 0, 20, 20, 1);
	pcap_rec(c, S, 0, 20, 20, 2);
	pcap_rec(c, S + 6, 0, 20, 20, 3);
}

/* Three interfaces, three link types, three resolutions: Ethernet in
 * microseconds (the default), SLL in nanoseconds (if_tsresol 9) and RAW
 * in 2^-10 s with a 100 s if_tsoffset. */
static void
ng_multi(struct cap *c, bool be)
{
	ng_shb(c, be);
	ng_idb(c, 1, 0, -1, 0);
	ng_idb(c, 113, 0, 9, 0);
	ng_idb(c, 101, 0, 0x80 | 10, 100);
	ng_epb(c, 0, (uint64_t)S * 1000000u + 5, 60, 64, 1);
	ng_epb(c, 1, (uint64_t)S * 1000000000u + 7, 44, 44, 2);
	ng_epb(c, 2, ((uint64_t)(S - 100) << 10) | 512, 20, 20, 3);
}

static void
ng_multi_le(struct cap *c)
{
	ng_multi(c, false);
}

static void
ng_multi_be(struct cap *c)
{
	ng_multi(c, true);
}

/* SPB (no time; cut to the snaplen), OPB, blocks we skip, a packet for an
 * undeclared interface, then a new section in the other byte order whose
 * interface list starts afresh */
static void
ng_blocks(struct cap *c)
{
	ng_shb(c, false);
	ng_idb(c, 1, 32, 3, 0);
	ng_spb(c, 50, 40, 1);
	ng_opb(c, 0, (uint64_t)S * 1000u, 20, 2);
	ng_other(c, 4);		/* name resolution */
	ng_other(c, 5);		/* interface statistics */
	ng_epb(c, 7, 0, 20, 20, 9);
	ng_shb(c, true);
	ng_epb(c, 0, 0, 20, 20, 8);	/* interface 0 of the old section: gone */
	ng_idb(c, 228, 0, 6, 0);
	ng_epb(c, 0, (uint64_t)S * 1000000u, 24, 24, 3);
}

static void
ng_trunc(struct cap *c)
{
	ng_shb(c, false);
	ng_idb(c, 1, 0, -1, 0);
	ng_epb(c, 0, (uint64_t)S * 1000000u, 60, 60, 1);
	ng_epb(c, 0, (uint64_t)S * 1000000u, 60, 60, 2);
	c->n -= 20;
}

static void
ng_huge_block(struct cap *c)
{
	ng_shb(c, false);
	ng_idb(c, 1, 0, -1, 0);
	ng_epb(c, 0, (uint64_t)S * 1000000u, 20, 20, 1);
	put32(c, 6);
	put32(c, 64u << 20);
	put32(c, 0);
}

static void
ng_trailer(struct cap *c)
{
	ng_shb(c, false);
	ng_idb(c, 1, 0, -1, 0);
	ng_epb(c, 0, (uint64_t)S * 1000000u, 20, 20, 1);
	c->b[c->n - 1] ^= 0x40;
}

/* caplen beyond the block's bytes */
static void
ng_caplen(struct cap *c)
{
	ng_shb(c, false);
	ng_idb(c, 1, 0, -1, 0);
	struct cap b = { .be = false };
	put32(&b, 0);
	put32(&b, 0);
	put32(&b, 0);
	put32(&b, 500);
	put32(&b, 500);
	frame(&b, 1, 20);
	ng_block(c, 6, &b);
}

static void
ng_bad_bom(struct cap *c)
{
	ng_shb(c, false);
	c->b[8] ^= 0xff;
}

/* the file ends inside its section header block */
static void
ng_short_shb(struct cap *c)
{
	put32(c, 0x0A0D0D0Au);
	put32(c, 28);
	put32(c, 0x1A2B3C4Du);
}

/* if_tsoffset far beyond int64 ns (clamped to SL_TS_LIMIT, no overflow),
 * 2^-63 s units and picoseconds */
static void
ng_extreme_time(struct cap *c)
{
	ng_shb(c, false);
	ng_idb(c, 1, 0, -1, INT64_MAX / 4);
	ng_idb(c, 1, 0, -1, -(INT64_MAX / 4));
	ng_idb(c, 1, 0, 0x80 | 63, 0);
	ng_idb(c, 1, 0, 12, 0);
	ng_epb(c, 0, 1, 20, 20, 1);
	ng_epb(c, 1, 1, 20, 20, 2);
	ng_epb(c, 2, UINT64_MAX, 20, 20, 3);
	ng_epb(c, 3, UINT64_MAX, 20, 20, 4);
}

static void
bad_magic(struct cap *c)
{
	le_usec(c);
	c->b[0] = 0xde;
	c->b[1] = 0xad;
}

static void
three_bytes(struct cap *c)
{
	put(c, "\xd4\xc3\xb2", 3);
}

static void
empty(struct cap *c)
{
	(void)c;
}

/* ----- the table ----- */

struct want_frame {
	int64_t ts_ns;
	int linktype;
	uint32_t caplen;
	uint32_t wirelen;
	uint8_t id;
};

#define MAX_FRAMES 5

static const struct {
	const char *name;
	void (*build)(struct cap *c);
	const char *open_err;		/* substring of the open error, or NULL */
	unsigned n_frames;
	struct want_frame f[MAX_FRAMES];
	struct sl_input_stats st;
	const char *warning;		/* substring of the one warning, or NULL */
} rows[] = {
	{ "pcap LE usec", le_usec, NULL, 2, {
	    { NS(S, 250000000), 1, 60, 60, 1 }, { NS(S + 1, 999999000), 1, 42, 1514, 2 } },
	    { 0 }, NULL },
	{ "pcap BE usec", be_usec, NULL, 2, {
	    { NS(S, 250000000), 113, 60, 60, 1 }, { NS(S + 1, 999999000), 113, 42, 1514, 2 } },
	    { 0 }, NULL },
	{ "pcap LE nsec", le_nsec, NULL, 2, {
	    { NS(S, 123456789), 276, 60, 60, 1 }, { NS(S, 123456790), 276, 30, 30, 2 } },
	    { 0 }, NULL },
	/* libpcap hands LINKTYPE_RAW (101) over as DLT_RAW (12); pcapng
	 * keeps 101: the link layer takes both */
	{ "pcap BE nsec", be_nsec, NULL, 2, {
	    { NS(S, 123456789), 12, 60, 60, 1 }, { NS(S, 123456790), 12, 30, 30, 2 } },
	    { 0 }, NULL },
	{ "pcap truncated record", trunc_record, NULL, 2, {
	    { NS(S, 250000000), 1, 60, 60, 1 }, { NS(S + 1, 999999000), 1, 42, 1514, 2 } },
	    { .truncated_files = 1 }, "mem: truncated dump file" },
	{ "pcap truncated header", trunc_header, NULL, 2, {
	    { NS(S, 250000000), 1, 60, 60, 1 }, { NS(S + 1, 999999000), 1, 42, 1514, 2 } },
	    { .truncated_files = 1 }, "after 2 frames; rest of file ignored" },
	{ "pcap absurd caplen", absurd_caplen, NULL, 1, {
	    { NS(S, 0), 1, 60, 60, 1 } },
	    { .corrupt_files = 1 }, "capture length 2147483647" },
	{ "pcap header only", header_only, NULL, 0, { { 0 } }, { 0 }, NULL },
	{ "pcap backwards", backwards, NULL, 3, {
	    { NS(S + 5, 0), 1, 20, 20, 1 }, { NS(S, 0), 1, 20, 20, 2 },
	    { NS(S + 6, 0), 1, 20, 20, 3 } },
	    { .out_of_order = 1 }, NULL },
	{ "pcapng LE 3 interfaces", ng_multi_le, NULL, 3, {
	    { NS(S, 5000), 1, 60, 64, 1 }, { NS(S, 7), 113, 44, 44, 2 },
	    { NS(S, 500000000), 101, 20, 20, 3 } },
	    { .out_of_order = 1 }, NULL },
	{ "pcapng BE 3 interfaces", ng_multi_be, NULL, 3, {
	    { NS(S, 5000), 1, 60, 64, 1 }, { NS(S, 7), 113, 44, 44, 2 },
	    { NS(S, 500000000), 101, 20, 20, 3 } },
	    { .out_of_order = 1 }, NULL },
	{ "pcapng SPB OPB sections", ng_blocks, NULL, 3, {
	    { 0, 1, 32, 50, 1 }, { NS(S, 0), 1, 20, 20, 2 }, { NS(S, 0), 228, 24, 24, 3 } },
	    { .unknown_blocks = 2, .frames_no_interface = 2 }, NULL },
	{ "pcapng truncated block", ng_trunc, NULL, 1, {
	    { NS(S, 0), 1, 60, 60, 1 } },
	    { .truncated_files = 1 }, "mem: truncated block after 1 frames" },
	{ "pcapng huge block", ng_huge_block, NULL, 1, {
	    { NS(S, 0), 1, 20, 20, 1 } },
	    { .corrupt_files = 1 }, "bad pcapng block length 67108864" },
	{ "pcapng trailer", ng_trailer, NULL, 0, { { 0 } },
	    { .corrupt_files = 1 }, "block length trailer mismatch after 0 frames" },
	{ "pcapng caplen", ng_caplen, NULL, 0, { { 0 } },
	    { .corrupt_files = 1 }, "packet longer than its block" },
	{ "pcapng byte-order magic", ng_bad_bom, NULL, 0, { { 0 } },
	    { .corrupt_files = 1 }, "bad pcapng byte-order magic" },
	{ "pcapng section too short", ng_short_shb, NULL, 0, { { 0 } },
	    { .truncated_files = 1 }, "truncated block" },
	{ "pcapng extreme times", ng_extreme_time, NULL, 4, {
	    { SL_TS_LIMIT, 1, 20, 20, 1 }, { -SL_TS_LIMIT, 1, 20, 20, 2 },
	    { NS(1, 999999999), 1, 20, 20, 3 }, { NS(18446744, 73709551), 1, 20, 20, 4 } },
	    { .out_of_order = 1 }, NULL },
	{ "bad magic", bad_magic, "mem: unknown file format", 0, { { 0 } }, { 0 }, NULL },
	{ "three bytes", three_bytes, "mem: file too short to be a capture", 0, { { 0 } },
	    { 0 }, NULL },
	{ "empty", empty, "mem: file too short to be a capture", 0, { { 0 } }, { 0 }, NULL },
};

static bool
stats_eq(const struct sl_input_stats *a, const struct sl_input_stats *b)
{
	return a->truncated_files == b->truncated_files && a->corrupt_files == b->corrupt_files &&
	    a->unknown_blocks == b->unknown_blocks &&
	    a->frames_no_interface == b->frames_no_interface && a->out_of_order == b->out_of_order;
}

/* Reads in to the end, checking frames against want[] (NULL: none). */
static unsigned
read_all(struct sl_input *in, const char *name, const struct want_frame *want, unsigned n_want,
    unsigned *files /* OUT, may be NULL */)
{
	unsigned n = 0;
	for (unsigned guard = 0; guard < 64; guard++) {
		struct sl_frame f;
		enum sl_next what;
		SL_CHECK(&ts, sl_input_next(in, &f, &what) == SL_OK);
		SL_CHECK(&ts, what != SL_NEXT_AGAIN);	/* files are never waited for */
		if (what != SL_NEXT_FRAME)
			break;
		if (n < n_want) {
			const struct want_frame *w = &want[n];
			SL_CHECK_MSG(&ts, f.ts_ns == w->ts_ns, "%s frame %u: ts %lld, want %lld", name,
			    n, (long long)f.ts_ns, (long long)w->ts_ns);
			SL_CHECK_MSG(&ts, f.linktype == w->linktype, "%s frame %u: linktype %d", name,
			    n, f.linktype);
			SL_CHECK_MSG(&ts, f.caplen == w->caplen && f.wirelen == w->wirelen,
			    "%s frame %u: lengths %u/%u", name, n, f.caplen, f.wirelen);
			SL_CHECK_MSG(&ts, f.caplen && f.data[0] == w->id, "%s frame %u: id", name, n);
		}
		if (files)
			files[n < MAX_FRAMES ? n : MAX_FRAMES - 1] = f.file;
		n++;
	}
	return n;
}

static void
test_rows(void)
{
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		static struct cap c;
		memset(&c, 0, sizeof c);
		rows[i].build(&c);
		char err[SL_ERRBUF_SIZE] = "";
		struct sl_input *in;
		enum sl_err e = sl_input_open_mem(&in, c.b, c.n, "mem", err);
		if (rows[i].open_err) {
			SL_CHECK_MSG(&ts, e == SL_EIO && strstr(err, rows[i].open_err),
			    "%s: open gave %d '%s'", rows[i].name, e, err);
			continue;
		}
		SL_CHECK_MSG(&ts, e == SL_OK, "%s: open failed: %s", rows[i].name, err);
		if (e != SL_OK)
			continue;
		unsigned n = read_all(in, rows[i].name, rows[i].f, rows[i].n_frames, NULL);
		SL_CHECK_MSG(&ts, n == rows[i].n_frames, "%s: %u frames", rows[i].name, n);
		const struct sl_input_stats *st = sl_input_stats(in);
		SL_CHECK_MSG(&ts, stats_eq(st, &rows[i].st),
		    "%s: stats trunc %llu corrupt %llu unknown %llu noif %llu ooo %llu", rows[i].name,
		    (unsigned long long)st->truncated_files, (unsigned long long)st->corrupt_files,
		    (unsigned long long)st->unknown_blocks,
		    (unsigned long long)st->frames_no_interface,
		    (unsigned long long)st->out_of_order);
		const char *w[4];
		size_t nw = sl_input_warnings(in, w, 4);
		SL_CHECK_MSG(&ts, nw == (rows[i].warning != NULL), "%s: %zu warnings", rows[i].name, nw);
		if (nw && rows[i].warning)
			SL_CHECK_MSG(&ts, strstr(w[0], rows[i].warning) != NULL, "%s: warning '%s'",
			    rows[i].name, w[0]);
		sl_input_close(in);
	}
}

/* ----- files on disk: merging, errors, stdin ----- */

static bool
write_file(const char *path, const struct cap *c)
{
	FILE *f = fopen(path, "wb");
	if (f == NULL)
		return false;
	bool ok = fwrite(c->b, 1, c->n, f) == c->n;
	return fclose(f) == 0 && ok;
}

/* Two files read as one stream in time order; a tie goes to the file
 * named first. */
static void
test_merge(const char *dir)
{
	char p1[512], p2[512];
	snprintf(p1, sizeof p1, "%s/a.pcap", dir);
	snprintf(p2, sizeof p2, "%s/b.pcapng", dir);
	struct cap a = { 0 }, b = { 0 };
	pcap_hdr(&a, false, false, 65535, 1);
	pcap_rec(&a, S, 0, 20, 20, 1);
	pcap_rec(&a, S + 2, 0, 20, 20, 3);
	pcap_rec(&a, S + 4, 0, 20, 20, 5);
	ng_shb(&b, true);
	ng_idb(&b, 113, 0, 9, 0);
	ng_epb(&b, 0, (uint64_t)(S + 1) * 1000000000u, 20, 20, 2);
	ng_epb(&b, 0, (uint64_t)(S + 4) * 1000000000u, 20, 20, 6);
	SL_CHECK(&ts, write_file(p1, &a) && write_file(p2, &b));
	const char *paths[] = { p1, p2 };
	char err[SL_ERRBUF_SIZE] = "";
	struct sl_input *in;
	SL_CHECK(&ts, sl_input_open(&in, paths, 2, err) == SL_OK);
	static const struct want_frame want[] = {
		{ NS(S, 0), 1, 20, 20, 1 }, { NS(S + 1, 0), 113, 20, 20, 2 },
		{ NS(S + 2, 0), 1, 20, 20, 3 }, { NS(S + 4, 0), 1, 20, 20, 5 },
		{ NS(S + 4, 0), 113, 20, 20, 6 },
	};
	unsigned files[MAX_FRAMES] = { 0 };
	SL_CHECK(&ts, read_all(in, "merge", want, 5, files) == 5);
	SL_CHECK(&ts, files[0] == 0 && files[1] == 1 && files[2] == 0 && files[3] == 0 &&
	    files[4] == 1);
	sl_input_close(in);

	/* the second path is missing: the first is read all the same, the
	 * missing one is listed with its path first */
	char p3[512];
	snprintf(p3, sizeof p3, "%s/missing.pcap", dir);
	const char *bad[] = { p3, p1 };
	SL_CHECK(&ts, sl_input_open(&in, bad, 2, err) == SL_OK && in != NULL);
	const char *lines[4];
	size_t total = 0;
	size_t nl = in ? sl_input_unreadable(in, lines, 4, &total) : 0;
	SL_CHECK_MSG(&ts, nl == 1 && total == 1 && strstr(lines[0], p3) == lines[0] &&
	    strstr(lines[0], "No such file"), "%zu lines, first '%s'", nl, nl ? lines[0] : "");
	static const struct want_frame first_only[] = {
		{ NS(S, 0), 1, 20, 20, 1 }, { NS(S + 2, 0), 1, 20, 20, 3 },
		{ NS(S + 4, 0), 1, 20, 20, 5 },
	};
	unsigned bfiles[MAX_FRAMES] = { 0 };
	if (in) {
		SL_CHECK(&ts, read_all(in, "one unreadable", first_only, 3, bfiles) == 3);
		SL_CHECK(&ts, bfiles[0] == 1);	/* the index into the paths given */
	}
	sl_input_close(in);
	/* both unreadable: still SL_OK, and both listed (the caller exits 3) */
	const char *worse[] = { p3, p3 };
	SL_CHECK(&ts, sl_input_open(&in, worse, 2, err) == SL_OK);
	SL_CHECK(&ts, in && sl_input_unreadable(in, lines, 4, &total) == 2 && total == 2);
	sl_input_close(in);
	unlink(p1);
	unlink(p2);
}

/* "-" reads stdin, which cannot be rewound: the magic is replayed. */
static void
test_stdin(const char *dir)
{
	char path[512];
	snprintf(path, sizeof path, "%s/stdin.pcapng", dir);
	struct cap c = { 0 };
	ng_multi(&c, false);
	SL_CHECK(&ts, write_file(path, &c));
	if (freopen(path, "rb", stdin) == NULL) {
		SL_CHECK_MSG(&ts, false, "freopen %s", path);
		return;
	}
	const char *paths[] = { "-" };
	char err[SL_ERRBUF_SIZE] = "";
	struct sl_input *in;
	SL_CHECK(&ts, sl_input_open(&in, paths, 1, err) == SL_OK);
	SL_CHECK(&ts, rows[9].build == ng_multi_le);
	SL_CHECK(&ts, read_all(in, "stdin", rows[9].f, 3, NULL) == 3);
	sl_input_close(in);

	/* a short stdin names "stdin" in the error */
	struct cap shortc = { 0 };
	three_bytes(&shortc);
	SL_CHECK(&ts, write_file(path, &shortc));
	if (freopen(path, "rb", stdin) != NULL) {
		SL_CHECK(&ts, sl_input_open(&in, paths, 1, err) == SL_OK);
		const char *line = NULL;
		size_t total = 0;
		SL_CHECK(&ts, in && sl_input_unreadable(in, &line, 1, &total) == 1);
		SL_CHECK_MSG(&ts, line && strcmp(line, "stdin: file too short to be a capture") == 0,
		    "error '%s'", line ? line : "");
		sl_input_close(in);
	}
	unlink(path);
}

int
main(void)
{
	test_rows();
	char dir[] = "/tmp/sl_test_capture.XXXXXX";
	if (mkdtemp(dir) == NULL) {
		SL_CHECK_MSG(&ts, false, "mkdtemp");
		return sl_test_report(&ts, "test_capture");
	}
	test_merge(dir);
	test_stdin(dir);
	rmdir(dir);
	return sl_test_report(&ts, "test_capture");
}
