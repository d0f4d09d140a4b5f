/* test_rtp.c: the G.711 RTP packetizer (header bytes, sequence and
 * timestamp steps, seeding) and the receiver (validation table of
 * malformed datagrams, loss, reordering, wrap, SSRC change, jitter,
 * decoding). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "phone/rtp_recv.h"
#include "phone/rtp_send.h"
#include "phone/tone.h"
#include "tests/unit/unit.h"

static SL_TEST_STATE(ts);

static uint16_t
be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void
test_sender(void)
{
	struct sl_rtp_sender s, s2, s3;
	sl_rtp_sender_init(&s, SL_G711_PCMU, 42);
	sl_rtp_sender_init(&s2, SL_G711_PCMU, 42);
	sl_rtp_sender_init(&s3, SL_G711_PCMU, 43);
	SL_CHECK(&ts, s.ssrc == s2.ssrc && s.seq == s2.seq && s.ts == s2.ts);
	SL_CHECK(&ts, s.ssrc != s3.ssrc && s.seq != s3.seq && s.ts != s3.ts);

	int16_t pcm[SL_RTP_FRAME_SAMPLES] = { 0 };
	pcm[1] = 1000;
	uint8_t pkt[SL_RTP_HDR_LEN + SL_RTP_MAX_PAYLOAD];
	uint16_t seq0 = s.seq;
	uint32_t ts0 = s.ts;
	for (int i = 0; i < 3; i++) {
		size_t n = sl_rtp_send_pcm(&s, pcm, SL_RTP_FRAME_SAMPLES, pkt, sizeof(pkt));
		SL_CHECK(&ts, n == 172);
		SL_CHECK(&ts, pkt[0] == 0x80);			/* V=2 P=0 X=0 CC=0 */
		SL_CHECK_MSG(&ts, pkt[1] == (i == 0 ? 0x80 : 0x00), "marker/pt 0x%02x", pkt[1]);
		SL_CHECK(&ts, be16(pkt + 2) == (uint16_t)(seq0 + i));
		SL_CHECK(&ts, be32(pkt + 4) == ts0 + 160u * (uint32_t)i);
		SL_CHECK(&ts, be32(pkt + 8) == s.ssrc);
		SL_CHECK(&ts, pkt[12] == 0xff && pkt[13] == 0xce);
	}
	SL_CHECK(&ts, s.packets == 3 && s.octets == 480);

	/* a buffer too small or an oversized payload changes nothing */
	SL_CHECK(&ts, sl_rtp_send_pcm(&s, pcm, 160, pkt, 171) == 0);
	SL_CHECK(&ts, sl_rtp_send_payload(&s, pkt, SL_RTP_MAX_PAYLOAD + 1, pkt, sizeof(pkt)) == 0);
	SL_CHECK(&ts, s.seq == (uint16_t)(seq0 + 3) && s.packets == 3);

	/* skipped samples: timestamp jumps, sequence does not, marker set */
	sl_rtp_sender_skip(&s, 480);
	SL_CHECK(&ts, sl_rtp_send_pcm(&s, pcm, 160, pkt, sizeof(pkt)) == 172);
	SL_CHECK(&ts, pkt[1] == 0x80 && be16(pkt + 2) == (uint16_t)(seq0 + 3) &&
	    be32(pkt + 4) == ts0 + 960);

	/* PCMA: payload type 8 and A-law codes */
	struct sl_rtp_sender a;
	sl_rtp_sender_init(&a, SL_G711_PCMA, 1);
	SL_CHECK(&ts, sl_rtp_send_pcm(&a, pcm, 2, pkt, sizeof(pkt)) == 14);
	SL_CHECK(&ts, pkt[1] == 0x88 && pkt[12] == 0xd5 && pkt[13] == 0xfa);
	uint8_t raw[3] = { 1, 2, 3 };
	SL_CHECK(&ts, sl_rtp_send_payload(&a, raw, 3, pkt, 15) == 15);
	SL_CHECK(&ts, pkt[1] == 0x08 && pkt[14] == 3 && a.ts == be32(pkt + 4) + 3);

	/* sequence numbers wrap modulo 2^16 */
	s.seq = 0xffff;
	sl_rtp_send_pcm(&s, pcm, 160, pkt, sizeof(pkt));
	SL_CHECK(&ts, be16(pkt + 2) == 0xffff && s.seq == 0);
}

