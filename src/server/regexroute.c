/* regexroute.c: regexroute.conf checks, compilation and evaluation; see
 * regexroute.h for the subset and how it differs from Yate. */
#include "server/regexroute.h"

#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"

/* Yate's DEFAULT_RULE: "the value is not false-ish" (the final ^ inverts) */
#define YATE_DEFAULT_RULE "^\\(false\\|no\\|off\\|disable\\|f\\|0*\\)$^"
#define NGROUPS 10	/* \0 .. \9 */
#define MAX_PRIORITY 1000000

struct sl_route_rule {
	unsigned line;
	const char *key;	/* as written, for messages */
	const char *param;	/* NULL: match the called number */
	const char *param_def;	/* ${param$def}: value when absent */
	bool invert;		/* trailing ^ */
	bool compiled;
	regex_t re;
	const char *value;	/* right side as written */
};

/* ---- parameters ------------------------------------------------------ */

const char *
sl_route_param_get(const struct sl_route_params *ps, const char *name)
{
	for (size_t i = 0; i < ps->n; i++)
		if (strcmp(ps->p[i].name, name) == 0)
			return ps->p[i].value;
	return NULL;
}

static enum sl_err
param_set_n(struct sl_route_params *ps, struct sl_str name, struct sl_str value)
{
	if (name.n == 0 || name.n >= SL_ROUTE_NAME_MAX || value.n >= SL_ROUTE_VALUE_MAX)
		return SL_ENOMEM;
	struct sl_route_param *slot = NULL;
	for (size_t i = 0; i < ps->n && !slot; i++)
		if (strlen(ps->p[i].name) == name.n &&
		    memcmp(ps->p[i].name, name.p, name.n) == 0)
			slot = &ps->p[i];
	if (slot == NULL) {
		if (ps->n == SL_ROUTE_MAX_PARAMS)
			return SL_ENOMEM;
		slot = &ps->p[ps->n++];
		memcpy(slot->name, name.p, name.n);
		slot->name[name.n] = '\0';
	}
	if (value.n)
		memcpy(slot->value, value.p, value.n);
	slot->value[value.n] = '\0';
	return SL_OK;
}

enum sl_err
sl_route_param_set(struct sl_route_params *ps, const char *name, const char *value)
{
	return param_set_n(ps, sl_str_c(name), sl_str_c(value));
}

static void
param_clear_n(struct sl_route_params *ps, struct sl_str name)
{
	for (size_t i = 0; i < ps->n; i++) {
		if (strlen(ps->p[i].name) == name.n &&
		    memcmp(ps->p[i].name, name.p, name.n) == 0) {
			memmove(&ps->p[i], &ps->p[i + 1], (ps->n - i - 1) * sizeof(ps->p[0]));
			ps->n--;
			return;
		}
	}
}

void
sl_route_param_clear(struct sl_route_params *ps, const char *name)
{
	param_clear_n(ps, sl_str_c(name));
}

/* ---- loading --------------------------------------------------------- */

void
sl_route_free(struct sl_route *r)
{
	for (size_t i = 0; i < r->n_ctx; i++) {
		for (size_t k = 0; k < r->ctx[i].n; k++)
			if (r->ctx[i].rules[k].compiled)
				regfree(&r->ctx[i].rules[k].re);
		free(r->ctx[i].rules);
	}
	free(r->ctx);
	sl_conf_free(&r->conf);
	*r = (struct sl_route){ 0 };
}

/* Yate's String::startSkip(word): word followed by a blank or the end. */
static bool
starts_word(struct sl_str s, const char *word, struct sl_str *rest /* OUT */)
{
	size_t n = strlen(word);
	if (s.n < n || memcmp(s.p, word, n) != 0 ||
	    (s.n > n && s.p[n] != ' ' && s.p[n] != '\t'))
		return false;
	*rest = sl_str_trim(sl_str_make(s.p + n, s.n - n));
	return true;
}

