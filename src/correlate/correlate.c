/* correlate.c: the correlator's entry points. Each SIP message finds or
 * opens its leg (joining new INVITE legs to a B2BUA call), is checked for
 * retransmission and recorded; media goes to media.c. A periodic sweep in
 * capture time hands finished calls to the emit callback in start order
 * and frees them, so memory follows concurrency, not capture length. */
#include <stdlib.h>

#include "correlate/corr_int.h"

#define SWEEP_EVERY_NS 1000000000LL

void
sl_corr_opts_default(struct sl_corr_opts *o)
{
	*o = (struct sl_corr_opts){
		.merge = true,
		.linger_ns = 10LL * 1000000000LL,
		.idle_ns = 300LL * 1000000000LL,
		.join_window_ns = 5LL * 1000000000LL,
		.call_mem_cap = 4u << 20,
		.max_waiting = 1024,
	};
}

struct sl_corr *
sl_corr_new(const struct sl_corr_opts *o)
{
	struct sl_corr *c = calloc(1, sizeof *c);
	if (c == NULL)
		return NULL;
	c->o = *o;
	/* per-run seed: Call-IDs come from the network, and a fixed seed
	 * would let a hostile capture collide every bucket */
	c->seed = sl_hash_u64((uint64_t)(uintptr_t)c ^ 0x5199ad0e5199ad0eULL);
	if (sl_hmap_init(&c->legs, 256) != SL_OK || sl_hmap_init(&c->media, 512) != SL_OK ||
	    sl_hmap_init(&c->streams, 512) != SL_OK ||
	    (c->flows = sl_corr_flows_new()) == NULL) {
		sl_corr_free(c);
		return NULL;
	}
	return c;
}

void
sl_corr_free(struct sl_corr *c)
{
	if (c == NULL)
		return;
	struct sl_corr_call *call = c->head;
	while (call) {
		struct sl_corr_call *next = call->next;
		sl_call_free(&call->pub);
		call = next;
	}
	sl_hmap_cleanup(&c->legs);
	sl_hmap_cleanup(&c->media);
	sl_hmap_cleanup(&c->streams);
	sl_corr_flows_free(c->flows);
	free(c);
}

const struct sl_corr_stats *
sl_corr_stats(const struct sl_corr *c)
{
	return &c->st;
}

static enum sl_call_kind
call_kind(enum sl_leg_kind k)
{
	return k == SL_LEG_INVITE ? SL_CALL_INVITE :
	    k == SL_LEG_REGISTER ? SL_CALL_REGISTER : SL_CALL_OTHER;
}

static bool
opens_invite(const struct sl_sip *m)
{
	return m->is_request && m->method_id == SL_SIP_METHOD_INVITE && m->to_tag.n == 0;
}

static struct sl_leg *
open_leg(struct sl_corr *c, const struct sl_sip *m, const struct sl_packet *pkt)
{
	uint32_t ev = 0;
	int32_t mf_parent = -1;
	int64_t delay = 0;
	struct sl_leg *parent = opens_invite(m) ?
	    sl_corr_join_find(c, m, pkt, &ev, &mf_parent, &delay) : NULL;
	if (parent) {
		struct sl_leg *leg = sl_corr_leg_new(c, parent->call, m, pkt);
		if (leg == NULL)
			return NULL;
		leg->joined_to = parent;
		leg->join_ev = ev;
		leg->join_mf_parent = mf_parent;
		leg->join_mf_self = m->max_forwards;
		leg->join_delay_ns = delay;
		c->st.legs_joined++;
		return leg;
	}
	struct sl_corr_call *cc = sl_corr_call_new(c, SL_CALL_OTHER, pkt->ts_ns, pkt->frame);
	if (cc == NULL)
		return NULL;
	struct sl_call *call = &cc->pub;
	struct sl_leg *leg = sl_corr_leg_new(c, call, m, pkt);
	if (leg == NULL) {
		sl_corr_call_unlink(c, cc);
		sl_call_free(call);
		return NULL;
	}
	call->kind = call_kind(leg->kind);
	if (call->kind == SL_CALL_INVITE)
		c->st.calls++;
	else if (call->kind == SL_CALL_REGISTER)
		c->st.registrations++;
	else
		c->st.dialogs++;
	return leg;
}

static void
on_sip(struct sl_corr *c, const struct sl_sip *m, const struct sl_packet *pkt)
{
	c->st.sip_msgs++;
	if (m->call_id.n == 0) {
		/* no Call-ID, no dialog: libosip2 and sip.c recorded why */
		c->st.sip_uncorrelated++;
		return;
	}
	struct sl_leg *leg = sl_corr_leg_find(c, m->call_id);
	if (leg == NULL)
		leg = open_leg(c, m, pkt);
	if (leg == NULL) {
		c->st.msgs_over_cap++;
		return;
	}
	struct sl_txn_seen seen;
	sl_corr_txn_see(c, leg, m, pkt, &seen);
	struct sl_msg *first = seen.first ? *seen.first : NULL;
	if (seen.retrans) {
		c->st.sip_retrans++;
		/* counted on the first copy even when this one is not kept */
		if (first) {
			first->retrans_count++;
			first->retrans_last_ts = pkt->ts_ns;
		}
	}
	struct sl_msg *msg = sl_corr_msg_add(c, leg, m, pkt);
	if (msg) {
		msg->retrans = seen.retrans;
		if (!seen.retrans) {
			if (seen.first)
				*seen.first = msg;
			sl_corr_leg_update(c, leg, msg, m, seen.req_auth);
		}
	}
	leg->last_ts = pkt->ts_ns;
	if (pkt->ts_ns > leg->call->last_ts)
		leg->call->last_ts = pkt->ts_ns;
}

