/* test_sdpscan.c: the shared SDP scanner (src/core/sdpscan.c) that the
 * analyzer's dissector and the server/phone's reader both use. One table:
 * each row names a scanner function, its input bytes (NULs and all) and
 * what it understood, rendered as text. Most rows are hostile: no CRLF,
 * NUL bytes, huge numbers, missing fields, lines without '=', bodies cut
 * anywhere. Every input is an exact-size heap copy, so ASan catches a read
 * past the given length. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sdpscan.h"
#include "tests/unit/unit.h"

static SL_TEST_STATE(ts);

enum kind { LINES, TOKENS, ORIGIN, CONN, MEDIA, PT, ATTR, RTPMAP, DIR };

/* a literal with its length, NUL bytes included */
#define IN(s) s, sizeof(s) - 1

static const struct {
	enum kind kind;
	const char *in;
	size_t n;
	const char *want;	/* "-" where the function says false */
} rows[] = {
	/* lines: "<type>:<value>" or "?<raw>" for an untyped one, "@span" */
	{ LINES, IN("v=0\r\no=- 1 2 IN IP4 10.0.0.1\r\n"), "v:0@5|o:- 1 2 IN IP4 10.0.0.1@25" },
	{ LINES, IN("v=0\nc=IN IP4 1.2.3.4\n"), "v:0@4|c:IN IP4 1.2.3.4@17" },
	{ LINES, IN("v=0\r\nm=audio 1 RTP/AVP 0"), "v:0@5|m:audio 1 RTP/AVP 0@19" },
	{ LINES, IN("v=0\r"), "v:0@4" },	/* cut between CR and LF */
	{ LINES, IN("a=x\r\r\n"), "a:x\\x0d@6" },	/* only one CR belongs to the end */
	{ LINES, IN("a=b\rc=d"), "a:b\\x0dc=d@7" },	/* a bare CR ends nothing */
	{ LINES, IN(""), "" },
	{ LINES, NULL, 0, "" },
	{ LINES, IN("\n"), "?@1" },
	{ LINES, IN("\r\n\r\n"), "?@2|?@2" },
	{ LINES, IN("hello\nx\n=\n=x\n"), "?hello@6|?x@2|?=@2|?=x@3" },
	{ LINES, IN("A=upper\n1=digit\n\xff=high\n"), "?A=upper@8|?1=digit@8|?\\xff=high@7" },
	{ LINES, IN("a="), "a:@2" },
	{ LINES, IN("a"), "?a@1" },
	{ LINES, IN("c=IN IP4 1.2\0.3.4\n\0\n"), "c:IN IP4 1.2\\x00.3.4@18|?\\x00@2" },
	{ LINES, IN("\0=x\n"), "?\\x00=x@4" },

	{ TOKENS, IN("  audio\t\t5004 RTP/AVP  0 "), "audio|5004|RTP/AVP|0" },
	{ TOKENS, IN(" \t "), "" },
	{ TOKENS, IN(""), "" },
	{ TOKENS, NULL, 0, "" },
	{ TOKENS, IN("a\0b c"), "a\\x00b|c" },
	{ TOKENS, IN("x\r y"), "x\\x0d|y" },

	{ ORIGIN, IN("yate 1234 1 IN IP4 192.168.1.183"), "[yate][1234][1]" },
	{ ORIGIN, IN("- 99999999999999999999999 x"), "[-][99999999999999999999999][x]" },
	{ ORIGIN, IN("user"), "[user][][]" },
	{ ORIGIN, IN(""), "[][][]" },
	{ ORIGIN, NULL, 0, "[][][]" },

	{ CONN, IN("IN IP4 192.168.1.183"), "192.168.1.183" },
	{ CONN, IN("in ip4 224.2.1.1/127/3"), "224.2.1.1" },
	{ CONN, IN("IN\tIP6  2001:db8::1 "), "2001:db8::1" },
	{ CONN, IN("IN IP4 0.0.0.0"), "0.0.0.0" },
	{ CONN, IN("IN IP4 999.1.1.1"), "-" },
	{ CONN, IN("IN IP4 2001:db8::1"), "-" },
	{ CONN, IN("IN IP6 10.0.0.1"), "-" },
	{ CONN, IN("IN IP4 host.example.com"), "-" },
	{ CONN, IN("IN IP4 /127"), "-" },
	{ CONN, IN("IN IP4"), "-" },
	{ CONN, IN("IN"), "-" },
	{ CONN, IN(""), "-" },
	{ CONN, NULL, 0, "-" },
	{ CONN, IN("ATM NSAP 47.0091"), "-" },
	{ CONN, IN("IN IP4 1.2.3.4\0"), "-" },
	{ CONN, IN("IN IP4 1.2\0.3.4"), "-" },
	{ CONN, IN("IN IP6 1111:2222:3333:4444:5555:6666:7777:8888:9999:aaaa:bbbb:cccc"), "-" },

	/* media: "type port proto [fmts]", or "- type" on false */
	{ MEDIA, IN("audio 27824 RTP/AVP 0 8 101"), "audio 27824 RTP/AVP [0 8 101]" },
	{ MEDIA, IN("audio 49170/2 RTP/AVP 97"), "audio 49170 RTP/AVP [97]" },
	{ MEDIA, IN("audio 0 RTP/AVP 0"), "audio 0 RTP/AVP [0]" },
	{ MEDIA, IN("audio 65535 RTP/AVP"), "audio 65535 RTP/AVP []" },
	{ MEDIA, IN("audio 5004"), "audio 5004  []" },
	{ MEDIA, IN("message 7394 TCP/MSRP *"), "message 7394 TCP/MSRP [*]" },
	{ MEDIA, IN("audio 65536 RTP/AVP 0"), "- audio" },
	{ MEDIA, IN("audio 4294967296 RTP/AVP 0"), "- audio" },
	{ MEDIA, IN("audio 18446744073709551616 RTP/AVP 0"), "- audio" },
	{ MEDIA, IN("audio 000000000000000000005004 RTP/AVP 0"), "- audio" },
	{ MEDIA, IN("audio -1 RTP/AVP 0"), "- audio" },
	{ MEDIA, IN("audio +5 RTP/AVP 0"), "- audio" },
	{ MEDIA, IN("audio 0x10 RTP/AVP 0"), "- audio" },
	{ MEDIA, IN("audio /2 RTP/AVP 0"), "- audio" },
	{ MEDIA, IN("audio 50\0004 RTP/AVP 0"), "- audio" },
	{ MEDIA, IN("audio"), "- audio" },
	{ MEDIA, IN(""), "- " },
	{ MEDIA, NULL, 0, "- " },

	{ PT, IN("0"), "0" },
	{ PT, IN("127"), "127" },
	{ PT, IN("128"), "-" },
	{ PT, IN("4294967296"), "-" },
	{ PT, IN("-0"), "-" },
	{ PT, IN("*"), "-" },
	{ PT, IN("8\0"), "-" },
	{ PT, IN(""), "-" },
	{ PT, NULL, 0, "-" },

	/* attributes: "[name][value]" */
	{ ATTR, IN("rtpmap:0 PCMU/8000"), "[rtpmap][0 PCMU/8000]" },
	{ ATTR, IN("sendrecv"), "[sendrecv][]" },
	{ ATTR, IN(" sendonly \t"), "[sendonly][]" },
	{ ATTR, IN("fmtp:101 0-15:x"), "[fmtp][101 0-15:x]" },
	{ ATTR, IN(":x"), "[][x]" },
	{ ATTR, IN(""), "[][]" },
	{ ATTR, NULL, 0, "[][]" },

	/* rtpmap values: "pt name rate" */
	{ RTPMAP, IN("0 PCMU/8000"), "0 PCMU 8000" },
	{ RTPMAP, IN("101 telephone-event/8000"), "101 telephone-event 8000" },
	{ RTPMAP, IN("97 L16/16000/2"), "97 L16 16000" },
	{ RTPMAP, IN("  96\tH264/90000  "), "96 H264 90000" },
	{ RTPMAP, IN("96 opus/4294967295/2"), "96 opus 4294967295" },
	{ RTPMAP, IN("96 opus/4294967296"), "-" },
	{ RTPMAP, IN("0 PCMU/"), "-" },
	{ RTPMAP, IN("0 PCMU"), "-" },
	{ RTPMAP, IN("0 /8000"), "-" },
	{ RTPMAP, IN("0"), "-" },
	{ RTPMAP, IN("x PCMU/8000"), "-" },
	{ RTPMAP, IN("128 PCMU/8000"), "-" },
	{ RTPMAP, IN("0 PCMU/8000\0"), "-" },
	{ RTPMAP, IN(""), "-" },
	{ RTPMAP, NULL, 0, "-" },

	{ DIR, IN("sendrecv"), "sendrecv" },
	{ DIR, IN("sendonly"), "sendonly" },
	{ DIR, IN("recvonly"), "recvonly" },
	{ DIR, IN("inactive"), "inactive" },
	{ DIR, IN("SENDONLY"), "" },	/* RFC 8866 6.7 names are case-sensitive */
	{ DIR, IN("sendonl\0"), "" },
	{ DIR, IN("sendonlyx"), "" },
	{ DIR, IN("ptime"), "" },
	{ DIR, IN(""), "" },
	{ DIR, NULL, 0, "" },
};

