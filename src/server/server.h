/* server.h: the core of sipladder-server, without sockets of its own:
 * datagrams come in through sl_srv_input and leave through cfg.send, so
 * the same code runs behind the program's UDP socket and inside unit tests
 * on a fake clock. It owns the transaction layer (src/sip/txn), the
 * registrar, the digest checker, the RTP relay environment and the B2BUA
 * call table, and dispatches each new server transaction by method:
 *
 *   REGISTER  register.c   registrar with digest (RFC 3261 10.3)
 *   INVITE    b2bua.c      a new call (no To tag) or a re-INVITE
 *   CANCEL    b2bua.c      cancels a pending call (RFC 3261 9.2)
 *   BYE, INFO, UPDATE, in-dialog OPTIONS   b2bua.c, else 481
 *   OPTIONS   200 with Allow (keepalive pings of SIPp and phones)
 *   other     501 Not Implemented
 *
 * Every rejection is logged with the peer's address. */
#ifndef SL_SERVER_SERVER_H
#define SL_SERVER_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/addr.h"
#include "server/auth.h"
#include "server/opts.h"
#include "server/ratelimit.h"
#include "server/regexroute.h"
#include "server/regfile.h"
#include "server/registrar.h"
#include "server/relay.h"
#include "sip/dialog.h"
#include "sip/ids.h"
#include "sip/log.h"
#include "sip/loop.h"
#include "sip/trace.h"
#include "sip/txn.h"

#define SL_SRV_ALLOW "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, REGISTER"

struct sl_srv_cfg {
	const struct sl_srv_opts *opts;	/* limits, realm, timers (borrowed) */
	const struct sl_regfile *rf;	/* borrowed */
	const struct sl_route *rr;	/* borrowed */
	struct sl_loop *loop;		/* borrowed; its clock is the server's */
	const struct sl_log *log;	/* borrowed */
	struct sl_trace *trace;		/* RTP tracing, may be NULL (borrowed) */
	struct sl_ip bind_ip;		/* listen address: relay sockets bind it */
	uint16_t port;			/* our SIP port (Via, Contact) */
	/* One datagram out (required). */
	enum sl_err (*send)(void *arg, const struct sl_endpoint *to,
	    const void *p, size_t n);
	/* Our address as the peer sees it (Via, Contact, SDP). Required. */
	void (*local_ip)(void *arg, const struct sl_endpoint *peer,
	    struct sl_ip *out /* OUT */);
	void *io_arg;
	uint32_t t1_ms;			/* 0: 500 (tests shorten it) */
	size_t max_txns;		/* live transactions, 0: 65536 (txn.h) */
	uint64_t nonce_base_s;		/* nonce clock = base + seconds since start */
};

/* sources the rate limiter tracks (ratelimit.h): ~80 bytes each */
#define SL_SRV_RL_SOURCES 4096

struct sl_srv_stats {
	uint64_t rx, bad, registered, unregistered, calls, answered, rejected;
	uint64_t blocked;	/* datagrams dropped unread: source rate-limited */
};

struct sl_b2b;

struct sl_srv {
	struct sl_srv_cfg cfg;
	struct sl_ids ids;
	struct sl_srv_auth auth;
	struct sl_registrar reg;
	struct sl_txn_layer *txn;
	struct sl_relay_env relay;
	struct sl_b2b *b2b;
	struct sl_ratelimit rl;
	uint64_t start_ms;
	uint64_t t_sweep;
	uint64_t t_rl_report;		/* last rate-limit report */
	size_t max_txns;
	char user_agent[48];
	struct sl_srv_stats st;
};

/* Ready to take input. ids must be seeded by the caller (--seed or
 * random); the digest secret is drawn from it. SL_ENOMEM / SL_EUSAGE with
 * errbuf text (an empty RTP range). */
enum sl_err sl_srv_init(struct sl_srv *s, const struct sl_srv_cfg *cfg,
    const struct sl_ids *ids, char errbuf[SL_ERRBUF_SIZE]);
/* Frees calls (closing relay ports), transactions and bindings. */
void sl_srv_cleanup(struct sl_srv *s);

/* One datagram received from `from` on the SIP socket. */
void sl_srv_input(struct sl_srv *s, const void *p, size_t n,
    const struct sl_endpoint *from);

/* Live calls. */
size_t sl_srv_calls(const struct sl_srv *s);

/* ----- for register.c and b2bua.c ----- */

/* The nonce clock in seconds. */
uint64_t sl_srv_now_s(const struct sl_srv *s);
uint64_t sl_srv_now_ms(const struct sl_srv *s);

/* Our identity towards peer: Via host/port, Contact "<sip:user@host:port>"
 * (user may be NULL), User-Agent, and host text fit for a URI. */
struct sl_srv_me {
	struct sl_ip ip;
	char host[SL_IP_STRLEN];	/* bare, for Via and Call-ID */
	char uri_host[SL_IP_STRLEN + 2];	/* with [] for IPv6 */
	char contact[SL_MSG_URI_MAX];
	struct sl_msg_local l;
};
void sl_srv_me(struct sl_srv *s, const struct sl_endpoint *peer, const char *user,
    struct sl_srv_me *out /* OUT */);

/* Respond in st with status (reason NULL: standard) and log rejections
 * (>= 300) at info with why. to_tag NULL: a fresh one when needed. */
void sl_srv_reply(struct sl_srv *s, struct sl_sip_txn *st, int status,
    const char *reason, const char *to_tag, const char *why);
/* Send resp (owned) in st, logging like sl_srv_reply. */
void sl_srv_send_resp(struct sl_srv *s, struct sl_sip_txn *st, osip_message_t *resp,
    const char *why);
/* Refusals of requests from sources we cannot trust yet (challenges,
 * errors before any call exists, requests from outside a dialog): the
 * response goes once (sl_txn_respond_once: no retransmission, no state),
 * the source is charged to the rate limiter and the log line is subject
 * to its per-source budget (ratelimit.h). */
void sl_srv_refuse(struct sl_srv *s, struct sl_sip_txn *st, int status,
    const char *reason, const char *why);
void sl_srv_refuse_resp(struct sl_srv *s, struct sl_sip_txn *st, osip_message_t *resp,
    const char *why);
/* One unverified datagram from `from` (ratelimit.h); logs a block. */
void sl_srv_charge(struct sl_srv *s, const struct sl_endpoint *from);
/* A fresh tag. */
char *sl_srv_tag(struct sl_srv *s, char out[SL_IDS_TAG_LEN]);
/* Why requests must not be sent to target, or NULL: a Contact or remote
 * target at an unspecified, broadcast or multicast address would spray
 * the LAN, one at our own SIP address would loop back to us. */
const char *sl_srv_unroutable(struct sl_srv *s, const struct sl_endpoint *target);
/* From host of m if it is safe inside domain="..." (else NULL). */
const char *sl_srv_domain(const osip_message_t *m, char out[SL_MSG_URI_MAX]);

#endif
