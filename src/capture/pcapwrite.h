/* pcapwrite.h: writes classic pcap files through libpcap (pcap_open_dead
 * + pcap_dump). The one pcap writer of the programs: the server's and
 * phone's --trace-pcap (src/sip/trace.c) and the analyzer's own capture
 * files go through it. It is part of slcapture (the capture readers and
 * this writer, over slcore and libpcap: nothing of the analyzer), which
 * the server and phone link for it.
 * The header hides libpcap: only src/capture includes <pcap.h>.
 *
 * A file has one link type (a LINKTYPE_ value as stored in files:
 * 1 Ethernet, 101 RAW, 113 Linux SLL, ...), host byte order (what
 * libpcap writes), microsecond or nanosecond timestamps. */
#ifndef SL_CAPTURE_PCAPWRITE_H
#define SL_CAPTURE_PCAPWRITE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

#define SL_LINKTYPE_ETHERNET	1
#define SL_LINKTYPE_RAW		101

struct sl_pcapwr;

/* Creates/truncates path and writes the file header (already flushed to
 * the file on return). SL_EUSAGE for a link type libpcap cannot write,
 * SL_EIO if the file cannot be written, SL_ENOMEM; text in errbuf. */
enum sl_err sl_pcapwr_open(struct sl_pcapwr **out /* OUT */, const char *path,
    int linktype, uint32_t snaplen, bool nsec, char errbuf[SL_ERRBUF_SIZE]);
/* One record: caplen bytes of data stored, wirelen the original length,
 * t_ns nanoseconds since the epoch (truncated to microseconds unless the
 * file is nsec). Buffered; SL_EIO if the stream has failed. */
enum sl_err sl_pcapwr_write(struct sl_pcapwr *w, uint64_t t_ns,
    const uint8_t *data, uint32_t caplen, uint32_t wirelen);
/* Pushes what is buffered to the file (a trace survives a kill). SL_EIO
 * on failure. */
enum sl_err sl_pcapwr_flush(struct sl_pcapwr *w);
/* Flushes, closes, frees; accepts NULL. SL_EIO if any write failed. */
enum sl_err sl_pcapwr_close(struct sl_pcapwr *w);

/* Records and bytes (file header included) written so far. */
uint64_t sl_pcapwr_packets(const struct sl_pcapwr *w);
uint64_t sl_pcapwr_bytes(const struct sl_pcapwr *w);

#endif
