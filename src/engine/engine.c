/* engine.c: frames through the dissectors (framedec.c) into the
 * correlator, calls out to the sinks. */
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "engine/framedec.h"

struct sl_engine {
	struct sl_run_opts o;
	struct sl_sink sinks[SL_ENGINE_MAX_SINKS];
	size_t n_sinks;
	struct sl_corr *corr;
	struct sl_framedec fd;
	struct sl_run_stats st;
	bool begun;
	bool finished;
	enum sl_err failed;	/* sticky: a sink's error or out of memory */
};

void
sl_run_opts_default(struct sl_run_opts *o)
{
	*o = (struct sl_run_opts){
		.reasm_bytes = 8u << 20,
		.reasm_datagrams = 1024,
		.reasm_timeout_ns = 30LL * 1000000000LL,
		.dedup_window_ns = 100LL * 1000000LL,
	};
	sl_corr_opts_default(&o->corr);
}

static void
begin(struct sl_engine *e)
{
	if (e->begun)
		return;
	e->begun = true;
	for (size_t i = 0; i < e->n_sinks && e->failed == SL_OK; i++)
		if (e->sinks[i].begin)
			e->failed = e->sinks[i].begin(e->sinks[i].user, &e->st);
}

/* The correlator's emit callback: every sink sees the call, then the
 * taker owns it, or it is freed here. */
static enum sl_err
emit(void *user, struct sl_call *call)
{
	struct sl_engine *e = user;
	begin(e);
	e->st.calls_emitted++;
	e->st.corr = *sl_corr_stats(e->corr);
	const struct sl_sink *taker = NULL;
	for (size_t i = 0; i < e->n_sinks; i++) {
		if (e->failed == SL_OK && e->sinks[i].call)
			e->failed = e->sinks[i].call(e->sinks[i].user, call, &e->st);
		if (e->sinks[i].take)
			taker = &e->sinks[i];
	}
	if (taker && e->failed == SL_OK)
		e->failed = taker->take(taker->user, call, &e->st);
	else
		sl_call_free(call);
	return e->failed;
}

struct sl_engine *
sl_engine_new(const struct sl_run_opts *o, const struct sl_sink *sinks, size_t n)
{
	if (n > SL_ENGINE_MAX_SINKS)
		return NULL;
	size_t takers = 0;
	for (size_t i = 0; i < n; i++)
		takers += sinks[i].take != NULL;
	if (takers > 1)
		return NULL;
	struct sl_engine *e = calloc(1, sizeof *e);
	if (e == NULL)
		return NULL;
	e->o = *o;
	e->o.corr.emit = emit;
	e->o.corr.emit_user = e;
	e->o.corr.emit_keeps = true;	/* emit() frees or hands over */
	if (n)
		memcpy(e->sinks, sinks, n * sizeof *sinks);
	e->n_sinks = n;
	e->corr = sl_corr_new(&e->o.corr);
	if (sl_framedec_init(&e->fd, &e->o) != SL_OK || e->corr == NULL) {
		sl_engine_free(e);
		return NULL;
	}
	e->fd.ctx.is_media = sl_corr_is_media;
	e->fd.ctx.media_user = e->corr;
	return e;
}

void
sl_engine_free(struct sl_engine *e)
{
	if (e == NULL)
		return;
	sl_framedec_free(&e->fd);
	sl_corr_free(e->corr);
	free(e);
}

enum sl_err
sl_engine_feed(struct sl_engine *e, const struct sl_frame *f)
{
	if (e->failed != SL_OK)
		return e->failed;
	struct sl_run_stats *st = &e->st;
	if (!st->have_first) {
		st->have_first = true;
		st->first_ts = f->ts_ns;
		begin(e);
	}
	struct sl_packet pkt;
	enum sl_framedec_copy copy = sl_framedec_frame(&e->fd, f, &pkt, NULL);
	st->frames = e->fd.frames;
	if (copy != SL_FRAMEDEC_ONCE)
		st->duplicates++;
	if (copy == SL_FRAMEDEC_REMOVED) {
		st->duplicates_removed++;
		sl_framedec_done(&e->fd);
		return e->failed;
	}
	st->anomalies += pkt.n_anomalies + pkt.anomalies_lost;
	if (pkt.app != SL_APP_NONE)
		st->by_app[pkt.app]++;
	else
		st->skip[pkt.skip < SL_SKIP__COUNT ? pkt.skip : SL_SKIP_NONE]++;
	enum sl_err err = sl_corr_packet(e->corr, &pkt);
	sl_framedec_done(&e->fd);
	if (err != SL_OK && e->failed == SL_OK)
		e->failed = err;
	return e->failed;
}

