/* cli_run.c: runs the engine for one command on capture files or
 * interfaces, with the command's output as a sink and, when the calls
 * are to be kept (read, capture, --db), the store's sink beside it.
 * Commands without capture files read the database instead (cli_show.c,
 * cli_db.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_SKIPS 32

static enum sl_err
on_begin(void *user, const struct sl_run_stats *st)
{
	struct sl_cli_out *o = user;
	o->cli->rep.base_ts_ns = st->first_ts;
	return SL_OK;
}

static enum sl_err
on_call(void *user, const struct sl_call *call, const struct sl_run_stats *st)
{
	(void)st;
	return sl_cli_out_call(user, call);
}

/* The run's totals as the summary prints them */
static void
run_totals(const struct sl_cli_out *o, const struct sl_run_stats *st, struct sl_store_totals *t,
    struct sl_store_count *sk)
{
	sl_store_totals_of_run(t, sk, MAX_SKIPS, st);
	t->calls = o->calls;
	t->registrations = o->regs;
}

static enum sl_err
on_end(void *user, const struct sl_run_stats *st)
{
	struct sl_cli_out *o = user;
	struct sl_store_totals t;
	struct sl_store_count sk[MAX_SKIPS];
	run_totals(o, st, &t, sk);
	return sl_cli_out_end(o, &t);
}

/* Each unreadable capture named from the first-th on; their total. */
static size_t
name_unreadable(struct sl_input *in, size_t first)
{
	const char *bad[16];
	size_t n_bad = 0, nb = sl_input_unreadable(in, bad, 16, &n_bad);
	for (size_t i = first; i < nb; i++)
		fprintf(stderr, "sipladder: %s\n", bad[i]);
	if (n_bad > nb && first <= nb)
		fprintf(stderr, "sipladder: and %zu more unreadable captures\n", n_bad - nb);
	return n_bad;
}

static bool
storing(const struct sl_cli *cli)
{
	if (cli->cmd == SL_CMD_READ)
		return true;
	if (cli->cmd == SL_CMD_CAPTURE)
		return !cli->no_db;
	/* ladder, calls and rtp on files store only when asked to */
	return cli->db != NULL;
}

