/* plog.c: levelled one-line logging for the phone (plog.h). */
#include "plog.h"

#include <stdarg.h>
#include <string.h>

bool
sl_plog_parse_level(const char *s, enum sl_plog_level *out)
{
	static const char *const names[] = { "error", "warn", "info", "debug" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(s, names[i]) == 0) {
			*out = (enum sl_plog_level)i;
			return true;
		}
	}
	return false;
}

void
sl_plog(const struct sl_plog *l, enum sl_plog_level lv, const char *fmt, ...)
{
	static const char *const prefix[] = { "error: ", "warning: ", "", "debug: " };
	char line[1024];
	va_list ap;

	if (l->out == NULL || lv > l->level)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	for (char *p = line; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	fprintf(l->out, "%s%s\n", prefix[lv], line);
	fflush(l->out);
}
