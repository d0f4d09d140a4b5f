/* plan.h: inside src/export: what a plan holds and the question pass 2
 * asks it for every frame. */
#ifndef SL_EXPORT_PLAN_H
#define SL_EXPORT_PLAN_H

#include "dissectors/dissector.h"
#include "export/export.h"

/* One RTP stream's flow and its times, widened when sealed. */
struct sl_export_flow {
	struct sl_endpoint src;
	struct sl_endpoint dst;
	int64_t media_t0, media_t1;	/* its RTP */
	int64_t rtcp_t0, rtcp_t1;	/* RTCP on the ports above, either way */
	int64_t icmp_t0, icmp_t1;	/* ICMP quoting it; t0 > t1: none */
};

struct sl_export_plan {
	uint64_t *frames;		/* SIP messages' frames; sorted once sealed */
	size_t n_frames, cap_frames;
	struct sl_export_flow *flows;	/* sorted by (src, dst) once sealed */
	size_t n_flows, cap_flows;
	size_t calls;
	uint64_t unknown_msgs;
	bool sealed;
};

/* Sorts what was added (and drops repeated frames) for the lookups. */
void sl_export_plan_seal(struct sl_export_plan *p);

/* Is this one of the SIP messages' frames? */
bool sl_export_plan_sip(const struct sl_export_plan *p, uint64_t frame);

/* Does a decoded UDP datagram or ICMP error belong to the plan's media
 * (export.h says when)? The plan must be sealed. */
bool sl_export_plan_media(const struct sl_export_plan *p, const struct sl_packet *pkt);

#endif
