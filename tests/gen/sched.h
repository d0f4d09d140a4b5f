/* sched.h: a binary min-heap of pending packet events.
 *
 * Every packet source (a call's signalling, each RTP stream, an ICMP
 * answer, the next bench call) keeps exactly one event queued: popping it
 * writes one packet and queues that source's next one. So memory is
 * proportional to the number of live sources, not to the capture, and
 * packets come out in global time order. Ties are broken by insertion
 * order, which keeps the output deterministic. */
#ifndef SLG_SCHED_H
#define SLG_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SLG_EV_QUOTE	48

struct slg_ev {
	uint64_t t;
	uint64_t order;		/* set by slg_sched_push */
	void *owner;		/* the call, or NULL for scheduler events */
	uint16_t kind;
	uint16_t arg;
	uint32_t k;		/* RTP: sender packet index */
	uint32_t seq;		/* RTP: sequence number */
	uint32_t ts;		/* RTP: timestamp */
	uint16_t qlen;		/* ICMP: bytes of the quoted packet */
	uint8_t q[SLG_EV_QUOTE];
};

struct slg_sched {
	struct slg_ev *heap;
	size_t n;
	size_t cap;
	uint64_t next_order;
};

void slg_sched_init(struct slg_sched *s);
void slg_sched_free(struct slg_sched *s);
/* Returns -1 when out of memory. */
int slg_sched_push(struct slg_sched *s, const struct slg_ev *ev);
bool slg_sched_pop(struct slg_sched *s, struct slg_ev *out);

#endif