static enum sl_err
check_priorities(struct sl_route *r, const struct sl_conf_section *s, char *errbuf)
{
	static const char *const numbers[] = { "route", "preroute", "status", "maxdepth" };
	static const char *const bools[] = { "extended", "insensitive", "prerouteall",
		"trackparam" };
	const struct sl_conf *c = &r->conf;
	for (size_t i = 0; i < s->n; i++) {
		const struct sl_conf_entry *e = &s->e[i];
		bool known = false;
		if (sl_conf_entry(s, e->key) != e)
			return sl_conf_error(c, e->line, errbuf, "%s= set twice in [priorities]",
			    e->key);
		for (size_t k = 0; k < sizeof(numbers) / sizeof(numbers[0]); k++) {
			uint32_t v;
			if (strcmp(e->key, numbers[k]) != 0)
				continue;
			if (!sl_str_u32(sl_str_c(e->value), MAX_PRIORITY, &v))
				return sl_conf_error(c, e->line, errbuf,
				    "%s= wants a number 0..%d, not \"%.40s\"", e->key,
				    MAX_PRIORITY, e->value);
			if (k == 0)
				r->route_priority = (int)v;
			known = true;
		}
		for (size_t k = 0; k < sizeof(bools) / sizeof(bools[0]); k++) {
			bool v;
			if (strcmp(e->key, bools[k]) != 0)
				continue;
			if (!sl_conf_bool(e->value, &v))
				return sl_conf_error(c, e->line, errbuf,
				    "%s= wants yes or no, not \"%.40s\"", e->key, e->value);
			if (k == 0)
				r->extended = v;
			else if (k == 1)
				r->insensitive = v;
			known = true;
		}
		if (strcmp(e->key, "defaultrule") == 0) {
			r->default_rule = e->value;
			known = true;
		}
		if (!known)
			return sl_conf_error(c, e->line, errbuf,
			    "unknown key \"%.40s\" in [priorities]", e->key);
	}
	return SL_OK;
}

/* The right side: keywords we do not implement, $(functions), $globals,
 * unterminated ${, and \N beyond the groups the regexp has. */
static enum sl_err
check_value(const struct sl_route *r, const struct sl_route_rule *rule,
    const struct sl_conf_entry *e, char *errbuf)
{
	static const char *const unsupported[] = {
		"if", "and", "or", "echo", "output", "debug", "dispatch", "enqueue",
		"goto", "jump", "@goto", "@jump", "include", "call", "@include",
		"@call", "match", "newmatch", "rename", "retval",
	};
	const struct sl_conf *c = &r->conf;
	struct sl_str v = sl_str_c(e->value), target, rest;
	if (v.n && v.p[v.n - 1] == '{')
		return sl_conf_error(c, e->line, errbuf, "{ } blocks are not supported");
	if (strstr(e->value, "$("))
		return sl_conf_error(c, e->line, errbuf, "$(functions) are not supported");
	struct sl_str parts = sl_str_split(v, ';', &target);
	target = sl_str_trim(target);
	for (size_t i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]); i++)
		if (starts_word(target, unsupported[i], &rest))
			return sl_conf_error(c, e->line, errbuf,
			    "\"%s\" targets are not supported", unsupported[i]);
	if (starts_word(target, "return", &rest) && rest.n) {
		char word[16];
		bool b = true;
		if (rest.n < sizeof(word)) {
			memcpy(word, rest.p, rest.n);
			word[rest.n] = '\0';
			if (!sl_conf_bool(word, &b))
				b = true;
		}
		if (b)
			return sl_conf_error(c, e->line, errbuf,
			    "only a plain \"return\" (or return false) is supported");
	}
	while (parts.p != NULL) {
		struct sl_str part;
		parts = sl_str_split(parts, ';', &part);
		part = sl_str_trim(part);
		if (part.n && part.p[0] == '$' && (part.n < 2 || part.p[1] != '{'))
			return sl_conf_error(c, e->line, errbuf,
			    "$global variables are not supported");
		if (part.n && part.p[0] == '=')
			return sl_conf_error(c, e->line, errbuf,
			    "\";=\" sets a parameter with no name");
	}
	for (const char *p = e->value; *p; p++) {
		if (p[0] == '$' && p[1] == '{' && !strchr(p + 2, '}'))
			return sl_conf_error(c, e->line, errbuf, "\"${\" without \"}\"");
		if (p[0] != '\\' || p[1] == '\0')
			continue;
		p++;
		if (*p < '0' || *p > '9')
			continue;
		unsigned g = (unsigned)(*p - '0');
		if (g > 0 && rule->invert)
			return sl_conf_error(c, e->line, errbuf,
			    "\\%u after an inverted match (no groups)", g);
		if (g > rule->re.re_nsub)
			return sl_conf_error(c, e->line, errbuf,
			    "\\%u but the regexp has %zu group(s)", g, rule->re.re_nsub);
	}
	return SL_OK;
}

