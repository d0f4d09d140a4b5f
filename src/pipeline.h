/* pipeline.h: one analysis run: frames from the input, through the
 * dissectors, into the correlator, with every frame accounted for. */
#ifndef SL_PIPELINE_H
#define SL_PIPELINE_H

#include "capture/source.h"
#include "correlate/correlate.h"
#include "reasm.h"

struct sl_run_opts {
	struct sl_corr_opts corr;	/* emit callback included */
	const uint16_t *rtp_ports;	/* --rtp-port */
	size_t n_rtp_ports;
	size_t reasm_bytes;		/* fragment memory cap */
	size_t reasm_datagrams;
	int64_t reasm_timeout_ns;
};

/* Where every frame went. frames == analysed + sum(skip) - absorbed
 * fragments: see sl_run_skipped(). */
struct sl_run_stats {
	uint64_t frames;
	int64_t first_ts;		/* set before the first call is emitted */
	bool have_first;
	uint64_t by_app[5];		/* enum sl_app: frames per application */
	uint64_t skip[SL_SKIP__COUNT];
	uint64_t anomalies;		/* named anomalies recorded on packets */
	struct sl_reasm_stats reasm;
	struct sl_corr_stats corr;
	struct sl_input_stats input;
};

void sl_run_opts_default(struct sl_run_opts *o /* OUT */);

/* Reads in to the end. Returns the first emit error, SL_ENOMEM, or SL_OK.
 * st is updated as the run goes (emit callbacks may read it). */
enum sl_err sl_pipeline_run(struct sl_input *in, const struct sl_run_opts *o,
    struct sl_run_stats *st /* OUT */);

/* A named count of frames not analysed, for the summary. */
struct sl_run_count {
	const char *name;	/* for people: the summary line */
	const char *id;		/* stable snake_case: JSON keys (reports/JSON.md) */
	uint64_t count;
};
/* Fills up to n non-zero counts, biggest first; returns how many. */
size_t sl_run_skipped(const struct sl_run_stats *st, struct sl_run_count *out, size_t n);

#endif
