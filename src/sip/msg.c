/* msg.c: osip_message_t helpers for msg.h. Builders go through osip's own
 * setters (which parse each value), so a message we build is one osip
 * would accept from the wire; direct field edits are followed by
 * osip_message_force_update so the cached wire form is never stale. */
#include "sip/msg.h"

#include <osipparser2/osip_port.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>	/* osip_free() expands to free() */
#include <string.h>

#include "core/sipstatus.h"

/* ----- small helpers ----- */

static struct sl_str
cs(const char *s)
{
	return sl_str_c(s);
}

/* osip keeps quoted-strings with their quotes */
static struct sl_str
unquote(const char *s)
{
	struct sl_str v = sl_str_c(s);

	if (v.n >= 2 && v.p[0] == '"' && v.p[v.n - 1] == '"')
		return sl_str_make(v.p + 1, v.n - 2);
	return v;
}

static bool
has_crlf(const char *s)
{
	return s != NULL && strpbrk(s, "\r\n") != NULL;
}

static bool
copy_out(char *out, size_t n, const char *s)
{
	size_t len = s ? strlen(s) : 0;

	if (s == NULL || len >= n) {
		if (n)
			out[0] = '\0';
		return false;
	}
	memcpy(out, s, len + 1);
	return true;
}

static enum sl_err
osip_err(int rc)
{
	if (rc == OSIP_SUCCESS)
		return SL_OK;
	return rc == OSIP_NOMEM ? SL_ENOMEM : SL_EUSAGE;
}

/* ----- parse / serialize ----- */

/* osip drops what it cannot use while parsing ("<sip:1?27>" keeps only
 * "sip:1") yet refuses some of what it then prints (a one-letter host):
 * From and To are echoed in every response, so they must read back. */
static bool
reparses(const osip_from_t *f)
{
	char *s = NULL;
	osip_from_t *back = NULL;
	bool ok = osip_from_to_str(f, &s) == OSIP_SUCCESS &&
	    osip_from_init(&back) == OSIP_SUCCESS && osip_from_parse(back, s) == OSIP_SUCCESS;

	osip_free(s);
	osip_from_free(back);
	return ok;
}

void
sl_msg_free(osip_message_t *m)
{
	if (m)
		osip_message_free(m);
}

enum sl_err
sl_msg_parse(const void *p, size_t n, osip_message_t **out,
    char errbuf[SL_ERRBUF_SIZE])
{
	osip_message_t *m = NULL;
	const char *why = NULL;

	*out = NULL;
	if (n == 0 || n > SL_MSG_MAX_LEN) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "message size %zu out of range", n);
		return SL_EMALFORMED;
	}
	/* osip wants a start line first; keepalives (CRLF) and binary noise
	 * are cheaper to refuse here */
	const unsigned char *b = p;
	if (b[0] < 'A' || b[0] > 'Z') {
		snprintf(errbuf, SL_ERRBUF_SIZE, "not a SIP start line");
		return SL_EMALFORMED;
	}
	/* a NUL-terminated private copy: osip's helpers call strlen/strchr */
	char *copy = malloc(n + 1);
	if (copy == NULL)
		return SL_ENOMEM;
	memcpy(copy, p, n);
	copy[n] = '\0';
	if (memchr(copy, '\0', n) != NULL)
		why = "NUL byte in message";
	else if (osip_message_init(&m) != OSIP_SUCCESS) {
		free(copy);
		return SL_ENOMEM;
	} else if (osip_message_parse(m, copy, n) != OSIP_SUCCESS)
		why = "unparsable (osip)";
	else if (m->to == NULL || m->from == NULL || m->call_id == NULL ||
	    m->cseq == NULL || m->cseq->number == NULL || m->cseq->method == NULL ||
	    osip_list_size(&m->vias) < 1)
		why = "missing To, From, Call-ID, CSeq or Via (RFC 3261 8.1.1)";
	else if (!reparses(m->from) || !reparses(m->to))
		why = "From or To does not survive osip's round trip";
	else if (MSG_IS_REQUEST(m) && (m->sip_method == NULL || m->req_uri == NULL ||
	    strcmp(m->sip_method, m->cseq->method) != 0))
		why = "CSeq method differs from request method";
	else if (MSG_IS_RESPONSE(m) && (m->status_code < 100 || m->status_code > 699))
		why = "status code out of range";
	else {
		uint32_t cseq;
		if (!sl_str_u32(cs(m->cseq->number), UINT32_MAX >> 1, &cseq))
			why = "CSeq number invalid";
	}
	if (why == NULL && m->content_length && m->content_length->value) {
		uint32_t cl;
		osip_body_t *body = osip_list_get(&m->bodies, 0);
		size_t have = body ? body->length : 0;
		/* RFC 3261 18.3: a declared length beyond the datagram is an
		 * error; osip would silently truncate */
		if (!sl_str_u32(cs(m->content_length->value), SL_MSG_MAX_LEN, &cl))
			why = "Content-Length invalid";
		else if (cl > have)
			why = "Content-Length exceeds the datagram";
	}
	free(copy);
	if (why) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "%s", why);
		sl_msg_free(m);
		return SL_EMALFORMED;
	}
	*out = m;
	return SL_OK;
}

