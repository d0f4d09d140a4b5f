/* report.c: report options, the ladder style switch and the table kinds. */
#include <stdlib.h>
#include <string.h>

#include "reports/report.h"
#include "reports/table.h"

void
sl_report_opts_default(struct sl_report_opts *o)
{
	memset(o, 0, sizeof *o);
	o->width = SL_REPORT_WIDTH_DEFAULT;
	o->style = SL_LADDER_STYLE_TEXT;
}

enum sl_err
sl_report_ladder(struct sl_buf *out, const struct sl_call *call,
    const struct sl_report_opts *opts)
{
	if (opts->style == SL_LADDER_STYLE_WIRESHARK)
		return sl_report_ladder_wireshark(out, call, opts);
	return sl_report_ladder_text(out, call, opts);
}

struct sl_report_table {
	enum sl_report_table_kind kind;
	struct sl_table t;
};

struct sl_report_table *
sl_report_table_new(enum sl_report_table_kind kind)
{
	struct sl_report_table *rt = malloc(sizeof *rt);
	if (rt == NULL)
		return NULL;
	rt->kind = kind;
	if (kind == SL_REPORT_TABLE_RTP)
		sl_report_rtp_init(&rt->t);
	else
		sl_report_calls_init(&rt->t);
	return rt;
}

enum sl_err
sl_report_table_add(struct sl_report_table *rt, const struct sl_call *call,
    const struct sl_report_opts *opts)
{
	if (rt->kind == SL_REPORT_TABLE_RTP)
		return sl_report_rtp_add(&rt->t, call, opts);
	return sl_report_calls_add(&rt->t, call, opts);
}

enum sl_err
sl_report_table_render(struct sl_buf *out, const struct sl_report_table *rt)
{
	return sl_table_render(out, &rt->t);
}

void
sl_report_table_free(struct sl_report_table *rt)
{
	if (rt == NULL)
		return;
	sl_table_free(&rt->t);
	free(rt);
}

static enum sl_err
whole_table(struct sl_buf *out, enum sl_report_table_kind kind,
    const struct sl_call *const *calls, size_t n, const struct sl_report_opts *opts)
{
	struct sl_report_table *rt = sl_report_table_new(kind);
	enum sl_err e = rt ? SL_OK : SL_ENOMEM;
	for (size_t i = 0; e == SL_OK && i < n; i++)
		e = sl_report_table_add(rt, calls[i], opts);
	if (e == SL_OK)
		e = sl_report_table_render(out, rt);
	else
		sl_buf_free(out);
	sl_report_table_free(rt);
	return e;
}

enum sl_err
sl_report_calls_table(struct sl_buf *out, const struct sl_call *const *calls, size_t n,
    const struct sl_report_opts *opts)
{
	return whole_table(out, SL_REPORT_TABLE_CALLS, calls, n, opts);
}

enum sl_err
sl_report_rtp_table(struct sl_buf *out, const struct sl_call *const *calls, size_t n,
    const struct sl_report_opts *opts)
{
	return whole_table(out, SL_REPORT_TABLE_RTP, calls, n, opts);
}
