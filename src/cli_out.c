/* cli_out.c: what ladder, calls and rtp print, whichever way the calls
 * come (emitted by the engine, or loaded from the database), so that a
 * stored call prints byte for byte as it did from its capture. Ladders
 * and JSON are written call by call (and flushed, so a pipe shows each
 * call as it ends); the two tables need every row first (column widths),
 * so they keep each call's row as text and print at the end. The summary
 * line is printed from totals, a run's or the stored ones. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "export/export.h"

#define OUT_CAP (64u << 20)	/* one call's rendering */

enum sl_cli_sel
sl_cli_sel_kind(struct sl_str sel, uint32_t *n)
{
	if (sel.n > 1 && sel.p[0] == 'R' &&
	    sl_str_u32(sl_str_make(sel.p + 1, sel.n - 1), UINT32_MAX, n))
		return SL_CLI_SEL_REG;
	if (sl_str_u32(sel, UINT32_MAX, n))
		return SL_CLI_SEL_NUM;
	return SL_CLI_SEL_CALL_ID;
}

static bool
matches(struct sl_str sel, const struct sl_call *call)
{
	uint32_t n;
	switch (sl_cli_sel_kind(sel, &n)) {
	case SL_CLI_SEL_REG:
		return call->kind == SL_CALL_REGISTER && call->index == n;
	case SL_CLI_SEL_NUM:
		return call->index == n;
	case SL_CLI_SEL_CALL_ID:
		break;
	}
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
flush(struct sl_cli_out *o)
{
	if (o->buf.len && fwrite(o->buf.p, 1, o->buf.len, stdout) != o->buf.len)
		return SL_EIO;
	sl_buf_reset(&o->buf);
	/* a reader at the other end of a pipe sees each call as it ends */
	return fflush(stdout) == 0 ? SL_OK : SL_EIO;
}

/* After a renderer's error: it freed the buffer (buf.h) */
static enum sl_err
failed(struct sl_cli_out *o, enum sl_err e)
{
	sl_buf_init(&o->buf, OUT_CAP);
	return e;
}

enum sl_err
sl_cli_out_init(struct sl_cli_out *o, struct sl_cli *cli, enum sl_cmd as, bool silent)
{
	*o = (struct sl_cli_out){ .cli = cli, .as = as, .silent = silent };
	sl_buf_init(&o->buf, OUT_CAP);
	if (as == SL_CMD_EXPORT && (o->plan = sl_export_plan_new()) == NULL)
		return SL_ENOMEM;
	if (!silent && !cli->json && (as == SL_CMD_CALLS || as == SL_CMD_RTP)) {
		o->table = sl_report_table_new(as == SL_CMD_RTP ? SL_REPORT_TABLE_RTP :
		    SL_REPORT_TABLE_CALLS);
		if (o->table == NULL)
			return SL_ENOMEM;
	}
	return SL_OK;
}

enum sl_err
sl_cli_out_call(struct sl_cli_out *o, const struct sl_call *call)
{
	struct sl_cli *cli = o->cli;
	if (call->kind == SL_CALL_REGISTER)
		o->regs++;
	else
		o->calls++;
	if (o->silent || !selected(cli, call))
		return SL_OK;
	o->shown++;
	enum sl_err e = SL_OK;
	if (o->plan)
		return sl_export_plan_add(o->plan, call);
	if (o->table)
		return sl_report_table_add(o->table, call, &cli->rep);
	if (cli->json && o->as == SL_CMD_RTP) {
		e = sl_report_json_streams(&o->buf, call, &cli->rep);
	} else if (cli->json) {
		e = sl_report_json_call(&o->buf, call, &cli->rep);
	} else {
		if (o->shown > 1)
			e = sl_buf_addc(&o->buf, '\n');
		if (e == SL_OK)
			e = sl_report_ladder(&o->buf, call, &cli->rep);
	}
	if (e != SL_OK)
		return failed(o, e);
	return flush(o);
}

static enum sl_err
summary_json(struct sl_cli_out *o, const struct sl_store_totals *t)
{
	struct sl_report_count rc[64];
	size_t n = t->n_skipped < 64 ? t->n_skipped : 64;
	for (size_t i = 0; i < n; i++)
		rc[i] = (struct sl_report_count){ t->skipped[i].id, t->skipped[i].count };
	struct sl_report_totals rt = {
		.frames = t->frames,
		.sip_messages = t->sip_messages,
		.rtp_packets = t->rtp_packets,
		.rtcp_packets = t->rtcp_packets,
		/* all ICMP errors read, as the text summary counts them */
		.icmp_packets = t->icmp_attributed + t->icmp_unattributed,
		.icmp_unattributed = t->icmp_unattributed,
		.calls = t->calls,
		.registrations = t->registrations,
		.skipped = rc,
		.n_skipped = n,
	};
	enum sl_err e = sl_report_json_summary(&o->buf, &rt);
	if (e != SL_OK)
		return failed(o, e);
	return flush(o);
}

enum sl_err
sl_cli_out_end(struct sl_cli_out *o, const struct sl_store_totals *t)
{
	if (o->table) {
		enum sl_err e = sl_report_table_render(&o->buf, o->table);
		if (e != SL_OK)
			return failed(o, e);
		return flush(o);
	}
	/* the summary object describes the whole input: not a selection */
	if (!o->silent && o->cli->json && o->cli->n_sel == 0 && t)
		return summary_json(o, t);
	return SL_OK;
}

void
sl_cli_out_free(struct sl_cli_out *o)
{
	sl_report_table_free(o->table);
	o->table = NULL;
	sl_export_plan_free(o->plan);
	o->plan = NULL;
	sl_buf_free(&o->buf);
}

void
sl_cli_summary(const struct sl_store_totals *t)
{
	unsigned long long calls = t->calls, regs = t->registrations;
	fprintf(stderr, "# %llu frames: %llu SIP messages (%llu retransmitted), %llu RTP, %llu RTCP, "
	    "%llu ICMP; %llu call%s, %llu registration%s",
	    (unsigned long long)t->frames, (unsigned long long)t->sip_messages,
	    (unsigned long long)t->sip_retrans, (unsigned long long)t->rtp_packets,
	    (unsigned long long)t->rtcp_packets,
	    (unsigned long long)(t->icmp_attributed + t->icmp_unattributed),
	    calls, calls == 1 ? "" : "s", regs, regs == 1 ? "" : "s");
	if (t->anomalies)
		fprintf(stderr, "; %llu anomalies", (unsigned long long)t->anomalies);
	fprintf(stderr, "; skipped: ");
	if (t->n_skipped == 0)
		fprintf(stderr, "none");
	for (size_t i = 0; i < t->n_skipped; i++)
		fprintf(stderr, "%s%llu %s", i ? ", " : "", (unsigned long long)t->skipped[i].count,
		    t->skipped[i].name);
	fputc('\n', stderr);
	if (t->out_of_order)
		fprintf(stderr, "# %llu calls printed out of start order (too many calls waiting)\n",
		    (unsigned long long)t->out_of_order);
}

bool
sl_cli_unmatched(const struct sl_cli *cli)
{
	bool unmatched = false;
	for (size_t i = 0; i < cli->n_sel; i++)
		if (!cli->sel_hit[i]) {
			fprintf(stderr, "sipladder: no call matches '%.*s'\n", SL_PRI(cli->sel[i]));
			unmatched = true;
		}
	return unmatched;
}
