/* uri.h: checks on names the server writes into headers. Where a URI
 * points is src/sip/uri.h. */
#ifndef SL_SERVER_URI_H
#define SL_SERVER_URI_H

#include <stdbool.h>
#include <stddef.h>

/* Is s safe inside a quoted-string or as a URI user/host we build (no
 * quote, backslash, angle bracket, control or space characters, at most
 * max bytes, not empty)? Names taken from peers pass through this before
 * going into headers we write. */
bool sl_srv_token_ok(const char *s, size_t max);

#endif
