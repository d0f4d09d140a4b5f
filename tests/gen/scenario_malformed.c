/* scenario_malformed.c: malformed.pcap, bad input at every layer around
 * one valid short call, so an analyzer can show it survives, counts and
 * names each problem, and still finds the call.
 *
 * The valid call: 192.168.1.183 -> 192.168.1.101, INVITE (SDP, RTP port
 * 40000) / 200 OK (SDP, RTP port 40002) / ACK at 0.0-0.06 s, PCMU both
 * ways from 0.08 s to about 1.9 s, BYE / 200 at 2.0 s. Between them, in
 * this order (times from the INVITE), each a separate record:
 *
 *  #1  0.300  OPTIONS 192.168.1.50 -> .101 with "Content-Length: 500"
 *             but only a 22-byte body: Content-Length larger than body.
 *  #2  0.350  MESSAGE with a text/plain body and no Content-Length
 *             header at all (legal over UDP: the body runs to the end of
 *             the datagram, RFC 3261 18.3; flagged by strict parsers).
 *  #3  0.400  OPTIONS with "CSeq: abc OPTIONS": non-numeric CSeq.
 *  #4  0.450  OPTIONS with no Call-ID header.
 *  #5  0.500  "SIP/2.0 9999 Out Of Range": status code above 699.
 *  #6  0.550  UDP 5060 payload "INVITE sip:" followed by 48 bytes of
 *             binary junk (NULs, 0xff, no CRLF): garbage that begins like
 *             SIP.
 *  #7  0.600  Two complete SIP messages in one datagram: an OPTIONS with
 *             "Content-Length: 0" immediately followed by a MESSAGE with a
 *             body and an exact Content-Length. Valid; a parser must split
 *             on Content-Length and see both.
 *  #8  0.650  INFO of about 560 bytes captured with snaplen 200: the
 *             record's caplen (200) < wirelen; the SIP message is cut in
 *             the middle of a header.
 *  #9  0.700  IPv4 header with IHL = 4 (16 bytes, below the minimum 5);
 *             header checksum recomputed so only IHL is wrong.
 *  #10 0.750  IPv4 total length 400 bytes larger than what the frame
 *             holds (and the wire length equals the frame: not a snaplen
 *             cut).
 *  #11 0.800  UDP length field 100 bytes larger than the IP payload
 *             (UDP checksum 0: none, so only the length is wrong).
 *  #12 0.850  A 10-byte Ethernet frame: shorter than the 14-byte header.
 *  #13 0.900  RTP with version 1 on the SDP-announced flow
 *             183:40000 -> 101:40002 (otherwise a copy of packet 40).
 *  #14 0.950  An 8-byte UDP payload on that flow: shorter than the
 *             12-byte RTP header.
 *  #15 1.000  RTP on that flow with the padding bit set and a padding
 *             count (250) larger than the 160-byte payload; it is packet
 *             46 of the stream (right sequence number, timestamp and
 *             time), so only its padding is wrong.
 *  #16 1.050  RTCP sender report on 183:40001 -> 101:40003 (the RTP port
 *             + 1) whose length field says 51 words (204 bytes) in a
 *             28-byte packet.
 *
 * Ethernet, pcap microseconds, file snaplen 65535. */
#include "tests/gen/scenario.h"

#include <string.h>

#include "tests/gen/call.h"
#include "tests/gen/media.h"
#include "tests/gen/rng.h"
#include "tests/gen/sip.h"
#include "tests/gen/slg.h"

struct mal_ctx {
	struct slg_out o;
	struct slg_media med;
	struct slg_host *a;	/* 192.168.1.183 */
	struct slg_host *b;	/* 192.168.1.101 */
	struct slg_host *s;	/* 192.168.1.50 */
	uint64_t t0;
	struct slg_rng rng;
};

static uint64_t
at(const struct mal_ctx *c, uint32_t ms)
{
	return c->t0 + (uint64_t)ms * SLG_NS_PER_MS;
}

/* Valid RTP up to t, then builds UDP payload pl into o->f (not written). */
static int
prep(struct mal_ctx *c, uint64_t t, struct slg_host *src, uint16_t sp,
    struct slg_host *dst, uint16_t dp, const void *pl, size_t n)
{
	if (slg_media_until(&c->med, &c->o, t) != 0)
		return -1;
	c->o.l4len = slg_udp_make(c->o.l4, SLG_FRAME_MAX, &src->ip, &dst->ip,
	    sp, dp, pl, n);
	if (c->o.l4len == 0)
		return -1;
	slg_out_build(&c->o, src, dst, SLG_IPPROTO_UDP, NULL);
	return 0;
}