int
sl_cli_run(struct sl_cli *cli)
{
	if (cli->cmd == SL_CMD_DB)
		return sl_cli_db(cli);
	if (cli->cmd != SL_CMD_CAPTURE && cli->cmd != SL_CMD_READ && cli->n_files == 0)
		return sl_cli_show(cli);
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
	size_t n_bad = name_unreadable(in, 0);
	if (cli->cmd != SL_CMD_CAPTURE && n_bad == cli->n_files) {
		sl_input_close(in);
		return SL_EXIT_INPUT;
	}
	int export_rc = cli->cmd == SL_CMD_EXPORT ? sl_cli_export_check(in) : -1;
	if (export_rc >= 0) {
		sl_input_close(in);
		return export_rc;
	}
	struct sl_cli_out o;
	if (sl_cli_out_init(&o, cli, cli->cmd, cli->cmd == SL_CMD_READ) != SL_OK) {
		sl_cli_out_free(&o);
		sl_input_close(in);
		fprintf(stderr, "sipladder: %s\n", sl_strerror(SL_ENOMEM));
		return SL_EXIT_FAIL;
	}
	cli->run.rtp_ports = cli->rtp_ports;
	cli->run.n_rtp_ports = cli->n_rtp_ports;
	/* a pipe is shown as it comes: no call waits on a slow one ahead
	 * (tables print at the end anyway, in start order) */
	if (sl_input_is_stream(in) && o.table == NULL)
		cli->run.corr.max_waiting = 0;
	struct sl_sink sinks[2] = { { .begin = on_begin, .call = on_call, .end = on_end, .user = &o } };
	size_t n_sinks = 1;
	/* big (a path buffer): on the heap */
	struct sl_cli_store *cs = NULL;
	if (storing(cli)) {
		cs = calloc(1, sizeof *cs);
		int rc = cs ? sl_cli_store_begin(cs, cli, in, &sinks[1]) : SL_EXIT_FAIL;
		if (cs == NULL)
			fprintf(stderr, "sipladder: %s\n", sl_strerror(SL_ENOMEM));
		if (rc >= 0) {
			free(cs);
			sl_cli_out_free(&o);
			sl_input_close(in);
			return rc;
		}
		n_sinks = 2;
	}
	struct sl_engine *eng = sl_engine_new(&cli->run, sinks, n_sinks);
	enum sl_err (*round)(void *) = cs ? sl_cli_store_round : NULL;
	if (eng == NULL) {
		e = SL_ENOMEM;
	} else if (cli->cmd == SL_CMD_CAPTURE) {
		e = sl_cli_capture_run(cli, in, eng, round, cs);
	} else {
		struct sl_pump p;
		sl_pump_init(&p, in, eng, &sl_clock_monotonic);
		p.round = round;
		p.round_user = cs;
		e = sl_pump_run(&p);
	}
	struct sl_run_stats st = { 0 };
	if (eng)
		st = *sl_engine_stats(eng);
	sl_engine_free(eng);
	/* a stream found not to be a capture only once its bytes came */
	n_bad = name_unreadable(in, n_bad);
	const char *warn[16];
	size_t nw = sl_input_warnings(in, warn, 16);
	for (size_t i = 0; i < nw; i++)
		fprintf(stderr, "sipladder: warning: %s\n", warn[i]);
	if (!cli->quiet) {
		struct sl_store_totals t;
		struct sl_store_count sk[MAX_SKIPS];
		run_totals(&o, &st, &t, sk);
		/* export's summary is what it wrote (below) */
		if (cli->cmd != SL_CMD_EXPORT)
			sl_cli_summary(&t);
		/* kept copies make every SIP message look retransmitted */
		if (st.duplicates > st.duplicates_removed)
			fprintf(stderr, "# %llu packet%s seen twice (same bytes within %lld ms: "
			    "several capture points?); --dedup removes them\n",
			    (unsigned long long)st.duplicates,
			    st.duplicates == 1 ? " was" : "s were",
			    (long long)(cli->run.dedup_window_ns / 1000000));
	}
	const struct sl_input_stats *ist = sl_input_stats(in);
	/* drops are never hidden, not even by --quiet */
	if (cli->cmd == SL_CMD_CAPTURE && (!cli->quiet || ist->live_dropped || ist->live_ifdropped))
		fprintf(stderr, "# capture: %llu packets received by filter, %llu dropped by kernel, "
		    "%llu dropped by interface\n", (unsigned long long)ist->live_received,
		    (unsigned long long)ist->live_dropped, (unsigned long long)ist->live_ifdropped);
	if (cli->cmd == SL_CMD_EXPORT && e == SL_OK)
		export_rc = sl_cli_export_write(cli, o.plan, &st);
	sl_cli_out_free(&o);
	if (fflush(stdout) != 0 && e == SL_OK)
		e = SL_EIO;
	/* the store's failure has its own words and exit code */
	int db_rc = -1;
	if (cs) {
		if (e == SL_EDB)
			db_rc = sl_cli_db_fail(cs->s, e);
		int rc = sl_cli_store_end(cs, e == SL_OK);
		if (db_rc < 0)
			db_rc = rc;
		free(cs);
	}
	sl_input_close(in);
	if (db_rc >= 0)
		return db_rc;
	if (e != SL_OK) {
		fprintf(stderr, "sipladder: %s\n", sl_strerror(e));
		return SL_EXIT_FAIL;
	}
	if (export_rc >= 0)
		return export_rc;
	bool unmatched = sl_cli_unmatched(cli);
	if (n_bad)
		return SL_EXIT_INPUT;
	return unmatched ? SL_EXIT_FAIL : SL_EXIT_OK;
}
