/* g711.c: G.711 mu-law and A-law (ITU-T G.711 tables 1a/2a), written after
 * the Sun reference code so results match other implementations bit for
 * bit. Shifts of negative numbers go through floor_shift: >> on a negative
 * int is implementation-defined in C17. */
#include "phone/g711.h"

#define SIGN_BIT	0x80
#define QUANT_MASK	0x0f
#define SEG_SHIFT	4
#define SEG_MASK	0x70
#define ULAW_BIAS	0x84	/* 132: makes the segment ends powers of two */
#define ULAW_CLIP	8159	/* largest 14-bit magnitude before the bias */

/* Segment end points: the largest magnitude each segment can hold. */
static const int32_t seg_uend[8] = {
	0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff, 0x1fff
};
static const int32_t seg_aend[8] = {
	0x1f, 0x3f, 0x7f, 0xff, 0x1ff, 0x3ff, 0x7ff, 0xfff
};

/* floor(v / 2^n), what an arithmetic shift gives, for any sign. */
static int32_t
floor_shift(int32_t v, unsigned n)
{
	return v < 0 ? ~(~v >> n) : v >> n;
}

static int
segment(int32_t v, const int32_t end[8])
{
	for (int i = 0; i < 8; i++)
		if (v <= end[i])
			return i;
	return 8;
}

uint8_t
sl_g711_ulaw_encode(int16_t pcm)
{
	int32_t v = floor_shift(pcm, 2);	/* 14-bit range */
	int32_t mask = 0xff;
	if (v < 0) {
		v = -v;
		mask = 0x7f;
	}
	if (v > ULAW_CLIP)
		v = ULAW_CLIP;
	v += ULAW_BIAS >> 2;
	int seg = segment(v, seg_uend);
	if (seg >= 8)
		return (uint8_t)(0x7f ^ mask);
	int32_t u = (seg << 4) | ((v >> (seg + 1)) & 0xf);
	return (uint8_t)(u ^ mask);
}

int16_t
sl_g711_ulaw_decode(uint8_t code)
{
	int32_t u = ~code & 0xff;	/* codes are sent inverted */
	int32_t t = ((u & QUANT_MASK) << 3) + ULAW_BIAS;
	t <<= (u & SEG_MASK) >> SEG_SHIFT;
	return (int16_t)((u & SIGN_BIT) ? ULAW_BIAS - t : t - ULAW_BIAS);
}

uint8_t
sl_g711_alaw_encode(int16_t pcm)
{
	int32_t v = floor_shift(pcm, 3);	/* 13-bit range */
	int32_t mask = 0xd5;	/* sign bit set, even bits inverted */
	if (v < 0) {
		mask = 0x55;
		v = -v - 1;
	}
	int seg = segment(v, seg_aend);
	if (seg >= 8)
		return (uint8_t)(0x7f ^ mask);
	int32_t a = seg << SEG_SHIFT;
	a |= (seg < 2 ? v >> 1 : v >> seg) & QUANT_MASK;
	return (uint8_t)(a ^ mask);
}

int16_t
sl_g711_alaw_decode(uint8_t code)
{
	int32_t a = code ^ 0x55;
	int32_t t = (a & QUANT_MASK) << 4;
	int seg = (a & SEG_MASK) >> SEG_SHIFT;
	switch (seg) {
	case 0:
		t += 8;
		break;
	case 1:
		t += 0x108;
		break;
	default:
		t += 0x108;
		t <<= seg - 1;
		break;
	}
	return (int16_t)((a & SIGN_BIT) ? t : -t);
}

void
sl_g711_encode(enum sl_g711_law law, const int16_t *pcm, size_t n,
    uint8_t *out)
{
	for (size_t i = 0; i < n; i++)
		out[i] = law == SL_G711_PCMA ? sl_g711_alaw_encode(pcm[i]) :
		    sl_g711_ulaw_encode(pcm[i]);
}

void
sl_g711_decode(enum sl_g711_law law, const uint8_t *codes, size_t n,
    int16_t *out)
{
	for (size_t i = 0; i < n; i++)
		out[i] = law == SL_G711_PCMA ? sl_g711_alaw_decode(codes[i]) :
		    sl_g711_ulaw_decode(codes[i]);
}

uint8_t
sl_g711_silence(enum sl_g711_law law)
{
	return law == SL_G711_PCMA ? 0xd5 : 0xff;
}
