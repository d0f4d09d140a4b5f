/* opts.c: option parsing ("--opt VALUE" and "--opt=VALUE") over the shared
 * option table (core/opttab.h) instead of getopt_long, whose
 * optind/optarg are process globals. */
#include "server/opts.h"

#include <stdio.h>
#include <string.h>

#include "core/opttab.h"
#include "core/str.h"
#include "sip/udp.h"

enum opt_id {
	O_CONF, O_LISTEN, O_RTP_PORTS, O_REALM, O_NONCE_TTL, O_MIN_EXPIRES, O_MAX_EXPIRES,
	O_DEF_EXPIRES, O_NO_ANSWER, O_MAX_CALLS, O_MAX_REGS, O_MAX_TXNS, O_NONCE_SLOTS,
	O_RATE_LIMIT, O_RATE_BLOCK, O_RTP_TIMEOUT, O_SESSION_TIMEOUT, O_RTP_LATCH,
	O_TRACE_PCAP, O_LOG_LEVEL, O_SEED, O_DAEMON, O_PIDFILE, O_VERSION, O_HELP,
};

/* parsing and help: every option parsed is in the help */
static const struct sl_opt opts[] = {
	{ "-c", NULL, "DIR", { "directory with regfile.conf and regexroute.conf" }, O_CONF, 0 },
	{ "--listen", NULL, "ADDR:PORT", { "SIP UDP socket (default 0.0.0.0:5060)" }, O_LISTEN,
	    0 },
	{ "--rtp-ports", NULL, "LO-HI", { "RTP relay ports (default 20000-29999, even ports)" },
	    O_RTP_PORTS, 0 },
	{ "--realm", NULL, "NAME", { "digest realm (default Yate)" }, O_REALM, 0 },
	{ "--nonce-ttl", NULL, "S", { "nonce lifetime (default 300)" }, O_NONCE_TTL, 0 },
	{ "--min-expires", NULL, "S", { "shortest registration (default 60; below: 423)" },
	    O_MIN_EXPIRES, 0 },
	{ "--max-expires", NULL, "S", { "longest registration (default 3600)" }, O_MAX_EXPIRES,
	    0 },
	{ "--default-expires", NULL, "S", { "registration without Expires (default 600)" },
	    O_DEF_EXPIRES, 0 },
	{ "--no-answer", NULL, "S", { "ringing timeout (default 60)" }, O_NO_ANSWER, 0 },
	{ "--max-calls", NULL, "N", { "concurrent calls (default 1000)" }, O_MAX_CALLS, 0 },
	{ "--max-regs", NULL, "N", { "registrations (default 1024)" }, O_MAX_REGS, 0 },
	{ "--max-txns", NULL, "N", { "live SIP transactions (default 131072; beyond: 503)" },
	    O_MAX_TXNS, 0 },
	{ "--nonce-slots", NULL, "N", { "digest nonces tracked for replay (default 65536)" },
	    O_NONCE_SLOTS, 0 },
	{ "--rate-limit", NULL, "R/S",
	    { "block an IP after R unverified requests in S s",
	      "(default 30/2, as Kamailio's pike; 0 disables)" }, O_RATE_LIMIT, 0 },
	{ "--rate-block", NULL, "S", { "how long a blocked IP stays blocked (default 60)" },
	    O_RATE_BLOCK, 0 },
	{ "--rtp-timeout", NULL, "S",
	    { "hang up an answered call without RTP for S s", "(default 60; 0 disables)" },
	    O_RTP_TIMEOUT, 0 },
	{ "--session-timeout", NULL, "S",
	    { "hang up any answered call after S s", "(default 43200; 0 disables)" },
	    O_SESSION_TIMEOUT, 0 },
	{ "--rtp-latch", NULL, NULL,
	    { "accept RTP from the signalling IP on another port",
	      "until the first packet (NAT); default: SDP only" }, O_RTP_LATCH, 0 },
	{ "--trace-pcap", NULL, "FILE", { "pcap of every datagram sent and received" },
	    O_TRACE_PCAP, 0 },
	{ "--log-level", NULL, "L", { "error|warn|info|debug (default info)" }, O_LOG_LEVEL, 0 },
	{ "--seed", NULL, "N",
	    { "INSECURE, tests only: predictable Call-IDs, tags,",
	      "branches, nonce secret and relay ports" }, O_SEED, 0 },
	{ "--daemon", NULL, NULL, { "run in the background" }, O_DAEMON, 0 },
	{ "--pidfile", NULL, "FILE", { "write the process id there" }, O_PIDFILE, 0 },
	{ "--version", NULL, NULL, { "the version" }, O_VERSION, 0 },
	{ "--help", "-h", NULL, { "this text" }, O_HELP, 0 },
};

