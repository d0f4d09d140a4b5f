/* rtp.c: RTP fixed header (RFC 3550 5.1), CSRC list, header extension
 * (5.3.1) and padding. The payload is measured, never decoded; the
 * extension's contents are skipped. Input: untrusted. This is the hot
 * path of a capture: no allocation, no string work.
 *
 *  |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 *  |                           timestamp                           |
 *  |           synchronization source (SSRC) identifier            |
 *  |            contributing source (CSRC) identifiers             |
 */
#include "dissector.h"

static bool
rtp_probe(const struct sl_dctx *ctx, const struct sl_packet *pkt, struct sl_cur c)
{
	(void)ctx;
	(void)pkt;
	return sl_cur_left(&c) > 0 && c.p[0] >> 6 == 2;
}

static enum sl_err
rtp_dissect(struct sl_packet *pkt, struct sl_cur c)
{
	struct sl_rtp *r = &pkt->rtp;
	uint8_t b0 = sl_cur_u8(&c);
	uint8_t b1 = sl_cur_u8(&c);

	r->seq = sl_cur_be16(&c);
	r->ts = sl_cur_be32(&c);
	r->ssrc = sl_cur_be32(&c);
	if (c.bad)
		return sl_anomaly(pkt, "rtp.short_header");
	r->version = b0 >> 6;
	if (r->version != 2)
		return sl_anomaly(pkt, "rtp.version");
	r->padding = (b0 & 0x20) != 0;
	r->extension = (b0 & 0x10) != 0;
	r->cc = b0 & 0x0f;
	r->marker = (b1 & 0x80) != 0;
	r->pt = b1 & 0x7f;
	sl_cur_skip(&c, 4u * r->cc);			/* CSRC list */
	if (r->extension) {
		sl_cur_skip(&c, 2);			/* profile-defined */
		sl_cur_skip(&c, 4u * sl_cur_be16(&c));	/* length in words */
	}
	if (c.bad)
		return sl_anomaly(pkt, "rtp.truncated");
	if (r->padding) {
		/* RFC 3550 5.1: the last octet counts the padding, itself
		 * included; a declared length, so checked before use */
		uint8_t pad = sl_cur_left(&c) ? c.end[-1] : 0;
		if (pad == 0 || pad > sl_cur_left(&c))
			return sl_anomaly(pkt, "rtp.padding");
		c.end -= pad;
	}
	r->payload_len = sl_cur_left(&c);
	return SL_OK;
}

const struct sl_dissector sl_dissector_rtp = {
	.name = "rtp",
	.probe = rtp_probe,
	.dissect = rtp_dissect,
	.app = SL_APP_RTP,
};
