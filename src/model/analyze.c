/* analyze.c: a finished call's verdict (struct sl_call_summary). The
 * verdict reads the call from the caller's side: leg A decides setup and
 * answer, the earliest BYE on any leg decides who hung up, and 401/407
 * are steps, never outcomes, unless nobody got past them (struct
 * sl_auth, kept per leg and request by the correlator). The findings
 * come from findings.c. */
#include "model/model.h"

#include "model/findings.h"

static void
media_totals(struct sl_call *call)
{
	struct sl_call_summary *s = &call->sum;
	for (const struct sl_stream *st = call->streams; st; st = st->next) {
		s->rtp_packets += st->packets;
		/* duplicates (RFC 4733 end packets are sent three times) make a
		 * stream's lost negative; they must not hide another's loss */
		s->rtp_lost += st->lost > 0 ? st->lost : 0;
		s->after_bye_packets += st->after_bye_packets;
		s->icmp_unreachable += st->icmp_unreachable;
	}
}

/* Every leg's authentication, added up; the first challenge in capture
 * order names the code tables print ("401 -> ok"). */
static void
auth_totals(struct sl_call *call)
{
	struct sl_call_summary *s = &call->sum;
	for (const struct sl_leg *l = call->legs; l; l = l->next) {
		for (int r = 0; r < SL_AUTH_N; r++) {
			const struct sl_auth *a = &l->auth[r];
			s->challenges += a->challenges;
			s->credentials |= a->credentials != 0;
			s->authorised |= a->authorised;
			s->auth_failed |= a->failed;
			s->auth_pending |= a->challenges && !a->authorised && !a->failed;
		}
		s->invite_challenges += l->auth[call->kind == SL_CALL_REGISTER ?
		    SL_AUTH_REGISTER : SL_AUTH_INVITE].challenges;
		s->bye_challenges += l->auth[SL_AUTH_BYE].challenges;
	}
	for (const struct sl_msg *m = call->msgs; m; m = m->next) {
		if (!m->is_request && (m->status == 401 || m->status == 407)) {
			s->challenge_status = m->status;
			break;
		}
	}
}

/* The leg whose BYE came first, or NULL. */
static const struct sl_leg *
first_bye(const struct sl_call *call)
{
	const struct sl_leg *best = NULL;
	for (const struct sl_leg *l = call->legs; l; l = l->next)
		if (l->bye_ts && (best == NULL || l->bye_ts < best->bye_ts))
			best = l;
	return best;
}

static void
analyze_invite(struct sl_call *call)
{
	struct sl_call_summary *s = &call->sum;
	const struct sl_leg *a = call->legs, *z = a;
	for (const struct sl_leg *l = a; l; l = l->next)
		if (l->joined_to)
			z = l;
	s->from_user = a->from_user;
	s->to_user = a->to_user;
	if (z != a)
		s->callee_user = z->to_user;
	const struct sl_leg *bye = first_bye(call);
	bool cancelled = false;
	for (const struct sl_leg *l = a; l; l = l->next)
		cancelled |= l->cancelled;

	if (bye) {
		/* the first leg whose BYE got no 2xx decides: its failure, or
		 * the challenge it stopped at, or no status at all */
		const struct sl_leg *open = NULL;
		uint16_t bye_st = 0;
		for (const struct sl_leg *l = a; l; l = l->next) {
			if (l->bye_ts == 0)
				continue;
			if (l->bye_done_ts == 0 && open == NULL)
				open = l;
			if (bye_st == 0 || l->bye_status >= 300)
				bye_st = l->bye_status;
		}
		s->state = open ? SL_STATE_BYE_UNANSWERED : SL_STATE_COMPLETED;
		s->status = open == NULL ? bye_st : open->bye_status ? open->bye_status :
		    open->auth[SL_AUTH_BYE].challenges ? open->auth[SL_AUTH_BYE].status : 0;
		s->hangup_by = bye->bye_by;
		s->reason = bye->bye_reason;
	} else if (a->answer_ts) {
		s->state = SL_STATE_ANSWERED;
		s->status = a->final_status;
	} else if (cancelled && (a->final_status == 487 || a->final_status == 0)) {
		s->state = SL_STATE_CANCELLED;
		s->status = a->final_status;
		s->hangup_by = SL_SIDE_CALLER;
		s->reason = a->final_reason;
	} else if (a->final_status >= 300) {
		s->state = SL_STATE_REJECTED;
		s->status = a->final_status;
		s->reason = a->final_reason;
	} else if (a->auth[SL_AUTH_INVITE].failed) {
		s->state = SL_STATE_AUTH_FAILED;
		s->status = a->last_invite_status;
	} else {
		/* credentials sent after the last challenge and not answered
		 * yet: still setting up, whatever the challenge before said */
		s->state = a->ring_ts ? SL_STATE_RINGING : SL_STATE_SETUP;
	}
	if (a->answer_ts) {
		s->setup_ns = a->invite_ts ? a->answer_ts - a->invite_ts : -1;
		s->talk_ns = (bye ? bye->bye_ts : call->last_ts) - a->answer_ts;
	}
}

static void
analyze_register(struct sl_call *call)
{
	struct sl_call_summary *s = &call->sum;
	const struct sl_leg *a = call->legs;
	s->from_user = a->from_user;
	s->to_user = a->to_user;
	const struct sl_reg *last = NULL;
	for (const struct sl_reg *r = call->regs; r; r = r->next)
		last = r;
	if (last == NULL || last->result == 0) {
		s->state = last && last->challenges ? SL_STATE_REG_FAILED : SL_STATE_SETUP;
		s->status = last && last->challenges ? 401 : 0;
		return;
	}
	s->status = last->result;
	if (last->result >= 300)
		s->state = SL_STATE_REG_FAILED;
	else
		s->state = last->unregister || last->expires == 0 ?
		    SL_STATE_UNREGISTERED : SL_STATE_REGISTERED;
}

static void
analyze_other(struct sl_call *call)
{
	struct sl_call_summary *s = &call->sum;
	s->state = SL_STATE_OTHER;
	s->from_user = call->legs->from_user;
	s->to_user = call->legs->to_user;
	for (const struct sl_msg *m = call->msgs; m; m = m->next) {
		if (!m->is_request && m->status >= 200) {
			s->status = m->status;
			s->reason = m->reason;
			break;
		}
	}
}

enum sl_err
sl_call_analyze(struct sl_call *call)
{
	struct sl_call_summary *s = &call->sum;
	*s = (struct sl_call_summary){ .setup_ns = -1, .talk_ns = -1 };
	s->duration_ns = call->last_ts - call->first_ts;
	if (call->legs) {
		switch (call->kind) {
		case SL_CALL_INVITE:
			analyze_invite(call);
			break;
		case SL_CALL_REGISTER:
			analyze_register(call);
			break;
		case SL_CALL_OTHER:
		default:
			analyze_other(call);
			break;
		}
		auth_totals(call);
	}
	media_totals(call);
	return sl_model_findings(call);
}
