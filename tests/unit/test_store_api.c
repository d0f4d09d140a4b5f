/* test_store_api.c: the store's reading side and upkeep. Values the
 * sample captures never hold survive a round trip (NULL against empty
 * strings, NaN, extreme counters, IPv6, TCP, no address); every search
 * criterion selects exactly the calls a scan of the loaded models
 * selects; captures are listed; --sql prints TSV and JSON and refuses to
 * write; pruning by age, count and size keeps the newest calls and a
 * sound file. */
#include <fnmatch.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/fixture.h"
#include "tests/unit/store_util.h"
#include "tests/unit/unit.h"

static SL_TEST_STATE(ts);

static struct sl_store *
open_store(const char *db, enum sl_store_mode mode)
{
	struct sl_store_opts o;
	sl_store_opts_default(&o);
	o.mode = mode;
	struct sl_store *s = NULL;
	struct sl_store_error err;
	if (sl_store_open(&s, db, &o, &err) != SL_OK)
		fprintf(stderr, "%s\n", err.msg);
	return s;
}

/* ----- odd values ----- */

static const struct sl_call *expect;

static enum sl_err
same_as_expected(void *user, struct sl_call *call, const struct sl_store_call_ref *ref)
{
	(void)ref;
	const char *d = tu_call_diff(expect, call);
	SL_CHECK_MSG(&ts, d == NULL, "hand-made call: %s differs", d);
	(*(unsigned *)user)++;
	return SL_OK;
}

static void
odd_values(void)
{
	char db[512];
	tu_path(db, sizeof db, "odd");
	struct sl_call *c = tu_synth_call(0, "odd");
	struct sl_msg *m = c->msgs;
	m->src = fx_ep("2001:db8::1", 5060);
	m->dst = fx_ep("::ffff:192.0.2.1", 5061);
	m->src.transport = SL_TP_TCP;
	m->dst.transport = 132;		/* SCTP: a number, not a name */
	m->from_tag = sl_str_make("", 0);	/* empty, not absent */
	m->raw = sl_str_make("", 0);
	m->next->raw = SL_STR("INVITE sip:2@x SIP/2.0\r\n\0binary\xff\r\n");
	m->sdp_media = (struct sl_endpoint){ .port = 4000 };	/* a port, no address */
	m->anomalies[0] = "sip.content_length";
	m->anomalies[1] = "udp.checksum";
	m->n_anomalies = 2;
	m->retrans_count = UINT32_MAX;
	m->expires = INT64_MIN;
	struct sl_stream *st = c->streams;
	st->jitter_ms = NAN;
	st->mean_jitter_ms = 1.0 / 3.0;
	st->max_delta_ms = 1e300;
	st->packets = UINT64_MAX;
	st->lost = INT64_MIN;
	st->leg = NULL;
	c->legs->auth[SL_AUTH_OTHER].user = sl_str_make("", 0);
	c->msgs_dropped = 7;
	c->first_frame = UINT64_MAX - 1;
	struct sl_reg *r = sl_call_new_reg(c);
	r->user = SL_STR("u\x01\xc3\xa9");
	r->unregister = true;
	r->result = 200;

	struct sl_store *s = open_store(db, SL_STORE_WRITE);
	int64_t cap = 0;
	bool skipped = true;
	SL_CHECK(&ts, s && sl_store_capture_begin(s, &(struct sl_store_capture_info){ .source = "hand" },
	    &cap) == SL_OK);
	SL_CHECK(&ts, sl_store_write_call(s, cap, c, &skipped) == SL_OK && !skipped);
	SL_CHECK(&ts, sl_store_commit(s) == SL_OK);
	sl_store_close(s);
	s = open_store(db, SL_STORE_READ);
	unsigned n = 0;
	expect = c;
	SL_CHECK(&ts, s && sl_store_load(s, NULL, same_as_expected, &n) == SL_OK && n == 1);
	sl_store_close(s);
	SL_CHECK(&ts, tu_count(db, "SELECT count(*) FROM messages WHERE raw IS NOT NULL AND "
	    "length(raw) = 0") == 1);
	SL_CHECK(&ts, tu_count(db, "SELECT count(*) FROM messages WHERE src_transport = 'tcp' "
	    "AND dst_transport = '132' AND src_ip = '2001:db8::1'") == 1);
	SL_CHECK(&ts, tu_intact(db));
	fx_free_call(c);
	tu_rm(db);
}

