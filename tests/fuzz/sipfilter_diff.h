/* sipfilter_diff.h: compares two dissections of one SIP datagram, every
 * field that dissectors/sip.h and sdp.h expose plus the packet's anomalies
 * and the return code. Shared by fuzz_sipfilter.c and
 * tests/unit/test_sipfilter.c; header-only because tests/fuzz builds each
 * fuzz_*.c as a program of its own. */
#ifndef SL_SIPFILTER_DIFF_H
#define SL_SIPFILTER_DIFF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "dissectors/dissector.h"
#include "dissectors/sip.h"

/* A field added to struct sl_sip or struct sl_sdp changes its size: this
 * stops the build until the comparison below learns the new field (then
 * update the number). Only on LP64, where the sizes were measured. */
#if defined(__x86_64__) || defined(__aarch64__)
_Static_assert(sizeof(struct sl_sip) == 568, "struct sl_sip changed: compare the new field");
_Static_assert(sizeof(struct sl_sdp) == 4720, "struct sl_sdp changed: compare the new field");
#endif

struct sipfilter_side {
	enum sl_err err;
	const struct sl_packet *pkt;
};

struct sipfilter_why {
	char *buf;
	size_t n;
	const char *where;	/* "packet", "message 2" */
};

static inline void sipfilter_say(struct sipfilter_why *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static inline void
sipfilter_say(struct sipfilter_why *w, const char *fmt, ...)
{
	va_list ap;
	int o = snprintf(w->buf, w->n, "%s: ", w->where);
	if (o < 0 || (size_t)o >= w->n)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(w->buf + o, w->n - (size_t)o, fmt, ap);
	va_end(ap);
}

/* A slice for a message: printable ASCII kept, the rest as \xNN, cut. */
static inline void
sipfilter_show(char *out, size_t n, struct sl_str s)
{
	size_t o = 0;
	if (s.p == NULL) {
		snprintf(out, n, "(null)");
		return;
	}
	out[o++] = '"';
	for (size_t i = 0; i < s.n && o + 8 < n; i++) {
		unsigned char c = (unsigned char)s.p[i];
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, n - o, "\\x%02x", c);
	}
	out[o++] = '"';
	out[o] = '\0';
}

static inline bool
sipfilter_str(struct sipfilter_why *w, const char *name, struct sl_str a, struct sl_str b)
{
	/* absent (p == NULL) and present-but-empty are told apart too */
	if (a.n == b.n && (a.p == NULL) == (b.p == NULL) &&
	    (a.n == 0 || memcmp(a.p, b.p, a.n) == 0))
		return true;
	char sa[96], sb[96];
	sipfilter_show(sa, sizeof(sa), a);
	sipfilter_show(sb, sizeof(sb), b);
	sipfilter_say(w, "%s %s vs %s", name, sa, sb);
	return false;
}

static inline bool
sipfilter_num(struct sipfilter_why *w, const char *name, long long a, long long b)
{
	if (a == b)
		return true;
	sipfilter_say(w, "%s %lld vs %lld", name, a, b);
	return false;
}

static inline void
sipfilter_join(char *out, size_t n, const char *const *names, unsigned k)
{
	size_t o = 0;
	out[0] = '\0';
	for (unsigned i = 0; i < k && o < n; i++) {
		int r = snprintf(out + o, n - o, "%s%s", i ? "," : "", names[i]);
		if (r < 0)
			return;
		o += (size_t)r;
	}
}

static inline bool
sipfilter_names(struct sipfilter_why *w, const char *name, const char *const *a,
    unsigned na, const char *const *b, unsigned nb)
{
	bool same = na == nb;
	for (unsigned i = 0; same && i < na; i++)
		same = strcmp(a[i], b[i]) == 0;
	if (same)
		return true;
	char sa[160], sb[160];
	sipfilter_join(sa, sizeof(sa), a, na);
	sipfilter_join(sb, sizeof(sb), b, nb);
	sipfilter_say(w, "%s [%s] vs [%s]", name, sa, sb);
	return false;
}

