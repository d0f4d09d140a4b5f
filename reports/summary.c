/* summary.c: the call table of `sipladder calls` (LADDER-EXAMPLES.md
 * section 3): one row per call or registration, widths from content. */
#include <stdio.h>

#include "reports/fmt.h"
#include "reports/report.h"
#include "reports/story.h"
#include "reports/table.h"

/*
 *  #   start         from  to  legs  msgs  state                   dur    auth            media              reason
 *  1   10:00:01.949  u1    2   2     23    completed (caller BYE)  5.6 s  401 -> ok (x2)  4 streams, 0 lost  User hangup
 *  R2  10:00:00.000  u1    -   -     8     registered 600 s, unregistered  -  401 -> ok (x2)  -
 */

#define USER_COLS 32		/* a hostile From user must not widen the table */
#define REASON_COLS 48

enum { C_INDEX, C_START, C_FROM, C_TO, C_LEGS, C_MSGS, C_STATE, C_DUR, C_AUTH,
	C_MEDIA, C_REASON, C_N };

static const char *const heads[C_N] = {
	"#", "start", "from", "to", "legs", "msgs", "state", "dur", "auth", "media", "reason",
};
static const bool right[C_N];

static enum sl_err
user_cell(struct sl_buf *b, struct sl_str s)
{
	return s.n ? sl_fmt_put(b, s, USER_COLS) : sl_buf_addc(b, '-');
}

static enum sl_err
cell(struct sl_buf *b, size_t col, const void *row, const void *user)
{
	(void)user;
	const struct sl_call *call = row;
	const struct sl_call_summary *s = &call->sum;
	bool reg = call->kind == SL_CALL_REGISTER;
	char num[SL_FMT_NUM];
	switch (col) {
	case C_INDEX:
		return sl_buf_printf(b, "%s%lu", reg ? "R" : "", (unsigned long)call->index);
	case C_START:
		/* the first packet's wall time: what users match against logs */
		return sl_fmt_utc(b, call->first_ts, false, 3);
	case C_FROM:
		return user_cell(b, s->from_user.n || !call->regs ? s->from_user : call->regs->user);
	case C_TO:
		return user_cell(b, reg ? SL_STR_NULL : s->to_user);
	case C_LEGS:
		return reg ? sl_buf_addc(b, '-') : sl_buf_printf(b, "%u", call->n_legs);
	case C_MSGS:
		return sl_buf_printf(b, "%lu", (unsigned long)call->n_msgs);
	case C_STATE:
		return sl_story_state(b, call);
	case C_DUR:
		/* talk time: from the answer to the hangup */
		if (s->talk_ns < 0)
			return sl_buf_addc(b, '-');
		return sl_buf_printf(b, "%s s", sl_fmt_secs(num, s->talk_ns, 1));
	case C_AUTH:
		return sl_story_auth(b, call);
	case C_MEDIA:
		return reg ? sl_buf_addc(b, '-') : sl_story_media(b, call);
	case C_REASON:
		return sl_fmt_put(b, s->reason, REASON_COLS);
	}
	return SL_OK;
}

void
sl_report_calls_init(struct sl_table *t)
{
	sl_table_init(t, C_N, heads, right);
}

enum sl_err
sl_report_calls_add(struct sl_table *t, const struct sl_call *call,
    const struct sl_report_opts *opts)
{
	return sl_table_add(t, cell, call, opts);
}
