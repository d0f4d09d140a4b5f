/* call.h: the B2BUA's call objects (internal to b2bua.c, call.c,
 * indialog.c). A call has leg A (caller <-> server) and one leg B per
 * target (server <-> callee); legs are indexed by Call-ID for in-dialog
 * requests. Transactions point at legs through their user pointer; a
 * call detaches them (user = NULL) when it is freed, so late events of
 * those transactions find no call and are handled as orphans.
 *
 *   CALLING --B 2xx--> ANSWERED --A ACK--> ACTIVE
 *      |                   |                  |
 *      +-- A final error --+------ BYE -------+--> DONE -> freed once
 *          (CANCEL, no answer, B failed)           every B leg settled
 *
 * Names say "b2b" (sl_b2b_call, sl_b2b_leg, SL_B2B_*): the analyzer's call
 * model (src/model/model.h) has its own struct sl_call and sl_leg. */
#ifndef SL_SERVER_CALL_H
#define SL_SERVER_CALL_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/hash.h"
#include "server/relay.h"
#include "server/server.h"
#include "sip/dialog.h"

enum sl_b2b_call_state { SL_B2B_CALLING, SL_B2B_ANSWERED, SL_B2B_ACTIVE, SL_B2B_DONE };

struct sl_b2b_call;

struct sl_b2b_leg {
	struct sl_hnode node;		/* b2b->legs, hashed by Call-ID */
	bool in_map;
	struct sl_b2b_call *call;
	bool is_a;
	char call_id[SL_MSG_CALLID_MAX];
	char local_tag[64];		/* ours */
	char remote_tag[64];		/* the peer's ("" until known on B) */
	struct sl_endpoint peer;	/* A: source of the INVITE; B: its target */
	struct sl_srv_me me;		/* our Via/Contact towards the peer */
	struct sl_sip_txn *inv;		/* its INVITE transaction while it lives */
	struct sl_dialog dlg;
	bool has_dlg;
	struct sl_buf sdp;		/* the SDP we last sent on this leg */
	bool ack_sdp;			/* our last 2xx carried the offer: the
					 * ACK's SDP is the answer (RFC 3264) */
	/* B legs */
	char uri[SL_MSG_URI_MAX];	/* Request-URI (the registered Contact) */
	char user[SL_REGFILE_MAX_NAME + 1];
	int status;			/* last status received */
	bool provisional;		/* any 1xx: CANCEL allowed (RFC 3261 9.1) */
	bool final;			/* settled: final response, timeout or given up */
	bool cancel_wanted, cancel_sent, byed;
	const char *cancel_reason;	/* static Reason header value or NULL */
	uint64_t t_settle;
	struct sl_buf ack;		/* ACK for its 2xx, resent on retransmissions */
	struct sl_endpoint ack_dst;
};

struct sl_b2b {
	struct sl_srv *s;
	struct sl_hmap legs;
	struct sl_b2b_call *calls;
	size_t n;
	uint64_t next_id;
};

struct sl_b2b_call {
	struct sl_b2b_call *prev, *next;
	struct sl_b2b *b;
	uint64_t id;
	enum sl_b2b_call_state state;
	struct sl_b2b_leg a;
	struct sl_b2b_leg *bl;
	size_t nb;
	struct sl_b2b_leg *winner;
	struct sl_relay *relay;
	struct sl_relay_stats rstat[2];	/* kept when the relay closes */
	char auth_user[SL_REGFILE_MAX_NAME + 1];	/* "" when A did not authenticate */
	char caller[SL_ROUTE_VALUE_MAX];
	char called[SL_ROUTE_VALUE_MAX];
	uint64_t t_noanswer;
	int last_prov;			/* last provisional status relayed to A */
	int fail_status;		/* best B failure so far */
	bool ringing;
	bool late_offer;		/* A's INVITE had no SDP */
	/* once answered (sl_b2b_call_arm_timers): --rtp-timeout, re-armed for
	 * what remains after each packet, and --session-timeout */
	uint64_t t_answer, t_rtp, t_session;
};

/* ----- call.c: table and life cycle ----- */

