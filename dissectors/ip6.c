/* ip6.c: IPv6 (RFC 8200 3) header, extension header chain (RFC 8200 4:
 * Hop-by-Hop, Routing, Fragment, Destination Options; AH, RFC 4302 2),
 * fragments via reasm.c, protocol dispatch. Options are skipped, not
 * decoded; ESP and No Next Header end the walk. Jumbograms (RFC 2675)
 * are not supported. Input: untrusted.
 *
 *  |Version| Traffic Class |           Flow Label                  |
 *  |         Payload Length        |  Next Header  |   Hop Limit   |
 *  |                 Source Address (128 bits)                     |
 *  |              Destination Address (128 bits)                   |
 */
#include "dissectors/ip.h"
#include "dissectors/reasm.h"

bool
sl_ip6_ext_walk(struct sl_cur *c, uint8_t *nh, unsigned *budget, bool *frag,
    const char **why)
{
	*frag = false;
	for (;;) {
		size_t len;
		switch (*nh) {
		case SL_IPPROTO_HOPOPTS:
		case SL_IPPROTO_ROUTING:
		case SL_IPPROTO_DSTOPTS:
			/* RFC 8200 4.3: Hdr Ext Len in 8-octet units, not
			 * counting the first 8 octets */
			len = 8u * ((size_t)sl_cur_peek_u8(c, 1) + 1);
			break;
		case SL_IPPROTO_AH:
			/* RFC 4302 2.2: Payload Len in 4-octet units, minus 2 */
			len = 4u * ((size_t)sl_cur_peek_u8(c, 1) + 2);
			break;
		case SL_IPPROTO_FRAGMENT:
			len = 8;
			break;
		default:
			return true;
		}
		if (*budget == 0) {
			*why = "ip6.ext_chain";
			return false;
		}
		(*budget)--;
		if (*nh == SL_IPPROTO_FRAGMENT) {
			if (!sl_cur_need(c, len)) {
				*why = "ip6.truncated";
				return false;
			}
			*frag = true;
			return true;
		}
		uint8_t next = sl_cur_peek_u8(c, 0);
		sl_cur_skip(c, len);
		if (c->bad) {
			*why = "ip6.truncated";
			return false;
		}
		*nh = next;
	}
}

/* The Fragment header (RFC 8200 4.5) at c; true with *c and *nh set to
 * the payload to go on with, false when pkt->skip says why not. */
static bool
fragment(const struct sl_dctx *ctx, struct sl_packet *pkt, struct sl_cur *c,
    uint8_t *nh, bool truncated)
{
	uint8_t next = sl_cur_u8(c);
	sl_cur_skip(c, 1);
	uint16_t offm = sl_cur_be16(c);
	uint32_t id = sl_cur_be32(c);
	if (c->bad) {
		sl_anomaly(pkt, "ip6.truncated");
		pkt->skip = SL_SKIP_TRUNCATED;
		return false;
	}
	uint32_t offset = offm & 0xfff8u;
	bool more = (offm & 1u) != 0;
	/* RFC 6946: an atomic fragment is a whole datagram; no reassembly */
	if (offset == 0 && !more) {
		*nh = next;
		return true;
	}
	if (pkt->reassembled) {
		/* RFC 8200 4.5: fragments are not fragmented again */
		sl_anomaly(pkt, "ip6.frag_nested");
		pkt->skip = SL_SKIP_IP_BAD;
		return false;
	}
	if (truncated) {
		pkt->skip = SL_SKIP_TRUNCATED;
		return false;
	}
	if (ctx->reasm == NULL) {
		pkt->skip = SL_SKIP_FRAG_DROPPED;
		return false;
	}
	pkt->frag_id = id;
	struct sl_reasm_frag f = {
		.src = pkt->src.ip, .dst = pkt->dst.ip, .id = id, .proto = next,
		.offset = offset, .more = more, .data = *c,
	};
	switch (sl_reasm_add(ctx->reasm, pkt, &f, c, nh)) {
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

void
sl_ip6_dissect(const struct sl_dctx *ctx, struct sl_packet *pkt, struct sl_cur *c)
{
	uint32_t vtf = sl_cur_be32(c);
	uint16_t plen = sl_cur_be16(c);
	uint8_t nh = sl_cur_u8(c);
	uint8_t hlim = sl_cur_u8(c);
	struct sl_ip src = { .family = SL_AF_INET6 }, dst = { .family = SL_AF_INET6 };
	sl_cur_copy(c, src.a, 16);
	sl_cur_copy(c, dst.a, 16);
	if (c->bad) {
		sl_anomaly(pkt, "ip6.truncated");
		pkt->skip = SL_SKIP_TRUNCATED;
		return;
	}
	if (vtf >> 28 != 6) {
		sl_anomaly(pkt, "ip6.version");
		pkt->skip = SL_SKIP_IP_BAD;
		return;
	}
	pkt->src.ip = src;
	pkt->dst.ip = dst;
	pkt->ttl = hlim;
	pkt->ip_proto = nh;

	/* Payload Length ends the packet; anything after it is link padding */
	bool truncated = sl_cur_left(c) < plen;
	if (truncated)
		sl_anomaly(pkt, "ip6.truncated");
	else
		c->end = c->p + plen;

	/* One budget for the whole chain, across reassembly too, so a
	 * payload of nothing but headers cannot keep us walking. */
	unsigned budget = SL_IP6_MAX_EXT;
	for (;;) {
		bool frag;
		const char *why = NULL;
		if (!sl_ip6_ext_walk(c, &nh, &budget, &frag, &why)) {
			sl_anomaly(pkt, why);
			pkt->skip = c->bad ? SL_SKIP_TRUNCATED : SL_SKIP_IP_BAD;
			return;
		}
		pkt->ip_proto = frag ? SL_IPPROTO_FRAGMENT : nh;
		if (!frag)
			break;
		if (!fragment(ctx, pkt, c, &nh, truncated))
			return;
	}
	if (nh == SL_IPPROTO_NONE || nh == SL_IPPROTO_ESP) {
		pkt->ip_proto = nh;
		pkt->skip = SL_SKIP_IP_OTHER;
		return;
	}
	if (truncated && sl_cur_left(c) < SL_L4_MIN) {
		pkt->skip = SL_SKIP_TRUNCATED;
		return;
	}
	sl_ip_payload(ctx, pkt, nh, c, true);
}

void
sl_dissect_ip6(const struct sl_dctx *ctx, struct sl_packet *pkt, struct sl_cur c)
{
	sl_ip6_dissect(ctx, pkt, &c);
}
