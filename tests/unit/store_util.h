/* store_util.h: what the store tests share: unique temporary database
 * names, a query answered as one number (through the store's own --sql
 * runner: tests include no <sqlite3.h>), and the comparison of two call
 * models field by field. Header only: the test glob makes every
 * tests/unit/test_*.c a program. */
#ifndef SL_TEST_STORE_UTIL_H
#define SL_TEST_STORE_UTIL_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "engine/pipeline.h"
#include "model/model.h"
#include "store/store.h"
#include "tests/unit/fixture.h"

/* $TMPDIR/sl-store-<pid>-<n>-<what>.db; the caller removes it (tu_rm). */
static inline void
tu_path(char *out, size_t n, const char *what)
{
	static unsigned seq;	/* per test program: names stay unique */
	const char *dir = getenv("TMPDIR");
	snprintf(out, n, "%s/sl-store-%ld-%u-%s.db", dir && *dir ? dir : "/tmp", (long)getpid(),
	    seq++, what);
	unlink(out);
}

/* The database and the files SQLite keeps beside it. */
static inline void
tu_rm(const char *path)
{
	char side[600];
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-journal", path);
	unlink(side);
}

static inline enum sl_err
tu_collect(void *user, const char *p, size_t n)
{
	return sl_buf_add(user, p, n);
}

/* The rows of sql (TSV, header line included) on a read-only
 * connection; NULL when it fails (the error is printed). Free it. */
static inline char *
tu_query(const char *path, const char *sql)
{
	struct sl_store_opts o;
	sl_store_opts_default(&o);
	struct sl_store *s;
	struct sl_store_error err;
	if (sl_store_open(&s, path, &o, &err) != SL_OK) {
		fprintf(stderr, "tu_query: %s\n", err.msg);
		return NULL;
	}
	struct sl_buf b;
	sl_buf_init(&b, 1u << 26);
	enum sl_err e = sl_store_sql(s, sql, SL_STORE_SQL_TSV, tu_collect, &b);
	if (e == SL_OK)
		e = sl_buf_adds(&b, "");
	if (e != SL_OK)
		fprintf(stderr, "tu_query: %s\n", sl_store_error(s)->msg);
	sl_store_close(s);
	if (e != SL_OK) {
		sl_buf_free(&b);
		return NULL;
	}
	return b.p ? b.p : calloc(1, 1);
}

/* The first value of the first row of sql, as a number; -1 on failure. */
static inline long long
tu_count(const char *path, const char *sql)
{
	char *t = tu_query(path, sql);
	if (t == NULL)
		return -1;
	const char *nl = strchr(t, '\n');
	long long v = -1;
	if (nl && nl[1] >= '0' && nl[1] <= '9') {
		v = 0;
		for (const char *p = nl + 1; *p >= '0' && *p <= '9'; p++)
			v = v * 10 + (*p - '0');
	}
	free(t);
	return v;
}

/* PRAGMA integrity_check says ok, and the file opens. */
static inline bool
tu_intact(const char *path)
{
	struct sl_store_opts o;
	sl_store_opts_default(&o);
	struct sl_store *s;
	struct sl_store_error err;
	if (sl_store_open(&s, path, &o, &err) != SL_OK) {
		fprintf(stderr, "tu_intact: %s\n", err.msg);
		return false;
	}
	enum sl_err e = sl_store_check(s);
	if (e != SL_OK)
		fprintf(stderr, "tu_intact: %s\n", sl_store_error(s)->msg);
	sl_store_close(s);
	return e == SL_OK;
}

/* Imports the captures (merged, one run) into db with the engine and a
 * store sink; the sink's counts in *stored and *skipped (may be NULL).
 * Returns the capture's id, 0 on failure (printed). */
