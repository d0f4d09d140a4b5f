/* harness.h: sipladder-server's core (src/server/server.h) on a fake clock
 * and a fake network, for the SIP flow tests. Datagrams the server sends
 * are queued in order; a test injects what phones would send and pops
 * what the server answered, parsed, checking its destination. Relay
 * sockets are real (bound on 127.0.0.61 in the caller's port range) and
 * never polled unless a test asks. Log lines are captured for checks. */
#ifndef SL_TEST_HARNESS_H
#define SL_TEST_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "server/server.h"
#include "tests/unit/unit.h"

#define H_SERVER "127.0.0.61"
#define H_MAXQ 256

struct h_pkt {
	char to[SL_EP_STRLEN];
	char *data;
	size_t n;
};

struct h {
	struct sl_test_state *ts;
	uint64_t now;
	struct sl_loop *loop;
	struct sl_srv_opts o;
	struct sl_regfile rf;
	struct sl_route rr;
	struct sl_log log;
	char *logtext;
	size_t loglen;
	struct sl_srv srv;
	struct h_pkt q[H_MAXQ];
	size_t nq, head;
	bool up;
};

/* A phone as the tests drive it. */
struct h_ua {
	const char *ep;		/* "127.0.0.183:5060" */
	const char *user;
	const char *password;
	unsigned n;		/* branch / tag counter */
};

struct h_cfg {
	const char *regfile;	/* NULL: src/server/conf/regfile.conf */
	const char *regexroute;	/* NULL: src/server/conf/regexroute.conf */
	const char *rtp;	/* "LO-HI" */
	uint32_t max_calls;	/* 0: 1000 */
	uint32_t max_regs;	/* 0: 1024 */
	uint32_t no_answer_s;	/* 0: 60 */
	uint32_t nonce_ttl_s;	/* 0: 300 */
	uint32_t nonce_slots;	/* 0: 65536 */
	size_t max_txns;	/* 0: 65536 */
	uint32_t rate_reqs;	/* --rate-limit R/2; 0: 30, H_OFF: no limit */
	uint32_t rtp_timeout_s;	/* 0: the option's default (60), H_OFF: off */
	uint32_t session_timeout_s;	/* 0: the option's default, H_OFF: off */
};

#define H_OFF UINT32_MAX

bool h_init(struct h *h, struct sl_test_state *ts, const struct h_cfg *cfg);
void h_free(struct h *h);

/* Inject one datagram from `from`. */
void h_in(struct h *h, const char *from, const char *text);
/* Next queued datagram, parsed; the test fails (and NULL is returned)
 * when there is none or it goes elsewhere than `to`. Caller frees. */
osip_message_t *h_out(struct h *h, const char *to, const char *what);
/* Raw bytes of the last datagram h_out returned. */
const struct h_pkt *h_last(const struct h *h);
/* True when nothing is queued (the test fails otherwise, with what). */
bool h_quiet(struct h *h, const char *what);
/* Forget everything queued; returns how many datagrams that was. */
size_t h_drain(struct h *h);
/* Move the fake clock by ms, firing timers every 10 ms of it. */
void h_advance(struct h *h, uint64_t ms);
/* Has the log a line containing s? */
bool h_logged(struct h *h, const char *s);

/* ----- building what phones send ----- */

/* A request text: method, Request-URI, From ua (tag ftag), To `to` (tag
 * to_tag or none), Call-ID, CSeq, Via branch, Contact of ua; extra headers
 * (each ending in CRLF) and an SDP body may be NULL. */
char *h_req(const struct h_ua *ua, const char *method, const char *ruri, const char *to,
    const char *to_tag, const char *callid, unsigned cseq, const char *ftag,
    const char *branch, const char *extra, const char *sdp);
/* A response text to req (as the phone would send it). */
char *h_resp(const osip_message_t *req, int code, const char *to_tag, const char *contact,
    const char *sdp);
/* "Authorization: Digest ...\r\n" answering the 401 ch for ua, with
 * nc=00000001 (h_authz) or nc (h_authz_nc) when ch offers qop. */
char *h_authz(const struct h_ua *ua, const osip_message_t *ch, const char *method,
    const char *uri);
char *h_authz_nc(const struct h_ua *ua, const osip_message_t *ch, const char *method,
    const char *uri, uint32_t nc);
/* A G.711 offer/answer on ip:port. */
char *h_sdp(const char *ip, unsigned port);
/* REGISTER with the 100/401/100/final dance; the final status (0 when a
 * step is missing). */
int h_register(struct h *h, struct h_ua *ua, unsigned expires);
/* The next datagram, which must be a BYE to ep (the test fails otherwise,
 * with what), answered 200 from ep; the BYE (caller frees) or NULL. */
osip_message_t *h_bye_ok(struct h *h, const char *ep, const char *what);

/* ----- real sockets ----- */

/* A non-blocking UDP socket bound on ip:port (a phone's RTP, say); -1 on
 * failure. */
int h_sock_at(const char *ip, uint16_t port);

/* Header value (first) of m, "" when absent. */
const char *h_hdr(const osip_message_t *m, const char *name);
/* The body of m as a NUL-terminated copy (freed with free), or NULL. */
char *h_body(const osip_message_t *m);

#endif
