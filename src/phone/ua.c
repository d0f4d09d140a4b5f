/* ua.c: the phone's life cycle, failures and job phases (ua.h). The job
 * advances after every loop iteration by looking at the state (nothing in
 * flight -> next phase), so the event handlers never call each other
 * recursively. */
#include "phone/ua_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ----- failures ----- */

static void
on_grace(struct sl_loop *l, uint64_t id, void *arg)
{
	struct sl_phone *ph = arg;

	(void)l;
	(void)id;
	ph->grace_timer = 0;
	ph->grace_over = true;
	sl_log(&ph->log, SL_LOG_DEBUG, NULL, "cleanup cut short after %u ms",
	    SL_PHONE_GRACE_MS);
}

void
sl_ua_fail(struct sl_phone *ph, const char *fmt, ...)
{
	char why[SL_ERRBUF_SIZE];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	sl_log(&ph->log, SL_LOG_ERROR, NULL, "%s", why);
	/* the first failure is the reason; later ones are its consequences */
	if (ph->rc == SL_PHONE_EXIT_OK) {
		ph->rc = SL_PHONE_EXIT_FAIL;
		snprintf(ph->reason, sizeof(ph->reason), "%s", why);
	}
	if (!ph->finishing) {
		ph->finishing = true;
		ph->grace_timer = sl_loop_timer_add(ph->loop, SL_PHONE_GRACE_MS, on_grace, ph);
	}
}

static void
first_call_reason(struct sl_phone *ph, const char *why)
{
	if (ph->call_reason[0] == '\0')
		snprintf(ph->call_reason, sizeof(ph->call_reason), "%s", why);
}

void
sl_ua_call_fail(struct sl_phone *ph, const char *fmt, ...)
{
	char why[SL_ERRBUF_SIZE];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	/* one bad call must not end a --calls N run: a peer (or anyone, in
	 * direct mode) could otherwise stop the phone with a single INVITE */
	if (ph->o->cmd != SL_PHONE_ANSWER) {
		sl_ua_fail(ph, "%s", why);
		return;
	}
	sl_log(&ph->log, SL_LOG_ERROR, NULL, "%s", why);
	ph->call.failed = true;
	first_call_reason(ph, why);
}

static void
on_timeout(struct sl_loop *l, uint64_t id, void *arg)
{
	struct sl_phone *ph = arg;
	static const char *const waiting[] = {
		[SL_PHONE_CALL_IDLE] = "idle",
		[SL_PHONE_CALL_OUT_TRYING] = "no response to INVITE",
		[SL_PHONE_CALL_OUT_EARLY] = "call not answered",
		[SL_PHONE_CALL_IN_RINGING] = "call still ringing",
		[SL_PHONE_CALL_ACTIVE] = "call still up",
		[SL_PHONE_CALL_BYE_SENT] = "no response to BYE",
	};
	const char *what = waiting[ph->call.state];

	(void)l;
	(void)id;
	ph->timeout_timer = 0;
	if (ph->reg.ct)
		what = "registration in progress";
	else if (ph->call.state == SL_PHONE_CALL_IDLE && ph->o->cmd == SL_PHONE_ANSWER)
		what = "waiting for calls";
	sl_ua_fail(ph, "timeout after %u.%03u s (%s)", ph->o->timeout_ms / 1000,
	    ph->o->timeout_ms % 1000, what);
}

/* ----- the job ----- */

static bool
main_complete(const struct sl_phone *ph)
{
	if (ph->o->cmd == SL_PHONE_CALL)
		return ph->call_finished;
	return ph->calls_done >= ph->o->calls;
}

/* Scripts wait for this line before they place the call. */
static void
announce_waiting(struct sl_phone *ph)
{
	char ep[SL_EP_STRLEN];

	sl_log(&ph->log, SL_LOG_INFO, NULL, "waiting for calls on %s",
	    sl_ep_str(&ph->sip.local, ep, sizeof(ep)));
}

