/* test_regfile.c: regfile.conf (src/server/regfile.c): the shipped sample,
 * the subset's checks with their line numbers, and Yate's call.route
 * lookup (user, offline, alternatives, fork). */
#include <stdint.h>
#include <string.h>

#include "server/regfile.h"
#include "tests/unit/unit.h"

static SL_TEST_STATE(ts);

static enum sl_err
parse(struct sl_regfile *rf, const char *text, char *err)
{
	return sl_regfile_parse(rf, "regfile.conf", text, strlen(text), err);
}

static void
test_sample(void)
{
	struct sl_regfile rf;
	char err[SL_ERRBUF_SIZE] = "";
	enum sl_err e = sl_regfile_load(&rf, SL_SOURCE_DIR "/src/server/conf/regfile.conf", err);
	SL_CHECK_MSG(&ts, e == SL_OK, "%s", err);
	if (e != SL_OK)
		return;
	SL_CHECK(&ts, rf.n_users == 2 && !rf.autocreate && !rf.allow_empty_password &&
	    sl_regfile_empty_passwords(&rf) == 0);
	SL_CHECK(&ts, rf.auth_priority == 100 && rf.register_priority == 100 &&
	    rf.route_priority == 100);
	const struct sl_regfile_user *u1 = sl_regfile_find(&rf, "u1");
	const struct sl_regfile_user *u2 = sl_regfile_find(&rf, "u2");
	SL_CHECK(&ts, u1 && strcmp(u1->password, "u1pass") == 0 && u1->n_alt == 0);
	SL_CHECK(&ts, u2 && strcmp(u2->password, "u2pass") == 0);
	SL_CHECK(&ts, sl_regfile_find(&rf, "U1") == NULL);	/* case-sensitive */
	SL_CHECK(&ts, sl_regfile_find(&rf, "general") == NULL);
	SL_CHECK(&ts, sl_regfile_may_register(&rf, "u1"));
	SL_CHECK(&ts, !sl_regfile_may_register(&rf, "u3"));
	SL_CHECK(&ts, !sl_regfile_may_register(&rf, "general"));
	SL_CHECK(&ts, !sl_regfile_may_register(&rf, ""));
	sl_regfile_free(&rf);
	sl_regfile_free(&rf);
}

static void
test_fields(void)
{
	struct sl_regfile rf;
	char err[SL_ERRBUF_SIZE] = "";
	const char *text =
	    "[general]\n"
	    "autocreate=yes\n"
	    "allow_empty_password=yes\n"
	    "route=110\n"
	    "[sunny]\n"
	    "password=870212\n"
	    "alternatives= 15900941215 , 100,200\n"
	    "caller=15900941215\n"
	    "callername=Sunny\n"
	    "[open]\n"
	    "password=\n"
	    "alternatives=\n"
	    "[o'brien.x-y_z]\n"
	    "password=p;w=d with spaces\n";
	SL_CHECK_MSG(&ts, parse(&rf, text, err) == SL_OK, "%s", err);
	SL_CHECK(&ts, rf.autocreate && rf.route_priority == 110 && rf.auth_priority == 100);
	SL_CHECK(&ts, rf.allow_empty_password && sl_regfile_empty_passwords(&rf) == 1);
	const struct sl_regfile_user *s = sl_regfile_find(&rf, "sunny");
	SL_CHECK(&ts, s && s->n_alt == 3 && s->line == 5);
	if (s && s->n_alt == 3)
		SL_CHECK(&ts, strcmp(s->alt[0], "15900941215") == 0 &&
		    strcmp(s->alt[1], "100") == 0 && strcmp(s->alt[2], "200") == 0);
	SL_CHECK(&ts, s && strcmp(s->caller, "15900941215") == 0 &&
	    strcmp(s->callername, "Sunny") == 0);
	const struct sl_regfile_user *o = sl_regfile_find(&rf, "open");
	SL_CHECK(&ts, o && o->password[0] == '\0' && o->n_alt == 0 && o->caller == NULL);
	const struct sl_regfile_user *b = sl_regfile_find(&rf, "o'brien.x-y_z");
	SL_CHECK(&ts, b && strcmp(b->password, "p;w=d with spaces") == 0);
	SL_CHECK(&ts, sl_regfile_may_register(&rf, "stranger"));	/* autocreate */
	sl_regfile_free(&rf);
}

