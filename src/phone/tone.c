/* tone.c: phase-accumulator sine generator; see tone.h. */
#include "phone/tone.h"

#include <math.h>

#define TWO_PI 6.283185307179586476925286766559

enum sl_err
sl_tone_init(struct sl_tone *t, double freq_hz, double amplitude,
    unsigned rate)
{
	/* written as !(in range) so NaN is refused too */
	if (rate == 0 || !(freq_hz >= 0.0 && freq_hz < rate / 2.0) ||
	    !(amplitude >= 0.0 && amplitude <= 1.0))
		return SL_EUSAGE;
	t->phase = 0.0;
	t->step = TWO_PI * freq_hz / rate;
	t->peak = amplitude * 32767.0;	/* symmetric: never -32768 */
	return SL_OK;
}

void
sl_tone_fill(struct sl_tone *t, int16_t *out, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		out[i] = (int16_t)lround(t->peak * sin(t->phase));
		t->phase += t->step;
		/* wrap every sample so precision does not decay over an hour */
		if (t->phase >= TWO_PI)
			t->phase -= TWO_PI;
	}
}
