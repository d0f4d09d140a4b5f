/* test_export.c: the two halves of an export (src/export) without
 * captures: what a plan says belongs to a call (SIP frames, media flows
 * and their windows, RTCP either way, ICMP quoting media) and the queue
 * that holds frames while a fragmented datagram is undecided (capture
 * order kept, fragments written or let go with their datagram, timeout,
 * memory cap). The whole command is tests/export/export.sh. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "export/hold.h"
#include "export/plan.h"
#include "tests/unit/fixture.h"
#include "tests/unit/unit.h"

static SL_TEST_STATE(ts);

#define S (INT64_C(1000000000))

static struct sl_packet
udp(const char *sip, uint16_t sport, const char *dip, uint16_t dport, int64_t t)
{
	struct sl_packet p = { .ts_ns = t, .app = SL_APP_NONE, .skip = SL_SKIP_UDP_OTHER };
	p.src = fx_ep(sip, sport);
	p.dst = fx_ep(dip, dport);
	return p;
}

static struct sl_packet
icmp(const char *qsip, uint16_t qsport, const char *qdip, uint16_t qdport, int64_t t)
{
	struct sl_packet p = { .ts_ns = t, .app = SL_APP_ICMP };
	p.src = (struct sl_endpoint){ .ip = fx_ep(qdip, 0).ip };
	p.dst = (struct sl_endpoint){ .ip = fx_ep(qsip, 0).ip };
	p.icmp.inner_src = fx_ep(qsip, qsport);
	p.icmp.inner_dst = fx_ep(qdip, qdport);
	p.icmp.port_unreachable = true;
	return p;
}

static void
test_plan(void)
{
	struct sl_call *c = fx_new_call(SL_CALL_INVITE, 1);
	struct sl_endpoint a = fx_ep("192.0.2.1", 5060), b = fx_ep("192.0.2.2", 5060);
	struct sl_leg *g = fx_add_leg(c, 'A', "x@y", "u1", "2", a, b);
	/* frames 1 and 2, and a datagram of two messages: 7 twice */
	fx_req(c, g, 0, a, b, "INVITE", 1)->frame = 7;
	fx_resp(c, g, 10, b, a, 200, "OK", "INVITE", 1)->frame = 2;
	fx_req(c, g, 20, a, b, "ACK", 1)->frame = 7;
	/* one stream 10 s .. 20 s after time zero; ICMP quoted it at 21 s */
	struct sl_stream *s = fx_add_stream(c, g, fx_ep("192.0.2.1", 40000),
	    fx_ep("192.0.2.2", 30000), 1, "PCMU", 500, 10000000, 20000000);
	s->icmp_unreachable = 3;
	s->icmp_first_ts = FX_BASE_NS + 21 * S;
	s->icmp_last_ts = FX_BASE_NS + 21 * S;
	c->msgs_dropped = 2;

	struct sl_export_plan *p = sl_export_plan_new();
	SL_CHECK(&ts, p != NULL && sl_export_plan_add(p, c) == SL_OK);
	fx_free_call(c);
	sl_export_plan_seal(p);
	SL_CHECK(&ts, sl_export_plan_calls(p) == 1 && sl_export_plan_unknown_msgs(p) == 2);
	SL_CHECK(&ts, p->n_frames == 2);
	SL_CHECK(&ts, sl_export_plan_sip(p, 2) && sl_export_plan_sip(p, 7));
	SL_CHECK(&ts, !sl_export_plan_sip(p, 1) && !sl_export_plan_sip(p, 8));

	const int64_t t0 = FX_BASE_NS;
	static const struct {
		const char *what;
		const char *sip, *dip;
		uint16_t sport, dport;
		int64_t at;	/* after time zero */
		bool icmp, want;
	} cases[] = {
		{ "RTP in its time", "192.0.2.1", "192.0.2.2", 40000, 30000, 15 * S, false, true },
		{ "RTP just before (slack)", "192.0.2.1", "192.0.2.2", 40000, 30000,
		    10 * S - SL_EXPORT_MEDIA_SLACK_NS, false, true },
		{ "RTP long after", "192.0.2.1", "192.0.2.2", 40000, 30000, 25 * S, false, false },
		{ "the flow backwards", "192.0.2.2", "192.0.2.1", 30000, 40000, 15 * S, false, false },
		{ "another port", "192.0.2.1", "192.0.2.2", 40002, 30000, 15 * S, false, false },
		{ "RTCP its way", "192.0.2.1", "192.0.2.2", 40001, 30001, 15 * S, false, true },
		{ "RTCP back", "192.0.2.2", "192.0.2.1", 30001, 40001, 15 * S, false, true },
		{ "RTCP after the last RTP", "192.0.2.2", "192.0.2.1", 30001, 40001, 24 * S, false,
		    true },
		{ "RTCP too late", "192.0.2.2", "192.0.2.1", 30001, 40001, 26 * S, false, false },
		{ "ICMP quoting the flow", "192.0.2.1", "192.0.2.2", 40000, 30000, 21 * S, true,
		    true },
		{ "ICMP quoting it earlier", "192.0.2.1", "192.0.2.2", 40000, 30000, 15 * S, true,
		    false },
		{ "ICMP quoting RTCP back", "192.0.2.2", "192.0.2.1", 30001, 40001, 15 * S, true,
		    true },
		{ "ICMP quoting another flow", "192.0.2.9", "192.0.2.2", 40000, 30000, 21 * S, true,
		    false },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct sl_packet pkt = cases[i].icmp ?
		    icmp(cases[i].sip, cases[i].sport, cases[i].dip, cases[i].dport, t0 + cases[i].at) :
		    udp(cases[i].sip, cases[i].sport, cases[i].dip, cases[i].dport, t0 + cases[i].at);
		SL_CHECK_MSG(&ts, sl_export_plan_media(p, &pkt) == cases[i].want, "%s",
		    cases[i].what);
	}
	/* no UDP header decoded (a fragment held): never media by itself */
	struct sl_packet frag = udp("192.0.2.1", 40000, "192.0.2.2", 30000, t0 + 15 * S);
	frag.src.transport = frag.dst.transport = SL_TP_NONE;
	SL_CHECK(&ts, !sl_export_plan_media(p, &frag));
	sl_export_plan_free(p);

	/* an empty plan answers no without looking at anything */
	p = sl_export_plan_new();
	sl_export_plan_seal(p);
	struct sl_packet any = udp("192.0.2.1", 40000, "192.0.2.2", 30000, t0);
	SL_CHECK(&ts, !sl_export_plan_sip(p, 1) && !sl_export_plan_media(p, &any));
	sl_export_plan_free(p);
}

