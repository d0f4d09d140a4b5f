/* pipein.c: see pipein.h. */
#define _GNU_SOURCE	/* fopencookie */
#include "capture/pipein.h"
#include "capture/pcapfmt.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define READ_CHUNK (64u << 10)
#define MAX_BUFFERED (4u << 20)	/* > the largest record the framer accepts */
#define PUMP_BUDGET (1u << 20)	/* bytes per pump: the loop stays responsive */
#define MAX_PCAP_RECORD (256u << 10)	/* libpcap's own limit for most link types */

enum fstate { F_MAGIC, F_PCAP_FILE, F_PCAP_REC, F_NG_BLOCK, F_BAD };

struct sl_pipein {
	int fd;
	bool close_fd;
	bool eof;		/* read() said end, or failed (err) */
	int err;
	uint8_t *buf;		/* bytes read, [off, len) not yet given to the FILE */
	size_t off, len, cap;

	/* the framer: follows record lengths through the bytes as they come */
	enum fstate fs;
	uint8_t hdr[24];	/* the record or block header being gathered */
	size_t hdr_n, need;
	uint64_t skip;		/* body bytes of the current record still to come */
	bool swap;		/* pcap: big-endian file; pcapng: section order */
	bool seen_shb;
	size_t rec_hdr;		/* pcap record header: 16, or 24 (Kuznetzov) */
	bool packet;		/* the current record is a frame */
	bool header_ready;
	uint32_t magic;
	uint64_t frames;
};

static uint32_t
rd32(const struct sl_pipein *p, const uint8_t *b)
{
	return sl_pcap_rd32(b, p->swap);
}

static void
record_end(struct sl_pipein *p)
{
	if (p->packet)
		p->frames++;
	p->packet = false;
	p->hdr_n = 0;
	p->need = p->fs == F_PCAP_REC ? p->rec_hdr : 8;
}

static void
on_magic(struct sl_pipein *p)
{
	uint32_t m;
	memcpy(&m, p->hdr, 4);
	p->magic = m;
	if (m == SL_PCAPNG_SHB) {
		/* the first block is the section header: 12 bytes to its byte order */
		p->fs = F_NG_BLOCK;
		p->need = 12;
		p->header_ready = true;
		return;
	}
	switch (m) {
	case 0xa1b2c3d4u: case 0xa1b23c4du: p->rec_hdr = 16; break;
	case 0xd4c3b2a1u: case 0x4d3cb2a1u: p->rec_hdr = 16; p->swap = true; break;
	case 0xa1b2cd34u: p->rec_hdr = 24; break;
	case 0x34cdb2a1u: p->rec_hdr = 24; p->swap = true; break;
	default:
		p->fs = F_BAD;	/* not a capture: the reader says so */
		return;
	}
	p->fs = F_PCAP_FILE;
	p->need = 24;
}

static void
on_ng_header(struct sl_pipein *p)
{
	uint32_t raw;
	memcpy(&raw, p->hdr, 4);
	if (raw == SL_PCAPNG_SHB) {	/* a palindrome: no byte order needed */
		if (p->need == 8) {
			p->need = 12;
			return;
		}
		uint32_t bom;
		memcpy(&bom, p->hdr + 8, 4);
		if (bom != SL_PCAPNG_BOM && bom != __builtin_bswap32(SL_PCAPNG_BOM)) {
			p->fs = F_BAD;
			return;
		}
		p->swap = bom != SL_PCAPNG_BOM;
		p->seen_shb = true;
	} else if (!p->seen_shb) {
		p->fs = F_BAD;
		return;
	}
	uint32_t type = rd32(p, p->hdr), len = rd32(p, p->hdr + 4);
	if (len < 12 || len % 4 || len > SL_PCAPNG_MAX_BLOCK) {
		p->fs = F_BAD;
		return;
	}
	/* enhanced, simple and obsolete packet blocks */
	p->packet = type == SL_PCAPNG_EPB || type == SL_PCAPNG_SPB || type == SL_PCAPNG_OPB;
	p->skip = len - p->hdr_n;
}

static void
on_header(struct sl_pipein *p)
{
	switch (p->fs) {
	case F_MAGIC:
		on_magic(p);
		return;
	case F_PCAP_FILE:
		p->header_ready = true;
		p->fs = F_PCAP_REC;
		p->hdr_n = 0;
		p->need = p->rec_hdr;
		return;
	case F_PCAP_REC: {
		uint32_t caplen = rd32(p, p->hdr + 8);
		if (caplen > MAX_PCAP_RECORD) {
			p->fs = F_BAD;
			return;
		}
		p->packet = true;
		p->skip = caplen;
		break;
	}
	case F_NG_BLOCK:
		on_ng_header(p);
		if (p->fs == F_BAD || (p->need == 12 && p->hdr_n < 12))
			return;
		break;
	case F_BAD:
		return;
	}
	if (p->skip == 0)
		record_end(p);
}

