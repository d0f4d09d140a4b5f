/* md5.h: MD5 (RFC 1321), only for SIP digest responses (RFC 2617) and
 * Yate-style nonces. Not for anything that needs a secure hash. */
#ifndef SLG_MD5_H
#define SLG_MD5_H

#include <stddef.h>
#include <stdint.h>

struct slg_md5 {
	uint32_t h[4];
	uint64_t nbytes;
	uint8_t blk[64];
};

void slg_md5_init(struct slg_md5 *m);
void slg_md5_update(struct slg_md5 *m, const void *data, size_t len);
void slg_md5_final(struct slg_md5 *m, uint8_t out[16]);
/* One-shot digest as 32 lowercase hex digits plus NUL. */
void slg_md5_hex(const void *data, size_t len, char out[33]);

#endif
