/* rtp.h: RTP and RTCP header fields (RFC 3550 5.1, 6.4). */
#ifndef SL_RTP_H
#define SL_RTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sl_rtp {
	uint8_t version;
	bool padding;
	bool extension;
	uint8_t cc;
	bool marker;
	uint8_t pt;
	uint16_t seq;
	uint32_t ts;
	uint32_t ssrc;
	size_t payload_len;
};

/* First packet of a compound RTCP datagram, and the first report block
 * found (SR or RR). Later packets are counted, not kept. */
struct sl_rtcp {
	uint8_t pt;		/* 200 SR, 201 RR, 202 SDES, 203 BYE, 204 APP, 207 XR; any of 192..223 */
	uint32_t ssrc;		/* sender of the first packet */
	uint8_t n_packets;	/* packets in the compound */
	bool has_sr;
	uint32_t sr_packets;	/* sender's packet count */
	uint32_t sr_octets;
	bool has_rb;		/* report block present */
	uint32_t rb_ssrc;	/* source the block is about */
	uint8_t rb_fraction_lost;	/* /256 */
	int32_t rb_cum_lost;	/* 24-bit signed */
	uint32_t rb_jitter;	/* timestamp units */
	bool has_bye;
};

#endif