enum sl_err
sl_msg_clone(const osip_message_t *m, osip_message_t **out)
{
	*out = NULL;
	return osip_message_clone(m, out) == OSIP_SUCCESS ? SL_OK : SL_ENOMEM;
}

enum sl_err
sl_msg_serialize(osip_message_t *m, struct sl_buf *out)
{
	char *s = NULL;
	size_t len = 0;

	if (osip_message_to_str(m, &s, &len) != OSIP_SUCCESS || s == NULL) {
		sl_buf_free(out);
		return SL_ENOMEM;
	}
	enum sl_err e = sl_buf_add(out, s, len);
	osip_free(s);
	return e;
}

/* ----- accessors ----- */

bool
sl_msg_is_request(const osip_message_t *m)
{
	return m->sip_method != NULL;
}

struct sl_str
sl_msg_method(const osip_message_t *m)
{
	if (m->sip_method)
		return cs(m->sip_method);
	return m->cseq ? cs(m->cseq->method) : SL_STR_NULL;
}

bool
sl_msg_is(const osip_message_t *m, const char *method)
{
	return m->sip_method != NULL && strcmp(m->sip_method, method) == 0;
}

int
sl_msg_status(const osip_message_t *m)
{
	return m->sip_method ? 0 : m->status_code;
}

struct sl_str
sl_msg_reason(const osip_message_t *m)
{
	return cs(m->reason_phrase);
}

bool
sl_msg_call_id(const osip_message_t *m, char out[SL_MSG_CALLID_MAX])
{
	const osip_call_id_t *c = m->call_id;

	out[0] = '\0';
	if (c == NULL || c->number == NULL)
		return false;
	int w = c->host ? snprintf(out, SL_MSG_CALLID_MAX, "%s@%s", c->number, c->host)
	    : snprintf(out, SL_MSG_CALLID_MAX, "%s", c->number);
	if (w < 0 || w >= SL_MSG_CALLID_MAX) {
		out[0] = '\0';
		return false;
	}
	return true;
}

static struct sl_str
tag_of(const osip_from_t *f)
{
	if (f == NULL)
		return SL_STR_NULL;
	for (int i = 0; i < 64; i++) {
		const osip_generic_param_t *g = osip_list_get(&f->gen_params, i);
		if (g == NULL)
			break;
		if (g->gname && osip_strcasecmp(g->gname, "tag") == 0)
			return cs(g->gvalue);
	}
	return SL_STR_NULL;
}

struct sl_str
sl_msg_from_tag(const osip_message_t *m)
{
	return tag_of(m->from);
}

struct sl_str
sl_msg_to_tag(const osip_message_t *m)
{
	return tag_of(m->to);
}

struct sl_str
sl_msg_from_user(const osip_message_t *m)
{
	return m->from && m->from->url ? cs(m->from->url->username) : SL_STR_NULL;
}

struct sl_str
sl_msg_to_user(const osip_message_t *m)
{
	return m->to && m->to->url ? cs(m->to->url->username) : SL_STR_NULL;
}

struct sl_str
sl_msg_from_display(const osip_message_t *m)
{
	return m->from ? cs(m->from->displayname) : SL_STR_NULL;
}

struct sl_str
sl_msg_ruri_user(const osip_message_t *m)
{
	return m->req_uri ? cs(m->req_uri->username) : SL_STR_NULL;
}

struct sl_str
sl_msg_ruri_host(const osip_message_t *m)
{
	return m->req_uri ? cs(m->req_uri->host) : SL_STR_NULL;
}

