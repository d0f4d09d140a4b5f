/* route.h: call.route as sipladder-server runs it (README.md "How a call
 * is routed"): regexroute.conf first, then regfile.conf's lookup of the
 * (possibly rewritten) called number among the live bindings. Pure: the
 * bindings and the time are passed in, nothing is sent. */
#ifndef SL_SERVER_ROUTE_H
#define SL_SERVER_ROUTE_H

#include <stddef.h>
#include <stdint.h>

#include "server/regexroute.h"
#include "server/regfile.h"
#include "server/registrar.h"

struct sl_srv_target {
	char uri[SL_MSG_URI_MAX];		/* Request-URI of the new leg */
	struct sl_endpoint dst;			/* where it is sent */
	char user[SL_REGFILE_MAX_NAME + 1];	/* regfile user, or "" */
};

struct sl_srv_route_out {
	int code;			/* 0: routed; else the SIP status */
	char error[SL_ROUTE_VALUE_MAX];	/* Yate's error name when code != 0 */
	char reason[SL_ROUTE_VALUE_MAX];
	char called[SL_ROUTE_VALUE_MAX];	/* after rewriting */
	char caller[SL_ROUTE_VALUE_MAX];	/* From user of the new leg */
	char callername[SL_ROUTE_VALUE_MAX];	/* its display name, or "" */
	unsigned line;			/* regexroute rule that decided, 0: none */
	size_t n;			/* targets; > 1 forks */
	struct sl_srv_target t[SL_REGFILE_MAX_FORK];
};

/* Route in. Always fills out; out->code is 0 with n >= 1 targets, or the
 * rejection (401 noauth, 404 offline/noroute, 503 noconn for a target we
 * cannot reach, 500 failure when routing overflowed its bounds). */
void sl_srv_route(const struct sl_route *rr, const struct sl_regfile *rf,
    const struct sl_registrar *reg, uint64_t now_ms,
    const struct sl_route_msg *in, struct sl_srv_route_out *out /* OUT */);

#endif
