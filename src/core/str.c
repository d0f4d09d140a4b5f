/* str.c: slice helpers; all reads stay inside [p, p+n). */
#include "core/str.h"

#include <string.h>

struct sl_str
sl_str_c(const char *s)
{
	return s ? sl_str_make(s, strlen(s)) : SL_STR_NULL;
}

bool
sl_str_eq(struct sl_str a, struct sl_str b)
{
	return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
}

bool
sl_str_ieq(struct sl_str a, struct sl_str b)
{
	if (a.n != b.n)
		return false;
	for (size_t i = 0; i < a.n; i++)
		if (sl_ascii_lower(a.p[i]) != sl_ascii_lower(b.p[i]))
			return false;
	return true;
}

bool
sl_str_istarts(struct sl_str s, struct sl_str prefix)
{
	if (s.n < prefix.n)
		return false;
	return sl_str_ieq(sl_str_make(s.p, prefix.n), prefix);
}

static bool
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

struct sl_str
sl_str_trim(struct sl_str s)
{
	while (s.n && is_ws(s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n && is_ws(s.p[s.n - 1]))
		s.n--;
	return s;
}

long
sl_str_chr(struct sl_str s, char c)
{
	if (s.n == 0)
		return -1;
	const char *q = memchr(s.p, c, s.n);
	return q ? (long)(q - s.p) : -1;
}

struct sl_str
sl_str_split(struct sl_str s, char sep, struct sl_str *head)
{
	long i = sl_str_chr(s, sep);
	if (i < 0) {
		*head = s;
		return SL_STR_NULL;
	}
	*head = sl_str_make(s.p, (size_t)i);
	return sl_str_make(s.p + i + 1, s.n - (size_t)i - 1);
}

bool
sl_str_u64(struct sl_str s, uint64_t max, uint64_t *out)
{
	if (s.n == 0 || s.n > 20)
		return false;
	uint64_t v = 0;
	for (size_t i = 0; i < s.n; i++) {
		char c = s.p[i];
		if (c < '0' || c > '9')
			return false;
		uint64_t d = (uint64_t)(c - '0');
		if (d > max || v > (max - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

bool
sl_str_u32(struct sl_str s, uint32_t max, uint32_t *out)
{
	uint64_t v;
	if (!sl_str_u64(s, max, &v))
		return false;
	*out = (uint32_t)v;
	return true;
}
