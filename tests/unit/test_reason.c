/* test_reason.c: core/sipstatus, the one status-phrase table of the
 * analyzer and the server/phone. Every code either world had in its own
 * table before they were merged keeps its phrase (analyzer labels and
 * server responses unchanged), every entry is found (the table is sorted
 * for the binary search) and unlisted codes give NULL. */
#include <stddef.h>
#include <string.h>

#include "core/sipstatus.h"
#include "tests/unit/unit.h"

static SL_TEST_STATE(ts);

int
main(void)
{
	/* the union of dissectors/sip.c's and src/sip/msg.c's former tables */
	static const struct {
		int code;
		const char *text;
	} was[] = {
		{ 100, "Trying" },
		{ 180, "Ringing" },
		{ 181, "Call Is Being Forwarded" },
		{ 182, "Queued" },
		{ 183, "Session Progress" },
		{ 200, "OK" },
		{ 202, "Accepted" },
		{ 300, "Multiple Choices" },
		{ 301, "Moved Permanently" },
		{ 302, "Moved Temporarily" },
		{ 305, "Use Proxy" },
		{ 380, "Alternative Service" },
		{ 400, "Bad Request" },
		{ 401, "Unauthorized" },
		{ 402, "Payment Required" },
		{ 403, "Forbidden" },
		{ 404, "Not Found" },
		{ 405, "Method Not Allowed" },
		{ 406, "Not Acceptable" },
		{ 407, "Proxy Authentication Required" },
		{ 408, "Request Timeout" },
		{ 410, "Gone" },
		{ 413, "Request Entity Too Large" },
		{ 414, "Request-URI Too Long" },
		{ 415, "Unsupported Media Type" },
		{ 416, "Unsupported URI Scheme" },
		{ 420, "Bad Extension" },
		{ 421, "Extension Required" },
		{ 422, "Session Interval Too Small" },
		{ 423, "Interval Too Brief" },
		{ 480, "Temporarily Unavailable" },
		{ 481, "Call/Transaction Does Not Exist" },
		{ 482, "Loop Detected" },
		{ 483, "Too Many Hops" },
		{ 484, "Address Incomplete" },
		{ 485, "Ambiguous" },
		{ 486, "Busy Here" },
		{ 487, "Request Terminated" },
		{ 488, "Not Acceptable Here" },
		{ 489, "Bad Event" },
		{ 491, "Request Pending" },
		{ 493, "Undecipherable" },
		{ 494, "Security Agreement Required" },
		{ 500, "Server Internal Error" },
		{ 501, "Not Implemented" },
		{ 502, "Bad Gateway" },
		{ 503, "Service Unavailable" },
		{ 504, "Server Time-out" },
		{ 505, "Version Not Supported" },
		{ 513, "Message Too Large" },
		{ 600, "Busy Everywhere" },
		{ 603, "Decline" },
		{ 604, "Does Not Exist Anywhere" },
		{ 606, "Not Acceptable" },
	};
	static const int unknown[] = { -1, 0, 1, 99, 101, 299, 699, 700, 9999, 65535 };

	for (size_t i = 0; i < sizeof(was) / sizeof(was[0]); i++) {
		const char *r = sl_sip_reason(was[i].code);

		SL_CHECK_MSG(&ts, r && strcmp(r, was[i].text) == 0, "%d: %s", was[i].code,
		    r ? r : "(null)");
	}
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		SL_CHECK_MSG(&ts, sl_sip_reason(unknown[i]) == NULL, "%d", unknown[i]);
	/* extensions from the IANA registry */
	SL_CHECK(&ts, strcmp(sl_sip_reason(580), "Precondition Failure") == 0);
	SL_CHECK(&ts, strcmp(sl_sip_reason(199), "Early Dialog Terminated") == 0);
	SL_CHECK(&ts, strcmp(sl_sip_reason(608), "Rejected") == 0);
	/* every listed code is found: scan the whole range */
	int found = 0;
	for (int c = 100; c < 700; c++)
		found += sl_sip_reason(c) != NULL;
	SL_CHECK_MSG(&ts, found == 72, "%d codes", found);
	return sl_test_report(&ts, "unit.reason");
}
