/* test_regexroute.c: regexroute.conf (src/server/regexroute.c): the
 * shipped sample reproducing the seed (with regfile, as the server chains
 * them), rule semantics (backreferences, ${param} matches, inversion,
 * noop/return/-), bounds on untrusted messages, and malformed files. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "server/regexroute.h"
#include "server/regfile.h"
#include "tests/unit/unit.h"

static SL_TEST_STATE(ts);

static enum sl_err
parse(struct sl_route *r, const char *text, char *err)
{
	return sl_route_parse(r, "re.conf", text, strlen(text), err);
}

static const char *
param(const struct sl_route_result *o, const char *name)
{
	const char *v = sl_route_param_get(&o->params, name);
	return v ? v : "(absent)";
}

/* ---- the seed's configuration -------------------------------------- */

static bool
online(void *ctx, const char *user)
{
	for (const char *const *p = ctx; *p; p++)
		if (strcmp(*p, user) == 0)
			return true;
	return false;
}

/* What sipladder-server does with call.route: regexroute, then regfile
 * when it declines, then "noroute". Returns the SIP status to answer
 * with, or 0 and the user to call. */
static int
route_call(const struct sl_route *r, const struct sl_regfile *rf,
    const char *called, const char *username, const char *const *on,
    const char **user)
{
	struct sl_route_msg m = { .called = called, .caller = "u1", .username = username };
	struct sl_route_result o;
	*user = NULL;
	if (sl_route_eval(r, &m, &o) != SL_OK || o.outcome == SL_ROUTE_REJECTED)
		return sl_route_sip_code(o.error);
	if (o.outcome == SL_ROUTE_TARGET)
		return 0;
	struct sl_regfile_route rr;
	sl_regfile_route(rf, sl_route_param_get(&o.params, "called"), online,
	    (void *)(uintptr_t)on, &rr);
	if (rr.verdict == SL_REGFILE_ROUTE) {
		*user = rr.targets[0];
		return 0;
	}
	const char *err = sl_route_param_get(&o.params, "error");
	return sl_route_sip_code(rr.verdict == SL_REGFILE_OFFLINE ? "offline" :
	    err ? err : "noroute");
}

static void
test_sample(void)
{
	struct sl_route r;
	struct sl_regfile rf;
	char err[SL_ERRBUF_SIZE] = "";
	enum sl_err e = sl_route_load(&r, SL_SOURCE_DIR "/src/server/conf/regexroute.conf", err);
	SL_CHECK_MSG(&ts, e == SL_OK, "%s", err);
	e = sl_regfile_load(&rf, SL_SOURCE_DIR "/src/server/conf/regfile.conf", err);
	SL_CHECK_MSG(&ts, e == SL_OK, "%s", err);
	if (r.n_ctx == 0 || rf.n_users == 0)
		goto out;
	SL_CHECK(&ts, r.route_priority == 100 && !r.extended && !r.insensitive);

	static const struct {
		const char *called, *username;
		enum sl_route_outcome outcome;
		const char *error, *called_after;
		unsigned line;
		size_t n_matched;
	} rows[] = {
		/* INVITE without Authorization: 401 via error=noauth */
		{ "2", NULL, SL_ROUTE_REJECTED, "noauth", "2", 9, 1 },
		{ "2", "", SL_ROUTE_REJECTED, "noauth", "2", 9, 1 },
		{ "42", NULL, SL_ROUTE_REJECTED, "noauth", "42", 9, 1 },
		/* authenticated: number -> user, then regfile */
		{ "2", "u1", SL_ROUTE_DECLINED, "", "u2", 15, 1 },
		{ "1", "u2", SL_ROUTE_DECLINED, "", "u1", 14, 1 },
		{ " 2\t", "u1", SL_ROUTE_DECLINED, "", "u2", 15, 1 },	/* subject trimmed */
		{ "3", "u1", SL_ROUTE_DECLINED, "", "3", 0, 0 },
		{ "12", "u1", SL_ROUTE_DECLINED, "", "12", 0, 0 },
		{ "u2", "u1", SL_ROUTE_DECLINED, "", "u2", 0, 0 },
		/* Yate's regexroute skips an empty called number entirely */
		{ "", NULL, SL_ROUTE_DECLINED, "", "", 0, 0 },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct sl_route_msg m = { .called = rows[i].called, .caller = "u1",
			.username = rows[i].username };
		struct sl_route_result o;
		SL_CHECK(&ts, sl_route_eval(&r, &m, &o) == SL_OK);
		SL_CHECK_MSG(&ts, o.outcome == rows[i].outcome && strcmp(o.error, rows[i].error) == 0,
		    "row %zu: outcome %d error %s", i, (int)o.outcome, o.error);
		SL_CHECK_MSG(&ts, strcmp(param(&o, "called"), rows[i].called_after) == 0 ||
		    (rows[i].called[0] == ' ' && strcmp(param(&o, "called"), rows[i].called) == 0),
		    "row %zu: called %s", i, param(&o, "called"));
		SL_CHECK_MSG(&ts, o.line == rows[i].line && o.n_matched == rows[i].n_matched,
		    "row %zu: line %u matched %zu", i, o.line, o.n_matched);
		if (o.n_matched)
			SL_CHECK(&ts, o.matched[0] == rows[i].line);
	}

	/* the seed end to end, as the server will chain the two modules */
	static const char *const nobody[] = { NULL };
	static const char *const both[] = { "u1", "u2", NULL };
	static const char *const only_u1[] = { "u1", NULL };
	const char *user;
	SL_CHECK(&ts, route_call(&r, &rf, "2", NULL, both, &user) == 401);
	SL_CHECK(&ts, route_call(&r, &rf, "2", "u1", both, &user) == 0 &&
	    user && strcmp(user, "u2") == 0);
	SL_CHECK(&ts, route_call(&r, &rf, "1", "u2", both, &user) == 0 &&
	    user && strcmp(user, "u1") == 0);
	SL_CHECK(&ts, route_call(&r, &rf, "2", "u1", only_u1, &user) == 404);	/* offline */
	SL_CHECK(&ts, route_call(&r, &rf, "2", "u1", nobody, &user) == 404);
	SL_CHECK(&ts, route_call(&r, &rf, "3", "u1", both, &user) == 404);	/* noroute */
	SL_CHECK(&ts, route_call(&r, &rf, "u2", "u1", both, &user) == 0 &&
	    user && strcmp(user, "u2") == 0);	/* a username dials directly */
out:
	sl_route_free(&r);
	sl_route_free(&r);
	sl_regfile_free(&rf);
}

