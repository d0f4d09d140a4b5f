/* corrfeed.h: the correlator tests' harness. Packets are made by hand
 * (no capture, no link or IP layer), go through the application
 * dissectors with media flows decided by the correlator as in a run,
 * and into the correlator. */
#ifndef SL_TEST_CORRFEED_H
#define SL_TEST_CORRFEED_H

#include <stddef.h>
#include <stdint.h>

#include "correlate/correlate.h"
#include "dissectors/dissector.h"
#include "tests/unit/unit.h"

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

/* "10.0.0.1:5060" as a UDP endpoint (IPv4 literals). */
struct sl_endpoint cf_ep(const char *s);

/* One SIP datagram of a scenario table. */
struct cf_step {
	int ms;			/* after CF_T0 */
	const char *src;	/* "ip:port" */
	const char *dst;
	const char *head;	/* start line and headers, no Content-Length */
	const char *sdp;	/* body, or NULL */
};

/* Feeds each step through cf_sip_text and cf_udp (one check: it is
 * SIP), then ends the input (sl_corr_finish, checked). */
void cf_run(struct sl_test_state *ts, struct cf *c, const struct cf_step *steps, size_t n);

/* The emitted calls a test keeps: pass cf_keep and a struct cf_calls to
 * cf_init. Calls past CF_MAX_CALLS are freed on arrival. */
#define CF_MAX_CALLS 8
struct cf_calls {
	struct sl_call *calls[CF_MAX_CALLS];
	size_t n_calls;
};
enum sl_err cf_keep(void *user, struct sl_call *call);
void cf_calls_free(struct cf_calls *k);

#endif
