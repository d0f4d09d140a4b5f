/* text.h: bounded text builder over a caller-supplied buffer.
 *
 * SIP and SDP are assembled with snprintf into a fixed buffer; running out
 * of room sets `overflow` instead of truncating silently, and the caller
 * treats that as a generator bug. */
#ifndef SLG_TEXT_H
#define SLG_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "tests/gen/slg.h"

struct slg_text {
	char *p;
	size_t len;
	size_t cap;
	bool overflow;
};

void slg_text_init(struct slg_text *t, char *buf, size_t cap);
void slg_text_add(struct slg_text *t, const char *fmt, ...) SLG_PRINTF(2, 3);
void slg_text_raw(struct slg_text *t, const void *data, size_t n);

#endif
