/* regfile.h: regfile.conf, Yate's user file (modules/server/regfile.cpp),
 * as sipladder-server reads it. Supported subset (anything else in the file
 * is refused with "regfile.conf:LINE: why", so nothing is silently ignored):
 *
 *   [general]
 *   autocreate=no      ; yes: unknown users may REGISTER (but regfile has no
 *                      ;   password for them, so with auth they never can)
 *   auth=100           ; handler priorities: parsed and exposed; only the
 *   register=100       ;   route one matters here (see regexroute.h for the
 *   route=100          ;   order of routers)
 *   allow_empty_password=no ; yes/true/1: a user may have password= empty
 *                      ;   (no/false/0, the default: loading fails)
 *   ; file=            ; NOT supported (registrations are not persisted)
 *
 *   [u1]               ; a user; the section name is the SIP username
 *   password=u1pass    ; required here (Yate: no password key = another
 *                      ;   module authenticates; we have no other). Empty
 *                      ;   only with allow_empty_password=yes, and then the
 *                      ;   digest must be computed with the empty password
 *                      ;   (Yate accepts any credentials for such a user)
 *   alternatives=1,100 ; called numbers that also reach this user; a number
 *                      ;   listed by several registered users forks to all
 *   caller=...         ; set as "caller" on call.route when THIS user calls
 *   callername=...     ;   (Yate copies every other key; we know these two)
 *
 * Usernames: RFC 3261 "user" characters without escapes, at most
 * SL_REGFILE_MAX_NAME bytes, not "general". Differences from Yate: a key
 * other than the above is an error (Yate passes it on as a message
 * parameter); alternatives are trimmed and may not be empty or name a user
 * (Yate would never reach them); a duplicated key is an error (Yate uses
 * the first). Registrations themselves (bindings, expiry) are the server's
 * state, not this module's: routing asks through a callback. */
#ifndef SL_SERVER_REGFILE_H
#define SL_SERVER_REGFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "server/config.h"

#define SL_REGFILE_MAX_NAME 64
#define SL_REGFILE_MAX_ALTS 64		/* per user */
#define SL_REGFILE_MAX_FORK 16		/* targets of one route */
#define SL_REGFILE_DEFAULT_PRIORITY 100

struct sl_regfile_user {
	const char *name;
	const char *password;		/* never NULL; "" only with
					 * allow_empty_password */
	const char *const *alt;		/* alternatives, file order */
	size_t n_alt;
	const char *caller;		/* NULL when not set */
	const char *callername;		/* NULL when not set */
	unsigned line;			/* of the [section] */
};

struct sl_regfile {
	struct sl_conf conf;		/* owns every string */
	bool autocreate;
	bool allow_empty_password;	/* [general]; default false */
	int auth_priority;
	int register_priority;
	int route_priority;
	struct sl_regfile_user *users;	/* file order */
	size_t n_users;
};

/* Load/parse and check the whole file. On error rf is freed and errbuf has
 * "label:line: why" (SL_EUSAGE), or SL_EIO/SL_ENOMEM. */
enum sl_err sl_regfile_load(struct sl_regfile *rf, const char *path,
    char *errbuf /* [SL_ERRBUF_SIZE] */);
enum sl_err sl_regfile_parse(struct sl_regfile *rf, const char *label,
    const char *text, size_t len, char *errbuf /* [SL_ERRBUF_SIZE] */);
void sl_regfile_free(struct sl_regfile *rf);

/* The user called name (exact, case-sensitive like Yate), or NULL. The
 * password for digest checks (Yate's user.auth) is ->password. */
const struct sl_regfile_user *sl_regfile_find(const struct sl_regfile *rf,
    const char *name);

/* How many users have password= empty (the server warns at start). */
size_t sl_regfile_empty_passwords(const struct sl_regfile *rf);

/* Yate's user.register: a known user, or anyone with autocreate=yes. */
bool sl_regfile_may_register(const struct sl_regfile *rf, const char *name);

/* Is username registered right now? Answered by the server's bindings. */
typedef bool (*sl_regfile_online_fn)(void *ctx, const char *username);

enum sl_regfile_verdict {
	SL_REGFILE_NONE,	/* not ours: Yate's router goes on; at the end the
				 * call fails with error "noroute" (404) */
	SL_REGFILE_OFFLINE,	/* a user or alternative nobody registered:
				 * error "offline" (404 in ysipchan) */
	SL_REGFILE_ROUTE,	/* targets[0..n): registered users; n > 1 forks */
};

struct sl_regfile_route {
	enum sl_regfile_verdict verdict;
	const char *targets[SL_REGFILE_MAX_FORK];	/* usernames */
	size_t n;
};

/* Yate's regfile call.route for the (already rewritten) called number:
 * a registered user by that name; else a configured user -> OFFLINE; else
 * the users listing it in alternatives= that are online (file order; all
 * offline -> OFFLINE); else NONE. Empty called or "general" -> NONE.
 * targets point at user names in rf, or at called itself. */
void sl_regfile_route(const struct sl_regfile *rf, const char *called,
    sl_regfile_online_fn online, void *ctx,
    struct sl_regfile_route *out /* OUT */);

#endif
