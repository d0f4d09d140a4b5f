/* dialog.h: the dialog state a UA keeps (RFC 3261 12) and the requests
 * built from it: BYE and other in-dialog requests (12.2.1.1), ACK for a
 * 2xx (13.2.2.4: a new transaction with a new branch, CSeq number of the
 * INVITE).
 *
 * A struct sl_dialog is a plain value with fixed-size strings: embed it,
 * copy it, no free. Inputs longer than the fields are refused (SL_EUSAGE)
 * rather than cut. Route sets of up to SL_DIALOG_MAX_ROUTES loose routes
 * are kept; strict routing (a first route without ;lr) is not supported:
 * the Request-URI is always the remote target. */
#ifndef SL_SIP_DIALOG_H
#define SL_SIP_DIALOG_H

#include <stdbool.h>
#include <stdint.h>

#include "sip/msg.h"

#define SL_DIALOG_STR 256
#define SL_DIALOG_MAX_ROUTES 4

struct sl_dialog {
	char call_id[SL_MSG_CALLID_MAX];
	char local_tag[64];
	char remote_tag[64];
	char local_addr[SL_DIALOG_STR];	/* our From (name-addr, no tag) */
	char remote_addr[SL_DIALOG_STR];	/* our To (name-addr, no tag) */
	char remote_target[SL_MSG_URI_MAX];	/* peer's Contact: Request-URI */
	char route[SL_DIALOG_MAX_ROUTES][SL_DIALOG_STR];
	int nroute;
	uint32_t local_cseq;		/* last CSeq we sent */
	uint32_t remote_cseq;		/* last CSeq received (0 = none) */
	uint32_t invite_cseq;		/* CSeq of the INVITE, for the ACK */
	bool is_uac;
};

/* Who we are, for Via/Contact/User-Agent of requests we build. */
struct sl_msg_local {
	const char *host;		/* Via sent-by host */
	uint16_t port;
	const char *contact;		/* our Contact URI, NULL: none */
	const char *user_agent;		/* NULL: none */
};

/* UAC side, from the INVITE we sent and a response carrying a To tag
 * (1xx with tag or 2xx) (12.1.2). */
enum sl_err sl_dialog_from_uac(struct sl_dialog *d, const osip_message_t *invite,
    const osip_message_t *resp);
/* UAS side, from the INVITE received and the To tag we put in our
 * responses (12.1.1). */
enum sl_err sl_dialog_from_uas(struct sl_dialog *d, const osip_message_t *invite,
    const char *local_tag);

/* Does the in-dialog request m (received) belong to d? Call-ID, its From
 * tag = our remote tag, its To tag = our local tag (12.2.2). */
bool sl_dialog_matches(const struct sl_dialog *d, const osip_message_t *m);

/* New in-dialog request (BYE, INFO, re-INVITE...): CSeq = ++local_cseq,
 * new branch from ids. For ACK use sl_dialog_ack. */
enum sl_err sl_dialog_request(struct sl_dialog *d, const char *method,
    const struct sl_msg_local *me, struct sl_ids *ids, osip_message_t **out /* OUT */);
/* ACK for the 2xx to the dialog's INVITE (CSeq = invite_cseq). */
enum sl_err sl_dialog_ack(const struct sl_dialog *d, const struct sl_msg_local *me,
    struct sl_ids *ids, osip_message_t **out /* OUT */);

#endif