/* ----- search against a scan of the models ----- */

struct scan {
	uint64_t ids[256];
	size_t n;
};

static enum sl_err
keep_id(void *user, struct sl_call *call, const struct sl_store_call_ref *ref)
{
	(void)call;
	struct scan *sc = user;
	if (sc->n < 256)
		sc->ids[sc->n++] = (uint64_t)ref->id;
	return SL_OK;
}

static bool
glob(const char *pat, struct sl_str s)
{
	char tmp[256];
	if (s.p == NULL || s.n >= sizeof tmp)
		return false;
	memcpy(tmp, s.p, s.n);
	tmp[s.n] = '\0';
	return fnmatch(pat, tmp, 0) == 0;
}

static bool
number_match(const char *pat, struct sl_str s)
{
	const char *p = pat[0] == '+' ? pat + 1 : pat;
	char plus[128];
	snprintf(plus, sizeof plus, "+%s", p);
	return glob(p, s) || glob(plus, s);
}

/* What each filter means, said over the model. */
static bool
oracle(const struct sl_store_filter *f, const struct sl_call *c)
{
	const struct sl_leg *l;
	bool any;
	if (f->kind >= 0 && (int)c->kind != f->kind)
		return false;
	if (f->call_id) {
		any = false;
		for (l = c->legs; l; l = l->next)
			any |= sl_str_eq(l->call_id, sl_str_c(f->call_id));
		if (!any)
			return false;
	}
	if (f->user) {
		any = false;
		for (l = c->legs; l; l = l->next) {
			any |= glob(f->user, l->from_user) || glob(f->user, l->to_user);
			for (int r = 0; r < SL_AUTH_N; r++)
				any |= glob(f->user, l->auth[r].user);
		}
		for (const struct sl_reg *r = c->regs; r; r = r->next)
			any |= glob(f->user, r->user);
		if (!any)
			return false;
	}
	if (f->number) {
		any = false;
		for (l = c->legs; l; l = l->next)
			any |= number_match(f->number, l->from_user) ||
			    number_match(f->number, l->to_user);
		if (!any)
			return false;
	}
	if (f->since_ts && c->last_ts < f->since_ts)
		return false;
	if (f->until_ts && c->first_ts >= f->until_ts)
		return false;
	if (f->state && strcmp(f->state, sl_call_state_name(c->sum.state)) != 0)
		return false;
	if (f->auth_failed && !c->sum.auth_failed)
		return false;
	if (f->media_problems) {
		any = false;
		for (const struct sl_stream *s = c->streams; s; s = s->next)
			any |= s->lost != 0 || s->out_of_order || s->dups || s->after_bye_packets ||
			    s->icmp_unreachable;
		if (!any)
			return false;
	}
	return true;
}

static enum sl_err
count_call(void *user, struct sl_call *call, const struct sl_store_call_ref *ref)
{
	(void)call;
	(void)ref;
	(*(size_t *)user)++;
	return SL_OK;
}

struct judged {
	const struct sl_store_filter *f;
	uint64_t ids[256];
	size_t n;
};

static enum sl_err
judge(void *user, struct sl_call *call, const struct sl_store_call_ref *ref)
{
	struct judged *j = user;
	if (oracle(j->f, call) && j->n < 256)
		j->ids[j->n++] = (uint64_t)ref->id;
	return SL_OK;
}

