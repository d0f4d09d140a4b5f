/* loop.c: poll() + binary-heap timers + signalfd; see loop.h. Timer ids
 * carry their slot index in the low bits so cancel is O(log n) without a
 * lookup table, and a sequence number in the high bits so ids are never
 * reused and equal deadlines fire in insertion order. */
#include "sip/loop.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#define SLOT_BITS 24
#define SLOT_MASK ((UINT64_C(1) << SLOT_BITS) - 1)
#define DEF_MAX_FDS 4096
#define DEF_MAX_TIMERS (1u << 20)

struct timer {
	uint64_t when;
	uint64_t id;		/* 0 = free slot */
	sl_loop_timer_fn fn;
	void *arg;
	size_t pos;		/* index in heap */
};

struct fdent {
	int fd;			/* -1 = deleted, compacted after dispatch */
	unsigned events;
	uint64_t gen;		/* tells a re-added fd from the one polled */
	sl_loop_fd_fn fn;
	void *arg;
};

struct sl_loop {
	struct fdent *fds;
	size_t nfds, capfds, maxfds;
	uint64_t fdgen;
	bool dispatching;

	struct pollfd *pfds;	/* per-iteration snapshot of fds */
	uint64_t *pgen;
	size_t cappfds;

	struct timer *slots;
	size_t nslots, capslots, maxtimers;
	size_t *freelist;
	size_t nfree;
	size_t *heap;		/* slot indexes ordered by (when, id) */
	size_t nheap;
	uint64_t seq;

	sl_loop_clock_fn clock;
	void *clock_arg;
	uint64_t now;

	bool stop;
	int stop_sig;
	int sigfd;
	sigset_t oldmask;
	bool mask_saved;
};

