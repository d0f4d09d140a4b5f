/* test_sip_msg.c: message layer and dialogs: build -> serialize -> parse
 * round trips, RFC 3261 8.2.6 response copying, ACK (17.1.1.3) and CANCEL
 * (9.1) construction, in-dialog BYE/ACK, and a table of malformed
 * datagrams that must be refused without a crash (run under ASan). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sip/dialog.h"
#include "sip/msg.h"
#include "tests/unit/unit.h"

static SL_TEST_STATE(ts);

static osip_message_t *
reparse(osip_message_t *m)
{
	struct sl_buf b;
	char err[SL_ERRBUF_SIZE];
	osip_message_t *p = NULL;

	sl_buf_init(&b, SL_MSG_MAX_LEN);
	SL_CHECK(&ts, sl_msg_serialize(m, &b) == SL_OK);
	SL_CHECK_MSG(&ts, sl_msg_parse(b.p, b.len, &p, err) == SL_OK, "%s\n%s", err, b.p);
	sl_buf_free(&b);
	return p;
}

static bool
is(struct sl_str s, const char *want)
{
	return sl_str_eq(s, sl_str_c(want));
}

static osip_message_t *
seed_invite(struct sl_ids *ids)
{
	static const char sdp[] = "v=0\r\no=- 1 1 IN IP4 127.0.0.183\r\ns=-\r\n"
	    "c=IN IP4 127.0.0.183\r\nt=0 0\r\nm=audio 27824 RTP/AVP 0 8\r\n";
	struct sl_msg_req r = {
		.method = "INVITE",
		.ruri = "sip:2@127.0.0.50",
		.from = { "\"u1\" <sip:u1@127.0.0.50>", NULL },
		.to = { "sip:2@127.0.0.50", NULL },
		.cseq = 20,
		.via_host = "127.0.0.183",
		.via_port = 5060,
		.max_forwards = -1,
		.contact = "sip:u1@127.0.0.183:5060",
		.user_agent = "sipladder-phone",
		.expires = -1,
		.content_type = "application/sdp",
		.body = sdp,
		.body_len = sizeof(sdp) - 1,
	};
	osip_message_t *m = NULL;

	SL_CHECK(&ts, sl_msg_request(&r, ids, &m) == SL_OK);
	return m;
}

static void
test_request_round_trip(void)
{
	struct sl_ids ids;
	char cid[SL_MSG_CALLID_MAX], uri[SL_MSG_URI_MAX], ct[64];
	uint32_t cseq, exp;
	struct sl_str method, host, body;
	uint16_t port;
	bool star;

	sl_ids_seed(&ids, 42);
	osip_message_t *m = seed_invite(&ids);
	osip_message_t *p = reparse(m);
	if (p == NULL)
		return;
	SL_CHECK(&ts, sl_msg_is_request(p) && sl_msg_is(p, "INVITE"));
	SL_CHECK(&ts, is(sl_msg_method(p), "INVITE"));
	SL_CHECK(&ts, sl_msg_status(p) == 0);
	SL_CHECK(&ts, sl_msg_call_id(p, cid) && strstr(cid, "@127.0.0.183") != NULL);
	SL_CHECK(&ts, sl_msg_from_tag(p).n > 0 && sl_msg_to_tag(p).n == 0);
	SL_CHECK(&ts, is(sl_msg_from_user(p), "u1") && is(sl_msg_to_user(p), "2"));
	SL_CHECK(&ts, is(sl_msg_from_display(p), "\"u1\""));
	SL_CHECK(&ts, is(sl_msg_ruri_user(p), "2") && is(sl_msg_ruri_host(p), "127.0.0.50"));
	SL_CHECK(&ts, sl_msg_cseq(p, &cseq, &method) && cseq == 20 && is(method, "INVITE"));
	SL_CHECK(&ts, sl_str_istarts(sl_msg_branch(p), SL_STR("z9hG4bK")));
	SL_CHECK(&ts, sl_msg_sent_by(p, &host, &port) && is(host, "127.0.0.183") && port == 5060);
	SL_CHECK(&ts, sl_msg_max_forwards(p) == 70);
	SL_CHECK(&ts, !sl_msg_expires(p, &exp));
	SL_CHECK(&ts, sl_msg_contact(p, uri, &star, &exp) &&
	    strcmp(uri, "sip:u1@127.0.0.183:5060") == 0 && !star && exp == UINT32_MAX);
	SL_CHECK(&ts, sl_msg_ruri(p, uri) && strcmp(uri, "sip:2@127.0.0.50") == 0);
	SL_CHECK(&ts, is(sl_msg_header(p, "user-agent"), "sipladder-phone"));
	SL_CHECK(&ts, sl_msg_body(p, &body, ct, sizeof(ct)) && strcmp(ct, "application/sdp") == 0 &&
	    sl_str_istarts(body, SL_STR("v=0\r\n")) && body.n == 94);

	/* the resend after a 401: new branch, CSeq + 1, credentials */
	struct sl_str old_branch = sl_msg_branch(m);
	char ob[64];
	snprintf(ob, sizeof(ob), "%.*s", SL_PRI(old_branch));
	SL_CHECK(&ts, sl_msg_set_branch(m, "z9hG4bKsecond") == SL_OK);
	SL_CHECK(&ts, sl_msg_set_cseq(m, 21) == SL_OK);
	SL_CHECK(&ts, sl_msg_add_header(m, "Authorization", "Digest username=\"u1\", "
	    "realm=\"Yate\", nonce=\"n.1\", uri=\"sip:2@127.0.0.50\", "
	    "response=\"0123456789abcdef0123456789abcdef\", algorithm=MD5") == SL_OK);
	osip_message_t *q = reparse(m);
	struct sl_digest_params d;
	if (q) {
		SL_CHECK(&ts, is(sl_msg_branch(q), "z9hG4bKsecond"));
		SL_CHECK(&ts, sl_msg_cseq(q, &cseq, &method) && cseq == 21);
		SL_CHECK(&ts, sl_msg_auth(q, SL_MSG_AUTHORIZATION, &d) && is(d.username, "u1") &&
		    is(d.realm, "Yate") && is(d.nonce, "n.1") && is(d.uri, "sip:2@127.0.0.50"));
		SL_CHECK(&ts, !sl_msg_auth(q, SL_MSG_PROXY_AUTHORIZATION, &d));
	}
	sl_msg_clear_auth(m);
	osip_message_t *r = reparse(m);
	if (r)
		SL_CHECK(&ts, !sl_msg_auth(r, SL_MSG_AUTHORIZATION, &d));
	sl_msg_free(q);
	sl_msg_free(r);
	sl_msg_free(p);
	sl_msg_free(m);
}

