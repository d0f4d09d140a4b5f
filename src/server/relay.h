/* relay.h: the RTP relay of sipladder-server. Like Yate (YATE.md 4, RTP)
 * the server anchors media: each call gets one UDP port on the caller's
 * side (A) and one on the callee's side (B); what the caller sends to A's
 * port leaves from B's port towards the callee's SDP address, and back.
 * RTP only: one even port per side, no RTCP port (RFC 3550 11 odd port)
 * is opened, so RTCP draws ICMP port unreachable like late RTP does.
 *
 * Strict source: a side accepts packets only from exactly the IP address
 * AND port its SDP announced (sl_relay_set_peer), and only once the other
 * side's destination is known; everything else is dropped and counted.
 * Checking the IP alone let anything else behind the caller's address
 * (another process on the same host, every phone behind the same NAT)
 * inject audio into the call.
 *
 * Latching (env->latch, --rtp-latch, off by default) is "symmetric RTP"
 * as rtpengine and rtpproxy do it, for phones behind NAT whose SDP shows
 * a private address: until a side has accepted its first packet, a packet
 * from the IP address that side's signalling came from
 * (sl_relay_set_signal_ip), on any port, makes that exact ip:port the
 * side's peer, strict from then on. The price: whoever sends first from
 * that IP wins the side, e.g. another process on the caller's host or
 * another phone behind the same NAT, racing the real phone's first packet
 * once it has seen our port. That is why it is off unless the phones need
 * it. A new SDP address for the side (re-INVITE, resume from hold) opens
 * the latch again; the same SDP again (session refresh) keeps it.
 *
 * Freeing the relay closes both sockets at once, so RTP arriving after
 * hangup is answered by the kernel with ICMP port unreachable, as in the
 * seed's capture.
 *
 * Ports are drawn uniformly at random (env->ids, the CSPRNG-seeded
 * generator) from the free ones, so nobody can predict the ports of the
 * next call. A released port rests SL_RELAY_REST_MS before it can be drawn
 * again, so late RTP of the old call does not reach a new one. Only when
 * no rested port is left does the pool hand out the port that has rested
 * longest (serving the call beats refusing it, and the strict source
 * check keeps the old peer's packets out unless it is also the new one).
 * The pool is plain data (O(range) memory, O(1) per operation, time
 * passed in), unit-testable. */
#ifndef SL_SERVER_RELAY_H
#define SL_SERVER_RELAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/addr.h"
#include "core/err.h"
#include "sip/log.h"
#include "sip/loop.h"
#include "sip/trace.h"

#define SL_RELAY_MAX_PACKET 4096	/* larger datagrams are dropped */
/* How long a released port rests before it may be drawn again: late RTP
 * stops within a second or two of the BYE; with 30 s the default range
 * (5000 ports) gives every port its full rest up to about 80 new calls a
 * second, beyond that ports rest less (never refused for it). */
#define SL_RELAY_REST_MS 30000u

struct sl_ids;

struct sl_relay_pool {
	uint16_t first;		/* first even port of the range */
	size_t n;		/* even ports in the range (<= 32768) */
	uint64_t rest_ms;	/* SL_RELAY_REST_MS; tests may change it */
	uint8_t *state;		/* n: free, in use, resting */
	uint16_t *avail;	/* indexes of free ports, navail of them */
	size_t navail;
	/* resting ports, oldest first: a ring of n (rest_ms is the same for
	 * all and the clock never goes back, so release order is expiry
	 * order) */
	uint16_t *rest_i;
	uint64_t *rest_t;	/* when each was released */
	size_t rest_head, nrest;
	size_t in_use;
};

/* Even ports in [lo, hi]. SL_EUSAGE if there is none, SL_ENOMEM. */
enum sl_err sl_relay_pool_init(struct sl_relay_pool *p, uint16_t lo, uint16_t hi);
void sl_relay_pool_free(struct sl_relay_pool *p);
/* A port drawn uniformly from the free ones (ids NULL: a fixed order,
 * for tests), else the one resting longest; false when all are in use. */
bool sl_relay_pool_take(struct sl_relay_pool *p, struct sl_ids *ids, uint64_t now_ms,
    uint16_t *port /* OUT */);
/* Back to the pool, resting from now_ms; ports not in use are ignored. */
void sl_relay_pool_put(struct sl_relay_pool *p, uint16_t port, uint64_t now_ms);

/* What every relay of a server shares. */
struct sl_relay_env {
	struct sl_loop *loop;		/* its clock stamps packets and rests */
	struct sl_trace *trace;		/* NULL: no tracing */
	const struct sl_log *log;
	struct sl_ids *ids;		/* draws ports; NULL: fixed order (tests) */
	bool latch;			/* --rtp-latch (above) */
	uint16_t sip_port;		/* never a peer on our own addresses */
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
/* The peer of side s as its SDP announced it: where packets for it go,
 * and the only ip:port whose packets are accepted on its port. A port of
 * 0 or a wildcard address (SDP hold) clears it. The same address again
 * keeps a latched peer; another one replaces it and reopens the latch. */
void sl_relay_set_peer(struct sl_relay *r, enum sl_relay_side s,
    const struct sl_ip *ip, uint16_t port);
/* Where side s's signalling comes from (the caller's INVITE source, the
 * callee's address); only used for latching. NULL clears it. */
void sl_relay_set_signal_ip(struct sl_relay *r, enum sl_relay_side s,
    const struct sl_ip *ip);
const struct sl_relay_stats *sl_relay_stats(const struct sl_relay *r,
    enum sl_relay_side s);
/* Loop time of the last packet accepted from either side's peer (whether
 * or not it could be forwarded): 0 when none ever was. */
uint64_t sl_relay_last_rx_ms(const struct sl_relay *r);

#endif
