/* ua_int.h: the phone's state, shared by the ua*.c files only:
 *   ua.c         life cycle, failures, the job's phases
 *   ua_io.c      addresses, transport, responses, transaction callbacks
 *   ua_reg.c     REGISTER / unregister with digest and 423 handling
 *   ua_uac.c     the outgoing INVITE: auth retry, CANCEL, answer, ACK
 *   ua_uas.c     incoming requests: INVITE, CANCEL, OPTIONS, others
 *   ua_dialog.c  the established call: BYE both ways, re-INVITE, ACK */
#ifndef SL_PHONE_UA_INT_H
#define SL_PHONE_UA_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "phone/auth.h"
#include "phone/media.h"
#include "phone/opts.h"
#include "phone/sdpneg.h"
#include "sip/dialog.h"
#include "sip/log.h"
#include "sip/ids.h"
#include "sip/loop.h"
#include "sip/trace.h"
#include "sip/txn.h"
#include "sip/udp.h"
#include "phone/ua.h"

#define SL_PHONE_GRACE_MS 3000	/* cleanup time after a failure */
#define SL_PHONE_MAX_CHALLENGES 3	/* per request; more only when stale */
#define SL_PHONE_ALLOW "INVITE, ACK, CANCEL, BYE, OPTIONS"

/* what a client transaction is for (its sl_txn_user) */
enum sl_req_kind { SL_REQ_REGISTER, SL_REQ_INVITE, SL_REQ_CANCEL, SL_REQ_BYE, SL_REQ_KINDS };
struct sl_req_tag {
	enum sl_req_kind kind;
};

enum sl_phase { SL_PH_START, SL_PH_REGISTER, SL_PH_MAIN, SL_PH_LEAVE, SL_PH_DONE };

/* the phone's own call states (the server's are SL_B2B_*, the analyzer's
 * SL_STATE_*) */
enum sl_phone_call_state {
	SL_PHONE_CALL_IDLE,
	SL_PHONE_CALL_OUT_TRYING,	/* INVITE sent, nothing back yet */
	SL_PHONE_CALL_OUT_EARLY,	/* a provisional response came: CANCEL allowed */
	SL_PHONE_CALL_IN_RINGING,	/* INVITE received, 180 sent */
	SL_PHONE_CALL_ACTIVE,		/* 2xx sent or received */
	SL_PHONE_CALL_BYE_SENT,	/* waiting for the BYE's final response */
};

struct sl_phone_reg {
	char call_id[SL_IDS_CALLID_LEN];	/* one per run (RFC 3261 10.2) */
	char from_tag[SL_IDS_TAG_LEN];
	uint32_t cseq;
	uint32_t expires;		/* of the REGISTER in flight */
	uint32_t want;			/* what refreshes ask for */
	struct sl_sip_txn *ct;		/* REGISTER in flight */
	int challenges;
	bool min_retried;		/* 423 answered once */
	bool registered;
	uint64_t refresh_timer;
};

struct sl_phone_call {
	enum sl_phone_call_state state;
	bool outgoing;
	struct sl_dialog d;
	bool has_dialog;
	struct sl_endpoint peer;	/* where the INVITE went / came from */
	struct sl_ip local_ip;		/* our address towards the peer */
	struct sl_sip_txn *invite_ct, *cancel_ct, *bye_ct;
	struct sl_sip_txn *invite_st;	/* the incoming INVITE */
	osip_message_t *ack;		/* our ACK, resent on 2xx retransmissions */
	int challenges, bye_challenges;
	bool ringing_logged, cancel_wanted, cancel_sent;
	bool media_on;			/* sl_ua_media_start done */
	bool failed;			/* counted as a failed call at its end */
	bool await_ack_sdp;		/* our 200 to a re-INVITE carried the offer */
	char local_tag[SL_IDS_TAG_LEN];
	uint64_t ring_timer, hangup_timer;
	uint8_t pts[2];			/* what we offered */
	size_t npt;
	struct sl_media_plan plan;
	struct sl_buf sdp;		/* our current SDP body */
	uint64_t sdp_id, sdp_ver;
};

struct sl_phone {
	const struct sl_phone_opts *o;
	const char *ua;			/* User-Agent value */
	struct sl_log log;
	struct sl_loop *loop;
	struct sl_udp sip;
	struct sl_trace *trace;
	struct sl_txn_layer *txn;
	struct sl_ids ids;
	struct sl_phone_auth auth;
	struct sl_media media;
	struct sl_wav wav;
	struct sl_wav_writer rec;
	bool rec_open;
	struct sl_req_tag tags[SL_REQ_KINDS];

	struct sl_ip route_for, route_src;	/* last route lookup */
	bool route_known;
	char host[SL_IP_STRLEN];		/* our address as text (Via) */
	char contact[SL_MSG_URI_MAX];

