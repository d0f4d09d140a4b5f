/* test_sip_headers.c: header syntax the SIP dissector (dissectors/sip.c)
 * must read as RFC 3261 7.3 defines it, for every header it reads: folded
 * lines (7.3.1), compact forms (7.3.3), names in any case (7.3.1), several
 * values on one line and the same header on several lines (7.3.1: the
 * top Via is the first value of the first Via). Each row is a message and
 * its plain equivalent (one line per header, long names, canonical case);
 * both are dissected and must agree on every field the dissector exposes
 * (tests/fuzz/sipfilter_diff.h, the raw text aside), and the row's message
 * must also render to the fields the row names, so a row where both sides
 * are equally wrong fails too. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/sipfilter_diff.h"
#include "dissectors/dissector.h"
#include "dissectors/sip.h"
#include "tests/unit/frames.h"
#include "tests/unit/unit.h"

static SL_TEST_STATE(ts);

#define CRLF "\r\n"
#define RL "INVITE sip:b@10.0.0.2 SIP/2.0" CRLF
#define BYE "BYE sip:b@10.0.0.2 SIP/2.0" CRLF
#define VIA "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKh1" CRLF
#define FROM "From: \"A\" <sip:a@10.0.0.1>;tag=fa" CRLF
#define TO "To: <sip:b@10.0.0.2>;tag=tb" CRLF
#define CID "Call-ID: hdr@10.0.0.1" CRLF
#define CSEQ "CSeq: 1 INVITE" CRLF
/* the plain message's headers but CSeq */
#define BASE VIA FROM TO CID
#define SDP "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n" \
	"m=audio 4000 RTP/AVP 0 8\r\n"	/* 83 bytes */
/* what BASE and CSEQ render to (want) */
#define W_BASE "cid=hdr@10.0.0.1 ftag=fa ttag=tb via=UDP/10.0.0.1:5060/z9hG4bKh1 nvia=1"
#define W_INVITE "INVITE " W_BASE " cseq=1/INVITE"

struct row {
	const char *name;
	const char *text;	/* the header syntax under test */
	const char *plain;	/* the same message, written plainly */
	const char *want;	/* what text renders to */
};

/* RFC 3261 7.3.1: a line starting with SP or HT continues the header
 * before it; the line end and the white space around it are one SP. */
