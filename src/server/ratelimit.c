/* ratelimit.c: see ratelimit.h. */
#include "server/ratelimit.h"

#include <stdlib.h>
#include <string.h>

#define PROBE 8		/* slots looked at per source; eviction among them */

enum sl_err
sl_rl_init(struct sl_ratelimit *rl, uint32_t reqs, uint32_t secs, uint32_t block_s,
    size_t cap, uint64_t key)
{
	size_t n = PROBE;

	memset(rl, 0, sizeof(*rl));
	while (n < cap && n < ((size_t)1 << 24))
		n <<= 1;
	rl->t = calloc(n, sizeof(*rl->t));
	if (rl->t == NULL)
		return SL_ENOMEM;
	rl->cap = n;
	rl->key = key;
	rl->reqs = reqs;
	rl->window_ms = (secs ? secs : 1) * 1000u;
	rl->block_ms = block_s * 1000u;
	return SL_OK;
}

void
sl_rl_free(struct sl_ratelimit *rl)
{
	free(rl->t);
	memset(rl, 0, sizeof(*rl));
}

static size_t
home(const struct sl_ratelimit *rl, const struct sl_ip *ip)
{
	struct sl_endpoint e = { .ip = *ip };

	return (size_t)sl_ep_hash(&e, rl->key) & (rl->cap - 1);
}

static bool
is_blocked(const struct sl_rl_src *s, uint64_t now_ms)
{
	return s->blocked_until_ms != 0 && now_ms < s->blocked_until_ms;
}

/* The source's slot, or NULL when it has none (and create is false). */
static struct sl_rl_src *
slot(struct sl_ratelimit *rl, const struct sl_ip *ip, uint64_t now_ms, bool create)
{
	size_t h = home(rl, ip);
	struct sl_rl_src *victim = NULL;
	int vrank = 3;

	for (size_t i = 0; i < PROBE; i++) {
		struct sl_rl_src *s = &rl->t[(h + i) & (rl->cap - 1)];
		if (s->used && sl_ip_eq(&s->ip, ip))
			return s;
		if (!create)
			continue;
		/* a free slot first, then the least recent unblocked source;
		 * a blocked one only when all eight are blocked, so spoofed
		 * one-shot sources cannot evict a flooder out of its block */
		int rank = !s->used ? 0 : !is_blocked(s, now_ms) ? 1 : 2;
		if (rank < vrank || (rank == vrank && s->seen_ms < victim->seen_ms)) {
			victim = s;
			vrank = rank;
		}
	}
	if (!create)
		return NULL;
	if (victim->used)
		rl->st.evicted++;
	memset(victim, 0, sizeof(*victim));
	victim->used = true;
	victim->ip = *ip;
	victim->window_ms = now_ms;
	victim->seen_ms = now_ms;
	return victim;
}

bool
sl_rl_blocked(struct sl_ratelimit *rl, const struct sl_ip *ip, uint64_t now_ms)
{
	struct sl_rl_src *s = slot(rl, ip, now_ms, false);

	if (s == NULL || !is_blocked(s, now_ms))
		return false;
	s->seen_ms = now_ms;
	return true;
}

void
sl_rl_dropped(struct sl_ratelimit *rl, const struct sl_ip *ip, uint64_t now_ms)
{
	struct sl_rl_src *s = slot(rl, ip, now_ms, true);

	s->seen_ms = now_ms;
	s->dropped++;
	rl->st.dropped++;
}

bool
sl_rl_charge(struct sl_ratelimit *rl, const struct sl_ip *ip, uint64_t now_ms)
{
	struct sl_rl_src *s = slot(rl, ip, now_ms, true);

	rl->st.charged++;
	s->seen_ms = now_ms;
	if (now_ms - s->window_ms >= rl->window_ms) {
		s->window_ms = now_ms;
		s->count = 0;
	}
	if (s->count < UINT32_MAX)
		s->count++;
	if (rl->reqs == 0 || s->count <= rl->reqs || is_blocked(s, now_ms))
		return false;
	s->blocked_until_ms = now_ms + rl->block_ms;
	s->block_logged = false;
	rl->st.blocks++;
	return true;
}

bool
sl_rl_may_log(struct sl_ratelimit *rl, const struct sl_ip *ip, uint64_t now_ms)
{
	struct sl_rl_src *s = slot(rl, ip, now_ms, true);

	s->seen_ms = now_ms;
	if (s->logged < SL_RL_LOG_BURST && rl->glogged < SL_RL_LOG_GLOBAL) {
		s->logged++;
		rl->glogged++;
		return true;
	}
	s->suppressed++;
	rl->st.suppressed++;
	return false;
}

void
sl_rl_report(struct sl_ratelimit *rl, uint64_t now_ms, sl_rl_report_fn fn, void *arg)
{
	struct sl_rl_rest rest = { 0 };
	unsigned named = 0;

	for (size_t i = 0; i < rl->cap; i++) {
		struct sl_rl_src *s = &rl->t[i];
		if (!s->used)
			continue;
		if ((s->dropped || s->suppressed) && named < SL_RL_REPORT_LINES) {
			fn(arg, s, NULL, now_ms);
			named++;
		} else if (s->dropped || s->suppressed) {
			rest.sources++;
			rest.dropped += s->dropped;
			rest.suppressed += s->suppressed;
		}
		s->dropped = 0;
		s->suppressed = 0;
		s->logged = 0;
		if (s->blocked_until_ms && now_ms >= s->blocked_until_ms)
			s->blocked_until_ms = 0;
	}
	if (rest.sources)
		fn(arg, NULL, &rest, now_ms);
	rl->glogged = 0;
}
