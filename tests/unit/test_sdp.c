/* test_sdp.c: the SDP line parser (RFC 8866): c= at session and media
 * level (IPv4/IPv6), several m= lines, rtpmap, direction attributes, and
 * lines that are broken. Each parse result is rendered to one line of
 * text and compared, so a row shows everything that was understood. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "dissectors/dissector.h"
#include "dissectors/sdp.h"
#include "tests/unit/unit.h"

static SL_TEST_STATE(ts);

/* The seed's direct call: the callee's answer (Wireshark showed g711U) */
#define SEED_SDP "v=0\r\n" \
	"o=yate 1234 1 IN IP4 192.168.1.183\r\n" \
	"s=SIP Call\r\n" \
	"c=IN IP4 192.168.1.183\r\n" \
	"t=0 0\r\n" \
	"m=audio 27824 RTP/AVP 0 8 101\r\n" \
	"a=rtpmap:0 PCMU/8000\r\n" \
	"a=rtpmap:8 PCMA/8000\r\n" \
	"a=rtpmap:101 telephone-event/8000\r\n" \
	"a=fmtp:101 0-15\r\n"

static const struct {
	const char *body;
	enum sl_err err;
	const char *anomaly;	/* at least this one, or none if NULL */
	const char *want;
} rows[] = {
	{ SEED_SDP, SL_OK, NULL,
	    "c=192.168.1.183 o=[yate 1234 1 IN IP4 192.168.1.183] | audio 27824 RTP/AVP "
	    "c=192.168.1.183 0:PCMU/8000 8:PCMA/8000 101:telephone-event/8000" },
	/* LF only, no trailing newline, static types without rtpmap */
	{ "v=0\nc=IN IP4 10.0.0.1\nm=audio 4000 RTP/AVP 0 3 4 9 13 18", SL_OK, NULL,
	    "c=10.0.0.1 | audio 4000 RTP/AVP c=10.0.0.1 0:PCMU/8000 3:GSM/8000 4:G723/8000 "
	    "9:G722/8000 13:CN/8000 18:G729/8000" },
	/* IPv6, media-level c= overriding session-level */
	{ "v=0\r\nc=IN IP6 2001:db8::1\r\nm=audio 5004 RTP/AVP 0\r\nc=IN IP6 2001:db8::2\r\n"
	  "m=video 5006 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n", SL_OK, NULL,
	    "c=2001:db8::1 | audio 5004 RTP/AVP c=2001:db8::2 0:PCMU/8000"
	    " | video 5006 RTP/AVP c=2001:db8::1 96:H264/90000" },
	/* no session c=: media without one has none */
	{ "m=audio 5004 RTP/AVP 0\r\nm=audio 5006 RTP/AVP 8\r\nc=IN IP4 1.2.3.4\r\n", SL_OK, NULL,
	    "c=- | audio 5004 RTP/AVP c=- 0:PCMU/8000 | audio 5006 RTP/AVP c=1.2.3.4 8:PCMA/8000" },
	/* direction: session level, media level overriding it */
	{ "c=IN IP4 1.2.3.4\r\na=sendonly\r\nm=audio 1 RTP/AVP 0\r\nm=audio 2 RTP/AVP 0\r\n"
	  "a=inactive\r\n", SL_OK, NULL,
	    "c=1.2.3.4 dir=sendonly | audio 1 RTP/AVP c=1.2.3.4 dir=sendonly 0:PCMU/8000"
	    " | audio 2 RTP/AVP c=1.2.3.4 dir=inactive 0:PCMU/8000" },
	{ "m=audio 1 RTP/AVP 0\r\na=recvonly\r\nm=audio 2 RTP/AVP 0\r\na=sendrecv\r\n", SL_OK, NULL,
	    "c=- | audio 1 RTP/AVP c=- dir=recvonly 0:PCMU/8000"
	    " | audio 2 RTP/AVP c=- dir=sendrecv 0:PCMU/8000" },
	/* hold: 0.0.0.0 and port 0 (rejected stream) are legal */
	{ "c=IN IP4 0.0.0.0\r\nm=audio 0 RTP/AVP 0\r\n", SL_OK, NULL,
	    "c=0.0.0.0 | audio 0 RTP/AVP c=0.0.0.0 0:PCMU/8000" },
	/* multicast TTL, port count, channels in rtpmap, case of IN/IP4 */
	{ "c=in ip4 224.2.1.1/127/3\r\nm=audio 49170/2 RTP/AVP 97\r\na=rtpmap:97 L16/16000/2\r\n",
	    SL_OK, NULL, "c=224.2.1.1 | audio 49170 RTP/AVP c=224.2.1.1 97:L16/16000" },
	/* non-RTP media: formats are not payload types */
	{ "m=message 7394 TCP/MSRP *\r\nm=application 9 UDP/BFCP *\r\n", SL_OK, NULL,
	    "c=- | message 7394 TCP/MSRP c=- | application 9 UDP/BFCP c=-" },
	/* rtpmap for a type the m= line does not list, at session level */
	{ "a=rtpmap:0 PCMU/8000\r\nm=audio 1 RTP/AVP 8\r\na=rtpmap:0 X/1\r\n", SL_OK, NULL,
	    "c=- | audio 1 RTP/AVP c=- 8:PCMA/8000" },
	/* unknown lines and attributes are skipped */
	{ "v=0\r\nb=AS:64\r\nz=0 0\r\nm=audio 1 RTP/AVP 0\r\na=ptime:20\r\na=foo\r\n", SL_OK, NULL,
	    "c=- | audio 1 RTP/AVP c=- 0:PCMU/8000" },
	{ "", SL_OK, NULL, "c=-" },
	{ "\r\n\r\n", SL_OK, NULL, "c=-" },

	/* malformed */
	{ "c=IN IP4 999.1.1.1\r\nm=audio 1 RTP/AVP 0\r\n", SL_EMALFORMED, "sdp.connection",
	    "c=- | audio 1 RTP/AVP c=- 0:PCMU/8000" },
	{ "c=IN IP4 2001:db8::1\r\n", SL_EMALFORMED, "sdp.connection", "c=-" },
	{ "c=IN IP6 10.0.0.1\r\n", SL_EMALFORMED, "sdp.connection", "c=-" },
	{ "c=IN IP4\r\n", SL_EMALFORMED, "sdp.connection", "c=-" },
	{ "c=ATM NSAP 47.0091\r\n", SL_EMALFORMED, "sdp.connection", "c=-" },
	{ "c=IN IP4 host.example.com\r\n", SL_EMALFORMED, "sdp.connection", "c=-" },
	{ "m=audio 65536 RTP/AVP 0\r\n", SL_EMALFORMED, "sdp.media", "c=-" },
	{ "m=audio -1 RTP/AVP 0\r\n", SL_EMALFORMED, "sdp.media", "c=-" },
	{ "m=audio abc RTP/AVP 0\r\n", SL_EMALFORMED, "sdp.media", "c=-" },
	{ "m=audio\r\n", SL_EMALFORMED, "sdp.media", "c=-" },
	{ "m=audio 5004\r\n", SL_EMALFORMED, "sdp.media", "c=-" },
	/* a bad m= takes its attributes with it; the next m= is fine */
	{ "m=audio x RTP/AVP 0\r\nc=IN IP4 1.1.1.1\r\na=rtpmap:0 X/1\r\nm=audio 2 RTP/AVP 0\r\n",
	    SL_EMALFORMED, "sdp.media", "c=- | audio 2 RTP/AVP c=- 0:PCMU/8000" },
	{ "m=audio 1 RTP/AVP 0\r\na=rtpmap:0\r\n", SL_EMALFORMED, "sdp.rtpmap",
	    "c=- | audio 1 RTP/AVP c=- 0:PCMU/8000" },
	/* no colon at all: the value is an empty slice with no pointer */
	{ "m=audio 1 RTP/AVP 0\r\na=rtpmap\r\n", SL_EMALFORMED, "sdp.rtpmap",
	    "c=- | audio 1 RTP/AVP c=- 0:PCMU/8000" },
	{ "m=audio 1 RTP/AVP 0\r\na=rtpmap:x PCMU/8000\r\n", SL_EMALFORMED, "sdp.rtpmap",
	    "c=- | audio 1 RTP/AVP c=- 0:PCMU/8000" },
	{ "m=audio 1 RTP/AVP 0\r\na=rtpmap:0 PCMU/\r\n", SL_EMALFORMED, "sdp.rtpmap",
	    "c=- | audio 1 RTP/AVP c=- 0:PCMU/8000" },
	{ "m=audio 1 RTP/AVP 0\r\na=rtpmap:0 /8000\r\n", SL_EMALFORMED, "sdp.rtpmap",
	    "c=- | audio 1 RTP/AVP c=- 0:PCMU/8000" },
	{ "m=audio 1 RTP/AVP 0 128 abc 8\r\n", SL_OK, NULL,
	    "c=- | audio 1 RTP/AVP c=- 0:PCMU/8000 8:PCMA/8000" },
	{ "hello\r\nm=audio 1 RTP/AVP 0\r\n", SL_EMALFORMED, "sdp.line",
	    "c=- | audio 1 RTP/AVP c=- 0:PCMU/8000" },
	{ "=x\r\nM=audio 1 RTP/AVP 0\r\nx\r\n", SL_EMALFORMED, "sdp.line", "c=-" },
	{ "\x00\xff\x80=\r\n", SL_EMALFORMED, "sdp.line", "c=-" },
};

