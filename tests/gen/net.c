/* net.c: see net.h. Header layouts: Ethernet/802.1Q/802.1ad, Linux
 * cooked v1 and v2 (tcpdump.org/linktypes), BSD loopback, RFC 791 IPv4,
 * RFC 8200 IPv6 with extension headers, RFC 768 UDP, RFC 792 ICMP,
 * RFC 4443 ICMPv6, RFC 9293 TCP, RFC 826 ARP. */
#include "tests/gen/net.h"

#include <stdio.h>
#include <string.h>

/* ---- addresses ---- */

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool
parse_v4(uint8_t out[4], const char *s)
{
	for (unsigned i = 0; i < 4; i++) {
		unsigned v = 0, nd = 0;

		while (*s >= '0' && *s <= '9' && nd < 3) {
			v = v * 10 + (unsigned)(*s - '0');
			s++;
			nd++;
		}
		if (nd == 0 || v > 255)
			return false;
		out[i] = (uint8_t)v;
		if (i < 3 && *s++ != '.')
			return false;
	}
	return *s == '\0';
}

static bool
parse_v6(uint8_t out[16], const char *s)
{
	uint16_t w[8];
	int n = 0, gap = -1;

	if (s[0] == ':' && s[1] == ':') {
		gap = 0;
		s += 2;
	}
	while (*s != '\0') {
		unsigned v = 0, nd = 0;

		while (hexval(*s) >= 0 && nd < 4) {
			v = v << 4 | (unsigned)hexval(*s);
			s++;
			nd++;
		}
		if (nd == 0 || n >= 8)
			return false;
		w[n++] = (uint16_t)v;
		if (*s == '\0')
			break;
		if (*s++ != ':')
			return false;
		if (*s == ':') {
			if (gap >= 0)
				return false;
			gap = n;
			s++;
		}
	}
	if (gap < 0 ? n != 8 : n > 7)
		return false;
	memset(out, 0, 16);
	if (gap < 0)
		gap = n;
	for (int i = 0; i < gap; i++)
		sl_pkt_put16(out + 2 * i, w[i]);
	for (int i = gap; i < n; i++)
		sl_pkt_put16(out + 2 * (8 - n + i), w[i]);
	return true;
}

bool
slg_ip_parse(struct slg_ip *ip, const char *text)
{
	memset(ip, 0, sizeof(*ip));
	if (parse_v4(ip->a, text)) {
		ip->v = 4;
		return true;
	}
	if (parse_v6(ip->a, text)) {
		ip->v = 6;
		return true;
	}
	return false;
}

const char *
slg_ip_str(const struct slg_ip *ip, char *out, size_t cap)
{
	size_t len = 0;
	int best = -1, bestlen = 0;

	if (cap == 0)
		return out;
	out[0] = '\0';
	if (ip->v == 4) {
		snprintf(out, cap, "%u.%u.%u.%u", ip->a[0], ip->a[1], ip->a[2],
		    ip->a[3]);
		return out;
	}
	/* RFC 5952: the longest run (>= 2) of zero words becomes "::". */
	for (int i = 0; i < 8;) {
		int j = i;

		while (j < 8 && ip->a[2 * j] == 0 && ip->a[2 * j + 1] == 0)
			j++;
		if (j - i > bestlen && j - i >= 2) {
			best = i;
			bestlen = j - i;
		}
		i = (j == i) ? i + 1 : j;
	}
	for (int i = 0; i < 8 && len < cap; i++) {
		int n;

		if (i == best) {
			n = snprintf(out + len, cap - len, "::");
			i += bestlen - 1;
		} else {
			n = snprintf(out + len, cap - len, "%s%x",
			    (i == 0 || i == best + bestlen) ? "" : ":",
			    (unsigned)ip->a[2 * i] << 8 | ip->a[2 * i + 1]);
		}
		if (n < 0)
			break;
		len += (size_t)n;
	}
	return out;
}

void
slg_host_init(struct slg_host *h, const char *ip, const uint8_t mac[6],
    uint8_t ttl, uint16_t ipid)
{
	memset(h, 0, sizeof(*h));
	if (!slg_ip_parse(&h->ip, ip))
		h->ip.v = 4;	/* caller passes literals; 0.0.0.0 shows the bug */
	memcpy(h->mac, mac, 6);
	h->ttl = ttl;
	h->ipid = ipid;
}

/* ---- frame assembly ---- */

void
slg_frame_reset(struct slg_frame *f)
{
	f->len = 0;
	f->l3 = f->l4 = f->l7 = 0;
	f->overflow = false;
}