bool
sl_msg_cseq(const osip_message_t *m, uint32_t *num, struct sl_str *method)
{
	*num = 0;
	*method = SL_STR_NULL;
	if (m->cseq == NULL || !sl_str_u32(cs(m->cseq->number), UINT32_MAX, num))
		return false;
	*method = cs(m->cseq->method);
	return true;
}

static const osip_generic_param_t *
param_of(const osip_list_t *params, const char *name)
{
	for (int i = 0; i < 64; i++) {
		const osip_generic_param_t *g = osip_list_get(params, i);
		if (g == NULL)
			break;
		if (g->gname && osip_strcasecmp(g->gname, name) == 0)
			return g;
	}
	return NULL;
}

struct sl_str
sl_msg_branch(const osip_message_t *m)
{
	const osip_via_t *v = osip_list_get(&m->vias, 0);
	const osip_generic_param_t *g = v ? param_of(&v->via_params, "branch") : NULL;

	return g ? cs(g->gvalue) : SL_STR_NULL;
}

bool
sl_msg_sent_by(const osip_message_t *m, struct sl_str *host, uint16_t *port)
{
	const osip_via_t *v = osip_list_get(&m->vias, 0);
	uint32_t p = 5060;

	*host = SL_STR_NULL;
	*port = 0;
	if (v == NULL || v->host == NULL)
		return false;
	if (v->port && !sl_str_u32(cs(v->port), 65535, &p))
		return false;
	*host = cs(v->host);
	*port = (uint16_t)p;
	return true;
}

int
sl_msg_via_count(const osip_message_t *m)
{
	return osip_list_size(&m->vias);
}

static const char *
header_value(const osip_message_t *m, const char *name)
{
	osip_header_t *h = NULL;

	if (osip_message_header_get_byname(m, name, 0, &h) < 0 || h == NULL)
		return NULL;
	return h->hvalue;
}

int
sl_msg_max_forwards(const osip_message_t *m)
{
	uint32_t v;
	struct sl_str s = sl_str_trim(cs(header_value(m, "max-forwards")));

	return sl_str_u32(s, 255, &v) ? (int)v : -1;
}

bool
sl_msg_expires(const osip_message_t *m, uint32_t *out)
{
	struct sl_str s = sl_str_trim(cs(header_value(m, "expires")));

	*out = 0;
	return sl_str_u32(s, INT32_MAX, out);
}

bool
sl_msg_contact(const osip_message_t *m, char out[SL_MSG_URI_MAX], bool *star,
    uint32_t *expires)
{
	const osip_contact_t *c = osip_list_get(&m->contacts, 0);
	char *s = NULL;

	out[0] = '\0';
	*star = false;
	*expires = UINT32_MAX;
	if (c == NULL)
		return false;
	/* osip stores "Contact: *" as a display name "*" without a URI */
	if (c->url == NULL) {
		*star = c->displayname && strcmp(c->displayname, "*") == 0;
		return *star;
	}
	const osip_generic_param_t *g = param_of(&c->gen_params, "expires");
	if (g && !sl_str_u32(sl_str_trim(cs(g->gvalue)), INT32_MAX, expires))
		*expires = UINT32_MAX;
	if (osip_uri_to_str(c->url, &s) != OSIP_SUCCESS)
		return false;
	bool ok = copy_out(out, SL_MSG_URI_MAX, s);
	osip_free(s);
	return ok;
}

bool
sl_msg_ruri(const osip_message_t *m, char out[SL_MSG_URI_MAX])
{
	char *s = NULL;

	out[0] = '\0';
	if (m->req_uri == NULL || osip_uri_to_str(m->req_uri, &s) != OSIP_SUCCESS)
		return false;
	bool ok = copy_out(out, SL_MSG_URI_MAX, s);
	osip_free(s);
	return ok;
}

struct sl_str
sl_msg_header(const osip_message_t *m, const char *name)
{
	return cs(header_value(m, name));
}

