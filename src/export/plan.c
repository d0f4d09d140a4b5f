/* plan.c: what identifies the frames of the chosen calls (pass 1), and
 * the per-frame lookups of pass 2: binary searches in two sorted arrays,
 * with no allocation per frame. */
#include <stdlib.h>
#include <string.h>

#include "export/plan.h"

struct sl_export_plan *
sl_export_plan_new(void)
{
	return calloc(1, sizeof(struct sl_export_plan));
}

void
sl_export_plan_free(struct sl_export_plan *p)
{
	if (p == NULL)
		return;
	free(p->frames);
	free(p->flows);
	free(p);
}

size_t
sl_export_plan_calls(const struct sl_export_plan *p)
{
	return p->calls;
}

uint64_t
sl_export_plan_unknown_msgs(const struct sl_export_plan *p)
{
	return p->unknown_msgs;
}

/* Room for want more elements of size sz in *arr (doubling). */
static bool
reserve(void **arr, size_t *cap, size_t n, size_t want, size_t sz)
{
	if (n + want <= *cap)
		return true;
	size_t c = *cap ? *cap : 64;
	while (c < n + want)
		c *= 2;
	if (c > SIZE_MAX / sz)
		return false;
	void *q = realloc(*arr, c * sz);
	if (q == NULL)
		return false;
	*arr = q;
	*cap = c;
	return true;
}

enum sl_err
sl_export_plan_add(struct sl_export_plan *p, const struct sl_call *call)
{
	size_t n_streams = 0;
	for (const struct sl_stream *s = call->streams; s; s = s->next)
		n_streams++;
	if (!reserve((void **)&p->frames, &p->cap_frames, p->n_frames, call->n_msgs,
	    sizeof *p->frames) ||
	    !reserve((void **)&p->flows, &p->cap_flows, p->n_flows, n_streams, sizeof *p->flows))
		return SL_ENOMEM;
	for (const struct sl_msg *m = call->msgs; m; m = m->next)
		p->frames[p->n_frames++] = m->frame;
	/* frame times are within +-SL_TS_LIMIT (2^62): the windows cannot
	 * overflow */
	for (const struct sl_stream *s = call->streams; s; s = s->next) {
		struct sl_export_flow *f = &p->flows[p->n_flows++];
		*f = (struct sl_export_flow){
			.src = s->src,
			.dst = s->dst,
			.media_t0 = s->first_ts - SL_EXPORT_MEDIA_SLACK_NS,
			.media_t1 = s->last_ts + SL_EXPORT_MEDIA_SLACK_NS,
			.rtcp_t0 = s->first_ts - SL_EXPORT_RTCP_SLACK_NS,
			.rtcp_t1 = s->last_ts + SL_EXPORT_RTCP_SLACK_NS,
			.icmp_t0 = 1,
			.icmp_t1 = 0,
		};
		if (s->icmp_unreachable) {
			f->icmp_t0 = s->icmp_first_ts - SL_EXPORT_MEDIA_SLACK_NS;
			f->icmp_t1 = s->icmp_last_ts + SL_EXPORT_MEDIA_SLACK_NS;
		}
	}
	p->unknown_msgs += call->msgs_dropped;
	p->calls++;
	p->sealed = false;
	return SL_OK;
}

static int
by_frame(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static int
flow_cmp(const struct sl_endpoint *src, const struct sl_endpoint *dst,
    const struct sl_export_flow *f)
{
	int c = sl_ep_cmp(src, &f->src);
	return c ? c : sl_ep_cmp(dst, &f->dst);
}

static int
by_flow(const void *a, const void *b)
{
	const struct sl_export_flow *x = a;
	return flow_cmp(&x->src, &x->dst, b);
}

void
sl_export_plan_seal(struct sl_export_plan *p)
{
	if (p->sealed)
		return;
	if (p->n_frames)
		qsort(p->frames, p->n_frames, sizeof *p->frames, by_frame);
	/* one datagram may hold several SIP messages */
	size_t k = 0;
	for (size_t i = 0; i < p->n_frames; i++)
		if (k == 0 || p->frames[k - 1] != p->frames[i])
			p->frames[k++] = p->frames[i];
	p->n_frames = k;
	if (p->n_flows)
		qsort(p->flows, p->n_flows, sizeof *p->flows, by_flow);
	p->sealed = true;
}

bool
sl_export_plan_sip(const struct sl_export_plan *p, uint64_t frame)
{
	return p->n_frames &&
	    bsearch(&frame, p->frames, p->n_frames, sizeof *p->frames, by_frame) != NULL;
}

enum window { W_MEDIA, W_RTCP, W_ICMP };

/* Some flow src -> dst whose window w holds ts? Flows with the same
 * endpoints (several SSRCs, several calls) sit side by side. */
static bool
flow_in(const struct sl_export_plan *p, const struct sl_endpoint *src,
    const struct sl_endpoint *dst, int64_t ts, enum window w)
{
	size_t lo = 0, hi = p->n_flows;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (flow_cmp(src, dst, &p->flows[mid]) > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < p->n_flows && flow_cmp(src, dst, &p->flows[i]) == 0; i++) {
		const struct sl_export_flow *f = &p->flows[i];
		int64_t t0 = w == W_MEDIA ? f->media_t0 : w == W_RTCP ? f->rtcp_t0 : f->icmp_t0;
		int64_t t1 = w == W_MEDIA ? f->media_t1 : w == W_RTCP ? f->rtcp_t1 : f->icmp_t1;
		if (ts >= t0 && ts <= t1)
			return true;
	}
	return false;
}

/* src -> dst is RTCP of some stream: the ports above its flow's, in the
 * stream's direction or against it. */
static bool
rtcp_in(const struct sl_export_plan *p, const struct sl_endpoint *src,
    const struct sl_endpoint *dst, int64_t ts)
{
	if (src->port == 0 || dst->port == 0)
		return false;
	struct sl_endpoint s = *src, d = *dst;
	s.port--;
	d.port--;
	return flow_in(p, &s, &d, ts, W_RTCP) || flow_in(p, &d, &s, ts, W_RTCP);
}

bool
sl_export_plan_media(const struct sl_export_plan *p, const struct sl_packet *pkt)
{
	if (pkt->app == SL_APP_ICMP) {
		const struct sl_icmp *ic = &pkt->icmp;
		return flow_in(p, &ic->inner_src, &ic->inner_dst, pkt->ts_ns, W_ICMP) ||
		    rtcp_in(p, &ic->inner_src, &ic->inner_dst, pkt->ts_ns);
	}
	if (pkt->src.transport != SL_TP_UDP)
		return false;
	return flow_in(p, &pkt->src, &pkt->dst, pkt->ts_ns, W_MEDIA) ||
	    rtcp_in(p, &pkt->src, &pkt->dst, pkt->ts_ns);
}
