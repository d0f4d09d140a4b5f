/* opttab.c: table-driven option matching and help (opttab.h). */
#include "core/opttab.h"

#include <string.h>

static void
say(char *errbuf, const char *fmt, const char *arg)
{
	/* fmt: one "%s", substituted by hand (-Wformat-nonliteral) */
	const char *at = strstr(fmt, "%s");

	if (errbuf == NULL || at == NULL)
		return;
	snprintf(errbuf, SL_ERRBUF_SIZE, "%.*s%.80s%s", (int)(at - fmt), fmt, arg, at + 2);
}

enum sl_opt_status
sl_opt_match(const struct sl_opt *tab, size_t n, int argc, char *const argv[], int *i,
    const struct sl_opt **opt, const char **value, char errbuf[SL_ERRBUF_SIZE])
{
	const char *a = argv[*i];
	const char *eq = strncmp(a, "--", 2) == 0 ? strchr(a, '=') : NULL;
	size_t len = eq ? (size_t)(eq - a) : strlen(a);
	const struct sl_opt *o = NULL;

	*opt = NULL;
	*value = eq ? eq + 1 : NULL;
	for (size_t k = 0; k < n && o == NULL; k++) {
		if ((strlen(tab[k].name) == len && strncmp(tab[k].name, a, len) == 0) ||
		    (tab[k].alias && !eq && strcmp(tab[k].alias, a) == 0))
			o = &tab[k];
	}
	if (o == NULL) {
		say(errbuf, "unknown option '%s'", a);
		return SL_OPT_UNKNOWN;
	}
	*opt = o;
	if (o->arg == NULL && eq) {
		say(errbuf, "%s takes no value", o->name);
		return SL_OPT_TAKES_NO_VALUE;
	}
	if (o->arg != NULL && !eq) {
		if (*i + 1 >= argc) {
			say(errbuf, "%s needs a value", a);
			return SL_OPT_NEEDS_VALUE;
		}
		*value = argv[++*i];
	}
	return SL_OPT_OK;
}

void
sl_opt_help(FILE *f, const struct sl_opt *tab, size_t n, unsigned mask)
{
	for (size_t k = 0; k < n; k++) {
		const struct sl_opt *o = &tab[k];
		if (mask != 0 && !(o->mask & mask))
			continue;
		char head[80];
		snprintf(head, sizeof(head), "%s%s%s%s%s", o->alias ? o->alias : "",
		    o->alias ? ", " : "", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
		size_t first = 0;
		if (strlen(head) >= SL_OPT_HEAD_WIDTH || o->help[0] == NULL) {
			fprintf(f, "  %s\n", head);
		} else {
			fprintf(f, "  %-*s%s\n", SL_OPT_HEAD_WIDTH, head, o->help[0]);
			first = 1;
		}
		for (size_t l = first; l < SL_OPT_HELP_LINES && o->help[l]; l++)
			fprintf(f, "  %-*s%s\n", SL_OPT_HEAD_WIDTH, "", o->help[l]);
	}
}

void
sl_opt_try(FILE *f, const char *prog, const char *msg)
{
	fprintf(f, "%s: %s\nTry '%s --help'.\n", prog, msg, prog);
}