/* Is the call over, as far as signalling goes? Only then does the short
 * linger apply; anything else waits for the idle timeout. */
static bool
leg_over(const struct sl_leg *l)
{
	if (l->kind != SL_LEG_INVITE)
		return true;
	if (l->bye_ts)
		return l->bye_status != 0;
	if (l->answer_ts)
		return false;
	return l->final_status >= 300;
}

static bool
call_over(const struct sl_call *call)
{
	switch (call->kind) {
	case SL_CALL_INVITE:
		for (const struct sl_leg *l = call->legs; l; l = l->next)
			if (!leg_over(l))
				return false;
		return true;
	case SL_CALL_REGISTER:
		for (const struct sl_reg *r = call->regs; r; r = r->next)
			if (r->result == 0)
				return false;
		return true;
	case SL_CALL_OTHER:
	default:
		for (const struct sl_msg *m = call->msgs; m; m = m->next)
			if (!m->is_request && m->status >= 200)
				return true;
		return false;
	}
}

/* RTP moves only its stream's max_ts, not the call's last_ts, so that
 * a packet need not load the call (media.c): bring last_ts up to date
 * before it is read. */
static void
settle_last_ts(struct sl_call *call)
{
	for (struct sl_stream *s = call->streams; s; s = s->next) {
		int64_t t = sl_corr_stream_of(s)->max_ts;
		if (t > call->last_ts)
			call->last_ts = t;
	}
}

static bool
call_ready(const struct sl_corr *c, struct sl_corr_call *cc)
{
	/* Settling can only shorten the quiet, so a call quiet for less
	 * than both waits is not ready: the sweep need not load its
	 * streams (settle_last_ts) nor its legs (call_over). */
	int64_t wait = c->o.linger_ns < c->o.idle_ns ? c->o.linger_ns : c->o.idle_ns;
	if (c->now - cc->pub.last_ts < wait)
		return false;
	settle_last_ts(&cc->pub);
	int64_t quiet = c->now - cc->pub.last_ts;
	return quiet >= (call_over(&cc->pub) ? c->o.linger_ns : c->o.idle_ns);
}

static void
emit_call(struct sl_corr *c, struct sl_corr_call *cc)
{
	struct sl_call *call = &cc->pub;
	settle_last_ts(call);
	sl_corr_join_finish(call);
	for (struct sl_stream *s = call->streams; s; s = s->next)
		sl_corr_stream_finish(sl_corr_stream_of(s));
	enum sl_err analysed = sl_call_analyze(call);
	if (analysed != SL_OK && c->failed == SL_OK)
		c->failed = analysed;	/* no call leaves without its findings */
	cc->emitted = true;
	sl_corr_media_forget(c, cc);
	for (struct sl_leg *l = call->legs; l; l = l->next)
		sl_hmap_remove(&c->legs, &sl_corr_leg_of(l)->node);
	sl_corr_call_unlink(c, cc);
	if (c->failed == SL_OK && c->o.emit) {
		enum sl_err e = c->o.emit(c->o.emit_user, call);
		if (e != SL_OK)
			c->failed = e;
		if (c->o.emit_keeps)
			return;
	}
	sl_call_free(call);
}

/* Emits ready calls from the head, in start order; a slow call at the
 * head holds the ones behind it back, up to max_waiting of them. */
static void
sweep(struct sl_corr *c, bool all)
{
	while (c->head && (all || call_ready(c, c->head)))
		emit_call(c, c->head);
	if (all || c->head == NULL)
		return;
	size_t ready = 0;
	for (struct sl_corr_call *call = c->head; call; call = call->next)
		ready += call_ready(c, call);
	if (ready <= c->o.max_waiting && c->o.max_waiting)
		return;
	for (struct sl_corr_call *call = c->head, *next; call; call = next) {
		next = call->next;
		if (call_ready(c, call)) {
			if (c->o.max_waiting)
				c->st.out_of_order_emits++;
			emit_call(c, call);
		}
	}
}

enum sl_err
sl_corr_packet(struct sl_corr *c, const struct sl_packet *pkt)
{
	if (c->failed != SL_OK)
		return c->failed;
	if (pkt->ts_ns > c->now)
		c->now = pkt->ts_ns;
	/* sweep before dispatch: whether a message reopens a finished call
	 * must depend on its own timing, not on unrelated traffic in between */
	if (c->now - c->last_sweep >= SWEEP_EVERY_NS) {
		c->last_sweep = c->now;
		sweep(c, false);
	}
	switch (pkt->app) {
	case SL_APP_SIP:
		for (const struct sl_sip *m = pkt->sip; m; m = m->next)
			on_sip(c, m, pkt);
		break;
	case SL_APP_RTP:
		sl_corr_rtp(c, pkt);
		break;
	case SL_APP_RTCP:
		sl_corr_rtcp(c, pkt);
		break;
	case SL_APP_ICMP:
		sl_corr_icmp(c, pkt);
		break;
	case SL_APP_NONE:
	default:
		break;
	}
	return c->failed;
}

enum sl_err
sl_corr_tick(struct sl_corr *c, int64_t now)
{
	if (c->failed != SL_OK)
		return c->failed;
	if (now > c->now)
		c->now = now;
	if (c->now - c->last_sweep >= SWEEP_EVERY_NS) {
		c->last_sweep = c->now;
		sweep(c, false);
	}
	return c->failed;
}

enum sl_err
sl_corr_finish(struct sl_corr *c)
{
	sweep(c, true);
	return c->failed;
}
