/* call.c: see call.h. Header set of the Yate client the seed used for
 * its direct call (From sip:anonymous@<callee> when the account has no
 * user name), in long form. */
#include "tests/gen/call.h"

#include <stdio.h>
#include <string.h>

#include "tests/gen/sip.h"
#include "tests/gen/text.h"

#define ALLOW	"ACK, INVITE, BYE, CANCEL, REGISTER, REFER, OPTIONS, INFO"

static void
dialog(const struct slg_call *c, struct slg_text *t, const char *hu,
    bool to_tag, bool reverse)
{
	char from[160], to[160];

	snprintf(from, sizeof(from), "<sip:%s@%s>;tag=%u", c->from_user, hu,
	    c->tag_uac);
	if (to_tag)
		snprintf(to, sizeof(to), "<sip:%s@%s>;tag=%u", c->to_user, hu,
		    c->tag_uas);
	else
		snprintf(to, sizeof(to), "<sip:%s@%s>", c->to_user, hu);
	/* A request from the callee swaps From and To (RFC 3261 12.2.1.1). */
	slg_text_add(t, "From: %s\r\nTo: %s\r\n", reverse ? to : from,
	    reverse ? from : to);
	slg_text_add(t, "Call-ID: %u@%s\r\n", c->callid, hu);
}

void
slg_call_init(struct slg_call *c, struct slg_host *uac, struct slg_host *uas,
    const char *from_user, const char *to_user, uint16_t uac_rtp,
    uint16_t uas_rtp, struct slg_rng *rng)
{
	memset(c, 0, sizeof(*c));
	c->uac = uac;
	c->uas = uas;
	c->from_user = from_user;
	c->to_user = to_user;
	c->uac_rtp = uac_rtp;
	c->uas_rtp = uas_rtp;
	c->callid = slg_rng_range(rng, 100000000, 2147483647);
	c->tag_uac = slg_rng_range(rng, 100000000, 2147483647);
	c->tag_uas = slg_rng_range(rng, 100000000, 2147483647);
	for (unsigned i = 0; i < 3; i++)
		c->branch[i] = slg_rng_range(rng, 100000000, 2147483647);
	c->sdp_uac = slg_rng_range(rng, 100000000, 2147483647);
	c->sdp_uas = slg_rng_range(rng, 100000000, 2147483647);
	c->ua = "YATE/2.0.0";
}

void
slg_call_rtp(struct slg_rtp_stream *s, const struct slg_call *c,
    bool from_uas, uint32_t ssrc, struct slg_rng *rng)
{
	slg_rtp_init(s);
	s->from = from_uas ? c->uas : c->uac;
	s->to = from_uas ? c->uac : c->uas;
	s->sport = from_uas ? c->uas_rtp : c->uac_rtp;
	s->dport = from_uas ? c->uac_rtp : c->uas_rtp;
	s->ssrc = ssrc;
	s->seq0 = (uint16_t)slg_rng_next(rng);
	s->ts0 = (uint32_t)slg_rng_next(rng);
	s->seed = slg_rng_next(rng);
}

static void
call_msg(const struct slg_call *c, unsigned m, struct slg_text *t,
    struct slg_host **src, struct slg_host **dst)
{
	char ha[64], hu[64], body[4096];
	struct slg_text b;
	bool bye_req_from_uas = c->bye_from_uas;
	/* Who sends m: requests of the UAC and the UAS's answers, or the
	 * other way round for the BYE transaction. */
	bool from_uac;
	uint32_t br_bye = c->branch[2];
	const char *bye_h = bye_req_from_uas ? hu : ha;

	slg_sip_host(&c->uac->ip, ha, sizeof(ha));
	slg_sip_host(&c->uas->ip, hu, sizeof(hu));
	slg_text_init(&b, body, sizeof(body));
	switch (m) {
	case SLG_CALL_INVITE:
	case SLG_CALL_ACK:
		from_uac = true;
		break;
	case SLG_CALL_BYE:
		from_uac = !bye_req_from_uas;
		break;
	case SLG_CALL_BYE_100:
	case SLG_CALL_BYE_200:
		from_uac = bye_req_from_uas;
		break;
	default:
		from_uac = false;
		break;
	}
	*src = from_uac ? c->uac : c->uas;
	*dst = from_uac ? c->uas : c->uac;

