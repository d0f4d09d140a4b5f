/* call.c: call objects, the Call-ID index and the actions shared by call
 * setup and in-dialog handling (call.h). */
#include "server/call.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/b2bua.h"
#include "server/uri.h"
#include "sip/sdp.h"
#include "sip/uri.h"

/* ----- index ----- */

enum find_mode { FIND_DIALOG, FIND_A_INITIAL, FIND_B_RESPONSE };

struct key {
	const char *cid;
	struct sl_str ftag, ttag;
	enum find_mode mode;
};

static struct sl_b2b_leg *
leg_of(const struct sl_hnode *n)
{
	return (struct sl_b2b_leg *)(void *)((char *)(uintptr_t)n -
	    offsetof(struct sl_b2b_leg, node));
}

static bool
leg_eq(const struct sl_hnode *n, const void *kv)
{
	const struct sl_b2b_leg *l = leg_of(n);
	const struct key *k = kv;

	if (strcmp(l->call_id, k->cid) != 0)
		return false;
	switch (k->mode) {
	case FIND_DIALOG:
		return l->remote_tag[0] && sl_str_eq(k->ftag, sl_str_c(l->remote_tag)) &&
		    sl_str_eq(k->ttag, sl_str_c(l->local_tag));
	case FIND_A_INITIAL:
		return l->is_a && sl_str_eq(k->ftag, sl_str_c(l->remote_tag));
	case FIND_B_RESPONSE:
		return !l->is_a && sl_str_eq(k->ftag, sl_str_c(l->local_tag));
	}
	return false;
}

static struct sl_b2b_leg *
find(struct sl_b2b *b, const osip_message_t *m, enum find_mode mode)
{
	char cid[SL_MSG_CALLID_MAX];
	struct key k = { cid, sl_msg_from_tag(m), sl_msg_to_tag(m), mode };

	if (!sl_msg_call_id(m, cid))
		return NULL;
	struct sl_hnode *n = sl_hmap_find(&b->legs, sl_hash_bytes(cid, strlen(cid), 0),
	    leg_eq, &k);
	return n ? leg_of(n) : NULL;
}

struct sl_b2b_leg *
sl_b2b_call_find(struct sl_b2b *b, const osip_message_t *req)
{
	return find(b, req, FIND_DIALOG);
}

struct sl_b2b_leg *
sl_b2b_call_find_a(struct sl_b2b *b, const osip_message_t *req)
{
	return find(b, req, FIND_A_INITIAL);
}

struct sl_b2b_leg *
sl_b2b_call_find_b(struct sl_b2b *b, const osip_message_t *resp)
{
	return find(b, resp, FIND_B_RESPONSE);
}

void
sl_b2b_call_index(struct sl_b2b_call *c, struct sl_b2b_leg *l)
{
	if (l->in_map)
		return;
	sl_hmap_insert(&c->b->legs, &l->node,
	    sl_hash_bytes(l->call_id, strlen(l->call_id), 0));
	l->in_map = true;
}

/* ----- life cycle ----- */

static void
leg_init(struct sl_b2b_call *c, struct sl_b2b_leg *l, bool is_a)
{
	l->call = c;
	l->is_a = is_a;
	sl_buf_init(&l->sdp, SL_MSG_MAX_LEN);
	sl_buf_init(&l->ack, SL_MSG_MAX_LEN);
}

struct sl_b2b_call *
sl_b2b_call_new(struct sl_b2b *b, size_t nb)
{
	struct sl_b2b_call *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	c->bl = calloc(nb, sizeof(*c->bl));
	if (c->bl == NULL) {
		free(c);
		return NULL;
	}
	c->b = b;
	c->nb = nb;
	c->id = ++b->next_id;
	leg_init(c, &c->a, true);
	for (size_t i = 0; i < nb; i++)
		leg_init(c, &c->bl[i], false);
	c->next = b->calls;
	if (b->calls)
		b->calls->prev = c;
	b->calls = c;
	b->n++;
	return c;
}

static void
leg_cleanup(struct sl_b2b *b, struct sl_b2b_leg *l)
{
	struct sl_loop *loop = b->s->cfg.loop;

	if (l->in_map)
		sl_hmap_remove(&b->legs, &l->node);
	l->in_map = false;
	if (l->inv)
		sl_txn_set_user(l->inv, NULL);
	l->inv = NULL;
	sl_loop_timer_cancel(loop, l->t_settle);
	sl_buf_free(&l->sdp);
	sl_buf_free(&l->ack);
}

