/* pcapw.c: see pcapw.h. Formats: pcap (wiki.wireshark.org/Development/
 * LibpcapFileFormat) and pcapng (draft-ietf-opsawg-pcapng). */
#include "tests/gen/pcapw.h"

#include <string.h>

#define NS_PER_US 1000u
#define NS_PER_SEC 1000000000u

/* Small header assembler so the byte order is a property of the file,
 * never of the host that writes it. */
struct hdr {
	uint8_t b[64];
	size_t n;
	bool big;
};

static void
put8(struct hdr *h, uint8_t v)
{
	if (h->n < sizeof(h->b))
		h->b[h->n++] = v;
}

static void
put16(struct hdr *h, uint16_t v)
{
	if (h->big) {
		put8(h, (uint8_t)(v >> 8));
		put8(h, (uint8_t)v);
	} else {
		put8(h, (uint8_t)v);
		put8(h, (uint8_t)(v >> 8));
	}
}

static void
put32(struct hdr *h, uint32_t v)
{
	if (h->big) {
		put16(h, (uint16_t)(v >> 16));
		put16(h, (uint16_t)v);
	} else {
		put16(h, (uint16_t)v);
		put16(h, (uint16_t)(v >> 16));
	}
}

static void
out(struct slg_pcapw *w, const void *p, size_t n)
{
	if (n == 0 || w->err)
		return;
	if (fwrite(p, 1, n, w->f) != n)
		w->err = true;
	w->nbytes += n;
}

static FILE *
open_out(const char *path)
{
	FILE *f = fopen(path, "wb");

	/* Large stdio buffer: the bench writes over a gigabyte in small
	 * records, and per-record write(2) calls would dominate. */
	if (f != NULL)
		setvbuf(f, NULL, _IOFBF, 1u << 20);
	return f;
}

int
slg_pcap_open(struct slg_pcapw *w, const char *path, uint32_t linktype,
    uint32_t snaplen, bool nsec, bool big)
{
	struct hdr h = { .n = 0, .big = big };

	memset(w, 0, sizeof(*w));
	w->f = open_out(path);
	if (w->f == NULL)
		return -1;
	w->nsec = nsec;
	w->big = big;
	w->snaplen = snaplen;
	put32(&h, nsec ? 0xa1b23c4du : 0xa1b2c3d4u);
	put16(&h, 2);
	put16(&h, 4);
	put32(&h, 0);		/* thiszone: timestamps are UTC */
	put32(&h, 0);		/* sigfigs */
	put32(&h, snaplen);
	put32(&h, linktype);
	out(w, h.b, h.n);
	return w->err ? -1 : 0;
}

/* pcapng option: code, length, value padded to 32 bits. */
static void
ng_opt(struct slg_pcapw *w, uint16_t code, const void *val, uint16_t len)
{
	struct hdr h = { .n = 0, .big = false };
	static const uint8_t zero[4];

	put16(&h, code);
	put16(&h, len);
	out(w, h.b, h.n);
	out(w, val, len);
	out(w, zero, (size_t)((4u - len % 4u) % 4u));
}

static uint32_t
ng_optlen(size_t len)
{
	return (uint32_t)(4 + (len + 3) / 4 * 4);
}

int
slg_pcapng_open(struct slg_pcapw *w, const char *path)
{
	static const char app[] = "slgen (sipladder capture generator)";
	struct hdr h = { .n = 0, .big = false };
	uint32_t blen = 28 + ng_optlen(sizeof(app) - 1) + 4;

	memset(w, 0, sizeof(*w));
	w->f = open_out(path);
	if (w->f == NULL)
		return -1;
	w->ng = true;
	put32(&h, 0x0a0d0d0au);
	put32(&h, blen);
	put32(&h, 0x1a2b3c4du);	/* byte-order magic: little-endian section */
	put16(&h, 1);
	put16(&h, 0);
	put32(&h, 0xffffffffu);	/* section length unknown */
	put32(&h, 0xffffffffu);
	out(w, h.b, h.n);
	ng_opt(w, 4, app, (uint16_t)(sizeof(app) - 1));	/* shb_userappl */
	ng_opt(w, 0, NULL, 0);				/* opt_endofopt */
	h.n = 0;
	put32(&h, blen);
	out(w, h.b, h.n);
	return w->err ? -1 : 0;
}

int
slg_pcapng_add_if(struct slg_pcapw *w, uint16_t linktype, uint32_t snaplen,
    unsigned tsresol, const char *name)
{
	struct hdr h = { .n = 0, .big = false };
	size_t nlen = name ? strlen(name) : 0;
	uint32_t blen = 20;	/* 16 bytes of header + trailing length */
	uint8_t res = (uint8_t)tsresol;

	if (!w->ng || w->nif >= SLG_PCAPW_MAXIF ||
	    (tsresol != 6 && tsresol != 9) || nlen > 255)
		return -1;
	if (nlen > 0)
		blen += ng_optlen(nlen);
	if (tsresol != 6)
		blen += ng_optlen(1);
	if (nlen > 0 || tsresol != 6)
		blen += 4;
	put32(&h, 1);
	put32(&h, blen);
	put16(&h, linktype);
	put16(&h, 0);
	put32(&h, snaplen);
	out(w, h.b, h.n);
	if (nlen > 0)
		ng_opt(w, 2, name, (uint16_t)nlen);	/* if_name */
	if (tsresol != 6)
		ng_opt(w, 9, &res, 1);			/* if_tsresol */
	if (nlen > 0 || tsresol != 6)
		ng_opt(w, 0, NULL, 0);
	h.n = 0;
	put32(&h, blen);
	out(w, h.b, h.n);
	w->tsres[w->nif] = res;
	return w->err ? -1 : (int)w->nif++;
}

int
slg_pcapw_write(struct slg_pcapw *w, unsigned ifid, uint64_t t_ns,
    const uint8_t *data, uint32_t caplen, uint32_t wirelen)
{
	struct hdr h = { .n = 0, .big = w->big };
	static const uint8_t zero[4];

	if (w->ng) {
		uint64_t ts;
		uint32_t pad = (4 - caplen % 4) % 4;

		if (ifid >= w->nif)
			return -1;
		ts = w->tsres[ifid] == 9 ? t_ns : t_ns / NS_PER_US;
		put32(&h, 6);
		put32(&h, 32 + caplen + pad);
		put32(&h, ifid);
		put32(&h, (uint32_t)(ts >> 32));
		put32(&h, (uint32_t)ts);
		put32(&h, caplen);
		put32(&h, wirelen);
		out(w, h.b, h.n);
		out(w, data, caplen);
		out(w, zero, pad);
		h.n = 0;
		put32(&h, 32 + caplen + pad);
		out(w, h.b, h.n);
	} else {
		uint64_t sec = t_ns / NS_PER_SEC;
		uint64_t sub = t_ns % NS_PER_SEC;

		if (ifid != 0)
			return -1;
		put32(&h, (uint32_t)sec);
		put32(&h, (uint32_t)(w->nsec ? sub : sub / NS_PER_US));
		put32(&h, caplen);
		put32(&h, wirelen);
		out(w, h.b, h.n);
		out(w, data, caplen);
	}
	w->npackets++;
	return w->err ? -1 : 0;
}

int
slg_pcapw_flush(struct slg_pcapw *w)
{
	if (!w->err && fflush(w->f) != 0)
		w->err = true;
	return w->err ? -1 : 0;
}

int
slg_pcapw_close(struct slg_pcapw *w)
{
	int rc = w->err ? -1 : 0;

	if (w->f != NULL && fclose(w->f) != 0)
		rc = -1;
	w->f = NULL;
	return rc;
}
