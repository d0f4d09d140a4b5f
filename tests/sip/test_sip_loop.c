/* test_sip_loop.c: event loop (timer order, cancel, no spinning on
 * self-re-arming timers, fd callbacks with deletion during dispatch,
 * SIGTERM through signalfd) and the id generator. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "sip/ids.h"
#include "sip/loop.h"
#include "tests/unit/unit.h"

static SL_TEST_STATE(ts);

struct clk {
	uint64_t now;
	char order[32];
	int n;
	uint64_t cancel_me;
};

static uint64_t
fake(void *arg)
{
	return ((struct clk *)arg)->now;
}

static void
mark(struct sl_loop *l, uint64_t id, void *arg)
{
	struct clk *c = arg;

	(void)l;
	(void)id;
	if (c->n < 31)
		c->order[c->n++] = 'x';
}

static void
mark_a(struct sl_loop *l, uint64_t id, void *arg)
{
	struct clk *c = arg;

	(void)l;
	(void)id;
	c->order[c->n++] = 'a';
}

static void
mark_b(struct sl_loop *l, uint64_t id, void *arg)
{
	struct clk *c = arg;

	(void)id;
	c->order[c->n++] = 'b';
	/* cancelling a later timer from inside a callback */
	if (c->cancel_me) {
		SL_CHECK(&ts, sl_loop_timer_cancel(l, c->cancel_me));
		c->cancel_me = 0;
	}
}

static void
mark_c(struct sl_loop *l, uint64_t id, void *arg)
{
	struct clk *c = arg;

	(void)l;
	(void)id;
	c->order[c->n++] = 'c';
}

static void
rearm(struct sl_loop *l, uint64_t id, void *arg)
{
	(void)id;
	mark(l, 0, arg);
	if (((struct clk *)arg)->n < 2)
		sl_loop_timer_add(l, 0, rearm, arg);
}

static void
test_timers(void)
{
	struct clk c = { 1000, "", 0, 0 };
	struct sl_loop *l = sl_loop_new(0, 0);

	sl_loop_set_clock(l, fake, &c);
	SL_CHECK(&ts, sl_loop_now(l) == 1000);
	sl_loop_timer_add(l, 30, mark_c, &c);
	sl_loop_timer_add(l, 10, mark_a, &c);
	sl_loop_timer_add(l, 20, mark_b, &c);
	uint64_t victim = sl_loop_timer_add(l, 25, mark, &c);
	c.cancel_me = victim;
	sl_loop_timer_add(l, 10, mark_b, &c);	/* same deadline: insertion order */
	SL_CHECK(&ts, sl_loop_timer_count(l) == 5);
	c.now = 1009;
	SL_CHECK(&ts, sl_loop_run_timers(l) == 0);
	c.now = 1010;
	SL_CHECK(&ts, sl_loop_run_timers(l) == 2);
	/* the second b cancelled the 25 ms timer */
	SL_CHECK(&ts, c.cancel_me == 0 && !sl_loop_timer_cancel(l, victim));
	c.now = 1100;
	sl_loop_run_timers(l);
	c.order[c.n] = '\0';
	SL_CHECK_MSG(&ts, strcmp(c.order, "abbc") == 0, "order %s", c.order);
	SL_CHECK(&ts, sl_loop_timer_count(l) == 0);
	SL_CHECK(&ts, !sl_loop_timer_cancel(l, 0) && !sl_loop_timer_cancel(l, 12345));

	/* a timer re-arming itself with delay 0 fires once per pass */
	c.n = 0;
	sl_loop_timer_add(l, 0, rearm, &c);
	SL_CHECK(&ts, sl_loop_run_timers(l) == 1);
	SL_CHECK(&ts, sl_loop_run_timers(l) == 1);
	SL_CHECK(&ts, c.n == 2 && sl_loop_timer_count(l) == 0);

	/* many timers, random cancels: the heap stays consistent */
	struct sl_ids g;
	uint64_t ids[2000];
	sl_ids_seed(&g, 3);
	c.n = 0;
	for (int i = 0; i < 2000; i++)
		ids[i] = sl_loop_timer_add(l, 1 + sl_ids_below(&g, 500), mark, &c);
	int cancelled = 0;
	for (int i = 0; i < 2000; i += 3)
		cancelled += sl_loop_timer_cancel(l, ids[i]);
	size_t fired = 0;
	for (int step = 0; step < 600; step++) {
		c.now++;
		fired += sl_loop_run_timers(l);
	}
	SL_CHECK(&ts, fired + (size_t)cancelled == 2000 && sl_loop_timer_count(l) == 0);
	sl_loop_free(l);

	/* a cap on timers is honoured */
	l = sl_loop_new(0, 4);
	for (int i = 0; i < 4; i++)
		SL_CHECK(&ts, sl_loop_timer_add(l, 10, mark, &c) != 0);
	SL_CHECK(&ts, sl_loop_timer_add(l, 10, mark, &c) == 0);
	sl_loop_free(l);
}

struct fds {
	int p1[2], p2[2];
	int hits1, hits2;
};

