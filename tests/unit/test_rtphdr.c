/* test_rtphdr.c: the shared RTP header parser and RTP/RTCP classifier
 * (src/core/rtphdr.c), used by dissectors/rtp.c, rtcp.c and the phone's
 * rtp_recv.c: version, padding, extension, CSRC list, short buffers, and
 * which second octets are RTCP (RFC 5761 4: 192..223). */
#include <stdint.h>
#include <string.h>

#include "core/rtphdr.h"
#include "tests/unit/frames.h"
#include "tests/unit/unit.h"

static SL_TEST_STATE(ts);

static const struct {
	const char *name;
	const char *hex;
	enum sl_rtphdr_err err;
	uint8_t version, pt, cc;
	bool marker, padding, extension;
	uint16_t seq;
	uint32_t ts, ssrc;
	size_t payload_off;	/* from the start, on OK */
	size_t payload_len;
} rows[] = {
	{ "pcmu", "8000 1234 000000a0 1726c94e 7f7f", SL_RTPHDR_OK, 2, 0, 0, false, false, false,
	    0x1234, 0xa0, 0x1726c94e, 12, 2 },
	{ "marker, pt 101", "80e5 0001 00000000 00000001 0a800190", SL_RTPHDR_OK, 2, 101, 0,
	    true, false, false, 1, 0, 1, 12, 4 },
	{ "empty payload", "8008 ffff ffffffff 7805579c", SL_RTPHDR_OK, 2, 8, 0, false, false,
	    false, 0xffff, 0xffffffff, 0x7805579c, 12, 0 },
	{ "two csrc", "8200 0001 00000000 00000001 aaaaaaaa bbbbbbbb 99", SL_RTPHDR_OK, 2, 0, 2,
	    false, false, false, 1, 0, 1, 20, 1 },
	{ "fifteen csrc", "8f00 0001 00000000 00000001"
	    " 00000001 00000002 00000003 00000004 00000005 00000006 00000007 00000008"
	    " 00000009 0000000a 0000000b 0000000c 0000000d 0000000e 0000000f",
	    SL_RTPHDR_OK, 2, 0, 15, false, false, false, 1, 0, 1, 72, 0 },
	{ "extension 1 word", "9000 0001 00000000 00000001 bede 0001 10ff0000 99 99",
	    SL_RTPHDR_OK, 2, 0, 0, false, false, true, 1, 0, 1, 20, 2 },
	{ "extension 0 words", "9000 0001 00000000 00000001 bede 0000", SL_RTPHDR_OK, 2, 0, 0,
	    false, false, true, 1, 0, 1, 16, 0 },
	{ "padding 3", "a000 0001 00000000 00000001 11 22 00 00 03", SL_RTPHDR_OK, 2, 0, 0,
	    false, true, false, 1, 0, 1, 12, 2 },
	{ "padding is all", "a000 0001 00000000 00000001 00 00 03", SL_RTPHDR_OK, 2, 0, 0,
	    false, true, false, 1, 0, 1, 12, 0 },
	{ "csrc+ext+padding", "b100 0001 00000000 00000001 cccccccc 1000 0001 01020304 ee 02",
	    SL_RTPHDR_OK, 2, 0, 1, false, true, true, 1, 0, 1, 24, 0 },

	{ "empty", "", SL_RTPHDR_SHORT, 0, 0, 0, false, false, false, 0, 0, 0, 0, 0 },
	{ "one byte", "80", SL_RTPHDR_SHORT, 0, 0, 0, false, false, false, 0, 0, 0, 0, 0 },
	{ "11 bytes", "8000 0001 00000002 000000", SL_RTPHDR_SHORT, 0, 0, 0, false, false, false,
	    1, 2, 0, 0, 0 },
	{ "version 0", "0000 0001 00000000 00000001", SL_RTPHDR_VERSION, 0, 0, 0, false, false,
	    false, 1, 0, 1, 0, 0 },
	{ "version 1", "4000 0001 00000000 00000001", SL_RTPHDR_VERSION, 1, 0, 0, false, false,
	    false, 1, 0, 1, 0, 0 },
	{ "version 3", "c000 0001 00000000 00000001", SL_RTPHDR_VERSION, 3, 0, 0, false, false,
	    false, 1, 0, 1, 0, 0 },
	{ "csrc beyond", "8f00 0001 00000000 00000001 aaaaaaaa", SL_RTPHDR_TRUNCATED, 2, 0, 15,
	    false, false, false, 1, 0, 1, 0, 0 },
	{ "csrc cut", "8100 0001 00000000 00000001 aaaa", SL_RTPHDR_TRUNCATED, 2, 0, 1,
	    false, false, false, 1, 0, 1, 0, 0 },
	{ "ext header cut", "9000 0001 00000000 00000001 be", SL_RTPHDR_TRUNCATED, 2, 0, 0,
	    false, false, true, 1, 0, 1, 0, 0 },
	{ "ext length huge", "9000 0001 00000000 00000001 bede ffff 00000000",
	    SL_RTPHDR_TRUNCATED, 2, 0, 0, false, false, true, 1, 0, 1, 0, 0 },
	{ "padding 0", "a000 0001 00000000 00000001 11 22 00", SL_RTPHDR_PADDING, 2, 0, 0,
	    false, true, false, 1, 0, 1, 0, 0 },
	{ "padding past", "a000 0001 00000000 00000001 11 22 04", SL_RTPHDR_PADDING, 2, 0, 0,
	    false, true, false, 1, 0, 1, 0, 0 },
	{ "padding, nothing", "a000 0001 00000000 00000001", SL_RTPHDR_PADDING, 2, 0, 0,
	    false, true, false, 1, 0, 1, 0, 0 },
};

