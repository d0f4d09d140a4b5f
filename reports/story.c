/* story.c: words derived from call->sum, legs and registrations (see
 * story.h). Text from the wire goes through sl_fmt_put. */
#include "reports/story.h"

#include <stdio.h>
#include <string.h>

#include "reports/fmt.h"

static enum sl_err
put_or_dash(struct sl_buf *b, struct sl_str s)
{
	return s.n ? sl_fmt_put(b, s, SIZE_MAX) : sl_buf_addc(b, '-');
}

/* The code of a challenge the model saw, so the story names what the
 * server really sent; 401 when the counts are all there is (a call
 * built by hand). */
static unsigned
code_or_401(uint16_t status)
{
	return status ? status : 401;
}

/* The challenge leg A's INVITE stopped at: what auth_failed is about. */
static unsigned
invite_challenge(const struct sl_call *call)
{
	return code_or_401(call->legs ? call->legs->auth[SL_AUTH_INVITE].status : 0);
}

enum sl_err
sl_story_parties(struct sl_buf *b, const struct sl_call *call)
{
	const struct sl_call_summary *s = &call->sum;
	if (call->kind == SL_CALL_REGISTER) {
		struct sl_str user = s->from_user;
		if (user.n == 0 && call->regs)
			user = call->regs->user;
		return put_or_dash(b, user);
	}
	enum sl_err e = put_or_dash(b, s->from_user);
	if (e == SL_OK)
		e = sl_buf_adds(b, " -> ");
	if (e == SL_OK)
		e = put_or_dash(b, s->to_user);
	if (e == SL_OK && s->callee_user.n && !sl_str_eq(s->callee_user, s->to_user)) {
		e = sl_buf_adds(b, " (");
		if (e == SL_OK)
			e = sl_fmt_put(b, s->callee_user, SIZE_MAX);
		if (e == SL_OK)
			e = sl_buf_addc(b, ')');
	}
	return e;
}

/* ----- registrations ----- */

/* One exchange in a few words; fixed text only, so snprintf is safe.
 * stopped: the exchange ended at its challenge (the leg's REGISTER
 * authentication failed there), rather than waiting for an answer. */
static void
reg_words(const struct sl_reg *r, bool stopped, bool detail, char *out, size_t n)
{
	int k;
	if (r->result == 0)
		k = snprintf(out, n, stopped ? "never authorised" : "pending");
	else if (r->result >= 300)
		k = snprintf(out, n, "failed %u", (unsigned)r->result);
	else if (r->unregister)
		k = snprintf(out, n, "unregistered");
	else if (r->expires >= 0 || r->expires_req >= 0)
		k = snprintf(out, n, "registered %lld s",
		    (long long)(r->expires >= 0 ? r->expires : r->expires_req));
	else
		k = snprintf(out, n, "registered");
	if (detail && r->challenges && k > 0 && (size_t)k < n)
		snprintf(out + k, n - (size_t)k, " after %u challenge%s",
		    (unsigned)r->challenges, r->challenges > 1 ? "s" : "");
}

/* "registered 600 s (x3), unregistered": runs of equal exchanges are
 * counted; past four runs the middle ones are elided, as a phone that
 * re-registers every minute would otherwise fill the line. */
static enum sl_err
regs_story(struct sl_buf *b, const struct sl_call *call, bool detail)
{
	enum { MAX_RUNS = 4 };
	char cur[96], prev[96];
	unsigned runs = 0, total_runs = 0, count = 0;
	enum sl_err e = SL_OK;
	/* only the last exchange can still be open */
	bool failed = call->legs && call->legs->auth[SL_AUTH_REGISTER].failed;
	/* first pass: how many runs */
	prev[0] = '\0';
	for (const struct sl_reg *r = call->regs; r; r = r->next) {
		reg_words(r, failed && r->next == NULL, detail, cur, sizeof cur);
		if (r == call->regs || strcmp(cur, prev) != 0)
			total_runs++;
		snprintf(prev, sizeof prev, "%s", cur);
	}
	if (total_runs == 0)
		return sl_buf_adds(b, "no REGISTER answered");
	prev[0] = '\0';
	for (const struct sl_reg *r = call->regs; e == SL_OK; r = r->next) {
		if (r)
			reg_words(r, failed && r->next == NULL, detail, cur, sizeof cur);
		if (count && (r == NULL || strcmp(cur, prev) != 0)) {
			/* a run ends: print it unless elided */
			runs++;
			bool show = total_runs <= MAX_RUNS || runs <= MAX_RUNS - 1 ||
			    runs == total_runs;
			if (show)
				e = sl_buf_printf(b, "%s%s", runs > 1 ? ", " : "", prev);
			if (e == SL_OK && show && count > 1)
				e = sl_buf_printf(b, " (x%u)", count);
			if (e == SL_OK && total_runs > MAX_RUNS && runs == MAX_RUNS - 1)
				e = sl_buf_printf(b, ", ... %u more", total_runs - MAX_RUNS);
			count = 0;
		}
		if (r == NULL)
			break;
		snprintf(prev, sizeof prev, "%s", cur);
		count++;
	}
	return e;
}

