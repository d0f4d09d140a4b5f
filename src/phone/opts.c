/* opts.c: command-line parsing and the derived call addressing (opts.h).
 * Every value is checked here, so the phone never starts with an option
 * it would only trip over later. */
#include "phone/opts.h"

#include <stdarg.h>
#include <string.h>

#include "core/opttab.h"
#include "core/str.h"
#include "sip/udp.h"

static enum sl_err
usage_err(char errbuf[SL_ERRBUF_SIZE], const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static enum sl_err
usage_err(char errbuf[SL_ERRBUF_SIZE], const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(errbuf, SL_ERRBUF_SIZE, fmt, ap);
	va_end(ap);
	return SL_EUSAGE;
}

enum opt_id {
	O_BIND, O_SERVER, O_ALLOW_DIRECT, O_USER, O_PASSWORD, O_DOMAIN, O_EXPIRES,
	O_REGISTER, O_DURATION, O_RING_DELAY, O_CALLS, O_REJECT, O_LAZY_100, O_T1, O_TIMEOUT,
	O_RTP_PORT, O_CODEC, O_TONE, O_WAV, O_RECORD, O_RTP_LINGER, O_TRACE_PCAP,
	O_LOG_LEVEL, O_SEED, O_HELP, O_VERSION,
};

/* parsing and help: every option parsed is in the help */
static const struct sl_opt opts[] = {
	{ "--bind", NULL, "ADDR[:PORT]",
	    { "SIP socket (default 0.0.0.0:5060); RTP binds ADDR too" }, O_BIND, 0 },
	{ "--server", NULL, "ADDR[:PORT]",
	    { "registrar/proxy; requests are taken from this address",
	      "only; without it anyone may call, and `call` TARGET is",
	      "sip:user@ip[:port] or ip[:port] (direct mode)" }, O_SERVER, 0 },
	{ "--allow-direct", NULL, NULL,
	    { "with --server: take calls sent directly by anyone too" }, O_ALLOW_DIRECT, 0 },
	{ "--user", NULL, "NAME", { "digest user name (401/407)" }, O_USER, 0 },
	{ "--password", NULL, "PW", { "digest password" }, O_PASSWORD, 0 },
	{ "--domain", NULL, "NAME", { "From/To domain (default: the server's address)" },
	    O_DOMAIN, 0 },
	{ "--expires", NULL, "S", { "REGISTER expiry (default 3600)" }, O_EXPIRES, 0 },
	{ "--register", NULL, NULL, { "call/answer: register first, unregister at the end" },
	    O_REGISTER, 0 },
	{ "--duration", NULL, "S", { "hang up S seconds after the call is answered" },
	    O_DURATION, 0 },
	{ "--ring-delay", NULL, "S",
	    { "answer: 180 Ringing, 200 OK S seconds later (default 1)" }, O_RING_DELAY, 0 },
	{ "--calls", NULL, "N",
	    { "answer: exit after N calls attempted, failed ones",
	      "included (default 1)" }, O_CALLS, 0 },
	{ "--reject", NULL, "CODE",
	    { "answer: refuse calls with this final status (4xx-6xx)" }, O_REJECT, 0 },
	{ "--lazy-100", NULL, NULL, { "no 100 Trying to BYE/OPTIONS (Yate's lazy100)" },
	    O_LAZY_100, 0 },
	{ "--t1", NULL, "MS",
	    { "SIP timer T1 (default 500): retransmissions and the",
	      "64*T1 timeouts (no ACK, no answer) scale with it" }, O_T1, 0 },
	{ "--timeout", NULL, "S", { "overall bound, 0 = none (default 60)" }, O_TIMEOUT, 0 },
	{ "--rtp-port", NULL, "N", { "local RTP port, even (default 40000)" }, O_RTP_PORT, 0 },
	{ "--codec", NULL, "C", { "preferred codec: pcmu (default) or pcma" }, O_CODEC, 0 },
	{ "--tone", NULL, "HZ", { "send a tone (default 440 Hz)" }, O_TONE, 0 },
	{ "--wav", NULL, "FILE", { "send this WAV file instead of the tone" }, O_WAV, 0 },
	{ "--record", NULL, "FILE", { "received audio to WAV" }, O_RECORD, 0 },
	{ "--rtp-linger", NULL, "MS", { "keep sending RTP this long after hangup (default 0)" },
	    O_RTP_LINGER, 0 },
	{ "--trace-pcap", NULL, "FILE", { "every datagram sent/received, as pcap" },
	    O_TRACE_PCAP, 0 },
	{ "--log-level", NULL, "L", { "error|warn|info|debug (default info)" }, O_LOG_LEVEL, 0 },
	{ "--seed", NULL, "N", { "deterministic Call-IDs, tags, branches, RTP" }, O_SEED, 0 },
	{ "--version", NULL, NULL, { "the version" }, O_VERSION, 0 },
	{ "--help", "-h", NULL, { "this text" }, O_HELP, 0 },
};

#define N_OPTS (sizeof(opts) / sizeof(opts[0]))

void
sl_phone_usage(FILE *f)
{
	fputs("usage: sipladder-phone COMMAND [options]\n"
	    "commands:\n"
	    "  register           register --user at --server\n"
	    "  unregister         remove the registration\n"
	    "  call TARGET        call TARGET (a number or user with --server,\n"
	    "                     else sip:user@ip[:port] or ip[:port])\n"
	    "  answer             take calls\n"
	    "options:\n", f);
	sl_opt_help(f, opts, N_OPTS, 0);
	fputs("exit codes: 0 every step succeeded, 1 failure (reason on stderr; answer:\n"
	    "  any of the --calls failed, the others are still taken), 2 usage,\n"
	    "  3 socket/bind error\n", f);
}

bool
sl_phone_parse_seconds(const char *s, uint32_t max_s, uint32_t *ms)
{
	struct sl_str all = sl_str_c(s), whole, frac;
	uint32_t w, f = 0;

	*ms = 0;
	frac = sl_str_split(all, '.', &whole);
	if (!sl_str_u32(whole, max_s, &w))
		return false;
	if (frac.p != NULL) {
		uint32_t scale[] = { 100, 10, 1 };
		if (frac.n == 0 || frac.n > 3)
			return false;
		for (size_t i = 0; i < frac.n; i++) {
			if (frac.p[i] < '0' || frac.p[i] > '9')
				return false;
			f += (uint32_t)(frac.p[i] - '0') * scale[i];
		}
	}
	if (w == max_s && f > 0)
		return false;
	*ms = w * 1000u + f;
	return true;
}

/* RFC 3261 25.1 user / domain characters we accept from the command line:
 * anything printable except what would break a header or a URI */
static bool
uri_part_ok(const char *s, bool allow_at_colon)
{
	if (s == NULL || s[0] == '\0' || strlen(s) > 255)
		return false;
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c <= ' ' || c >= 0x7f || strchr("<>\"\\", c))
			return false;
		if (!allow_at_colon && (c == '@' || c == ':' || c == ';' || c == ','))
			return false;
	}
	return true;
}

