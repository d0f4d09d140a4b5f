/* pcapfmt.h: the on-disk facts of pcap and pcapng that more than one
 * reader needs (internal to src/capture): input.c tells the formats
 * apart, pipein.c follows record lengths through a pipe, reader_pcapng.c
 * reads the blocks. */
#ifndef SL_PCAPFMT_H
#define SL_PCAPFMT_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define SL_PCAPNG_SHB 0x0A0D0D0Au	/* section header: also the file magic */
#define SL_PCAPNG_IDB 1u
#define SL_PCAPNG_OPB 2u		/* obsolete packet block */
#define SL_PCAPNG_SPB 3u
#define SL_PCAPNG_EPB 6u
#define SL_PCAPNG_BOM 0x1A2B3C4Du	/* byte-order magic, in the section's order */
/* A block larger than this ends the file as corrupt: memory stays
 * bounded. More than a 256 KiB snaplen plus options. */
#define SL_PCAPNG_MAX_BLOCK (1u << 20)

/* A 32-bit field of a file whose byte order may differ from ours. */
static inline uint32_t
sl_pcap_rd32(const uint8_t *b, bool swap)
{
	uint32_t v;
	memcpy(&v, b, 4);
	return swap ? __builtin_bswap32(v) : v;
}

static inline uint16_t
sl_pcap_rd16(const uint8_t *b, bool swap)
{
	uint16_t v;
	memcpy(&v, b, 2);
	return swap ? __builtin_bswap16(v) : v;
}

#endif