static inline int64_t
tu_import(const char *db, const char *const *caps, size_t n, uint64_t *stored,
    uint64_t *skipped)
{
	struct sl_store_opts o;
	sl_store_opts_default(&o);
	o.mode = SL_STORE_WRITE;
	struct sl_store *s;
	struct sl_store_error err;
	if (sl_store_open(&s, db, &o, &err) != SL_OK) {
		fprintf(stderr, "tu_import: %s\n", err.msg);
		return 0;
	}
	struct sl_store_sink *k = NULL;
	struct sl_sink sink;
	struct sl_store_sink_opts so = { .capture = { .source = caps[0] } };
	enum sl_err e = sl_store_sink_new(s, &so, &k, &sink);
	struct sl_run_opts ro;
	sl_run_opts_default(&ro);
	char errbuf[SL_ERRBUF_SIZE];
	struct sl_input *in = NULL;
	if (e == SL_OK)
		e = sl_input_open(&in, caps, n, errbuf);
	struct sl_engine *eng = e == SL_OK ? sl_engine_new(&ro, &sink, 1) : NULL;
	if (e == SL_OK)
		e = eng ? sl_pipeline_run(in, eng, &sl_clock_monotonic) : SL_ENOMEM;
	if (e != SL_OK)
		fprintf(stderr, "tu_import: %s: %s\n", sl_strerror(e), sl_store_error(s)->msg);
	sl_engine_free(eng);
	sl_input_close(in);
	int64_t id = k && e == SL_OK ? sl_store_sink_capture(k) : 0;
	if (k && stored && skipped)
		sl_store_sink_counts(k, stored, skipped);
	sl_store_sink_free(k);
	if (sl_store_close(s) != SL_OK)
		id = 0;
	return id;
}

/* The seed's B2BUA call made by hand (fixture.h), numbered k, its Call-IDs
 * "k-A-<tag>" and "k-B-<tag>", starting k ms later than the seed's. */
static inline struct sl_call *
tu_synth_call(unsigned k, const char *tag)
{
	struct sl_call *c = fx_seed_b2bua();
	c->index = k + 1;
	char cid[96];
	for (struct sl_leg *l = c->legs; l; l = l->next) {
		snprintf(cid, sizeof cid, "%u-%c-%s", k, l->name, tag);
		l->call_id = sl_arena_str(&c->arena, sl_str_c(cid));
		if (l->call_id.p == NULL)
			abort();
	}
	for (struct sl_msg *m = c->msgs; m; m = m->next)
		m->call_id = m->leg->call_id;
	c->first_ts += (int64_t)k * 1000000;
	return c;
}

/* ----- two call models, field by field ----- */

static inline bool
tu_str_same(struct sl_str a, struct sl_str b)
{
	return (a.p == NULL) == (b.p == NULL) && a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
}

static inline bool
tu_ep_same(const struct sl_endpoint *a, const struct sl_endpoint *b)
{
	return a->ip.family == b->ip.family && memcmp(a->ip.a, b->ip.a, 16) == 0 &&
	    a->port == b->port && a->transport == b->transport;
}

static inline bool
tu_dbl_same(double a, double b)
{
	return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0;
}

static inline long
tu_leg_pos(const struct sl_call *c, const struct sl_leg *p)
{
	long i = 0;
	for (const struct sl_leg *l = c->legs; l; l = l->next, i++)
		if (l == p)
			return i;
	return -1;
}

static inline long
tu_msg_pos(const struct sl_call *c, const struct sl_msg *p)
{
	long i = 0;
	for (const struct sl_msg *m = c->msgs; m; m = m->next, i++)
		if (m == p)
			return i;
	return -1;
}

static inline long
tu_stream_pos(const struct sl_call *c, const struct sl_stream *p)
{
	long i = 0;
	for (const struct sl_stream *s = c->streams; s; s = s->next, i++)
		if (s == p)
			return i;
	return -1;
}

#define TU_F(x) do { if (a->x != b->x) return #x; } while (0)
#define TU_S(x) do { if (!tu_str_same(a->x, b->x)) return #x; } while (0)
#define TU_E(x) do { if (!tu_ep_same(&a->x, &b->x)) return #x; } while (0)
#define TU_D(x) do { if (!tu_dbl_same(a->x, b->x)) return #x; } while (0)

static inline const char *
tu_auth_diff(const struct sl_call *ca, const struct sl_auth *a, const struct sl_call *cb,
    const struct sl_auth *b)
{
	TU_F(challenges); TU_F(status); TU_F(credentials); TU_F(authorised); TU_F(failed);
	TU_S(user); TU_S(realm);
	if (tu_msg_pos(ca, a->last_challenge) != tu_msg_pos(cb, b->last_challenge))
		return "auth.last_challenge";
	return NULL;
}

