/* fixture.h: call models built by hand for the report tests (ladder,
 * tables, JSON), so they pin the renderers without a capture or the
 * correlator in the way. Every call owns its arena: fx_free_call frees
 * the call and everything added to it. */
#ifndef SL_TEST_FIXTURE_H
#define SL_TEST_FIXTURE_H

#include <stdint.h>

#include "model/model.h"
#include "reports/report.h"
#include "tests/unit/unit.h"

/* 2009-06-01T10:00:01Z: time zero of every fixture capture */
#define FX_BASE_NS INT64_C(1243850401000000000)
#define FX_US(x) (FX_BASE_NS + (int64_t)(x) * 1000)

/* A UDP endpoint from a literal address (IPv4 or IPv6). */
struct sl_endpoint fx_ep(const char *ip, uint16_t port);

/* A call with no legs, no setup or talk time yet; aborts on ENOMEM. */
struct sl_call *fx_new_call(enum sl_call_kind kind, uint32_t index);
void fx_free_call(struct sl_call *c);
/* Runs the model's analysis for c->findings only: the summary the test
 * set by hand stays. Aborts on ENOMEM. */
void fx_findings(struct sl_call *c);
void *fx_zalloc(struct sl_call *c, size_t n);

struct sl_leg *fx_add_leg(struct sl_call *c, char name, const char *cid, const char *from,
    const char *to, struct sl_endpoint uac, struct sl_endpoint uas);

/* Messages are appended in call order, numbered as frames 1, 2, ...;
 * `us` is microseconds after FX_BASE_NS. */
struct sl_msg *fx_req(struct sl_call *c, struct sl_leg *g, int64_t us, struct sl_endpoint src,
    struct sl_endpoint dst, const char *method, uint32_t cseq);
struct sl_msg *fx_resp(struct sl_call *c, struct sl_leg *g, int64_t us, struct sl_endpoint src,
    struct sl_endpoint dst, uint16_t status, const char *reason, const char *method,
    uint32_t cseq);

/* A PCMU-clocked stream with no loss: tests set the rest by hand. */
struct sl_stream *fx_add_stream(struct sl_call *c, struct sl_leg *g, struct sl_endpoint src,
    struct sl_endpoint dst, uint32_t ssrc, const char *codec, uint64_t packets,
    int64_t first_us, int64_t last_us);

/* Marks a message as carrying a PCMU offer or answer for `media`. */
void fx_sdp(struct sl_msg *m, struct sl_endpoint media);

/* The seed's call through the server (SEED-EN.md; times from
 * LADDER-EXAMPLES.md section 1): two legs, 23 messages, four streams,
 * two of them outliving the BYE. */
struct sl_call *fx_seed_b2bua(void);

/* Default report options with time zero at FX_BASE_NS. */
struct sl_report_opts fx_opts(void);

/* One check: `got` is exactly `want`; on failure both are printed whole. */
void fx_check_text(struct sl_test_state *ts, const char *got, const char *want,
    const char *what);

#endif
