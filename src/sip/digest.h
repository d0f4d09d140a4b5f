/* digest.h: HTTP Digest authentication with MD5 for SIP (RFC 2617 3.2,
 * RFC 3261 22.4): qop=auth and the RFC 2069 no-qop form. auth-int, MD5-sess
 * and other algorithms are refused, not guessed at.
 *
 * Server side: a nonce is "<mac>.<seconds>.<seq>", mac = hex MD5(secret
 * ":" seconds ":" seq ":" secret). The text proves the nonce is ours and
 * how old it is; what it cannot say is whether it was already used, and
 * a stateless nonce (Yate's "<md5>.<seconds>", our old format) let the
 * same Authorization be replayed on any request until it expired: the
 * victim's REGISTER from elsewhere, an INVITE with a new Call-ID, the BYE
 * of another call. So every nonce also gets a 64-bit sequence number and
 * the server keeps a bounded ring of slots, slot = seq % n_slots, holding
 * the highest nonce count accepted for that nonce (the model is
 * Kamailio's auth module, whose nonce carries an index into an nc array
 * and a one-time-nonce bitmap). With qop=auth each request must carry a
 * larger nc than any accepted before (RFC 2617 3.2.2: nc exists for
 * exactly this); without qop a nonce is good once. A replay is
 * SL_DIGEST_REPLAY; the caller answers it like a stale nonce, so an
 * honest client retries with a fresh one and an attacker gets nothing.
 *
 * Slot state changes only for a response that verified: an attacker
 * without the password cannot burn a legitimate client's nonce. Memory
 * is fixed at init (16 bytes a slot) whatever the traffic; the price is
 * that a nonce whose slot was taken by a later challenge (the ring
 * wrapped: n_slots challenges were issued since) is stale, as is one
 * older than nonce_ttl_s. At R challenges a second a nonce lives at most
 * n_slots / R seconds, 65 s for 65536 slots at 1000/s. The issue time is
 * not kept in the slot: it is in the nonce text, under the mac.
 *
 * Parsed parameters are slices (struct sl_str) into the text they were
 * parsed from: valid as long as that text (or osip message) lives. Quotes
 * are removed; backslash escapes inside quoted strings are kept as is.
 * Header values are written to caller sl_buf (on SL_ENOMEM the buf is
 * freed, per buf.h). Input is untrusted; nothing here allocates except
 * sl_digest_server_init (the slots) and through the caller's buf. */
#ifndef SL_SIP_DIGEST_H
#define SL_SIP_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
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

/* "<32 hex>.<up to 20 digits>.<up to 20 digits>" + NUL */
#define SL_DIGEST_NONCE_LEN 80
#define SL_DIGEST_MAX_SLOTS (1u << 24)	/* 256 MiB of slots */

struct sl_digest_slot;

struct sl_digest_server {
	char realm[64];
	char secret[65];	/* a server restart invalidates nonces */
	uint32_t nonce_ttl_s;	/* age after which a valid nonce is stale */
	struct sl_digest_slot *slots;	/* n_slots, owned */
	size_t n_slots;
	uint64_t next_seq;	/* of the next nonce issued; from 1 */
};

enum sl_digest_result {
	SL_DIGEST_OK,		/* response matches, nonce fresh, nc new */
	SL_DIGEST_STALE,	/* response matches, nonce too old or its slot
				 * reused: challenge with stale=true */
	SL_DIGEST_BAD_NONCE,	/* not one of our nonces (or from the future) */
	SL_DIGEST_MISMATCH,	/* wrong password, method, realm... */
	SL_DIGEST_UNKNOWN_USER,	/* lookup returned NULL */
	SL_DIGEST_MALFORMED,	/* missing fields, unsupported algorithm/qop,
				 * nc not 8 hex digits or zero */
	SL_DIGEST_REPLAY,	/* response matches, but its nc is not above
				 * the highest accepted (qop=auth) or the
				 * nonce was already used (no qop) */
};

/* Password for user in realm, or NULL if the user does not exist. The
 * returned string must stay valid until sl_digest_verify returns. */
typedef const char *(*sl_digest_pw_fn)(void *arg, struct sl_str user,
    struct sl_str realm);

/* realm is cut to 63 bytes, secret to 64 (hex or text from a CSPRNG; it
 * keys the nonce mac). n_slots: 1..SL_DIGEST_MAX_SLOTS nonces tracked
 * (SL_EUSAGE otherwise), allocated here (SL_ENOMEM). On error s is still
 * safe to free. */
enum sl_err sl_digest_server_init(struct sl_digest_server *s, const char *realm,
    const char *secret, uint32_t nonce_ttl_s, size_t n_slots);
/* Frees the slots; s may be zeroed or freed already. */
void sl_digest_server_free(struct sl_digest_server *s);
/* Issue a nonce at time now_s (seconds, any epoch the server uses
 * throughout): takes the next sequence number and its slot. */
char *sl_digest_nonce(struct sl_digest_server *s, uint64_t now_s,
    char out[SL_DIGEST_NONCE_LEN]);
/* SL_DIGEST_OK, SL_DIGEST_STALE (too old, or its slot reused) or
 * SL_DIGEST_BAD_NONCE. Looks at the nonce only, not at nonce counts. */
enum sl_digest_result sl_digest_nonce_check(const struct sl_digest_server *s,
    struct sl_str nonce, uint64_t now_s);
/* Challenge value with a new nonce, in Yate's parameter order:
 *   Digest realm="R"[, domain="D"], nonce="N", stale=FALSE|TRUE,
 *   algorithm=MD5, qop="auth"
 * The server always offers qop (so clients can reuse a nonce with a
 * growing nc); qop false leaves it out, for test peers that play Yate
 * to the phone. domain may be NULL. Appends to out. */
enum sl_err sl_digest_challenge(struct sl_digest_server *s, uint64_t now_s,
    bool stale, const char *domain, bool qop, struct sl_buf *out);
/* Check credentials for a request with this method; on SL_DIGEST_OK the
 * nonce's count (or its one use) is recorded. The realm must be ours.
 * The uri signed is the one in the credentials: RFC 2617 3.2.2.5 wants
 * it compared with the Request-URI, which the caller must do BEFORE
 * calling this, as an OK consumes the nonce count. */
enum sl_digest_result sl_digest_verify(struct sl_digest_server *s,
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
