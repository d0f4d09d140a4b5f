/* sink.c: the store as an engine sink. Each emitted call is taken over
 * (the engine's take()) and handed to a writer thread, so that
 * SQLite's work (encoding rows, B-trees, the commit's write) runs beside
 * the analysis instead of inside it: importing costs little more time
 * than analysing. The
 * thread writes each call into the open batch; the capture record is
 * brought up to date inside every commit (so a run cut off by a crash
 * still says how far it got) and completed by end().
 *
 * Locks: the store's (every store function, either thread) is taken
 * before the queue's, never after it. */
#include <pthread.h>
#include <stdlib.h>

#include "engine/engine.h"
#include "store/store_int.h"

#define MAX_SKIPS 32
#define QUEUE_CAP 256		/* calls waiting for the writer; the engine waits beyond */

struct sl_store_sink {
	struct sl_store *s;
	struct sl_store_sink_opts o;
	int64_t capture;

	pthread_mutex_t mu;		/* everything below */
	struct sl_run_stats st;		/* the engine's, as of the last callback */
	bool have_st;
	bool finished;
	uint64_t calls, regs;		/* emitted, as the summary line counts them */
	uint64_t stored, skipped;
	int64_t end_ts;			/* the latest call activity */

	/* the writer thread */
	bool threaded;
	pthread_t thread;
	pthread_cond_t more;		/* a call queued, or stop */
	pthread_cond_t room;		/* a call taken, or the writer idle */
	struct sl_call *q[QUEUE_CAP];
	size_t head, n;
	bool busy;			/* writing the call it took */
	bool stop;
	enum sl_err failed;		/* the writer's first error: sticky */
	struct sl_store_error err;	/* and what it was */
};

void
sl_store_totals_of_run(struct sl_store_totals *t, struct sl_store_count *sk, size_t n_sk,
    const struct sl_run_stats *st)
{
	*t = (struct sl_store_totals){
		.have_start = st->have_first,
		.start_ts = st->first_ts,
		.frames = st->frames,
		.sip_messages = st->corr.sip_msgs,
		.sip_retrans = st->corr.sip_retrans,
		.rtp_packets = st->corr.rtp_packets,
		.rtcp_packets = st->corr.rtcp_packets,
		.icmp_attributed = st->corr.icmp_attributed,
		.icmp_unattributed = st->corr.icmp_unattributed,
		.anomalies = st->anomalies,
		.out_of_order = st->corr.out_of_order_emits,
		.skipped = sk,
	};
	struct sl_run_count rc[MAX_SKIPS];
	t->n_skipped = sl_run_skipped(st, rc, n_sk < MAX_SKIPS ? n_sk : MAX_SKIPS);
	for (size_t i = 0; i < t->n_skipped; i++)
		sk[i] = (struct sl_store_count){ rc[i].id, rc[i].name, rc[i].count };
}

static void
totals(const struct sl_store_sink *k, struct sl_store_totals *t, struct sl_store_count *sk)
{
	sl_store_totals_of_run(t, sk, MAX_SKIPS, &k->st);
	t->end_ts = k->end_ts;
	t->drops = k->o.drops ? k->o.drops(k->o.drops_user) : 0;
	t->calls = k->calls;
	t->registrations = k->regs;
	t->calls_stored = k->stored;
	t->calls_skipped = k->skipped;
}

/* Before every commit of the store (its lock held, either thread): the
 * record as of now. */
static enum sl_err
progress(void *user)
{
	struct sl_store_sink *k = user;
	struct sl_store_totals t;
	struct sl_store_count sk[MAX_SKIPS];
	pthread_mutex_lock(&k->mu);
	bool have = k->have_st, finished = k->finished;
	if (have)
		totals(k, &t, sk);
	pthread_mutex_unlock(&k->mu);
	return have ? sl_store_capture_update(k->s, k->capture, &t, finished) : SL_OK;
}

/* ----- the writer thread ----- */

