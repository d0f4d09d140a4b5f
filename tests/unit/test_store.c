/* test_store.c: every sample capture through the engine into a database
 * and back. The calls loaded from the database must be the calls the
 * engine emitted, field by field, and render byte for byte the same in
 * every report (both ladder styles, JSON call and stream lines, the calls
 * and rtp tables); analysing a loaded call again must agree with the
 * stored verdict. Importing a capture again stores nothing new. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/pipeline.h"
#include "reports/report.h"
#include "tests/unit/store_util.h"
#include "tests/unit/unit.h"

static SL_TEST_STATE(ts);

#define OUT_CAP (256u << 20)

enum { R_LADDER, R_LADDER_RTP, R_WIRESHARK, R_JSON, R_STREAMS, R_N };
static const char *const rname[R_N] = { "ladder", "ladder --rtp", "ladder --style wireshark",
	"calls --json", "rtp --json" };

/* What the CLI would print for a run, format by format. */
struct render {
	struct sl_buf out[R_N];
	struct sl_report_table *calls, *rtp;
	int64_t base;
	unsigned n;
};

static void
render_init(struct render *r)
{
	memset(r, 0, sizeof *r);
	for (int i = 0; i < R_N; i++)
		sl_buf_init(&r->out[i], OUT_CAP);
	r->calls = sl_report_table_new(SL_REPORT_TABLE_CALLS);
	r->rtp = sl_report_table_new(SL_REPORT_TABLE_RTP);
}

static void
render_free(struct render *r)
{
	for (int i = 0; i < R_N; i++)
		sl_buf_free(&r->out[i]);
	sl_report_table_free(r->calls);
	sl_report_table_free(r->rtp);
}

static enum sl_err
render_call(struct render *r, const struct sl_call *call)
{
	struct sl_report_opts o;
	sl_report_opts_default(&o);
	o.base_ts_ns = r->base;
	enum sl_err e = SL_OK;
	for (int i = R_LADDER; e == SL_OK && i <= R_WIRESHARK; i++) {
		o.rtp = i == R_LADDER_RTP;
		o.style = i == R_WIRESHARK ? SL_LADDER_STYLE_WIRESHARK : SL_LADDER_STYLE_TEXT;
		if (r->n)
			e = sl_buf_addc(&r->out[i], '\n');
		if (e == SL_OK)
			e = sl_report_ladder(&r->out[i], call, &o);
	}
	sl_report_opts_default(&o);
	o.base_ts_ns = r->base;
	if (e == SL_OK)
		e = sl_report_json_call(&r->out[R_JSON], call, &o);
	if (e == SL_OK)
		e = sl_report_json_streams(&r->out[R_STREAMS], call, &o);
	if (e == SL_OK)
		e = sl_report_table_add(r->calls, call, &o);
	if (e == SL_OK)
		e = sl_report_table_add(r->rtp, call, &o);
	r->n++;
	return e;
}

static void
render_compare(const char *cap, struct render *a, struct render *b)
{
	for (int i = 0; i < R_N; i++) {
		sl_buf_adds(&a->out[i], "");
		sl_buf_adds(&b->out[i], "");
		bool same = a->out[i].len == b->out[i].len &&
		    (a->out[i].len == 0 || memcmp(a->out[i].p, b->out[i].p, a->out[i].len) == 0);
		SL_CHECK_MSG(&ts, same, "%s: %s differs from the database:\n--- capture\n%s--- db\n%s",
		    cap, rname[i], a->out[i].p ? a->out[i].p : "", b->out[i].p ? b->out[i].p : "");
	}
	struct sl_buf ta, tb;
	sl_buf_init(&ta, OUT_CAP);
	sl_buf_init(&tb, OUT_CAP);
	SL_CHECK(&ts, sl_report_table_render(&ta, a->calls) == SL_OK);
	SL_CHECK(&ts, sl_report_table_render(&tb, b->calls) == SL_OK);
	sl_buf_adds(&ta, "");
	sl_buf_adds(&tb, "");
	SL_CHECK_MSG(&ts, strcmp(ta.p, tb.p) == 0, "%s: calls table differs:\n%s---\n%s", cap,
	    ta.p, tb.p);
	sl_buf_reset(&ta);
	sl_buf_reset(&tb);
	SL_CHECK(&ts, sl_report_table_render(&ta, a->rtp) == SL_OK);
	SL_CHECK(&ts, sl_report_table_render(&tb, b->rtp) == SL_OK);
	sl_buf_adds(&ta, "");
	sl_buf_adds(&tb, "");
	SL_CHECK_MSG(&ts, strcmp(ta.p, tb.p) == 0, "%s: rtp table differs:\n%s---\n%s", cap,
	    ta.p, tb.p);
	sl_buf_free(&ta);
	sl_buf_free(&tb);
}

