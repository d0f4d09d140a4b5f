/* test_sip_udp.c: UDP sockets on loopback (ephemeral bind, send/recv with
 * peer endpoints, oversized datagrams refused and counted, the ICMP port
 * unreachable read from the error queue) and the --trace-pcap writer,
 * read back through libpcap with lengths and checksums verified. */
#include <pcap/pcap.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sip/trace.h"
#include "sip/udp.h"
#include "unit.h"

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

int
main(void)
{
	test_parse_endpoint();
	test_udp_and_trace();
	return sl_test_report(&ts, "sip.udp");
}
