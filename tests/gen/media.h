/* media.h: writes several RTP streams interleaved in time order, up to
 * a given time, so a scenario can alternate "RTP until t" and "the SIP
 * message at t" without holding packets in memory. */
#ifndef SLG_MEDIA_H
#define SLG_MEDIA_H

#include <stdbool.h>
#include <stdint.h>

#include "tests/gen/out.h"
#include "tests/gen/rtp.h"

#define SLG_MEDIA_MAX	4

/* Called before each packet is built: lets a scenario pick the capture
 * interface (o->ifid, o->link) per packet. */
typedef void (*slg_media_hook)(void *ctx, struct slg_out *o, unsigned st,
    const struct slg_rtp_pkt *p);

struct slg_media {
	struct slg_rtp_stream *st[SLG_MEDIA_MAX];
	struct slg_rtp_pkt pend[SLG_MEDIA_MAX];
	bool has[SLG_MEDIA_MAX];
	unsigned n;
	slg_media_hook hook;
	void *ctx;
};

void slg_media_init(struct slg_media *m, slg_media_hook hook, void *ctx);
/* Adds a stream (not owned); returns -1 if full. */
int slg_media_add(struct slg_media *m, struct slg_rtp_stream *st);
/* Writes every packet with t < until; returns -1 on write error. */
int slg_media_until(struct slg_media *m, struct slg_out *o, uint64_t until);

#endif