bool
sl_msg_auth(const osip_message_t *m, enum sl_msg_auth which,
    struct sl_digest_params *d)
{
	memset(d, 0, sizeof(*d));
	if (which == SL_MSG_WWW_AUTHENTICATE || which == SL_MSG_PROXY_AUTHENTICATE) {
		/* osip_proxy_authenticate_t is the same struct */
		const osip_www_authenticate_t *w = osip_list_get(
		    which == SL_MSG_WWW_AUTHENTICATE ? &m->www_authenticates :
		    &m->proxy_authenticates, 0);
		if (w == NULL)
			return false;
		d->scheme = cs(w->auth_type);
		d->realm = unquote(w->realm);
		d->domain = unquote(w->domain);
		d->nonce = unquote(w->nonce);
		d->opaque = unquote(w->opaque);
		d->stale = unquote(w->stale);
		d->algorithm = unquote(w->algorithm);
		d->qop = unquote(w->qop_options);
		return true;
	}
	const osip_authorization_t *a = osip_list_get(
	    which == SL_MSG_AUTHORIZATION ? &m->authorizations :
	    &m->proxy_authorizations, 0);
	if (a == NULL)
		return false;
	d->scheme = cs(a->auth_type);
	d->username = unquote(a->username);
	d->realm = unquote(a->realm);
	d->nonce = unquote(a->nonce);
	d->uri = unquote(a->uri);
	d->response = unquote(a->response);
	d->algorithm = unquote(a->algorithm);
	d->cnonce = unquote(a->cnonce);
	d->opaque = unquote(a->opaque);
	d->qop = unquote(a->message_qop);
	d->nc = unquote(a->nonce_count);
	return true;
}

bool
sl_msg_body(const osip_message_t *m, struct sl_str *body, char *ctype,
    size_t ctype_n)
{
	const osip_body_t *b = osip_list_get(&m->bodies, 0);

	*body = SL_STR_NULL;
	if (ctype && ctype_n) {
		ctype[0] = '\0';
		if (m->content_type && m->content_type->type && m->content_type->subtype)
			snprintf(ctype, ctype_n, "%s/%s", m->content_type->type,
			    m->content_type->subtype);
	}
	if (b == NULL || b->body == NULL)
		return false;
	*body = sl_str_make(b->body, b->length);
	return true;
}

/* ----- builders ----- */

const char *
sl_msg_reason_phrase(int status)
{
	const char *r = sl_sip_reason(status);

	return r ? r : "Unknown";
}

/* "addr;tag=x" with addr wrapped in <> unless it is a name-addr */
static enum sl_err
addr_value(const struct sl_msg_addr *a, const char *tag, struct sl_buf *b)
{
	enum sl_err e;

	if (a->addr == NULL || has_crlf(a->addr) || has_crlf(tag))
		return SL_EUSAGE;
	if (strchr(a->addr, '<'))
		e = sl_buf_adds(b, a->addr);
	else
		e = sl_buf_printf(b, "<%s>", a->addr);
	if (!e && tag && tag[0])
		e = sl_buf_printf(b, ";tag=%s", tag);
	return e;
}

/* One header through osip's setter (parsing the value); sl_buf scratch. */
typedef int (*setter_fn)(osip_message_t *, const char *);

static enum sl_err
set_with(osip_message_t *m, setter_fn fn, struct sl_buf *b)
{
	if (b->p == NULL)
		return SL_ENOMEM;
	return osip_err(fn(m, b->p));
}

static bool
req_args_ok(const struct sl_msg_req *r)
{
	const char *s[] = { r->method, r->ruri, r->call_id, r->via_host, r->branch,
		r->contact, r->user_agent, r->content_type, r->from.tag, r->to.tag };

	if (r->method == NULL || r->ruri == NULL || r->via_host == NULL ||
	    r->from.addr == NULL || r->to.addr == NULL)
		return false;
	if (r->body_len > 0 && (r->body == NULL || r->content_type == NULL))
		return false;
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		if (has_crlf(s[i]) || (s[i] && strlen(s[i]) > SL_MSG_URI_MAX))
			return false;
	/* token chars only: the method goes into the start line and CSeq */
	for (const char *p = r->method; *p; p++)
		if (*p <= ' ' || *p >= 0x7f)
			return false;
	return r->method[0] != '\0';
}

static enum sl_err
set_uri(osip_message_t *m, const char *text)
{
	osip_uri_t *u = NULL;

	if (osip_uri_init(&u) != OSIP_SUCCESS)
		return SL_ENOMEM;
	if (osip_uri_parse(u, text) != OSIP_SUCCESS) {
		osip_uri_free(u);
		return SL_EUSAGE;
	}
	osip_message_set_uri(m, u);
	return SL_OK;
}

static enum sl_err
build_request(const struct sl_msg_req *r, struct sl_ids *ids, osip_message_t *m,
    struct sl_buf *b)
{
	char branch[SL_IDS_BRANCH_LEN], tag[SL_IDS_TAG_LEN], cid[SL_IDS_CALLID_LEN];
	enum sl_err e;