static void
stop_timers(struct sl_b2b_call *c)
{
	struct sl_loop *loop = c->b->s->cfg.loop;

	sl_loop_timer_cancel(loop, c->t_rtp);
	sl_loop_timer_cancel(loop, c->t_session);
	c->t_rtp = c->t_session = 0;
}

void
sl_b2b_call_free(struct sl_b2b_call *c)
{
	struct sl_b2b *b = c->b;

	stop_timers(c);
	leg_cleanup(b, &c->a);
	for (size_t i = 0; i < c->nb; i++)
		leg_cleanup(b, &c->bl[i]);
	sl_loop_timer_cancel(b->s->cfg.loop, c->t_noanswer);
	sl_relay_free(c->relay);
	if (c->prev)
		c->prev->next = c->next;
	else
		b->calls = c->next;
	if (c->next)
		c->next->prev = c->prev;
	b->n--;
	free(c->bl);
	free(c);
}

void
sl_b2b_call_maybe_free(struct sl_b2b_call *c)
{
	if (c->state != SL_B2B_DONE)
		return;
	for (size_t i = 0; i < c->nb; i++)
		if (!c->bl[i].final && c->bl[i].inv != NULL)
			return;
	sl_log(c->b->s->cfg.log, SL_LOG_DEBUG, NULL, "call %llu freed",
	    (unsigned long long)c->id);
	sl_b2b_call_free(c);
}

/* ----- media ----- */

void
sl_b2b_call_learn(struct sl_b2b_call *c, const struct sl_b2b_leg *l, struct sl_str sdp)
{
	enum sl_relay_side side = l->is_a ? SL_RELAY_A : SL_RELAY_B;
	struct sl_sipsdp_info in;

	if (c->relay == NULL || sl_sipsdp_parse(sdp.p, sdp.n, &in) != SL_OK ||
	    !in.has_audio || !in.has_conn)
		return;
	sl_relay_set_signal_ip(c->relay, side, &l->peer.ip);
	sl_relay_set_peer(c->relay, side, &in.conn, in.port);
}

void
sl_b2b_call_release_media(struct sl_b2b_call *c)
{
	if (c->relay == NULL)
		return;
	c->rstat[0] = *sl_relay_stats(c->relay, SL_RELAY_A);
	c->rstat[1] = *sl_relay_stats(c->relay, SL_RELAY_B);
	sl_relay_free(c->relay);
	c->relay = NULL;
}

void
sl_b2b_call_rtp_stat(const struct sl_b2b_call *c, enum sl_relay_side side, char *out, size_t n)
{
	const struct sl_relay_stats *st = c->relay ? sl_relay_stats(c->relay, side) :
	    &c->rstat[side];

	snprintf(out, n, "PS=%llu,OS=%llu,PR=%llu,OR=%llu",
	    (unsigned long long)st->tx_pkts, (unsigned long long)st->tx_bytes,
	    (unsigned long long)st->rx_pkts, (unsigned long long)st->rx_bytes);
}

/* ----- requests we originate ----- */

struct sl_endpoint
sl_b2b_call_leg_dst(const struct sl_b2b_leg *l)
{
	struct sl_endpoint e;

	/* a remote target we must not send to (sl_srv_unroutable) is
	 * ignored: the peer the leg's INVITE came from or went to is used */
	if (l->has_dlg && sl_sip_uri_dst(l->dlg.remote_target, &e) &&
	    sl_srv_unroutable(l->call->b->s, &e) == NULL)
		return e;
	return l->peer;
}

bool
sl_b2b_call_from_peer(const struct sl_b2b_leg *l, const struct sl_endpoint *from)
{
	struct sl_endpoint dst = sl_b2b_call_leg_dst(l);

	return sl_ep_eq(from, &l->peer) || sl_ep_eq(from, &dst);
}

static void
on_settle(struct sl_loop *loop, uint64_t id, void *arg)
{
	struct sl_b2b_leg *l = arg;

	(void)loop;
	(void)id;
	l->t_settle = 0;
	/* RFC 3261 9.1: no final response 64*T1 after the CANCEL; give up
	 * on the INVITE (its transaction is left to the layer) */
	l->final = true;
	if (l->inv)
		sl_txn_set_user(l->inv, NULL);
	l->inv = NULL;
	sl_b2b_call_maybe_free(l->call);
}

