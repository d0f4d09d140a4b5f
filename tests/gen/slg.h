/* slg.h: constants shared by every part of the capture generator slgen.
 *
 * Every timestamp slgen writes is a fixed base plus a scenario offset, so
 * two runs produce byte-identical files. Times are carried in nanoseconds
 * since the Unix epoch in a uint64_t everywhere; the pcap writer truncates
 * to microseconds where the file format asks for it. */
#ifndef SLG_H
#define SLG_H

#include <stdint.h>

/* 2009-06-01 10:00:00 UTC: the year the seed capture was taken. */
#define SLG_BASE_EPOCH	1243850400ull

#define SLG_NS_PER_SEC	1000000000ull
#define SLG_NS_PER_MS	1000000ull
#define SLG_NS_PER_US	1000ull

/* Seconds (integer) plus microseconds, as nanoseconds since the epoch. */
#define SLG_T(sec, usec) \
	((SLG_BASE_EPOCH + (uint64_t)(sec)) * SLG_NS_PER_SEC + \
	    (uint64_t)(usec) * SLG_NS_PER_US)

#define SLG_PRINTF(f, a)	__attribute__((format(printf, f, a)))

#endif
