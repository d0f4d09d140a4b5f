/* ids.h: identifiers for SIP (RFC 3261 8.1.1.4 Call-ID, 19.3 tags,
 * 8.1.1.7 Via branch) and digest cnonces, from a per-instance PRNG.
 *
 * Uniqueness, not secrecy: xoshiro256** seeded from getrandom(), or from a
 * fixed --seed so a run's traces can be reproduced byte for byte. Nothing
 * here is global; every generator is a caller-owned value (embed it, no
 * free needed). Output goes into caller buffers of the sizes below; the
 * functions never fail once seeded. */
#ifndef SL_SIP_IDS_H
#define SL_SIP_IDS_H

#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct sl_ids {
	uint64_t s[4];
};

/* "z9hG4bK" + 16 hex digits + NUL */
#define SL_IDS_BRANCH_LEN 24
/* decimal uint32 (Yate's style: "1542144666") + NUL */
#define SL_IDS_TAG_LEN 11
/* 16 hex digits + NUL */
#define SL_IDS_HEX_LEN 17
/* "<decimal>@" + host: room for an IPv6 literal with brackets */
#define SL_IDS_CALLID_LEN 80

/* Deterministic: the same seed gives the same sequence on every host. */
void sl_ids_seed(struct sl_ids *g, uint64_t seed);
/* From getrandom(); SL_EIO (errbuf says why) if the kernel refuses. */
enum sl_err sl_ids_seed_random(struct sl_ids *g, char errbuf[SL_ERRBUF_SIZE]);

uint64_t sl_ids_u64(struct sl_ids *g);
/* Uniform in [0, n); n == 0 gives 0. */
uint32_t sl_ids_below(struct sl_ids *g, uint32_t n);

/* Each returns out. */
char *sl_ids_branch(struct sl_ids *g, char out[SL_IDS_BRANCH_LEN]);
char *sl_ids_tag(struct sl_ids *g, char out[SL_IDS_TAG_LEN]);
char *sl_ids_hex(struct sl_ids *g, char out[SL_IDS_HEX_LEN]);
/* "<decimal uint64>@host"; host is cut if it would not fit. */
char *sl_ids_callid(struct sl_ids *g, const char *host, char out[SL_IDS_CALLID_LEN]);

#endif
