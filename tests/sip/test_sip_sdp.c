/* test_sip_sdp.c: SDP offer/answer building, parsing (good and broken
 * bodies, not NUL-terminated), codec choice, and the relay's rewrite of
 * c=/o=/m=. */
#include <stdlib.h>
#include <string.h>

#include "sip/sdp.h"
#include "tests/unit/unit.h"

static SL_TEST_STATE(ts);

static void
test_build_parse(void)
{
	static const uint8_t pts[] = { SL_SIPSDP_PCMU, SL_SIPSDP_PCMA };
	struct sl_sipsdp_spec s = { "sipladder", 1234, 1, "call", { SL_AF_INET4, { 127, 0, 0, 183 } },
		27824, pts, 2, 101, 20, SL_SIPSDP_SENDRECV };
	struct sl_buf b;
	struct sl_sipsdp_info info;

	sl_buf_init(&b, 4096);
	SL_CHECK(&ts, sl_sipsdp_build(&s, &b) == SL_OK);
	SL_CHECK(&ts, b.p && strcmp(b.p,
	    "v=0\r\no=sipladder 1234 1 IN IP4 127.0.0.183\r\ns=call\r\n"
	    "c=IN IP4 127.0.0.183\r\nt=0 0\r\nm=audio 27824 RTP/AVP 0 8 101\r\n"
	    "a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n"
	    "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=ptime:20\r\n"
	    "a=sendrecv\r\n") == 0);
	/* exact-size heap copy: the parser must not need a NUL */
	char *copy = malloc(b.len);
	memcpy(copy, b.p, b.len);
	SL_CHECK(&ts, sl_sipsdp_parse(copy, b.len, &info) == SL_OK);
	SL_CHECK(&ts, info.has_conn && info.conn.family == SL_AF_INET4 && info.conn.a[3] == 183);
	SL_CHECK(&ts, info.has_audio && info.port == 27824 && info.npt == 3);
	SL_CHECK(&ts, info.pts[0] == 0 && info.pts[1] == 8 && info.pts[2] == 101);
	SL_CHECK(&ts, info.te_pt == 101 && info.dir == SL_SIPSDP_SENDRECV);
	SL_CHECK(&ts, info.sess_id == 1234 && info.sess_ver == 1);
	static const uint8_t only_pcma[] = { SL_SIPSDP_PCMA };
	SL_CHECK(&ts, sl_sipsdp_choose(&info, only_pcma, 1) == SL_SIPSDP_PCMA);
	static const uint8_t g729[] = { 18 };
	SL_CHECK(&ts, sl_sipsdp_choose(&info, g729, 1) == -1);

	/* the relay's rewrite: own address and port, everything else kept */
	struct sl_buf r;
	struct sl_ip relay = { SL_AF_INET4, { 127, 0, 0, 50 } };
	sl_buf_init(&r, 4096);
	SL_CHECK(&ts, sl_sipsdp_rewrite(copy, b.len, &relay, 16390, &r) == SL_OK);
	SL_CHECK(&ts, r.p && strstr(r.p, "o=sipladder 1234 1 IN IP4 127.0.0.50\r\n") != NULL);
	SL_CHECK(&ts, r.p && strstr(r.p, "c=IN IP4 127.0.0.50\r\n") != NULL);
	SL_CHECK(&ts, r.p && strstr(r.p, "m=audio 16390 RTP/AVP 0 8 101\r\n") != NULL);
	SL_CHECK(&ts, r.p && strstr(r.p, "a=rtpmap:101 telephone-event/8000\r\n") != NULL);
	SL_CHECK(&ts, sl_sipsdp_parse(r.p, r.len, &info) == SL_OK && info.port == 16390 &&
	    info.conn.a[3] == 50);
	/* to IPv6 */
	struct sl_ip v6 = { SL_AF_INET6, { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 } };
	sl_buf_reset(&r);
	SL_CHECK(&ts, sl_sipsdp_rewrite(copy, b.len, &v6, 4000, &r) == SL_OK);
	SL_CHECK(&ts, r.p && strstr(r.p, "c=IN IP6 2001:db8::1\r\n") != NULL);
	SL_CHECK(&ts, sl_sipsdp_parse(r.p, r.len, &info) == SL_OK &&
	    info.conn.family == SL_AF_INET6);
	free(copy);
	sl_buf_free(&r);
	sl_buf_free(&b);

	s.npt = 0;
	sl_buf_init(&b, 4096);
	SL_CHECK(&ts, sl_sipsdp_build(&s, &b) == SL_EUSAGE);
	sl_buf_free(&b);
}

