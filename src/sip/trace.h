/* trace.h: --trace-pcap FILE for the server and the phone. Every datagram
 * a program sends or receives (SIP and RTP) is written as a pcap record
 * with synthesized IPv4/IPv6 and UDP headers (correct lengths and
 * checksums), so `sipladder`, tshark or sngrep read the trace like a
 * capture, without privileges. Built by src/core/pktbuild, written with
 * libpcap by src/capture/pcapwrite, and flushed per packet: a killed
 * process leaves a readable file (at worst the last record is cut).
 *
 * ICMP: a sender cannot see the ICMP port unreachable the kernel of the
 * *receiver* emits, but when ours reports one for a datagram we sent
 * (sl_udp_recv_icmp), sl_trace_icmp writes the ICMP/ICMPv6 message that
 * must have arrived: from the offender to us, quoting our datagram. It is
 * a reconstruction (the TTL, IP ID and the quoted length are ours).
 *
 * Timestamps are CLOCK_REALTIME unless a clock is set (deterministic
 * traces). One struct sl_trace per file, from sl_trace_open; the caller
 * frees it with sl_trace_close. */
#ifndef SL_SIP_TRACE_H
#define SL_SIP_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include "core/addr.h"
#include "core/err.h"

struct sl_trace;

enum sl_trace_link {
	SL_TRACE_RAW,		/* LINKTYPE_RAW: IP header first */
	SL_TRACE_ETHER,		/* Ethernet with made-up MACs */
};

/* Wall-clock time in microseconds since the epoch. */
typedef uint64_t (*sl_trace_clock_fn)(void *arg);

/* Create/truncate path. SL_EIO with errbuf text. */
enum sl_err sl_trace_open(struct sl_trace **out /* OUT */, const char *path,
    enum sl_trace_link link, char errbuf[SL_ERRBUF_SIZE]);
/* Accepts NULL. */
void sl_trace_close(struct sl_trace *t);
void sl_trace_set_clock(struct sl_trace *t, sl_trace_clock_fn fn, void *arg);

/* One UDP datagram src -> dst. t may be NULL (tracing off): SL_OK.
 * SL_EUSAGE for mixed/unknown families or a payload too large for one IP
 * packet (65507 / 65527 bytes); SL_EIO if the write failed. */
enum sl_err sl_trace_udp(struct sl_trace *t, const struct sl_endpoint *src,
    const struct sl_endpoint *dst, const void *payload, size_t n);

/* ICMP (v4 type/code, or ICMPv6 when the endpoints are IPv6) from
 * `offender` to `local`, quoting the UDP datagram local -> dst that
 * carried payload (at most the first 512 bytes are quoted). */
enum sl_err sl_trace_icmp(struct sl_trace *t, const struct sl_ip *offender,
    const struct sl_endpoint *local, const struct sl_endpoint *dst,
    uint8_t type, uint8_t code, const void *payload, size_t n);

/* Records written so far. */
uint64_t sl_trace_count(const struct sl_trace *t);

#endif
