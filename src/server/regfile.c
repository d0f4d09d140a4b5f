/* regfile.c: regfile.conf checks and routing; see regfile.h. */
#include "server/regfile.h"

#include <stdlib.h>
#include <string.h>

#include "core/str.h"

#define MAX_PRIORITY 1000000

void
sl_regfile_free(struct sl_regfile *rf)
{
	free(rf->users);
	sl_conf_free(&rf->conf);
	*rf = (struct sl_regfile){ 0 };
}

/* RFC 3261 25.1 "user": unreserved / user-unreserved, no escapes */
static bool
valid_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > SL_REGFILE_MAX_NAME)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		bool alnum = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= 'A' && ch <= 'Z');
		if (!alnum && !strchr("-_.!~*'()&=+$,;?/", ch))
			return false;
	}
	return true;
}

static enum sl_err
parse_priority(const struct sl_conf *c, const struct sl_conf_entry *e, int *out,
    char *errbuf)
{
	uint32_t v;
	if (!sl_str_u32(sl_str_c(e->value), MAX_PRIORITY, &v))
		return sl_conf_error(c, e->line, errbuf,
		    "%s= wants a number 0..%d, not \"%.40s\"", e->key, MAX_PRIORITY, e->value);
	*out = (int)v;
	return SL_OK;
}

/* stricter than sl_conf_bool: a security switch takes no "on"/"t" */
static bool
parse_yesno(const char *v, bool *out)
{
	static const char *const yes[] = { "yes", "true", "1" };
	static const char *const no[] = { "no", "false", "0" };
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcmp(v, yes[i]) == 0 || strcmp(v, no[i]) == 0) {
			*out = strcmp(v, yes[i]) == 0;
			return true;
		}
	}
	return false;
}

static enum sl_err
check_general(struct sl_regfile *rf, const struct sl_conf_section *s, char *errbuf)
{
	const struct sl_conf *c = &rf->conf;
	for (size_t i = 0; i < s->n; i++) {
		const struct sl_conf_entry *e = &s->e[i];
		enum sl_err err = SL_OK;
		if (sl_conf_entry(s, e->key) != e)
			return sl_conf_error(c, e->line, errbuf, "%s= set twice in [general]",
			    e->key);
		if (strcmp(e->key, "autocreate") == 0) {
			if (!sl_conf_bool(e->value, &rf->autocreate))
				err = sl_conf_error(c, e->line, errbuf,
				    "autocreate= wants yes or no, not \"%.40s\"", e->value);
		} else if (strcmp(e->key, "allow_empty_password") == 0) {
			if (!parse_yesno(e->value, &rf->allow_empty_password))
				err = sl_conf_error(c, e->line, errbuf,
				    "allow_empty_password= wants yes or no, not \"%.40s\"",
				    e->value);
		} else if (strcmp(e->key, "auth") == 0) {
			err = parse_priority(c, e, &rf->auth_priority, errbuf);
		} else if (strcmp(e->key, "register") == 0) {
			err = parse_priority(c, e, &rf->register_priority, errbuf);
		} else if (strcmp(e->key, "route") == 0) {
			err = parse_priority(c, e, &rf->route_priority, errbuf);
		} else if (strcmp(e->key, "file") == 0) {
			err = sl_conf_error(c, e->line, errbuf,
			    "file= is not supported: registrations are not saved");
		} else {
			err = sl_conf_error(c, e->line, errbuf,
			    "unknown key \"%.40s\" in [general] (known: autocreate, "
			    "allow_empty_password, auth, register, route)", e->key);
		}
		if (err != SL_OK)
			return err;
	}
	return SL_OK;
}

