/* correlate.h: from dissected packets to calls.
 *
 * The correlator keeps calls in progress, indexed by Call-ID, SDP media
 * address and RTP flow. It hands each call to the caller's emit callback
 * once the call is over and has been quiet for the linger time (capture
 * time), in start order, and then frees it: memory follows the number of
 * concurrent calls, not the length of the capture. */
#ifndef SL_CORRELATE_H
#define SL_CORRELATE_H

#include <stdbool.h>
#include <stdint.h>

#include "dissectors/dissector.h"
#include "model/model.h"

/* Called once per finished call. The call is complete and analysed
 * (call->sum and call->findings filled); it is freed right after the
 * callback returns, so copy whatever must outlive it. A non-OK return
 * stops the run and is returned by sl_corr_packet/sl_corr_finish. */
typedef enum sl_err (*sl_emit_fn)(void *user, struct sl_call *call);

struct sl_corr_opts {
	bool merge;			/* join B2BUA legs (default on) */
	int64_t linger_ns;		/* quiet time after the end; default 10 s */
	int64_t idle_ns;		/* quiet time of an unfinished call; default 300 s */
	int64_t join_window_ns;		/* B-leg INVITE after A's; default 5 s */
	size_t call_mem_cap;		/* bytes per call; default 4 MiB */
	size_t max_waiting;		/* finished calls kept for ordering; default 1024;
					 * 0: each call leaves as soon as it is ready
					 * (live and pipe input: nothing waits on a
					 * slow call ahead of it) */
	sl_emit_fn emit;
	void *emit_user;
	bool emit_keeps;		/* the callback owns the call: it frees it */
};

/* Counters for the run summary: what was attributed, and what not. */
struct sl_corr_stats {
	uint64_t sip_msgs;
	uint64_t sip_retrans;
	uint64_t rtp_packets;
	uint64_t rtcp_packets;
	uint64_t icmp_attributed;
	uint64_t icmp_unattributed;	/* quoted a flow no call owns */
	uint64_t rtcp_unattributed;
	uint64_t sip_uncorrelated;	/* no Call-ID: cannot belong to a dialog */
	uint64_t rtp_unattributed;	/* --rtp-port media no SDP announced */
	uint64_t media_over_cap;	/* RTP/RTCP not analysed: call memory cap */
	uint64_t msgs_over_cap;		/* SIP messages not kept: call memory cap */
	uint64_t calls;
	uint64_t registrations;
	uint64_t dialogs;		/* non-INVITE, non-REGISTER */
	uint64_t legs_joined;
	uint64_t out_of_order_emits;	/* calls emitted out of start order (cap) */
};

struct sl_corr;

void sl_corr_opts_default(struct sl_corr_opts *o /* OUT */);
/* NULL on out of memory. */
struct sl_corr *sl_corr_new(const struct sl_corr_opts *o);
void sl_corr_free(struct sl_corr *c);

/* Feeds one dissected packet (any pkt->app). Packets must come in capture
 * order. */
enum sl_err sl_corr_packet(struct sl_corr *c, const struct sl_packet *pkt);

/* For struct sl_dctx.is_media: does pkt's UDP flow belong to media some
 * SDP announced? user is the struct sl_corr. */
bool sl_corr_is_media(void *user, const struct sl_packet *pkt);

/* Advances the correlator's clock to now (capture time) without a
 * packet, emitting the calls that became ready. Earlier times are
 * ignored: the clock never goes back. */
enum sl_err sl_corr_tick(struct sl_corr *c, int64_t now);

/* End of input: emits every remaining call in start order. */
enum sl_err sl_corr_finish(struct sl_corr *c);

const struct sl_corr_stats *sl_corr_stats(const struct sl_corr *c);

#endif
