/* test_pcapwrite.c: the libpcap writer (src/capture/pcapwrite) and the
 * packet builder (src/core/pktbuild): header fields as stored, nanosecond
 * files, refusals, and checksums that verify to zero. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/pcapwrite.h"
#include "core/pktbuild.h"
#include "tests/unit/unit.h"

static SL_TEST_STATE(ts);

static uint32_t
host32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static void
test_writer(void)
{
	char err[SL_ERRBUF_SIZE], path[] = "/tmp/sl-pcapwr-XXXXXX";
	int fd = mkstemp(path);
	struct sl_pcapwr *w = NULL;
	static const uint8_t pkt[] = { 0x45, 0, 0, 20, 1, 2, 3, 4, 5, 6 };
	uint8_t b[128];
	size_t n;
	FILE *f;

	close(fd);
	SL_CHECK(&ts, sl_pcapwr_open(&w, path, SL_LINKTYPE_RAW, 65535, true, err) == SL_OK);
	/* the header is on disk before the first packet */
	f = fopen(path, "rb");
	SL_CHECK(&ts, f != NULL && fread(b, 1, sizeof(b), f) == 24);
	if (f)
		fclose(f);
	SL_CHECK(&ts, sl_pcapwr_write(w, 1243850400123456789ull, pkt, 6, sizeof(pkt)) == SL_OK);
	SL_CHECK(&ts, sl_pcapwr_flush(w) == SL_OK);
	SL_CHECK(&ts, sl_pcapwr_packets(w) == 1 && sl_pcapwr_bytes(w) == 24 + 16 + 6);
	SL_CHECK(&ts, sl_pcapwr_close(w) == SL_OK);
	f = fopen(path, "rb");
	n = f ? fread(b, 1, sizeof(b), f) : 0;
	if (f)
		fclose(f);
	/* host byte order, as libpcap writes it */
	SL_CHECK(&ts, n == 24 + 16 + 6);
	SL_CHECK(&ts, host32(b) == 0xa1b23c4du);		/* nanosecond magic */
	SL_CHECK(&ts, host32(b + 16) == 65535 && host32(b + 20) == 101);
	SL_CHECK(&ts, host32(b + 24) == 1243850400u && host32(b + 28) == 123456789u);
	SL_CHECK(&ts, host32(b + 32) == 6 && host32(b + 36) == sizeof(pkt));
	SL_CHECK(&ts, memcmp(b + 40, pkt, 6) == 0);

	/* microseconds: the timestamp is truncated */
	SL_CHECK(&ts, sl_pcapwr_open(&w, path, SL_LINKTYPE_ETHERNET, 262144, false, err) == SL_OK);
	SL_CHECK(&ts, sl_pcapwr_write(w, 1243850400123456789ull, pkt, 4, 4) == SL_OK);
	SL_CHECK(&ts, sl_pcapwr_close(w) == SL_OK);
	f = fopen(path, "rb");
	n = f ? fread(b, 1, sizeof(b), f) : 0;
	if (f)
		fclose(f);
	SL_CHECK(&ts, n == 24 + 16 + 4 && host32(b) == 0xa1b2c3d4u && host32(b + 20) == 1);
	SL_CHECK(&ts, host32(b + 28) == 123456u);
	unlink(path);

	SL_CHECK(&ts, sl_pcapwr_open(&w, "/nonexistent-dir/x.pcap", SL_LINKTYPE_RAW, 65535,
	    false, err) == SL_EIO && w == NULL && strstr(err, "nonexistent-dir") != NULL);
	SL_CHECK(&ts, sl_pcapwr_close(NULL) == SL_OK);
}

static void
test_builder(void)
{
	static const uint8_t s4[4] = { 192, 168, 1, 183 }, d4[4] = { 192, 168, 1, 50 };
	static const uint8_t s6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const uint8_t d6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
	uint8_t ip[SL_PKT_IP4_LEN], u[64], ic[128];
	size_t ul, il;

	SL_CHECK(&ts, sl_pkt_ip4(ip, s4, d4, SL_PKT_PROTO_UDP, 64, 7, 0x4000, 12) == 20);
	SL_CHECK(&ts, ip[0] == 0x45 && ip[2] == 0 && ip[3] == 32 && ip[6] == 0x40 && ip[9] == 17);
	SL_CHECK(&ts, sl_csum_fold(sl_csum_add(0, ip, 20)) == 0);	/* verifies */

	/* UDP over the pseudo header: summing it all again gives zero */
	ul = sl_pkt_udp(u, sizeof(u), s4, d4, 4, 5060, 5060, "hello", 5);
	SL_CHECK(&ts, ul == 13 && u[5] == 13);
	SL_CHECK(&ts, sl_csum_fold(sl_csum_add(sl_csum_pseudo(s4, d4, 4, 17, ul), u, ul)) == 0);
	SL_CHECK(&ts, sl_pkt_udp(u, 12, s4, d4, 4, 1, 2, "hello", 5) == 0);	/* cap */
	ul = sl_pkt_udp(u, sizeof(u), s6, d6, 16, 40000, 40002, "odd", 3);
	SL_CHECK(&ts, sl_csum_fold(sl_csum_add(sl_csum_pseudo(s6, d6, 16, 17, ul), u, ul)) == 0);

	/* ICMP port unreachable quoting in place, and ICMPv6 with its pseudo header */
	memcpy(ic + 8, u, ul);
	il = sl_pkt_icmp(ic, sizeof(ic), s4, d4, 4, 3, 3, 0, ic + 8, ul);
	SL_CHECK(&ts, il == 8 + ul && ic[0] == 3 && ic[1] == 3 && memcmp(ic + 8, u, ul) == 0);
	SL_CHECK(&ts, sl_csum_fold(sl_csum_add(0, ic, il)) == 0);
	il = sl_pkt_icmp(ic, sizeof(ic), s6, d6, 16, 128, 0, 0x00010002u, "ping", 4);
	SL_CHECK(&ts, il == 12 && ic[0] == 128 && ic[5] == 1 && ic[7] == 2);
	SL_CHECK(&ts, sl_csum_fold(sl_csum_add(sl_csum_pseudo(s6, d6, 16, 58, il), ic, il)) == 0);
	SL_CHECK(&ts, sl_pkt_icmp(ic, 11, s6, d6, 16, 128, 0, 0, "ping", 4) == 0);
	SL_CHECK(&ts, sl_pkt_ip6(ic, s6, d6, 58, 255, 12) == 40 && ic[0] == 0x60 &&
	    ic[5] == 12 && ic[6] == 58 && ic[7] == 255 && memcmp(ic + 24, d6, 16) == 0);
}

int
main(void)
{
	test_writer();
	test_builder();
	return sl_test_report(&ts, "pcapwrite");
}
