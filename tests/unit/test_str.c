/* test_str.c: slice helpers and bounded number parsing (src/core/str.h),
 * the bounded replacement for the C string-to-int calls: most rows are numbers that must be refused. */
#include <stdint.h>
#include <string.h>

#include "core/str.h"
#include "tests/unit/unit.h"

static SL_TEST_STATE(ts);

static const struct {
	const char *in;
	uint32_t max;
	bool ok;
	uint32_t want;
} u32s[] = {
	{ "0", 10, true, 0 },
	{ "7", 10, true, 7 },
	{ "10", 10, true, 10 },
	{ "11", 10, false, 0 },
	{ "007", 10, true, 7 },
	{ "65535", 65535, true, 65535 },
	{ "65536", 65535, false, 0 },
	{ "4294967295", UINT32_MAX, true, UINT32_MAX },
	{ "4294967296", UINT32_MAX, false, 0 },
	{ "99999999999999999999999", UINT32_MAX, false, 0 },
	{ "", 10, false, 0 },
	{ "-1", 10, false, 0 },
	{ "+1", 10, false, 0 },
	{ " 1", 10, false, 0 },
	{ "1 ", 10, false, 0 },
	{ "1a", 10, false, 0 },
	{ "0x1", 10, false, 0 },
	{ "1.5", 10, false, 0 },
};

static void
test_u32(void)
{
	for (size_t i = 0; i < sizeof(u32s) / sizeof(u32s[0]); i++) {
		uint32_t v = 12345;
		bool ok = sl_str_u32(sl_str_c(u32s[i].in), u32s[i].max, &v);
		SL_CHECK_MSG(&ts, ok == u32s[i].ok, "u32 row %zu '%s'", i, u32s[i].in);
		if (ok)
			SL_CHECK_MSG(&ts, v == u32s[i].want, "u32 row %zu: %u", i, v);
		else
			SL_CHECK_MSG(&ts, v == 12345, "u32 row %zu: out written on failure", i);
	}
	uint64_t v;
	SL_CHECK(&ts, sl_str_u64(SL_STR("18446744073709551615"), UINT64_MAX, &v) &&
	    v == UINT64_MAX);
	SL_CHECK(&ts, !sl_str_u64(SL_STR("18446744073709551616"), UINT64_MAX, &v));
	/* a slice that is not NUL-terminated: digits after n are not read */
	uint32_t w;
	SL_CHECK(&ts, sl_str_u32(sl_str_make("123456", 3), 1000, &w) && w == 123);
}

static void
test_compare(void)
{
	SL_CHECK(&ts, sl_str_ieq(SL_STR("Call-ID"), SL_STR("call-id")));
	SL_CHECK(&ts, !sl_str_ieq(SL_STR("Call-ID"), SL_STR("call-i")));
	SL_CHECK(&ts, sl_str_ieq(SL_STR_NULL, SL_STR("")));
	SL_CHECK(&ts, !sl_str_eq(SL_STR("INVITE"), SL_STR("invite")));
	SL_CHECK(&ts, sl_str_eq(SL_STR_NULL, SL_STR_NULL));
	SL_CHECK(&ts, sl_str_istarts(SL_STR("SIP/2.0 200"), SL_STR("sip/2.0")));
	SL_CHECK(&ts, !sl_str_istarts(SL_STR("SIP"), SL_STR("SIP/2.0")));
	/* bytes >= 0x80 are not letters: no locale folding */
	SL_CHECK(&ts, !sl_str_ieq(SL_STR("\xc3\xa9"), SL_STR("\xc3\x89")));
	SL_CHECK(&ts, sl_ascii_lower('Z') == 'z' && sl_ascii_lower('[') == '[');
}

static void
test_trim_split(void)
{
	SL_CHECK(&ts, sl_str_eq(sl_str_trim(SL_STR(" \t x y\r\n")), SL_STR("x y")));
	SL_CHECK(&ts, sl_str_trim(SL_STR("  ")).n == 0);
	SL_CHECK(&ts, sl_str_trim(SL_STR_NULL).n == 0);

	struct sl_str head;
	struct sl_str rest = sl_str_split(SL_STR("a;b;c"), ';', &head);
	SL_CHECK(&ts, sl_str_eq(head, SL_STR("a")) && sl_str_eq(rest, SL_STR("b;c")));
	rest = sl_str_split(SL_STR("abc"), ';', &head);
	SL_CHECK(&ts, sl_str_eq(head, SL_STR("abc")) && rest.n == 0 && rest.p == NULL);
	rest = sl_str_split(SL_STR(";"), ';', &head);
	SL_CHECK(&ts, head.n == 0 && rest.n == 0 && rest.p != NULL);
	rest = sl_str_split(SL_STR_NULL, ';', &head);
	SL_CHECK(&ts, head.n == 0 && rest.n == 0);

	SL_CHECK(&ts, sl_str_chr(SL_STR("abc"), 'c') == 2);
	SL_CHECK(&ts, sl_str_chr(SL_STR("abc"), 'd') == -1);
	SL_CHECK(&ts, sl_str_chr(SL_STR_NULL, 'a') == -1);
	/* the slice ends before the NUL-terminated string does */
	SL_CHECK(&ts, sl_str_chr(sl_str_make("ab;", 2), ';') == -1);
	SL_CHECK(&ts, sl_str_c(NULL).n == 0);
}

int
main(void)
{
	test_u32();
	test_compare();
	test_trim_split();
	return sl_test_report(&ts, "test_str");
}
