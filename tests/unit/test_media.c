/* test_media.c: RTP stream figures of the correlator. A direct call
 * announces media by SDP; each table row then sends one RTP stream (the
 * callee's 10.0.0.2:6000 -> the caller's 10.0.0.1:4000, PCMU at 8 kHz)
 * with its own sequence numbers, RTP timestamps and arrival times, and
 * checks what the call reports: RFC 3550 A.3 loss across a sequence
 * wrap, duplicates, Wireshark's sequence errors, max delta, and the
 * RFC 3550 A.8 jitter worked out by hand in the comments. Then ICMP and
 * RTCP attribution, and media after the BYE. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "tests/unit/corrfeed.h"

static SL_TEST_STATE(ts);

#define MAX_PKTS 12

/* ----- fixture ----- */

struct fx {
	struct cf cf;
	struct sl_call *call;
	unsigned n_emitted;
};

static enum sl_err
keep_call(void *user, struct sl_call *call)
{
	struct fx *f = user;
	f->n_emitted++;
	if (f->call)
		sl_call_free(call);
	else
		f->call = call;
	return SL_OK;
}

static void
fx_init(struct fx *f)
{
	memset(f, 0, sizeof *f);
	cf_init(&f->cf, true, keep_call, f);
}

static void
fx_free(struct fx *f)
{
	sl_call_free(f->call);
	cf_free(&f->cf);
}

static struct sl_endpoint
ep4(uint8_t last, uint16_t port)
{
	return (struct sl_endpoint){ .ip = { .family = SL_AF_INET4, .a = { 10, 0, 0, last } },
	    .port = port, .transport = SL_TP_UDP };
}

#define CRLF "\r\n"
#define HDRS(from, to, cseq) "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK" cseq CRLF \
	"From: " from CRLF "To: " to CRLF "Call-ID: m1@10.0.0.1" CRLF "CSeq: " cseq CRLF
#define FA "<sip:alice@10.0.0.2>;tag=fa"
#define TB "<sip:bob@10.0.0.2>;tag=tb"

static void
fx_sip(struct fx *f, int64_t ms, bool from_caller, const char *head, const char *sdp)
{
	char text[2048];
	size_t n = cf_sip_text(text, sizeof text, head, sdp);
	struct sl_endpoint a = ep4(1, 5060), b = ep4(2, 5060);
	enum sl_app app = cf_udp(&ts, &f->cf, ms, from_caller ? a : b, from_caller ? b : a, text,
	    n);
	SL_CHECK_MSG(&ts, app == SL_APP_SIP, "SIP at %lld ms", (long long)ms);
}

static void
call_setup(struct fx *f)
{
	fx_sip(f, 0, true, "INVITE sip:bob@10.0.0.2 SIP/2.0" CRLF
	    HDRS(FA, "<sip:bob@10.0.0.2>", "1 INVITE"),
	    "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
	    "m=audio 4000 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n");
	fx_sip(f, 100, false, "SIP/2.0 200 OK" CRLF HDRS(FA, TB, "1 INVITE"),
	    "v=0\r\no=- 2 2 IN IP4 10.0.0.2\r\ns=-\r\nc=IN IP4 10.0.0.2\r\nt=0 0\r\n"
	    "m=audio 6000 RTP/AVP 0\r\n");
	fx_sip(f, 110, true, "ACK sip:bob@10.0.0.2 SIP/2.0" CRLF HDRS(FA, TB, "1 ACK"), NULL);
}

static void
call_end(struct fx *f, int64_t bye_ms)
{
	fx_sip(f, bye_ms, true, "BYE sip:bob@10.0.0.2 SIP/2.0" CRLF HDRS(FA, TB, "2 BYE"), NULL);
	fx_sip(f, bye_ms + 5, false, "SIP/2.0 200 OK" CRLF HDRS(FA, TB, "2 BYE"), NULL);
}

struct rtp {
	uint16_t seq;
	uint32_t ts;		/* RTP timestamp, 8 kHz ticks */
	int ms;			/* arrival */
	uint8_t pt;
};

static enum sl_app
send_rtp(struct fx *f, const struct rtp *r, uint32_t ssrc)
{
	uint8_t p[12 + 160] = { 0x80, r->pt, (uint8_t)(r->seq >> 8), (uint8_t)r->seq,
	    (uint8_t)(r->ts >> 24), (uint8_t)(r->ts >> 16), (uint8_t)(r->ts >> 8), (uint8_t)r->ts,
	    (uint8_t)(ssrc >> 24), (uint8_t)(ssrc >> 16), (uint8_t)(ssrc >> 8), (uint8_t)ssrc };
	return cf_udp(&ts, &f->cf, r->ms, ep4(2, 6000), ep4(1, 4000), p, sizeof p);
}

