/* test_dedup.c: packets seen twice (src/engine/dedup.h). The keyed hash
 * against its definition; which differences between two copies of
 * a packet the fingerprint ignores (those a hop or another capture point
 * makes) and which it does not (anything the packet carries); the window
 * of time, in which a SIP retransmission after T1 stays a retransmission;
 * a table overrun; the engine counting copies, or removing them with
 * --dedup before anything else sees them; and the seed's call from two
 * capture points, whose merge with --dedup is the call of one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/pktbuild.h"
#include "core/uhash.h"
#include "engine/dedup.h"
#include "engine/pipeline.h"
#include "reports/report.h"
#include "tests/unit/unit.h"

static SL_TEST_STATE(ts);

#define MS 1000000LL
#define T0 (1243850401LL * 1000 * MS)	/* 2009-06-01T10:00:01Z */

/* The definition of core/uhash.h computed the slow way, one chunk and
 * one reduction at a time, to check the lazy arithmetic against */
#define P61 ((UINT64_C(1) << 61) - 1)

__extension__ typedef unsigned __int128 u128;

static uint64_t
mulmod(uint64_t a, uint64_t b)
{
	return (uint64_t)((u128)a * b % P61);
}

static uint64_t
uhash_ref(const struct sl_uhash_key *k, const uint8_t *m, size_t n)
{
	uint64_t h = 0, v = 0;
	unsigned i = 0;
	for (size_t off = 0; off < n; off += 7) {
		uint64_t c = 0;
		for (size_t b = 0; b < 7 && off + b < n; b++)
			c |= (uint64_t)m[off + b] << (8 * b);
		v = (v + mulmod(k->k[i], c)) % P61;
		if (++i == SL_UHASH_BLOCK || off + 7 >= n) {
			h = (mulmod(h, k->r) + v) % P61;
			v = 0;
			i = 0;
		}
	}
	return (mulmod(h, k->r) + n % P61) % P61;
}

static void
test_uhash(void)
{
	uint64_t raw[SL_UHASH_BLOCK + 1];
	for (unsigned i = 0; i < SL_UHASH_BLOCK + 1; i++)
		raw[i] = UINT64_MAX - (i + 1) * 0x9e3779b97f4a7c15ULL;	/* large */
	struct sl_uhash_key k;
	sl_uhash_key(&k, raw);
	for (unsigned i = 0; i < SL_UHASH_BLOCK; i++)
		SL_CHECK(&ts, k.k[i] < P61 && k.k[i] != 0);
	static uint8_t m[1000];
	for (size_t i = 0; i < sizeof m; i++)
		m[i] = (uint8_t)(0xff - i * 13);	/* high bytes: the largest chunks */
	/* every length across the block edge (224 bytes) and beyond */
	/* every length across the block edges (224, 448 bytes) */
	for (size_t n = 0; n <= 500; n++)
		SL_CHECK_MSG(&ts, sl_uhash(&k, m, n) == uhash_ref(&k, m, n), "length %zu", n);
	SL_CHECK(&ts, sl_uhash(&k, m, 1000) == uhash_ref(&k, m, 1000));
	/* inputs that differ only in trailing zeros, or in one bit anywhere */
	static const uint8_t z[8];
	SL_CHECK(&ts, sl_uhash(&k, z, 3) != sl_uhash(&k, z, 4));
	uint64_t base = sl_uhash(&k, m, 300);
	unsigned same = 0;
	for (size_t bit = 0; bit < 300 * 8; bit++) {
		m[bit / 8] ^= (uint8_t)(1u << bit % 8);
		same += sl_uhash(&k, m, 300) == base;
		m[bit / 8] ^= (uint8_t)(1u << bit % 8);
	}
	SL_CHECK_MSG(&ts, same == 0, "%u one-bit changes collide", same);
}

/* ---- the fingerprint ---- */

#define SIPTEXT "OPTIONS sip:u2@192.168.1.101 SIP/2.0\r\nCall-ID: fp1\r\n\r\n"

