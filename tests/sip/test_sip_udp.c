/* test_sip_udp.c: UDP sockets on loopback (ephemeral bind, send/recv with
 * peer endpoints, oversized datagrams refused and counted, the ICMP port
 * unreachable read from the error queue) and the --trace-pcap writer,
 * read back through libpcap with lengths and checksums verified. Then,
 * on 127.0.0.71 and ::1 (ephemeral ports): a queued ICMP error of one
 * peer never fails a send to or a receive from another, while the ICMP
 * stays readable with the right destination, offender, type and code;
 * the kernel facts this rests on (the next sendto fails, SO_ERROR takes
 * the error but not the queue entry); local error-queue entries are
 * skipped; per-family payload limits. */
#include <errno.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sip/trace.h"
#include "sip/udp.h"
#include "tests/unit/unit.h"

static SL_TEST_STATE(ts);

static void
test_parse_endpoint(void)
{
	static const struct {
		const char *in;
		bool ok;
		int fam;
		uint16_t port;
	} rows[] = {
		{ "127.0.0.50:5060", true, SL_AF_INET4, 5060 },
		{ "127.0.0.50", true, SL_AF_INET4, 5999 },
		{ "[::1]:5062", true, SL_AF_INET6, 5062 },
		{ "[::1]", true, SL_AF_INET6, 5999 },
		{ "::1", true, SL_AF_INET6, 5999 },
		{ "127.0.0.1:0", true, SL_AF_INET4, 0 },
		{ "127.0.0.1:65536", false, 0, 0 },
		{ "127.0.0.1:", false, 0, 0 },
		{ "[::1", false, 0, 0 },
		{ "[::1]x", false, 0, 0 },
		{ "host.example:5060", false, 0, 0 },
		{ "", false, 0, 0 },
	};

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct sl_endpoint e;
		bool ok = sl_udp_parse_endpoint(rows[i].in, 5999, &e);
		SL_CHECK_MSG(&ts, ok == rows[i].ok, "row %zu", i);
		if (ok && rows[i].ok)
			SL_CHECK_MSG(&ts, e.ip.family == rows[i].fam && e.port == rows[i].port &&
			    e.transport == SL_TP_UDP, "row %zu", i);
	}
}

static bool
wait_readable(int fd, short what)
{
	struct pollfd p = { fd, what, 0 };
	return poll(&p, 1, 2000) == 1;
}

static uint16_t
csum(const uint8_t *p, size_t n, uint32_t acc)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		acc += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		acc += (uint32_t)p[n - 1] << 8;
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)acc;
}

/* every record: valid IP header checksum/length, valid UDP or ICMP sum */
static int
verify_trace(const char *path, int *udp, int *icmp)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, err);
	struct pcap_pkthdr *h;
	const u_char *d;
	int n = 0;

	*udp = *icmp = 0;
	if (p == NULL)
		return -1;
	SL_CHECK(&ts, pcap_datalink(p) == DLT_RAW);
	while (pcap_next_ex(p, &h, &d) == 1) {
		n++;
		SL_CHECK(&ts, h->caplen == h->len);
		if ((d[0] >> 4) == 4) {
			SL_CHECK(&ts, (size_t)(d[2] << 8 | d[3]) == h->len);
			SL_CHECK(&ts, csum(d, 20, 0) == 0xffff);
			uint32_t ph = csum(d + 12, 8, 0) + d[9] + (h->len - 20);
			if (d[9] == 17) {
				(*udp)++;
				SL_CHECK(&ts, (size_t)(d[24] << 8 | d[25]) == h->len - 20);
				SL_CHECK(&ts, csum(d + 20, h->len - 20, ph) == 0xffff);
			} else if (d[9] == 1) {
				(*icmp)++;
				SL_CHECK(&ts, d[20] == 3 && d[21] == 3);
				SL_CHECK(&ts, csum(d + 20, h->len - 20, 0) == 0xffff);
				SL_CHECK(&ts, (d[28] >> 4) == 4 && d[28 + 9] == 17);
			}
		} else {
			SL_CHECK(&ts, (d[0] >> 4) == 6);
			SL_CHECK(&ts, (size_t)(d[4] << 8 | d[5]) == h->len - 40);
			uint32_t ph = csum(d + 8, 32, 0) + d[6] + (h->len - 40);
			SL_CHECK(&ts, csum(d + 40, h->len - 40, ph) == 0xffff);
			if (d[6] == 17)
				(*udp)++;
			else if (d[6] == 58)
				(*icmp)++;
		}
	}
	pcap_close(p);
	return n;
}

