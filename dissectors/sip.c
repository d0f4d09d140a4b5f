/* sip.c: SIP over UDP (RFC 3261 7, 18.3, 20); the only analyzer file that
 * sees libosip2. We frame (start line, end of headers, Content-Length) and
 * hand libosip2 one message's header lines; the body stays ours: multipart
 * bodies are not split, only application/sdp is parsed. Nothing returned
 * points into osip memory. Input: untrusted. */
#include "dissectors/sip.h"

#include <osipparser2/osip_parser.h>
#include <osipparser2/osip_port.h>
#include <stdarg.h>
#include <stdlib.h>	/* osip_free() expands to free() */
#include <string.h>

#include "core/sipstatus.h"
#include "dissectors/dissector.h"
#include "dissectors/sip_internal.h"

#define SIP_MAX_MSGS 16		/* messages per datagram */
#define SIP_MAX_METHOD 32	/* longest method token we accept */

/* ----- names and numbers ----- */

enum sl_sip_method
sl_sip_method_id(struct sl_str m)
{
	/* RFC 3261 7.1: methods are case-sensitive */
	static const struct {
		const char *name;
		enum sl_sip_method id;
	} methods[] = {
		{ "INVITE", SL_SIP_METHOD_INVITE },
		{ "ACK", SL_SIP_METHOD_ACK },
		{ "BYE", SL_SIP_METHOD_BYE },
		{ "CANCEL", SL_SIP_METHOD_CANCEL },
		{ "REGISTER", SL_SIP_METHOD_REGISTER },
		{ "OPTIONS", SL_SIP_METHOD_OPTIONS },
		{ "INFO", SL_SIP_METHOD_INFO },
		{ "UPDATE", SL_SIP_METHOD_UPDATE },
		{ "PRACK", SL_SIP_METHOD_PRACK },
		{ "SUBSCRIBE", SL_SIP_METHOD_SUBSCRIBE },
		{ "NOTIFY", SL_SIP_METHOD_NOTIFY },
		{ "MESSAGE", SL_SIP_METHOD_MESSAGE },
		{ "REFER", SL_SIP_METHOD_REFER },
		{ "PUBLISH", SL_SIP_METHOD_PUBLISH },
	};
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if (sl_str_eq(m, sl_str_c(methods[i].name)))
			return methods[i].id;
	return SL_SIP_METHOD_OTHER;
}

const char *
sl_sip_status_text(unsigned code)
{
	/* the table the server and phone share (core/sipstatus) */
	const char *r = code < 1000 ? sl_sip_reason((int)code) : NULL;

	return r ? r : "";
}

void
sl_sip_anomaly(struct sl_packet *pkt, struct sl_sip *m, const char *name)
{
	sl_anomaly(pkt, name);
	if (m == NULL)
		return;
	for (uint8_t i = 0; i < m->n_anomalies; i++)
		if (strcmp(m->anomalies[i], name) == 0)
			return;
	if (m->n_anomalies < sizeof(m->anomalies) / sizeof(m->anomalies[0]))
		m->anomalies[m->n_anomalies++] = name;
}

/* ----- start line ----- */

static bool
is_token_char(uint8_t c)
{
	/* RFC 3261 25.1 token */
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
		return true;
	/* a switch, not strchr: this runs on the first byte of every RTP
	 * packet */
	switch (c) {
	case '-': case '.': case '!': case '%': case '*':
	case '_': case '+': case '`': case '\'': case '~':
		return true;
	default:
		return false;
	}
}

static const struct sl_str sip_version = { "SIP/2.0", 7 };

/* The first line of [p, p+n) after leading CR/LF (RFC 3261 7.5 says to
 * ignore those), without its terminator; *terminated says if it had one. */
static struct sl_str
first_line(const uint8_t *p, size_t n, bool *terminated)
{
	while (n && (*p == '\r' || *p == '\n')) {
		p++;
		n--;
	}
	const uint8_t *nl = n ? memchr(p, '\n', n < SL_SIP_MAX_HDR ? n : SL_SIP_MAX_HDR) : NULL;
	size_t len = nl ? (size_t)(nl - p) : (n < SL_SIP_MAX_HDR ? n : SL_SIP_MAX_HDR);
	*terminated = nl != NULL;
	if (len && p[len - 1] == '\r')
		len--;
	return sl_str_make((const char *)p, len);
}

