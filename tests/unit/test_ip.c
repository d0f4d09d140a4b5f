/* test_ip.c: IPv4 and IPv6 headers (RFC 791 3.1, RFC 8200 3-4): version,
 * IHL, lengths against the captured bytes, IPv6 extension header chains
 * and protocol dispatch. Rows go through sl_dissect_frame with
 * DLT_IPV4 (228) / DLT_IPV6 (229); every UDP flow is media. */
#include <stdint.h>
#include <string.h>

#include "tests/unit/frames.h"

static SL_TEST_STATE(ts);

#define RTP12 "8000 0001 000000a0 1726c94e"
#define UDP_RTP "6c00 6cb0 0014 0000" RTP12
#define A4 "c0a80132 c0a80165"
#define A6 "20010db8000000000000000000000001 20010db8000000000000000000000002"

static const struct {
	int linktype;
	const char *hex;
	enum sl_app app;
	enum sl_skip skip;
	const char *anomaly;	/* the only anomaly expected, or NULL */
	uint8_t ip_proto;
	uint8_t ttl;
} rows[] = {
	/* ---- IPv4 ---- */
	{ 228, "4500 0028 0001 0000 4011 0000" A4 UDP_RTP, SL_APP_RTP, 0, NULL, 17, 64 },
	/* options: IHL 6 */
	{ 228, "4600 002c 0001 0000 3f11 0000" A4 "01010101" UDP_RTP, SL_APP_RTP, 0, NULL, 17, 63 },
	/* DF set is not a fragment */
	{ 228, "4500 0028 0001 4000 4011 0000" A4 UDP_RTP, SL_APP_RTP, 0, NULL, 17, 64 },
	/* short header */
	{ 228, "4500 0028 0001 0000 4011", 0, SL_SKIP_TRUNCATED, "ip4.truncated", 0, 0 },
	{ 228, "", 0, SL_SKIP_TRUNCATED, "ip4.truncated", 0, 0 },
	/* version 6 in an IPv4 link */
	{ 228, "6500 0028 0001 0000 4011 0000" A4 UDP_RTP, 0, SL_SKIP_IP_BAD, "ip4.version", 0, 0 },
	/* IHL below 5 */
	{ 228, "4400 0028 0001 0000 4011 0000" A4 UDP_RTP, 0, SL_SKIP_IP_BAD, "ip4.ihl", 0, 0 },
	{ 228, "4000 0028 0001 0000 4011 0000" A4 UDP_RTP, 0, SL_SKIP_IP_BAD, "ip4.ihl", 0, 0 },
	/* IHL 15: 40 bytes of options not captured */
	{ 228, "4f00 0040 0001 0000 4011 0000" A4 "0101", 0, SL_SKIP_TRUNCATED, "ip4.truncated", 0, 0 },
	/* Total Length smaller than the header */
	{ 228, "4500 0010 0001 0000 4011 0000" A4 UDP_RTP, 0, SL_SKIP_IP_BAD, "ip4.length", 0, 0 },
	{ 228, "4600 0014 0001 0000 4011 0000" A4 "00000000" UDP_RTP, 0, SL_SKIP_IP_BAD,
	    "ip4.length", 0, 0 },
	/* Total Length 20: empty payload, UDP is too short */
	{ 228, "4500 0014 0001 0000 4011 0000" A4 UDP_RTP, 0, SL_SKIP_UDP_BAD, "udp.short", 17, 64 },
	/* Total Length beyond the capture, UDP header complete: go on */
	{ 228, "4500 0100 0001 0000 4011 0000" A4 "6c00 6cb0 0014 0000" RTP12, SL_APP_RTP, 0,
	    "ip4.truncated", 17, 64 },
	/* ... UDP header incomplete: stop */
	{ 228, "4500 0100 0001 0000 4011 0000" A4 "6c00 6cb0", 0, SL_SKIP_TRUNCATED,
	    "ip4.truncated", 17, 64 },
	/* protocols */
	{ 228, "4500 0028 0001 0000 4006 0000" A4 UDP_RTP, 0, SL_SKIP_TCP, NULL, 6, 64 },
	{ 228, "4500 0028 0001 0000 402f 0000" A4 UDP_RTP, 0, SL_SKIP_IP_OTHER, NULL, 47, 64 },
	{ 228, "4500 0028 0001 0000 403a 0000" A4 UDP_RTP, 0, SL_SKIP_IP_OTHER, NULL, 58, 64 },
	{ 228, "4500 0020 0001 0000 4001 0000" A4 "0800 0000 0001 0001 41424344", 0,
	    SL_SKIP_ICMP_OTHER, NULL, 1, 64 },
	/* fragments with no reassembly context are counted as dropped */
	{ 228, "4500 0028 0001 2000 4011 0000" A4 UDP_RTP, 0, SL_SKIP_FRAG_DROPPED, NULL, 17, 64 },
	{ 228, "4500 0028 0001 0001 4011 0000" A4 UDP_RTP, 0, SL_SKIP_FRAG_DROPPED, NULL, 17, 64 },
	/* a truncated fragment cannot be reassembled */
	{ 228, "4500 0100 0001 2000 4011 0000" A4 UDP_RTP, 0, SL_SKIP_TRUNCATED,
	    "ip4.truncated", 17, 64 },

	/* ---- IPv6 ---- */
	{ 229, "6000 0000 0014 1140" A6 UDP_RTP, SL_APP_RTP, 0, NULL, 17, 64 },
	{ 229, "6000 0000 0014 11" , 0, SL_SKIP_TRUNCATED, "ip6.truncated", 0, 0 },
	{ 229, "4000 0000 0014 1140" A6 UDP_RTP, 0, SL_SKIP_IP_BAD, "ip6.version", 0, 0 },
	/* Payload Length beyond the capture */
	{ 229, "6000 0000 0100 1140" A6 UDP_RTP, SL_APP_RTP, 0, "ip6.truncated", 17, 64 },
	{ 229, "6000 0000 0100 1140" A6 "6c00", 0, SL_SKIP_TRUNCATED, "ip6.truncated", 17, 64 },
	/* Payload Length shorter than the capture: trimmed */
	{ 229, "6000 0000 0014 1140" A6 UDP_RTP "deadbeef", SL_APP_RTP, 0, NULL, 17, 64 },
	/* Hop-by-Hop (8) + Destination Options (16) + UDP */
	{ 229, "6000 0000 002c 0040" A6 "3c00 0104 00000000" "1101 0000 00000000 0000000000000000"
	    UDP_RTP, SL_APP_RTP, 0, NULL, 17, 64 },
	/* Routing type 0 with no addresses + UDP */
	{ 229, "6000 0000 001c 2b40" A6 "1100 0000 00000000" UDP_RTP, SL_APP_RTP, 0, NULL, 17, 64 },
	/* AH: Payload Len 4 -> (4+2)*4 = 24 bytes */
	{ 229, "6000 0000 002c 3340" A6 "1104 0000 00000001 00000001 000000000000000000000000"
	    UDP_RTP, SL_APP_RTP, 0, NULL, 17, 64 },
	/* atomic fragment (RFC 6946): offset 0, M 0, no reassembly needed */
	{ 229, "6000 0000 001c 2c40" A6 "1100 0000 12345678" UDP_RTP, SL_APP_RTP, 0, NULL, 17, 64 },
	/* a real fragment without a reassembly context */
	{ 229, "6000 0000 001c 2c40" A6 "1100 0001 12345678" UDP_RTP, 0, SL_SKIP_FRAG_DROPPED,
	    NULL, 44, 64 },
	/* extension header cut short */
	{ 229, "6000 0000 0010 0040" A6 "1101 0000 00000000", 0, SL_SKIP_TRUNCATED,
	    "ip6.truncated", 0, 64 },
	{ 229, "6000 0000 0004 2c40" A6 "1100 0001", 0, SL_SKIP_TRUNCATED, "ip6.truncated", 44, 64 },
	/* nine extension headers: beyond the bound */
	{ 229, "6000 0000 0050 0040" A6 "3c00000000000000 3c00000000000000 3c00000000000000"
	    "3c00000000000000 3c00000000000000 3c00000000000000 3c00000000000000"
	    "3c00000000000000 1100000000000000" UDP_RTP, 0, SL_SKIP_IP_BAD, "ip6.ext_chain", 0, 64 },
	/* No Next Header, ESP, TCP, ICMPv6, something else */
	{ 229, "6000 0000 0000 3b40" A6, 0, SL_SKIP_IP_OTHER, NULL, 59, 64 },
	{ 229, "6000 0000 0008 3240" A6 "0000000100000001", 0, SL_SKIP_IP_OTHER, NULL, 50, 64 },
	{ 229, "6000 0000 0014 0640" A6 UDP_RTP, 0, SL_SKIP_TCP, NULL, 6, 64 },
	{ 229, "6000 0000 0008 3a40" A6 "8000 0000 00010001", 0, SL_SKIP_ICMP_OTHER, NULL, 58, 64 },
	{ 229, "6000 0000 0008 0140" A6 "0800 0000 00010001", 0, SL_SKIP_IP_OTHER, NULL, 1, 64 },
	{ 229, "6000 0000 0008 8440" A6 "0000000000000000", 0, SL_SKIP_IP_OTHER, NULL, 132, 64 },
};