/* The hold's writer: the first byte of each frame written, in order. */
struct sink {
	char got[64];
	size_t n;
};

static enum sl_err
collect(void *user, const struct sl_export_rec *r)
{
	struct sink *k = user;
	if (k->n + 1 < sizeof k->got)
		k->got[k->n++] = (char)r->data[0];
	k->got[k->n] = '\0';
	return SL_OK;
}

static struct sl_export_rec
rec(const char *bytes, int64_t t)
{
	return (struct sl_export_rec){ .data = (const uint8_t *)bytes,
	    .caplen = (uint32_t)strlen(bytes), .wirelen = (uint32_t)strlen(bytes), .ts_ns = t };
}

static struct sl_export_frag
dgram(uint32_t id)
{
	return (struct sl_export_frag){ .src = fx_ep("192.0.2.1", 0).ip,
	    .dst = fx_ep("192.0.2.2", 0).ip, .id = id };
}

static void
test_hold(void)
{
	struct sink k = { .n = 0 };
	struct sl_export_hold h;
	struct sl_export_frag d1 = dgram(1), d2 = dgram(2);

	/* nothing waits: written at once */
	sl_export_hold_init(&h, 1 << 20, 30 * S, collect, &k);
	SL_CHECK(&ts, sl_export_hold_write(&h, &(struct sl_export_rec){ .data =
	    (const uint8_t *)"a", .caplen = 1 }) == SL_OK);
	SL_CHECK(&ts, strcmp(k.got, "a") == 0);
	/* fragments of d1 and d2 interleave with a frame to write; d1 is
	 * wanted, d2 not: the frame waits behind d1's first fragment */
	SL_CHECK(&ts, sl_export_hold_fragment(&h, &(struct sl_export_rec){ .data =
	    (const uint8_t *)"b", .caplen = 1, .ts_ns = 1 }, &d1) == SL_OK);
	SL_CHECK(&ts, sl_export_hold_fragment(&h, &(struct sl_export_rec){ .data =
	    (const uint8_t *)"x", .caplen = 1, .ts_ns = 2 }, &d2) == SL_OK);
	struct sl_export_rec c = rec("c", 3);
	SL_CHECK(&ts, sl_export_hold_write(&h, &c) == SL_OK);
	SL_CHECK(&ts, strcmp(k.got, "a") == 0);
	SL_CHECK(&ts, sl_export_hold_fragment(&h, &(struct sl_export_rec){ .data =
	    (const uint8_t *)"d", .caplen = 1, .ts_ns = 4 }, &d1) == SL_OK);
	/* d1 completes (its last fragment is the frame written next) */
	SL_CHECK(&ts, sl_export_hold_decide(&h, &d1, true) == SL_OK);
	/* d1's first fragment goes; the rest waits behind d2's */
	SL_CHECK_MSG(&ts, strcmp(k.got, "ab") == 0, "got %s", k.got);
	struct sl_export_rec e = rec("e", 5);
	SL_CHECK(&ts, sl_export_hold_write(&h, &e) == SL_OK);
	SL_CHECK(&ts, sl_export_hold_decide(&h, &d2, false) == SL_OK);
	SL_CHECK_MSG(&ts, strcmp(k.got, "abcde") == 0, "got %s", k.got);

	/* a fragment whose datagram never completes is let go after the
	 * timeout, and what waited behind it goes out */
	SL_CHECK(&ts, sl_export_hold_fragment(&h, &(struct sl_export_rec){ .data =
	    (const uint8_t *)"y", .caplen = 1, .ts_ns = 10 * S }, &d2) == SL_OK);
	struct sl_export_rec f = rec("f", 11 * S);
	SL_CHECK(&ts, sl_export_hold_write(&h, &f) == SL_OK);
	SL_CHECK(&ts, sl_export_hold_advance(&h, 39 * S) == SL_OK);
	SL_CHECK(&ts, strcmp(k.got, "abcde") == 0);
	SL_CHECK(&ts, sl_export_hold_advance(&h, 41 * S) == SL_OK);
	SL_CHECK_MSG(&ts, strcmp(k.got, "abcdef") == 0, "got %s", k.got);

	/* end of input: what waits is let go, the rest written */
	SL_CHECK(&ts, sl_export_hold_fragment(&h, &(struct sl_export_rec){ .data =
	    (const uint8_t *)"z", .caplen = 1, .ts_ns = 50 * S }, &d1) == SL_OK);
	struct sl_export_rec g = rec("g", 51 * S);
	SL_CHECK(&ts, sl_export_hold_write(&h, &g) == SL_OK);
	SL_CHECK(&ts, sl_export_hold_finish(&h) == SL_OK);
	SL_CHECK_MSG(&ts, strcmp(k.got, "abcdefg") == 0, "got %s", k.got);
	sl_export_hold_free(&h);

	/* the cap: 8 bytes held at most; a new frame first lets go of the
	 * oldest waiting fragment */
	k = (struct sink){ .n = 0 };
	sl_export_hold_init(&h, 8, 30 * S, collect, &k);
	SL_CHECK(&ts, sl_export_hold_fragment(&h, &(struct sl_export_rec){ .data =
	    (const uint8_t *)"pppp", .caplen = 4, .ts_ns = 1 }, &d1) == SL_OK);
	struct sl_export_rec q = rec("qqqq", 2);
	SL_CHECK(&ts, sl_export_hold_write(&h, &q) == SL_OK);
	SL_CHECK(&ts, k.n == 0);
	struct sl_export_rec r = rec("rr", 3);
	SL_CHECK(&ts, sl_export_hold_write(&h, &r) == SL_OK);
	SL_CHECK_MSG(&ts, strcmp(k.got, "qr") == 0, "got %s", k.got);
	/* d1 completes after its fragment was let go: nothing left of it */
	SL_CHECK(&ts, sl_export_hold_decide(&h, &d1, true) == SL_OK);
	SL_CHECK(&ts, sl_export_hold_finish(&h) == SL_OK);
	SL_CHECK_MSG(&ts, strcmp(k.got, "qr") == 0, "got %s", k.got);
	sl_export_hold_free(&h);
}

int
main(void)
{
	test_plan();
	test_hold();
	return sl_test_report(&ts, "test_export");
}
