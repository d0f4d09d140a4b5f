/* ids.h: identifiers for SIP (RFC 3261 8.1.1.4 Call-ID, 19.3 tags,
 * 8.1.1.7 Via branch), digest cnonces, relay ports and secrets.
 *
 * Secrecy, not only uniqueness: a peer that can predict our next tag and
 * branch can answer our INVITE in the callee's place, and one that can
 * derive the nonce secret can forge challenges. So by default every value
 * is read from the kernel CSPRNG (getrandom), each on its own: no state
 * here that an observer could reconstruct from the values we print (the
 * xoshiro generator used before fell to three observed branches).
 *
 * --seed switches a generator to xoshiro256** seeded from the number, so a
 * test run's traces can be reproduced byte for byte. That mode is
 * INSECURE by design; programs must say so when it is on.
 *
 * A generator is a caller-owned value (embed it, no free). Copying a
 * random-mode generator is harmless: it holds no random state. Output goes
 * into caller buffers of the sizes below; the functions never fail once
 * seeded (getrandom of <= 256 bytes cannot fail after the start-up probe;
 * should it ever, the process aborts rather than hand out guessable ids). */
#ifndef SL_SIP_IDS_H
#define SL_SIP_IDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct sl_ids {
	bool deterministic;	/* --seed: reproducible, predictable */
	uint64_t seed;		/* deterministic mode: for sl_ids_secret */
	uint64_t s[4];		/* deterministic mode: xoshiro256** state */
};

/* "z9hG4bK" + 16 hex digits + NUL */
#define SL_IDS_BRANCH_LEN 24
/* decimal uint32 (Yate's style: "1542144666") + NUL */
#define SL_IDS_TAG_LEN 11
/* 16 hex digits + NUL */
#define SL_IDS_HEX_LEN 17
/* "<decimal>@" + host: room for an IPv6 literal with brackets */
#define SL_IDS_CALLID_LEN 80

/* Deterministic and INSECURE: the same seed gives the same sequence on
 * every host. For tests only. */
void sl_ids_seed(struct sl_ids *g, uint64_t seed);
/* Kernel CSPRNG mode; SL_EIO (errbuf says why) if getrandom is refused. */
enum sl_err sl_ids_seed_random(struct sl_ids *g, char errbuf[SL_ERRBUF_SIZE]);

uint64_t sl_ids_u64(struct sl_ids *g);
/* Uniform in [0, n) without modulo bias; n == 0 gives 0. */
uint32_t sl_ids_below(struct sl_ids *g, uint32_t n);
/* n secret bytes (digest nonce keys): from the kernel, or in deterministic
 * mode from a stream derived from the seed that never overlaps the
 * identifier stream, so printed identifiers say nothing about it. */
void sl_ids_secret(const struct sl_ids *g, void *out, size_t n);

/* Each returns out. */
char *sl_ids_branch(struct sl_ids *g, char out[SL_IDS_BRANCH_LEN]);
char *sl_ids_tag(struct sl_ids *g, char out[SL_IDS_TAG_LEN]);
char *sl_ids_hex(struct sl_ids *g, char out[SL_IDS_HEX_LEN]);
/* "<decimal uint64>@host"; host is cut if it would not fit. */
char *sl_ids_callid(struct sl_ids *g, const char *host, char out[SL_IDS_CALLID_LEN]);

#endif
