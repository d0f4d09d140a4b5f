/* loopback.h: the scripted peer of the phone's loopback tests: a
 * registrar and UAS on 127.0.0.50 that challenges REGISTER, INVITE and
 * BYE with 401 (as the seed's Yate does), answers an authorized INVITE
 * with 180 and 200 (SDP pointing at its RTP socket), echoes the RTP it
 * gets, and writes one event line per request ("INVITE 2 200") that the
 * tests compare with the expected ladder. Stateless on purpose: every
 * answer depends on the request alone, but for the nonces, which are
 * one-time as sipladder-server's are without qop (Yate's challenges have
 * no qop, so neither have ours). */
#ifndef SL_TEST_LOOPBACK_H
#define SL_TEST_LOOPBACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sip/digest.h"
#include "sip/ids.h"
#include "sip/udp.h"

#define LB_MAX_EVENTS 64

struct lb_peer {
	struct sl_udp sip, rtp;
	struct sl_digest_server dig;
	struct sl_ids ids;
	const char *user, *password;
	uint32_t min_expires;
	char events[LB_MAX_EVENTS][96];
	size_t nev;
	char first_call_id[256], first_from_tag[64];
	uint64_t rtp_rx;		/* RTP datagrams received (and echoed) */
	uint8_t buf[SL_UDP_MAX_DATAGRAM + 1];
};

/* Bind SIP and RTP sockets ("127.0.0.50:port"). False with a message on
 * stderr. */
bool lb_peer_open(struct lb_peer *p, const char *sip, const char *rtp,
    const char *user, const char *password, uint32_t min_expires);
/* Handle whatever arrives within ms milliseconds. */
void lb_peer_poll(struct lb_peer *p, int ms);
void lb_peer_close(struct lb_peer *p);

#endif
