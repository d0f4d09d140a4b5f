/* ratelimit.h: per-source limits of sipladder-server against floods of
 * unverified traffic, after Kamailio's pike module.
 *
 * "Unverified" is what the server answers without knowing who sent it:
 * requests it challenges or refuses, in-dialog requests from someone who
 * is not the dialog's peer, responses that match nothing, malformed
 * datagrams. Each is charged to its source IP. More than `reqs` charges
 * within one window of `secs` seconds block the IP for `block_s` seconds:
 * while blocked, it gets no answer to anything unverified (no challenge,
 * no refusal, no 100 Trying: nothing to reflect, no nonce issued), but
 * what can prove itself is still taken: requests with credentials (they
 * are checked as usual), requests inside a dialog (the dialog's peer
 * check decides) and responses to our transactions. Dropping those too,
 * as Kamailio's pike does, let anyone on the victim's address (another
 * process on its host, a phone behind the same NAT) hold its signed
 * REGISTER back unused and replay it from elsewhere. Legitimate traffic
 * is never charged, so a SIP load generator is only limited by its
 * challenges (raise --rate-limit or turn it off with 0 for load tests).
 *
 * Logging: the first few rejections per source and interval are logged
 * in full, and at most SL_RL_LOG_GLOBAL in all, the rest only counted;
 * sl_rl_report() then reports at most SL_RL_REPORT_LINES sources and one
 * line for all the others. Neither one source nor many spoofed ones can
 * make the log grow by a line per datagram.
 *
 * Memory is fixed at init: an open-addressing table of `cap` sources; when
 * a probe window is full, the source seen least recently there is evicted
 * (a flood of spoofed addresses churns the table but cannot grow it).
 * Pure: time is passed in, nothing is global. */
#ifndef SL_SERVER_RATELIMIT_H
#define SL_SERVER_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/addr.h"
#include "core/err.h"

#define SL_RL_LOG_BURST 5		/* full log lines per source and interval */
#define SL_RL_LOG_GLOBAL 100		/* full log lines per interval, all sources */
#define SL_RL_REPORT_LINES 20		/* sources named per report */
#define SL_RL_INTERVAL_MS 10000		/* summary interval */

struct sl_rl_src {
	struct sl_ip ip;
	bool used;
	bool block_logged;
	uint32_t count;			/* charges in the current window */
	uint32_t logged;		/* full lines this interval */
	uint64_t window_ms;		/* start of the current window */
	uint64_t seen_ms;		/* last activity (eviction order) */
	uint64_t blocked_until_ms;	/* 0: not blocked */
	uint64_t dropped;		/* datagrams dropped while blocked, unreported */
	uint64_t suppressed;		/* log lines not written, unreported */
};

struct sl_rl_stats {
	uint64_t charged, dropped, blocks, suppressed, evicted;
};

/* What a report could not name source by source. */
struct sl_rl_rest {
	uint64_t sources, dropped, suppressed;
};

struct sl_ratelimit {
	uint32_t reqs, window_ms, block_ms;	/* reqs 0: no blocking */
	size_t cap;				/* power of two */
	uint64_t key;				/* hash key: slots not computable */
	struct sl_rl_src *t;
	uint32_t glogged;			/* full lines this interval */
	struct sl_rl_stats st;
};

/* reqs charges per secs seconds, block for block_s; reqs 0 disables
 * blocking (log suppression still works). cap sources, rounded up to a
 * power of two; key (random) keys the table's hash, so nobody can pick
 * addresses that evict a chosen one. SL_ENOMEM. */
enum sl_err sl_rl_init(struct sl_ratelimit *rl, uint32_t reqs, uint32_t secs,
    uint32_t block_s, size_t cap, uint64_t key);
void sl_rl_free(struct sl_ratelimit *rl);

/* Is ip blocked now? Counts nothing. */
bool sl_rl_blocked(struct sl_ratelimit *rl, const struct sl_ip *ip, uint64_t now_ms);
/* A datagram from a blocked ip was dropped unanswered: count it. */
void sl_rl_dropped(struct sl_ratelimit *rl, const struct sl_ip *ip, uint64_t now_ms);
/* One unverified datagram from ip. True when this charge blocked ip (the
 * caller logs that once). */
bool sl_rl_charge(struct sl_ratelimit *rl, const struct sl_ip *ip, uint64_t now_ms);
/* May a rejection of ip be logged in full? False counts it as suppressed. */
bool sl_rl_may_log(struct sl_ratelimit *rl, const struct sl_ip *ip, uint64_t now_ms);

/* Called every interval: fn once per source with something to report
 * (dropped datagrams, suppressed lines), at most SL_RL_REPORT_LINES
 * times, then once with src NULL and rest filled when anything was left
 * unnamed; then the counters restart. */
typedef void (*sl_rl_report_fn)(void *arg, const struct sl_rl_src *src,
    const struct sl_rl_rest *rest, uint64_t now_ms);
void sl_rl_report(struct sl_ratelimit *rl, uint64_t now_ms, sl_rl_report_fn fn, void *arg);

#endif
