/* live.c: frames from a network interface through libpcap, in
 * non-blocking mode so that the engine's one poll loop serves the
 * interface, a pipe or a keyboard alike (pcap_get_selectable_fd).
 * Not immediate mode: on Linux that gives the kernel ring fixed slots
 * sized for the snapshot length, 512 packets in 32 MiB, and drops began
 * at 20,000 packets/s on lo (tests/bench/live-bench.sh). Packed blocks
 * with a 100 ms timeout hold tcpdump's 200,000; a call's last BYE then
 * waits at most 100 ms in the kernel, against the 10 s linger after it. */
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "capture/source.h"

#define SL_LIVE_TIMEOUT_MS 100

struct live_reader {
	struct sl_reader ops;	/* first: the generic reader */
	pcap_t *p;
	int linktype;
	/* pcap_stats counts in 32 bits: these follow it across wraps */
	struct pcap_stat last;
	uint64_t received, dropped, ifdropped;
};

static int
live_next(struct sl_reader *r, struct sl_frame *f, char *errbuf, bool *truncated)
{
	struct live_reader *lr = (struct live_reader *)(void *)r;
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc = pcap_next_ex(lr->p, &h, &data);
	if (rc == 1) {
		f->data = data;
		f->caplen = h->caplen;
		f->wirelen = h->len;
		f->ts_ns = (int64_t)h->ts.tv_sec * 1000000000LL + (int64_t)h->ts.tv_usec;
		f->linktype = lr->linktype;
		return 1;
	}
	if (rc == 0)
		return SL_READER_AGAIN;
	if (rc == PCAP_ERROR_BREAK)
		return 0;
	/* the interface went away (unplugged, deleted) */
	*truncated = false;
	snprintf(errbuf, SL_ERRBUF_SIZE, "%s", pcap_geterr(lr->p));
	return -1;
}

static void
live_close(struct sl_reader *r)
{
	struct live_reader *lr = (struct live_reader *)(void *)r;
	pcap_close(lr->p);
	free(lr);
}

/* The one line a user needs: which interface, what went wrong, what to do. */
static void
activate_error(pcap_t *p, int rc, const char *iface, char *errbuf)
{
	const char *why = pcap_geterr(p);
	switch (rc) {
	case PCAP_ERROR_NO_SUCH_DEVICE:
		snprintf(errbuf, SL_ERRBUF_SIZE, "%.64s: no such interface (see 'ip link')", iface);
		break;
	case PCAP_ERROR_PERM_DENIED:
	case PCAP_ERROR_PROMISC_PERM_DENIED:
		snprintf(errbuf, SL_ERRBUF_SIZE,
		    "%.64s: capture not permitted: needs root or CAP_NET_RAW and CAP_NET_ADMIN "
		    "(setcap cap_net_raw,cap_net_admin=eip sipladder)", iface);
		break;
	case PCAP_ERROR_IFACE_NOT_UP:
		snprintf(errbuf, SL_ERRBUF_SIZE, "%.64s: interface is down", iface);
		break;
	default:
		snprintf(errbuf, SL_ERRBUF_SIZE, "%.64s: %.180s", iface,
		    why && *why ? why : pcap_statustostr(rc));
		break;
	}
}

struct sl_reader *
sl_reader_live(const struct sl_live_opts *o, int *fd, char *errbuf)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p = pcap_create(o->iface, perr);
	if (p == NULL) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "%.64s: %.180s", o->iface, perr);
		return NULL;
	}
	pcap_set_snaplen(p, o->snaplen > 0 ? o->snaplen : SL_LIVE_SNAPLEN);
	pcap_set_promisc(p, o->promisc);
	pcap_set_timeout(p, SL_LIVE_TIMEOUT_MS);
	/* bursts of RTP while the store commits: room for a few seconds */
	pcap_set_buffer_size(p, (o->buffer_mb > 0 ? o->buffer_mb : SL_LIVE_BUFFER_MB) << 20);
	pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO);
	int rc = pcap_activate(p);
	if (rc < 0) {
		activate_error(p, rc, o->iface, errbuf);
		pcap_close(p);
		return NULL;
	}
	const char *filter = o->filter ? o->filter : SL_LIVE_FILTER;
	struct bpf_program prog;
	if (pcap_compile(p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) != 0) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "bad capture filter '%.100s': %s", filter,
		    pcap_geterr(p));
		pcap_close(p);
		return NULL;
	}
	rc = pcap_setfilter(p, &prog);
	pcap_freecode(&prog);
	if (rc != 0 || pcap_setnonblock(p, 1, perr) != 0 ||
	    (*fd = pcap_get_selectable_fd(p)) < 0) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "%.64s: %.180s", o->iface,
		    rc != 0 ? pcap_geterr(p) : *perr ? perr : "no selectable descriptor");
		pcap_close(p);
		return NULL;
	}
	struct live_reader *lr = calloc(1, sizeof *lr);
	if (lr == NULL) {
		pcap_close(p);
		snprintf(errbuf, SL_ERRBUF_SIZE, "out of memory");
		return NULL;
	}
	lr->ops.next = live_next;
	lr->ops.close = live_close;
	lr->p = p;
	lr->linktype = pcap_datalink(p);
	return (struct sl_reader *)(void *)lr;
}

bool
sl_reader_live_drops(struct sl_reader *r, uint64_t *received, uint64_t *dropped,
    uint64_t *ifdropped)
{
	struct live_reader *lr = (struct live_reader *)(void *)r;
	struct pcap_stat ps;
	if (pcap_stats(lr->p, &ps) != 0)
		return false;
	lr->received += (uint32_t)(ps.ps_recv - lr->last.ps_recv);
	lr->dropped += (uint32_t)(ps.ps_drop - lr->last.ps_drop);
	lr->ifdropped += (uint32_t)(ps.ps_ifdrop - lr->last.ps_ifdrop);
	lr->last = ps;
	*received = lr->received;
	*dropped = lr->dropped;
	*ifdropped = lr->ifdropped;
	return true;
}
