/* test_rtcp.c: RTCP compounds (RFC 3550 6.1, 6.4): SR sender info, the
 * first report block, BYE, declared lengths that lie, and the probe that
 * must claim RTCP before RTP does. */
#include <stdint.h>
#include <string.h>

#include "tests/unit/frames.h"

static SL_TEST_STATE(ts);

/* SR with one report block: SSRC 0x1726c94e, 281 packets, 44960 octets;
 * block about 0x7805579c: fraction 25/256, cumulative lost 3, jitter 40 */
#define SR1 "81c8 000c 1726c94e e1234567 89abcdef 000000a0 00000119 0000afa0" \
	"7805579c 19 000003 00010119 00000028 00000000 00000000"
#define RR0 "80c9 0001 7805579c"
#define SDES "81ca 0003 1726c94e 0102 6131 00000000"	/* CNAME "a1", end, pad */
#define BYE "81cb 0001 1726c94e"

static const struct {
	const char *hex;
	enum sl_err err;
	const char *anomaly;		/* only one expected */
	uint8_t pt, n_packets;
	uint32_t ssrc;
	bool has_sr, has_rb, has_bye;
	uint32_t sr_packets, sr_octets, rb_ssrc;
	uint8_t rb_fraction;
	int32_t rb_cum_lost;
	uint32_t rb_jitter;
} rows[] = {
	{ SR1, SL_OK, NULL, 200, 1, 0x1726c94e, true, true, false, 281, 44960, 0x7805579c, 25, 3, 40 },
	{ SR1 SDES, SL_OK, NULL, 200, 2, 0x1726c94e, true, true, false, 281, 44960, 0x7805579c, 25, 3, 40 },
	{ SR1 SDES BYE, SL_OK, NULL, 200, 3, 0x1726c94e, true, true, true, 281, 44960, 0x7805579c, 25, 3, 40 },
	{ RR0, SL_OK, NULL, 201, 1, 0x7805579c, false, false, false, 0, 0, 0, 0, 0, 0 },
	{ RR0 SDES, SL_OK, NULL, 201, 2, 0x7805579c, false, false, false, 0, 0, 0, 0, 0, 0 },
	/* RR with a block reporting negative cumulative loss (duplicates) */
	{ "81c9 0007 7805579c 1726c94e 00 fffffe 00010000 00000010 00000000 00000000", SL_OK, NULL,
	    201, 1, 0x7805579c, false, true, false, 0, 0, 0x1726c94e, 0, -2, 16 },
	/* the first report block wins; a second SR's sender info is ignored */
	{ SR1 "81c8 000c 00000009 00000000 00000000 00000000 00000001 00000001"
	    "00000009 ff 7fffff 00000000 00000000 00000000 00000000", SL_OK, NULL, 200, 2,
	    0x1726c94e, true, true, false, 281, 44960, 0x7805579c, 25, 3, 40 },
	/* BYE alone (reduced size, RFC 5506), BYE with no SSRC */
	{ BYE, SL_OK, NULL, 203, 1, 0x1726c94e, false, false, true, 0, 0, 0, 0, 0, 0 },
	{ "80cb 0000", SL_OK, NULL, 203, 1, 0, false, false, true, 0, 0, 0, 0, 0, 0 },
	/* APP and XR are counted, not decoded */
	{ "80cc 0002 1726c94e 41424344", SL_OK, NULL, 204, 1, 0x1726c94e, false, false, false, 0, 0, 0, 0, 0, 0 },
	{ "80cf 0001 1726c94e", SL_OK, NULL, 207, 1, 0x1726c94e, false, false, false, 0, 0, 0, 0, 0, 0 },
	/* padding on the last packet: 4 bytes */
	{ "a0c9 0002 7805579c 00000004", SL_OK, NULL, 201, 1, 0x7805579c, false, false, false, 0, 0, 0, 0, 0, 0 },

	/* malformed: the first packet unusable */
	{ .hex = "", .err = SL_EMALFORMED },
	{ .hex = "81c8", .err = SL_EMALFORMED, .anomaly = "rtcp.short_header" },
	{ .hex = "81c8 000c 1726c94e", .err = SL_EMALFORMED, .anomaly = "rtcp.length_exceeds_packet" },
	{ .hex = "81c8 ffff 1726c94e", .err = SL_EMALFORMED, .anomaly = "rtcp.length_exceeds_packet" },
	{ .hex = "41c8 0001 1726c94e", .err = SL_EMALFORMED, .anomaly = "rtcp.version" },
	{ .hex = "a0c9 0001 7805579c", .err = SL_EMALFORMED, .anomaly = "rtcp.padding" },
	{ .hex = "a0c9 0001 78055705", .err = SL_EMALFORMED, .anomaly = "rtcp.padding" },
	/* malformed later in the compound: the first packet still counts */
	{ .hex = RR0 "80ca 0009 1726c94e", .err = SL_OK, .anomaly = "rtcp.length_exceeds_packet", .pt = 201, .n_packets = 1, .ssrc = 0x7805579c },
	{ .hex = RR0 "00ca 0001 1726c94e", .err = SL_OK, .anomaly = "rtcp.version", .pt = 201, .n_packets = 1, .ssrc = 0x7805579c },
	{ .hex = RR0 "80", .err = SL_OK, .anomaly = "rtcp.short_header", .pt = 201, .n_packets = 1, .ssrc = 0x7805579c },
	/* blocks announced but not there */
	{ .hex = "81c9 0001 7805579c", .err = SL_OK, .anomaly = "rtcp.report_block", .pt = 201,
	    .n_packets = 1, .ssrc = 0x7805579c },
	{ .hex = "81c8 0005 1726c94e 00000000 00000000 00000000 00000001", .err = SL_OK,
	    .anomaly = "rtcp.sender_info", .pt = 200, .n_packets = 1, .ssrc = 0x1726c94e },
};

