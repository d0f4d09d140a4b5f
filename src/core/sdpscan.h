/* sdpscan.h: the one SDP (RFC 8866) scanner, shared by the analyzer's
 * tolerant dissector (dissectors/sdp.c) and the server/phone's strict
 * reader and rewriter (src/sip/sdp.c) (DESIGN 3.2b). It only cuts text:
 * lines, and the fields of o= (5.2), c= (5.7), m= (5.14), a=rtpmap (6.6)
 * and the direction attributes (6.7). Which section a line belongs to,
 * what a bad line means (an anomaly, a rejected offer, nothing) and any
 * cap on lines are the caller's: the two worlds differ exactly there.
 *
 * No allocation; every slice points into the caller's bytes and lives as
 * long as they do. Input: untrusted; any byte sequence is safe (NUL
 * included) and nothing outside [body, body + n) is read. */
#ifndef SL_SDPSCAN_H
#define SL_SDPSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/addr.h"
#include "core/str.h"

/* The unread rest of a body; set up with sl_sdpscan_init. */
struct sl_sdpscan {
	const char *p;
	size_t n;
};

struct sl_sdpscan_line {
	struct sl_str raw;	/* the line without its LF or CRLF; may be empty */
	size_t span;		/* bytes it took from the body, terminator included */
	char type;		/* 'a'..'z' of "<type>=<value>" (RFC 8866 5), else 0 */
	struct sl_str value;	/* what follows '='; empty when type is 0 */
};

/* o=<username> <sess-id> <sess-version> <nettype> <addrtype> <address>;
 * missing fields are empty slices. */
struct sl_sdpscan_origin {
	struct sl_str user, sess_id, sess_ver;
};

/* m=<media> <port>[/<number of ports>] <proto> <fmt> ... */
struct sl_sdpscan_media {
	struct sl_str type;	/* "audio", "video", ... */
	uint16_t port;		/* 0 is legal: a rejected stream (RFC 3264 6) */
	struct sl_str proto;	/* "RTP/AVP"; empty if the line ends early */
	struct sl_str fmts;	/* the rest: read it with sl_sdpscan_token */
};

/* a=rtpmap:<payload type> <encoding name>/<clock rate>[/<parameters>] */
struct sl_sdpscan_rtpmap {
	uint8_t pt;
	struct sl_str name;	/* never empty when valid */
	uint32_t rate;
};

enum sl_sdpscan_dir {
	SL_SDPSCAN_DIR_NONE = 0,	/* not a direction attribute */
	SL_SDPSCAN_DIR_SENDRECV,
	SL_SDPSCAN_DIR_SENDONLY,
	SL_SDPSCAN_DIR_RECVONLY,
	SL_SDPSCAN_DIR_INACTIVE,
};

static inline void
sl_sdpscan_init(struct sl_sdpscan *s, const void *body, size_t n)
{
	s->p = body;
	s->n = body ? n : 0;
}

/* The next line into *out: lines end in LF or CRLF, the last one may end
 * with the body. Empty lines are returned too (raw.n == 0), so a caller
 * can count or reject them. False when the body is used up. Inline: the
 * analyzer runs it on every line of every SIP body (DESIGN 3.3). */
static inline bool
sl_sdpscan_next(struct sl_sdpscan *s, struct sl_sdpscan_line *out /* OUT */)
{
	if (s->n == 0)
		return false;
	const char *nl = memchr(s->p, '\n', s->n);
	size_t len = nl ? (size_t)(nl - s->p) : s->n;
	size_t span = nl ? len + 1 : len;
	struct sl_str raw = sl_str_make(s->p, len);

	s->p += span;
	s->n -= span;
	/* a body cut between CR and LF still ends its last line cleanly */
	if (raw.n && raw.p[raw.n - 1] == '\r')
		raw.n--;
	out->raw = raw;
	out->span = span;
	/* RFC 8866 5: <type>=<value>, type one case-significant letter */
	if (raw.n >= 2 && raw.p[1] == '=' && raw.p[0] >= 'a' && raw.p[0] <= 'z') {
		out->type = raw.p[0];
		out->value = sl_str_make(raw.p + 2, raw.n - 2);
	} else {
		out->type = 0;
		out->value = SL_STR_NULL;
	}
	return true;
}

static inline bool
sl_sdpscan_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The next token of *s, separated by runs of SP or HTAB, and *s moved
 * past it; empty at the end. */
static inline struct sl_str
sl_sdpscan_token(struct sl_str *s)
{
	if (s->n == 0)
		return SL_STR_NULL;
	size_t i = 0;
	while (i < s->n && sl_sdpscan_is_blank(s->p[i]))
		i++;
	size_t b = i;
	while (i < s->n && !sl_sdpscan_is_blank(s->p[i]))
		i++;
	struct sl_str t = sl_str_make(s->p + b, i - b);
	*s = sl_str_make(s->p + i, s->n - i);
	return t;
}

/* The first three fields of an o= value, as slices. */
void sl_sdpscan_origin(struct sl_str v, struct sl_sdpscan_origin *out /* OUT */);

/* A c= value: "IN IP4 <addr>" or "IN IP6 <addr>" (tokens in any case,
 * as ABNF literals are); a multicast "/ttl[/count]" is dropped. True and
 * *out set only for a literal address of the named family: hostnames are
 * not resolved. *out is left alone on false. */
bool sl_sdpscan_conn(struct sl_str v, struct sl_ip *out /* OUT */);

/* An m= value. *out is zeroed, then filled as far as the line goes; false
 * if the media type is missing or the port is not 0..65535 (then only
 * type may be set). A missing proto or format list is left to the caller. */
bool sl_sdpscan_media(struct sl_str v, struct sl_sdpscan_media *out /* OUT */);

/* An RTP payload type 0..127 (RFC 3550 5.1): a format token of an RTP
 * m= line. Non-RTP protocols list other formats ("*", MIME types). */
bool sl_sdpscan_pt(struct sl_str tok, uint8_t *pt /* OUT */);

/* Split an a= value at its first ':' into the attribute name (SP and HTAB
 * around it dropped) and the value (empty slice, maybe p == NULL, when
 * there is none). */
void sl_sdpscan_attr(struct sl_str v, struct sl_str *name /* OUT */,
    struct sl_str *value /* OUT */);

/* The value of an a=rtpmap attribute (after "rtpmap:"). False unless the
 * payload type, a non-empty encoding name and the clock rate are there;
 * *out is then undefined. */
bool sl_sdpscan_rtpmap(struct sl_str v, struct sl_sdpscan_rtpmap *out /* OUT */);

/* The direction an attribute name states (case-sensitive, RFC 8866 6.7),
 * or SL_SDPSCAN_DIR_NONE. */
enum sl_sdpscan_dir sl_sdpscan_dir(struct sl_str name);

/* The attribute name of d ("sendonly"); "" for NONE or any other value. */
const char *sl_sdpscan_dir_name(enum sl_sdpscan_dir d);

#endif
