/* buf.c: see buf.h for the contract (free on failure, hard cap). */
#include "core/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
sl_buf_init(struct sl_buf *b, size_t max)
{
	b->p = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

void
sl_buf_free(struct sl_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = 0;
	b->cap = 0;
}

void
sl_buf_reset(struct sl_buf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = '\0';
}

static enum sl_err
reserve(struct sl_buf *b, size_t n)
{
	if (n > b->max - b->len) {
		sl_buf_free(b);
		return SL_ENOMEM;
	}
	size_t need = b->len + n + 1;
	if (need <= b->cap)
		return SL_OK;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	char *p = realloc(b->p, cap);
	if (p == NULL) {
		sl_buf_free(b);
		return SL_ENOMEM;
	}
	b->p = p;
	b->cap = cap;
	return SL_OK;
}

enum sl_err
sl_buf_add(struct sl_buf *b, const void *p, size_t n)
{
	enum sl_err e = reserve(b, n);
	if (e)
		return e;
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
	return SL_OK;
}

enum sl_err
sl_buf_adds(struct sl_buf *b, const char *s)
{
	return sl_buf_add(b, s, strlen(s));
}

enum sl_err
sl_buf_addstr(struct sl_buf *b, struct sl_str s)
{
	return sl_buf_add(b, s.p, s.n);
}

enum sl_err
sl_buf_addc(struct sl_buf *b, char c)
{
	return sl_buf_add(b, &c, 1);
}

enum sl_err
sl_buf_repeat(struct sl_buf *b, const char *s, size_t n)
{
	size_t l = strlen(s);
	for (size_t i = 0; i < n; i++) {
		enum sl_err e = sl_buf_add(b, s, l);
		if (e)
			return e;
	}
	return SL_OK;
}

enum sl_err
sl_buf_vprintf(struct sl_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		sl_buf_free(b);
		return SL_ENOMEM;
	}
	enum sl_err e = reserve(b, (size_t)n);
	if (e)
		return e;
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return SL_OK;
}

enum sl_err
sl_buf_printf(struct sl_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	enum sl_err e = sl_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return e;
}

/* Length of a valid UTF-8 sequence starting at s[i], 0 if invalid. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	/* overlong 3/4-byte forms and surrogates */
	if (c == 0xe0 && s[1] < 0xa0)
		return 0;
	if (c == 0xed && s[1] > 0x9f)
		return 0;
	if (c == 0xf0 && s[1] < 0x90)
		return 0;
	if (c == 0xf4 && s[1] > 0x8f)
		return 0;
	return len;
}

enum sl_err
sl_buf_json_str(struct sl_buf *b, struct sl_str s)
{
	enum sl_err e = sl_buf_addc(b, '"');
	const unsigned char *u = (const unsigned char *)s.p;
	for (size_t i = 0; e == SL_OK && i < s.n;) {
		unsigned char c = u[i];
		if (c == '"' || c == '\\') {
			char esc[2] = { '\\', (char)c };
			e = sl_buf_add(b, esc, 2);
			i++;
		} else if (c == '\n') {
			e = sl_buf_adds(b, "\\n");
			i++;
		} else if (c == '\r') {
			e = sl_buf_adds(b, "\\r");
			i++;
		} else if (c == '\t') {
			e = sl_buf_adds(b, "\\t");
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			e = sl_buf_printf(b, "\\u%04x", c);
			i++;
		} else {
			size_t l = utf8_len(u + i, s.n - i);
			if (l == 0) {
				e = sl_buf_printf(b, "\\u%04x", c);
				i++;
			} else {
				e = sl_buf_add(b, u + i, l);
				i += l;
			}
		}
	}
	return e ? e : sl_buf_addc(b, '"');
}
