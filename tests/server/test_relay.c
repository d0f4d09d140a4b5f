/* test_relay.c: the RTP relay (src/server/relay.c): the port pool
 * (random draws spread over the range, no reuse while a port rests,
 * exhaustion, the resting ring wrapping), then live relays on loopback
 * (127.0.0.62, ports 25600-25603, peers on 127.0.0.183/127.0.0.101:2570x)
 * relaying both ways, dropping packets from anything but the announced
 * ip:port (the same IP on another port included), latching only when
 * enabled and, once freed, leaving the kernel to refuse late RTP. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/server/harness.h"
#include "server/relay.h"
#include "sip/ids.h"
#include "sip/udp.h"
#include "tests/unit/unit.h"

static SL_TEST_STATE(ts);

/* every index in exactly one place */
static bool
pool_sane(const struct sl_relay_pool *p)
{
	return p->in_use + p->navail + p->nrest == p->n;
}

static void
test_pool_basics(void)
{
	struct sl_relay_pool p;
	uint16_t a, b, c, d;

	SL_CHECK(&ts, sl_relay_pool_init(&p, 30001, 30001) == SL_EUSAGE);
	SL_CHECK(&ts, sl_relay_pool_init(&p, 0, 10) == SL_EUSAGE);
	SL_CHECK(&ts, sl_relay_pool_init(&p, 30001, 30006) == SL_OK && p.n == 3);
	SL_CHECK(&ts, p.rest_ms == SL_RELAY_REST_MS);
	/* fixed order without a generator: even ports of the range only */
	SL_CHECK(&ts, sl_relay_pool_take(&p, NULL, 1000, &a) && a >= 30002 && a <= 30006 &&
	    a % 2 == 0);
	SL_CHECK(&ts, sl_relay_pool_take(&p, NULL, 1000, &b) && b != a);
	sl_relay_pool_put(&p, a, 1000);
	/* a is resting: the last free one comes first */
	SL_CHECK(&ts, sl_relay_pool_take(&p, NULL, 1001, &c) && c != a && c != b);
	/* exhausted but for the resting a: handed out early rather than
	 * refusing the call */
	SL_CHECK(&ts, sl_relay_pool_take(&p, NULL, 1002, &d) && d == a);
	SL_CHECK(&ts, !sl_relay_pool_take(&p, NULL, 1003, &a) && p.in_use == 3);
	sl_relay_pool_put(&p, 30003, 1003);	/* odd or foreign: ignored */
	sl_relay_pool_put(&p, 40000, 1003);
	sl_relay_pool_put(&p, 30000, 1003);
	SL_CHECK(&ts, p.in_use == 3 && pool_sane(&p));
	sl_relay_pool_put(&p, b, 1003);
	sl_relay_pool_put(&p, b, 1004);	/* twice: counted once */
	SL_CHECK(&ts, p.in_use == 2 && p.nrest == 1 && pool_sane(&p));
	/* two resting: the one resting longest goes first */
	sl_relay_pool_put(&p, c, 1005);
	SL_CHECK(&ts, sl_relay_pool_take(&p, NULL, 1006, &a) && a == b);
	SL_CHECK(&ts, sl_relay_pool_take(&p, NULL, 1007, &a) && a == c);
	/* a rested port is free again once rest_ms is over */
	sl_relay_pool_put(&p, c, 2000);
	SL_CHECK(&ts, sl_relay_pool_take(&p, NULL, 2000 + SL_RELAY_REST_MS, &a) && a == c &&
	    p.nrest == 0 && pool_sane(&p));
	sl_relay_pool_free(&p);
}

/* 100 ports, no rest: 20000 draws land evenly and in no order */
static void
test_pool_spread(void)
{
	struct sl_relay_pool p;
	struct sl_ids ids;
	unsigned hist[100] = { 0 }, next_up = 0, same = 0;
	uint16_t port, prev = 0;

	sl_ids_seed(&ids, 7);
	SL_CHECK(&ts, sl_relay_pool_init(&p, 40000, 40199) == SL_OK && p.n == 100);
	p.rest_ms = 0;
	for (int i = 0; i < 20000; i++) {
		if (!sl_relay_pool_take(&p, &ids, (uint64_t)i, &port)) {
			SL_CHECK(&ts, false);
			break;
		}
		hist[(port - 40000) / 2]++;
		next_up += port == prev + 2;
		same += port == prev;
		prev = port;
		sl_relay_pool_put(&p, port, (uint64_t)i);
	}
	/* expected 200 each; binomial sd ~14, so 120..280 is > 5 sd */
	unsigned lo = 20000, hi = 0;
	double chi = 0;
	for (int i = 0; i < 100; i++) {
		lo = hist[i] < lo ? hist[i] : lo;
		hi = hist[i] > hi ? hist[i] : hi;
		chi += ((double)hist[i] - 200) * ((double)hist[i] - 200) / 200;
	}
	SL_CHECK_MSG(&ts, lo > 120 && hi < 280, "per-port draws %u..%u", lo, hi);
	/* 99 degrees of freedom: mean 99, p(chi2 > 160) < 1e-4 */
	SL_CHECK_MSG(&ts, chi < 160, "chi2 %.1f", chi);
	/* round-robin would make every draw the previous + 2 */
	SL_CHECK_MSG(&ts, next_up < 400 && same < 400, "next %u same %u", next_up, same);
	sl_relay_pool_free(&p);
}

