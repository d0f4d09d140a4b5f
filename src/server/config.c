/* config.c: Yate .conf syntax; see config.h for the rules and where we are
 * stricter than engine/Configuration.cpp. */
#include "server/config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_CAP (4u << 20)	/* strings of a 1 MiB file, with room */

enum sl_err
sl_conf_error(const struct sl_conf *c, unsigned line, char *errbuf,
    const char *fmt, ...)
{
	int n = line ? snprintf(errbuf, SL_ERRBUF_SIZE, "%s:%u: ", c->label, line) :
	    snprintf(errbuf, SL_ERRBUF_SIZE, "%s: ", c->label);
	if (n < 0 || n >= SL_ERRBUF_SIZE)
		return SL_EUSAGE;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(errbuf + n, SL_ERRBUF_SIZE - (size_t)n, fmt, ap);
	va_end(ap);
	return SL_EUSAGE;
}

void
sl_conf_free(struct sl_conf *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->s[i].e);
	free(c->s);
	c->s = NULL;
	c->n = 0;
	c->entries = 0;
	sl_arena_free(&c->arena);
}

const struct sl_conf_section *
sl_conf_section(const struct sl_conf *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->s[i].name, name) == 0)
			return &c->s[i];
	return NULL;
}

const struct sl_conf_entry *
sl_conf_entry(const struct sl_conf_section *s, const char *key)
{
	for (size_t i = 0; s && i < s->n; i++)
		if (strcmp(s->e[i].key, key) == 0)
			return &s->e[i];
	return NULL;
}

bool
sl_conf_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "true", "yes", "on", "enable", "t" };
	static const char *const no[] = { "false", "no", "off", "disable", "f" };
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcmp(v, yes[i]) == 0) {
			*out = true;
			return true;
		}
		if (strcmp(v, no[i]) == 0) {
			*out = false;
			return true;
		}
	}
	return false;
}

/* ---- the parser ------------------------------------------------------ */

/* A cap or malloc failure: same message format, SL_ENOMEM (err.h). */
static enum sl_err
nomem(const struct sl_conf *c, unsigned line, char *errbuf, const char *what)
{
	sl_conf_error(c, line, errbuf, "%s", what);
	return SL_ENOMEM;
}

struct src {
	const char *p, *end;
	unsigned line;
};

static bool
is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

static struct sl_str
trim_blanks(struct sl_str s)
{
	while (s.n && is_blank(s.p[0])) {
		s.p++;
		s.n--;
	}
	while (s.n && is_blank(s.p[s.n - 1]))
		s.n--;
	return s;
}

/* Next physical line without its LF/CRLF; false at the end of text. */
static enum sl_err
next_line(struct sl_conf *c, struct src *s, struct sl_str *out, bool *eof,
    char *errbuf)
{
	if (s->p >= s->end) {
		*eof = true;
		return SL_OK;
	}
	*eof = false;
	s->line++;
	const char *nl = memchr(s->p, '\n', (size_t)(s->end - s->p));
	const char *stop = nl ? nl : s->end;
	struct sl_str l = sl_str_make(s->p, (size_t)(stop - s->p));
	s->p = nl ? nl + 1 : s->end;
	if (l.n && l.p[l.n - 1] == '\r')
		l.n--;
	if (l.n > SL_CONF_MAX_LINE)
		return sl_conf_error(c, s->line, errbuf,
		    "line is %zu bytes, longer than %d", l.n, SL_CONF_MAX_LINE);
	if (memchr(l.p, '\0', l.n))
		return sl_conf_error(c, s->line, errbuf, "NUL byte in line");
	if (memchr(l.p, '\r', l.n))
		return sl_conf_error(c, s->line, errbuf, "CR not followed by LF");
	*out = l;
	return SL_OK;
}

static const char *
save_str(struct sl_conf *c, struct sl_str s)
{
	struct sl_str d = sl_arena_str(&c->arena, s);
	return d.p == NULL && s.n ? NULL : (d.p ? d.p : "");
}

static enum sl_err
open_section(struct sl_conf *c, struct sl_str name, unsigned line,
    size_t *idx, char *errbuf)
{
	for (size_t i = 0; i < c->n; i++) {
		if (strlen(c->s[i].name) == name.n &&
		    memcmp(c->s[i].name, name.p, name.n) == 0) {
			*idx = i;	/* Yate re-opens: later entries append */
			return SL_OK;
		}
	}
	if (c->n == SL_CONF_MAX_SECTIONS)
		return nomem(c, line, errbuf, "too many sections");
	struct sl_conf_section *ns = realloc(c->s, (c->n + 1) * sizeof(*ns));
	if (ns == NULL)
		return nomem(c, line, errbuf, "out of memory");
	c->s = ns;
	const char *nm = save_str(c, name);
	if (nm == NULL)
		return nomem(c, line, errbuf, "out of memory");
	c->s[c->n] = (struct sl_conf_section){ .name = nm, .line = line };
	*idx = c->n++;
	return SL_OK;
}

static enum sl_err
add_entry(struct sl_conf *c, struct sl_conf_section *sec, struct sl_str key,
    struct sl_str value, bool has_eq, unsigned line, char *errbuf)
{
	if (c->entries == SL_CONF_MAX_ENTRIES)
		return nomem(c, line, errbuf, "too many entries");
	if (sec->n == sec->cap) {
		size_t ncap = sec->cap ? sec->cap * 2 : 8;
		struct sl_conf_entry *ne = realloc(sec->e, ncap * sizeof(*ne));
		if (ne == NULL)
			return nomem(c, line, errbuf, "out of memory");
		sec->e = ne;
		sec->cap = ncap;
	}
	const char *k = save_str(c, key), *v = save_str(c, value);
	if (k == NULL || v == NULL)
		return nomem(c, line, errbuf, "out of memory");
	sec->e[sec->n++] = (struct sl_conf_entry){ k, v, line, has_eq };
	c->entries++;
	return SL_OK;
}

