/* relay.c: RTP relay sockets and the port pool (relay.h). */
#include "relay.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sip/udp.h"

/* a bound on work per wake-up, so one flooded port cannot starve SIP */
#define BURST 64
#define BIND_TRIES 16

/* ----- pool ----- */

enum sl_err
sl_relay_pool_init(struct sl_relay_pool *p, uint16_t lo, uint16_t hi)
{
	memset(p, 0, sizeof(*p));
	uint32_t first = (uint32_t)lo + (lo & 1u);
	if (lo == 0 || hi < lo || first > hi)
		return SL_EUSAGE;
	p->first = (uint16_t)first;
	p->n = (hi - first) / 2 + 1;
	p->used = calloc(p->n, 1);
	return p->used ? SL_OK : SL_ENOMEM;
}

void
sl_relay_pool_free(struct sl_relay_pool *p)
{
	free(p->used);
	memset(p, 0, sizeof(*p));
}

bool
sl_relay_pool_take(struct sl_relay_pool *p, uint16_t *port)
{
	for (size_t k = 0; k < p->n; k++) {
		size_t i = (p->next + k) % p->n;
		if (!p->used[i]) {
			p->used[i] = 1;
			p->in_use++;
			p->next = (i + 1) % p->n;
			*port = (uint16_t)(p->first + 2 * i);
			return true;
		}
	}
	return false;
}

void
sl_relay_pool_put(struct sl_relay_pool *p, uint16_t port)
{
	if (port < p->first || (port - p->first) % 2)
		return;
	size_t i = (size_t)(port - p->first) / 2;
	if (i < p->n && p->used[i]) {
		p->used[i] = 0;
		p->in_use--;
	}
}

/* ----- relays ----- */

struct side {
	struct sl_relay *r;
	struct sl_udp udp;
	struct sl_ip adv;		/* our address as announced */
	struct sl_endpoint peer;	/* port 0: unknown */
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
	sl_relay_pool_put(&env->pool, s->udp.local.port);
	sl_udp_close(&s->udp);
}

/* Take ports until one binds: another program may hold some of the range. */
static enum sl_err
open_side(struct sl_relay_env *env, struct side *s, const struct sl_ip *bind_ip,
    char errbuf[SL_ERRBUF_SIZE])
{
	struct sl_endpoint ep = { .ip = *bind_ip, .transport = SL_TP_UDP };
	enum sl_err e = SL_ENOMEM;

	snprintf(errbuf, SL_ERRBUF_SIZE, "RTP port range exhausted");
	for (int t = 0; t < BIND_TRIES; t++) {
		if (!sl_relay_pool_take(&env->pool, &ep.port))
			return SL_ENOMEM;
		e = sl_udp_open(&s->udp, &ep, errbuf);
		if (e == SL_OK)
			break;
		sl_relay_pool_put(&env->pool, ep.port);
	}
	if (e)
		return e;
	s->udp.max = SL_RELAY_MAX_PACKET;
	e = sl_loop_add_fd(env->loop, s->udp.fd, SL_LOOP_READ, on_io, s);
	if (e) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "too many open relay sockets");
		sl_relay_pool_put(&env->pool, s->udp.local.port);
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

void
sl_relay_set_peer(struct sl_relay *r, enum sl_relay_side s, const struct sl_ip *ip,
    uint16_t port)
{
	static const uint8_t zero[16];
	struct side *d = &r->s[s];
	size_t alen = ip && ip->family == SL_AF_INET6 ? 16 : 4;

	memset(&d->peer, 0, sizeof(d->peer));
	/* c=0.0.0.0 or port 0: hold / rejected stream, nowhere to send */
	if (ip == NULL || port == 0 || ip->family != d->adv.family ||
	    memcmp(ip->a, zero, alen) == 0)
		return;
	d->peer.ip = *ip;
	d->peer.port = port;
	d->peer.transport = SL_TP_UDP;
}

const struct sl_relay_stats *
sl_relay_stats(const struct sl_relay *r, enum sl_relay_side s)
{
	return &r->s[s].st;
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
		sl_slog(env->log, SL_SLOG_DEBUG, &dst, "ICMP type %u code %u for RTP from port %u",
		    type, code, s->udp.local.port);
	}
}

static void
forward(struct side *in, const struct sl_endpoint *from, const uint8_t *p, size_t n)
{
	struct sl_relay_env *env = in->r->env;
	struct side *out = &in->r->s[in == &in->r->s[0] ? 1 : 0];
	char errbuf[SL_ERRBUF_SIZE];

	if (in->peer.port == 0 || !sl_ip_eq(&from->ip, &in->peer.ip) ||
	    out->peer.port == 0) {
		in->st.dropped++;
		env->dropped++;
		if (sl_slog_on(env->log, SL_SLOG_DEBUG))
			sl_slog(env->log, SL_SLOG_DEBUG, from,
			    "RTP to port %u dropped (not the announced peer, or no destination yet)",
			    in->udp.local.port);
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
