/* harness.c: see harness.h. */
#include "tests/server/harness.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sip/udp.h"

static uint64_t
fake_clock(void *arg)
{
	return ((struct h *)arg)->now;
}

static enum sl_err
capture(void *arg, const struct sl_endpoint *to, const void *p, size_t n)
{
	struct h *h = arg;

	if (h->nq == H_MAXQ) {
		SL_CHECK_MSG(h->ts, false, "harness queue full");
		return SL_EIO;
	}
	struct h_pkt *k = &h->q[h->nq++];
	sl_ep_str(to, k->to, sizeof(k->to));
	k->data = malloc(n + 1);
	memcpy(k->data, p, n);
	k->data[n] = '\0';
	k->n = n;
	return SL_OK;
}

static void
local_ip(void *arg, const struct sl_endpoint *peer, struct sl_ip *out)
{
	(void)arg;
	(void)peer;
	sl_ip_parse(SL_STR(H_SERVER), out);
}

bool
h_init(struct h *h, struct sl_test_state *ts, const struct h_cfg *cfg)
{
	char err[SL_ERRBUF_SIZE] = "", range[32];
	struct sl_ids ids;

	memset(h, 0, sizeof(*h));
	h->ts = ts;
	h->now = 1000000;
	snprintf(range, sizeof(range), "%s", cfg->rtp);
	char a0[] = "x", a1[] = "-c", a2[] = "conf", a3[] = "--rtp-ports";
	char *argv[] = { a0, a1, a2, a3, range, NULL };
	if (sl_srv_opts_parse(5, argv, &h->o, err) != SL_OK) {
		SL_CHECK_MSG(ts, false, "opts: %s", err);
		return false;
	}
	if (cfg->max_calls)
		h->o.max_calls = cfg->max_calls;
	if (cfg->max_regs)
		h->o.max_regs = cfg->max_regs;
	if (cfg->no_answer_s)
		h->o.no_answer_s = cfg->no_answer_s;
	if (cfg->nonce_ttl_s)
		h->o.nonce_ttl_s = cfg->nonce_ttl_s;
	if (cfg->nonce_slots)
		h->o.nonce_slots = cfg->nonce_slots;
	if (cfg->rate_reqs)
		h->o.rate_reqs = cfg->rate_reqs == H_OFF ? 0 : cfg->rate_reqs;
	if (cfg->rtp_timeout_s)
		h->o.rtp_timeout_s = cfg->rtp_timeout_s == H_OFF ? 0 : cfg->rtp_timeout_s;
	if (cfg->session_timeout_s)
		h->o.session_timeout_s = cfg->session_timeout_s == H_OFF ? 0 :
		    cfg->session_timeout_s;
	bool ok = cfg->regfile ?
	    sl_regfile_parse(&h->rf, "regfile.conf", cfg->regfile, strlen(cfg->regfile), err) == SL_OK :
	    sl_regfile_load(&h->rf, SL_SOURCE_DIR "/src/server/conf/regfile.conf", err) == SL_OK;
	ok = ok && (cfg->regexroute ?
	    sl_route_parse(&h->rr, "regexroute.conf", cfg->regexroute, strlen(cfg->regexroute),
	    err) == SL_OK :
	    sl_route_load(&h->rr, SL_SOURCE_DIR "/src/server/conf/regexroute.conf", err) == SL_OK);
	if (!ok) {
		SL_CHECK_MSG(ts, false, "config: %s", err);
		return false;
	}
	h->log.f = open_memstream(&h->logtext, &h->loglen);
	h->log.level = SL_LOG_DEBUG;
	h->log.prog = "sipladder-server";
	h->loop = sl_loop_new(0, 0);
	sl_loop_set_clock(h->loop, fake_clock, h);
	sl_ids_seed(&ids, 42);
	struct sl_srv_cfg sc = {
		.opts = &h->o, .rf = &h->rf, .rr = &h->rr, .loop = h->loop, .log = &h->log,
		.port = 5060, .send = capture, .local_ip = local_ip, .io_arg = h,
		.t1_ms = 100, .nonce_base_s = 1000, .max_txns = cfg->max_txns,
	};
	sl_ip_parse(SL_STR(H_SERVER), &sc.bind_ip);
	if (sl_srv_init(&h->srv, &sc, &ids, err) != SL_OK) {
		SL_CHECK_MSG(ts, false, "init: %s", err);
		return false;
	}
	h->up = true;
	return true;
}

