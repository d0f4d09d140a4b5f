/* scenario_frag.c: fragmented.pcap, SIP over fragmented IP.
 *
 * Call 1 (IPv4, 192.168.1.183 -> 192.168.1.101): the INVITE is over 3000
 * bytes (long headers, an SDP offer with many codecs and attributes), so
 * at an MTU of 1500 it leaves as 3 fragments of 1480/1480/rest bytes of
 * IP payload. They are written OUT OF ORDER: last fragment first, then
 * the first, then the middle one. 100/180/200/ACK/BYE/200 follow
 * unfragmented.
 *
 * Call 2 (IPv6, 2001:db8::183 -> 2001:db8::101): an INVITE of about 2000
 * bytes in 2 fragments (Fragment extension header, 1448 bytes then the
 * rest), in order; the rest of the call unfragmented.
 *
 * Then an incomplete set: the first fragment (offset 0, MF=1) of a third
 * INVITE (192.168.1.77 -> 192.168.1.101) whose other fragments never
 * arrive; a reassembler must time it out and report it dropped.
 * Ethernet, pcap microseconds. */
#include "tests/gen/scenario.h"

#include <string.h>

#include "tests/gen/call.h"
#include "tests/gen/rng.h"
#include "tests/gen/sip.h"
#include "tests/gen/slg.h"

/* Headers a busy 2009 softphone might send, long enough to matter. */
static const char big_headers[] =
	"Supported: replaces, timer, 100rel, path, norefersub\r\n"
	"Session-Expires: 1800;refresher=uac\r\nMin-SE: 90\r\n"
	"Accept: application/sdp, application/dtmf-relay, "
	"application/simple-message-summary, message/sipfrag, text/plain\r\n"
	"Accept-Language: zh-CN, zh;q=0.9, en-US;q=0.8, en;q=0.7\r\n"
	"Accept-Encoding: identity\r\n"
	"P-Preferred-Identity: \"u1 (sales desk, 3rd floor)\" "
	"<sip:u1@192.168.1.50;user=phone>\r\n"
	"Remote-Party-ID: \"u1 (sales desk, 3rd floor)\" "
	"<sip:u1@192.168.1.50>;party=calling;screen=no;privacy=off\r\n"
	"Call-Info: <http://192.168.1.50/directory/u1/photo.png>;"
	"purpose=icon, <http://192.168.1.50/directory/u1/card.vcf>;"
	"purpose=card\r\n"
	"Alert-Info: <http://192.168.1.50/ringtones/classic-bell-long.wav>"
	"\r\n"
	"Organization: Example Trading Co., Ltd. - Voice over IP pilot "
	"(three PCs on one hub)\r\n"
	"Subject: Quarterly report follow-up: please call back about the "
	"figures for the northern region\r\n"
	"X-Comment: This INVITE is deliberately long so that it does not fit "
	"in one Ethernet frame and the IP layer must fragment it.\r\n";

/* An offer with every codec of the era and the attributes they bring. */
static const char big_sdp_extra[] =
	"a=fmtp:4 annexa=no\r\n"
	"a=fmtp:18 annexb=no\r\n"
	"a=fmtp:97 mode=30\r\n"
	"a=fmtp:98 mode=\"3,any\";vbr=on;cng=on\r\n"
	"a=fmtp:99 mode=\"6,any\";vbr=on\r\n"
	"a=fmtp:100 mode=\"10,any\"\r\n"
	"a=fmtp:102 mode-set=0,2,5,7;mode-change-period=2;"
	"mode-change-neighbor=1;octet-align=1\r\n"
	"a=fmtp:103 maxplaybackrate=16000;sprop-maxcapturerate=16000;"
	"minptime=10;useinbandfec=1;usedtx=1\r\n"
	"a=fmtp:105 useinbandfec=1;usedtx=0\r\n"
	"a=fmtp:106 mode=20\r\n"
	"a=crypto:1 AES_CM_128_HMAC_SHA1_80 "
	"inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:32\r\n"
	"a=crypto:2 AES_CM_128_HMAC_SHA1_32 "
	"inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj|2^20|1:32\r\n"
	"a=crypto:3 F8_128_HMAC_SHA1_80 "
	"inline:MTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5QUJjZGVm|2^20|1:4;"
	"inline:QUJjZGVmMTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5|2^20|2:4 "
	"FEC_ORDER=FEC_SRTP\r\n"
	"a=rtcp:%u IN IP4 192.168.1.183\r\n"
	"a=rtcp-fb:* nack\r\na=rtcp-fb:* ccm fir\r\n"
	"a=rtcp-xr:rcvr-rtt=all:10000 stat-summary=loss,dup,jitt,TTL "
	"voip-metrics\r\n"
	"a=maxptime:60\r\na=ptime:20\r\na=silenceSupp:off - - - -\r\n"
	"a=x-yate-comment:padding-to-make-this-offer-longer-"
	"0123456789abcdef0123456789abcdef0123456789abcdef\r\n"
	"a=sendrecv\r\n";

