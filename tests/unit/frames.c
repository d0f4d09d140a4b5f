/* frames.c: see frames.h. */
#include "tests/unit/frames.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t
fr_unhex(const char *hex, uint8_t *out, size_t max)
{
	static const char digits[] = "0123456789abcdef";
	size_t n = 0;
	int hi = -1;
	for (const char *s = hex; *s; s++) {
		if (*s == ' ')
			continue;
		const char *d = strchr(digits, *s);
		int v = d ? (int)(d - digits) : -1;
		if (v < 0 || (hi >= 0 && n == max)) {
			fprintf(stderr, "bad hex fixture at offset %zu (max %zu bytes): %s\n",
			    (size_t)(s - hex), max, hex);
			abort();
		}
		if (hi < 0) {
			hi = v;
		} else {
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	if (hi >= 0) {
		fprintf(stderr, "odd number of hex digits: %s\n", hex);
		abort();
	}
	return n;
}

bool
fr_has_anomaly(const struct sl_packet *pkt, const char *name)
{
	for (uint8_t i = 0; i < pkt->n_anomalies; i++)
		if (strcmp(pkt->anomalies[i], name) == 0)
			return true;
	return false;
}

void
fr_check_outcome(struct sl_test_state *ts, const struct sl_packet *pkt, enum sl_app app,
    enum sl_skip skip, size_t row)
{
	SL_CHECK_MSG(ts, pkt->app == app, "row %zu: app %d, want %d", row, pkt->app, app);
	SL_CHECK_MSG(ts, pkt->skip == skip, "row %zu: skip %s, want %s", row,
	    sl_skip_name(pkt->skip), sl_skip_name(skip));
}

void
fr_check_anomaly(struct sl_test_state *ts, const struct sl_packet *pkt, const char *want,
    size_t row)
{
	const char *first = pkt->n_anomalies ? pkt->anomalies[0] : "none";
	if (want)
		SL_CHECK_MSG(ts, pkt->n_anomalies == 1 && fr_has_anomaly(pkt, want),
		    "row %zu: want only %s, got %u (first %s)", row, want, pkt->n_anomalies, first);
	else
		SL_CHECK_MSG(ts, pkt->n_anomalies == 0, "row %zu: unexpected %s (%u)", row, first,
		    pkt->n_anomalies);
}

void
fr_put(struct fr_out *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(w->p + w->o, w->n - w->o, fmt, ap);
	va_end(ap);
	if (k > 0 && (size_t)k < w->n - w->o)
		w->o += (size_t)k;
}

void
fr_field(struct fr_out *w, const char *name, struct sl_str v)
{
	if (v.n)
		fr_put(w, " %s=%.*s", name, SL_PRI(v));
}
