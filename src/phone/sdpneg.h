/* sdpneg.h: the phone's offer/answer decisions (RFC 3264) on top of
 * sip/sdp.h: which G.711 law to use, where to send RTP, whether to send
 * and receive at all (direction attributes, the old c=0.0.0.0 hold).
 * Pure functions over parsed SDP. */
#ifndef SL_PHONE_SDPNEG_H
#define SL_PHONE_SDPNEG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/addr.h"
#include "core/buf.h"
#include "core/err.h"
#include "phone/g711.h"
#include "sip/sdp.h"

struct sl_media_plan {
	enum sl_g711_law law;		/* also the RTP payload type */
	struct sl_endpoint peer;	/* the peer's c= address and m= port */
	bool send;			/* we send RTP */
	bool recv;			/* we expect RTP */
	enum sl_sipsdp_dir our_dir;	/* the direction we declare in an answer */
};

/* What a phone preferring `pref` offers: pref first, the other law as a
 * fallback. Writes 2 payload types; returns the count. */
size_t sl_media_offer_pts(enum sl_g711_law pref, uint8_t out[2] /* OUT */);

/* We received an offer: take pref if offered, else the other G.711 law.
 * SL_ENOTMINE when no G.711 is offered, SL_EMALFORMED when the offer has
 * no usable audio stream; *why is a static reason either way. */
enum sl_err sl_media_plan_offer(const struct sl_sipsdp_info *offer, enum sl_g711_law pref,
    struct sl_media_plan *out /* OUT */, const char **why /* OUT */);

/* We received the answer to our offer of pts[0..n): the first G.711 type
 * of the answer that we offered. Errors as above. */
enum sl_err sl_media_plan_answer(const struct sl_sipsdp_info *answer, const uint8_t *pts,
    size_t n, struct sl_media_plan *out /* OUT */, const char **why /* OUT */);

/* Our SDP: o=/c= addr, m=audio port with pts, a=ptime:20, direction. */
enum sl_err sl_media_sdp(const struct sl_ip *addr, uint16_t port, const uint8_t *pts,
    size_t n, enum sl_sipsdp_dir dir, uint64_t sess_id, uint64_t sess_ver,
    struct sl_buf *out);

#endif