/* An IPv4 UDP datagram as Linux sends it (DF), from .183 to .101 */
static size_t
ip4_udp(uint8_t *out, uint8_t ttl, uint16_t id, uint16_t fragw, const char *text)
{
	static const uint8_t a[4] = { 192, 168, 1, 183 }, b[4] = { 192, 168, 1, 101 };
	size_t n = strlen(text);
	size_t ul = sl_pkt_udp(out + SL_PKT_IP4_LEN, 2000, a, b, 4, 5060, 5060, text, n);
	sl_pkt_ip4(out, a, b, SL_PKT_PROTO_UDP, ttl, id, fragw, ul);
	return SL_PKT_IP4_LEN + ul;
}

static size_t
ip6_udp(uint8_t *out, uint8_t hlim, const char *text)
{
	uint8_t a[16] = { 0x20, 0x01, 0x0d, 0xb8 }, b[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	a[15] = 0x83;
	b[15] = 0x01;
	size_t n = strlen(text);
	size_t ul = sl_pkt_udp(out + SL_PKT_IP6_LEN, 2000, a, b, 16, 5060, 5060, text, n);
	sl_pkt_ip6(out, a, b, SL_PKT_PROTO_UDP, hlim, ul);
	return SL_PKT_IP6_LEN + ul;
}

static struct sl_dedup *fp_dedup;	/* its key for every fingerprint */

static bool
fp_of(enum sl_net net, const uint8_t *p, size_t n, uint64_t *fp)
{
	return sl_dedup_fingerprint(fp_dedup, net, p, n, fp);
}

/* Rewrites an IPv4 header's checksum, as a router does after the TTL */
static void
ip4_recsum(uint8_t *p)
{
	p[10] = p[11] = 0;
	sl_pkt_put16(p + 10, sl_csum_fold(sl_csum_add(0, p, SL_PKT_IP4_LEN)));
}

enum edit { E_NONE, E_TTL, E_TOS, E_ID, E_DF, E_UDPSUM, E_PAD, E_PAYLOAD, E_ADDR, E_CUT,
	E_FRAG_ID, E_PORT };

static const struct {
	enum edit edit;
	bool same;
	const char *why;
} v4_rows[] = {
	{ E_NONE, true, "the very same bytes" },
	{ E_TTL, true, "TTL one less and the header checksum rewritten: one router hop" },
	{ E_TOS, true, "DSCP remarked on the way" },
	{ E_ID, true, "another Identification: a program's own trace of the packet" },
	{ E_DF, true, "DF not set in a synthesized trace" },
	{ E_UDPSUM, true, "UDP checksum left by offload in the sender's capture" },
	{ E_PAD, true, "Ethernet padding after the IP packet" },
	{ E_PAYLOAD, false, "one byte of the SIP text differs" },
	{ E_ADDR, false, "another source address" },
	{ E_PORT, false, "another source port" },
	{ E_CUT, false, "cut by a smaller snaplen" },
	{ E_FRAG_ID, false, "a fragment of another datagram (Identification names it)" },
};

/* frag: the first fragment of a datagram (MF, offset 0) instead */
static size_t
edit4(uint8_t *p, enum edit e, bool frag)
{
	size_t n = ip4_udp(p, 64, 0x1c2e, frag ? 0x2000 : 0x4000, SIPTEXT);
	switch (e) {
	case E_NONE:
		break;
	case E_TTL:
		p[8] = 63;
		ip4_recsum(p);
		break;
	case E_TOS:
		p[1] = 0xb8;
		ip4_recsum(p);
		break;
	case E_ID:
	case E_FRAG_ID:
		p[4] ^= 0x55;
		ip4_recsum(p);
		break;
	case E_DF:
		p[6] = 0;
		ip4_recsum(p);
		break;
	case E_UDPSUM:
		p[SL_PKT_IP4_LEN + 6] ^= 0x5a;
		break;
	case E_PAD:
		memset(p + n, 0, 6);
		n += 6;
		break;
	case E_PAYLOAD:
		p[n - 10] ^= 1;
		break;
	case E_ADDR:
		p[15] = 184;
		ip4_recsum(p);
		break;
	case E_PORT:
		p[SL_PKT_IP4_LEN + 1] ^= 1;
		break;
	case E_CUT:
		n -= 5;
		break;
	}
	return n;
}

static void
test_fingerprint_ip4(void)
{
	uint8_t a[600], b[600];
	for (size_t i = 0; i < sizeof v4_rows / sizeof v4_rows[0]; i++) {
		bool frag = v4_rows[i].edit == E_FRAG_ID;
		size_t na = edit4(a, E_NONE, frag), nb = edit4(b, v4_rows[i].edit, frag);
		uint64_t fa = 0, fb = 0;
		SL_CHECK(&ts, fp_of(SL_NET_IP4, a, na, &fa) && fp_of(SL_NET_IP4, b, nb, &fb));
		SL_CHECK_MSG(&ts, (fa == fb) == v4_rows[i].same, "row %zu, %s: fingerprints %s",
		    i, v4_rows[i].why, fa == fb ? "equal" : "differ");
	}
	/* a fragment whose TTL alone changed is still the same fragment */
	size_t na = ip4_udp(a, 64, 7, 0x2000, SIPTEXT), nb = ip4_udp(b, 63, 7, 0x2000, SIPTEXT);
	uint64_t fa, fb;
	SL_CHECK(&ts, fp_of(SL_NET_IP4, a, na, &fa) && fp_of(SL_NET_IP4, b, nb, &fb) && fa == fb);
	/* bytes that are no IPv4 header: not fingerprinted, never a copy */
	SL_CHECK(&ts, !fp_of(SL_NET_IP4, a, 19, &fa));
	SL_CHECK(&ts, !fp_of(SL_NET_IP6, a, na, &fa));
	SL_CHECK(&ts, !fp_of(SL_NET_NONE, a, na, &fa));
	a[0] = 0x44;	/* IHL 4 */
	SL_CHECK(&ts, !fp_of(SL_NET_IP4, a, na, &fa));
	a[0] = 0x45;
	sl_pkt_put16(a + 2, 19);	/* total length inside the header */
	SL_CHECK(&ts, !fp_of(SL_NET_IP4, a, na, &fa));
}

static void
test_fingerprint_ip6(void)
{
	uint8_t a[600], b[600];
	size_t na = ip6_udp(a, 64, SIPTEXT), nb;
	uint64_t fa, fb;
	SL_CHECK(&ts, fp_of(SL_NET_IP6, a, na, &fa));
	nb = ip6_udp(b, 63, SIPTEXT);
	b[1] = 0x0b;	/* traffic class and flow label */
	b[3] = 0x42;
	SL_CHECK_MSG(&ts, fp_of(SL_NET_IP6, b, nb, &fb) && fa == fb,
	    "hop limit, traffic class, flow label ignored");
	nb = ip6_udp(b, 64, SIPTEXT);
	b[SL_PKT_IP6_LEN + 7] ^= 0x33;
	SL_CHECK_MSG(&ts, fp_of(SL_NET_IP6, b, nb, &fb) && fa == fb, "UDP checksum ignored");
	nb = ip6_udp(b, 64, SIPTEXT);
	b[nb - 3] ^= 0x20;
	SL_CHECK_MSG(&ts, fp_of(SL_NET_IP6, b, nb, &fb) && fa != fb, "payload byte counts");
	nb = ip6_udp(b, 64, SIPTEXT);
	b[23] ^= 1;
	SL_CHECK_MSG(&ts, fp_of(SL_NET_IP6, b, nb, &fb) && fa != fb, "source address counts");
	SL_CHECK(&ts, !fp_of(SL_NET_IP6, a, 39, &fa));
	SL_CHECK(&ts, !fp_of(SL_NET_IP4, a, na, &fa));
}

/* ---- the window ---- */

#define TAP 1	/* capture points */
#define TRACE 2

static void
test_window(void)
{
	struct sl_dedup *d = sl_dedup_new(100 * MS);
	SL_CHECK(&ts, d != NULL);
	uint8_t p[600], q[600];
	size_t n = ip4_udp(p, 64, 1, 0x4000, SIPTEXT);
	/* the trace's copy: the program's own TTL and Identification */
	size_t m = ip4_udp(q, 63, 2, 0x4000, SIPTEXT);
	SL_CHECK_MSG(&ts, !sl_dedup_seen(d, SL_NET_IP4, p, n, T0, TAP), "first sight");
	SL_CHECK_MSG(&ts, sl_dedup_seen(d, SL_NET_IP4, q, m, T0 + 3 * MS, TRACE),
	    "the other point's copy 3 ms later");
	SL_CHECK_MSG(&ts, sl_dedup_seen(d, SL_NET_IP4, q, m, T0 + 100 * MS, 3),
	    "a third capture point at the end of the window");
	/* T1: the sender resends the very same bytes */
	SL_CHECK_MSG(&ts, !sl_dedup_seen(d, SL_NET_IP4, p, n, T0 + 500 * MS, TAP),
	    "a retransmission after T1 is no copy");
	SL_CHECK_MSG(&ts, sl_dedup_seen(d, SL_NET_IP4, q, m, T0 + 502 * MS, TRACE),
	    "the retransmission's own copy");
	SL_CHECK_MSG(&ts, !sl_dedup_seen(d, SL_NET_IP4, p, n, T0 + 1500 * MS, TAP),
	    "the second retransmission (2 T1)");
	SL_CHECK_MSG(&ts, !sl_dedup_seen(d, SL_NET_IP4, q, m, T0 + 1601 * MS, TRACE),
	    "101 ms after: outside the window");
	/* a copy from a capture whose clock runs a little behind */
	n = ip4_udp(p, 64, 3, 0x4000, "BYE sip:x SIP/2.0\r\n\r\n");
	SL_CHECK(&ts, !sl_dedup_seen(d, SL_NET_IP4, p, n, T0 + 10000 * MS, TAP));
	SL_CHECK_MSG(&ts, sl_dedup_seen(d, SL_NET_IP4, p, n, T0 + 9995 * MS, TRACE),
	    "earlier copy");
	/* what no link layer called IP is never a copy */
	SL_CHECK(&ts, !sl_dedup_seen(d, SL_NET_NONE, p, n, T0 + 10000 * MS, TRACE));
	SL_CHECK(&ts, sl_dedup_forgotten(d) == 0);
	sl_dedup_free(d);
}

/* One capture point: a packet the point saw twice keeps its IPv4
 * Identification; a sender's immediate repeats (RFC 4733 ends an event
 * with three equal packets) each have their own, and stay. */
static void
test_one_point(void)
{
	static const char dtmf_end[] = "\x80\x65\x1f\x37 event 5, end";
	struct sl_dedup *d = sl_dedup_new(100 * MS);
	uint8_t p[600];
	size_t n = ip4_udp(p, 64, 0x80a9, 0x4000, dtmf_end);
	SL_CHECK(&ts, !sl_dedup_seen(d, SL_NET_IP4, p, n, T0, TAP));
	n = ip4_udp(p, 64, 0x80aa, 0x4000, dtmf_end);
	SL_CHECK_MSG(&ts, !sl_dedup_seen(d, SL_NET_IP4, p, n, T0 + 14000, TAP),
	    "a repeat 14 us later with the next Identification");
	n = ip4_udp(p, 64, 0x80ab, 0x4000, dtmf_end);
	SL_CHECK(&ts, !sl_dedup_seen(d, SL_NET_IP4, p, n, T0 + 18000, TAP));
	SL_CHECK_MSG(&ts, sl_dedup_seen(d, SL_NET_IP4, p, n, T0 + 19000, TAP),
	    "the last repeat seen twice (a bridge and its port)");
	/* the same three in the sender's own trace, Identifications its own:
	 * each is a copy of one on the wire */
	for (uint16_t i = 0; i < 3; i++) {
		n = ip4_udp(p, 64, (uint16_t)(7 + i), 0x4000, dtmf_end);
		SL_CHECK_MSG(&ts, sl_dedup_seen(d, SL_NET_IP4, p, n, T0 + 1000000 + i, TRACE),
		    "trace copy %u", i);
	}
	/* IPv6 has no Identification: equal packets at one point are copies */
	n = ip6_udp(p, 64, dtmf_end);
	SL_CHECK(&ts, !sl_dedup_seen(d, SL_NET_IP6, p, n, T0, TAP));
	SL_CHECK(&ts, sl_dedup_seen(d, SL_NET_IP6, p, n, T0 + 14000, TAP));
	sl_dedup_free(d);
}

/* More distinct packets in one window than the table holds: the oldest
 * go first and are counted, and the newest are still found. */
static void
test_overrun(void)
{
	struct sl_dedup *d = sl_dedup_new(100 * MS);
	uint8_t p[600];
	char text[64];
	const unsigned N = 80000;
	unsigned copies = 0;
	for (unsigned i = 0; i < N; i++) {
		snprintf(text, sizeof text, "RTP-ish %u", i);
		size_t n = ip4_udp(p, 64, 0, 0x4000, text);
		copies += sl_dedup_seen(d, SL_NET_IP4, p, n, T0 + (int64_t)i, TAP);
	}
	SL_CHECK_MSG(&ts, copies == 0, "%u distinct packets taken for copies", copies);
	SL_CHECK_MSG(&ts, sl_dedup_forgotten(d) >= N - 65536, "forgotten %llu",
	    (unsigned long long)sl_dedup_forgotten(d));
	unsigned found = 0;
	for (unsigned i = N - 1000; i < N; i++) {
		snprintf(text, sizeof text, "RTP-ish %u", i);
		size_t n = ip4_udp(p, 64, 0, 0x4000, text);
		found += sl_dedup_seen(d, SL_NET_IP4, p, n, T0 + (int64_t)N, TRACE);
	}
	SL_CHECK_MSG(&ts, found >= 990, "recent copies found: %u of 1000", found);
	sl_dedup_free(d);
}

/* ---- the engine ---- */

#define REGISTER "REGISTER sip:192.168.1.50 SIP/2.0\r\n" \
	"Via: SIP/2.0/UDP 192.168.1.183:5060;branch=z9hG4bKdd1\r\n" \
	"From: <sip:u1@192.168.1.50>;tag=r1\r\nTo: <sip:u1@192.168.1.50>\r\n" \
	"Call-ID: dedup-reg@192.168.1.183\r\nCSeq: 1 REGISTER\r\n" \
	"Contact: <sip:u1@192.168.1.183>\r\nExpires: 600\r\nContent-Length: 0\r\n\r\n"

struct engine_run {
	struct sl_run_stats st;
	bool skipped_duplicates;
	uint64_t skipped_count;
};

/* frame bytes: Ethernet or raw IP around an IPv4 REGISTER from .183 */
static size_t
frame(uint8_t *out, bool ether, uint8_t ttl, uint16_t id)
{
	size_t off = 0;
	if (ether) {
		static const uint8_t hdr[14] = { 0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 0x08, 0x00 };
		memcpy(out, hdr, sizeof hdr);
		off = sizeof hdr;
	}
	static const uint8_t a[4] = { 192, 168, 1, 183 }, b[4] = { 192, 168, 1, 50 };
	size_t ul = sl_pkt_udp(out + off + SL_PKT_IP4_LEN, 2000, a, b, 4, 5060, 5060, REGISTER,
	    strlen(REGISTER));
	sl_pkt_ip4(out + off, a, b, SL_PKT_PROTO_UDP, ttl, id, 0x4000, ul);
	return off + SL_PKT_IP4_LEN + ul;
}

/* Feeds (time ms, raw-IP copy?) frames; the raw copies are one hop on
 * with their own Identification, as a trace on the far side writes them. */
static void
run(bool dedup, const int64_t *at_ms, const bool *copy, size_t n, struct engine_run *out)
{
	struct sl_run_opts o;
	sl_run_opts_default(&o);
	o.dedup = dedup;
	struct sl_engine *e = sl_engine_new(&o, NULL, 0);
	SL_CHECK(&ts, e != NULL);
	uint8_t buf[1500];
	for (size_t i = 0; i < n; i++) {
		size_t len = frame(buf, !copy[i], copy[i] ? 63 : 64, copy[i] ? 900 : 7);
		struct sl_frame f = {
			.data = buf, .caplen = (uint32_t)len, .wirelen = (uint32_t)len,
			.ts_ns = T0 + at_ms[i] * MS, .linktype = copy[i] ? 101 : 1,
		};
		SL_CHECK(&ts, sl_engine_feed(e, &f) == SL_OK);
	}
	SL_CHECK(&ts, sl_engine_finish(e) == SL_OK);
	out->st = *sl_engine_stats(e);
	struct sl_run_count rc[32];
	size_t k = sl_run_skipped(&out->st, rc, 32);
	out->skipped_duplicates = false;
	for (size_t i = 0; i < k; i++)
		if (strcmp(rc[i].id, "duplicates") == 0) {
			out->skipped_duplicates = true;
			out->skipped_count = rc[i].count;
			SL_CHECK(&ts, strcmp(rc[i].name, "duplicate packets") == 0);
		}
	sl_engine_free(e);
}

static void
test_engine(void)
{
	/* the REGISTER on the tap, its copy in the server's trace 2 ms
	 * later; retransmitted after T1 (500 ms), seen by both again */
	static const int64_t at[] = { 0, 2, 500, 501 };
	static const bool copy[] = { false, true, false, true };
	struct engine_run r;

	run(false, at, copy, 4, &r);
	SL_CHECK_MSG(&ts, r.st.duplicates == 2 && r.st.duplicates_removed == 0,
	    "counted, kept: %llu, %llu", (unsigned long long)r.st.duplicates,
	    (unsigned long long)r.st.duplicates_removed);
	SL_CHECK(&ts, !r.skipped_duplicates);
	SL_CHECK(&ts, r.st.corr.sip_msgs == 4);
	SL_CHECK(&ts, r.st.corr.sip_retrans == 3);

	run(true, at, copy, 4, &r);
	SL_CHECK(&ts, r.st.frames == 4);
	SL_CHECK(&ts, r.st.duplicates == 2 && r.st.duplicates_removed == 2);
	SL_CHECK(&ts, r.skipped_duplicates && r.skipped_count == 2);
	SL_CHECK_MSG(&ts, r.st.corr.sip_msgs == 2, "sip_msgs %llu",
	    (unsigned long long)r.st.corr.sip_msgs);
	SL_CHECK_MSG(&ts, r.st.corr.sip_retrans == 1,
	    "the retransmission after T1 is still one: %llu",
	    (unsigned long long)r.st.corr.sip_retrans);

	/* one capture point alone: nothing to remove, the same result */
	static const bool tap[] = { false, false };
	static const int64_t tap_at[] = { 0, 500 };
	run(true, tap_at, tap, 2, &r);
	SL_CHECK(&ts, r.st.duplicates == 0 && !r.skipped_duplicates);
	SL_CHECK(&ts, r.st.corr.sip_msgs == 2 && r.st.corr.sip_retrans == 1);
}

/* ---- two capture points on disk ---- */

struct ladders {
	struct sl_report_opts rep;
	struct sl_buf text;
};

static enum sl_err
ladder_begin(void *user, const struct sl_run_stats *st)
{
	((struct ladders *)user)->rep.base_ts_ns = st->first_ts;
	return SL_OK;
}

static enum sl_err
ladder_call(void *user, const struct sl_call *call, const struct sl_run_stats *st)
{
	(void)st;
	struct ladders *l = user;
	return sl_report_ladder(&l->text, call, &l->rep);
}

/* Every call's ladder (RTP rows on) from sample-pcaps files read as one
 * input; the caller frees *out. */
static void
ladders_of(const char *const *names, size_t n, bool dedup, struct sl_buf *out,
    struct sl_run_stats *st)
{
	char paths[2][512];
	const char *p[2];
	for (size_t i = 0; i < n && i < 2; i++) {
		snprintf(paths[i], sizeof paths[i], "%s/sample-pcaps/%s", SL_SOURCE_DIR, names[i]);
		p[i] = paths[i];
	}
	struct sl_input *in = NULL;
	char errbuf[SL_ERRBUF_SIZE];
	SL_CHECK(&ts, sl_input_open(&in, p, n, errbuf) == SL_OK);
	struct ladders l;
	sl_report_opts_default(&l.rep);
	l.rep.rtp = true;
	sl_buf_init(&l.text, 1u << 24);
	struct sl_run_opts o;
	sl_run_opts_default(&o);
	o.dedup = dedup;
	struct sl_sink sink = { .begin = ladder_begin, .call = ladder_call, .user = &l };
	struct sl_engine *e = sl_engine_new(&o, &sink, 1);
	SL_CHECK(&ts, e != NULL);
	SL_CHECK(&ts, sl_pipeline_run(in, e, &sl_clock_monotonic) == SL_OK);
	*st = *sl_engine_stats(e);
	sl_engine_free(e);
	sl_input_close(in);
	*out = l.text;
}

/* The seed's call on the wire and in the server's own trace (raw IP, its
 * own IPv4 Identification and TTL, stamped 0.1 to 3 ms later): merged
 * with dedup, the ladder of the wire alone; merged without, every
 * message twice. */
static void
test_two_points(void)
{
	static const char *const wire[] = { "b2bua-lossy.pcap" };
	static const char *const both[] = { "b2bua-lossy.pcap", "b2bua-lossy-trace.pcap" };
	struct sl_buf one, dd, kept;
	struct sl_run_stats s1, sd, sk;
	ladders_of(wire, 1, true, &one, &s1);
	ladders_of(both, 2, true, &dd, &sd);
	ladders_of(both, 2, false, &kept, &sk);
	SL_CHECK(&ts, s1.duplicates == 0 && s1.frames == 1164);
	SL_CHECK_MSG(&ts, sd.duplicates_removed == 1164 && sd.frames == 2328,
	    "removed %llu of %llu", (unsigned long long)sd.duplicates_removed,
	    (unsigned long long)sd.frames);
	SL_CHECK(&ts, one.len > 0 && dd.len == one.len && memcmp(dd.p, one.p, one.len) == 0);
	SL_CHECK(&ts, sk.duplicates == 1164 && sk.duplicates_removed == 0);
	SL_CHECK(&ts, sk.corr.sip_retrans == 23 && sd.corr.sip_retrans == 0);
	SL_CHECK(&ts, kept.len != one.len || memcmp(kept.p, one.p, one.len) != 0);
	sl_buf_free(&one);
	sl_buf_free(&dd);
	sl_buf_free(&kept);
}

int
main(void)
{
	test_uhash();
	fp_dedup = sl_dedup_new(100 * MS);
	test_fingerprint_ip4();
	test_fingerprint_ip6();
	sl_dedup_free(fp_dedup);
	test_window();
	test_one_point();
	test_overrun();
	test_engine();
	test_two_points();
	return sl_test_report(&ts, "test_dedup");
}
