/* addr.c: endpoint helpers; inet_ntop/inet_pton do the text forms. */
#include "core/addr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "core/hash.h"

bool
sl_ip_eq(const struct sl_ip *x, const struct sl_ip *y)
{
	return x->family == y->family && memcmp(x->a, y->a, 16) == 0;
}

bool
sl_ep_eq(const struct sl_endpoint *x, const struct sl_endpoint *y)
{
	return x->port == y->port && x->transport == y->transport &&
	    sl_ip_eq(&x->ip, &y->ip);
}

int
sl_ep_cmp(const struct sl_endpoint *x, const struct sl_endpoint *y)
{
	if (x->ip.family != y->ip.family)
		return x->ip.family < y->ip.family ? -1 : 1;
	int c = memcmp(x->ip.a, y->ip.a, 16);
	if (c)
		return c < 0 ? -1 : 1;
	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	if (x->transport != y->transport)
		return x->transport < y->transport ? -1 : 1;
	return 0;
}

uint64_t
sl_ep_hash(const struct sl_endpoint *e, uint64_t seed)
{
	uint64_t h = sl_hash_bytes(e->ip.a, e->ip.family == SL_AF_INET4 ? 4 : 16, seed);
	return sl_hash_u64(h ^ ((uint64_t)e->port << 8 | e->transport));
}

char *
sl_ip_str(const struct sl_ip *ip, char *out, size_t n)
{
	if (n == 0)
		return out;
	out[0] = '\0';
	if (ip->family == SL_AF_INET4)
		inet_ntop(AF_INET, ip->a, out, (socklen_t)n);
	else if (ip->family == SL_AF_INET6)
		inet_ntop(AF_INET6, ip->a, out, (socklen_t)n);
	else if (n > 1) {
		out[0] = '?';
		out[1] = '\0';
	}
	return out;
}

char *
sl_ep_str(const struct sl_endpoint *e, char *out, size_t n)
{
	char ip[SL_IP_STRLEN];
	sl_ip_str(&e->ip, ip, sizeof ip);
	if (e->ip.family == SL_AF_INET6)
		snprintf(out, n, "[%s]:%u", ip, e->port);
	else
		snprintf(out, n, "%s:%u", ip, e->port);
	return out;
}

bool
sl_ip_parse(struct sl_str s, struct sl_ip *out)
{
	char tmp[SL_IP_STRLEN];
	/* inet_pton stops at a NUL: "1.2.3.4\0junk" is not an address */
	if (s.n == 0 || s.n >= sizeof tmp || memchr(s.p, '\0', s.n))
		return false;
	memcpy(tmp, s.p, s.n);
	tmp[s.n] = '\0';
	memset(out, 0, sizeof *out);
	if (inet_pton(AF_INET, tmp, out->a) == 1) {
		out->family = SL_AF_INET4;
		return true;
	}
	if (inet_pton(AF_INET6, tmp, out->a) == 1) {
		out->family = SL_AF_INET6;
		return true;
	}
	memset(out, 0, sizeof *out);
	return false;
}

static bool
v4_unicast(const uint8_t *a)
{
	if (a[0] == 0)
		return false;			/* 0.0.0.0/8: "this network" */
	if (a[0] >= 224)
		return false;			/* multicast, reserved, broadcast */
	return true;
}

bool
sl_ip_unicast(const struct sl_ip *ip)
{
	static const uint8_t zero[16];
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	if (ip->family == SL_AF_INET4)
		return v4_unicast(ip->a);
	if (ip->family != SL_AF_INET6)
		return false;
	if (memcmp(ip->a, zero, 16) == 0 || ip->a[0] == 0xff)
		return false;
	if (memcmp(ip->a, mapped, 12) == 0)
		return v4_unicast(ip->a + 12);
	return true;
}