static const struct row folding[] = {
	{ "CSeq, method on the next line", RL BASE "CSeq: 1" CRLF " INVITE" CRLF CRLF,
	  RL BASE CSEQ CRLF, W_INVITE },
	{ "BYE with its whole CSeq folded", BYE BASE "CSeq:" CRLF "\t2 BYE" CRLF CRLF,
	  BYE BASE "CSeq: 2 BYE" CRLF CRLF, "BYE " W_BASE " cseq=2/BYE" },
	{ "response: method from a folded CSeq", "SIP/2.0 200 OK" CRLF BASE "CSeq: 5" CRLF
	  "  BYE" CRLF CRLF, "SIP/2.0 200 OK" CRLF BASE "CSeq: 5 BYE" CRLF CRLF,
	  "200 BYE " W_BASE " cseq=5/BYE" },
	{ "white space on both sides of the fold", RL BASE "CSeq: 1 \t" CRLF " \t INVITE" CRLF CRLF,
	  RL BASE CSEQ CRLF, W_INVITE },
	{ "LF-only lines", "BYE sip:b@10.0.0.2 SIP/2.0\nVia: SIP/2.0/UDP 10.0.0.1:5060;"
	  "branch=z9hG4bKh1\nFrom: \"A\" <sip:a@10.0.0.1>;tag=fa\nTo: <sip:b@10.0.0.2>;tag=tb\n"
	  "Call-ID:\n hdr@10.0.0.1\nCSeq: 3\n BYE\n\n", BYE BASE "CSeq: 3 BYE" CRLF CRLF,
	  "BYE " W_BASE " cseq=3/BYE" },
	{ "Call-ID", RL VIA FROM TO "Call-ID:" CRLF " hdr@10.0.0.1" CRLF CSEQ CRLF,
	  RL BASE CSEQ CRLF, W_INVITE },
	{ "From, tag on its own line", RL VIA "From: \"A\" <sip:a@10.0.0.1>" CRLF " ;tag=fa" CRLF
	  TO CID CSEQ CRLF, RL VIA "From: \"A\" <sip:a@10.0.0.1> ;tag=fa" CRLF TO CID CSEQ CRLF,
	  W_INVITE },
	{ "To over three lines", RL VIA FROM "To:" CRLF "\t<sip:b@10.0.0.2>" CRLF "\t;tag=tb" CRLF
	  CID CSEQ CRLF, RL VIA FROM "To: <sip:b@10.0.0.2> ;tag=tb" CRLF CID CSEQ CRLF, W_INVITE },
	{ "Via, sent-by on the next line", RL "Via: SIP/2.0/UDP" CRLF
	  " 10.0.0.1:5060;branch=z9hG4bKh1" CRLF FROM TO CID CSEQ CRLF, RL BASE CSEQ CRLF,
	  W_INVITE },
	{ "Via, second value on the next line", RL
	  "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKh1," CRLF " SIP/2.0/TCP 10.0.0.9" CRLF
	  FROM TO CID CSEQ CRLF, RL "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKh1, "
	  "SIP/2.0/TCP 10.0.0.9" CRLF FROM TO CID CSEQ CRLF,
	  "INVITE cid=hdr@10.0.0.1 ftag=fa ttag=tb via=UDP/10.0.0.1:5060/z9hG4bKh1 nvia=2"
	  " cseq=1/INVITE" },
	{ "Content-Length: framing of a second message", "SIP/2.0 100 Trying" CRLF BASE CSEQ
	  "Content-Length:" CRLF " 0" CRLF CRLF "SIP/2.0 180 Ringing" CRLF BASE CSEQ
	  "Content-Length: 4" CRLF CRLF "abcd", "SIP/2.0 100 Trying" CRLF BASE CSEQ
	  "Content-Length: 0" CRLF CRLF "SIP/2.0 180 Ringing" CRLF BASE CSEQ "Content-Length: 4"
	  CRLF CRLF "abcd", "100 INVITE " W_BASE " cseq=1/INVITE || 180 INVITE " W_BASE
	  " cseq=1/INVITE body=4" },
	{ "Content-Type and Content-Length: SDP", RL BASE CSEQ "Content-Type:" CRLF
	  "  application/sdp" CRLF "Content-Length:" CRLF "\t83" CRLF CRLF SDP,
	  RL BASE CSEQ "Content-Type: application/sdp" CRLF "Content-Length: 83" CRLF CRLF SDP,
	  W_INVITE " ct=application/sdp body=83 sdp=1" },
	{ "headers read by our own scan", "REGISTER sip:10.0.0.2 SIP/2.0" CRLF BASE
	  "CSeq: 9 REGISTER" CRLF "Max-Forwards:" CRLF " 70" CRLF "Expires:" CRLF "\t600" CRLF
	  "Reason: SIP;" CRLF " cause=200;" CRLF " text=\"x\"" CRLF "User-Agent: a/1" CRLF " (b)"
	  CRLF "X-Call-ID:" CRLF " leg@h" CRLF CRLF, "REGISTER sip:10.0.0.2 SIP/2.0" CRLF BASE
	  "CSeq: 9 REGISTER" CRLF "Max-Forwards: 70" CRLF "Expires: 600" CRLF
	  "Reason: SIP; cause=200; text=\"x\"" CRLF "User-Agent: a/1 (b)" CRLF "X-Call-ID: leg@h"
	  CRLF CRLF, "REGISTER " W_BASE " cseq=9/REGISTER mf=70 exp=600"
	  " reason=SIP; cause=200; text=\"x\" ua=a/1 (b) xcid=leg@h" },
	{ "Server and X-CID", "SIP/2.0 486 Busy Here" CRLF BASE CSEQ "Server:" CRLF " s/2" CRLF
	  "X-CID: " CRLF "  b2" CRLF CRLF, "SIP/2.0 486 Busy Here" CRLF BASE CSEQ "Server: s/2"
	  CRLF "X-CID: b2" CRLF CRLF, "486 INVITE " W_BASE " cseq=1/INVITE ua=s/2 xcid=b2" },
	{ "Contact and its expires", "REGISTER sip:10.0.0.2 SIP/2.0" CRLF BASE "CSeq: 2 REGISTER"
	  CRLF "Contact: <sip:a@10.0.0.1>" CRLF " ;expires=60" CRLF CRLF,
	  "REGISTER sip:10.0.0.2 SIP/2.0" CRLF BASE "CSeq: 2 REGISTER" CRLF
	  "Contact: <sip:a@10.0.0.1> ;expires=60" CRLF CRLF,
	  "REGISTER " W_BASE " cseq=2/REGISTER exp=60 contact=sip:a@10.0.0.1" },
	{ "credentials and challenge", "SIP/2.0 407 Proxy Authentication Required" CRLF BASE CSEQ
	  "Proxy-Authenticate: Digest realm=\"p\"," CRLF " nonce=\"n\"" CRLF
	  "Authorization: Digest username=\"u\"," CRLF "\trealm=\"r\", nonce=\"n\"," CRLF
	  "\turi=\"sip:h\"" CRLF CRLF, "SIP/2.0 407 Proxy Authentication Required" CRLF BASE CSEQ
	  "Proxy-Authenticate: Digest realm=\"p\", nonce=\"n\"" CRLF
	  "Authorization: Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:h\"" CRLF CRLF,
	  "407 INVITE " W_BASE " cseq=1/INVITE auth=u/r chal=p" },
	{ "folded last header, no blank line", RL BASE "CSeq: 1" CRLF " INVITE",
	  RL BASE "CSeq: 1 INVITE", W_INVITE " !sip.no_end_of_headers" },
};

