/* md5.h: MD5 (RFC 1321) for HTTP Digest responses (RFC 2617) and
 * Yate-style nonces. Not for anything that needs a secure hash. */
#ifndef SL_MD5_H
#define SL_MD5_H

#include <stddef.h>
#include <stdint.h>

struct sl_md5 {
	uint32_t h[4];
	uint64_t nbytes;
	uint8_t blk[64];
};

void sl_md5_init(struct sl_md5 *m);
void sl_md5_update(struct sl_md5 *m, const void *data, size_t len);
void sl_md5_final(struct sl_md5 *m, uint8_t out[16]);
/* d as 32 lowercase hex digits plus NUL. */
void sl_md5_tohex(const uint8_t d[16], char out[33]);
/* One-shot digest as 32 lowercase hex digits plus NUL. */
void sl_md5_hex(const void *data, size_t len, char out[33]);

#endif