	switch (m) {
	case SLG_CALL_INVITE: {
		struct slg_sdp sdp = {
			.user = "-", .sess_id = c->sdp_uac,
			.sess_ver = c->sdp_uac, .addr = &c->uac->ip,
			.port = c->uac_rtp, .fmts = c->uac_fmts,
			.session = "SIP Call", .extra = c->uac_sdp_extra,
		};

		slg_text_add(t, "INVITE sip:%s@%s SIP/2.0\r\n", c->to_user, hu);
		slg_text_add(t, "Via: SIP/2.0/UDP %s:5060;rport;"
		    "branch=z9hG4bK%u\r\n", ha, c->branch[0]);
		dialog(c, t, hu, false, false);
		slg_text_add(t, "CSeq: 1 INVITE\r\nContact: <sip:%s@%s:5060>\r\n"
		    "Max-Forwards: 70\r\nUser-Agent: %s\r\nAllow: %s\r\n",
		    c->from_user, ha, c->ua, ALLOW);
		if (c->invite_extra != NULL)
			slg_text_add(t, "%s", c->invite_extra);
		slg_sdp_audio(&b, &sdp);
		slg_sip_end(t, "Content-Type", "application/sdp",
		    "Content-Length", body, b.len);
		break;
	}
	case SLG_CALL_100:
	case SLG_CALL_180:
	case SLG_CALL_200:
		slg_text_add(t, "SIP/2.0 %s\r\n", m == SLG_CALL_100 ? "100 Trying" :
		    m == SLG_CALL_180 ? "180 Ringing" : "200 OK");
		slg_text_add(t, "Via: SIP/2.0/UDP %s:5060;rport=5060;"
		    "branch=z9hG4bK%u\r\n", ha, c->branch[0]);
		dialog(c, t, hu, m != SLG_CALL_100, false);
		slg_text_add(t, "CSeq: 1 INVITE\r\n");
		if (m == SLG_CALL_100) {
			slg_text_add(t, "Server: %s\r\n", c->ua);
			slg_sip_end(t, NULL, NULL, "Content-Length", NULL, 0);
			break;
		}
		slg_text_add(t, "Contact: <sip:%s@%s:5060>\r\nServer: %s\r\n"
		    "Allow: %s\r\n", c->to_user, hu, c->ua, ALLOW);
		if (m == SLG_CALL_200) {
			struct slg_sdp sdp = {
				.user = "-", .sess_id = c->sdp_uas,
				.sess_ver = c->sdp_uas, .addr = &c->uas->ip,
				.port = c->uas_rtp, .fmts = "0 101",
				.session = "SIP Call", .extra = NULL,
			};

			slg_sdp_audio(&b, &sdp);
			slg_sip_end(t, "Content-Type", "application/sdp",
			    "Content-Length", body, b.len);
		} else {
			slg_sip_end(t, NULL, NULL, "Content-Length", NULL, 0);
		}
		break;
	case SLG_CALL_ACK:
		slg_text_add(t, "ACK sip:%s@%s:5060 SIP/2.0\r\n", c->to_user, hu);
		slg_text_add(t, "Via: SIP/2.0/UDP %s:5060;rport;"
		    "branch=z9hG4bK%u\r\n", ha, c->branch[1]);
		dialog(c, t, hu, true, false);
		slg_text_add(t, "CSeq: 1 ACK\r\nMax-Forwards: 70\r\n"
		    "User-Agent: %s\r\n", c->ua);
		slg_sip_end(t, NULL, NULL, "Content-Length", NULL, 0);
		break;
	case SLG_CALL_BYE:
		/* The request goes to the peer's Contact. */
		if (bye_req_from_uas)
			slg_text_add(t, "BYE sip:%s@%s:5060 SIP/2.0\r\n",
			    c->from_user, ha);
		else
			slg_text_add(t, "BYE sip:%s@%s:5060 SIP/2.0\r\n",
			    c->to_user, hu);
		slg_text_add(t, "Via: SIP/2.0/UDP %s:5060;rport;"
		    "branch=z9hG4bK%u\r\n", bye_h, br_bye);
		dialog(c, t, hu, true, bye_req_from_uas);
		slg_text_add(t, "CSeq: 2 BYE\r\nMax-Forwards: 70\r\n"
		    "User-Agent: %s\r\n", c->ua);
		slg_sip_end(t, NULL, NULL, "Content-Length", NULL, 0);
		break;
	case SLG_CALL_BYE_100:
	case SLG_CALL_BYE_200:
		slg_text_add(t, "SIP/2.0 %s\r\n", m == SLG_CALL_BYE_100 ?
		    "100 Trying" : "200 OK");
		slg_text_add(t, "Via: SIP/2.0/UDP %s:5060;rport=5060;"
		    "branch=z9hG4bK%u\r\n", bye_h, br_bye);
		dialog(c, t, hu, true, bye_req_from_uas);
		slg_text_add(t, "CSeq: 2 BYE\r\nServer: %s\r\n", c->ua);
		slg_sip_end(t, NULL, NULL, "Content-Length", NULL, 0);
		break;
	default:
		t->overflow = true;
		break;
	}
	if (b.overflow)
		t->overflow = true;
}

size_t
slg_call_text(const struct slg_call *c, unsigned m, char *buf, size_t cap,
    struct slg_host **src, struct slg_host **dst)
{
	struct slg_text t;

	slg_text_init(&t, buf, cap);
	call_msg(c, m, &t, src, dst);
	return t.overflow ? 0 : t.len;
}
