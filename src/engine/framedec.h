/* framedec.h: one frame decoded as the engine decodes it, without the
 * correlator: numbered, its link layer read, checked for being a copy
 * (engine/dedup.h), then IP with fragment reassembly, UDP or ICMP and the
 * application. The engine's feed is this plus the correlator; a second
 * pass over the same input (export/export.h) uses it alone, so that it
 * sees the same packets under the same frame numbers as the run whose
 * calls it writes out. */
#ifndef SL_FRAMEDEC_H
#define SL_FRAMEDEC_H

#include "capture/source.h"
#include "dissectors/dissector.h"
#include "engine/engine.h"

struct sl_dedup;

struct sl_framedec {
	/* ctx.is_media is the caller's: the engine points it at its
	 * correlator; without one, no UDP flow counts as media (RTP then
	 * stays "other UDP", its endpoints decoded all the same) */
	struct sl_dctx ctx;
	struct sl_reasm *reasm;
	struct sl_dedup *dedup;
	struct sl_arena scratch;	/* every frame's, reset by sl_framedec_done */
	uint64_t frames;		/* numbered so far */
	bool remove_copies;		/* sl_run_opts.dedup */
	uint16_t first_point;		/* capture point of the first frame */
	bool several_points;		/* a frame came from another one */
};

/* What the duplicate check said about a frame. */
enum sl_framedec_copy {
	SL_FRAMEDEC_ONCE = 0,	/* not seen before within the window */
	SL_FRAMEDEC_COPY,	/* seen before, kept (no dedup) */
	SL_FRAMEDEC_REMOVED,	/* seen before and removed: decoded no further */
};

/* The reassembly, duplicate and --rtp-port options of o. SL_OK or
 * SL_ENOMEM; sl_framedec_free is due either way. */
enum sl_err sl_framedec_init(struct sl_framedec *d, const struct sl_run_opts *o);
void sl_framedec_free(struct sl_framedec *d);

/* The input's next frame into *pkt: pkt->frame is its number, 1-based
 * over every frame given (removed copies count too). pkt's slices point
 * into f's bytes, the reassembly buffers and the scratch arena: they last
 * until sl_framedec_done, which is due after every frame. *net_off (may
 * be NULL) is where the network header starts in f->data, f->caplen when
 * the link layer announced none. */
enum sl_framedec_copy sl_framedec_frame(struct sl_framedec *d, const struct sl_frame *f,
    struct sl_packet *pkt /* OUT */, uint32_t *net_off /* OUT */);
void sl_framedec_done(struct sl_framedec *d);

#endif
