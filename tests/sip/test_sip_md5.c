/* test_sip_md5.c: sl_md5 over libosip2 gives the RFC 1321 A.5 digests,
 * in one piece and fed byte by byte. */
#include <string.h>

#include "sip/md5.h"
#include "tests/unit/unit.h"

int
main(void)
{
	static const struct { const char *in, *hex; } v[] = {
		{ "", "d41d8cd98f00b204e9800998ecf8427e" },
		{ "a", "0cc175b9c0f1b6a831c399e269772661" },
		{ "abc", "900150983cd24fb0d6963f7d28e17f72" },
		{ "message digest", "f96b697d7cb7938d525a2f31aaf161d0" },
		{ "abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b" },
		{ "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
		  "d174ab98d277d9f5a5611c2c9f419d9f" },
		{ "1234567890123456789012345678901234567890"
		  "1234567890123456789012345678901234567890",
		  "57edf4a22be3c955ac49da2e2107b67a" },
	};
	SL_TEST_STATE(ts);

	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		char hex[33];
		struct sl_md5 m;
		uint8_t d[16];

		sl_md5_hex(v[i].in, strlen(v[i].in), hex);
		SL_CHECK_MSG(&ts, strcmp(hex, v[i].hex) == 0, "%s", v[i].in);
		sl_md5_init(&m);
		for (size_t k = 0; v[i].in[k]; k++)
			sl_md5_update(&m, v[i].in + k, 1);
		sl_md5_final(&m, d);
		sl_md5_tohex(d, hex);
		SL_CHECK_MSG(&ts, strcmp(hex, v[i].hex) == 0, "bytewise %s", v[i].in);
	}
	return sl_test_report(&ts, "sip.md5");
}