static void
send_cancel(struct sl_b2b_call *c, struct sl_b2b_leg *l)
{
	struct sl_srv *s = c->b->s;
	osip_message_t *m = NULL;

	l->cancel_sent = true;
	if (l->inv == NULL || sl_msg_cancel(sl_txn_request(l->inv), &m) != SL_OK)
		return;
	if (l->cancel_reason)
		sl_msg_add_header(m, "Reason", l->cancel_reason);
	if (sl_txn_client(s->txn, m, &l->peer, NULL, NULL) != SL_OK)
		sl_log(s->cfg.log, SL_LOG_WARN, &l->peer, "call %llu: cannot send CANCEL",
		    (unsigned long long)c->id);
}

void
sl_b2b_call_cancel_leg(struct sl_b2b_call *c, struct sl_b2b_leg *l, const char *reason)
{
	struct sl_srv *s = c->b->s;

	if (l->is_a || l->final || l->cancel_wanted)
		return;
	l->cancel_wanted = true;
	l->cancel_reason = reason;
	if (l->provisional)
		send_cancel(c, l);
	/* RFC 3261 9.1: CANCEL waits for a provisional response; either way
	 * the leg is given up 64*T1 later */
	l->t_settle = sl_loop_timer_add(s->cfg.loop, 64u * (s->cfg.t1_ms ? s->cfg.t1_ms : 500u),
	    on_settle, l);
}

void
sl_b2b_call_cancel_now(struct sl_b2b_call *c, struct sl_b2b_leg *l)
{
	if (l->cancel_wanted && !l->cancel_sent && !l->final)
		send_cancel(c, l);
}

void
sl_b2b_call_bye(struct sl_b2b_call *c, struct sl_b2b_leg *l, const char *reason)
{
	struct sl_srv *s = c->b->s;
	osip_message_t *m = NULL;
	char stat[128];

	if (!l->has_dlg || l->byed)
		return;
	l->byed = true;
	struct sl_endpoint dst = sl_b2b_call_leg_dst(l);
	if (sl_dialog_request(&l->dlg, "BYE", &l->me.l, &s->ids, &m) != SL_OK) {
		sl_log(s->cfg.log, SL_LOG_WARN, &dst, "call %llu: cannot build BYE",
		    (unsigned long long)c->id);
		return;
	}
	sl_b2b_call_rtp_stat(c, l->is_a ? SL_RELAY_A : SL_RELAY_B, stat, sizeof(stat));
	if ((reason && sl_msg_add_header(m, "Reason", reason) != SL_OK) ||
	    sl_msg_add_header(m, "P-RTP-Stat", stat) != SL_OK) {
		sl_msg_free(m);
		return;
	}
	if (sl_txn_client(s->txn, m, &dst, NULL, NULL) != SL_OK)
		sl_log(s->cfg.log, SL_LOG_WARN, &dst, "call %llu: cannot send BYE",
		    (unsigned long long)c->id);
}

void
sl_b2b_call_fail(struct sl_b2b_call *c, int status, const char *why)
{
	struct sl_srv *s = c->b->s;

	if (c->state != SL_B2B_CALLING)
		return;
	c->state = SL_B2B_DONE;
	sl_loop_timer_cancel(s->cfg.loop, c->t_noanswer);
	c->t_noanswer = 0;
	if (c->a.inv)
		sl_srv_reply(s, c->a.inv, status, NULL, c->a.local_tag, why);
	for (size_t i = 0; i < c->nb; i++)
		sl_b2b_call_cancel_leg(c, &c->bl[i], NULL);
	sl_b2b_call_release_media(c);
	sl_log(s->cfg.log, SL_LOG_INFO, &c->a.peer, "call %llu: %s -> %s failed: %d (%s)",
	    (unsigned long long)c->id, c->caller, c->called, status, why ? why : "");
}

void
sl_b2b_call_hangup(struct sl_b2b_call *c, struct sl_b2b_leg *from, const char *reason)
{
	struct sl_srv *s = c->b->s;

	if (c->state != SL_B2B_ANSWERED && c->state != SL_B2B_ACTIVE)
		return;
	c->state = SL_B2B_DONE;
	stop_timers(c);
	/* the seed: once the hangup is accepted the server takes no more
	 * RTP, so late packets draw ICMP port unreachable */
	sl_b2b_call_release_media(c);
	if (from != &c->a)
		sl_b2b_call_bye(c, &c->a, reason);
	if (c->winner && from != c->winner)
		sl_b2b_call_bye(c, c->winner, reason);
	sl_log(s->cfg.log, SL_LOG_INFO, from ? &from->peer : NULL,
	    "call %llu: %s -> %s ended by %s (%llu/%llu RTP packets relayed)",
	    (unsigned long long)c->id, c->caller, c->called,
	    from == NULL ? "the server" : from->is_a ? "the caller" : "the callee",
	    (unsigned long long)c->rstat[0].rx_pkts, (unsigned long long)c->rstat[1].rx_pkts);
	sl_b2b_call_maybe_free(c);
}

