/* cli_db.c: sipladder db: list the stored captures, search the calls,
 * prune, vacuum, check, and run read-only SQL. Each opens the database
 * only as far as it needs (reading, except prune and vacuum) and never
 * creates it: a missing database is said as such. */
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

#define N_COLS 9

static const char *const list_heads[N_COLS] = {
	"id", "start", "end", "packets", "drops", "calls", "skipped", "state", "source",
};
static const bool list_right[N_COLS] = {
	true, false, false, true, true, true, true, false, false,
};

static enum sl_err
write_out(void *user, const char *p, size_t n)
{
	(void)user;
	return fwrite(p, 1, n, stdout) == n ? SL_OK : SL_EIO;
}

static enum sl_err
print_buf(struct sl_buf *b)
{
	enum sl_err e = b->len ? write_out(NULL, b->p, b->len) : SL_OK;
	sl_buf_reset(b);
	return e;
}

/* A time cell: ISO 8601 UTC to the millisecond, "-" for none */
static enum sl_err
time_cell(struct sl_buf *b, bool have, int64_t ts)
{
	return have ? sl_report_utc(b, ts, 3) : sl_buf_adds(b, "-");
}

static enum sl_err
list_row(void *user, const struct sl_store_capture *c)
{
	struct sl_report_grid *g = user;
	const struct sl_store_totals *t = &c->totals;
	/* the cells of one row, NUL-separated in one buffer */
	struct sl_buf b;
	sl_buf_init(&b, 1u << 20);
	size_t at[N_COLS];
	enum sl_err e = SL_OK;
	for (int col = 0; e == SL_OK && col < N_COLS; col++) {
		at[col] = b.len;
		switch (col) {
		case 0: e = sl_buf_printf(&b, "%lld", (long long)c->id); break;
		case 1: e = time_cell(&b, t->have_start, t->start_ts); break;
		case 2: e = time_cell(&b, t->end_ts != 0, t->end_ts); break;
		case 3: e = sl_buf_printf(&b, "%llu", (unsigned long long)t->frames); break;
		case 4: e = sl_buf_printf(&b, "%llu", (unsigned long long)t->drops); break;
		case 5: e = sl_buf_printf(&b, "%llu", (unsigned long long)t->calls_stored); break;
		case 6: e = sl_buf_printf(&b, "%llu", (unsigned long long)t->calls_skipped); break;
		/* not finished: still running, or cut off (killed, crashed) */
		case 7: e = sl_buf_adds(&b, c->finished ? "finished" : "open"); break;
		default: e = sl_buf_adds(&b, c->source ? c->source : ""); break;
		}
		if (e == SL_OK)
			e = sl_buf_addc(&b, '\0');
	}
	if (e == SL_OK) {
		const char *cells[N_COLS];
		for (int col = 0; col < N_COLS; col++)
			cells[col] = b.p + at[col];
		e = sl_report_grid_row(g, cells);
	}
	sl_buf_free(&b);
	return e;
}

static enum sl_err
list(struct sl_store *s)
{
	struct sl_report_grid *g = sl_report_grid_new(N_COLS, list_heads, list_right);
	if (g == NULL)
		return SL_ENOMEM;
	enum sl_err e = sl_store_captures(s, 0, list_row, g);
	if (e == SL_OK) {
		struct sl_buf b;
		sl_buf_init(&b, 1u << 30);
		e = sl_report_grid_render(&b, g);
		if (e == SL_OK)
			e = print_buf(&b);
		sl_buf_free(&b);
	}
	sl_report_grid_free(g);
	return e;
}

static enum sl_err
search(struct sl_cli *cli, struct sl_store *s)
{
	struct sl_cli_out o;
	enum sl_err e = sl_cli_out_init(&o, cli, SL_CMD_CALLS, false);
	cli->search.capture = cli->capture_id;
	if (e == SL_OK)
		e = sl_cli_show_load(s, &cli->search, &o);
	if (e == SL_OK)
		e = sl_cli_out_end(&o, NULL);
	if (e == SL_OK && !cli->quiet)
		fprintf(stderr, "# %llu call%s matched\n", (unsigned long long)o.shown,
		    o.shown == 1 ? "" : "s");
	sl_cli_out_free(&o);
	return e;
}

static enum sl_err
prune(const struct sl_cli *cli, struct sl_store *s)
{
	struct sl_store_prune p;
	sl_cli_prune_limits(cli, &p);
	struct sl_store_pruned r;
	enum sl_err e = sl_store_prune(s, &p, &r);
	if (e == SL_OK)
		sl_cli_print_pruned(stdout, "", &r);
	return e;
}

static enum sl_err
vacuum(struct sl_store *s)
{
	uint64_t before = 0, after = 0;
	enum sl_err e = sl_store_size(s, &before);
	if (e == SL_OK)
		e = sl_store_vacuum(s);
	if (e == SL_OK)
		e = sl_store_size(s, &after);
	if (e == SL_OK)
		printf("vacuumed: %llu -> %llu bytes\n", (unsigned long long)before,
		    (unsigned long long)after);
	return e;
}

int
sl_cli_db(struct sl_cli *cli)
{
	/* prune and vacuum write; the others only read, so they work on a
	 * database another process is filling */
	bool writes = cli->db_cmd == SL_DB_PRUNE || cli->db_cmd == SL_DB_VACUUM;
	struct sl_store *s;
	char path[SL_CLI_PATH_MAX];
	int rc = sl_cli_db_open(cli, writes ? SL_STORE_WRITE : SL_STORE_READ, false, &s, path);
	if (rc >= 0)
		return rc;
	enum sl_err e = SL_OK;
	switch (cli->db_cmd) {
	case SL_DB_LIST:
		e = list(s);
		break;
	case SL_DB_SEARCH:
		e = search(cli, s);
		break;
	case SL_DB_PRUNE:
		e = prune(cli, s);
		break;
	case SL_DB_VACUUM:
		e = vacuum(s);
		break;
	case SL_DB_CHECK:
		e = sl_store_check(s);
		if (e == SL_OK)
			printf("%s: ok\n", path);
		break;
	case SL_DB_SQL:
		e = sl_store_sql(s, cli->sql, cli->json ? SL_STORE_SQL_JSON : SL_STORE_SQL_TSV,
		    write_out, NULL);
		break;
	}
	if (e == SL_OK && fflush(stdout) != 0)
		e = SL_EIO;
	rc = e == SL_OK ? SL_EXIT_OK : sl_cli_db_fail(s, e);
	/* nothing is left open to commit: prune and vacuum commit their own */
	sl_store_close(s);
	return rc;
}
