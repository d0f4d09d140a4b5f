/* sipseed.h: SIP text of the seed's B2BUA call for the tests that feed
 * the correlator by hand (test_correlate, test_auth): caller u1 at CLR,
 * the B2BUA at SRV, callee u2 at CLE, and the tags each side uses. */
#ifndef SL_TEST_SIPSEED_H
#define SL_TEST_SIPSEED_H

#define CRLF "\r\n"
#define VIA(host, br) "Via: SIP/2.0/UDP " host ";branch=z9hG4bK" br CRLF
#define HDRS(from, to, cid, cseq) "From: " from CRLF "To: " to CRLF \
	"Call-ID: " cid CRLF "CSeq: " cseq CRLF

#define CLR "10.0.0.183:5060"
#define SRV "10.0.0.50:5060"
#define CLE "10.0.0.101:5060"
#define FC "<sip:u1@10.0.0.50>;tag=t1"		/* caller's From, leg A */
#define TC0 "<sip:2@10.0.0.50>"			/* leg A To before the answer */
#define TC "<sip:2@10.0.0.50>;tag=sa"		/* and after */
#define FS "<sip:u1@10.0.0.50>;tag=s2"		/* server's From, leg B */
#define TS0 "<sip:u2@10.0.0.101>"
#define TSD "<sip:u2@10.0.0.101>;tag=d1"

#endif
