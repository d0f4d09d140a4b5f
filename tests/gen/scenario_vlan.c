/* scenario_vlan.c: vlan-sll2.pcapng, one pcapng section with four
 * interfaces of different link types, and one call spread over them:
 *
 *   if0 "eth0"  Ethernet; call packets carry one 802.1Q tag (VLAN 100)
 *               or QinQ (802.1ad S-tag 200 outside, 802.1Q 100 inside)
 *   if1 "any"   LINUX_SLL2 (276), if_tsresol = 9: nanosecond stamps
 *   if2 "lo0"   BSD loopback NULL (0): AF value in the section's byte
 *               order (little-endian): 2 for IPv4; IPv6 once as 30
 *               (macOS) and once as 24 (NetBSD/OpenBSD)
 *   if3 "tun0"  RAW (101), IPv4 and IPv6 by version nibble
 *
 * The call: 10.0.0.1 -> 10.0.0.2, INVITE/100/180/200/ACK, 1 s of PCMU
 * each way (packets rotate over the interfaces), BYE/200. Also a SIP
 * OPTIONS ping over IPv6 (fd00::1 -> fd00::2: request on if2 with AF 30,
 * answer on if3 as raw IPv6), and non-SIP frames an analyzer must count
 * as skipped: ARP (tagged), LLDP, a TCP SYN, an ICMP echo, an ICMPv6
 * echo (NULL, AF 24). Enhanced Packet Blocks throughout. */
#include "tests/gen/scenario.h"

#include <string.h>

#include "tests/gen/call.h"
#include "tests/gen/media.h"
#include "tests/gen/rng.h"
#include "tests/gen/sip.h"
#include "tests/gen/slg.h"

enum { IF_ETH, IF_SLL2, IF_NULL, IF_RAW, IF_N };

struct vlan_ctx {
	struct slg_out o;
	struct slg_link eth_plain;
	struct slg_link eth_vlan;
	struct slg_link eth_qinq;
	struct slg_link sll2;
	struct slg_link null30;
	struct slg_link null24;
	struct slg_link raw;
};

static void
use(struct vlan_ctx *c, unsigned ifid, const struct slg_link *lk)
{
	c->o.ifid = ifid;
	c->o.link = lk;
}

/* Media hook: packet k of stream st goes to interface (k + st) % 4. */
static void
media_if(void *ctx, struct slg_out *o, unsigned st,
    const struct slg_rtp_pkt *p)
{
	struct vlan_ctx *c = ctx;
	unsigned i = (p->k + st) % IF_N;

	(void)o;
	switch (i) {
	case IF_ETH:
		use(c, IF_ETH, (p->k / IF_N) % 2 ? &c->eth_qinq : &c->eth_vlan);
		break;
	case IF_SLL2:
		use(c, IF_SLL2, &c->sll2);
		break;
	case IF_NULL:
		use(c, IF_NULL, &c->null30);
		break;
	default:
		use(c, IF_RAW, &c->raw);
		break;
	}
}

static int
send_udp(struct vlan_ctx *c, uint64_t t, struct slg_host *src, uint16_t sp,
    struct slg_host *dst, uint16_t dp, const char *p, size_t n)
{
	return slg_out_udp(&c->o, t, src, sp, dst, dp, p, n);
}

static int
lldp(struct vlan_ctx *c, uint64_t t, const uint8_t mac[6])
{
	static const uint8_t dst[6] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e };
	static const char port[] = "ge-0/0/1";
	uint8_t tlv[64];
	size_t n = 0;

	/* Chassis ID (MAC), Port ID (interface name), TTL, End. */
	sl_pkt_put16(tlv + n, (uint16_t)(1 << 9 | 7));
	tlv[n + 2] = 4;
	memcpy(tlv + n + 3, mac, 6);
	n += 9;
	sl_pkt_put16(tlv + n, (uint16_t)(2 << 9 | (1 + sizeof(port) - 1)));
	tlv[n + 2] = 5;
	memcpy(tlv + n + 3, port, sizeof(port) - 1);
	n += 3 + sizeof(port) - 1;
	sl_pkt_put16(tlv + n, (uint16_t)(3 << 9 | 2));
	sl_pkt_put16(tlv + n + 2, 120);
	n += 4;
	sl_pkt_put16(tlv + n, 0);
	n += 2;
	use(c, IF_ETH, &c->eth_plain);
	slg_frame_reset(c->o.f);
	slg_frame_link(c->o.f, c->o.link, mac, dst, SLG_ETH_LLDP);
	slg_frame_put(c->o.f, tlv, n);
	if (c->o.f->len < 60)
		slg_frame_put(c->o.f, NULL, 60 - c->o.f->len);
	return slg_out_write(&c->o, t, 0);
}