/* ----- stream figures ----- */

static const struct {
	const char *name;
	struct rtp pkts[MAX_PKTS];
	unsigned n;
	uint64_t expected;
	int64_t lost;
	uint64_t dups;
	uint64_t out_of_order;
	double max_delta_ms;
	double jitter_ms;	/* last value */
	double max_jitter_ms;
	uint64_t pt_changes;
} rows[] = {
	{ "clean", { { 1, 0, 1000, 0 }, { 2, 160, 1020, 0 }, { 3, 320, 1040, 0 },
	    { 4, 480, 1060, 0 }, { 5, 640, 1080, 0 } }, 5,
	    5, 0, 0, 0, 20.0, 0.0, 0.0, 0 },
	/* RFC 3550 A.8 by hand, transit = arrival - ts/8 ms:
	 *   0, 0, 5, 0, 0  ->  |D| = 0, 5, 5, 0
	 *   J = 0; 5/16 = 0.3125; 0.3125 + (5 - 0.3125)/16 = 0.60546875;
	 *   0.60546875 - 0.60546875/16 = 0.567626953125 */
	{ "jitter", { { 1, 0, 1000, 0 }, { 2, 160, 1020, 0 }, { 3, 320, 1045, 0 },
	    { 4, 480, 1060, 0 }, { 5, 640, 1080, 0 } }, 5,
	    5, 0, 0, 0, 25.0, 0.567626953125, 0.60546875, 0 },
	/* 65533 ... 65535, (0 lost), 1, 2: A.1 extends past the wrap; the
	 * gap is one sequence error */
	{ "wrap with loss", { { 65533, 0, 1000, 0 }, { 65534, 160, 1020, 0 },
	    { 65535, 320, 1040, 0 }, { 1, 640, 1080, 0 }, { 2, 800, 1100, 0 } }, 5,
	    6, 1, 0, 1, 40.0, 0.0, 0.0, 0 },
	{ "wrap clean", { { 65534, 4294967136u, 1000, 0 }, { 65535, 0, 1020, 0 },
	    { 0, 160, 1040, 0 }, { 1, 320, 1060, 0 } }, 4,
	    4, 0, 0, 0, 20.0, 0.0, 0.0, 0 },
	/* a repeated packet: received > expected, so lost is -1; the repeat
	 * arrives 1 ms late: |D| = 1, then 1 again:
	 *   J = 1/16 = 0.0625; (15 * 0.0625 + 1)/16 = 0.12109375 */
	{ "duplicate", { { 1, 0, 1000, 0 }, { 2, 160, 1020, 0 }, { 2, 160, 1021, 0 },
	    { 3, 320, 1040, 0 } }, 4,
	    3, -1, 1, 1, 20.0, 0.12109375, 0.12109375, 0 },
	/* 4 before 3: nothing lost, two sequence errors (the jump, the late
	 * one). The late packet counts in the jitter: transits 0, 0, 0, 21, 0
	 * give |D| = 0, 0, 21, 21: J = 21/16 = 1.3125, then
	 * 1.3125 + (21 - 1.3125)/16 = 2.54296875 */
	{ "reordered", { { 1, 0, 1000, 0 }, { 2, 160, 1020, 0 }, { 4, 480, 1060, 0 },
	    { 3, 320, 1061, 0 }, { 5, 640, 1080, 0 } }, 5,
	    5, 0, 0, 2, 40.0, 2.54296875, 2.54296875, 0 },
	/* three packets gone in the middle: the biggest gap is 80 ms */
	{ "burst loss", { { 10, 0, 1000, 0 }, { 11, 160, 1020, 0 }, { 15, 800, 1100, 0 },
	    { 16, 960, 1120, 0 } }, 4,
	    7, 3, 0, 1, 80.0, 0.0, 0.0, 0 },
	/* an RFC 4733 event inside PCMU: the payload type changes twice. The
	 * event packets have no clock rate, so (as in tshark) they move the
	 * arrival reference to 40 ms but not the nominal one (0 ms): the
	 * next audio packet is expected at 40 + 60 and arrives at 60, so
	 * J = 40/16 = 2.5 */
	{ "dtmf", { { 1, 0, 1000, 0 }, { 2, 160, 1020, 101 }, { 3, 160, 1040, 101 },
	    { 4, 480, 1060, 0 } }, 4,
	    4, 0, 0, 0, 20.0, 2.5, 2.5, 2 },
};

static bool
near(double x, double y)
{
	return fabs(x - y) < 1e-9;
}

