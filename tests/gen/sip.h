/* sip.h: SIP/SDP text helpers shared by the scenarios.
 *
 * Scenarios write their header lines themselves (the exact header set
 * and order is what a scenario is about); this file supplies the parts
 * that must be computed: the body with an exact Content-Length, SDP
 * offers, RFC 2617 digest responses and Yate-style nonces. */
#ifndef SLG_SIP_H
#define SLG_SIP_H

#include <stddef.h>
#include <stdint.h>

#include "tests/gen/net.h"
#include "tests/gen/text.h"

#define SLG_SIP_MAX	8192

/* The message ends: optional "<ctype_hdr>: <ctype>" (when blen > 0), then
 * "<cl_hdr>: <blen>", the empty line and the body. Pass "c"/"l" for the
 * compact forms. */
void slg_sip_end(struct slg_text *t, const char *ctype_hdr,
    const char *ctype, const char *cl_hdr, const char *body, size_t blen);

struct slg_sdp {
	const char *user;		/* o= user name */
	uint64_t sess_id;
	uint64_t sess_ver;
	const struct slg_ip *addr;	/* o= and c= address */
	uint16_t port;			/* m=audio port */
	const char *fmts;		/* payload types, e.g. "0 8 101" */
	const char *session;		/* s= */
	const char *extra;		/* more lines (each ending CRLF) or NULL */
};

/* v=, o=, s=, c=, t=, m=audio and one a=rtpmap per known payload type;
 * a=fmtp for telephone-event. */
void slg_sdp_audio(struct slg_text *t, const struct slg_sdp *sdp);

/* "1.2.3.4" or "[2001:db8::1]", for URIs and Via. */
const char *slg_sip_host(const struct slg_ip *ip, char *out, size_t cap);

/* RFC 2617 digest without qop: MD5(MD5(u:r:p):nonce:MD5(method:uri)). */
void slg_digest_response(char out[33], const char *user, const char *realm,
    const char *pass, const char *method, const char *uri, const char *nonce);
/* Yate's stateless nonce: MD5("<secret>.<t>") "." t (SIPEngine::nonceGet). */
void slg_yate_nonce(char *out, size_t cap, const char *secret, uint64_t t);

#endif