static bool
line_looks_like(struct sl_str l)
{
	/* Status-Line: SIP-Version SP Status-Code SP Reason-Phrase */
	if (l.n > sip_version.n + 1 && sl_str_istarts(l, sip_version) &&
	    l.p[sip_version.n] == ' ')
		return l.p[sip_version.n + 1] >= '0' && l.p[sip_version.n + 1] <= '9';
	/* Request-Line: Method SP Request-URI SP SIP-Version */
	size_t i = 0;
	while (i < l.n && i <= SIP_MAX_METHOD && is_token_char((uint8_t)l.p[i]))
		i++;
	if (i == 0 || i > SIP_MAX_METHOD || i >= l.n || l.p[i] != ' ')
		return false;
	/* at least one URI character between the two spaces */
	if (l.n < i + 3 + sip_version.n || l.p[i + 1] == ' ')
		return false;
	struct sl_str ver = sl_str_make(l.p + l.n - sip_version.n, sip_version.n);
	return l.p[l.n - sip_version.n - 1] == ' ' && sl_str_ieq(ver, sip_version);
}

bool
sl_sip_looks_like(const uint8_t *p, size_t n)
{
	bool terminated;
	/* the first byte rejects RTP/RTCP (0x80..0xbf) before any scan; the
	 * high bit alone settles it for them, as every SIP first byte is
	 * ASCII */
	if (n == 0 || p[0] >= 0x80 ||
	    (!is_token_char(p[0]) && p[0] != '\r' && p[0] != '\n'))
		return false;
	return line_looks_like(first_line(p, n, &terminated));
}

/* Fills the start-line fields of m from a line that line_looks_like. */
static void
parse_start_line(struct sl_packet *pkt, struct sl_sip *m, struct sl_str l)
{
	if (sl_str_istarts(l, sip_version) && l.n > sip_version.n && l.p[sip_version.n] == ' ') {
		struct sl_str rest = sl_str_make(l.p + sip_version.n + 1, l.n - sip_version.n - 1);
		struct sl_str code;
		rest = sl_str_split(rest, ' ', &code);
		uint32_t st;
		/* RFC 3261 7.2: 3DIGIT, first digit 1..6 */
		if (code.n == 3 && sl_str_u32(code, 699, &st) && st >= 100)
			m->status = (uint16_t)st;
		else
			sl_sip_anomaly(pkt, m, "sip.status");
		m->reason = sl_str_trim(rest);
		return;
	}
	m->is_request = true;
	struct sl_str rest = sl_str_split(l, ' ', &m->method);
	m->method_id = sl_sip_method_id(m->method);
	/* the URI is everything up to the version: it cannot hold SP */
	if (rest.n > sip_version.n + 1)
		m->ruri = sl_str_trim(sl_str_make(rest.p, rest.n - sip_version.n - 1));
}

/* ----- our own header scan ----- */

enum hdr {
	H_CONTENT_LENGTH,
	H_CONTENT_TYPE,
	H_CALL_ID,
	H_CSEQ,
	H_MAX_FORWARDS,
	H_EXPIRES,
	H_REASON,
	H_USER_AGENT,
	H_SERVER,
	H_X_CALL_ID,
	H_X_CID,
	H__COUNT
};

/* RFC 3261 7.3.3 compact forms where one exists */
#define HDR(lit, c) { { (lit), sizeof(lit) - 1 }, (c) }
static const struct {
	struct sl_str name;
	char compact;
} hdr_names[H__COUNT] = {
	[H_CONTENT_LENGTH] = HDR("content-length", 'l'),
	[H_CONTENT_TYPE] = HDR("content-type", 'c'),
	[H_CALL_ID] = HDR("call-id", 'i'),
	[H_CSEQ] = HDR("cseq", 0),
	[H_MAX_FORWARDS] = HDR("max-forwards", 0),
	[H_EXPIRES] = HDR("expires", 0),
	[H_REASON] = HDR("reason", 0),
	[H_USER_AGENT] = HDR("user-agent", 0),
	[H_SERVER] = HDR("server", 0),
	[H_X_CALL_ID] = HDR("x-call-id", 0),
	[H_X_CID] = HDR("x-cid", 0),
};
#undef HDR