static void
test_udp_and_trace(void)
{
	char err[SL_ERRBUF_SIZE];
	char path[] = "/tmp/sl-trace-XXXXXX";
	int tfd = mkstemp(path);
	struct sl_trace *t = NULL;
	struct sl_udp a, b;
	struct sl_endpoint ea, eb, from;
	uint8_t buf[SL_UDP_MAX_DATAGRAM + 1];
	size_t n;

	close(tfd);
	SL_CHECK(&ts, sl_trace_open(&t, path, SL_TRACE_RAW, err) == SL_OK);
	sl_udp_parse_endpoint("127.0.0.1:0", 0, &ea);
	eb = ea;
	SL_CHECK(&ts, sl_udp_open(&a, &ea, err) == SL_OK);
	SL_CHECK(&ts, sl_udp_open(&b, &eb, err) == SL_OK);
	SL_CHECK(&ts, a.local.port != 0 && b.local.port != 0 && a.local.port != b.local.port);
	/* binding a taken port fails with a reason */
	SL_CHECK(&ts, sl_udp_open(&(struct sl_udp){ 0 }, &a.local, err) == SL_EIO);
	SL_CHECK(&ts, strstr(err, "bind") != NULL);

	static const char msg[] = "OPTIONS sip:x SIP/2.0\r\n\r\n";
	SL_CHECK(&ts, sl_udp_send(&a, &b.local, msg, sizeof(msg) - 1, err) == SL_OK);
	SL_CHECK(&ts, sl_trace_udp(t, &a.local, &b.local, msg, sizeof(msg) - 1) == SL_OK);
	SL_CHECK(&ts, wait_readable(b.fd, POLLIN));
	SL_CHECK(&ts, sl_udp_recv(&b, buf, sizeof(buf), &n, &from, err) == SL_UDP_RX_DATA);
	SL_CHECK(&ts, n == sizeof(msg) - 1 && memcmp(buf, msg, n) == 0);
	SL_CHECK(&ts, sl_ep_eq(&from, &a.local));
	SL_CHECK(&ts, sl_udp_recv(&b, buf, sizeof(buf), &n, &from, err) == SL_UDP_RX_NONE);

	/* over the receiver's limit: refused, counted, peer known */
	b.max = 1000;
	memset(buf, 'x', 1500);
	SL_CHECK(&ts, sl_udp_send(&a, &b.local, buf, 1500, err) == SL_OK);
	SL_CHECK(&ts, sl_trace_udp(t, &a.local, &b.local, buf, 1500) == SL_OK);
	SL_CHECK(&ts, wait_readable(b.fd, POLLIN));
	SL_CHECK(&ts, sl_udp_recv(&b, buf, sizeof(buf), &n, &from, err) == SL_UDP_RX_REFUSED);
	SL_CHECK(&ts, n == 1500 && b.st.rx_refused == 1 && sl_ep_eq(&from, &a.local));
	/* truncated by a small buffer: refused too */
	SL_CHECK(&ts, sl_udp_send(&a, &b.local, msg, sizeof(msg) - 1, err) == SL_OK);
	SL_CHECK(&ts, wait_readable(b.fd, POLLIN));
	SL_CHECK(&ts, sl_udp_recv(&b, buf, 4, &n, &from, err) == SL_UDP_RX_REFUSED);
	SL_CHECK(&ts, b.st.rx_refused == 2 && b.st.rx == 1);
	SL_CHECK(&ts, sl_udp_send(&a, &b.local, buf, SL_UDP_MAX_DATAGRAM + 1, err) == SL_EUSAGE);

	/* RTP to a closed port: the kernel answers ICMP port unreachable,
	 * we read it from the error queue and trace it */
	struct sl_endpoint closed = b.local;
	sl_udp_close(&b);
	static const char rtp[] = "\x80\x00\x00\x01rtp-payload";
	SL_CHECK(&ts, sl_udp_send(&a, &closed, rtp, sizeof(rtp) - 1, err) == SL_OK);
	SL_CHECK(&ts, sl_trace_udp(t, &a.local, &closed, rtp, sizeof(rtp) - 1) == SL_OK);
	SL_CHECK(&ts, wait_readable(a.fd, 0));	/* POLLERR only */
	struct sl_endpoint dst;
	struct sl_ip off;
	uint8_t type, code;
	SL_CHECK(&ts, sl_udp_recv_icmp(&a, buf, sizeof(buf), &n, &dst, &off, &type, &code) ==
	    SL_UDP_RX_DATA);
	SL_CHECK(&ts, type == 3 && code == 3 && sl_ep_eq(&dst, &closed));
	SL_CHECK(&ts, n == sizeof(rtp) - 1 && memcmp(buf, rtp, n) == 0);
	SL_CHECK(&ts, off.family == SL_AF_INET4 && off.a[0] == 127);
	SL_CHECK(&ts, sl_trace_icmp(t, &off, &a.local, &dst, type, code, buf, n) == SL_OK);
	SL_CHECK(&ts, sl_udp_recv_icmp(&a, buf, sizeof(buf), &n, &dst, &off, &type, &code) ==
	    SL_UDP_RX_NONE);
	SL_CHECK(&ts, a.st.rx_icmp == 1);

	/* IPv6 and refusals of the writer */
	struct sl_endpoint v6a, v6b;
	sl_udp_parse_endpoint("[::1]:5060", 0, &v6a);
	sl_udp_parse_endpoint("[2001:db8::5]:40000", 0, &v6b);
	SL_CHECK(&ts, sl_trace_udp(t, &v6a, &v6b, msg, sizeof(msg) - 1) == SL_OK);
	SL_CHECK(&ts, sl_trace_udp(t, &v6a, &a.local, msg, 3) == SL_EUSAGE);
	SL_CHECK(&ts, sl_trace_udp(t, &a.local, &closed, buf, 65508) == SL_EUSAGE);
	SL_CHECK(&ts, sl_trace_udp(NULL, &a.local, &closed, buf, 10) == SL_OK);
	SL_CHECK(&ts, sl_trace_count(t) == 5);

	/* the file is complete before close: flushed per packet */
	int udp, icmp;
	SL_CHECK(&ts, verify_trace(path, &udp, &icmp) == 5);
	SL_CHECK(&ts, udp == 4 && icmp == 1);
	sl_trace_close(t);
	SL_CHECK(&ts, verify_trace(path, &udp, &icmp) == 5);
	sl_udp_close(&a);
	unlink(path);
	SL_CHECK(&ts, sl_trace_open(&t, "/nonexistent-dir/x.pcap", SL_TRACE_RAW, err) == SL_EIO);
}

