/* run.c: pass 2 of an export (export.h): the captures read again, each
 * frame decoded as the engine decoded it, the plan's frames written. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture/pcapwrite.h"
#include "capture/source.h"
#include "engine/framedec.h"
#include "export/hold.h"
#include "export/plan.h"

/* What libpcap reads back without complaint (tcpdump's snaplen). */
#define OUT_SNAPLEN 262144u

/* Linux's DLT_RAW, as libpcap reports raw IP in a classic pcap; pcapng
 * stores LINKTYPE_RAW. Both are the same link type. */
#define DLT_RAW_LINUX 12

struct out {
	const char *path;
	struct sl_pcapwr *w;
	bool raw;		/* every frame from its network header */
	bool mixed;		/* a frame of another link type than the file's */
	int linktype;		/* the file's, normalised */
	uint64_t written;
	char *errbuf;
};

static int
norm_linktype(int lt)
{
	return lt == DLT_RAW_LINUX ? SL_LINKTYPE_RAW : lt;
}

static enum sl_err
out_open(struct out *o, int linktype)
{
	o->linktype = o->raw ? SL_LINKTYPE_RAW : norm_linktype(linktype);
	return sl_pcapwr_open(&o->w, o->path, o->linktype, OUT_SNAPLEN, true, o->errbuf);
}

/* The hold's writer: the file is made with the first frame's link type. */
static enum sl_err
out_write(void *user, const struct sl_export_rec *r)
{
	struct out *o = user;
	if (o->w == NULL) {
		enum sl_err e = out_open(o, r->linktype);
		if (e != SL_OK)
			return e;
	}
	const uint8_t *data = r->data;
	uint32_t caplen = r->caplen, wirelen = r->wirelen;
	if (o->raw) {
		/* frames written are IP (SIP, media, ICMP): there is a header */
		if (r->net_off >= caplen)
			return SL_OK;
		data += r->net_off;
		caplen -= r->net_off;
		wirelen = wirelen > r->net_off ? wirelen - r->net_off : caplen;
	} else if (norm_linktype(r->linktype) != o->linktype) {
		o->mixed = true;
		return SL_EUSAGE;	/* stops this pass: done again as raw IP */
	}
	/* a pcap record cannot hold a time before 1970 */
	uint64_t t = r->ts_ns < 0 ? 0 : (uint64_t)r->ts_ns;
	enum sl_err e = sl_pcapwr_write(o->w, t, data, caplen, wirelen);
	if (e != SL_OK) {
		snprintf(o->errbuf, SL_ERRBUF_SIZE, "%s: write failed", o->path);
		return e;
	}
	o->written++;
	return SL_OK;
}

/* One decoded frame: written, held, or passed over. */
static enum sl_err
one_frame(const struct sl_export_plan *p, struct sl_export_hold *h, const struct sl_frame *f,
    const struct sl_packet *pkt, uint64_t frame, uint32_t net_off, bool *stale)
{
	struct sl_export_rec r = { .data = f->data, .caplen = f->caplen, .wirelen = f->wirelen,
	    .ts_ns = f->ts_ns, .linktype = f->linktype, .net_off = net_off };
	struct sl_export_frag k = { .src = pkt->src.ip, .dst = pkt->dst.ip, .id = pkt->frag_id };
	enum sl_err e = sl_export_hold_advance(h, f->ts_ns);
	if (e != SL_OK)
		return e;
	if (pkt->skip == SL_SKIP_FRAGMENT)
		return sl_export_hold_fragment(h, &r, &k);
	bool sip = sl_export_plan_sip(p, frame);
	/* the frame pass 1 saw a SIP message in is something else now */
	if (sip && pkt->app != SL_APP_SIP)
		*stale = true;
	bool want = sip || sl_export_plan_media(p, pkt);
	if (pkt->reassembled && (e = sl_export_hold_decide(h, &k, want)) != SL_OK)
		return e;
	return want ? sl_export_hold_write(h, &r) : SL_OK;
}

