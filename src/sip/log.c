/* log.c: see log.h. */
#include "sip/log.h"

#include <stdarg.h>
#include <string.h>

static const char *const names[] = { "error", "warn", "info", "debug" };

bool
sl_log_level_parse(const char *s, enum sl_log_level *out)
{
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (s && strcmp(s, names[i]) == 0) {
			*out = (enum sl_log_level)i;
			return true;
		}
	return false;
}

const char *
sl_log_level_name(enum sl_log_level l)
{
	return (size_t)l < sizeof(names) / sizeof(names[0]) ? names[l] : "?";
}

bool
sl_log_on(const struct sl_log *l, enum sl_log_level lv)
{
	return l != NULL && l->f != NULL && lv <= l->level;
}

void
sl_log(const struct sl_log *l, enum sl_log_level lv,
    const struct sl_endpoint *peer, const char *fmt, ...)
{
	char msg[1024], line[4200], ep[SL_EP_STRLEN];
	const char *prog;
	va_list ap;
	size_t o = 0;

	if (!sl_log_on(l, lv))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (const unsigned char *p = (const unsigned char *)msg; *p; p++) {
		if (*p >= 0x20 && *p < 0x7f && *p != '\\')
			line[o++] = (char)*p;
		else
			o += (size_t)snprintf(line + o, 5, "\\x%02x", *p);
	}
	line[o] = '\0';
	prog = l->prog ? l->prog : "sipladder";
	if (peer)
		fprintf(l->f, "%s: %s: %s: %s\n", prog, sl_log_level_name(lv),
		    sl_ep_str(peer, ep, sizeof(ep)), line);
	else
		fprintf(l->f, "%s: %s: %s\n", prog, sl_log_level_name(lv), line);
	fflush(l->f);
}
