/* txn.c: the four RFC 3261 17 state machines of txn.h over loop timers.
 * Each transaction has at most three pending timers: retransmit (A, E, G,
 * 2xx), timeout (B, F, P, H, L, unanswered server non-INVITE) and end (D,
 * K, I, J, M). Transactions are freed only from timer callbacks or
 * sl_txn_layer_free, never while the TU is inside a callback about them.
 *
 * Memory: a transaction outlives its final response by up to 64*T1 only
 * to absorb retransmissions, and under load those lingering ones are most
 * of the server's heap. So each keeps just what its state can still use:
 * the parsed request until the final response (txn.h), and one
 * exact-size copy of the bytes it may have to send again: the request
 * while it is retransmitted (client Calling/Trying/Proceeding non-INVITE),
 * the ACK of a non-2xx (client INVITE Completed), the last response
 * (server, until the ACK ends its retransmission). */
#include "sip/txn.h"

#include <stdlib.h>
#include <string.h>

#include "core/hash.h"

#define KEY_MAX 2048
#define SEP "\x1f"	/* cannot occur in a parsed header value */

struct sl_sip_txn {
	struct sl_hnode node;		/* l->map, by key */
	struct sl_hnode ack_node;	/* l->acks, Accepted server INVITEs */
	struct sl_sip_txn *prev, *next;	/* l->all */
	struct sl_txn_layer *l;
	osip_message_t *req;		/* NULL once the final response is done */
	char *out;			/* bytes to send again (see the top), or NULL */
	size_t outlen;
	char *ack_key;
	size_t ack_keylen;
	void *user;
	uint64_t t_retx, t_timeout, t_end;
	struct sl_endpoint peer;
	enum sl_txn_kind kind;
	enum sl_txn_state state;
	int status;
	uint32_t retx_ms;
	bool acked;
	bool in_acks;
	bool in_request;		/* inside the TU's request callback */
	bool trying_due;		/* the automatic 100 is still to go */
	uint32_t in_len;		/* bytes of the datagram that made it, 0: unknown */
	size_t keylen;
	char key[];			/* NUL-terminated */
};

/* An answer sent with respond_once, kept so that a retransmission of its
 * request gets the very same bytes (RFC 3261 17.2.1/17.2.2) without a
 * transaction: a client with a transaction layer would absorb a second,
 * different 401, but SIPp and other scripted peers take it for an
 * unexpected message. Direct-mapped by the request's key: a flood only
 * overwrites entries, it cannot grow them. */
struct once {
	char *key;
	size_t keylen;
	char *bytes;
	size_t n;
	struct sl_endpoint peer;
	uint64_t at_ms;
};

struct sl_txn_layer {
	struct sl_loop *loop;
	struct sl_txn_cfg cfg;
	struct sl_txn_user tu;
	void *arg;
	struct sl_hmap map;
	struct sl_hmap acks;
	struct sl_sip_txn *all;
	struct sl_buf scratch;		/* serialization, copied out exact-size */
	struct sl_txn_stats st;
	uint32_t in_len;		/* of the datagram being input, 0: unknown */
	struct sl_sip_txn *cur;		/* in its TU request callback */
	struct once *once;		/* SL_TXN_ONCE_SLOTS answers sent once */
};

void
sl_txn_cfg_default(struct sl_txn_cfg *c)
{
	c->t1_ms = 500;
	c->t2_ms = 4000;
	c->t4_ms = 5000;
	c->timer_d_ms = 32000;
	c->proceeding_max_ms = 180000;
	c->trying_invite = true;
	c->trying_non_invite = true;
	c->max_txns = 65536;
}

struct sl_txn_layer *
sl_txn_layer_new(struct sl_loop *loop, const struct sl_txn_cfg *cfg,
    const struct sl_txn_user *tu, void *arg)
{
	struct sl_txn_layer *l = calloc(1, sizeof(*l));

	if (l == NULL)
		return NULL;
	l->loop = loop;
	l->cfg = *cfg;
	if (l->cfg.t1_ms == 0)
		l->cfg.t1_ms = 500;
	if (l->cfg.t2_ms == 0)
		l->cfg.t2_ms = 4000;
	if (l->cfg.t4_ms == 0)
		l->cfg.t4_ms = 5000;
	if (l->cfg.timer_d_ms == 0)
		l->cfg.timer_d_ms = 32000;
	if (l->cfg.proceeding_max_ms == 0)
		l->cfg.proceeding_max_ms = 180000;
	if (l->cfg.max_txns == 0)
		l->cfg.max_txns = 65536;
	l->tu = *tu;
	l->arg = arg;
	sl_buf_init(&l->scratch, SL_MSG_MAX_LEN);
	l->once = calloc(SL_TXN_ONCE_SLOTS, sizeof(*l->once));
	if (l->once == NULL || sl_hmap_init(&l->map, 256) != SL_OK ||
	    sl_hmap_init(&l->acks, 64) != SL_OK) {
		sl_hmap_cleanup(&l->map);
		free(l->once);
		free(l);
		return NULL;
	}
	return l;
}