/* ---- rule semantics ------------------------------------------------ */

static void
test_rules(void)
{
	struct sl_route r;
	char err[SL_ERRBUF_SIZE] = "";
	const char *text =
	    "[default]\n"
	    "${caller}^u1$=;tag=from-u1\n"				/* 2 */
	    "${vip$no}^yes$=sip/vip\n"					/* 3 */
	    "${username}^$^=;authed=yes\n"				/* 4 */
	    "${tag}^from-\\(.*\\)$=noop;who=\\1\n"			/* 5 */
	    "^x$=-;error=busy;reason=Busy here\n"			/* 6 */
	    "^y$=error\n"						/* 7 */
	    "^z$=;n=1\n"						/* 8 */
	    "^z$=return false;r=${n}\n"					/* 9 */
	    "^\\(u[0-9]\\)$=sip/sip:\\1@127.0.0.1;callername=User \\1;raw=\\\\x\\q\n" /* 10 */
	    "^9\\([0-9]*\\)$=sip/sip:\\1@gw;called=\\1;orig=${called}\n"	/* 11 */
	    "^7$=sip/${caller}@${host$localhost};host=h;again=${host}\n"	/* 12 */
	    "^inj\\(.*\\)$=sip/\\1\n"					/* 13 */
	    "${flag}=sip/flagged\n"					/* 14 */
	    "^c$=;context;tag\n"					/* 15 */
	    ".*=sip/fallback\n"						/* 16 */
	    "[other]\n"
	    "^x$=sip/other\n";
	SL_CHECK_MSG(&ts, parse(&r, text, err) == SL_OK, "%s", err);
	if (r.n_ctx != 2) {
		sl_route_free(&r);
		return;
	}
	struct sl_route_result o;
	struct sl_route_msg m = { .called = "x", .caller = "u1", .username = "u1" };
	SL_CHECK(&ts, sl_route_eval(&r, &m, &o) == SL_OK);
	SL_CHECK(&ts, o.outcome == SL_ROUTE_REJECTED && strcmp(o.error, "busy") == 0 &&
	    strcmp(o.reason, "Busy here") == 0 && strcmp(o.target, "-") == 0 && o.line == 6);
	SL_CHECK(&ts, strcmp(param(&o, "tag"), "from-u1") == 0 &&
	    strcmp(param(&o, "authed"), "yes") == 0 && strcmp(param(&o, "who"), "u1") == 0);
	SL_CHECK(&ts, o.n_matched == 4 && o.matched[0] == 2 && o.matched[1] == 4 &&
	    o.matched[2] == 5 && o.matched[3] == 6);
	SL_CHECK(&ts, sl_route_sip_code(o.error) == 486);

	/* no username: the inverted rule does not match; caller u2: no tag */
	m = (struct sl_route_msg){ .called = "y", .caller = "u2" };
	SL_CHECK(&ts, sl_route_eval(&r, &m, &o) == SL_OK);
	SL_CHECK(&ts, o.outcome == SL_ROUTE_REJECTED && strcmp(o.error, "unknown") == 0 &&
	    o.reason[0] == '\0' && o.line == 7 && o.n_matched == 1);
	SL_CHECK(&ts, strcmp(param(&o, "authed"), "(absent)") == 0 &&
	    strcmp(param(&o, "username"), "(absent)") == 0);

	/* noop goes on; "return false" declines with the parameters kept */
	m.called = "z";
	SL_CHECK(&ts, sl_route_eval(&r, &m, &o) == SL_OK);
	SL_CHECK(&ts, o.outcome == SL_ROUTE_DECLINED && o.line == 9 && o.target[0] == '\0' &&
	    strcmp(param(&o, "n"), "1") == 0 && strcmp(param(&o, "r"), "1") == 0);

	/* backreferences; \\ is a backslash, other escapes stay */
	m.called = "u7";
	SL_CHECK(&ts, sl_route_eval(&r, &m, &o) == SL_OK);
	SL_CHECK_MSG(&ts, o.outcome == SL_ROUTE_TARGET &&
	    strcmp(o.target, "sip/sip:u7@127.0.0.1") == 0 && o.line == 10, "%s", o.target);
	SL_CHECK(&ts, strcmp(param(&o, "callername"), "User u7") == 0 &&
	    strcmp(param(&o, "raw"), "\\x\\q") == 0);

	/* parts see the message as the parts before them left it */
	m.called = "9555";
	SL_CHECK(&ts, sl_route_eval(&r, &m, &o) == SL_OK);
	SL_CHECK(&ts, strcmp(o.target, "sip/sip:555@gw") == 0 &&
	    strcmp(param(&o, "called"), "555") == 0 && strcmp(param(&o, "orig"), "555") == 0);
	m.called = "7";
	SL_CHECK(&ts, sl_route_eval(&r, &m, &o) == SL_OK);
	SL_CHECK_MSG(&ts, strcmp(o.target, "sip/u2@localhost") == 0 &&
	    strcmp(param(&o, "again"), "h") == 0, "%s", o.target);

	/* text taken from the called number is not substituted again */
	m.called = "inj${caller}";
	SL_CHECK(&ts, sl_route_eval(&r, &m, &o) == SL_OK);
	SL_CHECK_MSG(&ts, strcmp(o.target, "sip/${caller}") == 0, "%s", o.target);

	/* ${param} with a default; an empty regexp is Yate's default rule */
	struct sl_route_params extra = { 0 };
	sl_route_param_set(&extra, "vip", "yes");
	m = (struct sl_route_msg){ .called = "q", .caller = "u2", .extra = &extra };
	SL_CHECK(&ts, sl_route_eval(&r, &m, &o) == SL_OK && strcmp(o.target, "sip/vip") == 0);
	static const struct {
		const char *flag;
		const char *target;
	} flags[] = {
		{ "yes", "sip/flagged" }, { "1", "sip/flagged" }, { "anything", "sip/flagged" },
		{ "no", "sip/fallback" }, { "false", "sip/fallback" }, { "0", "sip/fallback" },
		{ "000", "sip/fallback" }, { "", "sip/fallback" }, { NULL, "sip/fallback" },
	};
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		extra.n = 0;
		if (flags[i].flag)
			sl_route_param_set(&extra, "flag", flags[i].flag);
		SL_CHECK(&ts, sl_route_eval(&r, &m, &o) == SL_OK);
		SL_CHECK_MSG(&ts, strcmp(o.target, flags[i].target) == 0, "flag %s: %s",
		    flags[i].flag ? flags[i].flag : "(absent)", o.target);
	}

	/* the context parameter picks the section; a bare name clears */
	extra.n = 0;
	sl_route_param_set(&extra, "context", "other");
	m = (struct sl_route_msg){ .called = "x", .caller = "u2", .extra = &extra };
	SL_CHECK(&ts, sl_route_eval(&r, &m, &o) == SL_OK && strcmp(o.target, "sip/other") == 0);
	sl_route_param_set(&extra, "context", "missing");
	SL_CHECK(&ts, sl_route_eval(&r, &m, &o) == SL_OK && o.outcome == SL_ROUTE_DECLINED);
	sl_route_param_set(&extra, "context", "default");
	m.called = "c";
	m.caller = "u1";
	SL_CHECK(&ts, sl_route_eval(&r, &m, &o) == SL_OK);
	SL_CHECK(&ts, strcmp(o.target, "sip/fallback") == 0 &&
	    strcmp(param(&o, "context"), "(absent)") == 0 &&
	    strcmp(param(&o, "tag"), "(absent)") == 0 && o.line == 16);
	sl_route_free(&r);

	/* ${param}^ is the default rule's opposite; defaultrule= replaces it */
	const char *defs[] = {
		"[default]\n${flag}^=sip/off\n.*=sip/on\n",
		"[priorities]\ndefaultrule=^on$\n[default]\n${flag}=sip/on\n.*=sip/off\n",
		"[priorities]\ndefaultrule=^on$\n[default]\n${flag}^=sip/off\n.*=sip/on\n",
	};
	static const struct {
		const char *flag;
		const char *want[3];
	} fl[] = {
		{ "on", { "sip/on", "sip/on", "sip/on" } },
		{ "no", { "sip/off", "sip/off", "sip/off" } },
		{ "yes", { "sip/on", "sip/off", "sip/off" } },
		{ "", { "sip/off", "sip/off", "sip/off" } },
	};
	for (size_t d = 0; d < 3; d++) {
		SL_CHECK_MSG(&ts, parse(&r, defs[d], err) == SL_OK, "%s", err);
		for (size_t i = 0; i < sizeof(fl) / sizeof(fl[0]); i++) {
			struct sl_route_params x = { 0 };
			sl_route_param_set(&x, "flag", fl[i].flag);
			m = (struct sl_route_msg){ .called = "5", .extra = &x };
			SL_CHECK(&ts, sl_route_eval(&r, &m, &o) == SL_OK);
			SL_CHECK_MSG(&ts, strcmp(o.target, fl[i].want[d]) == 0,
			    "defrule %zu flag %s: %s", d, fl[i].flag, o.target);
		}
		sl_route_free(&r);
	}

	/* [priorities]: extended and case-insensitive regexps */
	const char *ere =
	    "[priorities]\nextended=yes\ninsensitive=on\nroute=90\nmaxdepth=5\n"
	    "[default]\n^(a|b)+$=sip/ab\n^([0-9]{3})-([0-9]+)$=sip/\\2-\\1\n";
	SL_CHECK_MSG(&ts, parse(&r, ere, err) == SL_OK, "%s", err);
	SL_CHECK(&ts, r.extended && r.insensitive && r.route_priority == 90);
	m = (struct sl_route_msg){ .called = "ABab", .username = "u1" };
	SL_CHECK(&ts, sl_route_eval(&r, &m, &o) == SL_OK && strcmp(o.target, "sip/ab") == 0);
	m.called = "555-1234";
	SL_CHECK(&ts, sl_route_eval(&r, &m, &o) == SL_OK &&
	    strcmp(o.target, "sip/1234-555") == 0);
	sl_route_free(&r);
}

