/* test_sip.c: SIP framing and extraction (dissectors/sip.c): messages
 * from the seed scenario, compact headers, several messages in one
 * datagram, and mostly broken input: bad Content-Length, no Call-ID, bad
 * CSeq, status 9999, messages libosip2 refuses, binary garbage. Each
 * result is rendered to one line listing every field that was found. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dissectors/dissector.h"
#include "dissectors/sip.h"
#include "tests/unit/frames.h"
#include "tests/unit/unit.h"

static SL_TEST_STATE(ts);

#define CRLF "\r\n"
#define SEED_SDP "v=0\r\no=yate 1 1 IN IP4 192.168.1.183\r\ns=SIP Call\r\n" \
	"c=IN IP4 192.168.1.183\r\nt=0 0\r\nm=audio 27824 RTP/AVP 0 101\r\n" \
	"a=rtpmap:101 telephone-event/8000\r\n"		/* 145 bytes */

#define SEED_HDRS(method, cseq) \
	"Via: SIP/2.0/UDP 192.168.1.183:5060;branch=z9hG4bK1542144666;rport" CRLF \
	"From: \"u1\" <sip:u1@192.168.1.50>;tag=1542144666" CRLF \
	"To: <sip:2@192.168.1.50>" CRLF \
	"Call-ID: 2126492930@192.168.1.50" CRLF \
	"CSeq: " cseq " " method CRLF

