/* err.c: text for enum sl_err (curl_easy_strerror shape). */
#include "core/err.h"

#include <stdio.h>
#include <stdlib.h>

const char *
sl_strerror(enum sl_err e)
{
	switch (e) {
	case SL_OK:		return "ok";
	case SL_ENOMEM:		return "out of memory or limit reached";
	case SL_ETRUNC:		return "truncated input";
	case SL_EMALFORMED:	return "malformed input";
	case SL_ENOTMINE:	return "not this protocol";
	case SL_EIO:		return "input/output error";
	case SL_EDB:		return "database error";
	case SL_EUSAGE:		return "usage error";
	}
	return "unknown error";
}

_Noreturn void
sl_invariant_failed(const char *file, int line, const char *cond)
{
	fprintf(stderr, "%s:%d: invariant failed: %s\n", file, line, cond);
	abort();
}