void
sl_srv_opts_usage(FILE *f)
{
	fputs("usage: sipladder-server -c DIR [options]\noptions:\n", f);
	sl_opt_help(f, opts, sizeof(opts) / sizeof(opts[0]), 0);
}

static bool
num(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
	return sl_str_u64(sl_str_c(s), hi, out) && *out >= lo;
}

static bool
u32(const char *s, uint32_t lo, uint32_t hi, uint32_t *out)
{
	uint64_t v;

	if (!num(s, lo, hi, &v))
		return false;
	*out = (uint32_t)v;
	return true;
}

static bool
port_range(const char *s, uint16_t *lo, uint16_t *hi)
{
	struct sl_str head, rest = sl_str_split(sl_str_c(s), '-', &head);
	uint32_t a, b;

	if (rest.p == NULL || !sl_str_u32(head, 65535, &a) ||
	    !sl_str_u32(rest, 65535, &b) || a == 0 || a > b)
		return false;
	/* RTP on even ports (RFC 3550 11): at least one even port inside */
	uint32_t first_even = a + (a & 1u);
	if (first_even > b)
		return false;
	*lo = (uint16_t)a;
	*hi = (uint16_t)b;
	return true;
}

/* "R/S" or "0" */
static bool
rate(const char *s, uint32_t *reqs, uint32_t *secs)
{
	struct sl_str head, rest = sl_str_split(sl_str_c(s), '/', &head);

	if (rest.p == NULL)
		return sl_str_u32(head, 0, reqs) && *reqs == 0;
	return sl_str_u32(head, 1000000, reqs) && *reqs > 0 &&
	    sl_str_u32(rest, 3600, secs) && *secs > 0;
}

static void
defaults(struct sl_srv_opts *o)
{
	memset(o, 0, sizeof(*o));
	sl_udp_parse_endpoint("0.0.0.0", 5060, &o->listen);
	o->rtp_lo = 20000;
	o->rtp_hi = 29999;
	snprintf(o->realm, sizeof(o->realm), "Yate");
	o->nonce_ttl_s = 300;
	o->min_expires_s = 60;
	o->max_expires_s = 3600;
	o->def_expires_s = 600;
	o->no_answer_s = 60;
	o->log_level = SL_LOG_INFO;
	o->max_calls = 1000;
	o->max_regs = 1024;
	o->max_txns = 131072;
	o->nonce_slots = 65536;
	o->rate_reqs = 30;
	o->rate_secs = 2;
	o->rate_block_s = 60;
	o->rtp_timeout_s = 60;
	o->session_timeout_s = 43200;
}

/* realm goes between quotes in WWW-Authenticate: no quote, backslash or
 * control character */
static bool
realm_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= 64)
		return false;
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '"' || *p == '\\')
			return false;
	return true;
}

