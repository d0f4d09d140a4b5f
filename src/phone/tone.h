/* tone.h: sine tone generator for the phone's outgoing audio. The state
 * lives in the caller's struct, so consecutive calls (one per 20 ms frame)
 * continue the waveform without a phase jump, and two phones in one
 * process do not share anything. */
#ifndef SL_TONE_H
#define SL_TONE_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

#define SL_TONE_RATE 8000	/* G.711 sampling rate, Hz */

struct sl_tone {
	double phase;	/* radians, kept in [0, 2*pi) */
	double step;	/* radians per sample */
	double peak;	/* amplitude in PCM units */
};

/* A tone of freq_hz (0 < freq < rate/2; 0 gives silence) at amplitude
 * (0.0 .. 1.0 of full scale) for a stream sampled at rate Hz (> 0).
 * SL_EUSAGE (t untouched) for anything out of range, NaN included. */
enum sl_err sl_tone_init(struct sl_tone *t, double freq_hz, double amplitude,
    unsigned rate);

/* The next n samples into out. Filling 160 then 160 gives exactly the same
 * samples as filling 320 at once. */
void sl_tone_fill(struct sl_tone *t, int16_t *out /* OUT */, size_t n);

#endif