static enum sl_err
section_line(struct sl_conf *c, struct sl_str l, unsigned line, size_t *cur,
    char *errbuf)
{
	long close = sl_str_chr(l, ']');
	if (close < 0)
		return sl_conf_error(c, line, errbuf, "'[' without ']'");
	struct sl_str name = trim_blanks(sl_str_make(l.p + 1, (size_t)close - 1));
	struct sl_str rest = trim_blanks(sl_str_make(l.p + close + 1,
	    l.n - (size_t)close - 1));
	if (name.n == 0)
		return sl_conf_error(c, line, errbuf, "empty section name");
	if (rest.n && rest.p[0] != ';')
		return sl_conf_error(c, line, errbuf,
		    "text after ']' (\"%.*s\"): Yate ignores it; put it on its own line",
		    rest.n > 40 ? 40 : (int)rest.n, rest.p);
	static const char *const directives[] = { "$include", "$require", "$enabled" };
	for (size_t i = 0; i < 3; i++)
		if (sl_str_istarts(name, sl_str_c(directives[i])))
			return sl_conf_error(c, line, errbuf, "[%s] is not supported",
			    directives[i]);
	return open_section(c, name, line, cur, errbuf);
}

static enum sl_err
entry_line(struct sl_conf *c, struct src *s, struct sl_str l, size_t cur,
    char *errbuf)
{
	unsigned line = s->line;
	if (l.p[0] == '=')
		return sl_conf_error(c, line, errbuf, "'=' with no key before it");
	struct sl_str key;
	struct sl_str raw = sl_str_split(l, '=', &key);
	bool has_eq = raw.p != NULL;
	key = trim_blanks(key);
	if (cur == SIZE_MAX)
		return sl_conf_error(c, line, errbuf,
		    "\"%.*s\" before any [section]", key.n > 40 ? 40 : (int)key.n, key.p);

	/* Yate joins a value ending in '\' with the next line, as read:
	 * leading blanks skipped, no comment handling */
	char val[SL_CONF_MAX_VALUE + 1];
	size_t vn = 0;
	for (;;) {
		bool more = raw.n && raw.p[raw.n - 1] == '\\';
		if (more)
			raw.n--;
		if (raw.n > SL_CONF_MAX_VALUE - vn)
			return sl_conf_error(c, line, errbuf,
			    "value longer than %d bytes", SL_CONF_MAX_VALUE);
		if (raw.n)
			memcpy(val + vn, raw.p, raw.n);
		vn += raw.n;
		if (!more)
			break;
		bool eof;
		enum sl_err e = next_line(c, s, &raw, &eof, errbuf);
		if (e != SL_OK)
			return e;
		if (eof)
			break;
		while (raw.n && is_blank(raw.p[0])) {
			raw.p++;
			raw.n--;
		}
	}
	struct sl_str value = trim_blanks(sl_str_make(val, vn));
	return add_entry(c, &c->s[cur], key, value, has_eq, line, errbuf);
}

static enum sl_err
parse(struct sl_conf *c, const char *text, size_t len, char *errbuf)
{
	if (len > SL_CONF_MAX_FILE)
		return sl_conf_error(c, 0, errbuf, "larger than %u bytes",
		    SL_CONF_MAX_FILE);
	struct src s = { text, text + len, 0 };
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		s.p += 3;	/* UTF-8 BOM, as Yate's String::stripBOM */
	size_t cur = SIZE_MAX;
	for (;;) {
		struct sl_str l;
		bool eof;
		enum sl_err e = next_line(c, &s, &l, &eof, errbuf);
		if (e != SL_OK || eof)
			return e;
		while (l.n && is_blank(l.p[0])) {
			l.p++;
			l.n--;
		}
		if (l.n == 0 || l.p[0] == ';')
			continue;
		e = l.p[0] == '[' ? section_line(c, l, s.line, &cur, errbuf) :
		    entry_line(c, &s, l, cur, errbuf);
		if (e != SL_OK)
			return e;
	}
}

enum sl_err
sl_conf_parse(struct sl_conf *c, const char *label, const char *text,
    size_t len, char *errbuf)
{
	*c = (struct sl_conf){ 0 };
	snprintf(c->label, sizeof(c->label), "%s", label ? label : "config");
	sl_arena_init(&c->arena, 4096, ARENA_CAP);
	enum sl_err e = parse(c, text, len, errbuf);
	if (e != SL_OK)
		sl_conf_free(c);
	return e;
}

enum sl_err
sl_conf_load(struct sl_conf *c, const char *path, char *errbuf)
{
	*c = (struct sl_conf){ 0 };
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "%s: %s", path, strerror(errno));
		return SL_EIO;
	}
	char *buf = malloc(SL_CONF_MAX_FILE + 1);
	if (buf == NULL) {
		fclose(f);
		snprintf(errbuf, SL_ERRBUF_SIZE, "%s: out of memory", path);
		return SL_ENOMEM;
	}
	/* one byte past the cap tells a too-large file from a full one */
	size_t n = fread(buf, 1, SL_CONF_MAX_FILE + 1, f);
	bool err = ferror(f) != 0;
	fclose(f);
	enum sl_err e;
	if (err) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "%s: read error", path);
		e = SL_EIO;
	} else {
		e = sl_conf_parse(c, path, buf, n, errbuf);
	}
	free(buf);
	return e;
}
