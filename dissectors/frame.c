/* frame.c: entry point of dissection (one captured frame in, one
 * struct sl_packet out), the anomaly list and the skip labels. A frame
 * shorter on capture than on the wire (snaplen) is still decoded as far
 * as its bytes go; the layers below notice what is missing. */
#include "dissectors/ip.h"

#include <string.h>

void
sl_packet_init(struct sl_packet *pkt, struct sl_arena *scratch)
{
	/* Once per frame. With the size known, gcc inlines this memset as
	 * rep stos, whose start-up showed as 2 to 5% of a run in perf; hiding
	 * the size makes it call libc's vector memset instead. */
	size_t n = sizeof(*pkt);
	__asm__("" : "+r"(n));
	memset(pkt, 0, n);
	pkt->scratch = scratch;
}

enum sl_err
sl_anomaly(struct sl_packet *pkt, const char *name)
{
	/* Compare text, not pointers: the same literal may live at different
	 * addresses in different translation units. */
	for (uint8_t i = 0; i < pkt->n_anomalies; i++)
		if (strcmp(pkt->anomalies[i], name) == 0)
			return SL_EMALFORMED;
	if (pkt->n_anomalies < SL_MAX_ANOMALIES)
		pkt->anomalies[pkt->n_anomalies++] = name;
	else if (pkt->anomalies_lost < UINT16_MAX)
		pkt->anomalies_lost++;
	return SL_EMALFORMED;
}

/* Text for people (the summary line) and a stable snake_case id for
 * scripts (JSON "skipped" keys, reports/JSON.md), one row per reason. */
static const struct {
	const char *name, *id;
} skips[SL_SKIP__COUNT] = {
	[SL_SKIP_NONE] = { "analysed", "analysed" },
	[SL_SKIP_LINKTYPE] = { "unsupported link type", "link_type" },
	[SL_SKIP_TRUNCATED] = { "truncated", "truncated" },
	[SL_SKIP_ARP] = { "ARP", "arp" },
	[SL_SKIP_NON_IP] = { "non-IP", "not_ip" },
	[SL_SKIP_IP_BAD] = { "bad IP", "ip_bad" },
	[SL_SKIP_FRAGMENT] = { "fragments held", "fragments_held" },
	[SL_SKIP_FRAG_DROPPED] = { "fragments dropped", "fragments_dropped" },
	[SL_SKIP_TCP] = { "TCP", "tcp" },
	[SL_SKIP_IP_OTHER] = { "other IP", "ip_other" },
	[SL_SKIP_ICMP_OTHER] = { "other ICMP", "icmp_other" },
	[SL_SKIP_UDP_OTHER] = { "other UDP", "udp_other" },
	[SL_SKIP_UDP_BAD] = { "bad UDP", "udp_bad" },
	[SL_SKIP_RTP_BAD] = { "bad RTP", "rtp_bad" },
};

const char *
sl_skip_name(enum sl_skip s)
{
	return (unsigned)s < SL_SKIP__COUNT && skips[s].name ? skips[s].name : "?";
}

const char *
sl_skip_id(enum sl_skip s)
{
	return (unsigned)s < SL_SKIP__COUNT && skips[s].id ? skips[s].id : "unknown";
}

enum sl_net
sl_dissect_frame_link(struct sl_packet *pkt, const uint8_t *data, size_t caplen,
    struct sl_cur *c)
{
	static const uint8_t empty[1];

	/* NULL + 0 is undefined in C; an empty frame still has a cursor */
	if (data == NULL) {
		data = empty;
		caplen = 0;
	}
	*c = sl_cur_init(data, caplen);
	return sl_link_dissect(pkt, c);
}

void
sl_net_dissect(const struct sl_dctx *ctx, struct sl_packet *pkt, enum sl_net net,
    struct sl_cur *c)
{
	if (net == SL_NET_IP4)
		sl_ip4_dissect(ctx, pkt, c);
	else if (net == SL_NET_IP6)
		sl_ip6_dissect(ctx, pkt, c);
}

void
sl_dissect_frame_net(const struct sl_dctx *ctx, struct sl_packet *pkt, enum sl_net net,
    struct sl_cur *c)
{
	sl_net_dissect(ctx, pkt, net, c);
	/* Every frame ends up analysed or counted under one skip reason; a
	 * path that forgot to say why is our bug, not the input's. app is
	 * tested alone first: the compiler joins two tests of adjacent fields
	 * into one load, which waits for the store of app just made. */
	if (pkt->app != SL_APP_NONE)
		return;
	if (SL_NEVER(pkt->skip == SL_SKIP_NONE))
		pkt->skip = SL_SKIP_UDP_OTHER;
}

void
sl_dissect_frame(const struct sl_dctx *ctx, struct sl_packet *pkt,
    const uint8_t *data, size_t caplen)
{
	struct sl_cur c;
	enum sl_net net = sl_dissect_frame_link(pkt, data, caplen, &c);
	sl_dissect_frame_net(ctx, pkt, net, &c);
}