struct frame {
	struct sl_str start;		/* start line */
	bool start_cut;			/* start line without a terminator */
	struct sl_str hdrs;		/* start line to end of headers, blank line included */
	struct sl_str body;
	struct sl_str raw;
	struct sl_str hv[H__COUNT];	/* first value of each, unfolded, trimmed */
	bool seen[H__COUNT];
	bool nomem;			/* a folded value could not be copied */
};

/* RFC 3261 7.3.1: a line end followed by SP/HT is one SP, as is the
 * white space around it; s may span several lines of one header. The
 * copy is in a; SL_STR_NULL when a is full. */
static struct sl_str
unfold(struct sl_arena *a, struct sl_str s)
{
	/* every join drops a line end and adds one SP: never longer */
	char *b = sl_arena_alloc(a, s.n + 1);
	if (b == NULL)
		return SL_STR_NULL;
	size_t o = 0;
	bool first = true;
	struct sl_cur c = sl_cur_init(s.p, s.n);
	while (sl_cur_left(&c)) {
		struct sl_str line;
		if (!sl_cur_line(&c, &line, sl_cur_left(&c))) {
			line = sl_str_make((const char *)c.p, sl_cur_left(&c));
			c.p = c.end;
		}
		if (!first) {
			while (o && (b[o - 1] == ' ' || b[o - 1] == '\t'))
				o--;
			while (line.n && (line.p[0] == ' ' || line.p[0] == '\t')) {
				line.p++;
				line.n--;
			}
			b[o++] = ' ';
		}
		first = false;
		memcpy(b + o, line.p, line.n);
		o += line.n;
	}
	b[o] = '\0';
	return sl_str_make(b, o);
}

/* One header: its first line and, when folded, its continuation lines,
 * the line ends between them included. */
static void
scan_header(struct frame *f, struct sl_str hdr, bool folded, struct sl_arena *a)
{
	long colon = sl_str_chr(hdr, ':');
	if (colon <= 0)
		return;
	struct sl_str name = sl_str_trim(sl_str_make(hdr.p, (size_t)colon));
	struct sl_str value = sl_str_make(hdr.p + colon + 1, hdr.n - (size_t)colon - 1);
	for (int h = 0; h < H__COUNT; h++) {
		if (f->seen[h])
			continue;
		/* lengths first: this runs for every header line */
		bool match = (name.n == 1 && hdr_names[h].compact &&
		    sl_ascii_lower(name.p[0]) == hdr_names[h].compact) ||
		    (name.n == hdr_names[h].name.n && sl_str_ieq(name, hdr_names[h].name));
		if (match) {
			f->seen[h] = true;
			if (folded) {
				value = unfold(a, value);
				f->nomem |= value.p == NULL;
			}
			f->hv[h] = sl_str_trim(value);
			return;
		}
	}
}

/* Frames one message at the start of *c (leading CR/LF already skipped)
 * and moves *c past it; unfolded header values are copied into a. The
 * message struct does not exist yet, so anomalies are returned in why[]
 * (at most 3). */
