/* story.h: the words that tell a call's story (internal to reports/):
 * outcome, authentication, why legs were joined, registrations, media.
 * Each appends cleaned text to b (see fmt.h) and returns SL_OK or
 * SL_ENOMEM (b freed). */
#ifndef SL_REPORT_STORY_H
#define SL_REPORT_STORY_H

#include "core/buf.h"
#include "model/model.h"

/* "u1 -> 2 (u2)": caller, dialled number, callee when it differs;
 * registrations: the user. Missing users print as "-". */
enum sl_err sl_story_parties(struct sl_buf *b, const struct sl_call *call);

/* For the ladder headline: "answered, hung up by caller, 5.60 s talk",
 * "rejected 486 Busy Here", "registered 600 s, unregistered". */
enum sl_err sl_story_outcome(struct sl_buf *b, const struct sl_call *call);

/* For the call table: "completed (caller BYE)", "rejected 486",
 * "registered 600 s". */
enum sl_err sl_story_state(struct sl_buf *b, const struct sl_call *call);

/* One leg's authentication, per kind of request (struct sl_auth):
 * "INVITE challenged 401 then authorised; BYE challenged 401 then 200",
 * "INVITE challenged 407 x2, never authorised"; registrations: the
 * exchanges with their challenges. Nothing when there is nothing to say. */
enum sl_err sl_story_leg_auth(struct sl_buf *b, const struct sl_call *call,
    const struct sl_leg *leg);

/* Why a leg was joined: "joined to A: sent 6.2 ms after A's authorised
 * INVITE, From u1, Max-Forwards 20->19, RTP relayed (confidence high)";
 * nothing for a leg that is not joined. */
enum sl_err sl_story_leg_join(struct sl_buf *b, const struct sl_leg *leg);

/* For the call table, from call->sum: "401 -> ok (x2)" (the call's first
 * challenge code, every challenge counted), "407 -> failed" (some leg's
 * request never got past its challenge), "401 -> no answer" (credentials
 * sent, not answered), "ok" (credentials accepted unasked), "-" when no
 * authentication took place. */
enum sl_err sl_story_auth(struct sl_buf *b, const struct sl_call *call);

/* For the call table: "4 streams, 0 lost", "-" without streams. */
enum sl_err sl_story_media(struct sl_buf *b, const struct sl_call *call);

#endif
