/* input.c: opens every capture, tells pcap from pcapng by the magic
 * number, and merges the files by timestamp. A regular stdin cannot be
 * rewound, so its magic bytes are replayed through a small cookie
 * stream; a pipe (or FIFO, socket, terminal) is read through pipein.c,
 * which never blocks, and is opened once its file header has come. */
#define _GNU_SOURCE	/* fopencookie */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture/pcapfmt.h"
#include "capture/pipein.h"
#include "capture/source.h"

#define MAX_WARN 16
#define IOBUF (1u << 20)

struct src {
	struct sl_reader *r;
	struct sl_pipein *pipe;	/* a stream whose reader is not open yet */
	int fd;			/* a stream's or interface's descriptor; -1 for files */
	bool live;		/* an interface: frames as they come, never waited for */
	uint64_t taken;		/* stream records the reader has gone past */
	char *iobuf;		/* the FILE's buffer: freed after the reader */
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
	if (m == SL_PCAPNG_SHB)
		return sl_reader_pcapng(fp, &in->st, why);
	return sl_reader_pcap(fp, why);
}

/* A regular file gets its reader now; anything else (a pipe, FIFO,
 * socket or terminal) gets s->pipe, and its reader once its header came. */
static bool
open_one(struct sl_input *in, struct src *s, const char *path, char *why)
{
	bool is_stdin = strcmp(path, "-") == 0;
	int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) != 0) {
		snprintf(why, SL_ERRBUF_SIZE, "%s", strerror(errno));
		if (fd >= 0 && !is_stdin)
			close(fd);
		return false;
	}
	if (!S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode)) {
		s->pipe = sl_pipein_new(fd, !is_stdin);
		if (s->pipe == NULL) {
			snprintf(why, SL_ERRBUF_SIZE, "out of memory");
			if (!is_stdin)
				close(fd);
			return false;
		}
		s->fd = fd;
		return true;
	}
	FILE *fp = is_stdin ? stdin : fdopen(fd, "rb");
	if (fp == NULL) {
		snprintf(why, SL_ERRBUF_SIZE, "%s", strerror(errno));
		close(fd);
		return false;
	}
	/* libpcap freads each record header and body on its own; with
	 * stdio's 4 KiB buffer that is a read(2) per 4 KiB, a third of the
	 * analysis on a virtual machine. A large buffer of our own (glibc
	 * ignores the size when it allocates) makes it one per MiB. Before
	 * any other I/O on fp, as setvbuf requires. */
	if (!is_stdin && (s->iobuf = malloc(IOBUF)) != NULL)
		setvbuf(fp, s->iobuf, _IOFBF, IOBUF);
	s->r = open_stream(in, fp, why);
	return s->r != NULL;
}

void
sl_input_close(struct sl_input *in)
{
	if (in == NULL)
		return;
	for (size_t i = 0; i < in->n; i++) {
		if (in->s[i].r)
			in->s[i].r->close(in->s[i].r);	/* frees its pipe too */
		else
			sl_pipein_free(in->s[i].pipe);
		free(in->s[i].iobuf);	/* the FILE using it is closed */
	}
	free(in->s);
	free(in);
}

/* Names the capture that cannot be read, path first: that is what the
 * user must fix; the other captures are still read (sl_input_unreadable). */
