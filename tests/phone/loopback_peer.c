/* loopback_peer.c: the scripted registrar/UAS of loopback.h. */
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "tests/phone/loopback.h"
#include "sip/msg.h"
#include "sip/sdp.h"

static const char *
pw_of(void *arg, struct sl_str user, struct sl_str realm)
{
	const struct lb_peer *p = arg;

	(void)realm;
	return sl_str_eq(user, sl_str_c(p->user)) ? p->password : NULL;
}

bool
lb_peer_open(struct lb_peer *p, const char *sip, const char *rtp, const char *user,
    const char *password, uint32_t min_expires)
{
	struct sl_endpoint a, b;
	char errbuf[SL_ERRBUF_SIZE];

	memset(p, 0, sizeof(*p));
	p->sip.fd = p->rtp.fd = -1;
	p->user = user;
	p->password = password;
	p->min_expires = min_expires;
	sl_ids_seed(&p->ids, 50);
	if (sl_digest_server_init(&p->dig, "Yate", "loopback-secret", 300, 1024) != SL_OK) {
		fprintf(stderr, "peer: out of memory\n");
		return false;
	}
	if (!sl_udp_parse_endpoint(sip, 5060, &a) || !sl_udp_parse_endpoint(rtp, 0, &b) ||
	    sl_udp_open(&p->sip, &a, errbuf) != SL_OK ||
	    sl_udp_open(&p->rtp, &b, errbuf) != SL_OK) {
		fprintf(stderr, "peer: %s\n", errbuf);
		lb_peer_close(p);
		return false;
	}
	return true;
}

void
lb_peer_close(struct lb_peer *p)
{
	sl_udp_close(&p->sip);
	sl_udp_close(&p->rtp);
	sl_digest_server_free(&p->dig);
}