/* RFC 3261 7.3.3 compact forms, in either case */
static const struct row compact[] = {
	{ "i f t v", RL "v: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKh1" CRLF
	  "f: \"A\" <sip:a@10.0.0.1>;tag=fa" CRLF "t: <sip:b@10.0.0.2>;tag=tb" CRLF
	  "i: hdr@10.0.0.1" CRLF CSEQ CRLF, RL BASE CSEQ CRLF, W_INVITE },
	{ "I F T V", RL "V: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKh1" CRLF
	  "F: \"A\" <sip:a@10.0.0.1>;tag=fa" CRLF "T: <sip:b@10.0.0.2>;tag=tb" CRLF
	  "I: hdr@10.0.0.1" CRLF CSEQ CRLF, RL BASE CSEQ CRLF, W_INVITE },
	{ "m", "REGISTER sip:10.0.0.2 SIP/2.0" CRLF BASE "CSeq: 2 REGISTER" CRLF
	  "m: <sip:a@10.0.0.1>;expires=60" CRLF CRLF, "REGISTER sip:10.0.0.2 SIP/2.0" CRLF BASE
	  "CSeq: 2 REGISTER" CRLF "Contact: <sip:a@10.0.0.1>;expires=60" CRLF CRLF,
	  "REGISTER " W_BASE " cseq=2/REGISTER exp=60 contact=sip:a@10.0.0.1" },
	{ "c l", RL BASE CSEQ "c: application/sdp" CRLF "l: 83" CRLF CRLF SDP,
	  RL BASE CSEQ "Content-Type: application/sdp" CRLF "Content-Length: 83" CRLF CRLF SDP,
	  W_INVITE " ct=application/sdp body=83 sdp=1" },
	{ "C L", RL BASE CSEQ "C: application/sdp" CRLF "L: 83" CRLF CRLF SDP,
	  RL BASE CSEQ "Content-Type: application/sdp" CRLF "Content-Length: 83" CRLF CRLF SDP,
	  W_INVITE " ct=application/sdp body=83 sdp=1" },
	{ "l framing two messages", "SIP/2.0 100 Trying" CRLF BASE CSEQ "l: 0" CRLF CRLF
	  "SIP/2.0 180 Ringing" CRLF BASE CSEQ "l: 4" CRLF CRLF "abcd", "SIP/2.0 100 Trying" CRLF
	  BASE CSEQ "Content-Length: 0" CRLF CRLF "SIP/2.0 180 Ringing" CRLF BASE CSEQ
	  "Content-Length: 4" CRLF CRLF "abcd", "100 INVITE " W_BASE " cseq=1/INVITE || 180 INVITE "
	  W_BASE " cseq=1/INVITE body=4" },
	{ "k s e o u r b a j d x y", RL BASE CSEQ "k: timer" CRLF "s: hi" CRLF "e: gzip" CRLF
	  "o: presence" CRLF "u: talk" CRLF "r: <sip:c@h>" CRLF "b: <sip:d@h>" CRLF
	  "a: *;audio" CRLF "j: *;video" CRLF "d: *;text" CRLF "x: 90" CRLF "y: pid" CRLF CRLF,
	  RL BASE CSEQ "Supported: timer" CRLF "Subject: hi" CRLF "Content-Encoding: gzip" CRLF
	  "Event: presence" CRLF "Allow-Events: talk" CRLF "Refer-To: <sip:c@h>" CRLF
	  "Referred-By: <sip:d@h>" CRLF "Accept-Contact: *;audio" CRLF "Reject-Contact: *;video"
	  CRLF "Request-Disposition: *;text" CRLF "Session-Expires: 90" CRLF "Identity: pid" CRLF
	  CRLF, W_INVITE },
	{ "compact and folded", RL "v:" CRLF " SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKh1" CRLF
	  "f:" CRLF " \"A\" <sip:a@10.0.0.1>;tag=fa" CRLF "t: <sip:b@10.0.0.2>" CRLF " ;tag=tb" CRLF
	  "i:" CRLF "\thdr@10.0.0.1" CRLF CSEQ "l:" CRLF " 0" CRLF CRLF,
	  RL VIA FROM "To: <sip:b@10.0.0.2> ;tag=tb" CRLF CID CSEQ "Content-Length: 0" CRLF CRLF,
	  W_INVITE },
};

