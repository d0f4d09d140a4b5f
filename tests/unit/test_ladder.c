/* test_ladder.c: the ladder layout (reports/ladder.c) and its two text
 * renderers, on call models built by hand (there is no capture here):
 * columns and roles, notes, self-messages, retransmissions, RTP rows,
 * width squeezing, ASCII versus UTF-8, and the seed's two ladders
 * compared byte for byte. */
#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "tests/unit/fixture.h"
#include "reports/ladder.h"

/* ----- the seed's direct call, as Wireshark's Flow Sequence showed it ----- */

static struct sl_call *
seed_direct(void)
{
	struct sl_endpoint caller = fx_ep("192.168.1.101", 5060),
	    callee = fx_ep("192.168.1.183", 5060);
	struct sl_endpoint m_caller = fx_ep("192.168.1.101", 27392),
	    m_callee = fx_ep("192.168.1.183", 27824);
	struct sl_call *c = fx_new_call(SL_CALL_INVITE, 1);
	struct sl_leg *a = fx_add_leg(c, 'A', "1@192.168.1.101", "anonymous", "0", caller, callee);
	struct sl_msg *m = fx_req(c, a, 3985000, caller, callee, "INVITE", 1);
	fx_sdp(m, m_caller);
	m->from_uri = SL_STR("sip:anonymous@192.168.1.183");
	m->to_uri = SL_STR("sip:0@192.168.1.183");
	fx_resp(c, a, 4004000, callee, caller, 100, "Trying", "INVITE", 1);
	fx_resp(c, a, 4035000, callee, caller, 180, "Ringing", "INVITE", 1);
	fx_sdp(fx_resp(c, a, 11818000, callee, caller, 200, "OK", "INVITE", 1), m_callee);
	fx_req(c, a, 11826000, caller, callee, "ACK", 1);
	fx_add_stream(c, a, m_callee, m_caller, 0x1726C94E, "PCMU", 281, 11857000, 17454000);
	fx_add_stream(c, a, m_caller, m_callee, 0x7805579C, "PCMU", 280, 11954000, 17504000);
	fx_req(c, a, 17495000, callee, caller, "BYE", 2);
	fx_resp(c, a, 17514000, caller, callee, 100, "Trying", "BYE", 2);
	fx_resp(c, a, 17526000, caller, callee, 200, "OK", "BYE", 2);
	c->sum.state = SL_STATE_COMPLETED;
	c->sum.hangup_by = SL_SIDE_CALLEE;
	c->sum.from_user = SL_STR("anonymous");
	c->sum.to_user = SL_STR("0");
	c->sum.talk_ns = 5677000000;
	return c;
}

/* ----- helpers ----- */

static struct sl_report_opts
opts_of(unsigned width, bool ascii, bool rtp)
{
	struct sl_report_opts o = fx_opts();
	o.width = width;
	o.ascii = ascii;
	o.rtp = rtp;
	return o;
}

/* Display columns of one line: UTF-8 continuation bytes take none. */
static size_t
display_width(const char *p, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)p[i] & 0xc0) != 0x80)
			w++;
	return w;
}

static size_t
widest_line(const char *s)
{
	size_t max = 0;
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		size_t w = display_width(s, n);
		if (w > max)
			max = w;
		s += n + (nl ? 1 : 0);
	}
	return max;
}

/* ----- layout ----- */

