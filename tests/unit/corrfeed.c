/* corrfeed.c: see corrfeed.h. */
#include "tests/unit/corrfeed.h"

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

struct sl_endpoint
cf_ep(const char *s)
{
	struct sl_endpoint e = { .transport = SL_TP_UDP };
	const char *colon = strrchr(s, ':');
	if (colon == NULL || !sl_ip_parse((struct sl_str){ s, (size_t)(colon - s) }, &e.ip)) {
		fprintf(stderr, "bad test address %s\n", s);
		abort();
	}
	unsigned port = 0;
	for (const char *p = colon + 1; *p; p++)
		port = port * 10 + (unsigned)(*p - '0');
	e.port = (uint16_t)port;
	return e;
}

void
cf_run(struct sl_test_state *ts, struct cf *c, const struct cf_step *steps, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char text[4096];
		size_t len = cf_sip_text(text, sizeof text, steps[i].head, steps[i].sdp);
		enum sl_app app = cf_udp(ts, c, steps[i].ms, cf_ep(steps[i].src),
		    cf_ep(steps[i].dst), text, len);
		SL_CHECK_MSG(ts, app == SL_APP_SIP, "step at %d ms is not SIP", steps[i].ms);
	}
	SL_CHECK(ts, sl_corr_finish(c->corr) == SL_OK);
}

enum sl_err
cf_keep(void *user, struct sl_call *call)
{
	struct cf_calls *k = user;
	if (k->n_calls == CF_MAX_CALLS) {
		sl_call_free(call);
		return SL_OK;
	}
	k->calls[k->n_calls++] = call;
	return SL_OK;
}

void
cf_calls_free(struct cf_calls *k)
{
	for (size_t i = 0; i < k->n_calls; i++)
		sl_call_free(k->calls[i]);
	k->n_calls = 0;
}
