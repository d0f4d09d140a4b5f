/* txn.h: RFC 3261 section 17 transactions over UDP, with the RFC 6026
 * "Accepted" state for INVITE 2xx.
 *
 *   client INVITE      Calling -A-> (retransmit) -B-> timeout
 *                      1xx: Proceeding -P-> timeout (P restarts on every
 *                      101-199); 300-699: ACK sent, Completed -D->
 *                      2xx: Accepted -M-> (later 2xx go to the TU again)
 *   client non-INVITE  Trying/Proceeding -E-> retransmit -F-> timeout;
 *                      final: Completed -K->
 *   server INVITE      Proceeding (100 Trying sent at once when
 *                      cfg.trying_invite: when the TU's request callback
 *                      returns, or before its first response from inside
 *                      it); retransmitted INVITEs get the
 *                      last response again; 300-699: Completed -G->
 *                      retransmit -H-> timeout; ACK: Confirmed -I->;
 *                      2xx: Accepted, 2xx retransmitted (13.3.1.4) until
 *                      the ACK arrives -L->
 *   server non-INVITE  Trying (100 at once when cfg.trying_non_invite);
 *                      retransmissions get the last response; final:
 *                      Completed -J->
 *
 * Matching: responses by top-Via branch + CSeq method (17.1.3), and only
 * from the address the request was sent to; retransmitted requests and
 * 2xx ACKs only from the address the transaction's request came from
 * (others are counted as `foreign`: dropped, or for ACKs handed to the TU
 * as unmatched); requests
 * by branch + sent-by + method, ACK matching its INVITE (17.2.3); a branch
 * without the z9hG4bK cookie falls back to Call-ID + From tag + CSeq +
 * sent-by. An ACK for a 2xx (new branch) is matched to the Accepted
 * server INVITE by Call-ID + From tag + CSeq number.
 *
 * Timer P is ours: RFC 3261 bounds Proceeding only for proxies (Timer C,
 * 16.6 step 11), but a UA whose peer rings and never answers must not
 * keep the transaction until max_txns. Like Timer C it restarts on each
 * provisional other than 100, so a UAS that refreshes its 180 (13.3.1.1)
 * keeps a long ring alive. On expiry the TU gets `timeout` with
 * sl_txn_status() still the last 1xx (Timer B leaves it 0): that is the
 * TU's cue to CANCEL (16.8) while the request is still readable.
 *
 * Time comes from the struct sl_loop (so tests drive it with a fake
 * clock); bytes leave through the TU's send callback (so tests capture
 * them and the program traces them). Responses of server transactions go
 * to the source address of the request (symmetric, RFC 3581 style).
 *
 * Ownership: messages handed to sl_txn_input / sl_txn_client /
 * sl_txn_respond belong to the layer from then on (also on error). A
 * message passed to a callback is borrowed for the duration of the call
 * (clone it to keep it). The request returned by sl_txn_request lives
 * only as long as the transaction can still need it, since transactions
 * linger up to 64*T1 after their final response and a parsed request is
 * the bulk of one: a client transaction's until the TU's `response`
 * callback for the first final response returns (it is also readable
 * in `timeout`), a server transaction's until the final response is sent
 * with sl_txn_respond, or, when that happens inside the `request`
 * callback, until that callback returns. sl_txn_request returns NULL
 * afterwards; take what you need from it (Call-ID, dialog state...)
 * before. A struct sl_sip_txn pointer is valid until `gone` has been called
 * for it; callbacks must not free the layer.
 */
#ifndef SL_SIP_TXN_H
#define SL_SIP_TXN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/addr.h"
#include "core/err.h"
#include "sip/loop.h"
#include "sip/msg.h"

/* "sl_sip_txn", not "sl_txn": the analyzer has its own transaction type
 * under that name (src/correlate), and the two worlds keep distinct names
 * (DESIGN 3.2b). */
struct sl_sip_txn;
struct sl_txn_layer;

enum sl_txn_kind {
	SL_TXN_CLIENT_INVITE,
	SL_TXN_CLIENT_NON_INVITE,
	SL_TXN_SERVER_INVITE,
	SL_TXN_SERVER_NON_INVITE,
};

