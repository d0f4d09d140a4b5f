/* scenario_direct.c: direct-call-sll.pcap, the seed's direct call exactly
 * as its Wireshark "VoIP Calls -> Graph" shows it (SEED-EN.md):
 *
 *   3.985 INVITE SDP 101 -> 183, From sip:anonymous@192.168.1.183,
 *         To sip:0@192.168.1.183     4.004 100 Trying    4.035 180 Ringing
 *  11.818 200 OK SDP                11.826 ACK
 *  11.857 RTP 183:27824 -> 101:27392, 281 packets, 5.597 s, SSRC 0x1726C94E
 *  11.954 RTP 101:27392 -> 183:27824, 280 packets, 5.550 s, SSRC 0x7805579C
 *  17.495 BYE 183 -> 101            17.514 100 Trying   17.526 200 OK
 *
 * Times are from the first packet, which is LAN chatter (an ARP request
 * and NetBIOS name queries) so that "capture start" is 0.000 as in the
 * seed. SIP times carry under 0.4 ms of extra noise so they read the same
 * whether a tool rounds or truncates to milliseconds; RTP first and last
 * packets sit exactly on the seed's times so the durations match.
 *
 * Link type: Linux cooked capture v1, as a Linux sniffer on the hub would
 * record: packet type 3 (to another host) for the call, 1 (broadcast) for
 * the chatter. */
#include "tests/gen/scenario.h"

#include <string.h>

#include "tests/gen/call.h"
#include "tests/gen/media.h"
#include "tests/gen/rng.h"
#include "tests/gen/sip.h"
#include "tests/gen/slg.h"

/* NetBIOS name query (RFC 1002 4.2.12) for name, broadcast. */
static size_t
nbns_query(uint8_t *out, uint16_t id, const char *name)
{
	char n16[16];
	size_t len = strlen(name), o = 0;

	memset(n16, ' ', 15);
	n16[15] = 0x00;
	memcpy(n16, name, len > 15 ? 15 : len);
	sl_pkt_put16(out, id);
	sl_pkt_put16(out + 2, 0x0110);	/* query, recursion desired, broadcast */
	sl_pkt_put16(out + 4, 1);
	memset(out + 6, 0, 6);
	o = 12;
	out[o++] = 32;
	for (unsigned i = 0; i < 16; i++) {
		uint8_t c = (uint8_t)n16[i];

		out[o++] = (uint8_t)('A' + (c >> 4));
		out[o++] = (uint8_t)('A' + (c & 15));
	}
	out[o++] = 0;
	sl_pkt_put16(out + o, 0x0020);	/* NB */
	sl_pkt_put16(out + o + 2, 0x0001);	/* IN */
	return o + 4;
}

int
slg_scn_direct_call(const char *path, const struct slg_opts *opt)
{
	static const struct slg_link sll_other = { .dlt = SLG_DLT_LINUX_SLL,
		.pkttype = 3 };
	static const struct slg_link sll_bcast = { .dlt = SLG_DLT_LINUX_SLL,
		.pkttype = 1 };
	static const uint8_t bmac[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t gw[4] = { 192, 168, 1, 1 };
	/* Seed times in us from capture start, message by message. */
	static const uint64_t at_us[SLG_CALL_NMSG] = {
		3985214, 4004117, 4035302, 11818136, 11826090,
		17495211, 17514167, 17526058,
	};
	struct slg_out o;
	struct slg_host h101, h183, bcast;
	struct slg_rng rng;
	struct slg_call call;
	struct slg_rtp_stream up, down;
	struct slg_media med;
	uint8_t nb[64];
	int rc = 0;

	if (slg_out_init(&o) != 0)
		return slg_scn_fail(NULL, path, "out of memory");
	if (slg_pcap_open(&o.w, path, SLG_DLT_LINUX_SLL, 65535, false,
	    false) != 0)
		return slg_scn_fail(&o, path, "cannot write");
	slg_rng_seed(&rng, opt->seed ^ 0xd12ec7);
	slg_host_init(&h101, "192.168.1.101", slg_mac_callee, 128, 0x2c11);
	slg_host_init(&h183, "192.168.1.183", slg_mac_caller, 128, 0x51e0);
	slg_host_init(&bcast, "192.168.1.255", bmac, 128, 0);

	slg_call_init(&call, &h101, &h183, "anonymous", "0", 27392, 27824,
	    &rng);
	call.bye_from_uas = true;
	call.uac_fmts = "0 8 3 101";

	slg_call_rtp(&down, &call, true, 0x1726C94Eu, &rng);
	down.t0 = SLG_T(11, 857000);
	down.span_ns = 5597 * SLG_NS_PER_MS;
	down.span_n = 280;
	down.nmax = 281;
	down.pin_last = 280;
	down.jitter_ns = 1500 * SLG_NS_PER_US;

	slg_call_rtp(&up, &call, false, 0x7805579Cu, &rng);
	up.t0 = SLG_T(11, 954000);
	up.span_ns = 5550 * SLG_NS_PER_MS;
	up.span_n = 279;
	up.nmax = 280;
	up.pin_last = 279;
	up.jitter_ns = 1500 * SLG_NS_PER_US;

	/* LAN chatter before the call. */
	o.link = &sll_bcast;
	slg_frame_reset(o.f);
	slg_frame_arp(o.f, o.link, &h101, gw);
	rc |= slg_out_write(&o, SLG_T(0, 0), 0);
	rc |= slg_out_udp(&o, SLG_T(0, 412345), &h183, 137, &bcast, 137, nb,
	    nbns_query(nb, 0x8a01, "WORKGROUP"));
	rc |= slg_out_udp(&o, SLG_T(2, 113907), &h101, 137, &bcast, 137, nb,
	    nbns_query(nb, 0x9c4e, "PC-183"));

	o.link = &sll_other;
	slg_media_init(&med, NULL, NULL);
	rc |= slg_media_add(&med, &down);
	rc |= slg_media_add(&med, &up);
	for (unsigned m = 0; m < SLG_CALL_NMSG && rc == 0; m++) {
		char buf[SLG_SIP_MAX];
		struct slg_host *src, *dst;
		uint64_t when = SLG_T(0, 0) + at_us[m] * SLG_NS_PER_US;
		size_t len;

		rc |= slg_media_until(&med, &o, when);
		len = slg_call_text(&call, m, buf, sizeof(buf), &src, &dst);
		if (len == 0)
			rc = -1;
		else
			rc |= slg_out_udp(&o, when, src, 5060, dst, 5060, buf,
			    len);
	}
	rc |= slg_media_until(&med, &o, UINT64_MAX);
	if (rc != 0)
		return slg_scn_fail(&o, path, "cannot build or write the call");
	if (slg_out_finish(&o) != 0)
		return slg_scn_fail(NULL, path, "write error");
	return 0;
}