static void
test_parse_table(void)
{
	static const struct {
		const char *in;
		enum sl_err want;
		bool conn;
		uint16_t port;
		size_t npt;
		int dir;
	} rows[] = {
		/* media-level c= wins; second m=audio ignored; LF-only lines */
		{ "v=0\nc=IN IP4 10.0.0.1\nm=audio 4000 RTP/AVP 8\nc=IN IP4 10.0.0.2\n"
		  "a=recvonly\nm=audio 5000 RTP/AVP 0\n", SL_OK, true, 4000, 1, SL_SIPSDP_RECVONLY },
		/* video before audio; session-level direction */
		{ "v=0\r\nc=IN IP4 10.0.0.1\r\na=sendonly\r\nm=video 6000 RTP/AVP 96\r\n"
		  "m=audio 4002/2 RTP/AVP 0 8 18\r\n", SL_OK, true, 4002, 3, SL_SIPSDP_SENDONLY },
		/* port 0: rejected stream */
		{ "v=0\r\nm=audio 0 RTP/AVP 0\r\n", SL_OK, false, 0, 1, SL_SIPSDP_SENDRECV },
		/* garbage values are skipped, not fatal */
		{ "v=0\r\nc=IN IP4 999.1.1.1\r\nm=audio 99999 RTP/AVP x 300 0\r\n", SL_OK, false, 0,
		  0, SL_SIPSDP_SENDRECV },
		{ "v=0\r\nc=IN IP6 10.0.0.1\r\nm=audio 1 RTP/AVP\r\na=inactive\r\n", SL_OK, false,
		  1, 0, SL_SIPSDP_INACTIVE },
		{ "v=0\r\nc=IN IP4 224.2.1.1/127\r\nm=audio 1 RTP/AVP 0", SL_OK, true, 1, 1,
		  SL_SIPSDP_SENDRECV },
		/* what the scanner shared with the analyzer allows: tokens in any
		 * case and HTAB between them; a direction attribute with blanks */
		{ "v=0\r\nc=in ip4 10.0.0.1\r\nm=audio\t4000 RTP/AVP\t0 8\r\na= sendonly \r\n",
		  SL_OK, true, 4000, 2, SL_SIPSDP_SENDONLY },
		/* a body cut between CR and LF */
		{ "v=0\r\nc=IN IP4 10.0.0.1\r\nm=audio 4000 RTP/AVP 0\r", SL_OK, true, 4000, 1,
		  SL_SIPSDP_SENDRECV },
		{ "v=0", SL_OK, false, 0, 0, SL_SIPSDP_SENDRECV },
		{ "", SL_OK, false, 0, 0, SL_SIPSDP_SENDRECV },
		{ "m=audio 1 RTP/AVP 0\r\n", SL_EMALFORMED, false, 0, 0, 0 },
		{ "\x00\x01\x02", SL_EMALFORMED, false, 0, 0, 0 },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct sl_sipsdp_info info;
		size_t n = strlen(rows[i].in);
		if (i == sizeof(rows) / sizeof(rows[0]) - 1)
			n = 3;
		char *copy = malloc(n ? n : 1);
		memcpy(copy, rows[i].in, n);
		enum sl_err e = sl_sipsdp_parse(copy, n, &info);
		SL_CHECK_MSG(&ts, e == rows[i].want, "row %zu: %d", i, e);
		if (e == SL_OK && rows[i].want == SL_OK) {
			SL_CHECK_MSG(&ts, info.has_conn == rows[i].conn, "row %zu conn", i);
			SL_CHECK_MSG(&ts, info.port == rows[i].port, "row %zu port %u", i, info.port);
			SL_CHECK_MSG(&ts, info.npt == rows[i].npt, "row %zu npt %zu", i, info.npt);
			SL_CHECK_MSG(&ts, (int)info.dir == rows[i].dir, "row %zu dir", i);
		}
		free(copy);
	}
	/* a NUL inside the address: not an address, whatever inet_pton says */
	static const char nul[] = "v=0\r\nc=IN IP4 10.0.0.1\0\r\nm=audio 4000 RTP/AVP 0\r\n";
	struct sl_sipsdp_info ni;
	SL_CHECK(&ts, sl_sipsdp_parse(nul, sizeof(nul) - 1, &ni) == SL_OK && !ni.has_conn &&
	    ni.has_audio && ni.port == 4000);
	/* a line longer than the cap */
	size_t big = 5000;
	char *p = malloc(big);
	memcpy(p, "v=0\r\na=", 7);
	memset(p + 7, 'x', big - 7);
	struct sl_sipsdp_info info;
	struct sl_buf b;
	struct sl_ip relay = { SL_AF_INET4, { 127, 0, 0, 50 } };
	SL_CHECK(&ts, sl_sipsdp_parse(p, big, &info) == SL_EMALFORMED);
	sl_buf_init(&b, 1 << 16);
	SL_CHECK(&ts, sl_sipsdp_rewrite(p, big, &relay, 1, &b) == SL_EMALFORMED && b.p == NULL);
	free(p);
	SL_CHECK(&ts, strcmp(sl_sipsdp_codec_name(0), "PCMU") == 0 && sl_sipsdp_codec_name(3) == NULL);
}

int
main(void)
{
	test_build_parse();
	test_parse_table();
	return sl_test_report(&ts, "sip.sdp");
}
