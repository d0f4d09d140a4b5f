/* auth.c: digest credentials for challenged requests (auth.h). */
#include "phone/auth.h"

#include <stdio.h>
#include <string.h>

#include "sip/digest.h"

static enum sl_msg_auth
challenge_kind(const osip_message_t *resp)
{
	return sl_msg_status(resp) == 407 ? SL_MSG_PROXY_AUTHENTICATE :
	    SL_MSG_WWW_AUTHENTICATE;
}

bool
sl_phone_auth_is_challenge(const osip_message_t *resp)
{
	struct sl_digest_params ch;
	int code = sl_msg_status(resp);

	return (code == 401 || code == 407) && sl_msg_auth(resp, challenge_kind(resp), &ch);
}

bool
sl_phone_auth_is_stale(const osip_message_t *resp)
{
	struct sl_digest_params ch;

	return sl_msg_auth(resp, challenge_kind(resp), &ch) &&
	    sl_str_ieq(ch.stale, SL_STR("true"));
}

enum sl_err
sl_phone_auth_add(struct sl_phone_auth *a, osip_message_t *m,
    const osip_message_t *resp, const char *user, const char *password,
    struct sl_ids *ids, char errbuf[SL_ERRBUF_SIZE])
{
	struct sl_digest_params ch;
	char uri[SL_MSG_URI_MAX], method[32], cnonce[SL_IDS_HEX_LEN];
	struct sl_str mstr = sl_msg_method(m);
	enum sl_msg_auth kind = challenge_kind(resp);

	if (!sl_msg_auth(resp, kind, &ch) || !sl_str_ieq(ch.scheme, SL_STR("Digest"))) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "%d without a Digest challenge",
		    sl_msg_status(resp));
		return SL_EUSAGE;
	}
	if (!sl_msg_ruri(m, uri) || mstr.n == 0 || mstr.n >= sizeof(method)) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "request without method or URI");
		return SL_EUSAGE;
	}
	memcpy(method, mstr.p, mstr.n);
	method[mstr.n] = '\0';
	/* RFC 2617 3.2.2: nc counts requests sent with one nonce */
	if (ch.nonce.n < sizeof(a->nonce) && a->nonce[0] != '\0' &&
	    sl_str_eq(ch.nonce, sl_str_c(a->nonce))) {
		a->nc++;
	} else {
		a->nc = 1;
		a->nonce[0] = '\0';
		if (ch.nonce.n < sizeof(a->nonce) && memchr(ch.nonce.p, '\0', ch.nonce.n) == NULL) {
			memcpy(a->nonce, ch.nonce.p, ch.nonce.n);
			a->nonce[ch.nonce.n] = '\0';
		}
	}
	struct sl_buf b;
	sl_buf_init(&b, 4096);
	enum sl_err e = sl_digest_authorization(&ch, user, password ? password : "",
	    method, uri, a->nc, sl_ids_hex(ids, cnonce), &b);
	if (e == SL_OK)
		e = sl_msg_add_header(m, kind == SL_MSG_PROXY_AUTHENTICATE ?
		    "Proxy-Authorization" : "Authorization", b.p);
	else
		snprintf(errbuf, SL_ERRBUF_SIZE, "cannot answer the %d challenge "
		    "(algorithm or qop not supported)", sl_msg_status(resp));
	sl_buf_free(&b);
	return e;
}

enum sl_err
sl_phone_auth_resend(struct sl_phone_auth *a, const osip_message_t *req,
    const osip_message_t *resp, uint32_t cseq, const char *user,
    const char *password, struct sl_ids *ids, osip_message_t **out,
    char errbuf[SL_ERRBUF_SIZE])
{
	char branch[SL_IDS_BRANCH_LEN];
	osip_message_t *m = NULL;
	enum sl_err e;

	*out = NULL;
	if ((e = sl_msg_clone(req, &m)) != SL_OK) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "out of memory");
		return e;
	}
	sl_msg_clear_auth(m);
	if ((e = sl_msg_set_cseq(m, cseq)) != SL_OK ||
	    (e = sl_msg_set_branch(m, sl_ids_branch(ids, branch))) != SL_OK) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "cannot rebuild the request");
		sl_msg_free(m);
		return e;
	}
	if ((e = sl_phone_auth_add(a, m, resp, user, password, ids, errbuf)) != SL_OK) {
		sl_msg_free(m);
		return e;
	}
	*out = m;
	return SL_OK;
}