const struct sl_txn_stats *
sl_txn_stats(const struct sl_txn_layer *l)
{
	return &l->st;
}

/* ----- keys ----- */

static bool
key_eq(const struct sl_hnode *n, const void *key)
{
	const struct sl_sip_txn *t = (const struct sl_sip_txn *)(const void *)
	    ((const char *)n - offsetof(struct sl_sip_txn, node));
	const struct sl_str *k = key;

	return t->keylen == k->n && memcmp(t->key, k->p, k->n) == 0;
}

static bool
ack_key_eq(const struct sl_hnode *n, const void *key)
{
	const struct sl_sip_txn *t = (const struct sl_sip_txn *)(const void *)
	    ((const char *)n - offsetof(struct sl_sip_txn, ack_node));
	const struct sl_str *k = key;

	return t->ack_keylen == k->n && memcmp(t->ack_key, k->p, k->n) == 0;
}

static bool
has_cookie(struct sl_str branch)
{
	return sl_str_istarts(branch, SL_STR("z9hG4bK"));
}

/* RFC 3261 17.1.3: branch + CSeq method */
static bool
client_key(const osip_message_t *m, struct sl_buf *k)
{
	struct sl_str branch = sl_msg_branch(m), method = sl_msg_method(m);

	if (branch.n == 0 || method.n == 0 || !m->cseq)
		return false;
	method = sl_str_c(m->cseq->method);
	return sl_buf_printf(k, "C" SEP "%.*s" SEP "%.*s", SL_PRI(branch),
	    SL_PRI(method)) == SL_OK;
}

/* RFC 3261 17.2.3: branch + sent-by + method, ACK as INVITE; without the
 * magic cookie, the RFC 2543 identifiers instead */
static bool
server_key(const osip_message_t *m, struct sl_buf *k)
{
	struct sl_str branch = sl_msg_branch(m), method = sl_msg_method(m), host;
	uint16_t port;
	char cid[SL_MSG_CALLID_MAX];
	uint32_t cseq;
	struct sl_str cm;

	if (!sl_msg_sent_by(m, &host, &port) || !sl_msg_cseq(m, &cseq, &cm))
		return false;
	if (sl_str_eq(method, SL_STR("ACK")))
		method = SL_STR("INVITE");
	if (has_cookie(branch))
		return sl_buf_printf(k, "S" SEP "%.*s" SEP "%.*s:%u" SEP "%.*s",
		    SL_PRI(branch), SL_PRI(host), port, SL_PRI(method)) == SL_OK;
	if (!sl_msg_call_id(m, cid))
		return false;
	struct sl_str ftag = sl_msg_from_tag(m);
	return sl_buf_printf(k, "S2" SEP "%s" SEP "%.*s" SEP "%u" SEP "%.*s:%u" SEP "%.*s",
	    cid, SL_PRI(ftag), cseq, SL_PRI(host), port, SL_PRI(method)) == SL_OK;
}

/* ACK for 2xx: same Call-ID, From tag and CSeq number as the INVITE */
static bool
dialog_ack_key(const osip_message_t *m, struct sl_buf *k)
{
	char cid[SL_MSG_CALLID_MAX];
	uint32_t cseq;
	struct sl_str cm, ftag = sl_msg_from_tag(m);

	if (!sl_msg_call_id(m, cid) || !sl_msg_cseq(m, &cseq, &cm))
		return false;
	return sl_buf_printf(k, "A" SEP "%s" SEP "%.*s" SEP "%u", cid, SL_PRI(ftag),
	    cseq) == SL_OK;
}

static struct sl_sip_txn *
lookup(struct sl_hmap *map, sl_hmap_eq_fn eq, size_t off, const struct sl_buf *k)
{
	struct sl_str key = sl_str_make(k->p, k->len);
	struct sl_hnode *n = sl_hmap_find(map, sl_hash_bytes(k->p, k->len, 0), eq, &key);

	return n ? (struct sl_sip_txn *)(void *)((char *)n - off) : NULL;
}

static struct sl_sip_txn *
find_key(struct sl_txn_layer *l, const struct sl_buf *k)
{
	return lookup(&l->map, key_eq, offsetof(struct sl_sip_txn, node), k);
}

/* ----- life cycle ----- */

static void
cancel_timers(struct sl_sip_txn *t)
{
	sl_loop_timer_cancel(t->l->loop, t->t_retx);
	sl_loop_timer_cancel(t->l->loop, t->t_timeout);
	sl_loop_timer_cancel(t->l->loop, t->t_end);
	t->t_retx = t->t_timeout = t->t_end = 0;
}

static void
drop_out(struct sl_sip_txn *t)
{
	if (t->out == NULL)
		return;
	t->l->st.bytes -= t->outlen;
	free(t->out);
	t->out = NULL;
	t->outlen = 0;
}

static void
drop_req(struct sl_sip_txn *t)
{
	if (t->req == NULL)
		return;
	t->l->st.requests--;
	sl_msg_free(t->req);
	t->req = NULL;
}

