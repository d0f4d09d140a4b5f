/* main.c: sipladder-server: options, configuration, the SIP socket, the
 * trace file, signals and the event loop around the server core
 * (server.h). Exit codes: 0 clean stop, 1 configuration or runtime error,
 * 2 usage error. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/opttab.h"
#include "server/opts.h"
#include "server/server.h"
#include "sip/udp.h"

#ifndef SL_VERSION
#define SL_VERSION "0"
#endif

#define PROG "sipladder-server"
#define RX_BURST 64

struct app {
	struct sl_srv_opts o;
	struct sl_log log;
	struct sl_regfile rf;
	struct sl_route rr;
	struct sl_loop *loop;
	struct sl_udp udp;
	struct sl_trace *trace;
	struct sl_srv srv;
	bool srv_up;
	bool wildcard;
	uint8_t buf[SL_UDP_MAX_DATAGRAM + 1];
};

static bool
is_wildcard(const struct sl_ip *ip)
{
	static const uint8_t zero[16];

	return memcmp(ip->a, zero, ip->family == SL_AF_INET6 ? 16 : 4) == 0;
}

/* With a wildcard bind, the address a peer reaches us on is the one the
 * kernel would use towards it: ask with a connected, never-used socket. */
static void
local_ip(void *arg, const struct sl_endpoint *peer, struct sl_ip *out)
{
	struct app *a = arg;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);

	*out = a->udp.local.ip;
	if (!a->wildcard)
		return;
	memset(&ss, 0, sizeof(ss));
	if (peer->ip.family == SL_AF_INET4) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
		s4->sin_family = AF_INET;
		s4->sin_port = htons(peer->port ? peer->port : 5060);
		memcpy(&s4->sin_addr, peer->ip.a, 4);
		sl = sizeof(*s4);
	} else if (peer->ip.family == SL_AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(peer->port ? peer->port : 5060);
		memcpy(&s6->sin6_addr, peer->ip.a, 16);
		sl = sizeof(*s6);
	} else {
		return;
	}
	int fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	if (connect(fd, (struct sockaddr *)&ss, sl) == 0) {
		sl = sizeof(ss);
		if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0) {
			if (ss.ss_family == AF_INET) {
				out->family = SL_AF_INET4;
				memset(out->a, 0, sizeof(out->a));
				memcpy(out->a, &((struct sockaddr_in *)&ss)->sin_addr, 4);
			} else if (ss.ss_family == AF_INET6) {
				out->family = SL_AF_INET6;
				memcpy(out->a, &((struct sockaddr_in6 *)&ss)->sin6_addr, 16);
			}
		}
	}
	close(fd);
}

static struct sl_endpoint
local_ep(struct app *a, const struct sl_endpoint *peer)
{
	struct sl_endpoint e = a->udp.local;

	local_ip(a, peer, &e.ip);
	return e;
}

static void
drain_icmp(struct app *a)
{
	for (int i = 0; i < RX_BURST; i++) {
		size_t n;
		struct sl_endpoint dst;
		struct sl_ip off;
		uint8_t type, code;
		if (sl_udp_recv_icmp(&a->udp, a->buf, sizeof(a->buf), &n, &dst, &off, &type,
		    &code) != SL_UDP_RX_DATA)
			return;
		struct sl_endpoint src = local_ep(a, &dst);
		sl_trace_icmp(a->trace, &off, &src, &dst, type, code, a->buf, n);
		sl_log(&a->log, SL_LOG_DEBUG, &dst, "ICMP type %u code %u for our SIP datagram",
		    type, code);
	}
}

static enum sl_err
send_dgram(void *arg, const struct sl_endpoint *to, const void *p, size_t n)
{
	struct app *a = arg;
	char errbuf[SL_ERRBUF_SIZE];

	/* an ICMP error of an earlier peer does not fail this send
	 * (udp.h); it waits on the error queue for on_sip's drain */
	enum sl_err e = sl_udp_send(&a->udp, to, p, n, errbuf);
	if (e) {
		sl_log(&a->log, SL_LOG_WARN, to, "%s", errbuf);
		return e;
	}
	if (a->trace) {
		struct sl_endpoint src = local_ep(a, to);
		sl_trace_udp(a->trace, &src, to, p, n);
	}
	return SL_OK;
}

