/* dissector.h: the packet every dissector fills, the dissector contract
 * and the per-run dissection context.
 *
 * A struct sl_packet lives on the pipeline's stack for one frame. Its
 * slices point into the frame bytes, a reassembly buffer or pkt->scratch;
 * all of them die when the next frame is read. Whoever keeps anything
 * (the correlator) copies it. */
#ifndef SL_DISSECTOR_H
#define SL_DISSECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/addr.h"
#include "core/arena.h"
#include "core/cursor.h"
#include "core/err.h"
#include "dissectors/rtp.h"
#include "dissectors/sip.h"

#define SL_MAX_ANOMALIES 4

/* Why a frame, or part of one, was not analysed. Every frame read ends up
 * either analysed (SIP, RTP, RTCP, ICMP about a flow) or counted under
 * exactly one of these, so nothing is dropped silently. */
enum sl_skip {
	SL_SKIP_NONE = 0,
	SL_SKIP_LINKTYPE,	/* link type we do not decode */
	SL_SKIP_TRUNCATED,	/* frame cut before the UDP payload */
	SL_SKIP_ARP,
	SL_SKIP_NON_IP,		/* other ethertypes: LLDP, STP, ... */
	SL_SKIP_IP_BAD,		/* IP header invalid (version, IHL, length) */
	SL_SKIP_FRAGMENT,	/* fragment held for reassembly (not a loss) */
	SL_SKIP_FRAG_DROPPED,	/* fragments that never completed or hit a cap */
	SL_SKIP_TCP,		/* SIP over TCP comes later; counted meanwhile */
	SL_SKIP_IP_OTHER,	/* other IP protocols (SCTP, GRE, IGMP, ...) */
	SL_SKIP_ICMP_OTHER,	/* ICMP not about a UDP flow (echo, ...) */
	SL_SKIP_UDP_OTHER,	/* UDP that is neither SIP nor announced media */
	SL_SKIP_UDP_BAD,	/* UDP header invalid */
	SL_SKIP_RTP_BAD,	/* on a media flow but not valid RTP/RTCP */
	SL_SKIP__COUNT
};

/* Short plural label for the skip summary ("12 ARP"). */
const char *sl_skip_name(enum sl_skip s);
/* The same reason as a stable snake_case identifier (JSON, reports/JSON.md). */
const char *sl_skip_id(enum sl_skip s);

enum sl_app {
	SL_APP_NONE = 0,
	SL_APP_SIP,		/* pkt->sip holds >= 1 message */
	SL_APP_RTP,
	SL_APP_RTCP,
	SL_APP_ICMP,		/* ICMP/ICMPv6 error quoting a UDP flow */
};

/* ICMP/ICMPv6 error that quotes a UDP datagram (RFC 792, RFC 4443 3.1).
 * inner_src/inner_dst are the quoted datagram's endpoints: the flow that
 * provoked the error. */
struct sl_icmp {
	uint8_t type;
	uint8_t code;
	bool v6;
	bool port_unreachable;	/* v4 3/3, v6 1/4 */
	struct sl_endpoint inner_src;
	struct sl_endpoint inner_dst;
};

struct sl_packet {
	uint64_t frame;		/* 1-based, in merged input order */
	int64_t ts_ns;		/* capture time, ns since the epoch */
	uint32_t caplen;
	uint32_t wirelen;
	int linktype;		/* DLT_* value */
	uint16_t vlan[2];	/* outer, inner 802.1Q ids; 0 = none */
	uint8_t n_vlan;

	struct sl_endpoint src;	/* IP src + UDP port + transport */
	struct sl_endpoint dst;
	uint8_t ip_proto;
	uint8_t ttl;		/* IPv4 TTL / IPv6 hop limit */
	bool reassembled;	/* the L4 payload came from IP fragments */
	/* a fragment's IP Identification, held or completing its datagram
	 * (with src.ip, dst.ip: the datagram), so that a second pass can
	 * write a datagram's fragments with the frame that completed it */
	uint32_t frag_id;
	struct sl_cur l4;	/* UDP payload (or ICMP body); frame-scoped */

	enum sl_app app;
	enum sl_skip skip;	/* why not analysed, when app == SL_APP_NONE */
	struct sl_sip *sip;	/* list (sip->next), in datagram order */
	unsigned n_sip;
	struct sl_rtp rtp;
	struct sl_rtcp rtcp;
	struct sl_icmp icmp;

