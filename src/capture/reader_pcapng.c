/* reader_pcapng.c: pcapng blocks (draft-ietf-opsawg-pcapng): section
 * headers of either byte order, interfaces with their own link type and
 * timestamp resolution, enhanced/simple/obsolete packet blocks. Every
 * length is checked against the block before it is used, and a block
 * larger than MAX_BLOCK ends the file as corrupt: memory stays bounded. */
#include <stdlib.h>
#include <string.h>

#include "capture/pcapfmt.h"
#include "capture/source.h"

#define MAX_BLOCK SL_PCAPNG_MAX_BLOCK
#define MAX_IFACES 256

#define BT_SHB SL_PCAPNG_SHB
#define BT_IDB SL_PCAPNG_IDB
#define BT_OPB SL_PCAPNG_OPB
#define BT_SPB SL_PCAPNG_SPB
#define BT_EPB SL_PCAPNG_EPB
#define BOM SL_PCAPNG_BOM

struct iface {
	int linktype;
	uint32_t snaplen;
	uint8_t tsresol;	/* if_tsresol as in the file */
	int64_t tsoffset_s;
};

struct ng_reader {
	struct sl_reader ops;
	FILE *fp;
	struct sl_input_stats *st;
	bool swap;
	bool have_shb;
	struct iface ifs[MAX_IFACES];
	unsigned n_ifs;
	uint8_t *buf;
};

static uint32_t
rd32(const struct ng_reader *r, const uint8_t *p)
{
	return sl_pcap_rd32(p, r->swap);
}

static uint16_t
rd16(const struct ng_reader *r, const uint8_t *p)
{
	return sl_pcap_rd16(p, r->swap);
}

/* ts units since the epoch at the interface's resolution -> ns. Times
 * beyond int64 ns (a hostile if_tsresol or if_tsoffset) saturate rather
 * than wrap; input.c then clamps every frame to SL_TS_LIMIT. */
static int64_t
to_ns(const struct iface *i, uint64_t ts)
{
	uint8_t v = i->tsresol & 0x7f;
	uint64_t ns;
	bool over = false;
	if (i->tsresol & 0x80) {
		if (v >= 64)
			return 0;
		uint64_t whole = ts >> v, frac = ts & ((1ull << v) - 1);
		/* keep frac * 1e9 inside 64 bits: drop sub-ns bits first */
		unsigned drop = v > 30 ? v - 30 : 0;
		over = __builtin_mul_overflow(whole, 1000000000ull, &ns) ||
		    __builtin_add_overflow(ns, ((frac >> drop) * 1000000000ull) >> (v - drop), &ns);
	} else {
		uint64_t p = 1;
		if (v <= 9) {
			for (unsigned k = v; k < 9; k++)
				p *= 10;
			over = __builtin_mul_overflow(ts, p, &ns);
		} else {
			for (unsigned k = 9; k < v && k < 28; k++)
				p *= 10;
			ns = ts / p;
		}
	}
	int64_t t = over || ns > INT64_MAX ? INT64_MAX : (int64_t)ns, off;
	if (__builtin_mul_overflow(i->tsoffset_s, 1000000000LL, &off) ||
	    __builtin_add_overflow(t, off, &t))
		return i->tsoffset_s < 0 ? INT64_MIN : INT64_MAX;
	return t;
}

static void
read_idb_options(struct ng_reader *r, struct iface *i, const uint8_t *p, size_t n)
{
	while (n >= 4) {
		uint16_t code = rd16(r, p), len = rd16(r, p + 2);
		size_t padded = ((size_t)len + 3u) & ~(size_t)3u;
		if (code == 0 || 4 + padded > n)
			return;
		if (code == 9 && len >= 1)
			i->tsresol = p[4];
		else if (code == 14 && len >= 8) {
			uint64_t v;
			memcpy(&v, p + 4, 8);
			if (r->swap)
				v = __builtin_bswap64(v);
			i->tsoffset_s = (int64_t)v;
		}
		p += 4 + padded;
		n -= 4 + padded;
	}
}