enum sl_txn_state {
	SL_TXN_CALLING,
	SL_TXN_TRYING,
	SL_TXN_PROCEEDING,
	SL_TXN_COMPLETED,
	SL_TXN_CONFIRMED,
	SL_TXN_ACCEPTED,
	SL_TXN_TERMINATED,
};

struct sl_txn_cfg {
	uint32_t t1_ms;		/* RTT estimate, default 500 */
	uint32_t t2_ms;		/* max non-INVITE retransmit interval, 4000 */
	uint32_t t4_ms;		/* max message lifetime, 5000 */
	uint32_t timer_d_ms;	/* client INVITE Completed wait, 32000 */
	uint32_t proceeding_max_ms; /* Timer P: client INVITE without a final
				 * response after its last 1xx, 180000 */
	bool trying_invite;	/* 100 Trying at once for INVITE (default yes) */
	bool trying_non_invite;	/* and for REGISTER/BYE... (Yate: yes) */
	size_t max_txns;	/* live transactions cap, default 65536 */
};

struct sl_txn_user {
	/* Transport (required). Return SL_OK if the datagram left. */
	enum sl_err (*send)(void *arg, const struct sl_endpoint *to,
	    const void *p, size_t n);
	/* A new server transaction (not ACK): respond with sl_txn_respond,
	 * now or later. */
	void (*request)(void *arg, struct sl_sip_txn *st, osip_message_t *req,
	    const struct sl_endpoint *from);
	/* An ACK for a 2xx. invite_st is the Accepted server INVITE
	 * transaction it acknowledges, or NULL if none is known (then the
	 * TU matches it to its dialogs itself). Retransmitted ACKs for an
	 * already acknowledged INVITE are absorbed. */
	void (*ack)(void *arg, struct sl_sip_txn *invite_st, osip_message_t *ack,
	    const struct sl_endpoint *from);
	/* A response for client transaction ct (each provisional, the
	 * final, and for INVITE every 2xx retransmission while Accepted:
	 * the TU sends its ACK again). */
	void (*response)(void *arg, struct sl_sip_txn *ct, osip_message_t *resp,
	    const struct sl_endpoint *from);
	/* A response no transaction wants (optional). */
	void (*stray_response)(void *arg, osip_message_t *resp,
	    const struct sl_endpoint *from);
	/* Timer B/F: no final response; Timer P: no final response after
	 * a provisional (sl_txn_status() is that 1xx); Timer H: no ACK for
	 * our non-2xx; Timer L without ACK for our 2xx (the TU should send
	 * BYE); a server non-INVITE the TU left unanswered for 64*T1. The
	 * txn is gone right after this returns. Optional. */
	void (*timeout)(void *arg, struct sl_sip_txn *t);
	/* t is about to be freed: forget every pointer to it. Optional. */
	void (*gone)(void *arg, struct sl_sip_txn *t);
};

struct sl_txn_stats {
	uint64_t created;
	uint64_t retransmitted;	/* our retransmissions (A, E, G, 2xx) */
	uint64_t absorbed;	/* peer retransmissions handled here */
	uint64_t timeouts;
	uint64_t stray;		/* responses/ACKs matching nothing */
	uint64_t refused;	/* over max_txns, or unmatchable keys */
	uint64_t send_errors;
	uint64_t foreign;	/* responses from another address than the
				 * client transaction's peer: dropped */
	uint64_t once;		/* final responses sent with respond_once */
	uint64_t trying_skipped;	/* automatic 100s respond_once left out */
	uint64_t discarded;	/* requests ended unanswered (sl_txn_discard) */
	size_t live;
	size_t requests;	/* parsed requests held (no final response yet) */
	size_t bytes;		/* serialized messages held for sending again */
};

/* Defaults as documented in struct sl_txn_cfg. */
void sl_txn_cfg_default(struct sl_txn_cfg *c);

/* NULL only when out of memory. cfg is copied; tu and arg are kept. */
struct sl_txn_layer *sl_txn_layer_new(struct sl_loop *loop,
    const struct sl_txn_cfg *cfg, const struct sl_txn_user *tu, void *arg);
/* Frees every transaction (no callbacks) and cancels their timers. */
void sl_txn_layer_free(struct sl_txn_layer *l);
const struct sl_txn_stats *sl_txn_stats(const struct sl_txn_layer *l);