static void event(struct lb_peer *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
event(struct lb_peer *p, const char *fmt, ...)
{
	va_list ap;

	if (p->nev >= LB_MAX_EVENTS)
		return;
	va_start(ap, fmt);
	vsnprintf(p->events[p->nev++], sizeof(p->events[0]), fmt, ap);
	va_end(ap);
}

static void
send_msg(struct lb_peer *p, osip_message_t *m, const struct sl_endpoint *to)
{
	struct sl_buf b;
	char errbuf[SL_ERRBUF_SIZE];

	sl_buf_init(&b, SL_MSG_MAX_LEN);
	if (sl_msg_serialize(m, &b) == SL_OK)
		sl_udp_send(&p->sip, to, b.p, b.len, errbuf);
	sl_buf_free(&b);
}

static void
respond(struct lb_peer *p, const osip_message_t *req, const struct sl_endpoint *to,
    int code, const char *hdr, const char *value, const char *body)
{
	osip_message_t *r = NULL;

	if (sl_msg_response(req, code, NULL, "831312670", &r) != SL_OK)
		return;
	if (hdr)
		sl_msg_add_header(r, hdr, value);
	if (code >= 180 && code < 300 && sl_msg_is(req, "INVITE")) {
		char contact[128], ep[SL_EP_STRLEN];
		snprintf(contact, sizeof(contact), "<sip:2@%s>",
		    sl_ep_str(&p->sip.local, ep, sizeof(ep)));
		sl_msg_set_contact(r, contact);
	}
	if (body)
		sl_msg_set_body(r, "application/sdp", body, strlen(body));
	send_msg(p, r, to);
	sl_msg_free(r);
}

static bool
authorized(struct lb_peer *p, const osip_message_t *req)
{
	struct sl_digest_params cred;

	return sl_msg_auth(req, SL_MSG_AUTHORIZATION, &cred) &&
	    sl_digest_verify(&p->dig, &cred, sl_msg_method(req), (uint64_t)time(NULL),
	    pw_of, p) == SL_DIGEST_OK;
}

static void
challenge(struct lb_peer *p, const osip_message_t *req, const struct sl_endpoint *to)
{
	struct sl_buf ch;

	sl_buf_init(&ch, 1024);
	if (sl_digest_challenge(&p->dig, (uint64_t)time(NULL), false, NULL, false, &ch) ==
	    SL_OK)
		respond(p, req, to, 401, "WWW-Authenticate", ch.p, NULL);
	sl_buf_free(&ch);
}

static void
on_register(struct lb_peer *p, const osip_message_t *m, const struct sl_endpoint *from,
    uint32_t cseq)
{
	uint32_t exp = 3600;
	char v[32];

	sl_msg_expires(m, &exp);
	if (!authorized(p, m)) {
		event(p, "REGISTER %u 401 exp=%u", cseq, exp);
		challenge(p, m, from);
	} else if (exp != 0 && exp < p->min_expires) {
		event(p, "REGISTER %u 423 exp=%u", cseq, exp);
		snprintf(v, sizeof(v), "%u", p->min_expires);
		respond(p, m, from, 423, "Min-Expires", v, NULL);
	} else {
		event(p, "REGISTER %u 200 exp=%u", cseq, exp);
		snprintf(v, sizeof(v), "%u", exp);
		respond(p, m, from, 200, "Expires", v, NULL);
	}
}

static void
on_invite(struct lb_peer *p, const osip_message_t *m, const struct sl_endpoint *from,
    uint32_t cseq)
{
	char cid[SL_MSG_CALLID_MAX];
	struct sl_str tag = sl_msg_from_tag(m);

	sl_msg_call_id(m, cid);
	/* RFC 3261 22.2: the authorized INVITE continues the first one */
	bool same = p->first_call_id[0] && strcmp(cid, p->first_call_id) == 0 &&
	    sl_str_eq(tag, sl_str_c(p->first_from_tag));
	if (p->first_call_id[0] == '\0') {
		snprintf(p->first_call_id, sizeof(p->first_call_id), "%s", cid);
		snprintf(p->first_from_tag, sizeof(p->first_from_tag), "%.*s",
		    (int)(tag.n < 63 ? tag.n : 63), tag.p);
	}
	respond(p, m, from, 100, NULL, NULL, NULL);
	if (!authorized(p, m)) {
		event(p, "INVITE %u 401", cseq);
		challenge(p, m, from);
		return;
	}
	char sdp[256], ip[SL_IP_STRLEN];
	snprintf(sdp, sizeof(sdp), "v=0\r\no=peer 1 1 IN IP4 %s\r\ns=-\r\nc=IN IP4 %s\r\n"
	    "t=0 0\r\nm=audio %u RTP/AVP 0 8\r\n", sl_ip_str(&p->rtp.local.ip, ip, sizeof(ip)),
	    ip, p->rtp.local.port);
	respond(p, m, from, 180, NULL, NULL, NULL);
	respond(p, m, from, 200, NULL, NULL, sdp);
	event(p, "INVITE %u 200 %s", cseq, same ? "same-dialog" : "new-dialog");
}

static void
on_sip(struct lb_peer *p, size_t n, const struct sl_endpoint *from)
{
	osip_message_t *m = NULL;
	char errbuf[SL_ERRBUF_SIZE];
	uint32_t cseq;
	struct sl_str method;

	if (sl_msg_parse(p->buf, n, &m, errbuf) != SL_OK)
		return;
	sl_msg_cseq(m, &cseq, &method);
	if (!sl_msg_is_request(m)) {
		sl_msg_free(m);
		return;
	}
	if (sl_msg_is(m, "REGISTER")) {
		on_register(p, m, from, cseq);
	} else if (sl_msg_is(m, "INVITE")) {
		on_invite(p, m, from, cseq);
	} else if (sl_msg_is(m, "ACK")) {
		event(p, "ACK %u", cseq);
	} else if (sl_msg_is(m, "BYE")) {
		bool ok = authorized(p, m);
		event(p, "BYE %u %d", cseq, ok ? 200 : 401);
		if (ok)
			respond(p, m, from, 200, NULL, NULL, NULL);
		else
			challenge(p, m, from);
	} else {
		event(p, "%.*s %u 501", SL_PRI(method), cseq);
		respond(p, m, from, 501, NULL, NULL, NULL);
	}
	sl_msg_free(m);
}

void
lb_peer_poll(struct lb_peer *p, int ms)
{
	struct pollfd pf[2] = { { p->sip.fd, POLLIN, 0 }, { p->rtp.fd, POLLIN, 0 } };
	char errbuf[SL_ERRBUF_SIZE];
	struct sl_endpoint from;
	size_t n;

	if (poll(pf, 2, ms) <= 0)
		return;
	for (int i = 0; i < 64; i++) {
		if (sl_udp_recv(&p->sip, p->buf, sizeof(p->buf), &n, &from, errbuf) !=
		    SL_UDP_RX_DATA)
			break;
		on_sip(p, n, &from);
	}
	for (int i = 0; i < 64; i++) {
		if (sl_udp_recv(&p->rtp, p->buf, sizeof(p->buf), &n, &from, errbuf) !=
		    SL_UDP_RX_DATA)
			break;
		p->rtp_rx++;
		sl_udp_send(&p->rtp, &from, p->buf, n, errbuf);
	}
}