/* The final response is sent (server) or handled by the TU (client): the
 * request is no longer readable (txn.h), except that a TU answering from
 * inside its request callback keeps the message it was handed until it
 * returns. */
static void
request_done(struct sl_sip_txn *t)
{
	if (!t->in_request)
		drop_req(t);
}

static void
txn_free(struct sl_sip_txn *t)
{
	struct sl_txn_layer *l = t->l;

	cancel_timers(t);
	sl_hmap_remove(&l->map, &t->node);
	if (t->in_acks)
		sl_hmap_remove(&l->acks, &t->ack_node);
	if (t->prev)
		t->prev->next = t->next;
	else
		l->all = t->next;
	if (t->next)
		t->next->prev = t->prev;
	drop_req(t);
	drop_out(t);
	free(t->ack_key);
	free(t);
	l->st.live--;
}

static void
terminate(struct sl_sip_txn *t)
{
	struct sl_txn_layer *l = t->l;

	t->state = SL_TXN_TERMINATED;
	cancel_timers(t);
	if (l->tu.gone)
		l->tu.gone(l->arg, t);
	txn_free(t);
}

static void
timed_out(struct sl_sip_txn *t)
{
	struct sl_txn_layer *l = t->l;

	l->st.timeouts++;
	t->state = SL_TXN_TERMINATED;
	cancel_timers(t);
	if (l->tu.timeout)
		l->tu.timeout(l->arg, t);
	terminate(t);
}

static struct sl_sip_txn *
txn_new(struct sl_txn_layer *l, enum sl_txn_kind kind, osip_message_t *req,
    const struct sl_endpoint *peer, const struct sl_buf *key)
{
	if (l->st.live >= l->cfg.max_txns) {
		l->st.refused++;
		return NULL;
	}
	struct sl_sip_txn *t = calloc(1, sizeof(*t) + key->len + 1);
	if (t == NULL)
		return NULL;
	memcpy(t->key, key->p, key->len + 1);
	t->keylen = key->len;
	t->l = l;
	t->kind = kind;
	t->req = req;
	l->st.requests++;
	t->peer = *peer;
	sl_hmap_insert(&l->map, &t->node, sl_hash_bytes(t->key, t->keylen, 0));
	t->next = l->all;
	if (l->all)
		l->all->prev = t;
	l->all = t;
	l->st.live++;
	l->st.created++;
	return t;
}

void
sl_txn_layer_free(struct sl_txn_layer *l)
{
	if (l == NULL)
		return;
	while (l->all)
		txn_free(l->all);
	for (size_t i = 0; i < SL_TXN_ONCE_SLOTS; i++) {
		free(l->once[i].key);
		free(l->once[i].bytes);
	}
	free(l->once);
	sl_hmap_cleanup(&l->map);
	sl_hmap_cleanup(&l->acks);
	sl_buf_free(&l->scratch);
	free(l);
}

/* ----- answers sent once ----- */

static struct once *
once_slot(struct sl_txn_layer *l, const char *key, size_t keylen)
{
	return &l->once[sl_hash_bytes(key, keylen, 0x6f6e6365u) & (SL_TXN_ONCE_SLOTS - 1)];
}

static void
once_keep(struct sl_sip_txn *st)
{
	struct once *o = once_slot(st->l, st->key, st->keylen);
	char *key = malloc(st->keylen), *bytes = malloc(st->outlen);

	if (key == NULL || bytes == NULL || st->out == NULL) {
		free(key);
		free(bytes);
		return;
	}
	free(o->key);
	free(o->bytes);
	memcpy(key, st->key, st->keylen);
	memcpy(bytes, st->out, st->outlen);
	*o = (struct once){ key, st->keylen, bytes, st->outlen, st->peer,
		sl_loop_now(st->l->loop) };
}

/* A request whose answer went once: true when it was handled here (the
 * same answer again, or for its ACK nothing at all) */
static bool
once_again(struct sl_txn_layer *l, const struct sl_buf *k, bool is_ack,
    const struct sl_endpoint *from)
{
	struct once *o = once_slot(l, k->p, k->len);

	if (o->key == NULL || o->keylen != k->len || memcmp(o->key, k->p, k->len) != 0 ||
	    !sl_ep_eq(from, &o->peer) ||
	    sl_loop_now(l->loop) - o->at_ms > 64u * (uint64_t)l->cfg.t1_ms)
		return false;
	l->st.absorbed++;
	if (!is_ack && l->tu.send(l->arg, from, o->bytes, o->n) != SL_OK)
		l->st.send_errors++;
	return true;
}

/* ----- sending ----- */

static void send_trying(struct sl_sip_txn *t);

/* Whatever the TU sends from inside a request callback goes after that
 * request's automatic 100 (the seed: 100 to the caller, then the INVITE
 * to the callee) */
static void
trying_first(struct sl_txn_layer *l)
{
	if (l->cur)
		send_trying(l->cur);
}

