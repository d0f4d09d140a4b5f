/* pipeline.c: the loop that serves files and pipes alike; see pipeline.h. */
#include <errno.h>
#include <poll.h>
#include <time.h>

#include "engine/pipeline.h"

#define BATCH 4096		/* frames per step before the caller runs again */
#define WAIT_MS 500		/* ticks while waiting: the correlator looks each 1 s */
#define MAX_FDS 64

static int64_t
mono_ns(void *user)
{
	(void)user;
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

const struct sl_clock sl_clock_monotonic = { mono_ns, NULL };

void
sl_pump_init(struct sl_pump *p, struct sl_input *in, struct sl_engine *eng,
    const struct sl_clock *clock)
{
	*p = (struct sl_pump){ .in = in, .eng = eng, .clock = clock };
}

static enum sl_err
step(struct sl_pump *p, int timeout_ms, bool *eof)
{
	*eof = false;
	for (unsigned n = 0; n < BATCH; n++) {
		struct sl_frame f;
		enum sl_next what;
		enum sl_err e = sl_input_next(p->in, &f, &what);
		if (e != SL_OK)
			return e;
		if (what == SL_NEXT_EOF) {
			*eof = true;
			return SL_OK;
		}
		if (what == SL_NEXT_AGAIN)
			break;
		if (p->tap && (e = p->tap(p->tap_user, &f)) != SL_OK)
			return e;
		e = sl_engine_feed(p->eng, &f);
		if (e != SL_OK)
			return e;
		/* only a waiting input needs the wall clock: files never read it */
		p->have_frame = true;
		p->last_ts = f.ts_ns;
		p->last_mono = INT64_MIN;
		if (n + 1 == BATCH) {
			/* a busy input never reaches the poll below */
			if (p->n_extra && poll(p->extra, (nfds_t)p->n_extra, 0) < 0 &&
			    errno != EINTR)
				return SL_EIO;
			return SL_OK;
		}
	}
	int64_t now = p->clock->now_ns(p->clock->user);
	if (p->last_mono == INT64_MIN)
		p->last_mono = now;
	if (p->have_frame) {
		enum sl_err e = sl_engine_tick(p->eng, p->last_ts + (now - p->last_mono));
		if (e != SL_OK)
			return e;
	}
	if (now - p->last_refresh >= 1000000000LL) {
		p->last_refresh = now;
		sl_input_refresh(p->in);
	}
	for (size_t i = 0; i < p->n_extra; i++)
		p->extra[i].revents = 0;
	if (timeout_ms == 0)
		return SL_OK;
	struct pollfd fds[MAX_FDS];
	size_t n = sl_input_pollfds(p->in, fds, MAX_FDS - p->n_extra);
	for (size_t i = 0; i < p->n_extra; i++)
		fds[n + i] = p->extra[i];
	if (poll(fds, (nfds_t)(n + p->n_extra), timeout_ms) < 0 && errno != EINTR)
		return SL_EIO;
	for (size_t i = 0; i < p->n_extra; i++)
		p->extra[i].revents = fds[n + i].revents;
	return SL_OK;
}

enum sl_err
sl_pump_step(struct sl_pump *p, int timeout_ms, bool *eof)
{
	enum sl_err e = step(p, timeout_ms, eof);
	if (e == SL_OK && p->round)
		e = p->round(p->round_user);
	return e;
}

enum sl_err
sl_pump_run(struct sl_pump *p)
{
	for (;;) {
		bool eof;
		enum sl_err e = sl_pump_step(p, WAIT_MS, &eof);
		if (e != SL_OK)
			return e;
		if (eof)
			return sl_engine_finish(p->eng);
	}
}

enum sl_err
sl_pipeline_run(struct sl_input *in, struct sl_engine *eng, const struct sl_clock *clock)
{
	struct sl_pump p;
	sl_pump_init(&p, in, eng, clock);
	return sl_pump_run(&p);
}