static void
frame_message(struct sl_cur *c, struct frame *f, struct sl_arena *a,
    const char **why, uint8_t *n_why)
{
	const char *start = (const char *)c->p;
	size_t left = sl_cur_left(c);
	size_t lim = left < SL_SIP_MAX_HDR ? left : SL_SIP_MAX_HDR;
	struct sl_cur h = sl_cur_init(c->p, lim);

	memset(f, 0, sizeof(*f));
	if (!sl_cur_line(&h, &f->start, lim)) {
		f->start = sl_str_make(start, lim);
		f->start_cut = true;
		why[(*n_why)++] = "sip.truncated";
		h.p = h.end;
	}
	bool eoh = false, folded = false;
	struct sl_str hdr = SL_STR_NULL;	/* the header being read */
	while (sl_cur_left(&h)) {
		struct sl_str line;
		if (!sl_cur_line(&h, &line, sl_cur_left(&h))) {
			/* the headers end without a blank line */
			line = sl_str_make((const char *)h.p, sl_cur_left(&h));
			h.p = h.end;
		} else if (line.n == 0) {
			eoh = true;
			break;
		}
		/* RFC 3261 7.3.1: a line starting with SP/HT continues the
		 * header before it (none follows the start line) */
		if (line.p[0] == ' ' || line.p[0] == '\t') {
			if (hdr.p != NULL) {
				hdr.n = (size_t)(line.p + line.n - hdr.p);
				folded = true;
			}
			continue;
		}
		if (hdr.p != NULL)
			scan_header(f, hdr, folded, a);
		hdr = line;
		folded = false;
	}
	if (hdr.p != NULL)
		scan_header(f, hdr, folded, a);
	if (f->nomem)
		why[(*n_why)++] = "sip.nomem";
	if (!eoh) {
		if (!f->start_cut)
			why[(*n_why)++] = "sip.no_end_of_headers";
		/* without a blank line there is no body: the message is the
		 * rest of the datagram */
		f->hdrs = sl_str_make(start, lim);
		f->raw = sl_str_make(start, left);
		f->body = sl_str_make(start + left, 0);
		sl_cur_skip(c, left);
		return;
	}
	size_t hlen = (size_t)(h.p - c->p);
	f->hdrs = sl_str_make(start, hlen);
	sl_cur_skip(c, hlen);

	size_t avail = sl_cur_left(c);
	size_t blen = avail;
	uint32_t cl;
	if (f->seen[H_CONTENT_LENGTH]) {
		if (!sl_str_u32(f->hv[H_CONTENT_LENGTH], SL_SIP_MAX_BODY, &cl)) {
			/* unusable: fall back to the datagram end, as if absent */
			why[(*n_why)++] = "sip.content_length";
		} else if (cl > avail) {
			/* cut by the snaplen or lying: take what is there */
			why[(*n_why)++] = "sip.content_length";
		} else {
			blen = cl;
		}
	}
	/* RFC 3261 18.3: over UDP a missing Content-Length means the body
	 * runs to the end of the datagram, so no second message can follow */
	f->body = sl_str_make((const char *)c->p, blen);
	sl_cur_skip(c, blen);
	f->raw = sl_str_make(start, hlen + blen);
}

/* What libosip2 parses: a copy of the header section in pkt->scratch
 * without Content-Type and Content-Length (with their folded lines) and
 * without the blank line. Given those, libosip2 would parse a body, and
 * the body is ours: it refuses a Content-Type with Content-Length > 0
 * when no body follows, and its multipart splitter is code we need not
 * expose. A last line cut without its terminator is given one, so libosip2
 * keeps the lines before it. Empty slice when out of memory.
 *
 * Headers that from_osip() does not read are left out too when that
 * cannot change the outcome: parsing them was half of libosip2's time
 * (an Allow list is split into one allocated element per method). In
 * libosip2 5.2+ (osip_parser_cfg.c) a header fails the whole parse only
 * if it is one of Call-ID, Contact, Content-Length, Content-Type, CSeq,
 * From, To, Via (or their compact forms): any other name is stored as an
 * unknown header or parsed with its errors ignored, so osip_message_parse
 * returns the same with or without it. Those eight, and the credentials
 * and challenges we read, always go in. So does every line that libosip2
 * might split differently from us: a name that is not a plain token, a
 * NUL (osip stops reading there) or a CR not ending a line (osip ends a
 * line there). And nothing is left out of a message whose status line has
 * no space after its code (libosip2 then looks for the reason phrase in
 * the lines that follow, and takes the line where it finds a space as part
 * of the start line) or that has a continuation line of only SP/HT
 * (copy_lines). tests/unit/test_sipfilter.c and tests/fuzz/fuzz_sipfilter.c
 * check that every field comes out as with all lines handed over. */
static bool
is_body_header(struct sl_str name)
{
	return sl_str_ieq(name, SL_STR("content-type")) || sl_str_ieq(name, SL_STR("c")) ||
	    sl_str_ieq(name, SL_STR("content-length")) || sl_str_ieq(name, SL_STR("l"));
}

static bool
osip_needs(struct sl_str name)
{
#define K(lit) { (lit), sizeof(lit) - 1 }
	static const struct sl_str keep[] = {
		K("call-id"), K("i"), K("contact"), K("m"), K("cseq"), K("from"),
		K("f"), K("to"), K("t"), K("via"), K("v"), K("authorization"),
		K("proxy-authorization"), K("www-authenticate"), K("proxy-authenticate"),
	};
#undef K
	for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		if (name.n == keep[i].n && sl_str_ieq(name, keep[i]))
			return true;
	for (size_t i = 0; i < name.n; i++)
		if (!is_token_char((uint8_t)name.p[i]))
			return true;
	return name.n == 0;
}