/* Split alternatives= at commas into an arena array of trimmed items. */
static enum sl_err
parse_alternatives(struct sl_regfile *rf, struct sl_regfile_user *u,
    const struct sl_conf_entry *e, char *errbuf)
{
	struct sl_conf *c = &rf->conf;
	struct sl_str rest = sl_str_c(e->value);
	if (rest.n == 0)
		return SL_OK;
	const char **alt = sl_arena_alloc(&c->arena,
	    SL_REGFILE_MAX_ALTS * sizeof(*alt));
	if (alt == NULL)
		return sl_conf_error(c, e->line, errbuf, "out of memory");
	size_t n = 0;
	while (rest.p != NULL) {
		struct sl_str item;
		rest = sl_str_split(rest, ',', &item);
		item = sl_str_trim(item);
		if (item.n == 0)
			return sl_conf_error(c, e->line, errbuf,
			    "empty item in alternatives= of [%s]", u->name);
		if (n == SL_REGFILE_MAX_ALTS)
			return sl_conf_error(c, e->line, errbuf,
			    "more than %d alternatives", SL_REGFILE_MAX_ALTS);
		struct sl_str d = sl_arena_str(&c->arena, item);
		if (d.p == NULL)
			return sl_conf_error(c, e->line, errbuf, "out of memory");
		if (!valid_name(d.p))
			return sl_conf_error(c, e->line, errbuf,
			    "alternative \"%.40s\" is not a valid SIP user part", d.p);
		alt[n++] = d.p;
	}
	u->alt = alt;
	u->n_alt = n;
	return SL_OK;
}

static enum sl_err
check_user(struct sl_regfile *rf, const struct sl_conf_section *s,
    struct sl_regfile_user *u, char *errbuf)
{
	const struct sl_conf *c = &rf->conf;
	*u = (struct sl_regfile_user){ .name = s->name, .line = s->line };
	if (!valid_name(s->name))
		return sl_conf_error(c, s->line, errbuf,
		    "[%.40s]: a username is 1..%d of a-z A-Z 0-9 -_.!~*'()&=+$,;?/",
		    s->name, SL_REGFILE_MAX_NAME);
	for (size_t i = 0; i < s->n; i++) {
		const struct sl_conf_entry *e = &s->e[i];
		enum sl_err err = SL_OK;
		if (sl_conf_entry(s, e->key) != e)
			return sl_conf_error(c, e->line, errbuf, "%s= set twice in [%s]",
			    e->key, s->name);
		if (!e->has_eq)
			return sl_conf_error(c, e->line, errbuf,
			    "\"%.40s\" has no '=' (key=value expected)", e->key);
		if (strcmp(e->key, "password") == 0)
			u->password = e->value;
		else if (strcmp(e->key, "alternatives") == 0)
			err = parse_alternatives(rf, u, e, errbuf);
		else if (strcmp(e->key, "caller") == 0)
			u->caller = e->value;
		else if (strcmp(e->key, "callername") == 0)
			u->callername = e->value;
		else
			err = sl_conf_error(c, e->line, errbuf,
			    "unknown key \"%.40s\" in [%s] (known: password, alternatives, "
			    "caller, callername)", e->key, s->name);
		if (err != SL_OK)
			return err;
	}
	if (u->password == NULL)
		return sl_conf_error(c, s->line, errbuf,
		    "[%s] has no password= (sipladder-server has no other authenticator)",
		    s->name);
	return SL_OK;
}

