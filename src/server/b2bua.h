/* b2bua.h: the back-to-back user agent of sipladder-server, reproducing
 * the seed's Yate call (SEED-EN.md, YATE.md 4). An authorised INVITE from
 * the caller (leg A, we are its UAS) is routed (route.h) and becomes a
 * brand-new INVITE to each target (leg B, we are its UAC: new Call-ID,
 * tags and branch, the caller's user kept in From, Max-Forwards
 * min(MF, 20) - 1, SDP rewritten to the RTP relay). Provisional and final
 * responses of B are answered on A by our own responses; the ACK for B's
 * 2xx is sent before the 200 goes to A (the seed's order); each leg has
 * its own ACK. A BYE on one leg is answered there and becomes our own BYE
 * (with a Reason header) on the other; the relay ports close at once.
 *
 * Decisions (README.md "Running" lists them with the reasons):
 *   - the caller's BYE is challenged (401) when the caller authenticated
 *     its INVITE, until it carries valid credentials of the same user;
 *     the callee's BYE is not (Yate's outgoing leg has m_authBye=false);
 *   - several targets (regfile alternatives=) fork: first 2xx wins, the
 *     others are CANCELled with "Reason: SIP;cause=200;text=\"Call
 *     completed elsewhere\""; a late 2xx of a loser is ACKed and BYEd;
 *   - a final failure of B is mapped for A: 3xx -> 480 (redirects are not
 *     followed), 401/407 -> 403 (the callee's challenge is not the
 *     caller's to answer), anything else as is; with forks, 6xx wins, else
 *     the lowest class, first received;
 *   - --no-answer: after S seconds without an answer the caller gets 480
 *     if B rang, else 408, and B is CANCELled;
 *   - re-INVITE/UPDATE on a leg: its SDP moves that side's relay peer and
 *     the answer is the SDP we last sent on that leg (nothing is
 *     renegotiated across the relay); INFO and OPTIONS in a dialog: 200.
 * Limits: --max-calls calls (503 beyond), two relay ports per call (503
 * when the range is exhausted). */
#ifndef SL_SERVER_B2BUA_H
#define SL_SERVER_B2BUA_H

#include <stdbool.h>
#include <stddef.h>

#include "server/server.h"

struct sl_b2b *sl_b2b_new(struct sl_srv *s);
/* Frees every call (relay ports closed, transactions detached). */
void sl_b2b_free(struct sl_b2b *b);
size_t sl_b2b_count(const struct sl_b2b *b);

/* Transaction-user events, routed here by server.c. */
void sl_b2b_invite(struct sl_srv *s, struct sl_sip_txn *st, osip_message_t *req,
    const struct sl_endpoint *from);
void sl_b2b_cancel(struct sl_srv *s, struct sl_sip_txn *st, osip_message_t *req,
    const struct sl_endpoint *from);
/* BYE, re-INVITE, UPDATE, INFO, OPTIONS... with a To tag. False when no
 * dialog matches (the caller answers 481). */
bool sl_b2b_in_dialog(struct sl_srv *s, struct sl_sip_txn *st, osip_message_t *req,
    const struct sl_endpoint *from);
void sl_b2b_ack(struct sl_srv *s, struct sl_sip_txn *invite_st, osip_message_t *ack,
    const struct sl_endpoint *from);
void sl_b2b_response(struct sl_srv *s, struct sl_sip_txn *ct, osip_message_t *resp,
    const struct sl_endpoint *from);
void sl_b2b_stray(struct sl_srv *s, osip_message_t *resp,
    const struct sl_endpoint *from);
void sl_b2b_timeout(struct sl_srv *s, struct sl_sip_txn *t);
void sl_b2b_gone(struct sl_srv *s, struct sl_sip_txn *t);

#endif
