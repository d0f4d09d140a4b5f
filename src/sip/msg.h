/* msg.h: a thin layer over libosip2's osip_message_t for the server and
 * the phone: parse, serialize, read the fields a UA/B2BUA needs, and build
 * requests, responses (RFC 3261 8.2.6), ACK (17.1.1.3), CANCEL (9.1).
 * In-dialog requests (BYE, ACK for 2xx) are built from a struct sl_dialog,
 * see dialog.h.
 *
 * Ownership: every osip_message_t * returned through an OUT parameter is
 * the caller's, freed with sl_msg_free (osip_message_free). Accessors
 * return slices into the message's own strings: valid until the message is
 * freed or that header is modified. Functions taking `const
 * osip_message_t *` never modify it. Builders copy every string they are
 * given.
 *
 * Errors: SL_EMALFORMED for bad input (text in errbuf), SL_EUSAGE for a
 * builder argument that would produce a broken message (missing field,
 * CR/LF inside a value: header injection), SL_ENOMEM when osip cannot
 * allocate. Parsing never aborts on any byte sequence. */
#ifndef SL_SIP_MSG_H
#define SL_SIP_MSG_H

#include <osipparser2/osip_message.h>
#include <osipparser2/osip_parser.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/osipinit.h"
#include "core/str.h"
#include "sip/digest.h"
#include "sip/ids.h"

#define SL_MSG_MAX_LEN 65535	/* one UDP datagram */
#define SL_MSG_CALLID_MAX 256
#define SL_MSG_URI_MAX 512

/* Process-wide libosip2 setup: sl_osip_init() (core/osipinit.h), shared
 * with the analyzer; call it from main() (or a test's main) before any
 * other function here. */

/* ----- parse / serialize ----- */

/* One SIP message from one datagram (RFC 3261 18.3: a datagram carries
 * exactly one message). Checks beyond osip: the mandatory headers of 8.1.1
 * (To, From, Call-ID, CSeq, Via) are present, the CSeq method equals the
 * request method, and Content-Length does not exceed the bytes present.
 * Extra bytes after the declared body are ignored (18.3). */
enum sl_err sl_msg_parse(const void *p, size_t n, osip_message_t **out /* OUT */,
    char errbuf[SL_ERRBUF_SIZE]);
void sl_msg_free(osip_message_t *m);
enum sl_err sl_msg_clone(const osip_message_t *m, osip_message_t **out /* OUT */);
/* Appends the wire form to out (Content-Length always written). */
enum sl_err sl_msg_serialize(osip_message_t *m, struct sl_buf *out);

/* ----- accessors (missing header = empty slice / false / -1) ----- */

bool sl_msg_is_request(const osip_message_t *m);
/* Request method; for a response, the CSeq method. */
struct sl_str sl_msg_method(const osip_message_t *m);
/* True if m is a request with this method (case-sensitive, 7.1). */
bool sl_msg_is(const osip_message_t *m, const char *method);
int sl_msg_status(const osip_message_t *m);		/* 0 for requests */
struct sl_str sl_msg_reason(const osip_message_t *m);
/* Full Call-ID ("number@host"); false if absent or longer than
 * SL_MSG_CALLID_MAX - 1. */
bool sl_msg_call_id(const osip_message_t *m, char out[SL_MSG_CALLID_MAX]);
struct sl_str sl_msg_from_tag(const osip_message_t *m);
struct sl_str sl_msg_to_tag(const osip_message_t *m);
struct sl_str sl_msg_from_user(const osip_message_t *m);
struct sl_str sl_msg_to_user(const osip_message_t *m);
struct sl_str sl_msg_from_display(const osip_message_t *m);	/* quotes kept */
struct sl_str sl_msg_ruri_user(const osip_message_t *m);
struct sl_str sl_msg_ruri_host(const osip_message_t *m);
bool sl_msg_cseq(const osip_message_t *m, uint32_t *num /* OUT */,
    struct sl_str *method /* OUT */);
/* Top Via: branch parameter, sent-by host and port (5060 when absent),
 * received/rport are not interpreted: responses go back to the source
 * address (RFC 3581 symmetric response). */
struct sl_str sl_msg_branch(const osip_message_t *m);
bool sl_msg_sent_by(const osip_message_t *m, struct sl_str *host /* OUT */,
    uint16_t *port /* OUT */);
int sl_msg_via_count(const osip_message_t *m);
int sl_msg_max_forwards(const osip_message_t *m);	/* -1 absent/invalid */
/* Expires header value; false if absent or not a number <= 2^31. */
bool sl_msg_expires(const osip_message_t *m, uint32_t *out /* OUT */);
/* First Contact: '*' gives star=true. URI text into out; its ;expires=
 * parameter into *expires (UINT32_MAX when absent). False if no Contact. */
bool sl_msg_contact(const osip_message_t *m, char out[SL_MSG_URI_MAX],
    bool *star /* OUT */, uint32_t *expires /* OUT */);