void
slg_frame_put(struct slg_frame *f, const void *p, size_t n)
{
	if (n > sizeof(f->b) - f->len) {
		f->overflow = true;
		return;
	}
	if (p != NULL)
		memcpy(f->b + f->len, p, n);
	else
		memset(f->b + f->len, 0, n);
	f->len += n;
}

static void
fput16(struct slg_frame *f, uint16_t v)
{
	uint8_t b[2];

	sl_pkt_put16(b, v);
	slg_frame_put(f, b, 2);
}

static void
fput32(struct slg_frame *f, uint32_t v)
{
	uint8_t b[4];

	sl_pkt_put32(b, v);
	slg_frame_put(f, b, 4);
}

void
slg_frame_link(struct slg_frame *f, const struct slg_link *lk,
    const uint8_t smac[6], const uint8_t dmac[6], uint16_t ethertype)
{
	switch (lk->dlt) {
	case SLG_DLT_EN10MB:
		slg_frame_put(f, dmac, 6);
		slg_frame_put(f, smac, 6);
		if (lk->ntags == 2) {
			/* 802.1ad: service tag outside, customer tag inside. */
			fput16(f, SLG_ETH_QINQ);
			fput16(f, lk->tag[0] & 0x0fff);
			fput16(f, SLG_ETH_VLAN);
			fput16(f, lk->tag[1] & 0x0fff);
		} else if (lk->ntags == 1) {
			fput16(f, SLG_ETH_VLAN);
			fput16(f, lk->tag[0] & 0x0fff);
		}
		fput16(f, ethertype);
		break;
	case SLG_DLT_LINUX_SLL:
		fput16(f, lk->pkttype);
		fput16(f, 1);		/* ARPHRD_ETHER */
		fput16(f, 6);
		slg_frame_put(f, smac, 6);
		slg_frame_put(f, NULL, 2);
		fput16(f, ethertype);
		break;
	case SLG_DLT_LINUX_SLL2:
		fput16(f, ethertype);
		fput16(f, 0);		/* reserved (mbz) */
		fput32(f, lk->ifindex);
		fput16(f, 1);		/* ARPHRD_ETHER */
		slg_frame_put(f, (const uint8_t[]){ (uint8_t)lk->pkttype, 6 },
		    2);
		slg_frame_put(f, smac, 6);
		slg_frame_put(f, NULL, 2);
		break;
	case SLG_DLT_NULL: {
		/* The AF value is in the byte order of the host that wrote
		 * the file; slgen's pcapng sections are little-endian. */
		uint32_t af = ethertype == SLG_ETH_IPV6 ? lk->af6 : 2;
		uint8_t b[4] = { (uint8_t)af, (uint8_t)(af >> 8),
		    (uint8_t)(af >> 16), (uint8_t)(af >> 24) };

		slg_frame_put(f, b, 4);
		break;
	}
	case SLG_DLT_RAW:
	default:
		break;
	}
	f->l3 = f->len;
}

static size_t
alen_of(const struct slg_ip *ip)
{
	return ip->v == 4 ? 4 : 16;
}

void
slg_frame_ip(struct slg_frame *f, struct slg_host *src,
    const struct slg_ip *dst, uint8_t proto, const uint8_t *l4,
    size_t l4len, const struct slg_ipx *x)
{
	static const struct slg_ipx none;
	const uint8_t *pl = l4;
	size_t plen = l4len;

	if (x == NULL)
		x = &none;
	if (x->frag) {
		pl = l4 + x->off;
		plen = x->len;
	}
	f->l3 = f->len;
	if (src->ip.v == 4) {
		uint8_t h[SL_PKT_IP4_LEN];
		uint16_t id = x->frag ? (uint16_t)x->id : src->ipid++;
		uint16_t fw = x->df ? 0x4000 : 0;

		if (x->frag)
			fw = (uint16_t)((x->more ? 0x2000 : 0) | (x->off / 8));
		sl_pkt_ip4(h, src->ip.a, dst->a, proto, src->ttl, id, fw, plen);
		slg_frame_put(f, h, 20);
	} else {
		uint8_t h[SL_PKT_IP6_LEN];
		size_t ext = (x->v6_hbh_dst ? 16u : 0u) + (x->frag ? 8u : 0u);
		uint8_t first = x->v6_hbh_dst ? 0 : x->frag ? 44 : proto;

		sl_pkt_ip6(h, src->ip.a, dst->a, first, src->ttl, ext + plen);
		slg_frame_put(f, h, 40);
		if (x->v6_hbh_dst) {
			/* Hop-by-Hop then Destination Options, each one 8-byte
			 * unit holding a PadN option: harmless, but a parser
			 * must walk the chain to find the transport. */
			uint8_t hbh[8] = { 60, 0, 1, 4, 0, 0, 0, 0 };
			uint8_t dst8[8] = { 0, 0, 1, 4, 0, 0, 0, 0 };

			dst8[0] = x->frag ? 44 : proto;
			slg_frame_put(f, hbh, 8);
			slg_frame_put(f, dst8, 8);
		}
		if (x->frag) {
			uint8_t fh[8];

			fh[0] = proto;
			fh[1] = 0;
			sl_pkt_put16(fh + 2, (uint16_t)((x->off & 0xfff8) |
			    (x->more ? 1 : 0)));
			sl_pkt_put32(fh + 4, x->id);
			slg_frame_put(f, fh, 8);
		}
	}
	f->l4 = f->len;
	f->l7 = f->l4 + ((proto == SLG_IPPROTO_UDP && !(x->frag && x->off)) ?
	    8 : 0);
	slg_frame_put(f, pl, plen);
}

