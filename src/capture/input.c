/* input.c: opens every capture, tells pcap from pcapng by the magic
 * number, and merges the files by timestamp. stdin cannot be rewound,
 * so its magic bytes are replayed through a small cookie stream. */
#define _GNU_SOURCE	/* fopencookie */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "capture/source.h"

#define MAX_WARN 16

struct src {
	struct sl_reader *r;
	const char *path;
	struct sl_frame cur;
	bool have;
	bool done;
	uint64_t frames;
	int64_t last_ts;
};

struct sl_input {
	struct src *s;
	size_t n;
	struct sl_input_stats st;
	char warn[MAX_WARN][SL_ERRBUF_SIZE + 64];
	size_t n_warn;
	char bad[MAX_WARN][SL_ERRBUF_SIZE];	/* captures that could not be read */
	size_t n_bad;				/* all of them, listed or not */
};

/* ---- stdin with its first bytes pushed back ---- */

struct replay {
	FILE *under;
	uint8_t head[4];
	size_t n, off;
};

static ssize_t
replay_read(void *cookie, char *buf, size_t size)
{
	struct replay *rp = cookie;
	if (rp->off < rp->n) {
		size_t k = rp->n - rp->off < size ? rp->n - rp->off : size;
		memcpy(buf, rp->head + rp->off, k);
		rp->off += k;
		return (ssize_t)k;
	}
	return (ssize_t)fread(buf, 1, size, rp->under);
}

static int
replay_close(void *cookie)
{
	free(cookie);	/* stdin itself stays open */
	return 0;
}

static FILE *
replay_open(FILE *under, const uint8_t *head, size_t n)
{
	struct replay *rp = calloc(1, sizeof *rp);
	if (rp == NULL)
		return NULL;
	rp->under = under;
	memcpy(rp->head, head, n);
	rp->n = n;
	cookie_io_functions_t io = { .read = replay_read, .close = replay_close };
	FILE *fp = fopencookie(rp, "r", io);
	if (fp == NULL)
		free(rp);
	return fp;
}

/* Takes fp (closed on failure, except stdin, which stays open). */
static struct sl_reader *
open_stream(struct sl_input *in, FILE *fp, char *why)
{
	bool is_stdin = fp == stdin;
	uint8_t magic[4];
	size_t got = fread(magic, 1, 4, fp);
	if (got < 4) {
		snprintf(why, SL_ERRBUF_SIZE, ferror(fp) ? "%s" : "file too short to be a capture",
		    strerror(errno));
		if (!is_stdin)
			fclose(fp);
		return NULL;
	}
	if (is_stdin) {
		fp = replay_open(stdin, magic, 4);
		if (fp == NULL) {
			snprintf(why, SL_ERRBUF_SIZE, "out of memory");
			return NULL;
		}
	} else {
		rewind(fp);
	}
	uint32_t m;
	memcpy(&m, magic, 4);
	if (m == 0x0A0D0D0Au)
		return sl_reader_pcapng(fp, &in->st, why);
	return sl_reader_pcap(fp, why);
}

static struct sl_reader *
open_one(struct sl_input *in, const char *path, char *why)
{
	FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (fp == NULL) {
		snprintf(why, SL_ERRBUF_SIZE, "%s", strerror(errno));
		return NULL;
	}
	return open_stream(in, fp, why);
}

void
sl_input_close(struct sl_input *in)
{
	if (in == NULL)
		return;
	for (size_t i = 0; i < in->n; i++)
		if (in->s[i].r)
			in->s[i].r->close(in->s[i].r);
	free(in->s);
	free(in);
}

