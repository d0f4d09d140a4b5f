/* cli_run.c: runs the engine for one command, with the command's output
 * as its sink. Ladders and JSON are written call by call as the engine
 * emits them (and flushed, so a pipe shows each call as it ends); the two
 * tables need every row first (column widths), so they keep each call's
 * row as text and print at the end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define OUT_CAP (64u << 20)	/* one call's rendering */

struct out {
	struct sl_cli *cli;
	struct sl_buf buf;
	uint64_t shown;
	uint64_t calls, regs;
	struct sl_report_table *table;	/* calls and rtp without --json */
};

static bool
matches(struct sl_str sel, const struct sl_call *call)
{
	uint32_t n;
	if (sel.n > 1 && sel.p[0] == 'R' &&
	    sl_str_u32(sl_str_make(sel.p + 1, sel.n - 1), UINT32_MAX, &n))
		return call->kind == SL_CALL_REGISTER && call->index == n;
	if (sl_str_u32(sel, UINT32_MAX, &n))
		return call->index == n;
	for (const struct sl_leg *l = call->legs; l; l = l->next)
		if (sl_str_eq(l->call_id, sel))
			return true;
	return false;
}

/* Every selector is tried, so each one that matched is known */
static bool
selected(struct sl_cli *cli, const struct sl_call *call)
{
	bool any = cli->n_sel == 0;
	for (size_t i = 0; i < cli->n_sel; i++)
		if (matches(cli->sel[i], call)) {
			cli->sel_hit[i] = true;
			any = true;
		}
	return any;
}

static enum sl_err
flush(struct out *o)
{
	if (o->buf.len && fwrite(o->buf.p, 1, o->buf.len, stdout) != o->buf.len)
		return SL_EIO;
	sl_buf_reset(&o->buf);
	/* a reader at the other end of a pipe sees each call as it ends */
	return fflush(stdout) == 0 ? SL_OK : SL_EIO;
}

static enum sl_err
on_begin(void *user, const struct sl_run_stats *st)
{
	struct out *o = user;
	o->cli->rep.base_ts_ns = st->first_ts;
	return SL_OK;
}

static enum sl_err
on_call(void *user, const struct sl_call *call, const struct sl_run_stats *st)
{
	(void)st;
	struct out *o = user;
	struct sl_cli *cli = o->cli;
	if (call->kind == SL_CALL_REGISTER)
		o->regs++;
	else
		o->calls++;
	if (!selected(cli, call))
		return SL_OK;
	o->shown++;
	enum sl_err e = SL_OK;
	if (o->table)
		return sl_report_table_add(o->table, call, &cli->rep);
	if (cli->json && cli->cmd == SL_CMD_RTP) {
		e = sl_report_json_streams(&o->buf, call, &cli->rep);
	} else if (cli->json) {
		e = sl_report_json_call(&o->buf, call, &cli->rep);
	} else {
		if (o->shown > 1)
			e = sl_buf_addc(&o->buf, '\n');
		if (e == SL_OK)
			e = sl_report_ladder(&o->buf, call, &cli->rep);
	}
	if (e != SL_OK) {
		sl_buf_init(&o->buf, OUT_CAP);	/* the renderer freed it */
		return e;
	}
	return flush(o);
}

static enum sl_err summary_json(struct out *o, const struct sl_run_stats *st);

static enum sl_err
on_end(void *user, const struct sl_run_stats *st)
{
	struct out *o = user;
	if (o->table) {
		enum sl_err e = sl_report_table_render(&o->buf, o->table);
		if (e != SL_OK) {
			sl_buf_init(&o->buf, OUT_CAP);
			return e;
		}
		return flush(o);
	}
	if (o->cli->json && o->cli->n_sel == 0)
		return summary_json(o, st);
	return SL_OK;
}

static void
summary_text(const struct sl_run_stats *st, const struct out *o)
{
	struct sl_run_count sk[32];
	size_t n = sl_run_skipped(st, sk, 32);
	unsigned long long calls = o->calls, regs = o->regs;
	fprintf(stderr, "# %llu frames: %llu SIP messages (%llu retransmitted), %llu RTP, %llu RTCP, "
	    "%llu ICMP; %llu call%s, %llu registration%s",
	    (unsigned long long)st->frames, (unsigned long long)st->corr.sip_msgs,
	    (unsigned long long)st->corr.sip_retrans, (unsigned long long)st->corr.rtp_packets,
	    (unsigned long long)st->corr.rtcp_packets,
	    (unsigned long long)(st->corr.icmp_attributed + st->corr.icmp_unattributed),
	    calls, calls == 1 ? "" : "s", regs, regs == 1 ? "" : "s");
	if (st->anomalies)
		fprintf(stderr, "; %llu anomalies", (unsigned long long)st->anomalies);
	fprintf(stderr, "; skipped: ");
	if (n == 0)
		fprintf(stderr, "none");
	for (size_t i = 0; i < n; i++)
		fprintf(stderr, "%s%llu %s", i ? ", " : "", (unsigned long long)sk[i].count, sk[i].name);
	fputc('\n', stderr);
	if (st->corr.out_of_order_emits)
		fprintf(stderr, "# %llu calls printed out of start order (too many calls waiting)\n",
		    (unsigned long long)st->corr.out_of_order_emits);
}

