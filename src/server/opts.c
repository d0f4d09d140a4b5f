/* opts.c: hand-rolled option parsing ("--opt VALUE" and "--opt=VALUE")
 * instead of getopt_long, whose optind/optarg are process globals. */
#include "opts.h"

#include <stdio.h>
#include <string.h>

#include "core/str.h"
#include "sip/udp.h"

void
sl_srv_opts_usage(FILE *f)
{
	fputs("usage: sipladder-server -c DIR [options]\n"
	    "  -c DIR                 directory with regfile.conf and regexroute.conf\n"
	    "  --listen ADDR:PORT     SIP UDP socket (default 0.0.0.0:5060)\n"
	    "  --rtp-ports LO-HI      RTP relay ports (default 20000-29999, even ports)\n"
	    "  --realm NAME           digest realm (default Yate)\n"
	    "  --nonce-ttl S          nonce lifetime (default 300)\n"
	    "  --min-expires S        shortest registration (default 60; below: 423)\n"
	    "  --max-expires S        longest registration (default 3600)\n"
	    "  --default-expires S    registration without Expires (default 600)\n"
	    "  --no-answer S          ringing timeout (default 60)\n"
	    "  --max-calls N          concurrent calls (default 1000)\n"
	    "  --max-regs N           registrations (default 1024)\n"
	    "  --max-txns N           live SIP transactions (default 131072; beyond: 503)\n"
	    "  --nonce-slots N        digest nonces tracked for replay (default 65536)\n"
	    "  --rate-limit R/S       block an IP after R unverified requests in S s\n"
	    "                         (default 30/2, as Kamailio's pike; 0 disables)\n"
	    "  --rate-block S         how long a blocked IP stays blocked (default 60)\n"
	    "  --rtp-timeout S        hang up an answered call without RTP for S s\n"
	    "                         (default 60; 0 disables)\n"
	    "  --session-timeout S    hang up any answered call after S s\n"
	    "                         (default 43200; 0 disables)\n"
	    "  --rtp-latch            accept RTP from the signalling IP on another port\n"
	    "                         until the first packet (NAT); default: SDP only\n"
	    "  --trace-pcap FILE      pcap of every datagram sent and received\n"
	    "  --log-level L          error|warn|info|debug (default info)\n"
	    "  --seed N               INSECURE, tests only: predictable Call-IDs, tags,\n"
	    "                         branches, nonce secret and relay ports\n"
	    "  --daemon               run in the background\n"
	    "  --pidfile FILE         write the process id there\n"
	    "  --version, -h/--help\n", f);
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
	static const char *const with_value[] = { "-c", "--listen", "--rtp-ports",
		"--realm", "--nonce-ttl", "--min-expires", "--max-expires",
		"--default-expires", "--no-answer", "--max-calls", "--max-regs", "--max-txns",
		"--trace-pcap", "--log-level", "--seed", "--pidfile", "--nonce-slots",
		"--rate-limit", "--rate-block", "--rtp-timeout", "--session-timeout" };
	char name[32];

	defaults(o);
	errbuf[0] = '\0';
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = NULL;
		const char *eq = strncmp(a, "--", 2) == 0 ? strchr(a, '=') : NULL;
		size_t nl = eq ? (size_t)(eq - a) : strlen(a);

		if (nl >= sizeof(name)) {
			snprintf(errbuf, SL_ERRBUF_SIZE, "unknown option '%.40s'", a);
			return SL_EUSAGE;
		}
		memcpy(name, a, nl);
		name[nl] = '\0';
		bool takes = false;
		for (size_t k = 0; k < sizeof(with_value) / sizeof(with_value[0]); k++)
			takes |= strcmp(name, with_value[k]) == 0;
		if (takes) {
			if (eq)
				v = eq + 1;
			else if (i + 1 < argc)
				v = argv[++i];
			else {
				snprintf(errbuf, SL_ERRBUF_SIZE, "%s needs a value", name);
				return SL_EUSAGE;
			}
		} else if (eq) {
			snprintf(errbuf, SL_ERRBUF_SIZE, "%s takes no value", name);
			return SL_EUSAGE;
		}
		bool ok = true;
		if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0)
			o->help = true;
		else if (strcmp(name, "--version") == 0)
			o->version = true;
		else if (strcmp(name, "--daemon") == 0)
			o->daemon = true;
		else if (strcmp(name, "--rtp-latch") == 0)
			o->rtp_latch = true;
		else if (strcmp(name, "--nonce-slots") == 0)
			ok = u32(v, 16, 16777216, &o->nonce_slots);
		else if (strcmp(name, "--rate-limit") == 0)
			ok = rate(v, &o->rate_reqs, &o->rate_secs);
		else if (strcmp(name, "--rate-block") == 0)
			ok = u32(v, 1, 86400, &o->rate_block_s);
		else if (strcmp(name, "--rtp-timeout") == 0)
			ok = u32(v, 0, 86400, &o->rtp_timeout_s);
		else if (strcmp(name, "--session-timeout") == 0)
			ok = u32(v, 0, 86400 * 7, &o->session_timeout_s);
		else if (strcmp(name, "-c") == 0)
			ok = (o->conf_dir = v)[0] != '\0';
		else if (strcmp(name, "--listen") == 0)
			ok = sl_udp_parse_endpoint(v, 5060, &o->listen) && o->listen.port != 0;
		else if (strcmp(name, "--rtp-ports") == 0)
			ok = port_range(v, &o->rtp_lo, &o->rtp_hi);
		else if (strcmp(name, "--realm") == 0)
			ok = realm_ok(v) && snprintf(o->realm, sizeof(o->realm), "%s", v) > 0;
		else if (strcmp(name, "--nonce-ttl") == 0)
			ok = u32(v, 1, 86400, &o->nonce_ttl_s);
		else if (strcmp(name, "--min-expires") == 0)
			ok = u32(v, 1, 86400 * 7, &o->min_expires_s);
		else if (strcmp(name, "--max-expires") == 0)
			ok = u32(v, 1, 86400 * 7, &o->max_expires_s);
		else if (strcmp(name, "--default-expires") == 0)
			ok = u32(v, 1, 86400 * 7, &o->def_expires_s);
		else if (strcmp(name, "--no-answer") == 0)
			ok = u32(v, 1, 86400, &o->no_answer_s);
		else if (strcmp(name, "--max-calls") == 0)
			ok = u32(v, 1, 100000, &o->max_calls);
		else if (strcmp(name, "--max-regs") == 0)
			ok = u32(v, 1, 1000000, &o->max_regs);
		else if (strcmp(name, "--max-txns") == 0)
			ok = u32(v, 16, 10000000, &o->max_txns);
		else if (strcmp(name, "--trace-pcap") == 0)
			ok = (o->trace_path = v)[0] != '\0';
		else if (strcmp(name, "--log-level") == 0)
			ok = sl_log_level_parse(v, &o->log_level);
		else if (strcmp(name, "--seed") == 0)
			ok = o->has_seed = num(v, 0, UINT64_MAX, &o->seed);
		else if (strcmp(name, "--pidfile") == 0)
			ok = (o->pidfile = v)[0] != '\0';
		else {
			snprintf(errbuf, SL_ERRBUF_SIZE, "unknown option '%.40s'", a);
			return SL_EUSAGE;
		}
		if (!ok) {
			snprintf(errbuf, SL_ERRBUF_SIZE, "bad value for %s: '%.60s'", name, v);
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