static void
test_columns_and_roles(struct sl_test_state *ts)
{
	struct sl_call *c = fx_seed_b2bua();
	struct sl_arena a;
	struct sl_ladder l;
	sl_arena_init(&a, 4096, 0);
	SL_CHECK(ts, sl_ladder_build(&l, c, false, &a) == SL_OK);
	SL_CHECK(ts, l.n_cols == 3);
	SL_CHECK(ts, l.n_rows == 23);
	if (l.n_cols == 3) {
		SL_CHECK(ts, sl_str_eq(l.cols[0].addr, SL_STR("192.168.1.183:5060")));
		SL_CHECK(ts, sl_str_eq(l.cols[1].addr, SL_STR("192.168.1.50:5060")));
		SL_CHECK(ts, sl_str_eq(l.cols[2].addr, SL_STR("192.168.1.101:5060")));
		SL_CHECK(ts, l.cols[0].role == SL_ROLE_CALLER);
		SL_CHECK(ts, l.cols[1].role == SL_ROLE_SERVER);
		SL_CHECK(ts, l.cols[2].role == SL_ROLE_CALLEE);
		SL_CHECK(ts, sl_str_eq(l.cols[0].title, SL_STR("caller u1")));
		SL_CHECK(ts, sl_str_eq(l.cols[1].title, SL_STR("server")));
		SL_CHECK(ts, sl_str_eq(l.cols[2].title, SL_STR("callee u2")));
	}
	static const struct {
		size_t row;
		unsigned from, to;
		char leg;
		const char *label;
		const char *note;
	} rows[] = {
		{ 0, 0, 1, 'A', "INVITE (SDP)", "CSeq 1" },
		{ 1, 1, 0, 'A', "100 Trying", "" },
		{ 2, 1, 0, 'A', "401 Unauthorized", "realm \"Yate\"" },
		{ 3, 0, 1, 'A', "ACK", "" },
		{ 4, 0, 1, 'A', "INVITE (SDP)", "CSeq 2, Authorization u1" },
		{ 6, 1, 2, 'B', "INVITE (SDP)", "CSeq 1, new Call-ID" },
		{ 10, 2, 1, 'B', "200 OK (SDP)", "" },
		{ 14, 0, 1, 'A', "BYE", "CSeq 3, Reason: User hangup" },
		{ 16, 1, 0, 'A', "401 Unauthorized", "BYE challenged" },
		{ 17, 0, 1, 'A', "BYE", "CSeq 4, Authorization u1" },
		{ 20, 1, 2, 'B', "BYE", "CSeq 2" },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0] && l.n_rows == 23; i++) {
		const struct sl_ladder_row *r = &l.rows[rows[i].row];
		SL_CHECK_MSG(ts, r->kind == SL_LADDER_SIP && r->from == rows[i].from &&
		    r->to == rows[i].to && r->leg == rows[i].leg, "row %zu", rows[i].row);
		SL_CHECK_MSG(ts, sl_str_eq(r->label, sl_str_c(rows[i].label)), "row %zu label %.*s",
		    rows[i].row, SL_PRI(r->label));
		SL_CHECK_MSG(ts, sl_str_eq(r->note, sl_str_c(rows[i].note)), "row %zu note %.*s",
		    rows[i].row, SL_PRI(r->note));
	}
	/* the findings, in time order: the caller hung up first */
	SL_CHECK(ts, l.n_notes == 2);
	if (l.n_notes == 2) {
		SL_CHECK_MSG(ts, sl_str_eq(l.notes[0], SL_STR("media after BYE: server -> caller RTP "
		    "for 0.21 s, answered by 11 ICMP port unreachable")), "%.*s", SL_PRI(l.notes[0]));
		SL_CHECK_MSG(ts, sl_str_eq(l.notes[1], SL_STR("media after BYE: callee -> server RTP "
		    "for 0.02 s, answered by 1 ICMP port unreachable")), "%.*s", SL_PRI(l.notes[1]));
	}
	sl_arena_free(&a);
	fx_free_call(c);
}

static void
test_rtp_rows(struct sl_test_state *ts)
{
	struct sl_call *c = fx_seed_b2bua();
	struct sl_arena a;
	struct sl_ladder l;
	sl_arena_init(&a, 4096, 0);
	SL_CHECK(ts, sl_ladder_build(&l, c, true, &a) == SL_OK);
	/* no media column: every stream lands on a SIP column */
	SL_CHECK(ts, l.n_cols == 3);
	SL_CHECK(ts, l.n_rows == 27);
	if (l.n_rows == 27) {
		/* after the last ACK (row 13), in first-packet order */
		static const unsigned want[4][2] = { { 0, 1 }, { 1, 2 }, { 2, 1 }, { 1, 0 } };
		for (size_t i = 0; i < 4; i++) {
			const struct sl_ladder_row *r = &l.rows[14 + i];
			SL_CHECK_MSG(ts, r->kind == SL_LADDER_RTP && r->from == want[i][0] &&
			    r->to == want[i][1], "rtp row %zu: %u -> %u", i, r->from, r->to);
		}
		SL_CHECK(ts, sl_str_eq(l.rows[14].label, SL_STR("RTP PCMU 280 pkts 5.59 s")));
		SL_CHECK(ts, sl_str_eq(l.rows[14].note, SL_STR("0 lost, jitter max 1.3 ms")));
		SL_CHECK(ts, l.rows[18].kind == SL_LADDER_SIP);
	}
	sl_arena_free(&a);
	fx_free_call(c);
}

/* Everyone on 127.0.0.1 (the reference server and phones on loopback):
 * only the SDP can tell which column a media port belongs to. A stream
 * from a host no SIP message names gets a media column. */
