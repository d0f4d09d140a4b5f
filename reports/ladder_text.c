/* ladder_text.c: the default ladder style (LADDER-EXAMPLES.md section 1),
 * drawn from the layout of ladder.c: headline, legend, one column per
 * ip:port, one arrow per row, notes; fitted to opts->width columns. */
#include <stdlib.h>
#include <string.h>

#include "reports/fmt.h"
#include "reports/ladder.h"
#include "reports/report.h"
#include "reports/story.h"
#include "reports/textwrap.h"

/*
 * Call 1  u1 -> 2 (u2)  answered, hung up by caller, 5.60 s talk
 *   leg A  2126492930@192.168.1.50   caller <-> server   INVITE challenged 401 then authorised
 *   leg B  495687575@192.168.1.50    server <-> callee   joined to A: ... (confidence high)
 *
 *               192.168.1.183:5060           192.168.1.50:5060            192.168.1.101:5060
 *               caller u1                    server                       callee u2
 *  0.000000     |--------INVITE (SDP)------->|                            |  A CSeq 1
 *  0.000900     |<-------100 Trying----------|                            |  A
 *  3.720000     |==RTP PCMU 280 pkts 5.59 s=>|                            |  A 0 lost
 *  4.100000     |--------OPTIONS--------------------------------------->|  A      (crosses the middle column)
 *  4.200000     |<-MESSAGE->                 |                            |  A      (self-message)
 *               ! media after BYE: server -> caller RTP for 0.21 s, ...
 *
 * |<- time ->|<- LEAD_PAD ->|pos[0]  gap[0]  |pos[1]  gap[1]  |pos[2] gap[2]|  leg note
 *
 * gap[i] is the room strictly between pos[i] and pos[i+1]; gap[n-1] is
 * the tail, room right of the last column for its self-messages. A label
 * starts LABEL_OFF columns into its arrow when there is room, and at
 * least two columns from either end ("<-" / "->") when there is not.
 */

#define LEAD_PAD 5		/* between the time and the first column */
#define LEAD_PAD_MIN 1
#define MIN_GAP 5		/* "<-~->": the narrowest arrow keeping a label */
#define LABEL_OFF 8
#define NOTE_SEP 2		/* spaces between the drawing and the notes */
#define NOTE_MIN 6		/* a note cut shorter than this says nothing */
#define SCRATCH_MAX (1u << 20)

struct glyphs {
	const char *pipe, *dash, *rtp, *right, *left;
};

static const struct glyphs ascii_glyphs = { "|", "-", "=", ">", "<" };
/* U+2502 U+2500 U+2550 U+25B6 U+25C0, spelled as bytes: sources stay ASCII */
static const struct glyphs utf8_glyphs = {
	"\xe2\x94\x82", "\xe2\x94\x80", "\xe2\x95\x90", "\xe2\x96\xb6", "\xe2\x97\x80",
};

struct cell {
	char g[4];	/* one UTF-8 code point */
	unsigned char n;
};

struct ctx {
	const struct sl_report_opts *o;
	const struct sl_ladder *l;
	const struct glyphs *g;
	struct sl_buf *out;
	struct sl_buf tmp;
	size_t width;
	size_t tw;		/* widest time text */
	size_t lead;		/* position of the first column */
	size_t n;		/* columns */
	size_t *gap;
	size_t *pos;
	size_t right;		/* first position right of the drawing */
	struct cell *line;	/* width cells */
};

/* ----- times ----- */

/* Seconds since the capture's first packet, or with opts->delta since
 * the previous row ("+0.000900"); the first row keeps its offset. */
static void
row_time(const struct ctx *c, size_t i, char out[SL_FMT_NUM])
{
	const struct sl_ladder_row *r = &c->l->rows[i];
	if (!c->o->delta || i == 0) {
		sl_fmt_secs(out, r->ts_ns - c->o->base_ts_ns, 6);
		return;
	}
	int64_t d = r->ts_ns - c->l->rows[i - 1].ts_ns;
	out[0] = '+';
	sl_fmt_secs(out + (d < 0 ? 0 : 1), d, 6);
}

/* ----- one line as cells ----- */

static void
line_clear(struct ctx *c)
{
	for (size_t x = 0; x < c->width; x++) {
		c->line[x].g[0] = ' ';
		c->line[x].n = 1;
	}
}

static void
line_glyph(struct ctx *c, size_t x, const char *g)
{
	if (x >= c->width)
		return;
	size_t n = strlen(g);
	memcpy(c->line[x].g, g, n > 4 ? 4 : n);
	c->line[x].n = (unsigned char)(n > 4 ? 4 : n);
}

