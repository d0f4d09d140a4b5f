/* source.h: capture input. One or more files ("-" is stdin), classic
 * pcap or pcapng, read in timestamp order as one stream of frames.
 *
 * Classic pcap goes through libpcap. pcapng goes through our own block
 * reader (pcapng.c) because libpcap 1.10 refuses files whose interfaces
 * have different link types, which is exactly what a capture on "any"
 * plus a VLAN trunk gives; see docs in README ("Input"). */
#ifndef SL_SOURCE_H
#define SL_SOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/err.h"

/* Frame times are clamped to +-SL_TS_LIMIT ns (146 years either side of
 * 1970, far beyond any real capture), so the difference of any two frame
 * times fits in an int64_t: everything downstream subtracts them. */
#define SL_TS_LIMIT (((int64_t)1 << 62) - 1)

/* One frame; data is valid until the next sl_input_next(). */
struct sl_frame {
	const uint8_t *data;
	uint32_t caplen;
	uint32_t wirelen;
	int64_t ts_ns;
	int linktype;		/* DLT_* */
	unsigned file;		/* index into the paths given */
};

/* What the readers met that was not a frame: reported, never fatal. */
struct sl_input_stats {
	uint64_t truncated_files;	/* file ended inside a record */
	uint64_t corrupt_files;		/* bad record header: rest of file skipped */
	uint64_t unknown_blocks;	/* pcapng blocks we do not read (NRB, ISB, DSB...) */
	uint64_t frames_no_interface;	/* pcapng packet naming an undeclared interface */
	uint64_t out_of_order;		/* frames earlier than their predecessor in a file */
	/* live interfaces, from pcap_stats (sl_input_refresh): never hidden */
	uint64_t live_received;		/* packets the filter passed */
	uint64_t live_dropped;		/* no room in the capture buffer */
	uint64_t live_ifdropped;	/* dropped by the interface or its driver */
};

struct sl_input;

/* Opens every path it can: a capture that cannot be opened or is not
 * pcap/pcapng is listed by sl_input_unreadable (the caller decides what
 * to do when that is all of them) and the others are read. SL_ENOMEM
 * only. */
enum sl_err sl_input_open(struct sl_input **out /* OUT */,
    const char *const *paths, size_t n, char *errbuf /* [SL_ERRBUF_SIZE] */);

/* Like sl_input_open for one capture that is already open: takes fp (it
 * is closed by sl_input_close, or here on failure). name stands for the
 * path in errors and warnings and must outlive the input. SL_EIO with
 * "<name>: <why>" in errbuf when it is not a capture we read. */
enum sl_err sl_input_open_fp(struct sl_input **out, FILE *fp, const char *name,
    char *errbuf /* [SL_ERRBUF_SIZE] */);

/* One capture held in memory (fuzzers, unit tests), read in place: data
 * and name must outlive the input. Same errors as sl_input_open. */
enum sl_err sl_input_open_mem(struct sl_input **out, const void *data, size_t size,
    const char *name, char *errbuf /* [SL_ERRBUF_SIZE] */);

enum sl_next {
	SL_NEXT_FRAME = 0,	/* *f holds the next frame */
	SL_NEXT_AGAIN,		/* a stream has no whole frame yet: poll its fds */
	SL_NEXT_EOF,		/* every input has ended */
};

/* The next frame in timestamp order (ties: file order). Read problems
 * inside a file end that file and are counted in the stats, with a line
 * in the warnings. A stream (pipe, FIFO, socket, terminal) is never
 * waited for here: when it has no whole frame buffered, the answer is
 * SL_NEXT_AGAIN, since its next frame may be the earliest of all. A
 * stream that turns out not to be a capture joins sl_input_unreadable. */
enum sl_err sl_input_next(struct sl_input *in, struct sl_frame *f /* OUT */,
    enum sl_next *what /* OUT */);

/* Some input is a stream or a live interface: frames may come later,
 * with gaps. */
