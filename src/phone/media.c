/* media.c: the phone's RTP session (media.h). Sending runs on a one-shot
 * timer re-armed against an absolute schedule (t0 + n * 20 ms), so timer
 * latency does not accumulate into drift; after a long stall the missed
 * frames are skipped (timestamp jumps, marker set) rather than burst. */
#include "phone/media.h"

#include <stdio.h>
#include <string.h>

static void on_rtp(struct sl_loop *l, int fd, unsigned events, void *arg);

enum sl_err
sl_media_init(struct sl_media *m, struct sl_loop *loop, struct sl_trace *trace,
    const struct sl_log *log, const struct sl_endpoint *bind, double tone_hz,
    const int16_t *wav, size_t wav_n, struct sl_wav_writer *rec)
{
	memset(m, 0, sizeof(*m));
	m->loop = loop;
	m->trace = trace;
	m->log = log;
	m->bind = *bind;
	m->local_ip = bind->ip;
	m->wav = wav_n ? wav : NULL;
	m->wav_n = wav_n;
	m->rec = rec;
	m->sock.fd = -1;
	return sl_tone_init(&m->tone, tone_hz, 0.5, SL_TONE_RATE);
}

enum sl_err
sl_media_open(struct sl_media *m, char errbuf[SL_ERRBUF_SIZE])
{
	if (m->sock.fd >= 0)
		return SL_OK;
	enum sl_err e = sl_udp_open(&m->sock, &m->bind, errbuf);
	if (e)
		return e;
	if ((e = sl_loop_add_fd(m->loop, m->sock.fd, SL_LOOP_READ, on_rtp, m)) != SL_OK) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "rtp: too many descriptors");
		sl_udp_close(&m->sock);
	}
	return e;
}

uint16_t
sl_media_port(const struct sl_media *m)
{
	return m->sock.fd >= 0 ? m->sock.local.port : m->bind.port;
}

static struct sl_endpoint
local_ep(const struct sl_media *m)
{
	struct sl_endpoint e = m->sock.local;

	e.ip = m->local_ip;
	return e;
}

/* ----- sending ----- */

static void
next_frame(struct sl_media *m, int16_t pcm[SL_RTP_FRAME_SAMPLES])
{
	if (m->wav == NULL) {
		sl_tone_fill(&m->tone, pcm, SL_RTP_FRAME_SAMPLES);
		return;
	}
	/* the file loops for as long as the call lasts */
	for (size_t i = 0; i < SL_RTP_FRAME_SAMPLES; i++) {
		pcm[i] = m->wav[m->wav_pos];
		m->wav_pos = (m->wav_pos + 1) % m->wav_n;
	}
}

static void
send_frame(struct sl_media *m)
{
	int16_t pcm[SL_RTP_FRAME_SAMPLES];
	uint8_t pkt[SL_RTP_HDR_LEN + SL_RTP_FRAME_SAMPLES];
	char errbuf[SL_ERRBUF_SIZE];

	next_frame(m, pcm);
	size_t n = sl_rtp_send_pcm(&m->tx, pcm, SL_RTP_FRAME_SAMPLES, pkt, sizeof(pkt));
	struct sl_endpoint me = local_ep(m);
	if (sl_udp_send(&m->sock, &m->peer, pkt, n, errbuf) != SL_OK) {
		if (m->st.send_errors++ == 0)
			sl_log(m->log, SL_LOG_DEBUG, NULL, "rtp: %s", errbuf);
		return;
	}
	m->st.sent++;
	sl_trace_udp(m->trace, &me, &m->peer, pkt, n);
}

