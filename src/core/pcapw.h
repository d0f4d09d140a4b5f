/* pcapw.h: pcap and pcapng file writer, libc only. Writing the format
 * needs nothing of libpcap (which lives in src/capture, for reading), so
 * slgen's captures and the server's and phone's --trace-pcap files share
 * this one writer.
 *
 * pcap: one link type per file, microsecond or nanosecond magic, either
 * byte order (the whole file, record headers included, is written in the
 * chosen order, as a big-endian host would have written it).
 * pcapng: one little-endian section, any number of interfaces (IDBs) with
 * their own link type and if_tsresol, Enhanced Packet Blocks.
 *
 * Timestamps come in as nanoseconds since the epoch and are truncated to
 * the resolution of the file or interface. */
#ifndef SL_CORE_PCAPW_H
#define SL_CORE_PCAPW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define SL_PCAPW_MAXIF	8

struct sl_pcapw {
	FILE *f;
	bool ng;		/* pcapng rather than pcap */
	bool nsec;		/* pcap: nanosecond magic */
	bool big;		/* pcap: big-endian file */
	uint32_t snaplen;	/* pcap: file snaplen */
	unsigned nif;		/* pcapng: interfaces declared so far */
	uint8_t tsres[SL_PCAPW_MAXIF];	/* pcapng: decimal exponent per IDB */
	uint64_t npackets;
	uint64_t nbytes;	/* bytes written so far, headers included */
	bool err;
};

int sl_pcap_open(struct sl_pcapw *w, const char *path, uint32_t linktype,
    uint32_t snaplen, bool nsec, bool big);
int sl_pcapng_open(struct sl_pcapw *w, const char *path);
/* Declares the next interface; returns its id (0, 1, ...) or -1.
 * tsresol is the decimal exponent: 6 (the default, written as no option)
 * or 9 (written as if_tsresol = 9). */
int sl_pcapng_add_if(struct sl_pcapw *w, uint16_t linktype,
    uint32_t snaplen, unsigned tsresol, const char *name);
/* caplen bytes of data are stored; wirelen is the original length. */
int sl_pcapw_write(struct sl_pcapw *w, unsigned ifid, uint64_t t_ns,
    const uint8_t *data, uint32_t caplen, uint32_t wirelen);
/* Pushes what is buffered to the file (a trace survives a kill). */
int sl_pcapw_flush(struct sl_pcapw *w);
/* Flushes and closes; returns -1 if any write failed. */
int sl_pcapw_close(struct sl_pcapw *w);

#endif
