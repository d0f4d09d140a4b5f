/* scenario.h: the capture scenarios slgen can write, one file each
 * (scenario_<name>.c). Each returns 0, or -1 after printing why. */
#ifndef SLG_SCENARIO_H
#define SLG_SCENARIO_H

#include <stdint.h>

#include "tests/gen/net.h"
#include "tests/gen/out.h"

struct slg_opts {
	uint64_t seed;
	uint32_t calls;		/* bench */
	uint32_t concurrent;	/* bench */
	uint32_t rtp_seconds;	/* bench */
};

int slg_scn_b2bua_auth(const char *path, const struct slg_opts *opt);
/* the same call in the server's own trace (raw IP): out.h slg_view */
int slg_scn_b2bua_trace(const char *path, const struct slg_opts *opt);
int slg_scn_register(const char *path, const struct slg_opts *opt);
int slg_scn_direct_call(const char *path, const struct slg_opts *opt);
int slg_scn_ipv6_call(const char *path, const struct slg_opts *opt);
int slg_scn_vlan_sll2(const char *path, const struct slg_opts *opt);
int slg_scn_fragmented(const char *path, const struct slg_opts *opt);
int slg_scn_malformed(const char *path, const struct slg_opts *opt);
int slg_scn_auth_failures(const char *path, const struct slg_opts *opt);
int slg_scn_bench(const char *path, const struct slg_opts *opt);

/* The seed's LAN (SEED-EN.md): three Windows PCs on one hub. */
extern const uint8_t slg_mac_server[6];
extern const uint8_t slg_mac_caller[6];
extern const uint8_t slg_mac_callee[6];
extern const uint8_t slg_mac_router[6];

/* Opens path as an Ethernet/usec/little-endian pcap behind o. */
int slg_scn_open_eth(struct slg_out *o, const char *path,
    const struct slg_link *lk);
int slg_scn_fail(struct slg_out *o, const char *path, const char *what);

#endif
