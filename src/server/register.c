/* register.c: the registrar's SIP side; see register.h. */
#include "server/register.h"

#include <stdio.h>
#include <string.h>

#include "server/uri.h"
#include "sip/uri.h"

static void
reply_binding(struct sl_srv *s, struct sl_sip_txn *st, const struct sl_binding *b,
    uint32_t expires, const char *what)
{
	osip_message_t *r = NULL;
	char tag[SL_IDS_TAG_LEN], contact[SL_MSG_URI_MAX + 32], exp[16];

	if (sl_msg_response(sl_txn_request(st), 200, NULL, sl_srv_tag(s, tag), &r) != SL_OK)
		return;
	snprintf(exp, sizeof(exp), "%u", expires);
	if (b) {
		snprintf(contact, sizeof(contact), "<%s>;expires=%u", b->contact, expires);
		if (sl_msg_set_contact(r, contact) != SL_OK ||
		    sl_msg_add_header(r, "Expires", exp) != SL_OK) {
			sl_msg_free(r);
			return;
		}
	}
	sl_srv_send_resp(s, st, r, what);
}

static void
too_brief(struct sl_srv *s, struct sl_sip_txn *st, uint32_t min)
{
	osip_message_t *r = NULL;
	char tag[SL_IDS_TAG_LEN], v[16];

	snprintf(v, sizeof(v), "%u", min);
	if (sl_msg_response(sl_txn_request(st), 423, NULL, sl_srv_tag(s, tag), &r) ||
	    sl_msg_add_header(r, "Min-Expires", v)) {
		sl_msg_free(r);
		return;
	}
	sl_srv_refuse_resp(s, st, r, "Expires below the minimum");
}

/* 401 unless the request carries valid credentials of the To user */
static bool
authorized(struct sl_srv *s, struct sl_sip_txn *st, const osip_message_t *req,
    const char *to_user)
{
	struct sl_auth_result ar;
	osip_message_t *r = NULL;
	char tag[SL_IDS_TAG_LEN];

	sl_srv_auth_check(&s->auth, req, sl_srv_now_s(s), &ar);
	if (ar.v == SL_AUTH_OK) {
		if (strcmp(ar.user, to_user) == 0)
			return true;
		sl_srv_refuse(s, st, 403, NULL, "credentials of another user");
		return false;
	}
	if (ar.v == SL_AUTH_BAD_URI) {
		sl_srv_refuse(s, st, 400, "Digest uri does not match Request-URI", ar.why);
		return false;
	}
	/* Yate: no domain= in REGISTER challenges */
	if (sl_srv_auth_401(&s->auth, req, sl_srv_now_s(s), ar.v == SL_AUTH_STALE, NULL,
	    sl_srv_tag(s, tag), &r) == SL_OK)
		sl_srv_refuse_resp(s, st, r, ar.why);
	return false;
}

void
sl_srv_register(struct sl_srv *s, struct sl_sip_txn *st, osip_message_t *req,
    const struct sl_endpoint *from)
{
	const struct sl_srv_opts *o = s->cfg.opts;
	struct sl_str tu = sl_msg_to_user(req);
	char user[SL_REGFILE_MAX_NAME + 1], uri[SL_MSG_URI_MAX], cid[SL_MSG_CALLID_MAX];
	uint32_t cexp, hexp, expires, cseq;
	struct sl_str cm;
	bool star;
	uint64_t now = sl_srv_now_ms(s);

	if (tu.n == 0 || tu.n > SL_REGFILE_MAX_NAME || memchr(tu.p, '\0', tu.n)) {
		sl_srv_refuse(s, st, 400, NULL, "To has no usable user");
		return;
	}
	memcpy(user, tu.p, tu.n);
	user[tu.n] = '\0';
	if (!authorized(s, st, req, user))
		return;
	if (!sl_regfile_may_register(s->cfg.rf, user)) {
		sl_srv_refuse(s, st, 404, NULL, "not a regfile user");
		return;
	}
	bool has_contact = sl_msg_contact(req, uri, &star, &cexp);
	if (!has_contact && osip_list_size(&req->contacts) > 0) {
		sl_srv_refuse(s, st, 400, NULL, "Contact URI unusable");
		return;
	}
	if (!has_contact) {
		/* RFC 3261 10.2.3: a query lists the current bindings */
		const struct sl_binding *b = sl_registrar_find(&s->reg, user, now);
		reply_binding(s, st, b, b ? sl_registrar_left_s(b, now) : 0, NULL);
		return;
	}
	if (!sl_msg_expires(req, &hexp))
		hexp = UINT32_MAX;
	if (star) {
		/* RFC 3261 10.2.2: "*" only together with Expires: 0 */
		if (hexp != 0) {
			sl_srv_refuse(s, st, 400, NULL, "Contact: * needs Expires: 0");
			return;
		}
		cexp = 0;
	}
	switch (sl_registrar_expiry(cexp, hexp, o->min_expires_s, o->max_expires_s,
	    o->def_expires_s, &expires)) {
	case SL_REG_EXP_TOO_BRIEF:
		too_brief(s, st, o->min_expires_s);
		return;
	case SL_REG_EXP_REMOVE:
		/* Yate: "Always OK deregistration attempts" */
		if (sl_registrar_remove(&s->reg, user))
			s->st.unregistered++;
		sl_log(s->cfg.log, SL_LOG_INFO, from, "unregistered %s", user);
		reply_binding(s, st, NULL, 0, NULL);
		return;
	case SL_REG_EXP_OK:
		break;
	}
	struct sl_endpoint target;
	if (!sl_sip_uri_dst(uri, &target))
		target = *from;	/* a host name: we do no DNS, the source works */
	const char *bad = sl_srv_unroutable(s, &target);
	if (bad) {
		sl_srv_refuse(s, st, 400, "Unroutable Contact", bad);
		return;
	}
	if (!sl_msg_call_id(req, cid) || !sl_msg_cseq(req, &cseq, &cm)) {
		sl_srv_refuse(s, st, 400, NULL, "Call-ID or CSeq unusable");
		return;
	}
	switch (sl_registrar_update(&s->reg, user, uri, from, &target, cid, cseq, expires,
	    now)) {
	case SL_REG_FULL:
		sl_log(s->cfg.log, SL_LOG_WARN, from, "registration table full (%zu)",
		    s->reg.cap);
		sl_srv_refuse(s, st, 503, NULL, "too many registrations");
		return;
	case SL_REG_OUT_OF_ORDER:
		sl_srv_refuse(s, st, 500, NULL, "CSeq not above the last REGISTER");
		return;
	case SL_REG_BAD:
		sl_srv_refuse(s, st, 400, NULL, "Contact or Call-ID too long");
		return;
	case SL_REG_UPDATED:
		break;
	}
	s->st.registered++;
	char ep[SL_EP_STRLEN];
	sl_log(s->cfg.log, SL_LOG_INFO, from, "registered %s at %s (%s) for %u s", user, uri,
	    sl_ep_str(&target, ep, sizeof(ep)), expires);
	reply_binding(s, st, sl_registrar_find(&s->reg, user, now), expires, NULL);
}