/* RFC 3261 7.3.1: header names are case-insensitive */
static const struct row names[] = {
	{ "upper case", RL "VIA: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKh1" CRLF
	  "FROM: \"A\" <sip:a@10.0.0.1>;tag=fa" CRLF "TO: <sip:b@10.0.0.2>;tag=tb" CRLF
	  "CALL-ID: hdr@10.0.0.1" CRLF "CSEQ: 1 INVITE" CRLF "CONTENT-TYPE: application/sdp" CRLF
	  "CONTENT-LENGTH: 83" CRLF CRLF SDP, RL BASE CSEQ "Content-Type: application/sdp" CRLF
	  "Content-Length: 83" CRLF CRLF SDP, W_INVITE " ct=application/sdp body=83 sdp=1" },
	{ "lower case", RL "via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKh1" CRLF
	  "from: \"A\" <sip:a@10.0.0.1>;tag=fa" CRLF "to: <sip:b@10.0.0.2>;tag=tb" CRLF
	  "call-id: hdr@10.0.0.1" CRLF "cseq: 1 INVITE" CRLF "max-forwards: 70" CRLF
	  "user-agent: u" CRLF "x-call-id: x" CRLF "reason: r" CRLF "expires: 5" CRLF CRLF,
	  RL BASE CSEQ "Max-Forwards: 70" CRLF "User-Agent: u" CRLF "X-Call-ID: x" CRLF
	  "Reason: r" CRLF "Expires: 5" CRLF CRLF,
	  W_INVITE " mf=70 exp=5 reason=r ua=u xcid=x" },
	{ "mixed case", "SIP/2.0 401 Unauthorized" CRLF
	  "vIa: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKh1" CRLF
	  "fRoM: \"A\" <sip:a@10.0.0.1>;tag=fa" CRLF "tO: <sip:b@10.0.0.2>;tag=tb" CRLF
	  "cAlL-iD: hdr@10.0.0.1" CRLF "cSeQ: 1 INVITE" CRLF "sErVeR: s" CRLF "x-CiD: y" CRLF
	  "wWw-AuThEnTiCaTe: Digest realm=\"r\", nonce=\"n\"" CRLF "cOnTaCt: <sip:b@10.0.0.2>" CRLF
	  CRLF, "SIP/2.0 401 Unauthorized" CRLF BASE CSEQ "Server: s" CRLF "X-CID: y" CRLF
	  "WWW-Authenticate: Digest realm=\"r\", nonce=\"n\"" CRLF "Contact: <sip:b@10.0.0.2>" CRLF
	  CRLF, "401 INVITE " W_BASE " cseq=1/INVITE contact=sip:b@10.0.0.2 ua=s xcid=y chal=r" },
	{ "mixed case, proxy credentials", BYE BASE "cseq: 4 BYE" CRLF
	  "PROXY-authorization: Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:h\""
	  CRLF CRLF, BYE BASE "CSeq: 4 BYE" CRLF
	  "Proxy-Authorization: Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"sip:h\""
	  CRLF CRLF, "BYE " W_BASE " cseq=4/BYE auth=u/r" },
};

