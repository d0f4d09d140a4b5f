/* table.c: rows kept as text, printed with widths from content; see table.h. */
#include "reports/table.h"

#include <stdlib.h>
#include <string.h>

#include "reports/fmt.h"

/* Rows outlive their calls, so this bounds what a table can hold, not
 * one cell: at about 200 bytes a call row, millions of calls fit. */
#define TABLE_TEXT_CAP (1024u << 20)

void
sl_table_init(struct sl_table *t, size_t n_cols, const char *const *heads, const bool *right)
{
	*t = (struct sl_table){ .n_cols = n_cols, .heads = heads, .right = right };
	sl_buf_init(&t->text, TABLE_TEXT_CAP);
}

void
sl_table_free(struct sl_table *t)
{
	sl_buf_free(&t->text);
	free(t->start);
	t->start = NULL;
	t->n_cells = t->cap_cells = 0;
}

enum sl_err
sl_table_add(struct sl_table *t, sl_table_cell_fn cell, const void *row, const void *user)
{
	if (t->cap_cells - t->n_cells < t->n_cols) {
		size_t cap = t->cap_cells ? t->cap_cells * 2 : 64 * t->n_cols;
		size_t *s = realloc(t->start, cap * sizeof *s);
		if (s == NULL)
			return SL_ENOMEM;
		t->start = s;
		t->cap_cells = cap;
	}
	for (size_t c = 0; c < t->n_cols; c++) {
		t->start[t->n_cells + c] = t->text.len;
		enum sl_err e = cell(&t->text, c, row, user);
		if (e == SL_OK)
			e = sl_buf_addc(&t->text, '\0');
		if (e != SL_OK) {
			/* the text is gone (buf.h): so are the rows */
			sl_table_free(t);
			return e;
		}
	}
	t->n_cells += t->n_cols;
	return SL_OK;
}

/* Row SIZE_MAX is the header. */
static struct sl_str
cell_text(const struct sl_table *t, size_t row, size_t col)
{
	if (row == SIZE_MAX)
		return sl_str_make(t->heads[col], strlen(t->heads[col]));
	/* cells lie end to end, each followed by its NUL */
	size_t i = row * t->n_cols + col;
	size_t end = i + 1 < t->n_cells ? t->start[i + 1] : t->text.len;
	return sl_str_make(t->text.p + t->start[i], end - t->start[i] - 1);
}

static enum sl_err
line(struct sl_buf *out, const struct sl_table *t, const size_t *w, size_t row)
{
	size_t start = out->len;
	enum sl_err e = sl_buf_addc(out, ' ');
	for (size_t c = 0; e == SL_OK && c < t->n_cols; c++) {
		struct sl_str cell = cell_text(t, row, c);
		size_t cw = sl_fmt_width(cell);
		size_t pad = w[c] > cw ? w[c] - cw : 0;
		if (c)
			e = sl_buf_adds(out, "  ");
		if (e == SL_OK && t->right[c])
			e = sl_buf_repeat(out, " ", pad);
		if (e == SL_OK)
			e = sl_buf_addstr(out, cell);
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
	size_t n_rows = t->n_cols ? t->n_cells / t->n_cols : 0;
	size_t *w = calloc(t->n_cols + 1, sizeof *w);
	enum sl_err e = w ? SL_OK : SL_ENOMEM;
	for (size_t r = 0; e == SL_OK && r <= n_rows; r++)
		for (size_t c = 0; c < t->n_cols; c++) {
			size_t cw = sl_fmt_width(cell_text(t, r == 0 ? SIZE_MAX : r - 1, c));
			if (cw > w[c])
				w[c] = cw;
		}
	for (size_t r = 0; e == SL_OK && r <= n_rows; r++)
		e = line(out, t, w, r == 0 ? SIZE_MAX : r - 1);
	free(w);
	if (e != SL_OK)
		sl_buf_free(out);
	return e;
}
