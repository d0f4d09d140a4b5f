/* opttab.h: the option table the three programs (sipladder,
 * sipladder-server, sipladder-phone) parse and document their options
 * with, so an option cannot be parsed but missing from the help. Pure:
 * no globals; matching never prints, help printing writes to the FILE it
 * is given. */
#ifndef SL_OPTTAB_H
#define SL_OPTTAB_H

#include <stddef.h>
#include <stdio.h>

#include "core/err.h"

#define SL_OPT_HELP_LINES 4
#define SL_OPT_HEAD_WIDTH 19	/* the name+value column of the help */

struct sl_opt {
	const char *name;	/* "--name" (or a lone short name such as "-c") */
	const char *alias;	/* short form ("-q"), or NULL */
	const char *arg;	/* value name ("N"), NULL: a flag */
	const char *help[SL_OPT_HELP_LINES];	/* lines of help, unused: NULL */
	int id;			/* the caller's option id */
	unsigned mask;		/* help filter bits (e.g. commands served) */
};

enum sl_opt_status {
	SL_OPT_OK,		/* *opt and *value set (value NULL for a flag) */
	SL_OPT_UNKNOWN,		/* "unknown option 'ARG'" */
	SL_OPT_TAKES_NO_VALUE,	/* "--flag=x": "--flag takes no value" */
	SL_OPT_NEEDS_VALUE,	/* last argument lacks its value: "ARG needs a value" */
};

/* Match argv[*i] ("--name", "--name=value", "--name value" or the alias,
 * "-q"; an alias never takes "=value") against tab[0..n). A value option
 * without "=" takes argv[*i + 1] and advances *i past it. *opt is the
 * matched row (also for SL_OPT_TAKES_NO_VALUE and SL_OPT_NEEDS_VALUE),
 * else NULL; *value points into argv. Unless SL_OPT_OK, errbuf (may be
 * NULL) gets the message in the project's wording, without program name. */
enum sl_opt_status sl_opt_match(const struct sl_opt *tab, size_t n, int argc,
    char *const argv[], int *i /* IN/OUT */, const struct sl_opt **opt /* OUT */,
    const char **value /* OUT */, char errbuf[SL_ERRBUF_SIZE]);

/* The help of tab[0..n) whose mask shares a bit with mask (0: every row):
 * "  " + alias ", " name " " value padded to SL_OPT_HEAD_WIDTH columns +
 * the first help line, then the other lines under it. A head too wide for
 * the column goes on a line of its own. */
void sl_opt_help(FILE *f, const struct sl_opt *tab, size_t n, unsigned mask);

/* The one usage-error format: "PROG: MSG\nTry 'PROG --help'.\n". */
void sl_opt_try(FILE *f, const char *prog, const char *msg);

#endif