struct frag_ctx {
	struct slg_out o;
	struct slg_rng rng;
};

static void
new_call(struct frag_ctx *c, struct slg_call *call, struct slg_host *uac,
    struct slg_host *uas, const char *user)
{
	/* One draw per statement: argument evaluation order is unspecified. */
	uint16_t uac_rtp = (uint16_t)(slg_rng_range(&c->rng, 8192, 16383) * 2);
	uint16_t uas_rtp = (uint16_t)(slg_rng_range(&c->rng, 8192, 16383) * 2);

	slg_call_init(call, uac, uas, user, "2", uac_rtp, uas_rtp, &c->rng);
	call->uac_fmts = "0 8 3 4 9 18 97 98 99 100 102 103 104 105 106 101";
}

/* Builds message m of call into o->l4 as a UDP datagram. */
static int
build(struct frag_ctx *c, const struct slg_call *call, unsigned m,
    struct slg_host **src, struct slg_host **dst)
{
	char buf[SLG_SIP_MAX];
	size_t len = slg_call_text(call, m, buf, sizeof(buf), src, dst);

	if (len == 0)
		return -1;
	c->o.l4len = slg_udp_make(c->o.l4, SLG_FRAME_MAX, &(*src)->ip,
	    &(*dst)->ip, 5060, 5060, buf, len);
	return c->o.l4len == 0 ? -1 : 0;
}

/* Writes fragment [off, off+len) of o->l4 at time t. */
static int
frag(struct frag_ctx *c, uint64_t t, struct slg_host *src,
    const struct slg_host *dst, uint32_t id, size_t off, size_t len)
{
	struct slg_ipx x;

	memset(&x, 0, sizeof(x));
	x.frag = true;
	x.off = off;
	x.len = len;
	x.more = off + len < c->o.l4len;
	x.id = id;
	slg_out_build(&c->o, src, dst, SLG_IPPROTO_UDP, &x);
	return slg_out_write(&c->o, t, 0);
}

/* The unfragmented rest of a call, message times in us from t0. */
static int
rest(struct frag_ctx *c, const struct slg_call *call, uint64_t t0)
{
	static const struct { unsigned m; uint32_t us; } plan[] = {
		{ SLG_CALL_100, 18250 }, { SLG_CALL_180, 47113 },
		{ SLG_CALL_200, 2311804 }, { SLG_CALL_ACK, 2319266 },
		{ SLG_CALL_BYE, 6402570 }, { SLG_CALL_BYE_200, 6417021 },
	};
	int rc = 0;

	for (size_t i = 0; i < sizeof(plan) / sizeof(plan[0]); i++) {
		struct slg_host *src, *dst;

		if (build(c, call, plan[i].m, &src, &dst) != 0)
			return -1;
		slg_out_build(&c->o, src, dst, SLG_IPPROTO_UDP, NULL);
		rc |= slg_out_write(&c->o, t0 + plan[i].us * SLG_NS_PER_US, 0);
	}
	return rc;
}