static void
render(const struct sl_sdp *s, char *out, size_t n)
{
	char ip[SL_IP_STRLEN];
	size_t o = 0;
#define OUT(...) do { \
	int w_ = snprintf(out + o, n - o, __VA_ARGS__); \
	if (w_ > 0 && (size_t)w_ < n - o) \
		o += (size_t)w_; \
} while (0)
	OUT("c=%s", s->conn.family ? sl_ip_str(&s->conn, ip, sizeof(ip)) : "-");
	if (s->dir)
		OUT(" dir=%s", sl_sdp_dir_name(s->dir));
	if (s->origin.n)
		OUT(" o=[%.*s]", SL_PRI(s->origin));
	for (uint8_t i = 0; i < s->n_media; i++) {
		const struct sl_sdp_media *m = &s->media[i];
		OUT(" | %.*s %u %.*s c=%s", SL_PRI(m->type), m->port, SL_PRI(m->proto),
		    m->conn.family ? sl_ip_str(&m->conn, ip, sizeof(ip)) : "-");
		if (m->dir)
			OUT(" dir=%s", sl_sdp_dir_name(m->dir));
		for (uint8_t k = 0; k < m->n_fmt; k++)
			OUT(" %u:%.*s/%u", m->fmt[k].pt, SL_PRI(m->fmt[k].name), m->fmt[k].rate);
	}
	if (s->media_lost)
		OUT(" lost=%u", s->media_lost);
