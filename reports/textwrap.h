/* textwrap.h: word wrapping of cleaned text to a display width (internal
 * to reports/). */
#ifndef SL_REPORT_TEXTWRAP_H
#define SL_REPORT_TEXTWRAP_H

#include <stddef.h>

#include "core/buf.h"
#include "core/str.h"

/* Appends t (already cleaned, see sl_fmt_put) as lines of at most width
 * display columns, each ending in '\n'. Breaks at spaces; continuation
 * lines start with indent spaces; a word longer than a line is split.
 * Runs of spaces inside a line are kept (they align legends); trailing
 * spaces are dropped. An empty t gives one empty line. */
enum sl_err sl_text_wrap(struct sl_buf *out, struct sl_str t, size_t indent, size_t width);

#endif
