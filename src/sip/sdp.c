/* sdp.c: builder, strict reader and rewriter for sdp.h. Lines and their
 * fields are cut by the shared scanner (core/sdpscan.h), the analyzer's
 * too; what this side adds is its policy: caps on lines, the first m=audio
 * section only, a body that must start with v=. */
#include "sip/sdp.h"

#include <string.h>

#include "core/rtpavp.h"
#include "core/sdpscan.h"
#include "core/str.h"

#define LINE_MAX_LEN 1024	/* bytes, terminator included */
#define MAX_LINES 512
#define MAX_FMT_TOKENS 64

const char *
sl_sipsdp_codec_name(int pt)
{
	if (pt != SL_SIPSDP_PCMU && pt != SL_SIPSDP_PCMA)
		return NULL;
	return sl_rtp_static_codec((uint8_t)pt, NULL);
}

static enum sl_sdpscan_dir
to_scan(enum sl_sipsdp_dir d)
{
	switch (d) {
	case SL_SIPSDP_SENDONLY: return SL_SDPSCAN_DIR_SENDONLY;
	case SL_SIPSDP_RECVONLY: return SL_SDPSCAN_DIR_RECVONLY;
	case SL_SIPSDP_INACTIVE: return SL_SDPSCAN_DIR_INACTIVE;
	case SL_SIPSDP_SENDRECV: break;
	}
	return SL_SDPSCAN_DIR_SENDRECV;
}

/* RFC 3264 6.1: a session without a direction attribute is sendrecv */
static enum sl_sipsdp_dir
from_scan(enum sl_sdpscan_dir d)
{
	switch (d) {
	case SL_SDPSCAN_DIR_SENDONLY: return SL_SIPSDP_SENDONLY;
	case SL_SDPSCAN_DIR_RECVONLY: return SL_SIPSDP_RECVONLY;
	case SL_SDPSCAN_DIR_INACTIVE: return SL_SIPSDP_INACTIVE;
	case SL_SDPSCAN_DIR_SENDRECV:
	case SL_SDPSCAN_DIR_NONE: break;
	}
	return SL_SIPSDP_SENDRECV;
}

enum sl_err
sl_sipsdp_build(const struct sl_sipsdp_spec *s, struct sl_buf *out)
{
	char ip[SL_IP_STRLEN];
	const char *fam = s->addr.family == SL_AF_INET6 ? "IP6" : "IP4";
	enum sl_err e;

	if (s->npt == 0 || s->pts == NULL || s->addr.family == SL_AF_NONE)
		return SL_EUSAGE;
	sl_ip_str(&s->addr, ip, sizeof(ip));
	e = sl_buf_printf(out, "v=0\r\no=%s %llu %llu IN %s %s\r\ns=%s\r\n"
	    "c=IN %s %s\r\nt=0 0\r\nm=audio %u RTP/AVP",
	    s->user ? s->user : "-", (unsigned long long)s->sess_id,
	    (unsigned long long)s->sess_ver, fam, ip,
	    s->session_name ? s->session_name : "-", fam, ip, s->port);
	for (size_t i = 0; !e && i < s->npt; i++)
		e = sl_buf_printf(out, " %u", s->pts[i]);
	if (!e && s->te_pt >= 0)
		e = sl_buf_printf(out, " %d", s->te_pt);
	if (!e)
		e = sl_buf_adds(out, "\r\n");
	for (size_t i = 0; !e && i < s->npt; i++) {
		const char *name = sl_sipsdp_codec_name(s->pts[i]);
		if (name)
			e = sl_buf_printf(out, "a=rtpmap:%u %s/8000\r\n", s->pts[i], name);
	}
	if (!e && s->te_pt >= 0)
		e = sl_buf_printf(out, "a=rtpmap:%d telephone-event/8000\r\n"
		    "a=fmtp:%d 0-15\r\n", s->te_pt, s->te_pt);
	if (!e && s->ptime_ms)
		e = sl_buf_printf(out, "a=ptime:%u\r\n", s->ptime_ms);
	if (!e)
		e = sl_buf_printf(out, "a=%s\r\n", sl_sdpscan_dir_name(to_scan(s->dir)));
	return e;
}