static void
check_filter(struct sl_store *s, const char *what, const struct sl_store_filter *f,
    size_t total)
{
	struct scan got = { .n = 0 };
	SL_CHECK(&ts, sl_store_load(s, f, keep_id, &got) == SL_OK);
	/* the scan: every call, judged over the model */
	struct judged want = { .f = f };
	SL_CHECK(&ts, sl_store_load(s, NULL, judge, &want) == SL_OK);
	bool same = got.n == want.n;
	for (size_t i = 0; same && i < got.n; i++)
		same = got.ids[i] == want.ids[i];
	SL_CHECK_MSG(&ts, same, "search %s: %zu calls, the scan says %zu", what, got.n, want.n);
	SL_CHECK_MSG(&ts, got.n > 0 && got.n < total, "search %s selects %zu of %zu: not a test",
	    what, got.n, total);
}

static void
search(void)
{
	char db[512];
	tu_path(db, sizeof db, "search");
	const char *caps[] = {
		SL_SOURCE_DIR "/sample-pcaps/auth-failures.pcap",
		SL_SOURCE_DIR "/sample-pcaps/b2bua-lossy.pcap",
		SL_SOURCE_DIR "/sample-pcaps/register.pcap",
		SL_SOURCE_DIR "/sample-pcaps/direct-call.pcap",
		SL_SOURCE_DIR "/sample-pcaps/thirdparty-kamailio-sipp.pcap",
	};
	size_t ncap = sizeof caps / sizeof caps[0];
	for (size_t i = 0; i < ncap; i++)
		SL_CHECK(&ts, tu_import(db, &caps[i], 1, NULL, NULL) != 0);
	struct sl_store *s = open_store(db, SL_STORE_READ);
	SL_CHECK(&ts, s != NULL);
	if (s == NULL)
		return;
	size_t total = 0;
	SL_CHECK(&ts, sl_store_load(s, NULL, count_call, &total) == SL_OK);
	SL_CHECK(&ts, total > 8);

	struct sl_store_filter f;
	sl_store_filter_init(&f);
	f.user = "u1";
	check_filter(s, "user u1", &f, total);
	f.user = "u*";
	check_filter(s, "user u*", &f, total);
	sl_store_filter_init(&f);
	f.number = "2";
	check_filter(s, "number 2", &f, total);
	f.number = "+2";
	check_filter(s, "number +2", &f, total);
	sl_store_filter_init(&f);
	f.call_id = "495687575@192.168.1.50";
	check_filter(s, "call-id", &f, total);
	sl_store_filter_init(&f);
	f.state = "completed";
	check_filter(s, "state", &f, total);
	sl_store_filter_init(&f);
	f.auth_failed = true;
	check_filter(s, "auth failed", &f, total);
	sl_store_filter_init(&f);
	f.media_problems = true;
	check_filter(s, "media problems", &f, total);
	sl_store_filter_init(&f);
	f.since_ts = INT64_C(1243850400000000000) + INT64_C(20) * 1000000000;	/* 10:00:20 */
	f.until_ts = INT64_C(1243850400000000000) + INT64_C(3600) * 1000000000;
	check_filter(s, "time range", &f, total);
	sl_store_filter_init(&f);
	f.user = "u1";
	f.state = "completed";
	check_filter(s, "user and state", &f, total);

	/* a capture and a number within it; a kind; a limit */
	sl_store_filter_init(&f);
	f.capture = 1;
	f.index = 2;
	struct scan one = { .n = 0 };
	SL_CHECK(&ts, sl_store_load(s, &f, keep_id, &one) == SL_OK && one.n == 1);
	sl_store_filter_init(&f);
	f.kind = SL_CALL_REGISTER;
	check_filter(s, "registrations", &f, total);
	sl_store_filter_init(&f);
	f.limit = 3;
	struct scan three = { .n = 0 };
	SL_CHECK(&ts, sl_store_load(s, &f, keep_id, &three) == SL_OK && three.n == 3);
	sl_store_filter_init(&f);
	f.state = "bogus";
	SL_CHECK(&ts, sl_store_load(s, &f, keep_id, &three) == SL_EUSAGE &&
	    sl_store_error(s)->code == SL_STORE_EUSAGE);
	sl_store_close(s);
	SL_CHECK(&ts, tu_intact(db));
	tu_rm(db);
}