static void
on_sip(struct sl_loop *loop, int fd, unsigned events, void *arg)
{
	struct app *a = arg;
	char errbuf[SL_ERRBUF_SIZE];

	(void)loop;
	(void)fd;
	if (events & SL_LOOP_ERROR)
		drain_icmp(a);
	if (!(events & SL_LOOP_READ))
		return;
	for (int i = 0; i < RX_BURST; i++) {
		size_t n;
		struct sl_endpoint from;
		enum sl_udp_rx rx = sl_udp_recv(&a->udp, a->buf, sizeof(a->buf), &n, &from,
		    errbuf);
		if (rx == SL_UDP_RX_NONE)
			break;
		if (rx == SL_UDP_RX_ERROR) {
			sl_log(&a->log, SL_LOG_WARN, NULL, "%s", errbuf);
			break;
		}
		if (rx == SL_UDP_RX_REFUSED) {
			sl_log(&a->log, SL_LOG_WARN, &from,
			    "datagram of %zu bytes refused (over %zu)", n, a->udp.max);
			continue;
		}
		if (a->trace) {
			struct sl_endpoint dst = local_ep(a, &from);
			sl_trace_udp(a->trace, &from, &dst, a->buf, n);
		}
		sl_srv_input(&a->srv, a->buf, n, &from);
	}
}

static int
load_config(struct app *a)
{
	char path[4096], errbuf[SL_ERRBUF_SIZE];

	snprintf(path, sizeof(path), "%s/regfile.conf", a->o.conf_dir);
	if (sl_regfile_load(&a->rf, path, errbuf) != SL_OK) {
		fprintf(stderr, "%s\n", errbuf);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/regexroute.conf", a->o.conf_dir);
	if (sl_route_load(&a->rr, path, errbuf) != SL_OK) {
		fprintf(stderr, "%s\n", errbuf);
		sl_regfile_free(&a->rf);
		return 1;
	}
	size_t empty = sl_regfile_empty_passwords(&a->rf);
	if (empty)
		fprintf(stderr, PROG ": WARNING: %zu user%s of %s/regfile.conf accept%s an empty "
		    "password (allow_empty_password=yes): anyone who knows the name can use it\n",
		    empty, empty == 1 ? "" : "s", a->o.conf_dir, empty == 1 ? "s" : "");
	return 0;
}

static int
daemonize(struct app *a)
{
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, PROG ": fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid > 0) {
		/* the parent reports the child's pid, so a script that waits
		 * for us finds the file complete */
		if (a->o.pidfile) {
			FILE *f = fopen(a->o.pidfile, "w");
			if (f == NULL || fprintf(f, "%ld\n", (long)pid) < 0 || fclose(f) != 0) {
				fprintf(stderr, PROG ": pidfile %s: %s\n", a->o.pidfile,
				    strerror(errno));
				_exit(1);
			}
		}
		_exit(0);
	}
	setsid();
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		close(null);
	}
	return 0;
}

static int
write_pidfile(const char *path)
{
	FILE *f = fopen(path, "w");

	if (f == NULL || fprintf(f, "%ld\n", (long)getpid()) < 0 || fclose(f) != 0) {
		fprintf(stderr, PROG ": pidfile %s: %s\n", path, strerror(errno));
		return 1;
	}
	return 0;
}

