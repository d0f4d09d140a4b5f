/* sdp.c: SDP (RFC 8866) body dissector, our own line parser over sl_str
 * (sdp_message_parse needs NUL-terminated input). Extracts only o=, c=
 * (5.7), m= (5.14), a=rtpmap (6.6) and the direction attributes
 * (6.7); unknown lines are skipped, not errors: SDP in the wild is
 * sloppy. Hostnames in c= are not resolved. Input: untrusted. */
#include "sdp.h"

#include <string.h>

#include "dissector.h"

const char *
sl_rtp_static_codec(uint8_t pt, uint32_t *rate)
{
	/* RFC 3551 6, tables 4 and 5; G722 keeps 8000 for historical
	 * reasons although it samples at 16 kHz (RFC 3551 4.5.2) */
	const char *name = "";
	uint32_t r = 0;
	switch (pt) {
	case 0:	name = "PCMU"; r = 8000; break;
	case 3:	name = "GSM"; r = 8000; break;
	case 4:	name = "G723"; r = 8000; break;
	case 5:	name = "DVI4"; r = 8000; break;
	case 6:	name = "DVI4"; r = 16000; break;
	case 7:	name = "LPC"; r = 8000; break;
	case 8:	name = "PCMA"; r = 8000; break;
	case 9:	name = "G722"; r = 8000; break;
	case 10: name = "L16"; r = 44100; break;
	case 11: name = "L16"; r = 44100; break;
	case 12: name = "QCELP"; r = 8000; break;
	case 13: name = "CN"; r = 8000; break;
	case 14: name = "MPA"; r = 90000; break;
	case 15: name = "G728"; r = 8000; break;
	case 16: name = "DVI4"; r = 11025; break;
	case 17: name = "DVI4"; r = 22050; break;
	case 18: name = "G729"; r = 8000; break;
	case 25: name = "CelB"; r = 90000; break;
	case 26: name = "JPEG"; r = 90000; break;
	case 28: name = "nv"; r = 90000; break;
	case 31: name = "H261"; r = 90000; break;
	case 32: name = "MPV"; r = 90000; break;
	case 33: name = "MP2T"; r = 90000; break;
	case 34: name = "H263"; r = 90000; break;
	default: break;
	}
	if (rate)
		*rate = r;
	return name;
}

const char *
sl_sdp_dir_name(enum sl_sdp_dir d)
{
	switch (d) {
	case SL_SDP_DIR_NONE:		return "";
	case SL_SDP_DIR_SENDRECV:	return "sendrecv";
	case SL_SDP_DIR_SENDONLY:	return "sendonly";
	case SL_SDP_DIR_RECVONLY:	return "recvonly";
	case SL_SDP_DIR_INACTIVE:	return "inactive";
	}
	return "";
}

/* Next space-separated token of *s; empty at the end. */
static struct sl_str
token(struct sl_str *s)
{
	/* an empty slice may have p == NULL: no arithmetic on it */
	if (s->n == 0)
		return SL_STR_NULL;
	size_t i = 0;
	while (i < s->n && (s->p[i] == ' ' || s->p[i] == '\t'))
		i++;
	size_t b = i;
	while (i < s->n && s->p[i] != ' ' && s->p[i] != '\t')
		i++;
	struct sl_str t = sl_str_make(s->p + b, i - b);
	*s = sl_str_make(s->p + i, s->n - i);
	return t;
}

/* c=<nettype> <addrtype> <connection-address> (RFC 8866 5.7); a
 * multicast address may carry /ttl and /count, dropped here. */
static bool
parse_conn(struct sl_str v, struct sl_ip *out)
{
	struct sl_str net = token(&v), type = token(&v), addr = token(&v);
	if (!sl_str_ieq(net, SL_STR("IN")))
		return false;
	uint8_t fam;
	if (sl_str_ieq(type, SL_STR("IP4")))
		fam = SL_AF_INET4;
	else if (sl_str_ieq(type, SL_STR("IP6")))
		fam = SL_AF_INET6;
	else
		return false;
	struct sl_str host;
	sl_str_split(addr, '/', &host);
	struct sl_ip ip;
	if (host.n == 0 || !sl_ip_parse(host, &ip) || ip.family != fam)
		return false;
	*out = ip;
	return true;
}

/* m=<media> <port>[/<number of ports>] <proto> <fmt> ... (RFC 8866 5.14) */
static bool
parse_media(struct sl_str v, struct sl_sdp_media *m)
{
	struct sl_str type = token(&v), port = token(&v), proto = token(&v);
	struct sl_str pnum;
	uint32_t p;
	sl_str_split(port, '/', &pnum);
	if (type.n == 0 || proto.n == 0 || !sl_str_u32(pnum, 65535, &p))
		return false;
	*m = (struct sl_sdp_media){ .type = type, .port = (uint16_t)p, .proto = proto };
	for (struct sl_str f = token(&v); f.n; f = token(&v)) {
		uint32_t pt;
		/* non-RTP protocols list other formats ("*", MIME types) */
		if (!sl_str_u32(f, 127, &pt))
			continue;
		if (m->n_fmt == SL_SDP_MAX_FMT)
			break;
		struct sl_sdp_fmt *fm = &m->fmt[m->n_fmt++];
		fm->pt = (uint8_t)pt;
		fm->name = sl_str_c(sl_rtp_static_codec(fm->pt, &fm->rate));
	}
	return true;
}

