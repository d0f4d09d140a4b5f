/* touch.h: read back every byte of a slice a dissector returned, so ASan
 * flags one that points past the input or into freed memory. Shared by
 * fuzz_sip.c and fuzz_sdp.c; header-only because tests/fuzz builds each
 * fuzz_*.c as a program of its own. */
#ifndef SL_FUZZ_TOUCH_H
#define SL_FUZZ_TOUCH_H

#include <stddef.h>

#include "core/str.h"

static inline unsigned
sl_fuzz_touch(struct sl_str s)
{
	unsigned sum = 0;
	for (size_t i = 0; i < s.n; i++)
		sum += (unsigned char)s.p[i];
	return sum;
}

#endif