static void
unreadable(struct sl_input *in, struct src *s, const char *why, char *errbuf)
{
	char line[SL_ERRBUF_SIZE];
	snprintf(line, sizeof line, "%.*s: %.*s", SL_ERRBUF_SIZE / 2,
	    strcmp(s->path, "-") ? s->path : "stdin", SL_ERRBUF_SIZE / 2 - 3, why);
	if (errbuf)
		memcpy(errbuf, line, SL_ERRBUF_SIZE);
	if (in->n_bad < MAX_WARN)
		memcpy(in->bad[in->n_bad], line, SL_ERRBUF_SIZE);
	in->n_bad++;
	s->done = true;
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
		struct src *s = &in->s[i];
		s->path = paths[i];
		s->fd = -1;
		bool ok;
		if (fp) {
			s->r = open_stream(in, fp, why);
			ok = s->r != NULL;
		} else {
			ok = open_one(in, s, paths[i], why);
		}
		if (!ok)
			unreadable(in, s, why, errbuf);
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

/* A stream's reader may read only what is buffered: its file header
 * first, then whole records. False: nothing to read yet. */
static bool
stream_ready(struct sl_input *in, struct src *s)
{
	struct sl_pipein *p = s->pipe;
	if (s->r == NULL) {
		sl_pipein_pump(p);
		if (!sl_pipein_header_ready(p) && !sl_pipein_ended(p))
			return false;
		uint32_t magic = sl_pipein_magic(p);
		bool ng = magic == SL_PCAPNG_SHB;
		bool empty = !sl_pipein_header_ready(p) && magic == 0;
		s->pipe = NULL;
		FILE *fp = sl_pipein_fopen(p);
		char why[SL_ERRBUF_SIZE] = "file too short to be a capture";
		if (fp != NULL && !empty)
			s->r = ng ? sl_reader_pcapng(fp, &in->st, why) : sl_reader_pcap(fp, why);
		else if (fp != NULL)
			fclose(fp);
		else
			snprintf(why, sizeof why, "out of memory");
		if (s->r == NULL) {
			unreadable(in, s, why, NULL);
			return false;
		}
		s->pipe = p;	/* owned by the reader's FILE now; still ours to pump */
	}
	sl_pipein_pump(s->pipe);
	return sl_pipein_frames(s->pipe) > s->taken || sl_pipein_ended(s->pipe);
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
	uint64_t skipped = in->st.frames_no_interface;
	int rc = s->r->next(s->r, &s->cur, why, &truncated);
	if (rc == SL_READER_AGAIN)
		return;
	/* pcapng records the reader passed over are records it went past */
	s->taken += in->st.frames_no_interface - skipped + (rc == 1);
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
sl_input_next(struct sl_input *in, struct sl_frame *f, enum sl_next *what)
{
	struct src *best = NULL;
	bool waiting = false, idle = false;
	for (size_t i = 0; i < in->n; i++) {
		struct src *s = &in->s[i];
		if (!s->have && !s->done && s->fd >= 0 && !s->live && !stream_ready(in, s)) {
			/* its next frame may be earlier than any other: wait */
			waiting |= !s->done;
			continue;
		}
		fill(in, s);
		/* an idle interface holds nothing back: its next packet will
		 * be later than what the others have now, give or take the
		 * kernel's delivery */
		idle |= s->live && !s->have && !s->done;
		if (s->have && (best == NULL || s->cur.ts_ns < best->cur.ts_ns))
			best = s;
	}
	if (waiting || (best == NULL && idle)) {
		*what = SL_NEXT_AGAIN;
		return SL_OK;
	}
	*what = best ? SL_NEXT_FRAME : SL_NEXT_EOF;
	if (best) {
		*f = best->cur;
		/* the data stays valid: the reader is not advanced until the
		 * next call, when fill() runs again for this file */
		best->have = false;
	}
	return SL_OK;
}

bool
sl_input_is_stream(const struct sl_input *in)
{
	for (size_t i = 0; i < in->n; i++)
		if (in->s[i].fd >= 0)
			return true;
	return false;
}

enum sl_err
sl_input_open_live(struct sl_input **out, const struct sl_live_opts *o, size_t n,
    char *errbuf)
{
	*out = NULL;
	struct sl_input *in = calloc(1, sizeof *in);
	if (in == NULL || (in->s = calloc(n ? n : 1, sizeof *in->s)) == NULL) {
		free(in);
		snprintf(errbuf, SL_ERRBUF_SIZE, "out of memory");
		return SL_ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		struct src *s = &in->s[i];
		s->path = o[i].iface;
		s->live = true;
		s->r = sl_reader_live(&o[i], &s->fd, errbuf);
		in->n = i + 1;
		if (s->r == NULL) {
			sl_input_close(in);
			return SL_EIO;
		}
	}
	*out = in;
	return SL_OK;
}

void
sl_input_refresh(struct sl_input *in)
{
	in->st.live_received = in->st.live_dropped = in->st.live_ifdropped = 0;
	for (size_t i = 0; i < in->n; i++) {
		uint64_t rcv, drop, ifdrop;
		if (in->s[i].live && sl_reader_live_drops(in->s[i].r, &rcv, &drop, &ifdrop)) {
			in->st.live_received += rcv;
			in->st.live_dropped += drop;
			in->st.live_ifdropped += ifdrop;
		}
	}
}

void
sl_input_stop(struct sl_input *in)
{
	sl_input_refresh(in);	/* the final counts, while the handles are open */
	for (size_t i = 0; i < in->n; i++)
		if (in->s[i].live)
			in->s[i].done = true;
}

size_t
sl_input_pollfds(const struct sl_input *in, struct pollfd *fds, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < in->n && k < n; i++)
		if (in->s[i].fd >= 0 && !in->s[i].done)
			fds[k++] = (struct pollfd){ .fd = in->s[i].fd, .events = POLLIN };
	return k;
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