static const struct {
	const char *text;
	size_t len;		/* 0: strlen */
	enum sl_err err;
	const char *anomalies;	/* packet anomalies, comma-separated, in order */
	const char *want;	/* rendered messages, " || " between them */
} rows[] = {
	/* 1: the seed's first INVITE, with SDP */
	{ "INVITE sip:2@192.168.1.50 SIP/2.0" CRLF SEED_HDRS("INVITE", "20")
	  "Contact: <sip:u1@192.168.1.183:5060>" CRLF "Max-Forwards: 70" CRLF
	  "User-Agent: YATE/2.0.0" CRLF "Content-Type: application/sdp" CRLF
	  "Content-Length: 145" CRLF CRLF SEED_SDP, 0, SL_OK, "",
	  "INVITE(1) ruri=sip:2@192.168.1.50 cid=2126492930@192.168.1.50"
	  " from=sip:u1@192.168.1.50 fu=u1 fd=u1 ftag=1542144666 to=sip:2@192.168.1.50 tu=2"
	  " cseq=20/INVITE(1) via=UDP/192.168.1.183:5060/z9hG4bK1542144666 nvia=1 mf=70"
	  " contact=sip:u1@192.168.1.183:5060 ua=YATE/2.0.0 ct=application/sdp cl=145"
	  " sdp=audio:27824" },
	/* 3: 401 with a challenge, LF-only lines, stale=TRUE */
	{ "SIP/2.0 401 Unauthorized\n"
	  "Via: SIP/2.0/UDP 192.168.1.183:5060;branch=z9hG4bK1\n"
	  "From: <sip:u1@192.168.1.50>;tag=1\nTo: <sip:2@192.168.1.50>;tag=99\n"
	  "Call-ID: 2126492930@192.168.1.50\nCSeq: 20 INVITE\nServer: YATE/2.0.0\n"
	  "WWW-Authenticate: Digest realm=\"yate\", nonce=\"a1b2\", stale=TRUE, algorithm=MD5\n"
	  "Content-Length: 0\n\n", 0, SL_OK, "",
	  "401 Unauthorized (INVITE(1)) cid=2126492930@192.168.1.50 from=sip:u1@192.168.1.50 fu=u1"
	  " ftag=1 to=sip:2@192.168.1.50 tu=2 ttag=99 cseq=20/INVITE(1)"
	  " via=UDP/192.168.1.183:5060/z9hG4bK1 nvia=1 ua=YATE/2.0.0 chal=yate/nonce/stale" },
	/* 5: INVITE again with credentials, Max-Forwards 20 */
	{ "INVITE sip:2@192.168.1.50 SIP/2.0" CRLF SEED_HDRS("INVITE", "21") "Max-Forwards: 20" CRLF
	  "Authorization: Digest username=\"u1\", realm=\"yate\", nonce=\"a1b2\","
	  " uri=\"sip:2@192.168.1.50\", response=\"0123456789abcdef0123456789abcdef\"" CRLF CRLF,
	  0, SL_OK, "",
	  "INVITE(1) ruri=sip:2@192.168.1.50 cid=2126492930@192.168.1.50"
	  " from=sip:u1@192.168.1.50 fu=u1 fd=u1 ftag=1542144666 to=sip:2@192.168.1.50 tu=2"
	  " cseq=21/INVITE(1) via=UDP/192.168.1.183:5060/z9hG4bK1542144666 nvia=1 mf=20"
	  " auth=u1/yate/sip:2@192.168.1.50/nonce" },
	/* proxy challenge and proxy credentials */
	{ "SIP/2.0 407 Proxy Authentication Required" CRLF SEED_HDRS("BYE", "3")
	  "Proxy-Authenticate: Digest realm=\"p\", nonce=\"n\", stale=false" CRLF CRLF, 0, SL_OK, "",
	  "407 Proxy Authentication Required (BYE(3)) cid=2126492930@192.168.1.50"
	  " from=sip:u1@192.168.1.50 fu=u1 fd=u1 ftag=1542144666 to=sip:2@192.168.1.50 tu=2"
	  " cseq=3/BYE(3) via=UDP/192.168.1.183:5060/z9hG4bK1542144666 nvia=1 chal=proxy:p/nonce" },
	{ "BYE sip:2@192.168.1.50:5060 SIP/2.0" CRLF SEED_HDRS("BYE", "4")
	  "Proxy-Authorization: Digest username=\"u1\", realm=\"p\", uri=\"sip:2@192.168.1.50\","
	  " response=\"00\"" CRLF "Reason: SIP;text=\"User hangup\"" CRLF CRLF, 0, SL_OK, "",
	  "BYE(3) ruri=sip:2@192.168.1.50:5060 cid=2126492930@192.168.1.50"
	  " from=sip:u1@192.168.1.50 fu=u1 fd=u1 ftag=1542144666 to=sip:2@192.168.1.50 tu=2"
	  " cseq=4/BYE(3) via=UDP/192.168.1.183:5060/z9hG4bK1542144666 nvia=1"
	  " reason=SIP;text=\"User hangup\" auth=proxy:u1/p/sip:2@192.168.1.50" },
	/* REGISTER: Expires in the Contact parameter, then the header wins */
	{ "REGISTER sip:192.168.1.50 SIP/2.0" CRLF SEED_HDRS("REGISTER", "1")
	  "Contact: <sip:u1@192.168.1.183:5060>;expires=600" CRLF CRLF, 0, SL_OK, "",
	  "REGISTER(5) ruri=sip:192.168.1.50 cid=2126492930@192.168.1.50"
	  " from=sip:u1@192.168.1.50 fu=u1 fd=u1 ftag=1542144666 to=sip:2@192.168.1.50 tu=2"
	  " cseq=1/REGISTER(5) via=UDP/192.168.1.183:5060/z9hG4bK1542144666 nvia=1"
	  " contact=sip:u1@192.168.1.183:5060 exp=600" },
	{ "REGISTER sip:192.168.1.50 SIP/2.0" CRLF SEED_HDRS("REGISTER", "2")
	  "Contact: <sip:u1@192.168.1.183:5060>;expires=600" CRLF "Expires: 0" CRLF CRLF,
	  0, SL_OK, "",
	  "REGISTER(5) ruri=sip:192.168.1.50 cid=2126492930@192.168.1.50"
	  " from=sip:u1@192.168.1.50 fu=u1 fd=u1 ftag=1542144666 to=sip:2@192.168.1.50 tu=2"
	  " cseq=2/REGISTER(5) via=UDP/192.168.1.183:5060/z9hG4bK1542144666 nvia=1"
	  " contact=sip:u1@192.168.1.183:5060 exp=0" },
	/* unregister all: Contact: * */
	{ "REGISTER sip:h SIP/2.0" CRLF "Call-ID: r1" CRLF "CSeq: 3 REGISTER" CRLF "Contact: *" CRLF
	  "Expires: 0" CRLF CRLF, 0, SL_OK, "",
	  "REGISTER(5) ruri=sip:h cid=r1 cseq=3/REGISTER(5) contact=* exp=0" },
	/* compact forms (RFC 3261 7.3.3), several Vias, one of them folded in */
	{ "INVITE sip:bob@b SIP/2.0" CRLF
	  "v: SIP/2.0/UDP a.example:5060;branch=z9hG4bKa, SIP/2.0/TCP p.example;branch=z9hG4bKb" CRLF
	  "v: SIP/2.0/UDP q.example;branch=z9hG4bKc," CRLF "\t SIP/2.0/UDP r.example" CRLF
	  "f: Alice <sip:alice@a>;tag=t1" CRLF "t: <sip:bob@b>" CRLF "i: c0mp4ct@a" CRLF
	  "CSeq: 7 INVITE" CRLF "m: <sip:alice@10.0.0.1>" CRLF "k: timer" CRLF "s: hi" CRLF
	  "c: application/sdp" CRLF "l: 145" CRLF CRLF SEED_SDP, 0, SL_OK, "",
	  "INVITE(1) ruri=sip:bob@b cid=c0mp4ct@a from=sip:alice@a fu=alice fd=Alice ftag=t1"
	  " to=sip:bob@b tu=bob cseq=7/INVITE(1) via=UDP/a.example:5060/z9hG4bKa nvia=4"
	  " contact=sip:alice@10.0.0.1 ct=application/sdp cl=145 sdp=audio:27824" },
	/* IPv6 sent-by, X-Call-ID, Content-Type parameters */
	{ "MESSAGE sip:b@[2001:db8::2] SIP/2.0" CRLF
	  "Via: SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK6" CRLF "Call-ID: six" CRLF
	  "CSeq: 1 MESSAGE" CRLF "X-Call-ID: 2126492930@192.168.1.50" CRLF
	  "Content-Type: text/plain; charset=utf-8" CRLF "Content-Length: 2" CRLF CRLF "hi", 0,
	  SL_OK, "",
	  "MESSAGE(12) ruri=sip:b@[2001:db8::2] cid=six cseq=1/MESSAGE(12)"
	  " via=UDP/[2001:db8::1]:5060/z9hG4bK6 nvia=1 xcid=2126492930@192.168.1.50"
	  " ct=text/plain cl=2" },
	{ "OPTIONS sip:h SIP/2.0" CRLF "Call-ID: x" CRLF "CSeq: 1 OPTIONS" CRLF "X-CID: leg-a" CRLF
	  "Via: SIP/2.0/UDP h" CRLF CRLF, 0, SL_OK, "",
	  "OPTIONS(6) ruri=sip:h cid=x cseq=1/OPTIONS(6) via=UDP/h/ nvia=1 xcid=leg-a" },
	/* two messages in one datagram, split by Content-Length */
	{ "SIP/2.0 100 Trying" CRLF "Call-ID: a" CRLF "CSeq: 1 INVITE" CRLF "Content-Length: 0" CRLF
	  CRLF "SIP/2.0 180 Ringing" CRLF "Call-ID: a" CRLF "CSeq: 1 INVITE" CRLF
	  "Content-Length: 4" CRLF CRLF "abcd", 0, SL_OK, "",
	  "100 Trying (INVITE(1)) cid=a cseq=1/INVITE(1)"
	  " || 180 Ringing (INVITE(1)) cid=a cseq=1/INVITE(1) cl=4" },
	/* CRLF keepalives before and between messages are skipped */
	{ CRLF CRLF "ACK sip:2@h SIP/2.0" CRLF "Call-ID: a" CRLF "CSeq: 1 ACK" CRLF "l: 0" CRLF CRLF
	  CRLF "BYE sip:2@h SIP/2.0" CRLF "Call-ID: a" CRLF "CSeq: 2 BYE" CRLF CRLF, 0, SL_OK, "",
	  "ACK(2) ruri=sip:2@h cid=a cseq=1/ACK(2) || BYE(3) ruri=sip:2@h cid=a cseq=2/BYE(3)" },
	/* no Content-Length: the body runs to the end of the datagram */
	{ "SIP/2.0 200 OK" CRLF "Call-ID: a" CRLF "CSeq: 1 INVITE" CRLF "Content-Type: application/sdp"
	  CRLF CRLF SEED_SDP, 0, SL_OK, "",
	  "200 OK (INVITE(1)) cid=a cseq=1/INVITE(1) ct=application/sdp cl=145 sdp=audio:27824" },
	{ "SIP/2.0 200 OK" CRLF "Call-ID: a" CRLF "CSeq: 1 INVITE" CRLF CRLF
	  "SIP/2.0 200 OK" CRLF "Call-ID: b" CRLF "CSeq: 1 INVITE" CRLF CRLF, 0, SL_OK, "",
	  "200 OK (INVITE(1)) cid=a cseq=1/INVITE(1) cl=46" },
	/* a method we do not name */
	{ "FOO sip:h SIP/2.0" CRLF "Call-ID: x" CRLF "CSeq: 1 FOO" CRLF CRLF, 0, SL_OK, "",
	  "FOO(0) ruri=sip:h cid=x cseq=1/FOO(0)" },

	/* ---- malformed ---- */
	/* Content-Length larger than what is there: take what is there */
	{ "SIP/2.0 200 OK" CRLF "Call-ID: a" CRLF "CSeq: 1 INVITE" CRLF "Content-Type: application/sdp"
	  CRLF "Content-Length: 500" CRLF CRLF SEED_SDP, 0, SL_OK, "sip.content_length",
	  "200 OK (INVITE(1)) cid=a cseq=1/INVITE(1) ct=application/sdp cl=145 sdp=audio:27824"
	  " !sip.content_length" },
	/* not a number, negative, beyond the cap: as if absent */
	{ "SIP/2.0 200 OK" CRLF "Call-ID: a" CRLF "CSeq: 1 INVITE" CRLF "l: abc" CRLF CRLF "xy", 0,
	  SL_OK, "sip.content_length",
	  "200 OK (INVITE(1)) cid=a cseq=1/INVITE(1) cl=2 !sip.content_length" },
	{ "SIP/2.0 200 OK" CRLF "Call-ID: a" CRLF "CSeq: 1 INVITE" CRLF "Content-Length: -1" CRLF CRLF,
	  0, SL_OK, "sip.content_length",
	  "200 OK (INVITE(1)) cid=a cseq=1/INVITE(1) !sip.content_length" },
	{ "SIP/2.0 200 OK" CRLF "Call-ID: a" CRLF "CSeq: 1 INVITE" CRLF
	  "Content-Length: 99999999999999999999" CRLF CRLF "x", 0, SL_OK, "sip.content_length",
	  "200 OK (INVITE(1)) cid=a cseq=1/INVITE(1) cl=1 !sip.content_length" },
	{ "SIP/2.0 200 OK" CRLF "Call-ID: a" CRLF "CSeq: 1 INVITE" CRLF "Content-Length: 65537" CRLF
	  CRLF "x", 0, SL_OK, "sip.content_length",
	  "200 OK (INVITE(1)) cid=a cseq=1/INVITE(1) cl=1 !sip.content_length" },
	/* no Call-ID */
	{ "OPTIONS sip:h SIP/2.0" CRLF "Via: SIP/2.0/UDP h" CRLF "CSeq: 1 OPTIONS" CRLF CRLF, 0, SL_OK,
	  "sip.no_call_id", "OPTIONS(6) ruri=sip:h cseq=1/OPTIONS(6) via=UDP/h/ nvia=1 !sip.no_call_id" },
	{ "OPTIONS sip:h SIP/2.0" CRLF "Call-ID:" CRLF "CSeq: 1 OPTIONS" CRLF CRLF, 0, SL_OK,
	  "sip.no_call_id", "OPTIONS(6) ruri=sip:h cseq=1/OPTIONS(6) !sip.no_call_id" },
	/* bad or missing CSeq */
	{ "OPTIONS sip:h SIP/2.0" CRLF "Call-ID: x" CRLF CRLF, 0, SL_OK, "sip.cseq",
	  "OPTIONS(6) ruri=sip:h cid=x !sip.cseq" },
	{ "OPTIONS sip:h SIP/2.0" CRLF "Call-ID: x" CRLF "CSeq: abc OPTIONS" CRLF CRLF, 0, SL_OK,
	  "sip.cseq", "OPTIONS(6) ruri=sip:h cid=x !sip.cseq" },
	{ "OPTIONS sip:h SIP/2.0" CRLF "Call-ID: x" CRLF "CSeq: 7" CRLF CRLF, 0, SL_OK,
	  "sip.cseq,sip.parse", "OPTIONS(6) ruri=sip:h cid=x !sip.cseq !sip.parse" },
	{ "OPTIONS sip:h SIP/2.0" CRLF "Call-ID: x" CRLF "CSeq: 4294967296 OPTIONS" CRLF CRLF, 0,
	  SL_OK, "sip.cseq", "OPTIONS(6) ruri=sip:h cid=x !sip.cseq" },
	/* status codes outside 100..699 */
	{ "SIP/2.0 9999 Weird" CRLF "Call-ID: x" CRLF "CSeq: 1 OPTIONS" CRLF CRLF, 0, SL_OK,
	  "sip.status", "0 Weird (OPTIONS(6)) cid=x cseq=1/OPTIONS(6) !sip.status" },
	{ "SIP/2.0 099 Low" CRLF "Call-ID: x" CRLF "CSeq: 1 OPTIONS" CRLF CRLF, 0, SL_OK,
	  "sip.status", "0 Low (OPTIONS(6)) cid=x cseq=1/OPTIONS(6) !sip.status" },
	{ "SIP/2.0 700 High" CRLF "Call-ID: x" CRLF "CSeq: 1 OPTIONS" CRLF CRLF, 0, SL_OK,
	  "sip.status", "0 High (OPTIONS(6)) cid=x cseq=1/OPTIONS(6) !sip.status" },
	{ "SIP/2.0 2x0 OK" CRLF "Call-ID: x" CRLF "CSeq: 1 OPTIONS" CRLF CRLF, 0, SL_OK,
	  "sip.status", "0 OK (OPTIONS(6)) cid=x cseq=1/OPTIONS(6) !sip.status" },
	/* libosip2 refuses it: start line, Call-ID, CSeq still found */
	{ "INVITE sip:2@h SIP/2.0" CRLF "From: <<<" CRLF "Call-ID: kept@h" CRLF "CSeq: 5 INVITE" CRLF
	  "Max-Forwards: 69" CRLF CRLF, 0, SL_OK, "sip.parse",
	  "INVITE(1) ruri=sip:2@h cid=kept@h cseq=5/INVITE(1) mf=69 !sip.parse" },
	/* start line without an end, headers without a blank line */
	{ "OPTIONS sip:h SIP/2.0", 0, SL_OK, "sip.truncated,sip.cseq,sip.no_call_id",
	  "OPTIONS(6) ruri=sip:h !sip.truncated !sip.cseq !sip.no_call_id" },
	{ "OPTIONS sip:h SIP/2.0" CRLF "Call-ID: x" CRLF "CSeq: 1 OPTIONS", 0, SL_OK,
	  "sip.no_end_of_headers", "OPTIONS(6) ruri=sip:h cid=x cseq=1/OPTIONS(6) !sip.no_end_of_headers" },
	/* unusable number headers */
	{ "INVITE sip:h SIP/2.0" CRLF "Call-ID: x" CRLF "CSeq: 1 INVITE" CRLF "Max-Forwards: many" CRLF
	  "Expires: -1" CRLF CRLF, 0, SL_OK, "sip.max_forwards,sip.expires",
	  "INVITE(1) ruri=sip:h cid=x cseq=1/INVITE(1) !sip.max_forwards !sip.expires" },
	/* garbage after a complete message */
	{ "BYE sip:h SIP/2.0" CRLF "Call-ID: x" CRLF "CSeq: 2 BYE" CRLF "l: 0" CRLF CRLF "\x80\x00zz",
	  56, SL_OK, "sip.trailing", "BYE(3) ruri=sip:h cid=x cseq=2/BYE(3)" },
	/* a NUL inside a header value stops libosip2, not us */
	{ "BYE sip:h SIP/2.0" CRLF "Call-ID: x\0y" CRLF "CSeq: 2 BYE" CRLF CRLF, 48, SL_OK,
	  "sip.parse", "BYE(3) ruri=sip:h cid=x cseq=2/BYE(3) !sip.parse" },

	/* not SIP at all */
	{ "", 0, SL_ENOTMINE, "", "" },
	{ CRLF CRLF, 0, SL_ENOTMINE, "", "" },
	{ "\x80\x00\x00\x01\x00\x00\x00\xa0\x17\x26\xc9\x4e", 12, SL_ENOTMINE, "", "" },
	{ "\xff\xfe\xfd INVITE sip:x SIP/2.0\r\n\r\n", 0, SL_ENOTMINE, "", "" },
	{ "INVITE sip:x" CRLF CRLF, 0, SL_ENOTMINE, "", "" },
	{ "INVITE sip:x HTTP/1.1" CRLF CRLF, 0, SL_ENOTMINE, "", "" },
	{ "GET / HTTP/1.1" CRLF CRLF, 0, SL_ENOTMINE, "", "" },
	{ "SIP/2.0 OK" CRLF CRLF, 0, SL_ENOTMINE, "", "" },
	{ "SIP/2.0" CRLF CRLF, 0, SL_ENOTMINE, "", "" },
	{ "INVITE  SIP/2.0" CRLF CRLF, 0, SL_ENOTMINE, "", "" },
};