static void
test_register(void)
{
	struct sl_ids ids;
	uint32_t exp;
	struct sl_msg_req r = {
		.method = "REGISTER",
		.ruri = "sip:127.0.0.50",
		.from = { "sip:u1@127.0.0.50", "7" },
		.to = { "sip:u1@127.0.0.50", NULL },
		.call_id = "reg-1@127.0.0.183",
		.cseq = 1,
		.via_host = "::1",
		.via_port = 5062,
		.branch = "z9hG4bKfixed",
		.max_forwards = 70,
		.contact = "<sip:u1@127.0.0.183:5060>;expires=600",
		.expires = 0,
	};
	osip_message_t *m = NULL;
	char cid[SL_MSG_CALLID_MAX];
	struct sl_str host;
	uint16_t port;

	sl_ids_seed(&ids, 1);
	SL_CHECK(&ts, sl_msg_request(&r, NULL, &m) == SL_OK);
	osip_message_t *p = m ? reparse(m) : NULL;
	if (p) {
		SL_CHECK(&ts, sl_msg_expires(p, &exp) && exp == 0);
		SL_CHECK(&ts, sl_msg_call_id(p, cid) && strcmp(cid, "reg-1@127.0.0.183") == 0);
		SL_CHECK(&ts, is(sl_msg_from_tag(p), "7"));
		SL_CHECK(&ts, is(sl_msg_branch(p), "z9hG4bKfixed"));
		SL_CHECK(&ts, sl_msg_sent_by(p, &host, &port) && port == 5062);
		char uri[SL_MSG_URI_MAX];
		bool star;
		SL_CHECK(&ts, sl_msg_contact(p, uri, &star, &exp) && exp == 600);
	}
	sl_msg_free(p);
	sl_msg_free(m);

	/* arguments that would break the message are refused */
	struct sl_msg_req bad = r;
	bad.call_id = "x\r\nVia: evil";
	SL_CHECK(&ts, sl_msg_request(&bad, &ids, &m) == SL_EUSAGE && m == NULL);
	bad = r;
	bad.method = "REG ISTER";
	SL_CHECK(&ts, sl_msg_request(&bad, &ids, &m) == SL_EUSAGE);
	bad = r;
	bad.ruri = NULL;
	SL_CHECK(&ts, sl_msg_request(&bad, &ids, &m) == SL_EUSAGE);
	bad = r;
	bad.branch = NULL;
	SL_CHECK(&ts, sl_msg_request(&bad, NULL, &m) == SL_EUSAGE);
	bad = r;
	bad.ruri = "not a uri";
	SL_CHECK(&ts, sl_msg_request(&bad, &ids, &m) != SL_OK && m == NULL);
	bad = r;
	bad.body = "x";
	bad.body_len = 1;
	SL_CHECK(&ts, sl_msg_request(&bad, &ids, &m) == SL_EUSAGE);
}

