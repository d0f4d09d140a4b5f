/* uri.c: see uri.h. */
#include "server/uri.h"

#include <string.h>

#include "core/str.h"

bool
sl_srv_token_ok(const char *s, size_t max)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > max)
		return false;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f || strchr("\"\\<>", *p))
			return false;
	return true;
}