/* ----- pending ICMP errors (udp.c file comment) ----- */

struct icmp_fix {
	const char *ip;
	bool v6;
	struct sl_udp a, b;		/* a talks to b and to the dead port */
	struct sl_endpoint dead;
	uint8_t buf[SL_UDP_MAX_DATAGRAM + 1];
};

static bool
icmp_fix_open(struct icmp_fix *f, const char *ip, bool v6)
{
	char err[SL_ERRBUF_SIZE];
	struct sl_endpoint any;
	struct sl_udp gone;

	memset(f, 0, sizeof(*f));
	f->ip = ip;
	f->v6 = v6;
	f->a.fd = f->b.fd = -1;
	SL_CHECK(&ts, sl_udp_parse_endpoint(ip, 0, &any));
	if (sl_udp_open(&gone, &any, err) != SL_OK) {
		SL_CHECK_MSG(&ts, false, "%s: %s", ip, err);
		return false;
	}
	f->dead = gone.local;	/* bound once, now closed: port unreachable */
	sl_udp_close(&gone);
	bool ok = sl_udp_open(&f->a, &any, err) == SL_OK && sl_udp_open(&f->b, &any, err) == SL_OK;
	SL_CHECK_MSG(&ts, ok, "%s: %s", ip, err);
	return ok;
}

static void
icmp_fix_close(struct icmp_fix *f)
{
	sl_udp_close(&f->a);
	sl_udp_close(&f->b);
}

