/* test_sdpneg.c: the phone's offer/answer choices: codec preference and
 * fallback, the peer's address, RFC 3264 direction mirroring, the old
 * c=0.0.0.0 hold, refusals; and the SDP it sends parses back. */
#include <string.h>

#include "phone/sdpneg.h"
#include "tests/unit/unit.h"

static SL_TEST_STATE(ts);

#define HEAD "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nt=0 0\r\n"

static const struct {
	const char *sdp;
	enum sl_g711_law pref;
	enum sl_err want;
	enum sl_g711_law law;
	const char *peer;
	bool send, recv;
	enum sl_sipsdp_dir our_dir;
} offers[] = {
	{ HEAD "c=IN IP4 10.0.0.1\r\nm=audio 27824 RTP/AVP 0 8 101\r\n", SL_G711_PCMU,
	  SL_OK, SL_G711_PCMU, "10.0.0.1:27824", true, true, SL_SIPSDP_SENDRECV },
	{ HEAD "c=IN IP4 10.0.0.1\r\nm=audio 27824 RTP/AVP 0 8 101\r\n", SL_G711_PCMA,
	  SL_OK, SL_G711_PCMA, "10.0.0.1:27824", true, true, SL_SIPSDP_SENDRECV },
	{ HEAD "c=IN IP4 10.0.0.1\r\nm=audio 4000 RTP/AVP 18 8\r\n", SL_G711_PCMU,
	  SL_OK, SL_G711_PCMA, "10.0.0.1:4000", true, true, SL_SIPSDP_SENDRECV },
	/* media-level c= wins over the session one */
	{ HEAD "c=IN IP4 10.0.0.1\r\nm=audio 4000 RTP/AVP 0\r\nc=IN IP4 10.0.0.9\r\n",
	  SL_G711_PCMU, SL_OK, SL_G711_PCMU, "10.0.0.9:4000", true, true, SL_SIPSDP_SENDRECV },
	{ HEAD "c=IN IP4 10.0.0.1\r\nm=audio 4000 RTP/AVP 0\r\na=sendonly\r\n", SL_G711_PCMU,
	  SL_OK, SL_G711_PCMU, "10.0.0.1:4000", false, true, SL_SIPSDP_RECVONLY },
	{ HEAD "c=IN IP4 10.0.0.1\r\nm=audio 4000 RTP/AVP 0\r\na=recvonly\r\n", SL_G711_PCMU,
	  SL_OK, SL_G711_PCMU, "10.0.0.1:4000", true, false, SL_SIPSDP_SENDONLY },
	{ HEAD "c=IN IP4 10.0.0.1\r\nm=audio 4000 RTP/AVP 0\r\na=inactive\r\n", SL_G711_PCMU,
	  SL_OK, SL_G711_PCMU, "10.0.0.1:4000", false, false, SL_SIPSDP_INACTIVE },
	{ HEAD "c=IN IP4 0.0.0.0\r\nm=audio 4000 RTP/AVP 0\r\n", SL_G711_PCMU,
	  SL_OK, SL_G711_PCMU, "0.0.0.0:4000", false, true, SL_SIPSDP_SENDRECV },
	{ HEAD "c=IN IP6 ::1\r\nm=audio 4000 RTP/AVP 8\r\n", SL_G711_PCMU,
	  SL_OK, SL_G711_PCMA, "[::1]:4000", true, true, SL_SIPSDP_SENDRECV },
	/* refusals */
	{ HEAD "c=IN IP4 10.0.0.1\r\nm=audio 4000 RTP/AVP 18 9\r\n", SL_G711_PCMU,
	  SL_ENOTMINE, SL_G711_PCMU, NULL, false, false, SL_SIPSDP_SENDRECV },
	{ HEAD "c=IN IP4 10.0.0.1\r\nm=audio 0 RTP/AVP 0\r\n", SL_G711_PCMU,
	  SL_EMALFORMED, SL_G711_PCMU, NULL, false, false, SL_SIPSDP_SENDRECV },
	{ HEAD "c=IN IP4 10.0.0.1\r\nm=video 4000 RTP/AVP 96\r\n", SL_G711_PCMU,
	  SL_EMALFORMED, SL_G711_PCMU, NULL, false, false, SL_SIPSDP_SENDRECV },
	{ HEAD "m=audio 4000 RTP/AVP 0\r\n", SL_G711_PCMU,
	  SL_EMALFORMED, SL_G711_PCMU, NULL, false, false, SL_SIPSDP_SENDRECV },
};

