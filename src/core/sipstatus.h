/* sipstatus.h: the one table of SIP status codes and their standard
 * reason phrases, shared by the analyzer (labels for a response whose own
 * phrase is empty: dissectors/sip.c) and the server/phone (phrases of the
 * responses they send: src/sip/msg.c). Each caller picks its own fallback
 * for a code not listed. No libosip2: plain data (DESIGN 3.2b). */
#ifndef SL_SIPSTATUS_H
#define SL_SIPSTATUS_H

/* Phrase of code ("Unauthorized"): every code of RFC 3261 21 and the
 * IANA registry's extensions listed in sipstatus.c; NULL for any other
 * int (negative, 299, 9999...). Static text. */
const char *sl_sip_reason(int code);

#endif
