/* analyze.c: a finished call's verdict (struct sl_call_summary) and the
 * names reports print for the model's enums. The verdict reads the call
 * from the caller's side: leg A decides setup and answer, the earliest
 * BYE on any leg decides who hung up, and 401/407 are steps, never
 * outcomes, unless nobody got past them. */
#include "corr_int.h"

const char *const sl_join_ev_names[] = {
	"header", "timing", "from_user", "max_forwards", "progress", "media",
	"hangup", NULL,
};

const char *
sl_call_state_name(enum sl_call_state s)
{
	switch (s) {
	case SL_STATE_SETUP: return "setup";
	case SL_STATE_RINGING: return "ringing";
	case SL_STATE_ANSWERED: return "answered";
	case SL_STATE_COMPLETED: return "completed";
	case SL_STATE_BYE_UNANSWERED: return "bye_unanswered";
	case SL_STATE_CANCELLED: return "cancelled";
	case SL_STATE_REJECTED: return "rejected";
	case SL_STATE_AUTH_FAILED: return "auth_failed";
	case SL_STATE_REGISTERED: return "registered";
	case SL_STATE_UNREGISTERED: return "unregistered";
	case SL_STATE_REG_FAILED: return "reg_failed";
	case SL_STATE_OTHER: return "other";
	}
	return "other";
}

const char *
sl_confidence_name(enum sl_confidence c)
{
	switch (c) {
	case SL_CONF_NONE: return "none";
	case SL_CONF_LOW: return "low";
	case SL_CONF_MEDIUM: return "medium";
	case SL_CONF_HIGH: return "high";
	case SL_CONF_CERTAIN: return "certain";
	}
	return "none";
}

const char *
sl_side_name(enum sl_side s)
{
	switch (s) {
	case SL_SIDE_NONE: return "none";
	case SL_SIDE_CALLER: return "caller";
	case SL_SIDE_CALLEE: return "callee";
	case SL_SIDE_SERVER: return "server";
	}
	return "none";
}

static bool
is_challenge(uint16_t st)
{
	return st == 401 || st == 407;
}

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
	for (const struct sl_leg *l = a; l; l = l->next) {
		s->invite_challenges += l->n_challenges;
		s->bye_challenges += l->n_bye_challenges;
		s->authorised |= l->authorised;
		if (l->joined_to)
			z = l;
	}
	s->from_user = a->from_user;
	s->to_user = a->to_user;
	if (z != a)
		s->callee_user = z->to_user;
	const struct sl_leg *bye = first_bye(call);
	bool cancelled = false;
	for (const struct sl_leg *l = a; l; l = l->next)
		cancelled |= l->cancelled;

	if (bye) {
		bool all_done = true;
		uint16_t bye_st = 0;
		for (const struct sl_leg *l = a; l; l = l->next) {
			if (l->bye_ts == 0)
				continue;
			if (l->bye_done_ts == 0)
				all_done = false;
			if (bye_st == 0 || l->bye_status >= 300)
				bye_st = l->bye_status;
		}
		s->state = all_done ? SL_STATE_COMPLETED : SL_STATE_BYE_UNANSWERED;
		s->status = all_done ? bye_st : (bye_st ? bye_st :
		    bye->n_bye_challenges ? 401 : 0);
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
	} else if (is_challenge(a->last_invite_status)) {
		s->state = SL_STATE_AUTH_FAILED;
		s->status = a->last_invite_status;
	} else {
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
	for (const struct sl_reg *r = call->regs; r; r = r->next) {
		s->invite_challenges += r->challenges;
		s->authorised |= r->auth_user.n != 0;
		last = r;
	}
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

void
sl_call_analyze(struct sl_call *call)
{
	struct sl_call_summary *s = &call->sum;
	*s = (struct sl_call_summary){ .setup_ns = -1, .talk_ns = -1 };
	s->duration_ns = call->last_ts - call->first_ts;
	if (call->legs == NULL)
		return;
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
	media_totals(call);
}