/* Split the left side into parameter, default and regexp; compile. */
static enum sl_err
compile_rule(struct sl_route *r, const struct sl_conf_entry *e,
    struct sl_route_rule *rule, char *errbuf)
{
	struct sl_conf *c = &r->conf;
	*rule = (struct sl_route_rule){ .line = e->line, .key = e->key, .value = e->value };
	if (!e->has_eq)
		return sl_conf_error(c, e->line, errbuf,
		    "\"%.40s\" has no '=' (regexp=target expected)", e->key);
	if (e->key[0] == '}')
		return sl_conf_error(c, e->line, errbuf, "{ } blocks are not supported");
	if (strncmp(e->key, "$(", 2) == 0)
		return sl_conf_error(c, e->line, errbuf, "$(function) matches are not supported");
	/* a key is one line; defaultrule= may be a continued value */
	char reg[SL_CONF_MAX_VALUE + sizeof(YATE_DEFAULT_RULE) + 2];
	struct sl_str rs = sl_str_c(e->key);
	bool is_param = strncmp(e->key, "${", 2) == 0;
	if (is_param) {
		const char *close = strchr(e->key, '}');
		if (close == NULL || close - e->key < 3)
			return sl_conf_error(c, e->line, errbuf,
			    "bad parameter match \"%.40s\" (want ${name}regexp)", e->key);
		struct sl_str def, name = sl_str_make(e->key + 2, (size_t)(close - e->key - 2));
		struct sl_str d = sl_str_split(name, '$', &def);
		name = sl_str_trim(def);
		if (name.n == 0 || name.n >= SL_ROUTE_NAME_MAX)
			return sl_conf_error(c, e->line, errbuf, "bad parameter name in \"%.40s\"",
			    e->key);
		rule->param = sl_arena_str(&c->arena, name).p;
		if (d.p != NULL)
			rule->param_def = sl_arena_str(&c->arena, sl_str_trim(d)).p;
		if (rule->param == NULL || (d.p != NULL && rule->param_def == NULL))
			return sl_conf_error(c, e->line, errbuf, "out of memory");
		rs = sl_str_trim(sl_str_c(close + 1));
	}
	/* Yate's setDefault: an empty regexp tests the value with the default
	 * rule; a lone ^ tests it with the opposite */
	const char *defrule = r->default_rule ? r->default_rule : YATE_DEFAULT_RULE;
	size_t dn = strlen(defrule);
	if (is_param && rs.n == 0) {
		rs = sl_str_make(defrule, dn);
	} else if (is_param && rs.n == 1 && rs.p[0] == '^') {
		if (dn && defrule[dn - 1] == '^') {
			rs = sl_str_make(defrule, dn - 1);
		} else {
			if (dn + 1 >= sizeof(reg))
				return sl_conf_error(c, e->line, errbuf, "regexp too long");
			memcpy(reg, defrule, dn);
			reg[dn] = '^';
			rs = sl_str_make(reg, dn + 1);
		}
	}
	if (rs.n && rs.p[rs.n - 1] == '^') {
		rule->invert = true;
		rs.n--;
	}
	if (rs.n >= sizeof(reg))
		return sl_conf_error(c, e->line, errbuf, "regexp too long");
	memmove(reg, rs.p, rs.n);
	reg[rs.n] = '\0';
	int flags = (r->extended ? REG_EXTENDED : 0) | (r->insensitive ? REG_ICASE : 0);
	int rc = regcomp(&rule->re, reg, flags);
	if (rc != 0) {
		char why[128];
		regerror(rc, &rule->re, why, sizeof(why));
		return sl_conf_error(c, e->line, errbuf, "bad regexp \"%.60s\": %s", reg, why);
	}
	rule->compiled = true;
	return check_value(r, rule, e, errbuf);
}

