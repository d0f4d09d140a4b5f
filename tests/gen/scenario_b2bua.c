/* scenario_b2bua.c: b2bua-lossy.pcap, the seed's call through the Yate
 * server, message for message (SEED-EN.md tables 1 and 2, 23 SIP
 * messages), with the seed's addresses, Call-IDs and tags.
 *
 * Media: 280 packets caller -> server, relayed to the callee; the callee
 * -> server stream relayed to the caller; two packets of the caller's
 * stream are lost (k = 57, 143) and one pair is reordered (201/202), all
 * four streams have +-2 ms arrival noise. After the caller's BYE the
 * server keeps sending for 0.215 s (11 packets, each answered by ICMP
 * port unreachable from the caller); after the server's BYE the callee
 * sends one more packet, answered by the server.
 *
 * b2bua-lossy-trace.pcap is the same call as the server's own trace
 * records it (struct slg_view): a second capture point of every packet,
 * for merging with the first (sipladder --dedup). */
#include "tests/gen/scenario.h"

#include <stdio.h>
#include <string.h>

#include "tests/gen/b2bua.h"
#include "tests/gen/rng.h"
#include "tests/gen/sched.h"
#include "tests/gen/slg.h"

static const struct slg_link eth = { .dlt = SLG_DLT_EN10MB };

/* The call into o, opened; closes o */
static int
b2bua_call(struct slg_out *o, const char *path, const struct slg_opts *opt)
{
	struct slg_sched s;
	struct slg_b2bua_cfg cfg;
	struct slg_host server;
	struct slg_rng rng;
	struct slg_b2bua *call;
	struct slg_ev ev;
	int rc = 0;

	slg_rng_seed(&rng, opt->seed ^ 0xb2b0a);
	memset(&cfg, 0, sizeof(cfg));
	slg_b2bua_cfg_random(&cfg, &rng);
	cfg.t0 = SLG_T(1, 949000);
	cfg.answer_ns = 3702 * SLG_NS_PER_MS;
	cfg.rtp_packets = 280;
	slg_host_init(&cfg.caller, "192.168.1.183", slg_mac_caller, 128, 0x1c2e);
	slg_host_init(&cfg.callee, "192.168.1.101", slg_mac_callee, 128, 0x0a41);
	slg_host_init(&server, "192.168.1.50", slg_mac_server, 128, 0x3b07);
	memcpy(cfg.caller_user, "u1", 3);
	memcpy(cfg.caller_pass, "u1pass", 7);
	memcpy(cfg.callee_user, "u2", 3);
	memcpy(cfg.dialled, "2", 2);
	/* The identifiers the seed quotes. */
	cfg.callid_a = 2126492930u;
	cfg.callid_b = 495687575u;
	cfg.tag_caller = 1542144666u;
	cfg.tag_srv_b = 831312670u;
	cfg.cseq_b = 1;
	cfg.caller_rtp = 27832;
	cfg.callee_rtp = 27400;
	cfg.srv_rtp_a = 21586;
	cfg.srv_rtp_b = 23472;
	cfg.lost[0] = 57;
	cfg.lost[1] = 143;
	cfg.reorder = 201;

	slg_sched_init(&s);
	call = slg_b2bua_new(&cfg, &server);
	if (call == NULL || slg_b2bua_start(call, &s) != 0)
		rc = -1;
	while (rc == 0 && slg_sched_pop(&s, &ev))
		if (slg_b2bua_fire(call, &ev, &s, o) < 0)
			rc = -1;
	slg_b2bua_free(call);
	slg_sched_free(&s);
	if (rc != 0)
		return slg_scn_fail(o, path, "cannot build or write the call");
	if (slg_out_finish(o) != 0)
		return slg_scn_fail(NULL, path, "write error");
	return 0;
}

int
slg_scn_b2bua_auth(const char *path, const struct slg_opts *opt)
{
	struct slg_out o;

	if (slg_scn_open_eth(&o, path, &eth) != 0)
		return -1;
	return b2bua_call(&o, path, opt);
}

int
slg_scn_b2bua_trace(const char *path, const struct slg_opts *opt)
{
	struct slg_out o;
	/* the server stamps what it sends and receives 0.1 to 3 ms off the
	 * wire: scheduling, and a clock of its own */
	struct slg_view v = { .min_delay_us = 100, .max_delay_us = 3000 };

	slg_rng_seed(&v.rng, opt->seed ^ 0x7ace);
	if (slg_out_init(&o) != 0) {
		fprintf(stderr, "slgen: out of memory\n");
		return -1;
	}
	if (slg_pcap_open(&o.w, path, SLG_DLT_RAW, 65535, false, false) != 0)
		return slg_scn_fail(&o, path, "cannot write");
	o.link = &eth;		/* built as on the wire, then rewritten */
	o.view = &v;
	return b2bua_call(&o, path, opt);
}
