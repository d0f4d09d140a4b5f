/* textwrap.c: greedy word wrap by display columns; see textwrap.h. */
#include "reports/textwrap.h"

#include "reports/fmt.h"

static enum sl_err
newline(struct sl_buf *out, size_t indent, size_t *col)
{
	enum sl_err e = sl_buf_addc(out, '\n');
	if (e == SL_OK)
		e = sl_buf_repeat(out, " ", indent);
	*col = indent;
	return e;
}

enum sl_err
sl_text_wrap(struct sl_buf *out, struct sl_str t, size_t indent, size_t width)
{
	if (width < 2)
		width = 2;
	/* continuation lines must leave room to make progress */
	if (indent + 8 > width)
		indent = 0;
	size_t col = 0, i = 0;
	enum sl_err e = SL_OK;
	while (e == SL_OK && i < t.n) {
		size_t sp = i;
		while (sp < t.n && t.p[sp] == ' ')
			sp++;
		size_t we = sp, ww = 0;
		while (we < t.n && t.p[we] != ' ') {
			we += sl_fmt_cplen(t.p + we, t.n - we);
			ww++;
		}
		if (we == sp)
			break;	/* trailing spaces */
		size_t nsp = sp - i;
		if (col > indent && col + nsp + ww > width) {
			e = newline(out, indent, &col);
		} else {
			if (col + nsp > width)
				nsp = width - col;
			e = sl_buf_repeat(out, " ", nsp);
			col += nsp;
		}
		/* the word, split where it meets the edge */
		for (size_t k = sp; e == SL_OK && k < we;) {
			if (col >= width)
				e = newline(out, indent, &col);
			size_t l = sl_fmt_cplen(t.p + k, we - k);
			if (e == SL_OK)
				e = sl_buf_add(out, t.p + k, l);
			k += l;
			col++;
		}
		i = we;
	}
	return e ? e : sl_buf_addc(out, '\n');
}
