/* auth.c: see auth.h. */
#include "server/auth.h"

#include <string.h>

enum sl_err
sl_srv_auth_init(struct sl_srv_auth *a, const struct sl_regfile *rf,
    const char *realm, const char *secret, uint32_t nonce_ttl_s,
    uint32_t nonce_slots)
{
	a->rf = rf;
	return sl_digest_server_init(&a->ds, realm, secret, nonce_ttl_s, nonce_slots);
}

void
sl_srv_auth_free(struct sl_srv_auth *a)
{
	sl_digest_server_free(&a->ds);
}

struct pw_ctx {
	const struct sl_regfile *rf;
	const char *user;
};

static const char *
password_of(void *arg, struct sl_str user, struct sl_str realm)
{
	struct pw_ctx *c = arg;

	(void)user;
	(void)realm;
	const struct sl_regfile_user *u = sl_regfile_find(c->rf, c->user);
	return u ? u->password : NULL;
}

/* The port a sip/sips URI designates (RFC 3261 19.1.2 defaults), -1 when
 * it is not a number. */
static long
uri_port(const osip_uri_t *u)
{
	uint32_t v;

	if (u->port == NULL || u->port[0] == '\0')
		return osip_strcasecmp(u->scheme, "sips") == 0 ? 5061 : 5060;
	return sl_str_u32(sl_str_c(u->port), 65535, &v) ? (long)v : -1;
}

static bool
is_sip(const osip_uri_t *u)
{
	return u->scheme && (osip_strcasecmp(u->scheme, "sip") == 0 ||
	    osip_strcasecmp(u->scheme, "sips") == 0);
}

static bool
str_eq0(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* RFC 2617 3.2.2.5: does the digest uri designate req's Request-URI?
 * Scheme, user, host (case-insensitive) and port (default filled in) as
 * osip parses them; URI parameters are ignored, as phones differ in what
 * they copy. Anything osip cannot read as sip: must match the printed
 * Request-URI byte for byte. */
static bool
uri_matches(const osip_message_t *req, struct sl_str du)
{
	char text[SL_MSG_URI_MAX];
	osip_uri_t *u = NULL;
	bool parsed = false, same = false;
	const osip_uri_t *r = req->req_uri;

	if (r == NULL)
		return false;
	if (du.n < sizeof(text) && memchr(du.p, '\0', du.n) == NULL) {
		memcpy(text, du.p, du.n);
		text[du.n] = '\0';
		if (osip_uri_init(&u) == OSIP_SUCCESS && osip_uri_parse(u, text) == OSIP_SUCCESS &&
		    is_sip(u) && u->host && u->host[0] != '\0') {
			parsed = true;
			same = is_sip(r) && r->host &&
			    osip_strcasecmp(u->scheme, r->scheme) == 0 &&
			    str_eq0(u->username, r->username) &&
			    osip_strcasecmp(u->host, r->host) == 0 &&
			    uri_port(u) >= 0 && uri_port(u) == uri_port(r);
		}
		osip_uri_free(u);
	}
	if (parsed)
		return same;
	if (!sl_msg_ruri(req, text))
		return false;
	return sl_str_eq(du, sl_str_c(text));
}

void
sl_srv_auth_check(struct sl_srv_auth *a, const osip_message_t *req,
    uint64_t now_s, struct sl_auth_result *out)
{
	struct sl_digest_params cred;

	memset(out, 0, sizeof(*out));
	out->v = SL_AUTH_NONE;
	out->why = "no credentials";
	if (!sl_msg_auth(req, SL_MSG_AUTHORIZATION, &cred))
		return;
	out->v = SL_AUTH_FAIL;
	/* the user name must be usable as a C string and a regfile name */
	if (cred.username.n == 0 || cred.username.n > SL_REGFILE_MAX_NAME ||
	    memchr(cred.username.p, '\0', cred.username.n)) {
		out->why = "bad user name in credentials";
		return;
	}
	/* before the digest is verified, which would spend the nonce count:
	 * credentials signed for another URI are not for this request */
	if (cred.uri.n > 0 && !uri_matches(req, cred.uri)) {
		out->v = SL_AUTH_BAD_URI;
		out->why = "credentials for another Request-URI";
		return;
	}
	memcpy(out->user, cred.username.p, cred.username.n);
	out->user[cred.username.n] = '\0';
	const struct sl_regfile_user *u = sl_regfile_find(a->rf, out->user);
	if (u == NULL) {
		out->why = "unknown user";
		out->user[0] = '\0';
		return;
	}
	if (u->password[0] == '\0' && !a->rf->allow_empty_password) {
		/* regfile refuses to load this; kept for a hand-built rf */
		out->why = "empty password not allowed";
		out->user[0] = '\0';
		return;
	}
	struct pw_ctx c = { a->rf, out->user };
	enum sl_digest_result r = sl_digest_verify(&a->ds, &cred, sl_msg_method(req),
	    now_s, password_of, &c);
	out->why = sl_digest_result_str(r);
	if (r == SL_DIGEST_OK) {
		out->v = SL_AUTH_OK;
	} else if (r == SL_DIGEST_STALE) {
		out->v = SL_AUTH_STALE;
	} else if (r == SL_DIGEST_REPLAY) {
		/* as Kamailio answers a reused nc: a fresh challenge the
		 * honest client retries silently, nothing for a replayer */
		out->v = SL_AUTH_STALE;
		out->why = cred.qop.n > 0 ? "nonce count reused" : "nonce already used";
	} else {
		out->user[0] = '\0';
	}
}

enum sl_err
sl_srv_auth_401(struct sl_srv_auth *a, const osip_message_t *req,
    uint64_t now_s, bool stale, const char *domain, const char *to_tag,
    osip_message_t **out)
{
	struct sl_buf ch;
	enum sl_err e;

	*out = NULL;
	sl_buf_init(&ch, 1024);
	e = sl_digest_challenge(&a->ds, now_s, stale, domain, true, &ch);
	if (!e)
		e = sl_msg_response(req, 401, NULL, to_tag, out);
	if (!e)
		e = sl_msg_add_header(*out, "WWW-Authenticate", ch.p);
	sl_buf_free(&ch);
	if (e) {
		sl_msg_free(*out);
		*out = NULL;
	}
	return e;
}