/* our datagram to the dead port and the kernel's ICMP for it queued */
static void
provoke(struct icmp_fix *f, const char *payload)
{
	char err[SL_ERRBUF_SIZE];
	struct pollfd p = { f->a.fd, 0, 0 };

	SL_CHECK_MSG(&ts, sl_udp_send(&f->a, &f->dead, payload, strlen(payload), err) == SL_OK,
	    "%s: %s", f->ip, err);
	SL_CHECK_MSG(&ts, poll(&p, 1, 2000) == 1 && (p.revents & POLLERR), "%s: no POLLERR",
	    f->ip);
}

/* the next queue entry is the ICMP port unreachable for `payload`,
 * reported with the dead port as destination, from the dead address */
static void
expect_icmp(struct icmp_fix *f, const char *payload)
{
	struct sl_endpoint dst;
	struct sl_ip off;
	uint8_t type, code;
	size_t n;
	char e1[SL_EP_STRLEN], e2[SL_EP_STRLEN];

	enum sl_udp_rx r = sl_udp_recv_icmp(&f->a, f->buf, sizeof(f->buf), &n, &dst, &off, &type,
	    &code);
	SL_CHECK_MSG(&ts, r == SL_UDP_RX_DATA, "%s: no ICMP for %s", f->ip, payload);
	if (r != SL_UDP_RX_DATA)
		return;
	SL_CHECK_MSG(&ts, sl_ep_eq(&dst, &f->dead), "%s: dst %s, want %s", f->ip,
	    sl_ep_str(&dst, e1, sizeof(e1)), sl_ep_str(&f->dead, e2, sizeof(e2)));
	SL_CHECK_MSG(&ts, sl_ip_eq(&off, &f->dead.ip), "%s: offender family %d", f->ip,
	    off.family);
	/* port unreachable: ICMP 3/3, ICMPv6 1/4 (RFC 4443 3.1) */
	SL_CHECK_MSG(&ts, f->v6 ? type == 1 && code == 4 : type == 3 && code == 3,
	    "%s: type %u code %u", f->ip, type, code);
	SL_CHECK_MSG(&ts, n == strlen(payload) && memcmp(f->buf, payload, n) == 0,
	    "%s: quoted %zu bytes", f->ip, n);
}

/* a datagram a -> b arrives intact, from a */
static void
expect_delivery(struct icmp_fix *f, const char *payload)
{
	char err[SL_ERRBUF_SIZE];
	struct sl_endpoint from;
	size_t n;

	SL_CHECK(&ts, wait_readable(f->b.fd, POLLIN));
	SL_CHECK_MSG(&ts, sl_udp_recv(&f->b, f->buf, sizeof(f->buf), &n, &from, err) ==
	    SL_UDP_RX_DATA && n == strlen(payload) && memcmp(f->buf, payload, n) == 0 &&
	    sl_ep_eq(&from, &f->a.local), "%s: %s not delivered", f->ip, payload);
}

