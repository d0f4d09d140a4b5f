/* cols.c: the model's plain fields as columns, one table per struct.
 * The writer binds and the loader reads through the same tables, so a
 * field cannot be written and forgotten on the way back (the round-trip
 * test compares every field). References between parts of a call
 * (leg, message, stream) are not here: they are written as positions by
 * write.c and resolved by load.c. */
#include <assert.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

static_assert(sizeof(enum sl_call_state) == sizeof(int), "enums are ints");
static_assert(sizeof(enum sl_side) == sizeof(int), "enums are ints");

/* ----- enums as text ----- */

static const char *
call_kind_name(int v)
{
	switch (v) {
	case SL_CALL_INVITE: return "call";
	case SL_CALL_REGISTER: return "registration";
	default: return "dialog";
	}
}

static const char *
leg_kind_name(int v)
{
	switch (v) {
	case SL_LEG_INVITE: return "invite";
	case SL_LEG_REGISTER: return "register";
	default: return "other";
	}
}

static const char *
state_name(int v)
{
	return sl_call_state_name((enum sl_call_state)v);
}

static const char *
side_name(int v)
{
	return sl_side_name((enum sl_side)v);
}

static const char *
conf_name(int v)
{
	return sl_confidence_name((enum sl_confidence)v);
}

static const char *
finding_name(int v)
{
	return sl_finding_name((enum sl_finding_kind)v);
}

static const char *
auth_req_name(int v)
{
	return sl_auth_req_name((enum sl_auth_req)v);
}

const struct sl_col_enum sl_store_enum_call_kind = { call_kind_name, SL_CALL_OTHER + 1, false };
const struct sl_col_enum sl_store_enum_auth_req = { auth_req_name, SL_AUTH_N, false };
static const struct sl_col_enum e_leg_kind = { leg_kind_name, SL_LEG_OTHER + 1, false };
static const struct sl_col_enum e_state = { state_name, SL_STATE_OTHER + 1, false };
static const struct sl_col_enum e_side = { side_name, SL_SIDE_SERVER + 1, true };
static const struct sl_col_enum e_conf = { conf_name, SL_CONF_CERTAIN + 1, true };
static const struct sl_col_enum e_finding = { finding_name, SL_FINDING_MEDIA_REFUSED + 1, false };

/* ----- the tables ----- */

#define C(st, col, type, field) { col, type, offsetof(st, field), NULL }
#define E(st, col, field, en) { col, COL_ENUM, offsetof(st, field), en }
#define END { NULL, COL_I64, 0, NULL }

const struct sl_col sl_store_call_cols[] = {
	C(struct sl_call, "idx", COL_U32, index),
	E(struct sl_call, "kind", kind, &sl_store_enum_call_kind),
	C(struct sl_call, "first_ts", COL_I64, first_ts),
	C(struct sl_call, "last_ts", COL_I64, last_ts),
	C(struct sl_call, "first_frame", COL_U64, first_frame),
	C(struct sl_call, "msgs_dropped", COL_U32, msgs_dropped),
	E(struct sl_call, "state", sum.state, &e_state),
	C(struct sl_call, "status", COL_U16, sum.status),
	E(struct sl_call, "hangup_by", sum.hangup_by, &e_side),
	C(struct sl_call, "from_user", COL_STR, sum.from_user),
	C(struct sl_call, "to_user", COL_STR, sum.to_user),
	C(struct sl_call, "callee_user", COL_STR, sum.callee_user),
	C(struct sl_call, "reason", COL_STR, sum.reason),
	C(struct sl_call, "setup_ns", COL_I64, sum.setup_ns),
	C(struct sl_call, "talk_ns", COL_I64, sum.talk_ns),
	C(struct sl_call, "duration_ns", COL_I64, sum.duration_ns),
	C(struct sl_call, "invite_challenges", COL_U16, sum.invite_challenges),
	C(struct sl_call, "bye_challenges", COL_U16, sum.bye_challenges),
	C(struct sl_call, "challenges", COL_U16, sum.challenges),
	C(struct sl_call, "challenge_status", COL_U16, sum.challenge_status),
	C(struct sl_call, "credentials", COL_BOOL, sum.credentials),
	C(struct sl_call, "authorised", COL_BOOL, sum.authorised),
	C(struct sl_call, "auth_failed", COL_BOOL, sum.auth_failed),
	C(struct sl_call, "auth_pending", COL_BOOL, sum.auth_pending),
	C(struct sl_call, "rtp_packets", COL_U64, sum.rtp_packets),
	C(struct sl_call, "rtp_lost", COL_I64, sum.rtp_lost),
	C(struct sl_call, "after_bye_packets", COL_U64, sum.after_bye_packets),
	C(struct sl_call, "icmp_unreachable", COL_U32, sum.icmp_unreachable),
	END
};