/* ----- timers of an answered call ----- */

static bool
up(const struct sl_b2b_call *c)
{
	return c->state == SL_B2B_ANSWERED || c->state == SL_B2B_ACTIVE;
}

static void
on_rtp_timeout(struct sl_loop *loop, uint64_t id, void *arg)
{
	struct sl_b2b_call *c = arg;
	struct sl_srv *s = c->b->s;
	uint64_t lim = (uint64_t)s->cfg.opts->rtp_timeout_s * 1000u;

	(void)id;
	c->t_rtp = 0;
	if (!up(c))
		return;
	uint64_t last = c->relay ? sl_relay_last_rx_ms(c->relay) : 0;
	if (last < c->t_answer)
		last = c->t_answer;
	uint64_t now = sl_loop_now(loop);
	if (now < last + lim) {
		/* media flowed meanwhile: one timer per call, due when the
		 * last packet is lim old, instead of polling every call */
		c->t_rtp = sl_loop_timer_add(loop, last + lim - now, on_rtp_timeout, c);
		return;
	}
	sl_log(s->cfg.log, SL_LOG_INFO, &c->a.peer,
	    "call %llu: %s -> %s: no RTP for %u s (--rtp-timeout), hanging up",
	    (unsigned long long)c->id, c->caller, c->called, s->cfg.opts->rtp_timeout_s);
	sl_b2b_call_hangup(c, NULL, SL_B2B_REASON_RTP);
}

static void
on_session_timeout(struct sl_loop *loop, uint64_t id, void *arg)
{
	struct sl_b2b_call *c = arg;
	struct sl_srv *s = c->b->s;

	(void)loop;
	(void)id;
	c->t_session = 0;
	if (!up(c))
		return;
	sl_log(s->cfg.log, SL_LOG_INFO, &c->a.peer,
	    "call %llu: %s -> %s: up for %u s (--session-timeout), hanging up",
	    (unsigned long long)c->id, c->caller, c->called, s->cfg.opts->session_timeout_s);
	sl_b2b_call_hangup(c, NULL, SL_B2B_REASON_SESSION);
}

void
sl_b2b_call_arm_timers(struct sl_b2b_call *c)
{
	struct sl_srv *s = c->b->s;
	const struct sl_srv_opts *o = s->cfg.opts;

	stop_timers(c);
	c->t_answer = sl_loop_now(s->cfg.loop);
	if (o->rtp_timeout_s)
		c->t_rtp = sl_loop_timer_add(s->cfg.loop, (uint64_t)o->rtp_timeout_s * 1000u,
		    on_rtp_timeout, c);
	if (o->session_timeout_s)
		c->t_session = sl_loop_timer_add(s->cfg.loop,
		    (uint64_t)o->session_timeout_s * 1000u, on_session_timeout, c);
	/* the loop's timer table is bounded: a call without its timers
	 * would be exactly the stale call these exist to end */
	if ((o->rtp_timeout_s && c->t_rtp == 0) || (o->session_timeout_s && c->t_session == 0))
		sl_log(s->cfg.log, SL_LOG_WARN, &c->a.peer,
		    "call %llu: no room for its timers, it may outlive its endpoints",
		    (unsigned long long)c->id);
}

/* ----- table ----- */

struct sl_b2b *
sl_b2b_new(struct sl_srv *s)
{
	struct sl_b2b *b = calloc(1, sizeof(*b));

	if (b == NULL)
		return NULL;
	b->s = s;
	if (sl_hmap_init(&b->legs, 64) != SL_OK) {
		free(b);
		return NULL;
	}
	return b;
}

void
sl_b2b_free(struct sl_b2b *b)
{
	if (b == NULL)
		return;
	while (b->calls)
		sl_b2b_call_free(b->calls);
	sl_hmap_cleanup(&b->legs);
	free(b);
}

size_t
sl_b2b_count(const struct sl_b2b *b)
{
	return b->n;
}
