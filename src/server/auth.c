/* auth.c: see auth.h. */
#include "auth.h"

#include <string.h>

void
sl_srv_auth_init(struct sl_srv_auth *a, const struct sl_regfile *rf,
    const char *realm, const char *secret, uint32_t nonce_ttl_s)
{
	sl_digest_server_init(&a->ds, realm, secret, nonce_ttl_s);
	a->rf = rf;
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

void
sl_srv_auth_check(const struct sl_srv_auth *a, const osip_message_t *req,
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
	memcpy(out->user, cred.username.p, cred.username.n);
	out->user[cred.username.n] = '\0';
	const struct sl_regfile_user *u = sl_regfile_find(a->rf, out->user);
	if (u == NULL) {
		out->why = "unknown user";
		out->user[0] = '\0';
		return;
	}
	enum sl_digest_result r;
	if (u->password[0] == '\0') {
		/* Yate: an empty password authenticates anyone by that name */
		r = sl_str_eq(cred.realm, sl_str_c(a->ds.realm)) ?
		    sl_digest_nonce_check(&a->ds, cred.nonce, now_s) : SL_DIGEST_MISMATCH;
	} else {
		struct pw_ctx c = { a->rf, out->user };
		r = sl_digest_verify(&a->ds, &cred, sl_msg_method(req), now_s,
		    password_of, &c);
	}
	out->why = sl_digest_result_str(r);
	if (r == SL_DIGEST_OK)
		out->v = SL_AUTH_OK;
	else if (r == SL_DIGEST_STALE)
		out->v = SL_AUTH_STALE;
	else
		out->user[0] = '\0';
}

enum sl_err
sl_srv_auth_401(const struct sl_srv_auth *a, const osip_message_t *req,
    uint64_t now_s, bool stale, const char *domain, const char *to_tag,
    osip_message_t **out)
{
	struct sl_buf ch;
	enum sl_err e;

	*out = NULL;
	sl_buf_init(&ch, 1024);
	e = sl_digest_challenge(&a->ds, now_s, stale, domain, false, &ch);
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
