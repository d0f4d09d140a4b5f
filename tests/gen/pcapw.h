/* pcapw.h: slgen's pcap and pcapng file writer, libc only. The programs
 * write pcap with libpcap (src/capture/pcapwrite); slgen keeps this writer
 * because its sample captures need what pcap_dump cannot write: pcapng
 * with several interfaces and if_tsresol, and big-endian pcap files. It
 * also keeps slgen free of libpcap, and its output byte-identical on
 * every host.
 *
 * pcap: one link type per file, microsecond or nanosecond magic, either
 * byte order (the whole file, record headers included, is written in the
 * chosen order, as a big-endian host would have written it).
 * pcapng: one little-endian section, any number of interfaces (IDBs) with
 * their own link type and if_tsresol, Enhanced Packet Blocks.
 *
 * Timestamps come in as nanoseconds since the epoch and are truncated to
 * the resolution of the file or interface. */
#ifndef SLG_PCAPW_H
#define SLG_PCAPW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define SLG_PCAPW_MAXIF	8

struct slg_pcapw {
	FILE *f;
	bool ng;		/* pcapng rather than pcap */
	bool nsec;		/* pcap: nanosecond magic */
	bool big;		/* pcap: big-endian file */
	uint32_t snaplen;	/* pcap: file snaplen */
	unsigned nif;		/* pcapng: interfaces declared so far */
	uint8_t tsres[SLG_PCAPW_MAXIF];	/* pcapng: decimal exponent per IDB */
	uint64_t npackets;
	uint64_t nbytes;	/* bytes written so far, headers included */
	bool err;
};

int slg_pcap_open(struct slg_pcapw *w, const char *path, uint32_t linktype,
    uint32_t snaplen, bool nsec, bool big);
int slg_pcapng_open(struct slg_pcapw *w, const char *path);
/* Declares the next interface; returns its id (0, 1, ...) or -1.
 * tsresol is the decimal exponent: 6 (the default, written as no option)
 * or 9 (written as if_tsresol = 9). */
int slg_pcapng_add_if(struct slg_pcapw *w, uint16_t linktype,
    uint32_t snaplen, unsigned tsresol, const char *name);
/* caplen bytes of data are stored; wirelen is the original length. */
int slg_pcapw_write(struct slg_pcapw *w, unsigned ifid, uint64_t t_ns,
    const uint8_t *data, uint32_t caplen, uint32_t wirelen);
/* Pushes what is buffered to the file (a trace survives a kill). */
int slg_pcapw_flush(struct slg_pcapw *w);
/* Flushes and closes; returns -1 if any write failed. */
int slg_pcapw_close(struct slg_pcapw *w);

#endif
