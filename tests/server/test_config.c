/* test_config.c: the Yate .conf syntax (src/server/config.c): what is
 * read as Yate reads it, and every malformed file refused with its line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/config.h"
#include "tests/unit/unit.h"

static SL_TEST_STATE(ts);

static enum sl_err
parse(struct sl_conf *c, const char *text, char *err)
{
	return sl_conf_parse(c, "t.conf", text, strlen(text), err);
}

static void
test_syntax(void)
{
	struct sl_conf c;
	char err[SL_ERRBUF_SIZE] = "";
	const char *text =
	    "\xef\xbb\xbf; comment\r\n"
	    "   ;indented comment\n"
	    "\n"
	    "[ general ]\n"
	    "  key = value with spaces  \n"
	    "route=100\n"
	    "[default]\r\n"
	    "${username}^$=-;error=noauth\n"
	    "^2$ =  return;called=u2 ; not a comment\n"
	    "bare line\n"
	    "empty=\n"
	    "a=b=c\n"
	    "[general] ; comment after a section is fine\n"
	    "late=1\n"
	    "cont=first \\\n"
	    "   second \\\n"
	    "\tthird\n"
	    "after=x\n"
	    "[default]\n"
	    "^2$=again";		/* no final newline */
	SL_CHECK_MSG(&ts, parse(&c, text, err) == SL_OK, "%s", err);
	SL_CHECK(&ts, c.n == 2);
	const struct sl_conf_section *g = sl_conf_section(&c, "general");
	const struct sl_conf_section *d = sl_conf_section(&c, "default");
	SL_CHECK(&ts, g && d && sl_conf_section(&c, " general ") == NULL);
	if (!g || !d) {
		sl_conf_free(&c);
		return;
	}
	SL_CHECK(&ts, g->line == 4 && d->line == 7);
	SL_CHECK(&ts, g->n == 5);
	SL_CHECK(&ts, strcmp(g->e[0].key, "key") == 0 &&
	    strcmp(g->e[0].value, "value with spaces") == 0 && g->e[0].line == 5);
	SL_CHECK(&ts, strcmp(sl_conf_entry(g, "late")->value, "1") == 0);
	const struct sl_conf_entry *ce = sl_conf_entry(g, "cont");
	SL_CHECK(&ts, ce && strcmp(ce->value, "first second third") == 0 && ce->line == 15);
	SL_CHECK(&ts, sl_conf_entry(g, "after")->line == 18);
	SL_CHECK(&ts, d->n == 6);
	SL_CHECK(&ts, strcmp(d->e[0].key, "${username}^$") == 0 &&
	    strcmp(d->e[0].value, "-;error=noauth") == 0 && d->e[0].line == 8);
	SL_CHECK(&ts, strcmp(d->e[1].key, "^2$") == 0 &&
	    strcmp(d->e[1].value, "return;called=u2 ; not a comment") == 0);
	SL_CHECK(&ts, strcmp(d->e[2].key, "bare line") == 0 && !d->e[2].has_eq &&
	    d->e[2].value[0] == '\0');
	SL_CHECK(&ts, d->e[3].has_eq && d->e[3].value[0] == '\0');
	SL_CHECK(&ts, strcmp(d->e[4].key, "a") == 0 && strcmp(d->e[4].value, "b=c") == 0);
	/* the re-opened section appends; a repeated key is a second entry,
	 * and lookups return the first (Yate's getValue) */
	SL_CHECK(&ts, strcmp(d->e[5].value, "again") == 0 && d->e[5].line == 20);
	SL_CHECK(&ts, sl_conf_entry(d, "^2$") == &d->e[1]);
	SL_CHECK(&ts, sl_conf_entry(d, "missing") == NULL);
	sl_conf_free(&c);
	sl_conf_free(&c);

	/* empty and comment-only files are valid and empty */
	SL_CHECK(&ts, parse(&c, "", err) == SL_OK && c.n == 0);
	sl_conf_free(&c);
	SL_CHECK(&ts, parse(&c, "; only\n\n  \t\n", err) == SL_OK && c.n == 0);
	sl_conf_free(&c);
	/* a continuation on the last line ends at the end of the file */
	SL_CHECK(&ts, parse(&c, "[s]\nk=v\\", err) == SL_OK &&
	    strcmp(c.s[0].e[0].value, "v") == 0);
	sl_conf_free(&c);
	/* a 1023-byte line is fine */
	char *l = malloc(2000);
	memcpy(l, "[s]\nk=", 6);
	memset(l + 6, 'x', 1021);
	l[1027] = '\0';
	SL_CHECK_MSG(&ts, parse(&c, l, err) == SL_OK, "%s", err);
	sl_conf_free(&c);
	free(l);

	bool b;
	SL_CHECK(&ts, sl_conf_bool("yes", &b) && b && sl_conf_bool("enable", &b) && b);
	SL_CHECK(&ts, sl_conf_bool("off", &b) && !b && sl_conf_bool("f", &b) && !b);
	SL_CHECK(&ts, !sl_conf_bool("1", &b) && !sl_conf_bool("Yes", &b) &&
	    !sl_conf_bool("", &b));
}