/* t's kept bytes to its peer */
static void
send_out(struct sl_sip_txn *t)
{
	struct sl_txn_layer *l = t->l;

	if (t->out == NULL || l->tu.send(l->arg, &t->peer, t->out, t->outlen) != SL_OK)
		l->st.send_errors++;
}

/* Serialize m as t's bytes to send again, replacing the old ones (which
 * are gone on failure too). The layer's scratch buffer absorbs the growth
 * steps; t keeps an exact-size copy. */
static enum sl_err
wire(struct sl_sip_txn *t, osip_message_t *m)
{
	struct sl_txn_layer *l = t->l;

	drop_out(t);
	sl_buf_reset(&l->scratch);
	enum sl_err e = sl_msg_serialize(m, &l->scratch);
	if (e) {
		sl_buf_init(&l->scratch, SL_MSG_MAX_LEN);	/* freed on failure */
		return e;
	}
	if (l->scratch.len == 0 || (t->out = malloc(l->scratch.len)) == NULL)
		return SL_ENOMEM;
	memcpy(t->out, l->scratch.p, l->scratch.len);
	t->outlen = l->scratch.len;
	l->st.bytes += t->outlen;
	return SL_OK;
}

enum sl_err
sl_txn_send_stateless(struct sl_txn_layer *l, osip_message_t *m,
    const struct sl_endpoint *to)
{
	trying_first(l);
	struct sl_buf b;

	sl_buf_init(&b, SL_MSG_MAX_LEN);
	enum sl_err e = sl_msg_serialize(m, &b);
	if (e)
		return e;
	e = l->tu.send(l->arg, to, b.p, b.len);
	if (e)
		l->st.send_errors++;
	sl_buf_free(&b);
	return e;
}

/* ----- timers ----- */

static uint64_t
arm(struct sl_sip_txn *t, uint64_t ms, sl_loop_timer_fn fn)
{
	return sl_loop_timer_add(t->l->loop, ms, fn, t);
}

static void
on_end(struct sl_loop *loop, uint64_t id, void *arg)
{
	struct sl_sip_txn *t = arg;

	(void)loop;
	(void)id;
	t->t_end = 0;
	terminate(t);
}

static void
on_timeout(struct sl_loop *loop, uint64_t id, void *arg)
{
	struct sl_sip_txn *t = arg;

	(void)loop;
	(void)id;
	t->t_timeout = 0;
	/* Timer L after the ACK arrived is the normal end, not a failure */
	if (t->state == SL_TXN_ACCEPTED && t->acked) {
		terminate(t);
		return;
	}
	timed_out(t);
}

static void
on_retx(struct sl_loop *loop, uint64_t id, void *arg)
{
	struct sl_sip_txn *t = arg;
	struct sl_txn_layer *l = t->l;
	uint32_t next;

	(void)loop;
	(void)id;
	t->t_retx = 0;
	switch (t->kind) {
	case SL_TXN_CLIENT_INVITE:
		/* 17.1.1.2 Timer A: doubles each time, no T2 cap */
		if (t->state != SL_TXN_CALLING)
			return;
		next = t->retx_ms * 2;
		break;
	case SL_TXN_CLIENT_NON_INVITE:
		/* 17.1.2.2 Timer E: doubles up to T2 in Trying, T2 in Proceeding */
		if (t->state != SL_TXN_TRYING && t->state != SL_TXN_PROCEEDING)
			return;
		next = t->state == SL_TXN_TRYING ? t->retx_ms * 2 : l->cfg.t2_ms;
		if (next > l->cfg.t2_ms)
			next = l->cfg.t2_ms;
		break;
	case SL_TXN_SERVER_INVITE:
		/* 17.2.1 Timer G for non-2xx, 13.3.1.4 for 2xx: up to T2 */
		if (!(t->state == SL_TXN_COMPLETED ||
		    (t->state == SL_TXN_ACCEPTED && !t->acked)))
			return;
		next = t->retx_ms * 2;
		if (next > l->cfg.t2_ms)
			next = l->cfg.t2_ms;
		break;
	case SL_TXN_SERVER_NON_INVITE:
	default:
		return;
	}
	send_out(t);
	l->st.retransmitted++;
	t->retx_ms = next;
	t->t_retx = arm(t, next, on_retx);
}

/* ----- client transactions ----- */

