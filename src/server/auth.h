/* auth.h: the server side of HTTP Digest (RFC 2617, RFC 3261 22) with the
 * passwords of regfile.conf: Yate's user.auth. Nonces come from
 * src/sip/digest, which tracks their use (digest.h says why and how): a
 * genuine nonce older than --nonce-ttl, or pushed out of the
 * --nonce-slots ring, is stale (401 with stale=TRUE, the client retries
 * without asking its user), and so is a replay (an nc not above the last
 * one accepted, a no-qop nonce used twice), so a captured Authorization
 * is worth nothing on another request. The credentials' uri must be the
 * Request-URI (RFC 2617 3.2.2.5), else SL_AUTH_BAD_URI (400). A user
 * whose password= is empty exists only with allow_empty_password=yes and
 * must then answer the challenge with the empty password, like anyone.
 * Challenges always offer qop="auth" and are always 401 +
 * WWW-Authenticate, never 407: ysipchan never asks for proxy
 * authentication (YATE.md 4). */
#ifndef SL_SERVER_AUTH_H
#define SL_SERVER_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "server/regfile.h"
#include "sip/digest.h"
#include "sip/msg.h"

struct sl_srv_auth {
	struct sl_digest_server ds;
	const struct sl_regfile *rf;	/* borrowed */
};

enum sl_auth_verdict {
	SL_AUTH_NONE,		/* no Authorization for our realm */
	SL_AUTH_OK,		/* user is authenticated */
	SL_AUTH_STALE,		/* right password, but the nonce is expired,
				 * pushed out or already used: 401 stale=TRUE */
	SL_AUTH_FAIL,		/* anything else: wrong, unknown, malformed */
	SL_AUTH_BAD_URI,	/* uri= is not the Request-URI: 400 */
};

struct sl_auth_result {
	enum sl_auth_verdict v;
	char user[SL_REGFILE_MAX_NAME + 1];	/* OK/STALE: the user; else "" */
	const char *why;			/* static text for logs */
};

/* secret: text drawn from the OS CSPRNG (cut to 64 bytes); nonce_slots:
 * nonces tracked (16 bytes each, allocated here). SL_EUSAGE for 0 slots
 * or too many, SL_ENOMEM; a is safe to free either way. */
enum sl_err sl_srv_auth_init(struct sl_srv_auth *a, const struct sl_regfile *rf,
    const char *realm, const char *secret, uint32_t nonce_ttl_s,
    uint32_t nonce_slots);
/* Safe on a zeroed or already freed a. */
void sl_srv_auth_free(struct sl_srv_auth *a);

/* Check req's Authorization at now_s (the server's nonce clock). An OK
 * records the nonce count, so the same credentials are refused next time
 * (SL_AUTH_STALE). */
void sl_srv_auth_check(struct sl_srv_auth *a, const osip_message_t *req,
    uint64_t now_s, struct sl_auth_result *out /* OUT */);

/* A 401 response to req with a fresh challenge (a new nonce). domain
 * (Yate puts the From host there for INVITE and BYE, nothing for
 * REGISTER) may be NULL; to_tag as sl_msg_response. Caller owns *out. */
enum sl_err sl_srv_auth_401(struct sl_srv_auth *a, const osip_message_t *req,
    uint64_t now_s, bool stale, const char *domain, const char *to_tag,
    osip_message_t **out /* OUT */);

#endif