static void
test_rtp_loopback_and_media_column(struct sl_test_state *ts)
{
	struct sl_endpoint a1 = fx_ep("127.0.0.1", 5070), b1 = fx_ep("127.0.0.1", 5080);
	struct sl_call *c = fx_new_call(SL_CALL_INVITE, 3);
	struct sl_leg *g = fx_add_leg(c, 'A', "x@lo", "alice", "bob", a1, b1);
	fx_sdp(fx_req(c, g, 0, a1, b1, "INVITE", 1), fx_ep("127.0.0.1", 40000));
	fx_sdp(fx_resp(c, g, 100, b1, a1, 200, "OK", "INVITE", 1), fx_ep("127.0.0.1", 42000));
	fx_add_stream(c, g, fx_ep("127.0.0.1", 42000), fx_ep("127.0.0.1", 40000), 1, "PCMA", 10,
	    200, 400);
	fx_add_stream(c, g, fx_ep("10.9.9.9", 7000), fx_ep("127.0.0.1", 40000), 2, "", 5, 300, 500);
	struct sl_arena a;
	struct sl_ladder l;
	sl_arena_init(&a, 4096, 0);
	SL_CHECK(ts, sl_ladder_build(&l, c, true, &a) == SL_OK);
	SL_CHECK(ts, l.n_cols == 3 && l.n_rows == 4);
	if (l.n_cols == 3 && l.n_rows == 4) {
		SL_CHECK(ts, l.rows[2].from == 1 && l.rows[2].to == 0);
		SL_CHECK(ts, l.rows[3].from == 2 && l.rows[3].to == 0);
		SL_CHECK(ts, l.cols[2].role == SL_ROLE_MEDIA);
		SL_CHECK(ts, sl_str_eq(l.cols[2].addr, SL_STR("10.9.9.9:7000")));
		SL_CHECK(ts, sl_str_eq(l.rows[3].label, SL_STR("RTP PT 0 5 pkts 0.00 s")));
		SL_CHECK(ts, sl_str_eq(l.cols[0].title, SL_STR("caller alice")));
		SL_CHECK(ts, sl_str_eq(l.cols[1].title, SL_STR("callee bob")));
	}
	sl_arena_free(&a);
	/* without RTP rows no media column appears */
	sl_arena_init(&a, 4096, 0);
	SL_CHECK(ts, sl_ladder_build(&l, c, false, &a) == SL_OK);
	SL_CHECK(ts, l.n_cols == 2 && l.n_rows == 2);
	sl_arena_free(&a);
	fx_free_call(c);
}

/* A message from an endpoint to itself, a retransmission, an anomaly,
 * a hostile reason phrase and a REGISTER. */
static struct sl_call *
odd_call(void)
{
	struct sl_endpoint x = fx_ep("10.0.0.1", 5060), y = fx_ep("10.0.0.2", 5060);
	struct sl_call *c = fx_new_call(SL_CALL_OTHER, 7);
	struct sl_leg *g = fx_add_leg(c, 'A', "odd@x", "u\x1b[31m", "y", x, y);
	fx_req(c, g, 0, x, y, "OPTIONS", 1);
	fx_req(c, g, 500000, x, y, "OPTIONS", 1)->retrans = true;
	struct sl_msg *m = fx_resp(c, g, 600000, y, x, 200, "O\x1bK\x7f\xc3", "OPTIONS", 1);
	m->anomalies[0] = "sip.content_length";
	m->n_anomalies = 1;
	fx_req(c, g, 700000, y, y, "MESSAGE", 2);
	fx_req(c, g, 800000, x, x, "MESSAGE", 3);
	c->sum.state = SL_STATE_OTHER;
	c->sum.status = 200;
	c->sum.from_user = g->from_user;
	c->sum.to_user = g->to_user;
	return c;
}

static void
test_self_retrans_anomaly(struct sl_test_state *ts)
{
	struct sl_call *c = odd_call();
	struct sl_arena a;
	struct sl_ladder l;
	sl_arena_init(&a, 4096, 0);
	SL_CHECK(ts, sl_ladder_build(&l, c, false, &a) == SL_OK);
	SL_CHECK(ts, l.n_cols == 2 && l.n_rows == 5);
	if (l.n_rows == 5) {
		SL_CHECK(ts, l.rows[1].retrans);
		SL_CHECK(ts, sl_str_eq(l.rows[1].label, SL_STR("OPTIONS (retrans)")));
		SL_CHECK(ts, l.rows[1].note.n == 0);
		/* control bytes, DEL and a cut UTF-8 sequence become '?' */
		SL_CHECK_MSG(ts, sl_str_eq(l.rows[2].label, SL_STR("200 O?K?\?")), "%.*s",
		    SL_PRI(l.rows[2].label));
		SL_CHECK(ts, sl_str_eq(l.rows[2].note, SL_STR("! sip.content_length")));
		SL_CHECK(ts, l.rows[2].n_anomalies == 1);
		SL_CHECK(ts, l.rows[3].from == 1 && l.rows[3].to == 1);
		SL_CHECK(ts, l.rows[4].from == 0 && l.rows[4].to == 0);
		SL_CHECK(ts, sl_str_eq(l.cols[0].title, SL_STR("uac u?[31m")));
	}
	SL_CHECK(ts, l.n_notes == 1);
	if (l.n_notes == 1)
		SL_CHECK_MSG(ts, sl_str_eq(l.notes[0], SL_STR("frame 3 200 O?K?\?: sip.content_length")),
		    "%.*s", SL_PRI(l.notes[0]));
	sl_arena_free(&a);
	fx_free_call(c);
}

/* ----- the default text style ----- */