bool sl_msg_ruri(const osip_message_t *m, char out[SL_MSG_URI_MAX]);
/* Value of the first header with this name among those osip does not
 * parse itself (Reason, User-Agent, Server, Min-Expires, X-...). */
struct sl_str sl_msg_header(const osip_message_t *m, const char *name);

enum sl_msg_auth {
	SL_MSG_WWW_AUTHENTICATE,
	SL_MSG_PROXY_AUTHENTICATE,
	SL_MSG_AUTHORIZATION,
	SL_MSG_PROXY_AUTHORIZATION,
};
/* First header of that kind as digest parameters (quotes removed);
 * slices into m. False if absent. */
bool sl_msg_auth(const osip_message_t *m, enum sl_msg_auth which,
    struct sl_digest_params *out /* OUT */);

/* First body and its Content-Type ("type/subtype", parameters dropped,
 * into ctype when not NULL). False if no body. */
bool sl_msg_body(const osip_message_t *m, struct sl_str *body /* OUT */,
    char *ctype /* OUT */, size_t ctype_n);

/* ----- builders ----- */

/* A name-addr or addr-spec ("\"Bob\" <sip:u2@h>" or "sip:u2@h") plus an
 * optional tag; an addr-spec is wrapped in <> so the tag cannot become a
 * URI parameter. */
struct sl_msg_addr {
	const char *addr;
	const char *tag;	/* NULL: none (To of an out-of-dialog request) */
};

struct sl_msg_req {
	const char *method;
	const char *ruri;
	struct sl_msg_addr from;	/* from.tag NULL: generated (8.1.1.3) */
	struct sl_msg_addr to;
	const char *call_id;		/* NULL: generated "<n>@via_host" */
	uint32_t cseq;			/* 0: 1 */
	const char *via_host;		/* our sent-by */
	uint16_t via_port;		/* 0: 5060 */
	const char *branch;		/* NULL: generated z9hG4bK... */
	int max_forwards;		/* < 0: 70 */
	const char *contact;		/* URI or name-addr; NULL: none */
	const char *user_agent;		/* NULL: none */
	int64_t expires;		/* < 0: no Expires header */
	const char *content_type;	/* required with a body */
	const void *body;
	size_t body_len;
};

/* Build a request. ids is used for whatever is NULL above (may be NULL
 * when nothing needs generating). */
enum sl_err sl_msg_request(const struct sl_msg_req *r, struct sl_ids *ids,
    osip_message_t **out /* OUT */);

/* Response to req (8.2.6.2): Via (all, in order), From, To, Call-ID, CSeq
 * copied; Record-Route copied for 1xx/2xx to INVITE (12.1.1). If To has
 * no tag, to_tag is added for any status but 100; passing NULL then is
 * SL_EUSAGE. reason NULL: the standard phrase. */
enum sl_err sl_msg_response(const osip_message_t *req, int status,
    const char *reason, const char *to_tag, osip_message_t **out /* OUT */);

/* ACK for a non-2xx final response (17.1.1.3): same Request-URI, Call-ID,
 * From, CSeq number, top Via (same branch) and Route as the INVITE; To
 * from the response. */
enum sl_err sl_msg_ack_non2xx(const osip_message_t *invite,
    const osip_message_t *resp, osip_message_t **out /* OUT */);

/* CANCEL for a pending request (9.1): same Request-URI, Call-ID, To,
 * From, CSeq number, top Via (same branch) and Route. */
enum sl_err sl_msg_cancel(const osip_message_t *req, osip_message_t **out /* OUT */);

/* ----- small edits (on messages the caller owns) ----- */

/* Add a header osip keeps as text (Server, User-Agent, Reason,
 * WWW-Authenticate, Authorization, Min-Expires, Expires...). Names osip
 * parses itself (Via, From, To, Call-ID, CSeq, Contact, Content-Type,
 * Content-Length) are SL_EUSAGE here: use the builders. */
enum sl_err sl_msg_add_header(osip_message_t *m, const char *name, const char *value);
/* Replace the Contact header(s) with one. */
enum sl_err sl_msg_set_contact(osip_message_t *m, const char *contact);
/* Replace the body (and Content-Type); body NULL removes it. */
enum sl_err sl_msg_set_body(osip_message_t *m, const char *ctype,
    const void *body, size_t len);
/* For a request resent after a 401/407: new top-Via branch and CSeq. */
enum sl_err sl_msg_set_branch(osip_message_t *m, const char *branch);
enum sl_err sl_msg_set_cseq(osip_message_t *m, uint32_t num);
/* Remove Authorization and Proxy-Authorization (before adding fresh ones). */
void sl_msg_clear_auth(osip_message_t *m);

/* Standard reason phrase for a status code, from the table both worlds
 * share (core/sipstatus.h); "Unknown" for a code it does not list. */
const char *sl_msg_reason_phrase(int status);

#endif
