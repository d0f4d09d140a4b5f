/* fixture.c: see fixture.h. */
#include "tests/unit/fixture.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"

struct sl_endpoint
fx_ep(const char *ip, uint16_t port)
{
	struct sl_endpoint e;
	memset(&e, 0, sizeof e);
	sl_ip_parse(sl_str_c(ip), &e.ip);
	e.port = port;
	e.transport = SL_TP_UDP;
	return e;
}

struct sl_call *
fx_new_call(enum sl_call_kind kind, uint32_t index)
{
	struct sl_call *c = sl_call_new(kind, index, 0);
	if (c == NULL)
		abort();
	return c;
}

void
fx_free_call(struct sl_call *c)
{
	sl_call_free(c);
}

void
fx_findings(struct sl_call *c)
{
	struct sl_call_summary keep = c->sum;
	if (sl_call_analyze(c) != SL_OK)
		abort();
	c->sum = keep;
}

void *
fx_zalloc(struct sl_call *c, size_t n)
{
	void *p = sl_arena_zalloc(&c->arena, n);
	if (p == NULL)
		abort();
	return p;
}

struct sl_leg *
fx_add_leg(struct sl_call *c, char name, const char *cid, const char *from,
    const char *to, struct sl_endpoint uac, struct sl_endpoint uas)
{
	struct sl_leg *g = sl_call_new_leg(c);
	if (g == NULL)
		abort();
	g->name = name;
	g->call_id = sl_str_c(cid);
	g->from_user = sl_str_c(from);
	g->to_user = sl_str_c(to);
	g->uac = uac;
	g->uas = uas;
	return g;
}

static enum sl_sip_method
method_id(const char *m)
{
	static const struct { const char *name; enum sl_sip_method id; } map[] = {
		{ "INVITE", SL_SIP_METHOD_INVITE }, { "ACK", SL_SIP_METHOD_ACK },
		{ "BYE", SL_SIP_METHOD_BYE }, { "CANCEL", SL_SIP_METHOD_CANCEL },
		{ "REGISTER", SL_SIP_METHOD_REGISTER }, { "OPTIONS", SL_SIP_METHOD_OPTIONS },
		{ "MESSAGE", SL_SIP_METHOD_MESSAGE },
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(map[i].name, m) == 0)
			return map[i].id;
	return SL_SIP_METHOD_OTHER;
}

static struct sl_msg *
add_msg(struct sl_call *c, struct sl_leg *g, int64_t us, struct sl_endpoint src,
    struct sl_endpoint dst, const char *method, uint32_t cseq)
{
	struct sl_msg *m = sl_call_new_msg(c, g);
	if (m == NULL)
		abort();
	m->frame = c->n_msgs;
	m->ts_ns = FX_US(us);
	m->src = src;
	m->dst = dst;
	m->method = sl_str_c(method);
	m->method_id = method_id(method);
	m->cseq = cseq;
	if (g) {
		m->call_id = g->call_id;
		m->from_user = g->from_user;
		m->to_user = g->to_user;
		g->n_msgs++;
	}
	if (c->n_msgs == 1)
		c->first_ts = m->ts_ns;
	c->last_ts = m->ts_ns;
	return m;
}

struct sl_msg *
fx_req(struct sl_call *c, struct sl_leg *g, int64_t us, struct sl_endpoint src,
    struct sl_endpoint dst, const char *method, uint32_t cseq)
{
	struct sl_msg *m = add_msg(c, g, us, src, dst, method, cseq);
	m->is_request = true;
	return m;
}

struct sl_msg *
fx_resp(struct sl_call *c, struct sl_leg *g, int64_t us, struct sl_endpoint src,
    struct sl_endpoint dst, uint16_t status, const char *reason,
    const char *method, uint32_t cseq)
{
	struct sl_msg *m = add_msg(c, g, us, src, dst, method, cseq);
	m->status = status;
	m->reason = sl_str_c(reason);
	m->to_tag = SL_STR("t1");
	return m;
}

