/* test_sipfilter.c: the libosip2 line filter of dissectors/sip.c
 * (osip_input) must not change any field the dissector exposes. Each row
 * is dissected as the analyzer does it and again with every header line
 * handed to libosip2 (sip_internal.h); the two must agree field by field
 * (tests/fuzz/sipfilter_diff.h). Each row also says whether the filter
 * leaves lines out (so the row exercises it rather than its fallback to
 * the whole header section) and whether libosip2 accepts the message. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tests/fuzz/sipfilter_diff.h"
#include "dissectors/dissector.h"
#include "dissectors/sip.h"
#include "dissectors/sip_internal.h"
#include "tests/unit/unit.h"

#define CRLF "\r\n"
#define HDRS \
	"Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKf1" CRLF \
	"From: \"A\" <sip:a@10.0.0.1>;tag=fa" CRLF "To: <sip:b@10.0.0.2>" CRLF \
	"Call-ID: filter@10.0.0.1" CRLF "CSeq: 1 INVITE" CRLF
#define LF_HDRS \
	"Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKf2\n" \
	"From: <sip:a@10.0.0.1>;tag=fa\nTo: <sip:b@10.0.0.2>\nCall-ID: lf@h\nCSeq: 2 BYE\n"
#define INVITE "INVITE sip:b@10.0.0.2 SIP/2.0" CRLF
#define METHODS10 "INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, UPDATE, PRACK, REFER, NOTIFY, "
#define METHODS100 METHODS10 METHODS10 METHODS10 METHODS10 METHODS10 \
	METHODS10 METHODS10 METHODS10 METHODS10 METHODS10
#define SDP "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n" \
	"m=audio 4000 RTP/AVP 0 8\r\n"	/* 83 bytes */

enum drops { KEEPS_ALL, DROPS };
enum parse { OSIP_FAILS, OSIP_PARSES };