/* a=rtpmap:<payload type> <encoding name>/<clock rate>[/<params>] */
static bool
parse_rtpmap(struct sl_str v, struct sl_sdp_media *m)
{
	struct sl_str pts = token(&v), enc = token(&v);
	uint32_t pt, rate;
	struct sl_str name, rest = sl_str_split(enc, '/', &name), rs;
	sl_str_split(rest, '/', &rs);
	if (!sl_str_u32(pts, 127, &pt) || name.n == 0 || !sl_str_u32(rs, UINT32_MAX, &rate))
		return false;
	if (m == NULL)
		return true;	/* session level: meaningless, harmless */
	for (uint8_t i = 0; i < m->n_fmt; i++) {
		if (m->fmt[i].pt == pt) {
			m->fmt[i].name = name;
			m->fmt[i].rate = rate;
		}
	}
	return true;
}

static enum sl_sdp_dir
direction(struct sl_str a)
{
	if (sl_str_eq(a, SL_STR("sendrecv")))
		return SL_SDP_DIR_SENDRECV;
	if (sl_str_eq(a, SL_STR("sendonly")))
		return SL_SDP_DIR_SENDONLY;
	if (sl_str_eq(a, SL_STR("recvonly")))
		return SL_SDP_DIR_RECVONLY;
	if (sl_str_eq(a, SL_STR("inactive")))
		return SL_SDP_DIR_INACTIVE;
	return SL_SDP_DIR_NONE;
}

enum sl_err
sl_sdp_parse(struct sl_packet *pkt, struct sl_str body, struct sl_sdp *out)
{
	memset(out, 0, sizeof(*out));
	enum sl_err rc = SL_OK;
	struct sl_sdp_media *m = NULL;	/* current media section, if kept */
	bool in_media = false;		/* after the first m= line */
	bool media_conn[SL_SDP_MAX_MEDIA] = { false };

	struct sl_str rest = body;
	while (rest.n) {
		struct sl_str line;
		rest = sl_str_split(rest, '\n', &line);
		if (line.n && line.p[line.n - 1] == '\r')
			line.n--;
		if (line.n == 0)
			continue;
		/* RFC 8866 5: <type>=<value>, type one lower-case letter */
		if (line.n < 2 || line.p[1] != '=' || line.p[0] < 'a' || line.p[0] > 'z') {
			rc = sl_anomaly(pkt, "sdp.line");
			continue;
		}
		struct sl_str v = sl_str_make(line.p + 2, line.n - 2);
		switch (line.p[0]) {
		case 'o':
			out->origin = v;
			break;
		case 'c': {
			struct sl_ip ip;
			if (!parse_conn(v, &ip)) {
				rc = sl_anomaly(pkt, "sdp.connection");
				break;
			}
			if (!in_media) {
				out->conn = ip;
			} else if (m) {
				m->conn = ip;
				media_conn[m - out->media] = true;
			}
			break;
		}
		case 'm':
			in_media = true;
			m = NULL;
			if (out->n_media == SL_SDP_MAX_MEDIA) {
				if (out->media_lost < UINT8_MAX)
					out->media_lost++;
				break;
			}
			if (!parse_media(v, &out->media[out->n_media])) {
				/* its attributes go nowhere until the next m= */
				out->media[out->n_media] = (struct sl_sdp_media){ 0 };
				rc = sl_anomaly(pkt, "sdp.media");
				break;
			}
			m = &out->media[out->n_media++];
			break;
		case 'a': {
			struct sl_str name, val = sl_str_split(v, ':', &name);
			if (sl_str_eq(name, SL_STR("rtpmap"))) {
				if (!parse_rtpmap(val, m))
					rc = sl_anomaly(pkt, "sdp.rtpmap");
				break;
			}
			enum sl_sdp_dir d = direction(name);
			if (d == SL_SDP_DIR_NONE)
				break;
			if (!in_media)
				out->dir = d;
			else if (m)
				m->dir = d;
			break;
		}
		default:
			break;
		}
	}
	/* RFC 8866 5.7, 6.7: media-level values override session-level ones */
	for (uint8_t i = 0; i < out->n_media; i++) {
		if (!media_conn[i])
			out->media[i].conn = out->conn;
		if (out->media[i].dir == SL_SDP_DIR_NONE)
			out->media[i].dir = out->dir;
	}
	return rc;
}