/* Places cleaned text at x, at most max columns, '~' marking a cut.
 * Returns the columns used. */
static size_t
line_text(struct ctx *c, size_t x, struct sl_str s, size_t max)
{
	size_t w = sl_fmt_width(s);
	bool cut = w > max;
	size_t keep = cut ? (max ? max - 1 : 0) : w;
	size_t i = 0, k = 0;
	for (; k < keep && i < s.n; k++) {
		size_t l = sl_fmt_cplen(s.p + i, s.n - i);
		if (x + k < c->width) {
			memcpy(c->line[x + k].g, s.p + i, l > 4 ? 4 : l);
			c->line[x + k].n = (unsigned char)(l > 4 ? 4 : l);
		}
		i += l;
	}
	if (cut && max) {
		line_glyph(c, x + k, "~");
		k++;
	}
	return k;
}

/* Writes cells [0, upto), without trailing spaces when trim is set. */
static enum sl_err
line_emit(struct ctx *c, size_t upto, bool trim)
{
	if (upto > c->width)
		upto = c->width;
	if (trim)
		while (upto > 0 && c->line[upto - 1].n == 1 && c->line[upto - 1].g[0] == ' ')
			upto--;
	enum sl_err e = SL_OK;
	for (size_t x = 0; e == SL_OK && x < upto; x++)
		e = sl_buf_add(c->out, c->line[x].g, c->line[x].n);
	return e;
}

/* ----- geometry ----- */

static size_t
row_need(const struct sl_ladder_row *r, bool self)
{
	size_t lw = sl_fmt_width(r->label);
	bool sip = r->kind == SL_LADDER_SIP;
	if (self)
		return lw + (sip ? 8 : 6);
	/* SIP labels get LABEL_OFF columns of shaft before them, as drawn in
	 * the examples; RTP labels are long and fill their arrow */
	return lw + (sip ? LABEL_OFF + 4 : 4);
}

static size_t
max_sz(size_t a, size_t b)
{
	return a > b ? a : b;
}

/* Natural gaps: wide enough for every header and label. */
static void
natural_gaps(struct ctx *c)
{
	const struct sl_ladder *l = c->l;
	size_t n = c->n;
	for (size_t i = 0; i + 1 < n; i++)
		c->gap[i] = max_sz(MIN_GAP, max_sz(sl_fmt_width(l->cols[i].addr),
		    sl_fmt_width(l->cols[i].title)) + 2);
	for (size_t i = 0; i < l->n_rows; i++) {
		const struct sl_ladder_row *r = &l->rows[i];
		size_t a = r->from < r->to ? r->from : r->to;
		size_t b = r->from < r->to ? r->to : r->from;
		if (a == b || b == a + 1)
			c->gap[a] = max_sz(c->gap[a], row_need(r, a == b));
	}
	/* an arrow across columns may use every gap it crosses; spread what
	 * it still lacks over them */
	for (size_t i = 0; i < l->n_rows; i++) {
		const struct sl_ladder_row *r = &l->rows[i];
		size_t a = r->from < r->to ? r->from : r->to;
		size_t b = r->from < r->to ? r->to : r->from;
		if (b <= a + 1)
			continue;
		size_t have = b - a - 1;
		for (size_t k = a; k < b; k++)
			have += c->gap[k];
		size_t need = row_need(r, false);
		if (need <= have)
			continue;
		size_t d = need - have, k = b - a;
		for (size_t j = 0; j < k; j++)
			c->gap[a + j] += d / k + (j < d % k ? 1 : 0);
	}
}

static size_t
capped(size_t g, size_t cap)
{
	if (g == 0)
		return 0;	/* no tail */
	return g < cap ? g : max_sz(cap, MIN_GAP);
}

static size_t
total_width(const struct ctx *c, size_t lead, size_t cap)
{
	size_t t = lead + c->n;
	for (size_t i = 0; i < c->n; i++)
		t += capped(c->gap[i], cap);
	return t;
}

/* Does the ladder fit in avail, and the last column's header (hw wide)
 * in the whole width? Notes may pass under a header; arrows may not. */
static bool
fits(const struct ctx *c, size_t lead, size_t cap, size_t avail, size_t hw)
{
	if (total_width(c, lead, cap) > avail)
		return false;
	size_t last = lead + c->n - 1;
	for (size_t i = 0; i + 1 < c->n; i++)
		last += capped(c->gap[i], cap);
	return last + hw <= c->width;
}