const struct sl_col sl_store_leg_cols[] = {
	C(struct sl_leg, "name", COL_CHAR, name),
	E(struct sl_leg, "kind", kind, &e_leg_kind),
	C(struct sl_leg, "call_id", COL_STR, call_id),
	C(struct sl_leg, "from_user", COL_STR, from_user),
	C(struct sl_leg, "to_user", COL_STR, to_user),
	C(struct sl_leg, "ruri", COL_STR, ruri),
	C(struct sl_leg, "uac", COL_EP, uac),
	C(struct sl_leg, "uas", COL_EP, uas),
	C(struct sl_leg, "first_ts", COL_I64, first_ts),
	C(struct sl_leg, "last_ts", COL_I64, last_ts),
	C(struct sl_leg, "n_msgs", COL_U32, n_msgs),
	C(struct sl_leg, "first_max_forwards", COL_I32, first_max_forwards),
	C(struct sl_leg, "n_attempts", COL_U16, n_attempts),
	C(struct sl_leg, "invite_ts", COL_I64, invite_ts),
	C(struct sl_leg, "auth_invite_ts", COL_I64, auth_invite_ts),
	C(struct sl_leg, "ring_ts", COL_I64, ring_ts),
	C(struct sl_leg, "answer_ts", COL_I64, answer_ts),
	C(struct sl_leg, "final_status", COL_U16, final_status),
	C(struct sl_leg, "last_invite_status", COL_U16, last_invite_status),
	C(struct sl_leg, "final_reason", COL_STR, final_reason),
	C(struct sl_leg, "cancelled", COL_BOOL, cancelled),
	C(struct sl_leg, "bye_ts", COL_I64, bye_ts),
	E(struct sl_leg, "bye_by", bye_by, &e_side),
	C(struct sl_leg, "bye_reason", COL_STR, bye_reason),
	C(struct sl_leg, "bye_status", COL_U16, bye_status),
	C(struct sl_leg, "bye_done_ts", COL_I64, bye_done_ts),
	C(struct sl_leg, "join_ev", COL_U32, join_ev),
	E(struct sl_leg, "join_confidence", join_conf, &e_conf),
	C(struct sl_leg, "join_delay_ns", COL_I64, join_delay_ns),
	C(struct sl_leg, "join_mf_parent", COL_I32, join_mf_parent),
	C(struct sl_leg, "join_mf_self", COL_I32, join_mf_self),
	END
};

const struct sl_col sl_store_auth_cols[] = {
	C(struct sl_auth, "challenges", COL_U16, challenges),
	C(struct sl_auth, "status", COL_U16, status),
	C(struct sl_auth, "credentials", COL_U16, credentials),
	C(struct sl_auth, "authorised", COL_BOOL, authorised),
	C(struct sl_auth, "failed", COL_BOOL, failed),
	C(struct sl_auth, "user", COL_STR, user),
	C(struct sl_auth, "realm", COL_STR, realm),
	END
};

