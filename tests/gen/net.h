/* net.h: frame building, from the link layer down to UDP/ICMP/TCP.
 *
 * A frame is assembled in a struct slg_frame: first the link header
 * (Ethernet with 0, 1 or 2 VLAN tags, Linux SLL, SLL2, BSD NULL or nothing
 * for RAW), then the IP header(s) wrapping a transport datagram that was
 * built beforehand into a separate buffer. The transport is built first
 * because IP fragmentation slices it, and its checksum needs the final
 * addresses. The offsets l3/l4/l7 let a scenario corrupt single fields
 * after the fact (malformed.pcap) or quote the packet in an ICMP error.
 * The IP, UDP and ICMP headers and every checksum come from
 * src/core/pktbuild (shared with the server's and phone's --trace-pcap);
 * link headers, IPv6 extension headers, TCP and ARP are the generator's. */
#ifndef SLG_NET_H
#define SLG_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/pktbuild.h"

#define SLG_DLT_NULL		0
#define SLG_DLT_EN10MB		1
#define SLG_DLT_RAW		101
#define SLG_DLT_LINUX_SLL	113
#define SLG_DLT_LINUX_SLL2	276

#define SLG_ETH_IPV4	0x0800
#define SLG_ETH_ARP	0x0806
#define SLG_ETH_VLAN	0x8100
#define SLG_ETH_QINQ	0x88a8
#define SLG_ETH_IPV6	0x86dd
#define SLG_ETH_LLDP	0x88cc

#define SLG_IPPROTO_ICMP	1
#define SLG_IPPROTO_TCP		6
#define SLG_IPPROTO_UDP		17
#define SLG_IPPROTO_ICMPV6	58

/* Room for a 64 KiB IP datagram plus the largest link header. */
#define SLG_FRAME_MAX	(65535 + 128)

struct slg_ip {
	uint8_t v;		/* 4 or 6 */
	uint8_t a[16];		/* IPv4 uses a[0..3] */
};

struct slg_host {
	struct slg_ip ip;
	uint8_t mac[6];
	uint8_t ttl;		/* TTL, or hop limit for IPv6 */
	uint16_t ipid;		/* next IPv4 Identification: one per datagram */
};

struct slg_link {
	uint32_t dlt;
	unsigned ntags;		/* Ethernet: 0, 1 (802.1Q) or 2 (QinQ) */
	uint16_t tag[2];	/* VLAN ids, outer first */
	uint16_t pkttype;	/* SLL/SLL2: 0 host, 1 broadcast, 3 other, 4 out */
	uint32_t ifindex;	/* SLL2 */
	uint32_t af6;		/* NULL: AF value for IPv6 (BSDs: 24, 28, 30) */
};

/* Extra IP behaviour; a zeroed struct (or NULL) means a plain datagram
 * with the source host's next Identification. */
struct slg_ipx {
	bool frag;		/* carry l4[off, off+len) as one fragment */
	size_t off;		/* multiple of 8 */
	size_t len;
	bool more;		/* More Fragments */
	uint32_t id;		/* fragment Identification (v4: low 16 bits) */
	bool v6_hbh_dst;	/* IPv6: Hop-by-Hop + Destination Options */
	bool df;		/* IPv4: Don't Fragment */
};

struct slg_frame {
	size_t len;
	size_t l3;		/* offset of the network header */
	size_t l4;		/* offset of the transport header */
	size_t l7;		/* offset of the transport payload (UDP) */
	bool overflow;
	uint8_t b[SLG_FRAME_MAX];
};

bool slg_ip_parse(struct slg_ip *ip, const char *text);
/* IPv4 dotted quad or RFC 5952 IPv6 text; returns out. */
const char *slg_ip_str(const struct slg_ip *ip, char *out, size_t cap);
void slg_host_init(struct slg_host *h, const char *ip, const uint8_t mac[6],
    uint8_t ttl, uint16_t ipid);

void slg_frame_reset(struct slg_frame *f);
void slg_frame_put(struct slg_frame *f, const void *p, size_t n);
void slg_frame_link(struct slg_frame *f, const struct slg_link *lk,
    const uint8_t smac[6], const uint8_t dmac[6], uint16_t ethertype);
/* IP header(s) for src -> dst carrying l4 (or its slice, see slg_ipx). */
void slg_frame_ip(struct slg_frame *f, struct slg_host *src,
    const struct slg_ip *dst, uint8_t proto, const uint8_t *l4,
    size_t l4len, const struct slg_ipx *x);
/* ARP request "who has target? tell sender", broadcast. */
void slg_frame_arp(struct slg_frame *f, const struct slg_link *lk,
    const struct slg_host *sender, const uint8_t target[4]);

/* Transport builders: write into out (cap bytes), return the length or 0
 * if it does not fit. Checksums use the pseudo-header of src/dst. */
size_t slg_udp_make(uint8_t *out, size_t cap, const struct slg_ip *src,
    const struct slg_ip *dst, uint16_t sport, uint16_t dport,
    const void *pl, size_t plen);
size_t slg_tcp_make(uint8_t *out, size_t cap, const struct slg_ip *src,
    const struct slg_ip *dst, uint16_t sport, uint16_t dport, uint32_t seq,
    uint32_t ack, uint8_t flags, const void *pl, size_t plen);
/* ICMPv4 type 3 (destination unreachable) quoting qlen bytes. */
size_t slg_icmp_unreach_make(uint8_t *out, size_t cap, uint8_t code,
    const uint8_t *quote, size_t qlen);
/* ICMP echo request (v4) or ICMPv6 echo request (v6, needs addresses). */
size_t slg_icmp_echo_make(uint8_t *out, size_t cap, const struct slg_ip *src,
    const struct slg_ip *dst, uint16_t id, uint16_t seq, const void *data,
    size_t dlen);

/* Any ICMPv6 message: type, code, then body (checksum filled in). */
size_t slg_icmp6_make(uint8_t *out, size_t cap, const struct slg_ip *src,
    const struct slg_ip *dst, uint8_t type, uint8_t code, const void *body,
    size_t blen);

/* Checksums and big-endian stores for scenarios that rewrite fields:
 * sl_csum_add, sl_csum_fold, sl_pkt_put16, sl_pkt_put32 of core/pktbuild.h. */

#endif
