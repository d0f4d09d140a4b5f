/* uri.h: where a SIP URI points, for programs that do no DNS (server
 * and phone): the host must be an IPv4 or IPv6 literal; the port defaults
 * to 5060 (RFC 3261 19.1.2; no SRV lookup). Only sip: URIs over UDP are
 * usable: sips: and ;transport=tcp/tls are refused rather than sent
 * somewhere they are not expected. Parsed by libosip2, like every URI the
 * programs read. */
#ifndef SL_SIP_URI_H
#define SL_SIP_URI_H

#include <stdbool.h>

#include "core/addr.h"

bool sl_sip_uri_dst(const char *uri, struct sl_endpoint *out /* OUT */);

#endif
