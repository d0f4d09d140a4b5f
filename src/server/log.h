/* log.h: levelled log lines of sipladder-server on a caller-chosen FILE*
 * (stderr in the program, a temporary file in tests). One line per event:
 *   sipladder-server: warn: 127.0.0.183:5060: 400 Bad Request (no Via)
 * The peer part appears when the event concerns a peer, so every rejection
 * names who was rejected. Text that came from the network may be part of a
 * message: bytes outside printable ASCII are written as \xNN so a hostile
 * user name cannot forge log lines or terminal escapes. */
#ifndef SL_SERVER_LOG_H
#define SL_SERVER_LOG_H

#include <stdbool.h>
#include <stdio.h>

#include "core/addr.h"

enum sl_slog_level {
	SL_SLOG_ERROR,
	SL_SLOG_WARN,
	SL_SLOG_INFO,
	SL_SLOG_DEBUG,
};

struct sl_slog {
	FILE *f;			/* NULL: logging off */
	enum sl_slog_level level;	/* lines above it are skipped */
	const char *prog;		/* line prefix, e.g. "sipladder-server" */
};

/* "error", "warn", "info", "debug"; false for anything else. */
bool sl_slog_level_parse(const char *s, enum sl_slog_level *out /* OUT */);
const char *sl_slog_level_name(enum sl_slog_level l);

/* Would a line at this level be written? Lets callers skip costly
 * formatting of debug details. */
bool sl_slog_on(const struct sl_slog *l, enum sl_slog_level lv);

/* One line; peer may be NULL. Lines longer than 1023 bytes are cut. */
void sl_slog(const struct sl_slog *l, enum sl_slog_level lv,
    const struct sl_endpoint *peer, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
