/* call.c: what a call owns, and its release. */
#include <stdlib.h>

#include "model/model.h"

#define FINDINGS_FIRST 4

enum sl_err
sl_call_add_finding(struct sl_call *call, const struct sl_finding *f)
{
	/* the capacity is implied by the count (4, then powers of two), so
	 * the model carries no field only this function understands */
	unsigned n = call->n_findings;
	if (n == 0 || (n >= FINDINGS_FIRST && (n & (n - 1)) == 0)) {
		size_t cap = n == 0 ? FINDINGS_FIRST : (size_t)n * 2;
		struct sl_finding *v = realloc(call->findings, cap * sizeof *v);
		if (v == NULL)
			return SL_ENOMEM;
		call->findings = v;
	}
	call->findings[call->n_findings++] = *f;
	return SL_OK;
}

void
sl_call_free(struct sl_call *call)
{
	if (call == NULL)
		return;
	free(call->findings);
	sl_arena_free(&call->arena);
	free(call);
}
