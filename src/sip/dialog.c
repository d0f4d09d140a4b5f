/* dialog.c: RFC 3261 12 dialog state and in-dialog requests (dialog.h). */
#include "sip/dialog.h"

#include <osipparser2/osip_port.h>
#include <stdio.h>
#include <stdlib.h>	/* osip_free() expands to free() */
#include <string.h>

static bool
put(char *dst, size_t n, struct sl_str s)
{
	if (s.n >= n || (s.n > 0 && memchr(s.p, '\0', s.n)))
		return false;
	if (s.n)
		memcpy(dst, s.p, s.n);
	dst[s.n] = '\0';
	return true;
}

/* name-addr of a From/To without its tag: rebuilt by osip from the
 * display name and URI, dropping every other parameter */
static bool
addr_no_tag(const osip_from_t *f, char *out, size_t n)
{
	char *uri = NULL;

	if (f == NULL || f->url == NULL || osip_uri_to_str(f->url, &uri) != OSIP_SUCCESS)
		return false;
	int w = f->displayname ? snprintf(out, n, "%s <%s>", f->displayname, uri)
	    : snprintf(out, n, "<%s>", uri);
	osip_free(uri);
	return w > 0 && (size_t)w < n;
}

static bool
route_set(struct sl_dialog *d, const osip_message_t *m, bool reverse)
{
	int n = osip_list_size(&m->record_routes);

	if (n > SL_DIALOG_MAX_ROUTES)
		return false;
	d->nroute = 0;
	for (int i = 0; i < n; i++) {
		const osip_record_route_t *rr = osip_list_get(&m->record_routes,
		    reverse ? n - 1 - i : i);
		char *s = NULL;
		if (rr == NULL || osip_record_route_to_str(rr, &s) != OSIP_SUCCESS)
			return false;
		bool ok = put(d->route[d->nroute], SL_DIALOG_STR, sl_str_c(s));
		osip_free(s);
		if (!ok)
			return false;
		d->nroute++;
	}
	return true;
}

static bool
common(struct sl_dialog *d, const osip_message_t *invite)
{
	uint32_t cseq;
	struct sl_str method;

	memset(d, 0, sizeof(*d));
	if (!sl_msg_call_id(invite, d->call_id) || !sl_msg_cseq(invite, &cseq, &method))
		return false;
	d->invite_cseq = cseq;
	return true;
}

enum sl_err
sl_dialog_from_uac(struct sl_dialog *d, const osip_message_t *invite,
    const osip_message_t *resp)
{
	char contact[SL_MSG_URI_MAX];
	bool star;
	uint32_t exp;

	if (!common(d, invite) || !put(d->local_tag, sizeof(d->local_tag),
	    sl_msg_from_tag(invite)) || !put(d->remote_tag, sizeof(d->remote_tag),
	    sl_msg_to_tag(resp)) || d->remote_tag[0] == '\0' ||
	    !addr_no_tag(invite->from, d->local_addr, sizeof(d->local_addr)) ||
	    !addr_no_tag(invite->to, d->remote_addr, sizeof(d->remote_addr)))
		return SL_EUSAGE;
	/* 12.1.2: remote target = Contact of the response; route set =
	 * Record-Route of the response in reverse order */
	if (sl_msg_contact(resp, contact, &star, &exp) && !star)
		memcpy(d->remote_target, contact, sizeof(contact));
	else if (!sl_msg_ruri(invite, d->remote_target))
		return SL_EUSAGE;
	if (!route_set(d, resp, true))
		return SL_EUSAGE;
	d->local_cseq = d->invite_cseq;
	d->is_uac = true;
	return SL_OK;
}

enum sl_err
sl_dialog_from_uas(struct sl_dialog *d, const osip_message_t *invite,
    const char *local_tag)
{
	char contact[SL_MSG_URI_MAX];
	bool star;
	uint32_t exp;

	if (!common(d, invite) || local_tag == NULL ||
	    !put(d->local_tag, sizeof(d->local_tag), sl_str_c(local_tag)) ||
	    !put(d->remote_tag, sizeof(d->remote_tag), sl_msg_from_tag(invite)) ||
	    !addr_no_tag(invite->to, d->local_addr, sizeof(d->local_addr)) ||
	    !addr_no_tag(invite->from, d->remote_addr, sizeof(d->remote_addr)))
		return SL_EUSAGE;
	if (!sl_msg_contact(invite, contact, &star, &exp) || star)
		return SL_EUSAGE;	/* 8.1.1.8: an INVITE must carry one */
	memcpy(d->remote_target, contact, sizeof(contact));
	if (!route_set(d, invite, false))
		return SL_EUSAGE;
	d->remote_cseq = d->invite_cseq;
	d->local_cseq = 0;
	return SL_OK;
}

bool
sl_dialog_matches(const struct sl_dialog *d, const osip_message_t *m)
{
	char cid[SL_MSG_CALLID_MAX];

	return sl_msg_call_id(m, cid) && strcmp(cid, d->call_id) == 0 &&
	    sl_str_eq(sl_msg_from_tag(m), sl_str_c(d->remote_tag)) &&
	    sl_str_eq(sl_msg_to_tag(m), sl_str_c(d->local_tag));
}

static enum sl_err
build(const struct sl_dialog *d, const char *method, uint32_t cseq,
    const struct sl_msg_local *me, struct sl_ids *ids, osip_message_t **out)
{
	struct sl_msg_req r = {
		.method = method,
		.ruri = d->remote_target,
		.from = { d->local_addr, d->local_tag },
		.to = { d->remote_addr, d->remote_tag[0] ? d->remote_tag : NULL },
		.call_id = d->call_id,
		.cseq = cseq,
		.via_host = me->host,
		.via_port = me->port,
		.max_forwards = -1,
		.contact = strcmp(method, "ACK") && strcmp(method, "BYE") ? me->contact : NULL,
		.user_agent = me->user_agent,
		.expires = -1,
	};
	enum sl_err e = sl_msg_request(&r, ids, out);

	for (int i = 0; !e && i < d->nroute; i++)
		if (osip_message_set_route(*out, d->route[i]) != OSIP_SUCCESS)
			e = SL_ENOMEM;
	if (e) {
		sl_msg_free(*out);
		*out = NULL;
	}
	return e;
}

enum sl_err
sl_dialog_request(struct sl_dialog *d, const char *method,
    const struct sl_msg_local *me, struct sl_ids *ids, osip_message_t **out)
{
	*out = NULL;
	if (method == NULL || strcmp(method, "ACK") == 0 || ids == NULL)
		return SL_EUSAGE;
	/* 12.2.1.1: local CSeq strictly increases */
	uint32_t next = d->local_cseq + 1;
	enum sl_err e = build(d, method, next, me, ids, out);
	if (!e)
		d->local_cseq = next;
	return e;
}

enum sl_err
sl_dialog_ack(const struct sl_dialog *d, const struct sl_msg_local *me,
    struct sl_ids *ids, osip_message_t **out)
{
	*out = NULL;
	if (ids == NULL)
		return SL_EUSAGE;
	return build(d, "ACK", d->invite_cseq, me, ids, out);
}
