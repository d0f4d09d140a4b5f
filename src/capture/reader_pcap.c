/* reader_pcap.c: classic pcap files through libpcap, asking for
 * nanosecond timestamps so usec and nsec files read alike. libpcap also
 * handles both byte orders and the modified (Kuznetzov) format. */
#include <pcap/pcap.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>

#include "capture/source.h"

struct pcap_reader {
	struct sl_reader ops;	/* first: the generic reader */
	pcap_t *p;
	int linktype;
};

static int
pcap_next_frame(struct sl_reader *r, struct sl_frame *f, char *errbuf, bool *truncated)
{
	struct pcap_reader *pr = (struct pcap_reader *)(void *)r;
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc = pcap_next_ex(pr->p, &h, &data);
	if (rc == 1) {
		f->data = data;
		f->caplen = h->caplen;
		f->wirelen = h->len;
		f->ts_ns = (int64_t)h->ts.tv_sec * 1000000000LL + (int64_t)h->ts.tv_usec;
		f->linktype = pr->linktype;
		return 1;
	}
	if (rc == PCAP_ERROR_BREAK)
		return 0;
	const char *why = pcap_geterr(pr->p);
	/* libpcap says "truncated dump file" for a record cut short */
	*truncated = strstr(why, "truncated") != NULL;
	snprintf(errbuf, SL_ERRBUF_SIZE, "%s", why);
	return -1;
}

static void
pcap_close_reader(struct sl_reader *r)
{
	struct pcap_reader *pr = (struct pcap_reader *)(void *)r;
	pcap_close(pr->p);	/* closes the FILE too */
	free(pr);
}

struct sl_reader *
sl_reader_pcap(FILE *fp, char *errbuf)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	/* libpcap freads every record header and body separately, and glibc
	 * locks the FILE for each: a fifth of the read loop. This FILE is
	 * ours alone and the analyzer has one thread, so it needs no lock. */
	__fsetlocking(fp, FSETLOCKING_BYCALLER);
	pcap_t *p = pcap_fopen_offline_with_tstamp_precision(fp,
	    PCAP_TSTAMP_PRECISION_NANO, perr);
	if (p == NULL) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "%s", perr);
		fclose(fp);
		return NULL;
	}
	struct pcap_reader *pr = calloc(1, sizeof *pr);
	if (pr == NULL) {
		pcap_close(p);
		snprintf(errbuf, SL_ERRBUF_SIZE, "out of memory");
		return NULL;
	}
	pr->ops.next = pcap_next_frame;
	pr->ops.close = pcap_close_reader;
	pr->p = p;
	pr->linktype = pcap_datalink(p);
	return (struct sl_reader *)(void *)pr;
}
