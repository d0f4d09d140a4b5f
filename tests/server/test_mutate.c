/* test_mutate.c: sipladder-server's core under hostile input. Valid
 * messages of the seed's call (REGISTER, INVITE with SDP, ACK, CANCEL,
 * BYE, responses) are mutated by a seeded PRNG (bytes flipped, cut,
 * spliced, CR/LF/NUL/quotes inserted, numbers blown up) and fed from
 * several peers, interleaved with clock jumps, through the harness of
 * harness.h. Checked: nothing crashes or leaks (ASan/UBSan), every
 * datagram we send parses back, the call table never passes its cap and
 * everything is gone once the timers ran out. Deterministic: same seed,
 * same run. Relay ports: 127.0.0.61:25910-25949. */
#include <stdlib.h>
#include <string.h>

#include "tests/server/harness.h"
#include "sip/udp.h"

static SL_TEST_STATE(ts);

#define ITER 20000

static uint64_t
rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* seeds[0] is filled at run time: an INVITE with valid credentials */
static const char *seeds[] = {
	NULL,
	"REGISTER sip:127.0.0.61 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.101:5060;branch=z9hG4bKr1;rport\r\n"
	"From: <sip:u2@127.0.0.61>;tag=a\r\nTo: <sip:u2@127.0.0.61>\r\nCall-ID: r@x\r\n"
	"CSeq: 1 REGISTER\r\nContact: <sip:u2@127.0.0.101:5060>;expires=60\r\nExpires: 600\r\n"
	"Authorization: Digest username=\"u2\", realm=\"Yate\", nonce=\"00000000000000000000000000000000.1000\", "
	"uri=\"sip:127.0.0.61\", response=\"00000000000000000000000000000000\", algorithm=MD5\r\n"
	"Content-Length: 0\r\n\r\n",
	"INVITE sip:2@127.0.0.61 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.183:5060;branch=z9hG4bKi1;rport\r\n"
	"From: \"U One\" <sip:u1@127.0.0.61>;tag=c1\r\nTo: <sip:2@127.0.0.61>\r\nCall-ID: m@x\r\n"
	"CSeq: 2 INVITE\r\nContact: <sip:u1@127.0.0.183:5060>\r\nMax-Forwards: 70\r\n"
	"Content-Type: application/sdp\r\nContent-Length: 129\r\n\r\n"
	"v=0\r\no=- 1 1 IN IP4 127.0.0.183\r\ns=-\r\nc=IN IP4 127.0.0.183\r\nt=0 0\r\n"
	"m=audio 40000 RTP/AVP 0 8\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n",
	"ACK sip:2@127.0.0.61 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.183:5060;branch=z9hG4bKi1\r\n"
	"From: <sip:u1@127.0.0.61>;tag=c1\r\nTo: <sip:2@127.0.0.61>;tag=1\r\nCall-ID: m@x\r\n"
	"CSeq: 2 ACK\r\nContent-Length: 0\r\n\r\n",
	"CANCEL sip:2@127.0.0.61 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.183:5060;branch=z9hG4bKi1\r\n"
	"From: <sip:u1@127.0.0.61>;tag=c1\r\nTo: <sip:2@127.0.0.61>\r\nCall-ID: m@x\r\n"
	"CSeq: 2 CANCEL\r\nContent-Length: 0\r\n\r\n",
	"BYE sip:2@127.0.0.61:5060 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.183:5060;branch=z9hG4bKb\r\n"
	"From: <sip:u1@127.0.0.61>;tag=c1\r\nTo: <sip:2@127.0.0.61>;tag=1\r\nCall-ID: m@x\r\n"
	"CSeq: 3 BYE\r\nReason: SIP;text=\"User hangup\"\r\nContent-Length: 0\r\n\r\n",
	"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.61:5060;branch=z9hG4bK0123456789abcdef\r\n"
	"From: <sip:u1@127.0.0.61>;tag=1\r\nTo: <sip:u2@127.0.0.101>;tag=b\r\n"
	"Call-ID: 1@127.0.0.61\r\nCSeq: 1 INVITE\r\nContact: <sip:u2@127.0.0.101>\r\n"
	"Content-Length: 0\r\n\r\n",
	"SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP 127.0.0.61:5060;branch=z9hG4bKx\r\n"
	"From: <sip:u1@127.0.0.61>;tag=1\r\nTo: <sip:u2@127.0.0.101>;tag=b\r\n"
	"Call-ID: 1@127.0.0.61\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n",
};

static const char *const peers[] = { "127.0.0.183:5060", "127.0.0.101:5060",
	"127.0.0.7:1", "[::1]:5060" };