/* Feed one parsed message received from `from` (takes ownership). */
void sl_txn_input(struct sl_txn_layer *l, osip_message_t *m,
    const struct sl_endpoint *from);
/* The same, knowing the datagram was n bytes: respond_once then keeps
 * what it sends within SL_TXN_AMPLIFY times that. */
void sl_txn_input_dgram(struct sl_txn_layer *l, osip_message_t *m, size_t n,
    const struct sl_endpoint *from);

/* Start a client transaction for req (not ACK) towards `to`; sends it.
 * *out (may be NULL) receives the transaction. user is stored for
 * sl_txn_user. SL_EUSAGE for ACK or a message without Via branch/CSeq;
 * SL_ENOMEM over the cap. */
enum sl_err sl_txn_client(struct sl_txn_layer *l, osip_message_t *req,
    const struct sl_endpoint *to, void *user, struct sl_sip_txn **out /* OUT */);

/* Send resp (built with sl_msg_response from sl_txn_request(st)) in
 * server transaction st. SL_EUSAGE if st already has its final response
 * (except further 2xx of an Accepted INVITE, which the TU must build
 * without sl_txn_request) or is not a server txn. */
enum sl_err sl_txn_respond(struct sl_txn_layer *l, struct sl_sip_txn *st,
    osip_message_t *resp);
/* Send a final response once and forget the transaction: no Timer G
 * retransmissions, no Timer J/H lingering; a retransmitted request gets
 * the same bytes again while they are remembered (SL_TXN_ONCE_SLOTS),
 * else it becomes a new transaction with an answer of its own. For answers to
 * sources that are not verified (challenges, refusals): one datagram back
 * per datagram received, and no state an attacker can fill (RFC 3261 8.2.7
 * allows a stateless UAS; Kamailio's sl_send_reply is the model). Not for
 * a 2xx to INVITE. SL_EUSAGE as sl_txn_respond. */
enum sl_err sl_txn_respond_once(struct sl_txn_layer *l, struct sl_sip_txn *st,
    osip_message_t *resp);
/* Answers sent once that a retransmitted request (same branch, method
 * and source, within 64*T1) gets again byte for byte, and whose ACK is
 * absorbed: the most recent ones, about 1 KiB each at most. */
#define SL_TXN_ONCE_SLOTS 1024
/* What respond_once may send back per request byte: the automatic 100 is
 * left out when it and the answer together would exceed this. */
#define SL_TXN_AMPLIFY 4
/* End a server transaction without any answer (not even its automatic
 * 100): for requests from sources that are being rate-limited. */
enum sl_err sl_txn_discard(struct sl_txn_layer *l, struct sl_sip_txn *st);
/* Convenience: sl_msg_response(request, status, reason, to_tag) + respond;
 * SL_EUSAGE once the request is gone. */
enum sl_err sl_txn_respond_code(struct sl_txn_layer *l, struct sl_sip_txn *st,
    int status, const char *reason, const char *to_tag);

/* Serialize and send m outside any transaction (ACK for 2xx, 400 to an
 * unmatchable request, ...). m stays the caller's. */
enum sl_err sl_txn_send_stateless(struct sl_txn_layer *l, osip_message_t *m,
    const struct sl_endpoint *to);

/* The server INVITE transaction a CANCEL targets (RFC 3261 9.2), or NULL. */
struct sl_sip_txn *sl_txn_cancel_target(struct sl_txn_layer *l,
    const osip_message_t *cancel, const struct sl_endpoint *from);

enum sl_txn_kind sl_txn_kind(const struct sl_sip_txn *t);
enum sl_txn_state sl_txn_state(const struct sl_sip_txn *t);
const char *sl_txn_state_name(enum sl_txn_state s);
/* The request that created t (owned by t) until t's final response,
 * NULL afterwards (see Ownership above). */
osip_message_t *sl_txn_request(const struct sl_sip_txn *t);
/* Peer: destination of a client txn, source of a server txn. */
const struct sl_endpoint *sl_txn_peer(const struct sl_sip_txn *t);
/* Last status sent (server) or received (client); 0 if none. */
int sl_txn_status(const struct sl_sip_txn *t);
void *sl_txn_user(const struct sl_sip_txn *t);
void sl_txn_set_user(struct sl_sip_txn *t, void *user);

#endif