static void
render_msg(struct fr_out *w, const struct sl_sip *m)
{
	if (m->is_request)
		fr_put(w, "%.*s(%d) ruri=%.*s", SL_PRI(m->method), m->method_id, SL_PRI(m->ruri));
	else
		fr_put(w, "%u %.*s (%.*s(%d))", m->status, SL_PRI(m->reason), SL_PRI(m->method),
		    m->method_id);
	fr_field(w, "cid", m->call_id);
	fr_field(w, "from", m->from_uri);
	fr_field(w, "fu", m->from_user);
	fr_field(w, "fd", m->from_display);
	fr_field(w, "ftag", m->from_tag);
	fr_field(w, "to", m->to_uri);
	fr_field(w, "tu", m->to_user);
	fr_field(w, "ttag", m->to_tag);
	if (m->cseq_method.n)
		fr_put(w, " cseq=%u/%.*s(%d)", m->cseq, SL_PRI(m->cseq_method), m->cseq_method_id);
	if (m->n_via)
		fr_put(w, " via=%.*s/%.*s/%.*s nvia=%u", SL_PRI(m->via_transport), SL_PRI(m->via_sent_by),
		    SL_PRI(m->via_branch), m->n_via);
	if (m->max_forwards >= 0)
		fr_put(w, " mf=%d", m->max_forwards);
	fr_field(w, "contact", m->contact);
	if (m->expires >= 0)
		fr_put(w, " exp=%lld", (long long)m->expires);
	fr_field(w, "reason", m->reason_hdr);
	fr_field(w, "ua", m->user_agent);
	fr_field(w, "xcid", m->xcid);
	if (m->has_auth) {
		fr_put(w, " auth=%s%.*s/%.*s/%.*s", m->auth_proxy ? "proxy:" : "", SL_PRI(m->auth_user),
		    SL_PRI(m->auth_realm), SL_PRI(m->auth_uri));
		if (m->auth_nonce)
			fr_put(w, "/nonce");
	}
	if (m->has_challenge)
		fr_put(w, " chal=%s%.*s%s%s", m->chal_proxy ? "proxy:" : "", SL_PRI(m->chal_realm),
		    m->chal_nonce ? "/nonce" : "", m->chal_stale ? "/stale" : "");
	fr_field(w, "ct", m->content_type);
	if (m->body.n)
		fr_put(w, " cl=%u", m->content_length);
	if (m->sdp) {
		fr_put(w, " sdp=");
		for (uint8_t i = 0; i < m->sdp->n_media; i++)
			fr_put(w, "%s%.*s:%u", i ? "," : "", SL_PRI(m->sdp->media[i].type),
			    m->sdp->media[i].port);
	}
	for (uint8_t i = 0; i < m->n_anomalies; i++)
		fr_put(w, " !%s", m->anomalies[i]);
}

