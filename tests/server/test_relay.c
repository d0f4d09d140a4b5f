/* test_relay.c: the RTP relay (src/server/relay.c): the port pool's
 * round-robin and exhaustion, then a live relay on loopback (127.0.0.62,
 * ports 25600-25609, peers on 127.0.0.183/127.0.0.101:2570x) relaying both
 * ways, dropping packets from unannounced addresses and, once freed,
 * leaving the kernel to refuse late RTP. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "server/relay.h"
#include "sip/udp.h"
#include "unit.h"

static SL_TEST_STATE(ts);

static void
test_pool(void)
{
	struct sl_relay_pool p;
	uint16_t a, b, c, d;

	SL_CHECK(&ts, sl_relay_pool_init(&p, 30001, 30001) == SL_EUSAGE);
	SL_CHECK(&ts, sl_relay_pool_init(&p, 30001, 30006) == SL_OK && p.n == 3);
	SL_CHECK(&ts, sl_relay_pool_take(&p, &a) && a == 30002);
	SL_CHECK(&ts, sl_relay_pool_take(&p, &b) && b == 30004);
	sl_relay_pool_put(&p, a);
	/* round-robin: the port just released is not the next one */
	SL_CHECK(&ts, sl_relay_pool_take(&p, &c) && c == 30006);
	SL_CHECK(&ts, sl_relay_pool_take(&p, &d) && d == 30002);
	SL_CHECK(&ts, !sl_relay_pool_take(&p, &a) && p.in_use == 3);
	sl_relay_pool_put(&p, 30003);	/* odd or foreign: ignored */
	sl_relay_pool_put(&p, 40000);
	SL_CHECK(&ts, p.in_use == 3);
	sl_relay_pool_put(&p, 30004);
	sl_relay_pool_put(&p, 30004);	/* twice: counted once */
	SL_CHECK(&ts, p.in_use == 2);
	sl_relay_pool_free(&p);
}

static int
sock_at(const char *ip, uint16_t port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);

	inet_pton(AF_INET, ip, &sa.sin_addr);
	if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
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

static void
test_live(void)
{
	struct sl_relay_env env;
	struct sl_ip relay_ip, ip_a, ip_b;
	char errbuf[SL_ERRBUF_SIZE], buf[64];
	enum sl_err e;
	uint16_t from;

	memset(&env, 0, sizeof(env));
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
	SL_CHECK(&ts, pa == 25600 && pb == 25602);
	/* the range holds one relay: the next is refused */
	SL_CHECK(&ts, sl_relay_new(&env, &relay_ip, adv, &e, errbuf) == NULL && e == SL_ENOMEM);

	int fa = sock_at("127.0.0.183", 25700), fb = sock_at("127.0.0.101", 25702);
	int stranger = sock_at("127.0.0.99", 25704);
	SL_CHECK(&ts, fa >= 0 && fb >= 0 && stranger >= 0);
	/* no destination known yet: dropped */
	send_to(fa, &relay_ip, pa, "early");
	SL_CHECK(&ts, pump(env.loop, fb, buf, sizeof(buf), &from, 5) < 0);
	SL_CHECK(&ts, sl_relay_stats(r, SL_RELAY_A)->dropped == 1);

	sl_relay_set_peer(r, SL_RELAY_A, &ip_a, 25700);
	sl_relay_set_peer(r, SL_RELAY_B, &ip_b, 25702);
	send_to(fa, &relay_ip, pa, "hello-b");
	ssize_t n = pump(env.loop, fb, buf, sizeof(buf), &from, 50);
	SL_CHECK(&ts, n == 7 && memcmp(buf, "hello-b", 7) == 0 && from == pb);
	send_to(fb, &relay_ip, pb, "hello-a");
	n = pump(env.loop, fa, buf, sizeof(buf), &from, 50);
	SL_CHECK(&ts, n == 7 && memcmp(buf, "hello-a", 7) == 0 && from == pa);
	/* an address nobody announced is not relayed */
	send_to(stranger, &relay_ip, pa, "spoof");
	SL_CHECK(&ts, pump(env.loop, fb, buf, sizeof(buf), &from, 5) < 0);
	const struct sl_relay_stats *sa = sl_relay_stats(r, SL_RELAY_A);
	const struct sl_relay_stats *sb = sl_relay_stats(r, SL_RELAY_B);
	SL_CHECK(&ts, sa->rx_pkts == 1 && sa->tx_pkts == 1 && sb->rx_pkts == 1 &&
	    sb->tx_pkts == 1 && sa->dropped == 2 && sa->rx_bytes == 7);
	/* hold (c=0.0.0.0) clears the destination */
	struct sl_ip zero;
	sl_ip_parse(SL_STR("0.0.0.0"), &zero);
	sl_relay_set_peer(r, SL_RELAY_B, &zero, 25702);
	send_to(fa, &relay_ip, pa, "held");
	SL_CHECK(&ts, pump(env.loop, fb, buf, sizeof(buf), &from, 5) < 0);

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
	sl_relay_pool_free(&env.pool);
	sl_loop_free(env.loop);
}

int
main(void)
{
	test_pool();
	test_live();
	return sl_test_report(&ts, "server.relay");
}
