/* table.h: plain text tables whose column widths come from their content
 * (internal to reports/): every cell is produced twice, once to measure
 * and once to print, so nothing is stored per row. */
#ifndef SL_REPORT_TABLE_H
#define SL_REPORT_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

/* Appends the text of cell (row, col) to b, cleaned (see sl_fmt_put). */
typedef enum sl_err (*sl_table_cell_fn)(struct sl_buf *b, size_t row, size_t col,
    const void *user);

struct sl_table {
	size_t n_cols;
	const char *const *heads;	/* n_cols column titles */
	const bool *right;		/* n_cols: right-aligned (numbers) */
	size_t n_rows;
	sl_table_cell_fn cell;
	const void *user;
};

/* Header line and one line per row: a leading space, cells separated by
 * two spaces and padded to the widest cell of their column, trailing
 * spaces dropped. Returns SL_OK or SL_ENOMEM (out freed). */
enum sl_err sl_table_render(struct sl_buf *out, const struct sl_table *t);

#endif
