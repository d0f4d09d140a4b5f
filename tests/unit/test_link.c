/* test_link.c: link layers through sl_dissect_frame: every supported DLT,
 * VLAN and QinQ stacks, and frames cut short at each layer. The inner
 * packet is IPv4 or IPv6 / UDP / a 12-byte RTP header, and every UDP flow
 * counts as media, so a frame that makes it through ends as SL_APP_RTP. */
#include <stdint.h>
#include <string.h>

#include "tests/unit/frames.h"

static SL_TEST_STATE(ts);

#define RTP12 "8000 0001 000000a0 1726c94e"
#define UDP_RTP "6c00 6cb0 0014 0000" RTP12
#define IP4_RTP "4500 0028 0001 0000 4011 0000 c0a80132 c0a80165" UDP_RTP
#define IP6_RTP "6000 0000 0014 1140 20010db8000000000000000000000001" \
	"20010db8000000000000000000000002" UDP_RTP
#define MACS "ffffffffffff 001122334455"

static const struct {
	int linktype;
	const char *hex;
	enum sl_app app;
	enum sl_skip skip;
	const char *anomaly;	/* expected (only) anomaly, or NULL for none */
	uint8_t n_vlan;
	uint16_t vlan0, vlan1;
} rows[] = {
	/* Ethernet */
	{ 1, MACS "0800" IP4_RTP, SL_APP_RTP, 0, NULL, 0, 0, 0 },
	{ 1, MACS "86dd" IP6_RTP, SL_APP_RTP, 0, NULL, 0, 0, 0 },
	{ 1, MACS "8100 0064 0800" IP4_RTP, SL_APP_RTP, 0, NULL, 1, 100, 0 },
	{ 1, MACS "8100 e064 86dd" IP6_RTP, SL_APP_RTP, 0, NULL, 1, 100, 0 },
	{ 1, MACS "88a8 000a 8100 0014 0800" IP4_RTP, SL_APP_RTP, 0, NULL, 2, 10, 20 },
	{ 1, MACS "9100 000a 8100 0014 8100 0fff 0800" IP4_RTP, SL_APP_RTP, 0, NULL, 2, 10, 20 },
	{ 1, MACS "8100 0001 8100 0002 8100 0003 8100 0004 0800" IP4_RTP,
	    SL_APP_RTP, 0, NULL, 2, 1, 2 },
	{ 1, MACS "8100 0001 8100 0002 8100 0003 8100 0004 8100 0005 0800" IP4_RTP,
	    0, SL_SKIP_NON_IP, "eth.vlan_depth", 2, 1, 2 },
	{ 1, MACS "0806 0001 0800 0604 0001", 0, SL_SKIP_ARP, NULL, 0, 0, 0 },
	{ 1, MACS "8100 0064 0806 0001", 0, SL_SKIP_ARP, NULL, 1, 100, 0 },
	{ 1, MACS "88cc 0207", 0, SL_SKIP_NON_IP, NULL, 0, 0, 0 },
	{ 1, MACS "0026 4242 03", 0, SL_SKIP_NON_IP, NULL, 0, 0, 0 },	/* 802.3 + LLC */
	{ 1, MACS "05dc" IP4_RTP, 0, SL_SKIP_NON_IP, NULL, 0, 0, 0 },	/* length 1500 */
	{ 1, "ffffffffffff0011", 0, SL_SKIP_TRUNCATED, "eth.truncated", 0, 0, 0 },
	{ 1, MACS "08", 0, SL_SKIP_TRUNCATED, "eth.truncated", 0, 0, 0 },
	{ 1, MACS "8100 00", 0, SL_SKIP_TRUNCATED, "eth.truncated", 0, 0, 0 },
	{ 1, MACS "8100 0064", 0, SL_SKIP_TRUNCATED, "eth.truncated", 0, 0, 0 },
	{ 1, "", 0, SL_SKIP_TRUNCATED, "eth.truncated", 0, 0, 0 },
	{ 1, MACS "0800", 0, SL_SKIP_TRUNCATED, "ip4.truncated", 0, 0, 0 },
	{ 1, MACS "86dd 6000", 0, SL_SKIP_TRUNCATED, "ip6.truncated", 0, 0, 0 },
	/* Ethernet padding after a short datagram is trimmed by IP */
	{ 1, MACS "0800" IP4_RTP "000000000000", SL_APP_RTP, 0, NULL, 0, 0, 0 },
	/* Linux cooked v1: pkttype, hatype, halen, addr[8], protocol */
	{ 113, "0000 0001 0006 001122334455 0000 0800" IP4_RTP, SL_APP_RTP, 0, NULL, 0, 0, 0 },
	{ 113, "0004 0001 0006 001122334455 0000 86dd" IP6_RTP, SL_APP_RTP, 0, NULL, 0, 0, 0 },
	{ 113, "0000 0001 0006 001122334455 0000 8100 0007 0800" IP4_RTP,
	    SL_APP_RTP, 0, NULL, 1, 7, 0 },
	{ 113, "0000 0001 0006 001122334455 0000 0806", 0, SL_SKIP_ARP, NULL, 0, 0, 0 },
	{ 113, "0000 0001 0006 001122334455 0000 0004 4242", 0, SL_SKIP_NON_IP, NULL, 0, 0, 0 },
	{ 113, "0000 0001 0006 0011223344", 0, SL_SKIP_TRUNCATED, "sll.truncated", 0, 0, 0 },
	/* Linux cooked v2: protocol, reserved, ifindex, hatype, pkttype, halen, addr[8] */
	{ 276, "0800 0000 00000002 0001 00 06 001122334455 0000" IP4_RTP,
	    SL_APP_RTP, 0, NULL, 0, 0, 0 },
	{ 276, "86dd 0000 00000002 0001 04 06 001122334455 0000" IP6_RTP,
	    SL_APP_RTP, 0, NULL, 0, 0, 0 },
	{ 276, "0800 0000 00000002 0001 00 06 0011", 0, SL_SKIP_TRUNCATED, "sll.truncated", 0, 0, 0 },
	{ 276, "88cc 0000 00000002 0001 00 06 001122334455 0000 0207", 0, SL_SKIP_NON_IP,
	    NULL, 0, 0, 0 },
	/* DLT_NULL: AF in either byte order */
	{ 0, "02000000" IP4_RTP, SL_APP_RTP, 0, NULL, 0, 0, 0 },
	{ 0, "00000002" IP4_RTP, SL_APP_RTP, 0, NULL, 0, 0, 0 },
	{ 0, "18000000" IP6_RTP, SL_APP_RTP, 0, NULL, 0, 0, 0 },
	{ 0, "0000001c" IP6_RTP, SL_APP_RTP, 0, NULL, 0, 0, 0 },
	{ 0, "1e000000" IP6_RTP, SL_APP_RTP, 0, NULL, 0, 0, 0 },
	{ 0, "07000000" IP4_RTP, 0, SL_SKIP_NON_IP, NULL, 0, 0, 0 },
	{ 0, "0a000000" IP6_RTP, 0, SL_SKIP_NON_IP, NULL, 0, 0, 0 },	/* Linux AF_INET6 */
	{ 0, "0200", 0, SL_SKIP_TRUNCATED, "null.truncated", 0, 0, 0 },
	/* DLT_LOOP: network byte order only */
	{ 108, "00000002" IP4_RTP, SL_APP_RTP, 0, NULL, 0, 0, 0 },
	{ 108, "0000001e" IP6_RTP, SL_APP_RTP, 0, NULL, 0, 0, 0 },
	{ 108, "02000000" IP4_RTP, 0, SL_SKIP_NON_IP, NULL, 0, 0, 0 },
	{ 108, "000000", 0, SL_SKIP_TRUNCATED, "null.truncated", 0, 0, 0 },
	/* raw IP: the version nibble decides */
	{ 12, IP4_RTP, SL_APP_RTP, 0, NULL, 0, 0, 0 },
	{ 12, IP6_RTP, SL_APP_RTP, 0, NULL, 0, 0, 0 },
	{ 101, IP4_RTP, SL_APP_RTP, 0, NULL, 0, 0, 0 },
	{ 101, IP6_RTP, SL_APP_RTP, 0, NULL, 0, 0, 0 },
	{ 101, "5500 0028", 0, SL_SKIP_IP_BAD, "ip.version", 0, 0, 0 },
	{ 12, "", 0, SL_SKIP_TRUNCATED, "ip.truncated", 0, 0, 0 },
	{ 228, IP4_RTP, SL_APP_RTP, 0, NULL, 0, 0, 0 },
	{ 228, IP6_RTP, 0, SL_SKIP_IP_BAD, "ip4.version", 0, 0, 0 },
	{ 229, IP6_RTP, SL_APP_RTP, 0, NULL, 0, 0, 0 },
	{ 229, IP4_RTP, 0, SL_SKIP_IP_BAD, "ip6.version", 0, 0, 0 },
	{ 229, "6000 0000", 0, SL_SKIP_TRUNCATED, "ip6.truncated", 0, 0, 0 },
	/* link types we do not decode */
	{ 147, IP4_RTP, 0, SL_SKIP_LINKTYPE, NULL, 0, 0, 0 },
	{ 105, IP4_RTP, 0, SL_SKIP_LINKTYPE, NULL, 0, 0, 0 },
	{ -1, IP4_RTP, 0, SL_SKIP_LINKTYPE, NULL, 0, 0, 0 },
};