/* RFC 3261 7.3.1: several values on one line are the same header on
 * several lines; the top Via is the first value */
static const struct row lists[] = {
	{ "two Vias on one line", RL
	  "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKh1, SIP/2.0/TCP 10.0.0.9;branch=z9hG4bK9"
	  CRLF FROM TO CID CSEQ CRLF, RL VIA "Via: SIP/2.0/TCP 10.0.0.9;branch=z9hG4bK9" CRLF FROM
	  TO CID CSEQ CRLF, "INVITE cid=hdr@10.0.0.1 ftag=fa ttag=tb"
	  " via=UDP/10.0.0.1:5060/z9hG4bKh1 nvia=2 cseq=1/INVITE" },
	{ "three Vias, no space after the commas", RL
	  "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKh1,SIP/2.0/UDP p1;branch=z9hG4bKp1,"
	  "SIP/2.0/UDP p2" CRLF FROM TO CID CSEQ CRLF, RL VIA
	  "Via: SIP/2.0/UDP p1;branch=z9hG4bKp1" CRLF "Via: SIP/2.0/UDP p2" CRLF FROM TO CID CSEQ
	  CRLF, "INVITE cid=hdr@10.0.0.1 ftag=fa ttag=tb via=UDP/10.0.0.1:5060/z9hG4bKh1 nvia=3"
	  " cseq=1/INVITE" },
	{ "compact Via list", "SIP/2.0 200 OK" CRLF
	  "v: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKh1 , SIP/2.0/UDP p1" CRLF FROM TO CID CSEQ
	  CRLF, "SIP/2.0 200 OK" CRLF VIA "Via: SIP/2.0/UDP p1" CRLF FROM TO CID CSEQ CRLF,
	  "200 INVITE cid=hdr@10.0.0.1 ftag=fa ttag=tb via=UDP/10.0.0.1:5060/z9hG4bKh1 nvia=2"
	  " cseq=1/INVITE" },
	{ "two Contacts on one line", "REGISTER sip:10.0.0.2 SIP/2.0" CRLF BASE "CSeq: 2 REGISTER"
	  CRLF "Contact: <sip:a@10.0.0.1>;expires=60, <sip:a@10.0.0.3>" CRLF CRLF,
	  "REGISTER sip:10.0.0.2 SIP/2.0" CRLF BASE "CSeq: 2 REGISTER" CRLF
	  "Contact: <sip:a@10.0.0.1>;expires=60" CRLF "Contact: <sip:a@10.0.0.3>" CRLF CRLF,
	  "REGISTER " W_BASE " cseq=2/REGISTER exp=60 contact=sip:a@10.0.0.1" },
};

/* RFC 3261 7.3.1: the same header on several lines, in order; other
 * headers between them do not matter */