/* ----- outcome ----- */

static enum sl_err
add_talk(struct sl_buf *b, const struct sl_call_summary *s)
{
	char t[SL_FMT_NUM];
	if (s->talk_ns < 0)
		return SL_OK;
	return sl_buf_printf(b, ", %s s talk", sl_fmt_secs(t, s->talk_ns, 2));
}

static enum sl_err
first_method(struct sl_buf *b, const struct sl_call *call)
{
	for (const struct sl_msg *m = call->msgs; m; m = m->next)
		if (m->is_request && m->method.n)
			return sl_fmt_put(b, m->method, SIZE_MAX);
	return sl_buf_adds(b, "dialog");
}

/* " on leg B", " on legs A, B": where a BYE got no 2xx, since the one
 * who hung up may have had theirs answered (a B2BUA whose callee died). */
static enum sl_err
unanswered_legs(struct sl_buf *b, const struct sl_call *call)
{
	unsigned n = 0;
	for (const struct sl_leg *l = call->legs; l; l = l->next)
		n += l->bye_ts && !l->bye_done_ts;
	enum sl_err e = n ? sl_buf_adds(b, n > 1 ? " on legs " : " on leg ") : SL_OK;
	const char *sepr = "";
	for (const struct sl_leg *l = call->legs; e == SL_OK && l; l = l->next) {
		if (!l->bye_ts || l->bye_done_ts)
			continue;
		e = sl_buf_printf(b, "%s%c", sepr, l->name ? l->name : '?');
		sepr = ", ";
	}
	return e;
}

enum sl_err
sl_story_outcome(struct sl_buf *b, const struct sl_call *call)
{
	const struct sl_call_summary *s = &call->sum;
	const char *by = s->hangup_by != SL_SIDE_NONE ? sl_side_name(s->hangup_by) : NULL;
	enum sl_err e = SL_OK;
	switch (s->state) {
	case SL_STATE_SETUP:
		return sl_buf_adds(b, "no final answer");
	case SL_STATE_RINGING:
		return sl_buf_adds(b, "ringing, not answered");
	case SL_STATE_ANSWERED:
		e = sl_buf_adds(b, "answered, no BYE seen");
		return e ? e : add_talk(b, s);
	case SL_STATE_COMPLETED:
		e = by ? sl_buf_printf(b, "answered, hung up by %s", by) :
		    sl_buf_adds(b, "answered, hung up");
		return e ? e : add_talk(b, s);
	case SL_STATE_BYE_UNANSWERED:
		e = by ? sl_buf_printf(b, "answered, hung up by %s, BYE unanswered", by) :
		    sl_buf_adds(b, "answered, BYE unanswered");
		if (e == SL_OK && call->n_legs > 1)
			e = unanswered_legs(b, call);
		return e ? e : add_talk(b, s);
	case SL_STATE_CANCELLED:
		return by ? sl_buf_printf(b, "cancelled by %s", by) : sl_buf_adds(b, "cancelled");
	case SL_STATE_REJECTED:
		e = sl_buf_printf(b, "rejected %u", (unsigned)s->status);
		if (e == SL_OK && s->reason.n) {
			e = sl_buf_addc(b, ' ');
			if (e == SL_OK)
				e = sl_fmt_put(b, s->reason, SIZE_MAX);
		}
		return e;
	case SL_STATE_AUTH_FAILED:
		return sl_buf_printf(b, "challenged %u, never authorised", invite_challenge(call));
	case SL_STATE_REGISTERED:
	case SL_STATE_UNREGISTERED:
	case SL_STATE_REG_FAILED:
		return regs_story(b, call, false);
	case SL_STATE_OTHER:
		e = first_method(b, call);
		if (e == SL_OK && s->status)
			e = sl_buf_printf(b, " -> %u", (unsigned)s->status);
		return e;
	}
	return sl_buf_adds(b, "?");
}

