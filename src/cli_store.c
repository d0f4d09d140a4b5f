/* cli_store.c: where the database is, opening it with the errors a user
 * can act on, and the store a run writes into (read, capture, --db):
 * its sink, a commit each second however busy the input, the drop
 * counters of a live capture and the retention limits. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"

#define PRUNE_EVERY_NS (60 * 1000000000LL)	/* capture: retention, once a minute */

bool
sl_cli_db_path(const struct sl_cli *cli, char out[SL_CLI_PATH_MAX])
{
	const char *env = getenv("SIPLADDER_DB");
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	int n;
	if (cli->db)
		n = snprintf(out, SL_CLI_PATH_MAX, "%s", cli->db);
	else if (env && *env)
		n = snprintf(out, SL_CLI_PATH_MAX, "%s", env);
	else if (xdg && *xdg)
		n = snprintf(out, SL_CLI_PATH_MAX, "%s/sipladder/sipladder.db", xdg);
	else if (home && *home)
		n = snprintf(out, SL_CLI_PATH_MAX, "%s/.local/share/sipladder/sipladder.db", home);
	else {
		fprintf(stderr, "sipladder: no database: neither SIPLADDER_DB nor HOME is set "
		    "(give --db DB)\n");
		return false;
	}
	if (n < 0 || n >= SL_CLI_PATH_MAX) {
		fprintf(stderr, "sipladder: database path too long\n");
		return false;
	}
	return true;
}

/* mkdir -p of path's directory, each new one 0700: the default database
 * lives under the user's home and says who called whom */