	osip_message_set_method(m, osip_strdup(r->method));
	osip_message_set_version(m, osip_strdup("SIP/2.0"));
	if ((e = set_uri(m, r->ruri)) != SL_OK)
		return e;

	/* RFC 3261 8.1.1.7 Via, with rport (RFC 3581) */
	sl_buf_reset(b);
	e = sl_buf_printf(b, "SIP/2.0/UDP %s%s%s:%u;branch=%s;rport",
	    strchr(r->via_host, ':') ? "[" : "", r->via_host,
	    strchr(r->via_host, ':') ? "]" : "", r->via_port ? r->via_port : 5060,
	    r->branch ? r->branch : sl_ids_branch(ids, branch));
	if (e || (e = set_with(m, osip_message_set_via, b)))
		return e;

	sl_buf_reset(b);
	if ((e = addr_value(&r->from, r->from.tag ? r->from.tag : sl_ids_tag(ids, tag), b)) ||
	    (e = set_with(m, osip_message_set_from, b)))
		return e;
	sl_buf_reset(b);
	if ((e = addr_value(&r->to, r->to.tag, b)) || (e = set_with(m, osip_message_set_to, b)))
		return e;
	if ((e = osip_err(osip_message_set_call_id(m,
	    r->call_id ? r->call_id : sl_ids_callid(ids, r->via_host, cid)))))
		return e;
	sl_buf_reset(b);
	if ((e = sl_buf_printf(b, "%u %s", r->cseq ? r->cseq : 1u, r->method)) ||
	    (e = set_with(m, osip_message_set_cseq, b)))
		return e;
	if (r->contact) {
		sl_buf_reset(b);
		if ((e = sl_buf_printf(b, strchr(r->contact, '<') ? "%s" : "<%s>", r->contact)) ||
		    (e = set_with(m, osip_message_set_contact, b)))
			return e;
	}
	sl_buf_reset(b);
	if ((e = sl_buf_printf(b, "%d", r->max_forwards < 0 ? 70 : r->max_forwards)) ||
	    (e = osip_err(osip_message_set_header(m, "Max-Forwards", b->p))))
		return e;
	if (r->expires >= 0) {
		sl_buf_reset(b);
		if ((e = sl_buf_printf(b, "%lld", (long long)r->expires)) ||
		    (e = osip_err(osip_message_set_header(m, "Expires", b->p))))
			return e;
	}
	if (r->user_agent &&
	    (e = osip_err(osip_message_set_header(m, "User-Agent", r->user_agent))))
		return e;
	if (r->body_len > 0)
		return sl_msg_set_body(m, r->content_type, r->body, r->body_len);
	return SL_OK;
}

enum sl_err
sl_msg_request(const struct sl_msg_req *r, struct sl_ids *ids, osip_message_t **out)
{
	osip_message_t *m = NULL;
	struct sl_buf b;

	*out = NULL;
	if (!req_args_ok(r))
		return SL_EUSAGE;
	if (ids == NULL && (r->branch == NULL || r->from.tag == NULL || r->call_id == NULL))
		return SL_EUSAGE;
	if (osip_message_init(&m) != OSIP_SUCCESS)
		return SL_ENOMEM;
	sl_buf_init(&b, 4 * SL_MSG_URI_MAX);
	enum sl_err e = build_request(r, ids, m, &b);
	sl_buf_free(&b);
	if (e) {
		sl_msg_free(m);
		return e;
	}
	*out = m;
	return SL_OK;
}

/* Copy the listed single headers and the Via list from src into dst. */
static enum sl_err
copy_dialog_ids(const osip_message_t *src, osip_message_t *dst, bool all_vias)
{
	if (osip_from_clone(src->from, &dst->from) != OSIP_SUCCESS ||
	    osip_call_id_clone(src->call_id, &dst->call_id) != OSIP_SUCCESS ||
	    osip_cseq_clone(src->cseq, &dst->cseq) != OSIP_SUCCESS)
		return SL_ENOMEM;
	int n = all_vias ? osip_list_size(&src->vias) : 1;
	for (int i = 0; i < n; i++) {
		osip_via_t *v = NULL;
		if (osip_via_clone(osip_list_get(&src->vias, i), &v) != OSIP_SUCCESS)
			return SL_ENOMEM;
		osip_list_add(&dst->vias, v, -1);
	}
	return SL_OK;
}