static int
options_v6(struct vlan_ctx *c, uint64_t t, struct slg_rng *rng)
{
	static const uint8_t none[6];
	struct slg_host a, b;
	char buf[SLG_SIP_MAX];
	struct slg_text m;
	uint32_t br = slg_rng_range(rng, 100000000, 2147483647);
	uint32_t tag = slg_rng_range(rng, 100000000, 2147483647);
	uint32_t cid = slg_rng_range(rng, 100000000, 2147483647);
	int rc = 0;

	slg_host_init(&a, "fd00::1", none, 64, 0);
	slg_host_init(&b, "fd00::2", none, 64, 0);
	slg_text_init(&m, buf, sizeof(buf));
	slg_text_add(&m, "OPTIONS sip:[fd00::2] SIP/2.0\r\n"
	    "Via: SIP/2.0/UDP [fd00::1]:5060;rport;branch=z9hG4bK%u\r\n"
	    "From: <sip:monitor@[fd00::1]>;tag=%u\r\nTo: <sip:[fd00::2]>\r\n"
	    "Call-ID: %u@[fd00::1]\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n"
	    "User-Agent: YATE/2.0.0\r\n", br, tag, cid);
	slg_sip_end(&m, NULL, NULL, "Content-Length", NULL, 0);
	use(c, IF_NULL, &c->null30);
	rc |= send_udp(c, t, &a, 5060, &b, 5060, buf, m.len);

	slg_text_init(&m, buf, sizeof(buf));
	slg_text_add(&m, "SIP/2.0 200 OK\r\n"
	    "Via: SIP/2.0/UDP [fd00::1]:5060;rport=5060;branch=z9hG4bK%u\r\n"
	    "From: <sip:monitor@[fd00::1]>;tag=%u\r\nTo: <sip:[fd00::2]>;tag=%u"
	    "\r\nCall-ID: %u@[fd00::1]\r\nCSeq: 1 OPTIONS\r\n"
	    "Allow: ACK, INVITE, BYE, CANCEL, OPTIONS\r\n"
	    "Server: YATE/2.0.0\r\n", br, tag,
	    slg_rng_range(rng, 100000000, 2147483647), cid);
	slg_sip_end(&m, NULL, NULL, "Content-Length", NULL, 0);
	use(c, IF_RAW, &c->raw);
	rc |= send_udp(c, t + 734 * SLG_NS_PER_US, &b, 5060, &a, 5060, buf,
	    m.len);
	return rc | (m.overflow ? -1 : 0);
}

static int
noise(struct vlan_ctx *c, struct slg_host *h1, struct slg_host *h2)
{
	static const uint8_t none[6];
	static const uint8_t target[4] = { 10, 0, 0, 2 };
	static const char ping[] = "abcdefghijklmnopqrstuvwabcdefghi";
	struct slg_host web, v6a, v6b;
	int rc = 0;

	slg_host_init(&web, "10.0.0.9", none, 64, 0);
	slg_host_init(&v6a, "fd00::1", none, 64, 0);
	slg_host_init(&v6b, "fd00::2", none, 64, 0);

	/* ARP on VLAN 100 before the first SIP packet. */
	use(c, IF_ETH, &c->eth_vlan);
	slg_frame_reset(c->o.f);
	slg_frame_arp(c->o.f, c->o.link, h1, target);
	rc |= slg_out_write(&c->o, SLG_T(0, 0), 0);

	rc |= lldp(c, SLG_T(0, 35522), slg_mac_router);

	/* TCP SYN to a web server, captured on the SLL2 "any" device. */
	use(c, IF_SLL2, &c->sll2);
	c->o.l4len = slg_tcp_make(c->o.l4, SLG_FRAME_MAX, &h1->ip, &web.ip,
	    49152, 80, 0x1f2e3d4cu, 0, 0x02, NULL, 0);
	slg_out_build(&c->o, h1, &web, SLG_IPPROTO_TCP, NULL);
	rc |= slg_out_write(&c->o, SLG_T(0, 61004) + 321, 0);

	/* ICMP echo request on the tunnel, ICMPv6 echo on loopback (24). */
	use(c, IF_RAW, &c->raw);
	c->o.l4len = slg_icmp_echo_make(c->o.l4, SLG_FRAME_MAX, &h1->ip,
	    &h2->ip, 0x0200, 1, ping, sizeof(ping) - 1);
	slg_out_build(&c->o, h1, h2, SLG_IPPROTO_ICMP, NULL);
	rc |= slg_out_write(&c->o, SLG_T(0, 88410), 0);

	use(c, IF_NULL, &c->null24);
	c->o.l4len = slg_icmp_echo_make(c->o.l4, SLG_FRAME_MAX, &v6a.ip,
	    &v6b.ip, 0x0301, 1, ping, sizeof(ping) - 1);
	slg_out_build(&c->o, &v6a, &v6b, SLG_IPPROTO_ICMPV6, NULL);
	rc |= slg_out_write(&c->o, SLG_T(0, 97310), 0);
	return rc;
}

