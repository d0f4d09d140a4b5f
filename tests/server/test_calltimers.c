/* test_calltimers.c: the timers of an answered call (call.c,
 * sl_b2b_call_arm_timers) on the fake clock of harness.h: --rtp-timeout ends
 * a call whose media stopped (BYE on both legs, the call freed), not one
 * whose RTP flows; --session-timeout ends any call; neither fires after
 * a normal BYE; and the relay, wired by the B2BUA, drops RTP from the
 * caller's IP on another port and latches only when enabled.
 * Relay ports: 127.0.0.61:25950-25969; the phones' RTP sockets are real,
 * on 127.0.0.183:25970/25974/25976 and 127.0.0.101:25972. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/server/harness.h"
#include "server/call.h"
#include "sip/sdp.h"

static SL_TEST_STATE(ts);

#define A_EP "127.0.0.183:5060"
#define B_EP "127.0.0.101:5060"
#define DIAL "sip:2@" H_SERVER
#define RANGE "25950-25969"
#define A_RTP 25970
#define B_RTP 25972

struct call {
	struct h_ua a, b;
	char a_tag[64];
	char callid[32];
	char b_callid[SL_MSG_CALLID_MAX];	/* leg B's dialog: Call-ID, */
	char b_tag[64];			/* the server's tag */
	uint16_t relay_a, relay_b;	/* the relay's ports as each side sees them */
};

static uint16_t
sdp_port(const osip_message_t *m)
{
	char *body = h_body(m);
	struct sl_sipsdp_info si;
	uint16_t port = 0;

	if (body && sl_sipsdp_parse(body, strlen(body), &si) == SL_OK)
		port = si.port;
	free(body);
	return port;
}

/* u1 calls 2 with credentials, u2 answers, u1 ACKs: the call is up. The
 * caller's SDP announces a_ip:a_port. */
static bool
call_up(struct h *h, struct call *c, const char *callid, const char *a_ip, unsigned a_port)
{
	char *sdp = h_sdp(a_ip, a_port);
	bool ok = false;

	memset(c, 0, sizeof(*c));
	c->a = (struct h_ua){ A_EP, "u1", "u1pass", 0 };
	c->b = (struct h_ua){ B_EP, "u2", "u2pass", 0 };
	snprintf(c->callid, sizeof(c->callid), "%s", callid);
	SL_CHECK(&ts, h_register(h, &c->a, 600) == 200);
	SL_CHECK(&ts, h_register(h, &c->b, 600) == 200);
	char *t = h_req(&c->a, "INVITE", DIAL, DIAL, NULL, callid, 1, "ct1", "z9hG4bKi1", NULL,
	    sdp);
	h_in(h, A_EP, t);
	free(t);
	sl_msg_free(h_out(h, A_EP, "100 to INVITE"));
	osip_message_t *ch = h_out(h, A_EP, "401 to INVITE");
	char *az = h_authz(&c->a, ch, "INVITE", DIAL);
	sl_msg_free(ch);
	t = h_req(&c->a, "INVITE", DIAL, DIAL, NULL, callid, 2, "ct1", "z9hG4bKi2", az, sdp);
	free(az);
	free(sdp);
	h_in(h, A_EP, t);
	free(t);
	sl_msg_free(h_out(h, A_EP, "100 to the authorised INVITE"));
	osip_message_t *inv = h_out(h, B_EP, "B-leg INVITE");
	if (inv == NULL)
		return false;
	c->relay_b = sdp_port(inv);
	sl_msg_call_id(inv, c->b_callid);
	snprintf(c->b_tag, sizeof(c->b_tag), "%.*s", SL_PRI(sl_msg_from_tag(inv)));
	sdp = h_sdp("127.0.0.101", B_RTP);
	t = h_resp(inv, 200, "cb1", "<sip:u2@" B_EP ">", sdp);
	free(sdp);
	sl_msg_free(inv);
	h_in(h, B_EP, t);
	free(t);
	osip_message_t *ack = h_out(h, B_EP, "ACK on leg B");
	osip_message_t *r = h_out(h, A_EP, "200 on A");
	if (ack && r && sl_msg_status(r) == 200) {
		snprintf(c->a_tag, sizeof(c->a_tag), "%.*s", SL_PRI(sl_msg_to_tag(r)));
		c->relay_a = sdp_port(r);
		ok = c->relay_a != 0 && c->relay_b != 0;
	}
	sl_msg_free(ack);
	sl_msg_free(r);
	t = h_req(&c->a, "ACK", "sip:2@" H_SERVER ":5060", DIAL, c->a_tag, callid, 2, "ct1",
	    "z9hG4bKa2", NULL, NULL);
	h_in(h, A_EP, t);
	free(t);
	SL_CHECK(&ts, ok && h_quiet(h, "call up") && sl_srv_calls(&h->srv) == 1);
	return ok;
}

