/* config.h: Yate-style .conf files (engine/Configuration.cpp), the syntax
 * under regfile.conf and regexroute.conf. Yate's rules, kept:
 *   - a UTF-8 BOM at the start is skipped; lines end in LF or CRLF;
 *   - leading spaces and tabs are skipped; an empty line or one whose
 *     first other character is ';' is a comment. A ';' later in a line is
 *     NOT a comment ("${username}^$=-;error=noauth" keeps its ';');
 *   - "[name]" starts (or re-opens: entries are appended) a section; the
 *     name is trimmed;
 *   - "key=value" splits at the FIRST '=': a key can never contain '='.
 *     Key and value are trimmed of spaces/tabs. A line without '=' is a key
 *     with an empty value (has_eq false, so callers can refuse it);
 *   - a value ending in '\' continues on the next line (its leading blanks
 *     skipped); the entry keeps the number of its first line;
 *   - keys may repeat; entries keep file order (regexroute relies on it).
 * Where Yate silently ignores or mangles, we refuse with "file:line: why":
 *   lines over SL_CONF_MAX_LINE bytes (Yate splits them), keys before any
 *   section (Yate drops them), "[" without "]", "[]", text after "]" (Yate
 *   drops "[u1] password=x"'s password), lines starting with '=', NUL bytes,
 *   a CR not followed by LF, and the $include/$require/$enabled directives
 *   (not supported). Files are bounded by SL_CONF_MAX_FILE.
 * Input: untrusted (an operator's file, but never trusted to be sane). */
#ifndef SL_SERVER_CONFIG_H
#define SL_SERVER_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"

#define SL_CONF_MAX_FILE (1u << 20)	/* bytes */
#define SL_CONF_MAX_LINE 1023		/* bytes without the newline: Yate's buffer */
#define SL_CONF_MAX_VALUE 4095		/* after '\' continuations */
#define SL_CONF_MAX_SECTIONS 1024
#define SL_CONF_MAX_ENTRIES 16384	/* in all sections together */
#define SL_CONF_LABEL_MAX 200

struct sl_conf_entry {
	const char *key;	/* NUL-terminated, non-empty, trimmed */
	const char *value;	/* NUL-terminated, trimmed, maybe empty */
	unsigned line;		/* 1-based line of the key */
	bool has_eq;		/* the line had a '=' */
};

struct sl_conf_section {
	const char *name;	/* non-empty, trimmed */
	unsigned line;		/* of its first "[name]" */
	struct sl_conf_entry *e;	/* in file order */
	size_t n;
	size_t cap;
};

struct sl_conf {
	char label[SL_CONF_LABEL_MAX];	/* file name used in messages */
	struct sl_conf_section *s;	/* in order of first appearance */
	size_t n;
	size_t entries;			/* total, for the cap */
	struct sl_arena arena;		/* every string above */
};

/* Parse text[0..len) (not NUL-terminated; may contain anything). label
 * prefixes error messages ("regexroute.conf:12: ..."). On success c owns
 * its data until sl_conf_free. On failure c is left freed and errbuf says
 * why: SL_EUSAGE bad syntax, SL_ENOMEM a cap or malloc. */
enum sl_err sl_conf_parse(struct sl_conf *c, const char *label, const char *text,
    size_t len, char *errbuf /* [SL_ERRBUF_SIZE] */);

/* Read path (at most SL_CONF_MAX_FILE bytes) and sl_conf_parse it with the
 * path as label. SL_EIO when it cannot be read (a missing file is an error:
 * unlike Yate we do not run on defaults). */
enum sl_err sl_conf_load(struct sl_conf *c, const char *path,
    char *errbuf /* [SL_ERRBUF_SIZE] */);

/* Frees everything; c may be freed twice or never parsed if zeroed. */
void sl_conf_free(struct sl_conf *c);

/* The section called name, or NULL. */
const struct sl_conf_section *sl_conf_section(const struct sl_conf *c,
    const char *name);
/* The first entry with this key (Yate's getValue), or NULL. */
const struct sl_conf_entry *sl_conf_entry(const struct sl_conf_section *s,
    const char *key);

/* Format "label:line: message" into errbuf (line 0: "label: message") and
 * return SL_EUSAGE, for the modules that check meaning after syntax. */
enum sl_err sl_conf_error(const struct sl_conf *c, unsigned line,
    char *errbuf /* [SL_ERRBUF_SIZE] */, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Yate's boolean words (String::toBoolean): true/yes/on/enable/t and
 * false/no/off/disable/f. False if v is none of them. */
bool sl_conf_bool(const char *v, bool *out /* OUT */);

#endif
