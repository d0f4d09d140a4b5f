/* main.c: sipladder-phone, the reference headless user agent. Parses the
 * command line, runs the job (ua.h) and turns the outcome into the exit
 * codes of the README: 0 every step succeeded, 1 failure (one line), 2
 * usage, 3 socket/bind error. */
#include <stdio.h>

#include "core/opttab.h"
#include "phone/opts.h"
#include "sip/msg.h"
#include "phone/ua.h"

#ifndef SL_VERSION
#define SL_VERSION "0"
#endif

int
main(int argc, char **argv)
{
	struct sl_phone_opts o;
	struct sl_phone *ph = NULL;
	char errbuf[SL_ERRBUF_SIZE];

	if (sl_phone_opts_parse(&o, argc, argv, errbuf) != SL_OK) {
		sl_opt_try(stderr, "sipladder-phone", errbuf);
		return SL_PHONE_EXIT_USAGE;
	}
	if (o.help) {
		sl_phone_usage(stdout);
		return SL_PHONE_EXIT_OK;
	}
	if (o.version) {
		printf("sipladder-phone %s\n", SL_VERSION);
		return SL_PHONE_EXIT_OK;
	}
	sl_osip_init();
	enum sl_phone_exit rc = sl_phone_new(&ph, &o, "sipladder-phone/" SL_VERSION,
	    stderr, errbuf);
	if (rc != SL_PHONE_EXIT_OK) {
		fprintf(stderr, "sipladder-phone: %s\n", errbuf);
		return rc;
	}
	rc = sl_phone_run(ph, errbuf);
	sl_phone_free(ph);
	if (rc != SL_PHONE_EXIT_OK)
		fprintf(stderr, "sipladder-phone: %s\n", errbuf);
	return rc;
}