static inline const char *
tu_leg_diff(const struct sl_call *ca, const struct sl_leg *a, const struct sl_call *cb,
    const struct sl_leg *b)
{
	TU_F(name); TU_F(kind); TU_S(call_id); TU_S(from_user); TU_S(to_user); TU_S(ruri);
	TU_E(uac); TU_E(uas); TU_F(first_ts); TU_F(last_ts); TU_F(n_msgs);
	TU_F(first_max_forwards); TU_F(n_attempts); TU_F(invite_ts); TU_F(auth_invite_ts);
	TU_F(ring_ts); TU_F(answer_ts); TU_F(final_status); TU_F(last_invite_status);
	TU_S(final_reason); TU_F(cancelled); TU_F(bye_ts); TU_F(bye_by); TU_S(bye_reason);
	TU_F(bye_status); TU_F(bye_done_ts); TU_F(join_ev); TU_F(join_conf);
	TU_F(join_delay_ns); TU_F(join_mf_parent); TU_F(join_mf_self);
	if (tu_msg_pos(ca, a->last_bye) != tu_msg_pos(cb, b->last_bye))
		return "leg.last_bye";
	if (tu_leg_pos(ca, a->joined_to) != tu_leg_pos(cb, b->joined_to))
		return "leg.joined_to";
	if (a->call != ca || b->call != cb)
		return "leg.call";
	for (int r = 0; r < SL_AUTH_N; r++) {
		const char *d = tu_auth_diff(ca, &a->auth[r], cb, &b->auth[r]);
		if (d)
			return d;
	}
	return NULL;
}

static inline const char *
tu_msg_diff(const struct sl_call *ca, const struct sl_msg *a, const struct sl_call *cb,
    const struct sl_msg *b)
{
	TU_F(frame); TU_F(ts_ns); TU_E(src); TU_E(dst); TU_F(size); TU_F(is_request);
	TU_F(method_id); TU_S(method); TU_F(status); TU_S(reason); TU_S(ruri); TU_S(call_id);
	TU_S(from_user); TU_S(from_tag); TU_S(to_user); TU_S(to_tag); TU_S(from_uri);
	TU_S(to_uri); TU_F(cseq); TU_S(branch); TU_F(max_forwards); TU_S(contact);
	TU_F(expires); TU_S(reason_hdr); TU_S(user_agent); TU_S(xcid); TU_F(has_auth);
	TU_F(auth_proxy); TU_S(auth_user); TU_S(auth_realm); TU_F(has_challenge);
	TU_F(chal_proxy); TU_S(chal_realm); TU_F(chal_stale); TU_F(has_sdp); TU_S(sdp_codec);
	TU_E(sdp_media); TU_F(retrans); TU_F(retrans_count); TU_F(retrans_last_ts);
	TU_F(n_anomalies); TU_S(raw);
	for (unsigned i = 0; i < a->n_anomalies; i++)
		if (strcmp(a->anomalies[i], b->anomalies[i]) != 0)
			return "msg.anomalies";
	if (tu_leg_pos(ca, a->leg) != tu_leg_pos(cb, b->leg))
		return "msg.leg";
	return NULL;
}

static inline const char *
tu_stream_diff(const struct sl_call *ca, const struct sl_stream *a, const struct sl_call *cb,
    const struct sl_stream *b)
{
	TU_F(ssrc); TU_F(clock_rate); TU_F(packets); TU_D(jitter_ms); TU_D(max_jitter_ms);
	TU_D(mean_jitter_ms); TU_D(max_delta_ms); TU_F(first_ts); TU_F(last_ts); TU_E(src);
	TU_E(dst); TU_F(pt); TU_S(codec); TU_F(expected); TU_F(lost); TU_F(dups);
	TU_F(out_of_order); TU_F(pt_changes); TU_F(marker); TU_F(rtcp_packets);
	TU_F(after_bye_packets); TU_F(after_bye_first_ts); TU_F(after_bye_last_ts);
	TU_F(icmp_unreachable); TU_F(icmp_first_ts); TU_F(icmp_last_ts);
	if (tu_leg_pos(ca, a->leg) != tu_leg_pos(cb, b->leg))
		return "stream.leg";
	return NULL;
}