	enum sl_phase phase;
	bool finishing;			/* a failure: cleaning up */
	bool done, call_finished, signalled, grace_over;
	enum sl_phone_exit rc;
	char reason[SL_ERRBUF_SIZE];
	uint32_t calls_done;		/* answer: calls attempted (had a dialog) */
	uint32_t calls_failed;
	/* requests refused by the screening, before any dialog: neither
	 * calls nor failures (README.md, Security) */
	uint32_t calls_refused;
	char call_reason[SL_ERRBUF_SIZE];	/* the first failed call's */
	/* the last request refused by the screening (source, Call-ID, From
	 * tag, CSeq): its retransmissions are answered again, not counted or
	 * logged again */
	char refused[SL_EP_STRLEN + SL_MSG_CALLID_MAX + 128];
	uint64_t timeout_timer, grace_timer;

	struct sl_phone_reg reg;
	struct sl_phone_call call;
	uint8_t rxbuf[SL_UDP_MAX_DATAGRAM + 1];
};

/* ua.c */
void sl_ua_fail(struct sl_phone *ph, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The current call failed. An answering phone counts it (when the call
 * ends) and takes the next one; otherwise this is sl_ua_fail. */
void sl_ua_call_fail(struct sl_phone *ph, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* ua_io.c */
void sl_ua_on_sip(struct sl_loop *l, int fd, unsigned events, void *arg);
void sl_ua_txn_user(struct sl_txn_user *tu /* OUT */);
/* Our address towards peer, Via host text and Contact filled in *me. */
void sl_ua_me(struct sl_phone *ph, const struct sl_ip *peer, struct sl_msg_local *me /* OUT */);
struct sl_ip sl_ua_local_ip(struct sl_phone *ph, const struct sl_ip *peer);
/* Start a client transaction; on error fails the job and returns it. */
enum sl_err sl_ua_send_request(struct sl_phone *ph, osip_message_t *m,
    const struct sl_endpoint *to, enum sl_req_kind kind, struct sl_sip_txn **ct /* OUT */);
/* Answer req (from `to`) outside any transaction: one datagram, never
 * retransmitted, no state kept. For refusals towards sources that are not
 * verified, which must not be able to turn the phone into a reflector. */
void sl_ua_respond_stateless(struct sl_phone *ph, const osip_message_t *req,
    const struct sl_endpoint *to, int code);
/* Respond in st, adding User-Agent (and Allow/Contact/body when given).
 * tag: our To tag for a request without one (NULL: a fresh one). */
enum sl_err sl_ua_respond(struct sl_phone *ph, struct sl_sip_txn *st, int code,
    const char *tag, bool contact, const struct sl_buf *sdp);
/* "401 Unauthorized" style text of a response, sanitized, into out. */
const char *sl_ua_status_text(const osip_message_t *resp, char *out, size_t n);
bool sl_ua_may_answer_challenge(struct sl_phone *ph, const osip_message_t *resp,
    int *count);

/* ua_reg.c */
void sl_ua_reg_send(struct sl_phone *ph, uint32_t expires);
void sl_ua_reg_response(struct sl_phone *ph, struct sl_sip_txn *ct, osip_message_t *resp);
void sl_ua_reg_timeout(struct sl_phone *ph);

/* ua_uac.c */
void sl_ua_call_start(struct sl_phone *ph);
void sl_ua_invite_response(struct sl_phone *ph, struct sl_sip_txn *ct, osip_message_t *resp);
void sl_ua_cancel(struct sl_phone *ph);

/* ua_uas.c */
/* Screen a request before the transaction layer sees it (README.md,
 * Security): false when it was refused (answered statelessly) or dropped
 * here; m stays the caller's either way. */
bool sl_ua_admit(struct sl_phone *ph, const osip_message_t *m,
    const struct sl_endpoint *from);
void sl_ua_request(struct sl_phone *ph, struct sl_sip_txn *st, osip_message_t *req,
    const struct sl_endpoint *from);

/* ua_dialog.c */
void sl_ua_media_start(struct sl_phone *ph);
void sl_ua_hangup(struct sl_phone *ph);
void sl_ua_bye_response(struct sl_phone *ph, osip_message_t *resp);
void sl_ua_bye_received(struct sl_phone *ph, struct sl_sip_txn *st, osip_message_t *req);
void sl_ua_call_end(struct sl_phone *ph);
void sl_ua_reinvite(struct sl_phone *ph, struct sl_sip_txn *st, osip_message_t *req);
void sl_ua_ack(struct sl_phone *ph, osip_message_t *ack);
struct sl_endpoint sl_ua_dialog_hop(struct sl_phone *ph);
/* A direct call may send media only to the address its signalling came
 * from (README.md, Security): true when plan's c= address is src's IP (or
 * 0.0.0.0, nothing sent), or src is the --server; else false with the
 * reason in why[n]. */
bool sl_ua_media_aim_ok(const struct sl_phone *ph, const struct sl_endpoint *src,
    const struct sl_media_plan *plan, char *why /* OUT */, size_t n);
/* from is the call's peer: where its INVITE came from or went to, or the
 * dialog's remote target. */
bool sl_ua_from_peer(const struct sl_phone *ph, const struct sl_endpoint *from);
/* Abort whatever the call is doing (failure cleanup); idempotent. */
void sl_ua_call_abort(struct sl_phone *ph);
enum sl_err sl_ua_build_sdp(struct sl_phone *ph, const uint8_t *pts, size_t n,
    enum sl_sipsdp_dir dir);

#endif