void
h_free(struct h *h)
{
	if (h->up)
		sl_srv_cleanup(&h->srv);
	for (size_t i = 0; i < h->nq; i++)
		free(h->q[i].data);
	sl_loop_free(h->loop);
	sl_route_free(&h->rr);
	sl_regfile_free(&h->rf);
	if (h->log.f)
		fclose(h->log.f);
	if (getenv("H_SHOWLOG") && h->logtext)
		fputs(h->logtext, stderr);
	free(h->logtext);
}

void
h_in(struct h *h, const char *from, const char *text)
{
	struct sl_endpoint ep;

	sl_udp_parse_endpoint(from, 5060, &ep);
	sl_srv_input(&h->srv, text, strlen(text), &ep);
}

osip_message_t *
h_out(struct h *h, const char *to, const char *what)
{
	char err[SL_ERRBUF_SIZE];
	osip_message_t *m = NULL;

	if (h->head == h->nq) {
		SL_CHECK_MSG(h->ts, false, "nothing sent, expected %s to %s", what, to);
		return NULL;
	}
	struct h_pkt *k = &h->q[h->head++];
	if (strcmp(k->to, to) != 0) {
		SL_CHECK_MSG(h->ts, false, "expected %s to %s, got to %s:\n%s", what, to, k->to,
		    k->data);
		return NULL;
	}
	if (sl_msg_parse(k->data, k->n, &m, err) != SL_OK) {
		SL_CHECK_MSG(h->ts, false, "%s: we sent something unparsable (%s)", what, err);
		return NULL;
	}
	return m;
}

const struct h_pkt *
h_last(const struct h *h)
{
	return h->head ? &h->q[h->head - 1] : NULL;
}

bool
h_quiet(struct h *h, const char *what)
{
	if (h->head == h->nq)
		return true;
	SL_CHECK_MSG(h->ts, false, "%s: unexpected datagram to %s:\n%s", what,
	    h->q[h->head].to, h->q[h->head].data);
	h->head = h->nq;
	return false;
}

size_t
h_drain(struct h *h)
{
	size_t n = h->nq;

	for (size_t i = 0; i < h->nq; i++)
		free(h->q[i].data);
	h->nq = h->head = 0;
	return n;
}

void
h_advance(struct h *h, uint64_t ms)
{
	for (uint64_t t = 0; t < ms; t += 10) {
		h->now += ms - t < 10 ? ms - t : 10;
		sl_loop_run_timers(h->loop);
	}
}

bool
h_logged(struct h *h, const char *s)
{
	fflush(h->log.f);
	return h->logtext && strstr(h->logtext, s) != NULL;
}

/* ----- message text ----- */

static char *
fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));

static char *
fmt(const char *f, ...)
{
	va_list ap;

	va_start(ap, f);
	int n = vsnprintf(NULL, 0, f, ap);
	va_end(ap);
	char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (s == NULL)
		return NULL;
	va_start(ap, f);
	vsnprintf(s, (size_t)n + 1, f, ap);
	va_end(ap);
	return s;
}

char *
h_req(const struct h_ua *ua, const char *method, const char *ruri, const char *to,
    const char *to_tag, const char *callid, unsigned cseq, const char *ftag,
    const char *branch, const char *extra, const char *sdp)
{
	size_t blen = sdp ? strlen(sdp) : 0;

	return fmt("%s %s SIP/2.0\r\n"
	    "Via: SIP/2.0/UDP %s;branch=%s;rport\r\n"
	    "From: <sip:%s@" H_SERVER ">;tag=%s\r\n"
	    "To: <%s>%s%s\r\n"
	    "Call-ID: %s\r\n"
	    "CSeq: %u %s\r\n"
	    "Contact: <sip:%s@%s>\r\n"
	    "Max-Forwards: 70\r\n"
	    "%s%s"
	    "Content-Length: %zu\r\n\r\n%s",
	    method, ruri, ua->ep, branch, ua->user, ftag, to, to_tag ? ";tag=" : "",
	    to_tag ? to_tag : "", callid, cseq, method, ua->user, ua->ep, extra ? extra : "",
	    sdp ? "Content-Type: application/sdp\r\n" : "", blen, sdp ? sdp : "");
}

