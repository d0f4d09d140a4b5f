/* test_store_errors.c: what the store does with bad databases and bad
 * moments. A file that is not a database, another program's database, a
 * newer schema, a missing file, a store opened for reading, a locked
 * database and a full disk each give their own code and one line naming
 * the file; none of them changes a byte already stored, and the file
 * passes PRAGMA integrity_check afterwards. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/unit/store_util.h"
#include "tests/unit/unit.h"

static SL_TEST_STATE(ts);

static enum sl_err
try_open(const char *db, enum sl_store_mode mode, struct sl_store **s, struct sl_store_error *err)
{
	struct sl_store_opts o;
	sl_store_opts_default(&o);
	o.mode = mode;
	o.busy_timeout_ms = 50;
	return sl_store_open(s, db, &o, err);
}

static char *
slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	char *p = malloc(1u << 20);
	*n = p ? fread(p, 1, 1u << 20, f) : 0;
	fclose(f);
	return p;
}

/* Both modes refuse path with code; the bytes stay as they were. */
static void
refused(const char *path, enum sl_store_code code, const char *what)
{
	size_t n0 = 0, n1 = 0;
	char *before = slurp(path, &n0);
	for (int m = SL_STORE_READ; m <= SL_STORE_WRITE; m++) {
		struct sl_store *s = NULL;
		struct sl_store_error err;
		enum sl_err e = try_open(path, (enum sl_store_mode)m, &s, &err);
		SL_CHECK_MSG(&ts, e == SL_EDB && s == NULL && err.code == code, "%s (%s): got %s: %s",
		    what, m ? "write" : "read", sl_store_code_name(err.code), err.msg);
		SL_CHECK_MSG(&ts, strstr(err.msg, path) == err.msg && !strchr(err.msg, '\n'),
		    "%s: the message names the file, on one line: %s", what, err.msg);
	}
	char *after = slurp(path, &n1);
	SL_CHECK_MSG(&ts, before && after && n0 == n1 && memcmp(before, after, n0) == 0,
	    "%s: the file changed", what);
	free(before);
	free(after);
}

/* A 4-byte big-endian field of the SQLite header (user_version is at 60,
 * application_id at 68): how another program or a later sipladder would
 * have left the file. */
static void
patch_header(const char *path, long off, uint32_t v)
{
	FILE *f = fopen(path, "r+b");
	SL_CHECK(&ts, f != NULL);
	if (f == NULL)
		return;
	unsigned char b[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16),
		(unsigned char)(v >> 8), (unsigned char)v };
	SL_CHECK(&ts, fseek(f, off, SEEK_SET) == 0 && fwrite(b, 1, 4, f) == 4);
	fclose(f);
}

static int64_t
one_call(struct sl_store *s, unsigned k, const char *tag, enum sl_err *e)
{
	int64_t cap = 0;
	*e = sl_store_capture_begin(s, &(struct sl_store_capture_info){ .source = tag }, &cap);
	struct sl_call *c = tu_synth_call(k, tag);
	bool skipped;
	if (*e == SL_OK)
		*e = sl_store_write_call(s, cap, c, &skipped);
	fx_free_call(c);
	return cap;
}

static void
bad_files(void)
{
	char db[512];
	tu_path(db, sizeof db, "text");
	FILE *f = fopen(db, "w");
	fputs("this is a text file, not a database; it is long enough to hold an SQLite header "
	    "and then some more bytes so that SQLite reads a whole first page of it.\n", f);
	fclose(f);
	refused(db, SL_STORE_ENOTDB, "text file");
	tu_rm(db);

	tu_path(db, sizeof db, "missing");
	struct sl_store *s = NULL;
	struct sl_store_error err;
	SL_CHECK(&ts, try_open(db, SL_STORE_READ, &s, &err) == SL_EDB &&
	    err.code == SL_STORE_EOPEN);
	SL_CHECK(&ts, access(db, F_OK) != 0);	/* reading creates nothing */

	/* a database of ours, then the same bytes as another program's and
	 * as a later sipladder's */
	tu_path(db, sizeof db, "patched");
	SL_CHECK(&ts, tu_import(db, &(const char *){ SL_SOURCE_DIR
	    "/sample-pcaps/b2bua-auth.pcap" }, 1, NULL, NULL) == 1);
	patch_header(db, 68, 0x12345678);
	refused(db, SL_STORE_ENOTDB, "another program's database");
	patch_header(db, 68, SL_STORE_APP_ID);
	patch_header(db, 60, SL_STORE_SCHEMA + 1);
	refused(db, SL_STORE_ENEWER, "newer schema");
	patch_header(db, 60, SL_STORE_SCHEMA);
	SL_CHECK(&ts, tu_count(db, "SELECT count(*) FROM calls") == 3);
	SL_CHECK(&ts, tu_intact(db));
	tu_rm(db);

	/* an empty file is a new database for a writer, nothing for a reader */
	tu_path(db, sizeof db, "empty");
	f = fopen(db, "w");
	fclose(f);
	SL_CHECK(&ts, try_open(db, SL_STORE_READ, &s, &err) == SL_EDB &&
	    err.code == SL_STORE_ENOTDB);
	SL_CHECK(&ts, try_open(db, SL_STORE_WRITE, &s, &err) == SL_OK);
	sl_store_close(s);
	SL_CHECK(&ts, tu_count(db, "SELECT count(*) FROM captures") == 0);
	tu_rm(db);
}

