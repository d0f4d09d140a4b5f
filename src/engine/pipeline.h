/* pipeline.h: drives an engine from an input. Files are read flat out;
 * a pipe (later a live interface) can have no frame yet, and then the
 * driver waits on its file descriptors and moves the engine clock on by
 * the wall clock, so that a call that has ended and gone quiet is emitted
 * during the quiet, not at end of input: engine time = the last frame's
 * capture time + the monotonic time elapsed since it arrived (DESIGN
 * 3.2). The clock is injected, so tests need no sleeps. */
#ifndef SL_PIPELINE_H
#define SL_PIPELINE_H

#include "capture/source.h"
#include "engine/engine.h"

struct pollfd;

/* A monotonic clock in ns. */
struct sl_clock {
	int64_t (*now_ns)(void *user);
	void *user;
};

/* CLOCK_MONOTONIC. */
extern const struct sl_clock sl_clock_monotonic;

struct sl_pump {
	struct sl_input *in;
	struct sl_engine *eng;
	const struct sl_clock *clock;
	bool have_frame;
	int64_t last_ts;		/* capture time of the newest frame */
	int64_t last_mono;		/* clock reading when it arrived */
	/* the caller's own descriptors (a signalfd, a keyboard), polled
	 * with the input's; after a step, revents says which are ready */
	struct pollfd *extra;
	size_t n_extra;
	/* the input is a live interface: its drop counters are read about
	 * once a second */
	int64_t last_refresh;
	/* sees each frame before the engine does (capture -w); a non-OK
	 * return stops the step with that error */
	enum sl_err (*tap)(void *user, const struct sl_frame *f);
	void *tap_user;
	/* after every step that went well (a batch fed, or the wait done):
	 * the caller's periodic work, such as committing a store's batch by
	 * age, which a busy input would otherwise put off for as long as it
	 * stays busy; a non-OK return is the step's error */
	enum sl_err (*round)(void *user);
	void *round_user;
};

void sl_pump_init(struct sl_pump *p, struct sl_input *in, struct sl_engine *eng,
    const struct sl_clock *clock);

/* One round: feeds the frames the input has (a bounded batch, so that a
 * caller with other work, such as a UI, stays responsive); if the input
 * has none yet, ticks the engine and waits up to timeout_ms for its file
 * descriptors (0: no wait). *eof is set at the end of the input; the
 * caller then calls sl_engine_finish. */
enum sl_err sl_pump_step(struct sl_pump *p, int timeout_ms, bool *eof /* OUT */);

/* Steps p to the end of its input, then sl_engine_finish. Returns the
 * first error. */
enum sl_err sl_pump_run(struct sl_pump *p);

/* The whole input, then sl_engine_finish: sl_pump_run with no hooks. */
enum sl_err sl_pipeline_run(struct sl_input *in, struct sl_engine *eng,
    const struct sl_clock *clock);

#endif