struct sl_stream *
fx_add_stream(struct sl_call *c, struct sl_leg *g, struct sl_endpoint src,
    struct sl_endpoint dst, uint32_t ssrc, const char *codec, uint64_t packets,
    int64_t first_us, int64_t last_us)
{
	struct sl_stream *s = sl_call_new_stream(c, g);
	if (s == NULL)
		abort();
	s->src = src;
	s->dst = dst;
	s->ssrc = ssrc;
	s->codec = sl_str_c(codec);
	s->pt = 0;
	s->clock_rate = 8000;
	s->packets = packets;
	s->expected = packets;
	s->first_ts = FX_US(first_us);
	s->last_ts = FX_US(last_us);
	return s;
}

void
fx_sdp(struct sl_msg *m, struct sl_endpoint media)
{
	m->has_sdp = true;
	m->sdp_codec = SL_STR("PCMU");
	m->sdp_media = media;
}

/* ----- the seed's call through the server (SEED-EN.md, times from
 * LADDER-EXAMPLES.md section 1) ----- */

struct sl_call *
fx_seed_b2bua(void)
{
	struct sl_endpoint caller = fx_ep("192.168.1.183", 5060),
	    server = fx_ep("192.168.1.50", 5060), callee = fx_ep("192.168.1.101", 5060);
	struct sl_endpoint m_caller = fx_ep("192.168.1.183", 27824),
	    m_srv_a = fx_ep("192.168.1.50", 20000), m_srv_b = fx_ep("192.168.1.50", 20002),
	    m_callee = fx_ep("192.168.1.101", 27392);
	struct sl_call *c = fx_new_call(SL_CALL_INVITE, 1);
	struct sl_leg *a = fx_add_leg(c, 'A', "2126492930@192.168.1.50", "u1", "2", caller, server);
	struct sl_leg *b = fx_add_leg(c, 'B', "495687575@192.168.1.50", "u1", "u2", server, callee);
	struct sl_msg *m;

	fx_sdp(fx_req(c, a, 0, caller, server, "INVITE", 1), m_caller);
	fx_resp(c, a, 900, server, caller, 100, "Trying", "INVITE", 1);
	m = fx_resp(c, a, 1300, server, caller, 401, "Unauthorized", "INVITE", 1);
	m->has_challenge = true;
	m->chal_realm = SL_STR("Yate");
	fx_req(c, a, 11200, caller, server, "ACK", 1);
	m = fx_req(c, a, 15800, caller, server, "INVITE", 2);
	fx_sdp(m, m_caller);
	m->has_auth = true;
	m->auth_user = SL_STR("u1");
	m->max_forwards = 20;
	fx_resp(c, a, 16400, server, caller, 100, "Trying", "INVITE", 2);
	m = fx_req(c, b, 22000, server, callee, "INVITE", 1);
	fx_sdp(m, m_srv_b);
	m->max_forwards = 19;
	fx_resp(c, b, 24100, callee, server, 100, "Trying", "INVITE", 1);
	fx_resp(c, b, 130500, callee, server, 180, "Ringing", "INVITE", 1);
	fx_resp(c, a, 131200, server, caller, 180, "Ringing", "INVITE", 2);
	fx_sdp(fx_resp(c, b, 3702000, callee, server, 200, "OK", "INVITE", 1), m_callee);
	fx_req(c, b, 3702600, server, callee, "ACK", 1);
	fx_sdp(fx_resp(c, a, 3703400, server, caller, 200, "OK", "INVITE", 2), m_srv_a);
	fx_req(c, a, 3712000, caller, server, "ACK", 2);
	m = fx_req(c, a, 9310000, caller, server, "BYE", 3);
	m->reason_hdr = SL_STR("SIP;cause=200;text=\"User hangup\"");
	fx_resp(c, a, 9310900, server, caller, 100, "Trying", "BYE", 3);
	m = fx_resp(c, a, 9311200, server, caller, 401, "Unauthorized", "BYE", 3);
	m->has_challenge = true;
	m->chal_realm = SL_STR("Yate");
	m = fx_req(c, a, 9320500, caller, server, "BYE", 4);
	m->has_auth = true;
	m->auth_user = SL_STR("u1");
	fx_resp(c, a, 9321100, server, caller, 100, "Trying", "BYE", 4);
	fx_resp(c, a, 9322000, server, caller, 200, "OK", "BYE", 4);
	fx_req(c, b, 9322800, server, callee, "BYE", 2);
	fx_resp(c, b, 9330100, callee, server, 100, "Trying", "BYE", 2);
	fx_resp(c, b, 9331000, callee, server, 200, "OK", "BYE", 2);

	struct sl_stream *s;
	s = fx_add_stream(c, a, m_caller, m_srv_a, 0x11111111, "PCMU", 280, 3720000, 9310000);
	s->max_jitter_ms = 1.3;
	s = fx_add_stream(c, b, m_srv_b, m_callee, 0x22222222, "PCMU", 280, 3720400, 9310400);
	s->max_jitter_ms = 1.3;
	s = fx_add_stream(c, b, m_callee, m_srv_b, 0x33333333, "PCMU", 281, 3721000, 9341000);
	s->max_jitter_ms = 1.2;
	s->after_bye_packets = 1;
	s->after_bye_first_ts = FX_US(9322800);
	s->after_bye_last_ts = FX_US(9341000);
	s->icmp_unreachable = 1;
	s = fx_add_stream(c, a, m_srv_a, m_caller, 0x44444444, "PCMU", 281, 3721400, 9520000);
	s->max_jitter_ms = 1.2;
	s->after_bye_packets = 11;
	s->after_bye_first_ts = FX_US(9310000);
	s->after_bye_last_ts = FX_US(9520000);
	s->icmp_unreachable = 11;

	a->auth[SL_AUTH_INVITE] = (struct sl_auth){ .challenges = 1, .status = 401,
	    .credentials = 1, .authorised = true, .user = SL_STR("u1"), .realm = SL_STR("Yate") };
	a->auth_invite_ts = FX_US(15800);
	a->auth[SL_AUTH_BYE] = (struct sl_auth){ .challenges = 1, .status = 401,
	    .credentials = 1, .authorised = true, .user = SL_STR("u1"), .realm = SL_STR("Yate") };
	a->bye_status = 200;
	b->joined_to = a;
	b->join_ev = SL_JOIN_TIMING | SL_JOIN_FROM_USER | SL_JOIN_MAX_FWD | SL_JOIN_MEDIA;
	b->join_conf = SL_CONF_HIGH;
	b->join_delay_ns = 6200000;
	b->join_mf_parent = 20;
	b->join_mf_self = 19;

	struct sl_call_summary *sum = &c->sum;
	sum->state = SL_STATE_COMPLETED;
	sum->status = 200;
	sum->hangup_by = SL_SIDE_CALLER;
	sum->from_user = SL_STR("u1");
	sum->to_user = SL_STR("2");
	sum->callee_user = SL_STR("u2");
	sum->reason = SL_STR("User hangup");
	sum->setup_ns = 3703400000;
	sum->talk_ns = 5600000000;
	sum->duration_ns = 9331000000;
	sum->invite_challenges = 1;
	sum->bye_challenges = 1;
	sum->challenges = 2;
	sum->challenge_status = 401;
	sum->credentials = true;
	sum->authorised = true;
	fx_findings(c);
	return c;
}

struct sl_report_opts
fx_opts(void)
{
	struct sl_report_opts o;
	sl_report_opts_default(&o);
	o.base_ts_ns = FX_BASE_NS;
	return o;
}

void
fx_check_text(struct sl_test_state *ts, const char *got, const char *want, const char *what)
{
	bool same = got && strcmp(got, want) == 0;
	SL_CHECK_MSG(ts, same, "%s differs:\n--- got\n%s--- want\n%s", what,
	    got ? got : "(null)", want);
}