#undef OUT
}

static void
test_rows(void)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		struct sl_packet pkt;
		struct sl_sdp sdp;
		char got[1024];
		sl_packet_init(&pkt, NULL);
		size_t len = strlen(rows[i].body);
		if (i == sizeof(rows) / sizeof(rows[0]) - 1)
			len = 6;	/* the row with a NUL byte */
		enum sl_err err = sl_sdp_parse(&pkt, sl_str_make(rows[i].body, len), &sdp);
		SL_CHECK_MSG(&ts, err == rows[i].err, "row %zu: err %d", i, err);
		bool found = rows[i].anomaly == NULL && pkt.n_anomalies == 0;
		for (uint8_t k = 0; rows[i].anomaly && k < pkt.n_anomalies; k++)
			found |= strcmp(pkt.anomalies[k], rows[i].anomaly) == 0;
		SL_CHECK_MSG(&ts, found, "row %zu: anomaly %s (%u)", i,
		    rows[i].anomaly ? rows[i].anomaly : "none", pkt.n_anomalies);
		render(&sdp, got, sizeof(got));
		SL_CHECK_MSG(&ts, strcmp(got, rows[i].want) == 0, "row %zu:\n  got  %s\n  want %s", i,
		    got, rows[i].want);
	}
}

static void
test_limits(void)
{
	/* more m= lines than kept, more formats than kept */
	char body[2048];
	size_t o = 0;
	for (int i = 0; i < SL_SDP_MAX_MEDIA + 3; i++)
		o += (size_t)snprintf(body + o, sizeof(body) - o, "m=audio %d RTP/AVP 0\r\n", 1000 + i);
	o += (size_t)snprintf(body + o, sizeof(body) - o, "a=rtpmap:0 X/1\r\n");
	struct sl_packet pkt;
	struct sl_sdp sdp;
	sl_packet_init(&pkt, NULL);
	SL_CHECK(&ts, sl_sdp_parse(&pkt, sl_str_make(body, o), &sdp) == SL_OK);
	SL_CHECK(&ts, sdp.n_media == SL_SDP_MAX_MEDIA && sdp.media_lost == 3);
	SL_CHECK(&ts, sdp.media[SL_SDP_MAX_MEDIA - 1].port == 1000 + SL_SDP_MAX_MEDIA - 1);
	SL_CHECK(&ts, sl_str_eq(sdp.media[SL_SDP_MAX_MEDIA - 1].fmt[0].name, SL_STR("PCMU")));

	o = (size_t)snprintf(body, sizeof(body), "m=audio 1 RTP/AVP");
	for (int i = 0; i < SL_SDP_MAX_FMT + 4; i++)
		o += (size_t)snprintf(body + o, sizeof(body) - o, " %d", 96 + i);
	sl_packet_init(&pkt, NULL);
	SL_CHECK(&ts, sl_sdp_parse(&pkt, sl_str_make(body, o), &sdp) == SL_OK);
	SL_CHECK(&ts, sdp.n_media == 1 && sdp.media[0].n_fmt == SL_SDP_MAX_FMT);
	SL_CHECK(&ts, sdp.media[0].fmt[SL_SDP_MAX_FMT - 1].pt == 96 + SL_SDP_MAX_FMT - 1);
	SL_CHECK(&ts, sdp.media[0].fmt[0].name.n == 0 && sdp.media[0].fmt[0].rate == 0);
}