bool sl_input_is_stream(const struct sl_input *in);

/* ---- live capture ---- */

/* Keeps what a SIP analysis needs: UDP on any port (media ports are
 * dynamic, and SIP is found by its start line, not by port 5060), SIP
 * over TCP, ICMP errors (media refused), IPv6 fragments (whose UDP header
 * is in the first fragment only; IPv4 fragments match "udp" already),
 * and the same inside one VLAN tag. */
#define SL_LIVE_FILTER "udp or icmp or icmp6 or ip6 proto 44 or tcp port 5060 or " \
	"tcp port 5061 or (vlan and (udp or icmp or icmp6 or ip6 proto 44 or tcp port 5060))"
#define SL_LIVE_SNAPLEN 262144	/* tcpdump's: whole SIP messages, jumbo frames */
#define SL_LIVE_BUFFER_MB 32

struct sl_live_opts {
	const char *iface;	/* "any": every interface (Linux cooked headers) */
	const char *filter;	/* NULL: SL_LIVE_FILTER */
	int snaplen;		/* 0: SL_LIVE_SNAPLEN */
	int buffer_mb;		/* 0: SL_LIVE_BUFFER_MB */
	bool promisc;
};

/* Opens interfaces for live capture, each read as frames arrive; frames
 * of several interfaces are merged in arrival order (one idle interface
 * must not hold the others back). SL_EIO with one line in errbuf naming
 * the interface and what to do (no such interface, not permitted: which
 * capability, bad filter). */
enum sl_err sl_input_open_live(struct sl_input **out, const struct sl_live_opts *o,
    size_t n, char *errbuf /* [SL_ERRBUF_SIZE] */);

/* Reads the interfaces' drop counters into the stats (pcap_stats). */
void sl_input_refresh(struct sl_input *in);

/* Ends live capture: from now on sl_input_next reports the end, so the
 * caller finishes the engine and every call still open is emitted. */
void sl_input_stop(struct sl_input *in);

/* The descriptors to wait on for SL_NEXT_AGAIN (POLLIN), up to n. */
struct pollfd;
size_t sl_input_pollfds(const struct sl_input *in, struct pollfd *fds, size_t n);

const struct sl_input_stats *sl_input_stats(const struct sl_input *in);

/* The captures sl_input_open could not open: up to n lines "<path>: <why>"
 * (the first 16 at most), their total in *total; returns how many lines. */
size_t sl_input_unreadable(const struct sl_input *in, const char **lines, size_t n,
    size_t *total /* OUT */);

/* Up to n warnings ("x.pcap: truncated after 1234 frames"), NUL-separated
 * lines the caller prints on stderr; returns how many. */
size_t sl_input_warnings(const struct sl_input *in, const char **lines, size_t n);

void sl_input_close(struct sl_input *in);

/* ---- per-format readers, used by input.c ---- */

#define SL_READER_AGAIN 2	/* live: no frame now; poll the descriptor */

/* A reader embeds this first and is freed by its close(). */
struct sl_reader {
	/* 1 frame, 0 end of file, -1 error (why in errbuf; counted by kind),
	 * SL_READER_AGAIN */
	int (*next)(struct sl_reader *r, struct sl_frame *f, char *errbuf, bool *truncated);
	void (*close)(struct sl_reader *r);
};

/* fp positioned at the start of the file (stdin: bytes replayed). */
struct sl_reader *sl_reader_pcap(FILE *fp, char *errbuf);
struct sl_reader *sl_reader_pcapng(FILE *fp, struct sl_input_stats *st, char *errbuf);
/* An activated, filtered, non-blocking interface; *fd is its descriptor. */
struct sl_reader *sl_reader_live(const struct sl_live_opts *o, int *fd, char *errbuf);
/* Totals since opening; false when the interface cannot say. */
bool sl_reader_live_drops(struct sl_reader *r, uint64_t *received, uint64_t *dropped,
    uint64_t *ifdropped);

#endif
