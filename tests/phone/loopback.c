/* loopback.c: end-to-end tests of sipladder-phone on loopback addresses.
 *
 *   phone_loopback PHONE SCENARIO DIR
 *
 * Runs real phones (the caller on 127.0.0.183, the callee on 127.0.0.101)
 * and, for the scenarios through a server, the scripted registrar/UAS of
 * loopback_peer.c on 127.0.0.50; checks exit codes, step lines, the
 * recorded WAV (non-silent, the other side's tone frequency), the traces
 * and the peer's ladder. Every scenario owns its ports (base + index * 10,
 * moved by a stride while any of them is taken) so ctest -j can run them
 * side by side; every wait is bounded and a phone still running at its
 * deadline is killed and the test fails. */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/phone/loopback.h"
#include "phone/wav.h"
#include "sip/msg.h"

/* below the kernel's ephemeral range (32768+), and SIP below the server's
 * default relay range (20000+) */
#define SIP_BASE 17300
#define RTP_BASE 12300
#define RETRY_STRIDE 200
#define RETRIES 12
#define MAX_ARGS 48

struct ctx {
	const char *phone;
	const char *dir;
	uint16_t s1, s2, s3;	/* caller, callee, peer SIP ports */
	uint16_t r1, r2, r3;	/* their RTP ports */
	int failed;
	int checks;
};

#define CHECK(c, cond, ...) check((c), (cond), #cond, __LINE__, __VA_ARGS__)

