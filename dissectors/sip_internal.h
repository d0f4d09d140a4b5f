/* sip_internal.h: a way into dissectors/sip.c for tests and fuzzers only.
 * The dissector gives libosip2 only the header lines that can fail its
 * parse or that we read (see osip_input in sip.c); that filter is safe
 * only if dissecting with it off yields every field the same, which
 * tests/unit/test_sipfilter.c and tests/fuzz/fuzz_sipfilter.c check. */
#ifndef SL_SIP_INTERNAL_H
#define SL_SIP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "dissectors/dissector.h"

struct sl_sip_feed {
	/* IN: hand libosip2 every header line but Content-Type and
	 * Content-Length, which it never sees (the body is ours) */
	bool all_lines;
	/* OUT, added to: bytes handed to libosip2, so a test can tell that
	 * the filter did leave lines out */
	size_t osip_bytes;
};

/* sl_sip_dissect with the libosip2 feed chosen by *feed. */
enum sl_err sl_sip_dissect_feed(struct sl_packet *pkt, struct sl_cur c,
    struct sl_sip_feed *feed);

#endif