static void
frame(struct sl_pipein *p, const uint8_t *b, size_t n)
{
	while (n && p->fs != F_BAD) {
		if (p->skip) {
			size_t k = p->skip < n ? (size_t)p->skip : n;
			p->skip -= k;
			b += k;
			n -= k;
			if (p->skip == 0)
				record_end(p);
			continue;
		}
		size_t k = p->need - p->hdr_n < n ? p->need - p->hdr_n : n;
		memcpy(p->hdr + p->hdr_n, b, k);
		p->hdr_n += k;
		b += k;
		n -= k;
		if (p->hdr_n == p->need)
			on_header(p);
	}
}

struct sl_pipein *
sl_pipein_new(int fd, bool close_fd)
{
	struct sl_pipein *p = calloc(1, sizeof *p);
	if (p == NULL)
		return NULL;
	p->fd = fd;
	p->close_fd = close_fd;
	p->fs = F_MAGIC;
	p->need = 4;
	return p;
}

void
sl_pipein_free(struct sl_pipein *p)
{
	if (p == NULL)
		return;
	if (p->close_fd)
		close(p->fd);
	free(p->buf);
	free(p);
}

int
sl_pipein_fd(const struct sl_pipein *p)
{
	return p->fd;
}

/* One read(). False when there is nothing more to read now. */
static bool
take(struct sl_pipein *p)
{
	if (p->off == p->len) {
		p->off = p->len = 0;
	} else if (p->off > p->cap / 2) {
		memmove(p->buf, p->buf + p->off, p->len - p->off);
		p->len -= p->off;
		p->off = 0;
	}
	if (p->cap - p->len < READ_CHUNK) {
		size_t cap = p->cap ? p->cap : READ_CHUNK;
		while (cap - p->len < READ_CHUNK)
			cap *= 2;
		uint8_t *nb = realloc(p->buf, cap);
		if (nb == NULL) {
			p->eof = true;
			p->err = ENOMEM;
			return false;
		}
		p->buf = nb;
		p->cap = cap;
	}
	ssize_t r = read(p->fd, p->buf + p->len, READ_CHUNK);
	if (r > 0) {
		frame(p, p->buf + p->len, (size_t)r);
		p->len += (size_t)r;
		return true;
	}
	if (r < 0 && errno == EINTR)
		return true;
	if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return false;
	p->eof = true;
	p->err = r < 0 ? errno : 0;
	return false;
}

void
sl_pipein_pump(struct sl_pipein *p)
{
	size_t start = p->len - p->off, got = 0;
	while (!p->eof && p->len - p->off < MAX_BUFFERED && got < PUMP_BUDGET) {
		struct pollfd pf = { .fd = p->fd, .events = POLLIN };
		if (poll(&pf, 1, 0) <= 0)
			break;
		if (!take(p))
			break;
		got = p->len - p->off - start;
	}
}

bool
sl_pipein_ended(const struct sl_pipein *p)
{
	return p->eof || p->fs == F_BAD;
}

bool
sl_pipein_header_ready(const struct sl_pipein *p)
{
	return p->header_ready;
}

uint32_t
sl_pipein_magic(const struct sl_pipein *p)
{
	return p->magic;
}

uint64_t
sl_pipein_frames(const struct sl_pipein *p)
{
	return p->frames;
}

static ssize_t
cookie_read(void *cookie, char *dst, size_t size)
{
	struct sl_pipein *p = cookie;
	while (p->off == p->len && !p->eof) {
		/* the framer did not foresee this read: block until bytes come */
		struct pollfd pf = { .fd = p->fd, .events = POLLIN };
		if (poll(&pf, 1, -1) < 0 && errno != EINTR) {
			p->eof = true;
			p->err = errno;
			break;
		}
		take(p);
	}
	if (p->off == p->len) {
		if (p->err == 0)
			return 0;
		errno = p->err;
		return -1;
	}
	size_t k = p->len - p->off < size ? p->len - p->off : size;
	memcpy(dst, p->buf + p->off, k);
	p->off += k;
	return (ssize_t)k;
}

static int
cookie_close(void *cookie)
{
	sl_pipein_free(cookie);
	return 0;
}

FILE *
sl_pipein_fopen(struct sl_pipein *p)
{
	cookie_io_functions_t io = { .read = cookie_read, .close = cookie_close };
	FILE *fp = fopencookie(p, "r", io);
	if (fp == NULL)
		sl_pipein_free(p);
	return fp;
}
