/* opts.c: command-line parsing and the derived call addressing (opts.h).
 * Every value is checked here, so the phone never starts with an option
 * it would only trip over later. */
#include "opts.h"

#include <stdarg.h>
#include <string.h>

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

void
sl_phone_usage(FILE *f)
{
	fputs("usage: sipladder-phone COMMAND [options]\n"
	    "  COMMAND: register | unregister | call TARGET | answer\n"
	    "  --bind ADDR[:PORT]      SIP socket (default 0.0.0.0:5060); RTP binds ADDR too\n"
	    "  --server ADDR[:PORT]    registrar/proxy; requests are taken from this address\n"
	    "                          only; without it anyone may call, and `call` TARGET is\n"
	    "                          sip:user@ip[:port] or ip[:port] (direct mode)\n"
	    "  --allow-direct          with --server: take calls sent directly by anyone too\n"
	    "  --user NAME --password PW   digest credentials (401/407)\n"
	    "  --domain NAME           From/To domain (default: the server's address)\n"
	    "  --expires S             REGISTER expiry (default 3600)\n"
	    "  --register              call/answer: register first, unregister at the end\n"
	    "  --duration S            hang up S seconds after the call is answered\n"
	    "  --ring-delay S          answer: 180 Ringing, 200 OK S seconds later (default 1)\n"
	    "  --calls N               answer: exit after N calls attempted, failed ones\n"
	    "                          included (default 1)\n"
	    "  --reject CODE           answer: refuse calls with this final status (4xx-6xx)\n"
	    "  --lazy-100              no 100 Trying to BYE/OPTIONS (Yate's lazy100)\n"
	    "  --t1 MS                 SIP timer T1 (default 500): retransmissions and the\n"
	    "                          64*T1 timeouts (no ACK, no answer) scale with it\n"
	    "  --timeout S             overall bound, 0 = none (default 60)\n"
	    "  --rtp-port N            local RTP port, even (default 40000)\n"
	    "  --codec pcmu|pcma       preferred codec (default pcmu)\n"
	    "  --tone HZ | --wav FILE  what to send (default a 440 Hz tone)\n"
	    "  --record FILE           received audio to WAV\n"
	    "  --rtp-linger MS         keep sending RTP this long after hangup (default 0)\n"
	    "  --trace-pcap FILE       every datagram sent/received, as pcap\n"
	    "  --log-level error|warn|info|debug   (default info)\n"
	    "  --seed N                deterministic Call-IDs, tags, branches, RTP\n"
	    "  --help, --version\n"
	    "exit: 0 every step succeeded, 1 failure (reason on stderr; answer: any of\n"
	    "      the --calls failed, the others are still taken), 2 usage,\n"
	    "      3 socket/bind error\n", f);
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

/* options taking a value */
static const char *const with_arg[] = { "bind", "server", "user", "password",
	"domain", "expires", "duration", "ring-delay", "calls", "timeout", "rtp-port",
	"codec", "tone", "wav", "record", "rtp-linger", "trace-pcap", "log-level",
	"seed", "reject", "t1" };

static bool
takes_arg(const char *name)
{
	for (size_t i = 0; i < sizeof(with_arg) / sizeof(with_arg[0]); i++)
		if (strcmp(name, with_arg[i]) == 0)
			return true;
	return false;
}

static enum sl_err
set_opt(struct sl_phone_opts *o, const char *name, const char *v, bool *tone_set,
    char errbuf[SL_ERRBUF_SIZE])
{
	uint32_t u;

	if (v[0] == '\0')
		return usage_err(errbuf, "--%s: empty value", name);
	if (strcmp(name, "bind") == 0) {
		if (!sl_udp_parse_endpoint(v, 5060, &o->bind))
			return usage_err(errbuf, "--bind: bad address '%s'", v);
	} else if (strcmp(name, "server") == 0) {
		if (!sl_udp_parse_endpoint(v, 5060, &o->server))
			return usage_err(errbuf, "--server: bad address '%s' (IP[:port])", v);
		o->has_server = true;
	} else if (strcmp(name, "user") == 0) {
		o->user = v;
	} else if (strcmp(name, "password") == 0) {
		o->password = v;
	} else if (strcmp(name, "domain") == 0) {
		o->domain_opt = v;
	} else if (strcmp(name, "expires") == 0) {
		if (!parse_u32(v, 0, INT32_MAX, &o->expires))
			return usage_err(errbuf, "--expires: bad value '%s'", v);
	} else if (strcmp(name, "duration") == 0) {
		if (!sl_phone_parse_seconds(v, SL_PHONE_MAX_SECONDS, &o->duration_ms))
			return usage_err(errbuf, "--duration: bad seconds '%s'", v);
		o->has_duration = true;
	} else if (strcmp(name, "ring-delay") == 0) {
		if (!sl_phone_parse_seconds(v, SL_PHONE_MAX_SECONDS, &o->ring_delay_ms))
			return usage_err(errbuf, "--ring-delay: bad seconds '%s'", v);
	} else if (strcmp(name, "calls") == 0) {
		if (!parse_u32(v, 1, 1000000, &o->calls))
			return usage_err(errbuf, "--calls: bad count '%s' (1..1000000)", v);
	} else if (strcmp(name, "timeout") == 0) {
		if (!sl_phone_parse_seconds(v, SL_PHONE_MAX_SECONDS, &o->timeout_ms))
			return usage_err(errbuf, "--timeout: bad seconds '%s'", v);
	} else if (strcmp(name, "rtp-port") == 0) {
		if (!parse_u32(v, 2, 65534, &u) || (u & 1))
			return usage_err(errbuf, "--rtp-port: '%s' is not an even port 2..65534", v);
		o->rtp_port = (uint16_t)u;
	} else if (strcmp(name, "codec") == 0) {
		if (strcmp(v, "pcmu") == 0)
			o->law = SL_G711_PCMU;
		else if (strcmp(v, "pcma") == 0)
			o->law = SL_G711_PCMA;
		else
			return usage_err(errbuf, "--codec: '%s' is not pcmu or pcma", v);
	} else if (strcmp(name, "tone") == 0) {
		if (!parse_u32(v, 0, 3999, &u))
			return usage_err(errbuf, "--tone: '%s' is not 0..3999 Hz", v);
		o->tone_hz = u;
		*tone_set = true;
	} else if (strcmp(name, "wav") == 0) {
		o->wav = v;
	} else if (strcmp(name, "record") == 0) {
		o->record = v;
	} else if (strcmp(name, "rtp-linger") == 0) {
		if (!parse_u32(v, 0, 600000, &o->linger_ms))
			return usage_err(errbuf, "--rtp-linger: bad milliseconds '%s'", v);
	} else if (strcmp(name, "trace-pcap") == 0) {
		o->trace = v;
	} else if (strcmp(name, "log-level") == 0) {
		if (!sl_log_level_parse(v, &o->log_level))
			return usage_err(errbuf, "--log-level: '%s' is not error|warn|info|debug", v);
	} else if (strcmp(name, "seed") == 0) {
		if (!sl_str_u64(sl_str_c(v), UINT64_MAX, &o->seed))
			return usage_err(errbuf, "--seed: bad number '%s'", v);
		o->has_seed = true;
	} else if (strcmp(name, "reject") == 0) {
		if (!parse_u32(v, 400, 699, &u))
			return usage_err(errbuf, "--reject: '%s' is not a status 400..699", v);
		o->reject = (int)u;
	} else if (strcmp(name, "t1") == 0) {
		/* T2 (4 s) caps the retransmission interval: T1 stays below */
		if (!parse_u32(v, 10, 4000, &o->t1_ms))
			return usage_err(errbuf, "--t1: '%s' is not 10..4000 ms", v);
	} else {
		return usage_err(errbuf, "unknown option --%s", name);
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
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			o->help = true;
			return SL_OK;
		}
		if (strcmp(a, "--version") == 0) {
			o->version = true;
			return SL_OK;
		}
		if (strncmp(a, "--", 2) != 0 || a[2] == '\0') {
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
		char name[32];
		const char *eq = strchr(a + 2, '=');
		size_t nlen = eq ? (size_t)(eq - (a + 2)) : strlen(a + 2);
		if (nlen == 0 || nlen >= sizeof(name))
			return usage_err(errbuf, "unknown option %s", a);
		memcpy(name, a + 2, nlen);
		name[nlen] = '\0';
		if (strcmp(name, "register") == 0 && eq == NULL) {
			o->do_register = true;
			continue;
		}
		if (strcmp(name, "lazy-100") == 0 && eq == NULL) {
			o->lazy100 = true;
			continue;
		}
		if (strcmp(name, "allow-direct") == 0 && eq == NULL) {
			o->allow_direct = true;
			continue;
		}
		if (!takes_arg(name))
			return usage_err(errbuf, "unknown option --%s", name);
		const char *v = eq ? eq + 1 : NULL;
		if (v == NULL) {
			if (i + 1 >= argc)
				return usage_err(errbuf, "--%s needs a value", name);
			v = argv[++i];
		}
		if ((e = set_opt(o, name, v, &tone_set, errbuf)) != SL_OK)
			return e;
	}
	if (tone_set && o->wav)
		return usage_err(errbuf, "--tone and --wav exclude each other");
	return check(o, have_cmd, errbuf);
}
