/* ip4.c: IPv4 (RFC 791 3.1) header checks, fragments (RFC 791 3.2, via
 * reasm.c) and protocol dispatch. The header checksum is not verified
 * (offload makes captured checksums unreliable) and options are skipped,
 * not decoded. Input: untrusted.
 *
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  |Version|  IHL  |Type of Service|          Total Length         |
 *  |         Identification        |Flags|      Fragment Offset    |
 *  |  Time to Live |    Protocol   |         Header Checksum       |
 *  |                       Source Address                          |
 *  |                    Destination Address                        |
 */
#include "dissectors/ip.h"

#include <string.h>

#include "dissectors/reasm.h"

/* Fragment: hand it to reassembly; true with *c / *proto replaced when it
 * completed a datagram, false when pkt->skip now says why not. */
static bool
fragment(const struct sl_dctx *ctx, struct sl_packet *pkt, struct sl_cur *c,
    uint8_t *proto, uint16_t id, uint32_t offset, bool more)
{
	if (ctx->reasm == NULL) {
		pkt->skip = SL_SKIP_FRAG_DROPPED;
		return false;
	}
	pkt->frag_id = id;
	struct sl_reasm_frag f = {
		.src = pkt->src.ip, .dst = pkt->dst.ip, .id = id, .proto = *proto,
		.offset = offset, .more = more, .data = *c,
	};
	switch (sl_reasm_add(ctx->reasm, pkt, &f, c, proto)) {
	case SL_REASM_DONE:
		pkt->reassembled = true;
		return true;
	case SL_REASM_HELD:
		pkt->skip = SL_SKIP_FRAGMENT;
		return false;
	case SL_REASM_DROPPED:
		break;
	}
	pkt->skip = SL_SKIP_FRAG_DROPPED;
	return false;
}

/* The four address bytes, zero-padded, go in as two word stores: the
 * correlator hashes and compares the endpoint right away with word loads,
 * and a load over bytes stored one by one cannot be forwarded from the
 * store buffer (it waited for them to reach the cache on every packet). */
static void
put_ip4(struct sl_ip *ip, const uint8_t *raw)
{
	uint8_t w[16] = { raw[0], raw[1], raw[2], raw[3] };
	ip->family = SL_AF_INET4;
	memcpy(ip->a, w, sizeof w);
}

void
sl_ip4_dissect(const struct sl_dctx *ctx, struct sl_packet *pkt, struct sl_cur *c)
{
	const uint8_t *hdr = c->p;
	uint8_t vihl = sl_cur_u8(c);
	sl_cur_skip(c, 1);			/* TOS / DSCP+ECN */
	uint16_t total = sl_cur_be16(c);
	uint16_t id = sl_cur_be16(c);
	uint16_t frag = sl_cur_be16(c);
	uint8_t ttl = sl_cur_u8(c);
	uint8_t proto = sl_cur_u8(c);
	sl_cur_skip(c, 2 + 2 * 4);		/* checksum, addresses */
	if (c->bad) {
		sl_anomaly(pkt, "ip4.truncated");
		pkt->skip = SL_SKIP_TRUNCATED;
		return;
	}
	if (vihl >> 4 != 4) {
		sl_anomaly(pkt, "ip4.version");
		pkt->skip = SL_SKIP_IP_BAD;
		return;
	}
	size_t hlen = 4u * (vihl & 0x0fu);
	if (hlen < 20) {
		sl_anomaly(pkt, "ip4.ihl");
		pkt->skip = SL_SKIP_IP_BAD;
		return;
	}
	if (total < hlen) {
		sl_anomaly(pkt, "ip4.length");
		pkt->skip = SL_SKIP_IP_BAD;
		return;
	}
	sl_cur_skip(c, hlen - 20);		/* options */
	if (c->bad) {
		sl_anomaly(pkt, "ip4.truncated");
		pkt->skip = SL_SKIP_TRUNCATED;
		return;
	}

	/* the 20-byte header was read above: hdr + 12 and + 16 are in it */
	put_ip4(&pkt->src.ip, hdr + 12);
	put_ip4(&pkt->dst.ip, hdr + 16);
	pkt->ttl = ttl;
	pkt->ip_proto = proto;

	/* Total Length, not the frame, ends the datagram: Ethernet pads
	 * short frames and some NICs append trailers. */
	size_t plen = (size_t)total - hlen;
	bool truncated = sl_cur_left(c) < plen;
	if (truncated)
		sl_anomaly(pkt, "ip4.truncated");
	else
		c->end = c->p + plen;

	uint32_t offset = 8u * (frag & 0x1fffu);
	bool more = (frag & 0x2000u) != 0;
	if (more || offset) {
		/* a fragment with bytes missing cannot be reassembled right */
		if (truncated) {
			pkt->skip = SL_SKIP_TRUNCATED;
			return;
		}
		if (!fragment(ctx, pkt, c, &proto, id, offset, more))
			return;
	}
	if (truncated && sl_cur_left(c) < SL_L4_MIN) {
		pkt->skip = SL_SKIP_TRUNCATED;
		return;
	}
	sl_ip_payload(ctx, pkt, proto, c, false);
}

void
sl_ip_payload(const struct sl_dctx *ctx, struct sl_packet *pkt, uint8_t proto,
    struct sl_cur *c, bool v6)
{
	pkt->ip_proto = proto;
	switch (proto) {
	case SL_IPPROTO_UDP:
		sl_udp_dissect(ctx, pkt, c);
		return;
	case SL_IPPROTO_ICMP:
		if (v6)
			break;
		sl_dissect_icmp(ctx, pkt, *c, false);
		return;
	case SL_IPPROTO_ICMPV6:
		if (!v6)
			break;
		sl_dissect_icmp(ctx, pkt, *c, true);
		return;
	case SL_IPPROTO_TCP:
		pkt->skip = SL_SKIP_TCP;
		return;
	default:
		break;
	}
	pkt->skip = SL_SKIP_IP_OTHER;
}

void
sl_dissect_ip4(const struct sl_dctx *ctx, struct sl_packet *pkt, struct sl_cur c)
{
	sl_ip4_dissect(ctx, pkt, &c);
}