static const char seed_ladder_ascii[] =
"Call 1  u1 -> 2 (u2)  answered, hung up by caller, 5.60 s talk\n"
"  leg A  2126492930@192.168.1.50  caller <-> server  INVITE challenged 401 then authorised; BYE challenged 401 then 200\n"
"  leg B  495687575@192.168.1.50   server <-> callee  joined to A: sent 6.2 ms after A's authorised INVITE, From u1,\n"
"         Max-Forwards 20->19, RTP relayed (confidence high)\n"
"\n"
"              192.168.1.183:5060           192.168.1.50:5060            192.168.1.101:5060\n"
"              caller u1                    server                       callee u2\n"
" 0.000000     |--------INVITE (SDP)------->|                            |  A CSeq 1\n"
" 0.000900     |<-------100 Trying----------|                            |  A\n"
" 0.001300     |<-------401 Unauthorized----|                            |  A realm \"Yate\"\n"
" 0.011200     |--------ACK---------------->|                            |  A\n"
" 0.015800     |--------INVITE (SDP)------->|                            |  A CSeq 2, Authorization u1\n"
" 0.016400     |<-------100 Trying----------|                            |  A\n"
" 0.022000     |                            |--------INVITE (SDP)------->|  B CSeq 1, new Call-ID\n"
" 0.024100     |                            |<-------100 Trying----------|  B\n"
" 0.130500     |                            |<-------180 Ringing---------|  B\n"
" 0.131200     |<-------180 Ringing---------|                            |  A\n"
" 3.702000     |                            |<-------200 OK (SDP)--------|  B\n"
" 3.702600     |                            |--------ACK---------------->|  B\n"
" 3.703400     |<-------200 OK (SDP)--------|                            |  A\n"
" 3.712000     |--------ACK---------------->|                            |  A\n"
" 3.720000     |==RTP PCMU 280 pkts 5.59 s=>|                            |  A 0 lost, jitter max 1.3 ms\n"
" 3.720400     |                            |==RTP PCMU 280 pkts 5.59 s=>|  B 0 lost, jitter max 1.3 ms\n"
" 3.721000     |                            |<=RTP PCMU 281 pkts 5.62 s==|  B 0 lost, jitter max 1.2 ms\n"
" 3.721400     |<=RTP PCMU 281 pkts 5.80 s==|                            |  A 0 lost, jitter max 1.2 ms\n"
" 9.310000     |--------BYE---------------->|                            |  A CSeq 3, Reason: User hangup\n"
" 9.310900     |<-------100 Trying----------|                            |  A\n"
" 9.311200     |<-------401 Unauthorized----|                            |  A BYE challenged\n"
" 9.320500     |--------BYE---------------->|                            |  A CSeq 4, Authorization u1\n"
" 9.321100     |<-------100 Trying----------|                            |  A\n"
" 9.322000     |<-------200 OK--------------|                            |  A\n"
" 9.322800     |                            |--------BYE---------------->|  B CSeq 2\n"
" 9.330100     |                            |<-------100 Trying----------|  B\n"
" 9.331000     |                            |<-------200 OK--------------|  B\n"
"              ! media after BYE: server -> caller RTP for 0.21 s, answered by 11 ICMP port unreachable\n"
"              ! media after BYE: callee -> server RTP for 0.02 s, answered by 1 ICMP port unreachable\n";

static void
test_seed_text(struct sl_test_state *ts)
{
	struct sl_call *c = fx_seed_b2bua();
	struct sl_report_opts o = opts_of(120, true, true);
	struct sl_buf b;
	sl_buf_init(&b, 1 << 20);
	SL_CHECK(ts, sl_report_ladder(&b, c, &o) == SL_OK);
	fx_check_text(ts, b.p, seed_ladder_ascii, "seed ladder (ascii, rtp, 120)");
	SL_CHECK(ts, widest_line(b.p) <= 120);
	sl_buf_free(&b);
	fx_free_call(c);
}

/* Every byte is ASCII and the drawing uses | - > < = only; UTF-8 mode
 * draws the same geometry with box glyphs. */
static void
test_ascii_vs_utf8(struct sl_test_state *ts)
{
	struct sl_call *c = fx_seed_b2bua();
	struct sl_report_opts o = opts_of(120, true, true);
	struct sl_buf asc, utf;
	sl_buf_init(&asc, 1 << 20);
	sl_buf_init(&utf, 1 << 20);
	SL_CHECK(ts, sl_report_ladder_text(&asc, c, &o) == SL_OK);
	o.ascii = false;
	SL_CHECK(ts, sl_report_ladder_text(&utf, c, &o) == SL_OK);
	bool ascii_only = true;
	for (size_t i = 0; i < asc.len; i++)
		ascii_only &= (unsigned char)asc.p[i] < 0x80;
	SL_CHECK(ts, ascii_only);
	SL_CHECK(ts, strstr(utf.p, "\xe2\x94\x82\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80") != NULL);	/* U+2502 U+2500 x3 */
	SL_CHECK(ts, strstr(utf.p, "\xe2\x96\xb6\xe2\x94\x82") != NULL);	/* arrow head, column */
	SL_CHECK(ts, strstr(utf.p, "\xe2\x94\x82\xe2\x97\x80") != NULL);	/* column, arrow head */
	SL_CHECK(ts, strstr(utf.p, "\xe2\x95\x90RTP PCMU") != NULL);		/* double line, RTP */
	/* same lines, same display widths */
	const char *p = asc.p, *q = utf.p;
	size_t lines = 0;
	while (*p && *q) {
		const char *pe = strchr(p, '\n'), *qe = strchr(q, '\n');
		if (pe == NULL || qe == NULL)
			break;
		SL_CHECK_MSG(ts, display_width(p, (size_t)(pe - p)) == display_width(q, (size_t)(qe - q)),
		    "line %zu", lines);
		p = pe + 1;
		q = qe + 1;
		lines++;
	}
	SL_CHECK(ts, *p == '\0' && *q == '\0' && lines == 36);
	sl_buf_free(&asc);
	sl_buf_free(&utf);
	fx_free_call(c);
}