/* Shrinks the widest gaps to one common cap, the largest that fits the
 * width less room for the leg letters (in a B2BUA ladder they say which
 * call a row belongs to) and keeps the last header whole; then the time
 * padding; past that the lines are cut at the width (too many columns
 * for the terminal). Notes get what is left. */
static void
fit(struct ctx *c)
{
	size_t maxg = MIN_GAP;
	for (size_t i = 0; i < c->n; i++)
		maxg = max_sz(maxg, c->gap[i]);
	size_t avail = c->width > NOTE_SEP + 1 ? c->width - NOTE_SEP - 1 : c->width;
	size_t hw = 0;
	if (c->n)
		hw = max_sz(sl_fmt_width(c->l->cols[c->n - 1].addr),
		    sl_fmt_width(c->l->cols[c->n - 1].title));
	c->lead = 1 + c->tw + LEAD_PAD;
	size_t cap = maxg;
	if (!fits(c, c->lead, maxg, avail, hw)) {
		if (!fits(c, c->lead, MIN_GAP, avail, hw))
			c->lead = 1 + c->tw + LEAD_PAD_MIN;
		size_t lo = MIN_GAP, hi = maxg;
		while (lo < hi) {
			size_t mid = lo + (hi - lo + 1) / 2;
			if (fits(c, c->lead, mid, avail, hw))
				lo = mid;
			else
				hi = mid - 1;
		}
		cap = lo;
	}
	size_t x = c->lead;
	for (size_t i = 0; i < c->n; i++) {
		c->gap[i] = capped(c->gap[i], cap);
		c->pos[i] = x;
		x += 1 + c->gap[i];
	}
	c->right = x;
}

/* ----- rows ----- */

/*  |--------INVITE (SDP)------->|     |<-------100 Trying----------|
 *  |==RTP PCMU 280 pkts 5.59 s=>|     |<-MESSAGE->       (self)    */
static void
draw_arrow(struct ctx *c, const struct sl_ladder_row *r)
{
	bool rtp = r->kind == SL_LADDER_RTP;
	const char *fill = rtp ? c->g->rtp : c->g->dash;
	size_t a = r->from < r->to ? r->from : r->to;
	size_t b = r->from < r->to ? r->to : r->from;
	size_t lw = sl_fmt_width(r->label);
	if (a == b) {
		size_t x0 = c->pos[a] + 1, g = c->gap[a];
		size_t maxl = g >= 6 ? g - 6 : (g >= 4 ? g - 4 : 0);
		line_glyph(c, x0, c->g->left);
		line_glyph(c, x0 + 1, fill);
		size_t used = line_text(c, x0 + 2, r->label, maxl);
		line_glyph(c, x0 + 2 + used, fill);
		line_glyph(c, x0 + 3 + used, c->g->right);
		return;
	}
	size_t x0 = c->pos[a] + 1, x1 = c->pos[b] - 1;
	size_t in = x1 - x0 + 1;
	for (size_t x = x0; x <= x1; x++)
		line_glyph(c, x, fill);
	for (size_t k = a + 1; k < b; k++)
		line_glyph(c, c->pos[k], c->g->pipe);
	line_glyph(c, r->from < r->to ? x1 : x0, r->from < r->to ? c->g->right : c->g->left);
	size_t maxl = in >= 4 ? in - 4 : 0;
	size_t shown = lw < maxl ? lw : maxl;
	size_t off = in - shown - 2;
	if (off > LABEL_OFF)
		off = LABEL_OFF;
	if (off < 2)
		off = 2;
	line_text(c, x0 + off, r->label, maxl);
}

static enum sl_err
emit_row(struct ctx *c, size_t i)
{
	const struct sl_ladder_row *r = &c->l->rows[i];
	char t[SL_FMT_NUM];
	line_clear(c);
	row_time(c, i, t);
	size_t tl = strlen(t);
	line_text(c, 1 + c->tw - tl, sl_str_make(t, tl), tl);
	for (size_t k = 0; k < c->n; k++)
		line_glyph(c, c->pos[k], c->g->pipe);
	draw_arrow(c, r);

	bool has_note = r->leg || r->note.n;
	if (!has_note || c->right + NOTE_SEP >= c->width) {
		enum sl_err e = line_emit(c, c->right, true);
		return e ? e : sl_buf_addc(c->out, '\n');
	}
	/* the leg letter always shows (fit() keeps room for it); a note is
	 * cut at the width, or left out when only a stub would show */
	size_t room = c->width - c->right - NOTE_SEP;
	enum sl_err e = line_emit(c, c->right, false);
	if (e == SL_OK)
		e = sl_buf_repeat(c->out, " ", NOTE_SEP);
	if (e == SL_OK && r->leg) {
		e = sl_buf_addc(c->out, r->leg);
		room--;
		if (e == SL_OK && r->note.n && room > NOTE_MIN) {
			e = sl_buf_addc(c->out, ' ');
			room--;
		}
	}
	if (e == SL_OK && r->note.n && room >= NOTE_MIN)
		e = sl_fmt_put(c->out, r->note, room);
	return e ? e : sl_buf_addc(c->out, '\n');
}