/* A datagram: header bytes then payload. */
static size_t
mk(uint8_t *out, uint8_t b0, uint8_t b1, uint16_t seq, uint32_t t, uint32_t ssrc,
    const uint8_t *tail, size_t tail_len)
{
	out[0] = b0;
	out[1] = b1;
	out[2] = (uint8_t)(seq >> 8);
	out[3] = (uint8_t)seq;
	for (int i = 0; i < 4; i++) {
		out[4 + i] = (uint8_t)(t >> (24 - 8 * i));
		out[8 + i] = (uint8_t)(ssrc >> (24 - 8 * i));
	}
	memcpy(out + 12, tail, tail_len);
	return 12 + tail_len;
}

static const struct {
	const char *name;
	uint8_t b0, b1;
	const char *tail;	/* bytes after the fixed header */
	size_t tail_len;
	size_t cut;		/* datagram length + 1; 0 = all */
	int expected_pt;
	enum sl_err want;
	size_t want_payload;
} rx_rows[] = {
	{ "pcmu", 0x80, 0x00, "abcd", 4, 0, 0, SL_OK, 4 },
	{ "pcma any", 0x80, 0x08, "abcd", 4, 0, SL_RTP_PT_ANY, SL_OK, 4 },
	{ "marker", 0x80, 0x80, "ab", 2, 0, 0, SL_OK, 2 },
	{ "empty payload", 0x80, 0x00, "", 0, 0, 0, SL_OK, 0 },
	{ "one csrc", 0x81, 0x00, "CSRCxy", 6, 0, 0, SL_OK, 2 },
	{ "extension", 0x90, 0x00, "\xbe\xde\x00\x01" "EXT1" "pp", 10, 0, 0, SL_OK, 2 },
	{ "padding 2", 0xa0, 0x00, "abc\x00\x02", 5, 0, 0, SL_OK, 3 },
	{ "padding all", 0xa0, 0x00, "\x00\x00\x03", 3, 0, 0, SL_OK, 0 },

	{ "empty datagram", 0x80, 0x00, "", 0, 1, 0, SL_EMALFORMED, 0 },
	{ "11 bytes", 0x80, 0x00, "", 0, 12, 0, SL_EMALFORMED, 0 },
	{ "version 1", 0x40, 0x00, "ab", 2, 0, 0, SL_EMALFORMED, 0 },
	{ "version 0", 0x00, 0x00, "ab", 2, 0, 0, SL_EMALFORMED, 0 },
	{ "version 3", 0xc0, 0x00, "ab", 2, 0, 0, SL_EMALFORMED, 0 },
	{ "15 csrc, none there", 0x8f, 0x00, "ab", 2, 0, 0, SL_EMALFORMED, 0 },
	{ "extension header cut", 0x90, 0x00, "\xbe", 1, 0, 0, SL_EMALFORMED, 0 },
	{ "extension length huge", 0x90, 0x00, "\xbe\xde\xff\xff" "ab", 6, 0, 0,
	    SL_EMALFORMED, 0 },
	{ "padding count 0", 0xa0, 0x00, "ab\x00", 3, 0, 0, SL_EMALFORMED, 0 },
	{ "padding past payload", 0xa0, 0x00, "ab\x09", 3, 0, 0, SL_EMALFORMED, 0 },
	{ "padding, no payload", 0xa0, 0x00, "", 0, 0, 0, SL_EMALFORMED, 0 },
	{ "rtcp sender report", 0x80, 200, "abcd", 4, 0, 0, SL_ENOTMINE, 0 },
	{ "rtcp bye", 0x81, 203, "abcd", 4, 0, SL_RTP_PT_ANY, SL_ENOTMINE, 0 },
	/* core/rtphdr.h: the whole RFC 5761 band 192..223 is RTCP */
	{ "rtcp xr", 0x80, 207, "abcd", 4, 0, SL_RTP_PT_ANY, SL_ENOTMINE, 0 },
	{ "rtcp psfb", 0x81, 206, "abcd", 4, 0, SL_RTP_PT_ANY, SL_ENOTMINE, 0 },
	{ "rtcp bye, 8 bytes", 0x81, 203, "", 0, 9, SL_RTP_PT_ANY, SL_ENOTMINE, 0 },
	{ "telephone-event", 0x80, 101, "abcd", 4, 0, SL_RTP_PT_ANY, SL_ENOTMINE, 0 },
	{ "comfort noise", 0x80, 13, "a", 1, 0, 0, SL_ENOTMINE, 0 },
	{ "pcma, expected pcmu", 0x80, 0x08, "ab", 2, 0, 0, SL_ENOTMINE, 0 },
	{ "pcmu, expected pcma", 0x80, 0x00, "ab", 2, 0, 8, SL_ENOTMINE, 0 },
};