static size_t
mutate(uint64_t *s, const char *in, char *out, size_t cap)
{
	static const char *const inserts[] = { "\r\n", "\n", "\0", "\"", ";", ":", "<",
		"99999999999", "-1", "\r\n\r\n", " ", "z9hG4bK", "@", "tag=", ",", "%00" };
	size_t n = strlen(in);

	memcpy(out, in, n);
	int edits = 1 + (int)(rnd(s) % 6);
	for (int e = 0; e < edits && n > 0; e++) {
		size_t at = rnd(s) % n;
		switch (rnd(s) % 5) {
		case 0:
			out[at] = (char)(rnd(s) & 0xff);
			break;
		case 1:
			n = at;	/* cut */
			break;
		case 2: {
			const char *ins = inserts[rnd(s) % (sizeof(inserts) / sizeof(inserts[0]))];
			size_t k = ins[0] ? strlen(ins) : 1;
			if (n + k >= cap)
				break;
			memmove(out + at + k, out + at, n - at);
			memcpy(out + at, ins, k);
			n += k;
			break;
		}
		case 3: {	/* splice a chunk of another seed */
			const char *o = seeds[rnd(s) % (sizeof(seeds) / sizeof(seeds[0]))];
			size_t on = strlen(o), from = rnd(s) % on, k = rnd(s) % 64;
			if (from + k > on)
				k = on - from;
			if (at + k >= cap)
				break;
			memcpy(out + at, o + from, k);
			if (at + k > n)
				n = at + k;
			break;
		}
		default: {	/* duplicate a region */
			size_t k = rnd(s) % 128;
			if (at + k > n)
				k = n - at;
			if (n + k >= cap)
				break;
			memmove(out + at + k, out + at, n - at);
			n += k;
			break;
		}
		}
	}
	return n;
}

int
main(void)
{
	struct h h;
	/* no rate limit: the four peers send 20000 mostly broken datagrams */
	struct h_cfg cfg = { .rtp = "25910-25949", .max_calls = 8, .no_answer_s = 5,
		.rate_reqs = H_OFF };
	static char buf[8192];
	uint64_t s = 0x5eed5eed12345678ull;
	size_t sent = 0, unparsable = 0, peak = 0;

	sl_osip_init();
	if (!h_init(&h, &ts, &cfg))
		return sl_test_report(&ts, "server.mutate");
	/* some live state for mutations to hit: a registered callee */
	struct h_ua b = { "127.0.0.101:5060", "u2", "u2pass", 0 };
	SL_CHECK(&ts, h_register(&h, &b, 600) == 200);
	struct h_ua a = { "127.0.0.183:5060", "u1", "u1pass", 0 };
	char *sdp = h_sdp("127.0.0.183", 40000);
	char *t = h_req(&a, "INVITE", "sip:2@" H_SERVER, "sip:2@" H_SERVER, NULL, "auth@x", 1, "g",
	    "z9hG4bKg1", NULL, sdp);
	h_in(&h, a.ep, t);
	free(t);
	sl_msg_free(h_out(&h, a.ep, "100"));
	osip_message_t *ch = h_out(&h, a.ep, "401");
	char *az = h_authz(&a, ch, "INVITE", "sip:2@" H_SERVER);
	sl_msg_free(ch);
	char *authorised = h_req(&a, "INVITE", "sip:2@" H_SERVER, "sip:2@" H_SERVER, NULL,
	    "auth@x", 2, "g", "z9hG4bKg2", az, sdp);
	free(az);
	free(sdp);
	seeds[0] = authorised;
	for (int i = 0; i < ITER; i++) {
		const char *seed = seeds[rnd(&s) % (sizeof(seeds) / sizeof(seeds[0]))];
		size_t n = rnd(&s) % 4 == 0 ? strlen(seed) : mutate(&s, seed, buf, sizeof(buf));
		if (n == strlen(seed))
			memcpy(buf, seed, n);
		struct sl_endpoint ep;
		sl_udp_parse_endpoint(peers[rnd(&s) % 4], 5060, &ep);
		sl_srv_input(&h.srv, buf, n, &ep);
		for (size_t k = 0; k < h.nq; k++) {
			osip_message_t *m = NULL;
			char err[SL_ERRBUF_SIZE];
			/* a 400 built from raw bytes echoes the broken
			 * headers it answers (RFC 3261 8.2.6.2) */
			if (strncmp(h.q[k].data, "SIP/2.0 400 Bad Request\r\n", 25) == 0)
				continue;
			if (sl_msg_parse(h.q[k].data, h.q[k].n, &m, err) != SL_OK) {
				unparsable++;
				if (getenv("SHOW"))
					fprintf(stderr, "---- %s\n%s\n", err, h.q[k].data);
			}
			sl_msg_free(m);
		}
		sent += h_drain(&h);
		if (sl_srv_calls(&h.srv) > peak)
			peak = sl_srv_calls(&h.srv);
		if (rnd(&s) % 50 == 0)
			h_advance(&h, rnd(&s) % 3000);
	}
	SL_CHECK_MSG(&ts, unparsable == 0, "%zu of our datagrams do not parse", unparsable);
	SL_CHECK_MSG(&ts, peak > 0 && peak <= 8, "peak %zu", peak);
	/* most inputs still draw an answer; refusals go once now (no 401
	 * retransmissions), so about a third of them send anything at all */
	SL_CHECK_MSG(&ts, sent > ITER / 5, "%zu sent", sent);
	/* every timer runs out: no call, no relay port left behind */
	h_advance(&h, 120000);
	h_drain(&h);
	SL_CHECK_MSG(&ts, sl_srv_calls(&h.srv) == 0, "%zu calls left", sl_srv_calls(&h.srv));
	SL_CHECK(&ts, h.srv.relay.pool.in_use == 0);
	fprintf(stderr, "server.mutate: %d inputs, %zu datagrams sent, peak %zu calls\n", ITER,
	    sent, peak);
	h_free(&h);
	free(authorised);
	return sl_test_report(&ts, "server.mutate");
}
