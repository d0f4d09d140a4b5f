/* registrar.c: see registrar.h. A linear table: bindings are bounded by
 * the users of regfile.conf (or --max-regs), so a scan costs less than
 * keeping an index consistent. */
#include "server/registrar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum sl_err
sl_registrar_init(struct sl_registrar *r, size_t cap)
{
	r->b = calloc(cap ? cap : 1, sizeof(*r->b));
	r->cap = r->b ? cap : 0;
	r->n = 0;
	return r->b ? SL_OK : SL_ENOMEM;
}

void
sl_registrar_free(struct sl_registrar *r)
{
	free(r->b);
	r->b = NULL;
	r->cap = r->n = 0;
}

enum sl_reg_expiry
sl_registrar_expiry(uint32_t contact_exp, uint32_t hdr_exp, uint32_t min,
    uint32_t max, uint32_t def, uint32_t *out)
{
	uint32_t v = contact_exp != UINT32_MAX ? contact_exp :
	    hdr_exp != UINT32_MAX ? hdr_exp : def;

	*out = 0;
	if (v == 0)
		return SL_REG_EXP_REMOVE;
	if (v < min) {
		*out = min;
		return SL_REG_EXP_TOO_BRIEF;
	}
	*out = v > max ? max : v;
	return SL_REG_EXP_OK;
}

static struct sl_binding *
slot(const struct sl_registrar *r, const char *user)
{
	for (size_t i = 0; i < r->cap; i++)
		if (r->b[i].used && strcmp(r->b[i].user, user) == 0)
			return &r->b[i];
	return NULL;
}

static bool
fits(const char *s, size_t n)
{
	return s != NULL && strlen(s) < n;
}

enum sl_reg_update
sl_registrar_update(struct sl_registrar *r, const char *user, const char *contact,
    const struct sl_endpoint *source, const struct sl_endpoint *target,
    const char *call_id, uint32_t cseq, uint32_t expires_s, uint64_t now_ms)
{
	struct sl_binding *b = slot(r, user);

	if (!fits(user, sizeof(b->user)) || user[0] == '\0' ||
	    !fits(contact, sizeof(b->contact)) || !fits(call_id, sizeof(b->call_id)))
		return SL_REG_BAD;
	/* RFC 3261 10.3 step 7: an older request of the same registration
	 * (reordered by the network) must not undo a newer one */
	if (b && b->expires_ms > now_ms && strcmp(b->call_id, call_id) == 0 &&
	    cseq <= b->cseq)
		return SL_REG_OUT_OF_ORDER;
	if (b == NULL) {
		for (size_t i = 0; i < r->cap && b == NULL; i++)
			if (!r->b[i].used)
				b = &r->b[i];
		if (b == NULL)
			return SL_REG_FULL;
		r->n++;
	}
	memset(b, 0, sizeof(*b));
	b->used = true;
	snprintf(b->user, sizeof(b->user), "%s", user);
	snprintf(b->contact, sizeof(b->contact), "%s", contact);
	snprintf(b->call_id, sizeof(b->call_id), "%s", call_id);
	b->source = *source;
	b->target = *target;
	b->cseq = cseq;
	b->expires_ms = now_ms + (uint64_t)expires_s * 1000u;
	return SL_REG_UPDATED;
}

bool
sl_registrar_remove(struct sl_registrar *r, const char *user)
{
	struct sl_binding *b = slot(r, user);

	if (b == NULL)
		return false;
	b->used = false;
	r->n--;
	return true;
}

const struct sl_binding *
sl_registrar_find(const struct sl_registrar *r, const char *user, uint64_t now_ms)
{
	const struct sl_binding *b = user ? slot(r, user) : NULL;

	return b && b->expires_ms > now_ms ? b : NULL;
}

uint32_t
sl_registrar_left_s(const struct sl_binding *b, uint64_t now_ms)
{
	if (b->expires_ms <= now_ms)
		return 0;
	/* rounded up: a binding with 0.4 s left is still alive */
	return (uint32_t)((b->expires_ms - now_ms + 999) / 1000);
}

size_t
sl_registrar_expire(struct sl_registrar *r, uint64_t now_ms,
    void (*fn)(void *arg, const struct sl_binding *b), void *arg)
{
	size_t n = 0;

	for (size_t i = 0; i < r->cap; i++) {
		struct sl_binding *b = &r->b[i];
		if (!b->used || b->expires_ms > now_ms)
			continue;
		if (fn)
			fn(arg, b);
		b->used = false;
		r->n--;
		n++;
	}
	return n;
}