static void
on_p1(struct sl_loop *l, int fd, unsigned ev, void *arg)
{
	struct fds *f = arg;
	char b[8];

	SL_CHECK(&ts, ev & SL_LOOP_READ);
	f->hits1++;
	SL_CHECK(&ts, read(fd, b, sizeof(b)) > 0);
	/* deleting the other fd during dispatch: its callback must not run */
	sl_loop_del_fd(l, f->p2[0]);
}

static void
on_p2(struct sl_loop *l, int fd, unsigned ev, void *arg)
{
	struct fds *f = arg;

	(void)l;
	(void)fd;
	(void)ev;
	f->hits2++;
}

static void
test_fds_and_signals(void)
{
	struct fds f = { { -1, -1 }, { -1, -1 }, 0, 0 };
	char err[SL_ERRBUF_SIZE];
	struct sl_loop *l = sl_loop_new(0, 0);

	SL_CHECK(&ts, pipe(f.p1) == 0 && pipe(f.p2) == 0);
	SL_CHECK(&ts, sl_loop_add_fd(l, f.p1[0], SL_LOOP_READ, on_p1, &f) == SL_OK);
	SL_CHECK(&ts, sl_loop_add_fd(l, f.p2[0], SL_LOOP_READ, on_p2, &f) == SL_OK);
	SL_CHECK(&ts, write(f.p1[1], "x", 1) == 1 && write(f.p2[1], "y", 1) == 1);
	SL_CHECK(&ts, sl_loop_run_once(l, 100, err) == SL_OK);
	SL_CHECK(&ts, f.hits1 == 1 && f.hits2 == 0);
	SL_CHECK(&ts, sl_loop_run_once(l, 10, err) == SL_OK);
	SL_CHECK(&ts, f.hits2 == 0);
	SL_CHECK(&ts, sl_loop_add_fd(l, -1, SL_LOOP_READ, on_p1, &f) == SL_EUSAGE);

	/* SIGTERM stops the loop through the signalfd, no handler involved */
	SL_CHECK(&ts, sl_loop_catch_signals(l, err) == SL_OK);
	SL_CHECK(&ts, raise(SIGTERM) == 0);
	SL_CHECK(&ts, sl_loop_run(l, err) == SL_OK);
	SL_CHECK(&ts, sl_loop_stopped(l) && sl_loop_stop_signal(l) == SIGTERM);
	sl_loop_free(l);	/* restores the mask: SIGTERM deliverable again */
	sigset_t cur;
	sigprocmask(SIG_BLOCK, NULL, &cur);
	SL_CHECK(&ts, !sigismember(&cur, SIGTERM));

	/* a plain timer wakes poll() */
	l = sl_loop_new(0, 0);
	struct clk c = { 0, "", 0, 0 };
	sl_loop_timer_add(l, 20, mark, &c);
	uint64_t t0 = sl_loop_now(l);
	for (int i = 0; i < 50 && c.n == 0; i++)
		sl_loop_run_once(l, -1, err);
	SL_CHECK(&ts, c.n == 1 && sl_loop_now(l) - t0 >= 20);
	sl_loop_free(l);
	close(f.p1[0]);
	close(f.p1[1]);
	close(f.p2[0]);
	close(f.p2[1]);
}

static void
test_ids(void)
{
	struct sl_ids a, b;
	char x[SL_IDS_BRANCH_LEN], y[SL_IDS_BRANCH_LEN], t[SL_IDS_TAG_LEN];
	char cid[SL_IDS_CALLID_LEN], h[SL_IDS_HEX_LEN];
	char err[SL_ERRBUF_SIZE];

	sl_ids_seed(&a, 99);
	sl_ids_seed(&b, 99);
	SL_CHECK(&ts, strcmp(sl_ids_branch(&a, x), sl_ids_branch(&b, y)) == 0);
	SL_CHECK(&ts, strncmp(x, "z9hG4bK", 7) == 0 && strlen(x) == 23);
	SL_CHECK(&ts, strcmp(sl_ids_branch(&a, x), y) != 0);
	sl_ids_tag(&a, t);
	SL_CHECK(&ts, strlen(t) >= 1 && strspn(t, "0123456789") == strlen(t));
	sl_ids_callid(&a, "127.0.0.50", cid);
	SL_CHECK(&ts, strstr(cid, "@127.0.0.50") != NULL);
	SL_CHECK(&ts, strlen(sl_ids_hex(&a, h)) == 16);
	for (int i = 0; i < 1000; i++)
		SL_CHECK(&ts, sl_ids_below(&a, 7) < 7);
	SL_CHECK(&ts, sl_ids_below(&a, 0) == 0);
	SL_CHECK(&ts, sl_ids_seed_random(&a, err) == SL_OK);
	SL_CHECK(&ts, strcmp(sl_ids_branch(&a, x), sl_ids_branch(&b, y)) != 0);
}

int
main(void)
{
	test_timers();
	test_fds_and_signals();
	test_ids();
	return sl_test_report(&ts, "sip.loop");
}
