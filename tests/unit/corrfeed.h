/* corrfeed.h: the correlator tests' harness. Packets are made by hand
 * (no capture, no link or IP layer), go through the application
 * dissectors with media flows decided by the correlator as in a run,
 * and into the correlator. */
#ifndef SL_TEST_CORRFEED_H
#define SL_TEST_CORRFEED_H

#include <stddef.h>
#include <stdint.h>

#include "correlate/correlate.h"
#include "dissector.h"
#include "unit.h"

/* Capture time zero of every fed packet, and one millisecond. */
#define CF_T0 1700000000000000000LL
#define CF_MS 1000000LL

struct cf {
	struct sl_corr *corr;
	struct sl_dctx ctx;
	struct sl_arena scratch;	/* the packet being fed; reset after each */
	uint64_t frame;			/* the last frame number given out */
};

/* Every finished call goes to emit(user, call), which owns it from then
 * on (emit_keeps). Aborts when the correlator cannot be made. */
void cf_init(struct cf *c, bool merge, sl_emit_fn emit, void *user);
void cf_free(struct cf *c);

/* Starts pkt as the next frame at CF_T0 + ms, in the scratch arena. */
void cf_packet(struct cf *c, struct sl_packet *pkt /* OUT */, int64_t ms, struct sl_endpoint src,
    struct sl_endpoint dst);

/* One check: the correlator took pkt. Then resets the scratch arena, so
 * what pkt points to is gone. */
void cf_correlate(struct sl_test_state *ts, struct cf *c, struct sl_packet *pkt);

/* A UDP payload through cf_packet, the application dissectors and
 * cf_correlate. Returns the application they chose. */
enum sl_app cf_udp(struct sl_test_state *ts, struct cf *c, int64_t ms, struct sl_endpoint src,
    struct sl_endpoint dst, const void *p, size_t n);

/* SIP datagram text into out: head (start line and headers, CRLF after
 * each), Content-Type when there is an SDP body, Content-Length, the
 * blank line and the body (sdp, or none when NULL). Returns its length;
 * aborts when it does not fit in cap. */
size_t cf_sip_text(char *out, size_t cap, const char *head, const char *sdp);

#endif
