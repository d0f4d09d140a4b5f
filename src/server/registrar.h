/* registrar.h: the location service of sipladder-server (RFC 3261 10.3):
 * one binding per user, as Yate's regfile keeps one "data" per user (a
 * new REGISTER replaces the previous contact). A fixed-capacity table of
 * plain values with no clock of its own: every function takes `now_ms`
 * (any monotonic millisecond clock the caller uses throughout), so tests
 * drive time by hand. Lookups never return an expired binding even before
 * sl_registrar_expire has swept it. */
#ifndef SL_SERVER_REGISTRAR_H
#define SL_SERVER_REGISTRAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/addr.h"
#include "core/err.h"
#include "server/regfile.h"
#include "sip/msg.h"

struct sl_binding {
	char user[SL_REGFILE_MAX_NAME + 1];
	char contact[SL_MSG_URI_MAX];	/* Contact URI as registered */
	struct sl_endpoint source;	/* where the REGISTER came from */
	struct sl_endpoint target;	/* where requests for the user go */
	char call_id[SL_MSG_CALLID_MAX];
	uint32_t cseq;
	uint64_t expires_ms;		/* absolute, on the caller's clock */
	bool used;
};

struct sl_registrar {
	struct sl_binding *b;
	size_t cap;
	size_t n;			/* bindings in use */
};

/* cap bindings at most. SL_ENOMEM when malloc fails. */
enum sl_err sl_registrar_init(struct sl_registrar *r, size_t cap);
void sl_registrar_free(struct sl_registrar *r);

enum sl_reg_expiry {
	SL_REG_EXP_OK,		/* register for *out seconds */
	SL_REG_EXP_REMOVE,	/* 0: unregister */
	SL_REG_EXP_TOO_BRIEF,	/* 423 Interval Too Brief, Min-Expires: min */
};

/* RFC 3261 10.3 step 7: the Contact's expires parameter wins over the
 * Expires header; neither: def. Non-zero values below min are too brief,
 * values above max are cut to max (Yate's expires_max). contact_exp and
 * hdr_exp are UINT32_MAX when absent. */
enum sl_reg_expiry sl_registrar_expiry(uint32_t contact_exp, uint32_t hdr_exp,
    uint32_t min, uint32_t max, uint32_t def, uint32_t *out /* OUT */);

enum sl_reg_update {
	SL_REG_UPDATED,		/* new or replaced */
	SL_REG_FULL,		/* cap reached: 503 */
	SL_REG_OUT_OF_ORDER,	/* same Call-ID, CSeq not higher: stale request */
	SL_REG_BAD,		/* a field does not fit */
};

/* Add or replace user's binding, valid for expires_s from now_ms. */
enum sl_reg_update sl_registrar_update(struct sl_registrar *r, const char *user,
    const char *contact, const struct sl_endpoint *source,
    const struct sl_endpoint *target, const char *call_id, uint32_t cseq,
    uint32_t expires_s, uint64_t now_ms);

/* Remove user's binding; true if there was one (expired ones count). */
bool sl_registrar_remove(struct sl_registrar *r, const char *user);

/* The live binding of user, or NULL. Valid until the next update, remove
 * or expire call. */
const struct sl_binding *sl_registrar_find(const struct sl_registrar *r,
    const char *user, uint64_t now_ms);

/* Seconds left of b at now_ms (0 when expired). */
uint32_t sl_registrar_left_s(const struct sl_binding *b, uint64_t now_ms);

/* Drop every binding expired at now_ms; each is passed to fn (may be
 * NULL) before it is dropped. Returns how many. */
size_t sl_registrar_expire(struct sl_registrar *r, uint64_t now_ms,
    void (*fn)(void *arg, const struct sl_binding *b), void *arg);

#endif