static void
test_parse(void)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint8_t buf[128];
		size_t n = fr_unhex(rows[i].hex, buf, sizeof(buf));
		struct sl_rtphdr h;
		enum sl_rtphdr_err e = sl_rtphdr_parse(sl_cur_init(buf, n), &h);
		const char *nm = rows[i].name;
		SL_CHECK_MSG(&ts, e == rows[i].err, "%s: err %d", nm, (int)e);
		SL_CHECK_MSG(&ts, h.seq == rows[i].seq && h.ts == rows[i].ts &&
		    h.ssrc == rows[i].ssrc, "%s: seq/ts/ssrc", nm);
		SL_CHECK_MSG(&ts, h.version == rows[i].version, "%s: version %u", nm, h.version);
		SL_CHECK_MSG(&ts, h.pt == rows[i].pt && h.cc == rows[i].cc &&
		    h.marker == rows[i].marker && h.padding == rows[i].padding &&
		    h.extension == rows[i].extension, "%s: header bits", nm);
		if (e == SL_RTPHDR_OK) {
			SL_CHECK_MSG(&ts, h.payload == buf + rows[i].payload_off &&
			    h.payload_len == rows[i].payload_len, "%s: payload %td+%zu", nm,
			    h.payload - buf, h.payload_len);
		} else {
			SL_CHECK_MSG(&ts, h.payload == NULL && h.payload_len == 0,
			    "%s: payload on error", nm);
		}
	}
}

/* Second octet -> RTCP, with V=2. RTP payload types 72..76 with the
 * marker bit are the RFC 3550 types 200..204; 192..223 is the whole band
 * RFC 5761 4 keeps free of RTP (payload types 64..95 + marker). */
static void
test_classify(void)
{
	for (unsigned b1 = 0; b1 < 256; b1++) {
		uint8_t p[2] = { 0x80, (uint8_t)b1 };
		bool want = b1 >= 192 && b1 <= 223;
		SL_CHECK_MSG(&ts, sl_rtphdr_is_rtcp(p, 2) == want, "second octet %u", b1);
		p[0] = 0x81;	/* RC/SC count 1: still RTCP */
		SL_CHECK_MSG(&ts, sl_rtphdr_is_rtcp(p, 2) == want, "RC 1, second octet %u", b1);
		p[0] = 0xa0;	/* padding bit */
		SL_CHECK_MSG(&ts, sl_rtphdr_is_rtcp(p, 2) == want, "P, second octet %u", b1);
	}
	static const struct {
		const char *name;
		uint8_t b0, b1;
		bool rtcp;
	} rows2[] = {
		{ "PT 72 + M = SR 200", 0x80, 0x80 | 72, true },
		{ "PT 76 + M = APP 204", 0x80, 0x80 | 76, true },
		{ "PT 72, no marker", 0x80, 72, false },
		{ "PT 76, no marker", 0x80, 76, false },
		{ "PT 64 + M = 192", 0x80, 0x80 | 64, true },
		{ "PT 95 + M = 223", 0x80, 0x80 | 95, true },
		{ "PT 96 + M = 224", 0x80, 0x80 | 96, false },
		{ "PT 63 + M = 191", 0x80, 0x80 | 63, false },
		{ "SR", 0x80, 200, true },
		{ "RR", 0x81, 201, true },
		{ "SDES", 0x81, 202, true },
		{ "BYE", 0x81, 203, true },
		{ "APP", 0x80, 204, true },
		{ "RTPFB", 0x81, 205, true },
		{ "PSFB", 0x81, 206, true },
		{ "XR", 0x80, 207, true },
		{ "RSI (RFC 5760)", 0x80, 209, true },
		{ "SR, version 1", 0x40, 200, false },
		{ "SR, version 0", 0x00, 200, false },
		{ "SR, version 3", 0xc0, 200, false },
		{ "PCMU", 0x80, 0, false },
		{ "telephone-event + M", 0x80, 0x80 | 101, false },
	};
	for (size_t i = 0; i < sizeof(rows2) / sizeof(rows2[0]); i++) {
		uint8_t p[2] = { rows2[i].b0, rows2[i].b1 };
		SL_CHECK_MSG(&ts, sl_rtphdr_is_rtcp(p, 2) == rows2[i].rtcp, "%s", rows2[i].name);
	}
	/* short buffers: never RTCP, never read */
	static const uint8_t sr[2] = { 0x80, 200 };
	SL_CHECK(&ts, sl_rtphdr_is_rtcp(sr, 1) == false);
	SL_CHECK(&ts, sl_rtphdr_is_rtcp(sr, 0) == false);
	SL_CHECK(&ts, sl_rtphdr_is_rtcp(NULL, 0) == false);
}

int
main(void)
{
	test_parse();
	test_classify();
	return sl_test_report(&ts, "test_rtphdr");
}
