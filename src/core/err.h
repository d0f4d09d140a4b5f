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
 * ALWAYS/NEVER): they evaluate to the condition in release builds. */
#define SL_ALWAYS(x) (x)
#define SL_NEVER(x) (x)

#endif
