/* table.c: two-pass table printer; see table.h. */
#include "table.h"

#include <stdlib.h>

#include "fmt.h"

#define CELL_MAX (1u << 16)

static enum sl_err
cell_text(const struct sl_table *t, struct sl_buf *b, size_t row, size_t col)
{
	sl_buf_reset(b);
	if (row == SIZE_MAX)
		return sl_buf_adds(b, t->heads[col]);
	return t->cell(b, row, col, t->user);
}

/* One line: row SIZE_MAX is the header. */
static enum sl_err
line(struct sl_buf *out, const struct sl_table *t, const size_t *w,
    struct sl_buf *cell, size_t row)
{
	size_t start = out->len;
	enum sl_err e = sl_buf_addc(out, ' ');
	for (size_t c = 0; e == SL_OK && c < t->n_cols; c++) {
		e = cell_text(t, cell, row, c);
		if (e != SL_OK)
			break;
		size_t cw = sl_fmt_width(sl_str_make(cell->p, cell->len));
		size_t pad = w[c] > cw ? w[c] - cw : 0;
		if (c)
			e = sl_buf_adds(out, "  ");
		if (e == SL_OK && t->right[c])
			e = sl_buf_repeat(out, " ", pad);
		if (e == SL_OK)
			e = sl_buf_add(out, cell->p, cell->len);
		if (e == SL_OK && !t->right[c] && c + 1 < t->n_cols)
			e = sl_buf_repeat(out, " ", pad);
	}
	if (e != SL_OK)
		return e;
	/* empty trailing cells leave padding behind */
	while (out->len > start && out->p[out->len - 1] == ' ')
		out->len--;
	out->p[out->len] = '\0';
	return sl_buf_addc(out, '\n');
}

enum sl_err
sl_table_render(struct sl_buf *out, const struct sl_table *t)
{
	struct sl_buf cell;
	sl_buf_init(&cell, CELL_MAX);
	size_t *w = calloc(t->n_cols + 1, sizeof *w);
	enum sl_err e = w ? SL_OK : SL_ENOMEM;
	for (size_t r = 0; e == SL_OK && r <= t->n_rows; r++) {
		size_t row = r == 0 ? SIZE_MAX : r - 1;
		for (size_t c = 0; e == SL_OK && c < t->n_cols; c++) {
			e = cell_text(t, &cell, row, c);
			size_t cw = e ? 0 : sl_fmt_width(sl_str_make(cell.p, cell.len));
			if (cw > w[c])
				w[c] = cw;
		}
	}
	for (size_t r = 0; e == SL_OK && r <= t->n_rows; r++)
		e = line(out, t, w, &cell, r == 0 ? SIZE_MAX : r - 1);
	free(w);
	sl_buf_free(&cell);
	if (e != SL_OK)
		sl_buf_free(out);
	return e;
}
