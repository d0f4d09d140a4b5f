/* loop.h: single-threaded event loop (Redis ae shape): poll() over
 * registered file descriptors, one-shot timers on a monotonic millisecond
 * clock, and a clean stop on SIGINT/SIGTERM through signalfd.
 *
 * All state lives in the struct sl_loop the caller creates; nothing is
 * global, so tests can run several loops and swap the clock for a fake
 * one. Callbacks run on the caller's thread inside sl_loop_run*; they may
 * add or delete fds and timers (including their own) at any time.
 *
 * Ownership: the loop never owns the fds it watches (the caller closes
 * them, after sl_loop_del_fd) nor the callback arguments. sl_loop_free
 * releases only the loop's own memory (and the signalfd it created). */
#ifndef SL_SIP_LOOP_H
#define SL_SIP_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct sl_loop;

/* poll() event bits as passed to and from callbacks */
#define SL_LOOP_READ 1u
#define SL_LOOP_WRITE 2u
#define SL_LOOP_ERROR 4u	/* POLLERR/POLLHUP/POLLNVAL: always reported */

typedef void (*sl_loop_fd_fn)(struct sl_loop *l, int fd, unsigned events, void *arg);
/* id is the value sl_loop_timer_add returned; the timer is already gone. */
typedef void (*sl_loop_timer_fn)(struct sl_loop *l, uint64_t id, void *arg);
/* Milliseconds on a clock that never goes backwards. */
typedef uint64_t (*sl_loop_clock_fn)(void *arg);

/* max_fds / max_timers cap memory (0 = defaults 4096 / 1<<20). NULL only
 * when out of memory. */
struct sl_loop *sl_loop_new(size_t max_fds, size_t max_timers);
/* Accepts NULL. Restores the signal mask changed by sl_loop_catch_signals. */
void sl_loop_free(struct sl_loop *l);

/* Watch fd for events (SL_LOOP_READ and/or SL_LOOP_WRITE); replaces the
 * callback if fd is already watched. SL_ENOMEM past max_fds. */
enum sl_err sl_loop_add_fd(struct sl_loop *l, int fd, unsigned events,
    sl_loop_fd_fn fn, void *arg);
/* Stop watching fd; no callback for it runs afterwards, even one already
 * reported by the current poll(). Unknown fds are ignored. */
void sl_loop_del_fd(struct sl_loop *l, int fd);

/* One-shot timer firing delay_ms from now. Returns its id (never 0), or 0
 * when out of memory / past max_timers. Timers due at the same time fire
 * in the order they were added. */
uint64_t sl_loop_timer_add(struct sl_loop *l, uint64_t delay_ms,
    sl_loop_timer_fn fn, void *arg);
/* True if the timer was pending; false for 0, fired or cancelled ids
 * (ids are never reused, so a stale id is harmless). */
bool sl_loop_timer_cancel(struct sl_loop *l, uint64_t id);
size_t sl_loop_timer_count(const struct sl_loop *l);

/* The loop's clock (cached per iteration, refreshed by timer runs). */
uint64_t sl_loop_now(struct sl_loop *l);
/* Replace CLOCK_MONOTONIC (tests: a fake clock they advance by hand).
 * NULL restores the real clock. */
void sl_loop_set_clock(struct sl_loop *l, sl_loop_clock_fn fn, void *arg);

/* Block SIGINT and SIGTERM for this thread and deliver them through a
 * signalfd watched by the loop: the handler context problem disappears
 * and the loop stops at the next iteration. SL_EIO with errbuf text. */
enum sl_err sl_loop_catch_signals(struct sl_loop *l, char errbuf[SL_ERRBUF_SIZE]);
/* The signal that stopped the loop, or 0. */
int sl_loop_stop_signal(const struct sl_loop *l);

/* Ask sl_loop_run to return after the current iteration. */
void sl_loop_stop(struct sl_loop *l);
bool sl_loop_stopped(const struct sl_loop *l);

/* Fire every timer due now (by the loop's clock). Timers added by these
 * callbacks wait for the next call even if already due, so a timer that
 * re-arms itself with delay 0 cannot spin. Returns how many fired. */
size_t sl_loop_run_timers(struct sl_loop *l);
/* One iteration: poll for at most max_wait_ms (-1 = until the next timer
 * or forever), dispatch fd events, then due timers. SL_EIO if poll fails
 * for a reason other than EINTR. */
enum sl_err sl_loop_run_once(struct sl_loop *l, int max_wait_ms,
    char errbuf[SL_ERRBUF_SIZE]);
/* Iterate until sl_loop_stop (or a caught signal). */
enum sl_err sl_loop_run(struct sl_loop *l, char errbuf[SL_ERRBUF_SIZE]);

#endif
