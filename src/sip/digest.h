/* digest.h: HTTP Digest authentication with MD5 for SIP (RFC 2617 3.2,
 * RFC 3261 22.4): qop=auth and the RFC 2069 no-qop form. auth-int, MD5-sess
 * and other algorithms are refused, not guessed at.
 *
 * Server side: stateless nonces in Yate's format "<md5hex>.<seconds>", where
 * md5hex = MD5(secret "." seconds); their age is recomputed from the text,
 * so an old but genuine nonce yields SL_DIGEST_STALE (challenge again with
 * stale=true) and a forged one SL_DIGEST_BAD_NONCE. There is no nonce-count
 * replay cache: a nonce is accepted again until it expires (Yate does the
 * same with a 10 s lifetime).
 *
 * Parsed parameters are slices (struct sl_str) into the text they were
 * parsed from: valid as long as that text (or osip message) lives. Quotes
 * are removed; backslash escapes inside quoted strings are kept as is.
 * Header values are written to caller sl_buf (on SL_ENOMEM the buf is
 * freed, per buf.h). Input is untrusted; nothing here allocates except
 * through the caller's buf. */
#ifndef SL_SIP_DIGEST_H
#define SL_SIP_DIGEST_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"

/* Both directions share one struct: a challenge fills realm, nonce,
 * opaque, stale, algorithm, qop (the qop-options list) and domain;
 * credentials fill username, realm, nonce, uri, response, algorithm,
 * cnonce, opaque, qop (the chosen qop) and nc. Missing = empty slice. */
struct sl_digest_params {
	struct sl_str scheme;	/* "Digest" */
	struct sl_str username, realm, nonce, uri, response, algorithm;
	struct sl_str cnonce, opaque, qop, nc, domain, stale;
};

/* Parse a WWW-Authenticate / Proxy-Authenticate / Authorization /
 * Proxy-Authorization value ("Digest k=v, k="v", ..."). Unknown keys are
 * skipped; at most 32 parameters. False if it is not Digest or is
 * syntactically broken (unterminated quote...). */
bool sl_digest_parse(struct sl_str value, struct sl_digest_params *out /* OUT */);

/* ----- server ----- */

#define SL_DIGEST_NONCE_LEN 64	/* 32 hex + "." + up to 23 digits + NUL */

struct sl_digest_server {
	char realm[64];
	char secret[33];	/* hex; a server restart invalidates nonces */
	uint32_t nonce_ttl_s;	/* age after which a valid nonce is stale */
};

enum sl_digest_result {
	SL_DIGEST_OK,		/* response matches, nonce fresh */
	SL_DIGEST_STALE,	/* response matches, nonce too old: stale=true */
	SL_DIGEST_BAD_NONCE,	/* not one of our nonces (or from the future) */
	SL_DIGEST_MISMATCH,	/* wrong password, uri, method... */
	SL_DIGEST_UNKNOWN_USER,	/* lookup returned NULL */
	SL_DIGEST_MALFORMED,	/* missing fields, unsupported algorithm/qop */
};

/* Password for user in realm, or NULL if the user does not exist. The
 * returned string must stay valid until sl_digest_verify returns. */
typedef const char *(*sl_digest_pw_fn)(void *arg, struct sl_str user,
    struct sl_str realm);

/* realm is cut to 63 bytes; secret is any string (hex from sl_ids). */
void sl_digest_server_init(struct sl_digest_server *s, const char *realm,
    const char *secret, uint32_t nonce_ttl_s);
/* A nonce for time now_s (seconds, any epoch the server uses throughout). */
char *sl_digest_nonce(const struct sl_digest_server *s, uint64_t now_s,
    char out[SL_DIGEST_NONCE_LEN]);
/* SL_DIGEST_OK, SL_DIGEST_STALE or SL_DIGEST_BAD_NONCE. */
enum sl_digest_result sl_digest_nonce_check(const struct sl_digest_server *s,
    struct sl_str nonce, uint64_t now_s);
/* Challenge value in Yate's form:
 *   Digest realm="R"[, domain="D"], nonce="N", stale=FALSE|TRUE, algorithm=MD5
 * plus qop="auth" when qop is true. domain may be NULL. Appends to out. */
enum sl_err sl_digest_challenge(const struct sl_digest_server *s, uint64_t now_s,
    bool stale, const char *domain, bool qop, struct sl_buf *out);
/* Check credentials for a request with this method. The realm must be
 * ours; the uri used is the one in the credentials (RFC 2617 3.2.2.5: the
 * caller may compare it with the Request-URI). */
enum sl_digest_result sl_digest_verify(const struct sl_digest_server *s,
    const struct sl_digest_params *cred, struct sl_str method, uint64_t now_s,
    sl_digest_pw_fn pw, void *pw_arg);
const char *sl_digest_result_str(enum sl_digest_result r);

/* ----- both sides ----- */

/* request-digest of RFC 2617 3.2.2.1 as 32 hex digits. qop empty = RFC
 * 2069 form (nc and cnonce unused). */
void sl_digest_response(struct sl_str user, struct sl_str realm,
    struct sl_str password, struct sl_str method, struct sl_str uri,
    struct sl_str nonce, struct sl_str nc, struct sl_str cnonce,
    struct sl_str qop, char out[33]);

/* ----- client ----- */

/* Authorization / Proxy-Authorization value answering challenge ch:
 *   Digest username="u", realm="r", nonce="n", uri="x", response="h",
 *   algorithm=MD5[, cnonce="c", nc=00000001, qop=auth][, opaque="o"]
 * qop=auth is used when the challenge offers it (then nc and cnonce are
 * required). SL_EUSAGE for an algorithm other than MD5 or a qop list
 * without "auth". Appends to out. */
enum sl_err sl_digest_authorization(const struct sl_digest_params *ch,
    const char *user, const char *password, const char *method,
    const char *uri, uint32_t nc, const char *cnonce, struct sl_buf *out);

#endif