/* RFC 3261 8.2.6.2 */
static void
test_response(void)
{
	static const char req[] =
	    "INVITE sip:2@192.168.1.50 SIP/2.0\r\n"
	    "Via: SIP/2.0/UDP 192.168.1.50:5060;branch=z9hG4bKproxy\r\n"
	    "Via: SIP/2.0/UDP 192.168.1.183:5060;branch=z9hG4bKa;rport\r\n"
	    "Record-Route: <sip:192.168.1.50;lr>\r\n"
	    "From: <sip:u1@192.168.1.50>;tag=1542144666\r\n"
	    "To: <sip:2@192.168.1.50>\r\n"
	    "Call-ID: 2126492930@192.168.1.50\r\n"
	    "CSeq: 20 INVITE\r\n"
	    "Contact: <sip:u1@192.168.1.183:5060>\r\n"
	    "Max-Forwards: 20\r\n"
	    "Content-Length: 0\r\n\r\n";
	static const struct {
		int status;
		const char *tag;
		enum sl_err want;
		const char *want_tag;
		int rr;
	} rows[] = {
		{ 100, NULL, SL_OK, "", 1 },
		{ 180, "99", SL_OK, "99", 1 },
		{ 200, "99", SL_OK, "99", 1 },
		{ 401, "99", SL_OK, "99", 0 },
		{ 486, NULL, SL_EUSAGE, NULL, 0 },
		{ 99, "1", SL_EUSAGE, NULL, 0 },
		{ 700, "1", SL_EUSAGE, NULL, 0 },
	};
	char err[SL_ERRBUF_SIZE];
	osip_message_t *inv = NULL;

	SL_CHECK(&ts, sl_msg_parse(req, sizeof(req) - 1, &inv, err) == SL_OK);
	if (inv == NULL)
		return;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		osip_message_t *r = NULL;
		enum sl_err e = sl_msg_response(inv, rows[i].status, NULL, rows[i].tag, &r);
		SL_CHECK_MSG(&ts, e == rows[i].want, "row %zu: %d", i, e);
		if (e)
			continue;
		osip_message_t *p = reparse(r);
		if (p) {
			char cid[SL_MSG_CALLID_MAX];
			uint32_t cseq;
			struct sl_str m;
			SL_CHECK(&ts, sl_msg_status(p) == rows[i].status);
			SL_CHECK(&ts, sl_msg_via_count(p) == 2);
			SL_CHECK(&ts, is(sl_msg_branch(p), "z9hG4bKproxy"));
			SL_CHECK(&ts, is(sl_msg_from_tag(p), "1542144666"));
			SL_CHECK_MSG(&ts, is(sl_msg_to_tag(p), rows[i].want_tag), "row %zu", i);
			SL_CHECK(&ts, sl_msg_call_id(p, cid) &&
			    strcmp(cid, "2126492930@192.168.1.50") == 0);
			SL_CHECK(&ts, sl_msg_cseq(p, &cseq, &m) && cseq == 20 && is(m, "INVITE"));
			SL_CHECK(&ts, is(sl_msg_method(p), "INVITE"));
			SL_CHECK_MSG(&ts, osip_list_size(&p->record_routes) == rows[i].rr, "row %zu", i);
			SL_CHECK(&ts, sl_msg_reason(p).n > 0);
		}
		sl_msg_free(p);
		sl_msg_free(r);
	}

	/* phrases come from the table the analyzer shares (core/sipstatus) */
	SL_CHECK(&ts, strcmp(sl_msg_reason_phrase(401), "Unauthorized") == 0);
	SL_CHECK(&ts, strcmp(sl_msg_reason_phrase(422), "Session Interval Too Small") == 0);
	SL_CHECK(&ts, strcmp(sl_msg_reason_phrase(580), "Precondition Failure") == 0);
	SL_CHECK(&ts, strcmp(sl_msg_reason_phrase(299), "Unknown") == 0);

	/* a To tag already present is kept, not replaced */
	osip_message_t *r = NULL, *r2 = NULL;
	SL_CHECK(&ts, sl_msg_response(inv, 180, "Ringing", "55", &r) == SL_OK);
	SL_CHECK(&ts, sl_msg_clone(r, &r2) == SL_OK);
	sl_msg_free(r);
	r = NULL;
	/* headers added to a response, read back after a round trip */
	SL_CHECK(&ts, sl_msg_response(inv, 401, NULL, "55", &r) == SL_OK);
	SL_CHECK(&ts, sl_msg_add_header(r, "WWW-Authenticate",
	    "Digest realm=\"Yate\", domain=\"192.168.1.50\", nonce=\"abc.1\", "
	    "stale=FALSE, algorithm=MD5") == SL_OK);
	SL_CHECK(&ts, sl_msg_add_header(r, "Server", "sipladder-server") == SL_OK);
	SL_CHECK(&ts, sl_msg_add_header(r, "Via", "SIP/2.0/UDP x") == SL_EUSAGE);
	SL_CHECK(&ts, sl_msg_add_header(r, "X-A", "a\r\nb") == SL_EUSAGE);
	osip_message_t *p = reparse(r);
	struct sl_digest_params d;
	if (p) {
		SL_CHECK(&ts, sl_msg_auth(p, SL_MSG_WWW_AUTHENTICATE, &d) && is(d.realm, "Yate") &&
		    is(d.nonce, "abc.1") && is(d.stale, "FALSE") && is(d.domain, "192.168.1.50") &&
		    is(d.algorithm, "MD5"));
		SL_CHECK(&ts, is(sl_msg_header(p, "server"), "sipladder-server"));
	}
	sl_msg_free(p);

	/* ACK for the 401 (17.1.1.3) */
	osip_message_t *ack = NULL;
	SL_CHECK(&ts, sl_msg_ack_non2xx(inv, r, &ack) == SL_OK);
	p = ack ? reparse(ack) : NULL;
	if (p) {
		uint32_t cseq;
		struct sl_str m;
		char uri[SL_MSG_URI_MAX];
		SL_CHECK(&ts, sl_msg_is(p, "ACK"));
		SL_CHECK(&ts, sl_msg_ruri(p, uri) && strcmp(uri, "sip:2@192.168.1.50") == 0);
		SL_CHECK(&ts, sl_msg_via_count(p) == 1 && is(sl_msg_branch(p), "z9hG4bKproxy"));
		SL_CHECK(&ts, sl_msg_cseq(p, &cseq, &m) && cseq == 20 && is(m, "ACK"));
		SL_CHECK(&ts, is(sl_msg_to_tag(p), "55") && is(sl_msg_from_tag(p), "1542144666"));
		SL_CHECK(&ts, osip_list_size(&p->contacts) == 0);
	}
	sl_msg_free(p);
	sl_msg_free(ack);
	SL_CHECK(&ts, sl_msg_ack_non2xx(inv, r2, &ack) == SL_EUSAGE);	/* 180 */

	/* CANCEL (9.1) */
	osip_message_t *c = NULL;
	SL_CHECK(&ts, sl_msg_cancel(inv, &c) == SL_OK);
	p = c ? reparse(c) : NULL;
	if (p) {
		uint32_t cseq;
		struct sl_str m;
		SL_CHECK(&ts, sl_msg_is(p, "CANCEL"));
		SL_CHECK(&ts, sl_msg_via_count(p) == 1 && is(sl_msg_branch(p), "z9hG4bKproxy"));
		SL_CHECK(&ts, sl_msg_cseq(p, &cseq, &m) && cseq == 20 && is(m, "CANCEL"));
		SL_CHECK(&ts, sl_msg_to_tag(p).n == 0);
	}
	sl_msg_free(p);
	sl_msg_free(c);
	sl_msg_free(r);
	sl_msg_free(r2);

	/* responses cannot be answered */
	SL_CHECK(&ts, sl_msg_response(inv, 200, NULL, "1", &r) == SL_OK);
	SL_CHECK(&ts, sl_msg_response(r, 200, NULL, "1", &r2) == SL_EUSAGE);
	sl_msg_free(r);
	sl_msg_free(inv);
}

