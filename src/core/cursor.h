/* cursor.h: bounds-checked reading of untrusted bytes.
 *
 * A cursor is a view [p, end) into memory it does not own. Every read
 * checks the remaining length first. A read that does not fit reads
 * nothing, returns 0 (or an empty slice) and sets the sticky flag `bad`,
 * so a dissector can read a whole fixed header and test `bad` once.
 * Input is always untrusted: any byte sequence must be safe here. */
#ifndef SL_CURSOR_H
#define SL_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"

struct sl_cur {
	const uint8_t *p;	/* next unread byte */
	const uint8_t *end;	/* one past the last readable byte */
	bool bad;		/* some read did not fit; sticky */
};

static inline struct sl_cur
sl_cur_init(const void *data, size_t len)
{
	const uint8_t *p = data;
	return (struct sl_cur){ p, p + len, false };
}

static inline size_t
sl_cur_left(const struct sl_cur *c)
{
	return (size_t)(c->end - c->p);
}

/* Compare lengths, never `p + n <= end`: pointer overflow is UB and may
 * be optimised away (tcpdump netdissect.h ND_TTEST_LEN). */
static inline bool
sl_cur_need(struct sl_cur *c, size_t n)
{
	if (c->bad || sl_cur_left(c) < n) {
		c->bad = true;
		return false;
	}
	return true;
}

static inline uint8_t
sl_cur_u8(struct sl_cur *c)
{
	if (!sl_cur_need(c, 1))
		return 0;
	return *c->p++;
}

static inline uint16_t
sl_cur_be16(struct sl_cur *c)
{
	if (!sl_cur_need(c, 2))
		return 0;
	uint16_t v = (uint16_t)(c->p[0] << 8 | c->p[1]);
	c->p += 2;
	return v;
}

static inline uint16_t
sl_cur_le16(struct sl_cur *c)
{
	if (!sl_cur_need(c, 2))
		return 0;
	uint16_t v = (uint16_t)(c->p[1] << 8 | c->p[0]);
	c->p += 2;
	return v;
}

static inline uint32_t
sl_cur_be24(struct sl_cur *c)
{
	if (!sl_cur_need(c, 3))
		return 0;
	uint32_t v = (uint32_t)c->p[0] << 16 | (uint32_t)c->p[1] << 8 | c->p[2];
	c->p += 3;
	return v;
}

static inline uint32_t
sl_cur_be32(struct sl_cur *c)
{
	if (!sl_cur_need(c, 4))
		return 0;
	uint32_t v = (uint32_t)c->p[0] << 24 | (uint32_t)c->p[1] << 16 |
	    (uint32_t)c->p[2] << 8 | c->p[3];
	c->p += 4;
	return v;
}

static inline uint32_t
sl_cur_le32(struct sl_cur *c)
{
	if (!sl_cur_need(c, 4))
		return 0;
	uint32_t v = (uint32_t)c->p[3] << 24 | (uint32_t)c->p[2] << 16 |
	    (uint32_t)c->p[1] << 8 | c->p[0];
	c->p += 4;
	return v;
}

static inline void
sl_cur_skip(struct sl_cur *c, size_t n)
{
	if (sl_cur_need(c, n))
		c->p += n;
}

/* Copies n bytes to dst; on a short read dst is zeroed. */
void sl_cur_copy(struct sl_cur *c, void *dst, size_t n);

/* Byte at offset off from p without consuming; 0 and bad when outside. */
static inline uint8_t
sl_cur_peek_u8(struct sl_cur *c, size_t off)
{
	if (!sl_cur_need(c, off + 1))
		return 0;
	return c->p[off];
}

/* Split off the next n bytes as a cursor of their own (a length-prefixed
 * block); the parent moves past them. Reads in the child cannot reach
 * the parent's bytes, and a declared length larger than what is left
 * fails here, once: the child is empty and bad, the parent bad too. */
struct sl_cur sl_cur_take(struct sl_cur *c, size_t n);

/* A slice of the next n bytes; no copy, valid as long as the bytes. */
struct sl_str sl_cur_str(struct sl_cur *c, size_t n);

/* One line ending in CRLF or bare LF, at most max bytes; the terminator is
 * consumed, not returned. False (cursor unchanged, not bad) if no
 * terminator within max bytes or before the end. */
bool sl_cur_line(struct sl_cur *c, struct sl_str *line /* OUT */, size_t max);

#endif