static void
test_rows(struct sl_arena *a)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		size_t len = rows[i].len ? rows[i].len : strlen(rows[i].text);
		/* an exact-size copy so ASan sees any read past the datagram */
		uint8_t *buf = malloc(len ? len : 1);
		memcpy(buf, rows[i].text, len);
		struct sl_packet pkt;
		sl_packet_init(&pkt, a);
		enum sl_err err = sl_sip_dissect(&pkt, sl_cur_init(buf, len));
		SL_CHECK_MSG(&ts, err == rows[i].err, "row %zu: err %d", i, err);

		char got[2048] = "", anoms[256] = "";
		struct fr_out w = { got, sizeof(got), 0 };
		unsigned n = 0;
		for (const struct sl_sip *m = pkt.sip; m; m = m->next, n++) {
			if (n)
				fr_put(&w, " || ");
			render_msg(&w, m);
			/* raw spans the message within the datagram */
			SL_CHECK(&ts, (const uint8_t *)m->raw.p >= buf &&
			    (const uint8_t *)m->raw.p + m->raw.n <= buf + len);
		}
		SL_CHECK_MSG(&ts, n == pkt.n_sip, "row %zu: n_sip", i);
		struct fr_out wa = { anoms, sizeof(anoms), 0 };
		for (uint8_t k = 0; k < pkt.n_anomalies; k++)
			fr_put(&wa, "%s%s", k ? "," : "", pkt.anomalies[k]);
		SL_CHECK_MSG(&ts, strcmp(anoms, rows[i].anomalies) == 0, "row %zu: anomalies %s", i, anoms);
		SL_CHECK_MSG(&ts, strcmp(got, rows[i].want) == 0, "row %zu:\n  got  %s\n  want %s", i,
		    got, rows[i].want);
		free(buf);
		sl_arena_reset(a);
	}
}

