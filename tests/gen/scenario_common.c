/* scenario_common.c: what several scenarios share: the seed LAN's
 * hardware addresses and opening/closing the output. */
#include "tests/gen/scenario.h"

#include <stdio.h>

/* Vendor prefixes of the era's PC network cards; the rest is arbitrary. */
const uint8_t slg_mac_server[6] = { 0x00, 0x1a, 0x4d, 0x6c, 0x20, 0x5e };
const uint8_t slg_mac_caller[6] = { 0x00, 0x1d, 0x92, 0x5a, 0x8e, 0x11 };
const uint8_t slg_mac_callee[6] = { 0x00, 0x16, 0xec, 0x3b, 0x71, 0xc4 };
const uint8_t slg_mac_router[6] = { 0x00, 0x14, 0x78, 0xe2, 0x01, 0x01 };

int
slg_scn_open_eth(struct slg_out *o, const char *path,
    const struct slg_link *lk)
{
	if (slg_out_init(o) != 0) {
		fprintf(stderr, "slgen: out of memory\n");
		return -1;
	}
	if (slg_pcap_open(&o->w, path, SLG_DLT_EN10MB, 65535, false,
	    false) != 0) {
		fprintf(stderr, "slgen: cannot write %s\n", path);
		slg_out_finish(o);
		return -1;
	}
	o->link = lk;
	return 0;
}

int
slg_scn_fail(struct slg_out *o, const char *path, const char *what)
{
	fprintf(stderr, "slgen: %s: %s\n", path, what);
	if (o != NULL)
		slg_out_finish(o);
	return -1;
}