static const struct row {
	const char *name;
	const char *text;
	size_t len;		/* 0: strlen */
	enum drops drops;	/* does the filter leave lines out? */
	enum parse parse;	/* does libosip2 accept the first message? */
} rows[] = {
	{ "plain INVITE with unread headers", INVITE HDRS "Max-Forwards: 70" CRLF
	  "User-Agent: t" CRLF "Allow: INVITE, BYE" CRLF "Supported: timer" CRLF CRLF, 0,
	  DROPS, OSIP_PARSES },

	/* RFC 3261 7.3.1 folding */
	{ "folded unread header", INVITE "Allow: INVITE," CRLF " ACK," CRLF "\tBYE" CRLF HDRS CRLF,
	  0, DROPS, OSIP_PARSES },
	{ "folded unread header, colon in its continuation", INVITE HDRS
	  "Subject: a" CRLF " Via: SIP/2.0/UDP evil;branch=z9hG4bKx" CRLF CRLF, 0, DROPS,
	  OSIP_PARSES },
	{ "folded Via, then unread header", INVITE "Via: SIP/2.0/UDP 10.0.0.9;branch=z9hG4bK9," CRLF
	  "  SIP/2.0/UDP 10.0.0.8" CRLF "Allow: ACK" CRLF "From: <sip:a@h>;tag=1" CRLF
	  "To: <sip:b@h>" CRLF "Call-ID: fold" CRLF "CSeq: 1 INVITE" CRLF CRLF, 0, DROPS,
	  OSIP_PARSES },
	{ "folded Call-ID and CSeq between unread headers", INVITE
	  "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKf3" CRLF "From: <sip:a@h>;tag=1" CRLF
	  "To: <sip:b@h>" CRLF "Call-ID:" CRLF " fold@h" CRLF "Allow: ACK" CRLF "CSeq: 1" CRLF
	  " INVITE" CRLF "Supported: x" CRLF CRLF, 0, DROPS, OSIP_PARSES },
	{ "folded headers we scan ourselves, all unread by libosip2", "REGISTER sip:h SIP/2.0" CRLF
	  HDRS "Max-Forwards:" CRLF " 70" CRLF "Expires:" CRLF "\t60" CRLF "Reason: SIP;" CRLF
	  " cause=200" CRLF "User-Agent: a" CRLF "\tb" CRLF "X-CID:" CRLF " y" CRLF CRLF, 0, DROPS,
	  OSIP_PARSES },
	{ "folded Content-Length framing two messages", "SIP/2.0 100 Trying" CRLF HDRS
	  "Content-Length:" CRLF " 0" CRLF "Allow: A" CRLF CRLF "SIP/2.0 180 Ringing" CRLF HDRS
	  "l:" CRLF "\t4" CRLF CRLF "abcd", 0, DROPS, OSIP_PARSES },
	{ "folded compact forms", "OPTIONS sip:b@h SIP/2.0" CRLF "v:" CRLF
	  " SIP/2.0/UDP h;branch=z9hG4bKc" CRLF "f: <sip:a@h>" CRLF " ;tag=c" CRLF "t:" CRLF
	  " <sip:b@h>" CRLF "i:" CRLF " c@h" CRLF "CSeq: 9" CRLF " OPTIONS" CRLF "k:" CRLF
	  " timer" CRLF "m: <sip:a@10.0.0.1>" CRLF " ;expires=30" CRLF "l:" CRLF " 0" CRLF CRLF, 0,
	  DROPS, OSIP_PARSES },
	{ "LF-only, BYE with its CSeq folded", "BYE sip:b@h SIP/2.0\n"
	  "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKf4\nFrom: <sip:a@h>;tag=1\nTo: <sip:b@h>;tag=2\n"
	  "Call-ID: lf@h\nCSeq:\n\t2 BYE\nAllow: BYE\n\n", 0, DROPS, OSIP_PARSES },
	{ "folded credentials and challenge", "SIP/2.0 401 Unauthorized" CRLF HDRS
	  "WWW-Authenticate: Digest realm=\"r\"," CRLF " nonce=\"n\"" CRLF
	  "Proxy-Authorization: Digest username=\"u\"," CRLF "\trealm=\"p\", uri=\"sip:h\"" CRLF
	  "Allow: ACK" CRLF CRLF, 0, DROPS, OSIP_PARSES },
	{ "folded read header last, no blank line", INVITE "Allow: ACK" CRLF
	  "Via: SIP/2.0/UDP h;branch=z9hG4bKf5" CRLF "Call-ID: nb" CRLF "CSeq: 1" CRLF " INVITE",
	  0, DROPS, OSIP_PARSES },
	{ "folded unread header last, no blank line", INVITE HDRS "Allow: ACK," CRLF " BYE", 0,
	  DROPS, OSIP_PARSES },
	{ "continuation right after the start line", INVITE " folded" CRLF HDRS "Allow: ACK" CRLF
	  CRLF, 0, DROPS, OSIP_FAILS },
	/* libosip2 unfolds a line of only SP/HT and then skips the line end
	 * after it, and leaves it folded in its last 3 bytes: the filter
	 * then keeps every line */
	{ "whitespace-only continuation of an unread header", INVITE HDRS "Allow: ACK" CRLF " " CRLF
	  "Expires: 5" CRLF CRLF, 0, KEEPS_ALL, OSIP_PARSES },
	{ "whitespace-only continuation, then another, unread header", INVITE HDRS "Allow: ACK" CRLF
	  " " CRLF " INFO" CRLF "Expires: 5" CRLF CRLF, 0, KEEPS_ALL, OSIP_FAILS },
	{ "LF-only, whitespace-only continuation, then another", "BYE sip:b@h SIP/2.0\n" LF_HDRS
	  "Supported: a\n\t\n b\n\n", 0, KEEPS_ALL, OSIP_FAILS },
	{ "LF-only, one-space continuation of the last, unread, header",
	  "BYE sip:b@h SIP/2.0\n" LF_HDRS "Allow: BYE\n \n\n", 0, KEEPS_ALL, OSIP_FAILS },
	{ "LF-only lines", "BYE sip:b@h SIP/2.0\n" LF_HDRS "Allow: BYE\n Supported: x\n\n", 0,
	  DROPS, OSIP_PARSES },
	{ "LF-only, one-space continuation of a kept header before an unread one",
	  "BYE sip:b@h SIP/2.0\n" LF_HDRS "Contact: <sip:a@h>\n \nAllow: BYE\n\n", 0, KEEPS_ALL,
	  OSIP_PARSES },
	{ "LF-only, one-tab continuation last", "BYE sip:b@h SIP/2.0\n" LF_HDRS
	  "Allow: BYE\nContact: <sip:a@h>\n\t\n\n", 0, KEEPS_ALL, OSIP_FAILS },

	/* CR without LF: libosip2 ends a line there, we do not */
	{ "lone CR inside an unread header", INVITE HDRS "Allow: ACK\rVia: SIP/2.0/UDP x" CRLF CRLF,
	  0, KEEPS_ALL, OSIP_PARSES },
	{ "lone CR at the end of an unread header", INVITE HDRS "Subject: x\r\r\n" CRLF, 0,
	  KEEPS_ALL, OSIP_PARSES },
	{ "lone CR ending a read header", INVITE "Call-ID: cr\rAllow: ACK" CRLF "CSeq: 1 INVITE" CRLF
	  CRLF, 0, KEEPS_ALL, OSIP_PARSES },

	/* NUL: libosip2 stops reading at it */
	{ "NUL in an unread header", INVITE HDRS "Allow: A\0CK" CRLF CRLF,
	  sizeof(INVITE HDRS "Allow: A\0CK" CRLF CRLF) - 1, KEEPS_ALL, OSIP_FAILS },
	{ "NUL in an unread header before a read one", INVITE "Allow: A\0CK" CRLF HDRS CRLF,
	  sizeof(INVITE "Allow: A\0CK" CRLF HDRS CRLF) - 1, KEEPS_ALL, OSIP_FAILS },
	{ "NUL in the request URI", "INVITE sip:b\0@h SIP/2.0" CRLF HDRS "Allow: ACK" CRLF CRLF,
	  sizeof("INVITE sip:b\0@h SIP/2.0" CRLF HDRS "Allow: ACK" CRLF CRLF) - 1, KEEPS_ALL,
	  OSIP_FAILS },

	/* names that are not plain tokens are always handed over */
	{ "space in a header name", INVITE HDRS "X Foo: bar" CRLF "Allow: ACK" CRLF CRLF, 0, DROPS,
	  OSIP_PARSES },
	{ "space before the colon of a read header", INVITE "Via : SIP/2.0/UDP h;branch=z9hG4bKs" CRLF
	  "From : <sip:a@h>;tag=s" CRLF "To\t: <sip:b@h>" CRLF "Call-ID : sp@h" CRLF
	  "CSeq: 1 INVITE" CRLF "Allow: ACK" CRLF CRLF, 0, DROPS, OSIP_PARSES },
	{ "separators and 8-bit bytes in names", INVITE HDRS "X@Y: 1" CRLF "X(Y): 2" CRLF
	  "\xc3\x9c: 3" CRLF "Allow: ACK" CRLF CRLF, 0, DROPS, OSIP_PARSES },
	{ "mixed-case read headers", INVITE "vIA: SIP/2.0/UDP h;branch=z9hG4bKm" CRLF
	  "FROM: <sip:a@h>;tag=m" CRLF "tO: <sip:b@h>" CRLF "CALL-id: mc" CRLF "cseq: 3 INVITE" CRLF
	  "ALLOW: ACK" CRLF CRLF, 0, DROPS, OSIP_PARSES },

	/* a status line with no reason phrase: libosip2 looks for it in the
	 * following lines */
	{ "status line without reason phrase", "SIP/2.0 200" CRLF HDRS "Allow: ACK" CRLF CRLF, 0,
	  KEEPS_ALL, OSIP_PARSES },
	{ "status line without reason, next header has a space", "SIP/2.0 180" CRLF
	  "Server: a b" CRLF HDRS CRLF, 0, KEEPS_ALL, OSIP_PARSES },
	{ "status line with an empty reason phrase", "SIP/2.0 200 " CRLF HDRS "Allow: ACK" CRLF CRLF,
	  0, DROPS, OSIP_PARSES },
	{ "request line, URI then two spaces", "INVITE sip:b@h  SIP/2.0" CRLF HDRS "Allow: A" CRLF
	  CRLF, 0, DROPS, OSIP_FAILS },

	/* RFC 3261 7.3.3 compact forms */
	{ "compact forms", "OPTIONS sip:b@h SIP/2.0" CRLF "v: SIP/2.0/UDP h;branch=z9hG4bKc" CRLF
	  "f: <sip:a@h>;tag=c" CRLF "t: <sip:b@h>" CRLF "i: compact@h" CRLF "CSeq: 9 OPTIONS" CRLF
	  "m: <sip:a@10.0.0.1>;expires=30" CRLF "k: timer" CRLF "s: subj" CRLF "e: gzip" CRLF
	  "o: presence" CRLF "u: talk" CRLF "r: <sip:c@h>" CRLF "b: <sip:d@h>" CRLF
	  "c: application/sdp" CRLF "l: 83" CRLF CRLF SDP, 0, DROPS, OSIP_PARSES },
	{ "bad compact Via", INVITE "v: <<<" CRLF "k: x" CRLF "i: c" CRLF "CSeq: 1 INVITE" CRLF
	  CRLF, 0, DROPS, OSIP_FAILS },

	/* lists */
	{ "duplicated Via and Contact", "REGISTER sip:h SIP/2.0" CRLF
	  "Via: SIP/2.0/UDP p1;branch=z9hG4bKp1, SIP/2.0/UDP p2;branch=z9hG4bKp2" CRLF
	  "Allow: REGISTER" CRLF "Via: SIP/2.0/UDP p3;branch=z9hG4bKp3" CRLF
	  "From: <sip:a@h>;tag=d" CRLF "To: <sip:a@h>" CRLF "Call-ID: dup" CRLF
	  "CSeq: 4 REGISTER" CRLF "Contact: <sip:a@10.0.0.1>;expires=60, <sip:a@10.0.0.2>" CRLF
	  "Supported: path" CRLF "Contact: *" CRLF "m: <sip:a@10.0.0.3>" CRLF CRLF, 0, DROPS,
	  OSIP_PARSES },
	{ "duplicated From", INVITE HDRS "From: <sip:z@h>;tag=z" CRLF "Allow: ACK" CRLF CRLF, 0,
	  DROPS, OSIP_FAILS },
	{ "huge Allow lists", INVITE "Allow: " METHODS100 METHODS100 "ACK" CRLF HDRS
	  "Allow: " METHODS100 "BYE" CRLF "Accept: a/b, " METHODS100 "c/d" CRLF CRLF, 0, DROPS,
	  OSIP_PARSES },

	/* empty names, no colon */
	{ "empty header name", INVITE HDRS ": nameless" CRLF "Allow: ACK" CRLF CRLF, 0, DROPS,
	  OSIP_FAILS },
	{ "empty name after an unread header", INVITE HDRS "Allow: ACK" CRLF ":" CRLF CRLF, 0,
	  DROPS, OSIP_FAILS },
	{ "line without a colon after an unread header", INVITE HDRS "Allow: ACK" CRLF "garbage"
	  CRLF "Supported: x" CRLF CRLF, 0, DROPS, OSIP_FAILS },
	{ "line without a colon, the only colon after it unread", INVITE "Call-ID x" CRLF
	  "Allow: ACK" CRLF CRLF, 0, DROPS, OSIP_FAILS },
	{ "empty values", INVITE HDRS "Subject:" CRLF "Allow:" CRLF "Accept: " CRLF CRLF, 0, DROPS,
	  OSIP_PARSES },

	/* unread headers libosip2 types but whose errors it ignores */
	{ "invalid typed headers libosip2 ignores", INVITE HDRS "Record-Route: <<<" CRLF
	  "Route: ,,," CRLF "Accept: ;;;" CRLF "MIME-Version: x y" CRLF "Call-Info: >" CRLF
	  "Error-Info: <" CRLF "Alert-Info: " CRLF "Authentication-Info: =,=" CRLF
	  "Content-Encoding: ," CRLF CRLF, 0, DROPS, OSIP_PARSES },

	/* what we read ourselves, and credentials */
	{ "headers we scan ourselves", "REGISTER sip:h SIP/2.0" CRLF HDRS "Expires: 60" CRLF
	  "Max-Forwards: 7" CRLF "Reason: Q.850;cause=16" CRLF "Server: s" CRLF "User-Agent: u" CRLF
	  "X-Call-ID: x1" CRLF "X-CID: x2" CRLF CRLF, 0, DROPS, OSIP_PARSES },
	{ "credentials and challenges", "SIP/2.0 401 Unauthorized" CRLF HDRS
	  "WWW-Authenticate: Digest realm=\"r\", nonce=\"n\", stale=true" CRLF
	  "Proxy-Authenticate: Digest realm=\"p\"" CRLF
	  "Authorization: Digest username=\"u\", realm=\"r\", uri=\"sip:h\"" CRLF
	  "Allow: ACK" CRLF CRLF, 0, DROPS, OSIP_PARSES },

	/* framing and body headers */
	{ "folded Content-Type", INVITE HDRS "Content-Type: application/" CRLF " sdp" CRLF
	  "Allow: ACK" CRLF "Content-Length: 83" CRLF CRLF SDP, 0, DROPS, OSIP_PARSES },
	{ "no blank line, unread header last", INVITE HDRS "Allow: ACK", 0, DROPS, OSIP_PARSES },
	{ "no blank line, read header last", INVITE "Allow: ACK" CRLF HDRS "Contact: <sip:a@h>", 0,
	  DROPS, OSIP_PARSES },
	{ "two messages, each with unread headers", "SIP/2.0 100 Trying" CRLF HDRS "Allow: A" CRLF
	  "l: 0" CRLF CRLF "SIP/2.0 180 Ringing" CRLF "Supported: x" CRLF HDRS "l: 4" CRLF CRLF
	  "abcd", 0, DROPS, OSIP_PARSES },
};