/* ----- reading ----- */

/* The lines of a body under this side's caps: a peer's SDP gets at most
 * MAX_LINES lines of LINE_MAX_LEN bytes looked at, and a longer line
 * makes the whole body malformed rather than cut. */
struct lines {
	struct sl_sdpscan sc;
	int n;			/* lines returned so far */
	bool too_long;		/* stopped at a line over LINE_MAX_LEN */
};

static bool
next_line(struct lines *l, struct sl_sdpscan_line *ln)
{
	if (l->n == MAX_LINES || !sl_sdpscan_next(&l->sc, ln))
		return false;
	l->n++;
	if (ln->span > LINE_MAX_LEN) {
		l->too_long = true;
		return false;
	}
	return true;
}

/* The first m=audio line; any other m= line starts a section we skip. */
static bool
read_audio(struct sl_str v, bool seen_audio, struct sl_sipsdp_info *out)
{
	struct sl_sdpscan_media sm;
	bool ok = sl_sdpscan_media(v, &sm);

	if (seen_audio || !sl_str_eq(sm.type, SL_STR("audio")))
		return false;
	if (!ok)
		return true;	/* its section still is the audio one */
	out->has_audio = true;
	out->port = sm.port;
	for (int k = 0; k < MAX_FMT_TOKENS; k++) {
		struct sl_str f = sl_sdpscan_token(&sm.fmts);
		uint8_t pt;
		if (f.n == 0)
			break;
		if (sl_sdpscan_pt(f, &pt) && out->npt < SL_SIPSDP_MAX_PT)
			out->pts[out->npt++] = pt;
	}
	return true;
}

static void
read_origin(struct sl_str v, struct sl_sipsdp_info *out)
{
	struct sl_sdpscan_origin o;
	uint64_t id, ver;

	sl_sdpscan_origin(v, &o);
	if (sl_str_u64(o.sess_id, UINT64_MAX, &id))
		out->sess_id = id;
	if (sl_str_u64(o.sess_ver, UINT64_MAX, &ver))
		out->sess_ver = ver;
}

/* RFC 4733 telephone-event; encoding names are media subtypes, which
 * match in any case (RFC 6838 4.2) */
static void
read_rtpmap(struct sl_str v, struct sl_sipsdp_info *out)
{
	struct sl_sdpscan_rtpmap r;

	if (sl_sdpscan_rtpmap(v, &r) && sl_str_ieq(r.name, SL_STR("telephone-event")))
		out->te_pt = r.pt;
}

enum sl_err
sl_sipsdp_parse(const void *body, size_t n, struct sl_sipsdp_info *out)
{
	struct lines l = { .n = 0 };
	struct sl_sdpscan_line ln;
	enum { SESSION, AUDIO, OTHER } where = SESSION;
	struct sl_ip sess_conn = { 0 };
	bool sess_has_conn = false, audio_has_conn = false, seen_audio = false;
	enum sl_sdpscan_dir sess_dir = SL_SDPSCAN_DIR_NONE, audio_dir = SL_SDPSCAN_DIR_NONE;

	memset(out, 0, sizeof(*out));
	out->te_pt = -1;
	sl_sdpscan_init(&l.sc, body, n);
	while (next_line(&l, &ln)) {
		if (l.n == 1 && !sl_str_istarts(ln.raw, SL_STR("v=")))
			return SL_EMALFORMED;
		switch (ln.type) {
		case 'o':
			read_origin(ln.value, out);
			break;
		case 'c':
			/* a bad c= undoes an earlier good one: no guessing */
			if (where == SESSION)
				sess_has_conn = sl_sdpscan_conn(ln.value, &sess_conn);
			else if (where == AUDIO)
				audio_has_conn = sl_sdpscan_conn(ln.value, &out->conn);
			break;
		case 'm':
			where = read_audio(ln.value, seen_audio, out) ? AUDIO : OTHER;
			seen_audio |= where == AUDIO;
			break;
		case 'a': {
			struct sl_str name, val;
			if (where == OTHER)
				break;
			sl_sdpscan_attr(ln.value, &name, &val);
			enum sl_sdpscan_dir d = sl_sdpscan_dir(name);
			if (d != SL_SDPSCAN_DIR_NONE && where == SESSION)
				sess_dir = d;
			else if (d != SL_SDPSCAN_DIR_NONE)
				audio_dir = d;
			else if (where == AUDIO && sl_str_eq(name, SL_STR("rtpmap")))
				read_rtpmap(val, out);
			break;
		}
		default:
			break;
		}
	}
	if (l.too_long)
		return SL_EMALFORMED;
	if (audio_has_conn) {
		out->has_conn = true;
	} else if (sess_has_conn) {
		out->conn = sess_conn;
		out->has_conn = true;
	} else {
		out->conn = (struct sl_ip){ 0 };
	}
	out->dir = from_scan(audio_dir != SL_SDPSCAN_DIR_NONE ? audio_dir : sess_dir);
	return SL_OK;
}

