/* ladder_wireshark.c: Wireshark's VoIP Calls -> Flow Sequence text export
 * (LADDER-EXAMPLES.md section 2, as the seed printed it): one column per
 * IP on one header line, labels never cut, RTP one row per stream. */
#include <stdio.h>
#include <string.h>

#include "reports/fmt.h"
#include "reports/ladder.h"
#include "reports/report.h"

/*
 * |Time   | 192.168.1.101         | 192.168.1.183         |
 * |3.985  |  INVITE SDP           |                       |From sip:anonymous@192.168.1.183 To sip:0@192.168.1.183
 * |       |(5060) ------------------> (5060)              |
 * |11.857 |  RTP (g711U)          |                       |281 packets, 5.597 s, SSRC 0x1726C94E
 * |       |(27392) <----------------- (27824)             |
 *
 * |<- T ->|<------- N ------------>|<------- N ------------>|
 *         P[0]                     P[1]                     P[n]
 *
 * The label sits in the cell of the arrow's leftmost node. The arrow
 * runs from after the left node's port to P[b] + 2 and the right node's
 * port follows it, overwriting the pipes it crosses, as Wireshark draws.
 * A message between two ports of one IP stays in its cell:
 * "(5060) --> (5070)".
 */

#define TIME_MIN 7		/* "|Time   |" */
#define CELL_MIN 24		/* the seed's node cell, pipe included */
#define SCRATCH_MAX (1u << 20)

struct wrow {
	const struct sl_ladder_row *r;
	const struct sl_endpoint *src;
	const struct sl_endpoint *dst;
	unsigned a, b;		/* node columns, a <= b */
	bool a_is_src;
	struct sl_str label;	/* in the layout arena */
	struct sl_str comment;
};

struct wctx {
	const struct sl_report_opts *o;
	const struct sl_ladder *l;
	struct sl_arena *arena;
	struct sl_buf *out;
	struct sl_buf tmp;
	struct sl_ip *nodes;
	unsigned n;
	struct wrow *rows;
	size_t t;		/* time cell width, without its pipe */
	size_t cell;		/* node cell width, with its pipe */
	char *line;		/* the arrow line, 1 + t + n * cell + 1 bytes */
};

static unsigned
node_of(struct wctx *w, const struct sl_ip *ip)
{
	for (unsigned i = 0; i < w->n; i++)
		if (sl_ip_eq(&w->nodes[i], ip))
			return i;
	w->nodes[w->n] = *ip;
	return w->n++;
}

static size_t
port_len(uint16_t port)
{
	char tmp[16];
	return (size_t)snprintf(tmp, sizeof tmp, "(%u)", (unsigned)port);
}

/* Wireshark's VoIP comments: the parties on INVITE, the stream on RTP. */
static enum sl_err
comment(struct wctx *w, const struct sl_ladder_row *r)
{
	struct sl_buf *b = &w->tmp;
	enum sl_err e = SL_OK;
	const struct sl_msg *m = r->msg;
	if (r->kind == SL_LADDER_RTP) {
		const struct sl_stream *s = r->stream;
		char dur[SL_FMT_NUM];
		return sl_buf_printf(b, "%llu packets, %s s, SSRC 0x%08X",
		    (unsigned long long)s->packets, sl_fmt_secs(dur, s->last_ts - s->first_ts, 3),
		    (unsigned)s->ssrc);
	}
	if (m->is_request && m->method_id == SL_SIP_METHOD_INVITE) {
		struct sl_str from = m->from_uri.n ? m->from_uri : m->from_user;
		struct sl_str to = m->to_uri.n ? m->to_uri : m->to_user;
		e = sl_buf_adds(b, "From ");
		if (e == SL_OK)
			e = sl_fmt_put(b, from, SIZE_MAX);
		if (e == SL_OK)
			e = sl_buf_adds(b, " To ");
		if (e == SL_OK)
			e = sl_fmt_put(b, to, SIZE_MAX);
	}
	if (e == SL_OK && m->retrans)
		e = sl_buf_adds(b, b->len ? ", retransmission" : "retransmission");
	for (unsigned i = 0; e == SL_OK && i < r->n_anomalies; i++)
		e = sl_buf_printf(b, "%s! %s", b->len ? ", " : "",
		    r->anomalies[i] ? r->anomalies[i] : "?");
	return e;
}