enum sl_err
sl_txn_client(struct sl_txn_layer *l, osip_message_t *req,
    const struct sl_endpoint *to, void *user, struct sl_sip_txn **out)
{
	trying_first(l);
	struct sl_buf k;
	struct sl_sip_txn *t;

	if (out)
		*out = NULL;
	if (req == NULL || !sl_msg_is_request(req) || sl_msg_is(req, "ACK")) {
		sl_msg_free(req);
		return SL_EUSAGE;
	}
	sl_buf_init(&k, KEY_MAX);
	if (!client_key(req, &k)) {
		sl_buf_free(&k);
		sl_msg_free(req);
		return SL_EUSAGE;
	}
	bool invite = sl_msg_is(req, "INVITE");
	t = find_key(l, &k) ? NULL :
	    txn_new(l, invite ? SL_TXN_CLIENT_INVITE : SL_TXN_CLIENT_NON_INVITE,
	    req, to, &k);
	bool dup = t == NULL && find_key(l, &k) != NULL;
	sl_buf_free(&k);
	if (t == NULL) {
		sl_msg_free(req);
		return dup ? SL_EUSAGE : SL_ENOMEM;	/* a reused branch is our bug */
	}
	t->user = user;
	enum sl_err e = wire(t, req);
	if (e) {
		txn_free(t);
		return e;
	}
	t->state = invite ? SL_TXN_CALLING : SL_TXN_TRYING;
	t->retx_ms = l->cfg.t1_ms;
	t->t_retx = arm(t, l->cfg.t1_ms, on_retx);
	t->t_timeout = arm(t, 64u * l->cfg.t1_ms, on_timeout);	/* B or F */
	send_out(t);
	if (out)
		*out = t;
	return SL_OK;
}

static void
client_invite_response(struct sl_sip_txn *t, osip_message_t *resp,
    const struct sl_endpoint *from)
{
	struct sl_txn_layer *l = t->l;
	int code = sl_msg_status(resp);

	switch (t->state) {
	case SL_TXN_CALLING:
	case SL_TXN_PROCEEDING:
		t->status = code;
		if (code < 200) {
			/* 17.1.1.2: no more retransmissions; B only matters
			 * in Calling. P takes its place (txn.h); a repeated
			 * 100 is no sign of a ringing callee, so only the
			 * first 1xx or a 101-199 restarts it (16.7 step 2) */
			sl_loop_timer_cancel(l->loop, t->t_retx);
			t->t_retx = 0;
			drop_out(t);
			if (t->state == SL_TXN_CALLING || code > 100) {
				sl_loop_timer_cancel(l->loop, t->t_timeout);
				t->t_timeout = arm(t, l->cfg.proceeding_max_ms, on_timeout);
			}
			t->state = SL_TXN_PROCEEDING;
		} else if (code < 300) {
			cancel_timers(t);
			drop_out(t);
			t->state = SL_TXN_ACCEPTED;	/* RFC 6026 Timer M */
			t->t_end = arm(t, 64u * l->cfg.t1_ms, on_end);
		} else {
			/* the ACK takes the request's place (17.1.1.3) */
			osip_message_t *ack = NULL;
			cancel_timers(t);
			drop_out(t);
			if (sl_msg_ack_non2xx(t->req, resp, &ack) == SL_OK && wire(t, ack) == SL_OK)
				send_out(t);
			sl_msg_free(ack);
			t->state = SL_TXN_COMPLETED;
			t->t_end = arm(t, l->cfg.timer_d_ms, on_end);	/* D */
		}
		if (l->tu.response)
			l->tu.response(l->arg, t, resp, from);
		if (code >= 200)
			request_done(t);
		return;
	case SL_TXN_ACCEPTED:
		if (code >= 200 && code < 300 && l->tu.response)
			l->tu.response(l->arg, t, resp, from);
		else
			l->st.absorbed++;
		return;
	case SL_TXN_COMPLETED:
		/* 17.1.1.2: the final response again: ACK again */
		if (code >= 300)
			send_out(t);
		l->st.absorbed++;
		return;
	default:
		l->st.absorbed++;
		return;
	}
}

static void
client_non_invite_response(struct sl_sip_txn *t, osip_message_t *resp,
    const struct sl_endpoint *from)
{
	struct sl_txn_layer *l = t->l;
	int code = sl_msg_status(resp);

	if (t->state != SL_TXN_TRYING && t->state != SL_TXN_PROCEEDING) {
		l->st.absorbed++;
		return;
	}
	t->status = code;
	if (code < 200) {
		t->state = SL_TXN_PROCEEDING;
	} else {
		cancel_timers(t);
		drop_out(t);
		t->state = SL_TXN_COMPLETED;
		t->t_end = arm(t, l->cfg.t4_ms, on_end);	/* K */
	}
	if (l->tu.response)
		l->tu.response(l->arg, t, resp, from);
	if (code >= 200)
		request_done(t);
}

static void
response_input(struct sl_txn_layer *l, osip_message_t *m,
    const struct sl_endpoint *from)
{
	struct sl_buf k;
	struct sl_sip_txn *t = NULL;

	sl_buf_init(&k, KEY_MAX);
	if (client_key(m, &k))
		t = find_key(l, &k);
	sl_buf_free(&k);
	if (t && !sl_ep_eq(from, &t->peer)) {
		/* 17.1.3 matches on the branch alone, but only the peer we
		 * sent the request to may answer it: anyone else who learnt
		 * or guessed the branch could answer a ringing call for the
		 * callee. Nobody else hears of it (not even stray_response). */
		l->st.foreign++;
		sl_msg_free(m);
		return;
	}
	if (t == NULL) {
		l->st.stray++;
		if (l->tu.stray_response)
			l->tu.stray_response(l->arg, m, from);
	} else if (t->kind == SL_TXN_CLIENT_INVITE) {
		client_invite_response(t, m, from);
	} else {
		client_non_invite_response(t, m, from);
	}
	sl_msg_free(m);
}