/* The server's BYE on both legs with this Reason, each answered 200. */
static void
expect_byes(struct h *h, const char *reason)
{
	static const char *const eps[2] = { A_EP, B_EP };

	for (int i = 0; i < 2; i++) {
		osip_message_t *bye = h_bye_ok(h, eps[i], "the server's BYE");
		SL_CHECK_MSG(&ts, bye && strcmp(h_hdr(bye, "reason"), reason) == 0,
		    "to %s: reason %s", eps[i], bye ? h_hdr(bye, "reason") : "-");
		SL_CHECK(&ts, bye == NULL || strncmp(h_hdr(bye, "p-rtp-stat"), "PS=", 3) == 0);
		sl_msg_free(bye);
	}
	h_quiet(h, "nothing but the two BYEs");
}

static void
send_rtp(int fd, uint16_t port, const char *payload)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };

	inet_pton(AF_INET, H_SERVER, &sa.sin_addr);
	sendto(fd, payload, strlen(payload), 0, (struct sockaddr *)&sa, sizeof(sa));
}

/* Turn the server's loop (its relay sockets) until fd receives something:
 * its length, or -1 after tries x 20 ms. The fake clock does not move. */
static ssize_t
pump(struct h *h, int fd, int tries)
{
	char buf[256], errbuf[SL_ERRBUF_SIZE];

	for (int i = 0; i < tries; i++) {
		sl_loop_run_once(h->loop, 20, errbuf);
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		if (n >= 0)
			return n;
	}
	return -1;
}

/* No RTP at all: the call ends rtp_timeout after the answer. */
static void
test_rtp_timeout(void)
{
	struct h h;
	struct h_cfg cfg = { .rtp = RANGE, .rtp_timeout_s = 10 };
	struct call c;

	if (!h_init(&h, &ts, &cfg))
		return;
	if (call_up(&h, &c, "rt1@" H_SERVER, "127.0.0.183", A_RTP)) {
		h_advance(&h, 9990);
		SL_CHECK(&ts, h_quiet(&h, "before the RTP timeout") && sl_srv_calls(&h.srv) == 1);
		h_advance(&h, 20);
		expect_byes(&h, SL_B2B_REASON_RTP);
		SL_CHECK(&ts, sl_srv_calls(&h.srv) == 0 && h.srv.relay.pool.in_use == 0);
		SL_CHECK(&ts, h_logged(&h, "call 1: u1 -> 2: no RTP for 10 s (--rtp-timeout)"));
		SL_CHECK(&ts, h_logged(&h, "ended by the server"));
		/* the BYE transactions end, nothing else happens */
		h_advance(&h, 60000);
		h_quiet(&h, "after the call");
	}
	h_free(&h);
}

/* RTP flows every 4 s for 40 s: the 10 s timeout re-arms and never
 * fires; once it stops the call ends 10 s after the last packet. */
static void
test_rtp_flowing(void)
{
	struct h h;
	struct h_cfg cfg = { .rtp = RANGE, .rtp_timeout_s = 10 };
	struct call c;
	int fa = h_sock_at("127.0.0.183", A_RTP), fb = h_sock_at("127.0.0.101", B_RTP);

	SL_CHECK(&ts, fa >= 0 && fb >= 0);
	if (fa < 0 || fb < 0 || !h_init(&h, &ts, &cfg)) {
		close(fa);
		close(fb);
		return;
	}
	if (call_up(&h, &c, "rt2@" H_SERVER, "127.0.0.183", A_RTP)) {
		bool relayed = true;
		for (int i = 0; i < 10; i++) {
			h_advance(&h, 4000);
			/* one side at a time: either keeps the call up */
			if (i % 2)
				send_rtp(fa, c.relay_a, "rtp-from-a");
			else
				send_rtp(fb, c.relay_b, "rtp-from-b");
			relayed = relayed && pump(&h, i % 2 ? fb : fa, 50) == 10;
		}
		SL_CHECK(&ts, relayed);
		SL_CHECK(&ts, h_quiet(&h, "media flows") && sl_srv_calls(&h.srv) == 1);
		SL_CHECK(&ts, !h_logged(&h, "--rtp-timeout"));
		h_advance(&h, 9990);
		SL_CHECK(&ts, h_quiet(&h, "within 10 s of the last packet"));
		h_advance(&h, 20);
		expect_byes(&h, SL_B2B_REASON_RTP);
		SL_CHECK(&ts, sl_srv_calls(&h.srv) == 0);
	}
	h_free(&h);
	close(fa);
	close(fb);
}

/* --session-timeout ends a call however lively; with --rtp-timeout off a
 * silent call lives until then. */