int
slg_scn_fragmented(const char *path, const struct slg_opts *opt)
{
	static const struct slg_link eth = { .dlt = SLG_DLT_EN10MB };
	static const uint8_t mac77[6] = { 0x00, 0x0c, 0x29, 0x4f, 0x8e, 0x77 };
	struct frag_ctx c;
	struct slg_host h183, h101, h77, v6a, v6b, *src, *dst;
	struct slg_call call;
	char sdp_extra[sizeof(big_sdp_extra) + 16];
	uint32_t id;
	size_t n;
	int rc = 0;

	if (slg_scn_open_eth(&c.o, path, &eth) != 0)
		return -1;
	slg_rng_seed(&c.rng, opt->seed ^ 0xf4a6);
	slg_host_init(&h183, "192.168.1.183", slg_mac_caller, 128, 0x6d10);
	slg_host_init(&h101, "192.168.1.101", slg_mac_callee, 128, 0x12c4);
	slg_host_init(&h77, "192.168.1.77", mac77, 128, 0x7e01);
	slg_host_init(&v6a, "2001:db8::183", slg_mac_caller, 64, 0);
	slg_host_init(&v6b, "2001:db8::101", slg_mac_callee, 64, 0);

	/* Call 1: IPv4, 3 fragments, last one first. */
	new_call(&c, &call, &h183, &h101, "u1");
	snprintf(sdp_extra, sizeof(sdp_extra), big_sdp_extra,
	    (unsigned)call.uac_rtp + 1);
	call.uac_sdp_extra = sdp_extra;
	call.invite_extra = big_headers;
	if (build(&c, &call, SLG_CALL_INVITE, &src, &dst) != 0)
		return slg_scn_fail(&c.o, path, "cannot build INVITE");
	n = c.o.l4len;
	if (n <= 2 * 1480 || n > 3 * 1480)
		return slg_scn_fail(&c.o, path, "INVITE is not 3 fragments");
	id = h183.ipid++;
	rc |= frag(&c, SLG_T(0, 250118), src, dst, id, 2960, n - 2960);
	rc |= frag(&c, SLG_T(0, 250163), src, dst, id, 0, 1480);
	rc |= frag(&c, SLG_T(0, 250201), src, dst, id, 1480, 1480);
	rc |= rest(&c, &call, SLG_T(0, 250118));

	/* Call 2: IPv6, 2 fragments in order. */
	new_call(&c, &call, &v6a, &v6b, "u1");
	call.uac_fmts = "0 8 3 9 18 97 98 102 103 101";
	call.invite_extra = big_headers;
	call.uac_sdp_extra = "a=ptime:20\r\na=sendrecv\r\n";
	if (build(&c, &call, SLG_CALL_INVITE, &src, &dst) != 0)
		return slg_scn_fail(&c.o, path, "cannot build IPv6 INVITE");
	n = c.o.l4len;
	if (n <= 1448 || n > 2 * 1448)
		return slg_scn_fail(&c.o, path, "IPv6 INVITE is not 2 fragments");
	id = (uint32_t)slg_rng_next(&c.rng);
	rc |= frag(&c, SLG_T(8, 10442), src, dst, id, 0, 1448);
	rc |= frag(&c, SLG_T(8, 10479), src, dst, id, 1448, n - 1448);
	rc |= rest(&c, &call, SLG_T(8, 10442));

	/* An incomplete set: the first of three fragments, nothing else. */
	new_call(&c, &call, &h77, &h101, "u7");
	call.invite_extra = big_headers;
	call.uac_sdp_extra = sdp_extra;
	if (build(&c, &call, SLG_CALL_INVITE, &src, &dst) != 0)
		return slg_scn_fail(&c.o, path, "cannot build INVITE");
	id = h77.ipid++;
	rc |= frag(&c, SLG_T(16, 700331), src, dst, id, 0, 1480);

	if (rc != 0)
		return slg_scn_fail(&c.o, path, "cannot build or write the capture");
	if (slg_out_finish(&c.o) != 0)
		return slg_scn_fail(NULL, path, "write error");
	return 0;
}
