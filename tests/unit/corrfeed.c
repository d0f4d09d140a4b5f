/* corrfeed.c: see corrfeed.h. */
#include "corrfeed.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
cf_init(struct cf *c, bool merge, sl_emit_fn emit, void *user)
{
	memset(c, 0, sizeof *c);
	struct sl_corr_opts o;
	sl_corr_opts_default(&o);
	o.merge = merge;
	o.emit = emit;
	o.emit_user = user;
	o.emit_keeps = true;
	c->corr = sl_corr_new(&o);
	if (c->corr == NULL)
		abort();
	c->ctx.is_media = sl_corr_is_media;
	c->ctx.media_user = c->corr;
	sl_arena_init(&c->scratch, 16384, 1u << 20);
}

void
cf_free(struct cf *c)
{
	sl_corr_free(c->corr);
	sl_arena_free(&c->scratch);
}

void
cf_packet(struct cf *c, struct sl_packet *pkt, int64_t ms, struct sl_endpoint src,
    struct sl_endpoint dst)
{
	sl_packet_init(pkt, &c->scratch);
	pkt->frame = ++c->frame;
	pkt->ts_ns = CF_T0 + ms * CF_MS;
	pkt->src = src;
	pkt->dst = dst;
}

void
cf_correlate(struct sl_test_state *ts, struct cf *c, struct sl_packet *pkt)
{
	SL_CHECK_MSG(ts, sl_corr_packet(c->corr, pkt) == SL_OK, "frame %llu",
	    (unsigned long long)pkt->frame);
	sl_arena_reset(&c->scratch);
}

enum sl_app
cf_udp(struct sl_test_state *ts, struct cf *c, int64_t ms, struct sl_endpoint src,
    struct sl_endpoint dst, const void *p, size_t n)
{
	struct sl_packet pkt;
	cf_packet(c, &pkt, ms, src, dst);
	pkt.l4 = sl_cur_init(p, n);
	sl_dissect_app(&c->ctx, &pkt);
	cf_correlate(ts, c, &pkt);
	return pkt.app;
}

size_t
cf_sip_text(char *out, size_t cap, const char *head, const char *sdp)
{
	int n = snprintf(out, cap, "%s%sContent-Length: %zu\r\n\r\n%s", head,
	    sdp ? "Content-Type: application/sdp\r\n" : "", sdp ? strlen(sdp) : 0,
	    sdp ? sdp : "");
	if (n < 0 || (size_t)n >= cap) {
		fprintf(stderr, "SIP fixture longer than %zu bytes: %.60s\n", cap, head);
		abort();
	}
	return (size_t)n;
}
