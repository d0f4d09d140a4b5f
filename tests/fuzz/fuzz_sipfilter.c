/* fuzz_sipfilter.c: one UDP payload through the SIP dissector twice, once
 * as the analyzer runs it (libosip2 sees only the header lines that can
 * fail its parse or that we read) and once with every header line handed
 * to libosip2. Any field that differs means the filter in
 * dissectors/sip.c (osip_input) dropped a line that mattered: abort. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "dissectors/dissector.h"
#include "dissectors/sip.h"
#include "dissectors/sip_internal.h"
#include "tests/fuzz/sipfilter_diff.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	sl_osip_init();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* one arena each: both runs must allocate the same, so the same
	 * cap is reached at the same point or not at all */
	struct sl_arena fa, aa;
	struct sl_packet filtered, all;
	struct sl_sip_feed feed = { .all_lines = true, .osip_bytes = 0 };
	char why[512];

	sl_arena_init(&fa, 4096, 1u << 20);
	sl_arena_init(&aa, 4096, 1u << 20);
	sl_packet_init(&filtered, &fa);
	sl_packet_init(&all, &aa);
	struct sipfilter_side f = { sl_sip_dissect(&filtered, sl_cur_init(data, size)), &filtered };
	struct sipfilter_side a = { sl_sip_dissect_feed(&all, sl_cur_init(data, size), &feed), &all };
	if (sipfilter_diff(f, a, why, sizeof(why)) != NULL) {
		fprintf(stderr, "sipfilter: the libosip2 line filter changed %s (filtered vs all lines)\n",
		    why);
		abort();
	}
	sl_arena_free(&fa);
	sl_arena_free(&aa);
	return 0;
}