/* ----- the run: the store sink takes each call after a sink that
 * renders it; a second run of the engine over the same capture then
 * compares each call it emits with the one loaded back by number (the
 * engine is deterministic, and the store's call is gone once written) */

struct run {
	const char *cap;
	struct sl_store *store;
	struct sl_store_sink *sink;
	struct render r;
	const struct sl_call *emitted;
	int64_t capture;
	unsigned compared;
	struct sl_run_stats st;
};

static enum sl_err
on_begin(void *user, const struct sl_run_stats *st)
{
	struct run *x = user;
	x->r.base = st->first_ts;
	return SL_OK;
}

static enum sl_err
compare_loaded(void *user, struct sl_call *call, const struct sl_store_call_ref *ref)
{
	struct run *x = user;
	const char *d = tu_call_diff(x->emitted, call);
	SL_CHECK_MSG(&ts, d == NULL, "%s call %u: %s differs after the round trip", x->cap,
	    x->emitted->index, d);
	(void)ref;	/* the capture record is written at commits: base_ts later */
	x->compared++;
	return SL_OK;
}

static enum sl_err
on_call(void *user, const struct sl_call *call, const struct sl_run_stats *st)
{
	struct run *x = user;
	x->st = *st;
	return render_call(&x->r, call);
}

static enum sl_err
on_compare(void *user, const struct sl_call *call, const struct sl_run_stats *st)
{
	struct run *x = user;
	(void)st;
	struct sl_store_filter f;
	sl_store_filter_init(&f);
	f.capture = x->capture;
	f.index = call->index;
	x->emitted = call;
	unsigned before = x->compared;
	SL_CHECK(&ts, sl_store_load(x->store, &f, compare_loaded, x) == SL_OK);
	SL_CHECK_MSG(&ts, x->compared == before + 1, "%s call %u: not loaded", x->cap, call->index);
	return SL_OK;
}

/* Every call of cap, analysed again, against capture id of db. */
static void
compare_models(const char *db, const char *cap, int64_t id)
{
	struct sl_store_opts o;
	sl_store_opts_default(&o);
	struct run x = { .cap = cap, .capture = id };
	struct sl_store_error err;
	if (sl_store_open(&x.store, db, &o, &err) != SL_OK) {
		SL_CHECK_MSG(&ts, false, "%s", err.msg);
		return;
	}
	struct sl_sink sink = { .call = on_compare, .user = &x };
	struct sl_run_opts ro;
	sl_run_opts_default(&ro);
	char errbuf[SL_ERRBUF_SIZE];
	struct sl_input *in = NULL;
	SL_CHECK(&ts, sl_input_open(&in, &cap, 1, errbuf) == SL_OK);
	struct sl_engine *eng = sl_engine_new(&ro, &sink, 1);
	SL_CHECK(&ts, eng != NULL);
	SL_CHECK(&ts, sl_pipeline_run(in, eng, &sl_clock_monotonic) == SL_OK);
	SL_CHECK_MSG(&ts, x.compared == sl_engine_stats(eng)->calls_emitted,
	    "%s: %u calls compared", cap, x.compared);
	sl_engine_free(eng);
	sl_input_close(in);
	SL_CHECK(&ts, sl_store_close(x.store) == SL_OK);
}

static enum sl_err
on_end(void *user, const struct sl_run_stats *st)
{
	((struct run *)user)->st = *st;
	return SL_OK;
}