/* ---- untrusted messages -------------------------------------------- */

static void
test_bounds(void)
{
	struct sl_route r;
	char err[SL_ERRBUF_SIZE] = "";
	const char *text =
	    "[default]\n"
	    "^\\(.*\\)x$=\\1\\1\\1\n"
	    "^many$=;a0=0;a1=1;a2=2;a3=3;a4=4;a5=5;a6=6;a7=7;a8=8;a9=9;b0=0;b1=1;b2=2;"
	    "b3=3;b4=4;b5=5;b6=6;b7=7;b8=8;b9=9;c0=0;c1=1;c2=2;c3=3;c4=4;c5=5;c6=6;c7=7;"
	    "c8=8;c9=9;d0=0;d1=1\n"
	    "^\\(.*\\)y$=sip/x;p=\\1\\1\n"
	    ".*=sip/ok\n";
	SL_CHECK_MSG(&ts, parse(&r, text, err) == SL_OK, "%s", err);
	struct sl_route_result o;
	char big[400];
	memset(big, '9', sizeof(big));
	big[399] = '\0';
	struct sl_route_msg m = { .called = big, .username = "u1" };
	SL_CHECK(&ts, sl_route_eval(&r, &m, &o) == SL_EMALFORMED);
	SL_CHECK(&ts, o.outcome == SL_ROUTE_REJECTED && strcmp(o.error, "failure") == 0 &&
	    sl_route_sip_code(o.error) == 500);
	big[200] = 'x';
	big[201] = '\0';
	SL_CHECK(&ts, sl_route_eval(&r, &m, &o) == SL_EMALFORMED && o.line == 2);
	big[200] = 'y';
	SL_CHECK(&ts, sl_route_eval(&r, &m, &o) == SL_EMALFORMED && o.line == 4);
	big[50] = 'x';
	big[51] = '\0';
	SL_CHECK(&ts, sl_route_eval(&r, &m, &o) == SL_OK &&
	    o.outcome == SL_ROUTE_TARGET && strlen(o.target) == 150);
	m.called = "many";
	SL_CHECK(&ts, sl_route_eval(&r, &m, &o) == SL_EMALFORMED);
	SL_CHECK(&ts, strstr(o.reason, "too many") != NULL);
	/* odd bytes in a called number are only bytes */
	m.called = "\x01\xff\"'\\;=${}";
	SL_CHECK(&ts, sl_route_eval(&r, &m, &o) == SL_OK && strcmp(o.target, "sip/ok") == 0);
	sl_route_free(&r);

	/* parameter table API */
	struct sl_route_params ps = { 0 };
	SL_CHECK(&ts, sl_route_param_set(&ps, "a", "1") == SL_OK);
	SL_CHECK(&ts, sl_route_param_set(&ps, "a", "2") == SL_OK && ps.n == 1 &&
	    strcmp(sl_route_param_get(&ps, "a"), "2") == 0);
	SL_CHECK(&ts, sl_route_param_set(&ps, "", "x") == SL_ENOMEM);
	char longv[SL_ROUTE_VALUE_MAX + 1];
	memset(longv, 'v', sizeof(longv) - 1);
	longv[SL_ROUTE_VALUE_MAX] = '\0';
	SL_CHECK(&ts, sl_route_param_set(&ps, "b", longv) == SL_ENOMEM && ps.n == 1);
	longv[SL_ROUTE_VALUE_MAX - 1] = '\0';
	SL_CHECK(&ts, sl_route_param_set(&ps, "b", longv) == SL_OK && ps.n == 2);
	sl_route_param_clear(&ps, "a");
	SL_CHECK(&ts, ps.n == 1 && sl_route_param_get(&ps, "a") == NULL &&
	    sl_route_param_get(&ps, "b") != NULL);
	sl_route_param_clear(&ps, "nothing");
	SL_CHECK(&ts, ps.n == 1);
}

