/* hold.h: inside src/export: frames held back while a fragmented
 * datagram is undecided. A fragment cannot be judged on its own (the UDP
 * ports travel in the first fragment only, and a SIP message's frame
 * number is that of the fragment that completed its datagram), so each
 * fragment waits until its datagram completes; and every frame to write
 * after a waiting fragment waits behind it, so that the output keeps
 * capture order. Memory is capped: a fragment whose datagram never
 * completes is let go after the reassembly timeout, or sooner when the
 * cap is reached (the reassembler too gives up on it then). */
#ifndef SL_EXPORT_HOLD_H
#define SL_EXPORT_HOLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/addr.h"
#include "core/err.h"

/* A frame as it will be written. */
struct sl_export_rec {
	const uint8_t *data;
	uint32_t caplen;
	uint32_t wirelen;
	int64_t ts_ns;
	int linktype;
	uint32_t net_off;	/* its network header in data */
};

/* The datagram a fragment belongs to (what the reassembler keys on). */
struct sl_export_frag {
	struct sl_ip src;
	struct sl_ip dst;
	uint32_t id;
};

typedef enum sl_err (*sl_export_write_fn)(void *user, const struct sl_export_rec *r);

struct sl_export_held;

struct sl_export_hold {
	struct sl_export_held *q;	/* queue: q[head..n) */
	size_t head, n, cap;
	uint8_t *bytes;			/* the held frames' bytes, in queue order */
	size_t b_len, b_cap;
	size_t max_bytes;
	int64_t timeout_ns;
	sl_export_write_fn write;
	void *user;
};

void sl_export_hold_init(struct sl_export_hold *h, size_t max_bytes, int64_t timeout_ns,
    sl_export_write_fn write, void *user);
void sl_export_hold_free(struct sl_export_hold *h);

/* A fragment the reassembler holds: it waits for its datagram. */
enum sl_err sl_export_hold_fragment(struct sl_export_hold *h, const struct sl_export_rec *r,
    const struct sl_export_frag *k);
/* Datagram k completed: its waiting fragments are written (keep) or let
 * go; then whatever no longer waits is written. */
enum sl_err sl_export_hold_decide(struct sl_export_hold *h, const struct sl_export_frag *k,
    bool keep);
/* A frame to write: at once, or behind the fragments waiting before it. */
enum sl_err sl_export_hold_write(struct sl_export_hold *h, const struct sl_export_rec *r);
/* Capture time has reached now: fragments older than the timeout are let
 * go, and what waited behind them is written. */
enum sl_err sl_export_hold_advance(struct sl_export_hold *h, int64_t now);
/* End of input: every fragment still waiting is let go, the rest is
 * written. */
enum sl_err sl_export_hold_finish(struct sl_export_hold *h);

#endif
