/* pktbuild.c: see pktbuild.h. */
#include "core/pktbuild.h"

#include <string.h>

void
sl_pkt_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

void
sl_pkt_put32(uint8_t *p, uint32_t v)
{
	sl_pkt_put16(p, (uint16_t)(v >> 16));
	sl_pkt_put16(p + 2, (uint16_t)v);
}

uint32_t
sl_csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (i < n)
		sum += (uint32_t)p[i] << 8;
	/* Fold early so long payloads cannot overflow 32 bits. */
	while (sum >> 24)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

uint16_t
sl_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint32_t
sl_csum_pseudo(const uint8_t *src, const uint8_t *dst, size_t alen,
    uint8_t proto, size_t len)
{
	uint32_t sum = 0;

	sum = sl_csum_add(sum, src, alen);
	sum = sl_csum_add(sum, dst, alen);
	sum += proto;
	sum += (uint32_t)(len >> 16);
	sum += (uint32_t)(len & 0xffff);
	return sum;
}

size_t
sl_pkt_ip4(uint8_t out[SL_PKT_IP4_LEN], const uint8_t src[4],
    const uint8_t dst[4], uint8_t proto, uint8_t ttl, uint16_t id,
    uint16_t fragw, size_t plen)
{
	out[0] = 0x45;
	out[1] = 0;
	sl_pkt_put16(out + 2, (uint16_t)(SL_PKT_IP4_LEN + plen));
	sl_pkt_put16(out + 4, id);
	sl_pkt_put16(out + 6, fragw);
	out[8] = ttl;
	out[9] = proto;
	sl_pkt_put16(out + 10, 0);
	memcpy(out + 12, src, 4);
	memcpy(out + 16, dst, 4);
	sl_pkt_put16(out + 10, sl_csum_fold(sl_csum_add(0, out, SL_PKT_IP4_LEN)));
	return SL_PKT_IP4_LEN;
}

size_t
sl_pkt_ip6(uint8_t out[SL_PKT_IP6_LEN], const uint8_t src[16],
    const uint8_t dst[16], uint8_t next, uint8_t hlim, size_t plen)
{
	out[0] = 0x60;
	out[1] = 0;
	out[2] = 0;
	out[3] = 0;
	sl_pkt_put16(out + 4, (uint16_t)plen);
	out[6] = next;
	out[7] = hlim;
	memcpy(out + 8, src, 16);
	memcpy(out + 24, dst, 16);
	return SL_PKT_IP6_LEN;
}

size_t
sl_pkt_udp(uint8_t *out, size_t cap, const uint8_t *src, const uint8_t *dst,
    size_t alen, uint16_t sport, uint16_t dport, const void *pl, size_t plen)
{
	size_t len = SL_PKT_UDP_LEN + plen;
	uint16_t ck;

	if (len > cap || len > 65535)
		return 0;
	sl_pkt_put16(out, sport);
	sl_pkt_put16(out + 2, dport);
	sl_pkt_put16(out + 4, (uint16_t)len);
	sl_pkt_put16(out + 6, 0);
	if (plen > 0)
		memmove(out + SL_PKT_UDP_LEN, pl, plen);
	ck = sl_csum_fold(sl_csum_add(sl_csum_pseudo(src, dst, alen,
	    SL_PKT_PROTO_UDP, len), out, len));
	sl_pkt_put16(out + 6, ck == 0 ? 0xffff : ck);	/* 0: "no checksum" */
	return len;
}

size_t
sl_pkt_icmp(uint8_t *out, size_t cap, const uint8_t *src, const uint8_t *dst,
    size_t alen, uint8_t type, uint8_t code, uint32_t rest, const void *data,
    size_t dlen)
{
	size_t len = SL_PKT_ICMP_LEN + dlen;
	uint32_t sum = 0;

	if (len > cap)
		return 0;
	out[0] = type;
	out[1] = code;
	sl_pkt_put16(out + 2, 0);
	sl_pkt_put32(out + 4, rest);
	if (dlen > 0)
		memmove(out + SL_PKT_ICMP_LEN, data, dlen);
	/* ICMPv6 covers a pseudo header, ICMPv4 does not. */
	if (alen == 16)
		sum = sl_csum_pseudo(src, dst, alen, SL_PKT_PROTO_ICMPV6, len);
	sl_pkt_put16(out + 2, sl_csum_fold(sl_csum_add(sum, out, len)));
	return len;
}
