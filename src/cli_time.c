/* cli_time.c: the times db search takes (--since, --until). UTC only,
 * and said so ("Z"): a capture's times are UTC, and a local time would
 * silently mean another hour on another machine. */
#include <stdbool.h>
#include <stdint.h>
#include "cli.h"

#define NS 1000000000LL
#define MAX_SECS 253402300799LL		/* 9999-12-31T23:59:59Z */

/* n digits at *p as a number; advances *p */
static bool
digits(const char **p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		char c = (*p)[i];
		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (c - '0');
	}
	*p += n;
	*out = v;
	return true;
}

static bool
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days from 1970-01-01 to y-m-d of the proleptic Gregorian calendar
 * (H. Hinnant's days_from_civil): no timegm, no TZ in play */
static int64_t
days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static bool
iso(const char *p, int64_t *ns)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, mo, d, h = 0, mi = 0, s = 0;
	int64_t frac = 0;
	if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' ||
	    !digits(&p, 2, &d))
		return false;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 ||
	    d > mdays[mo - 1] + (mo == 2 && leap(y)))
		return false;
	if (*p == 'T') {
		p++;
		if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi))
			return false;
		if (*p == ':') {
			p++;
			if (!digits(&p, 2, &s))
				return false;
			if (*p == '.') {
				p++;
				int64_t scale = NS;
				if (*p < '0' || *p > '9')
					return false;
				for (; *p >= '0' && *p <= '9'; p++)
					if (scale > 1) {
						scale /= 10;
						frac += (*p - '0') * scale;
					}
			}
		}
		if (h > 23 || mi > 59 || s > 60 || *p++ != 'Z')
			return false;
	}
	if (*p != '\0')
		return false;
	int64_t secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
	if (secs > MAX_SECS)
		return false;
	*ns = secs * NS + frac;
	return true;
}

bool
sl_cli_parse_time(const char *s, int64_t *ns)
{
	uint64_t secs;
	if (sl_str_u64(sl_str_c(s), MAX_SECS, &secs)) {
		*ns = (int64_t)secs * NS;
		return true;
	}
	return iso(s, ns);
}
