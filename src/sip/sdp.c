/* sdp.c: builder, bounded line parser and rewriter for sdp.h. */
#include "sdp.h"

#include <string.h>

#include "core/cursor.h"
#include "core/str.h"

#define LINE_MAX_LEN 1024
#define MAX_LINES 512

const char *
sl_sipsdp_codec_name(int pt)
{
	return pt == SL_SIPSDP_PCMU ? "PCMU" : pt == SL_SIPSDP_PCMA ? "PCMA" : NULL;
}

static const char *
dir_attr(enum sl_sipsdp_dir d)
{
	switch (d) {
	case SL_SIPSDP_SENDONLY: return "sendonly";
	case SL_SIPSDP_RECVONLY: return "recvonly";
	case SL_SIPSDP_INACTIVE: return "inactive";
	case SL_SIPSDP_SENDRECV: break;
	}
	return "sendrecv";
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
		e = sl_buf_printf(out, "a=%s\r\n", dir_attr(s->dir));
	return e;
}

/* ----- parsing ----- */

/* next space-separated token of *s */
static struct sl_str
word(struct sl_str *s)
{
	struct sl_str w;

	*s = sl_str_trim(*s);
	*s = sl_str_split(*s, ' ', &w);
	return w;
}

static bool
parse_conn(struct sl_str v, struct sl_ip *ip)
{
	struct sl_str nettype = word(&v), addrtype = word(&v), addr = word(&v);
	struct sl_str base;

	if (!sl_str_eq(nettype, SL_STR("IN")))
		return false;
	/* multicast "addr/ttl": the address part only */
	sl_str_split(addr, '/', &base);
	if (!sl_ip_parse(base, ip))
		return false;
	return (sl_str_eq(addrtype, SL_STR("IP4")) && ip->family == SL_AF_INET4) ||
	    (sl_str_eq(addrtype, SL_STR("IP6")) && ip->family == SL_AF_INET6);
}

static bool
parse_dir(struct sl_str a, enum sl_sipsdp_dir *d)
{
	static const struct {
		const char *name;
		enum sl_sipsdp_dir d;
	} t[] = { { "sendrecv", SL_SIPSDP_SENDRECV }, { "sendonly", SL_SIPSDP_SENDONLY },
		  { "recvonly", SL_SIPSDP_RECVONLY }, { "inactive", SL_SIPSDP_INACTIVE } };

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (sl_str_eq(a, sl_str_c(t[i].name))) {
			*d = t[i].d;
			return true;
		}
	return false;
}