/* ----- captures, --sql ----- */

static enum sl_err
count_capture(void *user, const struct sl_store_capture *c)
{
	(*(unsigned *)user)++;
	SL_CHECK(&ts, c->finished && c->source && c->totals.frames > 0 && c->totals.have_start);
	return SL_OK;
}

static char *
sql_text(struct sl_store *s, const char *sql, enum sl_store_sql_format fmt, enum sl_err *e)
{
	struct sl_buf b;
	sl_buf_init(&b, 1u << 24);
	*e = sl_store_sql(s, sql, fmt, tu_collect, &b);
	sl_buf_adds(&b, "");
	return b.p;
}

static void
captures_and_sql(void)
{
	char db[512];
	tu_path(db, sizeof db, "sql");
	const char *cap[] = { SL_SOURCE_DIR "/sample-pcaps/b2bua-auth.pcap",
		SL_SOURCE_DIR "/sample-pcaps/direct-call.pcap" };
	SL_CHECK(&ts, tu_import(db, &cap[0], 1, NULL, NULL) == 1);
	SL_CHECK(&ts, tu_import(db, &cap[1], 1, NULL, NULL) == 2);
	struct sl_store *s = open_store(db, SL_STORE_READ);
	unsigned n = 0;
	SL_CHECK(&ts, s && sl_store_captures(s, 0, count_capture, &n) == SL_OK && n == 2);
	if (s == NULL)
		return;
	enum sl_err e;
	char *t = sql_text(s, "SELECT 1 AS one, 'a\tb\\c' AS s, NULL AS n, x'00ff' AS b, "
	    "1.5 AS r", SL_STORE_SQL_TSV, &e);
	SL_CHECK(&ts, e == SL_OK);
	fx_check_text(&ts, t, "one\ts\tn\tb\tr\n1\ta\\tb\\\\c\t\\N\t\\x00ff\t1.5\n", "TSV");
	free(t);
	t = sql_text(s, "SELECT 1 AS one, 'a\"b' AS s, NULL AS n, x'00ff' AS b; SELECT 2 AS two",
	    SL_STORE_SQL_JSON, &e);
	SL_CHECK(&ts, e == SL_OK);
	fx_check_text(&ts, t, "{\"one\":1,\"s\":\"a\\\"b\",\"n\":null,\"b\":\"00ff\"}\n"
	    "{\"two\":2}\n", "JSON");
	free(t);
	t = sql_text(s, "SELECT kind, state, from_user, to_user FROM calls ORDER BY first_ts",
	    SL_STORE_SQL_TSV, &e);
	fx_check_text(&ts, t, "kind\tstate\tfrom_user\tto_user\n"
	    "registration\tunregistered\tu2\tu2\nregistration\tunregistered\tu1\tu1\n"
	    "call\tcompleted\tu1\t2\ncall\tcompleted\tanonymous\t0\n", "calls by SQL");
	free(t);
	/* nothing that writes runs, not even after a reading statement */
	t = sql_text(s, "SELECT 1; DELETE FROM calls", SL_STORE_SQL_TSV, &e);
	SL_CHECK(&ts, e == SL_EUSAGE && sl_store_error(s)->code == SL_STORE_ESQL);
	SL_CHECK(&ts, t == NULL || t[0] == '\0');
	free(t);
	t = sql_text(s, "SELEC nonsense", SL_STORE_SQL_TSV, &e);
	SL_CHECK(&ts, e == SL_EUSAGE && sl_store_error(s)->code == SL_STORE_ESQL);
	free(t);
	t = sql_text(s, "PRAGMA user_version = 7", SL_STORE_SQL_TSV, &e);
	SL_CHECK(&ts, e == SL_EUSAGE);
	free(t);
	sl_store_close(s);
	SL_CHECK(&ts, tu_count(db, "SELECT count(*) FROM calls") == 4);
	SL_CHECK(&ts, tu_count(db, "PRAGMA user_version") == SL_STORE_SCHEMA);
	/* a writing store runs no --sql at all */
	s = open_store(db, SL_STORE_WRITE);
	t = sql_text(s, "SELECT 1", SL_STORE_SQL_TSV, &e);
	SL_CHECK(&ts, e == SL_EUSAGE);
	free(t);
	sl_store_close(s);
	SL_CHECK(&ts, tu_intact(db));
	tu_rm(db);
}

