/* dedup.h: one packet seen twice. Captures of several capture points
 * merged into one input (a tap and the server's own trace, lo and eth0)
 * hold each packet once per point, and every SIP message would look
 * retransmitted.
 * editcap -d finds such copies within a window of packets; ours is a
 * window of capture time, since copies from different files or
 * interfaces have different traffic between them.
 *
 * Two IP packets are the same when they are equal from the network
 * header to the end of the IP packet (its length field; the frame may
 * carry padding), except for what a hop rewrites or another capture
 * point writes differently:
 *  - the link layer (Ethernet, Linux cooked, raw IP in a program's trace);
 *  - IPv4 DSCP/ECN, TTL and header checksum; IPv6 traffic class, flow
 *    label and hop limit;
 *  - between different capture points only, the IPv4 Identification and
 *    DF flag of an unfragmented packet: a trace written by the program
 *    that sent or received the packet (sipladder-server --trace-pcap, a
 *    SIP server's own capture) cannot know the kernel's. At one capture
 *    point the Identification counts: a sender that repeats a packet at
 *    once (the end of an RFC 4733 DTMF event, sent three times with one
 *    sequence number) gives each repeat an Identification of its own,
 *    while a packet the point saw twice (a bridge and its port) keeps its
 *    one. In a fragment they name the datagram and always count;
 *  - the UDP checksum (IPv6: when UDP follows the fixed header): the
 *    sender's own capture shows what checksum offload left there, the
 *    wire the real one, a trace its own; the bytes it covers are compared
 *    anyway.
 * A SIP retransmission repeats the same bytes after T1 (500 ms) or later,
 * so the window must stay well below that; two RTP packets differ in
 * sequence number or timestamp, but for repeats such as RFC 4733's (over
 * IPv6, which has no Identification, those count as copies).
 *
 * Memory and time are bounded: a fixed table of recent fingerprints (61
 * bits of a universal hash of the packet as compared, core/uhash.h, under
 * a random key of the run, so a capture cannot be crafted to make two
 * different packets collide), four to a cache line, the oldest
 * replaced; one hash of the packet and one line per packet. */
#ifndef SL_DEDUP_H
#define SL_DEDUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dissectors/dissector.h"

struct sl_dedup;

/* window_ns > 0 (times are kept to the microsecond). The key is read
 * from the kernel's CSPRNG. NULL on out of memory. */
struct sl_dedup *sl_dedup_new(int64_t window_ns);
void sl_dedup_free(struct sl_dedup *d);

/* Whether the IP packet at ip (n bytes from its network header to the end
 * of the frame; net as the link layer announced it) was seen at most the
 * window away from ts_ns, before or after: files are merged by time, but
 * frames within a file may be out of order. point names the capture
 * point (the input file or interface, and its link type; any 16 bits
 * that differ between points). If not seen, it is remembered with ts_ns;
 * a copy never renews the time, so copies keep coming only within the
 * window of the first. Bytes that are no IP header never count as
 * seen. */
bool sl_dedup_seen(struct sl_dedup *d, enum sl_net net, const uint8_t *ip, size_t n,
    int64_t ts_ns, uint16_t point);

/* sl_dedup_seen in two steps, so that the table's line can arrive while
 * the caller does other work (decoding the frame): the packet's
 * fingerprint (false: not an IP packet, never a copy), then the table.
 * Nothing of ip is kept in between. */
struct sl_dedup_probe {
	uint64_t fp;
	void *bucket;
	uint16_t id;
};
bool sl_dedup_probe(struct sl_dedup *d, enum sl_net net, const uint8_t *ip, size_t n,
    struct sl_dedup_probe *pr /* OUT */);
bool sl_dedup_check(struct sl_dedup *d, const struct sl_dedup_probe *pr, int64_t ts_ns,
    uint16_t point);

/* Packets forgotten before their window was over and before a copy of
 * them came, to make room: four such were waiting in one line of the
 * table (65536 packets in 16384 lines), and a copy of them may then go
 * unnoticed. */
uint64_t sl_dedup_forgotten(const struct sl_dedup *d);

/* The fingerprint itself (the rules above, under d's key), for tests:
 * false when ip holds no IP header of that version, or an IPv6
 * jumbogram (over 64 KiB: never checked). */
bool sl_dedup_fingerprint(struct sl_dedup *d, enum sl_net net, const uint8_t *ip, size_t n,
    uint64_t *fp /* OUT */);

#endif
