/* test_wav.c: WAV header validation, table-driven with mostly broken
 * headers (truncated, huge sizes, wrong formats), a truncation and
 * bit-flip sweep that must never crash, and writer/reader round trips. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "phone/g711.h"
#include "phone/wav.h"
#include "tests/unit/unit.h"

static SL_TEST_STATE(ts);

/* A field value of 0 means "the consistent default"; Z means an explicit
 * zero. */
#define Z (-2)

struct spec {
	const char *riff, *wave;	/* magic; NULL = "RIFF" / "WAVE" */
	int64_t riff_size;
	int64_t fmt_size;		/* 16, 18 (cbSize) or 40 (extensible) */
	int64_t cb_size;
	int64_t tag, channels, rate, byte_rate, align, bits;
	int64_t data_size;
	int64_t payload;		/* bytes of samples present; default 320 */
	int64_t truncate;		/* final file length */
	int64_t trailing;		/* bytes after the RIFF chunk */
	int list_chunks;		/* 3-byte LIST chunks before fmt */
	int data_first;			/* data chunk before fmt */
	int no_data, two_fmt;
};

static int64_t
pick(int64_t v, int64_t def)
{
	return v == 0 ? def : v == Z ? 0 : v;
}

static void
put16(uint8_t *p, uint64_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void
put32(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Build the file described by s into buf; returns its length. */
static size_t
build(const struct spec *s, uint8_t *buf)
{
	size_t n = 12;
	int64_t tag = pick(s->tag, 1), ch = pick(s->channels, 1);
	int64_t bits = pick(s->bits, tag == 6 || tag == 7 ? 8 : 16);
	int64_t rate = pick(s->rate, 8000), align = pick(s->align, ch * ((bits + 7) / 8));
	int64_t fmt_size = pick(s->fmt_size, 16);
	int64_t payload = pick(s->payload, 320);

	for (int i = 0; i < s->list_chunks; i++) {
		memcpy(buf + n, "LIST", 4);
		put32(buf + n + 4, 3);
		memcpy(buf + n + 8, "abc\0", 4);	/* 3 bytes + pad */
		n += 12;
	}
	uint8_t fmt[64] = { 0 };
	put16(fmt, s->fmt_size == 40 ? 0xfffe : (uint64_t)tag);
	put16(fmt + 2, (uint64_t)ch);
	put32(fmt + 4, (uint64_t)rate);
	put32(fmt + 8, (uint64_t)pick(s->byte_rate, rate * align));
	put16(fmt + 12, (uint64_t)align);
	put16(fmt + 14, (uint64_t)bits);
	if (fmt_size >= 18)
		put16(fmt + 16, (uint64_t)pick(s->cb_size, fmt_size == 40 ? 22 : 0));
	if (fmt_size == 40) {
		static const uint8_t tail[14] = { 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80,
			0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71 };
		put16(fmt + 18, (uint64_t)bits);
		put32(fmt + 20, 4);			/* front centre */
		put16(fmt + 24, (uint64_t)tag);
		memcpy(fmt + 26, tail, sizeof(tail));
	}
	uint8_t data_hdr[8];
	memcpy(data_hdr, "data", 4);
	put32(data_hdr + 4, (uint64_t)pick(s->data_size, payload));

	for (int pass = 0; pass < 3; pass++) {
		bool want_data = (pass == 0 && s->data_first) ||
		    (pass == 2 && !s->data_first && !s->no_data);
		bool want_fmt = pass == 1 || (pass == 2 && s->two_fmt);
		if (want_fmt) {
			memcpy(buf + n, "fmt ", 4);
			put32(buf + n + 4, (uint64_t)fmt_size);
			memcpy(buf + n + 8, fmt, (size_t)fmt_size);
			n += 8 + (size_t)fmt_size;
		}
		if (want_data) {
			memcpy(buf + n, data_hdr, 8);
			n += 8;
			for (int64_t i = 0; i < payload; i++)
				buf[n++] = (uint8_t)(i * 7);
		}
	}
	memcpy(buf, s->riff ? s->riff : "RIFF", 4);
	put32(buf + 4, (uint64_t)pick(s->riff_size, (int64_t)n - 8));
	memcpy(buf + 8, s->wave ? s->wave : "WAVE", 4);
	for (int64_t i = 0; i < s->trailing; i++)
		buf[n++] = 0xee;
	if (s->truncate)
		n = (size_t)pick(s->truncate, 0);
	return n;
}

static const struct {
	const char *name;
	struct spec s;
	enum sl_err want;
	size_t want_n;
	enum sl_wav_format want_fmt;
} rows[] = {
	{ "pcm16", { 0 }, SL_OK, 160, SL_WAV_PCM16 },
	{ "ulaw", { .tag = 7 }, SL_OK, 320, SL_WAV_ULAW },
	{ "alaw", { .tag = 6, .payload = 161 }, SL_OK, 161, SL_WAV_ALAW },
	{ "list chunks before fmt", { .list_chunks = 3 }, SL_OK, 160, SL_WAV_PCM16 },
	{ "fmt 18 cbSize 0", { .fmt_size = 18 }, SL_OK, 160, SL_WAV_PCM16 },
	{ "extensible pcm", { .fmt_size = 40 }, SL_OK, 160, SL_WAV_PCM16 },
	{ "extensible ulaw", { .fmt_size = 40, .tag = 7 }, SL_OK, 320, SL_WAV_ULAW },
	{ "trailing bytes after RIFF", { .trailing = 5 }, SL_OK, 160, SL_WAV_PCM16 },

	{ "empty file", { .truncate = Z }, SL_ETRUNC, 0, 0 },
	{ "11 bytes", { .truncate = 11 }, SL_ETRUNC, 0, 0 },
	{ "cut in the data", { .truncate = 44 + 100 }, SL_ETRUNC, 0, 0 },
	{ "cut in the fmt", { .truncate = 30 }, SL_ETRUNC, 0, 0 },
	{ "riff size 0xffffffff", { .riff_size = 0xffffffff }, SL_ETRUNC, 0, 0 },
	{ "data size 0xfffffff0", { .data_size = 0xfffffff0 }, SL_ETRUNC, 0, 0 },
	{ "riff size cuts the data", { .riff_size = 36 + 8 + 100 }, SL_ETRUNC, 0, 0 },
	{ "data size one too many", { .data_size = 322 }, SL_ETRUNC, 0, 0 },
	{ "RIFX", { .riff = "RIFX" }, SL_EUSAGE, 0, 0 },
	{ "RF64", { .riff = "RF64" }, SL_EUSAGE, 0, 0 },
	{ "not RIFF", { .riff = "JUNK" }, SL_EMALFORMED, 0, 0 },
	{ "not WAVE", { .wave = "AVI " }, SL_EMALFORMED, 0, 0 },
	{ "riff size 2", { .riff_size = 2 }, SL_EMALFORMED, 0, 0 },
	{ "fmt size 14", { .fmt_size = 14 }, SL_EMALFORMED, 0, 0 },
	{ "cbSize past the chunk", { .fmt_size = 18, .cb_size = 4 }, SL_EMALFORMED, 0, 0 },
	{ "extensible cbSize 0", { .fmt_size = 40, .cb_size = Z }, SL_EMALFORMED, 0, 0 },
	{ "stereo", { .channels = 2 }, SL_EUSAGE, 0, 0 },
	{ "zero channels", { .channels = Z, .align = 2 }, SL_EMALFORMED, 0, 0 },
	{ "16 kHz", { .rate = 16000 }, SL_EUSAGE, 0, 0 },
	{ "44.1 kHz", { .rate = 44100 }, SL_EUSAGE, 0, 0 },
	{ "zero rate", { .rate = Z }, SL_EMALFORMED, 0, 0 },
	{ "8-bit pcm", { .bits = 8 }, SL_EUSAGE, 0, 0 },
	{ "24-bit pcm", { .bits = 24, .payload = 321 }, SL_EUSAGE, 0, 0 },
	{ "zero bits", { .bits = Z, .align = 2 }, SL_EMALFORMED, 0, 0 },
	{ "block align wrong", { .align = 4 }, SL_EMALFORMED, 0, 0 },
	{ "byte rate wrong", { .byte_rate = 8000 }, SL_EMALFORMED, 0, 0 },
	{ "float", { .tag = 3, .bits = 32 }, SL_EUSAGE, 0, 0 },
	{ "mp3", { .tag = 0x55 }, SL_EUSAGE, 0, 0 },
	{ "ulaw 16 bits", { .tag = 7, .bits = 16 }, SL_EMALFORMED, 0, 0 },
	{ "data before fmt", { .data_first = 1 }, SL_EMALFORMED, 0, 0 },
	{ "no data chunk", { .no_data = 1 }, SL_EMALFORMED, 0, 0 },
	{ "two fmt chunks", { .two_fmt = 1, .no_data = 1 }, SL_EMALFORMED, 0, 0 },
	{ "odd pcm16 data", { .payload = 321 }, SL_EMALFORMED, 0, 0 },
	{ "no samples", { .payload = Z }, SL_EUSAGE, 0, 0 },
	{ "too many chunks", { .list_chunks = 70 }, SL_EMALFORMED, 0, 0 },
	{ "partial chunk header", { .no_data = 1, .trailing = 4, .riff_size = 32 },
	    SL_ETRUNC, 0, 0 },
};

static void
test_table(void)
{
	static uint8_t buf[4096];
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		size_t n = build(&rows[i].s, buf);
		struct sl_wav w;
		char err[SL_ERRBUF_SIZE] = "";
		enum sl_err e = sl_wav_parse(buf, n, &w, err);
		SL_CHECK_MSG(&ts, e == rows[i].want, "%s: got %d (%s)", rows[i].name, (int)e, err);
		if (e == SL_OK) {
			SL_CHECK_MSG(&ts, w.n == rows[i].want_n, "%s: %zu samples", rows[i].name, w.n);
			SL_CHECK_MSG(&ts, w.format == rows[i].want_fmt, "%s: format %d",
			    rows[i].name, (int)w.format);
		} else {
			SL_CHECK_MSG(&ts, w.pcm == NULL && w.n == 0, "%s: output on error",
			    rows[i].name);
			SL_CHECK_MSG(&ts, err[0] != '\0', "%s: no error text", rows[i].name);
		}
		sl_wav_free(&w);
	}
}

static void
test_decoding(void)
{
	static uint8_t buf[4096];
	struct sl_wav w;
	char err[SL_ERRBUF_SIZE];
	/* payload bytes are i*7: pcm16 samples are little-endian pairs */
	size_t n = build(&(struct spec){ 0 }, buf);
	SL_CHECK(&ts, sl_wav_parse(buf, n, &w, err) == SL_OK);
	SL_CHECK(&ts, w.n == 160 && w.pcm[0] == 0x0700 && w.pcm[1] == 0x150e);
	sl_wav_free(&w);
	n = build(&(struct spec){ .tag = 7 }, buf);
	SL_CHECK(&ts, sl_wav_parse(buf, n, &w, err) == SL_OK);
	SL_CHECK(&ts, w.pcm[1] == sl_g711_ulaw_decode(7) && w.pcm[2] == sl_g711_ulaw_decode(14));
	sl_wav_free(&w);
	n = build(&(struct spec){ .tag = 6 }, buf);
	SL_CHECK(&ts, sl_wav_parse(buf, n, &w, err) == SL_OK);
	SL_CHECK(&ts, w.pcm[1] == sl_g711_alaw_decode(7));
	sl_wav_free(&w);
	/* a fmt chunk declaring far more than the file holds */
	n = build(&(struct spec){ 0 }, buf);
	put32(buf + 16, 0xffffff00u);
	SL_CHECK(&ts, sl_wav_parse(buf, n, &w, err) == SL_ETRUNC);
	SL_CHECK(&ts, strstr(err, "'fmt ' chunk declares 4294967040 bytes") != NULL);
}

/* Every prefix of a valid file, and single-byte corruptions of every
 * header byte: no crash, no leak, and a prefix is never accepted. */
static void
test_sweep(void)
{
	static uint8_t good[4096], buf[4096];
	size_t n = build(&(struct spec){ .list_chunks = 1, .fmt_size = 40 }, good);
	int accepted = 0;
	for (size_t k = 0; k < n; k++) {
		struct sl_wav w;
		char err[SL_ERRBUF_SIZE];
		enum sl_err e = sl_wav_parse(good, k, &w, err);
		accepted += e == SL_OK;
		sl_wav_free(&w);
	}
	SL_CHECK_MSG(&ts, accepted == 0, "%d truncated files accepted", accepted);
	static const uint8_t flips[] = { 0x01, 0x80, 0xff, 0x7f };
	for (size_t pos = 0; pos < 80; pos++) {
		for (size_t f = 0; f < sizeof(flips); f++) {
			memcpy(buf, good, n);
			buf[pos] ^= flips[f];
			struct sl_wav w;
			char err[SL_ERRBUF_SIZE];
			if (sl_wav_parse(buf, n, &w, err) == SL_OK)
				SL_CHECK(&ts, w.n > 0 && w.n <= 160);
			sl_wav_free(&w);
		}
	}
}

static void
test_write_read(void)
{
	char path[512], err[SL_ERRBUF_SIZE];
	snprintf(path, sizeof(path), "%s/test_wav_rec.wav", SL_TEST_TMPDIR);
	struct sl_wav_writer wr;
	SL_CHECK(&ts, sl_wav_writer_open(&wr, path, err) == SL_OK);
	int16_t pcm[1000];
	for (int i = 0; i < 1000; i++)
		pcm[i] = (int16_t)(i * 37 - 16000);
	SL_CHECK(&ts, sl_wav_writer_write(&wr, pcm, 600, err) == SL_OK);
	SL_CHECK(&ts, sl_wav_writer_write(&wr, pcm + 600, 0, err) == SL_OK);
	SL_CHECK(&ts, sl_wav_writer_write(&wr, pcm + 600, 400, err) == SL_OK);
	SL_CHECK(&ts, sl_wav_writer_close(&wr, err) == SL_OK);
	SL_CHECK(&ts, sl_wav_writer_write(&wr, pcm, 1, err) == SL_EIO);
	SL_CHECK(&ts, sl_wav_writer_close(&wr, err) == SL_EIO);

	/* the header's sizes were patched */
	uint8_t h[SL_WAV_HEADER_LEN], want[SL_WAV_HEADER_LEN];
	FILE *f = fopen(path, "rb");
	SL_CHECK(&ts, f && fread(h, 1, sizeof(h), f) == sizeof(h));
	if (f)
		fclose(f);
	sl_wav_header(want, 2000);
	SL_CHECK(&ts, memcmp(h, want, sizeof(h)) == 0);
	SL_CHECK(&ts, h[4] == (uint8_t)(2036 & 0xff) && h[5] == 2036 >> 8 &&
	    h[40] == (2000 & 0xff) && h[41] == 2000 >> 8);

	struct sl_wav w;
	SL_CHECK(&ts, sl_wav_load(path, 0, &w, err) == SL_OK);
	SL_CHECK(&ts, w.n == 1000 && w.format == SL_WAV_PCM16 &&
	    memcmp(w.pcm, pcm, sizeof(pcm)) == 0);
	sl_wav_free(&w);
	sl_wav_free(&w);	/* idempotent on a zeroed struct */

	/* a limit below the file size is refused before parsing */
	SL_CHECK(&ts, sl_wav_load(path, 1000, &w, err) == SL_EUSAGE);
	SL_CHECK(&ts, strstr(err, "larger than") != NULL && strstr(err, path) == err);
	SL_CHECK(&ts, sl_wav_load(path, 2044, &w, err) == SL_OK);
	sl_wav_free(&w);
	SL_CHECK(&ts, sl_wav_load(path, 2043, &w, err) == SL_EUSAGE);

	/* an unclosed recording (zero sizes) is a WAV with no samples */
	SL_CHECK(&ts, sl_wav_writer_open(&wr, path, err) == SL_OK);
	fflush(wr.f);
	SL_CHECK(&ts, sl_wav_load(path, 0, &w, err) == SL_EUSAGE);
	SL_CHECK(&ts, strstr(err, "no audio samples") != NULL);
	SL_CHECK(&ts, sl_wav_writer_close(&wr, err) == SL_OK);
	remove(path);

	SL_CHECK(&ts, sl_wav_load("/nonexistent/x.wav", 0, &w, err) == SL_EIO);
	SL_CHECK(&ts, strstr(err, "/nonexistent/x.wav: ") == err);
	SL_CHECK(&ts, sl_wav_writer_open(&wr, "/nonexistent/x.wav", err) == SL_EIO);
}

int
main(void)
{
	test_table();
	test_decoding();
	test_sweep();
	test_write_read();
	return sl_test_report(&ts, "wav");
}