/* fp == NULL: open paths[i]; else read fp, named paths[0]. */
static enum sl_err
open_all(struct sl_input **out, const char *const *paths, size_t n, FILE *fp,
    char *errbuf)
{
	*out = NULL;
	struct sl_input *in = calloc(1, sizeof *in);
	if (in == NULL || (in->s = calloc(n ? n : 1, sizeof *in->s)) == NULL) {
		free(in);
		if (fp)
			fclose(fp);
		snprintf(errbuf, SL_ERRBUF_SIZE, "out of memory");
		return SL_ENOMEM;
	}
	in->n = n;
	for (size_t i = 0; i < n; i++) {
		char why[SL_ERRBUF_SIZE] = "";
		in->s[i].path = paths[i];
		in->s[i].r = fp ? open_stream(in, fp, why) : open_one(in, paths[i], why);
		if (in->s[i].r != NULL)
			continue;
		/* the path first: that is what the user must fix; the other
		 * captures are still read (sl_input_unreadable) */
		snprintf(errbuf, SL_ERRBUF_SIZE, "%.*s: %.*s", SL_ERRBUF_SIZE / 2,
		    strcmp(paths[i], "-") ? paths[i] : "stdin", SL_ERRBUF_SIZE / 2 - 3, why);
		if (in->n_bad < MAX_WARN)
			memcpy(in->bad[in->n_bad], errbuf, SL_ERRBUF_SIZE);
		in->n_bad++;
		in->s[i].done = true;
	}
	if (fp != NULL && in->n_bad) {
		sl_input_close(in);
		return SL_EIO;
	}
	*out = in;
	return SL_OK;
}

enum sl_err
sl_input_open(struct sl_input **out, const char *const *paths, size_t n, char *errbuf)
{
	return open_all(out, paths, n, NULL, errbuf);
}

enum sl_err
sl_input_open_fp(struct sl_input **out, FILE *fp, const char *name, char *errbuf)
{
	return open_all(out, &name, 1, fp, errbuf);
}

static void
warn(struct sl_input *in, const struct src *s, const char *why)
{
	if (in->n_warn < MAX_WARN)
		snprintf(in->warn[in->n_warn++], sizeof in->warn[0],
		    "%.*s: %.*s after %llu frames; rest of file ignored", SL_ERRBUF_SIZE / 2,
		    strcmp(s->path, "-") ? s->path : "stdin", SL_ERRBUF_SIZE / 2, why,
		    (unsigned long long)s->frames);
}

/* Makes sure s->cur holds the file's next frame unless it is done. */
static void
fill(struct sl_input *in, struct src *s)
{
	if (s->have || s->done)
		return;
	/* runs per frame: only the terminator needs setting, not 256 bytes */
	char why[SL_ERRBUF_SIZE];
	why[0] = '\0';
	bool truncated = false;
	int rc = s->r->next(s->r, &s->cur, why, &truncated);
	if (rc == 1) {
		s->have = true;
		s->cur.file = (unsigned)(s - in->s);
		if (s->cur.ts_ns > SL_TS_LIMIT)
			s->cur.ts_ns = SL_TS_LIMIT;
		else if (s->cur.ts_ns < -SL_TS_LIMIT)
			s->cur.ts_ns = -SL_TS_LIMIT;
		if (s->frames && s->cur.ts_ns < s->last_ts)
			in->st.out_of_order++;
		s->last_ts = s->cur.ts_ns;
		s->frames++;
		return;
	}
	s->done = true;
	if (rc < 0) {
		if (truncated)
			in->st.truncated_files++;
		else
			in->st.corrupt_files++;
		warn(in, s, why);
	}
}

enum sl_err
sl_input_next(struct sl_input *in, struct sl_frame *f, bool *eof)
{
	struct src *best = NULL;
	for (size_t i = 0; i < in->n; i++) {
		struct src *s = &in->s[i];
		fill(in, s);
		if (s->have && (best == NULL || s->cur.ts_ns < best->cur.ts_ns))
			best = s;
	}
	*eof = best == NULL;
	if (best) {
		*f = best->cur;
		/* the data stays valid: the reader is not advanced until the
		 * next call, when fill() runs again for this file */
		best->have = false;
	}
	return SL_OK;
}

const struct sl_input_stats *
sl_input_stats(const struct sl_input *in)
{
	return &in->st;
}

size_t
sl_input_unreadable(const struct sl_input *in, const char **lines, size_t n, size_t *total)
{
	size_t k = 0;
	for (; k < in->n_bad && k < MAX_WARN && k < n; k++)
		lines[k] = in->bad[k];
	*total = in->n_bad;
	return k;
}

size_t
sl_input_warnings(const struct sl_input *in, const char **lines, size_t n)
{
	size_t k = 0;
	for (; k < in->n_warn && k < n; k++)
		lines[k] = in->warn[k];
	return k;
}