static int
send_at(struct mal_ctx *c, uint64_t t, struct slg_host *src, uint16_t sp,
    struct slg_host *dst, uint16_t dp, const void *pl, size_t n)
{
	if (prep(c, t, src, sp, dst, dp, pl, n) != 0)
		return -1;
	return slg_out_write(&c->o, t, 0);
}

/* Common request head from the server to the callee. */
static void
head(struct mal_ctx *c, struct slg_text *m, const char *method,
    bool callid, const char *cseq)
{
	/* One draw per statement: argument evaluation order is unspecified
	 * and would make gcc and clang builds write different bytes. */
	uint32_t branch = slg_rng_range(&c->rng, 100000000, 2147483647);
	uint32_t tag = slg_rng_range(&c->rng, 100000000, 2147483647);

	slg_text_add(m, "%s sip:u2@192.168.1.101:5060 SIP/2.0\r\n"
	    "Via: SIP/2.0/UDP 192.168.1.50:5060;rport;branch=z9hG4bK%u\r\n"
	    "From: <sip:monitor@192.168.1.50>;tag=%u\r\n"
	    "To: <sip:u2@192.168.1.101>\r\n", method, branch, tag);
	if (callid)
		slg_text_add(m, "Call-ID: %u@192.168.1.50\r\n",
		    slg_rng_range(&c->rng, 100000000, 2147483647));
	slg_text_add(m, "CSeq: %s\r\nMax-Forwards: 70\r\n"
	    "User-Agent: YATE/2.0.0\r\n", cseq);
}

static void
fix_ip_csum(struct slg_frame *f, size_t hlen)
{
	sl_pkt_put16(f->b + f->l3 + 10, 0);
	sl_pkt_put16(f->b + f->l3 + 10, sl_csum_fold(sl_csum_add(0,
	    f->b + f->l3, hlen)));
}

