/* out.c: see out.h. */
#include "tests/gen/out.h"

#include <stdlib.h>

int
slg_out_init(struct slg_out *o)
{
	o->ifid = 0;
	o->link = NULL;
	o->l4len = 0;
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

int
slg_out_write(struct slg_out *o, uint64_t t, uint32_t caplen)
{
	uint32_t len = (uint32_t)o->f->len;

	/* An overflow is a generator bug; refuse rather than write junk. */
	if (o->f->overflow)
		return -1;
	if (caplen == 0 || caplen > len)
		caplen = len;
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