/* More messages than kept in one datagram */
static void
test_too_many(struct sl_arena *a)
{
	static const char one[] = "ACK sip:h SIP/2.0\r\nCall-ID: x\r\nCSeq: 1 ACK\r\nl: 0\r\n\r\n";
	char buf[sizeof(one) * 20];
	size_t o = 0;
	for (int i = 0; i < 20; i++) {
		memcpy(buf + o, one, sizeof(one) - 1);
		o += sizeof(one) - 1;
	}
	struct sl_packet pkt;
	sl_packet_init(&pkt, a);
	SL_CHECK(&ts, sl_sip_dissect(&pkt, sl_cur_init(buf, o)) == SL_OK);
	SL_CHECK(&ts, pkt.n_sip == 16);
	SL_CHECK(&ts, pkt.n_anomalies == 1 && strcmp(pkt.anomalies[0], "sip.too_many") == 0);
	sl_arena_reset(a);
}

/* Every string we return lives in the datagram or the arena: after the
 * osip message is gone, the fields still read back (ASan would see a
 * dangling pointer). */
static void
test_lifetime(struct sl_arena *a)
{
	static const char msg[] = "SIP/2.0 401 Unauthorized\r\n"
	    "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKq\r\nFrom: \"A\" <sip:a@h>;tag=1\r\n"
	    "To: <sip:b@h>;tag=2\r\nCall-ID: lt@h\r\nCSeq: 1 REGISTER\r\n"
	    "WWW-Authenticate: Digest realm=\"r\", nonce=\"n\"\r\n\r\n";
	struct sl_packet pkt;
	sl_packet_init(&pkt, a);
	SL_CHECK(&ts, sl_sip_dissect(&pkt, sl_cur_init(msg, sizeof(msg) - 1)) == SL_OK);
	const struct sl_sip *m = pkt.sip;
	SL_CHECK(&ts, m && sl_str_eq(m->call_id, SL_STR("lt@h")));
	SL_CHECK(&ts, m && sl_str_eq(m->from_display, SL_STR("A")) && sl_str_eq(m->to_tag, SL_STR("2")));
	SL_CHECK(&ts, m && sl_str_eq(m->chal_realm, SL_STR("r")) && m->chal_nonce && !m->chal_stale);
	SL_CHECK(&ts, m && sl_str_eq(m->via_branch, SL_STR("z9hG4bKq")));
	/* the arena is per packet: a cap that is too small loses messages,
	 * never memory safety */
	struct sl_arena tiny;
	sl_arena_init(&tiny, 64, 64);
	sl_packet_init(&pkt, &tiny);
	enum sl_err err = sl_sip_dissect(&pkt, sl_cur_init(msg, sizeof(msg) - 1));
	SL_CHECK(&ts, err == SL_ENOMEM && pkt.n_sip == 0);
	sl_arena_free(&tiny);
	sl_arena_reset(a);
}