/* The two header lines: ip:port, then role and user, each starting over
 * its column and cut before the next one. The last one may have no room
 * right of its column in a squeezed ladder: it moves left as far as the
 * previous header allows before it is cut. */
static enum sl_err
emit_header(struct ctx *c, bool titles)
{
	line_clear(c);
	size_t prev_end = 0;
	for (size_t k = 0; k < c->n; k++) {
		const struct sl_ladder_col *col = &c->l->cols[k];
		struct sl_str s = titles ? col->title : col->addr;
		size_t x = c->pos[k];
		if (k > 0 && k + 1 == c->n) {
			size_t w = sl_fmt_width(s);
			if (x + w > c->width && c->width > w)
				x = max_sz(c->width - w, prev_end + 1);
		}
		size_t room = k + 1 < c->n ? c->gap[k] : (c->width > x ? c->width - x : 0);
		prev_end = x + line_text(c, x, s, room);
	}
	enum sl_err e = line_emit(c, c->width, true);
	return e ? e : sl_buf_addc(c->out, '\n');
}

/* ----- headline and legend ----- */

static struct sl_str
tmp_str(const struct ctx *c)
{
	return sl_str_make(c->tmp.p, c->tmp.len);
}

static enum sl_err
emit_headline(struct ctx *c)
{
	const struct sl_call *call = c->l->call;
	sl_buf_reset(&c->tmp);
	/* the names `calls` and --call use: 3 for a call, R1 for a registration */
	enum sl_err e = call->kind == SL_CALL_REGISTER ?
	    sl_buf_printf(&c->tmp, "Registration R%lu  ", (unsigned long)call->index) :
	    sl_buf_printf(&c->tmp, "Call %lu  ", (unsigned long)call->index);
	if (e == SL_OK)
		e = sl_story_parties(&c->tmp, call);
	if (e == SL_OK)
		e = sl_buf_adds(&c->tmp, "  ");
	if (e == SL_OK)
		e = sl_story_outcome(&c->tmp, call);
	return e ? e : sl_text_wrap(c->out, tmp_str(c), 2, c->width);
}

static unsigned
sip_col(const struct sl_ladder *l, const struct sl_endpoint *ep)
{
	for (unsigned i = 0; i < l->n_cols; i++)
		if (l->cols[i].role != SL_ROLE_MEDIA && sl_ep_eq(&l->cols[i].ep, ep))
			return i;
	return UINT32_MAX;
}

/* "caller <-> server" */
static enum sl_err
leg_roles(const struct ctx *c, struct sl_buf *b, const struct sl_leg *g)
{
	char addr[SL_EP_STRLEN];
	unsigned u = sip_col(c->l, &g->uac), s = sip_col(c->l, &g->uas);
	enum sl_err e = u != UINT32_MAX ? sl_buf_addstr(b, sl_ladder_col_name(c->l, u)) :
	    sl_buf_adds(b, sl_ep_str(&g->uac, addr, sizeof addr));
	if (e == SL_OK)
		e = sl_buf_adds(b, " <-> ");
	if (e == SL_OK)
		e = s != UINT32_MAX ? sl_buf_addstr(b, sl_ladder_col_name(c->l, s)) :
		    sl_buf_adds(b, sl_ep_str(&g->uas, addr, sizeof addr));
	return e;
}

/* "  leg A  <Call-ID>  <roles>  <auth story>; <join evidence>", the
 * Call-ID and role fields padded to align across legs. */
