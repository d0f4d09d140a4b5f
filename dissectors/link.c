/* link.c: link layers, one switch on the DLT (tcpdump print.c printers[]).
 * Ethernet II with IEEE 802.1Q / 802.1ad / pre-standard 0x9100 tags,
 * Linux cooked capture v1 and v2, BSD loopback (DLT_NULL, DLT_LOOP) and
 * raw IP. ARP, 802.3/LLC and other ethertypes are counted, not decoded;
 * FCS trailers are left to the IP length trim. Input: untrusted.
 *
 * The link layer only finds the network header and says which it is; the
 * IP layer is called by the frame's entry points (frame.c), so that a
 * caller can look at the IP packet in between (the engine's duplicate
 * check compares packets from different link types). */
#include "dissectors/ip.h"

/* Numeric DLT_/LINKTYPE_ values (tcpdump.org linktypes), spelt out here
 * because only src/capture may include <pcap.h>. */
enum {
	LT_NULL = 0,		/* BSD loopback; AF in the writer's byte order */
	LT_EN10MB = 1,		/* Ethernet */
	LT_RAW = 12,		/* DLT_RAW on Linux and most BSDs */
	LT_RAW_LINKTYPE = 101,	/* LINKTYPE_RAW as stored in pcap files */
	LT_LOOP = 108,		/* OpenBSD loopback; AF in network order */
	LT_LINUX_SLL = 113,	/* Linux cooked capture v1 */
	LT_IPV4 = 228,
	LT_IPV6 = 229,
	LT_LINUX_SLL2 = 276,	/* Linux cooked capture v2 */
};

enum {
	ET_IPV4 = 0x0800,
	ET_ARP = 0x0806,
	ET_8021Q = 0x8100,
	ET_IPV6 = 0x86dd,
	ET_8021AD = 0x88a8,
	ET_QINQ_OLD = 0x9100,	/* pre-802.1ad QinQ outer tag */
};

/* BSD AF_ values as they appear in DLT_NULL / DLT_LOOP headers */
enum {
	BSD_AF_INET = 2,
	BSD_AF_INET6_BSD = 24,		/* NetBSD, OpenBSD */
	BSD_AF_INET6_FREEBSD = 28,
	BSD_AF_INET6_DARWIN = 30,
};

/* Deeper stacks are not seen in practice; a bound keeps a frame made of
 * nothing but tags from looping the whole frame. */
#define MAX_VLAN_TAGS 4

static void
truncated(struct sl_packet *pkt, const char *anomaly)
{
	sl_anomaly(pkt, anomaly);
	pkt->skip = SL_SKIP_TRUNCATED;
}

static bool
is_vlan_tpid(uint16_t type)
{
	return type == ET_8021Q || type == ET_8021AD || type == ET_QINQ_OLD;
}

/* Ethertype dispatch shared by Ethernet and the Linux cooked headers;
 * c starts right after the ethertype field. */
static enum sl_net
ethertype(struct sl_packet *pkt, struct sl_cur *c, uint16_t type)
{
	for (unsigned depth = 0; is_vlan_tpid(type); depth++) {
		if (depth == MAX_VLAN_TAGS) {
			sl_anomaly(pkt, "eth.vlan_depth");
			pkt->skip = SL_SKIP_NON_IP;
			return SL_NET_NONE;
		}
		/* IEEE 802.1Q 9.6: TCI (PCP 3, DEI 1, VID 12), then the next type */
		uint16_t tci = sl_cur_be16(c);
		type = sl_cur_be16(c);
		if (c->bad) {
			truncated(pkt, "eth.truncated");
			return SL_NET_NONE;
		}
		if (pkt->n_vlan < 2)
			pkt->vlan[pkt->n_vlan++] = tci & 0x0fff;
	}
	switch (type) {
	case ET_IPV4:
		return SL_NET_IP4;
	case ET_IPV6:
		return SL_NET_IP6;
	case ET_ARP:
		pkt->skip = SL_SKIP_ARP;
		return SL_NET_NONE;
	default:
		/* includes 802.3 length fields (<= 1500) with LLC after them */
		pkt->skip = SL_SKIP_NON_IP;
		return SL_NET_NONE;
	}
}