/* Calls come and go every second on 50 ports for 2000 s: no port is
 * drawn again within rest_ms of its release, while the ring of resting
 * ports wraps dozens of times. */
static void
test_pool_rest(void)
{
	struct sl_relay_pool p;
	struct sl_ids ids;
	uint64_t released[50];
	uint16_t held[5] = { 0 };
	unsigned early = 0, draws = 0;

	sl_ids_seed(&ids, 11);
	SL_CHECK(&ts, sl_relay_pool_init(&p, 50000, 50099) == SL_OK && p.n == 50);
	p.rest_ms = 30000;
	for (int i = 0; i < 50; i++)
		released[i] = 0;
	for (uint64_t t = 1; t <= 2000; t++) {
		uint64_t now = t * 1000;
		size_t k = t % 5;
		if (held[k]) {
			sl_relay_pool_put(&p, held[k], now);
			released[(held[k] - 50000) / 2] = now;
		}
		if (!sl_relay_pool_take(&p, &ids, now, &held[k])) {
			SL_CHECK(&ts, false);
			break;
		}
		uint64_t r = released[(held[k] - 50000) / 2];
		early += r != 0 && now - r < p.rest_ms;
		draws++;
		if (!pool_sane(&p)) {
			SL_CHECK(&ts, false);
			break;
		}
	}
	/* 5 held + 30 resting of 50: there is always a rested one */
	SL_CHECK_MSG(&ts, early == 0 && draws == 2000, "%u early of %u", early, draws);
	SL_CHECK(&ts, p.in_use == 5 && p.nrest == 30);
	sl_relay_pool_free(&p);

	/* a pool too small for the rest: ports come back early, oldest
	 * first, never refused while one is not in use */
	SL_CHECK(&ts, sl_relay_pool_init(&p, 50000, 50005) == SL_OK && p.n == 3);
	uint16_t a, last = 0;
	bool ok = true;
	for (uint64_t t = 1; t <= 100 && ok; t++) {
		ok = sl_relay_pool_take(&p, &ids, t, &a) && a != last && pool_sane(&p);
		sl_relay_pool_put(&p, a, t);
		last = a;
	}
	SL_CHECK(&ts, ok && p.in_use == 0 && p.nrest == 3);
	sl_relay_pool_free(&p);
}

static void
send_to(int fd, const struct sl_ip *ip, uint16_t port, const char *payload)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };

	memcpy(&sa.sin_addr, ip->a, 4);
	sendto(fd, payload, strlen(payload), 0, (struct sockaddr *)&sa, sizeof(sa));
}

/* Run the loop until fd has a datagram (bounded: tries x 20 ms). */
static ssize_t
pump(struct sl_loop *loop, int fd, char *buf, size_t n, uint16_t *from_port, int tries)
{
	char errbuf[SL_ERRBUF_SIZE];

	for (int i = 0; i < tries; i++) {
		sl_loop_run_once(loop, 20, errbuf);
		struct sockaddr_in sa;
		socklen_t sl = sizeof(sa);
		ssize_t r = recvfrom(fd, buf, n, 0, (struct sockaddr *)&sa, &sl);
		if (r >= 0) {
			*from_port = ntohs(sa.sin_port);
			return r;
		}
	}
	return -1;
}

/* Nothing arrives on fd within a few loop turns. */
static bool
silent(struct sl_loop *loop, int fd)
{
	char buf[64];
	uint16_t from;

	return pump(loop, fd, buf, sizeof(buf), &from, 5) < 0;
}

