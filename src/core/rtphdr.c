/* rtphdr.c: see rtphdr.h. */
#include "core/rtphdr.h"

bool
sl_rtphdr_is_rtcp(const uint8_t *p, size_t len)
{
	return len >= 2 && p[0] >> 6 == 2 &&
	    p[1] >= SL_RTCP_PT_MIN && p[1] <= SL_RTCP_PT_MAX;
}