#define SF_STR(f) if (!sipfilter_str(w, #f, a->f, b->f)) return false
#define SF_NUM(f) if (!sipfilter_num(w, #f, (long long)a->f, (long long)b->f)) return false
#define SF_IP(f) do { \
		if (!sipfilter_num(w, #f ".family", a->f.family, b->f.family)) \
			return false; \
		if (memcmp(a->f.a, b->f.a, sizeof(a->f.a)) != 0) { \
			sipfilter_say(w, "%s address", #f); \
			return false; \
		} \
	} while (0)

static inline bool
sipfilter_media(struct sipfilter_why *w, const struct sl_sdp_media *a,
    const struct sl_sdp_media *b)
{
	SF_STR(type);
	SF_NUM(port);
	SF_STR(proto);
	SF_IP(conn);
	SF_NUM(dir);
	SF_NUM(n_fmt);
	for (uint8_t k = 0; k < a->n_fmt && k < SL_SDP_MAX_FMT; k++) {
		SF_NUM(fmt[k].pt);
		SF_STR(fmt[k].name);
		SF_NUM(fmt[k].rate);
	}
	return true;
}

static inline bool
sipfilter_sdp(struct sipfilter_why *w, const struct sl_sdp *a, const struct sl_sdp *b)
{
	SF_IP(conn);
	SF_NUM(dir);
	SF_STR(origin);
	SF_NUM(n_media);
	SF_NUM(media_lost);
	for (uint8_t i = 0; i < a->n_media && i < SL_SDP_MAX_MEDIA; i++)
		if (!sipfilter_media(w, &a->media[i], &b->media[i]))
			return false;
	return true;
}

static inline bool
sipfilter_msg(struct sipfilter_why *w, const struct sl_sip *a, const struct sl_sip *b)
{
	SF_STR(raw);
	SF_NUM(is_request);
	SF_STR(method);
	SF_NUM(method_id);
	SF_STR(ruri);
	SF_NUM(status);
	SF_STR(reason);
	SF_STR(call_id);
	SF_STR(from_uri);
	SF_STR(from_user);
	SF_STR(from_display);
	SF_STR(from_tag);
	SF_STR(to_uri);
	SF_STR(to_user);
	SF_STR(to_tag);
	SF_NUM(cseq);
	SF_STR(cseq_method);
	SF_NUM(cseq_method_id);
	SF_STR(via_branch);
	SF_STR(via_sent_by);
	SF_STR(via_transport);
	SF_NUM(n_via);
	SF_NUM(max_forwards);
	SF_STR(contact);
	SF_NUM(expires);
	SF_STR(reason_hdr);
	SF_STR(user_agent);
	SF_STR(xcid);
	SF_NUM(has_auth);
	SF_NUM(auth_proxy);
	SF_STR(auth_user);
	SF_STR(auth_realm);
	SF_NUM(auth_nonce);
	SF_STR(auth_uri);
	SF_NUM(has_challenge);
	SF_NUM(chal_proxy);
	SF_STR(chal_realm);
	SF_NUM(chal_nonce);
	SF_NUM(chal_stale);
	SF_STR(content_type);
	SF_NUM(content_length);
	SF_STR(body);
	if (!sipfilter_names(w, "anomalies", a->anomalies, a->n_anomalies, b->anomalies,
	    b->n_anomalies))
		return false;
	if (!sipfilter_num(w, "sdp present", a->sdp != NULL, b->sdp != NULL))
		return false;
	return a->sdp == NULL || sipfilter_sdp(w, a->sdp, b->sdp);
}

static inline bool
sipfilter_pkt(struct sipfilter_why *w, const struct sl_packet *a, const struct sl_packet *b)
{
	/* messages first: their fields say more than the packet's sums */
	char where[32];
	unsigned i = 1;
	const struct sl_sip *ma = a->sip, *mb = b->sip;
	for (; ma && mb; ma = ma->next, mb = mb->next, i++) {
		snprintf(where, sizeof(where), "message %u", i);
		w->where = where;
		if (!sipfilter_msg(w, ma, mb))
			return false;
	}
	w->where = "packet";
	if (!sipfilter_num(w, "message list length", ma != NULL, mb != NULL))
		return false;
	SF_NUM(app);
	SF_NUM(skip);
	SF_NUM(n_sip);
	SF_NUM(anomalies_lost);
	return sipfilter_names(w, "anomalies", a->anomalies, a->n_anomalies, b->anomalies,
	    b->n_anomalies);
}

#undef SF_STR
#undef SF_NUM
#undef SF_IP

/* NULL when both sides agree, else why[] (n bytes) names the first field
 * that differs, with both values, and is returned. */
static inline const char *
sipfilter_diff(struct sipfilter_side a, struct sipfilter_side b, char *why, size_t n)
{
	struct sipfilter_why w = { why, n, "packet" };
	why[0] = '\0';
	if (sipfilter_num(&w, "return code", a.err, b.err) && sipfilter_pkt(&w, a.pkt, b.pkt))
		return NULL;
	return why;
}

#endif