static void
test_receiver_table(void)
{
	for (size_t i = 0; i < sizeof(rx_rows) / sizeof(rx_rows[0]); i++) {
		uint8_t d[64];
		size_t n = mk(d, rx_rows[i].b0, rx_rows[i].b1, 7, 1000, 0x1234,
		    (const uint8_t *)rx_rows[i].tail, rx_rows[i].tail_len);
		if (rx_rows[i].cut)
			n = rx_rows[i].cut - 1;
		struct sl_rtp_receiver r;
		struct sl_rtp_packet p;
		sl_rtp_receiver_init(&r, rx_rows[i].expected_pt);
		enum sl_err e = sl_rtp_receive(&r, d, n, 0, &p);
		SL_CHECK_MSG(&ts, e == rx_rows[i].want, "%s: got %d (%s)", rx_rows[i].name,
		    (int)e, r.why ? r.why : "");
		if (e == SL_OK) {
			SL_CHECK_MSG(&ts, p.payload_len == rx_rows[i].want_payload,
			    "%s: payload %zu", rx_rows[i].name, p.payload_len);
			SL_CHECK(&ts, p.seq == 7 && p.ts == 1000 && p.ssrc == 0x1234 &&
			    r.received == 1 && r.why == NULL);
		} else {
			SL_CHECK_MSG(&ts, r.why != NULL && r.received == 0, "%s", rx_rows[i].name);
			SL_CHECK(&ts, (e == SL_EMALFORMED) == (r.invalid == 1));
		}
	}
}

/* Send frames through a sender, deliver them in a chosen order. */
struct link {
	struct sl_rtp_sender tx;
	struct sl_rtp_receiver rx;
	uint8_t pkt[64][200];
	size_t len[64];
};

static void
link_init(struct link *l, uint64_t seed, int frames, size_t samples)
{
	sl_rtp_sender_init(&l->tx, SL_G711_PCMU, seed);
	sl_rtp_receiver_init(&l->rx, SL_G711_PCMU);
	int16_t pcm[160];
	struct sl_tone tone;
	sl_tone_init(&tone, 440, 0.5, SL_TONE_RATE);
	for (int i = 0; i < frames; i++) {
		sl_tone_fill(&tone, pcm, samples);
		l->len[i] = sl_rtp_send_pcm(&l->tx, pcm, samples, l->pkt[i], sizeof(l->pkt[i]));
	}
}

static enum sl_err
deliver(struct link *l, int i, uint64_t at_us, struct sl_rtp_packet *p)
{
	return sl_rtp_receive(&l->rx, l->pkt[i], l->len[i], at_us, p);
}

