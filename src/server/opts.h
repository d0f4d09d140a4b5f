/* opts.h: sipladder-server's command line (the contract other scripts are
 * written against; see README.md "Running"). Parsing is a pure function
 * over argv, so unit tests feed it arrays; it never prints or exits. */
#ifndef SL_SERVER_OPTS_H
#define SL_SERVER_OPTS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/addr.h"
#include "core/err.h"
#include "sip/log.h"

struct sl_srv_opts {
	const char *conf_dir;		/* -c DIR (required) */
	struct sl_endpoint listen;	/* --listen, default 0.0.0.0:5060 */
	uint16_t rtp_lo, rtp_hi;	/* --rtp-ports, default 20000-29999 */
	char realm[64];			/* --realm, default Yate */
	uint32_t nonce_ttl_s;		/* --nonce-ttl, default 300 */
	uint32_t min_expires_s;		/* --min-expires, default 60 */
	uint32_t max_expires_s;		/* --max-expires, default 3600 */
	uint32_t def_expires_s;		/* --default-expires, default 600 (Yate) */
	uint32_t no_answer_s;		/* --no-answer, default 60 */
	const char *trace_path;		/* --trace-pcap */
	enum sl_log_level log_level;	/* --log-level, default info */
	bool has_seed;			/* --seed given */
	uint64_t seed;
	bool daemon;			/* --daemon */
	const char *pidfile;		/* --pidfile */
	uint32_t max_calls;		/* --max-calls, default 1000 */
	uint32_t max_regs;		/* --max-regs, default 1024 */
	uint32_t max_txns;		/* --max-txns, default 131072 */
	uint32_t nonce_slots;		/* --nonce-slots, default 65536 (replay state) */
	/* --rate-limit R/S: more than R unverified requests (challenged,
	 * refused, foreign) from one IP within S seconds block that IP for
	 * --rate-block seconds (Kamailio pike's density per sampling unit).
	 * rate_reqs 0: off. Defaults 30/2 and 60. */
	uint32_t rate_reqs, rate_secs, rate_block_s;
	uint32_t rtp_timeout_s;		/* --rtp-timeout, default 60; 0: off */
	uint32_t session_timeout_s;	/* --session-timeout, default 43200; 0: off */
	bool rtp_latch;			/* --rtp-latch: NAT latching (relay.h) */
	bool help;			/* -h / --help: print usage, exit 0 */
	bool version;			/* --version */
};

/* Fill o from argv[1..argc). SL_EUSAGE with errbuf text for an unknown
 * option, a missing or malformed value, or an inconsistent combination
 * (min > max expires, an empty or odd-only RTP range, no -c). Pointers in
 * o point into argv. With --help/--version the other checks are skipped. */
enum sl_err sl_srv_opts_parse(int argc, char *const argv[],
    struct sl_srv_opts *o /* OUT */, char errbuf[SL_ERRBUF_SIZE]);

void sl_srv_opts_usage(FILE *f);

#endif