static void
test_rows(void)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint8_t buf[512];
		size_t n = fr_unhex(rows[i].hex, buf, sizeof(buf));
		struct sl_packet pkt;
		sl_packet_init(&pkt, NULL);
		enum sl_err err = sl_dissector_rtcp.dissect(&pkt, sl_cur_init(buf, n));
		SL_CHECK_MSG(&ts, err == rows[i].err, "row %zu: err %d", i, err);
		fr_check_anomaly(&ts, &pkt, rows[i].anomaly, i);
		if (err != SL_OK)
			continue;
		const struct sl_rtcp *r = &pkt.rtcp;
		SL_CHECK_MSG(&ts, r->pt == rows[i].pt && r->n_packets == rows[i].n_packets &&
		    r->ssrc == rows[i].ssrc, "row %zu: pt %u n %u ssrc %#x", i, r->pt, r->n_packets, r->ssrc);
		SL_CHECK_MSG(&ts, r->has_sr == rows[i].has_sr && r->has_rb == rows[i].has_rb &&
		    r->has_bye == rows[i].has_bye, "row %zu: has", i);
		if (r->has_sr)
			SL_CHECK_MSG(&ts, r->sr_packets == rows[i].sr_packets &&
			    r->sr_octets == rows[i].sr_octets, "row %zu: sr", i);
		if (r->has_rb)
			SL_CHECK_MSG(&ts, r->rb_ssrc == rows[i].rb_ssrc &&
			    r->rb_fraction_lost == rows[i].rb_fraction &&
			    r->rb_cum_lost == rows[i].rb_cum_lost && r->rb_jitter == rows[i].rb_jitter,
			    "row %zu: rb %#x %u %d %u", i, r->rb_ssrc, r->rb_fraction_lost,
			    r->rb_cum_lost, r->rb_jitter);
	}
}

static void
test_bound(void)
{
	/* 40 empty RRs: only 32 are walked */
	uint8_t buf[40 * 8];
	for (size_t i = 0; i < 40; i++)
		memcpy(buf + 8 * i, "\x80\xc9\x00\x01\x00\x00\x00\x01", 8);
	struct sl_packet pkt;
	sl_packet_init(&pkt, NULL);
	SL_CHECK(&ts, sl_dissector_rtcp.dissect(&pkt, sl_cur_init(buf, sizeof(buf))) == SL_OK);
	SL_CHECK(&ts, pkt.rtcp.n_packets == 32);
	SL_CHECK(&ts, pkt.n_anomalies == 1 && strcmp(pkt.anomalies[0], "rtcp.too_many") == 0);
}

static void
test_probe(void)
{
	const struct sl_dctx ctx = { 0 };
	struct sl_packet pkt;
	sl_packet_init(&pkt, NULL);
	static const struct {
		const char *b;
		size_t n;
		bool rtcp;
	} probes[] = {
		{ "\x80\xc8", 2, true }, { "\x81\xc9", 2, true }, { "\x80\xca", 2, true },
		{ "\x80\xcb", 2, true }, { "\x80\xcc", 2, true }, { "\x80\xcf", 2, true },
		/* the whole RFC 5761 band 192..223 (core/rtphdr.h): feedback
		 * 205/206 and unassigned 199 too; 224 and up are RTP again */
		{ "\x80\xcd", 2, true }, { "\x80\xce", 2, true }, { "\x80\xc7", 2, true },
		{ "\x80\xc0", 2, true }, { "\x80\xdf", 2, true }, { "\x80\xbf", 2, false },
		{ "\x80\xe0", 2, false },
		{ "\x80\x00", 2, false }, { "\x80\xe5", 2, false }, { "\x40\xc8", 2, false },
		{ "\x80", 1, false }, { "", 0, false },
	};
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
		SL_CHECK_MSG(&ts, sl_dissector_rtcp.probe(&ctx, &pkt,
		    sl_cur_init(probes[i].b, probes[i].n)) == probes[i].rtcp, "probe %zu", i);
	SL_CHECK(&ts, sl_dissector_rtcp.app == SL_APP_RTCP);
}

int
main(void)
{
	test_rows();
	test_bound();
	test_probe();
	return sl_test_report(&ts, "test_rtcp");
}