static void
test_receiver_stream(void)
{
	static struct link l;
	struct sl_rtp_packet p;
	struct sl_rtp_stats st;

	/* in order, exactly 20 ms apart: no loss, no jitter, no gaps */
	link_init(&l, 7, 50, 160);
	for (int i = 0; i < 50; i++) {
		SL_CHECK(&ts, deliver(&l, i, 5000000u + 20000u * (uint64_t)i, &p) == SL_OK);
		SL_CHECK(&ts, p.gap == 0 && !p.late && p.marker == (i == 0));
	}
	sl_rtp_receiver_stats(&l.rx, &st);
	SL_CHECK(&ts, st.received == 50 && st.expected == 50 && st.lost == 0);
	SL_CHECK_MSG(&ts, st.jitter_ms == 0.0, "jitter %f", st.jitter_ms);

	/* decoding gives back what the sender encoded */
	int16_t pcm[160], want[160];
	struct sl_tone tone;
	sl_tone_init(&tone, 440, 0.5, SL_TONE_RATE);
	sl_tone_fill(&tone, want, 160);
	link_init(&l, 7, 1, 160);
	SL_CHECK(&ts, deliver(&l, 0, 0, &p) == SL_OK);
	SL_CHECK(&ts, sl_rtp_decode(&p, pcm, 160) == 160);
	int far = 0;
	for (int i = 0; i < 160; i++)
		far += abs(pcm[i] - want[i]) > 1 + abs(want[i]) / 16;
	SL_CHECK_MSG(&ts, far == 0, "%d samples off", far);
	SL_CHECK(&ts, sl_rtp_decode(&p, pcm, 10) == 10);

	/* two packets lost: 320 samples of gap, loss 2 */
	link_init(&l, 8, 10, 160);
	for (int i = 0; i < 10; i++) {
		if (i == 3 || i == 4)
			continue;
		SL_CHECK(&ts, deliver(&l, i, 20000u * (uint64_t)i, &p) == SL_OK);
		SL_CHECK_MSG(&ts, p.gap == (i == 5 ? 320u : 0u), "frame %d gap %u", i, p.gap);
	}
	sl_rtp_receiver_stats(&l.rx, &st);
	SL_CHECK(&ts, st.received == 8 && st.expected == 10 && st.lost == 2);

	/* reordered and duplicated packets are late; nothing is lost */
	link_init(&l, 9, 6, 160);
	static const int order[] = { 0, 1, 3, 2, 4, 4, 5 };
	int late = 0;
	for (size_t k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
		SL_CHECK(&ts, deliver(&l, order[k], 20000u * k, &p) == SL_OK);
		late += p.late;
		if (order[k] == 3)
			SL_CHECK(&ts, p.gap == 160);
	}
	sl_rtp_receiver_stats(&l.rx, &st);
	SL_CHECK(&ts, late == 2 && st.late == 2 && st.expected == 6 && st.lost == 0);

	/* irregular arrival: jitter grows */
	link_init(&l, 10, 20, 160);
	for (int i = 0; i < 20; i++)
		deliver(&l, i, 20000u * (uint64_t)i + (i % 2 ? 10000u : 0u), &p);
	sl_rtp_receiver_stats(&l.rx, &st);
	SL_CHECK_MSG(&ts, st.jitter_ms > 3.0 && st.jitter_ms < 10.0, "jitter %f", st.jitter_ms);

	/* a gap far longer than a second is reported as SL_RTP_MAX_GAP */
	link_init(&l, 11, 2, 160);
	SL_CHECK(&ts, deliver(&l, 0, 0, &p) == SL_OK);
	uint32_t t1 = be32(l.pkt[1] + 4) + 80000;
	for (int i = 0; i < 4; i++)
		l.pkt[1][4 + i] = (uint8_t)(t1 >> (24 - 8 * i));
	SL_CHECK(&ts, deliver(&l, 1, 20000, &p) == SL_OK && p.gap == SL_RTP_MAX_GAP);
}

