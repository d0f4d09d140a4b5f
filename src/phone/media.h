/* media.h: one call's RTP on the phone: the socket on the RTP port, a
 * 20 ms sender (tone or WAV, G.711), the receiver with its statistics and
 * the recorder. Sending starts when the call is answered and stops at
 * hangup, or --rtp-linger ms later (the seed's phone kept sending after
 * its BYE and drew ICMP port unreachable); the socket closes then, so RTP
 * that still arrives draws ICMP from our kernel as in the seed's capture.
 *
 * The struct is embedded by the phone and driven by its loop; it owns the
 * socket and its timers, never the loop, trace, log, WAV samples or WAV
 * writer it points to. Between calls the socket may stay open (bound
 * early so a taken port is an error before any SIP is sent); datagrams
 * arriving then are traced and dropped. */
#ifndef SL_PHONE_MEDIA_H
#define SL_PHONE_MEDIA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "phone/rtp_recv.h"
#include "phone/rtp_send.h"
#include "phone/tone.h"
#include "phone/wav.h"
#include "phone/sdpneg.h"
#include "sip/log.h"
#include "sip/loop.h"
#include "sip/trace.h"
#include "sip/udp.h"

#define SL_MEDIA_FRAME_MS 20
#define SL_MEDIA_MAX_BURST 10	/* frames sent at once after a stall */

struct sl_media_stats {
	uint64_t sent;		/* RTP packets sent */
	uint64_t send_errors;
	uint64_t icmp;		/* ICMP errors for our datagrams */
	uint64_t dropped;	/* datagrams outside a call or not playable */
	struct sl_rtp_stats rx;
};

struct sl_media {
	/* wiring, set by sl_media_init */
	struct sl_loop *loop;
	struct sl_trace *trace;
	const struct sl_log *log;
	struct sl_endpoint bind;
	struct sl_wav_writer *rec;	/* NULL: no recording */
	const int16_t *wav;		/* NULL: the tone */
	size_t wav_n;
	struct sl_tone tone;

	struct sl_udp sock;		/* fd -1 while closed */
	struct sl_ip local_ip;		/* address in our SDP and in the trace */
	bool running;			/* a call's media is up */
	bool sending, receiving, lingering;
	struct sl_endpoint peer;
	struct sl_rtp_sender tx;
	struct sl_rtp_receiver rx;
	size_t wav_pos;
	uint64_t t0, frames;
	uint64_t tick_timer, linger_timer;
	struct sl_media_stats st;
	uint8_t buf[SL_UDP_MAX_DATAGRAM + 1];
};

/* Wire m up; nothing is opened. tone_hz is used when wav is NULL. */
enum sl_err sl_media_init(struct sl_media *m, struct sl_loop *loop,
    struct sl_trace *trace, const struct sl_log *log,
    const struct sl_endpoint *bind, double tone_hz, const int16_t *wav,
    size_t wav_n, struct sl_wav_writer *rec);

/* Bind the RTP socket unless it is open. SL_EIO with errbuf text. */
enum sl_err sl_media_open(struct sl_media *m, char errbuf[SL_ERRBUF_SIZE]);

/* The socket's port (after sl_media_open). */
uint16_t sl_media_port(const struct sl_media *m);

/* Start the call's media along plan (the socket must be open). seed
 * makes SSRC, first sequence number and timestamp. local_ip is what our
 * SDP announced. */
void sl_media_start(struct sl_media *m, const struct sl_ip *local_ip,
    const struct sl_media_plan *plan, uint64_t seed);

/* A new plan within the same call (re-INVITE): peer address and
 * directions change, the stream (SSRC, sequence) continues. */
void sl_media_update(struct sl_media *m, const struct sl_media_plan *plan);

/* The call is over: receiving and recording stop now; sending stops now
 * or after linger_ms, then the socket closes. Logs the statistics. */
void sl_media_stop(struct sl_media *m, uint32_t linger_ms);

/* Close everything now (no statistics line). */
void sl_media_close(struct sl_media *m);

/* Still sending after hangup. */
bool sl_media_lingering(const struct sl_media *m);

#endif
