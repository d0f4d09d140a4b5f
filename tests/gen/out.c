/* out.c: see out.h. */
#include "tests/gen/out.h"

#include <stdlib.h>
#include <string.h>

int
slg_out_init(struct slg_out *o)
{
	o->ifid = 0;
	o->link = NULL;
	o->l4len = 0;
	o->view = NULL;
	o->f = malloc(sizeof(*o->f));
	o->l4 = malloc(SLG_FRAME_MAX);
	if (o->f == NULL || o->l4 == NULL) {
		free(o->f);
		free(o->l4);
		o->f = NULL;
		o->l4 = NULL;
		return -1;
	}
	slg_frame_reset(o->f);
	return 0;
}

int
slg_out_finish(struct slg_out *o)
{
	int rc = slg_pcapw_close(&o->w);

	free(o->f);
	free(o->l4);
	o->f = NULL;
	o->l4 = NULL;
	return rc;
}

void
slg_out_build(struct slg_out *o, struct slg_host *src,
    const struct slg_host *dst, uint8_t proto, const struct slg_ipx *x)
{
	slg_frame_reset(o->f);
	slg_frame_link(o->f, o->link, src->mac, dst->mac,
	    src->ip.v == 6 ? SLG_ETH_IPV6 : SLG_ETH_IPV4);
	slg_frame_ip(o->f, src, &dst->ip, proto, o->l4, o->l4len, x);
}

/* The view's record of the frame: its IP packet, with the header
 * rewritten in place for the write and put back after it (an ICMP error
 * quotes the frame as the wire carried it) */
static int
view_write(struct slg_out *o, struct slg_view *v, uint64_t t, uint32_t caplen)
{
	struct slg_frame *f = o->f;
	uint8_t *ip = f->b + f->l3;
	size_t len = f->len - f->l3;
	uint8_t saved[SL_PKT_IP4_LEN];

	if (f->l3 >= f->len)
		return 0;	/* no IP in it: no program traces that */
	memcpy(saved, ip, len < sizeof saved ? len : sizeof saved);
	if (ip[0] >> 4 == 4 && len >= SL_PKT_IP4_LEN) {
		size_t hlen = 4u * (ip[0] & 0x0fu);
		bool frag = ((ip[6] << 8 | ip[7]) & 0x3fff) != 0;

		/* the program sees whole datagrams: its ids are its own */
		if (!frag) {
			sl_pkt_put16(ip + 4, v->ipid++);
			ip[6] = 0x40;
			ip[7] = 0;
		}
		ip[8] = 64;
		ip[10] = ip[11] = 0;
		if (hlen <= len)
			sl_pkt_put16(ip + 10, sl_csum_fold(sl_csum_add(0, ip, hlen)));
	} else if (ip[0] >> 4 == 6 && len >= SL_PKT_IP6_LEN) {
		ip[7] = 64;
	}
	uint64_t at = t + 1000u * slg_rng_range(&v->rng, v->min_delay_us, v->max_delay_us);
	if (at < v->last_t)
		at = v->last_t;
	v->last_t = at;
	uint32_t cap = caplen > f->l3 ? caplen - (uint32_t)f->l3 : 0;
	int rc = slg_pcapw_write(&o->w, o->ifid, at, ip, cap, (uint32_t)len);
	memcpy(ip, saved, len < sizeof saved ? len : sizeof saved);
	return rc;
}

int
slg_out_write(struct slg_out *o, uint64_t t, uint32_t caplen)
{
	uint32_t len = (uint32_t)o->f->len;

	/* An overflow is a generator bug; refuse rather than write junk. */
	if (o->f->overflow)
		return -1;
	if (caplen == 0 || caplen > len)
		caplen = len;
	if (o->view)
		return view_write(o, o->view, t, caplen);
	return slg_pcapw_write(&o->w, o->ifid, t, o->f->b, caplen, len);
}

int
slg_out_udp(struct slg_out *o, uint64_t t, struct slg_host *src,
    uint16_t sport, const struct slg_host *dst, uint16_t dport,
    const void *pl, size_t plen)
{
	o->l4len = slg_udp_make(o->l4, SLG_FRAME_MAX, &src->ip, &dst->ip,
	    sport, dport, pl, plen);
	if (o->l4len == 0)
		return -1;
	slg_out_build(o, src, dst, SLG_IPPROTO_UDP, NULL);
	return slg_out_write(o, t, 0);
}

int
slg_out_icmp_unreach(struct slg_out *o, uint64_t t, struct slg_host *from,
    const struct slg_host *to, const uint8_t *quote, size_t qlen)
{
	o->l4len = slg_icmp_unreach_make(o->l4, SLG_FRAME_MAX, 3, quote, qlen);
	if (o->l4len == 0)
		return -1;
	slg_out_build(o, from, to, SLG_IPPROTO_ICMP, NULL);
	return slg_out_write(o, t, 0);
}
