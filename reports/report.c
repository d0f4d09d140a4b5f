/* report.c: report options and the ladder style switch. */
#include <string.h>

#include "report.h"

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
