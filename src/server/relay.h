/* relay.h: the RTP relay of sipladder-server. Like Yate (YATE.md 4, RTP)
 * the server anchors media: each call gets one UDP port on the caller's
 * side (A) and one on the callee's side (B); what the caller sends to A's
 * port leaves from B's port towards the callee's SDP address, and back.
 * RTP only: one even port per side, no RTCP port (RFC 3550 11 odd port)
 * is opened, so RTCP draws ICMP port unreachable like late RTP does.
 *
 * Packets are accepted on a side only from the IP address that side's SDP
 * announced (any port) and only once the other side's destination is
 * known; everything else is dropped and counted. Freeing the relay closes
 * both sockets at once, so RTP arriving after hangup is answered by the
 * kernel with ICMP port unreachable, as in the seed's capture.
 *
 * Ports come from a pool over --rtp-ports handed out round-robin, so a
 * port just released is the last to be reused (late RTP of the old call
 * must not reach a new one). The pool is plain data, unit-testable. */
#ifndef SL_SERVER_RELAY_H
#define SL_SERVER_RELAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/addr.h"
#include "core/err.h"
#include "server/log.h"
#include "sip/loop.h"
#include "sip/trace.h"

#define SL_RELAY_MAX_PACKET 4096	/* larger datagrams are dropped */

struct sl_relay_pool {
	uint16_t first;		/* first even port of the range */
	size_t n;		/* even ports in the range */
	uint8_t *used;		/* n flags */
	size_t next;		/* round-robin cursor */
	size_t in_use;
};

/* Even ports in [lo, hi]. SL_EUSAGE if there is none, SL_ENOMEM. */
enum sl_err sl_relay_pool_init(struct sl_relay_pool *p, uint16_t lo, uint16_t hi);
void sl_relay_pool_free(struct sl_relay_pool *p);
/* The next free port after the last one handed out; false when all are
 * in use. */
bool sl_relay_pool_take(struct sl_relay_pool *p, uint16_t *port /* OUT */);
void sl_relay_pool_put(struct sl_relay_pool *p, uint16_t port);

/* What every relay of a server shares. */
struct sl_relay_env {
	struct sl_loop *loop;
	struct sl_trace *trace;		/* NULL: no tracing */
	const struct sl_slog *log;
	struct sl_relay_pool pool;
	uint64_t dropped;		/* all relays: unexpected or oversized */
};

enum sl_relay_side { SL_RELAY_A = 0, SL_RELAY_B = 1 };

struct sl_relay_stats {
	uint64_t rx_pkts, rx_bytes;	/* received on this side's port */
	uint64_t tx_pkts, tx_bytes;	/* sent from it */
	uint64_t dropped;
};

struct sl_relay;

/* Two ports (A and B) bound on bind_ip. adv[] is the address each side's
 * SDP announces (also the source written in traces: bind_ip may be a
 * wildcard). NULL with errbuf text when the pool is exhausted or no port
 * could be bound (SL_ENOMEM / SL_EIO in *err). */
struct sl_relay *sl_relay_new(struct sl_relay_env *env, const struct sl_ip *bind_ip,
    const struct sl_ip adv[2], enum sl_err *err /* OUT */,
    char errbuf[SL_ERRBUF_SIZE]);
/* Closes both sockets, returns the ports to the pool. Accepts NULL. */
void sl_relay_free(struct sl_relay *r);

uint16_t sl_relay_port(const struct sl_relay *r, enum sl_relay_side s);
const struct sl_ip *sl_relay_addr(const struct sl_relay *r, enum sl_relay_side s);
/* The peer of side s: where packets for it go, and the only IP whose
 * packets are accepted on its port. A port of 0 or a wildcard address
 * (SDP hold) clears it. */
void sl_relay_set_peer(struct sl_relay *r, enum sl_relay_side s,
    const struct sl_ip *ip, uint16_t port);
const struct sl_relay_stats *sl_relay_stats(const struct sl_relay *r,
    enum sl_relay_side s);

#endif
