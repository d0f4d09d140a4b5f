/* ip.h: internal to dissectors/: pointer-cursor entry points of the
 * per-packet path (link -> IP -> UDP) and IPv6 helpers shared with icmp.c. */
#ifndef SL_IP_H
#define SL_IP_H

#include <stdbool.h>
#include <stdint.h>

#include "dissectors/dissector.h"

enum {
	SL_IPPROTO_HOPOPTS = 0,
	SL_IPPROTO_ICMP = 1,
	SL_IPPROTO_TCP = 6,
	SL_IPPROTO_UDP = 17,
	SL_IPPROTO_ROUTING = 43,
	SL_IPPROTO_FRAGMENT = 44,
	SL_IPPROTO_ESP = 50,
	SL_IPPROTO_AH = 51,
	SL_IPPROTO_ICMPV6 = 58,
	SL_IPPROTO_NONE = 59,
	SL_IPPROTO_DSTOPTS = 60,
};

/* Smallest L4 header we decode (UDP, and the ICMP header): an IP packet
 * cut by the snaplen is still worth decoding when this much is there. */
#define SL_L4_MIN 8

/* The per-packet path passes the cursor by address. The layer functions
 * of dissector.h take it by value, and a 24-byte struct argument goes
 * through the stack, where copying it back stalls on store forwarding:
 * about a quarter of the RTP path's time when measured. Those functions
 * are wrappers around these; each consumes *c, except the link layer,
 * which leaves *c at the network header it announces. */
enum sl_net sl_link_dissect(struct sl_packet *pkt, struct sl_cur *c);
/* IPv4 or IPv6 from *c, as the link layer announced; nothing for
 * SL_NET_NONE (the link layer said why). */
void sl_net_dissect(const struct sl_dctx *ctx, struct sl_packet *pkt, enum sl_net net,
    struct sl_cur *c);
void sl_ip4_dissect(const struct sl_dctx *ctx, struct sl_packet *pkt,
    struct sl_cur *c);
void sl_ip6_dissect(const struct sl_dctx *ctx, struct sl_packet *pkt,
    struct sl_cur *c);
void sl_udp_dissect(const struct sl_dctx *ctx, struct sl_packet *pkt,
    struct sl_cur *c);

/* Hands the IP payload *c to UDP / ICMP, or records why not: TCP and
 * other protocols are skipped. pkt->ip_proto is set here. */
void sl_ip_payload(const struct sl_dctx *ctx, struct sl_packet *pkt,
    uint8_t proto, struct sl_cur *c, bool v6);

/* Walks IPv6 extension headers from *nh over c, stopping at the first
 * upper-layer header or at a Fragment header (*frag set; c then starts at
 * the Fragment header, whose 8 bytes are known to be there). Each header,
 * the Fragment one included, uses one unit of *budget. False when the
 * chain is truncated (c->bad) or longer than the budget; *why names the
 * anomaly. */
#define SL_IP6_MAX_EXT 8
bool sl_ip6_ext_walk(struct sl_cur *c, uint8_t *nh /* IN/OUT */,
    unsigned *budget /* IN/OUT */, bool *frag /* OUT */,
    const char **why /* OUT */);

#endif