static void
write_one(struct sl_store_sink *k, const struct sl_call *call)
{
	bool skipped = false;
	sl_store_lock(k->s);
	enum sl_err e = sl_store_write_call(k->s, k->capture, call, &skipped);
	struct sl_store_error err = k->s->err;
	sl_store_unlock(k->s);
	pthread_mutex_lock(&k->mu);
	if (e != SL_OK && k->failed == SL_OK) {
		k->failed = e;
		k->err = err;
	} else if (e == SL_OK) {
		if (skipped)
			k->skipped++;
		else
			k->stored++;
	}
	pthread_mutex_unlock(&k->mu);
}

static void *
writer(void *user)
{
	struct sl_store_sink *k = user;
	pthread_mutex_lock(&k->mu);
	for (;;) {
		while (k->n == 0 && !k->stop)
			pthread_cond_wait(&k->more, &k->mu);
		if (k->n == 0)
			break;
		struct sl_call *call = k->q[k->head];
		k->head = (k->head + 1) % QUEUE_CAP;
		k->n--;
		k->busy = true;
		bool failed = k->failed != SL_OK;
		pthread_cond_broadcast(&k->room);
		pthread_mutex_unlock(&k->mu);
		/* after an error the rest is dropped: the run is stopping */
		if (!failed)
			write_one(k, call);
		sl_call_free(call);
		pthread_mutex_lock(&k->mu);
		k->busy = false;
		pthread_cond_broadcast(&k->room);
	}
	pthread_mutex_unlock(&k->mu);
	return NULL;
}

/* The writer's error as the store's, for the caller to read. */
static enum sl_err
writer_failed(struct sl_store_sink *k, enum sl_err e)
{
	pthread_mutex_lock(&k->mu);
	struct sl_store_error err = k->err;
	pthread_mutex_unlock(&k->mu);
	sl_store_lock(k->s);
	k->s->err = err;
	sl_store_unlock(k->s);
	return e;
}

/* Until the writer has written everything queued. */
static enum sl_err
drain(void *user)
{
	struct sl_store_sink *k = user;
	if (!k->threaded)
		return SL_OK;
	pthread_mutex_lock(&k->mu);
	while (k->n > 0 || k->busy)
		pthread_cond_wait(&k->room, &k->mu);
	enum sl_err e = k->failed;
	pthread_mutex_unlock(&k->mu);
	return e == SL_OK ? SL_OK : writer_failed(k, e);
}

/* ----- the engine's callbacks ----- */

static enum sl_err
on_begin(void *user, const struct sl_run_stats *st)
{
	struct sl_store_sink *k = user;
	pthread_mutex_lock(&k->mu);
	k->st = *st;
	k->have_st = true;
	pthread_mutex_unlock(&k->mu);
	return SL_OK;
}

/* The call is ours: the writer thread writes and frees it. */
static enum sl_err
on_take(void *user, struct sl_call *call, const struct sl_run_stats *st)
{
	struct sl_store_sink *k = user;
	pthread_mutex_lock(&k->mu);
	k->st = *st;
	k->have_st = true;
	if (call->kind == SL_CALL_REGISTER)
		k->regs++;
	else
		k->calls++;
	if (call->last_ts > k->end_ts)
		k->end_ts = call->last_ts;
	enum sl_err e = k->failed;
	pthread_mutex_unlock(&k->mu);
	if (e != SL_OK) {
		sl_call_free(call);
		return writer_failed(k, e);
	}
	if (!k->threaded) {
		write_one(k, call);
		sl_call_free(call);
		pthread_mutex_lock(&k->mu);
		e = k->failed;
		pthread_mutex_unlock(&k->mu);
		return e == SL_OK ? SL_OK : writer_failed(k, e);
	}
	pthread_mutex_lock(&k->mu);
	while (k->n == QUEUE_CAP && k->failed == SL_OK)
		pthread_cond_wait(&k->room, &k->mu);
	k->q[(k->head + k->n) % QUEUE_CAP] = call;
	k->n++;
	pthread_cond_signal(&k->more);
	pthread_mutex_unlock(&k->mu);
	return SL_OK;
}