/* ----- rendering: what a function understood, as one line of text ----- */

struct out {
	char s[512];
	size_t n;
};

static void
put(struct out *o, const char *fmt, const char *a, size_t an)
{
	for (size_t i = 0; fmt[i] && o->n + 5 < sizeof(o->s); i++) {
		if (fmt[i] != '%') {
			o->s[o->n++] = fmt[i];
			continue;
		}
		for (size_t k = 0; k < an && o->n + 5 < sizeof(o->s); k++) {
			unsigned char c = (unsigned char)a[k];
			if (c >= 0x20 && c < 0x7f)
				o->s[o->n++] = (char)c;
			else
				o->n += (size_t)snprintf(o->s + o->n, 5, "\\x%02x", c);
		}
	}
	o->s[o->n] = '\0';
}

static void
put_str(struct out *o, const char *fmt, struct sl_str s)
{
	put(o, fmt, s.p, s.n);
}

static void
put_num(struct out *o, const char *fmt, unsigned long v)
{
	char b[24];
	put(o, fmt, b, (size_t)snprintf(b, sizeof(b), "%lu", v));
}

static void
render(enum kind kind, struct sl_str in, struct out *o)
{
	switch (kind) {
	case LINES: {
		struct sl_sdpscan sc;
		struct sl_sdpscan_line ln;
		sl_sdpscan_init(&sc, in.p, in.n);
		for (int i = 0; sl_sdpscan_next(&sc, &ln); i++) {
			put(o, i ? "|" : "", NULL, 0);
			if (ln.type) {
				put(o, "%", &ln.type, 1);
				put_str(o, ":%", ln.value);
			} else {
				put_str(o, "?%", ln.raw);
			}
			put_num(o, "@%", ln.span);
		}
		break;
	}
	case TOKENS:
		for (int i = 0;; i++) {
			struct sl_str t = sl_sdpscan_token(&in);
			if (t.n == 0)
				break;
			put_str(o, i ? "|%" : "%", t);
		}
		break;
	case ORIGIN: {
		struct sl_sdpscan_origin og;
		sl_sdpscan_origin(in, &og);
		put_str(o, "[%]", og.user);
		put_str(o, "[%]", og.sess_id);
		put_str(o, "[%]", og.sess_ver);
		break;
	}
	case CONN: {
		struct sl_ip ip = { 42, { 42 } };
		char b[SL_IP_STRLEN];
		if (sl_sdpscan_conn(in, &ip)) {
			put(o, "%", b, strlen(sl_ip_str(&ip, b, sizeof(b))));
			break;
		}
		put(o, "-", NULL, 0);
		/* untouched on false: the analyzer keeps an earlier c= */
		SL_CHECK(&ts, ip.family == 42 && ip.a[0] == 42);
		break;
	}
	case MEDIA: {
		struct sl_sdpscan_media m;
		if (!sl_sdpscan_media(in, &m)) {
			put_str(o, "- %", m.type);
			break;
		}
		put_str(o, "% ", m.type);
		put_num(o, "% ", m.port);
		put_str(o, "% [", m.proto);
		for (int i = 0;; i++) {
			struct sl_str t = sl_sdpscan_token(&m.fmts);
			if (t.n == 0)
				break;
			put_str(o, i ? " %" : "%", t);
		}
		put(o, "]", NULL, 0);
		break;
	}
	case PT: {
		uint8_t pt;
		if (sl_sdpscan_pt(in, &pt))
			put_num(o, "%", pt);
		else
			put(o, "-", NULL, 0);
		break;
	}
	case ATTR: {
		struct sl_str name, value;
		sl_sdpscan_attr(in, &name, &value);
		put_str(o, "[%]", name);
		put_str(o, "[%]", value);
		break;
	}
	case RTPMAP: {
		struct sl_sdpscan_rtpmap r;
		if (!sl_sdpscan_rtpmap(in, &r)) {
			put(o, "-", NULL, 0);
			break;
		}
		put_num(o, "% ", r.pt);
		put_str(o, "% ", r.name);
		put_num(o, "%", r.rate);
		break;
	}
	case DIR: {
		const char *d = sl_sdpscan_dir_name(sl_sdpscan_dir(in));
		put(o, "%", d, strlen(d));
		break;
	}
	}
}

