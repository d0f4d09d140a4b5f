/* ua.h: sipladder-phone's user agent: one registration and at most one
 * call at a time, run to completion on its own loop. The job comes from
 * the options: register, unregister, call TARGET, or answer N calls,
 * optionally wrapped in register/unregister. Every step logs one line;
 * the first failure ends the job (the call is cancelled or hung up and
 * the registration removed, within a short grace period) and becomes the
 * exit reason, except that an answering phone counts a failed call and
 * takes the next (the run then ends in failure). See README.md for the
 * ladders it produces and the screening of requests (Security). */
#ifndef SL_PHONE_UA_H
#define SL_PHONE_UA_H

#include <stdio.h>

#include "core/err.h"
#include "phone/opts.h"

/* Exit codes of the program (README.md). */
enum sl_phone_exit {
	SL_PHONE_EXIT_OK = 0,
	SL_PHONE_EXIT_FAIL = 1,
	SL_PHONE_EXIT_USAGE = 2,
	SL_PHONE_EXIT_SOCKET = 3,
};

struct sl_phone;

/* Set up loop, signals, SIP and RTP sockets, trace, WAV input and
 * recorder. o and user_agent must outlive the phone; log lines go to
 * logf. On failure *out is NULL, errbuf says why and the return value is
 * the exit code (SL_PHONE_EXIT_SOCKET for socket errors). sl_osip_init
 * must have been called. */
enum sl_phone_exit sl_phone_new(struct sl_phone **out /* OUT */,
    const struct sl_phone_opts *o, const char *user_agent, FILE *logf,
    char errbuf[SL_ERRBUF_SIZE]);

/* Run the job to its end. SL_PHONE_EXIT_OK, or SL_PHONE_EXIT_FAIL with
 * the one-line reason in reason. */
enum sl_phone_exit sl_phone_run(struct sl_phone *ph, char reason[SL_ERRBUF_SIZE]);

/* Accepts NULL. Closes sockets, finishes the recording and the trace. */
void sl_phone_free(struct sl_phone *ph);

#endif
