/* test_g711.c: G.711 against reference values (CPython's audioop, an
 * independent implementation of the same Sun/CCITT tables), full-range
 * checksums, and round-trip error bounds. */
#include <stdint.h>
#include <stdlib.h>

#include "phone/g711.h"
#include "tests/unit/unit.h"

static SL_TEST_STATE(ts);

static const struct {
	int16_t pcm;
	uint8_t ulaw;
	uint8_t alaw;
} enc[] = {
	{ 0, 0xff, 0xd5 },
	{ 1, 0xff, 0xd5 },
	{ -1, 0x7e, 0x55 },
	{ 2, 0xff, 0xd5 },
	{ -2, 0x7e, 0x55 },
	{ 7, 0xfe, 0xd5 },
	{ 8, 0xfe, 0xd5 },
	{ -8, 0x7e, 0x55 },
	{ 100, 0xf2, 0xd3 },
	{ -100, 0x72, 0x53 },
	{ 1000, 0xce, 0xfa },
	{ -1000, 0x4e, 0x7a },
	{ 4000, 0xaf, 0x9a },
	{ -4000, 0x2f, 0x1a },
	{ 12345, 0x97, 0xbd },
	{ -12345, 0x17, 0x3d },
	{ 32124, 0x80, 0xaa },
	{ 32636, 0x80, 0xaa },	/* mu-law clip point */
	{ -32640, 0x00, 0x2a },
	{ 32767, 0x80, 0xaa },
	{ -32767, 0x00, 0x2a },
	{ INT16_MIN, 0x00, 0x2a },
};

static const struct {
	uint8_t code;
	int16_t ulaw;
	int16_t alaw;
} dec[] = {
	{ 0x00, -32124, -5504 },
	{ 0x7f, 0, -848 },
	{ 0x80, 32124, 5504 },
	{ 0xff, 0, 848 },
	{ 0xfe, 8, 880 },
	{ 0x01, -31100, -5248 },
	{ 0x55, -716, -8 },
	{ 0xd5, 716, 8 },
	{ 0x2a, -5372, -32256 },
	{ 0xaa, 5372, 32256 },
	{ 0x13, -14460, -2880 },
	{ 0x9c, 9852, 3264 },
};

static void
test_known_values(void)
{
	for (size_t i = 0; i < sizeof(enc) / sizeof(enc[0]); i++) {
		uint8_t u = sl_g711_ulaw_encode(enc[i].pcm);
		uint8_t a = sl_g711_alaw_encode(enc[i].pcm);
		SL_CHECK_MSG(&ts, u == enc[i].ulaw, "ulaw(%d) = 0x%02x", enc[i].pcm, u);
		SL_CHECK_MSG(&ts, a == enc[i].alaw, "alaw(%d) = 0x%02x", enc[i].pcm, a);
	}
	for (size_t i = 0; i < sizeof(dec) / sizeof(dec[0]); i++) {
		int16_t u = sl_g711_ulaw_decode(dec[i].code);
		int16_t a = sl_g711_alaw_decode(dec[i].code);
		SL_CHECK_MSG(&ts, u == dec[i].ulaw, "ulaw^-1(0x%02x) = %d", dec[i].code, u);
		SL_CHECK_MSG(&ts, a == dec[i].alaw, "alaw^-1(0x%02x) = %d", dec[i].code, a);
	}
	SL_CHECK(&ts, sl_g711_silence(SL_G711_PCMU) == 0xff);
	SL_CHECK(&ts, sl_g711_silence(SL_G711_PCMA) == 0xd5);
}

/* Sums of the codes of all 65536 inputs, from audioop: every input is
 * covered without storing 128 KiB of expectations. */
static void
test_full_range(void)
{
	uint64_t su = 0, sa = 0;
	for (int32_t v = INT16_MIN; v <= INT16_MAX; v++) {
		su += sl_g711_ulaw_encode((int16_t)v);
		sa += sl_g711_alaw_encode((int16_t)v);
	}
	SL_CHECK_MSG(&ts, su == 5694092, "ulaw sum %llu", (unsigned long long)su);
	SL_CHECK_MSG(&ts, sa == 6971392, "alaw sum %llu", (unsigned long long)sa);
}

static void
test_round_trip(void)
{
	/* every code survives decode+encode; mu-law has two zeros (0x7f,
	 * 0xff) and encodes 0 as 0xff */
	for (int c = 0; c < 256; c++) {
		uint8_t u = sl_g711_ulaw_encode(sl_g711_ulaw_decode((uint8_t)c));
		SL_CHECK_MSG(&ts, u == c || (c == 0x7f && u == 0xff), "ulaw code 0x%02x", c);
		uint8_t a = sl_g711_alaw_encode(sl_g711_alaw_decode((uint8_t)c));
		SL_CHECK_MSG(&ts, a == c, "alaw code 0x%02x", c);
	}
	/* Quantisation error: half a step of the segment, and a step is
	 * 1/16 of the segment's base (16 steps per doubling), so at most
	 * |x|/32 plus the bias of the first segments (measured max: 7.2
	 * mu-law, 8 A-law). Past the largest code the error is the clip. */
	int bad_u = 0, bad_a = 0;
	for (int32_t v = INT16_MIN; v <= INT16_MAX; v++) {
		int32_t m = abs(v);
		int32_t eu = abs(sl_g711_ulaw_decode(sl_g711_ulaw_encode((int16_t)v)) - v);
		int32_t ea = abs(sl_g711_alaw_decode(sl_g711_alaw_encode((int16_t)v)) - v);
		int32_t bu = m > 32124 ? m - 32124 : m / 32 + 8;
		int32_t ba = m > 32256 ? m - 32256 : m / 32 + 8;
		bad_u += eu > bu;
		bad_a += ea > ba;
	}
	SL_CHECK_MSG(&ts, bad_u == 0, "%d mu-law values over the bound", bad_u);
	SL_CHECK_MSG(&ts, bad_a == 0, "%d A-law values over the bound", bad_a);
}

static void
test_buffers(void)
{
	int16_t pcm[5] = { 0, 1000, -1000, INT16_MAX, INT16_MIN };
	uint8_t c[5];
	int16_t back[5];
	sl_g711_encode(SL_G711_PCMU, pcm, 5, c);
	SL_CHECK(&ts, c[0] == 0xff && c[1] == 0xce && c[2] == 0x4e && c[3] == 0x80 &&
	    c[4] == 0x00);
	sl_g711_decode(SL_G711_PCMU, c, 5, back);
	SL_CHECK(&ts, back[0] == 0 && back[3] == 32124 && back[4] == -32124);
	sl_g711_encode(SL_G711_PCMA, pcm, 5, c);
	SL_CHECK(&ts, c[0] == 0xd5 && c[1] == 0xfa && c[2] == 0x7a && c[3] == 0xaa &&
	    c[4] == 0x2a);
	sl_g711_decode(SL_G711_PCMA, c, 5, back);
	SL_CHECK(&ts, back[0] == 8 && back[3] == 32256 && back[4] == -32256);
	sl_g711_encode(SL_G711_PCMA, pcm, 0, c);	/* n = 0 touches nothing */
}

int
main(void)
{
	test_known_values();
	test_full_range();
	test_round_trip();
	test_buffers();
	return sl_test_report(&ts, "g711");
}