/* One read of the captures, the plan's frames written into out. */
static enum sl_err
pass(const struct sl_export_plan *p, const struct sl_export_opts *o, const char *const *paths,
    size_t n, struct out *out, struct sl_export_result *res, char *errbuf)
{
	struct sl_input *in;
	enum sl_err e = sl_input_open(&in, paths, n, errbuf);
	if (e != SL_OK)
		return e;
	struct sl_framedec d;
	struct sl_export_hold h;
	sl_export_hold_init(&h, o->run->reasm_bytes, o->run->reasm_timeout_ns, out_write, out);
	e = sl_framedec_init(&d, o->run);
	if (e == SL_OK && sl_input_is_stream(in)) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "export reads its captures twice: a pipe "
		    "cannot be read again");
		e = SL_EUSAGE;
	}
	uint64_t base = o->first_frame ? o->first_frame - 1 : 0;
	bool stale = false;
	int first_linktype = -1;
	while (e == SL_OK) {
		struct sl_frame f;
		enum sl_next what;
		if ((e = sl_input_next(in, &f, &what)) != SL_OK || what == SL_NEXT_EOF)
			break;
		if (what == SL_NEXT_AGAIN) {
			/* files never say "later" */
			snprintf(errbuf, SL_ERRBUF_SIZE, "a capture became a stream");
			e = SL_EIO;
			break;
		}
		if (first_linktype < 0)
			first_linktype = f.linktype;
		struct sl_packet pkt;
		uint32_t net_off;
		if (sl_framedec_frame(&d, &f, &pkt, &net_off) != SL_FRAMEDEC_REMOVED)
			e = one_frame(p, &h, &f, &pkt, base + pkt.frame, net_off, &stale);
		sl_framedec_done(&d);
	}
	if (e == SL_OK)
		e = sl_export_hold_finish(&h);
	res->frames_read = d.frames;
	/* an empty export still makes a valid file */
	if (e == SL_OK && out->w == NULL)
		e = out_open(out, first_linktype < 0 ? SL_LINKTYPE_ETHERNET : first_linktype);
	if (e == SL_OK && (stale || (o->frames && d.frames != o->frames))) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "the captures changed since they were analysed");
		e = SL_EIO;
	}
	sl_export_hold_free(&h);
	sl_framedec_free(&d);
	sl_input_close(in);
	return e;
}

/* Writing out over one of the captures would destroy it before it is
 * read again. */
static bool
is_capture(const char *out, const char *const *paths, size_t n)
{
	struct stat so, si;
	if (stat(out, &so) != 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (stat(paths[i], &si) == 0 && si.st_dev == so.st_dev && si.st_ino == so.st_ino)
			return true;
	return false;
}

enum sl_err
sl_export_run(struct sl_export_plan *p, const struct sl_export_opts *o,
    const char *const *paths, size_t n, const char *outpath, struct sl_export_result *res,
    char errbuf[SL_ERRBUF_SIZE])
{
	*res = (struct sl_export_result){ 0 };
	errbuf[0] = '\0';
	if (is_capture(outpath, paths, n)) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "%s is one of the captures to export from",
		    outpath);
		return SL_EUSAGE;
	}
	sl_export_plan_seal(p);
	struct out out = { .path = outpath, .errbuf = errbuf };
	enum sl_err e = pass(p, o, paths, n, &out, res, errbuf);
	if (out.mixed) {
		/* one file, one link type: the frames lose their link headers */
		sl_pcapwr_close(out.w);
		out = (struct out){ .path = outpath, .errbuf = errbuf, .raw = true };
		e = pass(p, o, paths, n, &out, res, errbuf);
	}
	enum sl_err ce = sl_pcapwr_close(out.w);
	if (e == SL_OK && ce != SL_OK) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "%s: write failed", outpath);
		e = ce;
	}
	if (e != SL_OK && out.w)
		unlink(outpath);
	if (e != SL_OK && errbuf[0] == '\0')
		snprintf(errbuf, SL_ERRBUF_SIZE, "%s: %s", outpath, sl_strerror(e));
	res->frames_written = out.written;
	res->raw_ip = out.raw;
	return e;
}