	const char *anomalies[SL_MAX_ANOMALIES];	/* static names */
	uint8_t n_anomalies;
	uint16_t anomalies_lost;	/* beyond SL_MAX_ANOMALIES */

	struct sl_arena *scratch;	/* reset after each frame */
};

/* Records a named anomaly ("<proto>.<what>", a static string) on the
 * packet and returns SL_EMALFORMED so a dissector can `return` it. */
enum sl_err sl_anomaly(struct sl_packet *pkt, const char *name);

/* Frees nothing; zeroes the packet and sets its scratch arena. */
void sl_packet_init(struct sl_packet *pkt, struct sl_arena *scratch);

struct sl_reasm;

/* Decides whether a UDP flow carries media. The correlator answers from
 * SDP it has seen; NULL means "no media known". */
typedef bool (*sl_media_fn)(void *user, const struct sl_packet *pkt);

struct sl_dctx {
	struct sl_reasm *reasm;		/* IP fragment reassembly; may be NULL */
	sl_media_fn is_media;
	void *media_user;
	const uint16_t *rtp_ports;	/* --rtp-port: media on these ports */
	size_t n_rtp_ports;
	bool all_udp_media;		/* fuzzing: treat every UDP as media */
};

/* The application dissector contract. probe() looks, cheaply, and says
 * whether this payload is ours; dissect() fills pkt and returns SL_OK or
 * an error with the anomalies recorded. */
struct sl_dissector {
	const char *name;	/* anomaly prefix, fuzz target */
	bool (*probe)(const struct sl_dctx *ctx, const struct sl_packet *pkt,
	    struct sl_cur c);
	enum sl_err (*dissect)(struct sl_packet *pkt, struct sl_cur c);
	enum sl_app app;	/* what pkt->app becomes on success */
};

/* Decodes one frame: link layer, IP (with reassembly), UDP or ICMP, then
 * the application dissectors in registry order. On return pkt->app says
 * what was found, or pkt->skip why nothing was. pkt->frame, ts_ns,
 * caplen, wirelen and linktype must be set by the caller. */
void sl_dissect_frame(const struct sl_dctx *ctx, struct sl_packet *pkt,
    const uint8_t *data, size_t caplen);

/* The network layer a link header announces. */
enum sl_net {
	SL_NET_NONE = 0,	/* none: pkt->skip says why (ARP, truncated, ...) */
	SL_NET_IP4,
	SL_NET_IP6,
};

/* sl_dissect_frame in two steps, for a caller that looks at the IP packet
 * before it is decoded (the engine's duplicate check, which compares
 * packets captured on different link types). The first decodes the link
 * layer only and sets *c over the frame, from the network header it
 * announces; the second, given what the first returned and *c as it
 * left it, decodes the rest. */
enum sl_net sl_dissect_frame_link(struct sl_packet *pkt, const uint8_t *data, size_t caplen,
    struct sl_cur *c /* OUT */);
void sl_dissect_frame_net(const struct sl_dctx *ctx, struct sl_packet *pkt, enum sl_net net,
    struct sl_cur *c);

/* Layers, called by sl_dissect_frame; exposed for unit tests/fuzzers. */
void sl_dissect_link(const struct sl_dctx *ctx, struct sl_packet *pkt, struct sl_cur c);
void sl_dissect_ip4(const struct sl_dctx *ctx, struct sl_packet *pkt, struct sl_cur c);
void sl_dissect_ip6(const struct sl_dctx *ctx, struct sl_packet *pkt, struct sl_cur c);
void sl_dissect_udp(const struct sl_dctx *ctx, struct sl_packet *pkt, struct sl_cur c);
void sl_dissect_icmp(const struct sl_dctx *ctx, struct sl_packet *pkt, struct sl_cur c, bool v6);
/* Chooses and runs the app dissector for pkt->l4. */
void sl_dissect_app(const struct sl_dctx *ctx, struct sl_packet *pkt);

extern const struct sl_dissector sl_dissector_sip;
extern const struct sl_dissector sl_dissector_rtcp;
extern const struct sl_dissector sl_dissector_rtp;

#endif