static const struct row repeated[] = {
	{ "two Via lines", RL VIA "Via: SIP/2.0/TCP 10.0.0.9;branch=z9hG4bK9" CRLF FROM TO CID
	  CSEQ CRLF, RL "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKh1, "
	  "SIP/2.0/TCP 10.0.0.9;branch=z9hG4bK9" CRLF FROM TO CID CSEQ CRLF,
	  "INVITE cid=hdr@10.0.0.1 ftag=fa ttag=tb via=UDP/10.0.0.1:5060/z9hG4bKh1 nvia=2"
	  " cseq=1/INVITE" },
	{ "Via lines apart, the second with two values", "SIP/2.0 180 Ringing" CRLF VIA FROM
	  "Via: SIP/2.0/UDP p1;branch=z9hG4bKp1, SIP/2.0/UDP p2" CRLF TO CID CSEQ CRLF,
	  "SIP/2.0 180 Ringing" CRLF "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKh1, "
	  "SIP/2.0/UDP p1;branch=z9hG4bKp1, SIP/2.0/UDP p2" CRLF FROM TO CID CSEQ CRLF,
	  "180 INVITE cid=hdr@10.0.0.1 ftag=fa ttag=tb via=UDP/10.0.0.1:5060/z9hG4bKh1 nvia=3"
	  " cseq=1/INVITE" },
	{ "long and compact Via lines mixed", RL "v: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKh1"
	  CRLF "VIA: SIP/2.0/UDP p1" CRLF "via: SIP/2.0/UDP p2" CRLF FROM TO CID CSEQ CRLF,
	  RL "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bKh1, SIP/2.0/UDP p1, SIP/2.0/UDP p2"
	  CRLF FROM TO CID CSEQ CRLF, "INVITE cid=hdr@10.0.0.1 ftag=fa ttag=tb"
	  " via=UDP/10.0.0.1:5060/z9hG4bKh1 nvia=3 cseq=1/INVITE" },
	{ "Via lines, one folded", RL VIA "Via: SIP/2.0/UDP p1," CRLF " SIP/2.0/UDP p2" CRLF FROM TO
	  CID CSEQ CRLF, RL VIA "Via: SIP/2.0/UDP p1, SIP/2.0/UDP p2" CRLF FROM TO CID CSEQ CRLF,
	  "INVITE cid=hdr@10.0.0.1 ftag=fa ttag=tb via=UDP/10.0.0.1:5060/z9hG4bKh1 nvia=3"
	  " cseq=1/INVITE" },
	{ "two Contact lines", "REGISTER sip:10.0.0.2 SIP/2.0" CRLF BASE "CSeq: 2 REGISTER" CRLF
	  "Contact: <sip:a@10.0.0.1>;expires=60" CRLF "Contact: <sip:a@10.0.0.3>" CRLF CRLF,
	  "REGISTER sip:10.0.0.2 SIP/2.0" CRLF BASE "CSeq: 2 REGISTER" CRLF
	  "Contact: <sip:a@10.0.0.1>;expires=60, <sip:a@10.0.0.3>" CRLF CRLF,
	  "REGISTER " W_BASE " cseq=2/REGISTER exp=60 contact=sip:a@10.0.0.1" },
};

/* the fields header syntax can change; the comparison with the plain
 * message covers the rest */
static void
render(struct fr_out *w, const struct sl_sip *m)
{
	if (m->is_request)
		fr_put(w, "%.*s", SL_PRI(m->method));
	else
		fr_put(w, "%u %.*s", m->status, SL_PRI(m->method));
	fr_field(w, "cid", m->call_id);
	fr_field(w, "ftag", m->from_tag);
	fr_field(w, "ttag", m->to_tag);
	if (m->n_via)
		fr_put(w, " via=%.*s/%.*s/%.*s nvia=%u", SL_PRI(m->via_transport),
		    SL_PRI(m->via_sent_by), SL_PRI(m->via_branch), m->n_via);
	if (m->cseq_method.n)
		fr_put(w, " cseq=%u/%.*s", m->cseq, SL_PRI(m->cseq_method));
	if (m->max_forwards >= 0)
		fr_put(w, " mf=%d", m->max_forwards);
	if (m->expires >= 0)
		fr_put(w, " exp=%lld", (long long)m->expires);
	fr_field(w, "contact", m->contact);
	fr_field(w, "reason", m->reason_hdr);
	fr_field(w, "ua", m->user_agent);
	fr_field(w, "xcid", m->xcid);
	if (m->has_auth)
		fr_put(w, " auth=%.*s/%.*s", SL_PRI(m->auth_user), SL_PRI(m->auth_realm));
	if (m->has_challenge)
		fr_put(w, " chal=%.*s", SL_PRI(m->chal_realm));
	fr_field(w, "ct", m->content_type);
	if (m->body.n)
		fr_put(w, " body=%u", m->content_length);
	if (m->sdp)
		fr_put(w, " sdp=%u", m->sdp->n_media);
	for (uint8_t i = 0; i < m->n_anomalies; i++)
		fr_put(w, " !%s", m->anomalies[i]);
}

