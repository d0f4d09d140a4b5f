/* uri.h: where a SIP URI points, for a server that does no DNS: the host
 * must be an IPv4 or IPv6 literal; the port defaults to 5060 (RFC 3261
 * 19.1.2; no SRV lookup). Only sip: URIs over UDP are usable: sips: and
 * ;transport=tcp/tls are refused rather than sent somewhere they are not
 * expected. */
#ifndef SL_SERVER_URI_H
#define SL_SERVER_URI_H

#include <stdbool.h>

#include "core/addr.h"

bool sl_srv_uri_dst(const char *uri, struct sl_endpoint *out /* OUT */);

/* Is s safe inside a quoted-string or as a URI user/host we build (no
 * quote, backslash, angle bracket, control or space characters, at most
 * max bytes, not empty)? Names taken from peers pass through this before
 * going into headers we write. */
bool sl_srv_token_ok(const char *s, size_t max);

#endif