static enum sl_err
summary_json(struct out *o, const struct sl_run_stats *st)
{
	struct sl_run_count sk[32];
	size_t n = sl_run_skipped(st, sk, 32);
	struct sl_report_count rc[32];
	for (size_t i = 0; i < n; i++)
		rc[i] = (struct sl_report_count){ sk[i].id, sk[i].count };
	struct sl_report_totals t = {
		.frames = st->frames,
		.sip_messages = st->corr.sip_msgs,
		.rtp_packets = st->corr.rtp_packets,
		.rtcp_packets = st->corr.rtcp_packets,
		/* all ICMP errors read, as the text summary counts them */
		.icmp_packets = st->corr.icmp_attributed + st->corr.icmp_unattributed,
		.icmp_unattributed = st->corr.icmp_unattributed,
		.calls = o->calls,
		.registrations = o->regs,
		.skipped = rc,
		.n_skipped = n,
	};
	enum sl_err e = sl_report_json_summary(&o->buf, &t);
	if (e != SL_OK) {
		sl_buf_init(&o->buf, OUT_CAP);
		return e;
	}
	return flush(o);
}

int
sl_cli_run(struct sl_cli *cli)
{
	char errbuf[SL_ERRBUF_SIZE] = "";
	struct sl_input *in;
	enum sl_err e = SL_OK;
	if (cli->cmd == SL_CMD_CAPTURE) {
		int rc = sl_cli_capture_open(cli, &in);
		if (rc >= 0)
			return rc;
	} else if ((e = sl_input_open(&in, cli->files, cli->n_files, errbuf)) != SL_OK) {
		fprintf(stderr, "sipladder: %s\n", errbuf);
		return e == SL_EIO ? SL_EXIT_INPUT : SL_EXIT_FAIL;
	}
	/* each unreadable capture is named; the others are still analysed,
	 * and the exit code says 3 at the end */
	const char *bad[16];
	size_t n_bad = 0, nb = sl_input_unreadable(in, bad, 16, &n_bad);
	for (size_t i = 0; i < nb; i++)
		fprintf(stderr, "sipladder: %s\n", bad[i]);
	if (n_bad > nb)
		fprintf(stderr, "sipladder: and %zu more unreadable captures\n", n_bad - nb);
	if (cli->cmd != SL_CMD_CAPTURE && n_bad == cli->n_files) {
		sl_input_close(in);
		return SL_EXIT_INPUT;
	}
	struct out o = { .cli = cli };
	sl_buf_init(&o.buf, OUT_CAP);
	if (!cli->json && (cli->cmd == SL_CMD_CALLS || cli->cmd == SL_CMD_RTP)) {
		o.table = sl_report_table_new(cli->cmd == SL_CMD_RTP ? SL_REPORT_TABLE_RTP :
		    SL_REPORT_TABLE_CALLS);
		if (o.table == NULL) {
			sl_input_close(in);
			fprintf(stderr, "sipladder: %s\n", sl_strerror(SL_ENOMEM));
			return SL_EXIT_FAIL;
		}
	}
	cli->run.rtp_ports = cli->rtp_ports;
	cli->run.n_rtp_ports = cli->n_rtp_ports;
	/* a pipe is shown as it comes: no call waits on a slow one ahead
	 * (tables print at the end anyway, in start order) */
	if (sl_input_is_stream(in) && o.table == NULL)
		cli->run.corr.max_waiting = 0;
	struct sl_sink sink = { on_begin, on_call, on_end, &o };
	struct sl_engine *eng = sl_engine_new(&cli->run, &sink, 1);
	if (eng == NULL)
		e = SL_ENOMEM;
	else if (cli->cmd == SL_CMD_CAPTURE)
		e = sl_cli_capture_run(cli, in, eng);
	else
		e = sl_pipeline_run(in, eng, &sl_clock_monotonic);
	struct sl_run_stats st = { 0 };
	if (eng)
		st = *sl_engine_stats(eng);
	sl_engine_free(eng);
	/* a stream found not to be a capture only once its bytes came */
	size_t n_bad_end = 0;
	nb = sl_input_unreadable(in, bad, 16, &n_bad_end);
	for (size_t i = n_bad; i < nb; i++)
		fprintf(stderr, "sipladder: %s\n", bad[i]);
	n_bad = n_bad_end;
	const char *warn[16];
	size_t nw = sl_input_warnings(in, warn, 16);
	for (size_t i = 0; i < nw; i++)
		fprintf(stderr, "sipladder: warning: %s\n", warn[i]);
	if (!cli->quiet)
		summary_text(&st, &o);
	const struct sl_input_stats *ist = sl_input_stats(in);
	/* drops are never hidden, not even by --quiet */
	if (cli->cmd == SL_CMD_CAPTURE && (!cli->quiet || ist->live_dropped || ist->live_ifdropped))
		fprintf(stderr, "# capture: %llu packets received by filter, %llu dropped by kernel, "
		    "%llu dropped by interface\n", (unsigned long long)ist->live_received,
		    (unsigned long long)ist->live_dropped, (unsigned long long)ist->live_ifdropped);
	sl_report_table_free(o.table);
	sl_buf_free(&o.buf);
	sl_input_close(in);
	if (fflush(stdout) != 0 && e == SL_OK)
		e = SL_EIO;
	if (e != SL_OK) {
		fprintf(stderr, "sipladder: %s\n", sl_strerror(e));
		return SL_EXIT_FAIL;
	}
	bool unmatched = false;
	for (size_t i = 0; i < cli->n_sel; i++)
		if (!cli->sel_hit[i]) {
			fprintf(stderr, "sipladder: no call matches '%.*s'\n", SL_PRI(cli->sel[i]));
			unmatched = true;
		}
	if (n_bad)
		return SL_EXIT_INPUT;
	return unmatched ? SL_EXIT_FAIL : SL_EXIT_OK;
}