static void
read_only(void)
{
	char db[512];
	tu_path(db, sizeof db, "ro");
	SL_CHECK(&ts, tu_import(db, &(const char *){ SL_SOURCE_DIR
	    "/sample-pcaps/direct-call.pcap" }, 1, NULL, NULL) == 1);
	struct sl_store *s = NULL;
	struct sl_store_error err;
	SL_CHECK(&ts, try_open(db, SL_STORE_READ, &s, &err) == SL_OK);
	enum sl_err e;
	one_call(s, 0, "ro", &e);
	SL_CHECK(&ts, e == SL_EDB && sl_store_error(s)->code == SL_STORE_EREADONLY);
	SL_CHECK(&ts, sl_store_prune(s, &(struct sl_store_prune){ .max_calls = 1 }, NULL) ==
	    SL_EDB && sl_store_error(s)->code == SL_STORE_EREADONLY);
	SL_CHECK(&ts, sl_store_vacuum(s) == SL_EDB);
	sl_store_close(s);
	/* file permissions: root writes anyway, so only as another user */
	if (geteuid() != 0) {
		SL_CHECK(&ts, chmod(db, 0444) == 0);
		SL_CHECK(&ts, try_open(db, SL_STORE_WRITE, &s, &err) == SL_EDB &&
		    err.code == SL_STORE_EREADONLY);
		SL_CHECK(&ts, chmod(db, 0644) == 0);
	}
	SL_CHECK(&ts, tu_count(db, "SELECT count(*) FROM calls") == 1);
	SL_CHECK(&ts, tu_intact(db));
	tu_rm(db);
}

static void
locked(void)
{
	char db[512];
	tu_path(db, sizeof db, "locked");
	struct sl_store *a = NULL, *b = NULL;
	struct sl_store_error err;
	SL_CHECK(&ts, try_open(db, SL_STORE_WRITE, &a, &err) == SL_OK);
	SL_CHECK(&ts, try_open(db, SL_STORE_WRITE, &b, &err) == SL_OK);
	enum sl_err e;
	one_call(a, 0, "A", &e);		/* a's batch is open: it holds the lock */
	SL_CHECK(&ts, e == SL_OK);
	one_call(b, 1, "B", &e);
	SL_CHECK_MSG(&ts, e == SL_EDB && sl_store_error(b)->code == SL_STORE_ELOCKED, "%s",
	    sl_store_error(b)->msg);
	SL_CHECK(&ts, strstr(sl_store_error(b)->msg, "locked") != NULL);
	/* a reader is never blocked, and sees only what is committed */
	SL_CHECK(&ts, tu_count(db, "SELECT count(*) FROM calls") == 0);
	SL_CHECK(&ts, sl_store_commit(a) == SL_OK);
	one_call(b, 1, "B", &e);
	SL_CHECK(&ts, e == SL_OK && sl_store_commit(b) == SL_OK);
	sl_store_close(a);
	sl_store_close(b);
	SL_CHECK(&ts, tu_count(db, "SELECT count(*) FROM calls") == 2);
	SL_CHECK(&ts, tu_intact(db));
	tu_rm(db);
}

static void
disk_full(void)
{
	char db[512];
	tu_path(db, sizeof db, "full");
	struct sl_store_opts o;
	sl_store_opts_default(&o);
	o.mode = SL_STORE_WRITE;
	o.batch_calls = 5;
	o.max_bytes = 2u << 20;		/* a full disk at 2 MiB */
	struct sl_store *s = NULL;
	struct sl_store_error err;
	SL_CHECK(&ts, sl_store_open(&s, db, &o, &err) == SL_OK);
	int64_t cap = 0;
	SL_CHECK(&ts, sl_store_capture_begin(s, &(struct sl_store_capture_info){ .source = "full" },
	    &cap) == SL_OK);
	enum sl_err e = SL_OK;
	unsigned k;
	for (k = 0; e == SL_OK && k < 10000; k++) {
		struct sl_call *c = tu_synth_call(k, "full");
		bool skipped;
		e = sl_store_write_call(s, cap, c, &skipped);
		fx_free_call(c);
	}
	SL_CHECK_MSG(&ts, e == SL_EDB && sl_store_error(s)->code == SL_STORE_EFULL, "%s after %u",
	    sl_store_error(s)->msg, k);
	SL_CHECK(&ts, strstr(sl_store_error(s)->msg, "disk full") != NULL);
	uint64_t committed = sl_store_stats(s)->calls_committed;
	SL_CHECK(&ts, committed > 0 && committed % 5 == 0);
	sl_store_close(s);
	/* every commit before the full disk is there, nothing after it */
	SL_CHECK(&ts, tu_count(db, "SELECT count(*) FROM calls") == (long long)committed);
	SL_CHECK(&ts, tu_count(db, "SELECT count(*) FROM messages") == (long long)committed * 23);
	SL_CHECK(&ts, tu_intact(db));
	tu_rm(db);
}

int
main(void)
{
	bad_files();
	read_only();
	locked();
	disk_full();
	return sl_test_report(&ts, "test_store_errors");
}
