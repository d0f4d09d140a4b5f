/* opts.h: the sipladder-phone command line (see README.md for the
 * contract other scripts rely on). Parsing is pure: no sockets, no
 * files; it also derives what the rest of the phone needs from the
 * options (the Request-URI and first hop of a call, the From/To domain),
 * so those rules are unit-tested here.
 *
 * String fields point into argv or into the struct itself: valid as long
 * as both live. */
#ifndef SL_PHONE_OPTS_H
#define SL_PHONE_OPTS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/addr.h"
#include "core/err.h"
#include "phone/netaddr.h"
#include "phone/g711.h"
#include "sip/log.h"
#include "sip/msg.h"

enum sl_phone_cmd {
	SL_PHONE_REGISTER,
	SL_PHONE_UNREGISTER,
	SL_PHONE_CALL,
	SL_PHONE_ANSWER,
};

#define SL_PHONE_MAX_SECONDS 86400u	/* cap of every time option */

struct sl_phone_opts {
	enum sl_phone_cmd cmd;
	const char *target;		/* call: TARGET as typed */
	struct sl_endpoint bind;	/* SIP socket; RTP binds the same IP */
	bool has_server;
	struct sl_endpoint server;
	bool allow_direct;		/* with --server: requests from anyone too */
	const char *user;		/* NULL: "anonymous" in From */
	const char *password;
	const char *domain_opt;		/* --domain as given, or NULL */
	uint32_t expires;		/* REGISTER Expires */
	bool do_register;		/* call/answer: register around the job */
	bool has_duration;
	uint32_t duration_ms;
	uint32_t ring_delay_ms;
	uint32_t calls;			/* answer: calls to take before exiting */
	uint32_t timeout_ms;		/* 0: no overall bound */
	uint16_t rtp_port;
	enum sl_g711_law law;
	double tone_hz;
	const char *wav;		/* NULL: the tone */
	const char *record;
	uint32_t linger_ms;
	const char *trace;
	enum sl_log_level log_level;
	bool has_seed;
	uint64_t seed;
	int reject;			/* answer: final status instead of 200; 0 = answer */
	bool lazy100;			/* no 100 Trying to non-INVITE requests */
	uint32_t t1_ms;			/* SIP timer T1 (RFC 3261 17.1.1.1) */
	bool help, version;

	/* derived */
	char domain[SL_URI_HOSTPORT_LEN + 256];	/* From/To host part */
	char ruri[SL_MSG_URI_MAX];		/* call: Request-URI */
	struct sl_endpoint first_hop;		/* call: where the INVITE goes */
};

/* Parse argv[1..argc) (options may come before or after the command;
 * "--opt value" and "--opt=value" both work). SL_EUSAGE with a one-line
 * reason in errbuf. With --help or --version set, nothing else is
 * checked. */
enum sl_err sl_phone_opts_parse(struct sl_phone_opts *o, int argc, char **argv,
    char errbuf[SL_ERRBUF_SIZE]);

void sl_phone_usage(FILE *f);

/* "1", "1.5", "0.020": seconds (at most max_s, three decimals) to ms. */
bool sl_phone_parse_seconds(const char *s, uint32_t max_s, uint32_t *ms /* OUT */);

#endif
