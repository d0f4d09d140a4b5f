/* udp.h: non-blocking UDP sockets addressed by struct sl_endpoint.
 *
 * One struct sl_udp per bound socket, embedded by the caller (no heap);
 * sl_udp_close closes the fd. The socket is never connect()ed: one socket
 * talks to every peer, so the kernel does not hand ECONNREFUSED to
 * recv(). Instead IP_RECVERR/IPV6_RECVERR queue ICMP errors, which
 * sl_udp_recv_icmp reads (the loop reports them as SL_LOOP_ERROR); that is
 * how a trace can show the ICMP port unreachable the seed's capture has
 * after BYE. An ICMP error for one peer never fails a send to (or a
 * receive from) another: the socket error Linux also raises for it is
 * taken and the call retried, the ICMP stays queued for
 * sl_udp_recv_icmp.
 *
 * Datagrams larger than `max` (default and hard limit 65535) or cut short
 * by the buffer are refused and counted, never half-processed. Peer input
 * is untrusted; nothing here looks inside the payload. */
#ifndef SL_SIP_UDP_H
#define SL_SIP_UDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/addr.h"
#include "core/err.h"

#define SL_UDP_MAX_DATAGRAM 65535

struct sl_udp_stats {
	uint64_t rx, tx;		/* datagrams */
	uint64_t rx_refused;		/* oversized or truncated: dropped */
	uint64_t rx_icmp;		/* ICMP errors read from the error queue */
	uint64_t rx_errors, tx_errors;	/* socket errors */
};

struct sl_udp {
	int fd;				/* -1 when closed */
	struct sl_endpoint local;	/* actual bound address and port */
	size_t max;			/* largest datagram accepted */
	struct sl_udp_stats st;
};

enum sl_udp_rx {
	SL_UDP_RX_DATA,		/* *n bytes from *from */
	SL_UDP_RX_NONE,		/* nothing queued (EAGAIN) */
	SL_UDP_RX_REFUSED,	/* oversized/truncated; *from set, *n = real size
				 * when the kernel told it, else 0; counted */
	SL_UDP_RX_ERROR,	/* socket error; errbuf says which */
};

/* Parse "ip:port", "[v6]:port" or a bare IP (port = defport). */
bool sl_udp_parse_endpoint(const char *s, uint16_t defport,
    struct sl_endpoint *out /* OUT */);

/* Bind a non-blocking UDP socket to local (port 0 = ephemeral; the chosen
 * port is in u->local.port afterwards). IPv6 sockets are V6ONLY. On error
 * u->fd is -1 and errbuf says what failed (SL_EIO / SL_EUSAGE). */
enum sl_err sl_udp_open(struct sl_udp *u, const struct sl_endpoint *local,
    char errbuf[SL_ERRBUF_SIZE]);
void sl_udp_close(struct sl_udp *u);

/* One datagram to `to`. SL_EUSAGE for a bad address or a payload over
 * u->max or one IP packet (65507 bytes IPv4, 65527 IPv6). SL_EIO on
 * failure (EAGAIN included: UDP has no backpressure worth waiting for
 * here; the caller counts it as lost); a pending ICMP error of an earlier
 * datagram is not one. */
enum sl_err sl_udp_send(struct sl_udp *u, const struct sl_endpoint *to,
    const void *p, size_t n, char errbuf[SL_ERRBUF_SIZE]);

/* One datagram into buf (cap bytes; give at least u->max + 1 so that
 * truncation is always detectable). */
enum sl_udp_rx sl_udp_recv(struct sl_udp *u, void *buf, size_t cap,
    size_t *n /* OUT */, struct sl_endpoint *from /* OUT */,
    char errbuf[SL_ERRBUF_SIZE]);

/* An ICMP error from the socket's error queue.
 *   dst:      where our datagram had been sent (the peer that refused it)
 *   offender: the host that sent the ICMP (usually dst's address)
 *   type, code: ICMP or ICMPv6 type and code as sent: port unreachable
 *             is 3/3 for IPv4 and 1/4 for IPv6 (RFC 4443)
 *   buf, *n:  our datagram's payload as the kernel quotes it (at most cap)
 * Queue entries that are not ICMP (local errors, e.g. a datagram too big
 * for the interface) are read and skipped: the send that caused them
 * failed already. SL_UDP_RX_NONE when no ICMP error is queued. */
enum sl_udp_rx sl_udp_recv_icmp(struct sl_udp *u, void *buf, size_t cap,
    size_t *n /* OUT */, struct sl_endpoint *dst /* OUT */,
    struct sl_ip *offender /* OUT */, uint8_t *type /* OUT */,
    uint8_t *code /* OUT */);

#endif