static bool
parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out)
{
	return sl_str_u32(sl_str_c(s), max, out) && *out >= min;
}

/* the Request-URI of a direct call and where it goes */
static bool
direct_target(const char *t, struct sl_endpoint *ep, char *ruri, size_t n)
{
	char h[SL_URI_HOSTPORT_LEN];

	if (!sl_uri_endpoint(t, ep))
		return false;
	if (sl_str_istarts(sl_str_c(t), SL_STR("sip:")))
		return (size_t)snprintf(ruri, n, "%s", t) < n;
	return (size_t)snprintf(ruri, n, "sip:%s", sl_uri_hostport(&ep->ip, ep->port, h)) < n;
}

/* the domain, Request-URI and first hop of the job */
static enum sl_err
derive(struct sl_phone_opts *o, char errbuf[SL_ERRBUF_SIZE])
{
	if (o->cmd == SL_PHONE_CALL && !o->has_server) {
		if (!uri_part_ok(o->target, true) ||
		    !direct_target(o->target, &o->first_hop, o->ruri, sizeof(o->ruri)))
			return usage_err(errbuf, "call: without --server, TARGET must be "
			    "sip:user@IP[:port] or IP[:port], not '%s'", o->target);
		if (o->domain_opt)
			snprintf(o->domain, sizeof(o->domain), "%s", o->domain_opt);
		else
			sl_uri_hostport(&o->first_hop.ip, o->first_hop.port, o->domain);
		return SL_OK;
	}
	if (o->domain_opt)
		snprintf(o->domain, sizeof(o->domain), "%s", o->domain_opt);
	else if (o->has_server)
		sl_uri_hostport(&o->server.ip, o->server.port, o->domain);
	if (o->cmd != SL_PHONE_CALL)
		return SL_OK;
	o->first_hop = o->server;
	if (sl_str_istarts(sl_str_c(o->target), SL_STR("sip:"))) {
		if (!uri_part_ok(o->target, true) || strlen(o->target) >= sizeof(o->ruri))
			return usage_err(errbuf, "call: bad TARGET URI '%s'", o->target);
		snprintf(o->ruri, sizeof(o->ruri), "%s", o->target);
	} else if (strchr(o->target, '@')) {
		if (!uri_part_ok(o->target, true) || strlen(o->target) + 4 >= sizeof(o->ruri))
			return usage_err(errbuf, "call: bad TARGET '%s'", o->target);
		snprintf(o->ruri, sizeof(o->ruri), "sip:%s", o->target);
	} else {
		if (!uri_part_ok(o->target, false))
			return usage_err(errbuf, "call: bad TARGET '%s' (a number or user)",
			    o->target);
		snprintf(o->ruri, sizeof(o->ruri), "sip:%s@%s", o->target, o->domain);
	}
	return SL_OK;
}

