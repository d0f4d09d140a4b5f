/* b2bua.h: one call through a Yate B2BUA, as event sources.
 *
 * The call is the seed's (SEED-EN.md, "Call through the server"): an
 * INVITE challenged with 401, the authorised INVITE, a second leg with a
 * new Call-ID towards the callee, 180/200 relayed back, four RTP streams
 * (caller->server, server->callee, callee->server, server->caller; the
 * server relays with its own SSRCs), a BYE challenged with 401, the BYE
 * relayed to the callee, and ICMP port unreachable answers to the media
 * that keeps arriving after each side hung up.
 *
 * The call is driven by the scheduler (sched.h): slg_b2bua_start queues
 * its first events and slg_b2bua_fire writes one packet per event and
 * queues the next, so b2bua-auth.pcap (one call) and the bench (thousands
 * of overlapping calls) share this code. */
#ifndef SLG_B2BUA_H
#define SLG_B2BUA_H

#include <stdint.h>

#include "tests/gen/net.h"
#include "tests/gen/out.h"
#include "tests/gen/rng.h"
#include "tests/gen/sched.h"

#define SLG_EV_SIP	1
#define SLG_EV_RTP	2
#define SLG_EV_ICMP	3

#define SLG_B2BUA_NSIG	23

struct slg_b2bua_cfg {
	uint64_t t0;		/* the first INVITE */
	uint64_t answer_ns;	/* first INVITE -> callee's 200 OK */
	uint32_t rtp_packets;	/* packets the caller sends */
	uint32_t jitter_ns;	/* arrival noise of the phones' RTP */
	struct slg_host caller;
	struct slg_host callee;
	char caller_user[24];
	char caller_pass[24];
	char callee_user[24];
	char dialled[24];
	char nonce_secret[24];
	uint16_t caller_rtp;
	uint16_t callee_rtp;
	uint16_t srv_rtp_a;	/* server's media port on the caller leg */
	uint16_t srv_rtp_b;	/* server's media port on the callee leg */
	uint32_t callid_a;	/* Call-IDs are "<n>@<server>" as Yate makes */
	uint32_t callid_b;
	uint32_t tag_caller;
	uint32_t tag_srv_401;	/* To tag of the 401 to the first INVITE */
	uint32_t tag_srv_a;	/* server's To tag on the caller leg */
	uint32_t tag_srv_b;	/* server's From tag on the callee leg */
	uint32_t tag_callee;
	uint32_t cseq_b;
	uint32_t branch[8];
	uint32_t ssrc[4];	/* per stream, see SLG_B2BUA_ST_* in b2bua.c */
	uint16_t seq[4];
	uint32_t ts[4];
	uint64_t sdp_caller;
	uint64_t sdp_callee;
	int32_t lost[2];	/* on the caller's stream, or -1 */
	int32_t reorder;	/* on the caller's stream, or -1 */
	uint64_t seed;
};

struct slg_b2bua;

/* Random identifiers, ports and timing for call number `index`; the
 * scenario then overrides what it wants fixed. */
void slg_b2bua_cfg_random(struct slg_b2bua_cfg *cfg, struct slg_rng *rng);
/* Time from the first INVITE to the callee's last 200 OK, roughly. */
uint64_t slg_b2bua_duration(const struct slg_b2bua_cfg *cfg);

/* server is shared by every call (its IP Identification counter too). */
struct slg_b2bua *slg_b2bua_new(const struct slg_b2bua_cfg *cfg,
    struct slg_host *server);
void slg_b2bua_free(struct slg_b2bua *c);
int slg_b2bua_start(struct slg_b2bua *c, struct slg_sched *s);
/* Writes the packet of ev; returns -1 on error, 1 when the call has no
 * events left (the caller may free it), else 0. */
int slg_b2bua_fire(struct slg_b2bua *c, const struct slg_ev *ev,
    struct slg_sched *s, struct slg_out *o);
/* Discards one of the call's events without writing (error cleanup);
 * returns 1 when none is left. */
int slg_b2bua_drop(struct slg_b2bua *c);

#endif
