/* pcaploop.c: the benchmark's floor, a bare libpcap read loop.
 *
 *   pcaploop [--unlocked] FILE
 *
 * pcap_open_offline + pcap_next_ex over the whole file, counting packets
 * and captured bytes. Each packet's first byte is added to a checksum that
 * is printed at the end: a real consumer reads at least the link header,
 * so the loop must touch every record and the compiler cannot drop the
 * reads. Nothing is converted or dissected; whatever sipladder takes on
 * top of this is its own cost.
 *
 * --unlocked opens the FILE itself and turns off glibc's per-call stream
 * locking (__fsetlocking) before handing it to libpcap, as sipladder's
 * reader does: the same loop without the lock libpcap's two freads per
 * record would otherwise take. bench.sh reports both.
 *
 * Prints "packets N bytes N firstbyte-sum N" on stdout. Exit 0 at the end
 * of the file, 1 on an open or read error (text on stderr), 2 on usage. */
#include <errno.h>
#include <inttypes.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <string.h>

static pcap_t *
open_capture(const char *path, int unlocked, char *errbuf)
{
	if (!unlocked)
		return pcap_open_offline(path, errbuf);
	FILE *fp = fopen(path, "rb");
	if (fp == NULL) {
		snprintf(errbuf, PCAP_ERRBUF_SIZE, "%s: %s", path, strerror(errno));
		return NULL;
	}
	__fsetlocking(fp, FSETLOCKING_BYCALLER);
	pcap_t *p = pcap_fopen_offline(fp, errbuf);
	if (p == NULL)
		fclose(fp);
	return p;
}

int
main(int argc, char **argv)
{
	int unlocked = argc == 3 && strcmp(argv[1], "--unlocked") == 0;
	if (argc != 2 + unlocked) {
		fprintf(stderr, "usage: pcaploop [--unlocked] FILE\n");
		return 2;
	}
	const char *path = argv[1 + unlocked];
	char errbuf[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p = open_capture(path, unlocked, errbuf);
	if (p == NULL) {
		fprintf(stderr, "pcaploop: %s\n", errbuf);
		return 1;
	}
	uint64_t packets = 0, bytes = 0, sum = 0;
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc;
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		packets++;
		bytes += h->caplen;
		if (h->caplen > 0)
			sum += data[0];
	}
	int status = 0;
	if (rc != PCAP_ERROR_BREAK) {
		fprintf(stderr, "pcaploop: %s: %s after %" PRIu64 " packets\n",
		    path, pcap_geterr(p), packets);
		status = 1;
	}
	pcap_close(p);
	printf("packets %" PRIu64 " bytes %" PRIu64 " firstbyte-sum %" PRIu64 "\n",
	    packets, bytes, sum);
	return status;
}