enum osip_line { LINE_KEEP, LINE_BODY, LINE_UNREAD };

static enum osip_line
classify(struct sl_str line, bool plain)
{
	long colon = sl_str_chr(line, ':');
	if (colon <= 0)
		return LINE_KEEP;
	struct sl_str raw = sl_str_make(line.p, (size_t)colon);
	if (is_body_header(sl_str_trim(raw)))
		return LINE_BODY;
	return plain && !osip_needs(raw) ? LINE_UNREAD : LINE_KEEP;
}

/* libosip2 sees the lines we see: no NUL, no CR but in CRLF, and a second
 * space in the start line (libosip2 looks for it with strchr, past the
 * line's end if need be). */
static bool
plain_lines(struct sl_str start, struct sl_str hdrs)
{
	if (memchr(hdrs.p, '\0', hdrs.n) != NULL)
		return false;
	long sp = sl_str_chr(start, ' ');
	if (sp < 0 || sl_str_chr(sl_str_make(start.p + sp + 1, start.n - (size_t)sp - 1), ' ') < 0)
		return false;
	const char *p = hdrs.p, *end = hdrs.p + hdrs.n;
	while ((p = memchr(p, '\r', (size_t)(end - p))) != NULL) {
		if (p + 1 == end || p[1] != '\n')
			return false;
		p += 2;
	}
	return true;
}

static bool
only_sp_ht(struct sl_str line)
{
	for (size_t i = 0; i < line.n; i++)
		if (line.p[i] != ' ' && line.p[i] != '\t')
			return false;
	return true;
}

#define LINES_UNSAFE SIZE_MAX

/* Copies into b the header lines libosip2 is to see: all of them, or with
 * plain only those classify() keeps. Returns the length, or LINES_UNSAFE
 * when a continuation line holds only SP/HT: libosip2's unfolding
 * (osip_util_replace_all_lws) then skips the line end after it, and at
 * the end of its input leaves it folded, so such a header fails the parse
 * or not depending on what follows it, which leaving lines out changes. */
static size_t
copy_lines(char *b, struct sl_str hdrs, bool plain)
{
	size_t o = 0;
	bool first = true, skipping = false;
	struct sl_cur c = sl_cur_init(hdrs.p, hdrs.n);
	while (sl_cur_left(&c)) {
		const uint8_t *p0 = c.p;
		struct sl_str line;
		bool terminated = sl_cur_line(&c, &line, sl_cur_left(&c));
		if (!terminated) {
			line = sl_str_make((const char *)c.p, sl_cur_left(&c));
			c.p = c.end;
		}
		if (line.n == 0)
			break;
		/* RFC 3261 7.3.1: a line starting with SP/HT continues the
		 * previous header */
		if (line.p[0] != ' ' && line.p[0] != '\t') {
			if (!first)
				skipping = classify(line, plain) != LINE_KEEP;
		} else if (plain && only_sp_ht(line)) {
			return LINES_UNSAFE;
		}
		first = false;
		if (skipping)
			continue;
		size_t n = (size_t)(c.p - p0);
		memcpy(b + o, p0, n);
		o += n;
		if (!terminated) {
			b[o++] = '\r';
			b[o++] = '\n';
		}
	}
	return o;
}

/* all_lines: the reference the filter must match (sip_internal.h) */
static struct sl_str
osip_input(struct sl_packet *pkt, struct sl_str start, struct sl_str hdrs,
    bool all_lines)
{
	char *b = sl_arena_alloc(pkt->scratch, hdrs.n + 2);
	if (b == NULL)
		return SL_STR_NULL;
	size_t o = copy_lines(b, hdrs, !all_lines && plain_lines(start, hdrs));
	if (o == LINES_UNSAFE)
		o = copy_lines(b, hdrs, false);
	return sl_str_make(b, o);
}

/* ----- copying out of libosip2 ----- */

static struct sl_str
unquote(struct sl_str s)
{
	s = sl_str_trim(s);
	if (s.n >= 2 && s.p[0] == '"' && s.p[s.n - 1] == '"')
		return sl_str_make(s.p + 1, s.n - 2);
	return s;
}

