/* test_cursor.c: the bounds-checked reader (src/core/cursor.h). Most rows
 * read past the end: the read must return 0 / empty, set the sticky bad
 * flag and never move the cursor. */
#include <stdint.h>
#include <string.h>

#include "core/cursor.h"
#include "tests/unit/unit.h"

static SL_TEST_STATE(ts);

enum op { U8, BE16, LE16, BE24, BE32, LE32, PEEK1, SKIP3 };

static const struct {
	const char *bytes;
	size_t len;
	enum op op;
	uint32_t want;
	bool bad;
	size_t left;		/* after the read */
} reads[] = {
	{ "\x01", 1, U8, 0x01, false, 0 },
	{ "", 0, U8, 0, true, 0 },
	{ "\x12\x34", 2, BE16, 0x1234, false, 0 },
	{ "\x12\x34", 2, LE16, 0x3412, false, 0 },
	{ "\x12", 1, BE16, 0, true, 1 },
	{ "\x12", 1, LE16, 0, true, 1 },
	{ "\x01\x02\x03", 3, BE24, 0x010203, false, 0 },
	{ "\x01\x02", 2, BE24, 0, true, 2 },
	{ "\xde\xad\xbe\xef", 4, BE32, 0xdeadbeef, false, 0 },
	{ "\xde\xad\xbe\xef", 4, LE32, 0xefbeadde, false, 0 },
	{ "\xde\xad\xbe", 3, BE32, 0, true, 3 },
	{ "\xde\xad\xbe", 3, LE32, 0, true, 3 },
	{ "\xff\xff\xff\xff\x01", 5, BE32, 0xffffffff, false, 1 },
	{ "\x01\x02", 2, PEEK1, 0x02, false, 2 },
	{ "\x01", 1, PEEK1, 0, true, 1 },
	{ "abc", 3, SKIP3, 0, false, 0 },
	{ "ab", 2, SKIP3, 0, true, 2 },
};

static uint32_t
do_op(struct sl_cur *c, enum op op)
{
	switch (op) {
	case U8: return sl_cur_u8(c);
	case BE16: return sl_cur_be16(c);
	case LE16: return sl_cur_le16(c);
	case BE24: return sl_cur_be24(c);
	case BE32: return sl_cur_be32(c);
	case LE32: return sl_cur_le32(c);
	case PEEK1: return sl_cur_peek_u8(c, 1);
	case SKIP3: sl_cur_skip(c, 3); return 0;
	}
	return 0;
}

static void
test_reads(void)
{
	for (size_t i = 0; i < sizeof(reads) / sizeof(reads[0]); i++) {
		struct sl_cur c = sl_cur_init(reads[i].bytes, reads[i].len);
		uint32_t v = do_op(&c, reads[i].op);
		SL_CHECK_MSG(&ts, v == reads[i].want, "row %zu: got %#x", i, v);
		SL_CHECK_MSG(&ts, c.bad == reads[i].bad, "row %zu: bad %d", i, c.bad);
		SL_CHECK_MSG(&ts, sl_cur_left(&c) == reads[i].left, "row %zu: left %zu", i,
		    sl_cur_left(&c));
	}
}

static void
test_sticky(void)
{
	/* once bad, even reads that would fit fail */
	struct sl_cur c = sl_cur_init("\x01\x02\x03\x04", 4);
	(void)sl_cur_be32(&c);
	SL_CHECK(&ts, !c.bad);
	c = sl_cur_init("\x01\x02\x03\x04", 4);
	sl_cur_skip(&c, 5);
	SL_CHECK(&ts, c.bad);
	SL_CHECK(&ts, sl_cur_u8(&c) == 0);
	SL_CHECK(&ts, sl_cur_left(&c) == 4);
	struct sl_str s = sl_cur_str(&c, 1);
	SL_CHECK(&ts, s.n == 0 && s.p == NULL);
	struct sl_str line;
	SL_CHECK(&ts, !sl_cur_line(&c, &line, 10));
}