static uint64_t
real_clock(void *arg)
{
	struct timespec ts;

	(void)arg;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

struct sl_loop *
sl_loop_new(size_t max_fds, size_t max_timers)
{
	struct sl_loop *l = calloc(1, sizeof(*l));

	if (l == NULL)
		return NULL;
	l->maxfds = max_fds ? max_fds : DEF_MAX_FDS;
	l->maxtimers = max_timers ? max_timers : DEF_MAX_TIMERS;
	if (l->maxtimers > SLOT_MASK)
		l->maxtimers = SLOT_MASK;
	l->clock = real_clock;
	l->sigfd = -1;
	l->now = l->clock(NULL);
	return l;
}

void
sl_loop_free(struct sl_loop *l)
{
	if (l == NULL)
		return;
	if (l->sigfd >= 0)
		close(l->sigfd);
	if (l->mask_saved)
		sigprocmask(SIG_SETMASK, &l->oldmask, NULL);
	free(l->fds);
	free(l->pfds);
	free(l->pgen);
	free(l->slots);
	free(l->freelist);
	free(l->heap);
	free(l);
}

/* ----- clock ----- */

uint64_t
sl_loop_now(struct sl_loop *l)
{
	return l->now;
}

static void
tick(struct sl_loop *l)
{
	uint64_t t = l->clock(l->clock_arg);

	if (t > l->now)	/* never backwards, even for a careless fake clock */
		l->now = t;
}

void
sl_loop_set_clock(struct sl_loop *l, sl_loop_clock_fn fn, void *arg)
{
	l->clock = fn ? fn : real_clock;
	l->clock_arg = fn ? arg : NULL;
	l->now = 0;
	tick(l);
}

/* ----- file descriptors ----- */

static struct fdent *
find_fd(struct sl_loop *l, int fd)
{
	for (size_t i = 0; i < l->nfds; i++)
		if (l->fds[i].fd == fd)
			return &l->fds[i];
	return NULL;
}

enum sl_err
sl_loop_add_fd(struct sl_loop *l, int fd, unsigned events, sl_loop_fd_fn fn,
    void *arg)
{
	struct fdent *e = fd >= 0 ? find_fd(l, fd) : NULL;

	if (fd < 0 || fn == NULL)
		return SL_EUSAGE;
	if (e == NULL) {
		if (l->nfds >= l->maxfds)
			return SL_ENOMEM;
		if (l->nfds == l->capfds) {
			size_t cap = l->capfds ? l->capfds * 2 : 16;
			struct fdent *p = realloc(l->fds, cap * sizeof(*p));
			if (p == NULL)
				return SL_ENOMEM;
			l->fds = p;
			l->capfds = cap;
		}
		e = &l->fds[l->nfds++];
		e->fd = fd;
		e->gen = ++l->fdgen;
	}
	e->events = events;
	e->fn = fn;
	e->arg = arg;
	return SL_OK;
}

static void
compact_fds(struct sl_loop *l)
{
	size_t j = 0;

	for (size_t i = 0; i < l->nfds; i++)
		if (l->fds[i].fd >= 0)
			l->fds[j++] = l->fds[i];
	l->nfds = j;
}

void
sl_loop_del_fd(struct sl_loop *l, int fd)
{
	struct fdent *e = fd >= 0 ? find_fd(l, fd) : NULL;

	if (e == NULL)
		return;
	/* during dispatch the snapshot refers to entries by index: mark now,
	 * compact once dispatch is over */
	e->fd = -1;
	if (!l->dispatching)
		compact_fds(l);
}

/* ----- timers: a binary min-heap of slot indexes ----- */

static bool
before(const struct sl_loop *l, size_t a, size_t b)
{
	const struct timer *x = &l->slots[a], *y = &l->slots[b];

	if (x->when != y->when)
		return x->when < y->when;
	return x->id < y->id;
}

static void
heap_set(struct sl_loop *l, size_t pos, size_t slot)
{
	l->heap[pos] = slot;
	l->slots[slot].pos = pos;
}

static void
sift_up(struct sl_loop *l, size_t pos)
{
	size_t slot = l->heap[pos];

	while (pos > 0) {
		size_t parent = (pos - 1) / 2;
		if (!before(l, slot, l->heap[parent]))
			break;
		heap_set(l, pos, l->heap[parent]);
		pos = parent;
	}
	heap_set(l, pos, slot);
}

static void
sift_down(struct sl_loop *l, size_t pos)
{
	size_t slot = l->heap[pos];

	for (;;) {
		size_t c = 2 * pos + 1;
		if (c >= l->nheap)
			break;
		if (c + 1 < l->nheap && before(l, l->heap[c + 1], l->heap[c]))
			c++;
		if (!before(l, l->heap[c], slot))
			break;
		heap_set(l, pos, l->heap[c]);
		pos = c;
	}
	heap_set(l, pos, slot);
}

static void
heap_remove(struct sl_loop *l, size_t pos)
{
	size_t last = l->heap[--l->nheap];

	if (pos == l->nheap)
		return;
	heap_set(l, pos, last);
	sift_down(l, pos);
	sift_up(l, l->slots[last].pos);
}

static void
slot_release(struct sl_loop *l, size_t slot)
{
	l->slots[slot].id = 0;
	l->slots[slot].fn = NULL;
	l->freelist[l->nfree++] = slot;
}

static bool
grow_timers(struct sl_loop *l)
{
	size_t cap = l->capslots ? l->capslots * 2 : 64;

	if (cap > l->maxtimers)
		cap = l->maxtimers;
	if (cap <= l->capslots)
		return false;
	struct timer *s = realloc(l->slots, cap * sizeof(*s));
	if (s == NULL)
		return false;
	l->slots = s;
	size_t *f = realloc(l->freelist, cap * sizeof(*f));
	if (f == NULL)
		return false;
	l->freelist = f;
	size_t *h = realloc(l->heap, cap * sizeof(*h));
	if (h == NULL)
		return false;
	l->heap = h;
	l->capslots = cap;
	return true;
}

uint64_t
sl_loop_timer_add(struct sl_loop *l, uint64_t delay_ms, sl_loop_timer_fn fn,
    void *arg)
{
	size_t slot;

	if (fn == NULL)
		return 0;
	if (l->nfree > 0) {
		slot = l->freelist[--l->nfree];
	} else {
		if (l->nslots == l->capslots && !grow_timers(l))
			return 0;
		slot = l->nslots++;
	}
	struct timer *t = &l->slots[slot];
	t->when = l->now + delay_ms;
	t->id = (++l->seq << SLOT_BITS) | slot;
	t->fn = fn;
	t->arg = arg;
	l->heap[l->nheap] = slot;
	l->slots[slot].pos = l->nheap++;
	sift_up(l, t->pos);
	return t->id;
}

bool
sl_loop_timer_cancel(struct sl_loop *l, uint64_t id)
{
	size_t slot = (size_t)(id & SLOT_MASK);

	if (id == 0 || slot >= l->nslots || l->slots[slot].id != id)
		return false;
	heap_remove(l, l->slots[slot].pos);
	slot_release(l, slot);
	return true;
}

size_t
sl_loop_timer_count(const struct sl_loop *l)
{
	return l->nheap;
}

size_t
sl_loop_run_timers(struct sl_loop *l)
{
	uint64_t seq_limit = l->seq;
	size_t fired = 0;

	tick(l);
	/* Bounded: each pass fires only timers that existed when it began. */
	while (l->nheap > 0) {
		size_t slot = l->heap[0];
		struct timer t = l->slots[slot];

		if (t.when > l->now || (t.id >> SLOT_BITS) > seq_limit)
			break;
		heap_remove(l, 0);
		slot_release(l, slot);
		t.fn(l, t.id, t.arg);
		fired++;
	}
	return fired;
}

/* ----- signals ----- */

static void
on_signal(struct sl_loop *l, int fd, unsigned events, void *arg)
{
	struct signalfd_siginfo si;

	(void)events;
	(void)arg;
	/* drain: several signals may be queued */
	for (int i = 0; i < 16; i++) {
		if (read(fd, &si, sizeof(si)) != (ssize_t)sizeof(si))
			break;
		l->stop_sig = (int)si.ssi_signo;
		l->stop = true;
	}
}

enum sl_err
sl_loop_catch_signals(struct sl_loop *l, char errbuf[SL_ERRBUF_SIZE])
{
	sigset_t set;

	if (l->sigfd >= 0)
		return SL_OK;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &set, &l->oldmask) != 0) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "sigprocmask: %s", strerror(errno));
		return SL_EIO;
	}
	l->mask_saved = true;
	l->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (l->sigfd < 0) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "signalfd: %s", strerror(errno));
		return SL_EIO;
	}
	enum sl_err e = sl_loop_add_fd(l, l->sigfd, SL_LOOP_READ, on_signal, NULL);
	if (e)
		snprintf(errbuf, SL_ERRBUF_SIZE, "signalfd: %s", sl_strerror(e));
	return e;
}