static void
test_live(void)
{
	struct sl_relay_env env;
	struct sl_ids ids;
	struct sl_ip relay_ip, ip_a, ip_b;
	char errbuf[SL_ERRBUF_SIZE], buf[64];
	enum sl_err e;
	uint16_t from;

	memset(&env, 0, sizeof(env));
	sl_ids_seed(&ids, 3);
	env.ids = &ids;
	env.loop = sl_loop_new(0, 0);
	SL_CHECK(&ts, env.loop && sl_relay_pool_init(&env.pool, 25600, 25603) == SL_OK);
	sl_ip_parse(SL_STR("127.0.0.62"), &relay_ip);
	sl_ip_parse(SL_STR("127.0.0.183"), &ip_a);
	sl_ip_parse(SL_STR("127.0.0.101"), &ip_b);
	struct sl_ip adv[2] = { relay_ip, relay_ip };
	struct sl_relay *r = sl_relay_new(&env, &relay_ip, adv, &e, errbuf);
	SL_CHECK_MSG(&ts, r != NULL, "%s", errbuf);
	if (r == NULL)
		return;
	uint16_t pa = sl_relay_port(r, SL_RELAY_A), pb = sl_relay_port(r, SL_RELAY_B);
	SL_CHECK(&ts, pa != pb && pa + pb == 25600 + 25602);
	/* the range holds one relay: the next is refused */
	SL_CHECK(&ts, sl_relay_new(&env, &relay_ip, adv, &e, errbuf) == NULL && e == SL_ENOMEM);
	SL_CHECK(&ts, sl_relay_last_rx_ms(r) == 0);

	int fa = h_sock_at("127.0.0.183", 25700), fb = h_sock_at("127.0.0.101", 25702);
	int stranger = h_sock_at("127.0.0.99", 25704);
	int beside = h_sock_at("127.0.0.183", 25706);	/* the caller's IP, another port */
	SL_CHECK(&ts, fa >= 0 && fb >= 0 && stranger >= 0 && beside >= 0);
	/* no destination known yet: dropped */
	send_to(fa, &relay_ip, pa, "early");
	SL_CHECK(&ts, silent(env.loop, fb));
	SL_CHECK(&ts, sl_relay_stats(r, SL_RELAY_A)->dropped == 1);

	sl_relay_set_peer(r, SL_RELAY_A, &ip_a, 25700);
	sl_relay_set_peer(r, SL_RELAY_B, &ip_b, 25702);
	/* the signalling IP means nothing without latching */
	sl_relay_set_signal_ip(r, SL_RELAY_A, &ip_a);
	send_to(fa, &relay_ip, pa, "hello-b");
	ssize_t n = pump(env.loop, fb, buf, sizeof(buf), &from, 50);
	SL_CHECK(&ts, n == 7 && memcmp(buf, "hello-b", 7) == 0 && from == pb);
	SL_CHECK(&ts, sl_relay_last_rx_ms(r) != 0);
	send_to(fb, &relay_ip, pb, "hello-a");
	n = pump(env.loop, fa, buf, sizeof(buf), &from, 50);
	SL_CHECK(&ts, n == 7 && memcmp(buf, "hello-a", 7) == 0 && from == pa);
	/* an address nobody announced is not relayed */
	send_to(stranger, &relay_ip, pa, "spoof");
	SL_CHECK(&ts, silent(env.loop, fb));
	/* nor the announced IP on another port (another process on the
	 * caller's host), on either side */
	send_to(beside, &relay_ip, pa, "inject");
	SL_CHECK(&ts, silent(env.loop, fb));
	send_to(beside, &relay_ip, pb, "inject");
	SL_CHECK(&ts, silent(env.loop, fa));
	const struct sl_relay_stats *sa = sl_relay_stats(r, SL_RELAY_A);
	const struct sl_relay_stats *sb = sl_relay_stats(r, SL_RELAY_B);
	SL_CHECK(&ts, sa->rx_pkts == 1 && sa->tx_pkts == 1 && sb->rx_pkts == 1 &&
	    sb->tx_pkts == 1 && sa->dropped == 3 && sb->dropped == 1 && sa->rx_bytes == 7);
	SL_CHECK(&ts, env.dropped == 4);
	/* the real peer still gets through after all that */
	send_to(fa, &relay_ip, pa, "again");
	SL_CHECK(&ts, pump(env.loop, fb, buf, sizeof(buf), &from, 50) == 5);
	/* hold (c=0.0.0.0) clears the destination */
	struct sl_ip zero;
	sl_ip_parse(SL_STR("0.0.0.0"), &zero);
	sl_relay_set_peer(r, SL_RELAY_B, &zero, 25702);
	send_to(fa, &relay_ip, pa, "held");
	SL_CHECK(&ts, silent(env.loop, fb));

	sl_relay_free(r);
	SL_CHECK(&ts, env.pool.in_use == 0);
	/* closed: the kernel answers with ICMP port unreachable */
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(pb) };
	memcpy(&to.sin_addr, relay_ip.a, 4);
	SL_CHECK(&ts, connect(fb, (struct sockaddr *)&to, sizeof(to)) == 0);
	send(fb, "late", 4, 0);
	struct pollfd pfd = { .fd = fb, .events = POLLIN };
	poll(&pfd, 1, 500);
	SL_CHECK(&ts, recv(fb, buf, sizeof(buf), 0) < 0 && errno == ECONNREFUSED);
	close(fa);
	close(fb);
	close(stranger);
	close(beside);
	sl_relay_pool_free(&env.pool);
	sl_loop_free(env.loop);
}

