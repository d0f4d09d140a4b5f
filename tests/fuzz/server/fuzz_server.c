/* fuzz_server.c: sipladder-server's input path (sl_srv_input) under
 * libFuzzer, on the fake clock and network of tests/server/harness.c. One
 * input is a fresh server fed a sequence of records:
 *
 *   ctl:u8 len:u16be payload[len]   (len is cut to what is left)
 *
 *   ctl bits 0-1  peer: 127.0.0.183:5060 (caller), 127.0.0.101:5060
 *                 (callee), 127.0.0.7:1, [::1]:5060
 *   ctl bits 2-4  clock advance before the record: 0 10 100 500 2000
 *                 8000 32000 200000 ms
 *   ctl bits 5-6  what the peer sends:
 *                 0 payload as one datagram
 *                 1 a response to the last request we sent that peer:
 *                   status 100 + (payload[0..1] % 600), rest = SDP body
 *                 2 a request inside the dialog of the last datagram we
 *                   sent that peer: method payload[0] % 7, CSeq
 *                   from it, rest = SDP body
 *                 3 the last datagram we sent that peer, back to us
 *   ctl bit 7     kinds 1-3 come from the next peer instead (an
 *                 attacker replaying a dialog's Call-ID, tags and branch
 *                 from elsewhere: must be ignored or refused)
 *
 * Kinds 1 and 2 let mutations reach answered calls, whose tags and
 * branches come from the server and are unknown to the input. The digest
 * nonce is predictable (ids seeded 42, nonce clock 1000 at start), so the
 * corpus carries REGISTER/INVITE with valid credentials.
 * Checked beyond ASan/UBSan/LSan: every datagram the server sends parses,
 * the call table keeps to its cap, and after the input the clock runs
 * on until every transaction and pending-call timer has fired before
 * everything is freed. FUZZ_SERVER_SHOW=1 prints the exchange. Relay
 * sockets: 127.0.0.61:26700-26739. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/server/harness.h"
#include "sip/udp.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define F_MAX_RECORDS 64
#define F_MAX_CALLS 4
#define F_NPEERS 4

static const char *const peers[F_NPEERS] = { "127.0.0.183:5060", "127.0.0.101:5060",
	"127.0.0.7:1", "[::1]:5060" };
static const uint32_t advance_ms[8] = { 0, 10, 100, 500, 2000, 8000, 32000, 200000 };
static const char *const methods[7] = { "ACK", "BYE", "INFO", "UPDATE", "OPTIONS",
	"INVITE", "CANCEL" };

struct fz {
	struct h h;
	struct sl_test_state ts;
	bool show;
	char *last[F_NPEERS];	/* last datagram we sent each peer */
	char *last_req[F_NPEERS];	/* last request we sent each peer */
	size_t last_n[F_NPEERS];
	unsigned branch;
	int spoof;		/* ctl bit 7: 1 = send from the next peer */
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	sl_osip_init();
	return 0;
}

static int
peer_of(const char *to)
{
	for (int i = 0; i < F_NPEERS; i++)
		if (strcmp(peers[i], to) == 0)
			return i;
	return -1;
}

static void
keep(char **slot, const struct h_pkt *k)
{
	free(*slot);
	*slot = malloc(k->n + 1);
	memcpy(*slot, k->data, k->n + 1);
}

