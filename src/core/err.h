/* err.h: error codes shared by every library function. Only main() turns
 * them into exit codes or messages for the user. */
#ifndef SL_ERR_H
#define SL_ERR_H

#define SL_ERRBUF_SIZE 256

enum sl_err {
	SL_OK = 0,
	SL_ENOMEM,	/* allocation failed or a configured cap was hit */
	SL_ETRUNC,	/* input ended early (snaplen, short file) */
	SL_EMALFORMED,	/* protocol violation; details in the packet's anomalies */
	SL_ENOTMINE,	/* probe: not this protocol */
	SL_EIO,		/* file/pcap/socket error; text in errbuf */
	SL_EDB,		/* sqlite error; text in errbuf */
	SL_EUSAGE,	/* bad option or config */
};

/* Static text for e; never NULL. */
const char *sl_strerror(enum sl_err e);

/* Defensive checks against our own bugs, never against input (SQLite's
 * ALWAYS/NEVER). Release builds (NDEBUG) keep the graceful path and
 * evaluate to the condition; debug, sanitizer and fuzz builds stop at
 * once with the place and the condition, so tests and fuzzers cannot walk
 * past a broken invariant unnoticed. */
#ifdef NDEBUG
#define SL_ALWAYS(x) (x)
#define SL_NEVER(x) (x)
#else
#define SL_ALWAYS(x) ((x) ? 1 : (sl_invariant_failed(__FILE__, __LINE__, #x), 0))
#define SL_NEVER(x) ((x) ? (sl_invariant_failed(__FILE__, __LINE__, "!(" #x ")"), 1) : 0)
#endif
/* Prints "file:line: invariant failed: cond" on stderr and aborts. */
_Noreturn void sl_invariant_failed(const char *file, int line, const char *cond);

#endif
