/* test_pump.c: a capture arriving on a pipe that stays open. The engine
 * must emit each finished call once the pipe has been quiet for the
 * linger time on an injected clock, before the pipe closes; a pipe must
 * read exactly like the same capture from a file, however the bytes are
 * split; and a pipe that carries no capture is named, not waited on. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/pipeline.h"
#include "tests/unit/unit.h"

static SL_TEST_STATE(ts);

struct fake_clock {
	int64_t now;
};

static int64_t
fake_now(void *user)
{
	return ((struct fake_clock *)user)->now;
}

struct seen {
	unsigned begins, calls, ends;
	uint32_t index[16];
	int64_t at_end_frames;
};

static enum sl_err
on_begin(void *user, const struct sl_run_stats *st)
{
	(void)st;
	((struct seen *)user)->begins++;
	return SL_OK;
}

static enum sl_err
on_call(void *user, const struct sl_call *call, const struct sl_run_stats *st)
{
	(void)st;
	struct seen *s = user;
	if (s->calls < 16)
		s->index[s->calls] = call->index;
	s->calls++;
	return SL_OK;
}

static enum sl_err
on_end(void *user, const struct sl_run_stats *st)
{
	struct seen *s = user;
	s->ends++;
	s->at_end_frames = (int64_t)st->frames;
	return SL_OK;
}

static uint8_t *
slurp(const char *name, size_t *n)
{
	char path[512];
	snprintf(path, sizeof path, "%s/sample-pcaps/%s", SL_SOURCE_DIR, name);
	FILE *fp = fopen(path, "rb");
	if (fp == NULL) {
		perror(path);
		exit(1);
	}
	uint8_t *b = malloc(1u << 20);
	*n = fread(b, 1, 1u << 20, fp);
	fclose(fp);
	return b;
}

struct rig {
	int wfd;
	char path[32];
	struct sl_input *in;
	struct sl_engine *eng;
	struct sl_pump pump;
	struct fake_clock clock;
	struct sl_clock clk;
	struct seen seen;
};

static void
rig_open(struct rig *r, const struct sl_run_opts *o)
{
	memset(r, 0, sizeof *r);
	int fds[2];
	if (pipe(fds) != 0) {
		perror("pipe");
		exit(1);
	}
	r->wfd = fds[1];
	/* the writer must never block the test: the pump drains between writes */
	fcntl(r->wfd, F_SETFL, O_NONBLOCK);
	snprintf(r->path, sizeof r->path, "/dev/fd/%d", fds[0]);
	const char *paths[1] = { r->path };
	char errbuf[SL_ERRBUF_SIZE];
	SL_CHECK(&ts, sl_input_open(&r->in, paths, 1, errbuf) == SL_OK);
	close(fds[0]);	/* the input opened its own descriptor */
	SL_CHECK(&ts, sl_input_is_stream(r->in));
	struct sl_sink sink = { .begin = on_begin, .call = on_call, .end = on_end, .user = &r->seen };
	r->eng = sl_engine_new(o, &sink, 1);
	SL_CHECK(&ts, r->eng != NULL);
	r->clock.now = 1000000000LL;
	r->clk = (struct sl_clock){ fake_now, &r->clock };
	sl_pump_init(&r->pump, r->in, r->eng, &r->clk);
}

/* One step without waiting; false at end of input. */
static bool
step(struct rig *r)
{
	bool eof = false;
	SL_CHECK(&ts, sl_pump_step(&r->pump, 0, &eof) == SL_OK);
	return !eof;
}

/* Writes data in pieces of the given sizes (cycled), stepping the pump
 * whenever the pipe is full and after every piece. */
static void
feed(struct rig *r, const uint8_t *data, size_t n, const size_t *sizes, size_t n_sizes)
{
	size_t off = 0;
	for (unsigned guard = 0, i = 0; off < n && guard < 1000000; guard++) {
		size_t k = sizes[i++ % n_sizes];
		if (k > n - off)
			k = n - off;
		ssize_t w = write(r->wfd, data + off, k);
		if (w > 0)
			off += (size_t)w;
		step(r);
	}
	SL_CHECK(&ts, off == n);
}

static void
rig_close(struct rig *r)
{
	if (r->wfd >= 0)
		close(r->wfd);
	sl_engine_free(r->eng);
	sl_input_close(r->in);
}

/* The seed's B2BUA call with both registrations, written into a pipe that
 * stays open: nothing is emitted while the engine clock stands still,
 * everything once it has been quiet for the linger time. */