struct run {
	struct sl_arena arena;
	struct sl_packet pkt;
	struct sl_sip_feed feed;
	struct sipfilter_side side;
};

static void
dissect(struct run *r, const char *text, size_t len, bool all_lines)
{
	sl_arena_init(&r->arena, 4096, 0);
	sl_packet_init(&r->pkt, &r->arena);
	r->feed = (struct sl_sip_feed){ .all_lines = all_lines, .osip_bytes = 0 };
	r->side.pkt = &r->pkt;
	r->side.err = sl_sip_dissect_feed(&r->pkt, sl_cur_init((const uint8_t *)text, len),
	    &r->feed);
}

static bool
has_anomaly(const struct sl_sip *m, const char *name)
{
	for (uint8_t i = 0; m && i < m->n_anomalies; i++)
		if (strcmp(m->anomalies[i], name) == 0)
			return true;
	return false;
}

static void
test_rows(struct sl_test_state *ts)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		size_t len = r->len ? r->len : strlen(r->text);
		struct run filtered, all;
		char why[512];

		dissect(&filtered, r->text, len, false);
		dissect(&all, r->text, len, true);
		const char *d = sipfilter_diff(filtered.side, all.side, why, sizeof(why));
		SL_CHECK_MSG(ts, d == NULL, "%s: %s", r->name, why);
		SL_CHECK_MSG(ts, filtered.side.err == SL_OK && filtered.pkt.sip != NULL,
		    "%s: not dissected", r->name);
		bool dropped = filtered.feed.osip_bytes < all.feed.osip_bytes;
		SL_CHECK_MSG(ts, dropped == (r->drops == DROPS) &&
		    filtered.feed.osip_bytes <= all.feed.osip_bytes,
		    "%s: libosip2 got %zu of %zu bytes", r->name, filtered.feed.osip_bytes,
		    all.feed.osip_bytes);
		bool parsed = !has_anomaly(filtered.pkt.sip, "sip.parse");
		SL_CHECK_MSG(ts, parsed == (r->parse == OSIP_PARSES), "%s: libosip2 %s it", r->name,
		    parsed ? "accepted" : "refused");
		sl_arena_free(&filtered.arena);
		sl_arena_free(&all.arena);
	}
}

