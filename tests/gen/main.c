/* main.c: slgen, the deterministic capture generator of sipladder.
 *
 *   slgen <scenario> -o FILE [--seed N]
 *   slgen bench -o FILE [--calls N] [--concurrent C] [--rtp-seconds S]
 *   slgen all -d DIR [--seed N]
 *
 * Same arguments, same bytes: no clock, no environment, no global state. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/gen/scenario.h"

struct scn {
	const char *name;
	const char *file;	/* name used by "all"; NULL: not in "all" */
	int (*run)(const char *path, const struct slg_opts *opt);
	const char *what;
};

static const struct scn scns[] = {
	{ "b2bua-lossy", "b2bua-lossy.pcap", slg_scn_b2bua_auth,
	    "seed call through the Yate B2BUA, digest auth, relayed RTP, ICMP" },
	{ "b2bua-trace", "b2bua-lossy-trace.pcap", slg_scn_b2bua_trace,
	    "b2bua-lossy as the server's own trace records it (raw IP)" },
	{ "register-retrans", "register-retrans.pcap", slg_scn_register,
	    "u1/u2 REGISTER with 401 challenge, unregister (ns, big-endian)" },
	{ "direct-call-sll", "direct-call-sll.pcap", slg_scn_direct_call,
	    "seed direct call 101 -> 183 (Linux SLL)" },
	{ "ipv6-call", "ipv6-call.pcap", slg_scn_ipv6_call,
	    "direct call over IPv6 with an extension header chain" },
	{ "vlan-sll2", "vlan-sll2.pcapng", slg_scn_vlan_sll2,
	    "pcapng, 4 interfaces: 802.1Q/QinQ, SLL2, NULL, RAW" },
	{ "fragmented", "fragmented.pcap", slg_scn_fragmented,
	    "IPv4 and IPv6 fragmented INVITEs, one incomplete set" },
	{ "malformed", "malformed.pcap", slg_scn_malformed,
	    "bad input of every layer around one valid call" },
	{ "auth-failures", "auth-failures.pcap", slg_scn_auth_failures,
	    "refused credentials, a dead callee, a BYE and a REGISTER stuck at 401/407" },
	{ "bench", NULL, slg_scn_bench,
	    "many concurrent B2BUA calls for throughput tests" },
};

#define NSCN	(sizeof(scns) / sizeof(scns[0]))

static void
usage(FILE *f)
{
	fprintf(f, "usage: slgen <scenario> -o FILE [--seed N]\n"
	    "       slgen bench -o FILE [--calls N] [--concurrent C] "
	    "[--rtp-seconds S]\n"
	    "       slgen all -d DIR [--seed N]\n\nscenarios:\n");
	for (size_t i = 0; i < NSCN; i++)
		fprintf(f, "  %-12s %s\n", scns[i].name, scns[i].what);
}

/* Decimal; base is 0 only for --seed, where 0x... reads naturally. */
static int
parse_u64(const char *s, int base, uint64_t max, uint64_t *out /* OUT */)
{
	char *end;
	unsigned long long v;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno != 0 || *end != '\0' || v > max)
		return -1;
	*out = v;
	return 0;
}

static int
parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out /* OUT */)
{
	uint64_t v;

	if (parse_u64(s, 10, max, &v) != 0 || v < min)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int
run_all(const char *dir, const struct slg_opts *opt)
{
	for (size_t i = 0; i < NSCN; i++) {
		char path[4096];
		int n;

		if (scns[i].file == NULL)
			continue;
		n = snprintf(path, sizeof(path), "%s/%s", dir, scns[i].file);
		if (n < 0 || (size_t)n >= sizeof(path)) {
			fprintf(stderr, "slgen: directory name too long\n");
			return 1;
		}
		if (scns[i].run(path, opt) != 0)
			return 1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct slg_opts opt = {
		.seed = 0x5eed2009u, .calls = 2000, .concurrent = 200,
		.rtp_seconds = 15,
	};
	const char *outp = NULL, *dir = NULL;
	const struct scn *sc = NULL;
	bool all = false;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "all") == 0) {
		all = true;
	} else {
		for (size_t i = 0; i < NSCN; i++)
			if (strcmp(argv[1], scns[i].name) == 0)
				sc = &scns[i];
		if (sc == NULL) {
			fprintf(stderr, "slgen: unknown scenario '%s'\n",
			    argv[1]);
			usage(stderr);
			return 2;
		}
	}
	/* Every option takes exactly one value. */
	for (int i = 2; i < argc; i += 2) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		int bad = 0;

		if (strcmp(a, "-o") == 0 && v != NULL)
			outp = v;
		else if (strcmp(a, "-d") == 0 && v != NULL)
			dir = v;
		else if (strcmp(a, "--seed") == 0)
			bad = parse_u64(v, 0, UINT64_MAX, &opt.seed);
		else if (strcmp(a, "--calls") == 0)
			bad = parse_u32(v, 1, 7000000, &opt.calls);
		/* Bench limits: see scenario_bench.c. */
		else if (strcmp(a, "--concurrent") == 0)
			bad = parse_u32(v, 1, 2048, &opt.concurrent);
		else if (strcmp(a, "--rtp-seconds") == 0)
			bad = parse_u32(v, 1, 86400, &opt.rtp_seconds);
		else
			bad = -1;
		if (bad != 0) {
			fprintf(stderr, "slgen: bad option or value: %s%s%s\n",
			    a, v ? " " : "", v ? v : "");
			return 2;
		}
	}
	if (all) {
		if (dir == NULL) {
			fprintf(stderr, "slgen: all needs -d DIR\n");
			return 2;
		}
		return run_all(dir, &opt);
	}
	if (outp == NULL) {
		fprintf(stderr, "slgen: %s needs -o FILE\n", sc->name);
		return 2;
	}
	return sc->run(outp, &opt) == 0 ? 0 : 1;
}
