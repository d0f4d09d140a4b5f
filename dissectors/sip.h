/* sip.h: the fields of a SIP message (RFC 3261) that the correlator and
 * the reports need, extracted by dissectors/sip.c, the only file that
 * sees libosip2. Every slice points into pkt->scratch or the datagram
 * and dies with the packet. Absent header: empty slice, or -1 numbers. */
#ifndef SL_SIP_H
#define SL_SIP_H

#include <stdbool.h>
#include <stdint.h>

#include "core/cursor.h"
#include "core/osipinit.h"
#include "core/str.h"
#include "dissectors/sdp.h"

#define SL_SIP_MAX_HDR 65536	/* header section cap */
#define SL_SIP_MAX_BODY 65536	/* Content-Length cap */

enum sl_sip_method {
	SL_SIP_METHOD_OTHER = 0,
	SL_SIP_METHOD_INVITE,
	SL_SIP_METHOD_ACK,
	SL_SIP_METHOD_BYE,
	SL_SIP_METHOD_CANCEL,
	SL_SIP_METHOD_REGISTER,
	SL_SIP_METHOD_OPTIONS,
	SL_SIP_METHOD_INFO,
	SL_SIP_METHOD_UPDATE,
	SL_SIP_METHOD_PRACK,
	SL_SIP_METHOD_SUBSCRIBE,
	SL_SIP_METHOD_NOTIFY,
	SL_SIP_METHOD_MESSAGE,
	SL_SIP_METHOD_REFER,
	SL_SIP_METHOD_PUBLISH,
};

enum sl_sip_method sl_sip_method_id(struct sl_str m);

struct sl_sip {
	struct sl_sip *next;	/* next message in the same datagram */
	struct sl_str raw;	/* the whole message, start line to body end */

	bool is_request;
	struct sl_str method;	/* request method (responses: CSeq method) */
	enum sl_sip_method method_id;
	struct sl_str ruri;	/* request URI */
	uint16_t status;	/* responses: 100..699 */
	struct sl_str reason;	/* responses: reason phrase */

	struct sl_str call_id;	/* full Call-ID, "number@host" */
	struct sl_str from_uri;
	struct sl_str from_user;
	struct sl_str from_display;
	struct sl_str from_tag;
	struct sl_str to_uri;
	struct sl_str to_user;
	struct sl_str to_tag;
	uint32_t cseq;
	struct sl_str cseq_method;
	enum sl_sip_method cseq_method_id;

	struct sl_str via_branch;	/* top Via */
	struct sl_str via_sent_by;	/* top Via host[:port] */
	struct sl_str via_transport;	/* "UDP", "TCP", ... */
	uint16_t n_via;
	int32_t max_forwards;		/* -1 absent */
	struct sl_str contact;		/* first Contact URI ("*" allowed) */
	int64_t expires;		/* Expires header, else Contact ;expires=, else -1 */
	struct sl_str reason_hdr;	/* Reason header value */
	struct sl_str user_agent;	/* User-Agent or Server */
	struct sl_str xcid;		/* X-Call-ID or X-CID: B2BUA correlation */

	/* Authorization or Proxy-Authorization (RFC 3261 22.2, RFC 2617) */
	bool has_auth;
	bool auth_proxy;
	struct sl_str auth_user;
	struct sl_str auth_realm;
	bool auth_nonce;
	struct sl_str auth_uri;
	/* WWW-Authenticate or Proxy-Authenticate */
	bool has_challenge;
	bool chal_proxy;
	struct sl_str chal_realm;
	bool chal_nonce;
	bool chal_stale;

	struct sl_str content_type;
	uint32_t content_length;	/* as framed */
	struct sl_str body;
	struct sl_sdp *sdp;		/* parsed when Content-Type is SDP */

	const char *anomalies[4];	/* static names, message-level */
	uint8_t n_anomalies;
};

struct sl_packet;

/* Process-wide libosip2 setup: sl_osip_init() (core/osipinit.h), shared
 * with the server and phone; call it from main() (and LLVMFuzzerInitialize
 * / test main()) before any sl_sip_dissect. */

/* Cheap check of the start line: a request line "METHOD SP URI SP
 * SIP/2.0" or "SIP/2.0 SP 3DIGIT". */
bool sl_sip_looks_like(const uint8_t *p, size_t n);

/* Splits the UDP payload into SIP messages (Content-Length framing),
 * parses each with libosip2 and appends struct sl_sip to pkt->sip.
 * Returns SL_OK when at least one message was extracted. */
enum sl_err sl_sip_dissect(struct sl_packet *pkt, struct sl_cur c);

/* Records an anomaly on the message (and its packet). */
void sl_sip_anomaly(struct sl_packet *pkt, struct sl_sip *m, const char *name);

/* Human text of a status code ("Unauthorized") for labels when the
 * message's own reason phrase is empty; "" if unknown. */
const char *sl_sip_status_text(unsigned code);

#endif