/* "INVITE SDP", "200 OK SDP", "RTP (g711U)" */
static enum sl_err
label(struct wctx *w, const struct sl_ladder_row *r)
{
	struct sl_buf *b = &w->tmp;
	enum sl_err e;
	if (r->kind == SL_LADDER_RTP) {
		char tmp[SL_FMT_NUM];
		e = sl_buf_adds(b, "RTP (");
		if (e == SL_OK)
			e = sl_fmt_put(b, sl_fmt_ws_codec(r->stream->codec, r->stream->pt, tmp), SIZE_MAX);
		return e ? e : sl_buf_addc(b, ')');
	}
	const struct sl_msg *m = r->msg;
	if (m->is_request) {
		e = sl_fmt_put(b, m->method, SIZE_MAX);
	} else {
		e = sl_buf_printf(b, "%u", (unsigned)m->status);
		if (e == SL_OK && m->reason.n) {
			e = sl_buf_addc(b, ' ');
			if (e == SL_OK)
				e = sl_fmt_put(b, m->reason, SIZE_MAX);
		}
	}
	if (e == SL_OK && m->has_sdp)
		e = sl_buf_adds(b, " SDP");
	return e;
}

static enum sl_err
keep(struct wctx *w, struct sl_str *out)
{
	*out = SL_STR_NULL;
	if (w->tmp.len) {
		*out = sl_arena_str(w->arena, sl_str_make(w->tmp.p, w->tmp.len));
		if (out->p == NULL)
			return SL_ENOMEM;
	}
	sl_buf_reset(&w->tmp);
	return SL_OK;
}

static size_t
max_sz(size_t a, size_t b)
{
	return a > b ? a : b;
}

static void
row_time(const struct wctx *w, size_t i, char out[SL_FMT_NUM])
{
	int64_t ts = w->l->rows[i].ts_ns;
	if (w->o->delta && i > 0)
		sl_fmt_secs(out, ts - w->l->rows[i - 1].ts_ns, 3);
	else
		sl_fmt_secs(out, ts - w->o->base_ts_ns, 3);
}

/* Nodes, labels, comments, and the cell widths they need. */
static enum sl_err
prepare(struct wctx *w)
{
	const struct sl_ladder *l = w->l;
	w->nodes = sl_arena_alloc(w->arena, (2 * l->n_rows + 1) * sizeof *w->nodes);
	w->rows = sl_arena_alloc(w->arena, (l->n_rows + 1) * sizeof *w->rows);
	if (w->nodes == NULL || w->rows == NULL)
		return SL_ENOMEM;
	w->t = TIME_MIN;
	w->cell = CELL_MIN;
	enum sl_err e = SL_OK;
	for (size_t i = 0; e == SL_OK && i < l->n_rows; i++) {
		const struct sl_ladder_row *r = &l->rows[i];
		struct wrow *x = &w->rows[i];
		x->r = r;
		x->src = r->kind == SL_LADDER_RTP ? &r->stream->src : &r->msg->src;
		x->dst = r->kind == SL_LADDER_RTP ? &r->stream->dst : &r->msg->dst;
		unsigned s = node_of(w, &x->src->ip), d = node_of(w, &x->dst->ip);
		x->a_is_src = s <= d;
		x->a = s <= d ? s : d;
		x->b = s <= d ? d : s;
		e = label(w, r);
		if (e == SL_OK)
			e = keep(w, &x->label);
		if (e == SL_OK)
			e = comment(w, r);
		if (e == SL_OK)
			e = keep(w, &x->comment);

		char t[SL_FMT_NUM];
		row_time(w, i, t);
		w->t = max_sz(w->t, strlen(t) + 1);
		/* "|  label " */
		w->cell = max_sz(w->cell, 3 + sl_fmt_width(x->label) + 1);
		size_t pa = port_len(x->a_is_src ? x->src->port : x->dst->port);
		size_t pb = port_len(x->a_is_src ? x->dst->port : x->src->port);
		if (x->a == x->b)
			w->cell = max_sz(w->cell, 1 + pa + 5 + pb + 1);	/* "|(p) --> (q) " */
		else
			w->cell = max_sz(w->cell, 4 + pb + 1);	/* past P[b]: "-> (q) " */
	}
	for (unsigned i = 0; i < w->n; i++) {
		char ip[SL_IP_STRLEN];
		w->cell = max_sz(w->cell, 2 + strlen(sl_ip_str(&w->nodes[i], ip, sizeof ip)) + 1);
	}
	return e;
}

