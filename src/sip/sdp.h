/* sdp.h: the SDP (RFC 8866) a G.711 phone and an RTP relay need: build an
 * audio offer/answer, read the connection address, audio port and payload
 * list of a peer's body, and rewrite c=/m=/o= to the relay's own address
 * (what a media-anchoring B2BUA such as Yate does).
 *
 * Reading goes through the SDP scanner the analyzer uses too
 * (core/sdpscan.h: bounded, no NUL needed, no allocation); unknown lines
 * are skipped, not errors: SDP in the wild is sloppy. Only the first
 * m=audio section is considered. Output goes to a caller sl_buf (freed on
 * SL_ENOMEM, per buf.h). Input: untrusted.
 *
 * Prefix sl_sipsdp_ (SL_SIPSDP_): the analyzer's own view of SDP is
 * dissectors/sdp.h (sl_sdp_), and the two worlds never share a name. */
#ifndef SL_SIP_SDP_H
#define SL_SIP_SDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/addr.h"
#include "core/buf.h"
#include "core/err.h"

#define SL_SIPSDP_MAX_PT 16
#define SL_SIPSDP_PCMU 0
#define SL_SIPSDP_PCMA 8

enum sl_sipsdp_dir {
	SL_SIPSDP_SENDRECV, SL_SIPSDP_SENDONLY, SL_SIPSDP_RECVONLY, SL_SIPSDP_INACTIVE
};

struct sl_sipsdp_spec {
	const char *user;		/* o= username; NULL: "-" */
	uint64_t sess_id, sess_ver;
	const char *session_name;	/* s=; NULL: "-" */
	struct sl_ip addr;		/* o= and c= */
	uint16_t port;			/* m=audio port */
	const uint8_t *pts;		/* static payload types, PCMU/PCMA */
	size_t npt;
	int te_pt;			/* telephone-event payload type, -1: none */
	uint32_t ptime_ms;		/* a=ptime; 0: none */
	enum sl_sipsdp_dir dir;
};

struct sl_sipsdp_info {
	struct sl_ip conn;		/* media-level c= if any, else session c= */
	bool has_conn;
	uint16_t port;			/* first m=audio; 0 = none or rejected */
	bool has_audio;
	uint8_t pts[SL_SIPSDP_MAX_PT];	/* formats of that m= line, in order */
	size_t npt;
	int te_pt;			/* a=rtpmap:N telephone-event/8000, or -1 */
	enum sl_sipsdp_dir dir;		/* audio-level, else session-level */
	uint64_t sess_id, sess_ver;	/* o= numbers (0 if unparsable) */
};

/* Offer or answer text, CRLF line ends. SL_EUSAGE without payload types
 * or address. Appends to out. */
enum sl_err sl_sipsdp_build(const struct sl_sipsdp_spec *s, struct sl_buf *out);

/* SL_EMALFORMED if no v= line starts the body or a line is over 1024
 * bytes; fields absent from the body are left at their zero values. */
enum sl_err sl_sipsdp_parse(const void *body, size_t n, struct sl_sipsdp_info *out /* OUT */);

/* Copy body to out with every c= address, the o= address and the first
 * m=audio port replaced (the relay's). Other lines are copied as is. */
enum sl_err sl_sipsdp_rewrite(const void *body, size_t n, const struct sl_ip *addr,
    uint16_t port, struct sl_buf *out);

/* First payload type of `offer` that is in `ours` (answerer's choice), or
 * -1 if none. */
int sl_sipsdp_choose(const struct sl_sipsdp_info *offer, const uint8_t *ours, size_t n);

/* "PCMU", "PCMA" or NULL. */
const char *sl_sipsdp_codec_name(int pt);

#endif
