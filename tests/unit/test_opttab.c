/* test_opttab.c: the shared option table (src/core/opttab.h): matching
 * of flags, values, "=values" and aliases, the refusals in the project's
 * wording, and the help layout the three programs print. */
#include <string.h>

#include "core/opttab.h"
#include "tests/unit/unit.h"

static SL_TEST_STATE(ts);

enum { T_FLAG, T_VAL, T_QUIET, T_C, T_LONG };

static const struct sl_opt tab[] = {
	{ "--flag", NULL, NULL, { "a flag" }, T_FLAG, 1 },
	{ "--val", NULL, "N", { "a value,", "on two lines" }, T_VAL, 2 },
	{ "--quiet", "-q", NULL, { "quiet" }, T_QUIET, 3 },
	{ "-c", NULL, "DIR", { "short name with a value" }, T_C, 2 },
	{ "--much-too-long", NULL, "VALUE", { "head on its own line" }, T_LONG, 1 },
};

#define N_TAB (sizeof(tab) / sizeof(tab[0]))

static const struct {
	const char *argv[3];		/* argv[0] is matched */
	enum sl_opt_status want;
	int id;				/* matched row, -1: none */
	const char *value;		/* NULL: none */
	int next;			/* *i afterwards */
	const char *err;		/* the whole message, NULL: none */
} rows[] = {
	{ { "--flag" }, SL_OPT_OK, T_FLAG, NULL, 0, NULL },
	{ { "--flag", "x" }, SL_OPT_OK, T_FLAG, NULL, 0, NULL },
	{ { "--val", "7" }, SL_OPT_OK, T_VAL, "7", 1, NULL },
	{ { "--val=7", "x" }, SL_OPT_OK, T_VAL, "7", 0, NULL },
	{ { "--val=" }, SL_OPT_OK, T_VAL, "", 0, NULL },
	{ { "--val=a=b" }, SL_OPT_OK, T_VAL, "a=b", 0, NULL },
	{ { "--val", "--flag" }, SL_OPT_OK, T_VAL, "--flag", 1, NULL },
	{ { "-q" }, SL_OPT_OK, T_QUIET, NULL, 0, NULL },
	{ { "--quiet" }, SL_OPT_OK, T_QUIET, NULL, 0, NULL },
	{ { "-c", "conf" }, SL_OPT_OK, T_C, "conf", 1, NULL },
	{ { "--bogus" }, SL_OPT_UNKNOWN, -1, NULL, 0, "unknown option '--bogus'" },
	{ { "--bogus=1" }, SL_OPT_UNKNOWN, -1, NULL, 0, "unknown option '--bogus=1'" },
	{ { "--fla" }, SL_OPT_UNKNOWN, -1, NULL, 0, "unknown option '--fla'" },
	{ { "--flagx" }, SL_OPT_UNKNOWN, -1, NULL, 0, "unknown option '--flagx'" },
	{ { "-q=1" }, SL_OPT_UNKNOWN, -1, NULL, 0, "unknown option '-q=1'" },
	{ { "-x" }, SL_OPT_UNKNOWN, -1, NULL, 0, "unknown option '-x'" },
	{ { "--" }, SL_OPT_UNKNOWN, -1, NULL, 0, "unknown option '--'" },
	{ { "file" }, SL_OPT_UNKNOWN, -1, NULL, 0, "unknown option 'file'" },
	{ { "--flag=1" }, SL_OPT_TAKES_NO_VALUE, T_FLAG, NULL, 0, "--flag takes no value" },
	{ { "--quiet=" }, SL_OPT_TAKES_NO_VALUE, T_QUIET, NULL, 0, "--quiet takes no value" },
	{ { "--val" }, SL_OPT_NEEDS_VALUE, T_VAL, NULL, 0, "--val needs a value" },
	{ { "-c" }, SL_OPT_NEEDS_VALUE, T_C, NULL, 0, "-c needs a value" },
};

static void
test_match(void)
{
	for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		char *argv[3] = { 0 };
		int argc = 0, i = 0;
		while (argc < 3 && rows[r].argv[argc])
			argc++;
		memcpy(argv, rows[r].argv, sizeof(argv));
		const struct sl_opt *o = &tab[0];	/* must be reset */
		const char *v = "junk";
		char err[SL_ERRBUF_SIZE] = "";
		enum sl_opt_status st = sl_opt_match(tab, N_TAB, argc, argv, &i, &o, &v, err);

		SL_CHECK_MSG(&ts, st == rows[r].want, "row %zu: status %d", r, st);
		SL_CHECK_MSG(&ts, rows[r].id < 0 ? o == NULL : o != NULL && o->id == rows[r].id,
		    "row %zu: row", r);
		if (st == SL_OPT_OK)
			SL_CHECK_MSG(&ts, rows[r].value ? v && strcmp(v, rows[r].value) == 0 : !v,
			    "row %zu: value '%s'", r, v ? v : "(null)");
		SL_CHECK_MSG(&ts, i == rows[r].next, "row %zu: i %d", r, i);
		if (rows[r].err)
			SL_CHECK_MSG(&ts, strcmp(err, rows[r].err) == 0, "row %zu: '%s'", r, err);
	}
	/* errbuf may be NULL; a long unknown option is cut, not overflowed */
	char big[600], *argv[1] = { big };
	const struct sl_opt *o;
	const char *v;
	char err[SL_ERRBUF_SIZE];
	int i = 0;
	memset(big, 'x', sizeof(big) - 1);
	big[0] = big[1] = '-';
	big[sizeof(big) - 1] = '\0';
	SL_CHECK(&ts, sl_opt_match(tab, N_TAB, 1, argv, &i, &o, &v, NULL) == SL_OPT_UNKNOWN);
	SL_CHECK(&ts, sl_opt_match(tab, N_TAB, 1, argv, &i, &o, &v, err) == SL_OPT_UNKNOWN &&
	    strlen(err) < 120);
}

static void
help(unsigned mask, char *out, size_t n)
{
	memset(out, 0, n);
	FILE *f = fmemopen(out, n, "w");
	SL_CHECK(&ts, f != NULL);
	if (f == NULL)
		return;
	sl_opt_help(f, tab, N_TAB, mask);
	fclose(f);
}

static void
test_help(void)
{
	char out[1024];

	help(0, out, sizeof(out));
	SL_CHECK_MSG(&ts, strcmp(out,
	    "  --flag             a flag\n"
	    "  --val N            a value,\n"
	    "                     on two lines\n"
	    "  -q, --quiet        quiet\n"
	    "  -c DIR             short name with a value\n"
	    "  --much-too-long VALUE\n"
	    "                     head on its own line\n") == 0, "%s", out);
	help(2, out, sizeof(out));
	SL_CHECK_MSG(&ts, strcmp(out,
	    "  --val N            a value,\n"
	    "                     on two lines\n"
	    "  -q, --quiet        quiet\n"
	    "  -c DIR             short name with a value\n") == 0, "%s", out);
	help(4, out, sizeof(out));
	SL_CHECK_MSG(&ts, out[0] == '\0', "%s", out);

	FILE *f = fmemopen(out, sizeof(out), "w");
	SL_CHECK(&ts, f != NULL);
	if (f == NULL)
		return;
	memset(out, 0, sizeof(out));
	sl_opt_try(f, "prog", "--val needs a value");
	fclose(f);
	SL_CHECK_MSG(&ts, strcmp(out, "prog: --val needs a value\nTry 'prog --help'.\n") == 0,
	    "%s", out);
}

int
main(void)
{
	test_match();
	test_help();
	return sl_test_report(&ts, "opttab");
}
