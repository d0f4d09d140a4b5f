/* rtp_send.c: see rtp_send.h. */
#include "phone/rtp_send.h"

#include "core/hash.h"

void
sl_rtp_sender_init(struct sl_rtp_sender *s, enum sl_g711_law law,
    uint64_t seed)
{
	/* three independent draws from one seed (splitmix64 over a counter) */
	uint64_t a = sl_hash_u64(seed + 0x9e3779b97f4a7c15ULL);
	uint64_t b = sl_hash_u64(seed + 2 * 0x9e3779b97f4a7c15ULL);
	*s = (struct sl_rtp_sender){
		.law = law == SL_G711_PCMA ? SL_G711_PCMA : SL_G711_PCMU,
		.ssrc = (uint32_t)(a >> 32),
		.seq = (uint16_t)a,
		.ts = (uint32_t)(b >> 32),
		.marker = true,
	};
}

static void
put_header(const struct sl_rtp_sender *s, uint8_t *out)
{
	out[0] = 0x80;	/* V=2 */
	out[1] = (uint8_t)((s->marker ? 0x80 : 0) | (unsigned)s->law);
	out[2] = (uint8_t)(s->seq >> 8);
	out[3] = (uint8_t)s->seq;
	for (int i = 0; i < 4; i++) {
		out[4 + i] = (uint8_t)(s->ts >> (24 - 8 * i));
		out[8 + i] = (uint8_t)(s->ssrc >> (24 - 8 * i));
	}
}

static void
advance(struct sl_rtp_sender *s, size_t n)
{
	s->seq++;	/* uint16_t: wraps modulo 2^16 as RFC 3550 expects */
	s->ts += (uint32_t)n;
	s->marker = false;
	s->packets++;
	s->octets += n;
}

size_t
sl_rtp_send_payload(struct sl_rtp_sender *s, const uint8_t *payload, size_t n,
    uint8_t *out, size_t cap)
{
	if (n > SL_RTP_MAX_PAYLOAD || cap < SL_RTP_HDR_LEN + n)
		return 0;
	put_header(s, out);
	for (size_t i = 0; i < n; i++)
		out[SL_RTP_HDR_LEN + i] = payload[i];
	advance(s, n);
	return SL_RTP_HDR_LEN + n;
}

size_t
sl_rtp_send_pcm(struct sl_rtp_sender *s, const int16_t *pcm, size_t n,
    uint8_t *out, size_t cap)
{
	if (n > SL_RTP_MAX_PAYLOAD || cap < SL_RTP_HDR_LEN + n)
		return 0;
	put_header(s, out);
	sl_g711_encode(s->law, pcm, n, out + SL_RTP_HDR_LEN);
	advance(s, n);
	return SL_RTP_HDR_LEN + n;
}

void
sl_rtp_sender_skip(struct sl_rtp_sender *s, uint32_t n)
{
	s->ts += n;
	s->marker = true;
}