static void
test_receiver_edges(void)
{
	struct sl_rtp_receiver r;
	struct sl_rtp_packet p;
	struct sl_rtp_stats st;
	uint8_t d[64];
	const uint8_t pl[4] = { 0xff, 0xff, 0xff, 0xff };

	/* sequence wrap: 65534, 65535, 0, 1 are four in-order packets */
	sl_rtp_receiver_init(&r, 0);
	for (uint32_t i = 0; i < 4; i++) {
		size_t n = mk(d, 0x80, 0, (uint16_t)(65534u + i), 4 * i, 5, pl, 4);
		SL_CHECK(&ts, sl_rtp_receive(&r, d, n, 500 * i, &p) == SL_OK && !p.late);
	}
	sl_rtp_receiver_stats(&r, &st);
	SL_CHECK(&ts, st.expected == 4 && st.lost == 0 && r.cycles == 65536);

	/* a jump beyond MAX_DROPOUT is held back until the next packet
	 * confirms it, then the statistics restart from there */
	size_t n = mk(d, 0x80, 0, 30000, 100, 5, pl, 4);
	SL_CHECK(&ts, sl_rtp_receive(&r, d, n, 0, &p) == SL_ENOTMINE);
	SL_CHECK(&ts, r.why != NULL && r.invalid == 0);
	n = mk(d, 0x80, 0, 30001, 104, 5, pl, 4);
	SL_CHECK(&ts, sl_rtp_receive(&r, d, n, 0, &p) == SL_OK && p.gap == 0);
	n = mk(d, 0x80, 0, 30002, 108, 5, pl, 4);
	SL_CHECK(&ts, sl_rtp_receive(&r, d, n, 0, &p) == SL_OK);
	sl_rtp_receiver_stats(&r, &st);
	SL_CHECK(&ts, st.received == 2 && st.expected == 2);

	/* a new SSRC takes over and restarts the counts */
	n = mk(d, 0x80, 0, 9, 0, 6, pl, 4);
	SL_CHECK(&ts, sl_rtp_receive(&r, d, n, 0, &p) == SL_OK && p.ssrc == 6);
	sl_rtp_receiver_stats(&r, &st);
	SL_CHECK(&ts, st.ssrc_changes == 1 && st.received == 1 && st.expected == 1);

	/* rejected datagrams are counted but do not disturb the stream */
	n = mk(d, 0x80, 101, 10, 4, 6, pl, 4);
	SL_CHECK(&ts, sl_rtp_receive(&r, d, n, 0, &p) == SL_ENOTMINE);
	SL_CHECK(&ts, sl_rtp_receive(&r, d, 5, 0, &p) == SL_EMALFORMED);
	n = mk(d, 0x80, 0, 10, 4, 6, pl, 4);
	SL_CHECK(&ts, sl_rtp_receive(&r, d, n, 0, &p) == SL_OK && p.gap == 0);
	sl_rtp_receiver_stats(&r, &st);
	SL_CHECK(&ts, st.other_pt == 1 && st.invalid == 1 && st.lost == 0);

	/* every prefix and every single-byte change of a packet is safe */
	uint8_t good[40], buf[40];
	size_t gl = mk(good, 0xb1, 0x80, 1, 2, 3,
	    (const uint8_t *)"CSRC\xbe\xde\x00\x01XXXXabcdef\x00\x02", 20);
	for (size_t k = 0; k <= gl; k++) {
		sl_rtp_receiver_init(&r, SL_RTP_PT_ANY);
		if (sl_rtp_receive(&r, good, k, 0, &p) == SL_OK)
			SL_CHECK(&ts, p.payload + p.payload_len <= good + k);
	}
	for (size_t pos = 0; pos < gl; pos++) {
		for (int bit = 0; bit < 8; bit++) {
			memcpy(buf, good, gl);
			buf[pos] ^= (uint8_t)(1u << bit);
			sl_rtp_receiver_init(&r, SL_RTP_PT_ANY);
			if (sl_rtp_receive(&r, buf, gl, 0, &p) == SL_OK)
				SL_CHECK(&ts, p.payload >= buf + 12 &&
				    p.payload + p.payload_len <= buf + gl);
		}
	}
}

int
main(void)
{
	test_sender();
	test_receiver_table();
	test_receiver_stream();
	test_receiver_edges();
	return sl_test_report(&ts, "rtp");
}