static int
setup(struct app *a)
{
	char errbuf[SL_ERRBUF_SIZE], ep[SL_EP_STRLEN];
	struct sl_ids ids;

	if (load_config(a))
		return 1;
	if (a->o.has_seed) {
		sl_ids_seed(&ids, a->o.seed);
		fprintf(stderr, PROG ": WARNING: --seed makes Call-IDs, tags, branches, the "
		    "nonce secret and relay ports predictable: anyone can take over calls. "
		    "For tests only.\n");
	} else if (sl_ids_seed_random(&ids, errbuf) != SL_OK) {
		fprintf(stderr, PROG ": %s\n", errbuf);
		return 1;
	}
	/* two relay sockets per call: --max-calls 1000 needs more than the
	 * usual soft limit of 1024 descriptors */
	struct rlimit rl;
	rlim_t want = 2u * (rlim_t)a->o.max_calls + 64u;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < want) {
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want : rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	a->loop = sl_loop_new(2u * a->o.max_calls + 64u, 0);
	if (a->loop == NULL || sl_loop_catch_signals(a->loop, errbuf) != SL_OK) {
		fprintf(stderr, PROG ": %s\n", a->loop ? errbuf : "out of memory");
		return 1;
	}
	if (sl_udp_open(&a->udp, &a->o.listen, errbuf) != SL_OK) {
		fprintf(stderr, PROG ": %s\n", errbuf);
		return 1;
	}
	a->wildcard = is_wildcard(&a->udp.local.ip);
	/* bursts of a load test arrive faster than one loop iteration
	 * drains them; the default buffer (~200 KiB) drops them instead */
	int rcvbuf = 4 << 20;
	setsockopt(a->udp.fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (a->o.trace_path && sl_trace_open(&a->trace, a->o.trace_path, SL_TRACE_RAW,
	    errbuf) != SL_OK) {
		fprintf(stderr, PROG ": %s\n", errbuf);
		return 1;
	}
	struct sl_srv_cfg cfg = {
		.opts = &a->o, .rf = &a->rf, .rr = &a->rr, .loop = a->loop,
		.log = &a->log, .trace = a->trace, .bind_ip = a->udp.local.ip,
		.port = a->udp.local.port, .send = send_dgram, .local_ip = local_ip,
		.io_arg = a, .max_txns = a->o.max_txns,
		/* --seed: nonces count seconds from the start, so a rerun
		 * with the same timing produces the same bytes */
		.nonce_base_s = a->o.has_seed ? 1 : (uint64_t)time(NULL),
	};
	if (sl_srv_init(&a->srv, &cfg, &ids, errbuf) != SL_OK) {
		fprintf(stderr, PROG ": %s\n", errbuf);
		return 1;
	}
	a->srv_up = true;
	if (sl_loop_add_fd(a->loop, a->udp.fd, SL_LOOP_READ, on_sip, a) != SL_OK) {
		fprintf(stderr, PROG ": cannot watch the SIP socket\n");
		return 1;
	}
	fprintf(stderr, PROG ": ready on %s\n", sl_ep_str(&a->udp.local, ep, sizeof(ep)));
	fflush(stderr);
	if (a->o.daemon && daemonize(a))
		return 1;
	if (!a->o.daemon && a->o.pidfile && write_pidfile(a->o.pidfile))
		return 1;
	return 0;
}

static void
teardown(struct app *a)
{
	if (a->srv_up)
		sl_srv_cleanup(&a->srv);
	sl_trace_close(a->trace);
	if (a->udp.fd >= 0)
		sl_udp_close(&a->udp);
	sl_loop_free(a->loop);
	sl_route_free(&a->rr);
	sl_regfile_free(&a->rf);
}

int
main(int argc, char **argv)
{
	char errbuf[SL_ERRBUF_SIZE];
	struct app *a = calloc(1, sizeof(*a));

	if (a == NULL)
		return 1;
	a->udp.fd = -1;
	if (sl_srv_opts_parse(argc, argv, &a->o, errbuf) != SL_OK) {
		sl_opt_try(stderr, PROG, errbuf);
		free(a);
		return 2;
	}
	if (a->o.help || a->o.version) {
		if (a->o.help)
			sl_srv_opts_usage(stdout);
		else
			printf(PROG " %s\n", SL_VERSION);
		free(a);
		return 0;
	}
	a->log.f = stderr;
	a->log.level = a->o.log_level;
	a->log.prog = PROG;
	sl_osip_init();

	int rc = setup(a);
	if (rc == 0) {
		enum sl_err e = sl_loop_run(a->loop, errbuf);
		/* a second SIGTERM (timeout(1) and systemd signal the whole
		 * group) must not kill the shutdown once the loop restores the
		 * signal mask: the first one already asked for it */
		struct sigaction ign = { .sa_handler = SIG_IGN };
		sigaction(SIGINT, &ign, NULL);
		sigaction(SIGTERM, &ign, NULL);
		if (e != SL_OK) {
			fprintf(stderr, PROG ": %s\n", errbuf);
			rc = 1;
		} else {
			const struct sl_srv_stats *st = &a->srv.st;
			sl_log(&a->log, SL_LOG_INFO, NULL,
			    "bye (signal %d): %llu datagrams, %llu malformed, %llu registrations, "
			    "%llu calls, %llu answered", sl_loop_stop_signal(a->loop),
			    (unsigned long long)st->rx, (unsigned long long)st->bad,
			    (unsigned long long)st->registered, (unsigned long long)st->calls,
			    (unsigned long long)st->answered);
		}
		if (a->o.pidfile)
			unlink(a->o.pidfile);
	}
	teardown(a);
	free(a);
	return rc;
}
