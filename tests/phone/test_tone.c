/* test_tone.c: tone generator: argument checks, exact samples at simple
 * ratios, frame-to-frame phase continuity, long-run stability. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "phone/tone.h"
#include "tests/unit/unit.h"

static SL_TEST_STATE(ts);

static const struct {
	double freq;
	double amp;
	unsigned rate;
	enum sl_err want;
} inits[] = {
	{ 440, 0.5, 8000, SL_OK },
	{ 0, 0.5, 8000, SL_OK },		/* silence */
	{ 3999, 1.0, 8000, SL_OK },
	{ 440, 0.0, 8000, SL_OK },
	{ 4000, 0.5, 8000, SL_EUSAGE },		/* Nyquist */
	{ 10000, 0.5, 8000, SL_EUSAGE },
	{ -1, 0.5, 8000, SL_EUSAGE },
	{ 440, 1.01, 8000, SL_EUSAGE },
	{ 440, -0.1, 8000, SL_EUSAGE },
	{ NAN, 0.5, 8000, SL_EUSAGE },
	{ 440, NAN, 8000, SL_EUSAGE },
	{ INFINITY, 0.5, 8000, SL_EUSAGE },
	{ 440, 0.5, 0, SL_EUSAGE },
};

static void
test_init(void)
{
	for (size_t i = 0; i < sizeof(inits) / sizeof(inits[0]); i++) {
		struct sl_tone t = { 1, 2, 3 };
		enum sl_err e = sl_tone_init(&t, inits[i].freq, inits[i].amp, inits[i].rate);
		SL_CHECK_MSG(&ts, e == inits[i].want, "init row %zu: %d", i, (int)e);
		if (e != SL_OK)
			SL_CHECK_MSG(&ts, t.phase == 1 && t.step == 2 && t.peak == 3,
			    "init row %zu changed the tone on error", i);
	}
}

static void
test_samples(void)
{
	/* 1000 Hz at 8 kHz: 8 samples a period, quarter period = 2 samples */
	struct sl_tone t;
	int16_t s[16];
	SL_CHECK(&ts, sl_tone_init(&t, 1000, 1.0, SL_TONE_RATE) == SL_OK);
	sl_tone_fill(&t, s, 16);
	SL_CHECK(&ts, s[0] == 0 && s[2] == 32767 && s[4] == 0 && s[6] == -32767);
	SL_CHECK(&ts, s[1] == 23170 && s[3] == 23170 && s[5] == -23170);
	SL_CHECK(&ts, memcmp(s, s + 8, 8 * sizeof(s[0])) == 0);

	SL_CHECK(&ts, sl_tone_init(&t, 1000, 0.5, SL_TONE_RATE) == SL_OK);
	sl_tone_fill(&t, s, 8);
	/* 16383.5 * sin(): the half rounds either way after phase sums */
	SL_CHECK(&ts, abs(s[2] - 16384) <= 1 && abs(s[6] + 16384) <= 1);

	SL_CHECK(&ts, sl_tone_init(&t, 0, 1.0, SL_TONE_RATE) == SL_OK);
	sl_tone_fill(&t, s, 16);
	int nz = 0;
	for (int i = 0; i < 16; i++)
		nz += s[i] != 0;
	SL_CHECK(&ts, nz == 0);
}

static void
test_continuity(void)
{
	struct sl_tone a, b;
	int16_t whole[960], parts[960];
	SL_CHECK(&ts, sl_tone_init(&a, 440, 0.3, SL_TONE_RATE) == SL_OK);
	SL_CHECK(&ts, sl_tone_init(&b, 440, 0.3, SL_TONE_RATE) == SL_OK);
	sl_tone_fill(&a, whole, 960);
	/* frames of 160 (20 ms), plus odd sizes: the split must not matter */
	size_t off = 0;
	static const size_t sizes[] = { 160, 160, 1, 159, 7, 313, 160 };
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		sl_tone_fill(&b, parts + off, sizes[i]);
		off += sizes[i];
	}
	SL_CHECK(&ts, off == 960);
	SL_CHECK(&ts, memcmp(whole, parts, sizeof(whole)) == 0);
	/* no jump at a frame boundary: a 440 Hz sine moves at most
	 * 2*pi*440/8000*peak per sample */
	int maxstep = 0;
	for (int i = 1; i < 960; i++) {
		int d = abs(whole[i] - whole[i - 1]);
		if (d > maxstep)
			maxstep = d;
	}
	SL_CHECK_MSG(&ts, maxstep <= (int)(6.2832 * 440 / 8000 * 0.3 * 32767) + 1,
	    "max step %d", maxstep);
}

static void
test_long_run(void)
{
	/* one minute of 440 Hz: 880 zero crossings a second, and the last
	 * second still looks like the first (phase wrapped, not drifted) */
	struct sl_tone t;
	int16_t f[160];
	SL_CHECK(&ts, sl_tone_init(&t, 440, 0.8, SL_TONE_RATE) == SL_OK);
	long crossings = 0;
	int prev = 0, peak = 0;
	for (int frame = 0; frame < 50 * 60; frame++) {
		sl_tone_fill(&t, f, 160);
		for (int i = 0; i < 160; i++) {
			if ((prev < 0) != (f[i] < 0))
				crossings++;
			prev = f[i];
			if (abs(f[i]) > peak)
				peak = abs(f[i]);
		}
	}
	SL_CHECK_MSG(&ts, crossings >= 880 * 60 - 2 && crossings <= 880 * 60 + 2,
	    "%ld crossings", crossings);
	SL_CHECK_MSG(&ts, peak <= (int)lround(0.8 * 32767) && peak > 26000, "peak %d", peak);
	SL_CHECK(&ts, t.phase >= 0 && t.phase < 6.2832);
}

int
main(void)
{
	test_init();
	test_samples();
	test_continuity();
	test_long_run();
	return sl_test_report(&ts, "tone");
}
