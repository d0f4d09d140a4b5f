/* framedec.c: the per-frame decoding the engine and a second pass share
 * (framedec.h). One scratch arena serves every frame and is reset after
 * it, so dissection allocates nothing per packet. */
#include "core/osipinit.h"
#include "engine/dedup.h"
#include "engine/framedec.h"

#define SCRATCH_CHUNK (64u << 10)
#define SCRATCH_CAP (8u << 20)

enum sl_err
sl_framedec_init(struct sl_framedec *d, const struct sl_run_opts *o)
{
	/* the SIP dissector parses with libosip2: no engine or second pass
	 * may forget */
	sl_osip_init();
	*d = (struct sl_framedec){ .remove_copies = o->dedup };
	sl_arena_init(&d->scratch, SCRATCH_CHUNK, SCRATCH_CAP);
	d->reasm = sl_reasm_new(o->reasm_bytes, o->reasm_datagrams, o->reasm_timeout_ns);
	d->dedup = sl_dedup_new(o->dedup_window_ns > 0 ? o->dedup_window_ns : 1);
	d->ctx = (struct sl_dctx){
		.reasm = d->reasm,
		.rtp_ports = o->rtp_ports,
		.n_rtp_ports = o->n_rtp_ports,
	};
	return d->reasm && d->dedup ? SL_OK : SL_ENOMEM;
}

void
sl_framedec_free(struct sl_framedec *d)
{
	sl_arena_free(&d->scratch);
	sl_dedup_free(d->dedup);
	sl_reasm_free(d->reasm);
	d->dedup = NULL;
	d->reasm = NULL;
}

enum sl_framedec_copy
sl_framedec_frame(struct sl_framedec *d, const struct sl_frame *f, struct sl_packet *pkt,
    uint32_t *net_off)
{
	sl_packet_init(pkt, &d->scratch);
	pkt->frame = ++d->frames;
	pkt->ts_ns = f->ts_ns;
	pkt->caplen = f->caplen;
	pkt->wirelen = f->wirelen;
	pkt->linktype = f->linktype;
	/* the duplicate check looks at the IP packet before it is decoded.
	 * The capture point is the input and its link type (a pcapng file
	 * may hold several interfaces, and then they differ in it at best) */
	struct sl_cur c;
	enum sl_net net = sl_dissect_frame_link(pkt, f->data, f->caplen, &c);
	if (net_off)
		*net_off = net == SL_NET_NONE ? f->caplen : (uint32_t)(c.p - f->data);
	uint16_t point = (uint16_t)(f->file << 8 ^ (unsigned)f->linktype);
	if (pkt->frame == 1)
		d->first_point = point;
	else if (point != d->first_point)
		d->several_points = true;
	/* Only counting, from one capture point, media is left out: a copy
	 * of an RTP packet there is already counted by the stream analysis
	 * (duplicates), and hashing every media packet would cost a quarter
	 * of the run. What a copy would falsify there is SIP: a message seen
	 * twice looks retransmitted. Several points copy everything. */
	bool early = d->remove_copies || d->several_points;
	const uint8_t *ip = c.p;
	size_t ip_n = sl_cur_left(&c);
	struct sl_dedup_probe pr;
	bool probed = early && net != SL_NET_NONE && sl_dedup_probe(d->dedup, net, ip, ip_n, &pr);
	/* removing copies, the table answers first: a removed copy must not
	 * reach fragment reassembly; only counting them, it answers after
	 * the decoding, during which its line arrives from memory */
	if (probed && d->remove_copies && sl_dedup_check(d->dedup, &pr, f->ts_ns, point))
		return SL_FRAMEDEC_REMOVED;
	sl_dissect_frame_net(&d->ctx, pkt, net, &c);
	if (!early && net != SL_NET_NONE && pkt->app != SL_APP_RTP && pkt->app != SL_APP_RTCP)
		probed = sl_dedup_probe(d->dedup, net, ip, ip_n, &pr);
	if (probed && !d->remove_copies && sl_dedup_check(d->dedup, &pr, f->ts_ns, point))
		return SL_FRAMEDEC_COPY;
	return SL_FRAMEDEC_ONCE;
}

void
sl_framedec_done(struct sl_framedec *d)
{
	sl_arena_reset(&d->scratch);
}