const struct sl_col sl_store_msg_cols[] = {
	C(struct sl_msg, "frame", COL_U64, frame),
	C(struct sl_msg, "ts", COL_I64, ts_ns),
	C(struct sl_msg, "src", COL_EP, src),
	C(struct sl_msg, "dst", COL_EP, dst),
	C(struct sl_msg, "size", COL_U32, size),
	C(struct sl_msg, "is_request", COL_BOOL, is_request),
	C(struct sl_msg, "method", COL_STR, method),
	C(struct sl_msg, "status", COL_U16, status),
	C(struct sl_msg, "reason", COL_STR, reason),
	C(struct sl_msg, "ruri", COL_STR, ruri),
	C(struct sl_msg, "call_id", COL_STR, call_id),
	C(struct sl_msg, "from_user", COL_STR, from_user),
	C(struct sl_msg, "from_tag", COL_STR, from_tag),
	C(struct sl_msg, "to_user", COL_STR, to_user),
	C(struct sl_msg, "to_tag", COL_STR, to_tag),
	C(struct sl_msg, "from_uri", COL_STR, from_uri),
	C(struct sl_msg, "to_uri", COL_STR, to_uri),
	C(struct sl_msg, "cseq", COL_U32, cseq),
	C(struct sl_msg, "branch", COL_STR, branch),
	C(struct sl_msg, "max_forwards", COL_I32, max_forwards),
	C(struct sl_msg, "contact", COL_STR, contact),
	C(struct sl_msg, "expires", COL_I64, expires),
	C(struct sl_msg, "reason_hdr", COL_STR, reason_hdr),
	C(struct sl_msg, "user_agent", COL_STR, user_agent),
	C(struct sl_msg, "xcid", COL_STR, xcid),
	C(struct sl_msg, "has_auth", COL_BOOL, has_auth),
	C(struct sl_msg, "auth_proxy", COL_BOOL, auth_proxy),
	C(struct sl_msg, "auth_user", COL_STR, auth_user),
	C(struct sl_msg, "auth_realm", COL_STR, auth_realm),
	C(struct sl_msg, "has_challenge", COL_BOOL, has_challenge),
	C(struct sl_msg, "chal_proxy", COL_BOOL, chal_proxy),
	C(struct sl_msg, "chal_realm", COL_STR, chal_realm),
	C(struct sl_msg, "chal_stale", COL_BOOL, chal_stale),
	C(struct sl_msg, "has_sdp", COL_BOOL, has_sdp),
	C(struct sl_msg, "sdp_codec", COL_STR, sdp_codec),
	C(struct sl_msg, "sdp", COL_EP, sdp_media),
	C(struct sl_msg, "retrans", COL_BOOL, retrans),
	C(struct sl_msg, "retrans_count", COL_U32, retrans_count),
	C(struct sl_msg, "retrans_last_ts", COL_I64, retrans_last_ts),
	END
};

const struct sl_col sl_store_stream_cols[] = {
	C(struct sl_stream, "ssrc", COL_U32, ssrc),
	C(struct sl_stream, "clock_rate", COL_U32, clock_rate),
	C(struct sl_stream, "packets", COL_U64, packets),
	C(struct sl_stream, "jitter_ms", COL_DBL, jitter_ms),
	C(struct sl_stream, "max_jitter_ms", COL_DBL, max_jitter_ms),
	C(struct sl_stream, "mean_jitter_ms", COL_DBL, mean_jitter_ms),
	C(struct sl_stream, "max_delta_ms", COL_DBL, max_delta_ms),
	C(struct sl_stream, "first_ts", COL_I64, first_ts),
	C(struct sl_stream, "last_ts", COL_I64, last_ts),
	C(struct sl_stream, "src", COL_EP, src),
	C(struct sl_stream, "dst", COL_EP, dst),
	C(struct sl_stream, "pt", COL_U8, pt),
	C(struct sl_stream, "codec", COL_STR, codec),
	C(struct sl_stream, "expected", COL_U64, expected),
	C(struct sl_stream, "lost", COL_I64, lost),
	C(struct sl_stream, "dups", COL_U64, dups),
	C(struct sl_stream, "out_of_order", COL_U64, out_of_order),
	C(struct sl_stream, "pt_changes", COL_U64, pt_changes),
	C(struct sl_stream, "marker", COL_U64, marker),
	C(struct sl_stream, "rtcp_packets", COL_U64, rtcp_packets),
	C(struct sl_stream, "after_bye_packets", COL_U64, after_bye_packets),
	C(struct sl_stream, "after_bye_first_ts", COL_I64, after_bye_first_ts),
	C(struct sl_stream, "after_bye_last_ts", COL_I64, after_bye_last_ts),
	C(struct sl_stream, "icmp_unreachable", COL_U32, icmp_unreachable),
	C(struct sl_stream, "icmp_first_ts", COL_I64, icmp_first_ts),
	C(struct sl_stream, "icmp_last_ts", COL_I64, icmp_last_ts),
	END
};

