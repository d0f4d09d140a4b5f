/* test_registrar.c: the bindings table (src/server/registrar.c) on a clock
 * the test moves: the Expires policy (contact parameter over header, 423
 * below the minimum, cut at the maximum, 0 removes), replacement, the
 * out-of-order check of RFC 3261 10.3, expiry on time and the cap. */
#include <string.h>

#include "server/registrar.h"
#include "sip/udp.h"
#include "tests/unit/unit.h"

static SL_TEST_STATE(ts);

static void
test_policy(void)
{
	static const struct {
		uint32_t contact, header;
		enum sl_reg_expiry want;
		uint32_t out;
	} rows[] = {
		{ UINT32_MAX, UINT32_MAX, SL_REG_EXP_OK, 600 },	/* default */
		{ UINT32_MAX, 3600, SL_REG_EXP_OK, 3600 },
		{ UINT32_MAX, 7200, SL_REG_EXP_OK, 3600 },	/* cut to max */
		{ UINT32_MAX, 0, SL_REG_EXP_REMOVE, 0 },
		{ UINT32_MAX, 59, SL_REG_EXP_TOO_BRIEF, 60 },
		{ UINT32_MAX, 60, SL_REG_EXP_OK, 60 },
		{ UINT32_MAX, 1, SL_REG_EXP_TOO_BRIEF, 60 },
		{ 120, 0, SL_REG_EXP_OK, 120 },		/* contact param wins */
		{ 0, 600, SL_REG_EXP_REMOVE, 0 },
		{ 30, 600, SL_REG_EXP_TOO_BRIEF, 60 },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		uint32_t out = 12345;
		enum sl_reg_expiry e = sl_registrar_expiry(rows[i].contact, rows[i].header, 60,
		    3600, 600, &out);
		SL_CHECK_MSG(&ts, e == rows[i].want && out == rows[i].out, "row %zu: %d %u", i,
		    e, out);
	}
}

static void
test_table(void)
{
	struct sl_registrar r;
	struct sl_endpoint a, b;

	sl_udp_parse_endpoint("127.0.0.183:5060", 5060, &a);
	sl_udp_parse_endpoint("127.0.0.101:5062", 5060, &b);
	SL_CHECK(&ts, sl_registrar_init(&r, 2) == SL_OK);
	SL_CHECK(&ts, sl_registrar_update(&r, "u1", "sip:u1@127.0.0.183", &a, &a, "c1", 1,
	    600, 1000) == SL_REG_UPDATED);
	const struct sl_binding *x = sl_registrar_find(&r, "u1", 1000);
	SL_CHECK(&ts, x && strcmp(x->contact, "sip:u1@127.0.0.183") == 0 && r.n == 1);
	SL_CHECK(&ts, x && sl_registrar_left_s(x, 1000) == 600);
	SL_CHECK(&ts, x && sl_registrar_left_s(x, 600999) == 1);
	/* same Call-ID, CSeq not higher: a stale reordered REGISTER */
	SL_CHECK(&ts, sl_registrar_update(&r, "u1", "sip:other@h", &a, &a, "c1", 1, 600,
	    2000) == SL_REG_OUT_OF_ORDER);
	SL_CHECK(&ts, sl_registrar_update(&r, "u1", "sip:u1@127.0.0.101:5062", &b, &b, "c1", 2,
	    60, 2000) == SL_REG_UPDATED);
	x = sl_registrar_find(&r, "u1", 2000);
	SL_CHECK(&ts, x && sl_ep_eq(&x->target, &b) && r.n == 1);
	/* a new Call-ID (phone restarted) replaces whatever its CSeq */
	SL_CHECK(&ts, sl_registrar_update(&r, "u1", "sip:u1@127.0.0.183", &a, &a, "c2", 1, 60,
	    3000) == SL_REG_UPDATED);
	SL_CHECK(&ts, sl_registrar_update(&r, "u2", "sip:u2@h", &b, &b, "d", 1, 600, 3000) ==
	    SL_REG_UPDATED);
	SL_CHECK(&ts, sl_registrar_update(&r, "u3", "sip:u3@h", &b, &b, "e", 1, 600, 3000) ==
	    SL_REG_FULL);
	/* expiry: u1 ends at 63000 ms, never found at or after it */
	SL_CHECK(&ts, sl_registrar_find(&r, "u1", 62999) != NULL);
	SL_CHECK(&ts, sl_registrar_find(&r, "u1", 63000) == NULL);
	SL_CHECK(&ts, sl_registrar_expire(&r, 62999, NULL, NULL) == 0);
	SL_CHECK(&ts, sl_registrar_expire(&r, 63000, NULL, NULL) == 1 && r.n == 1);
	SL_CHECK(&ts, sl_registrar_update(&r, "u3", "sip:u3@h", &b, &b, "e", 1, 600, 63000) ==
	    SL_REG_UPDATED);
	SL_CHECK(&ts, sl_registrar_remove(&r, "u3") && !sl_registrar_remove(&r, "u3"));
	SL_CHECK(&ts, sl_registrar_find(&r, "u2", 63000) != NULL && r.n == 1);
	SL_CHECK(&ts, sl_registrar_find(&r, NULL, 0) == NULL);
	/* fields that do not fit are refused, not cut */
	char big[SL_MSG_URI_MAX + 8];
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	SL_CHECK(&ts, sl_registrar_update(&r, "u2", big, &b, &b, "d", 2, 600, 63000) ==
	    SL_REG_BAD);
	SL_CHECK(&ts, sl_registrar_update(&r, "", "sip:x@h", &b, &b, "d", 2, 600, 63000) ==
	    SL_REG_BAD);
	sl_registrar_free(&r);
}

int
main(void)
{
	test_policy();
	test_table();
	return sl_test_report(&ts, "server.registrar");
}
