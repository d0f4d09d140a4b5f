/* plog.h: the phone's stderr lines. Step lines (info) are printed bare so
 * scripts can match them ("registered u1 expires 3600", "call answered");
 * the other levels carry a prefix. The level and the stream live in a
 * caller-owned struct: nothing global. */
#ifndef SL_PHONE_PLOG_H
#define SL_PHONE_PLOG_H

#include <stdbool.h>
#include <stdio.h>

enum sl_plog_level {
	SL_PLOG_ERROR,
	SL_PLOG_WARN,
	SL_PLOG_INFO,
	SL_PLOG_DEBUG,
};

struct sl_plog {
	enum sl_plog_level level;	/* lines above this level are dropped */
	FILE *out;			/* NULL: nothing is printed */
};

/* "error", "warn", "info" or "debug". */
bool sl_plog_parse_level(const char *s, enum sl_plog_level *out /* OUT */);

/* One line (a newline is added). Control characters in the formatted
 * text (peer-supplied reason phrases, URIs) are replaced by '?', so a peer
 * cannot forge extra lines. */
void sl_plog(const struct sl_plog *l, enum sl_plog_level lv, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
