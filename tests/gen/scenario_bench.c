/* scenario_bench.c: a large capture for throughput tests.
 *
 *   slgen bench -o FILE --calls N --concurrent C --rtp-seconds S
 *
 * N calls like b2bua-lossy (challenged INVITE, two legs, four relayed RTP
 * streams at 50 packets/s, challenged BYE, ICMP after hang-up), S seconds
 * of media each, started at a fixed interval so that about C are up at
 * any time. Every call has its own caller and callee addresses (10.1.x.y
 * and 10.128.x.y), users u<2i+1> -> <2i+2>, Call-IDs and tags; one server
 * 10.0.0.1 gives each call its own media ports from 4096 slots.
 *
 * Calls are event sources in one scheduler (sched.h), created when their
 * start time comes and freed when done, so memory stays proportional to
 * C and packets are written in global time order as they are made. */
#include "tests/gen/scenario.h"

#include <stdio.h>
#include <string.h>

#include "tests/gen/b2bua.h"
#include "tests/gen/rng.h"
#include "tests/gen/sched.h"
#include "tests/gen/slg.h"

#define EV_NEWCALL	100

static void
host_for(struct slg_host *h, unsigned net, uint32_t i)
{
	char ip[32];
	uint8_t mac[6];

	/* 250 x 250 hosts per second octet, no .0 or .255 addresses. */
	snprintf(ip, sizeof(ip), "10.%u.%u.%u", net + i / 62500,
	    (i / 250) % 250 + 1, i % 250 + 1);
	slg_host_init(h, ip, (const uint8_t[6]){ 0 }, 128,
	    (uint16_t)slg_perm32(i + net));
	/* Locally administered MAC built from the address. */
	mac[0] = 0x02;
	mac[1] = 0x00;
	memcpy(mac + 2, h->ip.a, 4);
	memcpy(h->mac, mac, 6);
}

static void
call_cfg(struct slg_b2bua_cfg *cfg, const struct slg_opts *opt, uint32_t i,
    uint64_t t0)
{
	struct slg_rng rng;

	memset(cfg, 0, sizeof(*cfg));
	slg_rng_seed(&rng, slg_mix64(opt->seed ^ ((uint64_t)i << 20)));
	slg_b2bua_cfg_random(cfg, &rng);
	cfg->t0 = t0;
	cfg->answer_ns = slg_rng_range(&rng, 1000, 4000) * SLG_NS_PER_MS;
	cfg->rtp_packets = opt->rtp_seconds * 50;
	host_for(&cfg->caller, 1, i);
	host_for(&cfg->callee, 128, i);
	snprintf(cfg->caller_user, sizeof(cfg->caller_user), "u%u",
	    2 * i + 1);
	snprintf(cfg->caller_pass, sizeof(cfg->caller_pass), "u%upass",
	    2 * i + 1);
	snprintf(cfg->callee_user, sizeof(cfg->callee_user), "u%u",
	    2 * i + 2);
	snprintf(cfg->dialled, sizeof(cfg->dialled), "%u", 2 * i + 2);
	/* Distinct by construction: perm32 is a bijection. */
	cfg->callid_a = slg_perm32(2 * i);
	cfg->callid_b = slg_perm32(2 * i + 1);
	cfg->srv_rtp_a = (uint16_t)(16384 + 4 * (i % 4096));
	cfg->srv_rtp_b = (uint16_t)(cfg->srv_rtp_a + 2);
}

int
slg_scn_bench(const char *path, const struct slg_opts *opt)
{
	static const struct slg_link eth = { .dlt = SLG_DLT_EN10MB };
	static const uint8_t smac[6] = { 0x02, 0x00, 10, 0, 0, 1 };
	struct slg_out o;
	struct slg_sched s;
	struct slg_host server;
	struct slg_b2bua_cfg cfg;
	struct slg_ev ev;
	uint64_t base = SLG_T(0, 0), step;
	uint32_t started = 0, done = 0;
	int rc = 0;

	if (opt->calls > 7000000 || opt->concurrent > 2048)
		return slg_scn_fail(NULL, path,
		    "bench allows at most 7000000 calls, 2048 concurrent");
	slg_host_init(&server, "10.0.0.1", smac, 128, 0x1000);
	/* Interval between starts: the average call length over C. */
	call_cfg(&cfg, opt, 0, 0);
	cfg.answer_ns = 2500 * SLG_NS_PER_MS;
	step = slg_b2bua_duration(&cfg) / opt->concurrent;

	if (slg_scn_open_eth(&o, path, &eth) != 0)
		return -1;
	slg_sched_init(&s);
	memset(&ev, 0, sizeof(ev));
	ev.t = base;
	ev.kind = EV_NEWCALL;
	if (slg_sched_push(&s, &ev) != 0)
		rc = -1;
	while (rc == 0 && slg_sched_pop(&s, &ev)) {
		if (ev.kind == EV_NEWCALL) {
			struct slg_b2bua *c;

			call_cfg(&cfg, opt, started, ev.t);
			c = slg_b2bua_new(&cfg, &server);
			if (c == NULL || slg_b2bua_start(c, &s) != 0) {
				slg_b2bua_free(c);
				rc = -1;
				break;
			}
			started++;
			if (started < opt->calls) {
				ev.t = base + started * step;
				ev.owner = NULL;
				if (slg_sched_push(&s, &ev) != 0)
					rc = -1;
			}
			continue;
		}
		switch (slg_b2bua_fire(ev.owner, &ev, &s, &o)) {
		case 0:
			break;
		case 1:
			slg_b2bua_free(ev.owner);
			done++;
			break;
		default:
			rc = -1;
			break;
		}
	}
	/* On error free whatever calls are still queued. */
	while (slg_sched_pop(&s, &ev))
		if (ev.owner != NULL && slg_b2bua_drop(ev.owner) == 1)
			slg_b2bua_free(ev.owner);
	slg_sched_free(&s);
	if (rc != 0)
		return slg_scn_fail(&o, path, "cannot build or write the calls");
	fprintf(stderr, "slgen: bench: %llu packets, %u calls, %llu bytes\n",
	    (unsigned long long)o.w.npackets, done,
	    (unsigned long long)o.w.nbytes);
	if (slg_out_finish(&o) != 0)
		return slg_scn_fail(NULL, path, "write error");
	return 0;
}