static void
test_looks_like(void)
{
	static const struct {
		const char *s;
		bool sip;
	} probes[] = {
		{ "INVITE sip:2@192.168.1.50 SIP/2.0\r\n", true },
		{ "ACK sip:x SIP/2.0\n", true },
		{ "REGISTER sip:x sip/2.0\r\n", true },
		{ "SIP/2.0 200 OK\r\n", true },
		{ "SIP/2.0 9", true },
		{ "sip/2.0 180 Ringing\r\n", true },
		{ "\r\n\r\nBYE sip:x SIP/2.0\r\n", true },
		{ "X-CUSTOM.METHOD sip:x SIP/2.0", true },
		{ "INVITE sip:x SIP/2.0x\r\n", false },
		{ "INVITE sip:x SIP/3.0\r\n", false },
		{ "INVITE sip:xSIP/2.0\r\n", false },
		{ "INVITE\r\n", false },
		{ " INVITE sip:x SIP/2.0\r\n", false },
		{ "IN(VITE sip:x SIP/2.0\r\n", false },
		{ "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJ sip:x SIP/2.0\r\n", false },
		{ "SIP/2.0 ", false },
		{ "SIP/2.0  200 OK", false },
		{ "SIP/2.0\t200 OK", false },
		{ "SIP/2.1 200 OK", false },
		{ "HTTP/1.1 200 OK\r\n", false },
		{ "\r\n", false },
		{ "", false },
	};
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
		SL_CHECK_MSG(&ts, sl_sip_looks_like((const uint8_t *)probes[i].s, strlen(probes[i].s)) ==
		    probes[i].sip, "probe %zu: %s", i, probes[i].s);
	SL_CHECK(&ts, !sl_sip_looks_like((const uint8_t *)"\x80\xc8", 2));
	/* a start line cut before its end is still judged on what is there */
	SL_CHECK(&ts, sl_sip_looks_like((const uint8_t *)"OPTIONS sip:x SIP/2.0\r\nVia", 21));
}

