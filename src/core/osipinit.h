/* osipinit.h: the one process-wide libosip2 set-up, for the analyzer
 * (dissectors/sip.c) and the server/phone message layer (src/sip/msg.c)
 * alike (DESIGN 3.2b). */
#ifndef SL_OSIPINIT_H
#define SL_OSIPINIT_H

/* parser_init() (libosip2 builds its header-name table there; without it
 * every header is "unknown") and silencing libosip2's own trace output
 * (the Debian build prints parse errors of hostile input to stdout; for
 * us malformed input is data, never log noise). Call from main() (test
 * main(), LLVMFuzzerInitialize) before any SIP parse or build. Safe to
 * call any number of times and from any thread: the work runs once, and
 * a caller returns only after it has finished. */
void sl_osip_init(void);

#endif