static void
test_streams(void)
{
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct fx f;
		fx_init(&f);
		call_setup(&f);
		for (unsigned k = 0; k < rows[i].n; k++)
			SL_CHECK_MSG(&ts, send_rtp(&f, &rows[i].pkts[k], 0x1234abcd) == SL_APP_RTP,
			    "%s: packet %u not RTP", rows[i].name, k);
		call_end(&f, 3000);
		SL_CHECK(&ts, sl_corr_finish(f.cf.corr) == SL_OK);
		SL_CHECK_MSG(&ts, f.n_emitted == 1 && f.call && f.call->n_streams == 1,
		    "%s: calls/streams", rows[i].name);
		const struct sl_stream *s = f.call ? f.call->streams : NULL;
		if (s == NULL) {
			fx_free(&f);
			continue;
		}
		const char *n = rows[i].name;
		SL_CHECK_MSG(&ts, s->ssrc == 0x1234abcd && s->pt == rows[i].pkts[0].pt, "%s", n);
		SL_CHECK_MSG(&ts, s->packets == rows[i].n, "%s: packets %llu", n,
		    (unsigned long long)s->packets);
		SL_CHECK_MSG(&ts, s->expected == rows[i].expected, "%s: expected %llu", n,
		    (unsigned long long)s->expected);
		SL_CHECK_MSG(&ts, s->lost == rows[i].lost, "%s: lost %lld", n, (long long)s->lost);
		SL_CHECK_MSG(&ts, s->dups == rows[i].dups, "%s: dups %llu", n,
		    (unsigned long long)s->dups);
		SL_CHECK_MSG(&ts, s->out_of_order == rows[i].out_of_order, "%s: seq errors %llu", n,
		    (unsigned long long)s->out_of_order);
		SL_CHECK_MSG(&ts, near(s->max_delta_ms, rows[i].max_delta_ms), "%s: max delta %.9f",
		    n, s->max_delta_ms);
		SL_CHECK_MSG(&ts, near(s->jitter_ms, rows[i].jitter_ms), "%s: jitter %.12f", n,
		    s->jitter_ms);
		SL_CHECK_MSG(&ts, near(s->max_jitter_ms, rows[i].max_jitter_ms),
		    "%s: max jitter %.12f", n, s->max_jitter_ms);
		SL_CHECK_MSG(&ts, s->pt_changes == rows[i].pt_changes, "%s: pt changes %llu", n,
		    (unsigned long long)s->pt_changes);
		SL_CHECK_MSG(&ts, s->clock_rate == 8000 && sl_str_eq(s->codec, SL_STR("PCMU")),
		    "%s: codec", n);
		SL_CHECK_MSG(&ts, s->first_ts == CF_T0 + rows[i].pkts[0].ms * CF_MS &&
		    s->last_ts == CF_T0 + rows[i].pkts[rows[i].n - 1].ms * CF_MS, "%s: times", n);
		SL_CHECK_MSG(&ts, s->after_bye_packets == 0, "%s: after bye", n);
		SL_CHECK_MSG(&ts, f.call->sum.rtp_packets == rows[i].n &&
		    f.call->sum.rtp_lost == (rows[i].lost > 0 ? rows[i].lost : 0),
		    "%s: call totals", n);
		fx_free(&f);
	}
}

/* The mean of the "jitter" row (Wireshark's: over packets - 1 gaps, each
 * regular packet adding its current jitter): J after packets 2..5 is
 * 0, 0.3125, 0.60546875, 0.567626953125, so the running mean is
 * 0, 0.15625, (0.3125 + 0.60546875)/3, then (that * 3 + 0.567626953125)/4. */
static void
test_mean_jitter(void)
{
	struct fx f;
	fx_init(&f);
	call_setup(&f);
	for (unsigned k = 0; k < rows[1].n; k++)
		send_rtp(&f, &rows[1].pkts[k], 7);
	call_end(&f, 3000);
	sl_corr_finish(f.cf.corr);
	double want = ((0.3125 + 0.60546875) + 0.567626953125) / 4;
	SL_CHECK_MSG(&ts, f.call && f.call->streams && near(f.call->streams->mean_jitter_ms, want),
	    "mean jitter %.12f", f.call && f.call->streams ? f.call->streams->mean_jitter_ms : -1);
	fx_free(&f);
}

/* ----- attribution: ICMP, RTCP, after the BYE ----- */

/* ICMP port unreachable from the caller quoting a UDP datagram
 * src -> dst (RFC 792: the IP header and 8 bytes of it). */