static void
test_names(void)
{
	static const struct {
		const char *m;
		enum sl_sip_method id;
	} methods[] = {
		{ "INVITE", SL_SIP_METHOD_INVITE }, { "ACK", SL_SIP_METHOD_ACK },
		{ "BYE", SL_SIP_METHOD_BYE }, { "CANCEL", SL_SIP_METHOD_CANCEL },
		{ "REGISTER", SL_SIP_METHOD_REGISTER }, { "OPTIONS", SL_SIP_METHOD_OPTIONS },
		{ "INFO", SL_SIP_METHOD_INFO }, { "UPDATE", SL_SIP_METHOD_UPDATE },
		{ "PRACK", SL_SIP_METHOD_PRACK }, { "SUBSCRIBE", SL_SIP_METHOD_SUBSCRIBE },
		{ "NOTIFY", SL_SIP_METHOD_NOTIFY }, { "MESSAGE", SL_SIP_METHOD_MESSAGE },
		{ "REFER", SL_SIP_METHOD_REFER }, { "PUBLISH", SL_SIP_METHOD_PUBLISH },
		{ "invite", SL_SIP_METHOD_OTHER }, { "INVITES", SL_SIP_METHOD_OTHER },
		{ "", SL_SIP_METHOD_OTHER },
	};
	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		SL_CHECK_MSG(&ts, sl_sip_method_id(sl_str_c(methods[i].m)) == methods[i].id, "method %s",
		    methods[i].m);
	SL_CHECK(&ts, strcmp(sl_sip_status_text(100), "Trying") == 0);
	SL_CHECK(&ts, strcmp(sl_sip_status_text(401), "Unauthorized") == 0);
	SL_CHECK(&ts, strcmp(sl_sip_status_text(407), "Proxy Authentication Required") == 0);
	SL_CHECK(&ts, strcmp(sl_sip_status_text(481), "Call/Transaction Does Not Exist") == 0);
	SL_CHECK(&ts, strcmp(sl_sip_status_text(603), "Decline") == 0);
	SL_CHECK(&ts, strcmp(sl_sip_status_text(299), "") == 0);
	SL_CHECK(&ts, strcmp(sl_sip_status_text(9999), "") == 0);
	SL_CHECK(&ts, strcmp(sl_dissector_sip.name, "sip") == 0 && sl_dissector_sip.app == SL_APP_SIP);

	struct sl_packet pkt;
	struct sl_sip m = { 0 };
	sl_packet_init(&pkt, NULL);
	sl_sip_anomaly(&pkt, &m, "sip.a");
	sl_sip_anomaly(&pkt, &m, "sip.a");
	sl_sip_anomaly(&pkt, &m, "sip.b");
	sl_sip_anomaly(&pkt, &m, "sip.c");
	sl_sip_anomaly(&pkt, &m, "sip.d");
	sl_sip_anomaly(&pkt, &m, "sip.e");
	sl_sip_anomaly(&pkt, NULL, "sip.f");
	SL_CHECK(&ts, m.n_anomalies == 4 && pkt.n_anomalies == 4 && pkt.anomalies_lost == 2);
}

int
main(void)
{
	sl_osip_init();
	struct sl_arena a;
	sl_arena_init(&a, 4096, 0);
	test_rows(&a);
	test_too_many(&a);
	test_lifetime(&a);
	test_looks_like();
	test_names();
	sl_arena_free(&a);
	return sl_test_report(&ts, "test_sip");
}