static enum sl_err
emit_legend(struct ctx *c)
{
	const struct sl_call *call = c->l->call;
	size_t wid = 0, wroles = 0;
	enum sl_err e = SL_OK;
	for (const struct sl_leg *g = call->legs; e == SL_OK && g; g = g->next) {
		sl_buf_reset(&c->tmp);
		e = leg_roles(c, &c->tmp, g);
		wroles = max_sz(wroles, sl_fmt_width(tmp_str(c)));
		wid = max_sz(wid, sl_fmt_width(g->call_id));
	}
	for (const struct sl_leg *g = call->legs; e == SL_OK && g; g = g->next) {
		sl_buf_reset(&c->tmp);
		e = sl_buf_printf(&c->tmp, "  leg %c  ", g->name ? g->name : '?');
		if (e == SL_OK)
			e = sl_fmt_put(&c->tmp, g->call_id, SIZE_MAX);
		if (e == SL_OK)
			e = sl_buf_repeat(&c->tmp, " ", wid - sl_fmt_width(g->call_id) + 2);
		size_t at = c->tmp.len;
		if (e == SL_OK)
			e = leg_roles(c, &c->tmp, g);
		if (e == SL_OK)
			e = sl_buf_repeat(&c->tmp, " ", wroles -
			    sl_fmt_width(sl_str_make(c->tmp.p + at, c->tmp.len - at)) + 2);
		size_t story = c->tmp.len;
		if (e == SL_OK)
			e = sl_story_leg_auth(&c->tmp, call, g);
		if (e == SL_OK && g->joined_to && c->tmp.len > story)
			e = sl_buf_adds(&c->tmp, "; ");
		if (e == SL_OK)
			e = sl_story_leg_join(&c->tmp, g);
		if (e == SL_OK)
			e = sl_text_wrap(c->out, tmp_str(c), 9, c->width);
	}
	return e;
}

static enum sl_err
emit_notes(struct ctx *c)
{
	const struct sl_ladder *l = c->l;
	size_t pad = c->lead + 12 <= c->width ? c->lead : 0;
	enum sl_err e = SL_OK;
	for (size_t i = 0; e == SL_OK && i < l->n_notes; i++) {
		sl_buf_reset(&c->tmp);
		e = sl_buf_repeat(&c->tmp, " ", pad);
		if (e == SL_OK)
			e = sl_buf_adds(&c->tmp, "! ");
		if (e == SL_OK)
			e = sl_buf_addstr(&c->tmp, l->notes[i]);
		if (e == SL_OK)
			e = sl_text_wrap(c->out, tmp_str(c), pad + 2, c->width);
	}
	return e;
}

/* ----- the whole ladder ----- */

static enum sl_err
render(struct ctx *c, struct sl_arena *a)
{
	const struct sl_ladder *l = c->l;
	c->n = l->n_cols;
	c->gap = sl_arena_zalloc(a, (c->n + 1) * sizeof *c->gap);
	c->pos = sl_arena_zalloc(a, (c->n + 1) * sizeof *c->pos);
	c->line = sl_arena_alloc(a, c->width * sizeof *c->line);
	if (c->gap == NULL || c->pos == NULL || c->line == NULL)
		return SL_ENOMEM;
	for (size_t i = 0; i < l->n_rows; i++) {
		char t[SL_FMT_NUM];
		row_time(c, i, t);
		c->tw = max_sz(c->tw, strlen(t));
	}
	natural_gaps(c);
	fit(c);

	enum sl_err e = emit_headline(c);
	if (e == SL_OK)
		e = emit_legend(c);
	if (e == SL_OK)
		e = sl_buf_addc(c->out, '\n');
	if (e == SL_OK && c->n == 0)
		e = sl_buf_adds(c->out, "  (no messages)\n");
	if (e == SL_OK && c->n)
		e = emit_header(c, false);
	if (e == SL_OK && c->n)
		e = emit_header(c, true);
	for (size_t i = 0; e == SL_OK && i < l->n_rows; i++)
		e = emit_row(c, i);
	if (e == SL_OK)
		e = emit_notes(c);
	return e;
}

enum sl_err
sl_report_ladder_text(struct sl_buf *out, const struct sl_call *call,
    const struct sl_report_opts *opts)
{
	struct sl_arena a;
	struct sl_ladder l;
	struct ctx c;
	memset(&c, 0, sizeof c);
	c.o = opts;
	c.l = &l;
	c.g = opts->ascii ? &ascii_glyphs : &utf8_glyphs;
	c.out = out;
	c.width = opts->width ? opts->width : SL_REPORT_WIDTH_DEFAULT;
	if (c.width < SL_REPORT_WIDTH_MIN)
		c.width = SL_REPORT_WIDTH_MIN;
	sl_buf_init(&c.tmp, SCRATCH_MAX);
	sl_arena_init(&a, 16384, 0);
	enum sl_err e = sl_ladder_build(&l, call, opts->rtp, &a);
	if (e == SL_OK)
		e = render(&c, &a);
	sl_arena_free(&a);
	sl_buf_free(&c.tmp);
	if (e != SL_OK)
		sl_buf_free(out);	/* the contract: no half-written ladder */
	return e;
}
