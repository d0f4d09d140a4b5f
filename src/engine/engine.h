/* engine.h: the analysis engine. Frames go in (feed), time moves on
 * without them (tick), and calls come out, finished and analysed,
 * through any number of sinks at once.
 *
 * Call lifecycle. A call opens with its first SIP message and grows with
 * every message and media packet that belongs to it. It is emitted when
 * it is over (INVITE: final answer, or BYE answered, on every leg;
 * REGISTER: every exchange answered; other dialogs: a final response)
 * and has then been quiet for the linger time (default 10 s), or, over
 * or not, when it has been quiet for the idle time (default 300 s), or at
 * finish. Quiet is measured on the engine clock: the capture time of the
 * newest frame, or the time given to tick, whichever is later; the
 * correlator looks once per second of that clock. Emission hands the call
 * to each sink's call() in the order the sinks were given, then to the
 * one sink that has take(), which owns it from then on; without one the
 * engine frees it with everything it holds. A sink's call() borrows the
 * call for the callback and copies what it keeps (the tables keep their
 * rows' text). From files,
 * calls leave in start order (a slow call holds up to 1024 finished ones
 * behind it); with max_waiting 0 (live and pipe input) each call leaves
 * as soon as it is ready. Call numbers follow start order either way. */
#ifndef SL_ENGINE_H
#define SL_ENGINE_H

#include "capture/source.h"
#include "correlate/correlate.h"
#include "dissectors/reasm.h"

struct sl_run_opts {
	struct sl_corr_opts corr;	/* its emit fields are the engine's */
	const uint16_t *rtp_ports;	/* --rtp-port */
	size_t n_rtp_ports;
	size_t reasm_bytes;		/* fragment memory cap */
	size_t reasm_datagrams;
	int64_t reasm_timeout_ns;
	/* IP packets equal this close in capture time are one packet seen
	 * twice, by two capture points (engine/dedup.h; default 100 ms, well
	 * below SIP's T1 = 500 ms): counted always, removed with dedup */
	int64_t dedup_window_ns;
	bool dedup;
};

/* Where every frame went. frames == analysed + sum(skip) - absorbed
 * fragments + duplicates_removed: see sl_run_skipped(). */
struct sl_run_stats {
	uint64_t frames;
	int64_t first_ts;		/* set before the first call is emitted */
	bool have_first;
	uint64_t by_app[5];		/* enum sl_app: frames per application */
	uint64_t skip[SL_SKIP__COUNT];
	uint64_t anomalies;		/* named anomalies recorded on packets */
	/* packets seen twice within the dedup window; with dedup, each copy
	 * after the first is removed before dissection and listed by
	 * sl_run_skipped as "duplicate packets" */
	uint64_t duplicates;
	uint64_t duplicates_removed;
	uint64_t calls_emitted;		/* calls, registrations and dialogs out */
	struct sl_reasm_stats reasm;	/* final at end() */
	struct sl_corr_stats corr;	/* kept current */
};

/* A consumer of calls. Every callback may be NULL; a non-OK return stops
 * the engine, and feed/tick/finish return that error from then on. */
struct sl_sink {
	/* Once, before any call() or end(): st->first_ts is the first
	 * frame's time (base of relative times), if there was a frame. */
	enum sl_err (*begin)(void *user, const struct sl_run_stats *st);
	/* Each call as it is emitted; call is valid only until return. */
	enum sl_err (*call)(void *user, const struct sl_call *call,
	    const struct sl_run_stats *st);
	/* Once, from finish, after the last call: the totals are final. */
	enum sl_err (*end)(void *user, const struct sl_run_stats *st);
	void *user;
	/* After every sink's call(): the call is the sink's, to free with
	 * sl_call_free whatever it returns (the store hands it to its writer
	 * thread: a copy of each call cost more than SQLite's own work). The
	 * correlator has forgotten it, so nothing else touches it again. At
	 * most one sink of an engine has take(). */
	enum sl_err (*take)(void *user, struct sl_call *call, const struct sl_run_stats *st);
};

#define SL_ENGINE_MAX_SINKS 8

struct sl_engine;

void sl_run_opts_default(struct sl_run_opts *o /* OUT */);

/* NULL on out of memory, or when n is over SL_ENGINE_MAX_SINKS or more
 * than one sink has take(). The sinks are copied. */
struct sl_engine *sl_engine_new(const struct sl_run_opts *o, const struct sl_sink *sinks,
    size_t n);

/* One frame: dissected, correlated, accounted for. Frames come in
 * capture order (the input merges files by time). */
enum sl_err sl_engine_feed(struct sl_engine *e, const struct sl_frame *f);

/* Advances the engine clock to now (capture-time ns) without a frame:
 * calls that went quiet are emitted. Times before the clock are ignored. */
enum sl_err sl_engine_tick(struct sl_engine *e, int64_t now);

/* End of input: every call still open is emitted in start order, then
 * each sink's end(). Call once. */
enum sl_err sl_engine_finish(struct sl_engine *e);

const struct sl_run_stats *sl_engine_stats(const struct sl_engine *e);

void sl_engine_free(struct sl_engine *e);

/* A named count of frames not analysed, for the summary. */
struct sl_run_count {
	const char *name;	/* for people: the summary line */
	const char *id;		/* stable snake_case: JSON keys (reports/JSON.md) */
	uint64_t count;
};
/* Fills up to n non-zero counts, biggest first; returns how many. */
size_t sl_run_skipped(const struct sl_run_stats *st, struct sl_run_count *out, size_t n);

#endif