static inline const char *
tu_reg_diff(const struct sl_reg *a, const struct sl_reg *b)
{
	TU_S(user); TU_S(contact); TU_F(expires_req); TU_F(expires); TU_F(unregister);
	TU_F(challenges); TU_F(result); TU_S(auth_user); TU_F(start_ts); TU_F(end_ts);
	TU_F(n_msgs);
	return NULL;
}

static inline const char *
tu_sum_diff(const struct sl_call_summary *a, const struct sl_call_summary *b)
{
	TU_F(state); TU_F(status); TU_F(hangup_by); TU_S(from_user); TU_S(to_user);
	TU_S(callee_user); TU_S(reason); TU_F(setup_ns); TU_F(talk_ns); TU_F(duration_ns);
	TU_F(invite_challenges); TU_F(bye_challenges); TU_F(challenges);
	TU_F(challenge_status); TU_F(credentials); TU_F(authorised); TU_F(auth_failed);
	TU_F(auth_pending); TU_F(rtp_packets); TU_F(rtp_lost); TU_F(after_bye_packets);
	TU_F(icmp_unreachable);
	return NULL;
}

static inline const char *
tu_finding_diff(const struct sl_call *ca, const struct sl_finding *a, const struct sl_call *cb,
    const struct sl_finding *b)
{
	TU_F(kind); TU_F(req); TU_F(status); TU_F(first_ts); TU_F(last_ts); TU_F(count);
	TU_F(icmp);
	if (tu_leg_pos(ca, a->leg) != tu_leg_pos(cb, b->leg))
		return "finding.leg";
	if (tu_msg_pos(ca, a->msg) != tu_msg_pos(cb, b->msg))
		return "finding.msg";
	if (tu_stream_pos(ca, a->stream) != tu_stream_pos(cb, b->stream))
		return "finding.stream";
	return NULL;
}

/* Findings only (with their references): analysis against the store. */
static inline const char *
tu_findings_diff(const struct sl_call *ca, const struct sl_finding *fa, unsigned na,
    const struct sl_call *cb, const struct sl_finding *fb, unsigned nb)
{
	if (na != nb)
		return "n_findings";
	for (unsigned i = 0; i < na; i++) {
		const char *d = tu_finding_diff(ca, &fa[i], cb, &fb[i]);
		if (d)
			return d;
	}
	return NULL;
}

/* NULL when a and b hold the same facts; else the first field that
 * differs. */
static inline const char *
tu_call_diff(const struct sl_call *a, const struct sl_call *b)
{
	TU_F(index); TU_F(kind); TU_F(n_legs); TU_F(n_msgs); TU_F(msgs_dropped);
	TU_F(n_streams); TU_F(n_regs); TU_F(first_ts); TU_F(last_ts); TU_F(first_frame);
	const char *d = tu_sum_diff(&a->sum, &b->sum);
	if (d)
		return d;
	const struct sl_leg *la = a->legs, *lb = b->legs;
	for (; la && lb && !d; la = la->next, lb = lb->next)
		d = tu_leg_diff(a, la, b, lb);
	if (d || la || lb)
		return d ? d : "legs";
	const struct sl_msg *ma = a->msgs, *mb = b->msgs;
	for (; ma && mb && !d; ma = ma->next, mb = mb->next)
		d = tu_msg_diff(a, ma, b, mb);
	if (d || ma || mb)
		return d ? d : "msgs";
	if (tu_msg_pos(a, a->msgs_tail) != tu_msg_pos(b, b->msgs_tail))
		return "msgs_tail";
	const struct sl_stream *sa = a->streams, *sb = b->streams;
	for (; sa && sb && !d; sa = sa->next, sb = sb->next)
		d = tu_stream_diff(a, sa, b, sb);
	if (d || sa || sb)
		return d ? d : "streams";
	const struct sl_reg *ra = a->regs, *rb = b->regs;
	for (; ra && rb && !d; ra = ra->next, rb = rb->next)
		d = tu_reg_diff(ra, rb);
	if (d || ra || rb)
		return d ? d : "regs";
	return tu_findings_diff(a, a->findings, a->n_findings, b, b->findings, b->n_findings);
}

#undef TU_F
#undef TU_S
#undef TU_E
#undef TU_D

#endif