static void check(struct ctx *c, bool ok, const char *what, int line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void
check(struct ctx *c, bool ok, const char *what, int line, const char *fmt, ...)
{
	va_list ap;

	c->checks++;
	if (ok)
		return;
	c->failed++;
	fprintf(stderr, "loopback.c:%d: check failed: %s: ", line, what);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void
path(const struct ctx *c, const char *name, char *out, size_t n)
{
	snprintf(out, n, "%s/%s", c->dir, name);
}

/* ----- processes ----- */

static pid_t spawn(struct ctx *c, const char *log, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Run the phone with the options of fmt (split at spaces), stdout and
 * stderr into DIR/<log>.log. */
static pid_t
spawn(struct ctx *c, const char *log, const char *fmt, ...)
{
	char line[2048], logpath[1024];
	char *argv[MAX_ARGS];
	int argc = 0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	argv[argc++] = (char *)(uintptr_t)c->phone;
	for (char *p = line; *p && argc < MAX_ARGS - 1; ) {
		while (*p == ' ')
			*p++ = '\0';
		if (*p == '\0')
			break;
		argv[argc++] = p;
		while (*p && *p != ' ')
			p++;
	}
	argv[argc] = NULL;
	snprintf(logpath, sizeof(logpath), "%s/%s.log", c->dir, log);
	/* a previous run's log must not look like this run's progress */
	unlink(logpath);
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open(logpath, O_CREAT | O_TRUNC | O_WRONLY, 0644);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		execv(c->phone, argv);
		_exit(127);
	}
	CHECK(c, pid > 0, "fork: %s", strerror(errno));
	return pid;
}

/* Exit code of pid within ms (the peer, if any, is served meanwhile);
 * -1 after killing it at the deadline. waitpid() takes no deadline, so it
 * is polled every 10 ms. */
static int
wait_for(struct ctx *c, pid_t pid, int ms, struct lb_peer *peer)
{
	uint64_t end = now_ms() + (uint64_t)ms;
	int status;

	if (pid <= 0)
		return -1;
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			break;
		if (now_ms() >= end) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			CHECK(c, false, "pid %d still running after %d ms: killed", (int)pid, ms);
			return -1;
		}
		if (peer)
			lb_peer_poll(peer, 10);
		else
			usleep(10000);
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* ----- files ----- */

static size_t
slurp(const char *p, char *buf, size_t cap)
{
	FILE *f = fopen(p, "rb");
	size_t n = 0;

	if (f) {
		n = fread(buf, 1, cap - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	return n;
}

#define LOG_CAP (1u << 20)

static bool
log_has(const struct ctx *c, const char *log, const char *needle)
{
	char p[1024], *buf = malloc(LOG_CAP);

	if (buf == NULL)
		return false;
	/* a leading newline lets needles anchor at the start of a line */
	snprintf(p, sizeof(p), "%s/%s.log", c->dir, log);
	buf[0] = '\n';
	slurp(p, buf + 1, LOG_CAP - 1);
	bool found = strstr(buf, needle) != NULL;
	free(buf);
	return found;
}

#define LOG_HAS(c, log, needle) CHECK(c, log_has(c, log, needle), "%s.log lacks '%s'", \
    log, needle)

/* Wait until the log shows needle (a phone is ready) or ms passed,
 * reading it every 10 ms. */
static bool
wait_log(const struct ctx *c, const char *log, const char *needle, int ms)
{
	uint64_t end = now_ms() + (uint64_t)ms;

	while (now_ms() < end) {
		if (log_has(c, log, needle))
			return true;
		usleep(10000);
	}
	return false;
}

static void
dump_log(const struct ctx *c, const char *log)
{
	char p[1024], *buf = malloc(LOG_CAP);

	if (buf == NULL)
		return;
	snprintf(p, sizeof(p), "%s/%s.log", c->dir, log);
	slurp(p, buf, LOG_CAP);
	fprintf(stderr, "----- %s -----\n%s", p, buf);
	free(buf);
}

/* The recording holds at least min_s seconds of sound, and its pitch
 * (upward zero crossings over the loud 20 ms frames) is want_hz +- 3%. */
static void
check_wav(struct ctx *c, const char *name, double want_hz, double min_s)
{
	char p[1024], errbuf[SL_ERRBUF_SIZE];
	struct sl_wav w;
	size_t loud = 0, crossings = 0;

	path(c, name, p, sizeof(p));
	if (sl_wav_load(p, 0, &w, errbuf) != SL_OK) {
		CHECK(c, false, "%s", errbuf);
		return;
	}
	for (size_t f = 0; f + 160 <= w.n; f += 160) {
		double e = 0;
		for (size_t i = 0; i < 160; i++)
			e += (double)w.pcm[f + i] * w.pcm[f + i];
		if (sqrt(e / 160) < 1000)
			continue;
		loud += 160;
		for (size_t i = f ? f : 1; i < f + 160; i++)
			if (w.pcm[i - 1] < 0 && w.pcm[i] >= 0)
				crossings++;
	}
	double secs = (double)loud / 8000, hz = secs > 0 ? (double)crossings / secs : 0;
	CHECK(c, secs >= min_s, "%s: %.2f s of sound, want >= %.2f", name, secs, min_s);
	CHECK(c, fabs(hz - want_hz) <= want_hz * 0.03, "%s: %.1f Hz, want %.0f", name, hz,
	    want_hz);
	sl_wav_free(&w);
}

struct pcap_counts {
	unsigned records, udp, icmp, rtp_after_bye;
	bool bye;
};

/* Walk a LINKTYPE_RAW trace: ICMP, UDP, and RTP sent after our BYE. */
static struct pcap_counts
count_pcap(struct ctx *c, const char *name)
{
	struct pcap_counts k = { 0, 0, 0, 0, false };
	char p[1024];
	size_t cap = 1u << 22;
	uint8_t *buf = malloc(cap);

	if (buf == NULL)
		return k;
	path(c, name, p, sizeof(p));
	size_t n = slurp(p, (char *)buf, cap);
	CHECK(c, n >= 24 && buf[0] == 0xd4 && buf[1] == 0xc3 && buf[20] == 101,
	    "%s: not a little-endian LINKTYPE_RAW pcap", name);
	for (size_t off = 24; off + 16 <= n; ) {
		uint32_t len = (uint32_t)buf[off + 8] | (uint32_t)buf[off + 9] << 8 |
		    (uint32_t)buf[off + 10] << 16 | (uint32_t)buf[off + 11] << 24;
		const uint8_t *ip = buf + off + 16;
		off += 16 + (size_t)len;
		if (off > n || len < 28 || (ip[0] >> 4) != 4)
			continue;
		k.records++;
		size_t ihl = (size_t)(ip[0] & 15) * 4;
		if (ip[9] == 1)
			k.icmp++;
		if (ip[9] != 17 || len < ihl + 9)
			continue;
		k.udp++;
		const uint8_t *pl = ip + ihl + 8;
		size_t pn = len - ihl - 8;
		if (pn >= 4 && memcmp(pl, "BYE ", 4) == 0)
			k.bye = true;
		else if (k.bye && pn == 172 && pl[0] == 0x80 && ip[15] == 183)
			k.rtp_after_bye++;
	}
	free(buf);
	return k;
}

/* ----- scenarios ----- */

static pid_t
start_callee(struct ctx *c, const char *extra)
{
	pid_t pid = spawn(c, "callee", "answer --bind 127.0.0.101:%u --rtp-port %u "
	    "--tone 1000 --record %s/callee.wav --trace-pcap %s/callee.pcap --timeout 20 "
	    "--log-level debug %s", c->s2, c->r2, c->dir, c->dir, extra);
	CHECK(c, wait_log(c, "callee", "waiting for calls", 5000), "callee not ready");
	return pid;
}

static pid_t
start_caller(struct ctx *c, const char *extra)
{
	return spawn(c, "caller", "call 127.0.0.101:%u --bind 127.0.0.183:%u --rtp-port %u "
	    "--tone 440 --record %s/caller.wav --trace-pcap %s/caller.pcap --timeout 20 "
	    "--log-level debug %s", c->s2, c->s1, c->r1, c->dir, c->dir, extra);
}

static void
direct(struct ctx *c)
{
	pid_t callee = start_callee(c, "");
	pid_t caller = start_caller(c, "--duration 2 --seed 1");
	CHECK(c, wait_for(c, caller, 25000, NULL) == 0, "caller exit");
	CHECK(c, wait_for(c, callee, 5000, NULL) == 0, "callee exit");
	LOG_HAS(c, "caller", "\nsipladder-phone: info: calling sip:127.0.0.101:");
	LOG_HAS(c, "caller", "\nsipladder-phone: info: ringing\n");
	LOG_HAS(c, "caller", "\nsipladder-phone: info: call answered\n");
	LOG_HAS(c, "caller", "\nsipladder-phone: info: hung up\n");
	LOG_HAS(c, "callee", "\nsipladder-phone: info: incoming call from anonymous\n");
	LOG_HAS(c, "callee", "\nsipladder-phone: info: call answered\n");
	LOG_HAS(c, "callee", "\nsipladder-phone: info: peer hung up\n");
	/* each side hears the other's tone */
	check_wav(c, "callee.wav", 440, 1.5);
	check_wav(c, "caller.wav", 1000, 1.5);
	struct pcap_counts k = count_pcap(c, "caller.pcap");
	CHECK(c, k.bye && k.udp >= 7 + 150 && k.icmp == 0, "caller.pcap: %u udp, %u icmp",
	    k.udp, k.icmp);
	k = count_pcap(c, "callee.pcap");
	CHECK(c, k.bye && k.udp >= 7 + 150, "callee.pcap: %u udp", k.udp);
}

static void
callee_bye(struct ctx *c)
{
	pid_t callee = start_callee(c, "--duration 1 --ring-delay 0");
	pid_t caller = start_caller(c, "");
	CHECK(c, wait_for(c, caller, 25000, NULL) == 0, "caller exit");
	CHECK(c, wait_for(c, callee, 5000, NULL) == 0, "callee exit");
	LOG_HAS(c, "caller", "\nsipladder-phone: info: peer hung up\n");
	LOG_HAS(c, "callee", "\nsipladder-phone: info: hung up\n");
	check_wav(c, "callee.wav", 440, 0.7);
}

static void
pcma(struct ctx *c)
{
	/* the caller prefers PCMU but offers PCMA too; the callee picks PCMA */
	pid_t callee = start_callee(c, "--codec pcma");
	pid_t caller = start_caller(c, "--duration 1");
	CHECK(c, wait_for(c, caller, 25000, NULL) == 0, "caller exit");
	CHECK(c, wait_for(c, callee, 5000, NULL) == 0, "callee exit");
	LOG_HAS(c, "caller", "send+recv PCMA");
	LOG_HAS(c, "callee", "send+recv PCMA");
	check_wav(c, "callee.wav", 440, 0.7);
	check_wav(c, "caller.wav", 1000, 0.7);
}

static void
reject(struct ctx *c)
{
	pid_t callee = start_callee(c, "--reject 486");
	pid_t caller = start_caller(c, "");
	CHECK(c, wait_for(c, caller, 25000, NULL) == 1, "caller exit");
	CHECK(c, wait_for(c, callee, 5000, NULL) == 0, "callee exit");
	LOG_HAS(c, "caller", "sipladder-phone: call failed: 486 Busy Here\n");
	LOG_HAS(c, "callee", "\nsipladder-phone: info: rejected with 486 Busy Here\n");
}

static void
cancel(struct ctx *c)
{
	pid_t callee = start_callee(c, "--ring-delay 30");
	uint64_t t0 = now_ms();
	pid_t caller = start_caller(c, "--timeout 1.5");
	CHECK(c, wait_for(c, caller, 25000, NULL) == 1, "caller exit");
	uint64_t took = now_ms() - t0;
	CHECK(c, wait_for(c, callee, 5000, NULL) == 1, "callee exit");
	CHECK(c, took < 5000, "caller took %llu ms", (unsigned long long)took);
	LOG_HAS(c, "caller", "\nsipladder-phone: info: cancelling the call\n");
	LOG_HAS(c, "caller", "sipladder-phone: timeout after 1.500 s (call not answered)\n");
	LOG_HAS(c, "callee", "sipladder-phone: call cancelled by the caller\n");
	LOG_HAS(c, "callee", "<- 127.0.0.183");	/* the CANCEL arrived */
}

/* Wait until u has something to read (or an error to report), at most ms:
 * the test's sockets never block, sl_udp_recv only takes what is there. */
static bool
readable(const struct sl_udp *u, uint64_t ms)
{
	struct pollfd p = { u->fd, POLLIN, 0 };

	return poll(&p, 1, ms > 60000 ? 60000 : (int)ms) == 1;
}

/* One datagram from 127.0.0.183:s1 to the callee (an ACK, noise). */
static void
send_callee(struct ctx *c, struct sl_udp *u, const char *msg)
{
	struct sl_endpoint to;
	char errbuf[SL_ERRBUF_SIZE];

	sl_udp_parse_endpoint("127.0.0.101", c->s2, &to);
	CHECK(c, sl_udp_send(u, &to, msg, strlen(msg), errbuf) == SL_OK, "%s", errbuf);
}

/* Send the request msg to the callee; reply is the text of its final
 * response (empty if none within ms). stray, when given, counts the
 * datagrams received meanwhile that carry no branch of ours: answers to
 * noise, which has none. */
static void
exchange_counting(struct ctx *c, struct sl_udp *u, const char *msg, char *reply, size_t cap,
    int ms, unsigned *stray)
{
	struct sl_endpoint from;
	char errbuf[SL_ERRBUF_SIZE];
	size_t n = 0;
	uint64_t end = now_ms() + (uint64_t)ms;

	/* our own response, not a late one to an earlier request */
	char branch[64] = "";
	const char *b = strstr(msg, "branch=");
	if (b)
		snprintf(branch, sizeof(branch), "%.*s", (int)strcspn(b, ";\r"), b);
	reply[0] = '\0';
	send_callee(c, u, msg);
	/* RFC 3261 Timer E/A: resend every T1, as a real UAC would (a loaded
	 * phone may drop a datagram) */
	uint64_t resend = now_ms() + 500;
	for (uint64_t now = now_ms(); now < end; now = now_ms()) {
		if (now >= resend) {
			send_callee(c, u, msg);
			resend += 500;
			continue;
		}
		if (!readable(u, (resend < end ? resend : end) - now) ||
		    sl_udp_recv(u, reply, cap - 1, &n, &from, errbuf) != SL_UDP_RX_DATA) {
			reply[0] = '\0';
			continue;
		}
		reply[n] = '\0';
		/* provisional responses (the seed's phones send 100 Trying even
		 * to BYE) are not the answer */
		if (strncmp(reply, "SIP/2.0 1", 9) != 0 && strstr(reply, branch))
			return;
		if (stray && strstr(reply, "branch=z9hG4bK") == NULL)
			(*stray)++;
		reply[0] = '\0';
	}
}

static void
exchange(struct ctx *c, struct sl_udp *u, const char *msg, char *reply, size_t cap, int ms)
{
	exchange_counting(c, u, msg, reply, cap, ms, NULL);
}

/* Wait for a datagram on u that starts with start and holds needle (a
 * response the phone resends on its own timer), at most ms. */
static bool
wait_datagram(struct sl_udp *u, const char *start, const char *needle, int ms)
{
	char errbuf[SL_ERRBUF_SIZE], buf[4096];
	struct sl_endpoint from;
	size_t n;
	uint64_t end = now_ms() + (uint64_t)ms;

	for (uint64_t now = now_ms(); now < end; now = now_ms()) {
		if (!readable(u, end - now) ||
		    sl_udp_recv(u, buf, sizeof(buf) - 1, &n, &from, errbuf) != SL_UDP_RX_DATA)
			continue;
		buf[n] = '\0';
		if (strncmp(buf, start, strlen(start)) == 0 && strstr(buf, needle))
			return true;
	}
	return false;
}

#define HDR "Via: SIP/2.0/UDP 127.0.0.183:%u;branch=z9hG4bK%s\r\n" \
    "From: <sip:t@127.0.0.183>;tag=1\r\nTo: <sip:127.0.0.101>%s\r\n" \
    "Call-ID: %s@127.0.0.183\r\nCSeq: 1 %s\r\nMax-Forwards: 70\r\n" \
    "Content-Length: 0\r\n\r\n"

/* noise draws no answer. The phone reads its socket in order, so an
 * answer to noise would leave before the answer to an OPTIONS sent right
 * after it: that OPTIONS is the barrier, no time window is needed. */
static void
no_answer(struct ctx *c, struct sl_udp *u, const char *noise, const char *what, int k)
{
	char h[512], msg[1024], reply[4096], id[16];
	unsigned stray = 0;

	snprintf(id, sizeof(id), "noise%d", k);
	snprintf(h, sizeof(h), HDR, c->s1, id, "", id, "OPTIONS");
	snprintf(msg, sizeof(msg), "OPTIONS sip:127.0.0.101 SIP/2.0\r\n%s", h);
	send_callee(c, u, noise);
	exchange_counting(c, u, msg, reply, sizeof(reply), 2000, &stray);
	CHECK(c, strncmp(reply, "SIP/2.0 200 OK\r\n", 16) == 0, "OPTIONS after the %s: %.40s",
	    what, reply);
	CHECK(c, stray == 0, "%s answered (%u datagrams)", what, stray);
}

static void
options(struct ctx *c)
{
	struct sl_udp u;
	struct sl_endpoint me;
	char errbuf[SL_ERRBUF_SIZE], msg[1024], reply[4096];
	char h[512];

	pid_t callee = spawn(c, "callee", "answer --bind 127.0.0.101:%u --rtp-port %u "
	    "--timeout 2", c->s2, c->r2);
	CHECK(c, wait_log(c, "callee", "waiting for calls", 5000), "callee not ready");
	sl_udp_parse_endpoint("127.0.0.183", c->s1, &me);
	CHECK(c, sl_udp_open(&u, &me, errbuf) == SL_OK, "%s", errbuf);

	snprintf(h, sizeof(h), HDR, c->s1, "opt1", "", "o1", "OPTIONS");
	snprintf(msg, sizeof(msg), "OPTIONS sip:127.0.0.101 SIP/2.0\r\n%s", h);
	exchange(c, &u, msg, reply, sizeof(reply), 2000);
	CHECK(c, strncmp(reply, "SIP/2.0 200 OK\r\n", 16) == 0, "OPTIONS: %.40s", reply);
	CHECK(c, strstr(reply, "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS\r\n") != NULL, "Allow");
	CHECK(c, strstr(reply, "Accept: application/sdp\r\n") != NULL, "Accept");
	CHECK(c, strstr(reply, "User-Agent: sipladder-phone/") != NULL, "User-Agent");
	CHECK(c, strstr(reply, ";tag=") != NULL, "To tag");

	snprintf(h, sizeof(h), HDR, c->s1, "foo1", "", "f1", "FOO");
	snprintf(msg, sizeof(msg), "FOO sip:127.0.0.101 SIP/2.0\r\n%s", h);
	exchange(c, &u, msg, reply, sizeof(reply), 2000);
	CHECK(c, strncmp(reply, "SIP/2.0 405 ", 12) == 0 && strstr(reply, "Allow: INVITE"),
	    "FOO: %.40s", reply);

	snprintf(h, sizeof(h), HDR, c->s1, "bye1", ";tag=99", "b1", "BYE");
	snprintf(msg, sizeof(msg), "BYE sip:127.0.0.101 SIP/2.0\r\n%s", h);
	exchange(c, &u, msg, reply, sizeof(reply), 2000);
	CHECK(c, strncmp(reply, "SIP/2.0 481 ", 12) == 0, "stray BYE: %.40s", reply);

	/* noise draws no answer and no crash */
	no_answer(c, &u, "\r\n\r\n", "keepalive", 1);
	no_answer(c, &u, "INVITE sip:x SIP/2.0\r\nVia: broken\r\n\r\n", "broken INVITE", 2);
	sl_udp_close(&u);

	CHECK(c, wait_for(c, callee, 5000, NULL) == 1, "callee exit");
	LOG_HAS(c, "callee", "sipladder-phone: timeout after 2.000 s (waiting for calls)\n");
}

/* ----- a scripted caller: busy, re-INVITE, hold, BYE ----- */

static void
sipmsg(const struct ctx *c, char *out, size_t n, const char *method, const char *branch,
    const char *callid, const char *totag, unsigned cseq, const char *cmethod,
    const char *sdp)
{
	snprintf(out, n, "%s sip:u@127.0.0.101:%u SIP/2.0\r\n"
	    "Via: SIP/2.0/UDP 127.0.0.183:%u;branch=z9hG4bK%s;rport\r\n"
	    "From: <sip:t@127.0.0.183>;tag=a1\r\nTo: <sip:u@127.0.0.101>%s%s\r\n"
	    "Call-ID: %s@127.0.0.183\r\nCSeq: %u %s\r\nMax-Forwards: 70\r\n"
	    "Contact: <sip:t@127.0.0.183:%u>\r\n%s"
	    "Content-Length: %zu\r\n\r\n%s", method, c->s2, c->s1, branch, totag ? ";tag=" : "",
	    totag ? totag : "", callid, cseq, cmethod, c->s1,
	    sdp ? "Content-Type: application/sdp\r\n" : "", sdp ? strlen(sdp) : 0,
	    sdp ? sdp : "");
}

static void
offer(char *out, size_t n, uint16_t port, const char *media, const char *attr)
{
	snprintf(out, n, "v=0\r\no=t 7 7 IN IP4 127.0.0.183\r\ns=-\r\nc=IN IP4 127.0.0.183\r\n"
	    "t=0 0\r\nm=%s %u RTP/AVP 8 0\r\n%s", media, port, attr);
}

/* copy the value after `key` up to CRLF or ';' (for ";tag=") */
static void
field(const char *msg, const char *key, char *out, size_t n)
{
	const char *p = strstr(msg, key);
	size_t k = 0;

	if (p)
		for (p += strlen(key); *p && *p != '\r' && *p != ';' && k + 1 < n; p++)
			out[k++] = *p;
	out[k] = '\0';
}

/* the scripted callee's T1: hold is watched for that long (see scripted) */
#define HOLD_T1_MS 200

static unsigned
drain_rtp(struct sl_udp *u)
{
	char errbuf[SL_ERRBUF_SIZE];
	struct sl_endpoint from;
	uint8_t b[2048];
	size_t n;
	unsigned k = 0;

	while (sl_udp_recv(u, b, sizeof(b), &n, &from, errbuf) == SL_UDP_RX_DATA)
		if (n == 172 && b[0] == 0x80)
			k++;
	return k;
}

/* n RTP packets arrived on u within ms */
static bool
wait_rtp(struct sl_udp *u, unsigned n, int ms)
{
	uint64_t end = now_ms() + (uint64_t)ms;
	unsigned k = 0;

	for (uint64_t now = now_ms(); k < n && now < end; now = now_ms())
		if (readable(u, end - now))
			k += drain_rtp(u);
	return k >= n;
}

static void
scripted(struct ctx *c)
{
	struct sl_udp u, a1, a2;
	struct sl_endpoint me;
	char errbuf[SL_ERRBUF_SIZE], msg[2048], sdp[512], reply[4096], tag[64], o1[128],
	    o2[128], o3[128];

	/* --t1: the hold check below watches the phone for T1 of its clock */
	pid_t callee = spawn(c, "callee", "answer --bind 127.0.0.101:%u --rtp-port %u "
	    "--ring-delay 0 --timeout 10 --log-level debug --t1 %d", c->s2, c->r2, HOLD_T1_MS);
	CHECK(c, wait_log(c, "callee", "waiting for calls", 5000), "callee not ready");
	sl_udp_parse_endpoint("127.0.0.183", c->s1, &me);
	CHECK(c, sl_udp_open(&u, &me, errbuf) == SL_OK, "%s", errbuf);
	me.port = c->r1;
	CHECK(c, sl_udp_open(&a1, &me, errbuf) == SL_OK, "%s", errbuf);
	me.port = (uint16_t)(c->r1 + 2);
	CHECK(c, sl_udp_open(&a2, &me, errbuf) == SL_OK, "%s", errbuf);

	offer(sdp, sizeof(sdp), c->r1, "audio", "");
	sipmsg(c, msg, sizeof(msg), "INVITE", "inv1", "x1", NULL, 1, "INVITE", sdp);
	exchange(c, &u, msg, reply, sizeof(reply), 3000);
	CHECK(c, strncmp(reply, "SIP/2.0 200 OK\r\n", 16) == 0, "INVITE: %.40s", reply);
	/* the callee prefers PCMU; we offered "8 0" */
	CHECK(c, strstr(reply, "RTP/AVP 0\r\n") && strstr(reply, "Contact: <sip:anonymous@"
	    "127.0.0.101:") && strstr(reply, "Allow: INVITE"), "200: %s", reply);
	field(reply, "\r\nTo: <sip:u@127.0.0.101>;tag=", tag, sizeof(tag));
	field(reply, "\r\no=", o1, sizeof(o1));
	CHECK(c, tag[0] && o1[0], "To tag '%s', o= '%s'", tag, o1);
	sipmsg(c, msg, sizeof(msg), "ACK", "ack1", "x1", tag, 1, "ACK", NULL);
	send_callee(c, &u, msg);
	CHECK(c, wait_rtp(&a1, 5, 3000), "no RTP on the first port");

	/* a second call while busy */
	sipmsg(c, msg, sizeof(msg), "INVITE", "inv2", "x2", NULL, 1, "INVITE", sdp);
	exchange(c, &u, msg, reply, sizeof(reply), 2000);
	CHECK(c, strncmp(reply, "SIP/2.0 486 ", 12) == 0, "second INVITE: %.40s", reply);
	sipmsg(c, msg, sizeof(msg), "ACK", "inv2", "x2", "t", 1, "ACK", NULL);
	send_callee(c, &u, msg);

	/* re-INVITE moving our RTP: 200 with the unchanged SDP version */
	offer(sdp, sizeof(sdp), (uint16_t)(c->r1 + 2), "audio", "");
	sipmsg(c, msg, sizeof(msg), "INVITE", "inv3", "x1", tag, 2, "INVITE", sdp);
	exchange(c, &u, msg, reply, sizeof(reply), 2000);
	field(reply, "\r\no=", o2, sizeof(o2));
	CHECK(c, strncmp(reply, "SIP/2.0 200 ", 12) == 0 && strcmp(o1, o2) == 0,
	    "re-INVITE: %.40s o= '%s'", reply, o2);
	/* The phone moves its RTP before it answers and delivery on loopback
	 * is done when send returns, so what it sent to the old port is queued
	 * there by now. Then the old port must stay silent while five packets
	 * (100 ms of the phone's clock) reach the new one. */
	drain_rtp(&a1);
	sipmsg(c, msg, sizeof(msg), "ACK", "ack3", "x1", tag, 2, "ACK", NULL);
	send_callee(c, &u, msg);
	CHECK(c, wait_rtp(&a2, 5, 3000), "no RTP on the new port");
	CHECK(c, drain_rtp(&a1) == 0, "RTP still on the old port");

	/* a re-INVITE without audio is refused; the call goes on */
	offer(sdp, sizeof(sdp), (uint16_t)(c->r1 + 2), "video", "");
	sipmsg(c, msg, sizeof(msg), "INVITE", "inv4", "x1", tag, 3, "INVITE", sdp);
	exchange(c, &u, msg, reply, sizeof(reply), 2000);
	CHECK(c, strncmp(reply, "SIP/2.0 488 ", 12) == 0, "video re-INVITE: %.40s", reply);
	sipmsg(c, msg, sizeof(msg), "ACK", "inv4", "x1", tag, 3, "ACK", NULL);
	send_callee(c, &u, msg);

	/* hold (we only send): the phone answers recvonly and goes quiet */
	offer(sdp, sizeof(sdp), (uint16_t)(c->r1 + 2), "audio", "a=sendonly\r\n");
	sipmsg(c, msg, sizeof(msg), "INVITE", "inv5", "x1", tag, 4, "INVITE", sdp);
	exchange(c, &u, msg, reply, sizeof(reply), 2000);
	field(reply, "\r\no=", o3, sizeof(o3));
	CHECK(c, strncmp(reply, "SIP/2.0 200 ", 12) == 0 && strstr(reply, "a=recvonly\r\n") &&
	    strcmp(o1, o3) != 0, "hold: %.40s o= '%s'", reply, o3);
	/* Silence is watched for on the phone's own clock, not ours: until
	 * our ACK it resends the 200 after T1 (RFC 3261 13.3.1.4), and its
	 * 20 ms RTP ticks run on the same loop, so a phone still sending
	 * would have sent HOLD_T1_MS / 20 packets by the time the resent 200
	 * arrives, even if the test or the phone was starved meanwhile. It
	 * stopped sending before it answered: what it sent earlier is in a2
	 * already. */
	drain_rtp(&a2);
	CHECK(c, wait_datagram(&u, "SIP/2.0 200 ", "branch=z9hG4bKinv5;", 3000 + 4 * HOLD_T1_MS),
	    "hold: the 200 was not resent before the ACK");
	CHECK(c, drain_rtp(&a2) == 0, "RTP while on hold");
	sipmsg(c, msg, sizeof(msg), "ACK", "ack5", "x1", tag, 4, "ACK", NULL);
	send_callee(c, &u, msg);

	sipmsg(c, msg, sizeof(msg), "BYE", "bye6", "x1", tag, 5, "BYE", NULL);
	exchange(c, &u, msg, reply, sizeof(reply), 2000);
	CHECK(c, strncmp(reply, "SIP/2.0 200 ", 12) == 0, "BYE: %.40s", reply);
	sl_udp_close(&u);
	sl_udp_close(&a1);
	sl_udp_close(&a2);
	CHECK(c, wait_for(c, callee, 5000, NULL) == 0, "callee exit");
	LOG_HAS(c, "callee", "\nsipladder-phone: info: peer hung up\n");
	LOG_HAS(c, "callee", "\nsipladder-phone: info: re-INVITE accepted\n");
	LOG_HAS(c, "callee", "re-INVITE refused: no m=audio stream");
}

/* ----- hostile input ----- */

static uint64_t
xorshift(uint64_t *st)
{
	*st ^= *st << 13;
	*st ^= *st >> 7;
	*st ^= *st << 17;
	return *st;
}

/* Hundreds of mutated INVITEs, ACKs and BYEs (bytes replaced with
 * delimiters, truncated, lines doubled): the phone must neither crash nor
 * stop answering, and must still end on its --timeout. */
static void
garbage(struct ctx *c)
{
	struct sl_udp u;
	struct sl_endpoint me, to;
	char errbuf[SL_ERRBUF_SIZE], base[2048], m[4096], sdp[512], reply[4096];
	static const char pick[] = "\0\r\n:;<>@ =,\"0123456789\xff\x80[]%";
	static const char *const methods[] = { "INVITE", "ACK", "BYE", "CANCEL", "OPTIONS" };
	uint64_t st = 0x9e3779b97f4a7c15ULL;

	pid_t callee = spawn(c, "callee", "answer --bind 127.0.0.101:%u --rtp-port %u "
	    "--ring-delay 0.2 --timeout 6 --calls 1000", c->s2, c->r2);
	CHECK(c, wait_log(c, "callee", "waiting for calls", 5000), "callee not ready");
	sl_udp_parse_endpoint("127.0.0.183", c->s1, &me);
	sl_udp_parse_endpoint("127.0.0.101", c->s2, &to);
	CHECK(c, sl_udp_open(&u, &me, errbuf) == SL_OK, "%s", errbuf);
	offer(sdp, sizeof(sdp), c->r1, "audio", "");
	for (int i = 0; i < 600; i++) {
		const char *meth = methods[xorshift(&st) % 5];
		char branch[32], cid[32];
		snprintf(branch, sizeof(branch), "g%d", i);
		snprintf(cid, sizeof(cid), "g%d", (int)(xorshift(&st) % 8));
		sipmsg(c, base, sizeof(base), meth, branch, cid,
		    xorshift(&st) % 3 ? NULL : "t", 1 + (unsigned)(xorshift(&st) % 3), meth,
		    strcmp(meth, "INVITE") == 0 ? sdp : NULL);
		size_t n = strlen(base);
		memcpy(m, base, n);
		switch (xorshift(&st) % 4) {
		case 0:		/* a few bytes replaced */
			for (int k = (int)(xorshift(&st) % 6) + 1; k > 0; k--)
				m[xorshift(&st) % n] = pick[xorshift(&st) % (sizeof(pick) - 1)];
			break;
		case 1:		/* truncated */
			n = (size_t)(xorshift(&st) % n) + 1;
			break;
		case 2: {	/* a line doubled */
			size_t at = (size_t)(xorshift(&st) % n);
			const char *eol = strstr(base + at, "\r\n");
			size_t len = eol ? (size_t)(eol - (base + at)) + 2 : 0;
			if (n + len < sizeof(m)) {
				memcpy(m + at + len, base + at, n - at);
				n += len;
			}
			break;
		}
		default:	/* intact: some calls really start */
			break;
		}
		sl_udp_send(&u, &to, m, n, errbuf);
		if (i % 25 != 24)
			continue;
		/* an OPTIONS after every 25: the phone reads its socket in
		 * order, so its answer says it has taken all of them (the next
		 * burst cannot overflow its receive buffer) and still answers */
		char id[16];
		snprintf(id, sizeof(id), "gb%03d", i);
		snprintf(m, sizeof(m), "OPTIONS sip:127.0.0.101 SIP/2.0\r\n" HDR, c->s1, id, "",
		    id, "OPTIONS");
		exchange(c, &u, m, reply, sizeof(reply), 4000);
		CHECK(c, strncmp(reply, "SIP/2.0 200 OK\r\n", 16) == 0,
		    "OPTIONS after %d garbage datagrams: %.40s", i + 1, reply);
	}
	sl_udp_close(&u);
	int rc = wait_for(c, callee, 10000, NULL);
	CHECK(c, rc == 1 || rc == 0, "callee exit %d", rc);
}

static void
usage(struct ctx *c)
{
	static const struct {
		const char *args;
		int rc;
		const char *says;
	} t[] = {
		{ "", 2, "missing COMMAND" },
		{ "call", 2, "missing TARGET" },
		{ "answer --rtp-port 3", 2, "even port" },
		{ "register --user u1", 2, "needs --server" },
		{ "--help", 0, "usage: sipladder-phone COMMAND" },
		{ "--version", 0, "sipladder-phone " },
		{ "answer --wav /nonexistent/x.wav", 1, "/nonexistent/x.wav" },
		{ "answer --record /nonexistent/x.wav", 1, "/nonexistent/x.wav" },
		{ "answer --trace-pcap /nonexistent/x.pcap", 1, "/nonexistent/x.pcap" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		pid_t p = spawn(c, "usage", "%s", t[i].args);
		int rc = wait_for(c, p, 10000, NULL);
		CHECK(c, rc == t[i].rc, "'%s': exit %d", t[i].args, rc);
		LOG_HAS(c, "usage", t[i].says);
	}
}

static void
bind_busy(struct ctx *c)
{
	struct sl_udp u, r;
	struct sl_endpoint a;
	char errbuf[SL_ERRBUF_SIZE];

	sl_udp_parse_endpoint("127.0.0.183", c->s1, &a);
	CHECK(c, sl_udp_open(&u, &a, errbuf) == SL_OK, "%s", errbuf);
	pid_t p = spawn(c, "caller", "call 127.0.0.101:%u --bind 127.0.0.183:%u "
	    "--rtp-port %u", c->s2, c->s1, c->r1);
	CHECK(c, wait_for(c, p, 10000, NULL) == 3, "SIP port busy: exit");
	LOG_HAS(c, "caller", "sipladder-phone: bind 127.0.0.183:");

	sl_udp_parse_endpoint("127.0.0.183", c->r1, &a);
	CHECK(c, sl_udp_open(&r, &a, errbuf) == SL_OK, "%s", errbuf);
	p = spawn(c, "caller", "call 127.0.0.101:%u --bind 127.0.0.183:%u --rtp-port %u",
	    c->s2, c->s1 + 1, c->r1);
	CHECK(c, wait_for(c, p, 10000, NULL) == 3, "RTP port busy: exit");
	LOG_HAS(c, "caller", "sipladder-phone: rtp: bind 127.0.0.183:");
	sl_udp_close(&u);
	sl_udp_close(&r);
}

/* The peer saw exactly the ladder want[0..n). */
static void
check_events(struct ctx *c, const struct lb_peer *p, const char *const *want, size_t n)
{
	CHECK(c, p->nev == n, "peer saw %zu requests, want %zu", p->nev, n);
	for (size_t i = 0; i < p->nev || i < n; i++) {
		const char *got = i < p->nev ? p->events[i] : "(none)";
		const char *exp = i < n ? want[i] : "(none)";
		CHECK(c, strcmp(got, exp) == 0, "request %zu: '%s', want '%s'", i, got, exp);
	}
}

static bool
open_peer(struct ctx *c, struct lb_peer *p)
{
	char sip[64], rtp[64];

	snprintf(sip, sizeof(sip), "127.0.0.50:%u", c->s3);
	snprintf(rtp, sizeof(rtp), "127.0.0.50:%u", c->r3);
	bool ok = lb_peer_open(p, sip, rtp, "u1", "u1pass", 60);
	CHECK(c, ok, "peer on %s", sip);
	return ok;
}

static void
registration(struct ctx *c)
{
	struct lb_peer p;
	static const char *const plain[] = { "REGISTER 1 401 exp=600", "REGISTER 2 200 exp=600" };
	static const char *const brief[] = { "REGISTER 1 401 exp=30", "REGISTER 2 423 exp=30",
		"REGISTER 3 401 exp=60", "REGISTER 4 200 exp=60" };
	static const char *const unreg[] = { "REGISTER 1 401 exp=0", "REGISTER 2 200 exp=0" };

	if (!open_peer(c, &p))
		return;
	pid_t ph = spawn(c, "reg", "register --server 127.0.0.50:%u --user u1 --password u1pass "
	    "--bind 127.0.0.183:%u --expires 600", c->s3, c->s1);
	CHECK(c, wait_for(c, ph, 10000, &p) == 0, "register exit");
	LOG_HAS(c, "reg", "registered u1 expires 600\n");
	check_events(c, &p, plain, 2);

	p.nev = 0;
	ph = spawn(c, "reg", "register --server 127.0.0.50:%u --user u1 --password u1pass "
	    "--bind 127.0.0.183:%u --expires 30", c->s3, c->s1);
	CHECK(c, wait_for(c, ph, 10000, &p) == 0, "register 423 exit");
	LOG_HAS(c, "reg", "registered u1 expires 60\n");
	check_events(c, &p, brief, 4);

	p.nev = 0;
	ph = spawn(c, "reg", "unregister --server 127.0.0.50:%u --user u1 --password u1pass "
	    "--bind 127.0.0.183:%u", c->s3, c->s1);
	CHECK(c, wait_for(c, ph, 10000, &p) == 0, "unregister exit");
	LOG_HAS(c, "reg", "unregistered u1\n");
	check_events(c, &p, unreg, 2);
	lb_peer_close(&p);
}

static void
auth_call(struct ctx *c)
{
	struct lb_peer p;
	/* the seed's ladder: 401 on INVITE and BYE, credentials on the retry */
	static const char *const want[] = {
		"REGISTER 1 401 exp=3600", "REGISTER 2 200 exp=3600",
		"INVITE 1 401", "ACK 1", "INVITE 2 200 same-dialog", "ACK 2",
		"BYE 3 401", "BYE 4 200",
		"REGISTER 3 401 exp=0", "REGISTER 4 200 exp=0",
	};
	char ruri[128];

	if (!open_peer(c, &p))
		return;
	pid_t ph = spawn(c, "caller", "call 2 --server 127.0.0.50:%u --user u1 "
	    "--password u1pass --register --bind 127.0.0.183:%u --rtp-port %u --duration 1.5 "
	    "--record %s/caller.wav --trace-pcap %s/caller.pcap --timeout 20", c->s3, c->s1,
	    c->r1, c->dir, c->dir);
	CHECK(c, wait_for(c, ph, 25000, &p) == 0, "caller exit");
	check_events(c, &p, want, sizeof(want) / sizeof(want[0]));
	snprintf(ruri, sizeof(ruri), "\nsipladder-phone: info: calling sip:2@127.0.0.50:%u\n",
	    c->s3);
	LOG_HAS(c, "caller", "registered u1 expires 3600\n");
	LOG_HAS(c, "caller", ruri);
	LOG_HAS(c, "caller", "\nsipladder-phone: info: call answered\n");
	LOG_HAS(c, "caller", "\nsipladder-phone: info: hung up\n");
	LOG_HAS(c, "caller", "\nsipladder-phone: info: unregistered u1\n");
	/* the peer echoes our RTP: we hear our own tone */
	CHECK(c, p.rtp_rx >= 60, "peer got %llu RTP packets", (unsigned long long)p.rtp_rx);
	check_wav(c, "caller.wav", 440, 1.0);
	lb_peer_close(&p);
}

static void
wrong_password(struct ctx *c)
{
	struct lb_peer p;
	static const char *const reg[] = { "REGISTER 1 401 exp=3600", "REGISTER 2 401 exp=3600" };
	static const char *const inv[] = { "INVITE 1 401", "ACK 1", "INVITE 2 401", "ACK 2" };

	if (!open_peer(c, &p))
		return;
	pid_t ph = spawn(c, "reg", "register --server 127.0.0.50:%u --user u1 --password bad "
	    "--bind 127.0.0.183:%u", c->s3, c->s1);
	CHECK(c, wait_for(c, ph, 10000, &p) == 1, "register exit");
	LOG_HAS(c, "reg", "sipladder-phone: registration failed: 401 Unauthorized\n");
	check_events(c, &p, reg, 2);

	p.nev = 0;
	ph = spawn(c, "caller", "call 2 --server 127.0.0.50:%u --user u1 --password bad "
	    "--bind 127.0.0.183:%u --rtp-port %u", c->s3, c->s1, c->r1);
	CHECK(c, wait_for(c, ph, 10000, &p) == 1, "call exit");
	LOG_HAS(c, "caller", "sipladder-phone: call failed: 401 Unauthorized\n");
	/* ACKs of the 401s come from the transaction layer */
	for (uint64_t end = now_ms() + 2000; p.nev < 4 && now_ms() < end; )
		lb_peer_poll(&p, 50);
	check_events(c, &p, inv, 4);
	lb_peer_close(&p);
}

static void
linger(struct ctx *c)
{
	pid_t callee = start_callee(c, "");
	pid_t caller = start_caller(c, "--duration 1 --rtp-linger 600");
	CHECK(c, wait_for(c, caller, 25000, NULL) == 0, "caller exit");
	CHECK(c, wait_for(c, callee, 5000, NULL) == 0, "callee exit");
	/* the callee closed its RTP port at the BYE: our late RTP drew ICMP */
	struct pcap_counts k = count_pcap(c, "caller.pcap");
	CHECK(c, k.rtp_after_bye >= 15 && k.rtp_after_bye <= 40, "%u RTP after BYE",
	    k.rtp_after_bye);
	CHECK(c, k.icmp >= 1, "%u ICMP in the caller's trace", k.icmp);
}

/* Suites of other engineers run at the same time: take the first port
 * block whose every port is free right now. */
static bool
pick_ports(struct ctx *c, size_t idx)
{
	static const struct {
		const char *ip;
		int which;	/* index into the port list below */
		int add;
	} need[] = {
		{ "127.0.0.183", 0, 0 }, { "127.0.0.183", 0, 1 }, { "127.0.0.101", 1, 0 },
		{ "127.0.0.50", 2, 0 }, { "127.0.0.183", 3, 0 }, { "127.0.0.183", 3, 2 },
		{ "127.0.0.101", 4, 0 }, { "127.0.0.50", 5, 0 },
	};
	char errbuf[SL_ERRBUF_SIZE];

	for (int k = 0; k < RETRIES; k++) {
		unsigned s = SIP_BASE + 10u * (unsigned)idx + RETRY_STRIDE * (unsigned)k;
		unsigned r = RTP_BASE + 10u * (unsigned)idx + RETRY_STRIDE * (unsigned)k;
		unsigned ports[6] = { s, s + 2, s + 4, r, r + 2, r + 4 };
		struct sl_udp u[sizeof(need) / sizeof(need[0])];
		size_t n = 0;
		bool free_now = true;
		for (; n < sizeof(need) / sizeof(need[0]) && free_now; n++) {
			struct sl_endpoint ep;
			sl_udp_parse_endpoint(need[n].ip, (uint16_t)(ports[need[n].which] +
			    (unsigned)need[n].add), &ep);
			free_now = sl_udp_open(&u[n], &ep, errbuf) == SL_OK;
		}
		for (size_t i = 0; i < n; i++)
			sl_udp_close(&u[i]);
		if (!free_now)
			continue;
		c->s1 = (uint16_t)s;
		c->s2 = (uint16_t)(s + 2);
		c->s3 = (uint16_t)(s + 4);
		c->r1 = (uint16_t)r;
		c->r2 = (uint16_t)(r + 2);
		c->r3 = (uint16_t)(r + 4);
		return true;
	}
	return false;
}

static const struct {
	const char *name;
	void (*fn)(struct ctx *c);
	const char *logs[2];
} scenarios[] = {
	{ "direct", direct, { "caller", "callee" } },
	{ "callee-bye", callee_bye, { "caller", "callee" } },
	{ "pcma", pcma, { "caller", "callee" } },
	{ "reject", reject, { "caller", "callee" } },
	{ "cancel", cancel, { "caller", "callee" } },
	{ "options", options, { "callee", NULL } },
	{ "usage", usage, { "usage", NULL } },
	{ "bind-busy", bind_busy, { "caller", NULL } },
	{ "register", registration, { "reg", NULL } },
	{ "auth-call", auth_call, { "caller", NULL } },
	{ "wrong-password", wrong_password, { "reg", "caller" } },
	{ "linger", linger, { "caller", "callee" } },
	{ "scripted", scripted, { "callee", NULL } },
	{ "garbage", garbage, { "callee", NULL } },
};

int
main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: phone_loopback PHONE SCENARIO DIR\n");
		return 2;
	}
	sl_osip_init();
	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		if (strcmp(argv[2], scenarios[i].name) != 0)
			continue;
		struct ctx c = { .phone = argv[1], .dir = argv[3] };
		if (!pick_ports(&c, i)) {
			fprintf(stderr, "no free port block for %s\n", argv[2]);
			return 1;
		}
		if (mkdir(c.dir, 0755) != 0 && errno != EEXIST) {
			fprintf(stderr, "mkdir %s: %s\n", c.dir, strerror(errno));
			return 1;
		}
		scenarios[i].fn(&c);
		/* ASan and UBSan exit 1 too: their reports must not be in the logs */
		for (int k = 0; k < 2; k++) {
			const char *log = scenarios[i].logs[k];
			if (log == NULL)
				continue;
			CHECK(&c, !log_has(&c, log, "Sanitizer") && !log_has(&c, log,
			    "runtime error:"), "%s.log: sanitizer report", log);
		}
		if (c.failed)
			for (int k = 0; k < 2; k++)
				if (scenarios[i].logs[k])
					dump_log(&c, scenarios[i].logs[k]);
		fprintf(stderr, "phone.loopback.%s: %d checks, %d failed\n", argv[2], c.checks,
		    c.failed);
		return c.failed ? 1 : 0;
	}
	fprintf(stderr, "unknown scenario %s\n", argv[2]);
	return 2;
}
