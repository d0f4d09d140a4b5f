/* md5.h: MD5 (RFC 1321) for HTTP Digest responses (RFC 2617) and
 * Yate-style nonces. Not for anything that needs a secure hash.
 *
 * The hash itself is libosip2's (osipparser2/osip_md5.h, which slsip
 * links anyway); this is only our API over it, in src/sip because libosip2
 * stays out of src/core and the analyzer (DESIGN 3.1). */
#ifndef SL_SIP_MD5_H
#define SL_SIP_MD5_H

#include <stddef.h>
#include <stdint.h>

#include <osipparser2/osip_md5.h>

struct sl_md5 {
	osip_MD5_CTX ctx;
};

void sl_md5_init(struct sl_md5 *m);
void sl_md5_update(struct sl_md5 *m, const void *data, size_t len);
void sl_md5_final(struct sl_md5 *m, uint8_t out[16]);
/* d as 32 lowercase hex digits plus NUL. */
void sl_md5_tohex(const uint8_t d[16], char out[33]);
/* One-shot digest as 32 lowercase hex digits plus NUL. */
void sl_md5_hex(const void *data, size_t len, char out[33]);

#endif
