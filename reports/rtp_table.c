/* rtp_table.c: the `sipladder rtp` stream table, the columns of tshark
 * 4.0's "-z rtp,streams" that the model carries, plus the call index. */
#include <stdio.h>

#include "reports/fmt.h"
#include "reports/report.h"
#include "reports/table.h"

/*
 *  Call  Start time  End time  Src IP addr  Port  Dest IP addr  Port  SSRC        Payload  Pkts  Lost      Max Delta(ms)  Max Jitter(ms)  Mean Jitter(ms)  Problems?
 *     1    3.720000  9.310000   192.0.2.50 26462   192.0.2.183 18866  0xD98D1F60    g711U   150  6 (3.8%)         58.347           8.229            4.726  X
 */

enum { C_CALL, C_START, C_END, C_SRC, C_SPORT, C_DST, C_DPORT, C_SSRC, C_PAYLOAD,
	C_PKTS, C_LOST, C_MAXDELTA, C_MAXJIT, C_MEANJIT, C_PROBLEMS, C_N };

static const char *const heads[C_N] = {
	"Call", "Start time", "End time", "Src IP addr", "Port", "Dest IP addr", "Port",
	"SSRC", "Payload", "Pkts", "Lost", "Max Delta(ms)", "Max Jitter(ms)",
	"Mean Jitter(ms)", "Problems?",
};
/* tshark right-aligns every column but the last */
static const bool right[C_N] = {
	true, true, true, true, true, true, true, true, true, true, true, true, true,
	true, false,
};

struct srow {
	const struct sl_call *call;
	const struct sl_stream *s;
};

/* "6 (3.8%)", as tshark prints lost packets against expected ones */
static enum sl_err
lost_cell(struct sl_buf *b, const struct sl_stream *s)
{
	char pct[SL_FMT_NUM];
	int64_t pm = 0;
	if (s->expected > 0 && s->expected < (uint64_t)INT64_MAX / 1000) {
		int64_t ex = (int64_t)s->expected;
		int64_t x = s->lost * 1000;
		pm = (x + (x < 0 ? -ex / 2 : ex / 2)) / ex;
	}
	return sl_buf_printf(b, "%lld (%s%%)", (long long)s->lost, sl_fmt_fixed(pct, pm, 1));
}

static enum sl_err
ms_cell(struct sl_buf *b, double v, bool present)
{
	char t[SL_FMT_NUM];
	return sl_buf_adds(b, present && sl_fmt_double(t, v, 3) ? t : "-");
}

static enum sl_err
cell(struct sl_buf *b, size_t col, const void *row, const void *user)
{
	const struct srow *r = row;
	const struct sl_report_opts *opts = user;
	const struct sl_stream *s = r->s;
	char t[SL_EP_STRLEN];
	bool jit = s->clock_rate != 0;
	switch (col) {
	case C_CALL:
		return sl_buf_printf(b, "%lu", (unsigned long)r->call->index);
	case C_START:
		return sl_buf_adds(b, sl_fmt_secs(t, s->first_ts - opts->base_ts_ns, 6));
	case C_END:
		return sl_buf_adds(b, sl_fmt_secs(t, s->last_ts - opts->base_ts_ns, 6));
	case C_SRC:
		return sl_buf_adds(b, sl_ip_str(&s->src.ip, t, sizeof t));
	case C_SPORT:
		return sl_buf_printf(b, "%u", (unsigned)s->src.port);
	case C_DST:
		return sl_buf_adds(b, sl_ip_str(&s->dst.ip, t, sizeof t));
	case C_DPORT:
		return sl_buf_printf(b, "%u", (unsigned)s->dst.port);
	case C_SSRC:
		return sl_buf_printf(b, "0x%08X", (unsigned)s->ssrc);
	case C_PAYLOAD:
		return sl_fmt_put(b, sl_fmt_ws_codec(s->codec, s->pt, t), 24);
	case C_PKTS:
		return sl_buf_printf(b, "%llu", (unsigned long long)s->packets);
	case C_LOST:
		return lost_cell(b, s);
	case C_MAXDELTA:
		return ms_cell(b, s->max_delta_ms, true);
	case C_MAXJIT:
		return ms_cell(b, s->max_jitter_ms, jit);
	case C_MEANJIT:
		return ms_cell(b, s->mean_jitter_ms, jit);
	case C_PROBLEMS:
		return sl_stream_seq_problems(s) ? sl_buf_addc(b, 'X') : SL_OK;
	}
	return SL_OK;
}

void
sl_report_rtp_init(struct sl_table *t)
{
	sl_table_init(t, C_N, heads, right);
}

enum sl_err
sl_report_rtp_add(struct sl_table *t, const struct sl_call *call,
    const struct sl_report_opts *opts)
{
	enum sl_err e = SL_OK;
	for (const struct sl_stream *s = call->streams; s && e == SL_OK; s = s->next) {
		struct srow r = { call, s };
		e = sl_table_add(t, cell, &r, opts);
	}
	return e;
}
