/* trace.c: --trace-pcap for trace.h, written through src/core's pcapw
 * (libpcap belongs to the analyzer, for reading). Packets are assembled
 * in one stack buffer per record: IPv4
 * (RFC 791) or IPv6 (RFC 8200) + UDP (RFC 768, checksum over the pseudo
 * header) or ICMP (RFC 792) / ICMPv6 (RFC 4443). */
#include "trace.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/pcapw.h"

#define ETH_LEN 14
#define IP4_LEN 20
#define IP6_LEN 40
#define UDP_LEN 8
#define ICMP_LEN 8
#define QUOTE_MAX 512
#define PKT_MAX (ETH_LEN + 65535 + IP6_LEN)

struct sl_trace {
	struct sl_pcapw w;
	enum sl_trace_link link;
	sl_trace_clock_fn clock;
	void *clock_arg;
	uint16_t ip_id;
	uint64_t count;
	uint8_t pkt[PKT_MAX];
};

static uint64_t
real_clock(void *arg)
{
	struct timespec ts;

	(void)arg;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

enum sl_err
sl_trace_open(struct sl_trace **out, const char *path, enum sl_trace_link link,
    char errbuf[SL_ERRBUF_SIZE])
{
	struct sl_trace *t = calloc(1, sizeof(*t));

	*out = NULL;
	if (t == NULL) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "trace: out of memory");
		return SL_ENOMEM;
	}
	t->link = link;
	t->clock = real_clock;
	/* LINKTYPE_ETHERNET 1, LINKTYPE_RAW 101; microseconds, little-endian;
	 * the file header reaches the disk now, not with the first packet */
	if (sl_pcap_open(&t->w, path, link == SL_TRACE_ETHER ? 1 : 101, 65535, false,
	    false) != 0 || sl_pcapw_flush(&t->w) != 0) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "trace %s: %s", path, strerror(errno));
		sl_pcapw_close(&t->w);
		free(t);
		return SL_EIO;
	}
	*out = t;
	return SL_OK;
}

void
sl_trace_close(struct sl_trace *t)
{
	if (t == NULL)
		return;
	sl_pcapw_close(&t->w);
	free(t);
}

void
sl_trace_set_clock(struct sl_trace *t, sl_trace_clock_fn fn, void *arg)
{
	t->clock = fn ? fn : real_clock;
	t->clock_arg = fn ? arg : NULL;
}

uint64_t
sl_trace_count(const struct sl_trace *t)
{
	return t ? t->count : 0;
}

/* ----- checksums (RFC 1071) ----- */

static uint32_t
sum16(uint32_t acc, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		acc += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		acc += (uint32_t)p[n - 1] << 8;
	return acc;
}

static uint16_t
fold(uint32_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)~acc;
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* ----- headers ----- */

static size_t
link_header(struct sl_trace *t, bool v6)
{
	if (t->link != SL_TRACE_ETHER)
		return 0;
	/* locally administered MACs; direction is in the IP addresses */
	static const uint8_t mac[12] = { 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2 };
	memcpy(t->pkt, mac, 12);
	put16(t->pkt + 12, v6 ? 0x86dd : 0x0800);
	return ETH_LEN;
}

/* IP header for a payload of len bytes at t->pkt + off; returns its size */
static size_t
ip_header(struct sl_trace *t, size_t off, const struct sl_ip *src,
    const struct sl_ip *dst, uint8_t proto, size_t len)
{
	uint8_t *h = t->pkt + off;

	if (src->family == SL_AF_INET4) {
		memset(h, 0, IP4_LEN);
		h[0] = 0x45;
		put16(h + 2, (uint16_t)(IP4_LEN + len));
		put16(h + 4, t->ip_id++);
		h[6] = 0x40;	/* DF, as Linux sets for UDP */
		h[8] = 64;
		h[9] = proto;
		memcpy(h + 12, src->a, 4);
		memcpy(h + 16, dst->a, 4);
		put16(h + 10, fold(sum16(0, h, IP4_LEN)));
		return IP4_LEN;
	}
	memset(h, 0, IP6_LEN);
	h[0] = 0x60;
	put16(h + 4, (uint16_t)len);
	h[6] = proto;
	h[7] = 64;
	memcpy(h + 8, src->a, 16);
	memcpy(h + 24, dst->a, 16);
	return IP6_LEN;
}