static int
sip_packets(struct mal_ctx *c)
{
	static const char body[] = "hello from slgen\r\n\r\n";
	static const char note[] = "Meeting moved to 15:00.\r\n";
	char buf[SLG_SIP_MAX];
	struct slg_text m;
	uint8_t junk[64];
	uint32_t ids[4];
	int rc = 0;

	/* #1 Content-Length larger than the body. */
	slg_text_init(&m, buf, sizeof(buf));
	head(c, &m, "OPTIONS", true, "101 OPTIONS");
	slg_text_add(&m, "Content-Type: text/plain\r\nContent-Length: 500\r\n"
	    "\r\n%s", body);
	rc |= send_at(c, at(c, 300), c->s, 5060, c->b, 5060, buf, m.len);

	/* #2 a body and no Content-Length. */
	slg_text_init(&m, buf, sizeof(buf));
	head(c, &m, "MESSAGE", true, "102 MESSAGE");
	slg_text_add(&m, "Content-Type: text/plain\r\n\r\n%s", note);
	rc |= send_at(c, at(c, 350), c->s, 5060, c->b, 5060, buf, m.len);

	/* #3 non-numeric CSeq. */
	slg_text_init(&m, buf, sizeof(buf));
	head(c, &m, "OPTIONS", true, "abc OPTIONS");
	slg_sip_end(&m, NULL, NULL, "Content-Length", NULL, 0);
	rc |= send_at(c, at(c, 400), c->s, 5060, c->b, 5060, buf, m.len);

	/* #4 no Call-ID. */
	slg_text_init(&m, buf, sizeof(buf));
	head(c, &m, "OPTIONS", false, "104 OPTIONS");
	slg_sip_end(&m, NULL, NULL, "Content-Length", NULL, 0);
	rc |= send_at(c, at(c, 450), c->s, 5060, c->b, 5060, buf, m.len);

	/* #5 status 9999. */
	for (unsigned i = 0; i < 4; i++)
		ids[i] = slg_rng_range(&c->rng, 100000000, 2147483647);
	slg_text_init(&m, buf, sizeof(buf));
	slg_text_add(&m, "SIP/2.0 9999 Out Of Range\r\n"
	    "Via: SIP/2.0/UDP 192.168.1.50:5060;rport=5060;branch=z9hG4bK%u\r\n"
	    "From: <sip:monitor@192.168.1.50>;tag=%u\r\n"
	    "To: <sip:u2@192.168.1.101>;tag=%u\r\nCall-ID: %u@192.168.1.50\r\n"
	    "CSeq: 105 OPTIONS\r\n", ids[0], ids[1], ids[2], ids[3]);
	slg_sip_end(&m, NULL, NULL, "Content-Length", NULL, 0);
	rc |= send_at(c, at(c, 500), c->b, 5060, c->s, 5060, buf, m.len);

	/* #6 starts like SIP, then binary. */
	memcpy(junk, "INVITE sip:", 11);
	for (size_t i = 11; i < 59; i++)
		junk[i] = (uint8_t)((i % 3 == 0) ? 0x00 :
		    (i % 3 == 1) ? 0xff : slg_rng_next(&c->rng));
	rc |= send_at(c, at(c, 550), c->s, 5060, c->b, 5060, junk, 59);

	/* #7 two valid messages in one datagram. */
	slg_text_init(&m, buf, sizeof(buf));
	head(c, &m, "OPTIONS", true, "107 OPTIONS");
	slg_sip_end(&m, NULL, NULL, "Content-Length", NULL, 0);
	head(c, &m, "MESSAGE", true, "108 MESSAGE");
	slg_sip_end(&m, "Content-Type", "text/plain", "Content-Length", note,
	    sizeof(note) - 1);
	rc |= send_at(c, at(c, 600), c->s, 5060, c->b, 5060, buf, m.len);

	/* #8 cut by a 200-byte snaplen. */
	slg_text_init(&m, buf, sizeof(buf));
	head(c, &m, "INFO", true, "109 INFO");
	slg_text_add(&m, "Contact: <sip:monitor@192.168.1.50:5060>\r\n"
	    "Subject: the capture stops in the middle of this header, "
	    "somewhere after byte 200 of the frame\r\n");
	slg_sip_end(&m, "Content-Type", "application/dtmf-relay",
	    "Content-Length", "Signal=5\r\nDuration=160\r\n", 25);
	if (prep(c, at(c, 650), c->s, 5060, c->b, 5060, buf, m.len) != 0)
		return -1;
	rc |= slg_out_write(&c->o, at(c, 650), 200);

	/* #9 IHL 4. */
	slg_text_init(&m, buf, sizeof(buf));
	head(c, &m, "OPTIONS", true, "110 OPTIONS");
	slg_sip_end(&m, NULL, NULL, "Content-Length", NULL, 0);
	if (prep(c, at(c, 700), c->s, 5060, c->b, 5060, buf, m.len) != 0)
		return -1;
	c->o.f->b[c->o.f->l3] = 0x44;
	fix_ip_csum(c->o.f, 16);
	rc |= slg_out_write(&c->o, at(c, 700), 0);

	/* #10 IP total length beyond the frame. */
	slg_text_init(&m, buf, sizeof(buf));
	head(c, &m, "OPTIONS", true, "111 OPTIONS");
	slg_sip_end(&m, NULL, NULL, "Content-Length", NULL, 0);
	if (prep(c, at(c, 750), c->s, 5060, c->b, 5060, buf, m.len) != 0)
		return -1;
	sl_pkt_put16(c->o.f->b + c->o.f->l3 + 2,
	    (uint16_t)(c->o.f->len - c->o.f->l3 + 400));
	fix_ip_csum(c->o.f, 20);
	rc |= slg_out_write(&c->o, at(c, 750), 0);

	/* #11 UDP length beyond the IP payload. */
	slg_text_init(&m, buf, sizeof(buf));
	head(c, &m, "OPTIONS", true, "112 OPTIONS");
	slg_sip_end(&m, NULL, NULL, "Content-Length", NULL, 0);
	if (prep(c, at(c, 800), c->s, 5060, c->b, 5060, buf, m.len) != 0)
		return -1;
	sl_pkt_put16(c->o.f->b + c->o.f->l4 + 4,
	    (uint16_t)(c->o.f->len - c->o.f->l4 + 100));
	sl_pkt_put16(c->o.f->b + c->o.f->l4 + 6, 0);
	rc |= slg_out_write(&c->o, at(c, 800), 0);

	/* #12 a 10-byte Ethernet frame (wire length 10 too). */
	if (prep(c, at(c, 850), c->s, 5060, c->b, 5060, "x", 1) != 0)
		return -1;
	c->o.f->len = 10;
	rc |= slg_out_write(&c->o, at(c, 850), 0);
	return rc | (m.overflow ? -1 : 0);
}