struct run {
	struct sl_arena arena;
	struct sl_packet pkt;
	enum sl_err err;
	uint8_t *buf;
};

static void
dissect(struct run *r, const char *text)
{
	size_t len = strlen(text);
	/* an exact-size copy so ASan sees any read past the datagram */
	r->buf = malloc(len);
	memcpy(r->buf, text, len);
	sl_arena_init(&r->arena, 4096, 0);
	sl_packet_init(&r->pkt, &r->arena);
	r->err = sl_sip_dissect(&r->pkt, sl_cur_init(r->buf, len));
}

static void
done(struct run *r)
{
	sl_arena_free(&r->arena);
	free(r->buf);
}

/* Every field of every message and the packet's anomalies agree; the
 * raw text is the one thing that may differ. */
static const char *
differ(const struct run *a, const struct run *b, char *why, size_t n)
{
	struct sipfilter_why w = { why, n, "packet" };
	why[0] = '\0';
	if (!sipfilter_num(&w, "return code", a->err, b->err) ||
	    !sipfilter_num(&w, "n_sip", a->pkt.n_sip, b->pkt.n_sip) ||
	    !sipfilter_names(&w, "anomalies", a->pkt.anomalies, a->pkt.n_anomalies,
	    b->pkt.anomalies, b->pkt.n_anomalies))
		return why;
	const struct sl_sip *ma = a->pkt.sip, *mb = b->pkt.sip;
	for (; ma && mb; ma = ma->next, mb = mb->next) {
		struct sl_sip y = *mb;
		y.raw = ma->raw;
		w.where = "message";
		if (!sipfilter_msg(&w, ma, &y))
			return why;
	}
	return ma || mb ? "message list length" : NULL;
}

static void
check_table(const char *table, const struct row *rows, size_t n_rows)
{
	for (size_t i = 0; i < n_rows; i++) {
		const struct row *r = &rows[i];
		struct run got, plain;
		char why[512], text[2048] = "";
		struct fr_out w = { text, sizeof(text), 0 };

		dissect(&got, r->text);
		dissect(&plain, r->plain);
		for (const struct sl_sip *m = got.pkt.sip; m; m = m->next) {
			if (m != got.pkt.sip)
				fr_put(&w, " || ");
			render(&w, m);
		}
		SL_CHECK_MSG(&ts, got.err == SL_OK, "%s: %s: err %d", table, r->name, got.err);
		SL_CHECK_MSG(&ts, strcmp(text, r->want) == 0, "%s: %s:\n  got  %s\n  want %s", table,
		    r->name, text, r->want);
		const char *d = differ(&got, &plain, why, sizeof(why));
		SL_CHECK_MSG(&ts, d == NULL, "%s: %s: differs from the plain message: %s", table,
		    r->name, d);
		done(&got);
		done(&plain);
	}
}

#define CHECK_TABLE(t) check_table(#t, t, sizeof(t) / sizeof(t[0]))

int
main(void)
{
	sl_osip_init();
	CHECK_TABLE(folding);
	CHECK_TABLE(compact);
	CHECK_TABLE(names);
	CHECK_TABLE(lists);
	CHECK_TABLE(repeated);
	return sl_test_report(&ts, "test_sip_headers");
}
