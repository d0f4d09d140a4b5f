/* pktbuild.h: IPv4/IPv6, UDP and ICMP/ICMPv6 headers with their checksums,
 * written into a caller's buffer. The one packet builder of the project
 * (DESIGN 3.2b): the server's and phone's --trace-pcap (src/sip/trace.c)
 * and the capture generator (tests/gen/net.c) both build with it. No
 * I/O and no libpcap: writing the frames is src/capture/pcapwrite's job.
 *
 * Addresses are raw network-order bytes with their length alen: 4 (IPv4)
 * or 16 (IPv6). Every multi-byte field is written big-endian. */
#ifndef SL_CORE_PKTBUILD_H
#define SL_CORE_PKTBUILD_H

#include <stddef.h>
#include <stdint.h>

#define SL_PKT_IP4_LEN	20
#define SL_PKT_IP6_LEN	40
#define SL_PKT_UDP_LEN	8
#define SL_PKT_ICMP_LEN	8

#define SL_PKT_PROTO_ICMP	1
#define SL_PKT_PROTO_TCP	6
#define SL_PKT_PROTO_UDP	17
#define SL_PKT_PROTO_ICMPV6	58

void sl_pkt_put16(uint8_t *p, uint16_t v);
void sl_pkt_put32(uint8_t *p, uint32_t v);

/* Internet checksum (RFC 1071): add n bytes to a running sum (odd n pads
 * with a zero byte; the sum is folded early, so any length is safe), then
 * fold and complement. */
uint32_t sl_csum_add(uint32_t sum, const uint8_t *p, size_t n);
uint16_t sl_csum_fold(uint32_t sum);
/* Sum of the pseudo header of RFC 768 / RFC 8200 8.1 for an upper-layer
 * packet of len bytes. */
uint32_t sl_csum_pseudo(const uint8_t *src, const uint8_t *dst, size_t alen,
    uint8_t proto, size_t len);

/* IPv4 header (RFC 791, no options) for plen payload bytes; fragw is the
 * flags + fragment offset word (0x4000: DF). Returns SL_PKT_IP4_LEN. */
size_t sl_pkt_ip4(uint8_t out[SL_PKT_IP4_LEN], const uint8_t src[4],
    const uint8_t dst[4], uint8_t proto, uint8_t ttl, uint16_t id,
    uint16_t fragw, size_t plen);
/* IPv6 header (RFC 8200): next header, hop limit, payload length plen
 * (extension headers included). Returns SL_PKT_IP6_LEN. */
size_t sl_pkt_ip6(uint8_t out[SL_PKT_IP6_LEN], const uint8_t src[16],
    const uint8_t dst[16], uint8_t next, uint8_t hlim, size_t plen);

/* UDP datagram (RFC 768) with its checksum (0 is sent as 0xffff). Returns
 * its length, or 0 if it does not fit in cap or in 65535 bytes. */
size_t sl_pkt_udp(uint8_t *out, size_t cap, const uint8_t *src,
    const uint8_t *dst, size_t alen, uint16_t sport, uint16_t dport,
    const void *pl, size_t plen);

/* ICMP (RFC 792; alen 4, no pseudo header) or ICMPv6 (RFC 4443; alen 16,
 * with one): type, code, checksum, the 32-bit rest of the header (0 for
 * errors; id << 16 | seq for echo), then dlen bytes of data (for an
 * error: the quoted datagram). Returns the length, or 0 if > cap. */
size_t sl_pkt_icmp(uint8_t *out, size_t cap, const uint8_t *src,
    const uint8_t *dst, size_t alen, uint8_t type, uint8_t code,
    uint32_t rest, const void *data, size_t dlen);

#endif
