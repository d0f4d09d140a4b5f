/* rtp_recv.c: see rtp_recv.h. Header walk and RTCP test by core/rtphdr.c,
 * the parser dissectors/rtp.c uses too; statistics after RFC 3550
 * appendix A. */
#include "phone/rtp_recv.h"

#include "core/cursor.h"
#include "core/rtphdr.h"

#define SEQ_MOD 65536u
#define RATE_PER_MS 8u	/* G.711 timestamp units per millisecond */

void
sl_rtp_receiver_init(struct sl_rtp_receiver *r, int expected_pt)
{
	*r = (struct sl_rtp_receiver){ .expected_pt = expected_pt };
}

static enum sl_err
reject(struct sl_rtp_receiver *r, enum sl_err e, const char *why)
{
	if (e == SL_EMALFORMED)
		r->invalid++;
	r->why = why;
	return e;
}

/* RFC 3550 A.1 init_seq, for the first packet of a source */
static void
start_source(struct sl_rtp_receiver *r, const struct sl_rtp_packet *p)
{
	if (r->started && r->ssrc != p->ssrc)
		r->ssrc_changes++;
	r->started = true;
	r->ssrc = p->ssrc;
	r->base_seq = p->seq;
	r->max_seq = p->seq;
	r->bad_seq = SEQ_MOD + 1;	/* no seq matches */
	r->cycles = 0;
	r->received = 0;
	r->late = 0;
	r->jitter = 0;
}

static enum sl_err
parse(struct sl_rtp_receiver *r, const uint8_t *dgram, size_t len,
    struct sl_rtp_packet *p)
{
	/* RFC 5761 4: RTCP muxed on this port, any type of the 192..223 band */
	if (sl_rtphdr_is_rtcp(dgram, len))
		return reject(r, SL_ENOTMINE, "RTCP packet");
	struct sl_rtphdr h;
	switch (sl_rtphdr_parse(sl_cur_init(dgram, len), &h)) {
	case SL_RTPHDR_OK:
		break;
	case SL_RTPHDR_SHORT:
		return reject(r, SL_EMALFORMED, "shorter than the RTP header");
	case SL_RTPHDR_VERSION:
		return reject(r, SL_EMALFORMED, "RTP version is not 2");
	case SL_RTPHDR_TRUNCATED:
		return reject(r, SL_EMALFORMED, "CSRC list or extension truncated");
	case SL_RTPHDR_PADDING:
	default:
		return reject(r, SL_EMALFORMED, "bad padding length");
	}
	p->seq = h.seq;
	p->ts = h.ts;
	p->ssrc = h.ssrc;
	p->marker = h.marker;
	p->pt = h.pt;
	p->payload = h.payload;
	p->payload_len = h.payload_len;
	bool g711 = p->pt == SL_G711_PCMU || p->pt == SL_G711_PCMA;
	if (!g711 || (r->expected_pt != SL_RTP_PT_ANY && p->pt != r->expected_pt)) {
		r->other_pt++;
		return reject(r, SL_ENOTMINE, g711 ?
		    "payload type not the negotiated one" : "payload type not G.711");
	}
	return SL_OK;
}

enum seq_verdict { SEQ_NEXT, SEQ_RESTART, SEQ_JUMP };

/* RFC 3550 A.1 update_seq, minus probation. */
static enum seq_verdict
update_seq(struct sl_rtp_receiver *r, struct sl_rtp_packet *p)
{
	uint16_t udelta = (uint16_t)(p->seq - r->max_seq);
	if (udelta == 0) {
		p->late = true;		/* duplicate */
	} else if (udelta < SL_RTP_MAX_DROPOUT) {
		if (p->seq < r->max_seq)
			r->cycles += SEQ_MOD;
		r->max_seq = p->seq;
	} else if (udelta <= SEQ_MOD - SL_RTP_MAX_MISORDER) {
		if (p->seq != r->bad_seq) {
			r->bad_seq = (p->seq + 1u) & (SEQ_MOD - 1);
			return SEQ_JUMP;
		}
		/* two sequential packets after a jump: the sender restarted */
		start_source(r, p);
		return SEQ_RESTART;
	} else {
		p->late = true;		/* reordered, within MAX_MISORDER */
	}
	return SEQ_NEXT;
}

static void
update_jitter(struct sl_rtp_receiver *r, const struct sl_rtp_packet *p,
    uint64_t arrival_us, bool first)
{
	/* arrival in timestamp units; the wrap of uint32_t cancels out in
	 * the difference below (RFC 3550 A.8) */
	uint32_t arrival = (uint32_t)(arrival_us / (1000u / RATE_PER_MS));
	int32_t transit = (int32_t)(arrival - p->ts);
	if (!first) {
		int64_t d = (int64_t)transit - r->transit;
		if (d < 0)
			d = -d;
		r->jitter += ((double)d - r->jitter) / 16.0;
	}
	r->transit = transit;
}

enum sl_err
sl_rtp_receive(struct sl_rtp_receiver *r, const uint8_t *dgram, size_t len,
    uint64_t arrival_us, struct sl_rtp_packet *out)
{
	struct sl_rtp_packet p = { 0 };
	enum sl_err e = parse(r, dgram, len, &p);
	if (e != SL_OK)
		return e;
	bool first = !r->started || p.ssrc != r->ssrc;
	if (first) {
		start_source(r, &p);
	} else {
		enum seq_verdict v = update_seq(r, &p);
		if (v == SEQ_JUMP)
			return reject(r, SL_ENOTMINE, "sequence jump not yet confirmed");
		first = v == SEQ_RESTART;
	}
	if (!p.late) {
		if (!first) {
			int32_t d = (int32_t)(p.ts - r->next_ts);
			if (d > 0)
				p.gap = d > SL_RTP_MAX_GAP ? SL_RTP_MAX_GAP : (uint32_t)d;
		}
		r->next_ts = p.ts + (uint32_t)p.payload_len;
	} else {
		r->late++;
	}
	if (!p.late)
		update_jitter(r, &p, arrival_us, first);
	r->received++;
	r->why = NULL;
	*out = p;
	return SL_OK;
}

size_t
sl_rtp_decode(const struct sl_rtp_packet *p, int16_t *pcm, size_t cap)
{
	size_t n = p->payload_len < cap ? p->payload_len : cap;
	sl_g711_decode(p->pt == SL_G711_PCMA ? SL_G711_PCMA : SL_G711_PCMU,
	    p->payload, n, pcm);
	return n;
}

void
sl_rtp_receiver_stats(const struct sl_rtp_receiver *r, struct sl_rtp_stats *out)
{
	uint64_t expected = 0;
	if (r->started)
		expected = (uint64_t)r->cycles + r->max_seq - r->base_seq + 1;
	*out = (struct sl_rtp_stats){
		.received = r->received,
		.expected = expected,
		.lost = expected > r->received ? expected - r->received : 0,
		.late = r->late,
		.invalid = r->invalid,
		.other_pt = r->other_pt,
		.ssrc_changes = r->ssrc_changes,
		.jitter_ms = r->jitter / RATE_PER_MS,
	};
}
