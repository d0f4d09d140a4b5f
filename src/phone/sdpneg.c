/* sdpneg.c: G.711 offer/answer decisions (sdpneg.h). */
#include "phone/sdpneg.h"

#include "phone/netaddr.h"

size_t
sl_media_offer_pts(enum sl_g711_law pref, uint8_t out[2])
{
	out[0] = (uint8_t)pref;
	out[1] = (uint8_t)(pref == SL_G711_PCMU ? SL_G711_PCMA : SL_G711_PCMU);
	return 2;
}

static bool
has_pt(const struct sl_sipsdp_info *s, int pt)
{
	for (size_t i = 0; i < s->npt; i++)
		if (s->pts[i] == pt)
			return true;
	return false;
}

/* address, port and directions common to offers and answers */
static enum sl_err
stream(const struct sl_sipsdp_info *s, struct sl_media_plan *out, const char **why)
{
	if (!s->has_audio) {
		*why = "no m=audio stream";
		return SL_EMALFORMED;
	}
	if (s->port == 0) {
		*why = "audio stream rejected (port 0)";
		return SL_EMALFORMED;
	}
	if (!s->has_conn) {
		*why = "no c= address for the audio stream";
		return SL_EMALFORMED;
	}
	out->peer.ip = s->conn;
	out->peer.port = s->port;
	out->peer.transport = SL_TP_UDP;
	/* RFC 3264 6.1: the answer mirrors the offer's direction */
	switch (s->dir) {
	case SL_SIPSDP_SENDONLY:
		out->send = false;
		out->recv = true;
		out->our_dir = SL_SIPSDP_RECVONLY;
		break;
	case SL_SIPSDP_RECVONLY:
		out->send = true;
		out->recv = false;
		out->our_dir = SL_SIPSDP_SENDONLY;
		break;
	case SL_SIPSDP_INACTIVE:
		out->send = out->recv = false;
		out->our_dir = SL_SIPSDP_INACTIVE;
		break;
	case SL_SIPSDP_SENDRECV:
		out->send = out->recv = true;
		out->our_dir = SL_SIPSDP_SENDRECV;
		break;
	}
	/* RFC 3264 8.4: c=0.0.0.0 is the RFC 2543 way of putting us on hold */
	if (sl_ip_is_any(&s->conn))
		out->send = false;
	return SL_OK;
}

enum sl_err
sl_media_plan_offer(const struct sl_sipsdp_info *offer, enum sl_g711_law pref,
    struct sl_media_plan *out, const char **why)
{
	enum sl_g711_law other = pref == SL_G711_PCMU ? SL_G711_PCMA : SL_G711_PCMU;
	enum sl_err e = stream(offer, out, why);

	if (e)
		return e;
	if (has_pt(offer, (int)pref)) {
		out->law = pref;
	} else if (has_pt(offer, (int)other)) {
		out->law = other;
	} else {
		*why = "no G.711 (PCMU/PCMA) in the offer";
		return SL_ENOTMINE;
	}
	*why = NULL;
	return SL_OK;
}

enum sl_err
sl_media_plan_answer(const struct sl_sipsdp_info *answer, const uint8_t *pts, size_t n,
    struct sl_media_plan *out, const char **why)
{
	enum sl_err e = stream(answer, out, why);

	if (e)
		return e;
	for (size_t i = 0; i < answer->npt; i++) {
		int pt = answer->pts[i];
		if (pt != SL_G711_PCMU && pt != SL_G711_PCMA)
			continue;
		for (size_t j = 0; j < n; j++) {
			if (pts[j] == pt) {
				out->law = (enum sl_g711_law)pt;
				*why = NULL;
				return SL_OK;
			}
		}
	}
	*why = "the answer has none of the offered codecs";
	return SL_ENOTMINE;
}

enum sl_err
sl_media_sdp(const struct sl_ip *addr, uint16_t port, const uint8_t *pts, size_t n,
    enum sl_sipsdp_dir dir, uint64_t sess_id, uint64_t sess_ver, struct sl_buf *out)
{
	struct sl_sipsdp_spec s = {
		.user = "sipladder",
		.sess_id = sess_id,
		.sess_ver = sess_ver,
		.session_name = "sipladder-phone",
		.addr = *addr,
		.port = port,
		.pts = pts,
		.npt = n,
		.te_pt = -1,
		.ptime_ms = 20,
		.dir = dir,
	};

	return sl_sipsdp_build(&s, out);
}