int
sl_loop_stop_signal(const struct sl_loop *l)
{
	return l->stop_sig;
}

void
sl_loop_stop(struct sl_loop *l)
{
	l->stop = true;
}

bool
sl_loop_stopped(const struct sl_loop *l)
{
	return l->stop;
}

/* ----- the iteration ----- */

static int
poll_timeout(struct sl_loop *l, int max_wait_ms)
{
	if (l->nheap == 0)
		return max_wait_ms;
	uint64_t when = l->slots[l->heap[0]].when;
	uint64_t d = when > l->now ? when - l->now : 0;
	int t = d > INT_MAX ? INT_MAX : (int)d;
	return (max_wait_ms >= 0 && max_wait_ms < t) ? max_wait_ms : t;
}

static bool
snapshot(struct sl_loop *l)
{
	if (l->nfds > l->cappfds) {
		struct pollfd *p = realloc(l->pfds, l->nfds * sizeof(*p));
		if (p == NULL)
			return false;
		l->pfds = p;
		uint64_t *g = realloc(l->pgen, l->nfds * sizeof(*g));
		if (g == NULL)
			return false;
		l->pgen = g;
		l->cappfds = l->nfds;
	}
	for (size_t i = 0; i < l->nfds; i++) {
		const struct fdent *e = &l->fds[i];
		l->pfds[i].fd = e->fd;
		l->pfds[i].events = (short)(((e->events & SL_LOOP_READ) ? POLLIN : 0) |
		    ((e->events & SL_LOOP_WRITE) ? POLLOUT : 0));
		l->pfds[i].revents = 0;
		l->pgen[i] = e->gen;
	}
	return true;
}

enum sl_err
sl_loop_run_once(struct sl_loop *l, int max_wait_ms, char errbuf[SL_ERRBUF_SIZE])
{
	size_t n = l->nfds;

	tick(l);
	if (!snapshot(l)) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "poll: out of memory");
		return SL_ENOMEM;
	}
	int rc = poll(l->pfds, (nfds_t)n, poll_timeout(l, max_wait_ms));
	if (rc < 0 && errno != EINTR) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "poll: %s", strerror(errno));
		return SL_EIO;
	}
	tick(l);
	l->dispatching = true;
	for (size_t i = 0; rc > 0 && i < n; i++) {
		short re = l->pfds[i].revents;
		/* the entry may have been deleted or replaced by an earlier
		 * callback of this same iteration */
		if (re == 0 || i >= l->nfds || l->fds[i].gen != l->pgen[i] ||
		    l->fds[i].fd < 0)
			continue;
		unsigned ev = ((re & POLLIN) ? SL_LOOP_READ : 0) |
		    ((re & POLLOUT) ? SL_LOOP_WRITE : 0) |
		    ((re & (POLLERR | POLLHUP | POLLNVAL)) ? SL_LOOP_ERROR : 0);
		struct fdent e = l->fds[i];
		e.fn(l, e.fd, ev, e.arg);
	}
	l->dispatching = false;
	compact_fds(l);
	sl_loop_run_timers(l);
	return SL_OK;
}

enum sl_err
sl_loop_run(struct sl_loop *l, char errbuf[SL_ERRBUF_SIZE])
{
	while (!l->stop) {
		enum sl_err e = sl_loop_run_once(l, -1, errbuf);
		if (e)
			return e;
	}
	return SL_OK;
}
