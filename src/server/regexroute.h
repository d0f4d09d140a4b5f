/* regexroute.h: regexroute.conf, Yate's regular-expression router
 * (modules/regexroute.cpp), as sipladder-server evaluates it for call.route.
 * Every rule is checked and compiled at load; anything outside this subset
 * is refused with "regexroute.conf:LINE: why".
 *
 * Supported:
 *   [priorities]  route= preroute= status= (numbers; route is exposed, the
 *                 others are accepted and unused), extended=, insensitive=
 *                 (regcomp REG_EXTENDED / REG_ICASE), maxdepth= prerouteall=
 *                 trackparam= (accepted, unused: no goto/include here),
 *                 defaultrule= (the regex for an empty ${param} rule).
 *   [default] and any other section: a context of rules "regexp=target",
 *     tried top to bottom. The context is the message's "context" parameter,
 *     else "default"; a missing context routes nothing.
 *   Left side:  regexp             matched against the called number
 *               ${param}regexp     matched against a message parameter
 *               ${param$def}regexp ... with a default when it is absent
 *               ${param}           defaultrule (is the value "true"-ish)
 *               trailing ^         inverts the match (then no \1..\9)
 *     The subject is trimmed; regexps are POSIX basic (extended= for ERE).
 *   Right side: target;name=value;name2=value2;name3
 *     Each ';' part gets \0..\9 (groups of this rule's match; \\ is a
 *     backslash) and ${param} / ${param$default} substituted, in order;
 *     name=value sets a parameter, a bare name clears it, before the target
 *     is acted on. Targets:
 *       ""/noop    only set parameters; go on with the next rule
 *       return     stop, decline: the next router (regfile) sees the
 *                  changed parameters ("return" + false/no/off/disable/f too)
 *       - / error  reject the call with the "error" parameter ("unknown"
 *                  if unset) and "reason"
 *       other      route to it (e.g. sip/sip:u2@127.0.0.101)
 *   Yate runs regexroute only when "called" is non-empty; so do we.
 *
 * Not supported (refused at load): goto/jump/include/call and the @ forms,
 * if/and/or chains, { } blocks, match/newmatch, rename, retval, echo/
 * output/debug, dispatch/enqueue, "return true", $(functions) anywhere,
 * $global=variables, [extra] [$once] [$init] sections. As in Yate the
 * target is classified after substitution; a substituted keyword other
 * than noop/return/-/error is just a target string. \N beyond
 * the regexp's groups, a rule with no '=', and an unterminated ${ are
 * errors (Yate substitutes nothing or skips the line).
 *
 * Input: the configuration is checked once; messages (called, caller,
 * username, parameters) are untrusted and bounded by the SL_ROUTE_* sizes. */
#ifndef SL_SERVER_REGEXROUTE_H
#define SL_SERVER_REGEXROUTE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "server/config.h"

#define SL_ROUTE_MAX_PARAMS 32
#define SL_ROUTE_NAME_MAX 64		/* bytes with the NUL */
#define SL_ROUTE_VALUE_MAX 256		/* bytes with the NUL */
#define SL_ROUTE_MAX_TRACE 32
#define SL_ROUTE_MAX_RULES 4096
#define SL_ROUTE_DEFAULT_PRIORITY 100

/* Message parameters, Yate's NamedList in miniature: names unique. */
struct sl_route_param {
	char name[SL_ROUTE_NAME_MAX];
	char value[SL_ROUTE_VALUE_MAX];
};

struct sl_route_params {
	size_t n;
	struct sl_route_param p[SL_ROUTE_MAX_PARAMS];
};

/* The value of name, or NULL when absent. */
const char *sl_route_param_get(const struct sl_route_params *ps, const char *name);
/* Set (replace or append) name=value. SL_ENOMEM when the table is full or
 * either string is too long; ps is then unchanged. */
enum sl_err sl_route_param_set(struct sl_route_params *ps, const char *name,
    const char *value);
void sl_route_param_clear(struct sl_route_params *ps, const char *name);

/* call.route's input. */
struct sl_route_msg {
	const char *called;	/* dialed number: the Request-URI user */
	const char *caller;	/* From user */
	const char *username;	/* authenticated user; NULL = not authenticated */
	const struct sl_route_params *extra;	/* more parameters, or NULL */
};

enum sl_route_outcome {
	SL_ROUTE_DECLINED,	/* no route here: try regfile with out->params */
	SL_ROUTE_TARGET,	/* route to out->target */
	SL_ROUTE_REJECTED,	/* reject with out->error / out->reason */
};

struct sl_route_result {
	enum sl_route_outcome outcome;
	char target[SL_ROUTE_VALUE_MAX];	/* TARGET; "-"/"error" if REJECTED */
	char error[SL_ROUTE_VALUE_MAX];		/* REJECTED: e.g. "noauth" */
	char reason[SL_ROUTE_VALUE_MAX];	/* REJECTED: maybe "" */
	unsigned line;		/* rule that decided; 0: end of the context */
	unsigned matched[SL_ROUTE_MAX_TRACE];	/* lines of every matching rule */
	size_t n_matched;	/* may exceed SL_ROUTE_MAX_TRACE: count only */
	/* The message after routing: called, caller, username (if given),
	 * extra, plus what the rules set. The next router reads "called". */
	struct sl_route_params params;
};

struct sl_route_rule;

struct sl_route_context {
	const char *name;
	struct sl_route_rule *rules;
	size_t n;
};

struct sl_route {
	struct sl_conf conf;		/* owns every string */
	bool extended;
	bool insensitive;
	int route_priority;		/* [priorities] route=, default 100 */
	struct sl_route_context *ctx;
	size_t n_ctx;
	const char *default_rule;	/* defaultrule=, or Yate's built-in */
};

/* Load/parse, check and compile the whole file. On error r is freed and
 * errbuf has "label:line: why" (SL_EUSAGE), or SL_EIO/SL_ENOMEM. */
enum sl_err sl_route_load(struct sl_route *r, const char *path,
    char *errbuf /* [SL_ERRBUF_SIZE] */);
enum sl_err sl_route_parse(struct sl_route *r, const char *label,
    const char *text, size_t len, char *errbuf /* [SL_ERRBUF_SIZE] */);
void sl_route_free(struct sl_route *r);

/* Run call.route for in. SL_OK with *out filled; SL_EMALFORMED when the
 * message or a substituted value does not fit the SL_ROUTE_* bounds: out
 * is then REJECTED with error "failure" (500) and the reason says what.
 * r is only read, so one loaded table serves every call. Substituted text
 * (a \1 taken from the called number) is not scanned again for ${...}. */
enum sl_err sl_route_eval(const struct sl_route *r, const struct sl_route_msg *in,
    struct sl_route_result *out /* OUT */);

/* SIP status for a Yate error name, as ysipchan's dict_errors (noauth 401,
 * offline/noroute 404, busy 486, forbidden 403, noanswer 480, looping 483,
 * noconn 503, ...); a number 300..699 is taken as is; else 500. */
int sl_route_sip_code(const char *error);

#endif