static struct sl_str
keep(struct sl_packet *pkt, const char *s, bool strip_quotes)
{
	if (s == NULL)
		return SL_STR_NULL;
	struct sl_str v = sl_str_c(s);
	return sl_arena_str(pkt->scratch, strip_quotes ? unquote(v) : v);
}

static struct sl_str
keep_uri(struct sl_packet *pkt, const osip_uri_t *u)
{
	char *s = NULL;
	if (u == NULL || osip_uri_to_str(u, &s) != 0 || s == NULL)
		return SL_STR_NULL;
	struct sl_str v = keep(pkt, s, false);
	osip_free(s);
	return v;
}

static const char *
param(osip_list_t *params, const char *name)
{
	char buf[16];
	size_t n = strlen(name);
	if (n >= sizeof(buf))
		return NULL;
	/* the osip prototype takes char *, not const char * */
	memcpy(buf, name, n + 1);
	osip_generic_param_t *p = NULL;
	if (osip_generic_param_get_byname(params, buf, &p) != 0 || p == NULL)
		return NULL;
	return p->gvalue;
}

/* "host", "host:port", "[v6]:port" */
static struct sl_str
sent_by(struct sl_packet *pkt, const osip_via_t *v)
{
	if (v->host == NULL)
		return SL_STR_NULL;
	size_t hn = strlen(v->host), pn = v->port ? strlen(v->port) : 0;
	bool v6 = memchr(v->host, ':', hn) != NULL && v->host[0] != '[';
	size_t n = hn + (v6 ? 2 : 0) + (pn ? pn + 1 : 0);
	char *b = sl_arena_alloc(pkt->scratch, n + 1);
	if (b == NULL)
		return SL_STR_NULL;
	size_t o = 0;
	if (v6)
		b[o++] = '[';
	memcpy(b + o, v->host, hn);
	o += hn;
	if (v6)
		b[o++] = ']';
	if (pn) {
		b[o++] = ':';
		memcpy(b + o, v->port, pn);
		o += pn;
	}
	b[o] = '\0';
	return sl_str_make(b, o);
}

static void
from_osip(struct sl_packet *pkt, struct sl_sip *m, osip_message_t *om)
{
	if (om->call_id && om->call_id->number) {
		/* osip_call_id_to_str's "number@host" (or "number"), built in
		 * the packet's arena rather than a malloc'd string */
		struct sl_str num = sl_str_c(om->call_id->number);
		struct sl_str host = sl_str_c(om->call_id->host);
		size_t n = num.n + (om->call_id->host ? 1 + host.n : 0);
		char *b = sl_arena_alloc(pkt->scratch, n + 1);
		if (b) {
			memcpy(b, num.p, num.n);
			if (om->call_id->host) {
				b[num.n] = '@';
				memcpy(b + num.n + 1, host.p, host.n);
			}
			b[n] = '\0';
			m->call_id = sl_str_make(b, n);
		}
	}
	if (om->from) {
		m->from_uri = keep_uri(pkt, om->from->url);
		if (om->from->url)
			m->from_user = keep(pkt, om->from->url->username, false);
		m->from_display = keep(pkt, om->from->displayname, true);
		m->from_tag = keep(pkt, param(&om->from->gen_params, "tag"), false);
	}
	if (om->to) {
		m->to_uri = keep_uri(pkt, om->to->url);
		if (om->to->url)
			m->to_user = keep(pkt, om->to->url->username, false);
		m->to_tag = keep(pkt, param(&om->to->gen_params, "tag"), false);
	}
	int nv = osip_list_size(&om->vias);
	m->n_via = nv > 0 ? (nv > UINT16_MAX ? UINT16_MAX : (uint16_t)nv) : 0;
	osip_via_t *via = nv > 0 ? osip_list_get(&om->vias, 0) : NULL;
	if (via) {
		m->via_transport = keep(pkt, via->protocol, false);
		m->via_sent_by = sent_by(pkt, via);
		m->via_branch = keep(pkt, param(&via->via_params, "branch"), false);
	}
	osip_contact_t *ct = osip_list_size(&om->contacts) > 0 ?
	    osip_list_get(&om->contacts, 0) : NULL;
	if (ct) {
		/* libosip2 stores "Contact: *" as display name "*", no URI */
		if (ct->url == NULL && ct->displayname && strcmp(ct->displayname, "*") == 0)
			m->contact = SL_STR("*");
		else
			m->contact = keep_uri(pkt, ct->url);
		const char *e = param(&ct->gen_params, "expires");
		uint32_t v;
		if (m->expires < 0 && e) {
			if (sl_str_u32(sl_str_c(e), UINT32_MAX, &v))
				m->expires = v;
			else
				sl_sip_anomaly(pkt, m, "sip.expires");
		}
	}

	/* RFC 3261 22.2 / 22.3: credentials, then challenges */
	osip_authorization_t *au = NULL;
	if (osip_list_size(&om->authorizations) > 0) {
		au = osip_list_get(&om->authorizations, 0);
	} else if (osip_list_size(&om->proxy_authorizations) > 0) {
		au = osip_list_get(&om->proxy_authorizations, 0);
		m->auth_proxy = true;
	}
	if (au) {
		m->has_auth = true;
		m->auth_user = keep(pkt, au->username, true);
		m->auth_realm = keep(pkt, au->realm, true);
		m->auth_uri = keep(pkt, au->uri, true);
		m->auth_nonce = au->nonce != NULL;
	}
	osip_www_authenticate_t *wa = NULL;
	if (osip_list_size(&om->www_authenticates) > 0) {
		wa = osip_list_get(&om->www_authenticates, 0);
	} else if (osip_list_size(&om->proxy_authenticates) > 0) {
		wa = osip_list_get(&om->proxy_authenticates, 0);
		m->chal_proxy = true;
	}
	if (wa) {
		m->has_challenge = true;
		m->chal_realm = keep(pkt, wa->realm, true);
		m->chal_nonce = wa->nonce != NULL;
		/* RFC 2617 3.2.1: stale is case-insensitive "true" */
		m->chal_stale = wa->stale &&
		    sl_str_ieq(unquote(sl_str_c(wa->stale)), SL_STR("true"));
	}
}

