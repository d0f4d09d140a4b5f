/* test_store_crash.c: kill -9 at any moment. A child stores calls as fast
 * as it can, in small batches, and after each commit tells the parent
 * through a pipe how many of its calls are committed; the parent kills it
 * at a random moment (fixed seed, bounded rounds): after a random number
 * of commits, read from the pipe, and a random few milliseconds more, so
 * that the moment does not depend on the machine's speed. It then checks that the
 * file passes PRAGMA integrity_check, opens for writing again, and holds
 * every call the child said was committed. Rounds share one file, so
 * later children also start on a file a kill left behind, and the first
 * one may die while creating the schema. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/unit/store_util.h"
#include "tests/unit/unit.h"

static SL_TEST_STATE(ts);

#define ROUNDS 16

struct child {
	int fd;
};

static void
report(void *user, const struct sl_store_stats *st)
{
	struct child *c = user;
	uint64_t n = st->calls_committed;
	/* a short write to a pipe cannot happen for 8 bytes */
	if (write(c->fd, &n, sizeof n) != (ssize_t)sizeof n)
		_exit(3);
}

static _Noreturn void
child(const char *db, int fd, unsigned round)
{
	struct child c = { fd };
	struct sl_store_opts o;
	sl_store_opts_default(&o);
	o.mode = SL_STORE_WRITE;
	o.batch_calls = 7;
	o.on_commit = report;
	o.commit_user = &c;
	struct sl_store *s;
	struct sl_store_error err;
	if (sl_store_open(&s, db, &o, &err) != SL_OK) {
		fprintf(stderr, "child: %s\n", err.msg);
		_exit(2);
	}
	char tag[32];
	snprintf(tag, sizeof tag, "r%u", round);
	int64_t cap;
	if (sl_store_capture_begin(s, &(struct sl_store_capture_info){ .source = tag }, &cap) !=
	    SL_OK)
		_exit(2);
	for (unsigned k = 0; k < 100000; k++) {
		struct sl_call *call = tu_synth_call(k, tag);
		bool skipped;
		enum sl_err e = sl_store_write_call(s, cap, call, &skipped);
		fx_free_call(call);
		if (e != SL_OK) {
			fprintf(stderr, "child: %s\n", sl_store_error(s)->msg);
			_exit(2);
		}
	}
	_exit(0);
}

static uint64_t
last_report(int fd, uint64_t n)
{
	uint64_t v;
	while (read(fd, &v, sizeof v) == (ssize_t)sizeof v)
		n = v;
	return n;
}

/* Reads reports until `want` commits were reported (or 30 s passed, or
 * the child died); returns the last count reported. */
static uint64_t
await_commits(int fd, unsigned want)
{
	uint64_t n = 0, v;
	for (unsigned got = 0; got < want;) {
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		if (poll(&pf, 1, 30000) <= 0 || read(fd, &v, sizeof v) != (ssize_t)sizeof v)
			break;
		n = v;
		got++;
	}
	return n;
}

int
main(void)
{
	char db[512];
	tu_path(db, sizeof db, "crash");
	srand(20261207);
	unsigned killed_mid_run = 0, aimed_mid_run = 0;
	for (unsigned round = 0; round < ROUNDS; round++) {
		int p[2];
		SL_CHECK(&ts, pipe(p) == 0);
		pid_t pid = fork();
		if (pid == 0) {
			close(p[0]);
			child(db, p[1], round);
		}
		close(p[1]);
		/* from before the file exists (no commit awaited, no delay) to
		 * deep in a run, and anywhere inside a batch */
		unsigned want = (unsigned)(rand() % 8);
		uint64_t seen = await_commits(p[0], want);
		aimed_mid_run += want > 0;
		struct timespec d = { 0, want ? (long)(rand() % 20) * 1000000L : 0 };
		nanosleep(&d, NULL);
		SL_CHECK(&ts, kill(pid, SIGKILL) == 0);
		int status = 0;
		SL_CHECK(&ts, waitpid(pid, &status, 0) == pid);
		bool was_killed = WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
		SL_CHECK_MSG(&ts, was_killed, "round %u: the child ended by itself (status %d)",
		    round, status);
		uint64_t reported = last_report(p[0], seen);
		close(p[0]);
		killed_mid_run += reported > 0;

		if (access(db, F_OK) != 0 && reported == 0)
			continue;	/* killed before it made the file */
		/* a writer recovers the WAL the kill left; readers then agree */
		struct sl_store_opts o;
		sl_store_opts_default(&o);
		o.mode = SL_STORE_WRITE;
		struct sl_store *s;
		struct sl_store_error err;
		SL_CHECK_MSG(&ts, sl_store_open(&s, db, &o, &err) == SL_OK, "round %u: %s", round,
		    err.msg);
		if (s)
			SL_CHECK(&ts, sl_store_check(s) == SL_OK);
		sl_store_close(s);
		SL_CHECK_MSG(&ts, tu_intact(db), "round %u", round);
		char sql[256];
		snprintf(sql, sizeof sql, "SELECT count(*) FROM calls c JOIN legs l ON l.call = c.id "
		    "AND l.seq = 0 WHERE l.call_id GLOB '*-A-r%u' AND c.idx <= %llu", round,
		    (unsigned long long)reported);
		long long have = tu_count(db, sql);
		SL_CHECK_MSG(&ts, have == (long long)reported, "round %u: %lld of the %llu calls "
		    "reported committed", round, have, (unsigned long long)reported);
		snprintf(sql, sizeof sql, "SELECT count(*) FROM messages m JOIN calls c ON c.id = "
		    "m.call JOIN legs l ON l.call = c.id AND l.seq = 0 WHERE l.call_id GLOB "
		    "'*-A-r%u' AND c.idx <= %llu", round, (unsigned long long)reported);
		SL_CHECK(&ts, tu_count(db, sql) == (long long)reported * 23);
	}
	/* even a file killed while being made frees pages to the file system */
	SL_CHECK(&ts, tu_count(db, "PRAGMA auto_vacuum") == 2);
	/* every kill aimed after a commit landed after one */
	SL_CHECK_MSG(&ts, killed_mid_run >= aimed_mid_run && aimed_mid_run >= ROUNDS / 2,
	    "%u kills after a commit, %u aimed", killed_mid_run, aimed_mid_run);
	tu_rm(db);
	return sl_test_report(&ts, "test_store_crash");
}
