/* unit.h: a tiny test harness (Redis testhelp.h). A test file defines
 * main() calling its table-driven checks, then returns sl_test_report(). */
#ifndef SL_UNIT_H
#define SL_UNIT_H

#include <stdio.h>
#include <string.h>

struct sl_test_state {
	int failed;
	int passed;
};

#define SL_TEST_STATE(name) struct sl_test_state name = { 0, 0 }

#define SL_CHECK(ts, cond) do { \
	if (cond) { \
		(ts)->passed++; \
	} else { \
		(ts)->failed++; \
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
	} \
} while (0)

#define SL_CHECK_MSG(ts, cond, ...) do { \
	if (cond) { \
		(ts)->passed++; \
	} else { \
		(ts)->failed++; \
		fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond); \
		fprintf(stderr, __VA_ARGS__); \
		fputc('\n', stderr); \
	} \
} while (0)

static inline int
sl_test_report(const struct sl_test_state *ts, const char *name)
{
	fprintf(stderr, "%s: %d passed, %d failed\n", name, ts->passed, ts->failed);
	return ts->failed ? 1 : 0;
}

#endif