static void
test_rows(void)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		/* exact size, and no bytes at all for a NULL row */
		char *copy = rows[i].in && rows[i].n ? malloc(rows[i].n) : NULL;
		if (copy)
			memcpy(copy, rows[i].in, rows[i].n);
		struct out o = { .n = 0 };
		o.s[0] = '\0';
		render(rows[i].kind, sl_str_make(copy, copy ? rows[i].n : 0), &o);
		SL_CHECK_MSG(&ts, strcmp(o.s, rows[i].want) == 0, "row %zu:\n  got  %s\n  want %s",
		    i, o.s, rows[i].want);
		free(copy);
	}
}

/* A body of a million bytes with no line end is one line, and a body of
 * nothing but line ends is as many empty lines: no quadratic rescans. */
static void
test_big(void)
{
	size_t n = 1u << 20;
	char *p = malloc(n);
	struct sl_sdpscan sc;
	struct sl_sdpscan_line ln;
	size_t lines = 0;

	memset(p, 'x', n);
	p[1] = '=';
	sl_sdpscan_init(&sc, p, n);
	while (sl_sdpscan_next(&sc, &ln))
		lines++;
	SL_CHECK(&ts, lines == 1 && ln.span == n && ln.type == 'x' && ln.value.n == n - 2);

	memset(p, '\n', n);
	lines = 0;
	sl_sdpscan_init(&sc, p, n);
	while (sl_sdpscan_next(&sc, &ln))
		lines += ln.raw.n == 0 && ln.span == 1;
	SL_CHECK(&ts, lines == n);
	free(p);
}

static void
test_dir_names(void)
{
	SL_CHECK(&ts, strcmp(sl_sdpscan_dir_name(SL_SDPSCAN_DIR_NONE), "") == 0);
	SL_CHECK(&ts, strcmp(sl_sdpscan_dir_name(SL_SDPSCAN_DIR_INACTIVE), "inactive") == 0);
	SL_CHECK(&ts, strcmp(sl_sdpscan_dir_name((enum sl_sdpscan_dir)5), "") == 0);
	SL_CHECK(&ts, strcmp(sl_sdpscan_dir_name((enum sl_sdpscan_dir)7), "") == 0);
	for (int i = SL_SDPSCAN_DIR_SENDRECV; i <= SL_SDPSCAN_DIR_INACTIVE; i++) {
		enum sl_sdpscan_dir d = (enum sl_sdpscan_dir)i;
		SL_CHECK(&ts, sl_sdpscan_dir(sl_str_c(sl_sdpscan_dir_name(d))) == d);
	}
}

int
main(void)
{
	test_rows();
	test_big();
	test_dir_names();
	return sl_test_report(&ts, "test_sdpscan");
}