/* Imports cap into db; the renderings of the run in *r (NULL: none). */
static int64_t
import(const char *db, const char *cap, struct render *r, uint64_t *stored, uint64_t *skipped,
    struct sl_run_stats *st)
{
	struct sl_store_opts o;
	sl_store_opts_default(&o);
	o.mode = SL_STORE_WRITE;
	o.batch_calls = 3;		/* several batches, even for small captures */
	struct run x = { .cap = cap };
	struct sl_store_error err;
	if (sl_store_open(&x.store, db, &o, &err) != SL_OK) {
		SL_CHECK_MSG(&ts, false, "%s", err.msg);
		return 0;
	}
	render_init(&x.r);
	struct sl_store_sink_opts so = { .capture = { .source = cap } };
	struct sl_sink sinks[2];
	SL_CHECK(&ts, sl_store_sink_new(x.store, &so, &x.sink, &sinks[1]) == SL_OK);
	sinks[0] = (struct sl_sink){ .begin = on_begin, .call = on_call, .end = on_end, .user = &x };
	struct sl_run_opts ro;
	sl_run_opts_default(&ro);
	char errbuf[SL_ERRBUF_SIZE];
	struct sl_input *in = NULL;
	SL_CHECK(&ts, sl_input_open(&in, &cap, 1, errbuf) == SL_OK);
	struct sl_engine *eng = sl_engine_new(&ro, sinks, 2);
	SL_CHECK(&ts, eng != NULL);
	enum sl_err e = sl_pipeline_run(in, eng, &sl_clock_monotonic);
	SL_CHECK_MSG(&ts, e == SL_OK, "%s: %s / %s", cap, sl_strerror(e),
	    sl_store_error(x.store)->msg);
	sl_engine_free(eng);
	sl_input_close(in);
	int64_t id = sl_store_sink_capture(x.sink);
	sl_store_sink_counts(x.sink, stored, skipped);
	sl_store_sink_free(x.sink);
	SL_CHECK(&ts, sl_store_close(x.store) == SL_OK);
	if (st)
		*st = x.st;
	if (r)
		*r = x.r;
	else
		render_free(&x.r);
	return id;
}

/* ----- reading back into a second set of renderings ----- */

struct back {
	struct render r;
	unsigned n;
	unsigned analysed_differ;
};

static enum sl_err
on_loaded(void *user, struct sl_call *call, const struct sl_store_call_ref *ref)
{
	struct back *b = user;
	b->r.base = ref->base_ts;
	enum sl_err e = render_call(&b->r, call);
	/* the stored verdict against a fresh analysis of the loaded call */
	struct sl_call_summary sum = call->sum;
	unsigned n = call->n_findings;
	struct sl_finding *f = malloc((n ? n : 1) * sizeof *f);
	if (f == NULL)
		return SL_ENOMEM;
	if (n)
		memcpy(f, call->findings, n * sizeof *f);
	SL_CHECK(&ts, sl_call_analyze(call) == SL_OK);
	const char *d = tu_sum_diff(&sum, &call->sum);
	if (d == NULL)
		d = tu_findings_diff(call, f, n, call, call->findings, call->n_findings);
	SL_CHECK_MSG(&ts, d == NULL, "call %u: analysis disagrees with the store on %s",
	    call->index, d);
	free(f);
	b->n++;
	return e;
}

struct cap_seen {
	int64_t id;
	struct sl_store_capture c;
	unsigned n;
	char source[512];
	char skip_id[32][64];
	uint64_t skip_count[32];
};

static enum sl_err
on_capture(void *user, const struct sl_store_capture *c)
{
	struct cap_seen *s = user;
	s->c = *c;
	snprintf(s->source, sizeof s->source, "%s", c->source);
	for (size_t i = 0; i < c->totals.n_skipped && i < 32; i++) {
		snprintf(s->skip_id[i], sizeof s->skip_id[i], "%s", c->totals.skipped[i].id);
		s->skip_count[i] = c->totals.skipped[i].count;
	}
	s->c.totals.skipped = NULL;
	s->n++;
	return SL_OK;
}