/* ----- server transactions ----- */

static void
ack_index(struct sl_sip_txn *t)
{
	struct sl_buf k;

	if (t->in_acks)
		return;
	sl_buf_init(&k, KEY_MAX);
	if (dialog_ack_key(t->req, &k) && (t->ack_key = malloc(k.len + 1)) != NULL) {
		memcpy(t->ack_key, k.p, k.len + 1);
		t->ack_keylen = k.len;
		sl_hmap_insert(&t->l->acks, &t->ack_node, sl_hash_bytes(k.p, k.len, 0));
		t->in_acks = true;
	}
	sl_buf_free(&k);
}

static void
ack_2xx(struct sl_txn_layer *l, struct sl_sip_txn *t, osip_message_t *ack,
    const struct sl_endpoint *from)
{
	if (t && !sl_ep_eq(from, &t->peer)) {
		/* Call-ID, tag and CSeq are on the wire: only the peer's ACK
		 * may stop our 2xx; the TU sees a stranger's as unmatched */
		l->st.foreign++;
		t = NULL;
	}
	if (t && t->acked) {
		l->st.absorbed++;
		return;
	}
	if (t) {
		t->acked = true;	/* 13.3.1.4: stop retransmitting the 2xx */
		sl_loop_timer_cancel(l->loop, t->t_retx);
		t->t_retx = 0;
		drop_out(t);	/* later INVITE copies are absorbed (RFC 6026) */
	} else {
		l->st.stray++;
	}
	if (l->tu.ack)
		l->tu.ack(l->arg, t, ack, from);
}

static void
server_retransmission(struct sl_sip_txn *t, osip_message_t *m,
    const struct sl_endpoint *from)
{
	struct sl_txn_layer *l = t->l;
	bool is_ack = sl_msg_is(m, "ACK");

	if (t->kind == SL_TXN_SERVER_INVITE && is_ack) {
		if (t->state == SL_TXN_COMPLETED) {
			/* 17.2.1: ACK for our non-2xx: Confirmed, Timer I */
			cancel_timers(t);
			drop_out(t);	/* Confirmed only absorbs */
			t->state = SL_TXN_CONFIRMED;
			t->t_end = arm(t, l->cfg.t4_ms, on_end);
			l->st.absorbed++;
		} else if (t->state == SL_TXN_ACCEPTED) {
			ack_2xx(l, t, m, from);	/* a UA that reused the branch */
		} else {
			l->st.absorbed++;
		}
		return;
	}
	l->st.absorbed++;
	/* RFC 6026 7.1: absorbed silently once Accepted; otherwise the
	 * last response again (17.2.1, 17.2.2); nothing yet in Trying */
	if (t->state == SL_TXN_PROCEEDING || t->state == SL_TXN_COMPLETED)
		send_out(t);
}

static void on_unanswered(struct sl_loop *loop, uint64_t id, void *arg);

/* The automatic 100 of a new server transaction, if still due. */
static void
send_trying(struct sl_sip_txn *t)
{
	osip_message_t *r = NULL;

	if (!t->trying_due)
		return;
	t->trying_due = false;
	if (t->req && sl_msg_response(t->req, 100, NULL, NULL, &r) == SL_OK &&
	    wire(t, r) == SL_OK) {
		send_out(t);
		t->status = 100;
		t->state = SL_TXN_PROCEEDING;
	}
	sl_msg_free(r);
}

static void
request_input(struct sl_txn_layer *l, osip_message_t *m,
    const struct sl_endpoint *from)
{
	struct sl_buf k;
	struct sl_sip_txn *t = NULL;
	bool is_ack = sl_msg_is(m, "ACK");

	sl_buf_init(&k, KEY_MAX);
	if (!server_key(m, &k)) {
		sl_buf_free(&k);
		l->st.refused++;
		sl_msg_free(m);
		return;
	}
	t = find_key(l, &k);
	if (t && !sl_ep_eq(from, &t->peer)) {
		/* the key holds the Via sent-by, not the source: a copy from
		 * elsewhere would make us resend our answer to the peer */
		l->st.foreign++;
		sl_buf_free(&k);
		sl_msg_free(m);
		return;
	}
	if (t) {
		server_retransmission(t, m, from);
		sl_buf_free(&k);
		sl_msg_free(m);
		return;
	}
	if (once_again(l, &k, is_ack, from)) {
		sl_buf_free(&k);
		sl_msg_free(m);
		return;
	}
	if (is_ack) {
		/* a 2xx ACK is its own transaction with a new branch (17.1.1.3) */
		sl_buf_reset(&k);
		if (dialog_ack_key(m, &k))
			t = lookup(&l->acks, ack_key_eq, offsetof(struct sl_sip_txn, ack_node), &k);
		sl_buf_free(&k);
		ack_2xx(l, t, m, from);
		sl_msg_free(m);
		return;
	}
	bool invite = sl_msg_is(m, "INVITE");
	t = txn_new(l, invite ? SL_TXN_SERVER_INVITE : SL_TXN_SERVER_NON_INVITE, m, from, &k);
	sl_buf_free(&k);
	if (t == NULL) {
		sl_msg_free(m);
		return;
	}
	t->state = invite ? SL_TXN_PROCEEDING : SL_TXN_TRYING;
	t->in_len = l->in_len;
	/* the automatic 100 goes when the TU's callback returns, or just
	 * before the first response the TU sends from inside it: the same
	 * turn of the loop, so "at once" still holds, but a refusal sent
	 * once can leave it out when it would amplify (respond_once) */
	t->trying_due = invite ? l->cfg.trying_invite : l->cfg.trying_non_invite;
	/* our own safety net: a TU that never answers a non-INVITE must not
	 * keep the transaction forever */
	if (!invite)
		t->t_timeout = arm(t, 64u * l->cfg.t1_ms, on_unanswered);
	if (l->tu.request) {
		t->in_request = true;
		l->cur = t;
		l->tu.request(l->arg, t, m, from);
		l->cur = NULL;
		t->in_request = false;
	}
	send_trying(t);
	if (t->status >= 200)
		drop_req(t);
}