/* ----- one message ----- */

static void
cseq_from_scan(struct sl_packet *pkt, struct sl_sip *m, const struct frame *f)
{
	if (!f->seen[H_CSEQ]) {
		sl_sip_anomaly(pkt, m, "sip.cseq");
		return;
	}
	struct sl_str num, meth = sl_str_trim(sl_str_split(f->hv[H_CSEQ], ' ', &num));
	/* RFC 3261 8.1.1.5: less than 2**31 */
	if (!sl_str_u32(sl_str_trim(num), 0x7fffffffu, &m->cseq) || meth.n == 0) {
		sl_sip_anomaly(pkt, m, "sip.cseq");
		return;
	}
	m->cseq_method = meth;
	m->cseq_method_id = sl_sip_method_id(meth);
}

static void
headers_from_scan(struct sl_packet *pkt, struct sl_sip *m, const struct frame *f)
{
	m->call_id = f->hv[H_CALL_ID];
	cseq_from_scan(pkt, m, f);
	uint32_t v;
	if (f->seen[H_MAX_FORWARDS]) {
		if (sl_str_u32(f->hv[H_MAX_FORWARDS], 0x7fffffffu, &v))
			m->max_forwards = (int32_t)v;
		else
			sl_sip_anomaly(pkt, m, "sip.max_forwards");
	}
	if (f->seen[H_EXPIRES]) {
		/* RFC 3261 20.19: delta-seconds */
		if (sl_str_u32(f->hv[H_EXPIRES], UINT32_MAX, &v))
			m->expires = v;
		else
			sl_sip_anomaly(pkt, m, "sip.expires");
	}
	m->reason_hdr = f->hv[H_REASON];
	m->user_agent = f->seen[H_USER_AGENT] ? f->hv[H_USER_AGENT] : f->hv[H_SERVER];
	m->xcid = f->seen[H_X_CALL_ID] ? f->hv[H_X_CALL_ID] : f->hv[H_X_CID];
	struct sl_str ct;
	sl_str_split(f->hv[H_CONTENT_TYPE], ';', &ct);
	m->content_type = sl_str_trim(ct);
}