const struct sl_col sl_store_reg_cols[] = {
	C(struct sl_reg, "user", COL_STR, user),
	C(struct sl_reg, "contact", COL_STR, contact),
	C(struct sl_reg, "expires_req", COL_I64, expires_req),
	C(struct sl_reg, "expires", COL_I64, expires),
	C(struct sl_reg, "unregister", COL_BOOL, unregister),
	C(struct sl_reg, "challenges", COL_U16, challenges),
	C(struct sl_reg, "result", COL_U16, result),
	C(struct sl_reg, "auth_user", COL_STR, auth_user),
	C(struct sl_reg, "start_ts", COL_I64, start_ts),
	C(struct sl_reg, "end_ts", COL_I64, end_ts),
	C(struct sl_reg, "n_msgs", COL_U32, n_msgs),
	END
};

const struct sl_col sl_store_finding_cols[] = {
	E(struct sl_finding, "kind", kind, &e_finding),
	C(struct sl_finding, "status", COL_U16, status),
	C(struct sl_finding, "first_ts", COL_I64, first_ts),
	C(struct sl_finding, "last_ts", COL_I64, last_ts),
	C(struct sl_finding, "count", COL_U64, count),
	C(struct sl_finding, "icmp", COL_U64, icmp),
	END
};

/* ----- names ----- */

size_t
sl_store_col_count(const struct sl_col *cols)
{
	size_t n = 0;
	for (const struct sl_col *c = cols; c->name; c++)
		n += c->type == COL_EP ? 3 : 1;
	return n;
}

enum sl_err
sl_store_col_names(struct sl_buf *b, const struct sl_col *cols)
{
	enum sl_err e = SL_OK;
	for (const struct sl_col *c = cols; e == SL_OK && c->name; c++) {
		const char *sep = c == cols ? "" : ", ";
		if (c->type == COL_EP)
			e = sl_buf_printf(b, "%s%s_ip, %s_port, %s_transport", sep, c->name,
			    c->name, c->name);
		else
			e = sl_buf_printf(b, "%s%s", sep, c->name);
	}
	return e;
}

/* ----- binding ----- */

int
sl_store_bind_str(sqlite3_stmt *q, int i, struct sl_str v)
{
	/* a NULL slice and an empty one are told apart on the way back */
	if (v.p == NULL)
		return sqlite3_bind_null(q, i);
	if (v.n > INT32_MAX)
		return SQLITE_TOOBIG;
	return sqlite3_bind_text(q, i, v.p, (int)v.n, SQLITE_STATIC);
}

static const char *
transport_name(uint8_t t, char *tmp /* [4] */)
{
	switch (t) {
	case SL_TP_NONE: return NULL;
	case SL_TP_UDP: return "udp";
	case SL_TP_TCP: return "tcp";
	default:
		tmp[0] = (char)('0' + t / 100);
		tmp[1] = (char)('0' + t / 10 % 10);
		tmp[2] = (char)('0' + t % 10);
		tmp[3] = '\0';
		return tmp;
	}
}