/* Pipe positions of an ASCII row line, up to the notes. */
static size_t
pipes(const char *line, size_t n, size_t *pos, size_t max)
{
	size_t k = 0;
	for (size_t i = 0; i < n && k < max; i++) {
		if (line[i] == '|')
			pos[k++] = i;
		if (i + 2 < n && line[i] == '|' && line[i + 1] == ' ' && line[i + 2] == ' ' &&
		    k == 3)
			break;
	}
	return k;
}

static void
test_width_squeeze(struct sl_test_state *ts)
{
	static const unsigned widths[] = { 200, 120, 100, 80, 70, 60, 50, 40, 30, 20 };
	struct sl_call *c = fx_seed_b2bua();
	for (size_t w = 0; w < sizeof widths / sizeof widths[0]; w++) {
		for (int utf = 0; utf < 2; utf++) {
			struct sl_report_opts o = opts_of(widths[w], !utf, true);
			struct sl_buf b;
			sl_buf_init(&b, 1 << 20);
			SL_CHECK(ts, sl_report_ladder_text(&b, c, &o) == SL_OK);
			SL_CHECK_MSG(ts, b.p && widest_line(b.p) <= widths[w], "width %u: widest %zu",
			    widths[w], b.p ? widest_line(b.p) : 0);
			bool cut = b.p && strchr(b.p, '~') != NULL;
			/* 120 columns hold every label; 50 do not */
			if (widths[w] >= 120)
				SL_CHECK_MSG(ts, !cut, "width %u cut a label", widths[w]);
			if (widths[w] <= 50)
				SL_CHECK_MSG(ts, cut, "width %u cut nothing", widths[w]);
			/* 20 columns cannot hold three: the rows are cut at the edge */
			if (utf || b.p == NULL || widths[w] < 30) {
				sl_buf_free(&b);
				continue;
			}
			/* columns line up on every row and never touch */
			size_t ref[3], got[3], rows = 0;
			bool have_ref = false;
			for (const char *s = b.p; *s;) {
				const char *nl = strchr(s, '\n');
				size_t n = (size_t)(nl - s);
				if (n > 3 && s[1] >= '0' && s[1] <= '9') {
					size_t k = pipes(s, n, got, 3);
					SL_CHECK_MSG(ts, k == 3, "width %u: %zu pipes: %.*s", widths[w], k,
					    (int)n, s);
					if (!have_ref) {
						memcpy(ref, got, sizeof ref);
						have_ref = true;
					}
					SL_CHECK(ts, k == 3 && memcmp(ref, got, sizeof ref) == 0);
					rows++;
				}
				s = nl + 1;
			}
			SL_CHECK(ts, rows == 27 && ref[0] < ref[1] - 5 && ref[1] < ref[2] - 5);
			sl_buf_free(&b);
		}
	}
	fx_free_call(c);
}

/* At 60 columns the gaps shrink to one width, labels and headers are
 * cut with '~' (but the last header, which has room), notes are cut at
 * the edge. */
static const char seed_ladder_60[] =
"              192.168.1.18~ 192.168.1.50~ 192.168.1.101:5060\n"
"              caller u1     server        callee u2\n"
" 0.000000     |--INVITE (~->|             |  A CSeq 1\n"
" 0.000900     |<-100 Tryi~--|             |  A\n"
" 0.001300     |<-401 Unau~--|             |  A realm \"Yate\"\n"
" 0.011200     |--------ACK->|             |  A\n"
" 0.015800     |--INVITE (~->|             |  A CSeq 2, Auth~\n";

static void
test_width_60_rows(struct sl_test_state *ts)
{
	struct sl_call *c = fx_seed_b2bua();
	struct sl_report_opts o = opts_of(60, true, true);
	struct sl_buf b;
	sl_buf_init(&b, 1 << 20);
	SL_CHECK(ts, sl_report_ladder_text(&b, c, &o) == SL_OK);
	const char *first = b.p ? strstr(b.p, "              192.168") : NULL;
	SL_CHECK(ts, first != NULL);
	if (first)
		SL_CHECK_MSG(ts, strncmp(first, seed_ladder_60, strlen(seed_ladder_60)) == 0,
		    "got:\n%.*s", (int)strlen(seed_ladder_60), first);
	sl_buf_free(&b);
	fx_free_call(c);
}

