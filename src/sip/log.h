/* log.h: levelled log lines of sipladder-server and sipladder-phone on a
 * caller-chosen FILE* (stderr in the programs, a temporary file in tests).
 * One line per event, one format for both programs:
 *   sipladder-server: warn: 127.0.0.183:5060: 400 Bad Request (no Via)
 *   sipladder-phone: info: call answered
 * that is program name, level, the peer endpoint when the event concerns a
 * peer (so every rejection names who was rejected), then the message.
 * Text that came from the network may be part of a message: bytes outside
 * printable ASCII (and the backslash) are written as \xNN so a hostile
 * user name or reason phrase cannot forge log lines or terminal escapes.
 * The level, stream and prefix live in a caller-owned struct: nothing
 * global. */
#ifndef SL_SIP_LOG_H
#define SL_SIP_LOG_H

#include <stdbool.h>
#include <stdio.h>

#include "core/addr.h"

enum sl_log_level {
	SL_LOG_ERROR,
	SL_LOG_WARN,
	SL_LOG_INFO,
	SL_LOG_DEBUG,
};

struct sl_log {
	FILE *f;			/* NULL: logging off */
	enum sl_log_level level;	/* lines above it are skipped */
	const char *prog;		/* line prefix, e.g. "sipladder-server";
					 * NULL: "sipladder" */
};

/* "error", "warn", "info", "debug"; false for anything else (and NULL). */
bool sl_log_level_parse(const char *s, enum sl_log_level *out /* OUT */);
const char *sl_log_level_name(enum sl_log_level l);

/* Would a line at this level be written? Lets callers skip costly
 * formatting of debug details. l may be NULL (off). */
bool sl_log_on(const struct sl_log *l, enum sl_log_level lv);

/* One line (the newline is added); peer may be NULL. Messages longer than
 * 1023 bytes are cut. */
void sl_log(const struct sl_log *l, enum sl_log_level lv,
    const struct sl_endpoint *peer, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