static enum sl_err
check(struct sl_phone_opts *o, bool have_cmd, char errbuf[SL_ERRBUF_SIZE])
{
	if (!have_cmd)
		return usage_err(errbuf, "missing COMMAND (register, unregister, call TARGET, answer)");
	if (o->cmd == SL_PHONE_CALL && o->target == NULL)
		return usage_err(errbuf, "call: missing TARGET");
	if (o->cmd != SL_PHONE_CALL && o->target != NULL)
		return usage_err(errbuf, "unexpected argument '%s'", o->target);
	bool regs = o->cmd == SL_PHONE_REGISTER || o->cmd == SL_PHONE_UNREGISTER ||
	    o->do_register;
	if (regs && !o->has_server)
		return usage_err(errbuf, "registering needs --server");
	if (regs && o->user == NULL)
		return usage_err(errbuf, "registering needs --user");
	if (o->password && o->user == NULL)
		return usage_err(errbuf, "--password needs --user");
	if (o->user && !uri_part_ok(o->user, false))
		return usage_err(errbuf, "--user: bad user name '%s'", o->user);
	if (o->password && (strlen(o->password) > 255 || strpbrk(o->password, "\r\n")))
		return usage_err(errbuf, "--password: too long or has a line break");
	if (o->domain_opt && !uri_part_ok(o->domain_opt, true))
		return usage_err(errbuf, "--domain: bad domain '%s'", o->domain_opt);
	if (o->has_server && (sl_ip_is_any(&o->server.ip) || o->server.port == 0))
		return usage_err(errbuf, "--server: needs a unicast address and a port");
	if (o->has_server && o->server.ip.family != o->bind.ip.family)
		return usage_err(errbuf, "--server and --bind: different address families");
	if (o->allow_direct && !o->has_server)
		return usage_err(errbuf, "--allow-direct needs --server (without it every "
		    "call is direct)");
	return derive(o, errbuf);
}

static enum sl_err
set_opt(struct sl_phone_opts *o, const struct sl_opt *t, const char *v, bool *tone_set,
    char errbuf[SL_ERRBUF_SIZE])
{
	uint32_t u;

	if (v == NULL) {	/* a flag */
		switch ((enum opt_id)t->id) {
		case O_ALLOW_DIRECT:
			o->allow_direct = true;
			break;
		case O_REGISTER:
			o->do_register = true;
			break;
		case O_LAZY_100:
			o->lazy100 = true;
			break;
		case O_HELP:
			o->help = true;
			break;
		case O_VERSION:
			o->version = true;
			break;
		default:
			break;
		}
		return SL_OK;
	}
	if (v[0] == '\0')
		return usage_err(errbuf, "%s: empty value", t->name);
	switch ((enum opt_id)t->id) {
	case O_BIND:
		if (!sl_udp_parse_endpoint(v, 5060, &o->bind))
			return usage_err(errbuf, "--bind: bad address '%s'", v);
		break;
	case O_SERVER:
		if (!sl_udp_parse_endpoint(v, 5060, &o->server))
			return usage_err(errbuf, "--server: bad address '%s' (IP[:port])", v);
		o->has_server = true;
		break;
	case O_USER:
		o->user = v;
		break;
	case O_PASSWORD:
		o->password = v;
		break;
	case O_DOMAIN:
		o->domain_opt = v;
		break;
	case O_EXPIRES:
		if (!parse_u32(v, 0, INT32_MAX, &o->expires))
			return usage_err(errbuf, "--expires: bad value '%s'", v);
		break;
	case O_DURATION:
		if (!sl_phone_parse_seconds(v, SL_PHONE_MAX_SECONDS, &o->duration_ms))
			return usage_err(errbuf, "--duration: bad seconds '%s'", v);
		o->has_duration = true;
		break;
	case O_RING_DELAY:
		if (!sl_phone_parse_seconds(v, SL_PHONE_MAX_SECONDS, &o->ring_delay_ms))
			return usage_err(errbuf, "--ring-delay: bad seconds '%s'", v);
		break;
	case O_CALLS:
		if (!parse_u32(v, 1, 1000000, &o->calls))
			return usage_err(errbuf, "--calls: bad count '%s' (1..1000000)", v);
		break;
	case O_TIMEOUT:
		if (!sl_phone_parse_seconds(v, SL_PHONE_MAX_SECONDS, &o->timeout_ms))
			return usage_err(errbuf, "--timeout: bad seconds '%s'", v);
		break;
	case O_RTP_PORT:
		if (!parse_u32(v, 2, 65534, &u) || (u & 1))
			return usage_err(errbuf, "--rtp-port: '%s' is not an even port 2..65534", v);
		o->rtp_port = (uint16_t)u;
		break;
	case O_CODEC:
		if (strcmp(v, "pcmu") == 0)
			o->law = SL_G711_PCMU;
		else if (strcmp(v, "pcma") == 0)
			o->law = SL_G711_PCMA;
		else
			return usage_err(errbuf, "--codec: '%s' is not pcmu or pcma", v);
		break;
	case O_TONE:
		if (!parse_u32(v, 0, 3999, &u))
			return usage_err(errbuf, "--tone: '%s' is not 0..3999 Hz", v);
		o->tone_hz = u;
		*tone_set = true;
		break;
	case O_WAV:
		o->wav = v;
		break;
	case O_RECORD:
		o->record = v;
		break;
	case O_RTP_LINGER:
		if (!parse_u32(v, 0, 600000, &o->linger_ms))
			return usage_err(errbuf, "--rtp-linger: bad milliseconds '%s'", v);
		break;
	case O_TRACE_PCAP:
		o->trace = v;
		break;
	case O_LOG_LEVEL:
		if (!sl_log_level_parse(v, &o->log_level))
			return usage_err(errbuf, "--log-level: '%s' is not error|warn|info|debug", v);
		break;
	case O_SEED:
		if (!sl_str_u64(sl_str_c(v), UINT64_MAX, &o->seed))
			return usage_err(errbuf, "--seed: bad number '%s'", v);
		o->has_seed = true;
		break;
	case O_REJECT:
		if (!parse_u32(v, 400, 699, &u))
			return usage_err(errbuf, "--reject: '%s' is not a status 400..699", v);
		o->reject = (int)u;
		break;
	case O_T1:
		/* T2 (4 s) caps the retransmission interval: T1 stays below */
		if (!parse_u32(v, 10, 4000, &o->t1_ms))
			return usage_err(errbuf, "--t1: '%s' is not 10..4000 ms", v);
		break;
	default:
		break;
	}
	return SL_OK;
}