static enum sl_err
emit_header(struct wctx *w)
{
	enum sl_err e = sl_buf_printf(w->out, "|%-*s", (int)w->t, "Time");
	for (unsigned i = 0; e == SL_OK && i < w->n; i++) {
		char ip[SL_IP_STRLEN];
		e = sl_buf_printf(w->out, "| %-*s", (int)(w->cell - 2),
		    sl_ip_str(&w->nodes[i], ip, sizeof ip));
	}
	return e ? e : sl_buf_adds(w->out, "|\n");
}

static enum sl_err
emit_label_line(struct wctx *w, size_t i)
{
	const struct wrow *x = &w->rows[i];
	char t[SL_FMT_NUM];
	row_time(w, i, t);
	enum sl_err e = sl_buf_printf(w->out, "|%-*s", (int)w->t, t);
	for (unsigned k = 0; e == SL_OK && k < w->n; k++) {
		e = sl_buf_addc(w->out, '|');
		size_t used = 0;
		if (e == SL_OK && k == x->a) {
			e = sl_buf_adds(w->out, "  ");
			if (e == SL_OK)
				e = sl_buf_addstr(w->out, x->label);
			used = 2 + sl_fmt_width(x->label);
		}
		if (e == SL_OK)
			e = sl_buf_repeat(w->out, " ", w->cell - 1 - used);
	}
	if (e == SL_OK)
		e = sl_buf_addc(w->out, '|');
	if (e == SL_OK)
		e = sl_buf_addstr(w->out, x->comment);
	return e ? e : sl_buf_addc(w->out, '\n');
}

static void
place(char *line, size_t x, const char *s)
{
	memcpy(line + x, s, strlen(s));
}

/* "|       |(5060) ------------------> (5060)              |" */
static enum sl_err
emit_arrow_line(struct wctx *w, size_t i)
{
	const struct wrow *x = &w->rows[i];
	size_t len = 1 + w->t + w->n * w->cell + 1;
	char *line = w->line;
	memset(line, ' ', len);
	for (size_t p = 0; p < len; p = p ? p + w->cell : 1 + w->t)
		line[p] = '|';
	line[len - 1] = '|';

	char pa[16], pb[16];
	uint16_t port_a = x->a_is_src ? x->src->port : x->dst->port;
	uint16_t port_b = x->a_is_src ? x->dst->port : x->src->port;
	snprintf(pa, sizeof pa, "(%u)", (unsigned)port_a);
	snprintf(pb, sizeof pb, "(%u)", (unsigned)port_b);
	size_t pa_x = 1 + w->t + x->a * w->cell + 1;
	place(line, pa_x, pa);
	size_t s = pa_x + strlen(pa) + 1;
	size_t e = x->a == x->b ? s + 2 : 1 + w->t + x->b * w->cell + 2;
	memset(line + s, '-', e - s + 1);
	if (x->a == x->b || x->a_is_src)
		line[e] = '>';
	else
		line[s] = '<';
	place(line, e + 2, pb);
	return sl_buf_add(w->out, line, len) ? SL_ENOMEM : sl_buf_addc(w->out, '\n');
}

static enum sl_err
render(struct wctx *w)
{
	enum sl_err e = prepare(w);
	if (e != SL_OK)
		return e;
	w->line = sl_arena_alloc(w->arena, 1 + w->t + w->n * w->cell + 1);
	if (w->line == NULL)
		return SL_ENOMEM;
	e = emit_header(w);
	for (size_t i = 0; e == SL_OK && i < w->l->n_rows; i++) {
		e = emit_label_line(w, i);
		if (e == SL_OK)
			e = emit_arrow_line(w, i);
	}
	return e;
}

enum sl_err
sl_report_ladder_wireshark(struct sl_buf *out, const struct sl_call *call,
    const struct sl_report_opts *opts)
{
	struct sl_arena a;
	struct sl_ladder l;
	struct wctx w;
	memset(&w, 0, sizeof w);
	w.o = opts;
	w.l = &l;
	w.arena = &a;
	w.out = out;
	sl_buf_init(&w.tmp, SCRATCH_MAX);
	sl_arena_init(&a, 16384, 0);
	enum sl_err e = sl_ladder_build(&l, call, opts->rtp, &a);
	if (e == SL_OK)
		e = render(&w);
	sl_arena_free(&a);
	sl_buf_free(&w.tmp);
	if (e != SL_OK)
		sl_buf_free(out);
	return e;
}
