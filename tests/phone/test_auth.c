/* test_auth.c: the phone's digest client against the server side of
 * src/sip/digest (the same code sipladder-server verifies with): the
 * resent request keeps Call-ID and From tag, takes CSeq + 1 and a new
 * branch, replaces earlier credentials; 401 gives Authorization, 407
 * Proxy-Authorization; qop=auth counts nc per nonce; unusable challenges
 * are refused. */
#include <string.h>

#include "phone/auth.h"
#include "sip/digest.h"
#include "tests/unit/unit.h"

static SL_TEST_STATE(ts);

static const char *
pw_lookup(void *arg, struct sl_str user, struct sl_str realm)
{
	(void)arg;
	(void)realm;
	return sl_str_eq(user, SL_STR("u1")) ? "u1pass" : NULL;
}

static osip_message_t *
request(const char *method, const char *ruri, uint32_t cseq, struct sl_ids *ids)
{
	struct sl_msg_req q = {
		.method = method,
		.ruri = ruri,
		.from = { "<sip:u1@127.0.0.50>", "1542144666" },
		.to = { "<sip:2@127.0.0.50>", NULL },
		.call_id = "2126492930@127.0.0.183",
		.cseq = cseq,
		.via_host = "127.0.0.183",
		.via_port = 5060,
		.branch = "z9hG4bKfirst",
		.max_forwards = 70,
		.contact = "<sip:u1@127.0.0.183:5060>",
		.expires = -1,
	};
	osip_message_t *m = NULL;

	SL_CHECK(&ts, sl_msg_request(&q, ids, &m) == SL_OK);
	return m;
}

/* a 401/407 to req carrying challenge text ch (NULL: none) */
static osip_message_t *
challenge(const osip_message_t *req, int code, const char *ch)
{
	osip_message_t *r = NULL;

	SL_CHECK(&ts, sl_msg_response(req, code, NULL, "831312670", &r) == SL_OK);
	if (r && ch)
		SL_CHECK(&ts, sl_msg_add_header(r, code == 407 ? "Proxy-Authenticate" :
		    "WWW-Authenticate", ch) == SL_OK);
	return r;
}

static enum sl_digest_result
verify(struct sl_digest_server *srv, const osip_message_t *m, bool proxy,
    const char *method)
{
	struct sl_digest_params cred;

	if (!sl_msg_auth(m, proxy ? SL_MSG_PROXY_AUTHORIZATION : SL_MSG_AUTHORIZATION, &cred))
		return SL_DIGEST_MALFORMED;
	return sl_digest_verify(srv, &cred, sl_str_c(method), 1000, pw_lookup, NULL);
}

static void
test_resend(void)
{
	struct sl_digest_server srv;
	struct sl_ids ids;
	struct sl_buf ch;
	char errbuf[SL_ERRBUF_SIZE], cid[SL_MSG_CALLID_MAX];

	sl_ids_seed(&ids, 7);
	SL_CHECK(&ts, sl_digest_server_init(&srv, "Yate", "00112233445566778899aabbccddeeff",
	    300, 64) == SL_OK);
	for (int qop = 0; qop < 2; qop++) {
		for (int proxy = 0; proxy < 2; proxy++) {
			struct sl_phone_auth a = { { 0 }, 0 };
			sl_buf_init(&ch, 1024);
			SL_CHECK(&ts, sl_digest_challenge(&srv, 1000, false, "127.0.0.50", qop,
			    &ch) == SL_OK);
			osip_message_t *inv = request("INVITE", "sip:2@127.0.0.50", 1, &ids);
			osip_message_t *r = challenge(inv, proxy ? 407 : 401, ch.p);
			osip_message_t *again = NULL;
			SL_CHECK(&ts, sl_phone_auth_is_challenge(r) && !sl_phone_auth_is_stale(r));
			SL_CHECK(&ts, sl_phone_auth_resend(&a, inv, r, 2, "u1", "u1pass", &ids,
			    &again, errbuf) == SL_OK);
			if (again == NULL) {
				sl_msg_free(inv);
				sl_msg_free(r);
				sl_buf_free(&ch);
				continue;
			}
			/* RFC 3261 22.2: same Call-ID and From tag, CSeq + 1, new branch */
			uint32_t cseq;
			struct sl_str method;
			SL_CHECK(&ts, sl_msg_cseq(again, &cseq, &method) && cseq == 2 &&
			    sl_str_eq(method, SL_STR("INVITE")));
			SL_CHECK(&ts, sl_msg_call_id(again, cid) &&
			    strcmp(cid, "2126492930@127.0.0.183") == 0);
			SL_CHECK(&ts, sl_str_eq(sl_msg_from_tag(again), SL_STR("1542144666")));
			SL_CHECK(&ts, sl_str_istarts(sl_msg_branch(again), SL_STR("z9hG4bK")) &&
			    !sl_str_eq(sl_msg_branch(again), SL_STR("z9hG4bKfirst")));
			SL_CHECK(&ts, sl_msg_to_tag(again).n == 0);
			SL_CHECK_MSG(&ts, verify(&srv, again, proxy, "INVITE") == SL_DIGEST_OK,
			    "qop %d proxy %d", qop, proxy);
			/* the other header kind is absent */
			struct sl_digest_params other;
			SL_CHECK(&ts, !sl_msg_auth(again, proxy ? SL_MSG_AUTHORIZATION :
			    SL_MSG_PROXY_AUTHORIZATION, &other));
			SL_CHECK(&ts, !sl_msg_auth(inv, SL_MSG_AUTHORIZATION, &other));
			/* a wrong method does not verify (the method is signed) */
			SL_CHECK(&ts, verify(&srv, again, proxy, "BYE") == SL_DIGEST_MISMATCH);

			/* a second challenge with the same nonce: credentials
			 * replaced, not added; nc moves on with qop */
			osip_message_t *third = NULL;
			SL_CHECK(&ts, sl_phone_auth_resend(&a, again, r, 3, "u1", "u1pass", &ids,
			    &third, errbuf) == SL_OK);
			if (third) {
				struct sl_digest_params cred;
				SL_CHECK(&ts, osip_list_size(proxy ? &third->proxy_authorizations :
				    &third->authorizations) == 1);
				SL_CHECK(&ts, sl_msg_auth(third, proxy ?
				    SL_MSG_PROXY_AUTHORIZATION : SL_MSG_AUTHORIZATION, &cred));
				SL_CHECK_MSG(&ts, qop ? sl_str_eq(cred.nc, SL_STR("00000002")) :
				    cred.nc.n == 0, "nc %.*s", SL_PRI(cred.nc));
				/* without qop the server takes a nonce once */
				SL_CHECK(&ts, verify(&srv, third, proxy, "INVITE") ==
				    (qop ? SL_DIGEST_OK : SL_DIGEST_REPLAY));
			}
			sl_msg_free(third);
			sl_msg_free(again);
			sl_msg_free(inv);
			sl_msg_free(r);
			sl_buf_free(&ch);
		}
	}
	sl_digest_server_free(&srv);
}