static void
test_session_timeout(void)
{
	struct h h;
	struct h_cfg cfg = { .rtp = RANGE, .rtp_timeout_s = H_OFF, .session_timeout_s = 300 };
	struct call c;

	if (!h_init(&h, &ts, &cfg))
		return;
	if (call_up(&h, &c, "st1@" H_SERVER, "127.0.0.183", A_RTP)) {
		h_advance(&h, 299990);
		SL_CHECK(&ts, h_quiet(&h, "before the session timeout") &&
		    sl_srv_calls(&h.srv) == 1);
		h_advance(&h, 20);
		expect_byes(&h, SL_B2B_REASON_SESSION);
		SL_CHECK(&ts, sl_srv_calls(&h.srv) == 0 && h.srv.relay.pool.in_use == 0);
		SL_CHECK(&ts, h_logged(&h, "call 1: u1 -> 2: up for 300 s (--session-timeout)"));
	}
	h_free(&h);
}

/* A normal hangup: the timers go with the call (ASan would report a
 * timer firing on a freed call), nothing is sent later. */
static void
test_bye_cancels(void)
{
	struct h h;
	struct h_cfg cfg = { .rtp = RANGE, .rtp_timeout_s = 10, .session_timeout_s = 20 };
	struct call c;

	if (!h_init(&h, &ts, &cfg))
		return;
	if (call_up(&h, &c, "bc1@" H_SERVER, "127.0.0.183", A_RTP)) {
		h_advance(&h, 5000);
		/* the callee hangs up (its BYE is not challenged) */
		char *t = h_req(&c.b, "BYE", "sip:u1@" H_SERVER ":5060", "sip:u1@" H_SERVER,
		    c.b_tag, c.b_callid, 2, "cb1", "z9hG4bKbb1", NULL, NULL);
		h_in(&h, B_EP, t);
		free(t);
		sl_msg_free(h_out(&h, B_EP, "100 to BYE"));
		osip_message_t *ok = h_out(&h, B_EP, "200 to BYE");
		SL_CHECK(&ts, ok && sl_msg_status(ok) == 200);
		sl_msg_free(ok);
		sl_msg_free(h_bye_ok(&h, A_EP, "BYE on leg A"));
		SL_CHECK(&ts, sl_srv_calls(&h.srv) == 0);
		h_advance(&h, 30000);
		SL_CHECK(&ts, h_quiet(&h, "no timer after the BYE"));
		SL_CHECK(&ts, !h_logged(&h, "--rtp-timeout") && !h_logged(&h, "--session-timeout"));
	}
	h_free(&h);
}

/* Through the B2BUA: the caller's IP on another port is not heard; with
 * latching (env.latch, from --rtp-latch) a caller whose SDP shows a
 * private address is, from the IP its INVITE came from, and then only
 * from that port. */
static void
test_relay_wiring(void)
{
	for (int latch = 0; latch < 2; latch++) {
		struct h h;
		struct h_cfg cfg = { .rtp = RANGE };
		struct call c;
		int fa = h_sock_at("127.0.0.183", A_RTP), fb = h_sock_at("127.0.0.101", B_RTP);
		int other = h_sock_at("127.0.0.183", 25974), nat = h_sock_at("127.0.0.183", 25976);

		SL_CHECK(&ts, fa >= 0 && fb >= 0 && other >= 0 && nat >= 0);
		if (h_init(&h, &ts, &cfg)) {
			h.srv.relay.latch = latch;
			if (call_up(&h, &c, "lw1@" H_SERVER, latch ? "10.0.0.5" : "127.0.0.183",
			    A_RTP)) {
				if (latch) {
					/* (whoever sends first from the
					 * caller's IP wins: relay.h) */
					send_rtp(nat, c.relay_a, "natted");
					SL_CHECK(&ts, pump(&h, fb, 50) == 6);
					send_rtp(fb, c.relay_b, "back");
					SL_CHECK(&ts, pump(&h, nat, 50) == 4);
					send_rtp(other, c.relay_a, "injected");
					SL_CHECK(&ts, pump(&h, fb, 5) < 0);
				} else {
					send_rtp(other, c.relay_a, "injected");
					SL_CHECK(&ts, pump(&h, fb, 5) < 0);
					send_rtp(fa, c.relay_a, "genuine");
					SL_CHECK(&ts, pump(&h, fb, 50) == 7);
				}
			}
			h_free(&h);
		}
		close(fa);
		close(fb);
		close(other);
		close(nat);
	}
}

int
main(void)
{
	sl_osip_init();
	test_rtp_timeout();
	test_rtp_flowing();
	test_session_timeout();
	test_bye_cancels();
	test_relay_wiring();
	return sl_test_report(&ts, "server.calltimers");
}
