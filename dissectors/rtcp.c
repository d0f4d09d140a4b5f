/* rtcp.c: RTCP compounds (RFC 3550 6.1, 6.4.1 SR, 6.4.2 RR, 6.6 BYE).
 * Each packet is carved out by its declared length before it is read, so
 * a lying length fails once, here. Kept: the first packet's type and
 * SSRC, the first sender info and report block; SDES items, APP data,
 * XR blocks (RFC 3611), feedback (RFC 4585) and any other type of the
 * RTCP band (core/rtphdr.h) are skipped. Input: untrusted.
 *
 *  |V=2|P|   RC    |      PT       |             length            |
 *  |                     SSRC of sender                            |
 */
#include "dissectors/dissector.h"

#include "core/rtphdr.h"

#define RTCP_MAX_PACKETS 32	/* a compound is a handful in practice */

enum {
	RTCP_SR = 200,
	RTCP_RR = 201,
	RTCP_SDES = 202,
	RTCP_BYE = 203,
	RTCP_APP = 204,
	RTCP_XR = 207,
};

/* Any packet type of the RFC 5761 band 192..223 (core/rtphdr.h says why),
 * so feedback (205, 206) and later types are RTCP, not RTP with a marker;
 * types other than the ones above are counted and skipped. */
static bool
rtcp_probe(const struct sl_dctx *ctx, const struct sl_packet *pkt, struct sl_cur c)
{
	(void)ctx;
	(void)pkt;
	return sl_rtphdr_is_rtcp(c.p, sl_cur_left(&c));
}

/* RFC 3550 6.4.1: the first report block of an SR or RR */
static void
report_block(struct sl_packet *pkt, struct sl_cur *c)
{
	struct sl_rtcp *r = &pkt->rtcp;
	uint32_t ssrc = sl_cur_be32(c);
	uint8_t fraction = sl_cur_u8(c);
	uint32_t cum = sl_cur_be24(c);
	sl_cur_skip(c, 4);			/* extended highest sequence */
	uint32_t jitter = sl_cur_be32(c);
	sl_cur_skip(c, 8);			/* LSR, DLSR */
	if (c->bad) {
		sl_anomaly(pkt, "rtcp.report_block");
		return;
	}
	r->has_rb = true;
	r->rb_ssrc = ssrc;
	r->rb_fraction_lost = fraction;
	/* 24-bit two's complement */
	r->rb_cum_lost = (int32_t)(cum ^ 0x800000u) - 0x800000;
	r->rb_jitter = jitter;
}

/* One packet of the compound; c covers exactly its body after the
 * 4-byte common header. */
static void
packet(struct sl_packet *pkt, struct sl_cur c, uint8_t count, uint8_t pt)
{
	struct sl_rtcp *r = &pkt->rtcp;
	switch (pt) {
	case RTCP_SR: {
		sl_cur_skip(&c, 4);		/* SSRC of sender */
		sl_cur_skip(&c, 12);		/* NTP and RTP timestamps */
		uint32_t packets = sl_cur_be32(&c);
		uint32_t octets = sl_cur_be32(&c);
		if (c.bad) {
			sl_anomaly(pkt, "rtcp.sender_info");
			return;
		}
		if (!r->has_sr) {
			r->has_sr = true;
			r->sr_packets = packets;
			r->sr_octets = octets;
		}
		if (count && !r->has_rb)
			report_block(pkt, &c);
		return;
	}
	case RTCP_RR:
		sl_cur_skip(&c, 4);
		if (count && !r->has_rb)
			report_block(pkt, &c);
		return;
	case RTCP_BYE:
		r->has_bye = true;
		return;
	default:
		return;
	}
}

static enum sl_err
rtcp_dissect(struct sl_packet *pkt, struct sl_cur c)
{
	struct sl_rtcp *r = &pkt->rtcp;
	*r = (struct sl_rtcp){ 0 };
	while (sl_cur_left(&c)) {
		if (r->n_packets == RTCP_MAX_PACKETS) {
			sl_anomaly(pkt, "rtcp.too_many");
			break;
		}
		uint8_t b0 = sl_cur_u8(&c);
		uint8_t pt = sl_cur_u8(&c);
		size_t words = sl_cur_be16(&c);
		if (c.bad) {
			sl_anomaly(pkt, "rtcp.short_header");
			break;
		}
		if (b0 >> 6 != 2) {
			sl_anomaly(pkt, "rtcp.version");
			break;
		}
		/* length: 32-bit words minus one, header included */
		struct sl_cur body = sl_cur_take(&c, 4 * words);
		if (body.bad) {
			sl_anomaly(pkt, "rtcp.length_exceeds_packet");
			break;
		}
		if (b0 & 0x20) {
			/* RFC 3550 6.4.1: padding count in the last octet */
			uint8_t pad = sl_cur_left(&body) ? body.end[-1] : 0;
			if (pad == 0 || pad > sl_cur_left(&body)) {
				sl_anomaly(pkt, "rtcp.padding");
				break;
			}
			body.end -= pad;
		}
		if (r->n_packets == 0) {
			r->pt = pt;
			/* every type starts with an SSRC, but a BYE may have
			 * none (SC = 0); peek so an empty body reads 0 */
			struct sl_cur s = body;
			r->ssrc = sl_cur_be32(&s);
		}
		r->n_packets++;
		packet(pkt, body, b0 & 0x1f, pt);
	}
	/* A first packet that parsed makes this RTCP even if later ones of
	 * the compound are broken; those are in the anomalies. */
	return r->n_packets ? SL_OK : SL_EMALFORMED;
}

const struct sl_dissector sl_dissector_rtcp = {
	.name = "rtcp",
	.probe = rtcp_probe,
	.dissect = rtcp_dissect,
	.app = SL_APP_RTCP,
};