static void
test_offers(void)
{
	char ep[SL_EP_STRLEN];

	for (size_t i = 0; i < sizeof(offers) / sizeof(offers[0]); i++) {
		struct sl_sipsdp_info info;
		struct sl_media_plan p;
		const char *why = "unset";
		memset(&p, 0, sizeof(p));
		SL_CHECK(&ts, sl_sipsdp_parse(offers[i].sdp, strlen(offers[i].sdp), &info) == SL_OK);
		enum sl_err e = sl_media_plan_offer(&info, offers[i].pref, &p, &why);
		SL_CHECK_MSG(&ts, e == offers[i].want, "row %zu: %s", i, sl_strerror(e));
		if (e != SL_OK) {
			SL_CHECK_MSG(&ts, why != NULL && why[0] != '\0', "row %zu", i);
			continue;
		}
		SL_CHECK_MSG(&ts, why == NULL, "row %zu", i);
		SL_CHECK_MSG(&ts, p.law == offers[i].law, "row %zu: law %d", i, p.law);
		SL_CHECK_MSG(&ts, strcmp(sl_ep_str(&p.peer, ep, sizeof(ep)), offers[i].peer) == 0,
		    "row %zu: %s", i, ep);
		SL_CHECK_MSG(&ts, p.send == offers[i].send && p.recv == offers[i].recv &&
		    p.our_dir == offers[i].our_dir, "row %zu: dirs", i);
	}
}

static void
test_answers(void)
{
	uint8_t pts[2];
	const char *why;
	struct sl_sipsdp_info info;
	struct sl_media_plan p;

	SL_CHECK(&ts, sl_media_offer_pts(SL_G711_PCMU, pts) == 2 && pts[0] == 0 && pts[1] == 8);
	SL_CHECK(&ts, sl_media_offer_pts(SL_G711_PCMA, pts) == 2 && pts[0] == 8 && pts[1] == 0);

	/* the answerer picked PCMA from our "0 8" offer */
	const char *a = HEAD "c=IN IP4 10.0.0.2\r\nm=audio 5000 RTP/AVP 8 101\r\n";
	sl_media_offer_pts(SL_G711_PCMU, pts);
	SL_CHECK(&ts, sl_sipsdp_parse(a, strlen(a), &info) == SL_OK);
	SL_CHECK(&ts, sl_media_plan_answer(&info, pts, 2, &p, &why) == SL_OK &&
	    p.law == SL_G711_PCMA && p.peer.port == 5000 && p.send && p.recv);
	/* ... but we had offered PCMU only */
	SL_CHECK(&ts, sl_media_plan_answer(&info, pts, 1, &p, &why) == SL_ENOTMINE);
	const char *rej = HEAD "c=IN IP4 10.0.0.2\r\nm=audio 0 RTP/AVP 0\r\n";
	SL_CHECK(&ts, sl_sipsdp_parse(rej, strlen(rej), &info) == SL_OK);
	SL_CHECK(&ts, sl_media_plan_answer(&info, pts, 2, &p, &why) == SL_EMALFORMED);
}

static void
test_build(void)
{
	struct sl_buf b;
	struct sl_sipsdp_info info;
	struct sl_ip ip;
	uint8_t pts[2];

	SL_CHECK(&ts, sl_ip_parse(SL_STR("127.0.0.183"), &ip));
	sl_media_offer_pts(SL_G711_PCMA, pts);
	sl_buf_init(&b, 4096);
	SL_CHECK(&ts, sl_media_sdp(&ip, 40000, pts, 2, SL_SIPSDP_SENDRECV, 42, 43, &b) == SL_OK);
	SL_CHECK_MSG(&ts, b.p && strstr(b.p, "m=audio 40000 RTP/AVP 8 0\r\n") &&
	    strstr(b.p, "c=IN IP4 127.0.0.183\r\n") && strstr(b.p, "a=ptime:20\r\n") &&
	    strstr(b.p, "o=sipladder 42 43 IN IP4 127.0.0.183\r\n"), "%s", b.p);
	SL_CHECK(&ts, sl_sipsdp_parse(b.p, b.len, &info) == SL_OK && info.port == 40000 &&
	    info.npt == 2 && info.pts[0] == 8 && info.dir == SL_SIPSDP_SENDRECV);
	sl_buf_free(&b);
	sl_buf_init(&b, 4096);
	SL_CHECK(&ts, sl_media_sdp(&ip, 40000, pts, 0, SL_SIPSDP_SENDRECV, 1, 1, &b) == SL_EUSAGE);
	sl_buf_free(&b);
}

int
main(void)
{
	test_offers();
	test_answers();
	test_build();
	return sl_test_report(&ts, "phone.sdpneg");
}