static void
on_tick(struct sl_loop *l, uint64_t id, void *arg)
{
	struct sl_media *m = arg;
	uint64_t now = sl_loop_now(l);

	(void)id;
	m->tick_timer = 0;
	if (!m->sending || m->sock.fd < 0)
		return;
	uint64_t due = (now - m->t0) / SL_MEDIA_FRAME_MS + 1;
	if (due > m->frames + SL_MEDIA_MAX_BURST) {
		uint64_t skip = due - m->frames - 1;
		sl_rtp_sender_skip(&m->tx, (uint32_t)(skip * SL_RTP_FRAME_SAMPLES));
		m->frames += skip;
	}
	while (m->frames < due) {
		send_frame(m);
		m->frames++;
	}
	uint64_t next = m->t0 + m->frames * SL_MEDIA_FRAME_MS;
	m->tick_timer = sl_loop_timer_add(l, next > now ? next - now : 0, on_tick, m);
}

static void
start_sending(struct sl_media *m)
{
	if (m->tick_timer != 0)
		return;
	m->t0 = sl_loop_now(m->loop);
	m->frames = 0;
	m->tick_timer = sl_loop_timer_add(m->loop, 0, on_tick, m);
}

/* ----- receiving ----- */

static void
record(struct sl_media *m, const struct sl_rtp_packet *p)
{
	int16_t pcm[SL_RTP_MAX_PAYLOAD];
	char errbuf[SL_ERRBUF_SIZE];
	enum sl_err e = SL_OK;

	if (m->rec == NULL || m->rec->failed)
		return;
	if (p->gap > 0) {
		int16_t zero[512] = { 0 };
		for (uint32_t left = p->gap; left > 0 && !e; ) {
			uint32_t k = left > 512 ? 512 : left;
			e = sl_wav_writer_write(m->rec, zero, k, errbuf);
			left -= k;
		}
	}
	size_t n = sl_rtp_decode(p, pcm, SL_RTP_MAX_PAYLOAD);
	if (!e && n)
		e = sl_wav_writer_write(m->rec, pcm, n, errbuf);
	if (e) {
		m->rec->failed = true;
		sl_log(m->log, SL_LOG_WARN, NULL, "record: %s", errbuf);
	}
}

static void
take(struct sl_media *m, size_t n, const struct sl_endpoint *from)
{
	struct sl_rtp_packet p;
	struct sl_endpoint me = local_ep(m);

	sl_trace_udp(m->trace, from, &me, m->buf, n);
	if (!m->running || !m->receiving) {
		m->st.dropped++;
		return;
	}
	uint64_t us = sl_loop_now(m->loop) * 1000u;
	enum sl_err e = sl_rtp_receive(&m->rx, m->buf, n, us, &p);
	if (e != SL_OK) {
		m->st.dropped++;
		return;
	}
	if (!p.late)
		record(m, &p);
}

static void
drain_icmp(struct sl_media *m)
{
	struct sl_endpoint dst, me = local_ep(m);
	struct sl_ip offender;
	uint8_t type, code;
	size_t n;

	for (int i = 0; i < 64; i++) {
		if (sl_udp_recv_icmp(&m->sock, m->buf, sizeof(m->buf), &n, &dst, &offender,
		    &type, &code) != SL_UDP_RX_DATA)
			return;
		m->st.icmp++;
		sl_trace_icmp(m->trace, &offender, &me, &dst, type, code, m->buf, n);
		if (m->st.icmp == 1) {
			char ep[SL_EP_STRLEN];
			sl_log(m->log, SL_LOG_DEBUG, NULL, "rtp: ICMP type %u code %u for %s",
			    type, code, sl_ep_str(&dst, ep, sizeof(ep)));
		}
	}
}

static void
on_rtp(struct sl_loop *l, int fd, unsigned events, void *arg)
{
	struct sl_media *m = arg;
	char errbuf[SL_ERRBUF_SIZE];
	struct sl_endpoint from;
	size_t n;

	(void)l;
	(void)fd;
	if (events & SL_LOOP_ERROR)
		drain_icmp(m);
	/* bounded per wake-up so SIP and timers are never starved */
	for (int i = 0; i < 64 && (events & SL_LOOP_READ); i++) {
		enum sl_udp_rx r = sl_udp_recv(&m->sock, m->buf, sizeof(m->buf), &n, &from,
		    errbuf);
		if (r == SL_UDP_RX_DATA)
			take(m, n, &from);
		else if (r == SL_UDP_RX_REFUSED)
			m->st.dropped++;
		else
			break;
	}
}