static enum sl_err
copy_routes(const osip_list_t *src, osip_list_t *dst)
{
	for (int i = 0; i < osip_list_size(src); i++) {
		osip_route_t *r = NULL;
		if (osip_route_clone(osip_list_get(src, i), &r) != OSIP_SUCCESS)
			return SL_ENOMEM;
		osip_list_add(dst, r, -1);
	}
	return SL_OK;
}

static bool
complete(const osip_message_t *m)
{
	return m && m->from && m->to && m->call_id && m->cseq &&
	    osip_list_size(&m->vias) > 0;
}

enum sl_err
sl_msg_response(const osip_message_t *req, int status, const char *reason,
    const char *to_tag, osip_message_t **out)
{
	osip_message_t *m = NULL;
	enum sl_err e;

	*out = NULL;
	if (!complete(req) || !sl_msg_is_request(req) || status < 100 ||
	    status > 699 || has_crlf(reason) || has_crlf(to_tag))
		return SL_EUSAGE;
	bool need_tag = status != 100 && tag_of(req->to).n == 0;
	if (need_tag && (to_tag == NULL || to_tag[0] == '\0'))
		return SL_EUSAGE;
	if (osip_message_init(&m) != OSIP_SUCCESS)
		return SL_ENOMEM;
	osip_message_set_version(m, osip_strdup("SIP/2.0"));
	osip_message_set_status_code(m, status);
	osip_message_set_reason_phrase(m,
	    osip_strdup(reason ? reason : sl_msg_reason_phrase(status)));
	e = copy_dialog_ids(req, m, true);
	if (!e && osip_to_clone(req->to, &m->to) != OSIP_SUCCESS)
		e = SL_ENOMEM;
	if (!e && need_tag && osip_to_set_tag(m->to, osip_strdup(to_tag)) != OSIP_SUCCESS)
		e = SL_ENOMEM;
	/* RFC 3261 12.1.1: dialog-creating responses echo Record-Route */
	if (!e && status < 300 && strcmp(req->sip_method, "INVITE") == 0)
		e = copy_routes(&req->record_routes, &m->record_routes);
	if (e) {
		sl_msg_free(m);
		return e;
	}
	*out = m;
	return SL_OK;
}

/* Shared by ACK and CANCEL: one Via (same branch), method in CSeq. */
static enum sl_err
derived_request(const osip_message_t *req, const osip_to_t *to,
    const char *method, osip_message_t **out)
{
	osip_message_t *m = NULL;
	enum sl_err e;

	*out = NULL;
	if (!complete(req) || !sl_msg_is_request(req) || req->req_uri == NULL)
		return SL_EUSAGE;
	if (osip_message_init(&m) != OSIP_SUCCESS)
		return SL_ENOMEM;
	osip_message_set_method(m, osip_strdup(method));
	osip_message_set_version(m, osip_strdup("SIP/2.0"));
	osip_uri_t *u = NULL;
	e = osip_uri_clone(req->req_uri, &u) == OSIP_SUCCESS ? SL_OK : SL_ENOMEM;
	if (!e) {
		osip_message_set_uri(m, u);
		e = copy_dialog_ids(req, m, false);
	}
	if (!e && osip_to_clone(to, &m->to) != OSIP_SUCCESS)
		e = SL_ENOMEM;
	if (!e) {
		osip_free(m->cseq->method);
		m->cseq->method = osip_strdup(method);
		e = copy_routes(&req->routes, &m->routes);
	}
	if (!e)
		e = osip_err(osip_message_set_header(m, "Max-Forwards", "70"));
	if (e) {
		sl_msg_free(m);
		return e;
	}
	*out = m;
	return SL_OK;
}

enum sl_err
sl_msg_ack_non2xx(const osip_message_t *invite, const osip_message_t *resp,
    osip_message_t **out)
{
	*out = NULL;
	if (resp == NULL || resp->to == NULL || sl_msg_status(resp) < 300)
		return SL_EUSAGE;
	return derived_request(invite, resp->to, "ACK", out);
}

enum sl_err
sl_msg_cancel(const osip_message_t *req, osip_message_t **out)
{
	*out = NULL;
	if (req == NULL || req->to == NULL)
		return SL_EUSAGE;
	return derived_request(req, req->to, "CANCEL", out);
}

/* ----- edits ----- */

