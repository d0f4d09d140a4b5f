/* route.c: see route.h. */
#include "server/route.h"

#include <stdio.h>
#include <string.h>

#include "server/uri.h"
#include "sip/uri.h"

static void
reject(struct sl_srv_route_out *out, const char *error, const char *reason)
{
	snprintf(out->error, sizeof(out->error), "%s", error);
	snprintf(out->reason, sizeof(out->reason), "%s", reason ? reason : "");
	out->code = sl_route_sip_code(error);
	out->n = 0;
}

static void
set(char *dst, size_t n, const char *v)
{
	snprintf(dst, n, "%s", v ? v : "");
}

struct online_ctx {
	const struct sl_registrar *reg;
	uint64_t now_ms;
};

static bool
online(void *arg, const char *user)
{
	struct online_ctx *c = arg;

	return sl_registrar_find(c->reg, user, c->now_ms) != NULL;
}

/* regfile's call.route copies the calling user's caller=/callername= */
static void
caller_params(const struct sl_regfile *rf, struct sl_srv_route_out *out)
{
	const struct sl_regfile_user *u = sl_regfile_find(rf, out->caller);

	if (u == NULL)
		return;
	if (u->callername)
		set(out->callername, sizeof(out->callername), u->callername);
	if (u->caller)
		set(out->caller, sizeof(out->caller), u->caller);
}

void
sl_srv_route(const struct sl_route *rr, const struct sl_regfile *rf,
    const struct sl_registrar *reg, uint64_t now_ms, const struct sl_route_msg *in,
    struct sl_srv_route_out *out)
{
	struct sl_route_result res;

	memset(out, 0, sizeof(*out));
	set(out->called, sizeof(out->called), in->called);
	set(out->caller, sizeof(out->caller), in->caller);
	if (sl_route_eval(rr, in, &res) != SL_OK) {
		reject(out, "failure", res.reason);
		return;
	}
	out->line = res.line;
	set(out->called, sizeof(out->called), sl_route_param_get(&res.params, "called"));
	set(out->caller, sizeof(out->caller), sl_route_param_get(&res.params, "caller"));
	set(out->callername, sizeof(out->callername),
	    sl_route_param_get(&res.params, "callername"));
	if (res.outcome == SL_ROUTE_REJECTED) {
		reject(out, res.error, res.reason);
		return;
	}
	if (res.outcome == SL_ROUTE_TARGET) {
		/* Yate's channel syntax: "sip/<uri>" is the only driver here */
		struct sl_srv_target *t = &out->t[0];
		if (strncmp(res.target, "sip/", 4) != 0 ||
		    snprintf(t->uri, sizeof(t->uri), "%s", res.target + 4) >= (int)sizeof(t->uri) ||
		    !sl_sip_uri_dst(t->uri, &t->dst)) {
			reject(out, "noconn", "unsupported route target");
			return;
		}
		out->n = 1;
		return;
	}
	caller_params(rf, out);
	struct sl_regfile_route rfr;
	struct online_ctx oc = { reg, now_ms };
	sl_regfile_route(rf, out->called, online, &oc, &rfr);
	if (rfr.verdict == SL_REGFILE_OFFLINE) {
		reject(out, "offline", NULL);
		return;
	}
	if (rfr.verdict == SL_REGFILE_NONE) {
		const char *err = sl_route_param_get(&res.params, "error");
		reject(out, err && err[0] ? err : "noroute",
		    sl_route_param_get(&res.params, "reason"));
		return;
	}
	for (size_t i = 0; i < rfr.n && out->n < SL_REGFILE_MAX_FORK; i++) {
		const struct sl_binding *b = sl_registrar_find(reg, rfr.targets[i], now_ms);
		if (b == NULL)
			continue;
		struct sl_srv_target *t = &out->t[out->n++];
		set(t->uri, sizeof(t->uri), b->contact);
		set(t->user, sizeof(t->user), b->user);
		t->dst = b->target;
	}
	if (out->n == 0)
		reject(out, "offline", NULL);
}