/* ----- batches by age, on an injected clock ----- */

static int64_t fake_now_ns;

static int64_t
fake_clock(void *user)
{
	(void)user;
	return fake_now_ns;
}

static void
counted(void *user, const struct sl_store_stats *st)
{
	*(uint64_t *)user = st->calls_committed;
}

static void
batches(void)
{
	char db[512];
	tu_path(db, sizeof db, "batch");
	struct sl_store_opts o;
	sl_store_opts_default(&o);
	o.mode = SL_STORE_WRITE;
	o.clock = fake_clock;
	o.batch_calls = 1000;
	uint64_t told = 0;
	o.on_commit = counted;
	o.commit_user = &told;
	struct sl_store *s = NULL;
	struct sl_store_error err;
	SL_CHECK(&ts, sl_store_open(&s, db, &o, &err) == SL_OK);
	if (s == NULL)
		return;
	int64_t cap = 0;
	bool skipped;
	fake_now_ns = 5000000000;
	SL_CHECK(&ts, sl_store_capture_begin(s, &(struct sl_store_capture_info){ .source = "b" },
	    &cap) == SL_OK);
	struct sl_call *c = tu_synth_call(0, "batch");
	SL_CHECK(&ts, sl_store_write_call(s, cap, c, &skipped) == SL_OK);
	fx_free_call(c);
	fake_now_ns += 999999999;		/* the batch is not a second old yet */
	SL_CHECK(&ts, sl_store_tick(s) == SL_OK);
	SL_CHECK(&ts, tu_count(db, "SELECT count(*) FROM calls") == 0 && told == 0);
	fake_now_ns += 1;
	SL_CHECK(&ts, sl_store_tick(s) == SL_OK);
	SL_CHECK(&ts, tu_count(db, "SELECT count(*) FROM calls") == 1 && told == 1);
	/* a write that finds the batch a second old commits it */
	c = tu_synth_call(1, "batch");
	SL_CHECK(&ts, sl_store_write_call(s, cap, c, &skipped) == SL_OK);
	fx_free_call(c);
	fake_now_ns += 1500000000;
	c = tu_synth_call(2, "batch");
	SL_CHECK(&ts, sl_store_write_call(s, cap, c, &skipped) == SL_OK);	/* commits */
	fx_free_call(c);
	SL_CHECK(&ts, tu_count(db, "SELECT count(*) FROM calls") == 3 && told == 3);
	c = tu_synth_call(3, "batch");
	SL_CHECK(&ts, sl_store_write_call(s, cap, c, &skipped) == SL_OK);
	fx_free_call(c);
	SL_CHECK(&ts, sl_store_commit(s) == SL_OK && told == 4);
	SL_CHECK(&ts, sl_store_stats(s)->commits == 3);
	SL_CHECK(&ts, sl_store_close(s) == SL_OK);
	SL_CHECK(&ts, tu_count(db, "SELECT count(*) FROM calls") == 4);
	SL_CHECK(&ts, tu_intact(db));
	tu_rm(db);
}

/* ----- retention ----- */