static void
test_rows(struct sl_arena *a)
{
	const struct sl_dctx ctx = { .all_udp_media = true };
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint8_t buf[256];
		size_t n = fr_unhex(rows[i].hex, buf, sizeof(buf));
		struct sl_packet pkt;
		sl_packet_init(&pkt, a);
		pkt.linktype = rows[i].linktype;
		pkt.caplen = pkt.wirelen = (uint32_t)n;
		sl_dissect_frame(&ctx, &pkt, buf, n);
		fr_check_outcome(&ts, &pkt, rows[i].app, rows[i].skip, i);
		fr_check_anomaly(&ts, &pkt, rows[i].anomaly, i);
		SL_CHECK_MSG(&ts, pkt.n_vlan == rows[i].n_vlan, "row %zu: n_vlan %u", i, pkt.n_vlan);
		SL_CHECK_MSG(&ts, pkt.vlan[0] == rows[i].vlan0 && pkt.vlan[1] == rows[i].vlan1,
		    "row %zu: vlan %u %u", i, pkt.vlan[0], pkt.vlan[1]);
		if (pkt.app == SL_APP_RTP) {
			SL_CHECK_MSG(&ts, pkt.src.port == 27648 && pkt.dst.port == 27824 &&
			    pkt.rtp.ssrc == 0x1726c94e && pkt.rtp.payload_len == 0,
			    "row %zu: fields", i);
		}
		sl_arena_reset(a);
	}
}

