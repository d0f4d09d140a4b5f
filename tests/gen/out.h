/* out.h: "put this packet on the wire at time t": builds the frame with
 * net.c for the current interface's link type and writes it with slgen's
 * own pcapw.c. One struct slg_out per scenario; it owns the scratch buffers so no
 * function needs a 64 KiB stack frame. */
#ifndef SLG_OUT_H
#define SLG_OUT_H

#include <stddef.h>
#include <stdint.h>

#include "tests/gen/net.h"
#include "tests/gen/pcapw.h"
#include "tests/gen/rng.h"

/* Another capture point's record of the same packets, for merging
 * captures (sipladder --dedup): the one a program keeps of its own
 * traffic, as sipladder-server --trace-pcap writes it. Raw IP with the
 * IP header that program writes (its own IPv4 Identification counter,
 * DF, TTL or hop limit 64) and stamps from its own clock, a little after
 * the wire's; the rest of each packet as on the wire. */
struct slg_view {
	struct slg_rng rng;		/* delays: not the scenario's numbers */
	uint16_t ipid;			/* next Identification */
	uint32_t min_delay_us, max_delay_us;
	uint64_t last_t;		/* stamps never go back in a file */
};

struct slg_out {
	struct slg_pcapw w;
	unsigned ifid;			/* pcapng interface for the next packet */
	const struct slg_link *link;	/* its link header */
	struct slg_frame *f;		/* the frame last built */
	uint8_t *l4;			/* transport scratch, SLG_FRAME_MAX */
	size_t l4len;
	struct slg_view *view;		/* NULL: the frame as built */
};

/* Allocates the scratch buffers; the caller then opens o->w. */
int slg_out_init(struct slg_out *o);
/* Closes the file and frees; returns -1 if anything failed. */
int slg_out_finish(struct slg_out *o);

/* Builds link + IP around o->l4[0..l4len) into o->f (not written). */
void slg_out_build(struct slg_out *o, struct slg_host *src,
    const struct slg_host *dst, uint8_t proto, const struct slg_ipx *x);
/* Writes o->f, or the view of it; caplen 0 means the whole frame. */
int slg_out_write(struct slg_out *o, uint64_t t, uint32_t caplen);

/* Build and write a UDP datagram (the common case). */
int slg_out_udp(struct slg_out *o, uint64_t t, struct slg_host *src,
    uint16_t sport, const struct slg_host *dst, uint16_t dport,
    const void *pl, size_t plen);
/* ICMP port unreachable from `from` to `to`, quoting qlen bytes. */
int slg_out_icmp_unreach(struct slg_out *o, uint64_t t,
    struct slg_host *from, const struct slg_host *to, const uint8_t *quote,
    size_t qlen);

#endif
