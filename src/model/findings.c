/* findings.c: what is worth a person's attention in a finished call,
 * decided here once so that the ladder's '!' lines, the tables, JSON
 * (and later the store, the TUI and check) all say the same:
 *   auth_failed      a leg's request was challenged and the exchange
 *                    stopped at the challenge (struct sl_auth.failed)
 *   bye_unanswered   a leg's BYE got no 2xx, unless its authentication
 *                    failed (that finding says why)
 *   retransmissions  one message repeated SL_FINDING_RETRANS_MIN+ times
 *   media_after_bye  RTP after its leg's BYE, with the ICMP it drew
 *   media_refused    ICMP port unreachable quoting a stream that did not
 *                    outlive its BYE: the other end was not listening */
#include "model/findings.h"

#include <stdlib.h>

/* When the message, or the time it was last sent. */
static int64_t
last_sent(const struct sl_msg *m)
{
	return m->retrans_count ? m->retrans_last_ts : m->ts_ns;
}

static enum sl_err
leg_findings(struct sl_call *call, const struct sl_leg *l)
{
	enum sl_err e = SL_OK;
	for (int r = 0; e == SL_OK && r < SL_AUTH_N; r++) {
		const struct sl_auth *a = &l->auth[r];
		if (!a->failed)
			continue;
		const struct sl_msg *m = a->last_challenge;
		int64_t t = m ? m->ts_ns : l->last_ts;
		e = sl_call_add_finding(call, &(struct sl_finding){ .kind = SL_FINDING_AUTH_FAILED,
		    .leg = l, .msg = m, .req = (enum sl_auth_req)r,
		    .status = m ? m->status : a->status, .first_ts = t, .last_ts = t,
		    .count = a->challenges });
	}
	if (e != SL_OK || l->bye_ts == 0 || l->bye_done_ts != 0 || l->auth[SL_AUTH_BYE].failed)
		return e;
	const struct sl_msg *m = l->last_bye;
	return sl_call_add_finding(call, &(struct sl_finding){ .kind = SL_FINDING_BYE_UNANSWERED,
	    .leg = l, .msg = m, .status = l->bye_status,
	    .first_ts = m ? m->ts_ns : l->bye_ts, .last_ts = m ? last_sent(m) : l->bye_ts,
	    .count = m ? 1 + (uint64_t)m->retrans_count : 1 });
}

static enum sl_err
stream_finding(struct sl_call *call, const struct sl_stream *s)
{
	if (s->after_bye_packets)
		return sl_call_add_finding(call, &(struct sl_finding){ .kind = SL_FINDING_MEDIA_AFTER_BYE,
		    .leg = s->leg, .stream = s, .first_ts = s->after_bye_first_ts,
		    .last_ts = s->after_bye_last_ts, .count = s->after_bye_packets,
		    .icmp = s->icmp_unreachable });
	if (s->icmp_unreachable)
		return sl_call_add_finding(call, &(struct sl_finding){ .kind = SL_FINDING_MEDIA_REFUSED,
		    .leg = s->leg, .stream = s, .first_ts = s->icmp_first_ts,
		    .last_ts = s->icmp_last_ts, .count = s->icmp_unreachable,
		    .icmp = s->icmp_unreachable });
	return SL_OK;
}

/* ----- time order ----- */

struct ranked {
	struct sl_finding f;
	unsigned seq;		/* found in this order: the last tie-break */
};

static int
by_time(const void *x, const void *y)
{
	const struct ranked *a = x, *b = y;
	if (a->f.first_ts != b->f.first_ts)
		return a->f.first_ts < b->f.first_ts ? -1 : 1;
	if (a->f.kind != b->f.kind)
		return a->f.kind < b->f.kind ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* qsort is not stable: each finding carries its rank, so equal times
 * keep a defined order on every libc. */
static enum sl_err
sort_findings(struct sl_call *call)
{
	unsigned n = call->n_findings;
	if (n < 2)
		return SL_OK;
	struct ranked *v = malloc(n * sizeof *v);
	if (v == NULL)
		return SL_ENOMEM;
	for (unsigned i = 0; i < n; i++)
		v[i] = (struct ranked){ call->findings[i], i };
	qsort(v, n, sizeof *v, by_time);
	for (unsigned i = 0; i < n; i++)
		call->findings[i] = v[i].f;
	free(v);
	return SL_OK;
}

enum sl_err
sl_model_findings(struct sl_call *call)
{
	call->n_findings = 0;
	enum sl_err e = SL_OK;
	for (const struct sl_leg *l = call->legs; e == SL_OK && l; l = l->next)
		e = leg_findings(call, l);
	for (const struct sl_msg *m = call->msgs; e == SL_OK && m; m = m->next) {
		if (m->retrans_count < SL_FINDING_RETRANS_MIN)
			continue;
		e = sl_call_add_finding(call, &(struct sl_finding){ .kind = SL_FINDING_RETRANSMISSIONS,
		    .leg = m->leg, .msg = m, .status = m->is_request ? 0 : m->status,
		    .first_ts = m->ts_ns, .last_ts = m->retrans_last_ts, .count = m->retrans_count });
	}
	for (const struct sl_stream *s = call->streams; e == SL_OK && s; s = s->next)
		e = stream_finding(call, s);
	if (e == SL_OK)
		e = sort_findings(call);
	if (e != SL_OK)
		call->n_findings = 0;
	return e;
}
