/* test_rtp.c: the RTP header (RFC 3550 5.1): CSRC list, header
 * extension (5.3.1), padding, and every length that does not add up. */
#include <stdint.h>
#include <string.h>

#include "tests/unit/frames.h"

static SL_TEST_STATE(ts);

static const struct {
	const char *hex;
	enum sl_err err;
	const char *anomaly;
	uint8_t pt;
	bool marker, padding, extension;
	uint8_t cc;
	uint16_t seq;
	uint32_t ts, ssrc;
	size_t payload_len;
} rows[] = {
	/* the seed's G.711u stream: PT 0, 160-byte payload */
	{ "8000 1234 000000a0 1726c94e", SL_OK, NULL, 0, false, false, false, 0, 0x1234, 160,
	    0x1726c94e, 0 },
	{ "8008 ffff ffffffff 7805579c d5d5d5d5", SL_OK, NULL, 8, false, false, false, 0, 0xffff,
	    0xffffffff, 0x7805579c, 4 },
	/* marker, dynamic PT 101 (telephone-event) */
	{ "80e5 0001 00000000 00000001 0a800190", SL_OK, NULL, 101, true, false, false, 0, 1, 0, 1, 4 },
	/* two CSRCs */
	{ "8200 0001 00000000 00000001 aaaaaaaa bbbbbbbb 99", SL_OK, NULL, 0, false, false, false,
	    2, 1, 0, 1, 1 },
	/* extension: profile 0xbede, 1 word */
	{ "9000 0001 00000000 00000001 bede 0001 10ff0000 99 99", SL_OK, NULL, 0, false, false, true,
	    0, 1, 0, 1, 2 },
	/* extension of 0 words */
	{ "9000 0001 00000000 00000001 bede 0000", SL_OK, NULL, 0, false, false, true, 0, 1, 0, 1, 0 },
	/* padding: 3 bytes, count included */
	{ "a000 0001 00000000 00000001 11 22 00 00 03", SL_OK, NULL, 0, false, true, false, 0, 1, 0, 1, 2 },
	/* padding that is the whole payload */
	{ "a000 0001 00000000 00000001 00 00 03", SL_OK, NULL, 0, false, true, false, 0, 1, 0, 1, 0 },
	/* CSRC + extension + padding together */
	{ "b100 0001 00000000 00000001 cccccccc 1000 0001 01020304 ee 02", SL_OK, NULL, 0, false,
	    true, true, 1, 1, 0, 1, 0 },

	/* malformed */
	{ .hex = "", .err = SL_EMALFORMED, .anomaly = "rtp.short_header" },
	{ .hex = "80", .err = SL_EMALFORMED, .anomaly = "rtp.short_header" },
	{ .hex = "8000 0001 00000000 000000", .err = SL_EMALFORMED, .anomaly = "rtp.short_header" },
	{ .hex = "0000 0001 00000000 00000001", .err = SL_EMALFORMED, .anomaly = "rtp.version" },
	{ .hex = "4000 0001 00000000 00000001", .err = SL_EMALFORMED, .anomaly = "rtp.version" },
	{ .hex = "c000 0001 00000000 00000001", .err = SL_EMALFORMED, .anomaly = "rtp.version" },
	/* CSRC count larger than the packet */
	{ .hex = "8f00 0001 00000000 00000001 aaaaaaaa", .err = SL_EMALFORMED, .anomaly = "rtp.truncated" },
	{ .hex = "8100 0001 00000000 00000001 aaaa", .err = SL_EMALFORMED, .anomaly = "rtp.truncated" },
	/* extension header cut, extension length beyond the packet */
	{ .hex = "9000 0001 00000000 00000001 be", .err = SL_EMALFORMED, .anomaly = "rtp.truncated" },
	{ .hex = "9000 0001 00000000 00000001 bede ffff 00000000", .err = SL_EMALFORMED, .anomaly = "rtp.truncated" },
	/* padding count 0, larger than the payload, no payload at all */
	{ .hex = "a000 0001 00000000 00000001 11 22 00", .err = SL_EMALFORMED, .anomaly = "rtp.padding" },
	{ .hex = "a000 0001 00000000 00000001 11 22 04", .err = SL_EMALFORMED, .anomaly = "rtp.padding" },
	{ .hex = "a000 0001 00000000 00000001", .err = SL_EMALFORMED, .anomaly = "rtp.padding" },
	{ .hex = "a000 0001 00000000 00000001 ff", .err = SL_EMALFORMED, .anomaly = "rtp.padding" },
};

static void
test_rows(void)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint8_t buf[128];
		size_t n = fr_unhex(rows[i].hex, buf, sizeof(buf));
		struct sl_packet pkt;
		sl_packet_init(&pkt, NULL);
		enum sl_err err = sl_dissector_rtp.dissect(&pkt, sl_cur_init(buf, n));
		SL_CHECK_MSG(&ts, err == rows[i].err, "row %zu: err %d", i, err);
		fr_check_anomaly(&ts, &pkt, rows[i].anomaly, i);
		if (rows[i].anomaly)
			continue;
		const struct sl_rtp *r = &pkt.rtp;
		SL_CHECK_MSG(&ts, r->version == 2 && r->pt == rows[i].pt && r->marker == rows[i].marker &&
		    r->padding == rows[i].padding && r->extension == rows[i].extension &&
		    r->cc == rows[i].cc, "row %zu: flags", i);
		SL_CHECK_MSG(&ts, r->seq == rows[i].seq && r->ts == rows[i].ts && r->ssrc == rows[i].ssrc,
		    "row %zu: seq %u ts %u ssrc %#x", i, r->seq, r->ts, r->ssrc);
		SL_CHECK_MSG(&ts, r->payload_len == rows[i].payload_len, "row %zu: payload %zu", i,
		    r->payload_len);
	}
}

static void
test_probe(void)
{
	const struct sl_dctx ctx = { 0 };
	struct sl_packet pkt;
	sl_packet_init(&pkt, NULL);
	SL_CHECK(&ts, sl_dissector_rtp.probe(&ctx, &pkt, sl_cur_init("\x80", 1)));
	SL_CHECK(&ts, sl_dissector_rtp.probe(&ctx, &pkt, sl_cur_init("\xbf", 1)));
	SL_CHECK(&ts, !sl_dissector_rtp.probe(&ctx, &pkt, sl_cur_init("\x40", 1)));
	SL_CHECK(&ts, !sl_dissector_rtp.probe(&ctx, &pkt, sl_cur_init("", 0)));
	SL_CHECK(&ts, strcmp(sl_dissector_rtp.name, "rtp") == 0 && sl_dissector_rtp.app == SL_APP_RTP);
}

int
main(void)
{
	test_rows();
	test_probe();
	return sl_test_report(&ts, "test_rtp");
}