static void
test_dialog(void)
{
	struct sl_ids ids;
	struct sl_dialog uac, uas;
	struct sl_msg_local me_uac = { "127.0.0.183", 5060, "sip:u1@127.0.0.183:5060", "ua" };
	struct sl_msg_local me_uas = { "127.0.0.101", 5060, "sip:u2@127.0.0.101:5060", NULL };

	sl_ids_seed(&ids, 7);
	osip_message_t *inv = seed_invite(&ids);
	osip_message_t *ok = NULL, *okc = NULL;
	SL_CHECK(&ts, sl_msg_response(inv, 200, NULL, "callee-tag", &ok) == SL_OK);
	SL_CHECK(&ts, sl_msg_set_contact(ok, "sip:u2@127.0.0.101:5060") == SL_OK);
	okc = reparse(ok);
	if (okc == NULL)
		return;
	SL_CHECK(&ts, sl_dialog_from_uac(&uac, inv, okc) == SL_OK);
	SL_CHECK(&ts, strcmp(uac.remote_tag, "callee-tag") == 0);
	SL_CHECK(&ts, strcmp(uac.remote_target, "sip:u2@127.0.0.101:5060") == 0);
	SL_CHECK(&ts, uac.invite_cseq == 20 && uac.local_cseq == 20);
	SL_CHECK(&ts, sl_dialog_from_uas(&uas, inv, "callee-tag") == SL_OK);
	SL_CHECK(&ts, strcmp(uas.remote_target, "sip:u1@127.0.0.183:5060") == 0);

	/* ACK for 2xx: new branch, CSeq of the INVITE, in the dialog */
	osip_message_t *ack = NULL;
	SL_CHECK(&ts, sl_dialog_ack(&uac, &me_uac, &ids, &ack) == SL_OK);
	osip_message_t *p = ack ? reparse(ack) : NULL;
	if (p) {
		uint32_t cseq;
		struct sl_str m;
		char uri[SL_MSG_URI_MAX];
		SL_CHECK(&ts, sl_msg_is(p, "ACK"));
		SL_CHECK(&ts, sl_msg_cseq(p, &cseq, &m) && cseq == 20 && is(m, "ACK"));
		SL_CHECK(&ts, !sl_str_eq(sl_msg_branch(p), sl_msg_branch(inv)));
		SL_CHECK(&ts, sl_msg_ruri(p, uri) && strcmp(uri, "sip:u2@127.0.0.101:5060") == 0);
		SL_CHECK(&ts, sl_dialog_matches(&uas, p));
		SL_CHECK(&ts, !sl_dialog_matches(&uac, p));
	}
	sl_msg_free(p);
	sl_msg_free(ack);

	/* BYE from either side: CSeq grows, tags swap */
	osip_message_t *bye = NULL;
	SL_CHECK(&ts, sl_dialog_request(&uac, "BYE", &me_uac, &ids, &bye) == SL_OK);
	p = bye ? reparse(bye) : NULL;
	if (p) {
		uint32_t cseq;
		struct sl_str m;
		SL_CHECK(&ts, sl_msg_cseq(p, &cseq, &m) && cseq == 21 && is(m, "BYE"));
		SL_CHECK(&ts, is(sl_msg_to_tag(p), "callee-tag"));
		SL_CHECK(&ts, sl_dialog_matches(&uas, p));
	}
	sl_msg_free(p);
	sl_msg_free(bye);
	SL_CHECK(&ts, sl_dialog_request(&uas, "BYE", &me_uas, &ids, &bye) == SL_OK);
	p = bye ? reparse(bye) : NULL;
	if (p) {
		uint32_t cseq;
		struct sl_str m;
		SL_CHECK(&ts, sl_msg_cseq(p, &cseq, &m) && cseq == 1);
		SL_CHECK(&ts, is(sl_msg_from_tag(p), "callee-tag"));
		SL_CHECK(&ts, sl_dialog_matches(&uac, p));
	}
	sl_msg_free(p);
	sl_msg_free(bye);
	SL_CHECK(&ts, sl_dialog_request(&uac, "ACK", &me_uac, &ids, &bye) == SL_EUSAGE);
	sl_msg_free(ok);
	sl_msg_free(okc);
	sl_msg_free(inv);
}