char *
h_resp(const osip_message_t *req, int code, const char *to_tag, const char *contact,
    const char *sdp)
{
	osip_message_t *r = NULL;
	struct sl_buf b;

	if (sl_msg_response(req, code, NULL, to_tag, &r) != SL_OK)
		return NULL;
	if (contact)
		sl_msg_set_contact(r, contact);
	if (sdp)
		sl_msg_set_body(r, "application/sdp", sdp, strlen(sdp));
	sl_buf_init(&b, 65535);
	sl_msg_serialize(r, &b);
	sl_msg_free(r);
	return b.p;
}

char *
h_authz(const struct h_ua *ua, const osip_message_t *ch, const char *method,
    const char *uri)
{
	return h_authz_nc(ua, ch, method, uri, 1);
}

char *
h_authz_nc(const struct h_ua *ua, const osip_message_t *ch, const char *method,
    const char *uri, uint32_t nc)
{
	struct sl_digest_params p;
	struct sl_buf b;

	if (ch == NULL || !sl_msg_auth(ch, SL_MSG_WWW_AUTHENTICATE, &p))
		return NULL;
	sl_buf_init(&b, 4096);
	sl_buf_adds(&b, "Authorization: ");
	if (sl_digest_authorization(&p, ua->user, ua->password, method, uri, nc, "cn", &b) !=
	    SL_OK)
		return NULL;
	sl_buf_adds(&b, "\r\n");
	return b.p;
}

char *
h_sdp(const char *ip, unsigned port)
{
	return fmt("v=0\r\no=- 7 7 IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\nt=0 0\r\n"
	    "m=audio %u RTP/AVP 0 8\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n",
	    ip, ip, port);
}

int
h_register(struct h *h, struct h_ua *ua, unsigned expires)
{
	char callid[64], branch[32], to[64], extra[96];
	int status = 0;

	snprintf(callid, sizeof(callid), "reg-%s", ua->user);
	snprintf(to, sizeof(to), "sip:%s@" H_SERVER, ua->user);
	snprintf(extra, sizeof(extra), "Expires: %u\r\n", expires);
	snprintf(branch, sizeof(branch), "z9hG4bKr%s%u", ua->user, ++ua->n);
	char *t = h_req(ua, "REGISTER", "sip:" H_SERVER, to, NULL, callid, ua->n * 2 - 1, "rt",
	    branch, extra, NULL);
	h_in(h, ua->ep, t);
	free(t);
	osip_message_t *m100 = h_out(h, ua->ep, "100 to REGISTER");
	osip_message_t *ch = h_out(h, ua->ep, "401 to REGISTER");
	if (m100 && ch && sl_msg_status(m100) == 100 && sl_msg_status(ch) == 401) {
		char *az = h_authz(ua, ch, "REGISTER", "sip:" H_SERVER);
		char both[4200];
		snprintf(both, sizeof(both), "%s%s", extra, az ? az : "");
		free(az);
		snprintf(branch, sizeof(branch), "z9hG4bKr%s%ub", ua->user, ua->n);
		t = h_req(ua, "REGISTER", "sip:" H_SERVER, to, NULL, callid, ua->n * 2, "rt",
		    branch, both, NULL);
		h_in(h, ua->ep, t);
		free(t);
		osip_message_t *t100 = h_out(h, ua->ep, "100 to REGISTER");
		osip_message_t *fin = h_out(h, ua->ep, "final to REGISTER");
		status = fin ? sl_msg_status(fin) : 0;
		sl_msg_free(t100);
		sl_msg_free(fin);
	}
	sl_msg_free(m100);
	sl_msg_free(ch);
	return status;
}

osip_message_t *
h_bye_ok(struct h *h, const char *ep, const char *what)
{
	osip_message_t *bye = h_out(h, ep, what);

	SL_CHECK_MSG(h->ts, bye && sl_msg_is(bye, "BYE"), "%s: a BYE to %s", what, ep);
	if (bye) {
		char *t = h_resp(bye, 200, NULL, NULL, NULL);
		h_in(h, ep, t);
		free(t);
	}
	return bye;
}

const char *
h_hdr(const osip_message_t *m, const char *name)
{
	struct sl_str v = sl_msg_header(m, name);

	return v.p ? v.p : "";
}

char *
h_body(const osip_message_t *m)
{
	struct sl_str b;

	if (m == NULL || !sl_msg_body(m, &b, NULL, 0))
		return NULL;
	char *s = malloc(b.n + 1);
	memcpy(s, b.p, b.n);
	s[b.n] = '\0';
	return s;
}

/* ----- real sockets ----- */

int
h_sock_at(const char *ip, uint16_t port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);

	inet_pton(AF_INET, ip, &sa.sin_addr);
	if (fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}