static void
round_trip(const char *cap)
{
	char db[512];
	tu_path(db, sizeof db, "rt");
	struct render orig;
	uint64_t stored = 0, skipped = 0;
	struct sl_run_stats st;
	int64_t id = import(db, cap, &orig, &stored, &skipped, &st);
	SL_CHECK_MSG(&ts, stored == orig.n && skipped == 0, "%s: %llu stored, %u emitted", cap,
	    (unsigned long long)stored, orig.n);
	compare_models(db, cap, id);

	struct sl_store_opts o;
	sl_store_opts_default(&o);
	struct sl_store *s;
	struct sl_store_error err;
	SL_CHECK(&ts, sl_store_open(&s, db, &o, &err) == SL_OK);
	struct back b;
	memset(&b, 0, sizeof b);
	render_init(&b.r);
	struct sl_store_filter f;
	sl_store_filter_init(&f);
	f.capture = id;
	SL_CHECK(&ts, sl_store_load(s, &f, on_loaded, &b) == SL_OK);
	SL_CHECK_MSG(&ts, b.n == orig.n, "%s: %u calls back of %u", cap, b.n, orig.n);
	render_compare(cap, &orig, &b.r);

	/* the capture's record: the summary line's every number */
	struct cap_seen cs = { 0 };
	SL_CHECK(&ts, sl_store_captures(s, id, on_capture, &cs) == SL_OK);
	SL_CHECK(&ts, cs.n == 1 && cs.c.finished && strcmp(cs.source, cap) == 0);
	const struct sl_store_totals *t = &cs.c.totals;
	SL_CHECK_MSG(&ts, t->frames == st.frames && t->sip_messages == st.corr.sip_msgs &&
	    t->sip_retrans == st.corr.sip_retrans && t->rtp_packets == st.corr.rtp_packets &&
	    t->rtcp_packets == st.corr.rtcp_packets && t->anomalies == st.anomalies &&
	    t->icmp_attributed == st.corr.icmp_attributed &&
	    t->icmp_unattributed == st.corr.icmp_unattributed &&
	    t->calls + t->registrations == orig.n && t->calls_stored == orig.n &&
	    t->have_start == st.have_first && (!t->have_start || t->start_ts == st.first_ts),
	    "%s: capture record differs from the run", cap);
	struct sl_run_count rc[32];
	size_t nk = sl_run_skipped(&st, rc, 32);
	SL_CHECK(&ts, nk == t->n_skipped);
	for (size_t i = 0; i < nk && i < t->n_skipped; i++)
		SL_CHECK(&ts, strcmp(rc[i].id, cs.skip_id[i]) == 0 &&
		    rc[i].count == cs.skip_count[i]);
	sl_store_close(s);

	/* again: nothing new, each call named as skipped */
	uint64_t stored2 = 0, skipped2 = 0;
	import(db, cap, NULL, &stored2, &skipped2, NULL);
	SL_CHECK_MSG(&ts, stored2 == 0 && skipped2 == orig.n, "%s: re-import stored %llu, "
	    "skipped %llu of %u", cap, (unsigned long long)stored2,
	    (unsigned long long)skipped2, orig.n);
	SL_CHECK(&ts, tu_count(db, "SELECT count(*) FROM calls") == (long long)orig.n);
	SL_CHECK(&ts, tu_count(db, "SELECT count(*) FROM captures") == 2);
	SL_CHECK(&ts, tu_intact(db));
	render_free(&orig);
	render_free(&b.r);
	tu_rm(db);
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
main(void)
{
	const char *dir = SL_SOURCE_DIR "/sample-pcaps";
	DIR *d = opendir(dir);
	SL_CHECK(&ts, d != NULL);
	char *names[64];
	size_t n = 0;
	for (struct dirent *e; d && (e = readdir(d)) != NULL && n < 64;) {
		size_t len = strlen(e->d_name);
		if ((len > 5 && strcmp(e->d_name + len - 5, ".pcap") == 0) ||
		    (len > 7 && strcmp(e->d_name + len - 7, ".pcapng") == 0)) {
			size_t m = strlen(dir) + len + 2;
			names[n] = malloc(m);
			snprintf(names[n++], m, "%s/%s", dir, e->d_name);
		}
	}
	if (d)
		closedir(d);
	qsort(names, n, sizeof names[0], by_name);
	SL_CHECK(&ts, n >= 10);
	for (size_t i = 0; i < n; i++) {
		round_trip(names[i]);
		free(names[i]);
	}
	return sl_test_report(&ts, "test_store");
}