static const struct {
	const char *name;
	const char *text;
	enum sl_err want;
	const char *msg;
} bad[] = {
	{ "unknown general key", "[general]\nauth=100\nfile=/tmp/x\n", SL_EUSAGE,
	    "regfile.conf:3: file= is not supported" },
	{ "typo in general", "[general]\nrout=100\n", SL_EUSAGE,
	    "regfile.conf:2: unknown key \"rout\" in [general]" },
	{ "priority not a number", "[general]\nroute=high\n", SL_EUSAGE,
	    "regfile.conf:2: route= wants a number" },
	{ "negative priority", "[general]\nauth=-1\n", SL_EUSAGE,
	    "regfile.conf:2: auth= wants a number" },
	{ "bad autocreate", "[general]\nautocreate=1\n", SL_EUSAGE,
	    "regfile.conf:2: autocreate= wants yes or no" },
	{ "twice in general", "[general]\nroute=1\n[u1]\npassword=x\n[general]\nroute=2\n",
	    SL_EUSAGE, "regfile.conf:6: route= set twice in [general]" },
	{ "no password", "[u1]\npassword=a\n\n[u2]\nalternatives=2\n", SL_EUSAGE,
	    "regfile.conf:4: [u2] has no password=" },
	{ "password typo", "[u1]\npasword=a\n", SL_EUSAGE,
	    "regfile.conf:2: unknown key \"pasword\" in [u1]" },
	{ "password twice", "[u1]\npassword=a\n; later\npassword=b\n", SL_EUSAGE,
	    "regfile.conf:4: password= set twice in [u1]" },
	{ "reopened section repeats key", "[u1]\npassword=a\n[u2]\npassword=b\n[u1]\npassword=c\n",
	    SL_EUSAGE, "regfile.conf:6: password= set twice in [u1]" },
	{ "key without equals", "[u1]\npassword\n", SL_EUSAGE,
	    "regfile.conf:2: \"password\" has no '='" },
	{ "bad username", "[u 1]\npassword=a\n", SL_EUSAGE, "regfile.conf:1: [u 1]: a username" },
	{ "username with @", "[u1@host]\npassword=a\n", SL_EUSAGE, "regfile.conf:1: [u1@host]" },
	{ "long username", "[aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]\n"
	    "password=a\n", SL_EUSAGE, "regfile.conf:1: [aaaa" },
	{ "empty alternative", "[u1]\npassword=a\nalternatives=1,,2\n", SL_EUSAGE,
	    "regfile.conf:3: empty item in alternatives= of [u1]" },
	{ "trailing comma", "[u1]\npassword=a\nalternatives=1,\n", SL_EUSAGE,
	    "regfile.conf:3: empty item" },
	{ "bad alternative", "[u1]\npassword=a\nalternatives=1,a b\n", SL_EUSAGE,
	    "regfile.conf:3: alternative \"a b\" is not a valid" },
	{ "alternative shadowed by a user", "[u1]\npassword=a\nalternatives=u2\n[u2]\npassword=b\n",
	    SL_EUSAGE, "regfile.conf:3: alternative \"u2\" of [u1] is a username" },
	{ "syntax error first", "[u1]\npassword=a\n[u2\n", SL_EUSAGE,
	    "regfile.conf:3: '[' without ']'" },
	{ "seed one-liner", "[sunny] password=870212\n", SL_EUSAGE,
	    "regfile.conf:1: text after ']'" },
	{ "empty password", "[u1]\npassword=a\n[open]\n; none\npassword=\n", SL_EUSAGE,
	    "regfile.conf:5: user open has an empty password (set allow_empty_password=yes "
	    "in [general] to allow it)" },
	{ "empty password, explicitly not allowed",
	    "[general]\nallow_empty_password=no\n[open]\npassword=\n", SL_EUSAGE,
	    "regfile.conf:4: user open has an empty password" },
	{ "allow_empty_password=on", "[general]\nallow_empty_password=on\n", SL_EUSAGE,
	    "regfile.conf:2: allow_empty_password= wants yes or no, not \"on\"" },
	{ "allow_empty_password empty", "[general]\nallow_empty_password=\n", SL_EUSAGE,
	    "regfile.conf:2: allow_empty_password= wants yes or no" },
	{ "allow_empty_password=YES", "[general]\nallow_empty_password=YES\n", SL_EUSAGE,
	    "regfile.conf:2: allow_empty_password= wants yes or no" },
	{ "allow_empty_password twice",
	    "[general]\nallow_empty_password=yes\nallow_empty_password=yes\n", SL_EUSAGE,
	    "regfile.conf:3: allow_empty_password= set twice in [general]" },
};

/* allow_empty_password= values, and [general] after the users */
static void
test_empty_password(void)
{
	static const struct {
		const char *text;
		bool allow;
		size_t empty;
	} rows[] = {
		{ "[general]\nallow_empty_password=yes\n[a]\npassword=\n[b]\npassword=\n",
		  true, 2 },
		{ "[a]\npassword=\n[b]\npassword=x\n[general]\nallow_empty_password=true\n",
		  true, 1 },
		{ "[general]\nallow_empty_password=1\n[a]\npassword=x\n", true, 0 },
		{ "[general]\nallow_empty_password=no\n[a]\npassword=x\n", false, 0 },
		{ "[general]\nallow_empty_password=false\n", false, 0 },
		{ "[general]\nallow_empty_password=0\n[a]\npassword=x\n", false, 0 },
		{ "[a]\npassword=x\n", false, 0 },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct sl_regfile rf;
		char err[SL_ERRBUF_SIZE] = "";
		enum sl_err e = parse(&rf, rows[i].text, err);
		SL_CHECK_MSG(&ts, e == SL_OK, "row %zu: %s", i, err);
		if (e != SL_OK)
			continue;
		SL_CHECK_MSG(&ts, rf.allow_empty_password == rows[i].allow &&
		    sl_regfile_empty_passwords(&rf) == rows[i].empty, "row %zu", i);
		sl_regfile_free(&rf);
	}
}