static void
test_pending_icmp(const char *ip, bool v6)
{
	char err[SL_ERRBUF_SIZE];
	struct sockaddr_storage ss;
	struct icmp_fix f;
	struct sl_endpoint from;
	size_t n;

	if (!icmp_fix_open(&f, ip, v6)) {
		icmp_fix_close(&f);
		return;
	}
	/* the kernel's side: a bare sendto() to b fails with the error of
	 * the ICMP about the dead port, and the entry survives that */
	memset(&ss, 0, sizeof(ss));
	socklen_t sl = sizeof(ss);
	SL_CHECK(&ts, getsockname(f.b.fd, (struct sockaddr *)&ss, &sl) == 0);
	provoke(&f, "premise");
	errno = 0;
	SL_CHECK_MSG(&ts, sendto(f.a.fd, "raw", 3, 0, (struct sockaddr *)&ss, sl) < 0 &&
	    errno == ECONNREFUSED, "%s: bare sendto errno %d", ip, errno);
	expect_icmp(&f, "premise");

	/* SO_ERROR takes the pending error once, the entry stays queued */
	provoke(&f, "so-error");
	int soerr = -1;
	socklen_t el = sizeof(soerr);
	SL_CHECK(&ts, getsockopt(f.a.fd, SOL_SOCKET, SO_ERROR, &soerr, &el) == 0 &&
	    soerr == ECONNREFUSED);
	SL_CHECK(&ts, getsockopt(f.a.fd, SOL_SOCKET, SO_ERROR, &soerr, &el) == 0 && soerr == 0);
	expect_icmp(&f, "so-error");

	/* the fix: the unrelated send goes out, the ICMP is still there */
	provoke(&f, "rtp-to-dead");
	SL_CHECK_MSG(&ts, sl_udp_send(&f.a, &f.b.local, "INVITE", 6, err) == SL_OK, "%s: %s", ip,
	    err);
	expect_delivery(&f, "INVITE");
	expect_icmp(&f, "rtp-to-dead");
	SL_CHECK(&ts, sl_udp_recv_icmp(&f.a, f.buf, sizeof(f.buf), &n, &from, &(struct sl_ip){ 0 },
	    &(uint8_t){ 0 }, &(uint8_t){ 0 }) == SL_UDP_RX_NONE);

	/* and a receive: data waiting behind a pending error is returned */
	SL_CHECK(&ts, sl_udp_send(&f.b, &f.a.local, "pong", 4, err) == SL_OK);
	SL_CHECK(&ts, wait_readable(f.a.fd, POLLIN));
	provoke(&f, "late-rtp");
	SL_CHECK_MSG(&ts, sl_udp_recv(&f.a, f.buf, sizeof(f.buf), &n, &from, err) ==
	    SL_UDP_RX_DATA && n == 4 && memcmp(f.buf, "pong", 4) == 0 &&
	    sl_ep_eq(&from, &f.b.local), "%s: pong lost behind the ICMP", ip);
	expect_icmp(&f, "late-rtp");

	/* reading one entry raises the error again for the next one */
	provoke(&f, "one");
	SL_CHECK(&ts, sl_udp_send(&f.a, &f.b.local, "x1", 2, err) == SL_OK);
	expect_delivery(&f, "x1");
	provoke(&f, "two");
	expect_icmp(&f, "one");
	struct pollfd p = { f.a.fd, 0, 0 };
	SL_CHECK(&ts, poll(&p, 1, 2000) == 1 && (p.revents & POLLERR));
	SL_CHECK_MSG(&ts, sl_udp_send(&f.a, &f.b.local, "x2", 2, err) == SL_OK, "%s: %s", ip, err);
	expect_delivery(&f, "x2");
	expect_icmp(&f, "two");

	SL_CHECK_MSG(&ts, f.a.st.tx_errors == 0 && f.a.st.rx_errors == 0 &&
	    f.a.st.rx_icmp == 6 && f.a.st.rx == 1, "%s: tx_errors %llu rx_icmp %llu", ip,
	    (unsigned long long)f.a.st.tx_errors, (unsigned long long)f.a.st.rx_icmp);
	icmp_fix_close(&f);
}

/* The error queue also holds local errors (our own EMSGSIZE): skipped,
 * the ICMP behind one is what sl_udp_recv_icmp reports. sl_udp_send
 * refuses what cannot fit one IP packet before the kernel queues such an
 * entry; the largest that fits goes through. */