/* Reads one whole block into r->buf. 1 ok, 0 clean end, -1 error. */
static int
read_block(struct ng_reader *r, uint32_t *type, uint32_t *len, char *errbuf, bool *truncated)
{
	uint8_t hdr[12];
	size_t got = fread(hdr, 1, 8, r->fp);
	if (got == 0)
		return 0;
	if (got < 8) {
		*truncated = true;
		snprintf(errbuf, SL_ERRBUF_SIZE, "truncated block header");
		return -1;
	}
	uint32_t t;
	memcpy(&t, hdr, 4);
	if (t == BT_SHB) {
		/* the byte order comes from the section itself */
		if (fread(hdr + 8, 1, 4, r->fp) != 4) {
			*truncated = true;
			snprintf(errbuf, SL_ERRBUF_SIZE, "truncated section header");
			return -1;
		}
		uint32_t bom;
		memcpy(&bom, hdr + 8, 4);
		if (bom == BOM)
			r->swap = false;
		else if (bom == __builtin_bswap32(BOM))
			r->swap = true;
		else {
			snprintf(errbuf, SL_ERRBUF_SIZE, "bad pcapng byte-order magic");
			return -1;
		}
		r->have_shb = true;
	} else if (!r->have_shb) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "not a pcapng file");
		return -1;
	}
	*type = t == BT_SHB ? BT_SHB : rd32(r, hdr);
	*len = rd32(r, hdr + 4);
	size_t head = t == BT_SHB ? 12 : 8;
	if (*len < 12 || *len % 4 || *len > MAX_BLOCK) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "bad pcapng block length %u", *len);
		return -1;
	}
	memcpy(r->buf, hdr, head);
	if (fread(r->buf + head, 1, *len - head, r->fp) != *len - head) {
		*truncated = true;
		snprintf(errbuf, SL_ERRBUF_SIZE, "truncated block");
		return -1;
	}
	if (rd32(r, r->buf + *len - 4) != *len) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "block length trailer mismatch");
		return -1;
	}
	return 1;
}

static int
packet(struct ng_reader *r, uint32_t ifid, uint64_t ts, uint32_t caplen,
    uint32_t wirelen, const uint8_t *data, size_t room, struct sl_frame *f,
    char *errbuf)
{
	if (ifid >= r->n_ifs) {
		r->st->frames_no_interface++;
		return 0;
	}
	if (caplen > room) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "packet longer than its block");
		return -1;
	}
	f->data = data;
	f->caplen = caplen;
	f->wirelen = wirelen;
	f->ts_ns = to_ns(&r->ifs[ifid], ts);
	f->linktype = r->ifs[ifid].linktype;
	return 1;
}

static int
ng_next(struct sl_reader *rd, struct sl_frame *f, char *errbuf, bool *truncated)
{
	struct ng_reader *r = (struct ng_reader *)(void *)rd;
	for (;;) {
		uint32_t type, len;
		int rc = read_block(r, &type, &len, errbuf, truncated);
		if (rc <= 0)
			return rc;
		const uint8_t *b = r->buf + 8;
		size_t body = len - 12;
		switch (type) {
		case BT_SHB:
			r->n_ifs = 0;	/* interfaces are per section */
			break;
		case BT_IDB:
			if (body < 8)
				goto bad;
			if (r->n_ifs < MAX_IFACES) {
				struct iface *i = &r->ifs[r->n_ifs++];
				*i = (struct iface){ .linktype = rd16(r, b), .snaplen = rd32(r, b + 4),
				    .tsresol = 6 };
				read_idb_options(r, i, b + 8, body - 8);
			}
			break;
		case BT_EPB: {
			if (body < 20)
				goto bad;
			uint64_t ts = (uint64_t)rd32(r, b + 4) << 32 | rd32(r, b + 8);
			rc = packet(r, rd32(r, b), ts, rd32(r, b + 12), rd32(r, b + 16),
			    b + 20, body - 20, f, errbuf);
			if (rc != 0)
				return rc;
			break;
		}
		case BT_OPB: {
			if (body < 20)
				goto bad;
			uint64_t ts = (uint64_t)rd32(r, b + 4) << 32 | rd32(r, b + 8);
			rc = packet(r, rd16(r, b), ts, rd32(r, b + 12), rd32(r, b + 16),
			    b + 20, body - 20, f, errbuf);
			if (rc != 0)
				return rc;
			break;
		}
		case BT_SPB: {
			if (body < 4 || r->n_ifs == 0)
				goto bad;
			uint32_t wire = rd32(r, b);
			uint32_t cap = (uint32_t)(body - 4);
			if (wire < cap)
				cap = wire;
			if (r->ifs[0].snaplen && cap > r->ifs[0].snaplen)
				cap = r->ifs[0].snaplen;
			/* simple packet blocks carry no time */
			rc = packet(r, 0, 0, cap, wire, b + 4, body - 4, f, errbuf);
			if (rc != 0)
				return rc;
			break;
		}
		default:
			r->st->unknown_blocks++;
			break;
		}
	}
bad:
	snprintf(errbuf, SL_ERRBUF_SIZE, "pcapng block too short");
	return -1;
}

static void
ng_close(struct sl_reader *rd)
{
	struct ng_reader *r = (struct ng_reader *)(void *)rd;
	fclose(r->fp);
	free(r->buf);
	free(r);
}

struct sl_reader *
sl_reader_pcapng(FILE *fp, struct sl_input_stats *st, char *errbuf)
{
	struct ng_reader *r = calloc(1, sizeof *r);
	uint8_t *buf = malloc(MAX_BLOCK);
	if (r == NULL || buf == NULL) {
		free(r);
		free(buf);
		fclose(fp);
		snprintf(errbuf, SL_ERRBUF_SIZE, "out of memory");
		return NULL;
	}
	r->ops.next = ng_next;
	r->ops.close = ng_close;
	r->fp = fp;
	r->st = st;
	r->buf = buf;
	return (struct sl_reader *)(void *)r;
}