/* Check and remember what the server sent since the last call. */
static void
collect(struct fz *f)
{
	struct h *h = &f->h;

	for (size_t i = 0; i < h->nq; i++) {
		const struct h_pkt *k = &h->q[i];
		osip_message_t *m = NULL;
		char err[SL_ERRBUF_SIZE];

		if (f->show)
			fprintf(stderr, "---- out to %s\n%s\n", k->to, k->data);
		/* a 400 built from raw bytes echoes the broken headers it
		 * answers (RFC 3261 8.2.6.2), the one thing allowed not to parse */
		bool is400 = strncmp(k->data, "SIP/2.0 400 ", 12) == 0;
		if (sl_msg_parse(k->data, k->n, &m, err) != SL_OK && !is400) {
			fprintf(stderr, "fuzz_server: we sent an unparsable datagram to %s (%s):\n%s\n",
			    k->to, err, k->data);
			abort();
		}
		int p = peer_of(k->to);
		if (p >= 0) {
			keep(&f->last[p], k);
			f->last_n[p] = k->n;
			if (m != NULL && sl_msg_is_request(m))
				keep(&f->last_req[p], k);
		}
		sl_msg_free(m);
	}
	h_drain(h);
	if (sl_srv_calls(&h->srv) > F_MAX_CALLS) {
		fprintf(stderr, "fuzz_server: %zu calls, cap %d\n", sl_srv_calls(&h->srv),
		    F_MAX_CALLS);
		abort();
	}
	if (f->ts.failed)
		abort();	/* the harness itself complained (queue full) */
}

/* Big jumps are taken in at most 100 steps: a stalled process sees its
 * timers late too, and the fuzzer must not spend its time in the loop. */
static void
advance(struct fz *f, uint64_t ms)
{
	uint64_t step = ms / 100 > 10 ? ms / 100 : 10;

	for (uint64_t t = 0; t < ms; t += step) {
		f->h.now += ms - t < step ? ms - t : step;
		sl_loop_run_timers(f->h.loop);
		collect(f);
	}
}

static void
deliver(struct fz *f, int peer, const void *p, size_t n)
{
	struct sl_endpoint ep;

	peer = (peer + f->spoof) % F_NPEERS;
	if (f->show)
		fprintf(stderr, "---- in from %s\n%.*s\n", peers[peer], (int)n, (const char *)p);
	sl_udp_parse_endpoint(peers[peer], 5060, &ep);
	sl_srv_input(&f->h.srv, p, n, &ep);
	collect(f);
}