static int
bind_ep(sqlite3_stmt *q, int *idx, const struct sl_endpoint *ep)
{
	char ip[SL_IP_STRLEN], tp[4];
	int rc;
	if (ep->ip.family == SL_AF_NONE)
		rc = sqlite3_bind_null(q, (*idx)++);
	else
		rc = sqlite3_bind_text(q, (*idx)++, sl_ip_str(&ep->ip, ip, sizeof ip), -1,
		    SQLITE_TRANSIENT);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int(q, (*idx)++, ep->port);
	const char *t = transport_name(ep->transport, tp);
	if (rc == SQLITE_OK)
		rc = t ? sqlite3_bind_text(q, (*idx)++, t, -1, SQLITE_TRANSIENT) :
		    sqlite3_bind_null(q, (*idx)++);
	return rc;
}

int
sl_store_bind_cols(sqlite3_stmt *q, int *idx, const struct sl_col *cols, const void *obj)
{
	const char *base = obj;
	int rc = SQLITE_OK;
	for (const struct sl_col *c = cols; rc == SQLITE_OK && c->name; c++) {
		const void *f = base + c->off;
		int i = *idx;
		switch (c->type) {
		case COL_I64:
			rc = sqlite3_bind_int64(q, i, *(const int64_t *)f);
			break;
		case COL_U64:
			/* bit for bit: values past INT64_MAX read negative in SQL */
			rc = sqlite3_bind_int64(q, i, (sqlite3_int64)*(const uint64_t *)f);
			break;
		case COL_I32:
			rc = sqlite3_bind_int64(q, i, *(const int32_t *)f);
			break;
		case COL_U32:
			rc = sqlite3_bind_int64(q, i, *(const uint32_t *)f);
			break;
		case COL_U16:
			rc = sqlite3_bind_int64(q, i, *(const uint16_t *)f);
			break;
		case COL_U8:
			rc = sqlite3_bind_int64(q, i, *(const uint8_t *)f);
			break;
		case COL_BOOL:
			rc = sqlite3_bind_int(q, i, *(const bool *)f);
			break;
		case COL_CHAR:
			rc = sqlite3_bind_text(q, i, f, 1, SQLITE_STATIC);
			break;
		case COL_DBL:
			/* SQLite stores NaN as NULL; read back as NaN */
			rc = sqlite3_bind_double(q, i, *(const double *)f);
			break;
		case COL_STR:
			rc = sl_store_bind_str(q, i, *(const struct sl_str *)f);
			break;
		case COL_EP:
			rc = bind_ep(q, idx, f);
			continue;
		case COL_ENUM: {
			int v = *(const int *)f;
			if (v == 0 && c->e->zero_null)
				rc = sqlite3_bind_null(q, i);
			else
				rc = sqlite3_bind_text(q, i, c->e->name(v), -1, SQLITE_STATIC);
			break;
		}
		}
		(*idx)++;
	}
	return rc;
}

/* ----- reading ----- */

enum sl_err
sl_store_read_str(sqlite3_stmt *q, int i, struct sl_arena *a, struct sl_str *out)
{
	const unsigned char *p = sqlite3_column_text(q, i);
	if (p == NULL) {
		/* NULL, or out of memory converting: tell the two apart */
		*out = SL_STR_NULL;
		return sqlite3_errcode(sqlite3_db_handle(q)) == SQLITE_NOMEM ? SL_ENOMEM : SL_OK;
	}
	size_t n = (size_t)sqlite3_column_bytes(q, i);
	if (n == 0) {
		*out = sl_str_make("", 0);
		return SL_OK;
	}
	char *c = sl_arena_alloc(a, n + 1);
	if (c == NULL)
		return SL_ENOMEM;
	memcpy(c, p, n);
	c[n] = '\0';
	*out = sl_str_make(c, n);
	return SL_OK;
}