static void
test_bad(void)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct sl_regfile rf;
		char err[SL_ERRBUF_SIZE] = "";
		enum sl_err e = parse(&rf, bad[i].text, err);
		SL_CHECK_MSG(&ts, e == bad[i].want, "%s: %d (%s)", bad[i].name, (int)e, err);
		SL_CHECK_MSG(&ts, strncmp(err, bad[i].msg, strlen(bad[i].msg)) == 0,
		    "%s: \"%s\"", bad[i].name, err);
		SL_CHECK_MSG(&ts, rf.users == NULL && rf.n_users == 0 && rf.conf.n == 0,
		    "%s: not freed", bad[i].name);
	}
	struct sl_regfile rf;
	char err[SL_ERRBUF_SIZE];
	SL_CHECK(&ts, sl_regfile_load(&rf, "/nonexistent/regfile.conf", err) == SL_EIO);
}

/* the server's bindings, as a NULL-terminated list of online users */
static bool
online(void *ctx, const char *user)
{
	for (const char *const *p = ctx; *p; p++)
		if (strcmp(*p, user) == 0)
			return true;
	return false;
}

static void
test_route(void)
{
	struct sl_regfile rf;
	char err[SL_ERRBUF_SIZE];
	const char *text =
	    "[general]\nautocreate=yes\n"
	    "[u1]\npassword=a\nalternatives=1,100\n"
	    "[u2]\npassword=b\nalternatives=2,100\n"
	    "[u3]\npassword=c\nalternatives=3\n";
	SL_CHECK_MSG(&ts, parse(&rf, text, err) == SL_OK, "%s", err);
	static const char *const none[] = { NULL };
	static const char *const u1u2[] = { "u1", "u2", "guest", NULL };
	static const char *const u2only[] = { "u2", NULL };
	static const struct {
		const char *called;
		const char *const *on;
		enum sl_regfile_verdict want;
		const char *t0, *t1;
	} rows[] = {
		{ "u1", u1u2, SL_REGFILE_ROUTE, "u1", NULL },
		{ "u1", none, SL_REGFILE_OFFLINE, NULL, NULL },
		{ "u3", u1u2, SL_REGFILE_OFFLINE, NULL, NULL },
		{ "1", u1u2, SL_REGFILE_ROUTE, "u1", NULL },
		{ "1", u2only, SL_REGFILE_OFFLINE, NULL, NULL },
		{ "100", u1u2, SL_REGFILE_ROUTE, "u1", "u2" },	/* fork, file order */
		{ "100", u2only, SL_REGFILE_ROUTE, "u2", NULL },
		{ "100", none, SL_REGFILE_OFFLINE, NULL, NULL },
		{ "3", u1u2, SL_REGFILE_OFFLINE, NULL, NULL },
		{ "guest", u1u2, SL_REGFILE_ROUTE, "guest", NULL },	/* autocreated */
		{ "42", u1u2, SL_REGFILE_NONE, NULL, NULL },
		{ "", u1u2, SL_REGFILE_NONE, NULL, NULL },
		{ "general", u1u2, SL_REGFILE_NONE, NULL, NULL },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct sl_regfile_route r;
		sl_regfile_route(&rf, rows[i].called, online, (void *)(uintptr_t)rows[i].on, &r);
		size_t want_n = rows[i].t1 ? 2 : rows[i].t0 ? 1 : 0;
		SL_CHECK_MSG(&ts, r.verdict == rows[i].want && r.n == want_n,
		    "row %zu (%s): verdict %d n %zu", i, rows[i].called, (int)r.verdict, r.n);
		if (r.n >= 1 && rows[i].t0)
			SL_CHECK_MSG(&ts, strcmp(r.targets[0], rows[i].t0) == 0, "row %zu", i);
		if (r.n >= 2 && rows[i].t1)
			SL_CHECK_MSG(&ts, strcmp(r.targets[1], rows[i].t1) == 0, "row %zu", i);
	}
	sl_regfile_free(&rf);
}

int
main(void)
{
	test_sample();
	test_fields();
	test_bad();
	test_empty_password();
	test_route();
	return sl_test_report(&ts, "regfile");
}