/* ----- call life cycle ----- */

static void
apply(struct sl_media *m, const struct sl_media_plan *plan)
{
	m->peer = plan->peer;
	m->receiving = plan->recv;
	m->sending = plan->send;
	if (m->sending)
		start_sending(m);
}

void
sl_media_start(struct sl_media *m, const struct sl_ip *local_ip,
    const struct sl_media_plan *plan, uint64_t seed)
{
	sl_loop_timer_cancel(m->loop, m->tick_timer);
	sl_loop_timer_cancel(m->loop, m->linger_timer);
	m->tick_timer = m->linger_timer = 0;
	m->lingering = false;
	memset(&m->st, 0, sizeof(m->st));
	m->local_ip = *local_ip;
	m->wav_pos = 0;
	sl_rtp_sender_init(&m->tx, plan->law, seed);
	sl_rtp_receiver_init(&m->rx, (int)plan->law);
	m->running = true;
	apply(m, plan);
}

void
sl_media_update(struct sl_media *m, const struct sl_media_plan *plan)
{
	if (!m->running)
		return;
	if (plan->law != m->tx.law) {
		/* a different law is a different payload type: same SSRC,
		 * sequence and clock go on (RFC 3550 5.1) */
		m->tx.law = plan->law;
		sl_rtp_receiver_init(&m->rx, (int)plan->law);
	}
	apply(m, plan);
	if (!m->sending) {
		sl_loop_timer_cancel(m->loop, m->tick_timer);
		m->tick_timer = 0;
	}
}

static void
log_stats(struct sl_media *m)
{
	struct sl_rtp_stats rs;
	char ep[SL_EP_STRLEN];

	sl_rtp_receiver_stats(&m->rx, &rs);
	m->st.rx = rs;
	sl_log(m->log, SL_LOG_INFO, NULL, "rtp: sent %llu packets to %s, received %llu "
	    "(lost %llu, late %llu, jitter %.2f ms)", (unsigned long long)m->st.sent,
	    sl_ep_str(&m->peer, ep, sizeof(ep)), (unsigned long long)rs.received,
	    (unsigned long long)rs.lost, (unsigned long long)rs.late, rs.jitter_ms);
}

static void
on_linger_end(struct sl_loop *l, uint64_t id, void *arg)
{
	struct sl_media *m = arg;

	(void)l;
	(void)id;
	m->linger_timer = 0;
	sl_media_close(m);
}

void
sl_media_stop(struct sl_media *m, uint32_t linger_ms)
{
	if (m->running) {
		log_stats(m);
		m->running = false;
		m->receiving = false;
		if (m->sending && linger_ms > 0 && m->sock.fd >= 0) {
			m->lingering = true;
			m->linger_timer = sl_loop_timer_add(m->loop, linger_ms,
			    on_linger_end, m);
			if (m->linger_timer != 0)
				return;
		}
	} else if (m->lingering) {
		return;
	}
	sl_media_close(m);
}

void
sl_media_close(struct sl_media *m)
{
	if (m->loop == NULL)
		return;
	sl_loop_timer_cancel(m->loop, m->tick_timer);
	sl_loop_timer_cancel(m->loop, m->linger_timer);
	m->tick_timer = m->linger_timer = 0;
	m->running = m->sending = m->receiving = m->lingering = false;
	if (m->sock.fd >= 0) {
		sl_loop_del_fd(m->loop, m->sock.fd);
		sl_udp_close(&m->sock);
	}
}

bool
sl_media_lingering(const struct sl_media *m)
{
	return m->lingering;
}
