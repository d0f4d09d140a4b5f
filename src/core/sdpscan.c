/* sdpscan.c: the field scanners of sdpscan.h (lines and tokens are inline
 * there). Every read is bounded by a slice length; an empty slice may have
 * p == NULL, so no arithmetic is done on one. */
#include "core/sdpscan.h"

#include <string.h>

void
sl_sdpscan_origin(struct sl_str v, struct sl_sdpscan_origin *out)
{
	out->user = sl_sdpscan_token(&v);
	out->sess_id = sl_sdpscan_token(&v);
	out->sess_ver = sl_sdpscan_token(&v);
}

bool
sl_sdpscan_conn(struct sl_str v, struct sl_ip *out)
{
	struct sl_str net = sl_sdpscan_token(&v), type = sl_sdpscan_token(&v);
	struct sl_str addr = sl_sdpscan_token(&v);
	if (!sl_str_ieq(net, SL_STR("IN")))
		return false;
	uint8_t fam;
	if (sl_str_ieq(type, SL_STR("IP4")))
		fam = SL_AF_INET4;
	else if (sl_str_ieq(type, SL_STR("IP6")))
		fam = SL_AF_INET6;
	else
		return false;
	struct sl_str host;
	sl_str_split(addr, '/', &host);
	struct sl_ip ip;
	if (!sl_ip_parse(host, &ip) || ip.family != fam)
		return false;
	*out = ip;
	return true;
}

bool
sl_sdpscan_media(struct sl_str v, struct sl_sdpscan_media *out)
{
	*out = (struct sl_sdpscan_media){ .type = sl_sdpscan_token(&v) };
	struct sl_str pnum;
	uint32_t port;
	sl_str_split(sl_sdpscan_token(&v), '/', &pnum);
	if (out->type.n == 0 || !sl_str_u32(pnum, 65535, &port))
		return false;
	out->port = (uint16_t)port;
	out->proto = sl_sdpscan_token(&v);
	out->fmts = v;
	return true;
}

bool
sl_sdpscan_pt(struct sl_str tok, uint8_t *pt)
{
	uint32_t v;
	if (!sl_str_u32(tok, 127, &v))
		return false;
	*pt = (uint8_t)v;
	return true;
}

void
sl_sdpscan_attr(struct sl_str v, struct sl_str *name, struct sl_str *value)
{
	const char *colon = v.n ? memchr(v.p, ':', v.n) : NULL;
	size_t b = 0, e = colon ? (size_t)(colon - v.p) : v.n;

	*value = colon ? sl_str_make(colon + 1, v.n - e - 1) : SL_STR_NULL;
	while (b < e && sl_sdpscan_is_blank(v.p[b]))
		b++;
	while (e > b && sl_sdpscan_is_blank(v.p[e - 1]))
		e--;
	*name = b < e ? sl_str_make(v.p + b, e - b) : SL_STR_NULL;
}

bool
sl_sdpscan_rtpmap(struct sl_str v, struct sl_sdpscan_rtpmap *out)
{
	struct sl_str pt = sl_sdpscan_token(&v), enc = sl_sdpscan_token(&v);
	struct sl_str rate, rest = sl_str_split(enc, '/', &out->name);
	sl_str_split(rest, '/', &rate);	/* "/<channels>" and the like: not ours */
	return sl_sdpscan_pt(pt, &out->pt) && out->name.n &&
	    sl_str_u32(rate, UINT32_MAX, &out->rate);
}

/* indexed by enum sl_sdpscan_dir */
static const char *const dir_names[] = { "", "sendrecv", "sendonly", "recvonly", "inactive" };

enum sl_sdpscan_dir
sl_sdpscan_dir(struct sl_str name)
{
	/* all four names are 8 bytes: most attributes end here */
	if (name.n != 8)
		return SL_SDPSCAN_DIR_NONE;
	for (size_t d = SL_SDPSCAN_DIR_SENDRECV; d < sizeof(dir_names) / sizeof(dir_names[0]); d++)
		if (memcmp(name.p, dir_names[d], 8) == 0)
			return (enum sl_sdpscan_dir)d;
	return SL_SDPSCAN_DIR_NONE;
}

const char *
sl_sdpscan_dir_name(enum sl_sdpscan_dir d)
{
	size_t i = (size_t)d;
	return i < sizeof(dir_names) / sizeof(dir_names[0]) ? dir_names[i] : "";
}