enum sl_err
sl_sipsdp_parse(const void *body, size_t n, struct sl_sipsdp_info *out)
{
	struct sl_cur c = sl_cur_init(body, n);
	struct sl_str line;
	enum { SESSION, AUDIO, OTHER } where = SESSION;
	struct sl_ip sess_conn;
	bool sess_has_conn = false, audio_has_conn = false, seen_audio = false;
	enum sl_sipsdp_dir sess_dir = SL_SIPSDP_SENDRECV, audio_dir = SL_SIPSDP_SENDRECV;
	bool audio_dir_set = false;

	memset(out, 0, sizeof(*out));
	memset(&sess_conn, 0, sizeof(sess_conn));
	out->te_pt = -1;
	for (int i = 0; i < MAX_LINES && sl_cur_left(&c) > 0; i++) {
		if (!sl_cur_line(&c, &line, LINE_MAX_LEN)) {
			/* last line without terminator */
			if (sl_cur_left(&c) > LINE_MAX_LEN)
				return SL_EMALFORMED;
			line = sl_cur_str(&c, sl_cur_left(&c));
		}
		if (i == 0 && !sl_str_istarts(line, SL_STR("v=")))
			return SL_EMALFORMED;
		if (line.n < 2 || line.p[1] != '=')
			continue;
		struct sl_str v = sl_str_make(line.p + 2, line.n - 2);
		switch (line.p[0]) {
		case 'o': {
			word(&v);
			uint64_t id, ver;
			if (sl_str_u64(word(&v), UINT64_MAX, &id))
				out->sess_id = id;
			if (sl_str_u64(word(&v), UINT64_MAX, &ver))
				out->sess_ver = ver;
			break;
		}
		case 'c':
			if (where == SESSION)
				sess_has_conn = parse_conn(v, &sess_conn);
			else if (where == AUDIO)
				audio_has_conn = parse_conn(v, &out->conn);
			break;
		case 'm': {
			struct sl_str media = word(&v), port = word(&v), proto;
			uint32_t p;
			if (seen_audio || !sl_str_eq(media, SL_STR("audio"))) {
				where = OTHER;
				break;
			}
			seen_audio = true;
			where = AUDIO;
			struct sl_str pnum;
			sl_str_split(port, '/', &pnum);	/* "port/count" */
			if (!sl_str_u32(pnum, 65535, &p))
				break;
			out->has_audio = true;
			out->port = (uint16_t)p;
			proto = word(&v);
			(void)proto;
			for (int k = 0; k < 64 && v.n > 0; k++) {
				uint32_t pt;
				struct sl_str f = word(&v);
				if (f.n == 0)
					break;
				if (sl_str_u32(f, 127, &pt) && out->npt < SL_SIPSDP_MAX_PT)
					out->pts[out->npt++] = (uint8_t)pt;
			}
			break;
		}
		case 'a': {
			enum sl_sipsdp_dir d;
			if (where == OTHER)
				break;
			if (parse_dir(sl_str_trim(v), &d)) {
				if (where == SESSION)
					sess_dir = d;
				else {
					audio_dir = d;
					audio_dir_set = true;
				}
			} else if (where == AUDIO && sl_str_istarts(v, SL_STR("rtpmap:"))) {
				struct sl_str rest = sl_str_make(v.p + 7, v.n - 7), num;
				uint32_t pt;
				rest = sl_str_split(rest, ' ', &num);
				if (sl_str_u32(num, 127, &pt) &&
				    sl_str_istarts(sl_str_trim(rest), SL_STR("telephone-event/")))
					out->te_pt = (int)pt;
			}
			break;
		}
		default:
			break;
		}
	}
	if (audio_has_conn) {
		out->has_conn = true;
	} else if (sess_has_conn) {
		out->conn = sess_conn;
		out->has_conn = true;
	}
	out->dir = audio_dir_set ? audio_dir : sess_dir;
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
	struct sl_cur c = sl_cur_init(body, n);
	struct sl_str line;
	char ip[SL_IP_STRLEN];
	const char *fam = addr->family == SL_AF_INET6 ? "IP6" : "IP4";
	bool audio_done = false;
	enum sl_err e = SL_OK;

	if (addr->family == SL_AF_NONE)
		return SL_EUSAGE;
	sl_ip_str(addr, ip, sizeof(ip));
	for (int i = 0; !e && i < MAX_LINES && sl_cur_left(&c) > 0; i++) {
		if (!sl_cur_line(&c, &line, LINE_MAX_LEN)) {
			if (sl_cur_left(&c) > LINE_MAX_LEN) {
				sl_buf_free(out);
				return SL_EMALFORMED;
			}
			line = sl_cur_str(&c, sl_cur_left(&c));
		}
		struct sl_str v = line.n >= 2 ? sl_str_make(line.p + 2, line.n - 2) : SL_STR_NULL;
		if (sl_str_istarts(line, SL_STR("c="))) {
			e = sl_buf_printf(out, "c=IN %s %s\r\n", fam, ip);
		} else if (sl_str_istarts(line, SL_STR("o="))) {
			/* o=<user> <id> <ver> IN <type> <addr>: keep the first three */
			struct sl_str user = word(&v), id = word(&v), ver = word(&v);
			e = sl_buf_printf(out, "o=%.*s %.*s %.*s IN %s %s\r\n", SL_PRI(user),
			    SL_PRI(id), SL_PRI(ver), fam, ip);
		} else if (!audio_done && sl_str_istarts(line, SL_STR("m=audio "))) {
			struct sl_str rest = v;
			word(&rest);	/* "audio" */
			word(&rest);	/* old port */
			e = sl_buf_printf(out, "m=audio %u %.*s\r\n", port, SL_PRI(sl_str_trim(rest)));
			audio_done = true;
		} else {
			e = add_line(out, line);
		}
	}
	return e;
}
