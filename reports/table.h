/* table.h: plain text tables whose column widths come from their content
 * (internal to reports/). Rows arrive one at a time, as calls leave the
 * engine and are freed right after: each row is kept as its cells' text,
 * which is all the table needs of a call, and far smaller than the call. */
#ifndef SL_REPORT_TABLE_H
#define SL_REPORT_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

struct sl_table {
	size_t n_cols;
	const char *const *heads;	/* n_cols column titles */
	const bool *right;		/* n_cols: right-aligned (numbers) */
	struct sl_buf text;		/* every cell, NUL-terminated, row by row */
	size_t *start;			/* offset of each cell in text */
	size_t n_cells, cap_cells;
};

void sl_table_init(struct sl_table *t, size_t n_cols, const char *const *heads,
    const bool *right);
void sl_table_free(struct sl_table *t);

/* Appends the text of column col of row to b, cleaned (see sl_fmt_put). */
typedef enum sl_err (*sl_table_cell_fn)(struct sl_buf *b, size_t col, const void *row,
    const void *user);

/* Adds one row: cell() for each column. SL_ENOMEM leaves the table
 * unusable but safe to free. */
enum sl_err sl_table_add(struct sl_table *t, sl_table_cell_fn cell, const void *row,
    const void *user);

/* Header line and one line per row: a leading space, cells separated by
 * two spaces and padded to the widest cell of their column, trailing
 * spaces dropped. Returns SL_OK or SL_ENOMEM (out freed). */
enum sl_err sl_table_render(struct sl_buf *out, const struct sl_table *t);

/* The two tables of report.h, one row (calls) or one row per stream (rtp)
 * per call added; opts->base_ts_ns must be final before the first add. */
struct sl_call;
struct sl_report_opts;
void sl_report_calls_init(struct sl_table *t);
enum sl_err sl_report_calls_add(struct sl_table *t, const struct sl_call *call,
    const struct sl_report_opts *opts);
void sl_report_rtp_init(struct sl_table *t);
enum sl_err sl_report_rtp_add(struct sl_table *t, const struct sl_call *call,
    const struct sl_report_opts *opts);

#endif