enum sl_err
sl_srv_opts_parse(int argc, char *const argv[], struct sl_srv_opts *o,
    char errbuf[SL_ERRBUF_SIZE])
{
	defaults(o);
	errbuf[0] = '\0';
	for (int i = 1; i < argc; i++) {
		const struct sl_opt *t;
		const char *v;

		if (sl_opt_match(opts, sizeof(opts) / sizeof(opts[0]), argc, argv, &i, &t, &v,
		    errbuf) != SL_OPT_OK)
			return SL_EUSAGE;
		bool ok = true;
		switch ((enum opt_id)t->id) {
		case O_HELP:
			o->help = true;
			break;
		case O_VERSION:
			o->version = true;
			break;
		case O_DAEMON:
			o->daemon = true;
			break;
		case O_RTP_LATCH:
			o->rtp_latch = true;
			break;
		case O_NONCE_SLOTS:
			ok = u32(v, 16, 16777216, &o->nonce_slots);
			break;
		case O_RATE_LIMIT:
			ok = rate(v, &o->rate_reqs, &o->rate_secs);
			break;
		case O_RATE_BLOCK:
			ok = u32(v, 1, 86400, &o->rate_block_s);
			break;
		case O_RTP_TIMEOUT:
			ok = u32(v, 0, 86400, &o->rtp_timeout_s);
			break;
		case O_SESSION_TIMEOUT:
			ok = u32(v, 0, 86400 * 7, &o->session_timeout_s);
			break;
		case O_CONF:
			ok = (o->conf_dir = v)[0] != '\0';
			break;
		case O_LISTEN:
			ok = sl_udp_parse_endpoint(v, 5060, &o->listen) && o->listen.port != 0;
			break;
		case O_RTP_PORTS:
			ok = port_range(v, &o->rtp_lo, &o->rtp_hi);
			break;
		case O_REALM:
			ok = realm_ok(v) && snprintf(o->realm, sizeof(o->realm), "%s", v) > 0;
			break;
		case O_NONCE_TTL:
			ok = u32(v, 1, 86400, &o->nonce_ttl_s);
			break;
		case O_MIN_EXPIRES:
			ok = u32(v, 1, 86400 * 7, &o->min_expires_s);
			break;
		case O_MAX_EXPIRES:
			ok = u32(v, 1, 86400 * 7, &o->max_expires_s);
			break;
		case O_DEF_EXPIRES:
			ok = u32(v, 1, 86400 * 7, &o->def_expires_s);
			break;
		case O_NO_ANSWER:
			ok = u32(v, 1, 86400, &o->no_answer_s);
			break;
		case O_MAX_CALLS:
			ok = u32(v, 1, 100000, &o->max_calls);
			break;
		case O_MAX_REGS:
			ok = u32(v, 1, 1000000, &o->max_regs);
			break;
		case O_MAX_TXNS:
			ok = u32(v, 16, 10000000, &o->max_txns);
			break;
		case O_TRACE_PCAP:
			ok = (o->trace_path = v)[0] != '\0';
			break;
		case O_LOG_LEVEL:
			ok = sl_log_level_parse(v, &o->log_level);
			break;
		case O_SEED:
			ok = o->has_seed = num(v, 0, UINT64_MAX, &o->seed);
			break;
		case O_PIDFILE:
			ok = (o->pidfile = v)[0] != '\0';
			break;
		}
		if (!ok) {
			snprintf(errbuf, SL_ERRBUF_SIZE, "bad value for %s: '%.60s'", t->name, v);
			return SL_EUSAGE;
		}
	}
	if (o->help || o->version)
		return SL_OK;
	if (o->conf_dir == NULL) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "-c DIR is required");
		return SL_EUSAGE;
	}
	if (o->min_expires_s > o->max_expires_s) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "--min-expires %u is above --max-expires %u",
		    o->min_expires_s, o->max_expires_s);
		return SL_EUSAGE;
	}
	if (o->def_expires_s < o->min_expires_s)
		o->def_expires_s = o->min_expires_s;
	if (o->def_expires_s > o->max_expires_s)
		o->def_expires_s = o->max_expires_s;
	return SL_OK;
}