/* Changes field k of *m (a copy) and returns its name; NULL past the
 * last field. */
static const char *
mutate_msg(struct sl_sip *m, int k, struct sl_sdp *sdp_copy)
{
	static const char *const other[] = { "sip.other" };
	const struct sl_str x = SL_STR("~");
	switch (k) {
	case 0: m->raw = x; return "raw";
	case 1: m->is_request = !m->is_request; return "is_request";
	case 2: m->method = x; return "method";
	case 3: m->method_id++; return "method_id";
	case 4: m->ruri = x; return "ruri";
	case 5: m->status++; return "status";
	case 6: m->reason = x; return "reason";
	case 7: m->call_id = x; return "call_id";
	case 8: m->from_uri = x; return "from_uri";
	case 9: m->from_user = x; return "from_user";
	case 10: m->from_display = x; return "from_display";
	case 11: m->from_tag = x; return "from_tag";
	case 12: m->to_uri = x; return "to_uri";
	case 13: m->to_user = x; return "to_user";
	case 14: m->to_tag = x; return "to_tag";
	case 15: m->cseq++; return "cseq";
	case 16: m->cseq_method = x; return "cseq_method";
	case 17: m->cseq_method_id++; return "cseq_method_id";
	case 18: m->via_branch = x; return "via_branch";
	case 19: m->via_sent_by = x; return "via_sent_by";
	case 20: m->via_transport = x; return "via_transport";
	case 21: m->n_via++; return "n_via";
	case 22: m->max_forwards++; return "max_forwards";
	case 23: m->contact = x; return "contact";
	case 24: m->expires++; return "expires";
	case 25: m->reason_hdr = x; return "reason_hdr";
	case 26: m->user_agent = x; return "user_agent";
	case 27: m->xcid = x; return "xcid";
	case 28: m->has_auth = !m->has_auth; return "has_auth";
	case 29: m->auth_proxy = !m->auth_proxy; return "auth_proxy";
	case 30: m->auth_user = x; return "auth_user";
	case 31: m->auth_realm = x; return "auth_realm";
	case 32: m->auth_nonce = !m->auth_nonce; return "auth_nonce";
	case 33: m->auth_uri = x; return "auth_uri";
	case 34: m->has_challenge = !m->has_challenge; return "has_challenge";
	case 35: m->chal_proxy = !m->chal_proxy; return "chal_proxy";
	case 36: m->chal_realm = x; return "chal_realm";
	case 37: m->chal_nonce = !m->chal_nonce; return "chal_nonce";
	case 38: m->chal_stale = !m->chal_stale; return "chal_stale";
	case 39: m->content_type = x; return "content_type";
	case 40: m->content_length++; return "content_length";
	case 41: m->body = x; return "body";
	case 42: m->anomalies[0] = other[0]; return "anomalies";
	case 43: m->n_anomalies--; return "anomalies";
	case 44: m->sdp = NULL; return "sdp present";
	/* absent and empty are told apart */
	case 45: m->from_display = SL_STR_NULL; return "from_display";
	case 46: m->xcid = sl_str_make(m->xcid.p, 0); return "xcid";
	case 47: *sdp_copy = *m->sdp; sdp_copy->origin = x; m->sdp = sdp_copy; return "origin";
	case 48: *sdp_copy = *m->sdp; sdp_copy->media[0].fmt[1].rate++; m->sdp = sdp_copy;
		return "fmt[k].rate";
	default: return NULL;
	}
}

