/* rtphdr.c: see rtphdr.h. */
#include "core/rtphdr.h"

enum sl_rtphdr_err
sl_rtphdr_parse(struct sl_cur c, struct sl_rtphdr *out)
{
	*out = (struct sl_rtphdr){ 0 };
	uint8_t b0 = sl_cur_u8(&c);
	uint8_t b1 = sl_cur_u8(&c);
	out->seq = sl_cur_be16(&c);
	out->ts = sl_cur_be32(&c);
	out->ssrc = sl_cur_be32(&c);
	if (c.bad)
		return SL_RTPHDR_SHORT;
	out->version = (uint8_t)(b0 >> 6);
	if (out->version != 2)
		return SL_RTPHDR_VERSION;
	out->padding = (b0 & 0x20) != 0;
	out->extension = (b0 & 0x10) != 0;
	out->cc = (uint8_t)(b0 & 0x0f);
	out->marker = (b1 & 0x80) != 0;
	out->pt = (uint8_t)(b1 & 0x7f);
	sl_cur_skip(&c, 4u * out->cc);			/* CSRC list */
	if (out->extension) {
		sl_cur_skip(&c, 2);			/* profile-defined */
		sl_cur_skip(&c, 4u * sl_cur_be16(&c));	/* length in words */
	}
	if (c.bad)
		return SL_RTPHDR_TRUNCATED;
	if (out->padding) {
		/* a declared length, so checked before use */
		uint8_t pad = sl_cur_left(&c) ? c.end[-1] : 0;
		if (pad == 0 || pad > sl_cur_left(&c))
			return SL_RTPHDR_PADDING;
		c.end -= pad;
	}
	out->payload = c.p;
	out->payload_len = sl_cur_left(&c);
	return SL_RTPHDR_OK;
}

bool
sl_rtphdr_is_rtcp(const uint8_t *p, size_t len)
{
	return len >= 2 && p[0] >> 6 == 2 &&
	    p[1] >= SL_RTCP_PT_MIN && p[1] <= SL_RTCP_PT_MAX;
}
