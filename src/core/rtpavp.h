/* rtpavp.h: the static payload types of the RTP/AVP profile (RFC 3551 6,
 * tables 4 and 5), one table for the analyzer (names of SDP formats
 * without a=rtpmap, RTP stream labels) and the server/phone (the rtpmap
 * lines of the SDP they write) (DESIGN 3.2b). Plain data. */
#ifndef SL_RTPAVP_H
#define SL_RTPAVP_H

#include <stdint.h>

/* Codec name of a static RTP payload type, "" if unknown or dynamic, with
 * its clock rate in *rate (0 if unknown; rate may be NULL). Static text. */
const char *sl_rtp_static_codec(uint8_t pt, uint32_t *rate /* OUT */);

#endif
