/* call.h: the messages of a plain two-party SIP call (no server), as the
 * seed's direct call: INVITE (SDP), 100, 180, 200 (SDP), ACK, then BYE,
 * 100 and 200 for the BYE. The scenarios decide which messages to send,
 * when, and how (link type, fragments, extension headers); this file only
 * writes the text, so every direct call in the samples looks alike. */
#ifndef SLG_CALL_H
#define SLG_CALL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tests/gen/net.h"
#include "tests/gen/rng.h"
#include "tests/gen/rtp.h"

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

/* Starts c as a call from from_user at uac to to_user at uas, media on
 * uac_rtp and uas_rtp, both phones the seed's Yate client, the rest zero.
 * The identifiers (Call-ID, tags, branches, SDP session ids) are drawn
 * from rng in one fixed order, so the bytes depend only on the seed. */
void slg_call_init(struct slg_call *c, struct slg_host *uac,
    struct slg_host *uas, const char *from_user, const char *to_user,
    uint16_t uac_rtp, uint16_t uas_rtp, struct slg_rng *rng);

/* Starts s as the call's RTP from the caller, or from the callee when
 * from_uas, with the given SSRC. Its first sequence number, first
 * timestamp and jitter seed are drawn from rng in that order. */
void slg_call_rtp(struct slg_rtp_stream *s, const struct slg_call *c,
    bool from_uas, uint32_t ssrc, struct slg_rng *rng);

/* Text of message m into buf, and who sends it to whom. Returns the
 * length, or 0 when it does not fit in cap (a generator bug). */
size_t slg_call_text(const struct slg_call *c, unsigned m, char *buf,
    size_t cap, struct slg_host **src, struct slg_host **dst);

#endif