/* Called after every loop iteration: move on when nothing is pending. */
static void
advance(struct sl_phone *ph)
{
	const struct sl_phone_opts *o = ph->o;

	for (int guard = 0; guard < 8 && !ph->done; guard++) {
		if (ph->finishing && ph->grace_over) {
			ph->done = true;
			return;
		}
		if (ph->reg.ct)
			return;
		if (ph->call.state != SL_PHONE_CALL_IDLE) {
			if (ph->finishing)
				sl_ua_call_abort(ph);
			return;
		}
		switch (ph->phase) {
		case SL_PH_START:
			ph->phase = SL_PH_REGISTER;
			if (o->cmd == SL_PHONE_REGISTER || o->do_register)
				sl_ua_reg_send(ph, o->expires);
			else if (o->cmd == SL_PHONE_UNREGISTER)
				sl_ua_reg_send(ph, 0);
			break;
		case SL_PH_REGISTER:
			if (ph->finishing || o->cmd == SL_PHONE_REGISTER ||
			    o->cmd == SL_PHONE_UNREGISTER) {
				ph->phase = SL_PH_LEAVE;
				break;
			}
			ph->phase = SL_PH_MAIN;
			if (o->cmd == SL_PHONE_CALL)
				sl_ua_call_start(ph);
			else
				announce_waiting(ph);
			break;
		case SL_PH_MAIN:
			if (!ph->finishing && !main_complete(ph))
				return;
			ph->phase = SL_PH_LEAVE;
			break;
		case SL_PH_LEAVE:
			ph->phase = SL_PH_DONE;
			if (o->do_register && ph->reg.registered)
				sl_ua_reg_send(ph, 0);
			break;
		case SL_PH_DONE:
			ph->done = true;
			break;
		}
	}
}

enum sl_phone_exit
sl_phone_run(struct sl_phone *ph, char reason[SL_ERRBUF_SIZE])
{
	char errbuf[SL_ERRBUF_SIZE];

	if (ph->o->timeout_ms)
		ph->timeout_timer = sl_loop_timer_add(ph->loop, ph->o->timeout_ms, on_timeout, ph);
	advance(ph);
	/* after the job, RTP may still linger (--rtp-linger) */
	while (!ph->done || (sl_media_lingering(&ph->media) && !ph->grace_over)) {
		if (sl_loop_run_once(ph->loop, -1, errbuf) != SL_OK) {
			sl_ua_fail(ph, "%s", errbuf);
			break;
		}
		int sig = sl_loop_stop_signal(ph->loop);
		if (sig && !ph->signalled) {
			ph->signalled = true;
			sl_ua_fail(ph, "interrupted by signal %d", sig);
		}
		advance(ph);
	}
	sl_media_close(&ph->media);
	if (ph->o->cmd == SL_PHONE_ANSWER && (ph->calls_done > 1 || ph->calls_refused > 0))
		sl_log(&ph->log, SL_LOG_INFO, NULL, "calls: %u attempted, %u failed, %u refused",
		    ph->calls_done, ph->calls_failed, ph->calls_refused);
	/* failed calls did not stop the run; they still make it a failure
	 * (unless something worse, already the reason, happened). Refusals
	 * never do: anyone may send the phone a bad INVITE (README.md) */
	if (ph->rc == SL_PHONE_EXIT_OK && ph->calls_failed > 0) {
		ph->rc = SL_PHONE_EXIT_FAIL;
		if (ph->calls_done == 1)
			snprintf(ph->reason, sizeof(ph->reason), "%s", ph->call_reason);
		else
			snprintf(ph->reason, sizeof(ph->reason), "%u of %u calls failed "
			    "(first: %.180s)", ph->calls_failed, ph->calls_done,
			    ph->call_reason);
	}
	snprintf(reason, SL_ERRBUF_SIZE, "%s", ph->reason);
	return ph->rc;
}

/* ----- set-up and tear-down ----- */

static enum sl_phone_exit
open_files(struct sl_phone *ph, char errbuf[SL_ERRBUF_SIZE])
{
	const struct sl_phone_opts *o = ph->o;

	if (o->trace && sl_trace_open(&ph->trace, o->trace, SL_TRACE_RAW, errbuf) != SL_OK)
		return SL_PHONE_EXIT_FAIL;
	if (o->wav && sl_wav_load(o->wav, 0, &ph->wav, errbuf) != SL_OK)
		return SL_PHONE_EXIT_FAIL;
	if (o->record) {
		if (sl_wav_writer_open(&ph->rec, o->record, errbuf) != SL_OK)
			return SL_PHONE_EXIT_FAIL;
		ph->rec_open = true;
	}
	return SL_PHONE_EXIT_OK;
}

