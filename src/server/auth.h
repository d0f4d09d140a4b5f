/* auth.h: the server side of HTTP Digest (RFC 2617, RFC 3261 22) with the
 * passwords of regfile.conf: Yate's user.auth. Nonces are the stateless
 * "<md5>.<seconds>" of src/sip/digest; a genuine nonce older than
 * --nonce-ttl is stale (401 with stale=TRUE, the client retries without
 * asking its user). A user whose password= is empty is accepted with any
 * response, as Yate does, but the nonce must still be ours and fresh.
 * Challenges are always 401 + WWW-Authenticate, never 407: ysipchan never
 * asks for proxy authentication (YATE.md 4). */
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
	SL_AUTH_STALE,		/* right password, expired nonce */
	SL_AUTH_FAIL,		/* anything else: wrong, unknown, malformed */
};

struct sl_auth_result {
	enum sl_auth_verdict v;
	char user[SL_REGFILE_MAX_NAME + 1];	/* OK/STALE: the user; else "" */
	const char *why;			/* static text for logs */
};

void sl_srv_auth_init(struct sl_srv_auth *a, const struct sl_regfile *rf,
    const char *realm, const char *secret, uint32_t nonce_ttl_s);

/* Check req's Authorization at now_s (the server's nonce clock). */
void sl_srv_auth_check(const struct sl_srv_auth *a, const osip_message_t *req,
    uint64_t now_s, struct sl_auth_result *out /* OUT */);

/* A 401 response to req with a fresh challenge. domain (Yate puts the
 * From host there for INVITE and BYE, nothing for REGISTER) may be NULL;
 * to_tag as sl_msg_response. Caller owns *out. */
enum sl_err sl_srv_auth_401(const struct sl_srv_auth *a, const osip_message_t *req,
    uint64_t now_s, bool stale, const char *domain, const char *to_tag,
    osip_message_t **out /* OUT */);

#endif