static void
on_unanswered(struct sl_loop *loop, uint64_t id, void *arg)
{
	struct sl_sip_txn *t = arg;

	(void)loop;
	(void)id;
	t->t_timeout = 0;
	timed_out(t);
}

/* May server transaction st send a response with this code now? */
static bool
may_respond(const struct sl_sip_txn *st, int code)
{
	if (st->kind == SL_TXN_SERVER_INVITE)
		return st->state == SL_TXN_PROCEEDING ||
		    (st->state == SL_TXN_ACCEPTED && code >= 200 && code < 300);
	if (st->kind == SL_TXN_SERVER_NON_INVITE)
		return st->state == SL_TXN_TRYING || st->state == SL_TXN_PROCEEDING;
	return false;
}

enum sl_err
sl_txn_respond(struct sl_txn_layer *l, struct sl_sip_txn *st, osip_message_t *resp)
{
	int code = resp ? sl_msg_status(resp) : 0;
	bool ok_state;

	if (st == NULL || code < 100) {
		sl_msg_free(resp);
		return SL_EUSAGE;
	}
	ok_state = may_respond(st, code);
	if (ok_state)
		send_trying(st);
	/* a 100 after the automatic one adds nothing */
	if (!ok_state || (code == 100 && st->status == 100)) {
		sl_msg_free(resp);
		return ok_state ? SL_OK : SL_EUSAGE;
	}
	enum sl_err e = wire(st, resp);
	sl_msg_free(resp);
	if (e)
		return e;
	st->status = code;
	send_out(st);
	if (code < 200) {
		st->state = SL_TXN_PROCEEDING;
		return SL_OK;
	}
	if (st->kind == SL_TXN_SERVER_NON_INVITE) {
		cancel_timers(st);
		st->state = SL_TXN_COMPLETED;
		st->t_end = arm(st, 64u * l->cfg.t1_ms, on_end);	/* J */
		request_done(st);
		return SL_OK;
	}
	if (st->state == SL_TXN_ACCEPTED) {
		/* a further 2xx: sent, and retransmitted as the last one
		 * unless the ACK already came */
		if (st->acked)
			drop_out(st);
		return SL_OK;
	}
	cancel_timers(st);
	st->retx_ms = l->cfg.t1_ms;
	st->t_retx = arm(st, l->cfg.t1_ms, on_retx);		/* G or 2xx */
	st->t_timeout = arm(st, 64u * l->cfg.t1_ms, on_timeout);	/* H or L */
	if (code < 300) {
		st->state = SL_TXN_ACCEPTED;
		ack_index(st);
	} else {
		st->state = SL_TXN_COMPLETED;
	}
	request_done(st);
	return SL_OK;
}

/* A server transaction answered once (or not at all) ends now: nothing
 * kept to resend, nothing absorbed, so a retransmitted request is a new
 * one with an answer of its own. Freed from a timer (the rule at the
 * top), on the loop's next turn. */
static void
forget(struct sl_sip_txn *st)
{
	cancel_timers(st);
	drop_out(st);
	st->state = SL_TXN_TERMINATED;
	st->t_end = arm(st, 0, on_end);
	request_done(st);
}