enum sl_err
sl_story_state(struct sl_buf *b, const struct sl_call *call)
{
	const struct sl_call_summary *s = &call->sum;
	switch (s->state) {
	case SL_STATE_SETUP:
		return sl_buf_adds(b, "setup");
	case SL_STATE_RINGING:
		return sl_buf_adds(b, "ringing");
	case SL_STATE_ANSWERED:
		return sl_buf_adds(b, "answered, no BYE");
	case SL_STATE_COMPLETED:
		return s->hangup_by != SL_SIDE_NONE ?
		    sl_buf_printf(b, "completed (%s BYE)", sl_side_name(s->hangup_by)) :
		    sl_buf_adds(b, "completed");
	case SL_STATE_BYE_UNANSWERED:
		return sl_buf_adds(b, "BYE unanswered");
	case SL_STATE_CANCELLED:
		return sl_buf_adds(b, "cancelled");
	case SL_STATE_REJECTED:
		return sl_buf_printf(b, "rejected %u", (unsigned)s->status);
	case SL_STATE_AUTH_FAILED:
		return sl_buf_printf(b, "auth failed %u", invite_challenge(call));
	case SL_STATE_REGISTERED:
	case SL_STATE_UNREGISTERED:
	case SL_STATE_REG_FAILED:
		return regs_story(b, call, false);
	case SL_STATE_OTHER: {
		enum sl_err e = first_method(b, call);
		if (e == SL_OK && s->status)
			e = sl_buf_printf(b, " %u", (unsigned)s->status);
		return e;
	}
	}
	return sl_buf_adds(b, "?");
}

/* ----- legs ----- */

/* The name a request kind goes by in a story: the method of other
 * requests when a challenge says which. */
static struct sl_str
req_word(const struct sl_auth *a, enum sl_auth_req r)
{
	switch (r) {
	case SL_AUTH_INVITE: return SL_STR("INVITE");
	case SL_AUTH_BYE: return SL_STR("BYE");
	case SL_AUTH_REGISTER: return SL_STR("REGISTER");
	case SL_AUTH_OTHER:
	case SL_AUTH_N: break;
	}
	return a->last_challenge && a->last_challenge->method.n ?
	    a->last_challenge->method : SL_STR("request");
}

/* "INVITE challenged 401 x2 then authorised", "BYE challenged 401 then
 * 200", "INVITE with Authorization u1": one kind of request of one leg
 * that saw authentication, as struct sl_auth has it. */
static enum sl_err
req_auth_story(struct sl_buf *b, const struct sl_leg *leg, enum sl_auth_req r)
{
	const struct sl_auth *a = &leg->auth[r];
	enum sl_err e = sl_fmt_put(b, req_word(a, r), SIZE_MAX);
	if (a->challenges == 0) {
		/* credentials sent unasked */
		if (e == SL_OK)
			e = sl_buf_adds(b, " with Authorization");
		if (e == SL_OK && a->user.n) {
			e = sl_buf_addc(b, ' ');
			if (e == SL_OK)
				e = sl_fmt_put(b, a->user, SIZE_MAX);
		}
		return e;
	}
	if (e == SL_OK)
		e = sl_buf_printf(b, " challenged %u", code_or_401(a->status));
	if (e == SL_OK && a->challenges > 1)
		e = sl_buf_printf(b, " x%u", (unsigned)a->challenges);
	if (e != SL_OK)
		return e;
	if (a->failed)
		return sl_buf_adds(b, a->authorised ? " then authorised, then challenged again, "
		    "never authorised" : ", never authorised");
	if (a->authorised)
		return r == SL_AUTH_BYE && leg->bye_status ?
		    sl_buf_printf(b, " then %u", (unsigned)leg->bye_status) :
		    sl_buf_adds(b, " then authorised");
	return a->credentials ? sl_buf_adds(b, ", no final answer") : SL_OK;
}

