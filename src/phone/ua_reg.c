/* ua_reg.c: registration (RFC 3261 10.2): one Call-ID and From tag per
 * run, CSeq +1 per REGISTER, digest on 401/407, one retry with the
 * server's Min-Expires on 423, refresh at half the granted time while a
 * call/answer job runs. Expires: 0 removes the binding. */
#include "phone/ua_int.h"

#include <osipparser2/osip_port.h>
#include <stdio.h>
#include <stdlib.h>	/* osip_free() expands to free() */
#include <string.h>

static void
on_refresh(struct sl_loop *l, uint64_t id, void *arg)
{
	struct sl_phone *ph = arg;

	(void)l;
	(void)id;
	ph->reg.refresh_timer = 0;
	if (ph->finishing || !ph->reg.registered || ph->phase != SL_PH_MAIN)
		return;
	if (ph->reg.ct != NULL) {
		ph->reg.refresh_timer = sl_loop_timer_add(ph->loop, 1000, on_refresh, ph);
		return;
	}
	sl_ua_reg_send(ph, ph->reg.want);
}

void
sl_ua_reg_send(struct sl_phone *ph, uint32_t expires)
{
	const struct sl_phone_opts *o = ph->o;
	struct sl_phone_reg *r = &ph->reg;
	struct sl_msg_local me;
	char aor[SL_MSG_URI_MAX], ruri[SL_MSG_URI_MAX];
	osip_message_t *m = NULL;

	sl_ua_me(ph, &o->server.ip, &me);
	if (r->call_id[0] == '\0') {
		sl_ids_callid(&ph->ids, me.host, r->call_id);
		sl_ids_tag(&ph->ids, r->from_tag);
	}
	if (expires > 0)
		r->want = expires;
	r->expires = expires;
	r->challenges = 0;
	snprintf(aor, sizeof(aor), "<sip:%s@%s>", o->user, o->domain);
	snprintf(ruri, sizeof(ruri), "sip:%s", o->domain);
	struct sl_msg_req q = {
		.method = "REGISTER",
		.ruri = ruri,
		.from = { aor, r->from_tag },
		.to = { aor, NULL },
		.call_id = r->call_id,
		.cseq = ++r->cseq,
		.via_host = me.host,
		.via_port = me.port,
		.max_forwards = 70,
		.contact = me.contact,
		.user_agent = ph->ua,
		.expires = expires,
	};
	enum sl_err e = sl_msg_request(&q, &ph->ids, &m);
	if (e == SL_OK)
		e = sl_msg_add_header(m, "Allow", SL_PHONE_ALLOW);
	if (e) {
		sl_msg_free(m);
		sl_ua_fail(ph, "cannot build REGISTER: %s", sl_strerror(e));
		return;
	}
	sl_log(&ph->log, SL_LOG_DEBUG, NULL, "%s %s at %s", expires ? "registering" :
	    "unregistering", o->user, ruri);
	sl_ua_send_request(ph, m, &o->server, SL_REQ_REGISTER, &r->ct);
}

/* RFC 3261 10.2.4: the expiry the registrar granted our Contact: its
 * ;expires parameter in the 200, else the Expires header, else ours */
static uint32_t
granted(struct sl_phone *ph, const osip_message_t *resp)
{
	uint32_t v = ph->reg.expires;
	struct sl_endpoint ours = ph->sip.local;

	ours.ip = sl_ua_local_ip(ph, &ph->o->server.ip);
	for (int i = 0; i < 64; i++) {
		osip_contact_t *c = osip_list_get(&resp->contacts, i);
		struct sl_endpoint ep;
		char *s = NULL;
		if (c == NULL)
			break;
		if (c->url == NULL || osip_uri_to_str(c->url, &s) != OSIP_SUCCESS)
			continue;
		bool mine = sl_uri_endpoint(s, &ep) && sl_ep_eq(&ep, &ours);
		osip_free(s);
		if (!mine)
			continue;
		for (int j = 0; j < 64; j++) {
			osip_generic_param_t *g = osip_list_get(&c->gen_params, j);
			if (g == NULL)
				break;
			if (g->gname && osip_strcasecmp(g->gname, "expires") == 0 &&
			    sl_str_u32(sl_str_trim(sl_str_c(g->gvalue)), INT32_MAX, &v))
				return v;
		}
	}
	if (sl_msg_expires(resp, &v))
		return v;
	return ph->reg.expires;
}

void
sl_ua_reg_response(struct sl_phone *ph, struct sl_sip_txn *ct, osip_message_t *resp)
{
	struct sl_phone_reg *r = &ph->reg;
	int code = sl_msg_status(resp);
	const char *what = r->expires ? "registration" : "unregistration";
	char st[128], errbuf[SL_ERRBUF_SIZE];
	osip_message_t *m = NULL;

	if (code < 200)
		return;
	r->ct = NULL;
	if (sl_ua_may_answer_challenge(ph, resp, &r->challenges)) {
		if (sl_phone_auth_resend(&ph->auth, sl_txn_request(ct), resp, ++r->cseq,
		    ph->o->user, ph->o->password, &ph->ids, &m, errbuf) != SL_OK) {
			sl_ua_fail(ph, "%s failed: %s", what, errbuf);
			return;
		}
		sl_ua_send_request(ph, m, sl_txn_peer(ct), SL_REQ_REGISTER, &r->ct);
		return;
	}
	if (code == 423 && !r->min_retried && r->expires > 0) {
		uint32_t min;
		struct sl_str h = sl_str_trim(sl_msg_header(resp, "min-expires"));
		if (sl_str_u32(h, INT32_MAX, &min) && min > r->expires) {
			r->min_retried = true;
			sl_log(&ph->log, SL_LOG_INFO, NULL, "423: registering again with "
			    "expires %u", min);
			sl_ua_reg_send(ph, min);
			return;
		}
	}
	if (code >= 300) {
		sl_ua_fail(ph, "%s failed: %s", what, sl_ua_status_text(resp, st, sizeof(st)));
		return;
	}
	sl_loop_timer_cancel(ph->loop, r->refresh_timer);
	r->refresh_timer = 0;
	if (r->expires == 0) {
		r->registered = false;
		sl_log(&ph->log, SL_LOG_INFO, NULL, "unregistered %s", ph->o->user);
		return;
	}
	uint32_t g = granted(ph, resp);
	r->registered = g > 0;
	sl_log(&ph->log, SL_LOG_INFO, NULL, "registered %s expires %u", ph->o->user, g);
	if (g > 0 && ph->o->cmd != SL_PHONE_REGISTER)
		r->refresh_timer = sl_loop_timer_add(ph->loop, (uint64_t)g * 500u,
		    on_refresh, ph);
}

void
sl_ua_reg_timeout(struct sl_phone *ph)
{
	char ep[SL_EP_STRLEN];

	sl_ua_fail(ph, "%s failed: no response from %s",
	    ph->reg.expires ? "registration" : "unregistration",
	    sl_ep_str(&ph->o->server, ep, sizeof(ep)));
}
