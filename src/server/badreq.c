/* badreq.c: see badreq.h. */
#include "server/badreq.h"

#include <string.h>

#include "core/cursor.h"

#define MAX_LINE 4096
#define MAX_LINES 128
#define MAX_VIAS 16

enum { H_FROM, H_TO, H_CALLID, H_CSEQ, H_COUNT };

struct found {
	struct sl_str via[MAX_VIAS];
	size_t nvia;
	struct sl_str h[H_COUNT];
};

static bool
printable(struct sl_str s)
{
	for (size_t i = 0; i < s.n; i++)
		if ((unsigned char)s.p[i] < 0x20 || s.p[i] == 0x7f)
			if (s.p[i] != '\t')
				return false;
	return s.n > 0;
}

/* "Name: value" -> which header (compact forms too), value trimmed */
static int
classify(struct sl_str line, struct sl_str *value)
{
	static const struct {
		const char *name;
		int which;
	} t[] = { { "via", 99 }, { "v", 99 }, { "from", H_FROM }, { "f", H_FROM },
		  { "to", H_TO }, { "t", H_TO }, { "call-id", H_CALLID },
		  { "i", H_CALLID }, { "cseq", H_CSEQ } };
	struct sl_str name;

	*value = sl_str_split(line, ':', &name);
	if (value->p == NULL)
		return -1;
	name = sl_str_trim(name);
	*value = sl_str_trim(*value);
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (sl_str_ieq(name, sl_str_c(t[i].name)))
			return t[i].which;
	return -1;
}

/* "METHOD SP Request-URI SP SIP/2.0", method not ACK */
static bool
request_line(struct sl_str l)
{
	struct sl_str method;
	struct sl_str rest = sl_str_split(l, ' ', &method);

	if (rest.p == NULL || method.n == 0 || sl_str_eq(method, SL_STR("ACK")))
		return false;
	for (size_t i = 0; i < method.n; i++)
		if (method.p[i] < 'A' || method.p[i] > 'Z')
			return false;
	return l.n > 8 && memcmp(l.p + l.n - 8, " SIP/2.0", 8) == 0;
}

static bool
scan(const void *p, size_t n, struct found *f)
{
	struct sl_cur c = sl_cur_init(p, n);
	struct sl_str line;

	memset(f, 0, sizeof(*f));
	if (!sl_cur_line(&c, &line, MAX_LINE) || !request_line(line))
		return false;
	for (int i = 0; i < MAX_LINES && sl_cur_line(&c, &line, MAX_LINE); i++) {
		if (line.n == 0)
			break;
		if (line.p[0] == ' ' || line.p[0] == '\t')
			return false;	/* folded: we would echo half a header */
		struct sl_str v;
		int w = classify(line, &v);
		if (w < 0)
			continue;
		if (!printable(v))
			return false;
		if (w == 99) {
			/* a Via line may hold several comma-separated values;
			 * echoing the line keeps them in order */
			if (f->nvia == MAX_VIAS)
				return false;
			f->via[f->nvia++] = v;
		} else if (f->h[w].p == NULL) {
			f->h[w] = v;
		}
	}
	for (int i = 0; i < H_COUNT; i++)
		if (f->h[i].p == NULL)
			return false;
	return f->nvia > 0;
}

static bool
has_tag(struct sl_str to)
{
	/* ";tag=" outside <...>: inside, it would be a URI parameter */
	long gt = sl_str_chr(to, '>');
	struct sl_str params = gt >= 0 ? sl_str_make(to.p + gt, to.n - (size_t)gt) : to;

	for (size_t i = 0; i + 5 <= params.n; i++)
		if (params.p[i] == ';' && sl_str_istarts(sl_str_make(params.p + i + 1,
		    params.n - i - 1), SL_STR("tag=")))
			return true;
	return false;
}

bool
sl_badreq_reply(const void *p, size_t n, int status, const char *reason,
    const char *to_tag, struct sl_buf *out)
{
	struct found f;
	enum sl_err e;

	if (status < 300 || status > 699 || !scan(p, n, &f))
		return false;
	e = sl_buf_printf(out, "SIP/2.0 %d %.100s\r\n", status, reason);
	for (size_t i = 0; !e && i < f.nvia; i++)
		e = sl_buf_printf(out, "Via: %.*s\r\n", SL_PRI(f.via[i]));
	if (!e)
		e = sl_buf_printf(out, "From: %.*s\r\nTo: %.*s", SL_PRI(f.h[H_FROM]),
		    SL_PRI(f.h[H_TO]));
	if (!e && !has_tag(f.h[H_TO]) && to_tag && to_tag[0])
		e = sl_buf_printf(out, ";tag=%s", to_tag);
	if (!e)
		e = sl_buf_printf(out, "\r\nCall-ID: %.*s\r\nCSeq: %.*s\r\n"
		    "Content-Length: 0\r\n\r\n", SL_PRI(f.h[H_CALLID]), SL_PRI(f.h[H_CSEQ]));
	return e == SL_OK;
}
