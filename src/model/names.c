/* names.c: the stable names the model's enums have in JSON, tables and
 * ladders. JSON consumers match on them: never rename one. */
#include "model/model.h"

const char *const sl_join_ev_names[] = {
	"header", "timing", "from_user", "max_forwards", "progress", "media",
	"hangup", NULL,
};

const char *
sl_call_state_name(enum sl_call_state s)
{
	switch (s) {
	case SL_STATE_SETUP: return "setup";
	case SL_STATE_RINGING: return "ringing";
	case SL_STATE_ANSWERED: return "answered";
	case SL_STATE_COMPLETED: return "completed";
	case SL_STATE_BYE_UNANSWERED: return "bye_unanswered";
	case SL_STATE_CANCELLED: return "cancelled";
	case SL_STATE_REJECTED: return "rejected";
	case SL_STATE_AUTH_FAILED: return "auth_failed";
	case SL_STATE_REGISTERED: return "registered";
	case SL_STATE_UNREGISTERED: return "unregistered";
	case SL_STATE_REG_FAILED: return "reg_failed";
	case SL_STATE_OTHER: return "other";
	}
	return "other";
}

const char *
sl_confidence_name(enum sl_confidence c)
{
	switch (c) {
	case SL_CONF_NONE: return "none";
	case SL_CONF_LOW: return "low";
	case SL_CONF_MEDIUM: return "medium";
	case SL_CONF_HIGH: return "high";
	case SL_CONF_CERTAIN: return "certain";
	}
	return "none";
}

const char *
sl_side_name(enum sl_side s)
{
	switch (s) {
	case SL_SIDE_NONE: return "none";
	case SL_SIDE_CALLER: return "caller";
	case SL_SIDE_CALLEE: return "callee";
	case SL_SIDE_SERVER: return "server";
	}
	return "none";
}

const char *
sl_finding_name(enum sl_finding_kind k)
{
	switch (k) {
	case SL_FINDING_AUTH_FAILED: return "auth_failed";
	case SL_FINDING_BYE_UNANSWERED: return "bye_unanswered";
	case SL_FINDING_RETRANSMISSIONS: return "retransmissions";
	case SL_FINDING_MEDIA_AFTER_BYE: return "media_after_bye";
	case SL_FINDING_MEDIA_REFUSED: return "media_refused";
	}
	return "unknown";
}

const char *
sl_auth_req_name(enum sl_auth_req r)
{
	switch (r) {
	case SL_AUTH_INVITE: return "invite";
	case SL_AUTH_BYE: return "bye";
	case SL_AUTH_REGISTER: return "register";
	case SL_AUTH_OTHER: return "other";
	case SL_AUTH_N: break;
	}
	return "other";
}

enum sl_auth_req
sl_auth_req_of(enum sl_sip_method m)
{
	switch (m) {
	case SL_SIP_METHOD_INVITE: return SL_AUTH_INVITE;
	case SL_SIP_METHOD_BYE: return SL_AUTH_BYE;
	case SL_SIP_METHOD_REGISTER: return SL_AUTH_REGISTER;
	case SL_SIP_METHOD_ACK: return SL_AUTH_N;
	default: return SL_AUTH_OTHER;
	}
}