/* Most rows are broken; every one must come back SL_EMALFORMED (or OK
 * for the few valid ones) and never crash or leak. */
static void
test_malformed(void)
{
	static const struct {
		const char *in;
		enum sl_err want;
	} rows[] = {
		{ "", SL_EMALFORMED },
		{ "\r\n\r\n", SL_EMALFORMED },
		{ "\x16\x03\x01\x00", SL_EMALFORMED },
		{ "INVITE", SL_EMALFORMED },
		{ "INVITE sip:a@b SIP/2.0\r\n\r\n", SL_EMALFORMED },
		{ "INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
		  "From: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: x\r\n"
		  "CSeq: 1 INVITE\r\n\r\n", SL_OK },
		{ "INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
		  "From: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: x\r\n"
		  "CSeq: 1 BYE\r\n\r\n", SL_EMALFORMED },
		{ "INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
		  "From: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: x\r\n"
		  "CSeq: x INVITE\r\n\r\n", SL_EMALFORMED },
		{ "INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
		  "From: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: x\r\n"
		  "CSeq: 1 INVITE\r\nContent-Length: 100\r\n\r\nv=0\r\n", SL_EMALFORMED },
		{ "INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
		  "From: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: x\r\n"
		  "CSeq: 1 INVITE\r\nContent-Length: 99999999999\r\n\r\n", SL_EMALFORMED },
		{ "INVITE sip:a@b SIP/2.0\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\n"
		  "Call-ID: x\r\nCSeq: 1 INVITE\r\n\r\n", SL_EMALFORMED },
		{ "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
		  "From: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: x\r\n"
		  "CSeq: 1 INVITE\r\n\r\n", SL_OK },
		{ "SIP/2.0 2000 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
		  "From: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: x\r\n"
		  "CSeq: 1 INVITE\r\n\r\n", SL_EMALFORMED },
		{ "SIP/2.0 99 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
		  "From: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: x\r\n"
		  "CSeq: 1 INVITE\r\n\r\n", SL_EMALFORMED },
		{ "INVITE sip:a@b SIP/2.0\r\nVia: \r\nFrom: \r\nTo: \r\nCall-ID: \r\n"
		  "CSeq: \r\n\r\n", SL_EMALFORMED },
		{ "INVITE <<<>>> SIP/2.0\r\n\r\n", SL_EMALFORMED },
		{ "INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h:99999;branch=z9hG4bK1\r\n"
		  "From: \"\\\"\" <sip:a@b>;tag=1\r\nTo: <sip:a@b\r\nCall-ID: x\r\n"
		  "CSeq: 1 INVITE\r\n\r\n", SL_EMALFORMED },
		{ "A\r\n", SL_EMALFORMED },
		{ "INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
		  "From: <sip:a@b>;tag=1\r\nTo: <sip:a@b>\r\nCall-ID: x\r\n"
		  "CSeq: 1 INVITE\r\nWWW-Authenticate: Digest realm=\"\r\n"
		  "Authorization: Digest ,,,,=\r\nContact: *\r\n\r\n", SL_OK },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char err[SL_ERRBUF_SIZE] = "";
		osip_message_t *m = NULL;
		/* exact-size heap copy so ASan sees any read past the end */
		size_t n = strlen(rows[i].in);
		char *copy = malloc(n ? n : 1);
		memcpy(copy, rows[i].in, n);
		enum sl_err e = sl_msg_parse(copy, n, &m, err);
		SL_CHECK_MSG(&ts, e == rows[i].want, "row %zu: %d (%s)", i, e, err);
		SL_CHECK(&ts, (e == SL_OK) == (m != NULL));
		if (m) {
			/* every accessor on whatever osip made of it */
			char buf[SL_MSG_URI_MAX];
			struct sl_digest_params d;
			struct sl_str s;
			uint32_t u;
			uint16_t port;
			bool star;
			sl_msg_call_id(m, buf);
			sl_msg_contact(m, buf, &star, &u);
			sl_msg_ruri(m, buf);
			sl_msg_auth(m, SL_MSG_WWW_AUTHENTICATE, &d);
			sl_msg_auth(m, SL_MSG_AUTHORIZATION, &d);
			sl_msg_sent_by(m, &s, &port);
			sl_msg_body(m, &s, buf, sizeof(buf));
			sl_msg_max_forwards(m);
			sl_msg_expires(m, &u);
		}
		sl_msg_free(m);
		free(copy);
	}
	/* NUL inside, oversize */
	char err[SL_ERRBUF_SIZE];
	osip_message_t *m = NULL;
	static const char nul[] = "INVITE sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h\0x\r\n\r\n";
	SL_CHECK(&ts, sl_msg_parse(nul, sizeof(nul) - 1, &m, err) == SL_EMALFORMED);
	SL_CHECK(&ts, sl_msg_parse("INVITE", SL_MSG_MAX_LEN + 1, &m, err) == SL_EMALFORMED);
}

int
main(void)
{
	sl_osip_init();
	test_request_round_trip();
	test_register();
	test_response();
	test_dialog();
	test_malformed();
	return sl_test_report(&ts, "sip.msg");
}
