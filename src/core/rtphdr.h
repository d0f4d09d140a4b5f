/* rtphdr.h: the one RTP fixed-header parser and RTP/RTCP classifier,
 * shared by the analyzer (dissectors/rtp.c, rtcp.c) and sipladder-phone
 * (src/phone/rtp_recv.c) (DESIGN 3.2b). Input: untrusted; any bytes are
 * safe: every read goes through the bounds-checked cursor.
 *
 *  |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 *  |                           timestamp                           |
 *  |           synchronization source (SSRC) identifier            |
 *  |            contributing source (CSRC) identifiers             |
 */
#ifndef SL_RTPHDR_H
#define SL_RTPHDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/cursor.h"

#define SL_RTPHDR_LEN 12		/* fixed header, RFC 3550 5.1 */

/* RTP/RTCP demultiplexing (RFC 5761 4): the second octet of an RTCP
 * packet is its packet type; types 192..223 are where an RTP header has
 * the marker bit set and payload types 64..95, which RFC 5761 forbids for
 * RTP so that the two can share a port, and which RFC 3551 leaves
 * reserved (72..76) or unassigned. The whole band is RTCP, not just the
 * types in use today: 200..204 (RFC 3550), 205/206 feedback (RFC 4585),
 * 207 XR (RFC 3611), 208 AVB, 209 RSI (RFC 5760), 210..213, and the
 * historic 192/193 (RFC 2032) and 195 IJ (RFC 5450). */
#define SL_RTCP_PT_MIN 192
#define SL_RTCP_PT_MAX 223

enum sl_rtphdr_err {
	SL_RTPHDR_OK,
	SL_RTPHDR_SHORT,	/* fewer than 12 bytes */
	SL_RTPHDR_VERSION,	/* V != 2 */
	SL_RTPHDR_TRUNCATED,	/* CSRC list or header extension cut short */
	SL_RTPHDR_PADDING,	/* padding count 0 or larger than what is left */
};

struct sl_rtphdr {
	uint8_t version;
	bool padding;
	bool extension;
	uint8_t cc;		/* CSRC count */
	bool marker;
	uint8_t pt;
	uint16_t seq;
	uint32_t ts;
	uint32_t ssrc;
	const uint8_t *payload;	/* into the caller's bytes, padding removed */
	size_t payload_len;
};

/* Parse an RTP packet that spans all of c: fixed header, CSRC list,
 * header extension (RFC 3550 5.3.1; its contents skipped) and padding
 * (5.1: the last octet counts it, itself included). *out is zeroed first
 * and filled as far as the parse got: seq, ts and ssrc even on SHORT
 * (0 where missing), version on VERSION, all header bits after that;
 * payload only on OK. Inline: the analyzer parses every RTP packet of a
 * capture with it, and through a call *out came back through memory,
 * whose fields, stored one by one, a wider load then waited for. */
static inline enum sl_rtphdr_err
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

/* True if the first two bytes p[0..1] (len of them available) are an
 * RTCP common header: version 2 and a packet type in
 * SL_RTCP_PT_MIN..SL_RTCP_PT_MAX. False for fewer than two bytes. */
bool sl_rtphdr_is_rtcp(const uint8_t *p, size_t len);

#endif