int
sl_sipsdp_choose(const struct sl_sipsdp_info *offer, const uint8_t *ours, size_t n)
{
	for (size_t i = 0; i < offer->npt; i++)
		for (size_t j = 0; j < n; j++)
			if (offer->pts[i] == ours[j])
				return offer->pts[i];
	return -1;
}

/* ----- rewriting ----- */

static enum sl_err
add_line(struct sl_buf *out, struct sl_str s)
{
	enum sl_err e = sl_buf_addstr(out, s);
	return e ? e : sl_buf_adds(out, "\r\n");
}

enum sl_err
sl_sipsdp_rewrite(const void *body, size_t n, const struct sl_ip *addr,
    uint16_t port, struct sl_buf *out)
{
	struct lines l = { .n = 0 };
	struct sl_sdpscan_line ln;
	char ip[SL_IP_STRLEN];
	const char *fam = addr->family == SL_AF_INET6 ? "IP6" : "IP4";
	bool audio_done = false;
	enum sl_err e = SL_OK;

	if (addr->family == SL_AF_NONE)
		return SL_EUSAGE;
	sl_ip_str(addr, ip, sizeof(ip));
	sl_sdpscan_init(&l.sc, body, n);
	while (!e && next_line(&l, &ln)) {
		/* matched in any case, unlike the reader: a "C=" line some
		 * peer might honour must not carry the other leg's address */
		struct sl_str line = ln.raw;
		struct sl_str v = line.n >= 2 ? sl_str_make(line.p + 2, line.n - 2) : SL_STR_NULL;
		if (sl_str_istarts(line, SL_STR("c="))) {
			e = sl_buf_printf(out, "c=IN %s %s\r\n", fam, ip);
		} else if (sl_str_istarts(line, SL_STR("o="))) {
			/* o=<user> <id> <ver> IN <type> <addr>: keep the first three */
			struct sl_sdpscan_origin o;
			sl_sdpscan_origin(v, &o);
			e = sl_buf_printf(out, "o=%.*s %.*s %.*s IN %s %s\r\n", SL_PRI(o.user),
			    SL_PRI(o.sess_id), SL_PRI(o.sess_ver), fam, ip);
		} else if (!audio_done && sl_str_istarts(line, SL_STR("m=audio "))) {
			struct sl_str rest = v;
			sl_sdpscan_token(&rest);	/* "audio" */
			sl_sdpscan_token(&rest);	/* old port */
			e = sl_buf_printf(out, "m=audio %u %.*s\r\n", port, SL_PRI(sl_str_trim(rest)));
			audio_done = true;
		} else {
			e = add_line(out, line);
		}
	}
	if (!e && l.too_long) {
		sl_buf_free(out);
		return SL_EMALFORMED;
	}
	return e;
}
