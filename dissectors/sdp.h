/* sdp.h: what we keep of an SDP body (RFC 8866): connection address,
 * media lines, rtpmap and direction. Slices point into the SIP message. */
#ifndef SL_SDP_H
#define SL_SDP_H

#include <stdbool.h>
#include <stdint.h>

#include "core/addr.h"
#include "core/err.h"
#include "core/rtpavp.h"
#include "core/sdpscan.h"
#include "core/str.h"

#define SL_SDP_MAX_MEDIA 8
#define SL_SDP_MAX_FMT 16

/* The shared scanner's values, so that one converts to the other by a
 * cast; this world keeps its own name (DESIGN 3.2b). */
enum sl_sdp_dir {
	SL_SDP_DIR_NONE = SL_SDPSCAN_DIR_NONE,	/* not stated: sendrecv by default */
	SL_SDP_DIR_SENDRECV = SL_SDPSCAN_DIR_SENDRECV,
	SL_SDP_DIR_SENDONLY = SL_SDPSCAN_DIR_SENDONLY,
	SL_SDP_DIR_RECVONLY = SL_SDPSCAN_DIR_RECVONLY,
	SL_SDP_DIR_INACTIVE = SL_SDPSCAN_DIR_INACTIVE,
};

struct sl_sdp_fmt {
	uint8_t pt;
	struct sl_str name;	/* rtpmap encoding name, or static name; may be empty */
	uint32_t rate;		/* clock rate; 0 unknown */
};

struct sl_sdp_media {
	struct sl_str type;	/* "audio", "video", ... */
	uint16_t port;
	struct sl_str proto;	/* "RTP/AVP" */
	struct sl_ip conn;	/* media c= or else session c=; family 0 if none */
	enum sl_sdp_dir dir;	/* media-level, else session-level */
	struct sl_sdp_fmt fmt[SL_SDP_MAX_FMT];
	uint8_t n_fmt;
};

struct sl_sdp {
	struct sl_ip conn;	/* session-level c= */
	enum sl_sdp_dir dir;	/* session-level direction */
	struct sl_str origin;	/* o= line, whole */
	struct sl_sdp_media media[SL_SDP_MAX_MEDIA];
	uint8_t n_media;
	uint8_t media_lost;	/* m= lines beyond SL_SDP_MAX_MEDIA */
};

struct sl_packet;

/* Parses body into *out through the shared scanner (core/sdpscan.h).
 * Unknown lines are skipped; bad c=/m= lines are recorded as anomalies on
 * pkt ("sdp.*") and ignored. Returns SL_OK or SL_EMALFORMED (still with
 * whatever was understood in *out). sl_rtp_static_codec, which names
 * formats without rtpmap, comes with this header (core/rtpavp.h). */
enum sl_err sl_sdp_parse(struct sl_packet *pkt, struct sl_str body,
    struct sl_sdp *out /* OUT */);

const char *sl_sdp_dir_name(enum sl_sdp_dir d);

#endif