/* The caller's SDP shows a private address (NAT); its packets come from
 * 127.0.0.183:25708, where its signalling came from. */
static void
test_latch(void)
{
	struct sl_relay_env env;
	struct sl_ip relay_ip, ip_a, ip_b, priv;
	char errbuf[SL_ERRBUF_SIZE], buf[64];
	enum sl_err e;
	uint16_t from;

	memset(&env, 0, sizeof(env));
	env.loop = sl_loop_new(0, 0);
	SL_CHECK(&ts, env.loop && sl_relay_pool_init(&env.pool, 25600, 25603) == SL_OK);
	sl_ip_parse(SL_STR("127.0.0.62"), &relay_ip);
	sl_ip_parse(SL_STR("127.0.0.183"), &ip_a);
	sl_ip_parse(SL_STR("127.0.0.101"), &ip_b);
	sl_ip_parse(SL_STR("10.0.0.5"), &priv);
	struct sl_ip adv[2] = { relay_ip, relay_ip };
	int fb = h_sock_at("127.0.0.101", 25702), nat = h_sock_at("127.0.0.183", 25708);
	int second = h_sock_at("127.0.0.183", 25706), stranger = h_sock_at("127.0.0.99", 25704);
	SL_CHECK(&ts, fb >= 0 && nat >= 0 && second >= 0 && stranger >= 0);

	for (int latch = 0; latch < 2; latch++) {
		env.latch = latch;
		env.pool.rest_ms = 0;	/* the same two ports each round */
		struct sl_relay *r = sl_relay_new(&env, &relay_ip, adv, &e, errbuf);
		SL_CHECK_MSG(&ts, r != NULL, "%s", errbuf);
		if (r == NULL)
			break;
		uint16_t pa = sl_relay_port(r, SL_RELAY_A), pb = sl_relay_port(r, SL_RELAY_B);
		sl_relay_set_peer(r, SL_RELAY_A, &priv, 4000);
		sl_relay_set_signal_ip(r, SL_RELAY_A, &ip_a);
		sl_relay_set_peer(r, SL_RELAY_B, &ip_b, 25702);
		/* never from another IP, latch or not */
		send_to(stranger, &relay_ip, pa, "other");
		SL_CHECK(&ts, silent(env.loop, fb));
		send_to(nat, &relay_ip, pa, "first");
		ssize_t n = pump(env.loop, fb, buf, sizeof(buf), &from, latch ? 50 : 5);
		if (!latch) {
			/* strict: the private address announced is the only
			 * source, so the NAT'd phone is not heard */
			SL_CHECK(&ts, n < 0 && sl_relay_stats(r, SL_RELAY_A)->dropped == 2);
			sl_relay_free(r);
			continue;
		}
		SL_CHECK(&ts, n == 5 && from == pb);
		/* latched: strict from now on, another port of the same IP is out */
		send_to(second, &relay_ip, pa, "second");
		SL_CHECK(&ts, silent(env.loop, fb));
		/* and the way back goes to where it latched, not to 10.0.0.5 */
		send_to(fb, &relay_ip, pb, "back");
		n = pump(env.loop, nat, buf, sizeof(buf), &from, 50);
		SL_CHECK(&ts, n == 4 && from == pa);
		/* a session refresh with the same SDP keeps the latch */
		sl_relay_set_peer(r, SL_RELAY_A, &priv, 4000);
		send_to(nat, &relay_ip, pa, "still");
		SL_CHECK(&ts, pump(env.loop, fb, buf, sizeof(buf), &from, 50) == 5);
		/* new SDP: the latch opens again, the first sender wins */
		sl_relay_set_peer(r, SL_RELAY_A, &priv, 4002);
		send_to(second, &relay_ip, pa, "moved");
		SL_CHECK(&ts, pump(env.loop, fb, buf, sizeof(buf), &from, 50) == 5);
		send_to(nat, &relay_ip, pa, "old");
		SL_CHECK(&ts, silent(env.loop, fb));
		/* the callee's side has no signalling IP: it never latches */
		send_to(second, &relay_ip, pb, "x");
		SL_CHECK(&ts, silent(env.loop, second) && silent(env.loop, nat));
		SL_CHECK(&ts, sl_relay_stats(r, SL_RELAY_A)->dropped == 3);
		sl_relay_free(r);
	}
	close(fb);
	close(nat);
	close(second);
	close(stranger);
	sl_relay_pool_free(&env.pool);
	sl_loop_free(env.loop);
}

int
main(void)
{
	test_pool_basics();
	test_pool_spread();
	test_pool_rest();
	test_live();
	test_latch();
	return sl_test_report(&ts, "server.relay");
}
