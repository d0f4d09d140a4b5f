/* input_mem.c: a capture in memory, read through the same readers as a
 * file (fmemopen), so the whole-pipeline fuzzer and the reader tests
 * exercise exactly the code a file on disk goes through. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "capture/source.h"

enum sl_err
sl_input_open_mem(struct sl_input **out, const void *data, size_t size,
    const char *name, char *errbuf)
{
	*out = NULL;
	/* read-only mode: fmemopen never writes through the pointer */
	FILE *fp = fmemopen((void *)(uintptr_t)data, size, "rb");
	if (fp == NULL) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "%s: %s", name, strerror(errno));
		return errno == ENOMEM ? SL_ENOMEM : SL_EIO;
	}
	return sl_input_open_fp(out, fp, name, errbuf);
}
