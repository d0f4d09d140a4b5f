/* icmp.c: ICMP (RFC 792) and ICMPv6 (RFC 4443 3) error messages that
 * quote a UDP datagram, so a "port unreachable" can be tied to the RTP or
 * SIP flow that provoked it. Only the quoted IP header and the first 8
 * bytes after it (RFC 792: "64 bits of data") are used; informational
 * messages (echo, ND, MLD, ...) are counted, not decoded. Input: untrusted.
 *
 *  |     Type      |     Code      |          Checksum             |
 *  |             unused / pointer / MTU / gateway                  |
 *  |      Internet Header + 64 bits of Original Data Datagram      |
 */
#include "dissectors/ip.h"

static bool
icmp4_is_error(uint8_t type)
{
	/* dest unreachable, source quench, redirect, time exceeded,
	 * parameter problem */
	return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

static bool
icmp6_is_error(uint8_t type)
{
	/* RFC 4443 2.1: error messages have types 0..127; 1..4 are defined */
	return type >= 1 && type <= 4;
}

static void
other(struct sl_packet *pkt, const char *anomaly)
{
	if (anomaly)
		sl_anomaly(pkt, anomaly);
	pkt->skip = SL_SKIP_ICMP_OTHER;
}

/* Quoted IPv4 header; on success c is at the quoted transport header. */
static bool
quoted_ip4(struct sl_packet *pkt, struct sl_cur *c, uint8_t *proto,
    struct sl_ip *src, struct sl_ip *dst)
{
	uint8_t vihl = sl_cur_u8(c);
	sl_cur_skip(c, 5);
	uint16_t frag = sl_cur_be16(c);
	sl_cur_skip(c, 1);
	*proto = sl_cur_u8(c);
	sl_cur_skip(c, 2);
	*src = (struct sl_ip){ .family = SL_AF_INET4 };
	*dst = (struct sl_ip){ .family = SL_AF_INET4 };
	sl_cur_copy(c, src->a, 4);
	sl_cur_copy(c, dst->a, 4);
	if (c->bad) {
		other(pkt, "icmp.truncated");
		return false;
	}
	if (vihl >> 4 != 4 || (vihl & 0x0f) < 5) {
		other(pkt, "icmp.quote");
		return false;
	}
	sl_cur_skip(c, 4u * (vihl & 0x0fu) - 20);
	if (c->bad) {
		other(pkt, "icmp.truncated");
		return false;
	}
	/* only the first fragment carries the UDP header */
	if (frag & 0x1fffu) {
		other(pkt, NULL);
		return false;
	}
	return true;
}

static bool
quoted_ip6(struct sl_packet *pkt, struct sl_cur *c, uint8_t *proto,
    struct sl_ip *src, struct sl_ip *dst)
{
	uint32_t vtf = sl_cur_be32(c);
	sl_cur_skip(c, 2);
	*proto = sl_cur_u8(c);
	sl_cur_skip(c, 1);
	*src = (struct sl_ip){ .family = SL_AF_INET6 };
	*dst = (struct sl_ip){ .family = SL_AF_INET6 };
	sl_cur_copy(c, src->a, 16);
	sl_cur_copy(c, dst->a, 16);
	if (c->bad) {
		other(pkt, "icmp.truncated");
		return false;
	}
	if (vtf >> 28 != 6) {
		other(pkt, "icmp.quote");
		return false;
	}
	unsigned budget = SL_IP6_MAX_EXT;
	bool frag;
	const char *why = NULL;
	if (!sl_ip6_ext_walk(c, proto, &budget, &frag, &why)) {
		other(pkt, c->bad ? "icmp.truncated" : "icmp.quote");
		return false;
	}
	if (frag) {
		uint8_t next = sl_cur_u8(c);
		sl_cur_skip(c, 1);
		uint16_t offm = sl_cur_be16(c);
		sl_cur_skip(c, 4);
		if (offm & 0xfff8u) {
			other(pkt, NULL);
			return false;
		}
		*proto = next;
	}
	return true;
}

void
sl_dissect_icmp(const struct sl_dctx *ctx, struct sl_packet *pkt,
    struct sl_cur c, bool v6)
{
	(void)ctx;
	uint8_t type = sl_cur_u8(&c);
	uint8_t code = sl_cur_u8(&c);
	sl_cur_skip(&c, 6);			/* checksum, rest of header */
	if (c.bad) {
		other(pkt, "icmp.short");
		return;
	}
	pkt->l4 = c;
	if (!(v6 ? icmp6_is_error(type) : icmp4_is_error(type))) {
		other(pkt, NULL);
		return;
	}

	uint8_t proto;
	struct sl_ip src, dst;
	if (!(v6 ? quoted_ip6(pkt, &c, &proto, &src, &dst) :
	    quoted_ip4(pkt, &c, &proto, &src, &dst)))
		return;
	if (proto != SL_IPPROTO_UDP) {
		other(pkt, NULL);
		return;
	}
	uint16_t sport = sl_cur_be16(&c);
	uint16_t dport = sl_cur_be16(&c);
	sl_cur_skip(&c, 4);			/* length, checksum */
	if (c.bad) {
		other(pkt, "icmp.truncated");
		return;
	}

	struct sl_icmp *ic = &pkt->icmp;
	ic->type = type;
	ic->code = code;
	ic->v6 = v6;
	ic->port_unreachable = v6 ? (type == 1 && code == 4) : (type == 3 && code == 3);
	ic->inner_src = (struct sl_endpoint){ .ip = src, .port = sport, .transport = SL_TP_UDP };
	ic->inner_dst = (struct sl_endpoint){ .ip = dst, .port = dport, .transport = SL_TP_UDP };
	pkt->app = SL_APP_ICMP;
}