static void
test_bye_add(void)
{
	struct sl_digest_server srv;
	struct sl_phone_auth a = { { 0 }, 0 };
	struct sl_ids ids;
	struct sl_buf ch;
	char errbuf[SL_ERRBUF_SIZE];

	sl_ids_seed(&ids, 8);
	SL_CHECK(&ts, sl_digest_server_init(&srv, "Yate", "secret", 300, 64) == SL_OK);
	sl_buf_init(&ch, 1024);
	SL_CHECK(&ts, sl_digest_challenge(&srv, 1000, false, NULL, false, &ch) == SL_OK);
	osip_message_t *bye = request("BYE", "sip:2@127.0.0.50:5060", 3, &ids);
	osip_message_t *r = challenge(bye, 401, ch.p);
	/* the uri signed is the BYE's Request-URI */
	SL_CHECK(&ts, sl_phone_auth_add(&a, bye, r, "u1", "u1pass", &ids, errbuf) == SL_OK);
	struct sl_digest_params cred;
	SL_CHECK(&ts, sl_msg_auth(bye, SL_MSG_AUTHORIZATION, &cred) &&
	    sl_str_eq(cred.uri, SL_STR("sip:2@127.0.0.50:5060")) &&
	    sl_str_eq(cred.username, SL_STR("u1")) && sl_str_eq(cred.realm, SL_STR("Yate")));
	SL_CHECK(&ts, verify(&srv, bye, false, "BYE") == SL_DIGEST_OK);
	sl_msg_free(bye);
	sl_msg_free(r);

	/* wrong password: the server sees a mismatch */
	bye = request("BYE", "sip:2@127.0.0.50:5060", 3, &ids);
	r = challenge(bye, 401, ch.p);
	SL_CHECK(&ts, sl_phone_auth_add(&a, bye, r, "u1", "nope", &ids, errbuf) == SL_OK);
	SL_CHECK(&ts, verify(&srv, bye, false, "BYE") == SL_DIGEST_MISMATCH);
	sl_msg_free(bye);
	sl_msg_free(r);
	sl_buf_free(&ch);
	sl_digest_server_free(&srv);
}

static void
test_refused(void)
{
	static const struct {
		int code;
		const char *ch;		/* NULL: no challenge header */
		bool is_challenge, stale;
	} rows[] = {
		{ 401, "Digest realm=\"Yate\", nonce=\"abc.1\", stale=TRUE, algorithm=MD5", true, true },
		{ 401, "Digest realm=\"Yate\", nonce=\"abc.1\", stale=true", true, true },
		{ 407, "Digest realm=\"p\", nonce=\"n\"", true, false },
		{ 401, "Digest realm=\"Yate\", nonce=\"n\", algorithm=SHA-256", true, false },
		{ 401, "Digest realm=\"Yate\", nonce=\"n\", qop=\"auth-int\"", true, false },
		{ 401, "Basic realm=\"x\"", true, false },
		{ 401, NULL, false, false },
		{ 407, NULL, false, false },
		{ 403, NULL, false, false },
	};
	struct sl_phone_auth a = { { 0 }, 0 };
	struct sl_ids ids;
	char errbuf[SL_ERRBUF_SIZE];

	sl_ids_seed(&ids, 9);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		osip_message_t *req = request("REGISTER", "sip:127.0.0.50", 1, &ids);
		osip_message_t *r = challenge(req, rows[i].code, rows[i].ch);
		osip_message_t *again = NULL;
		SL_CHECK_MSG(&ts, sl_phone_auth_is_challenge(r) == rows[i].is_challenge,
		    "row %zu", i);
		SL_CHECK_MSG(&ts, sl_phone_auth_is_stale(r) == rows[i].stale, "row %zu", i);
		/* only the first three are answerable */
		enum sl_err e = sl_phone_auth_resend(&a, req, r, 2, "u1", "pw", &ids, &again,
		    errbuf);
		SL_CHECK_MSG(&ts, (e == SL_OK) == (i < 3), "row %zu: %s", i, errbuf);
		SL_CHECK(&ts, (again != NULL) == (e == SL_OK));
		sl_msg_free(again);
		sl_msg_free(req);
		sl_msg_free(r);
	}
}

int
main(void)
{
	sl_osip_init();
	test_resend();
	test_bye_add();
	test_refused();
	return sl_test_report(&ts, "phone.auth");
}