void
slg_frame_arp(struct slg_frame *f, const struct slg_link *lk,
    const struct slg_host *sender, const uint8_t target[4])
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	uint8_t a[28];

	slg_frame_link(f, lk, sender->mac, bcast, SLG_ETH_ARP);
	sl_pkt_put16(a, 1);		/* Ethernet */
	sl_pkt_put16(a + 2, SLG_ETH_IPV4);
	a[4] = 6;
	a[5] = 4;
	sl_pkt_put16(a + 6, 1);		/* request */
	memcpy(a + 8, sender->mac, 6);
	memcpy(a + 14, sender->ip.a, 4);
	memset(a + 18, 0, 6);
	memcpy(a + 24, target, 4);
	slg_frame_put(f, a, 28);
	/* Ethernet pads short frames to 60 bytes; cooked captures do not. */
	if (lk->dlt == SLG_DLT_EN10MB && f->len < 60)
		slg_frame_put(f, NULL, 60 - f->len);
}

/* ---- transports ---- */

size_t
slg_udp_make(uint8_t *out, size_t cap, const struct slg_ip *src,
    const struct slg_ip *dst, uint16_t sport, uint16_t dport,
    const void *pl, size_t plen)
{
	return sl_pkt_udp(out, cap, src->a, dst->a, alen_of(src), sport, dport,
	    pl, plen);
}

size_t
slg_tcp_make(uint8_t *out, size_t cap, const struct slg_ip *src,
    const struct slg_ip *dst, uint16_t sport, uint16_t dport, uint32_t seq,
    uint32_t ack, uint8_t flags, const void *pl, size_t plen)
{
	size_t len = 20 + plen;

	if (len > cap)
		return 0;
	sl_pkt_put16(out, sport);
	sl_pkt_put16(out + 2, dport);
	sl_pkt_put32(out + 4, seq);
	sl_pkt_put32(out + 8, ack);
	out[12] = 5 << 4;
	out[13] = flags;
	sl_pkt_put16(out + 14, 64240);
	sl_pkt_put16(out + 16, 0);
	sl_pkt_put16(out + 18, 0);
	if (plen > 0)
		memcpy(out + 20, pl, plen);
	sl_pkt_put16(out + 16, sl_csum_fold(sl_csum_add(sl_csum_pseudo(src->a,
	    dst->a, alen_of(src), SLG_IPPROTO_TCP, len), out, len)));
	return len;
}

size_t
slg_icmp_unreach_make(uint8_t *out, size_t cap, uint8_t code,
    const uint8_t *quote, size_t qlen)
{
	static const uint8_t any[4];

	return sl_pkt_icmp(out, cap, any, any, 4, 3, code, 0, quote, qlen);
}

size_t
slg_icmp_echo_make(uint8_t *out, size_t cap, const struct slg_ip *src,
    const struct slg_ip *dst, uint16_t id, uint16_t seq, const void *data,
    size_t dlen)
{
	return sl_pkt_icmp(out, cap, src->a, dst->a, alen_of(src),
	    src->v == 6 ? 128 : 8, 0, (uint32_t)id << 16 | seq, data, dlen);
}

size_t
slg_icmp6_make(uint8_t *out, size_t cap, const struct slg_ip *src,
    const struct slg_ip *dst, uint8_t type, uint8_t code, const void *body,
    size_t blen)
{
	const uint8_t *b = body;

	/* every ICMPv6 message starts its body with a 32-bit word */
	if (blen < 4)
		return 0;
	return sl_pkt_icmp(out, cap, src->a, dst->a, 16, type, code,
	    (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 |
	    b[3], b + 4, blen - 4);
}