static void
fill(const char *db, unsigned n, const char *tag)
{
	struct sl_store *s = open_store(db, SL_STORE_WRITE);
	int64_t cap = 0;
	SL_CHECK(&ts, s && sl_store_capture_begin(s, &(struct sl_store_capture_info){ .source = tag },
	    &cap) == SL_OK);
	for (unsigned k = 0; s && k < n; k++) {
		struct sl_call *c = tu_synth_call(k, tag);
		bool skipped;
		SL_CHECK(&ts, sl_store_write_call(s, cap, c, &skipped) == SL_OK && !skipped);
		fx_free_call(c);
	}
	/* what the sink's end does: the capture is finished */
	struct sl_store_totals t = { .calls = n, .calls_stored = n };
	SL_CHECK(&ts, sl_store_capture_update(s, cap, &t, true) == SL_OK);
	SL_CHECK(&ts, sl_store_close(s) == SL_OK);
}

static void
prune(void)
{
	char db[512];
	tu_path(db, sizeof db, "prune");
	fill(db, 300, "old");
	struct sl_store *s = open_store(db, SL_STORE_WRITE);
	struct sl_store_pruned r;
	/* by count: the newest 250 stay */
	SL_CHECK(&ts, sl_store_prune(s, &(struct sl_store_prune){ .max_calls = 250 }, &r) == SL_OK);
	SL_CHECK(&ts, r.calls == 50 && r.captures == 0);
	sl_store_close(s);
	SL_CHECK(&ts, tu_count(db, "SELECT min(idx) FROM calls") == 51);
	/* by age: before call 101's start */
	int64_t t101 = FX_BASE_NS + INT64_C(100) * 1000000;
	s = open_store(db, SL_STORE_WRITE);
	SL_CHECK(&ts, sl_store_prune(s, &(struct sl_store_prune){ .before_ts = t101 }, &r) == SL_OK);
	SL_CHECK(&ts, r.calls == 50);
	sl_store_close(s);
	SL_CHECK(&ts, tu_count(db, "SELECT min(idx) FROM calls") == 101);
	SL_CHECK(&ts, tu_count(db, "SELECT count(*) FROM messages") == 200 * 23);
	/* by size: half the file */
	s = open_store(db, SL_STORE_WRITE);
	uint64_t size = 0;
	SL_CHECK(&ts, sl_store_vacuum(s) == SL_OK && sl_store_size(s, &size) == SL_OK);
	SL_CHECK(&ts, sl_store_prune(s, &(struct sl_store_prune){ .max_bytes = size / 2 },
	    &r) == SL_OK);
	SL_CHECK_MSG(&ts, r.calls > 0 && r.bytes_after <= size / 2 && r.bytes_before >= size,
	    "size: %llu -> %llu, limit %llu, %llu calls", (unsigned long long)r.bytes_before,
	    (unsigned long long)r.bytes_after, (unsigned long long)size / 2,
	    (unsigned long long)r.calls);
	sl_store_close(s);
	long long left = tu_count(db, "SELECT count(*) FROM calls");
	SL_CHECK_MSG(&ts, left > 0 && left < 200, "%lld calls left", left);
	SL_CHECK(&ts, tu_count(db, "SELECT max(idx) FROM calls") == 300);
	/* everything: the finished capture goes with its last call */
	s = open_store(db, SL_STORE_WRITE);
	SL_CHECK(&ts, sl_store_prune(s, &(struct sl_store_prune){ .max_calls = 0,
	    .before_ts = INT64_MAX }, &r) == SL_OK && r.captures == 1);
	sl_store_close(s);
	SL_CHECK(&ts, tu_count(db, "SELECT count(*) FROM captures") == 0);
	SL_CHECK(&ts, tu_count(db, "SELECT count(*) FROM messages") == 0);
	SL_CHECK(&ts, tu_count(db, "SELECT count(*) FROM leg_auth") == 0);
	SL_CHECK(&ts, tu_intact(db));
	tu_rm(db);
}

int
main(void)
{
	odd_values();
	search();
	captures_and_sql();
	batches();
	prune();
	return sl_test_report(&ts, "test_store_api");
}