static enum sl_phone_exit
open_sockets(struct sl_phone *ph, char errbuf[SL_ERRBUF_SIZE])
{
	const struct sl_phone_opts *o = ph->o;
	struct sl_endpoint rtp = o->bind;
	char sub[SL_ERRBUF_SIZE];

	if (sl_udp_open(&ph->sip, &o->bind, errbuf) != SL_OK)
		return SL_PHONE_EXIT_SOCKET;
	if (sl_loop_add_fd(ph->loop, ph->sip.fd, SL_LOOP_READ, sl_ua_on_sip, ph) != SL_OK) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "sip: cannot watch the socket");
		return SL_PHONE_EXIT_SOCKET;
	}
	rtp.port = o->rtp_port;
	if (sl_media_init(&ph->media, ph->loop, ph->trace, &ph->log, &rtp, o->tone_hz,
	    ph->wav.pcm, ph->wav.n, ph->rec_open ? &ph->rec : NULL) != SL_OK) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "--tone %g: not a usable frequency", o->tone_hz);
		return SL_PHONE_EXIT_USAGE;
	}
	/* only phones that handle calls need the RTP port */
	if (o->cmd == SL_PHONE_CALL || o->cmd == SL_PHONE_ANSWER) {
		if (sl_media_open(&ph->media, sub) != SL_OK) {
			snprintf(errbuf, SL_ERRBUF_SIZE, "rtp: %.200s", sub);
			return SL_PHONE_EXIT_SOCKET;
		}
	}
	return SL_PHONE_EXIT_OK;
}

enum sl_phone_exit
sl_phone_new(struct sl_phone **out, const struct sl_phone_opts *o,
    const char *user_agent, FILE *logf, char errbuf[SL_ERRBUF_SIZE])
{
	struct sl_phone *ph = calloc(1, sizeof(*ph));
	enum sl_phone_exit rc;

	*out = NULL;
	if (ph == NULL) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "out of memory");
		return SL_PHONE_EXIT_FAIL;
	}
	ph->o = o;
	ph->ua = user_agent;
	ph->log.level = o->log_level;
	ph->log.f = logf;
	ph->log.prog = "sipladder-phone";
	ph->sip.fd = -1;
	ph->media.sock.fd = -1;
	for (int k = 0; k < SL_REQ_KINDS; k++)
		ph->tags[k].kind = (enum sl_req_kind)k;
	sl_buf_init(&ph->call.sdp, 4096);
	if (o->has_seed) {
		sl_ids_seed(&ph->ids, o->seed);
		sl_log(&ph->log, SL_LOG_WARN, NULL, "--seed makes Call-IDs, tags, branches and "
		    "cnonces predictable: anyone can take over calls; for tests only");
	} else if (sl_ids_seed_random(&ph->ids, errbuf) != SL_OK) {
		sl_phone_free(ph);
		return SL_PHONE_EXIT_FAIL;
	}
	ph->loop = sl_loop_new(64, 8192);
	if (ph->loop == NULL) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "out of memory");
		sl_phone_free(ph);
		return SL_PHONE_EXIT_FAIL;
	}
	if (sl_loop_catch_signals(ph->loop, errbuf) != SL_OK) {
		sl_phone_free(ph);
		return SL_PHONE_EXIT_FAIL;
	}
	if ((rc = open_files(ph, errbuf)) != SL_PHONE_EXIT_OK ||
	    (rc = open_sockets(ph, errbuf)) != SL_PHONE_EXIT_OK) {
		sl_phone_free(ph);
		return rc;
	}
	struct sl_txn_cfg cfg;
	sl_txn_cfg_default(&cfg);
	/* the seed's phones send 100 Trying to BYE too; RFC 3261 17.2.2
	 * lets a UA skip it, and SIPp's built-in uac scenario insists */
	cfg.trying_non_invite = !o->lazy100;
	cfg.max_txns = 1024;	/* a flood is refused, not queued */
	cfg.t1_ms = o->t1_ms;
	struct sl_txn_user tu;
	sl_ua_txn_user(&tu);
	ph->txn = sl_txn_layer_new(ph->loop, &cfg, &tu, ph);
	if (ph->txn == NULL) {
		snprintf(errbuf, SL_ERRBUF_SIZE, "out of memory");
		sl_phone_free(ph);
		return SL_PHONE_EXIT_FAIL;
	}
	*out = ph;
	return SL_PHONE_EXIT_OK;
}

void
sl_phone_free(struct sl_phone *ph)
{
	char errbuf[SL_ERRBUF_SIZE];

	if (ph == NULL)
		return;
	sl_txn_layer_free(ph->txn);
	if (ph->loop) {
		sl_media_close(&ph->media);
		if (ph->sip.fd >= 0)
			sl_loop_del_fd(ph->loop, ph->sip.fd);
	}
	sl_udp_close(&ph->sip);
	sl_msg_free(ph->call.ack);
	sl_buf_free(&ph->call.sdp);
	if (ph->rec_open && sl_wav_writer_close(&ph->rec, errbuf) != SL_OK)
		sl_log(&ph->log, SL_LOG_WARN, NULL, "record: %s", errbuf);
	sl_wav_free(&ph->wav);
	sl_trace_close(ph->trace);
	sl_loop_free(ph->loop);
	free(ph);
}
