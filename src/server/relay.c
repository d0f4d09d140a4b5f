/* relay.c: RTP relay sockets and the port pool (relay.h). */
#include "server/relay.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sip/ids.h"
#include "sip/udp.h"

/* a bound on work per wake-up, so one flooded port cannot starve SIP */
#define BURST 64
#define BIND_TRIES 16

/* ----- pool ----- */

enum { PORT_FREE, PORT_USED, PORT_RESTING };

enum sl_err
sl_relay_pool_init(struct sl_relay_pool *p, uint16_t lo, uint16_t hi)
{
	memset(p, 0, sizeof(*p));
	uint32_t first = (uint32_t)lo + (lo & 1u);
	if (lo == 0 || hi < lo || first > hi)
		return SL_EUSAGE;
	p->first = (uint16_t)first;
	p->n = (hi - first) / 2 + 1;
	p->rest_ms = SL_RELAY_REST_MS;
	p->state = calloc(p->n, 1);
	p->avail = calloc(p->n, sizeof(*p->avail));
	p->rest_i = calloc(p->n, sizeof(*p->rest_i));
	p->rest_t = calloc(p->n, sizeof(*p->rest_t));
	if (!p->state || !p->avail || !p->rest_i || !p->rest_t) {
		sl_relay_pool_free(p);
		return SL_ENOMEM;
	}
	for (size_t i = 0; i < p->n; i++)
		p->avail[i] = (uint16_t)i;
	p->navail = p->n;
	return SL_OK;
}

void
sl_relay_pool_free(struct sl_relay_pool *p)
{
	free(p->state);
	free(p->avail);
	free(p->rest_i);
	free(p->rest_t);
	memset(p, 0, sizeof(*p));
}

/* the oldest resting port, out of the ring */
static size_t
rest_pop(struct sl_relay_pool *p)
{
	size_t i = p->rest_i[p->rest_head];

	p->rest_head = (p->rest_head + 1) % p->n;
	p->nrest--;
	return i;
}

bool
sl_relay_pool_take(struct sl_relay_pool *p, struct sl_ids *ids, uint64_t now_ms,
    uint16_t *port)
{
	size_t i;

	while (p->nrest && now_ms - p->rest_t[p->rest_head] >= p->rest_ms) {
		i = rest_pop(p);
		p->state[i] = PORT_FREE;
		p->avail[p->navail++] = (uint16_t)i;
	}
	if (p->navail) {
		size_t k = ids ? sl_ids_below(ids, (uint32_t)p->navail) : 0;
		i = p->avail[k];
		p->avail[k] = p->avail[--p->navail];
	} else if (p->nrest) {
		i = rest_pop(p);
	} else {
		return false;
	}
	p->state[i] = PORT_USED;
	p->in_use++;
	*port = (uint16_t)(p->first + 2 * i);
	return true;
}

void
sl_relay_pool_put(struct sl_relay_pool *p, uint16_t port, uint64_t now_ms)
{
	if (port < p->first || (port - p->first) % 2)
		return;
	size_t i = (size_t)(port - p->first) / 2;
	if (i >= p->n || p->state[i] != PORT_USED)
		return;
	/* at most n ports rest, so the ring cannot overflow */
	size_t t = (p->rest_head + p->nrest) % p->n;
	p->rest_i[t] = (uint16_t)i;
	p->rest_t[t] = now_ms;
	p->nrest++;
	p->state[i] = PORT_RESTING;
	p->in_use--;
}

/* ----- relays ----- */

struct side {
	struct sl_relay *r;
	struct sl_udp udp;
	struct sl_ip adv;		/* our address as announced */
	struct sl_endpoint sdp;		/* as the SDP announced it; port 0: none */
	struct sl_endpoint peer;	/* sdp, or where it latched; port 0: unknown */
	struct sl_ip sig;		/* signalling source (latching) */
	bool has_sig;
	bool locked;			/* accepted a packet: latching is over */
	uint64_t last_rx;
	struct sl_relay_stats st;
};

struct sl_relay {
	struct sl_relay_env *env;
	struct side s[2];
};

static void on_io(struct sl_loop *loop, int fd, unsigned events, void *arg);

static void
close_side(struct sl_relay_env *env, struct side *s)
{
	if (s->udp.fd < 0)
		return;
	sl_loop_del_fd(env->loop, s->udp.fd);
	sl_relay_pool_put(&env->pool, s->udp.local.port, sl_loop_now(env->loop));
	sl_udp_close(&s->udp);
}

/* Take ports until one binds: another program may hold some of the range
 * (those rest like released ones, so they are not retried at once). */