/* Snaplen: the frame on the wire was longer than what was captured. */
static void
test_snaplen(struct sl_arena *a)
{
	const struct sl_dctx ctx = { .all_udp_media = true };
	uint8_t buf[256];
	size_t n = fr_unhex(MACS "0800" IP4_RTP, buf, sizeof(buf));
	struct sl_packet pkt;

	/* cut inside the RTP header: IP and UDP complain, RTP cannot parse */
	sl_packet_init(&pkt, a);
	pkt.linktype = 1;
	pkt.wirelen = (uint32_t)n;
	pkt.caplen = (uint32_t)n - 7;
	sl_dissect_frame(&ctx, &pkt, buf, n - 7);
	SL_CHECK(&ts, pkt.skip == SL_SKIP_RTP_BAD);
	SL_CHECK(&ts, fr_has_anomaly(&pkt, "ip4.truncated"));
	SL_CHECK(&ts, fr_has_anomaly(&pkt, "udp.length"));
	SL_CHECK(&ts, fr_has_anomaly(&pkt, "rtp.short_header"));

	/* cut inside the UDP header: nothing above IP is usable */
	sl_packet_init(&pkt, a);
	pkt.linktype = 1;
	sl_dissect_frame(&ctx, &pkt, buf, 14 + 20 + 4);
	SL_CHECK(&ts, pkt.skip == SL_SKIP_TRUNCATED);
	SL_CHECK(&ts, fr_has_anomaly(&pkt, "ip4.truncated"));
	SL_CHECK(&ts, pkt.src.ip.family == SL_AF_INET4);

	/* NULL data with length 0 is an empty frame, not a crash */
	sl_packet_init(&pkt, a);
	pkt.linktype = 1;
	sl_dissect_frame(&ctx, &pkt, NULL, 0);
	SL_CHECK(&ts, pkt.skip == SL_SKIP_TRUNCATED);
}

static void
test_skip_names(void)
{
	for (int s = 0; s < SL_SKIP__COUNT; s++) {
		const char *n = sl_skip_name((enum sl_skip)s);
		SL_CHECK(&ts, n != NULL && n[0] != '\0' && strcmp(n, "?") != 0);
	}
	SL_CHECK(&ts, strcmp(sl_skip_name(SL_SKIP_FRAGMENT), "fragments held") == 0);
	SL_CHECK(&ts, strcmp(sl_skip_name(SL_SKIP_RTP_BAD), "bad RTP") == 0);
	SL_CHECK(&ts, strcmp(sl_skip_name(SL_SKIP__COUNT), "?") == 0);
}

static void
test_anomaly_list(void)
{
	struct sl_packet pkt;
	sl_packet_init(&pkt, NULL);
	SL_CHECK(&ts, sl_anomaly(&pkt, "a.one") == SL_EMALFORMED);
	/* a different pointer to the same text is the same anomaly */
	char dup[] = "a.one";
	sl_anomaly(&pkt, dup);
	SL_CHECK(&ts, pkt.n_anomalies == 1);
	sl_anomaly(&pkt, "a.two");
	sl_anomaly(&pkt, "a.three");
	sl_anomaly(&pkt, "a.four");
	sl_anomaly(&pkt, "a.five");
	sl_anomaly(&pkt, "a.six");
	sl_anomaly(&pkt, "a.two");
	SL_CHECK(&ts, pkt.n_anomalies == SL_MAX_ANOMALIES);
	SL_CHECK(&ts, pkt.anomalies_lost == 2);
	SL_CHECK(&ts, strcmp(pkt.anomalies[3], "a.four") == 0);
}

int
main(void)
{
	struct sl_arena a;
	sl_arena_init(&a, 4096, 0);
	test_rows(&a);
	test_snaplen(&a);
	test_skip_names();
	test_anomaly_list();
	sl_arena_free(&a);
	return sl_test_report(&ts, "test_link");
}