static enum sl_err
compile(struct sl_route *r, char *errbuf)
{
	const struct sl_conf *c = &r->conf;
	r->route_priority = SL_ROUTE_DEFAULT_PRIORITY;
	const struct sl_conf_section *prio = sl_conf_section(c, "priorities");
	if (prio) {
		enum sl_err e = check_priorities(r, prio, errbuf);
		if (e != SL_OK)
			return e;
	}
	r->ctx = calloc(c->n ? c->n : 1, sizeof(*r->ctx));
	if (r->ctx == NULL)
		return sl_conf_error(c, 0, errbuf, "out of memory");
	size_t total = 0;
	for (size_t i = 0; i < c->n; i++) {
		const struct sl_conf_section *s = &c->s[i];
		if (s == prio)
			continue;
		if (s->name[0] == '$' || strcmp(s->name, "extra") == 0)
			return sl_conf_error(c, s->line, errbuf,
			    "[%.40s] is not supported", s->name);
		if (s->n > SL_ROUTE_MAX_RULES - total)
			return sl_conf_error(c, s->line, errbuf, "more than %d rules",
			    SL_ROUTE_MAX_RULES);
		total += s->n;
		struct sl_route_context *cx = &r->ctx[r->n_ctx++];
		cx->name = s->name;
		cx->rules = calloc(s->n ? s->n : 1, sizeof(*cx->rules));
		if (cx->rules == NULL)
			return sl_conf_error(c, s->line, errbuf, "out of memory");
		for (size_t k = 0; k < s->n; k++) {
			enum sl_err e = compile_rule(r, &s->e[k], &cx->rules[cx->n], errbuf);
			if (cx->rules[cx->n].compiled)
				cx->n++;	/* so sl_route_free releases it */
			if (e != SL_OK)
				return e;
		}
	}
	return SL_OK;
}

enum sl_err
sl_route_parse(struct sl_route *r, const char *label, const char *text,
    size_t len, char *errbuf)
{
	*r = (struct sl_route){ 0 };
	enum sl_err e = sl_conf_parse(&r->conf, label, text, len, errbuf);
	if (e == SL_OK)
		e = compile(r, errbuf);
	if (e != SL_OK)
		sl_route_free(r);
	return e;
}

enum sl_err
sl_route_load(struct sl_route *r, const char *path, char *errbuf)
{
	*r = (struct sl_route){ 0 };
	enum sl_err e = sl_conf_load(&r->conf, path, errbuf);
	if (e == SL_OK)
		e = compile(r, errbuf);
	if (e != SL_OK)
		sl_route_free(r);
	return e;
}

/* ---- evaluation ------------------------------------------------------ */

struct out {
	char *p;
	size_t n, cap;
	bool overflow;
};

static void
put(struct out *o, const char *s, size_t n)
{
	if (n >= o->cap - o->n) {
		o->overflow = true;
		return;
	}
	memcpy(o->p + o->n, s, n);
	o->n += n;
	o->p[o->n] = '\0';
}

/* One ';' part of a right side with \N and ${name$def} replaced. Only the
 * template is scanned: text that came from the subject is copied as is. */
static bool
substitute(struct sl_str tmpl, const char *subject, const regmatch_t *m,
    const struct sl_route_params *ps, char *buf, size_t cap)
{
	struct out o = { buf, 0, cap, false };
	buf[0] = '\0';
	for (size_t i = 0; i < tmpl.n && !o.overflow; i++) {
		char ch = tmpl.p[i];
		if (ch == '\\' && i + 1 < tmpl.n) {
			char nx = tmpl.p[++i];
			if (nx >= '0' && nx <= '9') {
				const regmatch_t *g = &m[nx - '0'];
				if (g->rm_so >= 0 && g->rm_eo >= g->rm_so)
					put(&o, subject + g->rm_so, (size_t)(g->rm_eo - g->rm_so));
			} else if (nx == '\\') {
				put(&o, "\\", 1);
			} else {
				put(&o, tmpl.p + i - 1, 2);
			}
		} else if (ch == '$' && i + 1 < tmpl.n && tmpl.p[i + 1] == '{') {
			struct sl_str inner = sl_str_make(tmpl.p + i + 2, tmpl.n - i - 2);
			long close = sl_str_chr(inner, '}');
			if (close < 0) {	/* checked at load; keep the text */
				put(&o, tmpl.p + i, tmpl.n - i);
				break;
			}
			struct sl_str name, def;
			inner.n = (size_t)close;
			def = sl_str_split(inner, '$', &name);
			name = sl_str_trim(name);
			char nm[SL_ROUTE_NAME_MAX];
			const char *val = NULL;
			if (name.n < sizeof(nm)) {
				memcpy(nm, name.p, name.n);
				nm[name.n] = '\0';
				val = sl_route_param_get(ps, nm);
			}
			if (val)
				put(&o, val, strlen(val));
			else if (def.p)
				put(&o, sl_str_trim(def).p, sl_str_trim(def).n);
			i += 2 + (size_t)close;
		} else {
			put(&o, &ch, 1);
		}
	}
	return !o.overflow;
}

