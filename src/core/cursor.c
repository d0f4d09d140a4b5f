/* cursor.c: the out-of-line cursor operations; see cursor.h. */
#include "core/cursor.h"

#include <string.h>

void
sl_cur_copy(struct sl_cur *c, void *dst, size_t n)
{
	if (!sl_cur_need(c, n)) {
		memset(dst, 0, n);
		return;
	}
	memcpy(dst, c->p, n);
	c->p += n;
}

struct sl_cur
sl_cur_take(struct sl_cur *c, size_t n)
{
	if (!sl_cur_need(c, n))
		return (struct sl_cur){ c->end, c->end, true };
	struct sl_cur child = { c->p, c->p + n, false };
	c->p += n;
	return child;
}

struct sl_str
sl_cur_str(struct sl_cur *c, size_t n)
{
	if (!sl_cur_need(c, n))
		return SL_STR_NULL;
	struct sl_str s = { (const char *)c->p, n };
	c->p += n;
	return s;
}

bool
sl_cur_line(struct sl_cur *c, struct sl_str *line, size_t max)
{
	if (c->bad)
		return false;
	size_t left = sl_cur_left(c);
	size_t lim = left < max ? left : max;
	const uint8_t *nl = memchr(c->p, '\n', lim);
	if (nl == NULL)
		return false;
	size_t n = (size_t)(nl - c->p);
	size_t body = n;
	if (body && c->p[body - 1] == '\r')
		body--;
	*line = (struct sl_str){ (const char *)c->p, body };
	c->p = nl + 1;
	return true;
}