static void
test_quiet_pipe_emits(void)
{
	size_t n;
	uint8_t *cap = slurp("b2bua-auth.pcap", &n);
	struct sl_run_opts o;
	sl_run_opts_default(&o);
	o.corr.max_waiting = 0;
	struct rig r;
	rig_open(&r, &o);
	static const size_t sizes[] = { 1, 3, 7, 24, 1000, 4093, 16, 65536 };
	feed(&r, cap, n, sizes, sizeof sizes / sizeof sizes[0]);
	for (int i = 0; i < 4; i++)
		SL_CHECK(&ts, step(&r));
	const struct sl_run_stats *st = sl_engine_stats(r.eng);
	SL_CHECK_MSG(&ts, st->frames == 668, "frames %llu", (unsigned long long)st->frames);
	SL_CHECK(&ts, r.seen.begins == 1);
	SL_CHECK_MSG(&ts, r.seen.calls == 0, "%u calls before any quiet", r.seen.calls);

	r.clock.now += 5LL * 1000000000LL;	/* half the linger */
	SL_CHECK(&ts, step(&r));
	SL_CHECK_MSG(&ts, r.seen.calls == 0, "%u calls after 5 s", r.seen.calls);

	r.clock.now += 6LL * 1000000000LL;	/* past the linger */
	SL_CHECK(&ts, step(&r));
	SL_CHECK_MSG(&ts, r.seen.calls == 3, "%u calls after 11 s quiet", r.seen.calls);
	SL_CHECK(&ts, r.seen.ends == 0);	/* the pipe is still open */

	close(r.wfd);
	r.wfd = -1;
	bool more = true;
	for (int guard = 0; more && guard < 100; guard++)
		more = step(&r);
	SL_CHECK(&ts, !more);
	SL_CHECK(&ts, sl_engine_finish(r.eng) == SL_OK);
	SL_CHECK(&ts, r.seen.calls == 3 && r.seen.ends == 1 && r.seen.at_end_frames == 668);
	rig_close(&r);
	free(cap);
}

/* Whatever the split, a pipe yields the same frames as the file. */
static void
test_pipe_equals_file(const char *name)
{
	size_t n;
	uint8_t *cap = slurp(name, &n);
	char path[512];
	snprintf(path, sizeof path, "%s/sample-pcaps/%s", SL_SOURCE_DIR, name);
	const char *paths[1] = { path };
	char errbuf[SL_ERRBUF_SIZE];
	struct sl_input *fin;
	SL_CHECK(&ts, sl_input_open(&fin, paths, 1, errbuf) == SL_OK);
	SL_CHECK(&ts, !sl_input_is_stream(fin));
	struct sl_run_opts o;
	sl_run_opts_default(&o);
	struct seen fseen = { 0 };
	struct sl_sink fsink = { .begin = on_begin, .call = on_call, .end = on_end, .user = &fseen };
	struct sl_engine *feng = sl_engine_new(&o, &fsink, 1);
	SL_CHECK(&ts, sl_pipeline_run(fin, feng, &sl_clock_monotonic) == SL_OK);

	static const size_t split[3][4] = { { 1, 1, 1, 1 }, { 5, 17, 131, 9 },
		{ 65536, 65536, 65536, 65536 } };
	for (size_t s = 0; s < 3; s++) {
		struct rig r;
		rig_open(&r, &o);
		feed(&r, cap, n, split[s], 4);
		close(r.wfd);
		r.wfd = -1;
		for (int guard = 0; step(&r) && guard < 100; guard++)
			;
		SL_CHECK(&ts, sl_engine_finish(r.eng) == SL_OK);
		SL_CHECK_MSG(&ts, r.seen.at_end_frames == fseen.at_end_frames,
		    "%s split %zu: %lld frames, file %lld", name, s,
		    (long long)r.seen.at_end_frames, (long long)fseen.at_end_frames);
		SL_CHECK(&ts, r.seen.calls == fseen.calls);
		rig_close(&r);
	}
	sl_engine_free(feng);
	sl_input_close(fin);
	free(cap);
}

/* Bytes that are no capture, and a capture cut inside a record: named
 * and counted, and the run ends. */
static void
test_bad_pipes(void)
{
	struct sl_run_opts o;
	sl_run_opts_default(&o);
	struct rig r;
	rig_open(&r, &o);
	static const size_t one[] = { 64 };
	static const uint8_t junk[64] = "GET / HTTP/1.1\r\nHost: example\r\n\r\n";
	feed(&r, junk, sizeof junk, one, 1);
	close(r.wfd);
	r.wfd = -1;
	for (int guard = 0; step(&r) && guard < 100; guard++)
		;
	const char *bad[2];
	size_t total = 0;
	SL_CHECK(&ts, sl_input_unreadable(r.in, bad, 2, &total) == 1 && total == 1);
	SL_CHECK_MSG(&ts, strstr(bad[0], "/dev/fd/") != NULL, "%s", bad[0]);
	rig_close(&r);

	size_t n;
	uint8_t *cap = slurp("register.pcap", &n);
	rig_open(&r, &o);
	feed(&r, cap, n - 10, one, 1);	/* the last record loses its tail */
	close(r.wfd);
	r.wfd = -1;
	for (int guard = 0; step(&r) && guard < 100; guard++)
		;
	SL_CHECK(&ts, sl_input_stats(r.in)->truncated_files == 1);
	rig_close(&r);
	free(cap);
}

int
main(void)
{
	test_quiet_pipe_emits();
	test_pipe_equals_file("b2bua-auth.pcap");
	test_pipe_equals_file("vlan-sll2.pcapng");
	test_pipe_equals_file("truncated.pcap");
	test_bad_pipes();
	return sl_test_report(&ts, "test_pump");
}
