/* rtp.c: RTP fixed header (RFC 3550 5.1), CSRC list, header extension
 * (5.3.1) and padding, parsed by the shared core/rtphdr.c (the phone uses
 * the same parser). The payload is measured, never decoded; the
 * extension's contents are skipped. Input: untrusted. This is the hot
 * path of a capture: no allocation, no string work.
 *
 *  |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 *  |                           timestamp                           |
 *  |           synchronization source (SSRC) identifier            |
 *  |            contributing source (CSRC) identifiers             |
 */
#include "dissectors/dissector.h"

#include "core/rtphdr.h"

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
	static const char *const anomaly[] = {
		[SL_RTPHDR_SHORT] = "rtp.short_header",
		[SL_RTPHDR_VERSION] = "rtp.version",
		[SL_RTPHDR_TRUNCATED] = "rtp.truncated",
		[SL_RTPHDR_PADDING] = "rtp.padding",
	};
	struct sl_rtp *r = &pkt->rtp;
	struct sl_rtphdr h;
	enum sl_rtphdr_err e = sl_rtphdr_parse(c, &h);

	/* filled as far as the parse got, as rtphdr.h says */
	r->seq = h.seq;
	r->ts = h.ts;
	r->ssrc = h.ssrc;
	if (e == SL_RTPHDR_SHORT)
		return sl_anomaly(pkt, anomaly[e]);
	r->version = h.version;
	if (e == SL_RTPHDR_VERSION)
		return sl_anomaly(pkt, anomaly[e]);
	r->padding = h.padding;
	r->extension = h.extension;
	r->cc = h.cc;
	r->marker = h.marker;
	r->pt = h.pt;
	if (e != SL_RTPHDR_OK)
		return sl_anomaly(pkt, anomaly[e]);
	r->payload_len = h.payload_len;
	return SL_OK;
}

const struct sl_dissector sl_dissector_rtp = {
	.name = "rtp",
	.probe = rtp_probe,
	.dissect = rtp_dissect,
	.app = SL_APP_RTP,
};
