/* osipinit.c: see osipinit.h. */
#include "core/osipinit.h"

#include <osipparser2/osip_parser.h>
#include <osipparser2/osip_port.h>
#include <pthread.h>
#include <stdarg.h>

static void
osip_quiet(const char *fi, int li, osip_trace_level_t level, const char *chfr,
    va_list ap)
{
	(void)fi;
	(void)li;
	(void)level;
	(void)chfr;
	(void)ap;
}

static void
init_once(void)
{
	parser_init();
	osip_trace_initialize_func(TRACE_LEVEL0, osip_quiet);
}

void
sl_osip_init(void)
{
	/* The only state of our own: pthread_once's flag, written once.
	 * parser_init() rewrites libosip2's static tables, which a parse
	 * running in another thread could be reading, so "once" is needed
	 * for thread safety, not just to save work. */
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	(void)pthread_once(&once, init_once);
}
