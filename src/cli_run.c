/* cli_run.c: runs the pipeline for one command and writes its output.
 * Ladders and JSON stream out call by call as the correlator finishes
 * them; the two tables need every row first (column widths), so those
 * commands keep the calls until the end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define OUT_CAP (64u << 20)	/* one call's rendering */

struct out {
	struct sl_cli *cli;
	struct sl_run_stats *st;
	struct sl_buf buf;
	uint64_t shown;
	uint64_t calls, regs;
	struct sl_call **kept;
	size_t n_kept, cap_kept;
	enum sl_err err;
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
	return SL_OK;
}

static enum sl_err
keep(struct out *o, struct sl_call *call)
{
	if (o->n_kept == o->cap_kept) {
		size_t cap = o->cap_kept ? o->cap_kept * 2 : 64;
		struct sl_call **k = realloc(o->kept, cap * sizeof *k);
		if (k == NULL)
			return SL_ENOMEM;
		o->kept = k;
		o->cap_kept = cap;
	}
	o->kept[o->n_kept++] = call;
	return SL_OK;
}

static enum sl_err
on_call(void *user, struct sl_call *call)
{
	struct out *o = user;
	struct sl_cli *cli = o->cli;
	if (call->kind == SL_CALL_REGISTER)
		o->regs++;
	else
		o->calls++;
	if (!selected(cli, call)) {
		sl_call_free(call);
		return SL_OK;
	}
	o->shown++;
	cli->rep.base_ts_ns = o->st->first_ts;
	enum sl_err e = SL_OK;
	if (cli->json && cli->cmd == SL_CMD_RTP) {
		e = sl_report_json_streams(&o->buf, call, &cli->rep);
	} else if (cli->json) {
		e = sl_report_json_call(&o->buf, call, &cli->rep);
	} else if (cli->cmd == SL_CMD_LADDER) {
		if (o->shown > 1)
			e = sl_buf_addc(&o->buf, '\n');
		if (e == SL_OK)
			e = sl_report_ladder(&o->buf, call, &cli->rep);
	} else {
		/* tables: rendered at the end */
		e = keep(o, call);
		if (e != SL_OK)
			sl_call_free(call);
		return e;
	}
	if (e != SL_OK)
		sl_buf_init(&o->buf, OUT_CAP);	/* the renderer freed it */
	sl_call_free(call);
	if (e == SL_OK)
		e = flush(o);
	return e;
}

static enum sl_err
tables(struct out *o)
{
	const struct sl_call *const *calls = (const struct sl_call *const *)o->kept;
	enum sl_err e;
	if (o->cli->cmd == SL_CMD_CALLS)
		e = sl_report_calls_table(&o->buf, calls, o->n_kept, &o->cli->rep);
	else
		e = sl_report_rtp_table(&o->buf, calls, o->n_kept, &o->cli->rep);
	if (e != SL_OK) {
		sl_buf_init(&o->buf, OUT_CAP);
		return e;
	}
	return flush(o);
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
summary_json(struct out *o)
{
	const struct sl_run_stats *st = o->st;
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
	enum sl_err e = sl_input_open(&in, cli->files, cli->n_files, errbuf);
	if (e != SL_OK) {
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
	if (n_bad == cli->n_files) {
		sl_input_close(in);
		return SL_EXIT_INPUT;
	}
	struct sl_run_stats st;
	struct out o = { .cli = cli, .st = &st };
	sl_buf_init(&o.buf, OUT_CAP);
	cli->run.rtp_ports = cli->rtp_ports;
	cli->run.n_rtp_ports = cli->n_rtp_ports;
	cli->run.corr.emit = on_call;
	cli->run.corr.emit_user = &o;
	cli->run.corr.emit_keeps = true;
	e = sl_pipeline_run(in, &cli->run, &st);
	if (e == SL_OK && !cli->json && cli->cmd != SL_CMD_LADDER)
		e = tables(&o);
	if (e == SL_OK && cli->json && cli->n_sel == 0)
		e = summary_json(&o);
	const char *warn[16];
	size_t nw = sl_input_warnings(in, warn, 16);
	for (size_t i = 0; i < nw; i++)
		fprintf(stderr, "sipladder: warning: %s\n", warn[i]);
	if (!cli->quiet)
		summary_text(&st, &o);
	for (size_t i = 0; i < o.n_kept; i++)
		sl_call_free(o.kept[i]);
	free(o.kept);
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
