/* badreq.h: a response built from the raw bytes of a request we cannot
 * handle statefully: 400 Bad Request for a datagram libosip2 (or
 * sl_msg_parse's extra checks) refused, 503 when the transaction table is
 * full. RFC 3261 8.2.2 wants a response where one is
 * possible; building it needs only the raw header lines a response echoes
 * (Via, From, To, Call-ID, CSeq; 8.2.6.2), so this works on the bytes, not
 * on a parsed message. When they are missing, the datagram is a response,
 * an ACK (never answered, 17.2.1) or noise, nothing is built and the
 * caller drops it.
 *
 * Input: untrusted. Lines are split with the bounded cursor; a value is
 * copied only if it holds no control characters, so the response cannot
 * carry anything but printable header text. Folded headers (obsolete line
 * continuation) make the request unanswerable rather than half-copied. */
#ifndef SL_SERVER_BADREQ_H
#define SL_SERVER_BADREQ_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

/* Appends "SIP/2.0 <status> <reason>" with the echoed headers to out (a To
 * tag from to_tag is added when To has none) and returns true; false when
 * no response can be built (out untouched, or freed on SL_ENOMEM). reason
 * must be printable ASCII; it is cut at 100 bytes. */
bool sl_badreq_reply(const void *p, size_t n, int status, const char *reason,
    const char *to_tag, struct sl_buf *out);

#endif
