/* grid.c: tables of plain text cells for the program's own listings
 * (the database's captures), laid out by the code that lays out the
 * call tables, so that every table the program prints looks alike. */
#include <stdlib.h>

#include "reports/fmt.h"
#include "reports/report.h"
#include "reports/table.h"

struct sl_report_grid {
	struct sl_table t;
};

struct sl_report_grid *
sl_report_grid_new(size_t n_cols, const char *const *heads, const bool *right)
{
	struct sl_report_grid *g = malloc(sizeof *g);
	if (g != NULL)
		sl_table_init(&g->t, n_cols, heads, right);
	return g;
}

static enum sl_err
cell(struct sl_buf *b, size_t col, const void *row, const void *user)
{
	(void)user;
	const char *const *cells = row;
	/* cells may hold file names and filters: cleaned like wire text */
	return sl_fmt_put(b, sl_str_c(cells[col] ? cells[col] : ""), SIZE_MAX);
}

enum sl_err
sl_report_grid_row(struct sl_report_grid *g, const char *const *cells)
{
	return sl_table_add(&g->t, cell, cells, NULL);
}

enum sl_err
sl_report_grid_render(struct sl_buf *out, const struct sl_report_grid *g)
{
	return sl_table_render(out, &g->t);
}

void
sl_report_grid_free(struct sl_report_grid *g)
{
	if (g == NULL)
		return;
	sl_table_free(&g->t);
	free(g);
}

enum sl_err
sl_report_utc(struct sl_buf *b, int64_t ns, unsigned decimals)
{
	return sl_fmt_utc(b, ns, true, decimals);
}
