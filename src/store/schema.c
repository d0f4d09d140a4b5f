/* schema.c: the database schema, as migrations: entry v makes version v
 * out of v - 1, and PRAGMA user_version says which was applied last. A
 * migration, once released, is never edited: a change is a new entry
 * (and a new SL_STORE_SCHEMA), so that every older file upgrades the
 * same way. The tables are a public interface, documented column by
 * column in SCHEMA.md; keep the two together. Times are ns since the
 * epoch (capture time), as in the model. */
#include <assert.h>

#include "store/store_int.h"

/* version 1: the first schema, one statement per string */
static const char *const v1[] = {
	"CREATE TABLE captures ("
	" id INTEGER PRIMARY KEY,"
	" source TEXT NOT NULL,"
	" interfaces TEXT,"
	" capture_filter TEXT,"
	" imported_at INTEGER NOT NULL,"
	" start_ts INTEGER,"
	" end_ts INTEGER,"
	" finished INTEGER NOT NULL DEFAULT 0,"
	" frames INTEGER NOT NULL DEFAULT 0,"
	" drops INTEGER NOT NULL DEFAULT 0,"
	" sip_messages INTEGER NOT NULL DEFAULT 0,"
	" sip_retrans INTEGER NOT NULL DEFAULT 0,"
	" rtp_packets INTEGER NOT NULL DEFAULT 0,"
	" rtcp_packets INTEGER NOT NULL DEFAULT 0,"
	" icmp_attributed INTEGER NOT NULL DEFAULT 0,"
	" icmp_unattributed INTEGER NOT NULL DEFAULT 0,"
	" anomalies INTEGER NOT NULL DEFAULT 0,"
	" calls INTEGER NOT NULL DEFAULT 0,"
	" registrations INTEGER NOT NULL DEFAULT 0,"
	" out_of_order INTEGER NOT NULL DEFAULT 0,"
	" calls_stored INTEGER NOT NULL DEFAULT 0,"
	" calls_skipped INTEGER NOT NULL DEFAULT 0)",

	"CREATE TABLE capture_skips ("
	" capture INTEGER NOT NULL REFERENCES captures(id) ON DELETE CASCADE,"
	" seq INTEGER NOT NULL,"
	" reason TEXT NOT NULL,"
	" name TEXT NOT NULL,"
	" count INTEGER NOT NULL,"
	" PRIMARY KEY (capture, seq)) WITHOUT ROWID",

	"CREATE TABLE calls ("
	" id INTEGER PRIMARY KEY,"
	" capture INTEGER NOT NULL REFERENCES captures(id) ON DELETE CASCADE,"
	" idx INTEGER NOT NULL,"
	" kind TEXT NOT NULL,"
	" call_ids TEXT NOT NULL,"
	" first_ts INTEGER NOT NULL,"
	" last_ts INTEGER NOT NULL,"
	" first_frame INTEGER NOT NULL,"
	" n_msgs INTEGER NOT NULL,"
	" msgs_dropped INTEGER NOT NULL,"
	" state TEXT NOT NULL,"
	" status INTEGER NOT NULL,"
	" hangup_by TEXT,"
	" from_user TEXT,"
	" to_user TEXT,"
	" callee_user TEXT,"
	" reason TEXT,"
	" setup_ns INTEGER NOT NULL,"
	" talk_ns INTEGER NOT NULL,"
	" duration_ns INTEGER NOT NULL,"
	" invite_challenges INTEGER NOT NULL,"
	" bye_challenges INTEGER NOT NULL,"
	" challenges INTEGER NOT NULL,"
	" challenge_status INTEGER NOT NULL,"
	" credentials INTEGER NOT NULL,"
	" authorised INTEGER NOT NULL,"
	" auth_failed INTEGER NOT NULL,"
	" auth_pending INTEGER NOT NULL,"
	" rtp_packets INTEGER NOT NULL,"
	" rtp_lost INTEGER NOT NULL,"
	" after_bye_packets INTEGER NOT NULL,"
	" icmp_unreachable INTEGER NOT NULL,"
	" media_problems INTEGER NOT NULL)",
	/* the same call imported twice is found here (and refused) */
	"CREATE UNIQUE INDEX calls_identity ON calls (first_ts, call_ids)",
	"CREATE UNIQUE INDEX calls_capture ON calls (capture, idx)",
	"CREATE INDEX calls_auth_failed ON calls (first_ts) WHERE auth_failed",
	"CREATE INDEX calls_media_problems ON calls (first_ts) WHERE media_problems",

	"CREATE TABLE legs ("
	" id INTEGER PRIMARY KEY,"
	" call INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,"
	" seq INTEGER NOT NULL,"
	" name TEXT NOT NULL,"
	" kind TEXT NOT NULL,"
	" call_id TEXT,"
	" from_user TEXT,"
	" to_user TEXT,"
	" ruri TEXT,"
	" uac_ip TEXT, uac_port INTEGER NOT NULL, uac_transport TEXT,"
	" uas_ip TEXT, uas_port INTEGER NOT NULL, uas_transport TEXT,"
	" first_ts INTEGER NOT NULL,"
	" last_ts INTEGER NOT NULL,"
	" n_msgs INTEGER NOT NULL,"
	" first_max_forwards INTEGER NOT NULL,"
	" n_attempts INTEGER NOT NULL,"
	" invite_ts INTEGER NOT NULL,"
	" auth_invite_ts INTEGER NOT NULL,"
	" ring_ts INTEGER NOT NULL,"
	" answer_ts INTEGER NOT NULL,"
	" final_status INTEGER NOT NULL,"
	" last_invite_status INTEGER NOT NULL,"
	" final_reason TEXT,"
	" cancelled INTEGER NOT NULL,"
	" bye_ts INTEGER NOT NULL,"
	" bye_by TEXT,"
	" bye_reason TEXT,"
	" last_bye INTEGER,"
	" bye_status INTEGER NOT NULL,"
	" bye_done_ts INTEGER NOT NULL,"
	" joined_to INTEGER,"
	" join_ev INTEGER NOT NULL,"
	" join_evidence TEXT,"
	" join_confidence TEXT,"
	" join_delay_ns INTEGER NOT NULL,"
	" join_mf_parent INTEGER NOT NULL,"
	" join_mf_self INTEGER NOT NULL)",
	"CREATE UNIQUE INDEX legs_call ON legs (call, seq)",
	"CREATE INDEX legs_call_id ON legs (call_id)",
	"CREATE INDEX legs_from_user ON legs (from_user)",
	"CREATE INDEX legs_to_user ON legs (to_user)",

	"CREATE TABLE leg_auth ("
	" call INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,"
	" leg INTEGER NOT NULL,"
	" req TEXT NOT NULL,"
	" challenges INTEGER NOT NULL,"
	" status INTEGER NOT NULL,"
	" credentials INTEGER NOT NULL,"
	" authorised INTEGER NOT NULL,"
	" failed INTEGER NOT NULL,"
	" user TEXT,"
	" realm TEXT,"
	" last_challenge INTEGER,"
	" PRIMARY KEY (call, leg, req)) WITHOUT ROWID",

	"CREATE TABLE messages ("
	" id INTEGER PRIMARY KEY,"
	" call INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,"
	" seq INTEGER NOT NULL,"
	" leg INTEGER,"
	" frame INTEGER NOT NULL,"
	" ts INTEGER NOT NULL,"
	" src_ip TEXT, src_port INTEGER NOT NULL, src_transport TEXT,"
	" dst_ip TEXT, dst_port INTEGER NOT NULL, dst_transport TEXT,"
	" size INTEGER NOT NULL,"
	" label TEXT NOT NULL,"
	" is_request INTEGER NOT NULL,"
	" method TEXT,"
	" status INTEGER NOT NULL,"
	" reason TEXT,"
	" ruri TEXT,"
	" call_id TEXT,"
	" from_user TEXT,"
	" from_tag TEXT,"
	" to_user TEXT,"
	" to_tag TEXT,"
	" from_uri TEXT,"
	" to_uri TEXT,"
	" cseq INTEGER NOT NULL,"
	" branch TEXT,"
	" max_forwards INTEGER NOT NULL,"
	" contact TEXT,"
	" expires INTEGER NOT NULL,"
	" reason_hdr TEXT,"
	" user_agent TEXT,"
	" xcid TEXT,"
	" has_auth INTEGER NOT NULL,"
	" auth_proxy INTEGER NOT NULL,"
	" auth_user TEXT,"
	" auth_realm TEXT,"
	" has_challenge INTEGER NOT NULL,"
	" chal_proxy INTEGER NOT NULL,"
	" chal_realm TEXT,"
	" chal_stale INTEGER NOT NULL,"
	" has_sdp INTEGER NOT NULL,"
	" sdp_codec TEXT,"
	" sdp_ip TEXT, sdp_port INTEGER NOT NULL, sdp_transport TEXT,"
	" retrans INTEGER NOT NULL,"
	" retrans_count INTEGER NOT NULL,"
	" retrans_last_ts INTEGER NOT NULL,"
	" anomalies TEXT,"
	" raw BLOB)",
	"CREATE UNIQUE INDEX messages_call ON messages (call, seq)",

	"CREATE TABLE streams ("
	" id INTEGER PRIMARY KEY,"
	" call INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,"
	" seq INTEGER NOT NULL,"
	" leg INTEGER,"
	" ssrc INTEGER NOT NULL,"
	" clock_rate INTEGER NOT NULL,"
	" packets INTEGER NOT NULL,"
	" jitter_ms REAL,"
	" max_jitter_ms REAL,"
	" mean_jitter_ms REAL,"
	" max_delta_ms REAL,"
	" first_ts INTEGER NOT NULL,"
	" last_ts INTEGER NOT NULL,"
	" src_ip TEXT, src_port INTEGER NOT NULL, src_transport TEXT,"
	" dst_ip TEXT, dst_port INTEGER NOT NULL, dst_transport TEXT,"
	" pt INTEGER NOT NULL,"
	" codec TEXT,"
	" expected INTEGER NOT NULL,"
	" lost INTEGER NOT NULL,"
	" dups INTEGER NOT NULL,"
	" out_of_order INTEGER NOT NULL,"
	" pt_changes INTEGER NOT NULL,"
	" marker INTEGER NOT NULL,"
	" rtcp_packets INTEGER NOT NULL,"
	" after_bye_packets INTEGER NOT NULL,"
	" after_bye_first_ts INTEGER NOT NULL,"
	" after_bye_last_ts INTEGER NOT NULL,"
	" icmp_unreachable INTEGER NOT NULL,"
	" icmp_first_ts INTEGER NOT NULL,"
	" icmp_last_ts INTEGER NOT NULL,"
	" problems INTEGER NOT NULL)",
	"CREATE UNIQUE INDEX streams_call ON streams (call, seq)",

	"CREATE TABLE registrations ("
	" id INTEGER PRIMARY KEY,"
	" call INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,"
	" seq INTEGER NOT NULL,"
	" user TEXT,"
	" contact TEXT,"
	" expires_req INTEGER NOT NULL,"
	" expires INTEGER NOT NULL,"
	" unregister INTEGER NOT NULL,"
	" challenges INTEGER NOT NULL,"
	" result INTEGER NOT NULL,"
	" auth_user TEXT,"
	" start_ts INTEGER NOT NULL,"
	" end_ts INTEGER NOT NULL,"
	" n_msgs INTEGER NOT NULL)",
	"CREATE UNIQUE INDEX registrations_call ON registrations (call, seq)",
	"CREATE INDEX registrations_user ON registrations (user)",

	"CREATE TABLE findings ("
	" id INTEGER PRIMARY KEY,"
	" call INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,"
	" seq INTEGER NOT NULL,"
	" kind TEXT NOT NULL,"
	" leg INTEGER,"
	" msg INTEGER,"
	" stream INTEGER,"
	" req TEXT,"
	" status INTEGER NOT NULL,"
	" first_ts INTEGER NOT NULL,"
	" last_ts INTEGER NOT NULL,"
	" count INTEGER NOT NULL,"
	" icmp INTEGER NOT NULL)",
	"CREATE UNIQUE INDEX findings_call ON findings (call, seq)",
	"CREATE INDEX findings_kind ON findings (kind)",
	NULL,
};

static const char *const *const migrations[] = { NULL, v1 };

static_assert(sizeof migrations / sizeof migrations[0] == SL_STORE_SCHEMA + 1,
    "one migration per schema version");

const char *const *
sl_store_migration(int v)
{
	if (v < 1 || v >= (int)(sizeof migrations / sizeof migrations[0]))
		return NULL;
	return migrations[v];
}
