/* scenario_ipv6.c: ipv6-call.pcap, the seed's direct call moved to IPv6:
 * 2001:db8::101 calls 2001:db8::183 (URIs and Via with [brackets], SDP
 * "c=IN IP6"), about one second of PCMU each way, hung up by the callee.
 *
 * It opens with neighbour discovery (ICMPv6 NS/NA, not SIP, to be
 * skipped), and the ACK travels behind a Hop-by-Hop + Destination
 * Options extension header chain, so a parser that expects UDP right
 * after the fixed IPv6 header misses exactly one message. Ethernet, pcap
 * microseconds. */
#include "tests/gen/scenario.h"

#include <string.h>

#include "tests/gen/call.h"
#include "tests/gen/media.h"
#include "tests/gen/rng.h"
#include "tests/gen/sip.h"
#include "tests/gen/slg.h"

/* Neighbour solicitation for target from src, and the advertisement. */
static int
ndp(struct slg_out *o, uint64_t t, struct slg_host *src,
    struct slg_host *target)
{
	struct slg_host mcast = *target;
	uint8_t body[28];
	size_t n;
	int rc = 0;

	/* Solicited-node multicast ff02::1:ffXX:XXXX and its MAC. */
	memset(mcast.ip.a, 0, 16);
	mcast.ip.a[0] = 0xff;
	mcast.ip.a[1] = 0x02;
	mcast.ip.a[11] = 0x01;
	mcast.ip.a[12] = 0xff;
	memcpy(mcast.ip.a + 13, target->ip.a + 13, 3);
	mcast.mac[0] = 0x33;
	mcast.mac[1] = 0x33;
	memcpy(mcast.mac + 2, mcast.ip.a + 12, 4);

	memset(body, 0, sizeof(body));
	memcpy(body + 4, target->ip.a, 16);
	body[20] = 1;			/* source link-layer address option */
	body[21] = 1;
	memcpy(body + 22, src->mac, 6);
	n = slg_icmp6_make(o->l4, SLG_FRAME_MAX, &src->ip, &mcast.ip, 135, 0,
	    body, sizeof(body));
	o->l4len = n;
	src->ttl = 255;			/* NDP demands hop limit 255 */
	slg_out_build(o, src, &mcast, SLG_IPPROTO_ICMPV6, NULL);
	rc |= slg_out_write(o, t, 0);

	body[0] = 0x60;			/* solicited + override */
	memcpy(body + 4, target->ip.a, 16);
	body[20] = 2;			/* target link-layer address option */
	memcpy(body + 22, target->mac, 6);
	o->l4len = slg_icmp6_make(o->l4, SLG_FRAME_MAX, &target->ip, &src->ip,
	    136, 0, body, sizeof(body));
	target->ttl = 255;
	slg_out_build(o, target, src, SLG_IPPROTO_ICMPV6, NULL);
	rc |= slg_out_write(o, t + 187 * SLG_NS_PER_US, 0);
	src->ttl = 64;
	target->ttl = 64;
	return rc;
}

int
slg_scn_ipv6_call(const char *path, const struct slg_opts *opt)
{
	static const struct slg_link eth = { .dlt = SLG_DLT_EN10MB };
	static const uint64_t at_us[SLG_CALL_NMSG] = {
		512118, 529604, 561377, 2875049, 2883512,
		3931266, 3948731, 3960118,
	};
	struct slg_out o;
	struct slg_host h101, h183;
	struct slg_rng rng;
	struct slg_call call;
	struct slg_rtp_stream up, down;
	struct slg_media med;
	int rc = 0;

	if (slg_scn_open_eth(&o, path, &eth) != 0)
		return -1;
	slg_rng_seed(&rng, opt->seed ^ 0x1bf6);
	slg_host_init(&h101, "2001:db8::101", slg_mac_callee, 64, 0);
	slg_host_init(&h183, "2001:db8::183", slg_mac_caller, 64, 0);

	slg_call_init(&call, &h101, &h183, "anonymous", "0", 27392, 27824,
	    &rng);
	call.bye_from_uas = true;
	call.uac_fmts = "0 8 101";

	slg_call_rtp(&down, &call, true, (uint32_t)slg_rng_next(&rng), &rng);
	down.t0 = SLG_T(2, 901000);
	down.nmax = 50;
	down.jitter_ns = 2 * SLG_NS_PER_MS;

	slg_call_rtp(&up, &call, false, (uint32_t)slg_rng_next(&rng), &rng);
	up.t0 = SLG_T(2, 913000);
	up.nmax = down.nmax;
	up.jitter_ns = down.jitter_ns;

	rc |= ndp(&o, SLG_T(0, 498051), &h101, &h183);
	slg_media_init(&med, NULL, NULL);
	rc |= slg_media_add(&med, &down);
	rc |= slg_media_add(&med, &up);
	for (unsigned m = 0; m < SLG_CALL_NMSG && rc == 0; m++) {
		char buf[SLG_SIP_MAX];
		struct slg_host *src, *dst;
		uint64_t when = SLG_T(0, 0) + at_us[m] * SLG_NS_PER_US;
		struct slg_ipx x;
		size_t len;

		rc |= slg_media_until(&med, &o, when);
		len = slg_call_text(&call, m, buf, sizeof(buf), &src, &dst);
		if (len == 0) {
			rc = -1;
			break;
		}
		memset(&x, 0, sizeof(x));
		x.v6_hbh_dst = m == SLG_CALL_ACK;
		o.l4len = slg_udp_make(o.l4, SLG_FRAME_MAX, &src->ip, &dst->ip,
		    5060, 5060, buf, len);
		slg_out_build(&o, src, dst, SLG_IPPROTO_UDP, &x);
		rc |= slg_out_write(&o, when, 0);
	}
	rc |= slg_media_until(&med, &o, UINT64_MAX);
	if (rc != 0)
		return slg_scn_fail(&o, path, "cannot build or write the call");
	if (slg_out_finish(&o) != 0)
		return slg_scn_fail(NULL, path, "write error");
	return 0;
}
