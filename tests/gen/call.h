/* call.h: the messages of a plain two-party SIP call (no server), as the
 * seed's direct call: INVITE (SDP), 100, 180, 200 (SDP), ACK, then BYE,
 * 100 and 200 for the BYE. The scenarios decide which messages to send,
 * when, and how (link type, fragments, extension headers); this file only
 * writes the text, so every direct call in the samples looks alike. */
#ifndef SLG_CALL_H
#define SLG_CALL_H

#include <stdbool.h>
#include <stdint.h>

#include "net.h"
#include "text.h"

enum {
	SLG_CALL_INVITE,
	SLG_CALL_100,
	SLG_CALL_180,
	SLG_CALL_200,
	SLG_CALL_ACK,
	SLG_CALL_BYE,
	SLG_CALL_BYE_100,
	SLG_CALL_BYE_200,
	SLG_CALL_NMSG
};

struct slg_call {
	struct slg_host *uac;		/* caller */
	struct slg_host *uas;		/* callee */
	const char *from_user;		/* From: <sip:from_user@uas> */
	const char *to_user;		/* Request-URI and To user */
	uint16_t uac_rtp;
	uint16_t uas_rtp;
	uint32_t callid;		/* Call-ID "<n>@<uas>" */
	uint32_t tag_uac;
	uint32_t tag_uas;
	uint32_t branch[3];		/* INVITE, ACK, BYE */
	uint64_t sdp_uac;
	uint64_t sdp_uas;
	bool bye_from_uas;		/* who hangs up */
	const char *ua;			/* User-Agent of both phones */
	const char *uac_fmts;		/* offered payload types */
	const char *uac_sdp_extra;	/* more SDP lines, or NULL */
	const char *invite_extra;	/* more INVITE header lines, or NULL */
};

/* Text of message m, and who sends it to whom. */
void slg_call_msg(const struct slg_call *c, unsigned m, struct slg_text *t,
    struct slg_host **src, struct slg_host **dst);

#endif
