/* cli_export.c: sipladder export --call SEL... FILE... -w OUT. The run of
 * cli_run.c is the first pass: its output is a plan (export/export.h)
 * that takes each chosen call; this file adds the second pass, which
 * writes the calls' frames, and what is said about it. */
#include <stdio.h>

#include "cli.h"
#include "export/export.h"

int
sl_cli_export_check(struct sl_input *in)
{
	if (!sl_input_is_stream(in))
		return -1;
	fprintf(stderr, "sipladder: export reads its captures twice: a pipe or FIFO can be "
	    "read once only (save it to a file first)\n");
	return SL_EXIT_USAGE;
}

static const char *
plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

int
sl_cli_export_write(struct sl_cli *cli, struct sl_export_plan *plan,
    const struct sl_run_stats *st)
{
	size_t calls = sl_export_plan_calls(plan);
	/* each --call item that matched nothing is named by the caller */
	if (calls == 0)
		return -1;
	struct sl_export_opts eo = { .run = &cli->run, .first_frame = 1, .frames = st->frames };
	struct sl_export_result res;
	char errbuf[SL_ERRBUF_SIZE];
	enum sl_err e = sl_export_run(plan, &eo, cli->files, cli->n_files, cli->write, &res,
	    errbuf);
	if (e != SL_OK) {
		fprintf(stderr, "sipladder: export: %s\n", errbuf);
		return e == SL_EUSAGE ? SL_EXIT_USAGE : SL_EXIT_FAIL;
	}
	uint64_t unknown = sl_export_plan_unknown_msgs(plan);
	if (unknown)
		fprintf(stderr, "sipladder: warning: export: %llu SIP message%s over the call "
		    "memory cap: not in %s\n", (unsigned long long)unknown, plural(unknown),
		    cli->write);
	if (res.raw_ip)
		fprintf(stderr, "sipladder: export: the frames have several link types and a "
		    "pcap file holds one: written as raw IP, without their link headers\n");
	if (!cli->quiet)
		fprintf(stderr, "export: %llu frame%s of %zu call%s written to %s\n",
		    (unsigned long long)res.frames_written, plural(res.frames_written), calls,
		    plural(calls), cli->write);
	return -1;
}