static int
rtp_packets(struct mal_ctx *c, const struct slg_rtp_stream *st)
{
	struct slg_rtp_pkt p = { .k = 40, .seq = (uint16_t)(st->seq0 + 40),
		.ts = st->ts0 + 40 * 160, .t = 0 };
	uint8_t pkt[256];
	size_t n = slg_rtp_make(st, &p, pkt, sizeof(pkt));
	uint8_t rtcp[28];
	int rc = 0;

	if (n != 172)
		return -1;
	/* #13 version 1. */
	pkt[0] = 0x40;
	rc |= send_at(c, at(c, 900), c->a, 40000, c->b, 40002, pkt, n);
	/* #14 8 bytes: shorter than an RTP header. */
	pkt[0] = 0x80;
	rc |= send_at(c, at(c, 950), c->a, 40000, c->b, 40002, pkt, 8);
	/* #15 padding count 250 > payload: it takes the place of packet 46
	 * of the stream (which the valid stream leaves out), so the stream
	 * counts stay whole for a reader that accepts it and show one loss
	 * for a reader that rejects it. */
	p.k = 46;
	p.seq = (uint16_t)(st->seq0 + 46);
	p.ts = st->ts0 + 46 * 160;
	if (slg_rtp_make(st, &p, pkt, sizeof(pkt)) != n)
		return -1;
	pkt[0] = 0xa0;
	pkt[n - 1] = 250;
	rc |= send_at(c, at(c, 1000), c->a, 40000, c->b, 40002, pkt, n);
	/* #16 RTCP SR claiming 204 bytes in 28. */
	memset(rtcp, 0, sizeof(rtcp));
	rtcp[0] = 0x80;
	rtcp[1] = 200;
	sl_pkt_put16(rtcp + 2, 50);
	sl_pkt_put32(rtcp + 4, st->ssrc);
	sl_pkt_put32(rtcp + 8, 0xcdd3e4a0u);	/* NTP seconds, 2009 */
	sl_pkt_put32(rtcp + 12, 0x80000000u);
	sl_pkt_put32(rtcp + 16, st->ts0 + 42 * 160);
	sl_pkt_put32(rtcp + 20, 42);
	sl_pkt_put32(rtcp + 24, 42 * 160);
	rc |= send_at(c, at(c, 1050), c->a, 40001, c->b, 40003, rtcp,
	    sizeof(rtcp));
	return rc;
}

int
slg_scn_malformed(const char *path, const struct slg_opts *opt)
{
	static const struct slg_link eth = { .dlt = SLG_DLT_EN10MB };
	static const struct { unsigned m; uint32_t ms; } sig[] = {
		{ SLG_CALL_INVITE, 0 }, { SLG_CALL_200, 50 },
		{ SLG_CALL_ACK, 60 }, { SLG_CALL_BYE, 2000 },
		{ SLG_CALL_BYE_200, 2011 },
	};
	struct mal_ctx c;
	struct slg_host a, b, s;
	struct slg_call call;
	struct slg_rtp_stream up, down;
	int rc = 0;

	if (slg_scn_open_eth(&c.o, path, &eth) != 0)
		return -1;
	slg_rng_seed(&c.rng, opt->seed ^ 0xbad);
	slg_host_init(&a, "192.168.1.183", slg_mac_caller, 128, 0x2210);
	slg_host_init(&b, "192.168.1.101", slg_mac_callee, 128, 0x0c3d);
	slg_host_init(&s, "192.168.1.50", slg_mac_server, 128, 0x4701);
	c.a = &a;
	c.b = &b;
	c.s = &s;
	c.t0 = SLG_T(0, 0);

	slg_call_init(&call, &a, &b, "u1", "u2", 40000, 40002, &c.rng);
	call.uac_fmts = "0 8 101";

	slg_call_rtp(&up, &call, false, (uint32_t)slg_rng_next(&c.rng),
	    &c.rng);
	up.t0 = at(&c, 80);
	up.nmax = 95;
	up.lost[0] = 46;	/* replaced by malformed packet #15 */
	up.jitter_ns = 2 * SLG_NS_PER_MS;
	slg_call_rtp(&down, &call, true, (uint32_t)slg_rng_next(&c.rng),
	    &c.rng);
	down.t0 = at(&c, 91);
	down.nmax = up.nmax;
	down.jitter_ns = up.jitter_ns;
	slg_media_init(&c.med, NULL, NULL);
	rc |= slg_media_add(&c.med, &up);
	rc |= slg_media_add(&c.med, &down);

	for (size_t i = 0; i < sizeof(sig) / sizeof(sig[0]) && rc == 0; i++) {
		char buf[SLG_SIP_MAX];
		struct slg_host *src, *dst;
		size_t len;

		if (i == 3) {
			rc |= sip_packets(&c);
			rc |= rtp_packets(&c, &up);
		}
		len = slg_call_text(&call, sig[i].m, buf, sizeof(buf), &src,
		    &dst);
		if (len == 0)
			rc = -1;
		else
			rc |= send_at(&c, at(&c, sig[i].ms) + 137 * i, src, 5060,
			    dst, 5060, buf, len);
	}
	rc |= slg_media_until(&c.med, &c.o, UINT64_MAX);
	if (rc != 0)
		return slg_scn_fail(&c.o, path, "cannot build or write the capture");
	if (slg_out_finish(&c.o) != 0)
		return slg_scn_fail(NULL, path, "write error");
	return 0;
}