static void
send_icmp(struct fx *f, int ms, struct sl_endpoint src, struct sl_endpoint dst)
{
	uint8_t p[8 + 20 + 8] = { 3, 3, 0, 0, 0, 0, 0, 0,
	    0x45, 0, 0, 200, 0, 0, 0, 0, 64, 17, 0, 0 };
	memcpy(p + 20, src.ip.a, 4);
	memcpy(p + 24, dst.ip.a, 4);
	p[28] = (uint8_t)(src.port >> 8);
	p[29] = (uint8_t)src.port;
	p[30] = (uint8_t)(dst.port >> 8);
	p[31] = (uint8_t)dst.port;
	p[33] = 180;
	struct sl_packet pkt;
	cf_packet(&f->cf, &pkt, ms, ep4(1, 0), ep4(2, 0));
	sl_dissect_icmp(&f->cf.ctx, &pkt, sl_cur_init(p, sizeof p), false);
	SL_CHECK(&ts, pkt.app == SL_APP_ICMP && pkt.icmp.port_unreachable);
	cf_correlate(&ts, &f->cf, &pkt);
}

static void
test_attribution(void)
{
	struct fx f;
	fx_init(&f);
	call_setup(&f);
	static const struct rtp pk[] = {
		{ 1, 0, 1000, 0 }, { 2, 160, 1020, 0 },
		/* BYE at 1030 */
		{ 3, 320, 1040, 0 }, { 4, 480, 1060, 0 }, { 5, 640, 1080, 0 },
	};
	send_rtp(&f, &pk[0], 99);
	send_rtp(&f, &pk[1], 99);
	/* RTCP receiver report on the next port pair belongs to the stream */
	static const uint8_t rr[] = { 0x80, 0xc9, 0, 1, 0, 0, 0, 99 };
	SL_CHECK(&ts, cf_udp(&ts, &f.cf, 1025, ep4(2, 6001), ep4(1, 4001), rr, sizeof rr) ==
	    SL_APP_RTCP);
	call_end(&f, 1030);
	for (unsigned k = 2; k < 5; k++)
		send_rtp(&f, &pk[k], 99);
	/* the caller's port is closed after its BYE: it answers the tail */
	send_icmp(&f, 1041, ep4(2, 6000), ep4(1, 4000));
	send_icmp(&f, 1061, ep4(2, 6000), ep4(1, 4000));
	/* quoting a flow nobody announced */
	send_icmp(&f, 1062, ep4(9, 7000), ep4(1, 4000));
	SL_CHECK(&ts, sl_corr_finish(f.cf.corr) == SL_OK);

	const struct sl_corr_stats *st = sl_corr_stats(f.cf.corr);
	SL_CHECK(&ts, st->rtp_packets == 5 && st->rtcp_packets == 1 && st->rtcp_unattributed == 0);
	SL_CHECK(&ts, st->icmp_attributed == 2 && st->icmp_unattributed == 1);
	const struct sl_stream *s = f.call ? f.call->streams : NULL;
	SL_CHECK(&ts, s != NULL);
	if (s) {
		SL_CHECK(&ts, s->rtcp_packets == 1);
		SL_CHECK(&ts, s->icmp_unreachable == 2);
		SL_CHECK(&ts, s->after_bye_packets == 3);
		SL_CHECK(&ts, s->after_bye_first_ts == CF_T0 + 1040 * CF_MS);
		SL_CHECK(&ts, s->after_bye_last_ts == CF_T0 + 1080 * CF_MS);
		SL_CHECK(&ts, s->leg == f.call->legs);
		SL_CHECK(&ts, f.call->sum.after_bye_packets == 3);
		SL_CHECK(&ts, f.call->sum.icmp_unreachable == 2);
		/* the call lasts until its last media */
		SL_CHECK(&ts, f.call->last_ts == CF_T0 + 1080 * CF_MS);
	}
	fx_free(&f);
}

/* Media to a port no SDP named is not RTP: counted as other UDP. */
static void
test_unannounced(void)
{
	struct fx f;
	fx_init(&f);
	call_setup(&f);
	static const uint8_t p[12] = { 0x80, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1 };
	SL_CHECK(&ts, cf_udp(&ts, &f.cf, 500, ep4(2, 6002), ep4(1, 4002), p, sizeof p) ==
	    SL_APP_NONE);
	SL_CHECK(&ts, cf_udp(&ts, &f.cf, 501, ep4(2, 6002), ep4(1, 4000), p, sizeof p) ==
	    SL_APP_RTP);
	SL_CHECK(&ts, sl_corr_finish(f.cf.corr) == SL_OK);
	SL_CHECK(&ts, sl_corr_stats(f.cf.corr)->rtp_packets == 1);
	SL_CHECK(&ts, f.call && f.call->n_streams == 1);
	fx_free(&f);
}

int
main(void)
{
	sl_osip_init();
	test_streams();
	test_mean_jitter();
	test_attribution();
	test_unannounced();
	return sl_test_report(&ts, "test_media");
}