static void
copy_trimmed(char *dst, size_t cap, const char *src)
{
	struct sl_str t = sl_str_trim(sl_str_c(src));
	size_t n = t.n < cap - 1 ? t.n : cap - 1;
	if (n)
		memcpy(dst, t.p, n);
	dst[n] = '\0';
}

static enum sl_err
fail(struct sl_route_result *out, const char *why)
{
	out->outcome = SL_ROUTE_REJECTED;
	snprintf(out->target, sizeof(out->target), "-");
	snprintf(out->error, sizeof(out->error), "failure");
	snprintf(out->reason, sizeof(out->reason), "%s", why);
	return SL_EMALFORMED;
}

/* Apply the ';' parts after the target; out->target gets the target. */
static enum sl_err
apply_value(const struct sl_route_rule *rule, const char *subject,
    const regmatch_t *m, struct sl_route_result *out)
{
	struct sl_str target;
	struct sl_str parts = sl_str_split(sl_str_c(rule->value), ';', &target);
	char buf[SL_ROUTE_VALUE_MAX + SL_ROUTE_NAME_MAX];
	/* as Yate's setMessage: each part is substituted when its turn comes,
	 * so it sees what the parts before it set */
	if (!substitute(target, subject, m, &out->params, buf, sizeof(buf)) ||
	    strlen(buf) >= sizeof(out->target))
		return fail(out, "routing target too long");
	copy_trimmed(out->target, sizeof(out->target), buf);
	while (parts.p != NULL) {
		struct sl_str part;
		parts = sl_str_split(parts, ';', &part);
		if (!substitute(part, subject, m, &out->params, buf, sizeof(buf)))
			return fail(out, "routing parameter too long");
		struct sl_str s = sl_str_trim(sl_str_c(buf)), name;
		if (s.n == 0)
			continue;
		struct sl_str value = sl_str_split(s, '=', &name);
		if (value.p == NULL) {
			param_clear_n(&out->params, s);
		} else if (name.n > 0) {
			if (param_set_n(&out->params, sl_str_trim(name),
			    sl_str_trim(value)) != SL_OK)
				return fail(out, "routing parameter too long or too many");
		}
	}
	return SL_OK;
}

static bool
is_return(const char *target)
{
	struct sl_str rest;
	return starts_word(sl_str_c(target), "return", &rest);
}

static const struct sl_route_context *
find_context(const struct sl_route *r, const char *name)
{
	for (size_t i = 0; i < r->n_ctx; i++)
		if (strcmp(r->ctx[i].name, name) == 0)
			return &r->ctx[i];
	return NULL;
}

static enum sl_err
load_message(const struct sl_route_msg *in, struct sl_route_result *out)
{
	enum sl_err e = sl_route_param_set(&out->params, "called",
	    in->called ? in->called : "");
	if (e == SL_OK && in->caller)
		e = sl_route_param_set(&out->params, "caller", in->caller);
	if (e == SL_OK && in->username)
		e = sl_route_param_set(&out->params, "username", in->username);
	for (size_t i = 0; e == SL_OK && in->extra && i < in->extra->n; i++)
		e = sl_route_param_set(&out->params, in->extra->p[i].name,
		    in->extra->p[i].value);
	return e;
}

