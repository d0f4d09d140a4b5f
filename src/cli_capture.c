/* cli_capture.c: `sipladder capture`: the engine fed from interfaces
 * until SIGINT/SIGTERM, --duration or --count. Signals arrive through a
 * signalfd polled with the interfaces, so stopping is an ordinary event
 * of the loop, not a handler with global state: the input is stopped, the
 * engine finishes (every call still open is shown) and files are closed. */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "capture/pcapwrite.h"
#include "cli.h"

#define WAIT_MS 500

struct tap {
	struct sl_cli *cli;
	struct sl_input *in;
	struct sl_pcapwr *w;
	int linktype;
	uint64_t frames;
	uint64_t unflushed;
};

/* SIGINT and SIGTERM blocked in this thread and in every thread started
 * after it (the store's writer inherits the mask): they only ever arrive
 * through the signalfd, never kill the process from another thread. */
static void
block_stop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, set, NULL);
}

int
sl_cli_capture_open(struct sl_cli *cli, struct sl_input **in)
{
	/* before any other thread exists; they stay blocked to the end, and
	 * one that comes late is left pending: the run is stopping anyway */
	sigset_t set;
	block_stop_signals(&set);
	struct sl_live_opts o[SL_CLI_MAX_IFACES];
	size_t n = cli->n_ifaces ? cli->n_ifaces : 1;
	for (size_t i = 0; i < n; i++)
		o[i] = (struct sl_live_opts){
			.iface = cli->n_ifaces ? cli->ifaces[i] : "any",
			.filter = cli->filter,
			.snaplen = cli->snaplen,
			.promisc = cli->promisc,
		};
	char errbuf[SL_ERRBUF_SIZE] = "";
	enum sl_err e = sl_input_open_live(in, o, n, errbuf);
	if (e == SL_OK) {
		/* tcpdump's "listening on": scripts wait for it before sending */
		if (!cli->quiet) {
			fprintf(stderr, "sipladder: capturing on");
			for (size_t i = 0; i < n; i++)
				fprintf(stderr, "%s %s", i ? "," : "", o[i].iface);
			fprintf(stderr, " (filter: %s)\n", cli->filter ? cli->filter : "default");
		}
		return -1;
	}
	fprintf(stderr, "sipladder: %s\n", e == SL_ENOMEM ? sl_strerror(e) : errbuf);
	return e == SL_EIO ? SL_EXIT_INPUT : SL_EXIT_FAIL;
}

/* Each frame, before the engine: -w and --count. */
static enum sl_err
on_frame(void *user, const struct sl_frame *f)
{
	struct tap *t = user;
	if (t->cli->write) {
		if (t->w == NULL) {
			char errbuf[SL_ERRBUF_SIZE];
			/* nanoseconds, as captured: the file then reads back
			 * exactly as the run showed it */
			enum sl_err e = sl_pcapwr_open(&t->w, t->cli->write, f->linktype,
			    (uint32_t)(t->cli->snaplen ? t->cli->snaplen : SL_LIVE_SNAPLEN), true,
			    errbuf);
			if (e != SL_OK) {
				fprintf(stderr, "sipladder: %s\n", errbuf);
				return e;
			}
			t->linktype = f->linktype;
		}
		if (f->linktype != t->linktype) {
			/* a pcap file has one link type */
			fprintf(stderr, "sipladder: %s: interfaces of different link types cannot "
			    "share one pcap file (capture on -i any instead)\n", t->cli->write);
			return SL_EUSAGE;
		}
		enum sl_err e = sl_pcapwr_write(t->w, (uint64_t)f->ts_ns, f->data, f->caplen,
		    f->wirelen);
		if (e != SL_OK) {
			fprintf(stderr, "sipladder: %s: write failed\n", t->cli->write);
			return e;
		}
		t->unflushed++;
	}
	if (++t->frames == t->cli->count)
		sl_input_stop(t->in);
	return SL_OK;
}

static int64_t
now_ns(void)
{
	return sl_clock_monotonic.now_ns(sl_clock_monotonic.user);
}

enum sl_err
sl_cli_capture_run(struct sl_cli *cli, struct sl_input *in, struct sl_engine *eng,
    enum sl_err (*round)(void *user), void *round_user)
{
	sigset_t set;
	block_stop_signals(&set);
	int sfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sfd < 0)
		return SL_EIO;
	struct tap t = { .cli = cli, .in = in };
	struct pollfd sig = { .fd = sfd, .events = POLLIN };
	struct sl_pump p;
	sl_pump_init(&p, in, eng, &sl_clock_monotonic);
	p.extra = &sig;
	p.n_extra = 1;
	p.tap = on_frame;
	p.tap_user = &t;
	p.round = round;
	p.round_user = round_user;
	int64_t deadline = cli->duration_s ? now_ns() + (int64_t)cli->duration_s * 1000000000LL : 0;
	enum sl_err e = SL_OK;
	for (bool eof = false; e == SL_OK && !eof;) {
		e = sl_pump_step(&p, WAIT_MS, &eof);
		if (sig.revents & POLLIN) {
			struct signalfd_siginfo si;
			while (read(sfd, &si, sizeof si) == (ssize_t)sizeof si)
				sl_input_stop(in);
		}
		if (deadline && now_ns() >= deadline)
			sl_input_stop(in);
		/* what was captured is on disk before the next wait: a kill
		 * loses at most the packets of this step */
		if (t.unflushed && e == SL_OK) {
			e = sl_pcapwr_flush(t.w);
			t.unflushed = 0;
		}
	}
	/* the final drop counters, before finishing completes the stored
	 * capture record with them */
	sl_input_refresh(in);
	if (e == SL_OK && round)
		e = round(round_user);
	if (e == SL_OK)
		e = sl_engine_finish(eng);
	enum sl_err ec = sl_pcapwr_close(t.w);
	if (e == SL_OK && ec != SL_OK) {
		fprintf(stderr, "sipladder: %s: write failed\n", cli->write);
		e = ec;
	}
	close(sfd);
	return e;
}
