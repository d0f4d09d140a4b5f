/* test_route.c: call routing of the server (src/server/route.c) over the
 * shipped sample configuration and small inline ones: regexroute first,
 * then regfile against the live bindings; Yate's error names and codes. */
#include <string.h>

#include "server/route.h"
#include "sip/udp.h"
#include "tests/unit/unit.h"

static SL_TEST_STATE(ts);

struct fix {
	struct sl_regfile rf;
	struct sl_route rr;
	struct sl_registrar reg;
};

static bool
load(struct fix *f, const char *rf, const char *rr)
{
	char err[SL_ERRBUF_SIZE] = "";
	bool ok;

	if (rf == NULL)
		ok = sl_regfile_load(&f->rf, SL_SOURCE_DIR "/src/server/conf/regfile.conf", err) ==
		    SL_OK && sl_route_load(&f->rr, SL_SOURCE_DIR "/src/server/conf/regexroute.conf",
		    err) == SL_OK;
	else
		ok = sl_regfile_parse(&f->rf, "regfile.conf", rf, strlen(rf), err) == SL_OK &&
		    sl_route_parse(&f->rr, "regexroute.conf", rr, strlen(rr), err) == SL_OK;
	SL_CHECK_MSG(&ts, ok, "%s", err);
	return ok && sl_registrar_init(&f->reg, 8) == SL_OK;
}

static void
unload(struct fix *f)
{
	sl_registrar_free(&f->reg);
	sl_route_free(&f->rr);
	sl_regfile_free(&f->rf);
}

static void
bind_user(struct fix *f, const char *user, const char *contact, const char *ep,
    uint32_t secs)
{
	struct sl_endpoint e;

	sl_udp_parse_endpoint(ep, 5060, &e);
	sl_registrar_update(&f->reg, user, contact, &e, &e, user, 1, secs, 0);
}

static void
route(struct fix *f, const char *called, const char *caller, const char *user,
    uint64_t now, struct sl_srv_route_out *out)
{
	struct sl_route_msg m = { .called = called, .caller = caller, .username = user };

	sl_srv_route(&f->rr, &f->rf, &f->reg, now, &m, out);
}

static void
test_sample(void)
{
	struct fix f;
	struct sl_srv_route_out o;
	char ep[SL_EP_STRLEN];

	if (!load(&f, NULL, NULL))
		return;
	/* the seed: unauthenticated -> noauth -> 401, whatever is dialled */
	route(&f, "2", "u1", NULL, 0, &o);
	SL_CHECK(&ts, o.code == 401 && strcmp(o.error, "noauth") == 0 && o.line > 0);
	route(&f, "999", "u1", NULL, 0, &o);
	SL_CHECK(&ts, o.code == 401);
	/* authenticated, callee not registered: offline -> 404 */
	route(&f, "2", "u1", "u1", 0, &o);
	SL_CHECK(&ts, o.code == 404 && strcmp(o.error, "offline") == 0);
	/* registered: one target, its Contact and where it goes */
	bind_user(&f, "u2", "sip:u2@127.0.0.101:5060", "127.0.0.101:5060", 60);
	route(&f, "2", "u1", "u1", 1000, &o);
	SL_CHECK(&ts, o.code == 0 && o.n == 1 && strcmp(o.called, "u2") == 0);
	SL_CHECK(&ts, strcmp(o.t[0].uri, "sip:u2@127.0.0.101:5060") == 0 &&
	    strcmp(o.t[0].user, "u2") == 0 &&
	    strcmp(sl_ep_str(&o.t[0].dst, ep, sizeof(ep)), "127.0.0.101:5060") == 0);
	SL_CHECK(&ts, strcmp(o.caller, "u1") == 0);
	/* expired binding: offline again */
	route(&f, "2", "u1", "u1", 60000, &o);
	SL_CHECK(&ts, o.code == 404 && strcmp(o.error, "offline") == 0);
	/* a username directly, and a number nobody has */
	bind_user(&f, "u1", "sip:u1@127.0.0.183", "127.0.0.183:5060", 60);
	route(&f, "u1", "u2", "u2", 0, &o);
	SL_CHECK(&ts, o.code == 0 && o.n == 1);
	route(&f, "77", "u2", "u2", 0, &o);
	SL_CHECK(&ts, o.code == 404 && strcmp(o.error, "noroute") == 0);
	unload(&f);
}

static void
test_inline(void)
{
	static const char rf[] =
	    "[general]\n[alice]\npassword=a\nalternatives=100\ncallername=Alice A\n"
	    "[bob]\npassword=b\nalternatives=100\n";
	static const char rr[] =
	    "[default]\n"
	    "^busy$=-;error=busy\n"
	    "^7\\(.*\\)$=sip/sip:\\1@127.0.0.9:5070\n"
	    "^8$=sip/sip:x@example.com\n"
	    "^9$=iax/foo\n"
	    "^55$=;error=forbidden\n";
	struct fix f;
	struct sl_srv_route_out o;
	char ep[SL_EP_STRLEN];

	if (!load(&f, rf, rr))
		return;
	route(&f, "busy", "alice", "alice", 0, &o);
	SL_CHECK(&ts, o.code == 486 && strcmp(o.error, "busy") == 0);
	route(&f, "7123", "alice", NULL, 0, &o);
	SL_CHECK(&ts, o.code == 0 && o.n == 1 && strcmp(o.t[0].uri, "sip:123@127.0.0.9:5070") == 0 &&
	    strcmp(sl_ep_str(&o.t[0].dst, ep, sizeof(ep)), "127.0.0.9:5070") == 0);
	route(&f, "8", "alice", NULL, 0, &o);	/* no DNS here */
	SL_CHECK(&ts, o.code == 503 && strcmp(o.error, "noconn") == 0);
	route(&f, "9", "alice", NULL, 0, &o);	/* not a sip/ target */
	SL_CHECK(&ts, o.code == 503);
	/* a rule that only sets error= and falls through: regfile finds
	 * nothing, the error the rule left is used */
	route(&f, "55", "alice", NULL, 0, &o);
	SL_CHECK(&ts, o.code == 403 && strcmp(o.error, "forbidden") == 0);
	/* alternatives fork to every registered owner; the caller's
	 * section gives the From display name */
	route(&f, "100", "alice", "alice", 0, &o);
	SL_CHECK(&ts, o.code == 404 && strcmp(o.error, "offline") == 0);
	bind_user(&f, "alice", "sip:alice@127.0.0.2", "127.0.0.2:5060", 60);
	bind_user(&f, "bob", "sip:bob@127.0.0.3:5062", "127.0.0.3:5062", 60);
	route(&f, "100", "alice", "alice", 0, &o);
	SL_CHECK(&ts, o.code == 0 && o.n == 2 && strcmp(o.t[0].user, "alice") == 0 &&
	    strcmp(o.t[1].user, "bob") == 0 && o.t[1].dst.port == 5062);
	SL_CHECK(&ts, strcmp(o.callername, "Alice A") == 0);
	unload(&f);
}

int
main(void)
{
	test_sample();
	test_inline();
	return sl_test_report(&ts, "server.route");
}
