/* frames.h: the dissector tests' shared harness. Their tables write
 * packets as hex text; every row then checks the same outcome fields
 * (application, skip reason, the one expected anomaly) before its own. */
#ifndef SL_TEST_FRAMES_H
#define SL_TEST_FRAMES_H

#include <stddef.h>
#include <stdint.h>

#include "dissectors/dissector.h"
#include "tests/unit/unit.h"

/* Bytes of `hex` (lowercase digits, spaces anywhere) into out. A table
 * typo (another character, an odd digit, more than max bytes) aborts: a
 * silently shorter frame would test something else. Returns the byte
 * count. */
size_t fr_unhex(const char *hex, uint8_t *out, size_t max);

bool fr_has_anomaly(const struct sl_packet *pkt, const char *name);

/* Text written into a caller's fixed buffer, cut silently at its end: the
 * rows a test renders and compares with what it expects. */
struct fr_out {
	char *p;
	size_t n, o;
};

void fr_put(struct fr_out *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* " name=value" when v is not empty. */
void fr_field(struct fr_out *w, const char *name, struct sl_str v);

/* Two checks: pkt's application and skip reason. `row` names the table
 * row in the failure message. */
void fr_check_outcome(struct sl_test_state *ts, const struct sl_packet *pkt, enum sl_app app,
    enum sl_skip skip, size_t row);

/* One check: `want` is pkt's only anomaly, or pkt has none when want is
 * NULL. */
void fr_check_anomaly(struct sl_test_state *ts, const struct sl_packet *pkt, const char *want,
    size_t row);

#endif