enum sl_err
sl_engine_tick(struct sl_engine *e, int64_t now)
{
	if (e->failed != SL_OK)
		return e->failed;
	enum sl_err err = sl_corr_tick(e->corr, now);
	if (err != SL_OK && e->failed == SL_OK)
		e->failed = err;
	return e->failed;
}

enum sl_err
sl_engine_finish(struct sl_engine *e)
{
	if (e->finished)
		return e->failed;
	e->finished = true;
	sl_reasm_flush(e->fd.reasm);
	if (e->failed == SL_OK) {
		enum sl_err err = sl_corr_finish(e->corr);
		if (err != SL_OK && e->failed == SL_OK)
			e->failed = err;
	}
	sl_reasm_stats(e->fd.reasm, &e->st.reasm);
	e->st.corr = *sl_corr_stats(e->corr);
	begin(e);
	for (size_t i = 0; i < e->n_sinks && e->failed == SL_OK; i++)
		if (e->sinks[i].end)
			e->failed = e->sinks[i].end(e->sinks[i].user, &e->st);
	return e->failed;
}

const struct sl_run_stats *
sl_engine_stats(const struct sl_engine *e)
{
	return &e->st;
}
static int
by_count(const void *a, const void *b)
{
	const struct sl_run_count *x = a, *y = b;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->name, y->name);
}

size_t
sl_run_skipped(const struct sl_run_stats *st, struct sl_run_count *out, size_t n)
{
	struct sl_run_count all[SL_SKIP__COUNT + 8];
	size_t k = 0;
	for (int s = SL_SKIP_NONE + 1; s < SL_SKIP__COUNT; s++) {
		/* fragments are settled by the reassembler's own books below:
		 * a fragment held early may still be dropped at the end */
		if (s == SL_SKIP_FRAGMENT || s == SL_SKIP_FRAG_DROPPED)
			continue;
		all[k++] = (struct sl_run_count){ sl_skip_name((enum sl_skip)s),
		    sl_skip_id((enum sl_skip)s), st->skip[s] };
	}
	const struct sl_reasm_stats *r = &st->reasm;
	all[k++] = (struct sl_run_count){ "fragments reassembled", "fragments_reassembled",
	    r->frags_completed - r->datagrams_completed };
	all[k++] = (struct sl_run_count){ "fragments dropped", "fragments_dropped",
	    r->frags_dropped };
	all[k++] = (struct sl_run_count){ "duplicate fragments", "fragments_duplicate",
	    r->frags_dup };
	all[k++] = (struct sl_run_count){ "duplicate packets", "duplicates",
	    st->duplicates_removed };
	all[k++] = (struct sl_run_count){ "SIP without Call-ID", "sip_without_call_id",
	    st->corr.sip_uncorrelated };
	all[k++] = (struct sl_run_count){ "SIP over call memory cap", "sip_over_call_cap",
	    st->corr.msgs_over_cap };
	all[k++] = (struct sl_run_count){ "RTP without call", "rtp_without_call",
	    st->corr.rtp_unattributed };
	all[k++] = (struct sl_run_count){ "media over call memory cap", "media_over_call_cap",
	    st->corr.media_over_cap };
	all[k++] = (struct sl_run_count){ "RTCP without stream", "rtcp_without_stream",
	    st->corr.rtcp_unattributed };
	all[k++] = (struct sl_run_count){ "ICMP without stream", "icmp_without_stream",
	    st->corr.icmp_unattributed };
	qsort(all, k, sizeof all[0], by_count);
	size_t m = 0;
	for (size_t i = 0; i < k && m < n; i++)
		if (all[i].count)
			out[m++] = all[i];
	return m;
}
