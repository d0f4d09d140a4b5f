/* sip.c: see sip.h. */
#include "tests/gen/sip.h"

#include <stdio.h>
#include <string.h>

#include "sip/md5.h"

void
slg_sip_end(struct slg_text *t, const char *ctype_hdr, const char *ctype,
    const char *cl_hdr, const char *body, size_t blen)
{
	if (blen > 0 && ctype_hdr != NULL)
		slg_text_add(t, "%s: %s\r\n", ctype_hdr, ctype);
	slg_text_add(t, "%s: %zu\r\n\r\n", cl_hdr, blen);
	if (blen > 0)
		slg_text_raw(t, body, blen);
}

struct pt_name {
	unsigned pt;
	const char *rtpmap;
};

/* RFC 3551 static types plus the dynamic ones our SDP offers use. */
static const struct pt_name pt_names[] = {
	{ 0, "PCMU/8000" }, { 3, "GSM/8000" }, { 4, "G723/8000" },
	{ 8, "PCMA/8000" }, { 9, "G722/8000" }, { 18, "G729/8000" },
	{ 97, "iLBC/8000" }, { 98, "speex/8000" }, { 99, "speex/16000" },
	{ 100, "speex/32000" }, { 101, "telephone-event/8000" },
	{ 102, "AMR/8000" }, { 103, "opus/48000/2" }, { 104, "G726-32/8000" },
	{ 105, "SILK/16000" }, { 106, "iLBC/8000" },
};

static const char *
pt_lookup(unsigned pt)
{
	for (size_t i = 0; i < sizeof(pt_names) / sizeof(pt_names[0]); i++)
		if (pt_names[i].pt == pt)
			return pt_names[i].rtpmap;
	return NULL;
}

void
slg_sdp_audio(struct slg_text *t, const struct slg_sdp *sdp)
{
	char a[64];
	const char *fam = sdp->addr->v == 6 ? "IP6" : "IP4";
	const char *p = sdp->fmts;

	slg_ip_str(sdp->addr, a, sizeof(a));
	slg_text_add(t, "v=0\r\n");
	slg_text_add(t, "o=%s %llu %llu IN %s %s\r\n", sdp->user,
	    (unsigned long long)sdp->sess_id,
	    (unsigned long long)sdp->sess_ver, fam, a);
	slg_text_add(t, "s=%s\r\n", sdp->session ? sdp->session : "SIP Call");
	slg_text_add(t, "c=IN %s %s\r\n", fam, a);
	slg_text_add(t, "t=0 0\r\n");
	slg_text_add(t, "m=audio %u RTP/AVP %s\r\n", sdp->port, sdp->fmts);
	/* Walk the payload type list by hand: strtok is banned. */
	while (*p != '\0') {
		unsigned pt = 0;
		const char *name;

		while (*p == ' ')
			p++;
		if (*p < '0' || *p > '9')
			break;
		while (*p >= '0' && *p <= '9')
			pt = pt * 10 + (unsigned)(*p++ - '0');
		name = pt_lookup(pt);
		if (name != NULL)
			slg_text_add(t, "a=rtpmap:%u %s\r\n", pt, name);
		if (pt == 101)
			slg_text_add(t, "a=fmtp:101 0-15\r\n");
	}
	if (sdp->extra != NULL)
		slg_text_add(t, "%s", sdp->extra);
}

const char *
slg_sip_host(const struct slg_ip *ip, char *out, size_t cap)
{
	char a[64];

	slg_ip_str(ip, a, sizeof(a));
	if (ip->v == 6)
		snprintf(out, cap, "[%s]", a);
	else
		snprintf(out, cap, "%s", a);
	return out;
}

void
slg_digest_response(char out[33], const char *user, const char *realm,
    const char *pass, const char *method, const char *uri, const char *nonce)
{
	char buf[512], ha1[33], ha2[33];
	int n;

	n = snprintf(buf, sizeof(buf), "%s:%s:%s", user, realm, pass);
	sl_md5_hex(buf, n > 0 ? strlen(buf) : 0, ha1);
	n = snprintf(buf, sizeof(buf), "%s:%s", method, uri);
	sl_md5_hex(buf, n > 0 ? strlen(buf) : 0, ha2);
	n = snprintf(buf, sizeof(buf), "%s:%s:%s", ha1, nonce, ha2);
	sl_md5_hex(buf, n > 0 ? strlen(buf) : 0, out);
}

void
slg_yate_nonce(char *out, size_t cap, const char *secret, uint64_t t)
{
	char buf[128], h[33];

	snprintf(buf, sizeof(buf), "%s.%llu", secret, (unsigned long long)t);
	sl_md5_hex(buf, strlen(buf), h);
	snprintf(out, cap, "%s.%llu", h, (unsigned long long)t);
}