static bool
parse_transport(const unsigned char *t, int n, uint8_t *out)
{
	if (t == NULL) {
		*out = SL_TP_NONE;
		return true;
	}
	struct sl_str s = sl_str_make((const char *)t, (size_t)n);
	uint32_t v;
	if (sl_str_eq(s, SL_STR("udp")))
		*out = SL_TP_UDP;
	else if (sl_str_eq(s, SL_STR("tcp")))
		*out = SL_TP_TCP;
	else if (sl_str_u32(s, 255, &v))
		*out = (uint8_t)v;
	else
		return false;
	return true;
}

static bool
read_ep(sqlite3_stmt *q, int i, struct sl_endpoint *ep)
{
	memset(ep, 0, sizeof *ep);
	const unsigned char *ip = sqlite3_column_text(q, i);
	if (ip && !sl_ip_parse(sl_str_make((const char *)ip,
	    (size_t)sqlite3_column_bytes(q, i)), &ep->ip))
		return false;
	sqlite3_int64 port = sqlite3_column_int64(q, i + 1);
	if (port < 0 || port > UINT16_MAX)
		return false;
	ep->port = (uint16_t)port;
	return parse_transport(sqlite3_column_text(q, i + 2), sqlite3_column_bytes(q, i + 2),
	    &ep->transport);
}

static bool
read_enum(sqlite3_stmt *q, int i, const struct sl_col_enum *e, int *out)
{
	const unsigned char *t = sqlite3_column_text(q, i);
	if (t == NULL) {
		*out = 0;
		return e->zero_null;
	}
	for (int v = 0; v < e->n; v++)
		if (strcmp((const char *)t, e->name(v)) == 0) {
			*out = v;
			return true;
		}
	return false;
}

enum sl_err
sl_store_read_cols(struct sl_store *s, sqlite3_stmt *q, int *idx, const struct sl_col *cols,
    void *obj, struct sl_arena *a)
{
	char *base = obj;
	for (const struct sl_col *c = cols; c->name; c++) {
		void *f = base + c->off;
		int i = *idx;
		sqlite3_int64 v = sqlite3_column_int64(q, i);
		bool ok = true;
		switch (c->type) {
		case COL_I64:
			*(int64_t *)f = v;
			break;
		case COL_U64:
			*(uint64_t *)f = (uint64_t)v;
			break;
		case COL_I32:
			ok = v >= INT32_MIN && v <= INT32_MAX;
			*(int32_t *)f = (int32_t)v;
			break;
		case COL_U32:
			ok = v >= 0 && v <= UINT32_MAX;
			*(uint32_t *)f = (uint32_t)v;
			break;
		case COL_U16:
			ok = v >= 0 && v <= UINT16_MAX;
			*(uint16_t *)f = (uint16_t)v;
			break;
		case COL_U8:
			ok = v >= 0 && v <= UINT8_MAX;
			*(uint8_t *)f = (uint8_t)v;
			break;
		case COL_BOOL:
			*(bool *)f = v != 0;
			break;
		case COL_CHAR: {
			const unsigned char *t = sqlite3_column_text(q, i);
			ok = t != NULL && sqlite3_column_bytes(q, i) == 1;
			*(char *)f = ok ? (char)t[0] : 0;
			break;
		}
		case COL_DBL:
			*(double *)f = sqlite3_column_type(q, i) == SQLITE_NULL ? NAN :
			    sqlite3_column_double(q, i);
			break;
		case COL_STR: {
			enum sl_err e = sl_store_read_str(q, i, a, f);
			if (e != SL_OK)
				return sl_store_failf(s, SL_STORE_ENOMEM, "out of memory reading %s",
				    c->name);
			break;
		}
		case COL_EP:
			ok = read_ep(q, i, f);
			*idx += 2;
			break;
		case COL_ENUM:
			ok = read_enum(q, i, c->e, f);
			break;
		}
		if (!ok)
			return sl_store_failf(s, SL_STORE_ECORRUPT,
			    "column %s holds a value this sipladder cannot read", c->name);
		(*idx)++;
	}
	return SL_OK;
}