/* A zeroed call with nb B legs, linked into b; NULL when out of memory. */
struct sl_b2b_call *sl_b2b_call_new(struct sl_b2b *b, size_t nb);
/* Unlink, detach transactions, close the relay, cancel timers, free. */
void sl_b2b_call_free(struct sl_b2b_call *c);
void sl_b2b_call_index(struct sl_b2b_call *c, struct sl_b2b_leg *l);
/* Leg of an in-dialog request: Call-ID, From tag = remote, To tag = local. */
struct sl_b2b_leg *sl_b2b_call_find(struct sl_b2b *b, const osip_message_t *req);
/* A leg whose INVITE had this Call-ID and From tag (merged requests). */
struct sl_b2b_leg *sl_b2b_call_find_a(struct sl_b2b *b, const osip_message_t *req);
/* B leg a response belongs to: Call-ID and From tag = our tag. */
struct sl_b2b_leg *sl_b2b_call_find_b(struct sl_b2b *b, const osip_message_t *resp);

/* ----- call.c: actions ----- */

/* Close the relay ports now, keeping their counters for P-RTP-Stat. */
void sl_b2b_call_release_media(struct sl_b2b_call *c);
/* A peer's SDP on leg l tells the relay where that side's RTP goes; the
 * leg's signalling address is where it may latch (relay.h). */
void sl_b2b_call_learn(struct sl_b2b_call *c, const struct sl_b2b_leg *l, struct sl_str sdp);
/* "PS=..,OS=..,PR=..,OR=.." of side into out (Yate's P-RTP-Stat). */
void sl_b2b_call_rtp_stat(const struct sl_b2b_call *c, enum sl_relay_side side,
    char *out, size_t n);
/* CANCEL a pending B leg now, or as soon as it sent a provisional
 * response; reason is a Reason header value or NULL. */
void sl_b2b_call_cancel_leg(struct sl_b2b_call *c, struct sl_b2b_leg *l, const char *reason);
/* Send a CANCEL deferred by sl_b2b_call_cancel_leg (first provisional). */
void sl_b2b_call_cancel_now(struct sl_b2b_call *c, struct sl_b2b_leg *l);
/* Our BYE on l's dialog with this Reason header value. */
void sl_b2b_call_bye(struct sl_b2b_call *c, struct sl_b2b_leg *l, const char *reason);
/* Final response to A (not 2xx), cancel what is pending, state DONE. */
void sl_b2b_call_fail(struct sl_b2b_call *c, int status, const char *why);
/* End an answered call: BYE every leg but `from` (NULL: all). */
void sl_b2b_call_hangup(struct sl_b2b_call *c, struct sl_b2b_leg *from, const char *reason);
/* At the answer: start --rtp-timeout (no RTP accepted on either side for
 * that long, counted from the answer) and --session-timeout (that long
 * after the answer); either hangs up as the server (sl_b2b_call_hangup with
 * SL_B2B_REASON_RTP / SL_B2B_REASON_SESSION). 0 turns one off. */
void sl_b2b_call_arm_timers(struct sl_b2b_call *c);
#define SL_B2B_REASON_RTP "SIP;cause=408;text=\"RTP timeout\""
/* a hard limit on the call's length, not an RFC 4028 session timer (no
 * refresh can extend it), hence not worded like one */
#define SL_B2B_REASON_SESSION "SIP;cause=408;text=\"Maximum call duration\""
/* Free c if it is DONE and no B leg is pending. */
void sl_b2b_call_maybe_free(struct sl_b2b_call *c);
/* May a request on l's dialog come from `from`? Only from the leg's
 * peer (A: where its INVITE came from; B: where ours went) or the
 * dialog's remote target: Call-ID and tags travel in clear, so knowing
 * them proves nothing. */
bool sl_b2b_call_from_peer(const struct sl_b2b_leg *l, const struct sl_endpoint *from);
/* Where requests on l go: its dialog's remote target, else its peer. */
struct sl_endpoint sl_b2b_call_leg_dst(const struct sl_b2b_leg *l);

/* ----- b2bua.c / indialog.c ----- */

/* A B leg's failure (final >= 300, timeout 408). */
void sl_b2b_leg_failed(struct sl_b2b_leg *l, int status);

#endif