enum sl_err
sl_msg_add_header(osip_message_t *m, const char *name, const char *value)
{
	static const char *const parsed[] = { "via", "v", "from", "f", "to", "t",
		"call-id", "i", "cseq", "contact", "m", "content-type", "c",
		"content-length", "l" };

	if (name == NULL || value == NULL || name[0] == '\0' || has_crlf(name) ||
	    has_crlf(value) || strchr(name, ':'))
		return SL_EUSAGE;
	for (size_t i = 0; i < sizeof(parsed) / sizeof(parsed[0]); i++)
		if (osip_strcasecmp(name, parsed[i]) == 0)
			return SL_EUSAGE;
	if (osip_strcasecmp(name, "www-authenticate") == 0)
		return osip_err(osip_message_set_www_authenticate(m, value));
	if (osip_strcasecmp(name, "proxy-authenticate") == 0)
		return osip_err(osip_message_set_proxy_authenticate(m, value));
	if (osip_strcasecmp(name, "authorization") == 0)
		return osip_err(osip_message_set_authorization(m, value));
	if (osip_strcasecmp(name, "proxy-authorization") == 0)
		return osip_err(osip_message_set_proxy_authorization(m, value));
	return osip_err(osip_message_set_header(m, name, value));
}

enum sl_err
sl_msg_set_contact(osip_message_t *m, const char *contact)
{
	char buf[SL_MSG_URI_MAX + 3];

	if (contact == NULL || has_crlf(contact) || strlen(contact) > SL_MSG_URI_MAX)
		return SL_EUSAGE;
	osip_list_special_free(&m->contacts, (void (*)(void *))osip_contact_free);
	osip_list_init(&m->contacts);
	snprintf(buf, sizeof(buf), strchr(contact, '<') ? "%s" : "<%s>", contact);
	return osip_err(osip_message_set_contact(m, buf));
}

enum sl_err
sl_msg_set_body(osip_message_t *m, const char *ctype, const void *body, size_t len)
{
	osip_list_special_free(&m->bodies, (void (*)(void *))osip_body_free);
	osip_list_init(&m->bodies);
	if (m->content_type) {
		osip_content_type_free(m->content_type);
		m->content_type = NULL;
	}
	if (m->content_length) {
		osip_content_length_free(m->content_length);
		m->content_length = NULL;
	}
	osip_message_force_update(m);
	if (body == NULL || len == 0)
		return SL_OK;
	if (ctype == NULL || has_crlf(ctype) || len > SL_MSG_MAX_LEN)
		return SL_EUSAGE;
	enum sl_err e = osip_err(osip_message_set_content_type(m, ctype));
	if (e)
		return e;
	return osip_err(osip_message_set_body(m, body, len));
}

enum sl_err
sl_msg_set_branch(osip_message_t *m, const char *branch)
{
	osip_via_t *v = osip_list_get(&m->vias, 0);

	if (v == NULL || branch == NULL || has_crlf(branch) || strpbrk(branch, ";,= \t"))
		return SL_EUSAGE;
	for (int i = 0; i < 64; i++) {
		osip_generic_param_t *g = osip_list_get(&v->via_params, i);
		if (g == NULL)
			break;
		if (g->gname && osip_strcasecmp(g->gname, "branch") == 0) {
			osip_free(g->gvalue);
			g->gvalue = osip_strdup(branch);
			osip_message_force_update(m);
			return g->gvalue ? SL_OK : SL_ENOMEM;
		}
	}
	osip_message_force_update(m);
	return osip_err(osip_via_set_branch(v, osip_strdup(branch)));
}

enum sl_err
sl_msg_set_cseq(osip_message_t *m, uint32_t num)
{
	char buf[16];

	if (m->cseq == NULL)
		return SL_EUSAGE;
	snprintf(buf, sizeof(buf), "%u", num);
	osip_free(m->cseq->number);
	m->cseq->number = osip_strdup(buf);
	osip_message_force_update(m);
	return m->cseq->number ? SL_OK : SL_ENOMEM;
}

void
sl_msg_clear_auth(osip_message_t *m)
{
	osip_list_special_free(&m->authorizations,
	    (void (*)(void *))osip_authorization_free);
	osip_list_init(&m->authorizations);
	osip_list_special_free(&m->proxy_authorizations,
	    (void (*)(void *))osip_proxy_authorization_free);
	osip_list_init(&m->proxy_authorizations);
	osip_message_force_update(m);
}