static const char *
mutate_sdp(struct sl_sdp *s, int k)
{
	switch (k) {
	case 0: s->conn.family++; return "conn.family";
	case 1: s->conn.a[3]++; return "conn address";
	case 2: s->dir++; return "dir";
	case 3: s->origin = SL_STR("~"); return "origin";
	case 4: s->n_media--; return "n_media";
	case 5: s->media_lost++; return "media_lost";
	case 6: s->media[1].type = SL_STR("~"); return "type";
	case 7: s->media[0].port++; return "port";
	case 8: s->media[0].proto = SL_STR("~"); return "proto";
	case 9: s->media[1].conn.a[0]++; return "conn address";
	case 10: s->media[0].dir++; return "dir";
	case 11: s->media[0].n_fmt--; return "n_fmt";
	case 12: s->media[0].fmt[0].pt++; return "fmt[k].pt";
	case 13: s->media[1].fmt[0].name = SL_STR("~"); return "fmt[k].name";
	case 14: s->media[0].fmt[1].rate++; return "fmt[k].rate";
	default: return NULL;
	}
}

/* The comparison itself sees a change in any one field, where a filter
 * bug would show. The message has every field set, so each change is
 * one from a value. */
static void
test_diff_sees(struct sl_test_state *ts)
{
	static const char rich[] = "SIP/2.0 401 Unauthorized" CRLF
	    "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKr, SIP/2.0/UDP 10.0.0.3" CRLF
	    "From: \"A\" <sip:a@10.0.0.1>;tag=fa" CRLF "To: <sip:b@10.0.0.2>;tag=tb" CRLF
	    "Call-ID: rich@10.0.0.1" CRLF "CSeq: 5 INVITE" CRLF "Max-Forwards: 70" CRLF
	    "Contact: <sip:b@10.0.0.2>;expires=30" CRLF "Reason: SIP;cause=401" CRLF
	    "Server: s" CRLF "X-CID: leg" CRLF
	    "Proxy-Authorization: Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:h\"" CRLF
	    "Proxy-Authenticate: Digest realm=\"p\", nonce=\"n\", stale=true" CRLF
	    "Content-Type: application/sdp" CRLF "Content-Length: 999" CRLF CRLF
	    "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n"
	    "m=audio 4000 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\na=sendonly\r\n"
	    "m=video 4002 RTP/AVP 96\r\nc=IN IP4 10.0.0.9\r\na=rtpmap:96 H264/90000\r\n";
	struct run r;
	char why[512];
	dissect(&r, rich, sizeof(rich) - 1, false);
	const struct sl_sip *m = r.pkt.sip;
	SL_CHECK(ts, m && m->has_auth && m->has_challenge && m->sdp && m->sdp->n_media == 2 &&
	    m->n_anomalies == 1 && m->expires == 30 && m->max_forwards == 70 && m->xcid.n);
	if (m == NULL || m->sdp == NULL) {
		sl_arena_free(&r.arena);
		return;
	}
	struct sipfilter_side same = r.side;
	SL_CHECK(ts, sipfilter_diff(r.side, same, why, sizeof(why)) == NULL);

	int k = 0;
	for (;; k++) {
		struct sl_sip y = *m;
		struct sl_sdp sdp_copy;
		struct sl_packet pb = r.pkt;
		const char *field = mutate_msg(&y, k, &sdp_copy);
		if (field == NULL)
			break;
		pb.sip = &y;
		struct sipfilter_side b = { r.side.err, &pb };
		const char *d = sipfilter_diff(r.side, b, why, sizeof(why));
		SL_CHECK_MSG(ts, d != NULL && strstr(d, field) != NULL, "change %d: want %s, got %s",
		    k, field, d ? d : "no difference");
	}
	SL_CHECK(ts, k == 49);
	for (k = 0;; k++) {
		struct sl_sdp y = *m->sdp;
		const char *field = mutate_sdp(&y, k);
		if (field == NULL)
			break;
		struct sipfilter_why w = { why, sizeof(why), "sdp" };
		SL_CHECK_MSG(ts, !sipfilter_sdp(&w, m->sdp, &y) && strstr(why, field) != NULL,
		    "sdp change %d: want %s, got %s", k, field, why);
	}
	SL_CHECK(ts, k == 15);

	/* and in the packet: return code, message count, anomalies */
	struct sl_packet pb = r.pkt;
	struct sipfilter_side b = { SL_EMALFORMED, &pb };
	SL_CHECK(ts, sipfilter_diff(r.side, b, why, sizeof(why)) && strstr(why, "return code"));
	b.err = r.side.err;
	pb.n_sip++;
	SL_CHECK(ts, sipfilter_diff(r.side, b, why, sizeof(why)) && strstr(why, "n_sip"));
	pb = r.pkt;
	pb.anomalies_lost++;
	SL_CHECK(ts, sipfilter_diff(r.side, b, why, sizeof(why)) && strstr(why, "anomalies_lost"));
	pb = r.pkt;
	pb.n_anomalies = 0;
	SL_CHECK(ts, sipfilter_diff(r.side, b, why, sizeof(why)) && strstr(why, "anomalies"));
	pb = r.pkt;
	pb.sip = NULL;
	SL_CHECK(ts, sipfilter_diff(r.side, b, why, sizeof(why)) &&
	    strstr(why, "message list length"));
	sl_arena_free(&r.arena);
}

int
main(void)
{
	struct sl_test_state ts = { 0, 0 };
	sl_osip_init();
	test_rows(&ts);
	test_diff_sees(&ts);
	return sl_test_report(&ts, "test_sipfilter");
}
