/* join.c: B2BUA leg joining. A back-to-back user agent answers leg A and
 * places leg B under a new Call-ID, so nothing in the protocol ties them;
 * we do it from evidence, each piece named in the output so a user can
 * judge it:
 *   header       X-Call-ID / X-CID on B names A's Call-ID (certain)
 *   timing       B's INVITE leaves A's UAS host while A's INVITE is pending
 *   from_user    same From user on both
 *   max_forwards B's Max-Forwards is below A's: minus one (RFC 3261 16.6
 *                step 3), or lower still where the B2BUA caps it (Yate's
 *                maxforwards=20 turns a phone's 70 into 19)
 * and once the call is over:
 *   progress     B's ringing/answer relayed on A right after
 *   media        RTP flows on both legs
 *   hangup       a BYE on one leg followed the other's within 2 s
 * A join needs the header, or timing plus from_user or max_forwards. */
#include <stddef.h>

#include "correlate/corr_int.h"

#define RELAY_WINDOW_NS (2LL * 1000000000LL)

static unsigned
popcount(uint32_t v)
{
	unsigned n = 0;
	for (; v; v &= v - 1)
		n++;
	return n;
}

static int64_t
last_invite_ts(const struct sl_leg *l)
{
	return l->auth_invite_ts > l->invite_ts ? l->auth_invite_ts : l->invite_ts;
}

/* Is l an INVITE leg still waiting for its final answer? */
static bool
pending(const struct sl_leg *l)
{
	return l->kind == SL_LEG_INVITE && l->invite_ts != 0 && l->answer_ts == 0 &&
	    l->final_status == 0 && !l->cancelled && l->bye_ts == 0;
}

static uint32_t
evidence(const struct sl_leg *parent, const struct sl_sip *m)
{
	uint32_t ev = 0;
	if (m->from_user.n && sl_str_eq(parent->from_user, m->from_user))
		ev |= SL_JOIN_FROM_USER;
	if (parent->first_max_forwards > 0 && m->max_forwards >= 0 &&
	    m->max_forwards < parent->first_max_forwards)
		ev |= SL_JOIN_MAX_FWD;
	return ev;
}

struct sl_leg *
sl_corr_join_find(struct sl_corr *c, const struct sl_sip *m,
    const struct sl_packet *pkt, uint32_t *ev, int32_t *mf_parent, int64_t *delay)
{
	*ev = 0;
	*mf_parent = -1;
	*delay = 0;
	if (!c->o.merge)
		return NULL;
	struct sl_leg *best = NULL;
	uint32_t best_ev = 0;
	int64_t best_delay = 0;

	if (m->xcid.n) {
		struct sl_leg *p = sl_corr_leg_find(c, m->xcid);
		if (p && p->kind == SL_LEG_INVITE && !sl_str_eq(p->call_id, m->call_id)) {
			best = p;
			best_ev = SL_JOIN_HEADER | evidence(p, m);
			best_delay = pkt->ts_ns - last_invite_ts(p);
		}
	}
	if (best == NULL) {
		/* Only the calls that may be setting up (c->setup, in no
		 * order). The winner is the one a scan of every live call,
		 * newest first, would find first: on equal evidence and delay,
		 * the newer call (the parent is usually the latest call), then
		 * its leg listed first. */
		uint32_t best_index = 0;
		for (struct sl_corr_call *cc = c->setup, *next; cc; cc = next) {
			next = cc->setup_next;
			bool any_pending = false;
			bool invite = !cc->emitted && cc->pub.kind == SL_CALL_INVITE;
			for (struct sl_leg *l = invite ? cc->pub.legs : NULL; l; l = l->next) {
				if (!pending(l))
					continue;
				any_pending = true;
				if (!sl_ip_eq(&l->uas.ip, &pkt->src.ip) || sl_ep_eq(&l->uac, &pkt->src))
					continue;
				int64_t d = pkt->ts_ns - last_invite_ts(l);
				if (d < 0 || d > c->o.join_window_ns)
					continue;
				uint32_t e = SL_JOIN_TIMING | evidence(l, m);
				if (!(e & (SL_JOIN_FROM_USER | SL_JOIN_MAX_FWD)))
					continue;
				if (best == NULL || popcount(e) > popcount(best_ev) ||
				    (popcount(e) == popcount(best_ev) && (d < best_delay ||
				    (d == best_delay && cc->pub.index > best_index)))) {
					best = l;
					best_ev = e;
					best_delay = d;
					best_index = cc->pub.index;
				}
			}
			if (!any_pending)
				sl_corr_setup_remove(c, cc);
		}
	}
	if (best == NULL)
		return NULL;
	/* a leg joins the leg it continues; a chain A -> B -> C stays one call */
	*ev = best_ev;
	*mf_parent = best->first_max_forwards;
	*delay = best_delay;
	return best;
}

void
sl_corr_setup_add(struct sl_corr *c, struct sl_corr_call *cc)
{
	if (cc->in_setup)
		return;
	cc->in_setup = true;
	cc->setup_prev = NULL;
	cc->setup_next = c->setup;
	if (c->setup)
		c->setup->setup_prev = cc;
	c->setup = cc;
}

void
sl_corr_setup_remove(struct sl_corr *c, struct sl_corr_call *cc)
{
	if (!cc->in_setup)
		return;
	if (cc->setup_prev)
		cc->setup_prev->setup_next = cc->setup_next;
	else
		c->setup = cc->setup_next;
	if (cc->setup_next)
		cc->setup_next->setup_prev = cc->setup_prev;
	cc->setup_next = cc->setup_prev = NULL;
	cc->in_setup = false;
}

static bool
relayed(int64_t b_ts, int64_t a_ts)
{
	return b_ts != 0 && a_ts != 0 && a_ts >= b_ts && a_ts - b_ts <= RELAY_WINDOW_NS;
}

static bool
has_media(const struct sl_call *call, const struct sl_leg *leg)
{
	for (const struct sl_stream *s = call->streams; s; s = s->next)
		if (s->leg == leg && s->packets)
			return true;
	return false;
}

void
sl_corr_join_finish(struct sl_call *call)
{
	for (struct sl_leg *b = call->legs; b; b = b->next) {
		struct sl_leg *a = b->joined_to;
		if (a == NULL)
			continue;
		if (relayed(b->ring_ts, a->ring_ts) || relayed(b->answer_ts, a->answer_ts))
			b->join_ev |= SL_JOIN_PROGRESS;
		if (has_media(call, a) && has_media(call, b))
			b->join_ev |= SL_JOIN_MEDIA;
		if (a->bye_ts && b->bye_ts) {
			int64_t d = a->bye_ts - b->bye_ts;
			if (d < 0)
				d = -d;
			if (d <= RELAY_WINDOW_NS)
				b->join_ev |= SL_JOIN_HANGUP;
		}
		unsigned n = popcount(b->join_ev);
		if (b->join_ev & SL_JOIN_HEADER)
			b->join_conf = SL_CONF_CERTAIN;
		else
			b->join_conf = n >= 4 ? SL_CONF_HIGH : n == 3 ? SL_CONF_MEDIUM : SL_CONF_LOW;
	}
}