static enum sl_err
open_side(struct sl_relay_env *env, struct side *s, const struct sl_ip *bind_ip,
    char errbuf[SL_ERRBUF_SIZE])
{
	struct sl_endpoint ep = { .ip = *bind_ip, .transport = SL_TP_UDP };
	enum sl_err e = SL_ENOMEM;
	uint64_t now = sl_loop_now(env->loop);

	snprintf(errbuf, SL_ERRBUF_SIZE, "RTP port range exhausted");
	for (int t = 0; t < BIND_TRIES; t++) {
		if (!sl_relay_pool_take(&env->pool, env->ids, now, &ep.port))
			return SL_ENOMEM;
		e = sl_udp_open(&s->udp, &ep, errbuf);
		if (e == SL_OK)
			break;
		sl_relay_pool_put(&env->pool, ep.port, now);
	}
	if (e)
		return e;
	s->udp.max = SL_RELAY_MAX_PACKET;
	e = sl_loop_add_fd(env->loop, s->udp.fd, SL_LOOP_READ, on_io, s);
	if (e) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "too many open relay sockets");
		sl_relay_pool_put(&env->pool, s->udp.local.port, now);
		sl_udp_close(&s->udp);
	}
	return e;
}

struct sl_relay *
sl_relay_new(struct sl_relay_env *env, const struct sl_ip *bind_ip,
    const struct sl_ip adv[2], enum sl_err *err, char errbuf[SL_ERRBUF_SIZE])
{
	struct sl_relay *r = calloc(1, sizeof(*r));

	*err = SL_ENOMEM;
	if (r == NULL) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "out of memory");
		return NULL;
	}
	r->env = env;
	for (int i = 0; i < 2; i++) {
		r->s[i].r = r;
		r->s[i].udp.fd = -1;
		r->s[i].adv = adv[i];
	}
	for (int i = 0; i < 2; i++) {
		*err = open_side(env, &r->s[i], bind_ip, errbuf);
		if (*err) {
			sl_relay_free(r);
			return NULL;
		}
	}
	return r;
}

void
sl_relay_free(struct sl_relay *r)
{
	if (r == NULL)
		return;
	close_side(r->env, &r->s[0]);
	close_side(r->env, &r->s[1]);
	free(r);
}

uint16_t
sl_relay_port(const struct sl_relay *r, enum sl_relay_side s)
{
	return r->s[s].udp.local.port;
}

const struct sl_ip *
sl_relay_addr(const struct sl_relay *r, enum sl_relay_side s)
{
	return &r->s[s].adv;
}

static bool
same_src(const struct sl_endpoint *x, const struct sl_endpoint *y)
{
	return x->port == y->port && sl_ip_eq(&x->ip, &y->ip);
}

/* ip:port one of our own sockets: a relay port or the SIP port, on an
 * address we announce or bind */
static bool
is_ours(const struct sl_relay *r, const struct sl_ip *ip, uint16_t port)
{
	const struct sl_relay_env *env = r->env;
	uint32_t last = (uint32_t)env->pool.first + 2u * (uint32_t)env->pool.n;
	bool our_port = port == env->sip_port || (port >= env->pool.first && port < last);

	/* with a wildcard bind the announced addresses are the ones a peer
	 * can name; a phone on another host may well use ports in our range */
	return our_port && (sl_ip_eq(ip, &r->s[0].adv) || sl_ip_eq(ip, &r->s[1].adv) ||
	    sl_ip_eq(ip, &r->s[0].udp.local.ip));
}

void
sl_relay_set_peer(struct sl_relay *r, enum sl_relay_side s, const struct sl_ip *ip,
    uint16_t port)
{
	struct side *d = &r->s[s];
	struct sl_endpoint ann;

	memset(&ann, 0, sizeof(ann));
	/* c=0.0.0.0 or port 0: hold / rejected stream, nowhere to send;
	 * broadcast, multicast and our own ports are refused the same way
	 * (a peer pointing one side at the other made packets loop inside
	 * the relay for ever, counted as media) */
	if (ip != NULL && port != 0 && ip->family == d->adv.family && sl_ip_unicast(ip) &&
	    !is_ours(r, ip, port)) {
		ann.ip = *ip;
		ann.port = port;
		ann.transport = SL_TP_UDP;
	}
	/* a session refresh repeats the SDP: a latched NAT peer must stay */
	if (same_src(&ann, &d->sdp))
		return;
	d->sdp = ann;
	d->peer = ann;
	d->locked = false;
}

void
sl_relay_set_signal_ip(struct sl_relay *r, enum sl_relay_side s, const struct sl_ip *ip)
{
	struct side *d = &r->s[s];

	d->has_sig = ip != NULL;
	if (ip)
		d->sig = *ip;
}

