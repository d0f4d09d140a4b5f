/* test_icmp.c: ICMP (RFC 792) and ICMPv6 (RFC 4443) errors quoting a UDP
 * datagram: the quoted flow's endpoints, port unreachable, and every way
 * the quote can be short or not UDP. */
#include <stdint.h>
#include <string.h>

#include "tests/unit/frames.h"

static SL_TEST_STATE(ts);

#define Q4 "4500 0028 1234 0000 4011 0000 c0a80165 c0a80132"
#define Q6 "6000 0000 0014 1140 20010db8000000000000000000000002" \
	"20010db8000000000000000000000001"
#define QUDP "6cb0 6c00 0014 0000"

static const struct {
	bool v6;
	const char *hex;
	enum sl_app app;
	enum sl_skip skip;
	const char *anomaly;
	uint8_t type, code;
	bool port_unreachable;
} rows[] = {
	/* ICMPv4 errors */
	{ false, "0303 0000 00000000" Q4 QUDP "80000001", SL_APP_ICMP, 0, NULL, 3, 3, true },
	{ false, "0303 0000 00000000" Q4 QUDP, SL_APP_ICMP, 0, NULL, 3, 3, true },
	{ false, "0301 0000 00000000" Q4 QUDP, SL_APP_ICMP, 0, NULL, 3, 1, false },
	{ false, "0b00 0000 00000000" Q4 QUDP, SL_APP_ICMP, 0, NULL, 11, 0, false },
	{ false, "0c00 0000 14000000" Q4 QUDP, SL_APP_ICMP, 0, NULL, 12, 0, false },
	{ false, "0400 0000 00000000" Q4 QUDP, SL_APP_ICMP, 0, NULL, 4, 0, false },
	{ false, "0501 0000 c0a80101" Q4 QUDP, SL_APP_ICMP, 0, NULL, 5, 1, false },
	/* quoted header with options */
	{ false, "0303 0000 00000000" "4600 002c 1234 0000 4011 0000 c0a80165 c0a80132 01010101" QUDP,
	    SL_APP_ICMP, 0, NULL, 3, 3, true },
	/* informational: echo request / reply */
	{ false, "0800 0000 00010001 6162", 0, SL_SKIP_ICMP_OTHER, NULL, 0, 0, false },
	{ false, "0000 0000 00010001", 0, SL_SKIP_ICMP_OTHER, NULL, 0, 0, false },
	/* short ICMP header */
	{ false, "0303 0000 0000", 0, SL_SKIP_ICMP_OTHER, "icmp.short", 0, 0, false },
	{ false, "", 0, SL_SKIP_ICMP_OTHER, "icmp.short", 0, 0, false },
	/* quote cut: IP header, UDP header */
	{ false, "0303 0000 00000000 4500 0028 1234", 0, SL_SKIP_ICMP_OTHER, "icmp.truncated", 0, 0, false },
	{ false, "0303 0000 00000000" Q4 "6cb0 6c00", 0, SL_SKIP_ICMP_OTHER, "icmp.truncated", 0, 0, false },
	{ false, "0303 0000 00000000" Q4, 0, SL_SKIP_ICMP_OTHER, "icmp.truncated", 0, 0, false },
	{ false, "0303 0000 00000000" "4f00 0028 1234 0000 4011 0000 c0a80165 c0a80132" QUDP,
	    0, SL_SKIP_ICMP_OTHER, "icmp.truncated", 0, 0, false },
	/* quote that is not IPv4 or has a bad IHL */
	{ false, "0303 0000 00000000" "6500 0028 1234 0000 4011 0000 c0a80165 c0a80132" QUDP,
	    0, SL_SKIP_ICMP_OTHER, "icmp.quote", 0, 0, false },
	{ false, "0303 0000 00000000" "4300 0028 1234 0000 4011 0000 c0a80165 c0a80132" QUDP,
	    0, SL_SKIP_ICMP_OTHER, "icmp.quote", 0, 0, false },
	/* quote of TCP, or of a non-first fragment: no UDP header there */
	{ false, "0303 0000 00000000" "4500 0028 1234 0000 4006 0000 c0a80165 c0a80132" QUDP,
	    0, SL_SKIP_ICMP_OTHER, NULL, 0, 0, false },
	{ false, "0303 0000 00000000" "4500 0028 1234 0010 4011 0000 c0a80165 c0a80132" QUDP,
	    0, SL_SKIP_ICMP_OTHER, NULL, 0, 0, false },

	/* ICMPv6 errors */
	{ true, "0104 0000 00000000" Q6 QUDP, SL_APP_ICMP, 0, NULL, 1, 4, true },
	{ true, "0100 0000 00000000" Q6 QUDP, SL_APP_ICMP, 0, NULL, 1, 0, false },
	{ true, "0200 0000 000005dc" Q6 QUDP, SL_APP_ICMP, 0, NULL, 2, 0, false },
	{ true, "0300 0000 00000000" Q6 QUDP, SL_APP_ICMP, 0, NULL, 3, 0, false },
	{ true, "0400 0000 00000028" Q6 QUDP, SL_APP_ICMP, 0, NULL, 4, 0, false },
	/* quote with a Destination Options header, and an atomic fragment */
	{ true, "0104 0000 00000000" "6000 0000 001c 3c40 20010db8000000000000000000000002"
	    "20010db8000000000000000000000001" "1100 0104 00000000" QUDP, SL_APP_ICMP, 0, NULL, 1, 4, true },
	{ true, "0104 0000 00000000" "6000 0000 001c 2c40 20010db8000000000000000000000002"
	    "20010db8000000000000000000000001" "1100 0000 00000001" QUDP, SL_APP_ICMP, 0, NULL, 1, 4, true },
	/* non-first fragment quoted */
	{ true, "0104 0000 00000000" "6000 0000 001c 2c40 20010db8000000000000000000000002"
	    "20010db8000000000000000000000001" "1100 0008 00000001" QUDP, 0, SL_SKIP_ICMP_OTHER, NULL, 0, 0, false },
	/* informational: echo, neighbour solicitation */
	{ true, "8000 0000 00010001", 0, SL_SKIP_ICMP_OTHER, NULL, 0, 0, false },
	{ true, "8700 0000 00000000 20010db8000000000000000000000002", 0, SL_SKIP_ICMP_OTHER, NULL, 0, 0, false },
	/* quote cut or wrong */
	{ true, "0104 0000 00000000 6000 0000 0014 1140", 0, SL_SKIP_ICMP_OTHER, "icmp.truncated", 0, 0, false },
	{ true, "0104 0000 00000000" Q6 "6cb0", 0, SL_SKIP_ICMP_OTHER, "icmp.truncated", 0, 0, false },
	{ true, "0104 0000 00000000" "4000 0000 0014 1140 20010db8000000000000000000000002"
	    "20010db8000000000000000000000001" QUDP, 0, SL_SKIP_ICMP_OTHER, "icmp.quote", 0, 0, false },
	{ true, "0104 0000 00000000" "6000 0000 001c 3c40 20010db8000000000000000000000002"
	    "20010db8000000000000000000000001" "1101 0000", 0, SL_SKIP_ICMP_OTHER, "icmp.truncated", 0, 0, false },
	{ true, "0104 0000 00000000" "6000 0000 0014 0640 20010db8000000000000000000000002"
	    "20010db8000000000000000000000001" QUDP, 0, SL_SKIP_ICMP_OTHER, NULL, 0, 0, false },
};