static enum sl_err
check(struct sl_regfile *rf, char *errbuf)
{
	const struct sl_conf *c = &rf->conf;
	rf->auth_priority = SL_REGFILE_DEFAULT_PRIORITY;
	rf->register_priority = SL_REGFILE_DEFAULT_PRIORITY;
	rf->route_priority = SL_REGFILE_DEFAULT_PRIORITY;
	rf->users = calloc(c->n ? c->n : 1, sizeof(*rf->users));
	if (rf->users == NULL)
		return sl_conf_error(c, 0, errbuf, "out of memory");
	for (size_t i = 0; i < c->n; i++) {
		enum sl_err e = strcmp(c->s[i].name, "general") == 0 ?
		    check_general(rf, &c->s[i], errbuf) :
		    check_user(rf, &c->s[i], &rf->users[rf->n_users++], errbuf);
		if (e != SL_OK)
			return e;
	}
	/* Yate lets anyone in as a user without password; here that needs
	 * saying so ([general] may come after the users) */
	for (size_t i = 0; i < rf->n_users && !rf->allow_empty_password; i++) {
		const struct sl_regfile_user *u = &rf->users[i];
		if (u->password[0] == '\0')
			return sl_conf_error(c, sl_conf_entry(sl_conf_section(c, u->name),
			    "password")->line, errbuf, "user %s has an empty password (set "
			    "allow_empty_password=yes in [general] to allow it)", u->name);
	}
	/* Yate looks a called number up as a user before alternatives, so
	 * an alternative equal to a username could never be reached */
	for (size_t i = 0; i < rf->n_users; i++) {
		const struct sl_regfile_user *u = &rf->users[i];
		for (size_t k = 0; k < u->n_alt; k++) {
			if (sl_regfile_find(rf, u->alt[k]) || strcmp(u->alt[k], "general") == 0)
				return sl_conf_error(c, sl_conf_entry(sl_conf_section(c,
				    u->name), "alternatives")->line, errbuf,
				    "alternative \"%s\" of [%s] is a username: it would "
				    "never be used", u->alt[k], u->name);
		}
	}
	return SL_OK;
}

enum sl_err
sl_regfile_parse(struct sl_regfile *rf, const char *label, const char *text,
    size_t len, char *errbuf)
{
	*rf = (struct sl_regfile){ 0 };
	enum sl_err e = sl_conf_parse(&rf->conf, label, text, len, errbuf);
	if (e == SL_OK)
		e = check(rf, errbuf);
	if (e != SL_OK)
		sl_regfile_free(rf);
	return e;
}

enum sl_err
sl_regfile_load(struct sl_regfile *rf, const char *path, char *errbuf)
{
	*rf = (struct sl_regfile){ 0 };
	enum sl_err e = sl_conf_load(&rf->conf, path, errbuf);
	if (e == SL_OK)
		e = check(rf, errbuf);
	if (e != SL_OK)
		sl_regfile_free(rf);
	return e;
}

const struct sl_regfile_user *
sl_regfile_find(const struct sl_regfile *rf, const char *name)
{
	for (size_t i = 0; i < rf->n_users; i++)
		if (strcmp(rf->users[i].name, name) == 0)
			return &rf->users[i];
	return NULL;
}

size_t
sl_regfile_empty_passwords(const struct sl_regfile *rf)
{
	size_t n = 0;

	for (size_t i = 0; i < rf->n_users; i++)
		n += rf->users[i].password[0] == '\0';
	return n;
}

bool
sl_regfile_may_register(const struct sl_regfile *rf, const char *name)
{
	if (name == NULL || name[0] == '\0' || strcmp(name, "general") == 0)
		return false;
	return sl_regfile_find(rf, name) != NULL || rf->autocreate;
}

void
sl_regfile_route(const struct sl_regfile *rf, const char *called,
    sl_regfile_online_fn online, void *ctx, struct sl_regfile_route *out)
{
	*out = (struct sl_regfile_route){ .verdict = SL_REGFILE_NONE };
	if (called == NULL || called[0] == '\0' || strcmp(called, "general") == 0)
		return;
	const struct sl_regfile_user *u = sl_regfile_find(rf, called);
	if (online(ctx, called)) {
		out->verdict = SL_REGFILE_ROUTE;
		out->targets[out->n++] = u ? u->name : called;
		return;
	}
	if (u) {
		out->verdict = SL_REGFILE_OFFLINE;
		return;
	}
	bool listed = false;
	for (size_t i = 0; i < rf->n_users; i++) {
		for (size_t k = 0; k < rf->users[i].n_alt; k++) {
			if (strcmp(rf->users[i].alt[k], called) != 0)
				continue;
			listed = true;
			if (out->n < SL_REGFILE_MAX_FORK && online(ctx, rf->users[i].name))
				out->targets[out->n++] = rf->users[i].name;
			break;
		}
	}
	if (out->n)
		out->verdict = SL_REGFILE_ROUTE;
	else if (listed)
		out->verdict = SL_REGFILE_OFFLINE;
}