static const char odd_ladder_ascii[] =
"Call 7  u?[31m -> y  OPTIONS -> 200\n"
"  leg A  odd@x  uac <-> uas\n"
"\n"
"              10.0.0.1:5060                 10.0.0.2:5060\n"
"              uac u?[31m                    uas y\n"
" 0.000000     |--------OPTIONS------------->|                 A CSeq 1\n"
" 0.500000     |--------OPTIONS (retrans)--->|                 A\n"
" 0.600000     |<-------200 O?K?\?------------|                 A ! sip.content_length\n"
" 0.700000     |                             |<-MESSAGE->      A CSeq 2\n"
" 0.800000     |<-MESSAGE->                  |                 A CSeq 3\n"
"              ! frame 3 200 O?K?\?: sip.content_length\n";

static void
test_odd_text_and_delta(struct sl_test_state *ts)
{
	struct sl_call *c = odd_call();
	struct sl_report_opts o = opts_of(100, true, false);
	struct sl_buf b;
	sl_buf_init(&b, 1 << 20);
	SL_CHECK(ts, sl_report_ladder_text(&b, c, &o) == SL_OK);
	fx_check_text(ts, b.p, odd_ladder_ascii, "odd call ladder");
	sl_buf_free(&b);

	o.delta = true;
	sl_buf_init(&b, 1 << 20);
	SL_CHECK(ts, sl_report_ladder_text(&b, c, &o) == SL_OK);
	SL_CHECK(ts, b.p && strstr(b.p, "\n  0.000000     |") != NULL);
	SL_CHECK(ts, b.p && strstr(b.p, "\n +0.500000     |") != NULL);
	SL_CHECK(ts, b.p && strstr(b.p, "\n +0.100000     |") != NULL);
	sl_buf_free(&b);
	fx_free_call(c);
}

static void
test_empty_and_enomem(struct sl_test_state *ts)
{
	struct sl_call *c = fx_new_call(SL_CALL_INVITE, 9);
	struct sl_report_opts o = opts_of(80, true, true);
	struct sl_buf b;
	sl_buf_init(&b, 1 << 16);
	SL_CHECK(ts, sl_report_ladder_text(&b, c, &o) == SL_OK);
	fx_check_text(ts, b.p, "Call 9  - -> -  no final answer\n\n  (no messages)\n", "empty call");
	sl_buf_free(&b);
	sl_buf_init(&b, 1 << 16);
	o.style = SL_LADDER_STYLE_WIRESHARK;
	SL_CHECK(ts, sl_report_ladder(&b, c, &o) == SL_OK);
	fx_check_text(ts, b.p, "|Time   |\n", "empty call, wireshark");
	sl_buf_free(&b);
	fx_free_call(c);

	/* a cap hit mid-ladder frees the buffer and says so */
	c = fx_seed_b2bua();
	for (size_t cap = 16; cap < 4096; cap *= 4) {
		for (int style = 0; style < 2; style++) {
			o.style = style ? SL_LADDER_STYLE_WIRESHARK : SL_LADDER_STYLE_TEXT;
			sl_buf_init(&b, cap);
			SL_CHECK(ts, sl_report_ladder(&b, c, &o) == SL_ENOMEM);
			SL_CHECK(ts, b.p == NULL && b.len == 0);
		}
	}
	fx_free_call(c);
}

/* ----- the Wireshark style ----- */

static const char seed_wireshark[] =
"|Time   | 192.168.1.101         | 192.168.1.183         |\n"
"|3.985  |  INVITE SDP           |                       |From sip:anonymous@192.168.1.183 To sip:0@192.168.1.183\n"
"|       |(5060) ------------------> (5060)              |\n"
"|4.004  |  100 Trying           |                       |\n"
"|       |(5060) <------------------ (5060)              |\n"
"|4.035  |  180 Ringing          |                       |\n"
"|       |(5060) <------------------ (5060)              |\n"
"|11.818 |  200 OK SDP           |                       |\n"
"|       |(5060) <------------------ (5060)              |\n"
"|11.826 |  ACK                  |                       |\n"
"|       |(5060) ------------------> (5060)              |\n"
"|11.857 |  RTP (g711U)          |                       |281 packets, 5.597 s, SSRC 0x1726C94E\n"
"|       |(27392) <----------------- (27824)             |\n"
"|11.954 |  RTP (g711U)          |                       |280 packets, 5.550 s, SSRC 0x7805579C\n"
"|       |(27392) -----------------> (27824)             |\n"
"|17.495 |  BYE                  |                       |\n"
"|       |(5060) <------------------ (5060)              |\n"
"|17.514 |  100 Trying           |                       |\n"
"|       |(5060) ------------------> (5060)              |\n"
"|17.526 |  200 OK               |                       |\n"
"|       |(5060) ------------------> (5060)              |\n";

