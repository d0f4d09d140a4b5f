/* registry.c: chooses the application dissector for a UDP payload. SIP
 * is recognised by its start line anywhere; RTP and RTCP have no
 * reliable signature, so they are claimed only on media flows (announced
 * by SDP, named with --rtp-port, or every flow when fuzzing), as tcpdump
 * needs -T rtp. */
#include "dissectors/dissector.h"

/* Tried in this order. SIP first: its probe rejects binary payloads on
 * the first byte, so RTP pays almost nothing for it, and a SIP message on
 * a port also used for media must not be read as RTP. RTCP before RTP:
 * RTCP packet types 192..223 sit where an RTP header has the marker bit
 * and payload types 64..95, so the RTP probe would also accept them
 * (RFC 5761 4 keeps those payload types unused for RTP; core/rtphdr.h). */
static const struct sl_dissector *const app_dissectors[] = {
	&sl_dissector_sip,
	&sl_dissector_rtcp,
	&sl_dissector_rtp,
};

static bool
is_media_flow(const struct sl_dctx *ctx, const struct sl_packet *pkt)
{
	/* cheapest tests first: this runs for every non-SIP datagram */
	if (ctx->all_udp_media)
		return true;
	for (size_t i = 0; i < ctx->n_rtp_ports; i++)
		if (ctx->rtp_ports[i] == pkt->src.port || ctx->rtp_ports[i] == pkt->dst.port)
			return true;
	return ctx->is_media && ctx->is_media(ctx->media_user, pkt);
}

void
sl_dissect_app(const struct sl_dctx *ctx, struct sl_packet *pkt)
{
	int media = -1;		/* not asked yet: the callback may cost a lookup */

	for (size_t i = 0; i < sizeof(app_dissectors) / sizeof(app_dissectors[0]); i++) {
		const struct sl_dissector *d = app_dissectors[i];
		if (d->app != SL_APP_SIP) {
			if (media < 0)
				media = is_media_flow(ctx, pkt);
			if (!media)
				break;
		}
		if (!d->probe(ctx, pkt, pkt->l4))
			continue;
		if (d->dissect(pkt, pkt->l4) == SL_OK) {
			pkt->app = d->app;
			return;
		}
		/* probed as ours but unusable: the anomalies say why */
		pkt->skip = d->app == SL_APP_SIP ? SL_SKIP_UDP_OTHER : SL_SKIP_RTP_BAD;
		return;
	}
	if (media > 0) {
		/* a media flow carrying neither: let the RTP dissector name
		 * what is wrong (version, short header) */
		(void)sl_dissector_rtp.dissect(pkt, pkt->l4);
		pkt->skip = SL_SKIP_RTP_BAD;
		return;
	}
	pkt->skip = SL_SKIP_UDP_OTHER;
}
