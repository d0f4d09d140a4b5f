/* sdp.c: SDP (RFC 8866) body dissector: what the analyzer keeps of the
 * lines the shared scanner (core/sdpscan.h) cuts: o=, c= (5.7), m=
 * (5.14), a=rtpmap (6.6) and the direction attributes (6.7), sorted into
 * session and media sections. Unknown lines are skipped and bad ones are
 * anomalies, never errors: SDP in the wild is sloppy. Hostnames in c= are
 * not resolved. Input: untrusted. */
#include "dissectors/sdp.h"

#include <string.h>

#include "dissectors/dissector.h"

const char *
sl_sdp_dir_name(enum sl_sdp_dir d)
{
	return sl_sdpscan_dir_name((enum sl_sdpscan_dir)d);
}

/* An m= line into *m with the static names of its payload types; false
 * when the line lacks a media type, a port or a protocol. */
static bool
parse_media(struct sl_str v, struct sl_sdp_media *m)
{
	struct sl_sdpscan_media sm;
	if (!sl_sdpscan_media(v, &sm) || sm.proto.n == 0)
		return false;
	*m = (struct sl_sdp_media){ .type = sm.type, .port = sm.port, .proto = sm.proto };
	for (struct sl_str f = sl_sdpscan_token(&sm.fmts); f.n; f = sl_sdpscan_token(&sm.fmts)) {
		uint8_t pt;
		if (!sl_sdpscan_pt(f, &pt))
			continue;
		if (m->n_fmt == SL_SDP_MAX_FMT)
			break;
		struct sl_sdp_fmt *fm = &m->fmt[m->n_fmt++];
		fm->pt = pt;
		fm->name = sl_str_c(sl_rtp_static_codec(pt, &fm->rate));
	}
	return true;
}

/* An rtpmap names the formats of its m= line; at session level it is
 * meaningless but harmless, so only its syntax counts there. */
static bool
apply_rtpmap(struct sl_str v, struct sl_sdp_media *m)
{
	struct sl_sdpscan_rtpmap r;
	if (!sl_sdpscan_rtpmap(v, &r))
		return false;
	for (uint8_t i = 0; m && i < m->n_fmt; i++) {
		if (m->fmt[i].pt == r.pt) {
			m->fmt[i].name = r.name;
			m->fmt[i].rate = r.rate;
		}
	}
	return true;
}

enum sl_err
sl_sdp_parse(struct sl_packet *pkt, struct sl_str body, struct sl_sdp *out)
{
	memset(out, 0, sizeof(*out));
	enum sl_err rc = SL_OK;
	struct sl_sdp_media *m = NULL;	/* current media section, if kept */
	bool in_media = false;		/* after the first m= line */
	bool media_conn[SL_SDP_MAX_MEDIA] = { false };
	struct sl_sdpscan sc;
	struct sl_sdpscan_line ln;

	sl_sdpscan_init(&sc, body.p, body.n);
	while (sl_sdpscan_next(&sc, &ln)) {
		if (ln.raw.n == 0)
			continue;
		if (ln.type == 0) {
			rc = sl_anomaly(pkt, "sdp.line");
			continue;
		}
		switch (ln.type) {
		case 'o':
			out->origin = ln.value;
			break;
		case 'c': {
			struct sl_ip ip;
			if (!sl_sdpscan_conn(ln.value, &ip)) {
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
			if (!parse_media(ln.value, &out->media[out->n_media])) {
				/* its attributes go nowhere until the next m= */
				out->media[out->n_media] = (struct sl_sdp_media){ 0 };
				rc = sl_anomaly(pkt, "sdp.media");
				break;
			}
			m = &out->media[out->n_media++];
			break;
		case 'a': {
			struct sl_str name, val;
			sl_sdpscan_attr(ln.value, &name, &val);
			if (sl_str_eq(name, SL_STR("rtpmap"))) {
				if (!apply_rtpmap(val, m))
					rc = sl_anomaly(pkt, "sdp.rtpmap");
				break;
			}
			enum sl_sdp_dir d = (enum sl_sdp_dir)sl_sdpscan_dir(name);
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
