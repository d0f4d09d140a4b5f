/* auth.h: the phone's side of digest authentication (RFC 3261 22.2 and
 * 22.3, RFC 2617): answer a 401 (WWW-Authenticate -> Authorization) or a
 * 407 (Proxy-Authenticate -> Proxy-Authorization) challenge for REGISTER,
 * INVITE or BYE. The nonce count (nc) grows while the server keeps the
 * same nonce and restarts at 1 for a new one, as qop=auth requires.
 *
 * Messages passed in are only read, except the one being modified;
 * *out is the caller's (sl_msg_free). */
#ifndef SL_PHONE_AUTH_H
#define SL_PHONE_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "sip/ids.h"
#include "sip/msg.h"

struct sl_phone_auth {
	char nonce[128];	/* last nonce answered ("" if none or too long) */
	uint32_t nc;		/* nonce count used with it */
};

/* 401 or 407 carrying a matching challenge header. */
bool sl_phone_auth_is_challenge(const osip_message_t *resp);
/* The challenge says stale=true: the credentials were right, the nonce
 * old (RFC 2617 3.2.1), so answering again is not a password failure. */
bool sl_phone_auth_is_stale(const osip_message_t *resp);

/* Add credentials for m (its method and Request-URI are signed) answering
 * the challenge in resp. SL_EUSAGE (errbuf says why) if resp has no usable
 * Digest challenge (other scheme, algorithm or qop). */
enum sl_err sl_phone_auth_add(struct sl_phone_auth *a, osip_message_t *m,
    const osip_message_t *resp, const char *user, const char *password,
    struct sl_ids *ids, char errbuf[SL_ERRBUF_SIZE]);

/* The request to send after req was challenged by resp: a copy with CSeq
 * cseq, a new top-Via branch, earlier credentials removed and fresh ones
 * added (RFC 3261 22.2: same Call-ID, From tag; CSeq increases). */
enum sl_err sl_phone_auth_resend(struct sl_phone_auth *a, const osip_message_t *req,
    const osip_message_t *resp, uint32_t cseq, const char *user,
    const char *password, struct sl_ids *ids, osip_message_t **out /* OUT */,
    char errbuf[SL_ERRBUF_SIZE]);

#endif