static const struct {
	const char *name;
	const char *text;
	enum sl_err want;
	const char *msg;	/* must start the error text */
} bad[] = {
	{ "key before section", "; hi\nkey=v\n", SL_EUSAGE, "t.conf:2: \"key\" before any" },
	{ "no closing bracket", "[s]\nk=v\n[oops\n", SL_EUSAGE, "t.conf:3: '[' without ']'" },
	{ "empty section name", "[ ]\n", SL_EUSAGE, "t.conf:1: empty section name" },
	{ "text after section", "[sunny] password=870212\n", SL_EUSAGE,
	    "t.conf:1: text after ']'" },
	{ "equals first", "[s]\n\n  =value\n", SL_EUSAGE, "t.conf:3: '=' with no key" },
	{ "include", "[$include other.conf]\n", SL_EUSAGE, "t.conf:1: [$include] is not" },
	{ "require", "[s]\n[$require x]\n", SL_EUSAGE, "t.conf:2: [$require]" },
	{ "enabled", "[$enabled yes]\n", SL_EUSAGE, "t.conf:1: [$enabled]" },
	{ "nul byte", "[s]\nk=v\0w\n", SL_EUSAGE, "t.conf:2: NUL byte" },
	{ "bare cr", "[s]\nk=v\rw=x\n", SL_EUSAGE, "t.conf:2: CR not followed" },
	{ "old mac file", "[s]\rk=v\r", SL_EUSAGE, "t.conf:1: CR not followed" },
	{ "nul in continuation", "[s]\nk=v\\\n\0\n", SL_EUSAGE, "t.conf:3: NUL byte" },
};

static void
test_bad(void)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct sl_conf c;
		char err[SL_ERRBUF_SIZE] = "";
		/* the NUL rows need their real length */
		size_t len = strlen(bad[i].text);
		if (strstr(bad[i].name, "nul"))
			len += 1 + strlen(bad[i].text + len + 1);
		enum sl_err e = sl_conf_parse(&c, "t.conf", bad[i].text, len, err);
		SL_CHECK_MSG(&ts, e == bad[i].want, "%s: %d (%s)", bad[i].name, (int)e, err);
		SL_CHECK_MSG(&ts, strncmp(err, bad[i].msg, strlen(bad[i].msg)) == 0,
		    "%s: \"%s\"", bad[i].name, err);
		SL_CHECK_MSG(&ts, c.n == 0 && c.s == NULL, "%s: not freed", bad[i].name);
	}
}

static void
test_limits(void)
{
	struct sl_conf c;
	char err[SL_ERRBUF_SIZE];
	size_t big = SL_CONF_MAX_FILE + 10;
	char *t = malloc(big);

	/* line 3 is 1024 bytes */
	memcpy(t, "[s]\nk=v\n", 8);
	memset(t + 8, 'x', 1024);
	t[8 + 1024] = '\n';
	SL_CHECK(&ts, sl_conf_parse(&c, "t.conf", t, 8 + 1025, err) == SL_EUSAGE);
	SL_CHECK_MSG(&ts, strcmp(err, "t.conf:3: line is 1024 bytes, longer than 1023") == 0,
	    "%s", err);
	/* continuations past the value cap */
	size_t n = 4;
	memcpy(t, "[s]\n", 4);
	memcpy(t + n, "k=", 2);
	n += 2;
	for (int i = 0; i < 10; i++) {
		memset(t + n, 'y', 1000);
		n += 1000;
		memcpy(t + n, "\\\n", 2);
		n += 2;
	}
	SL_CHECK(&ts, sl_conf_parse(&c, "t.conf", t, n, err) == SL_EUSAGE);
	SL_CHECK_MSG(&ts, strstr(err, "t.conf:2: value longer than") == err, "%s", err);
	/* file size cap */
	memset(t, '\n', big);
	SL_CHECK(&ts, sl_conf_parse(&c, "t.conf", t, SL_CONF_MAX_FILE, err) == SL_OK);
	sl_conf_free(&c);
	SL_CHECK(&ts, sl_conf_parse(&c, "t.conf", t, SL_CONF_MAX_FILE + 1, err) == SL_EUSAGE);
	SL_CHECK_MSG(&ts, strstr(err, "t.conf: larger than") == err, "%s", err);
	/* section cap */
	n = 0;
	for (int i = 0; i <= SL_CONF_MAX_SECTIONS; i++)
		n += (size_t)snprintf(t + n, big - n, "[s%d]\n", i);
	SL_CHECK(&ts, sl_conf_parse(&c, "t.conf", t, n, err) == SL_ENOMEM);
	SL_CHECK_MSG(&ts, strstr(err, "t.conf:1025: too many sections") == err, "%s", err);
	/* entry cap */
	n = (size_t)snprintf(t, big, "[s]\n");
	for (int i = 0; i <= SL_CONF_MAX_ENTRIES; i++)
		n += (size_t)snprintf(t + n, big - n, "k=%d\n", i);
	SL_CHECK(&ts, sl_conf_parse(&c, "t.conf", t, n, err) == SL_ENOMEM);
	free(t);
}

static void
test_load(void)
{
	struct sl_conf c;
	char err[SL_ERRBUF_SIZE], path[512];
	SL_CHECK(&ts, sl_conf_load(&c, "/nonexistent/regfile.conf", err) == SL_EIO);
	SL_CHECK(&ts, strstr(err, "/nonexistent/regfile.conf: ") == err);
	snprintf(path, sizeof(path), "%s/test_config.conf", SL_TEST_TMPDIR);
	FILE *f = fopen(path, "w");
	SL_CHECK(&ts, f != NULL);
	if (f == NULL)
		return;
	fputs("[a]\nx=1\n\n[b\n", f);
	fclose(f);
	SL_CHECK(&ts, sl_conf_load(&c, path, err) == SL_EUSAGE);
	char want[600];
	snprintf(want, sizeof(want), "%s:4: '[' without ']'", path);
	SL_CHECK_MSG(&ts, strcmp(err, want) == 0, "%s", err);
	remove(path);
}

int
main(void)
{
	test_syntax();
	test_bad();
	test_limits();
	test_load();
	return sl_test_report(&ts, "config");
}