static void
test_wireshark_seed(struct sl_test_state *ts)
{
	struct sl_call *c = seed_direct();
	struct sl_report_opts o = opts_of(80, false, true);
	o.style = SL_LADDER_STYLE_WIRESHARK;
	struct sl_buf b;
	sl_buf_init(&b, 1 << 20);
	SL_CHECK(ts, sl_report_ladder(&b, c, &o) == SL_OK);
	fx_check_text(ts, b.p, seed_wireshark, "seed direct call, wireshark style");
	sl_buf_free(&b);
	fx_free_call(c);
}

/* Three nodes: arrows span the middle column; long labels widen every
 * cell instead of being cut to 20 characters as tshark does. */
static const char b2bua_wireshark_head[] =
"|Time   | 192.168.1.183                            | 192.168.1.50                             | 192.168.1.101                            |\n"
"|0.000  |  INVITE SDP                              |                                          |                                          |From u1 To 2\n"
"|       |(5060) -------------------------------------> (5060)                                 |                                          |\n";

static void
test_wireshark_three_nodes(struct sl_test_state *ts)
{
	struct sl_call *c = fx_seed_b2bua();
	struct sl_report_opts o = opts_of(80, false, true);
	o.style = SL_LADDER_STYLE_WIRESHARK;
	struct sl_msg *m = c->msgs->next->next;
	m->reason = SL_STR("Unauthorized Because No Credentials");
	struct sl_buf b;
	sl_buf_init(&b, 1 << 20);
	SL_CHECK(ts, sl_report_ladder(&b, c, &o) == SL_OK);
	SL_CHECK_MSG(ts, b.p && strncmp(b.p, b2bua_wireshark_head, strlen(b2bua_wireshark_head)) == 0,
	    "got:\n%s", b.p ? b.p : "");
	SL_CHECK(ts, b.p && strstr(b.p, "|  401 Unauthorized Because No Credentials |") != NULL);
	/* a direct caller -> callee message crosses the server column */
	sl_buf_free(&b);
	struct sl_endpoint caller = c->legs->uac, callee = c->legs->next->uas;
	struct sl_call *d = fx_new_call(SL_CALL_OTHER, 2);
	struct sl_leg *g = fx_add_leg(d, 'A', "z", "a", "b", caller, callee);
	fx_req(d, g, 0, caller, c->legs->uas, "OPTIONS", 1);
	fx_req(d, g, 10, caller, callee, "OPTIONS", 2);
	fx_req(d, g, 20, callee, caller, "OPTIONS", 3);
	sl_buf_init(&b, 1 << 20);
	SL_CHECK(ts, sl_report_ladder(&b, d, &o) == SL_OK);
	fx_check_text(ts, b.p,
	    "|Time   | 192.168.1.183         | 192.168.1.50          | 192.168.1.101         |\n"
	    "|0.000  |  OPTIONS              |                       |                       |\n"
	    "|       |(5060) ------------------> (5060)              |                       |\n"
	    "|0.000  |  OPTIONS              |                       |                       |\n"
	    "|       |(5060) ------------------------------------------> (5060)              |\n"
	    "|0.000  |  OPTIONS              |                       |                       |\n"
	    "|       |(5060) <------------------------------------------ (5060)              |\n",
	    "wireshark, crossing arrows");
	sl_buf_free(&b);
	fx_free_call(d);
	fx_free_call(c);
}

/* ----- random models: whatever the call, no line passes the width ----- */

