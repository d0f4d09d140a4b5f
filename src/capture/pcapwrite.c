/* pcapwrite.c: see pcapwrite.h. */
#include "capture/pcapwrite.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS_PER_SEC 1000000000u
#define NS_PER_US 1000u
#define FILE_HDR_LEN 24u
#define REC_HDR_LEN 16u

struct sl_pcapwr {
	pcap_t *p;		/* the "dead" handle: link type, snaplen, precision */
	pcap_dumper_t *d;
	bool nsec;
	bool failed;
	uint64_t packets;
	uint64_t bytes;
};

/* libpcap takes DLT_ values and maps them to the file's LINKTYPE_; the
 * two differ only for a few types, of which we write RAW. */
static int
linktype_to_dlt(int linktype)
{
	return linktype == SL_LINKTYPE_RAW ? DLT_RAW : linktype;
}

enum sl_err
sl_pcapwr_open(struct sl_pcapwr **out, const char *path, int linktype,
    uint32_t snaplen, bool nsec, char errbuf[SL_ERRBUF_SIZE])
{
	struct sl_pcapwr *w = calloc(1, sizeof(*w));

	*out = NULL;
	if (w == NULL) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "pcap %s: out of memory", path);
		return SL_ENOMEM;
	}
	w->nsec = nsec;
	w->p = pcap_open_dead_with_tstamp_precision(linktype_to_dlt(linktype),
	    (int)snaplen, nsec ? PCAP_TSTAMP_PRECISION_NANO :
	    PCAP_TSTAMP_PRECISION_MICRO);
	if (w->p == NULL) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "pcap %s: out of memory", path);
		free(w);
		return SL_ENOMEM;
	}
	errno = 0;
	w->d = pcap_dump_open(w->p, path);
	if (w->d == NULL) {
		/* "link-layer type N isn't supported in savefiles", or the
		 * fopen error with its path */
		bool io = errno != 0;

		snprintf(errbuf, SL_ERRBUF_SIZE, "pcap %s", pcap_geterr(w->p));
		pcap_close(w->p);
		free(w);
		return io ? SL_EIO : SL_EUSAGE;
	}
	w->bytes = FILE_HDR_LEN;
	if (pcap_dump_flush(w->d) != 0) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "pcap %s: %s", path, strerror(errno));
		sl_pcapwr_close(w);
		return SL_EIO;
	}
	*out = w;
	return SL_OK;
}

enum sl_err
sl_pcapwr_write(struct sl_pcapwr *w, uint64_t t_ns, const uint8_t *data,
    uint32_t caplen, uint32_t wirelen)
{
	struct pcap_pkthdr h;
	uint64_t sub = t_ns % NS_PER_SEC;

	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = (time_t)(t_ns / NS_PER_SEC);
	/* with nanosecond precision libpcap stores tv_usec as nanoseconds */
	h.ts.tv_usec = (suseconds_t)(w->nsec ? sub : sub / NS_PER_US);
	h.caplen = caplen;
	h.len = wirelen;
	pcap_dump((u_char *)w->d, &h, data);
	if (ferror(pcap_dump_file(w->d)))
		w->failed = true;
	w->packets++;
	w->bytes += REC_HDR_LEN + caplen;
	return w->failed ? SL_EIO : SL_OK;
}

enum sl_err
sl_pcapwr_flush(struct sl_pcapwr *w)
{
	if (pcap_dump_flush(w->d) != 0)
		w->failed = true;
	return w->failed ? SL_EIO : SL_OK;
}

enum sl_err
sl_pcapwr_close(struct sl_pcapwr *w)
{
	enum sl_err rc;

	if (w == NULL)
		return SL_OK;
	rc = sl_pcapwr_flush(w);
	pcap_dump_close(w->d);
	pcap_close(w->p);
	free(w);
	return rc;
}

uint64_t
sl_pcapwr_packets(const struct sl_pcapwr *w)
{
	return w ? w->packets : 0;
}

uint64_t
sl_pcapwr_bytes(const struct sl_pcapwr *w)
{
	return w ? w->bytes : 0;
}
