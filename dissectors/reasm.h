/* reasm.h: bounded IPv4/IPv6 fragment reassembly (RFC 791 3.2,
 * RFC 8200 4.5, RFC 5722), shared by ip4.c and ip6.c.
 *
 * The pipeline owns one struct sl_reasm per run and puts it in struct
 * sl_dctx. Memory is capped in bytes and in datagrams; the oldest
 * datagram is evicted when a cap is hit. Timeouts use capture
 * timestamps only, so output is deterministic. Fragments may arrive in
 * any order; overlapping fragments with different bytes drop the whole
 * datagram (RFC 5722), exact duplicates are ignored. */
#ifndef SL_REASM_H
#define SL_REASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/addr.h"
#include "core/cursor.h"

#define SL_REASM_MAX_DATAGRAM 65535	/* reassembled payload cap, bytes */

struct sl_reasm;
struct sl_packet;

/* Counters since sl_reasm_new. Every fragment given to sl_reasm_add ends
 * in exactly one bucket:
 *   frags_in == frags_completed + frags_dropped + frags_dup + frags_pending
 * frags_dropped counts fragments refused on arrival (malformed, over a
 * cap) and those whose datagram timed out, was evicted, overlapped or was
 * still incomplete at sl_reasm_flush. */
struct sl_reasm_stats {
	uint64_t frags_in;
	uint64_t frags_completed;	/* part of a datagram that completed */
	uint64_t frags_dropped;
	uint64_t frags_dup;		/* exact duplicates, ignored */
	uint64_t frags_pending;		/* held now, waiting for the rest */
	uint64_t datagrams_completed;
	uint64_t datagrams_dropped;	/* timed out, evicted, overlapped, flushed */
	uint64_t datagrams_evicted;	/* of which evicted by a cap */
	uint64_t datagrams_timed_out;	/* of which timed out */
	size_t bytes_held;		/* buffer memory held now */
	size_t datagrams_pending;	/* datagrams held now */
};

/* One fragment as the IP layer found it. */
struct sl_reasm_frag {
	struct sl_ip src;
	struct sl_ip dst;
	uint32_t id;		/* v4: 16-bit Identification; v6: 32-bit */
	uint8_t proto;		/* v4: Protocol (part of the key); v6: Next
				 * Header of the Fragment header, used from
				 * the offset-0 fragment */
	uint32_t offset;	/* bytes */
	bool more;		/* MF / M flag */
	struct sl_cur data;	/* fragment payload */
};

enum sl_reasm_res {
	SL_REASM_HELD,		/* stored, datagram not complete yet */
	SL_REASM_DONE,		/* datagram complete: see *out */
	SL_REASM_DROPPED,	/* refused, or its datagram was dropped */
};

/* max_bytes caps the buffer memory of all pending datagrams together,
 * max_datagrams their number (at least 1); a datagram whose first
 * fragment is older than timeout_ns (capture time; 0: never) is dropped.
 * NULL when out of memory. */
struct sl_reasm *sl_reasm_new(size_t max_bytes, size_t max_datagrams,
    int64_t timeout_ns);
/* Frees everything; NULL is fine. Call sl_reasm_flush first to have
 * pending fragments counted as dropped. */
void sl_reasm_free(struct sl_reasm *r);

/* Adds one fragment seen at pkt->ts_ns. Anomalies ("ip.frag_overlap",
 * "ip.frag_bad", "ip.frag_too_big") go on pkt. On SL_REASM_DONE, *out
 * covers the reassembled payload and *proto is the protocol (v6: Next
 * Header of the offset-0 fragment); those bytes belong to r and stay
 * valid until the next call into r. */
enum sl_reasm_res sl_reasm_add(struct sl_reasm *r, struct sl_packet *pkt,
    const struct sl_reasm_frag *f, struct sl_cur *out /* OUT */,
    uint8_t *proto /* OUT */);

/* Drops datagrams whose first fragment is older than now_ns - timeout.
 * sl_reasm_add does this itself; the pipeline may call it on idle input. */
void sl_reasm_expire(struct sl_reasm *r, int64_t now_ns);

/* End of input: every pending datagram is dropped and counted. */
void sl_reasm_flush(struct sl_reasm *r);

void sl_reasm_stats(const struct sl_reasm *r, struct sl_reasm_stats *out /* OUT */);

#endif
