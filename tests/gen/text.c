/* text.c: see text.h. */
#include "tests/gen/text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void
slg_text_init(struct slg_text *t, char *buf, size_t cap)
{
	t->p = buf;
	t->len = 0;
	t->cap = cap;
	t->overflow = cap == 0;
	if (cap > 0)
		buf[0] = '\0';
}

void
slg_text_add(struct slg_text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->p + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= t->cap - t->len) {
		t->overflow = true;
		t->p[t->len] = '\0';
		return;
	}
	t->len += (size_t)n;
}

void
slg_text_raw(struct slg_text *t, const void *data, size_t n)
{
	if (t->overflow)
		return;
	if (n >= t->cap - t->len) {
		t->overflow = true;
		return;
	}
	memcpy(t->p + t->len, data, n);
	t->len += n;
	t->p[t->len] = '\0';
}
