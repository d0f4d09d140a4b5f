/* test_udp.c: the UDP header (RFC 768) and the registry's choice of
 * application dissector: SIP anywhere, RTCP before RTP, RTP and RTCP only
 * on media flows, the rest counted as "other UDP". */
#include <stdint.h>
#include <string.h>

#include "tests/unit/frames.h"

static SL_TEST_STATE(ts);

#define RTP12 "8000 0001 000000a0 1726c94e"
#define SIP_OPTIONS "4f5054494f4e53207369703a68205349502f322e300d0a43616c6c2d49443a20780d0a435365713a2031204f5054494f4e530d0a0d0a"	/* OPTIONS sip:h SIP/2.0, Call-ID, CSeq */
/* RTCP RR, no report blocks: V=2 RC=0 PT=201 length=1 SSRC */
#define RTCP_RR "80c9 0001 1726c94e"

enum media { M_NONE, M_ALL, M_PORT, M_CALLBACK };

static const struct {
	const char *hex;
	enum media media;
	enum sl_app app;
	enum sl_skip skip;
	const char *anomaly;
	size_t l4_len;
} rows[] = {
	/* header problems */
	{ "", M_ALL, 0, SL_SKIP_UDP_BAD, "udp.short", 0 },
	{ "6c00 6cb0 0014", M_ALL, 0, SL_SKIP_UDP_BAD, "udp.short", 0 },
	{ "6c00 6cb0 0007 0000" RTP12, M_ALL, 0, SL_SKIP_UDP_BAD, "udp.length", 0 },
	{ "6c00 6cb0 0000 0000" RTP12, M_ALL, 0, SL_SKIP_UDP_BAD, "udp.length", 0 },
	/* Length beyond the bytes: recorded, what is there is used */
	{ "6c00 6cb0 0100 0000" RTP12, M_ALL, SL_APP_RTP, 0, "udp.length", 12 },
	/* Length shorter than the bytes: trimmed (padding) */
	{ "6c00 6cb0 0014 0000" RTP12 "00000000", M_ALL, SL_APP_RTP, 0, NULL, 12 },
	{ "6c00 6cb0 0008 0000" RTP12, M_ALL, 0, SL_SKIP_RTP_BAD, "rtp.short_header", 0 },
	{ "6c00 6cb0 0008 0000", M_NONE, 0, SL_SKIP_UDP_OTHER, NULL, 0 },
	/* media decided by ports, by the callback, or not at all */
	{ "6c00 6cb0 0014 0000" RTP12, M_NONE, 0, SL_SKIP_UDP_OTHER, NULL, 12 },
	{ "6c00 6cb0 0014 0000" RTP12, M_PORT, SL_APP_RTP, 0, NULL, 12 },
	{ "6cb0 6c00 0014 0000" RTP12, M_PORT, SL_APP_RTP, 0, NULL, 12 },
	{ "6c02 6c04 0014 0000" RTP12, M_PORT, 0, SL_SKIP_UDP_OTHER, NULL, 12 },
	{ "6c00 6cb0 0014 0000" RTP12, M_CALLBACK, SL_APP_RTP, 0, NULL, 12 },
	/* RTCP goes before RTP */
	{ "6c01 6cb1 0010 0000" RTCP_RR, M_ALL, SL_APP_RTCP, 0, NULL, 8 },
	{ "6c01 6cb1 0010 0000" "80c9 0009 1726c94e", M_ALL, 0, SL_SKIP_RTP_BAD,
	    "rtcp.length_exceeds_packet", 8 },
	/* not RTP on a media flow */
	{ "6c00 6cb0 0014 0000" "4000 0001 000000a0 1726c94e", M_ALL, 0, SL_SKIP_RTP_BAD,
	    "rtp.version", 12 },
	{ "6c00 6cb0 000c 0000" "80000001", M_ALL, 0, SL_SKIP_RTP_BAD, "rtp.short_header", 4 },
	{ "6c00 6cb0 0014 0000" "a000 0001 000000a0 1726c94e", M_ALL, 0, SL_SKIP_RTP_BAD,
	    "rtp.padding", 12 },
	/* SIP on any port, media or not */
	{ "13c4 13c4 003e 0000" SIP_OPTIONS, M_NONE, SL_APP_SIP, 0, NULL, 54 },
	{ "6c00 6cb0 003e 0000" SIP_OPTIONS, M_ALL, SL_APP_SIP, 0, NULL, 54 },
	/* CRLF keepalive is not SIP */
	{ "13c4 13c4 000c 0000" "0d0a0d0a", M_NONE, 0, SL_SKIP_UDP_OTHER, NULL, 4 },
	/* text that is not a SIP start line */
	{ "0035 0035 0011 0000" "48454c4c4f20776f726c64 0d0a", M_NONE, 0, SL_SKIP_UDP_OTHER, NULL, 9 },
};

static int calls;

static bool
media_cb(void *user, const struct sl_packet *pkt)
{
	calls++;
	SL_CHECK(&ts, user == &calls);
	return pkt->dst.port == 27824;
}

static void
test_rows(struct sl_arena *a)
{
	static const uint16_t ports[] = { 5004, 27824 };
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct sl_dctx ctx = { 0 };
		switch (rows[i].media) {
		case M_NONE: break;
		case M_ALL: ctx.all_udp_media = true; break;
		case M_PORT: ctx.rtp_ports = ports; ctx.n_rtp_ports = 2; break;
		case M_CALLBACK: ctx.is_media = media_cb; ctx.media_user = &calls; break;
		}
		uint8_t buf[256];
		size_t n = fr_unhex(rows[i].hex, buf, sizeof(buf));
		struct sl_packet pkt;
		sl_packet_init(&pkt, a);
		sl_dissect_udp(&ctx, &pkt, sl_cur_init(buf, n));
		fr_check_outcome(&ts, &pkt, rows[i].app, rows[i].skip, i);
		fr_check_anomaly(&ts, &pkt, rows[i].anomaly, i);
		if (pkt.skip != SL_SKIP_UDP_BAD) {
			SL_CHECK_MSG(&ts, sl_cur_left(&pkt.l4) == rows[i].l4_len, "row %zu: l4 %zu", i,
			    sl_cur_left(&pkt.l4));
			SL_CHECK_MSG(&ts, pkt.src.port == (buf[0] << 8 | buf[1]) &&
			    pkt.dst.port == (buf[2] << 8 | buf[3]) &&
			    pkt.src.transport == SL_TP_UDP && pkt.dst.transport == SL_TP_UDP,
			    "row %zu: ports", i);
		}
		sl_arena_reset(a);
	}
	SL_CHECK(&ts, calls == 1);
}

/* The callback is not asked for SIP: it may cost a lookup. */
static void
test_callback_order(struct sl_arena *a)
{
	uint8_t buf[128];
	size_t n = fr_unhex("13c4 13c4 003e 0000" SIP_OPTIONS, buf, sizeof(buf));
	struct sl_dctx ctx = { .is_media = media_cb, .media_user = &calls };
	struct sl_packet pkt;
	calls = 0;
	sl_packet_init(&pkt, a);
	sl_dissect_udp(&ctx, &pkt, sl_cur_init(buf, n));
	SL_CHECK(&ts, pkt.app == SL_APP_SIP && calls == 0);
	sl_arena_reset(a);
}

int
main(void)
{
	sl_osip_init();
	struct sl_arena a;
	sl_arena_init(&a, 4096, 0);
	test_rows(&a);
	test_callback_order(&a);
	sl_arena_free(&a);
	return sl_test_report(&ts, "test_udp");
}
