/* trace.c: --trace-pcap for trace.h. Each record is assembled in one
 * buffer with src/core/pktbuild (IPv4 or IPv6 + UDP, or ICMP / ICMPv6
 * quoting our datagram) and written by src/capture/pcapwrite (libpcap). */
#include "sip/trace.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "capture/pcapwrite.h"
#include "core/pktbuild.h"

#define ETH_LEN 14
#define IP4_LEN SL_PKT_IP4_LEN
#define IP6_LEN SL_PKT_IP6_LEN
#define UDP_LEN SL_PKT_UDP_LEN
#define ICMP_LEN SL_PKT_ICMP_LEN
#define TTL 64
#define QUOTE_MAX 512
#define PKT_MAX (ETH_LEN + 65535 + IP6_LEN)

struct sl_trace {
	struct sl_pcapwr *w;
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
	/* microseconds; the file header reaches the disk now, not with the
	 * first packet */
	enum sl_err e = sl_pcapwr_open(&t->w, path, link == SL_TRACE_ETHER ?
	    SL_LINKTYPE_ETHERNET : SL_LINKTYPE_RAW, 65535, false, errbuf);
	if (e != SL_OK) {
		free(t);
		return e;
	}
	*out = t;
	return SL_OK;
}

void
sl_trace_close(struct sl_trace *t)
{
	if (t == NULL)
		return;
	sl_pcapwr_close(t->w);
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

/* ----- headers ----- */

static size_t
link_header(struct sl_trace *t, bool v6)
{
	if (t->link != SL_TRACE_ETHER)
		return 0;
	/* locally administered MACs; direction is in the IP addresses */
	static const uint8_t mac[12] = { 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2 };
	memcpy(t->pkt, mac, 12);
	sl_pkt_put16(t->pkt + 12, v6 ? 0x86dd : 0x0800);
	return ETH_LEN;
}

/* IP header for a payload of len bytes at t->pkt + off; returns its size */
static size_t
ip_header(struct sl_trace *t, size_t off, const struct sl_ip *src,
    const struct sl_ip *dst, uint8_t proto, size_t len)
{
	if (src->family == SL_AF_INET4)	/* DF, as Linux sets for UDP */
		return sl_pkt_ip4(t->pkt + off, src->a, dst->a, proto, TTL,
		    t->ip_id++, 0x4000, len);
	return sl_pkt_ip6(t->pkt + off, src->a, dst->a, proto, TTL, len);
}

static size_t
alen(const struct sl_ip *a)
{
	return a->family == SL_AF_INET4 ? 4 : 16;
}

static size_t
udp_into(uint8_t *u, const struct sl_endpoint *src, const struct sl_endpoint *dst,
    const void *payload, size_t n)
{
	return sl_pkt_udp(u, UDP_LEN + n, src->ip.a, dst->ip.a, alen(&src->ip),
	    src->port, dst->port, payload, n);
}

static enum sl_err
emit(struct sl_trace *t, size_t len)
{
	uint64_t us = t->clock(t->clock_arg);
	enum sl_err e = sl_pcapwr_write(t->w, us * 1000u, t->pkt, (uint32_t)len,
	    (uint32_t)len);

	t->count++;
	/* per packet: a killed process still leaves every record on disk */
	return e == SL_OK ? sl_pcapwr_flush(t->w) : e;
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
	ip_header(t, off, &src->ip, &dst->ip, SL_PKT_PROTO_UDP, ul);
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
	 * and checksum; none if the payload is cut) and the start of the
	 * payload. Built in place, then the ICMP header goes in front. */
	uint16_t saved_id = t->ip_id;
	size_t ul = udp_into(inner + ipl, local, dst, payload, q);
	if (n > q) {
		sl_pkt_put16(inner + ipl + 4, (uint16_t)(UDP_LEN + n));
		sl_pkt_put16(inner + ipl + 6, 0);
	}
	ip_header(t, off + ipl + ICMP_LEN, &local->ip, &dst->ip,
	    SL_PKT_PROTO_UDP, UDP_LEN + n);
	t->ip_id = (uint16_t)(saved_id + 1);
	size_t il = sl_pkt_icmp(ic, ICMP_LEN + ipl + ul, offender->a,
	    local->ip.a, alen(offender), type, code, 0, inner, ipl + ul);
	uint8_t proto = v6 ? SL_PKT_PROTO_ICMPV6 : SL_PKT_PROTO_ICMP;
	ip_header(t, off, offender, &local->ip, proto, il);
	return emit(t, off + ipl + il);
}