static char *
cstr(const uint8_t *p, size_t n)
{
	char *s = malloc(n + 1);

	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

static void
send_reply(struct fz *f, int peer, const uint8_t *p, size_t n)
{
	osip_message_t *req = NULL;
	char err[SL_ERRBUF_SIZE], contact[64];

	if (f->last_req[peer] == NULL || n < 2 ||
	    sl_msg_parse(f->last_req[peer], strlen(f->last_req[peer]), &req, err) != SL_OK)
		return;
	int status = 100 + (int)(((unsigned)p[0] << 8 | p[1]) % 600);
	char *sdp = n > 2 ? cstr(p + 2, n - 2) : NULL;
	snprintf(contact, sizeof(contact), "<sip:fz@%s>", peers[peer]);
	char *t = h_resp(req, status, "fzt", contact, sdp && sdp[0] ? sdp : NULL);
	if (t != NULL)
		deliver(f, peer, t, strlen(t));
	free(t);
	free(sdp);
	sl_msg_free(req);
}

/* An in-dialog request answering the last thing we sent the peer: on a
 * response it is the peer's own dialog (From/To as they were), on a
 * request the roles swap and the peer adds its tag. */
static void
send_in_dialog(struct fz *f, int peer, const uint8_t *p, size_t n)
{
	osip_message_t *m = NULL;
	char err[SL_ERRBUF_SIZE], uri[SL_MSG_URI_MAX], callid[SL_MSG_CALLID_MAX];
	char *from = NULL, *to = NULL;
	uint32_t cseq = 0;
	struct sl_str cseq_method;
	bool star;
	uint32_t exp;

	if (f->last[peer] == NULL || n < 1 ||
	    sl_msg_parse(f->last[peer], f->last_n[peer], &m, err) != SL_OK)
		return;
	const char *method = methods[p[0] % 7];
	bool req = sl_msg_is_request(m);
	if (!sl_msg_call_id(m, callid) || m->from == NULL || m->to == NULL ||
	    !sl_msg_cseq(m, &cseq, &cseq_method) ||
	    osip_from_to_str(req ? m->to : m->from, &from) != 0 ||
	    osip_to_to_str(req ? m->from : m->to, &to) != 0)
		goto out;
	if (!sl_msg_contact(m, uri, &star, &exp) || star) {
		osip_uri_t *u = req ? m->from->url : m->to->url;
		char *us = NULL;
		if (u == NULL || osip_uri_to_str(u, &us) != 0)
			goto out;
		snprintf(uri, sizeof(uri), "%s", us);
		osip_free(us);
	}
	if (strcmp(method, "ACK") != 0 && strcmp(method, "CANCEL") != 0)
		cseq = req ? 1u + (n > 1 ? p[1] : 0u) : cseq + 1;
	char *sdp = n > 2 ? cstr(p + 2, n - 2) : NULL;
	size_t blen = sdp ? strlen(sdp) : 0;
	size_t cap = 1024 + strlen(from) + strlen(to) + strlen(uri) + blen;
	char *t = malloc(cap);
	snprintf(t, cap, "%s %s SIP/2.0\r\n"
	    "Via: SIP/2.0/UDP %s;branch=z9hG4bKfz%u;rport\r\n"
	    "From: %s%s\r\nTo: %s\r\nCall-ID: %s\r\nCSeq: %u %s\r\n"
	    "Contact: <sip:fz@%s>\r\nMax-Forwards: 70\r\n%s"
	    "Content-Length: %zu\r\n\r\n%s",
	    method, uri, peers[peer], ++f->branch, from,
	    req && sl_msg_to_tag(m).n == 0 ? ";tag=fzt" : "", to, callid, (unsigned)cseq,
	    method, peers[peer], blen ? "Content-Type: application/sdp\r\n" : "", blen,
	    sdp ? sdp : "");
	deliver(f, peer, t, strlen(t));
	free(t);
	free(sdp);
out:
	osip_free(from);
	osip_free(to);
	sl_msg_free(m);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f;
	/* a small nonce ring: cheap to set up per input, and inputs reach
	 * the stale-by-eviction path */
	struct h_cfg cfg = { .rtp = "26700-26739", .max_calls = F_MAX_CALLS, .no_answer_s = 5,
		.max_txns = 64, .nonce_slots = 64, .max_regs = 8 };

	memset(&f, 0, sizeof(f));
	f.show = getenv("FUZZ_SERVER_SHOW") != NULL;
	if (!h_init(&f.h, &f.ts, &cfg))
		abort();
	size_t at = 0;
	for (int r = 0; r < F_MAX_RECORDS && size - at >= 3; r++) {
		uint8_t ctl = data[at];
		size_t n = (size_t)data[at + 1] << 8 | data[at + 2];
		at += 3;
		if (n > size - at)
			n = size - at;
		const uint8_t *p = data + at;
		at += n;
		int peer = ctl & 3;
		advance(&f, advance_ms[(ctl >> 2) & 7]);
		f.spoof = (ctl >> 5) & 3 ? ctl >> 7 : 0;
		switch ((ctl >> 5) & 3) {
		case 0:
			deliver(&f, peer, p, n);
			break;
		case 1:
			send_reply(&f, peer, p, n);
			break;
		case 2:
			send_in_dialog(&f, peer, p, n);
			break;
		default:
			if (f.last[peer] != NULL)
				deliver(&f, peer, f.last[peer], f.last_n[peer]);
			break;
		}
	}
	/* past 64*T1, Timer D and --no-answer: every transaction and
	 * pending call is gone; answered calls (no session timer) are freed
	 * by cleanup, which must not leak either */
	f.spoof = 0;
	advance(&f, 60000);
	h_free(&f.h);
	for (int i = 0; i < F_NPEERS; i++) {
		free(f.last[i]);
		free(f.last_req[i]);
	}
	return 0;
}