/* ---- malformed files ----------------------------------------------- */

static const struct {
	const char *name;
	const char *text;
	const char *msg;	/* start of the error */
} bad[] = {
	{ "bad regex", "[default]\n^1$=a\n^\\($=x\n", "re.conf:3: bad regexp \"^\\($\": " },
	{ "bad ERE", "[priorities]\nextended=yes\n[default]\n^(1$=x\n", "re.conf:4: bad regexp" },
	{ "no equals", "[default]\n^1$=a\n\n^2$\n", "re.conf:4: \"^2$\" has no '='" },
	{ "goto", "[default]\n^1$=goto other\n", "re.conf:2: \"goto\" targets are not" },
	{ "jump", "[default]\n^1$=jump other\n", "re.conf:2: \"jump\" targets" },
	{ "include", "[default]\n^1$=include other\n", "re.conf:2: \"include\" targets" },
	{ "call", "[default]\n^1$=call other\n", "re.conf:2: \"call\" targets" },
	{ "@goto", "[default]\n^1$=@goto other\n", "re.conf:2: \"@goto\" targets" },
	{ "if", "[default]\n^1$=if ${x}y=z\n", "re.conf:2: \"if\" targets" },
	{ "echo", "[default]\n^1$=echo hi\n", "re.conf:2: \"echo\" targets" },
	{ "match", "[default]\n^1$=match 2\n", "re.conf:2: \"match\" targets" },
	{ "rename", "[default]\n^1$=rename x\n", "re.conf:2: \"rename\" targets" },
	{ "retval", "[default]\n^1$=retval x\n", "re.conf:2: \"retval\" targets" },
	{ "dispatch", "[default]\n^1$=dispatch m;x=y\n", "re.conf:2: \"dispatch\" targets" },
	{ "block open", "[default]\n^1$={\n", "re.conf:2: { } blocks" },
	{ "block close", "[default]\n}^1$=x\n", "re.conf:2: { } blocks" },
	{ "function in target", "[default]\n^1$=sip/$(random,?\?\?\?)\n",
	    "re.conf:2: $(functions) are not" },
	{ "function match", "[default]\n$(length,${called})^3$=x\n",
	    "re.conf:2: $(function) matches" },
	{ "global variable", "[default]\n^1$=x;$count=1\n", "re.conf:2: $global variables" },
	{ "return true", "[default]\n^1$=return true\n", "re.conf:2: only a plain \"return\"" },
	{ "return yes", "[default]\n^1$=return yes;x=1\n", "re.conf:2: only a plain" },
	{ "return junk", "[default]\n^1$=return maybe\n", "re.conf:2: only a plain" },
	{ "backref beyond groups", "[default]\n^1$=sip/\\1\n",
	    "re.conf:2: \\1 but the regexp has 0 group(s)" },
	{ "backref after invert", "[default]\n^\\(1\\)$^=sip/\\1\n",
	    "re.conf:2: \\1 after an inverted match" },
	{ "unterminated ${", "[default]\n^1$=sip/${called\n", "re.conf:2: \"${\" without \"}\"" },
	{ "empty param name", "[default]\n${}x=y\n", "re.conf:2: bad parameter match" },
	{ "blank param name", "[default]\n${ $d}x=y\n", "re.conf:2: bad parameter name" },
	{ "no closing brace", "[default]\n${usernamex=y\n", "re.conf:2: bad parameter match" },
	{ "nameless parameter", "[default]\n^1$=x;=y\n", "re.conf:2: \";=\" sets a parameter" },
	{ "extra section", "[default]\n^1$=x\n[extra]\ncall.route=50\n", "re.conf:3: [extra] is not" },
	{ "$once section", "[$once]\nx=1\n", "re.conf:1: [$once] is not" },
	{ "unknown priority key", "[priorities]\nroute=100\nrouter=5\n",
	    "re.conf:3: unknown key \"router\" in [priorities]" },
	{ "priority not a number", "[priorities]\nroute=first\n", "re.conf:2: route= wants a number" },
	{ "priority bool", "[priorities]\nextended=2\n", "re.conf:2: extended= wants yes or no" },
	{ "bad defaultrule", "[priorities]\ndefaultrule=\\(\n[default]\n${x}=y\n",
	    "re.conf:4: bad regexp" },
	{ "syntax", "[default]\n^1$=x\n[default\n", "re.conf:3: '[' without ']'" },
	{ "key outside", "^1$=x\n[default]\n", "re.conf:1: \"^1$\" before any [section]" },
};