/* upper-layer checksum with the pseudo header (RFC 768, RFC 8200 8.1) */
static uint16_t
l4_sum(const struct sl_ip *src, const struct sl_ip *dst, uint8_t proto,
    const uint8_t *p, size_t len)
{
	size_t alen = src->family == SL_AF_INET4 ? 4 : 16;
	uint32_t acc = sum16(0, src->a, alen);

	acc = sum16(acc, dst->a, alen);
	acc += proto;
	acc += (uint32_t)(len & 0xffff) + (uint32_t)(len >> 16);
	acc = sum16(acc, p, len);
	return fold(acc);
}

static size_t
udp_into(uint8_t *u, const struct sl_endpoint *src, const struct sl_endpoint *dst,
    const void *payload, size_t n)
{
	put16(u, src->port);
	put16(u + 2, dst->port);
	put16(u + 4, (uint16_t)(UDP_LEN + n));
	put16(u + 6, 0);
	if (n)
		memcpy(u + UDP_LEN, payload, n);
	return UDP_LEN + n;
}

static enum sl_err
emit(struct sl_trace *t, size_t len)
{
	uint64_t us = t->clock(t->clock_arg);
	int rc = sl_pcapw_write(&t->w, 0, us * 1000u, t->pkt, (uint32_t)len, (uint32_t)len);

	t->count++;
	/* per packet: a killed process still leaves every record on disk */
	return rc == 0 && sl_pcapw_flush(&t->w) == 0 ? SL_OK : SL_EIO;
}

static bool
fits(const struct sl_ip *a, size_t l4len)
{
	/* IPv4 total length and IPv6 payload length are 16-bit fields */
	return a->family == SL_AF_INET4 ? l4len <= 65535 - IP4_LEN : l4len <= 65535;
}

enum sl_err
sl_trace_udp(struct sl_trace *t, const struct sl_endpoint *src,
    const struct sl_endpoint *dst, const void *payload, size_t n)
{
	if (t == NULL)
		return SL_OK;
	if (src->ip.family != dst->ip.family || src->ip.family == SL_AF_NONE ||
	    n > 65535 || !fits(&src->ip, UDP_LEN + n))
		return SL_EUSAGE;
	bool v6 = src->ip.family == SL_AF_INET6;
	size_t off = link_header(t, v6);
	size_t ipl = v6 ? IP6_LEN : IP4_LEN;
	uint8_t *u = t->pkt + off + ipl;
	size_t ul = udp_into(u, src, dst, payload, n);
	uint16_t cs = l4_sum(&src->ip, &dst->ip, 17, u, ul);
	put16(u + 6, cs ? cs : 0xffff);	/* 0 means "no checksum" in UDP */
	ip_header(t, off, &src->ip, &dst->ip, 17, ul);
	return emit(t, off + ipl + ul);
}

enum sl_err
sl_trace_icmp(struct sl_trace *t, const struct sl_ip *offender,
    const struct sl_endpoint *local, const struct sl_endpoint *dst,
    uint8_t type, uint8_t code, const void *payload, size_t n)
{
	if (t == NULL)
		return SL_OK;
	if (offender->family != local->ip.family || local->ip.family != dst->ip.family ||
	    local->ip.family == SL_AF_NONE || n > 65535)
		return SL_EUSAGE;
	bool v6 = local->ip.family == SL_AF_INET6;
	size_t off = link_header(t, v6);
	size_t ipl = v6 ? IP6_LEN : IP4_LEN;
	uint8_t *ic = t->pkt + off + ipl;
	uint8_t *inner = ic + ICMP_LEN;
	size_t q = n > QUOTE_MAX ? QUOTE_MAX : n;

	/* the quoted datagram: our IP + UDP header (with its real lengths
	 * and checksum) and the start of the payload */
	uint16_t saved_id = t->ip_id;
	size_t ul = udp_into(inner + ipl, local, dst, payload, n > q ? q : n);
	put16(inner + ipl + 4, (uint16_t)(UDP_LEN + n));
	uint16_t ucs = l4_sum(&local->ip, &dst->ip, 17, inner + ipl, ul);
	put16(inner + ipl + 6, n > q ? 0 : (ucs ? ucs : 0xffff));
	ip_header(t, off + ipl + ICMP_LEN, &local->ip, &dst->ip, 17, UDP_LEN + n);
	t->ip_id = saved_id + 1;
	size_t il = ICMP_LEN + ipl + ul;

	memset(ic, 0, ICMP_LEN);
	ic[0] = type;
	ic[1] = code;
	uint8_t proto = v6 ? 58 : 1;
	uint16_t cs = v6 ? l4_sum(offender, &local->ip, proto, ic, il) :
	    fold(sum16(0, ic, il));
	put16(ic + 2, cs);
	ip_header(t, off, offender, &local->ip, proto, il);
	return emit(t, off + ipl + il);
}