enum sl_err
sl_route_eval(const struct sl_route *r, const struct sl_route_msg *in,
    struct sl_route_result *out)
{
	memset(out, 0, sizeof(*out));
	out->outcome = SL_ROUTE_DECLINED;
	if (load_message(in, out) != SL_OK)
		return fail(out, "message parameter too long or too many");
	/* Yate: the subject is a copy of called taken once; rules that set
	 * called= change the message, not what later rules match */
	char subject0[SL_ROUTE_VALUE_MAX];
	copy_trimmed(subject0, sizeof(subject0), sl_route_param_get(&out->params, "called"));
	if (subject0[0] == '\0')
		return SL_OK;
	const char *cname = sl_route_param_get(&out->params, "context");
	const struct sl_route_context *cx = find_context(r, cname ? cname : "default");
	if (cx == NULL)
		return SL_OK;

	for (size_t i = 0; i < cx->n; i++) {
		const struct sl_route_rule *rule = &cx->rules[i];
		char subject[SL_ROUTE_VALUE_MAX];
		if (rule->param) {
			const char *v = sl_route_param_get(&out->params, rule->param);
			copy_trimmed(subject, sizeof(subject),
			    v ? v : rule->param_def ? rule->param_def : "");
		} else {
			memcpy(subject, subject0, sizeof(subject));
		}
		regmatch_t m[NGROUPS];
		for (size_t g = 0; g < NGROUPS; g++)
			m[g].rm_so = m[g].rm_eo = -1;
		bool hit = regexec(&rule->re, subject, rule->invert ? 0 : NGROUPS,
		    rule->invert ? NULL : m, 0) == 0;
		if (hit == rule->invert)
			continue;
		if (out->n_matched < SL_ROUTE_MAX_TRACE)
			out->matched[out->n_matched] = rule->line;
		out->n_matched++;
		enum sl_err e = apply_value(rule, subject, m, out);
		if (e != SL_OK) {
			out->line = rule->line;
			return e;
		}
		struct sl_str rest;
		if (out->target[0] == '\0' || starts_word(sl_str_c(out->target), "noop", &rest))
			continue;
		out->line = rule->line;
		if (is_return(out->target)) {
			out->target[0] = '\0';
			return SL_OK;	/* declined, parameters kept */
		}
		if (strcmp(out->target, "-") == 0 || strcmp(out->target, "error") == 0) {
			const char *err = sl_route_param_get(&out->params, "error");
			const char *why = sl_route_param_get(&out->params, "reason");
			out->outcome = SL_ROUTE_REJECTED;
			snprintf(out->error, sizeof(out->error), "%s",
			    err && err[0] ? err : "unknown");
			snprintf(out->reason, sizeof(out->reason), "%s", why ? why : "");
			return SL_OK;
		}
		out->outcome = SL_ROUTE_TARGET;
		return SL_OK;
	}
	out->target[0] = '\0';
	return SL_OK;
}

/* ysipchan.cpp dict_errors: the first entry for a name wins */
int
sl_route_sip_code(const char *error)
{
	static const struct {
		const char *name;
		int code;
	} map[] = {
		{ "incomplete", 484 }, { "noroute", 404 }, { "noconn", 503 },
		{ "noauth", 401 }, { "noautoauth", 401 }, { "nomedia", 415 },
		{ "nocall", 481 }, { "busy", 486 }, { "noanswer", 480 },
		{ "rejected", 406 }, { "forbidden", 403 }, { "offline", 404 },
		{ "congestion", 480 }, { "unallocated", 410 }, { "failure", 500 },
		{ "pending", 491 }, { "looping", 483 }, { "timeout", 408 },
		{ "postdialdelay", 504 }, { "service-not-implemented", 501 },
		{ "unimplemented", 501 }, { "service-unavailable", 503 },
		{ "unacceptable", 488 }, { "noresource", 503 },
		{ "interworking", 500 }, { "invalid-message", 400 },
		{ "protocol-error", 400 },
	};
	if (error == NULL)
		return 500;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].name, error) == 0)
			return map[i].code;
	uint32_t v;
	if (sl_str_u32(sl_str_c(error), 699, &v) && v >= 300)
		return (int)v;
	return 500;
}