const struct sl_relay_stats *
sl_relay_stats(const struct sl_relay *r, enum sl_relay_side s)
{
	return &r->s[s].st;
}

uint64_t
sl_relay_last_rx_ms(const struct sl_relay *r)
{
	return r->s[0].last_rx > r->s[1].last_rx ? r->s[0].last_rx : r->s[1].last_rx;
}

static struct sl_endpoint
local_ep(const struct side *s)
{
	struct sl_endpoint e = { .ip = s->adv, .port = s->udp.local.port,
		.transport = SL_TP_UDP };
	return e;
}

static void
drain_icmp(struct side *s)
{
	struct sl_relay_env *env = s->r->env;
	uint8_t buf[512];

	for (int i = 0; i < BURST; i++) {
		size_t n;
		struct sl_endpoint dst;
		struct sl_ip off;
		uint8_t type, code;
		if (sl_udp_recv_icmp(&s->udp, buf, sizeof(buf), &n, &dst, &off, &type,
		    &code) != SL_UDP_RX_DATA)
			return;
		struct sl_endpoint src = local_ep(s);
		sl_trace_icmp(env->trace, &off, &src, &dst, type, code, buf, n);
		sl_log(env->log, SL_LOG_DEBUG, &dst, "ICMP type %u code %u for RTP from port %u",
		    type, code, s->udp.local.port);
	}
}

/* Is `from` this side's peer? Latches it first when allowed (relay.h). */
static bool
accept_src(struct side *in, const struct sl_endpoint *from)
{
	struct sl_relay_env *env = in->r->env;

	if (in->peer.port != 0 && same_src(from, &in->peer))
		return true;
	if (!env->latch || in->locked || in->sdp.port == 0 || !in->has_sig ||
	    !sl_ip_eq(&from->ip, &in->sig) || from->port == 0)
		return false;
	in->peer.ip = from->ip;
	in->peer.port = from->port;
	in->peer.transport = SL_TP_UDP;
	sl_log(env->log, SL_LOG_INFO, from, "RTP port %u latched to this address (--rtp-latch)",
	    in->udp.local.port);
	return true;
}

static void
forward(struct side *in, const struct sl_endpoint *from, const uint8_t *p, size_t n)
{
	struct sl_relay_env *env = in->r->env;
	struct side *out = &in->r->s[in == &in->r->s[0] ? 1 : 0];
	char errbuf[SL_ERRBUF_SIZE];
	bool ok = accept_src(in, from);

	if (ok) {
		in->locked = true;
		in->last_rx = sl_loop_now(env->loop);
	}
	if (!ok || out->peer.port == 0) {
		in->st.dropped++;
		env->dropped++;
		if (sl_log_on(env->log, SL_LOG_DEBUG))
			sl_log(env->log, SL_LOG_DEBUG, from, "RTP to port %u dropped (%s)",
			    in->udp.local.port, ok ? "no destination yet" :
			    "not the announced peer");
		return;
	}
	in->st.rx_pkts++;
	in->st.rx_bytes += n;
	/* the ICMP for an earlier packet does not fail this send (udp.h);
	 * on_io drains it when the loop reports the error */
	enum sl_err e = sl_udp_send(&out->udp, &out->peer, p, n, errbuf);
	if (e == SL_OK) {
		struct sl_endpoint src = local_ep(out);
		out->st.tx_pkts++;
		out->st.tx_bytes += n;
		sl_trace_udp(env->trace, &src, &out->peer, p, n);
	}
}

static void
on_io(struct sl_loop *loop, int fd, unsigned events, void *arg)
{
	struct side *s = arg;
	struct sl_relay_env *env = s->r->env;
	uint8_t buf[SL_RELAY_MAX_PACKET + 1];
	char errbuf[SL_ERRBUF_SIZE];

	(void)loop;
	(void)fd;
	if (events & SL_LOOP_ERROR)
		drain_icmp(s);
	if (!(events & SL_LOOP_READ))
		return;
	for (int i = 0; i < BURST; i++) {
		size_t n;
		struct sl_endpoint from;
		enum sl_udp_rx rx = sl_udp_recv(&s->udp, buf, sizeof(buf), &n, &from, errbuf);
		if (rx == SL_UDP_RX_NONE || rx == SL_UDP_RX_ERROR)
			break;
		if (rx == SL_UDP_RX_REFUSED) {
			s->st.dropped++;
			env->dropped++;
			continue;
		}
		struct sl_endpoint dst = local_ep(s);
		sl_trace_udp(env->trace, &from, &dst, buf, n);
		forward(s, &from, buf, n);
	}
}
