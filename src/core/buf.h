/* buf.h: capped growable byte buffer for output text (curl dynbuf).
 *
 * The buffer keeps a NUL after the content so it can be printed with
 * fputs. Appends that would pass the cap, or that cannot allocate, free
 * the buffer and return SL_ENOMEM: the caller never sees half-written
 * content and must not use the buffer again before sl_buf_init. */
#ifndef SL_BUF_H
#define SL_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "core/err.h"
#include "core/str.h"

struct sl_buf {
	char *p;
	size_t len;
	size_t cap;	/* allocated */
	size_t max;	/* hard limit on len */
};

void sl_buf_init(struct sl_buf *b, size_t max);
void sl_buf_free(struct sl_buf *b);
/* Drops the content but keeps the allocation for reuse. */
void sl_buf_reset(struct sl_buf *b);

enum sl_err sl_buf_add(struct sl_buf *b, const void *p, size_t n);
enum sl_err sl_buf_adds(struct sl_buf *b, const char *s);
enum sl_err sl_buf_addstr(struct sl_buf *b, struct sl_str s);
enum sl_err sl_buf_addc(struct sl_buf *b, char c);
/* n copies of the string s (used for padding with multibyte glyphs). */
enum sl_err sl_buf_repeat(struct sl_buf *b, const char *s, size_t n);
enum sl_err sl_buf_printf(struct sl_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
enum sl_err sl_buf_vprintf(struct sl_buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* JSON string literal with quotes; bytes that are not valid UTF-8 are
 * written as \u00XX of the byte so the output stays valid JSON. */
enum sl_err sl_buf_json_str(struct sl_buf *b, struct sl_str s);

#endif