int
slg_scn_vlan_sll2(const char *path, const struct slg_opts *opt)
{
	/* Messages sent, with their interface, link and time (us). */
	static const struct { unsigned m, ifid, lk; uint32_t us; } plan[] = {
		{ SLG_CALL_INVITE, IF_ETH, 1, 120045 },
		{ SLG_CALL_100, IF_ETH, 2, 121309 },
		{ SLG_CALL_180, IF_SLL2, 3, 152880 },
		{ SLG_CALL_200, IF_NULL, 4, 1904271 },
		{ SLG_CALL_ACK, IF_RAW, 6, 1910533 },
		{ SLG_CALL_BYE, IF_ETH, 2, 2981007 },
		{ SLG_CALL_BYE_200, IF_SLL2, 3, 2992116 },
	};
	struct vlan_ctx c;
	const struct slg_link *links[7];
	struct slg_host h1, h2;
	struct slg_rng rng;
	struct slg_call call;
	struct slg_rtp_stream up, down;
	struct slg_media med;
	int rc = 0;

	memset(&c, 0, sizeof(c));
	c.eth_plain.dlt = SLG_DLT_EN10MB;
	c.eth_vlan.dlt = SLG_DLT_EN10MB;
	c.eth_vlan.ntags = 1;
	c.eth_vlan.tag[0] = 100;
	c.eth_qinq.dlt = SLG_DLT_EN10MB;
	c.eth_qinq.ntags = 2;
	c.eth_qinq.tag[0] = 200;
	c.eth_qinq.tag[1] = 100;
	c.sll2.dlt = SLG_DLT_LINUX_SLL2;
	c.sll2.pkttype = 0;
	c.sll2.ifindex = 3;
	c.null30.dlt = SLG_DLT_NULL;
	c.null30.af6 = 30;
	c.null24.dlt = SLG_DLT_NULL;
	c.null24.af6 = 24;
	c.raw.dlt = SLG_DLT_RAW;
	links[0] = &c.eth_plain;
	links[1] = &c.eth_vlan;
	links[2] = &c.eth_qinq;
	links[3] = &c.sll2;
	links[4] = &c.null30;
	links[5] = &c.null24;
	links[6] = &c.raw;

	if (slg_out_init(&c.o) != 0)
		return slg_scn_fail(NULL, path, "out of memory");
	if (slg_pcapng_open(&c.o.w, path) != 0 ||
	    slg_pcapng_add_if(&c.o.w, SLG_DLT_EN10MB, 262144, 6, "eth0") != 0 ||
	    slg_pcapng_add_if(&c.o.w, SLG_DLT_LINUX_SLL2, 262144, 9, "any") != 1 ||
	    slg_pcapng_add_if(&c.o.w, SLG_DLT_NULL, 262144, 6, "lo0") != 2 ||
	    slg_pcapng_add_if(&c.o.w, SLG_DLT_RAW, 262144, 6, "tun0") != 3)
		return slg_scn_fail(&c.o, path, "cannot write");

	slg_rng_seed(&rng, opt->seed ^ 0x71a4);
	slg_host_init(&h1, "10.0.0.1", slg_mac_caller, 64, 0x4410);
	slg_host_init(&h2, "10.0.0.2", slg_mac_callee, 64, 0x7be2);
	slg_call_init(&call, &h1, &h2, "alice", "bob", 30000, 31000, &rng);
	call.uac_fmts = "0 8 101";

	slg_call_rtp(&up, &call, false, (uint32_t)slg_rng_next(&rng), &rng);
	up.t0 = SLG_T(1, 930000) + 123;
	up.nmax = 50;
	up.jitter_ns = 2 * SLG_NS_PER_MS;
	slg_call_rtp(&down, &call, true, (uint32_t)slg_rng_next(&rng), &rng);
	down.t0 = SLG_T(1, 921000) + 457;
	down.nmax = up.nmax;
	down.jitter_ns = up.jitter_ns;

	rc |= noise(&c, &h1, &h2);
	rc |= options_v6(&c, SLG_T(0, 101772), &rng);
	slg_media_init(&med, media_if, &c);
	rc |= slg_media_add(&med, &up);
	rc |= slg_media_add(&med, &down);
	for (size_t i = 0; i < sizeof(plan) / sizeof(plan[0]) && rc == 0; i++) {
		char buf[SLG_SIP_MAX];
		struct slg_host *src, *dst;
		uint64_t when = SLG_T(0, plan[i].us) + 17 * i;
		size_t len;

		rc |= slg_media_until(&med, &c.o, when);
		len = slg_call_text(&call, plan[i].m, buf, sizeof(buf), &src,
		    &dst);
		if (len == 0) {
			rc = -1;
			break;
		}
		use(&c, plan[i].ifid, links[plan[i].lk]);
		rc |= send_udp(&c, when, src, 5060, dst, 5060, buf, len);
	}
	rc |= slg_media_until(&med, &c.o, UINT64_MAX);
	if (rc != 0)
		return slg_scn_fail(&c.o, path, "cannot build or write the capture");
	if (slg_out_finish(&c.o) != 0)
		return slg_scn_fail(NULL, path, "write error");
	return 0;
}