enum sl_err
sl_txn_respond_once(struct sl_txn_layer *l, struct sl_sip_txn *st, osip_message_t *resp)
{
	int code = resp ? sl_msg_status(resp) : 0;

	if (st == NULL || code < 200 ||
	    (st->kind == SL_TXN_SERVER_INVITE && code < 300)) {
		sl_msg_free(resp);
		return SL_EUSAGE;
	}
	if (st->state == SL_TXN_ACCEPTED || !may_respond(st, code)) {
		sl_msg_free(resp);
		return SL_EUSAGE;
	}
	/* the 100 still due and this answer: both only while together they
	 * stay within SL_TXN_AMPLIFY times the request's bytes (RFC 3261
	 * 8.2.6.1 leaves the 100 optional; an INVITE of any real size keeps
	 * the seed's 100 + 401) */
	struct sl_buf trying;
	osip_message_t *r100 = NULL;
	sl_buf_init(&trying, SL_MSG_MAX_LEN);
	if (st->trying_due && st->req &&
	    sl_msg_response(st->req, 100, NULL, NULL, &r100) == SL_OK)
		sl_msg_serialize(r100, &trying);
	sl_msg_free(r100);
	st->trying_due = false;
	enum sl_err e = wire(st, resp);
	sl_msg_free(resp);
	if (e) {
		sl_buf_free(&trying);
		return e;
	}
	if (trying.len && (st->in_len == 0 ||
	    trying.len + st->outlen <= (size_t)SL_TXN_AMPLIFY * st->in_len)) {
		if (l->tu.send(l->arg, &st->peer, trying.p, trying.len) != SL_OK)
			l->st.send_errors++;
	} else if (trying.len) {
		l->st.trying_skipped++;
	}
	sl_buf_free(&trying);
	st->status = code;
	send_out(st);
	l->st.once++;
	once_keep(st);
	forget(st);
	return SL_OK;
}

enum sl_err
sl_txn_discard(struct sl_txn_layer *l, struct sl_sip_txn *st)
{
	if (st == NULL || st->state == SL_TXN_ACCEPTED || !may_respond(st, 200))
		return SL_EUSAGE;
	st->trying_due = false;
	l->st.discarded++;
	forget(st);
	return SL_OK;
}

enum sl_err
sl_txn_respond_code(struct sl_txn_layer *l, struct sl_sip_txn *st, int status,
    const char *reason, const char *to_tag)
{
	osip_message_t *r = NULL;

	if (st == NULL || st->req == NULL)
		return SL_EUSAGE;
	enum sl_err e = sl_msg_response(st->req, status, reason, to_tag, &r);
	if (e)
		return e;
	return sl_txn_respond(l, st, r);
}

struct sl_sip_txn *
sl_txn_cancel_target(struct sl_txn_layer *l, const osip_message_t *cancel,
    const struct sl_endpoint *from)
{
	struct sl_buf k;
	struct sl_sip_txn *t = NULL;
	osip_message_t *probe = NULL;

	(void)from;
	/* 9.2: the INVITE with the same key as the CANCEL but method INVITE */
	if (!sl_msg_is(cancel, "CANCEL") || sl_msg_clone(cancel, &probe) != SL_OK)
		return NULL;
	osip_free(probe->sip_method);
	probe->sip_method = osip_strdup("INVITE");
	osip_free(probe->cseq->method);
	probe->cseq->method = osip_strdup("INVITE");
	sl_buf_init(&k, KEY_MAX);
	if (probe->sip_method && probe->cseq->method && server_key(probe, &k))
		t = find_key(l, &k);
	sl_buf_free(&k);
	sl_msg_free(probe);
	return t && t->kind == SL_TXN_SERVER_INVITE ? t : NULL;
}

/* ----- input ----- */

void
sl_txn_input_dgram(struct sl_txn_layer *l, osip_message_t *m, size_t n,
    const struct sl_endpoint *from)
{
	l->in_len = n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
	sl_txn_input(l, m, from);
	l->in_len = 0;
}

void
sl_txn_input(struct sl_txn_layer *l, osip_message_t *m,
    const struct sl_endpoint *from)
{
	if (m == NULL)
		return;
	if (sl_msg_is_request(m))
		request_input(l, m, from);
	else
		response_input(l, m, from);
}

/* ----- accessors ----- */

enum sl_txn_kind
sl_txn_kind(const struct sl_sip_txn *t)
{
	return t->kind;
}

enum sl_txn_state
sl_txn_state(const struct sl_sip_txn *t)
{
	return t->state;
}

const char *
sl_txn_state_name(enum sl_txn_state s)
{
	switch (s) {
	case SL_TXN_CALLING: return "Calling";
	case SL_TXN_TRYING: return "Trying";
	case SL_TXN_PROCEEDING: return "Proceeding";
	case SL_TXN_COMPLETED: return "Completed";
	case SL_TXN_CONFIRMED: return "Confirmed";
	case SL_TXN_ACCEPTED: return "Accepted";
	case SL_TXN_TERMINATED: return "Terminated";
	}
	return "?";
}

osip_message_t *
sl_txn_request(const struct sl_sip_txn *t)
{
	return t->req;
}

const struct sl_endpoint *
sl_txn_peer(const struct sl_sip_txn *t)
{
	return &t->peer;
}

int
sl_txn_status(const struct sl_sip_txn *t)
{
	return t->status;
}

void *
sl_txn_user(const struct sl_sip_txn *t)
{
	return t->user;
}

void
sl_txn_set_user(struct sl_sip_txn *t, void *user)
{
	t->user = user;
}
