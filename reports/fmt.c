/* fmt.c: locale-free numbers, UTC stamps and terminal-safe text for the
 * renderers; see fmt.h. */
#include "reports/fmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const uint64_t pow10_tab[10] = {
	1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
	10000000ULL, 100000000ULL, 1000000000ULL,
};

/* ----- numbers ----- */

static char *
fixed_mag(char out[SL_FMT_NUM], bool neg, uint64_t mag, unsigned decimals)
{
	if (decimals > 9)
		decimals = 9;
	uint64_t p = pow10_tab[decimals];
	if (decimals == 0)
		snprintf(out, SL_FMT_NUM, "%s%llu", neg ? "-" : "",
		    (unsigned long long)mag);
	else
		snprintf(out, SL_FMT_NUM, "%s%llu.%0*llu", neg ? "-" : "",
		    (unsigned long long)(mag / p), (int)decimals,
		    (unsigned long long)(mag % p));
	return out;
}

char *
sl_fmt_fixed(char out[SL_FMT_NUM], int64_t scaled, unsigned decimals)
{
	/* magnitude through unsigned arithmetic: -INT64_MIN overflows */
	bool neg = scaled < 0;
	uint64_t mag = neg ? 0 - (uint64_t)scaled : (uint64_t)scaled;
	return fixed_mag(out, neg && mag != 0, mag, decimals);
}

char *
sl_fmt_secs(char out[SL_FMT_NUM], int64_t ns, unsigned decimals)
{
	if (decimals > 9)
		decimals = 9;
	bool neg = ns < 0;
	uint64_t mag = neg ? 0 - (uint64_t)ns : (uint64_t)ns;
	uint64_t div = pow10_tab[9 - decimals];
	uint64_t q = mag / div + (mag % div >= (div + 1) / 2 && div > 1 ? 1 : 0);
	return fixed_mag(out, neg && q != 0, q, decimals);
}

bool
sl_fmt_double(char out[SL_FMT_NUM], double v, unsigned decimals)
{
	if (decimals > 6)
		decimals = 6;
	double s = v * (double)pow10_tab[decimals];
	if (!isfinite(s) || fabs(s) > 9e15) {
		out[0] = '\0';
		return false;
	}
	sl_fmt_fixed(out, (int64_t)llround(s), decimals);
	return true;
}

enum sl_err
sl_fmt_utc(struct sl_buf *b, int64_t ns, bool with_date, unsigned decimals)
{
	if (decimals > 9)
		decimals = 9;
	/* floor division: a time before 1970 still has a positive fraction */
	int64_t sec = ns / 1000000000;
	int64_t rem = ns % 1000000000;
	if (rem < 0) {
		sec--;
		rem += 1000000000;
	}
	time_t t = (time_t)sec;
	struct tm tm;
	if (gmtime_r(&t, &tm) == NULL)
		memset(&tm, 0, sizeof tm);
	enum sl_err e;
	if (with_date)
		e = sl_buf_printf(b, "%04d-%02d-%02dT%02d:%02d:%02d",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec);
	else
		e = sl_buf_printf(b, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min,
		    tm.tm_sec);
	if (e == SL_OK && decimals > 0)
		e = sl_buf_printf(b, ".%0*llu", (int)decimals,
		    (unsigned long long)((uint64_t)rem / pow10_tab[9 - decimals]));
	if (e == SL_OK && with_date)
		e = sl_buf_addc(b, 'Z');
	return e;
}

/* ----- text ----- */

/* Length of the valid UTF-8 sequence at s (RFC 3629: no overlongs, no
 * surrogates), 0 if invalid; *cp gets the code point. */
static size_t
utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char c = s[0];
	size_t len;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
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
	uint32_t v = c & (0x7f >> len);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && v < 0x800) || (len == 4 && v < 0x10000) ||
	    (v >= 0xd800 && v <= 0xdfff) || v > 0x10ffff)
		return 0;
	*cp = v;
	return len;
}

/* Code points a terminal would act on rather than print: C0/C1
 * controls, DEL, and the bidirectional overrides that reorder text
 * ("trojan source"). */
static bool
is_unsafe(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	    cp == 0x2028 || cp == 0x2029;
}

/* One display unit at s: bytes consumed, and whether it prints as is. */
static size_t
unit(const unsigned char *s, size_t n, bool *safe)
{
	uint32_t cp = 0;
	size_t l = utf8_decode(s, n, &cp);
	if (l == 0) {
		*safe = false;
		return 1;
	}
	*safe = !is_unsafe(cp);
	return l;
}

size_t
sl_fmt_width(struct sl_str s)
{
	const unsigned char *u = (const unsigned char *)s.p;
	size_t w = 0;
	bool safe;
	for (size_t i = 0; i < s.n; w++)
		i += unit(u + i, s.n - i, &safe);
	return w;
}

enum sl_err
sl_fmt_put(struct sl_buf *b, struct sl_str s, size_t cols)
{
	size_t w = sl_fmt_width(s);
	bool cut = w > cols;
	size_t keep = cut ? (cols ? cols - 1 : 0) : w;
	const unsigned char *u = (const unsigned char *)s.p;
	size_t i = 0;
	enum sl_err e = SL_OK;
	for (size_t k = 0; k < keep && e == SL_OK; k++) {
		bool safe;
		size_t l = unit(u + i, s.n - i, &safe);
		e = safe ? sl_buf_add(b, u + i, l) : sl_buf_addc(b, '?');
		i += l;
	}
	if (e == SL_OK && cut && cols > 0)
		e = sl_buf_addc(b, '~');
	return e;
}

size_t
sl_fmt_cplen(const char *p, size_t n)
{
	uint32_t cp;
	size_t l = utf8_decode((const unsigned char *)p, n, &cp);
	return l ? l : 1;
}

/* ----- codec names ----- */

struct sl_str
sl_fmt_ws_codec(struct sl_str codec, uint8_t pt, char tmp[SL_FMT_NUM])
{
	/* Wireshark's rtp_payload_type short names (epan/rtp_pt.h) */
	static const struct {
		const char *sdp;
		uint8_t pt;
		const char *ws;
	} map[] = {
		{ "PCMU", 0, "g711U" },
		{ "GSM", 3, "GSM" },
		{ "G723", 4, "g723" },
		{ "PCMA", 8, "g711A" },
		{ "G722", 9, "g722" },
		{ "G728", 15, "g728" },
		{ "G729", 18, "g729" },
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
		if (codec.n ? sl_str_ieq(codec, sl_str_c(map[i].sdp)) : pt == map[i].pt)
			return sl_str_c(map[i].ws);
	}
	if (codec.n)
		return codec;
	snprintf(tmp, SL_FMT_NUM, "PT%u", (unsigned)pt);
	return sl_str_c(tmp);
}
