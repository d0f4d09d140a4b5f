/* wav.c: RIFF/WAVE reading and writing; see wav.h for what is accepted.
 * Layout (little-endian): "RIFF" size "WAVE", then chunks of
 * id(4) size(4) data(size) [pad to even]; "fmt " must precede "data". */
#include "phone/wav.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "phone/g711.h"

/* WAVE_FORMAT_EXTENSIBLE: the real tag is in the sub-format GUID, whose
 * last 14 bytes are fixed (KSDATAFORMAT_SUBTYPE_*). */
#define WAV_EXTENSIBLE 0xfffe
#define WAV_FLOAT 3
static const uint8_t guid_tail[14] = {
	0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00,
	0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71
};

static enum sl_err
fail(char *errbuf, enum sl_err e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum sl_err
fail(char *errbuf, enum sl_err e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(errbuf, SL_ERRBUF_SIZE, fmt, ap);
	va_end(ap);
	return e;
}

static uint16_t
le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void
put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* ---- reading --------------------------------------------------------- */

struct fmt {
	uint16_t tag;
	uint16_t channels;
	uint32_t rate;
	uint32_t byte_rate;
	uint16_t block_align;
	uint16_t bits;
};

static enum sl_err
parse_fmt(const uint8_t *p, uint32_t size, struct fmt *f, char *errbuf)
{
	if (size < 16)
		return fail(errbuf, SL_EMALFORMED, "fmt chunk is %u bytes, needs 16",
		    (unsigned)size);
	f->tag = le16(p);
	f->channels = le16(p + 2);
	f->rate = le32(p + 4);
	f->byte_rate = le32(p + 8);
	f->block_align = le16(p + 12);
	f->bits = le16(p + 14);
	if (size >= 18 && le16(p + 16) > size - 18)
		return fail(errbuf, SL_EMALFORMED,
		    "fmt extension size %u exceeds the chunk", (unsigned)le16(p + 16));
	if (f->tag == WAV_EXTENSIBLE) {
		/* cbSize 22: valid bits(2) channel mask(4) GUID(16) */
		if (size < 40 || le16(p + 16) < 22)
			return fail(errbuf, SL_EMALFORMED,
			    "WAVE_FORMAT_EXTENSIBLE fmt chunk too short");
		if (le16(p + 18) != f->bits)
			return fail(errbuf, SL_EUSAGE,
			    "%u valid bits in %u-bit samples not supported",
			    (unsigned)le16(p + 18), (unsigned)f->bits);
		if (memcmp(p + 26, guid_tail, sizeof(guid_tail)) != 0)
			return fail(errbuf, SL_EUSAGE,
			    "unknown WAVE_FORMAT_EXTENSIBLE sub-format");
		f->tag = le16(p + 24);
	}
	if (f->channels == 0 || f->rate == 0 || f->bits == 0)
		return fail(errbuf, SL_EMALFORMED,
		    "fmt chunk has zero channels, rate or bits");
	if ((uint32_t)f->block_align != (uint32_t)f->channels * ((f->bits + 7u) / 8u))
		return fail(errbuf, SL_EMALFORMED,
		    "block align %u does not match %u channels of %u bits",
		    (unsigned)f->block_align, (unsigned)f->channels, (unsigned)f->bits);
	if ((uint64_t)f->byte_rate != (uint64_t)f->rate * f->block_align)
		return fail(errbuf, SL_EMALFORMED,
		    "byte rate %lu does not match %lu Hz x %u bytes",
		    (unsigned long)f->byte_rate, (unsigned long)f->rate,
		    (unsigned)f->block_align);
	switch (f->tag) {
	case SL_WAV_PCM16:
		if (f->bits != 16)
			return fail(errbuf, SL_EUSAGE,
			    "%u-bit PCM not supported (16-bit only)", (unsigned)f->bits);
		break;
	case SL_WAV_ALAW:
	case SL_WAV_ULAW:
		if (f->bits != 8)
			return fail(errbuf, SL_EMALFORMED, "G.711 with %u bits per sample",
			    (unsigned)f->bits);
		break;
	case WAV_FLOAT:
		return fail(errbuf, SL_EUSAGE, "IEEE float samples not supported");
	default:
		return fail(errbuf, SL_EUSAGE, "format tag 0x%04x not supported",
		    (unsigned)f->tag);
	}
	if (f->channels != 1)
		return fail(errbuf, SL_EUSAGE, "%u channels (mono only)",
		    (unsigned)f->channels);
	if (f->rate != SL_WAV_RATE)
		return fail(errbuf, SL_EUSAGE, "%lu Hz (8000 Hz only)",
		    (unsigned long)f->rate);
	return SL_OK;
}

static enum sl_err
decode_data(const uint8_t *p, uint32_t size, const struct fmt *f,
    struct sl_wav *out, char *errbuf)
{
	if (size % f->block_align != 0)
		return fail(errbuf, SL_EMALFORMED,
		    "data size %lu is not a multiple of %u",
		    (unsigned long)size, (unsigned)f->block_align);
	size_t n = size / f->block_align;
	if (n == 0)
		return fail(errbuf, SL_EUSAGE, "no audio samples");
	int16_t *pcm = malloc(n * sizeof(*pcm));
	if (pcm == NULL)
		return fail(errbuf, SL_ENOMEM, "out of memory for %zu samples", n);
	if (f->tag == SL_WAV_PCM16) {
		for (size_t i = 0; i < n; i++)
			pcm[i] = (int16_t)le16(p + 2 * i);
	} else {
		sl_g711_decode(f->tag == SL_WAV_ALAW ? SL_G711_PCMA : SL_G711_PCMU,
		    p, n, pcm);
	}
	out->format = (enum sl_wav_format)f->tag;
	out->pcm = pcm;
	out->n = n;
	return SL_OK;
}

enum sl_err
sl_wav_parse(const uint8_t *p, size_t n, struct sl_wav *out, char *errbuf)
{
	*out = (struct sl_wav){ 0 };
	if (n < 12)
		return fail(errbuf, SL_ETRUNC, "%zu bytes: shorter than a RIFF header", n);
	if (memcmp(p, "RIFX", 4) == 0 || memcmp(p, "RF64", 4) == 0)
		return fail(errbuf, SL_EUSAGE, "%.4s files not supported", (const char *)p);
	if (memcmp(p, "RIFF", 4) != 0)
		return fail(errbuf, SL_EMALFORMED, "not a RIFF file");
	if (memcmp(p + 8, "WAVE", 4) != 0)
		return fail(errbuf, SL_EMALFORMED, "RIFF file but not WAVE");
	uint32_t riff = le32(p + 4);
	if (riff < 4)
		return fail(errbuf, SL_EMALFORMED, "RIFF size %lu too small",
		    (unsigned long)riff);
	if (riff > n - 8)
		return fail(errbuf, SL_ETRUNC, "RIFF size %lu but only %zu bytes follow",
		    (unsigned long)riff, n - 8);
	size_t end = (size_t)riff + 8;	/* trailing bytes past RIFF are ignored */
	size_t off = 12;
	struct fmt f = { 0 };	/* gcc -O2 cannot see have_fmt guard it */
	bool have_fmt = false;
	for (int chunks = 0; chunks < SL_WAV_MAX_CHUNKS; chunks++) {
		if (end - off < 8) {
			if (end - off != 0)
				return fail(errbuf, SL_ETRUNC, "partial chunk header at %zu", off);
			return fail(errbuf, SL_EMALFORMED,
			    have_fmt ? "no data chunk" : "no fmt chunk");
		}
		const uint8_t *id = p + off;
		uint32_t size = le32(p + off + 4);
		off += 8;
		if (size > end - off)
			return fail(errbuf, SL_ETRUNC,
			    "'%.4s' chunk declares %lu bytes, %zu left", (const char *)id,
			    (unsigned long)size, end - off);
		if (memcmp(id, "fmt ", 4) == 0) {
			if (have_fmt)
				return fail(errbuf, SL_EMALFORMED, "two fmt chunks");
			enum sl_err e = parse_fmt(p + off, size, &f, errbuf);
			if (e != SL_OK)
				return e;
			have_fmt = true;
		} else if (memcmp(id, "data", 4) == 0) {
			if (!have_fmt)
				return fail(errbuf, SL_EMALFORMED, "data chunk before fmt");
			return decode_data(p + off, size, &f, out, errbuf);
		}
		/* other chunks (LIST, fact, cue) carry nothing we play */
		off += size;
		if ((size & 1) && off < end)
			off++;	/* RIFF pads chunks to even length */
	}
	return fail(errbuf, SL_EMALFORMED, "more than %d chunks before data",
	    SL_WAV_MAX_CHUNKS);
}

void
sl_wav_free(struct sl_wav *w)
{
	free(w->pcm);
	*w = (struct sl_wav){ 0 };
}

enum sl_err
sl_wav_load(const char *path, size_t max_bytes, struct sl_wav *out,
    char *errbuf)
{
	*out = (struct sl_wav){ 0 };
	if (max_bytes == 0 || max_bytes > SL_WAV_MAX_BYTES)
		max_bytes = SL_WAV_MAX_BYTES;
	FILE *fp = fopen(path, "rb");
	if (fp == NULL)
		return fail(errbuf, SL_EIO, "%s: %s", path, strerror(errno));
	/* read in growing steps so pipes work too; one byte past the limit
	 * tells "too large" from "exactly the limit" */
	size_t cap = 0, n = 0;
	uint8_t *buf = NULL;
	enum sl_err e = SL_OK;
	for (;;) {
		if (n == cap) {
			if (cap > max_bytes) {
				e = fail(errbuf, SL_EUSAGE, "%s: larger than %zu bytes",
				    path, max_bytes);
				break;
			}
			size_t ncap = cap ? cap * 2 : 65536;
			if (ncap > max_bytes + 1)
				ncap = max_bytes + 1;
			uint8_t *nb = realloc(buf, ncap);
			if (nb == NULL) {
				e = fail(errbuf, SL_ENOMEM, "%s: out of memory", path);
				break;
			}
			buf = nb;
			cap = ncap;
		}
		size_t got = fread(buf + n, 1, cap - n, fp);
		n += got;
		if (got == 0) {
			if (ferror(fp))
				e = fail(errbuf, SL_EIO, "%s: read error", path);
			break;
		}
	}
	fclose(fp);
	if (e == SL_OK && n > max_bytes)
		e = fail(errbuf, SL_EUSAGE, "%s: larger than %zu bytes", path, max_bytes);
	if (e == SL_OK) {
		char why[SL_ERRBUF_SIZE];
		e = sl_wav_parse(buf, n, out, why);
		if (e != SL_OK)
			fail(errbuf, e, "%s: %s", path, why);
	}
	free(buf);
	return e;
}

/* ---- writing --------------------------------------------------------- */

void
sl_wav_header(uint8_t out[SL_WAV_HEADER_LEN], uint32_t data_bytes)
{
	memcpy(out, "RIFF", 4);
	put32(out + 4, 36 + data_bytes);	/* 16-bit data: never odd, no pad */
	memcpy(out + 8, "WAVE", 4);
	memcpy(out + 12, "fmt ", 4);
	put32(out + 16, 16);
	put16(out + 20, SL_WAV_PCM16);
	put16(out + 22, 1);			/* mono */
	put32(out + 24, SL_WAV_RATE);
	put32(out + 28, SL_WAV_RATE * 2);	/* byte rate */
	put16(out + 32, 2);			/* block align */
	put16(out + 34, 16);			/* bits */
	memcpy(out + 36, "data", 4);
	put32(out + 40, data_bytes);
}

enum sl_err
sl_wav_writer_open(struct sl_wav_writer *w, const char *path, char *errbuf)
{
	*w = (struct sl_wav_writer){ 0 };
	FILE *fp = fopen(path, "wb");
	if (fp == NULL)
		return fail(errbuf, SL_EIO, "%s: %s", path, strerror(errno));
	uint8_t h[SL_WAV_HEADER_LEN];
	sl_wav_header(h, 0);
	if (fwrite(h, 1, sizeof(h), fp) != sizeof(h)) {
		fclose(fp);
		return fail(errbuf, SL_EIO, "%s: write error", path);
	}
	w->f = fp;
	return SL_OK;
}

enum sl_err
sl_wav_writer_write(struct sl_wav_writer *w, const int16_t *pcm, size_t n,
    char *errbuf)
{
	if (w->f == NULL || w->failed)
		return fail(errbuf, SL_EIO, "WAV writer not open");
	if (n > (SL_WAV_MAX_DATA - w->data_bytes) / 2)
		return fail(errbuf, SL_ENOMEM, "WAV size limit reached");
	uint8_t tmp[512];
	for (size_t i = 0; i < n;) {
		size_t k = 0;
		for (; k < sizeof(tmp) / 2 && i < n; k++, i++)
			put16(tmp + 2 * k, (uint16_t)pcm[i]);
		if (fwrite(tmp, 2, k, w->f) != k) {
			w->failed = true;
			return fail(errbuf, SL_EIO, "WAV write error");
		}
		w->data_bytes += (uint32_t)(2 * k);
	}
	return SL_OK;
}

enum sl_err
sl_wav_writer_close(struct sl_wav_writer *w, char *errbuf)
{
	if (w->f == NULL)
		return fail(errbuf, SL_EIO, "WAV writer not open");
	uint8_t h[SL_WAV_HEADER_LEN];
	sl_wav_header(h, w->data_bytes);
	bool ok = !w->failed && fseek(w->f, 0, SEEK_SET) == 0 &&
	    fwrite(h, 1, sizeof(h), w->f) == sizeof(h);
	if (fclose(w->f) != 0)
		ok = false;
	w->f = NULL;
	if (!ok)
		return fail(errbuf, SL_EIO, "WAV write error");
	return SL_OK;
}