static struct sl_sip *
dissect_one(struct sl_packet *pkt, struct sl_cur *c, struct sl_sip_feed *feed)
{
	struct frame f;
	const char *why[4] = { NULL };
	uint8_t n_why = 0;
	frame_message(c, &f, pkt->scratch, why, &n_why);

	struct sl_sip *m = sl_arena_zalloc(pkt->scratch, sizeof(*m));
	if (m == NULL)
		return NULL;
	m->max_forwards = -1;
	m->expires = -1;
	m->raw = f.raw;
	m->body = f.body;
	m->content_length = (uint32_t)f.body.n;
	for (uint8_t i = 0; i < n_why; i++)
		sl_sip_anomaly(pkt, m, why[i]);

	parse_start_line(pkt, m, f.start);
	headers_from_scan(pkt, m, &f);

	/* a start line cut short leaves libosip2 nothing: already reported */
	osip_message_t *om = NULL;
	struct sl_str in = f.start_cut ? SL_STR_NULL :
	    osip_input(pkt, f.start, f.hdrs, feed && feed->all_lines);
	if (feed)
		feed->osip_bytes += in.n;
	if (f.start_cut) {
		/* nothing to parse */
	} else if (in.n == 0) {
		sl_sip_anomaly(pkt, m, "sip.nomem");
	} else if (osip_message_init(&om) != 0) {
		sl_sip_anomaly(pkt, m, "sip.parse");
	} else if (osip_message_parse(om, in.p, in.n) != 0) {
		/* keep the message: the correlator still needs the start line
		 * and Call-ID, which our own scan found */
		sl_sip_anomaly(pkt, m, "sip.parse");
	} else {
		struct sl_str scanned = m->call_id;
		from_osip(pkt, m, om);
		if (m->call_id.n == 0)
			m->call_id = scanned;
	}
	osip_message_free(om);

	if (m->call_id.n == 0)
		sl_sip_anomaly(pkt, m, "sip.no_call_id");
	if (!m->is_request) {
		m->method = m->cseq_method;
		m->method_id = m->cseq_method_id;
	}
	if (m->body.n && sl_str_ieq(m->content_type, SL_STR("application/sdp"))) {
		m->sdp = sl_arena_zalloc(pkt->scratch, sizeof(*m->sdp));
		if (m->sdp)
			(void)sl_sdp_parse(pkt, m->body, m->sdp);
	}
	return m;
}

static void
skip_crlf(struct sl_cur *c)
{
	while (sl_cur_left(c) && (c->p[0] == '\r' || c->p[0] == '\n'))
		c->p++;
}

enum sl_err
sl_sip_dissect(struct sl_packet *pkt, struct sl_cur c)
{
	return sl_sip_dissect_feed(pkt, c, NULL);
}

enum sl_err
sl_sip_dissect_feed(struct sl_packet *pkt, struct sl_cur c, struct sl_sip_feed *feed)
{
	/* every message and copied string lives in the packet's arena */
	if (SL_NEVER(pkt->scratch == NULL)) {
		sl_anomaly(pkt, "sip.nomem");
		return SL_ENOMEM;
	}
	struct sl_sip **tail = &pkt->sip;
	while (*tail)
		tail = &(*tail)->next;
	unsigned n = 0;
	bool nomem = false;

	for (;;) {
		skip_crlf(&c);
		if (sl_cur_left(&c) == 0)
			break;
		if (!sl_sip_looks_like(c.p, sl_cur_left(&c))) {
			if (n == 0)
				return SL_ENOTMINE;
			sl_anomaly(pkt, "sip.trailing");
			break;
		}
		if (n == SIP_MAX_MSGS) {
			sl_anomaly(pkt, "sip.too_many");
			break;
		}
		struct sl_sip *m = dissect_one(pkt, &c, feed);
		if (m == NULL) {
			sl_anomaly(pkt, "sip.nomem");
			nomem = true;
			break;
		}
		*tail = m;
		tail = &m->next;
		n++;
		pkt->n_sip++;
	}
	if (n == 0)
		return nomem ? SL_ENOMEM : SL_ENOTMINE;
	return SL_OK;
}

static bool
sip_probe(const struct sl_dctx *ctx, const struct sl_packet *pkt, struct sl_cur c)
{
	(void)ctx;
	(void)pkt;
	return sl_sip_looks_like(c.p, sl_cur_left(&c));
}

const struct sl_dissector sl_dissector_sip = {
	.name = "sip",
	.probe = sip_probe,
	.dissect = sl_sip_dissect,
	.app = SL_APP_SIP,
};