static bool
make_parents(char *path)
{
	for (char *p = strchr(path + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		int r = mkdir(path, 0700);
		int err = errno;
		*p = '/';
		if (r != 0 && err != EEXIST) {
			*p = '\0';
			fprintf(stderr, "sipladder: %s: cannot create the database's directory: %s\n",
			    path, strerror(err));
			*p = '/';
			return false;
		}
	}
	return true;
}

int
sl_cli_db_fail(const struct sl_store *s, enum sl_err e)
{
	const struct sl_store_error *err = sl_store_error(s);
	if (err->code == SL_STORE_OK) {
		/* not the store's: writing the output failed */
		fprintf(stderr, "sipladder: %s\n", sl_strerror(e));
		return SL_EXIT_FAIL;
	}
	fprintf(stderr, "sipladder: %s\n", err->msg);
	if (e == SL_EUSAGE)
		return SL_EXIT_USAGE;
	return e == SL_ENOMEM ? SL_EXIT_FAIL : SL_EXIT_DB;
}

int
sl_cli_db_open(const struct sl_cli *cli, enum sl_store_mode mode, bool create,
    struct sl_store **s, char path[SL_CLI_PATH_MAX])
{
	*s = NULL;
	if (!sl_cli_db_path(cli, path))
		return SL_EXIT_DB;
	struct stat st;
	if (!create && stat(path, &st) != 0 && errno == ENOENT) {
		fprintf(stderr, "sipladder: no stored calls in %s (sipladder read FILE... stores "
		    "them)\n", path);
		return SL_EXIT_DB;
	}
	bool is_default = cli->db == NULL && !(getenv("SIPLADDER_DB") && *getenv("SIPLADDER_DB"));
	if (create && is_default && !make_parents(path))
		return SL_EXIT_DB;
	struct sl_store_opts o;
	sl_store_opts_default(&o);
	o.mode = mode;
	struct sl_store_error err;
	enum sl_err e = sl_store_open(s, path, &o, &err);
	if (e == SL_OK)
		return -1;
	fprintf(stderr, "sipladder: %s\n", err.msg[0] ? err.msg : sl_strerror(e));
	return e == SL_ENOMEM ? SL_EXIT_FAIL : SL_EXIT_DB;
}

static int64_t
wall_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

bool
sl_cli_prune_limits(const struct sl_cli *cli, struct sl_store_prune *p)
{
	*p = (struct sl_store_prune){ .max_calls = cli->max_calls, .max_bytes = cli->max_bytes };
	if (cli->max_age_s)
		p->before_ts = wall_ns() - (int64_t)cli->max_age_s * 1000000000LL;
	return p->max_calls || p->max_bytes || cli->max_age_s;
}

void
sl_cli_print_pruned(FILE *f, const char *prefix, const struct sl_store_pruned *r)
{
	fprintf(f, "%spruned: %llu call%s, %llu capture%s (%llu -> %llu bytes)\n", prefix,
	    (unsigned long long)r->calls, r->calls == 1 ? "" : "s",
	    (unsigned long long)r->captures, r->captures == 1 ? "" : "s",
	    (unsigned long long)r->bytes_before, (unsigned long long)r->bytes_after);
}

/* ----- a store written during a run ----- */

static uint64_t
drops(void *user)
{
	struct sl_cli_store *cs = user;
	return atomic_load(&cs->drops);
}

/* Named among the captures that could not be opened ("<path>: why") */
static bool
unreadable(const char *file, const char *const *bad, size_t n)
{
	size_t len = strlen(file);
	for (size_t i = 0; i < n; i++)
		if (strncmp(bad[i], file, len) == 0 && bad[i][len] == ':')
			return true;
	return false;
}

/* The source the capture record names: the files as given (those that
 * could be read), or the interfaces */
static enum sl_err
source_text(struct sl_cli_store *cs)
{
	const struct sl_cli *cli = cs->cli;
	enum sl_err e = SL_OK;
	if (cli->cmd == SL_CMD_CAPTURE) {
		for (size_t i = 0; e == SL_OK && i < cli->n_ifaces; i++)
			e = sl_buf_printf(&cs->source, "%s%s", i ? "," : "", cli->ifaces[i]);
		if (e == SL_OK && cli->n_ifaces == 0)
			e = sl_buf_adds(&cs->source, "any");
	} else {
		const char *bad[16];
		size_t n_bad = 0, nb = sl_input_unreadable(cs->in, bad, 16, &n_bad);
		bool first = true;
		for (size_t i = 0; e == SL_OK && i < cli->n_files; i++) {
			if (unreadable(cli->files[i], bad, nb))
				continue;
			e = sl_buf_printf(&cs->source, "%s%s", first ? "" : " ", cli->files[i]);
			first = false;
		}
	}
	return e;
}

static enum sl_err
prune(struct sl_cli_store *cs)
{
	struct sl_store_prune p;
	if (!sl_cli_prune_limits(cs->cli, &p))
		return SL_OK;
	struct sl_store_pruned r;
	enum sl_err e = sl_store_prune(cs->s, &p, &r);
	if (e != SL_OK)
		return e;
	if (cs->pruned.calls == 0 && cs->pruned.captures == 0)
		cs->pruned.bytes_before = r.bytes_before;
	cs->pruned.calls += r.calls;
	cs->pruned.captures += r.captures;
	cs->pruned.bytes_after = r.bytes_after;
	return SL_OK;
}

int
sl_cli_store_begin(struct sl_cli_store *cs, struct sl_cli *cli, struct sl_input *in,
    struct sl_sink *sink)
{
	*cs = (struct sl_cli_store){ .cli = cli, .in = in, .periodic = cli->cmd == SL_CMD_CAPTURE };
	atomic_init(&cs->drops, 0);
	int rc = sl_cli_db_open(cli, SL_STORE_WRITE, true, &cs->s, cs->path);
	if (rc >= 0)
		return rc;
	sl_buf_init(&cs->source, 1u << 20);
	struct sl_store_sink_opts so = {
		.capture = {
			.source = "",
			.interfaces = NULL,
			.filter = NULL,
		},
	};
	enum sl_err e = source_text(cs);
	if (e == SL_OK && cli->cmd == SL_CMD_CAPTURE) {
		so.capture.interfaces = cs->source.p;
		so.capture.filter = cli->filter ? cli->filter : SL_LIVE_FILTER;
		so.drops = drops;
		so.drops_user = cs;
	}
	if (e == SL_OK) {
		so.capture.source = cs->source.p ? cs->source.p : "";
		e = sl_store_sink_new(cs->s, &so, &cs->k, sink);
		rc = e == SL_OK ? -1 : sl_cli_db_fail(cs->s, e);
	} else {
		rc = SL_EXIT_FAIL;
		fprintf(stderr, "sipladder: %s\n", sl_strerror(e));
	}
	if (rc >= 0) {
		sl_store_close(cs->s);
		sl_buf_free(&cs->source);
	}
	return rc;
}

enum sl_err
sl_cli_store_round(void *user)
{
	struct sl_cli_store *cs = user;
	if (cs->in) {
		/* the pump refreshed them in this thread; the writer thread
		 * reads this copy */
		const struct sl_input_stats *st = sl_input_stats(cs->in);
		atomic_store(&cs->drops, st->live_dropped + st->live_ifdropped);
	}
	enum sl_err e = sl_store_tick(cs->s);
	if (e != SL_OK || !cs->periodic)
		return e;
	int64_t now = sl_clock_monotonic.now_ns(sl_clock_monotonic.user);
	if (now < cs->next_prune)
		return SL_OK;
	cs->next_prune = now + PRUNE_EVERY_NS;
	return prune(cs);
}

int
sl_cli_store_end(struct sl_cli_store *cs, bool run_ok)
{
	uint64_t stored = 0, skipped = 0;
	sl_store_sink_counts(cs->k, &stored, &skipped);
	/* the writer thread is gone before the store */
	sl_store_sink_free(cs->k);
	cs->k = NULL;
	int rc = -1;
	if (run_ok) {
		/* committed while the store can still say what went wrong */
		enum sl_err e = sl_store_commit(cs->s);
		if (e == SL_OK)
			e = prune(cs);
		if (e != SL_OK)
			rc = sl_cli_db_fail(cs->s, e);
	}
	/* after a failed run, close keeps what earlier commits stored */
	sl_store_close(cs->s);
	cs->s = NULL;
	const struct sl_cli *cli = cs->cli;
	if (run_ok && rc < 0) {
		if (cli->cmd == SL_CMD_READ)
			printf("read: %s: %llu call%s stored, %llu already stored\n", cs->source.p,
			    (unsigned long long)stored, stored == 1 ? "" : "s",
			    (unsigned long long)skipped);
		else if (!cli->quiet)
			fprintf(stderr, "# stored in %s: %llu call%s, %llu already stored\n", cs->path,
			    (unsigned long long)stored, stored == 1 ? "" : "s",
			    (unsigned long long)skipped);
		if (!cli->quiet && (cs->pruned.calls || cs->pruned.captures))
			sl_cli_print_pruned(stderr, "# ", &cs->pruned);
		if (fflush(stdout) != 0) {
			fprintf(stderr, "sipladder: %s\n", sl_strerror(SL_EIO));
			rc = SL_EXIT_FAIL;
		}
	}
	sl_buf_free(&cs->source);
	return rc;
}