static enum sl_err
on_end(void *user, const struct sl_run_stats *st)
{
	struct sl_store_sink *k = user;
	enum sl_err e = drain(k);
	if (e != SL_OK)
		return e;
	pthread_mutex_lock(&k->mu);
	k->st = *st;
	k->have_st = true;
	k->finished = true;
	pthread_mutex_unlock(&k->mu);
	/* the commit writes the final record through progress() */
	sl_store_lock(k->s);
	e = sl_store_txn(k->s);
	if (e == SL_OK)
		e = sl_store_commit_now(k->s);
	sl_store_unlock(k->s);
	return e;
}

/* ----- life ----- */

enum sl_err
sl_store_sink_new(struct sl_store *s, const struct sl_store_sink_opts *o,
    struct sl_store_sink **out, struct sl_sink *sink)
{
	*out = NULL;
	sl_store_lock(s);
	sl_store_clear_error(s);
	enum sl_err e = SL_OK;
	struct sl_store_sink *k = NULL;
	if (s->progress)
		e = sl_store_failf(s, SL_STORE_EUSAGE, "a store takes one sink at a time");
	else if ((k = calloc(1, sizeof *k)) == NULL)
		e = sl_store_failf(s, SL_STORE_ENOMEM, "out of memory");
	if (e == SL_OK) {
		k->s = s;
		k->o = *o;
		k->threaded = !o->same_thread;
		e = sl_store_capture_begin(s, &o->capture, &k->capture);
	}
	if (e == SL_OK) {
		pthread_mutex_init(&k->mu, NULL);
		pthread_cond_init(&k->more, NULL);
		pthread_cond_init(&k->room, NULL);
		if (k->threaded && pthread_create(&k->thread, NULL, writer, k) != 0) {
			e = sl_store_failf(s, SL_STORE_ENOMEM, "cannot start the writer thread");
			pthread_cond_destroy(&k->more);
			pthread_cond_destroy(&k->room);
			pthread_mutex_destroy(&k->mu);
		}
	}
	if (e != SL_OK) {
		free(k);
		sl_store_unlock(s);
		return e;
	}
	s->progress = progress;
	s->progress_user = k;
	s->drain = drain;
	s->drain_user = k;
	sl_store_unlock(s);
	*sink = (struct sl_sink){ .begin = on_begin, .end = on_end, .user = k, .take = on_take };
	*out = k;
	return SL_OK;
}

enum sl_err
sl_store_sink_flush(struct sl_store_sink *k)
{
	return drain(k);
}

int64_t
sl_store_sink_capture(const struct sl_store_sink *k)
{
	return k->capture;
}

void
sl_store_sink_counts(struct sl_store_sink *k, uint64_t *stored, uint64_t *skipped)
{
	pthread_mutex_lock(&k->mu);
	*stored = k->stored;
	*skipped = k->skipped;
	pthread_mutex_unlock(&k->mu);
}

void
sl_store_sink_free(struct sl_store_sink *k)
{
	if (k == NULL)
		return;
	if (k->threaded) {
		/* what is still queued is written first (or dropped after an
		 * error); then the thread ends */
		pthread_mutex_lock(&k->mu);
		k->stop = true;
		pthread_cond_signal(&k->more);
		pthread_mutex_unlock(&k->mu);
		pthread_join(k->thread, NULL);
	}
	sl_store_lock(k->s);
	if (k->s->progress_user == k) {
		k->s->progress = NULL;
		k->s->progress_user = NULL;
		k->s->drain = NULL;
		k->s->drain_user = NULL;
	}
	sl_store_unlock(k->s);
	pthread_cond_destroy(&k->more);
	pthread_cond_destroy(&k->room);
	pthread_mutex_destroy(&k->mu);
	free(k);
}
