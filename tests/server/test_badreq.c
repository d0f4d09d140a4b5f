/* test_badreq.c: 400 responses built from raw bytes osip refused
 * (src/server/badreq.c): which datagrams can be answered, what the answer
 * echoes, and that hostile bytes never reach it. */
#include <string.h>

#include "server/badreq.h"
#include "tests/unit/unit.h"

static SL_TEST_STATE(ts);

#define HDRS "Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\n" \
	"From: <sip:a@b>;tag=9\r\nTo: <sip:c@d>\r\nCall-ID: x@y\r\nCSeq: 1 INVITE\r\n"

static void
test_rows(void)
{
	static const struct {
		const char *in;
		bool answered;
		const char *has;	/* substring of the answer */
	} rows[] = {
		{ "INVITE sip:c@d SIP/2.0\r\n" HDRS "\r\n", true,
		  "SIP/2.0 400 Bad Request\r\nVia: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1\r\n"
		  "From: <sip:a@b>;tag=9\r\nTo: <sip:c@d>;tag=T1\r\nCall-ID: x@y\r\nCSeq: 1 INVITE\r\n"
		  "Content-Length: 0\r\n\r\n" },
		/* compact forms, bare LF, two Via lines kept in order */
		{ "OPTIONS sip:c@d SIP/2.0\nv: SIP/2.0/UDP p1\nv: SIP/2.0/UDP p2\nf: <sip:a@b>\n"
		  "t: <sip:c@d>;tag=x\ni: q\nCSeq: 2 OPTIONS\n\n", true,
		  "Via: SIP/2.0/UDP p1\r\nVia: SIP/2.0/UDP p2\r\nFrom: <sip:a@b>\r\n"
		  "To: <sip:c@d>;tag=x\r\nCall-ID: q\r\n" },
		/* a ;tag inside the URI is not the To tag */
		{ "BYE sip:c@d SIP/2.0\r\nVia: v\r\nFrom: f\r\nTo: <sip:c@d;tag=u>\r\nCall-ID: i\r\n"
		  "CSeq: 1 BYE\r\n\r\n", true, "To: <sip:c@d;tag=u>;tag=T1\r\n" },
		/* never answered */
		{ "ACK sip:c@d SIP/2.0\r\n" HDRS "\r\n", false, NULL },
		{ "SIP/2.0 200 OK\r\n" HDRS "\r\n", false, NULL },
		{ "INVITE sip:c@d SIP/2.0\r\nFrom: f\r\nTo: t\r\nCall-ID: i\r\nCSeq: 1 INVITE\r\n\r\n",
		  false, NULL },		/* no Via */
		{ "INVITE sip:c@d SIP/2.0\r\nVia: v\r\nFrom: f\r\nTo: t\r\nCSeq: 1 INVITE\r\n\r\n",
		  false, NULL },		/* no Call-ID */
		{ "INVITE sip:c@d SIP/2.0\r\nVia: v\r\nFrom: f\r\nTo: t\r\nCall-ID: a\x01" "b\r\n"
		  "CSeq: 1 INVITE\r\n\r\n", false, NULL },	/* control byte */
		{ "INVITE sip:c@d SIP/2.0\r\nVia: v\r\n more\r\nFrom: f\r\nTo: t\r\nCall-ID: i\r\n"
		  "CSeq: 1 INVITE\r\n\r\n", false, NULL },	/* folded */
		{ "INVITE sip:c@d HTTP/1.1\r\n" HDRS "\r\n", false, NULL },
		{ "invite sip:c@d SIP/2.0\r\n" HDRS "\r\n", false, NULL },
		{ "\x16\x03\x01\x02\x00", false, NULL },
		{ "", false, NULL },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct sl_buf b;
		sl_buf_init(&b, 65535);
		bool ok = sl_badreq_reply(rows[i].in, strlen(rows[i].in), 400, "Bad Request", "T1", &b);
		SL_CHECK_MSG(&ts, ok == rows[i].answered, "row %zu", i);
		if (ok && rows[i].has)
			SL_CHECK_MSG(&ts, strstr(b.p, rows[i].has) != NULL, "row %zu: got\n%s", i, b.p);
		if (!ok)
			SL_CHECK_MSG(&ts, b.len == 0, "row %zu wrote on refusal", i);
		sl_buf_free(&b);
	}
}

/* a Via line per line up to the cap; one more and nothing is answered */
static void
test_caps(void)
{
	struct sl_buf in, out;

	sl_buf_init(&in, 65535);
	sl_buf_adds(&in, "INVITE sip:c@d SIP/2.0\r\n");
	for (int i = 0; i < 16; i++)
		sl_buf_printf(&in, "Via: SIP/2.0/UDP h%d\r\n", i);
	sl_buf_adds(&in, "From: f\r\nTo: t\r\nCall-ID: i\r\nCSeq: 1 INVITE\r\n\r\n");
	sl_buf_init(&out, 65535);
	SL_CHECK(&ts, sl_badreq_reply(in.p, in.len, 400, "Bad Request", "t", &out));
	SL_CHECK(&ts, out.p && strstr(out.p, "Via: SIP/2.0/UDP h15\r\n") != NULL);
	sl_buf_free(&out);
	sl_buf_reset(&in);
	sl_buf_adds(&in, "INVITE sip:c@d SIP/2.0\r\n");
	for (int i = 0; i < 17; i++)
		sl_buf_printf(&in, "Via: SIP/2.0/UDP h%d\r\n", i);
	sl_buf_adds(&in, "From: f\r\nTo: t\r\nCall-ID: i\r\nCSeq: 1 INVITE\r\n\r\n");
	sl_buf_init(&out, 65535);
	SL_CHECK(&ts, !sl_badreq_reply(in.p, in.len, 400, "Bad Request", "t", &out));
	sl_buf_free(&out);
	/* another status; final statuses only */
	static const char ok[] = "OPTIONS sip:c@d SIP/2.0\r\n" HDRS "\r\n";
	sl_buf_init(&out, 65535);
	SL_CHECK(&ts, sl_badreq_reply(ok, strlen(ok), 503, "Service Unavailable", "t", &out) &&
	    strncmp(out.p, "SIP/2.0 503 Service Unavailable\r\n", 33) == 0);
	sl_buf_free(&out);
	sl_buf_init(&out, 65535);
	SL_CHECK(&ts, !sl_badreq_reply(ok, strlen(ok), 200, "OK", "t", &out));
	sl_buf_free(&out);
	sl_buf_free(&in);
}

int
main(void)
{
	test_rows();
	test_caps();
	return sl_test_report(&ts, "server.badreq");
}
