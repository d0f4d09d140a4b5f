/* stmts.c: the prepared statements of a store, each prepared once on
 * first use. The INSERTs and SELECTs of the call's parts are built from
 * the column tables (cols.c), after the columns every part has. */
#include "store/store_int.h"

static const char *const fixed[ST__COUNT] = {
	[ST_BEGIN] = "BEGIN IMMEDIATE",
	[ST_COMMIT] = "COMMIT",
	[ST_ROLLBACK] = "ROLLBACK",
	[ST_CAP_INSERT] = "INSERT INTO captures (source, interfaces, capture_filter, "
	    "imported_at) VALUES (?, ?, ?, ?)",
	[ST_CAP_UPDATE] = "UPDATE captures SET start_ts = ?, end_ts = ?, finished = ?, "
	    "frames = ?, drops = ?, sip_messages = ?, sip_retrans = ?, rtp_packets = ?, "
	    "rtcp_packets = ?, icmp_attributed = ?, icmp_unattributed = ?, anomalies = ?, "
	    "calls = ?, registrations = ?, out_of_order = ?, calls_stored = ?, "
	    "calls_skipped = ? WHERE id = ?",
	[ST_SKIPS_DELETE] = "DELETE FROM capture_skips WHERE capture = ?",
	[ST_SKIPS_INSERT] = "INSERT INTO capture_skips (capture, seq, reason, name, count) "
	    "VALUES (?, ?, ?, ?, ?)",
};

struct part {
	const char *table;
	const char *head;	/* columns before the table's own */
	int n_head;
	const struct sl_col *cols;
	const char *tail;	/* derived columns after them (INSERT only) */
	int n_tail;
	bool load;		/* a SELECT rather than an INSERT */
};

static bool
part_of(enum st_id id, struct part *p)
{
	switch (id) {
	case ST_CALL_INSERT:
		*p = (struct part){ "calls", "capture, call_ids, n_msgs", 3, sl_store_call_cols,
		    "media_problems", 1, false };
		return true;
	case ST_LEG_INSERT:
		*p = (struct part){ "legs", "call, seq, joined_to, last_bye", 4,
		    sl_store_leg_cols, "join_evidence", 1, false };
		return true;
	case ST_AUTH_INSERT:
		*p = (struct part){ "leg_auth", "call, leg, req, last_challenge", 4,
		    sl_store_auth_cols, NULL, 0, false };
		return true;
	case ST_MSG_INSERT:
		*p = (struct part){ "messages", "call, seq, leg", 3, sl_store_msg_cols,
		    "label, anomalies, raw", 3, false };
		return true;
	case ST_STREAM_INSERT:
		*p = (struct part){ "streams", "call, seq, leg", 3, sl_store_stream_cols,
		    "problems", 1, false };
		return true;
	case ST_REG_INSERT:
		*p = (struct part){ "registrations", "call, seq", 2, sl_store_reg_cols,
		    NULL, 0, false };
		return true;
	case ST_FINDING_INSERT:
		*p = (struct part){ "findings", "call, seq, leg, msg, stream, req", 6,
		    sl_store_finding_cols, NULL, 0, false };
		return true;
	case ST_LOAD_LEGS:
		*p = (struct part){ "legs", "joined_to, last_bye", 2, sl_store_leg_cols,
		    NULL, 0, true };
		return true;
	case ST_LOAD_AUTH:
		*p = (struct part){ "leg_auth", "leg, req, last_challenge", 3,
		    sl_store_auth_cols, NULL, 0, true };
		return true;
	case ST_LOAD_MSGS:
		*p = (struct part){ "messages", "leg, anomalies, raw", 3, sl_store_msg_cols,
		    NULL, 0, true };
		return true;
	case ST_LOAD_STREAMS:
		*p = (struct part){ "streams", "leg", 1, sl_store_stream_cols, NULL, 0, true };
		return true;
	case ST_LOAD_REGS:
		*p = (struct part){ "registrations", "seq", 1, sl_store_reg_cols, NULL, 0, true };
		return true;
	case ST_LOAD_FINDINGS:
		*p = (struct part){ "findings", "leg, msg, stream, req", 4,
		    sl_store_finding_cols, NULL, 0, true };
		return true;
	default:
		return false;
	}
}

static enum sl_err
build(struct sl_buf *b, const struct part *p)
{
	enum sl_err e;
	if (p->load) {
		e = sl_buf_printf(b, "SELECT %s, ", p->head);
		if (e == SL_OK)
			e = sl_store_col_names(b, p->cols);
		if (e == SL_OK)
			e = sl_buf_printf(b, " FROM %s WHERE call = ? ORDER BY %s", p->table,
			    p->cols == sl_store_auth_cols ? "leg, req" : "seq");
		return e;
	}
	e = sl_buf_printf(b, "INSERT INTO %s (%s, ", p->table, p->head);
	if (e == SL_OK)
		e = sl_store_col_names(b, p->cols);
	if (e == SL_OK && p->tail)
		e = sl_buf_printf(b, ", %s", p->tail);
	if (e == SL_OK)
		e = sl_buf_adds(b, ") VALUES (?");
	size_t n = (size_t)p->n_head + sl_store_col_count(p->cols) + (size_t)p->n_tail;
	for (size_t i = 1; e == SL_OK && i < n; i++)
		e = sl_buf_adds(b, ", ?");
	if (e == SL_OK)
		e = sl_buf_addc(b, ')');
	if (e == SL_OK && p->cols == sl_store_call_cols)
		/* a call stored already is found by calls_identity and skipped */
		e = sl_buf_adds(b, " ON CONFLICT (first_ts, call_ids) DO NOTHING");
	return e;
}

sqlite3_stmt *
sl_store_stmt(struct sl_store *s, enum st_id id)
{
	sqlite3_stmt *q = s->st[id];
	if (q) {
		/* every use binds every parameter: no clearing needed */
		sqlite3_reset(q);
		return q;
	}
	struct sl_buf b;
	sl_buf_init(&b, 1u << 16);
	struct part p;
	enum sl_err e = part_of(id, &p) ? build(&b, &p) : sl_buf_adds(&b, fixed[id]);
	if (e != SL_OK) {
		sl_store_failf(s, SL_STORE_ENOMEM, "out of memory preparing a statement");
		return NULL;
	}
	int rc = sqlite3_prepare_v3(s->db, b.p, (int)b.len, SQLITE_PREPARE_PERSISTENT, &q, NULL);
	sl_buf_free(&b);
	if (rc != SQLITE_OK) {
		sl_store_fail(s, rc, "preparing a statement");
		return NULL;
	}
	s->st[id] = q;
	return q;
}
