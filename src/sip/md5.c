/* md5.c: the sl_md5 API over libosip2's MD5; see md5.h. */
#include "sip/md5.h"

#include <limits.h>

void
sl_md5_init(struct sl_md5 *m)
{
	osip_MD5Init(&m->ctx);
}

void
sl_md5_update(struct sl_md5 *m, const void *data, size_t len)
{
	/* osip_MD5Update only reads its input but takes it non-const and
	 * counts in unsigned int: drop the qualifier without a cast-qual
	 * cast, and feed more than UINT_MAX bytes in pieces. */
	unsigned char *p = (unsigned char *)(uintptr_t)data;

	while (len > 0) {
		unsigned int n = len > UINT_MAX ? UINT_MAX : (unsigned int)len;

		osip_MD5Update(&m->ctx, p, n);
		p += n;
		len -= n;
	}
}

void
sl_md5_final(struct sl_md5 *m, uint8_t out[16])
{
	osip_MD5Final(out, &m->ctx);
}

void
sl_md5_tohex(const uint8_t d[16], char out[33])
{
	static const char hex[] = "0123456789abcdef";

	for (unsigned i = 0; i < 16; i++) {
		out[2 * i] = hex[d[i] >> 4];
		out[2 * i + 1] = hex[d[i] & 15];
	}
	out[32] = '\0';
}

void
sl_md5_hex(const void *data, size_t len, char out[33])
{
	struct sl_md5 m;
	uint8_t d[16];

	sl_md5_init(&m);
	sl_md5_update(&m, data, len);
	sl_md5_final(&m, d);
	sl_md5_tohex(d, out);
}