static enum sl_net
ether(struct sl_packet *pkt, struct sl_cur *c)
{
	sl_cur_skip(c, 12);			/* destination, source MAC */
	uint16_t type = sl_cur_be16(c);
	if (c->bad) {
		truncated(pkt, "eth.truncated");
		return SL_NET_NONE;
	}
	return ethertype(pkt, c, type);
}

/* Linux cooked v1: packet type 2, ARPHRD type 2, address length 2,
 * address 8, protocol 2. The protocol is an ethertype for the link types
 * that carry IP. */
static enum sl_net
linux_sll(struct sl_packet *pkt, struct sl_cur *c)
{
	sl_cur_skip(c, 14);
	uint16_t proto = sl_cur_be16(c);
	if (c->bad) {
		truncated(pkt, "sll.truncated");
		return SL_NET_NONE;
	}
	return ethertype(pkt, c, proto);
}

/* Linux cooked v2: protocol 2, reserved 2, interface index 4, ARPHRD
 * type 2, packet type 1, address length 1, address 8. */
static enum sl_net
linux_sll2(struct sl_packet *pkt, struct sl_cur *c)
{
	uint16_t proto = sl_cur_be16(c);
	sl_cur_skip(c, 18);
	if (c->bad) {
		truncated(pkt, "sll.truncated");
		return SL_NET_NONE;
	}
	return ethertype(pkt, c, proto);
}

static enum sl_net
bsd_af(struct sl_packet *pkt, uint32_t af)
{
	switch (af) {
	case BSD_AF_INET:
		return SL_NET_IP4;
	case BSD_AF_INET6_BSD:
	case BSD_AF_INET6_FREEBSD:
	case BSD_AF_INET6_DARWIN:
		return SL_NET_IP6;
	default:
		pkt->skip = SL_SKIP_NON_IP;
		return SL_NET_NONE;
	}
}

/* DLT_NULL stores the AF in the byte order of the host that wrote the
 * file, which we do not know: AF values are small, so a value with high
 * bits set was written by the other byte order (tcpdump print-null.c). */
static enum sl_net
bsd_null(struct sl_packet *pkt, struct sl_cur *c)
{
	uint32_t af = sl_cur_le32(c);
	if (c->bad) {
		truncated(pkt, "null.truncated");
		return SL_NET_NONE;
	}
	if (af & 0xffff0000u)
		af = (af >> 24) | (af >> 8 & 0xff00u) | (af << 8 & 0xff0000u) | (af << 24);
	return bsd_af(pkt, af);
}

static enum sl_net
bsd_loop(struct sl_packet *pkt, struct sl_cur *c)
{
	uint32_t af = sl_cur_be32(c);
	if (c->bad) {
		truncated(pkt, "null.truncated");
		return SL_NET_NONE;
	}
	return bsd_af(pkt, af);
}

/* Raw IP: the version nibble is the only type information there is. */
static enum sl_net
raw_ip(struct sl_packet *pkt, const struct sl_cur *c)
{
	if (sl_cur_left(c) == 0) {
		truncated(pkt, "ip.truncated");
		return SL_NET_NONE;
	}
	switch (c->p[0] >> 4) {
	case 4:
		return SL_NET_IP4;
	case 6:
		return SL_NET_IP6;
	default:
		sl_anomaly(pkt, "ip.version");
		pkt->skip = SL_SKIP_IP_BAD;
		return SL_NET_NONE;
	}
}

enum sl_net
sl_link_dissect(struct sl_packet *pkt, struct sl_cur *c)
{
	switch (pkt->linktype) {
	case LT_EN10MB:
		return ether(pkt, c);
	case LT_LINUX_SLL:
		return linux_sll(pkt, c);
	case LT_LINUX_SLL2:
		return linux_sll2(pkt, c);
	case LT_NULL:
		return bsd_null(pkt, c);
	case LT_LOOP:
		return bsd_loop(pkt, c);
	case LT_RAW:
	case LT_RAW_LINKTYPE:
		return raw_ip(pkt, c);
	case LT_IPV4:
		return SL_NET_IP4;
	case LT_IPV6:
		return SL_NET_IP6;
	default:
		pkt->skip = SL_SKIP_LINKTYPE;
		return SL_NET_NONE;
	}
}

void
sl_dissect_link(const struct sl_dctx *ctx, struct sl_packet *pkt, struct sl_cur c)
{
	sl_net_dissect(ctx, pkt, sl_link_dissect(pkt, &c), &c);
}