static void
test_rows(struct sl_arena *a)
{
	const struct sl_dctx ctx = { .all_udp_media = true };
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint8_t buf[512];
		size_t n = fr_unhex(rows[i].hex, buf, sizeof(buf));
		struct sl_packet pkt;
		sl_packet_init(&pkt, a);
		pkt.linktype = rows[i].linktype;
		sl_dissect_frame(&ctx, &pkt, buf, n);
		fr_check_outcome(&ts, &pkt, rows[i].app, rows[i].skip, i);
		if (rows[i].anomaly)
			SL_CHECK_MSG(&ts, fr_has_anomaly(&pkt, rows[i].anomaly),
			    "row %zu: anomaly %s missing", i, rows[i].anomaly);
		/* dropped above IP, a datagram may carry more anomalies than the row names */
		if (rows[i].anomaly == NULL || pkt.app != 0 || pkt.skip == SL_SKIP_TRUNCATED ||
		    pkt.skip == SL_SKIP_IP_BAD)
			fr_check_anomaly(&ts, &pkt, rows[i].anomaly, i);
		if (rows[i].ip_proto)
			SL_CHECK_MSG(&ts, pkt.ip_proto == rows[i].ip_proto, "row %zu: proto %u", i,
			    pkt.ip_proto);
		if (rows[i].ttl)
			SL_CHECK_MSG(&ts, pkt.ttl == rows[i].ttl, "row %zu: ttl %u", i, pkt.ttl);
		if (pkt.app == SL_APP_RTP) {
			bool v6 = rows[i].linktype == 229;
			SL_CHECK_MSG(&ts, pkt.src.ip.family == (v6 ? SL_AF_INET6 : SL_AF_INET4) &&
			    pkt.dst.ip.family == pkt.src.ip.family, "row %zu: family", i);
			SL_CHECK_MSG(&ts, v6 ? (pkt.src.ip.a[0] == 0x20 && pkt.src.ip.a[15] == 1 &&
			    pkt.dst.ip.a[15] == 2) : (pkt.src.ip.a[0] == 192 && pkt.src.ip.a[3] == 50 &&
			    pkt.dst.ip.a[3] == 101 && pkt.src.ip.a[4] == 0), "row %zu: addresses", i);
			SL_CHECK_MSG(&ts, pkt.rtp.payload_len == 0 && pkt.rtp.ssrc == 0x1726c94e,
			    "row %zu: rtp", i);
			SL_CHECK(&ts, !pkt.reassembled);
		}
		sl_arena_reset(a);
	}
}

int
main(void)
{
	struct sl_arena a;
	sl_arena_init(&a, 4096, 0);
	test_rows(&a);
	sl_arena_free(&a);
	return sl_test_report(&ts, "test_ip");
}