static void
test_bad(void)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct sl_route r;
		char err[SL_ERRBUF_SIZE] = "";
		enum sl_err e = parse(&r, bad[i].text, err);
		SL_CHECK_MSG(&ts, e == SL_EUSAGE, "%s: %d (%s)", bad[i].name, (int)e, err);
		SL_CHECK_MSG(&ts, strncmp(err, bad[i].msg, strlen(bad[i].msg)) == 0,
		    "%s: \"%s\"", bad[i].name, err);
		SL_CHECK_MSG(&ts, r.ctx == NULL && r.n_ctx == 0, "%s: not freed", bad[i].name);
	}
	/* an overlong line, from the syntax layer, with its number */
	char text[1200];
	int n = snprintf(text, sizeof(text), "[default]\n^1$=");
	memset(text + n, 'x', 1100);
	text[n + 1100] = '\0';
	struct sl_route r;
	char err[SL_ERRBUF_SIZE];
	SL_CHECK(&ts, parse(&r, text, err) == SL_EUSAGE);
	SL_CHECK_MSG(&ts, strncmp(err, "re.conf:2: line is", 18) == 0, "%s", err);
	SL_CHECK(&ts, sl_route_load(&r, "/nonexistent/regexroute.conf", err) == SL_EIO);

	/* a missing [default] is allowed (Yate): nothing routes */
	SL_CHECK(&ts, parse(&r, "; empty\n", err) == SL_OK);
	struct sl_route_msg m = { .called = "1" };
	struct sl_route_result o;
	SL_CHECK(&ts, sl_route_eval(&r, &m, &o) == SL_OK && o.outcome == SL_ROUTE_DECLINED);
	sl_route_free(&r);
}