static void
test_local_errors(const char *ip, bool v6)
{
	char err[SL_ERRBUF_SIZE];
	struct sockaddr_storage ss;
	struct icmp_fix f;
	struct sl_endpoint from;
	size_t n, fit = v6 ? 65527 : 65507;

	if (!icmp_fix_open(&f, ip, v6)) {
		icmp_fix_close(&f);
		return;
	}
	memset(&ss, 0, sizeof(ss));
	socklen_t sl = sizeof(ss);
	SL_CHECK(&ts, getsockname(f.b.fd, (struct sockaddr *)&ss, &sl) == 0);
	memset(f.buf, 'L', sizeof(f.buf));
	errno = 0;
	SL_CHECK_MSG(&ts, sendto(f.a.fd, f.buf, fit + 1, 0, (struct sockaddr *)&ss, sl) < 0 &&
	    errno == EMSGSIZE, "%s: errno %d", ip, errno);
	provoke(&f, "behind-local");
	expect_icmp(&f, "behind-local");
	SL_CHECK(&ts, sl_udp_recv_icmp(&f.a, f.buf, sizeof(f.buf), &n, &from, &(struct sl_ip){ 0 },
	    &(uint8_t){ 0 }, &(uint8_t){ 0 }) == SL_UDP_RX_NONE);
	SL_CHECK(&ts, f.a.st.rx_icmp == 1);

	memset(f.buf, 'M', sizeof(f.buf));
	SL_CHECK(&ts, sl_udp_send(&f.a, &f.b.local, f.buf, fit + 1, err) == SL_EUSAGE);
	SL_CHECK(&ts, strstr(err, "too large") != NULL);
	SL_CHECK_MSG(&ts, sl_udp_send(&f.a, &f.b.local, f.buf, fit, err) == SL_OK, "%s: %s", ip,
	    err);
	SL_CHECK(&ts, wait_readable(f.b.fd, POLLIN));
	SL_CHECK(&ts, sl_udp_recv(&f.b, f.buf, sizeof(f.buf), &n, &from, err) == SL_UDP_RX_DATA &&
	    n == fit && f.buf[0] == 'M' && f.buf[fit - 1] == 'M');
	/* nothing was queued for the refused one */
	SL_CHECK(&ts, sl_udp_recv_icmp(&f.a, f.buf, sizeof(f.buf), &n, &from, &(struct sl_ip){ 0 },
	    &(uint8_t){ 0 }, &(uint8_t){ 0 }) == SL_UDP_RX_NONE);
	icmp_fix_close(&f);
}

/* The ICMPv6 error as traced: a valid ICMPv6 port unreachable from ::1
 * quoting our IPv6/UDP datagram to the dead port. */
static void
test_icmp6_trace(void)
{
	char err[SL_ERRBUF_SIZE], path[] = "/tmp/sl-trace6-XXXXXX";
	struct icmp_fix f;
	struct sl_trace *t = NULL;
	struct sl_endpoint dst;
	struct sl_ip off;
	uint8_t type, code;
	size_t n;
	int tfd = mkstemp(path);

	close(tfd);
	if (!icmp_fix_open(&f, "[::1]:0", true) ||
	    sl_trace_open(&t, path, SL_TRACE_RAW, err) != SL_OK) {
		SL_CHECK(&ts, false);
		icmp_fix_close(&f);
		unlink(path);
		return;
	}
	static const char rtp[] = "RTP after BYE";
	provoke(&f, rtp);
	SL_CHECK(&ts, sl_udp_recv_icmp(&f.a, f.buf, sizeof(f.buf), &n, &dst, &off, &type, &code) ==
	    SL_UDP_RX_DATA);
	SL_CHECK(&ts, sl_trace_icmp(t, &off, &f.a.local, &dst, type, code, f.buf, n) == SL_OK);
	sl_trace_close(t);

	int udp, icmp;
	SL_CHECK(&ts, verify_trace(path, &udp, &icmp) == 1 && icmp == 1 && udp == 0);
	char perr[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, perr);
	struct pcap_pkthdr *h;
	const u_char *d;
	if (p && pcap_next_ex(p, &h, &d) == 1) {
		SL_CHECK(&ts, h->caplen == 40 + 8 + 40 + 8 + sizeof(rtp) - 1);
		SL_CHECK(&ts, memcmp(d + 8, off.a, 16) == 0 && memcmp(d + 24, f.a.local.ip.a, 16) == 0);
		SL_CHECK(&ts, d[40] == 1 && d[41] == 4);
		/* quoted: our header, to the dead port */
		const u_char *q = d + 48;
		SL_CHECK(&ts, (q[0] >> 4) == 6 && q[6] == 17 && memcmp(q + 24, f.dead.ip.a, 16) == 0);
		SL_CHECK(&ts, (q[40] << 8 | q[41]) == f.a.local.port &&
		    (q[42] << 8 | q[43]) == f.dead.port);
	} else {
		SL_CHECK(&ts, false);
	}
	if (p)
		pcap_close(p);
	unlink(path);
	icmp_fix_close(&f);
}

int
main(void)
{
	test_parse_endpoint();
	test_udp_and_trace();
	test_pending_icmp("127.0.0.71:0", false);
	test_pending_icmp("[::1]:0", true);
	test_local_errors("127.0.0.72:0", false);
	test_local_errors("[::1]:0", true);
	test_icmp6_trace();
	return sl_test_report(&ts, "sip.udp");
}