enum sl_err
sl_story_leg_auth(struct sl_buf *b, const struct sl_call *call, const struct sl_leg *leg)
{
	if (call->kind == SL_CALL_REGISTER) {
		/* the exchanges are per call; tell them on the first leg */
		return leg == call->legs && call->regs ? regs_story(b, call, true) : SL_OK;
	}
	enum sl_err e = SL_OK;
	static const enum sl_auth_req order[] = { SL_AUTH_INVITE, SL_AUTH_BYE, SL_AUTH_OTHER };
	bool first = true;
	for (size_t i = 0; e == SL_OK && i < sizeof order / sizeof order[0]; i++) {
		const struct sl_auth *a = &leg->auth[order[i]];
		if (a->challenges == 0 && a->credentials == 0)
			continue;
		if (!first)
			e = sl_buf_adds(b, "; ");
		first = false;
		if (e == SL_OK)
			e = req_auth_story(b, leg, order[i]);
	}
	return e;
}

enum sl_err
sl_story_leg_join(struct sl_buf *b, const struct sl_leg *leg)
{
	const struct sl_leg *p = leg->joined_to;
	if (p == NULL)
		return SL_OK;
	char num[SL_FMT_NUM];
	enum sl_err e = sl_buf_printf(b, "joined to %c:", p->name);
	const char *sepr = " ";
	for (unsigned bit = 0; e == SL_OK && bit < 32; bit++) {
		uint32_t ev = 1u << bit;
		if (!(leg->join_ev & ev))
			continue;
		e = sl_buf_adds(b, sepr);
		sepr = ", ";
		if (e != SL_OK)
			break;
		switch (ev) {
		case SL_JOIN_HEADER:
			e = sl_buf_adds(b, "X-Call-ID header");
			break;
		case SL_JOIN_TIMING:
			/* ms with one decimal: ns / 100000 tenths, rounded */
			e = sl_buf_printf(b, "sent %s ms after %c's %sINVITE",
			    sl_fmt_fixed(num, (leg->join_delay_ns + (leg->join_delay_ns < 0 ? -50000 : 50000)) / 100000, 1),
			    p->name, p->auth_invite_ts ? "authorised " : "");
			break;
		case SL_JOIN_FROM_USER:
			e = sl_buf_adds(b, "From ");
			if (e == SL_OK)
				e = put_or_dash(b, leg->from_user);
			break;
		case SL_JOIN_MAX_FWD:
			e = sl_buf_printf(b, "Max-Forwards %ld->%ld", (long)leg->join_mf_parent,
			    (long)leg->join_mf_self);
			break;
		case SL_JOIN_PROGRESS:
			e = sl_buf_adds(b, "responses relayed");
			break;
		case SL_JOIN_MEDIA:
			e = sl_buf_adds(b, "RTP relayed");
			break;
		case SL_JOIN_HANGUP:
			e = sl_buf_adds(b, "BYE relayed");
			break;
		default:
			e = sl_buf_printf(b, "evidence %u", bit);
			break;
		}
	}
	if (e == SL_OK)
		e = sl_buf_printf(b, " (confidence %s)", sl_confidence_name(leg->join_conf));
	return e;
}

/* ----- table cells ----- */

enum sl_err
sl_story_auth(struct sl_buf *b, const struct sl_call *call)
{
	const struct sl_call_summary *s = &call->sum;
	if (s->challenges == 0)
		return sl_buf_adds(b, s->authorised ? "ok" : "-");
	enum sl_err e = sl_buf_printf(b, "%u -> %s", code_or_401(s->challenge_status),
	    s->auth_failed ? "failed" : s->auth_pending ? "no answer" : "ok");
	if (e == SL_OK && s->challenges > 1)
		e = sl_buf_printf(b, " (x%u)", (unsigned)s->challenges);
	return e;
}

enum sl_err
sl_story_media(struct sl_buf *b, const struct sl_call *call)
{
	unsigned n = call->n_streams;
	if (n == 0)
		return sl_buf_addc(b, '-');
	return sl_buf_printf(b, "%u stream%s, %lld lost", n, n == 1 ? "" : "s",
	    (long long)call->sum.rtp_lost);
}