static void
test_take(void)
{
	struct sl_cur c = sl_cur_init("\x00\x02\xaa\xbb\xcc", 5);
	uint16_t n = sl_cur_be16(&c);
	struct sl_cur child = sl_cur_take(&c, n);
	SL_CHECK(&ts, !child.bad && sl_cur_left(&child) == 2);
	SL_CHECK(&ts, sl_cur_be16(&child) == 0xaabb);
	/* the child cannot read the parent's next byte */
	SL_CHECK(&ts, sl_cur_u8(&child) == 0 && child.bad);
	SL_CHECK(&ts, !c.bad && sl_cur_u8(&c) == 0xcc);

	/* a declared length larger than what is left fails once, both sides */
	c = sl_cur_init("\xff\xff\x01", 3);
	n = sl_cur_be16(&c);
	child = sl_cur_take(&c, n);
	SL_CHECK(&ts, child.bad && sl_cur_left(&child) == 0);
	SL_CHECK(&ts, c.bad);

	/* huge n must not wrap pointer arithmetic */
	c = sl_cur_init("ab", 2);
	child = sl_cur_take(&c, SIZE_MAX);
	SL_CHECK(&ts, child.bad && c.bad);
	c = sl_cur_init("ab", 2);
	sl_cur_skip(&c, SIZE_MAX);
	SL_CHECK(&ts, c.bad && sl_cur_left(&c) == 2);
	c = sl_cur_init("ab", 2);
	(void)sl_cur_peek_u8(&c, SIZE_MAX - 1);
	SL_CHECK(&ts, c.bad);
}

static void
test_copy_str(void)
{
	uint8_t out[4] = { 9, 9, 9, 9 };
	struct sl_cur c = sl_cur_init("\x01\x02\x03", 3);
	sl_cur_copy(&c, out, 4);
	SL_CHECK(&ts, c.bad && out[0] == 0 && out[3] == 0);
	c = sl_cur_init("\x01\x02\x03", 3);
	sl_cur_copy(&c, out, 2);
	SL_CHECK(&ts, !c.bad && out[0] == 1 && out[1] == 2 && sl_cur_left(&c) == 1);

	c = sl_cur_init("hello", 5);
	struct sl_str s = sl_cur_str(&c, 4);
	SL_CHECK(&ts, sl_str_eq(s, SL_STR("hell")) && sl_cur_left(&c) == 1);
	s = sl_cur_str(&c, 2);
	SL_CHECK(&ts, s.n == 0 && c.bad);
}

static const struct {
	const char *in;
	size_t max;
	bool ok;
	const char *line;
	size_t left;
} lines[] = {
	{ "abc\r\nrest", 100, true, "abc", 4 },
	{ "abc\nrest", 100, true, "abc", 4 },
	{ "\r\n", 100, true, "", 0 },
	{ "\n", 100, true, "", 0 },
	{ "abc", 100, false, NULL, 3 },		/* no terminator */
	{ "abcdef\n", 3, false, NULL, 7 },	/* beyond max */
	{ "abc\r", 100, false, NULL, 4 },	/* bare CR is not an end */
	{ "a\rb\n", 100, true, "a\rb", 0 },
	{ "", 100, false, NULL, 0 },
};

static void
test_lines(void)
{
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		struct sl_cur c = sl_cur_init(lines[i].in, strlen(lines[i].in));
		struct sl_str l = SL_STR_NULL;
		bool ok = sl_cur_line(&c, &l, lines[i].max);
		SL_CHECK_MSG(&ts, ok == lines[i].ok, "line row %zu", i);
		if (ok && lines[i].line)
			SL_CHECK_MSG(&ts, sl_str_eq(l, sl_str_c(lines[i].line)),
			    "line row %zu: %.*s", i, SL_PRI(l));
		SL_CHECK_MSG(&ts, sl_cur_left(&c) == lines[i].left, "line row %zu left", i);
		SL_CHECK(&ts, !c.bad);
	}
}

int
main(void)
{
	test_reads();
	test_sticky();
	test_take();
	test_copy_str();
	test_lines();
	return sl_test_report(&ts, "test_cursor");
}