static void
defaults(struct sl_phone_opts *o)
{
	memset(o, 0, sizeof(*o));
	sl_udp_parse_endpoint("0.0.0.0", 5060, &o->bind);
	o->expires = 3600;
	o->ring_delay_ms = 1000;
	o->calls = 1;
	o->timeout_ms = 60000;
	o->rtp_port = 40000;
	o->law = SL_G711_PCMU;
	o->tone_hz = 440;
	o->log_level = SL_LOG_INFO;
	o->t1_ms = 500;
}

static bool
parse_cmd(const char *s, enum sl_phone_cmd *out)
{
	static const struct {
		const char *name;
		enum sl_phone_cmd cmd;
	} t[] = {
		{ "register", SL_PHONE_REGISTER }, { "unregister", SL_PHONE_UNREGISTER },
		{ "call", SL_PHONE_CALL }, { "answer", SL_PHONE_ANSWER },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		if (strcmp(s, t[i].name) == 0) {
			*out = t[i].cmd;
			return true;
		}
	}
	return false;
}

enum sl_err
sl_phone_opts_parse(struct sl_phone_opts *o, int argc, char **argv,
    char errbuf[SL_ERRBUF_SIZE])
{
	bool have_cmd = false, tone_set = false;
	enum sl_err e;

	defaults(o);
	errbuf[0] = '\0';
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-h") != 0 && (strncmp(a, "--", 2) != 0 || a[2] == '\0')) {
			if (!have_cmd) {
				if (!parse_cmd(a, &o->cmd))
					return usage_err(errbuf, "unknown command '%s'", a);
				have_cmd = true;
			} else if (o->target == NULL) {
				o->target = a;
			} else {
				return usage_err(errbuf, "unexpected argument '%s'", a);
			}
			continue;
		}
		const struct sl_opt *t;
		const char *v;
		switch (sl_opt_match(opts, N_OPTS, argc, argv, &i, &t, &v, errbuf)) {
		case SL_OPT_OK:
			break;
		case SL_OPT_TAKES_NO_VALUE:
			/* wording kept from before the shared table */
			return usage_err(errbuf, "unknown option '%.80s' (%s takes no value)", a,
			    t->name);
		default:
			return SL_EUSAGE;
		}
		if ((e = set_opt(o, t, v, &tone_set, errbuf)) != SL_OK)
			return e;
		if (o->help || o->version)
			return SL_OK;
	}
	if (tone_set && o->wav)
		return usage_err(errbuf, "--tone and --wav exclude each other");
	return check(o, have_cmd, errbuf);
}