static void
test_sip_codes(void)
{
	static const struct {
		const char *error;
		int code;
	} rows[] = {
		{ "noauth", 401 }, { "offline", 404 }, { "noroute", 404 }, { "busy", 486 },
		{ "forbidden", 403 }, { "looping", 483 }, { "noconn", 503 },
		{ "noanswer", 480 }, { "incomplete", 484 }, { "failure", 500 },
		{ "unknown", 500 }, { "", 500 }, { NULL, 500 }, { "486", 486 },
		{ "699", 699 }, { "200", 500 }, { "700", 500 }, { "-404", 500 },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		SL_CHECK_MSG(&ts, sl_route_sip_code(rows[i].error) == rows[i].code, "%s",
		    rows[i].error ? rows[i].error : "NULL");
}

/* Random files and messages from a token soup (fixed seed): whatever
 * parses must evaluate without a crash, leak or out-of-bounds access. */
static void
test_soup(void)
{
	static const char *const tok[] = {
		"[default]\n", "[other]\n", "[priorities]\n", "extended=yes\n", "\n", "=",
		";", "^", "$", "${", "}", "${username}", "\\(", "\\)", "(", ")", "\\1",
		"\\0", "\\9", "\\\\", ".*", "[0-9]", "*", "return", "-", "error",
		"noop", "error=noauth", "called=", "u1", "sip/", " ", "\t", "\\\n", "$(",
		"{", "x", "2", "\r\n", "context=other", "reason=", "$x", "defaultrule=",
	};
	uint64_t st = 0x5eed;
	int parsed = 0;
	for (int iter = 0; iter < 3000; iter++) {
		char text[512];
		size_t n = 0;
		if (iter % 2 == 0)
			n = (size_t)snprintf(text, sizeof(text), "[default]\n");
		st = st * 6364136223846793005ULL + 1442695040888963407ULL;
		int len = 3 + (int)((st >> 40) % 14);
		for (int k = 0; k < len; k++) {
			st = st * 6364136223846793005ULL + 1442695040888963407ULL;
			const char *t = tok[(st >> 33) % (sizeof(tok) / sizeof(tok[0]))];
			size_t tl = strlen(t);
			if (n + tl >= sizeof(text))
				break;
			memcpy(text + n, t, tl);
			n += tl;
		}
		struct sl_route r;
		char err[SL_ERRBUF_SIZE];
		if (sl_route_parse(&r, "soup.conf", text, n, err) != SL_OK) {
			SL_CHECK_MSG(&ts, strncmp(err, "soup.conf", 9) == 0, "%s", err);
			continue;
		}
		parsed++;
		for (int k = 0; k < 8; k++) {
			char called[64];
			size_t cn = 0;
			for (int j = 0; j < 6; j++) {
				st = st * 6364136223846793005ULL + 1442695040888963407ULL;
				const char *t = tok[(st >> 33) % (sizeof(tok) / sizeof(tok[0]))];
				size_t tl = strlen(t);
				if (cn + tl >= sizeof(called))
					break;
				memcpy(called + cn, t, tl);
				cn += tl;
			}
			called[cn] = '\0';
			struct sl_route_msg m = { .called = called, .caller = "u1",
				.username = k % 2 ? "u1" : NULL };
			struct sl_route_result o;
			enum sl_err e = sl_route_eval(&r, &m, &o);
			SL_CHECK(&ts, e == SL_OK || e == SL_EMALFORMED);
			SL_CHECK(&ts, strlen(o.target) < sizeof(o.target));
		}
		sl_route_free(&r);
	}
	SL_CHECK_MSG(&ts, parsed > 50, "only %d of the random files parsed", parsed);
	fprintf(stderr, "soup: %d of 3000 random files parsed\n", parsed);
}

int
main(void)
{
	test_sample();
	test_rules();
	test_bounds();
	test_bad();
	test_sip_codes();
	test_soup();
	return sl_test_report(&ts, "regexroute");
}
