/* register.h: REGISTER requests (RFC 3261 10.3) the way Yate's ysipchan
 * registrar answers them (YATE.md 2): digest first (401, stale=TRUE for
 * an expired nonce), only the first Contact is used, Expires within
 * --min-expires (423 + Min-Expires below it) and --max-expires (cut),
 * Expires: 0 always 200, Contact: * with Expires: 0 removes the user,
 * success 200 with "Contact: <uri>;expires=N" and "Expires: N". A
 * REGISTER without Contact is a query: 200 listing the binding. The
 * authenticated user must be the To user (403 otherwise): one account
 * cannot move another's phone. */
#ifndef SL_SERVER_REGISTER_H
#define SL_SERVER_REGISTER_H

#include "server/server.h"

void sl_srv_register(struct sl_srv *s, struct sl_sip_txn *st, osip_message_t *req,
    const struct sl_endpoint *from);

#endif