static void
test_static_codecs(void)
{
	static const struct {
		uint8_t pt;
		const char *name;
		uint32_t rate;
	} codecs[] = {
		{ 0, "PCMU", 8000 }, { 3, "GSM", 8000 }, { 4, "G723", 8000 }, { 8, "PCMA", 8000 },
		{ 9, "G722", 8000 }, { 13, "CN", 8000 }, { 18, "G729", 8000 }, { 6, "DVI4", 16000 },
		{ 10, "L16", 44100 }, { 26, "JPEG", 90000 }, { 34, "H263", 90000 },
		{ 1, "", 0 }, { 2, "", 0 }, { 19, "", 0 }, { 35, "", 0 }, { 96, "", 0 }, { 127, "", 0 },
		{ 255, "", 0 },
	};
	for (size_t i = 0; i < sizeof(codecs) / sizeof(codecs[0]); i++) {
		uint32_t rate = 1;
		const char *n = sl_rtp_static_codec(codecs[i].pt, &rate);
		SL_CHECK_MSG(&ts, strcmp(n, codecs[i].name) == 0 && rate == codecs[i].rate,
		    "pt %u: %s/%u", codecs[i].pt, n, rate);
	}
	SL_CHECK(&ts, strcmp(sl_rtp_static_codec(0, NULL), "PCMU") == 0);
	SL_CHECK(&ts, strcmp(sl_sdp_dir_name(SL_SDP_DIR_RECVONLY), "recvonly") == 0);
	SL_CHECK(&ts, strcmp(sl_sdp_dir_name(SL_SDP_DIR_NONE), "") == 0);
	SL_CHECK(&ts, strcmp(sl_sdp_dir_name((enum sl_sdp_dir)42), "") == 0);
}

int
main(void)
{
	test_rows();
	test_limits();
	test_static_codecs();
	return sl_test_report(&ts, "test_sdp");
}