static uint64_t
rnd(uint64_t *x)
{
	/* xorshift64: deterministic, so a failure reproduces */
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static struct sl_call *
random_call(uint64_t *x)
{
	static const char *const ips[] = { "10.0.0.1", "10.0.0.2", "10.0.0.3", "2001:db8::1",
		"192.168.100.200", "127.0.0.1" };
	static const char *const methods[] = { "INVITE", "ACK", "BYE", "OPTIONS", "REGISTER",
		"X-VERY-LONG-EXTENSION-METHOD-NAME" };
	static const char *const reasons[] = { "OK", "Trying", "",
		"Unauthorized \xe2\x94\x82 with a rather long reason phrase that goes on",
		"\x1b[7mbad\xff" };
	size_t n_ep = 1 + rnd(x) % 7;
	struct sl_endpoint eps[8];
	for (size_t i = 0; i < n_ep; i++)
		eps[i] = fx_ep(ips[rnd(x) % 6], (uint16_t)(5060 + rnd(x) % 3));
	struct sl_call *c = fx_new_call((enum sl_call_kind)(rnd(x) % 3), (uint32_t)(rnd(x) % 1000));
	struct sl_leg *g = fx_add_leg(c, 'A', "r@x", "u", "v", eps[0], eps[n_ep > 1 ? 1 : 0]);
	struct sl_leg *h = rnd(x) % 2 ?
	    fx_add_leg(c, 'B', "s@x", "u", "w", eps[n_ep - 1], eps[0]) : g;
	if (h != g) {
		h->joined_to = g;
		h->join_ev = (uint32_t)rnd(x);
		h->join_conf = SL_CONF_MEDIUM;
	}
	size_t n_msg = rnd(x) % 40;
	int64_t t = 0;
	for (size_t i = 0; i < n_msg; i++) {
		t += (int64_t)(rnd(x) % 3000000);
		struct sl_endpoint src = eps[rnd(x) % n_ep], dst = eps[rnd(x) % n_ep];
		struct sl_leg *l = rnd(x) % 2 ? g : h;
		struct sl_msg *m = rnd(x) % 2 ?
		    fx_req(c, l, t, src, dst, methods[rnd(x) % 6], (uint32_t)i) :
		    fx_resp(c, l, t, src, dst, (uint16_t)(100 + rnd(x) % 500), reasons[rnd(x) % 5],
		    methods[rnd(x) % 6], (uint32_t)i);
		m->retrans = rnd(x) % 5 == 0;
		if (rnd(x) % 4 == 0)
			fx_sdp(m, fx_ep(ips[rnd(x) % 6], (uint16_t)(20000 + rnd(x) % 4)));
		if (rnd(x) % 8 == 0) {
			m->anomalies[0] = "sip.random";
			m->n_anomalies = 1;
		}
	}
	size_t n_st = rnd(x) % 4;
	for (size_t i = 0; i < n_st; i++) {
		int64_t f = (int64_t)(rnd(x) % 100000000);
		struct sl_stream *st = fx_add_stream(c, rnd(x) % 2 ? g : NULL,
		    fx_ep(ips[rnd(x) % 6], (uint16_t)(20000 + rnd(x) % 4)),
		    fx_ep(ips[rnd(x) % 6], (uint16_t)(20000 + rnd(x) % 4)),
		    (uint32_t)rnd(x), rnd(x) % 2 ? "PCMU" : "", rnd(x) % 100000, f, f + 1000);
		st->after_bye_packets = rnd(x) % 3;
		st->icmp_unreachable = (uint32_t)(rnd(x) % 3);
	}
	c->msgs_dropped = (uint32_t)(rnd(x) % 2);
	c->sum.state = (enum sl_call_state)(rnd(x) % 12);
	c->sum.talk_ns = rnd(x) % 2 ? -1 : 1000;
	/* findings of every kind: their '!' lines must fit the width too */
	for (struct sl_msg *m = c->msgs; m; m = m->next) {
		if (rnd(x) % 4 == 0) {
			m->retrans_count = (uint32_t)(rnd(x) % 6);
			m->retrans_last_ts = m->ts_ns + 1000;
		}
	}
	if (rnd(x) % 2)
		g->auth[SL_AUTH_INVITE] = (struct sl_auth){ .challenges = (uint16_t)(1 + rnd(x) % 3),
		    .status = 407, .failed = true, .last_challenge = c->msgs_tail };
	if (rnd(x) % 2) {
		h->bye_ts = FX_US(t);
		h->last_bye = c->msgs;
		h->bye_status = rnd(x) % 2 ? 481 : 0;
	}
	fx_findings(c);
	return c;
}

static void
test_random_models(struct sl_test_state *ts)
{
	uint64_t x = 0x9e3779b97f4a7c15ULL;
	for (int i = 0; i < 400; i++) {
		struct sl_call *c = random_call(&x);
		struct sl_report_opts o = opts_of((unsigned)(20 + rnd(&x) % 200), rnd(&x) % 2,
		    rnd(&x) % 2);
		o.delta = rnd(&x) % 2;
		struct sl_buf b;
		sl_buf_init(&b, 1 << 22);
		SL_CHECK(ts, sl_report_ladder_text(&b, c, &o) == SL_OK);
		SL_CHECK_MSG(ts, b.p && widest_line(b.p) <= o.width, "model %d, width %u:\n%s", i,
		    o.width, b.p ? b.p : "");
		sl_buf_free(&b);
		sl_buf_init(&b, 1 << 22);
		SL_CHECK(ts, sl_report_ladder_wireshark(&b, c, &o) == SL_OK);
		sl_buf_free(&b);
		fx_free_call(c);
	}
}

int
main(void)
{
	SL_TEST_STATE(ts);
	test_columns_and_roles(&ts);
	test_rtp_rows(&ts);
	test_rtp_loopback_and_media_column(&ts);
	test_self_retrans_anomaly(&ts);
	test_seed_text(&ts);
	test_ascii_vs_utf8(&ts);
	test_width_squeeze(&ts);
	test_width_60_rows(&ts);
	test_odd_text_and_delta(&ts);
	test_empty_and_enomem(&ts);
	test_wireshark_seed(&ts);
	test_wireshark_three_nodes(&ts);
	test_random_models(&ts);
	return sl_test_report(&ts, "test_ladder");
}
