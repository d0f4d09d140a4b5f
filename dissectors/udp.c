/* udp.c: UDP header (RFC 768). The checksum is not verified: captures
 * taken on the sending host carry offloaded, unfinished checksums. A
 * Length beyond the captured bytes is recorded and what is there is used;
 * a shorter one trims (link padding). Input: untrusted.
 *
 *  |          Source Port          |       Destination Port        |
 *  |            Length             |           Checksum            |
 */
#include "dissectors/ip.h"

void
sl_udp_dissect(const struct sl_dctx *ctx, struct sl_packet *pkt, struct sl_cur *c)
{
	uint16_t sport = sl_cur_be16(c);
	uint16_t dport = sl_cur_be16(c);
	uint16_t len = sl_cur_be16(c);
	sl_cur_skip(c, 2);			/* checksum */
	if (c->bad) {
		sl_anomaly(pkt, "udp.short");
		pkt->skip = SL_SKIP_UDP_BAD;
		return;
	}
	if (len < 8) {
		sl_anomaly(pkt, "udp.length");
		pkt->skip = SL_SKIP_UDP_BAD;
		return;
	}
	size_t plen = (size_t)len - 8;
	if (plen > sl_cur_left(c))
		sl_anomaly(pkt, "udp.length");
	else
		c->end = c->p + plen;

	pkt->src.port = sport;
	pkt->dst.port = dport;
	pkt->src.transport = SL_TP_UDP;
	pkt->dst.transport = SL_TP_UDP;
	pkt->l4 = *c;
	sl_dissect_app(ctx, pkt);
}

void
sl_dissect_udp(const struct sl_dctx *ctx, struct sl_packet *pkt, struct sl_cur c)
{
	sl_udp_dissect(ctx, pkt, &c);
}