static void
test_rows(void)
{
	const struct sl_dctx ctx = { 0 };
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint8_t buf[256];
		size_t n = fr_unhex(rows[i].hex, buf, sizeof(buf));
		struct sl_packet pkt;
		sl_packet_init(&pkt, NULL);
		sl_dissect_icmp(&ctx, &pkt, sl_cur_init(buf, n), rows[i].v6);
		fr_check_outcome(&ts, &pkt, rows[i].app, rows[i].skip, i);
		fr_check_anomaly(&ts, &pkt, rows[i].anomaly, i);
		if (pkt.app != SL_APP_ICMP)
			continue;
		const struct sl_icmp *ic = &pkt.icmp;
		SL_CHECK_MSG(&ts, ic->type == rows[i].type && ic->code == rows[i].code &&
		    ic->v6 == rows[i].v6 && ic->port_unreachable == rows[i].port_unreachable,
		    "row %zu: type %u code %u", i, ic->type, ic->code);
		uint8_t fam = rows[i].v6 ? SL_AF_INET6 : SL_AF_INET4;
		SL_CHECK_MSG(&ts, ic->inner_src.port == 27824 && ic->inner_dst.port == 27648 &&
		    ic->inner_src.transport == SL_TP_UDP && ic->inner_src.ip.family == fam &&
		    ic->inner_dst.ip.family == fam, "row %zu: inner endpoints", i);
		if (rows[i].v6)
			SL_CHECK_MSG(&ts, ic->inner_src.ip.a[15] == 2 && ic->inner_dst.ip.a[15] == 1,
			    "row %zu: v6 addresses", i);
		else
			SL_CHECK_MSG(&ts, ic->inner_src.ip.a[3] == 101 && ic->inner_dst.ip.a[3] == 50,
			    "row %zu: v4 addresses", i);
		/* the packet's own endpoints stay the ICMP packet's, no ports */
		SL_CHECK(&ts, pkt.src.port == 0 && pkt.dst.port == 0);
	}
}

/* Through the whole stack: the seed's caller answering relayed RTP with
 * port unreachable (IPv4, Ethernet). */
static void
test_frame(void)
{
	uint8_t buf[256];
	size_t n = fr_unhex("ffffffffffff 001122334455 0800"
	    "4500 0038 0001 0000 4001 0000 c0a801b7 c0a80132"
	    "0303 0000 00000000" "4500 00ac 1234 0000 4011 0000 c0a80132 c0a801b7"
	    "6cb0 6c00 0098 0000", buf, sizeof(buf));
	const struct sl_dctx ctx = { 0 };
	struct sl_packet pkt;
	sl_packet_init(&pkt, NULL);
	pkt.linktype = 1;
	sl_dissect_frame(&ctx, &pkt, buf, n);
	SL_CHECK(&ts, pkt.app == SL_APP_ICMP && pkt.icmp.port_unreachable);
	SL_CHECK(&ts, pkt.ip_proto == 1 && pkt.src.ip.a[3] == 183 && pkt.dst.ip.a[3] == 50);
	SL_CHECK(&ts, pkt.icmp.inner_src.ip.a[3] == 50 && pkt.icmp.inner_dst.ip.a[3] == 183);
	SL_CHECK(&ts, pkt.n_anomalies == 0);
}

int
main(void)
{
	test_rows();
	test_frame();
	return sl_test_report(&ts, "test_icmp");
}
