/* pipeline.c: the analysis loop. One scratch arena serves every frame and
 * is reset after it, so dissection allocates nothing per packet. */
#include <stdlib.h>
#include <string.h>

#include "pipeline.h"

#define SCRATCH_CHUNK (64u << 10)
#define SCRATCH_CAP (8u << 20)

void
sl_run_opts_default(struct sl_run_opts *o)
{
	*o = (struct sl_run_opts){
		.reasm_bytes = 8u << 20,
		.reasm_datagrams = 1024,
		.reasm_timeout_ns = 30LL * 1000000000LL,
	};
	sl_corr_opts_default(&o->corr);
}

enum sl_err
sl_pipeline_run(struct sl_input *in, const struct sl_run_opts *o,
    struct sl_run_stats *st)
{
	*st = (struct sl_run_stats){ 0 };
	struct sl_corr *corr = sl_corr_new(&o->corr);
	struct sl_reasm *reasm = sl_reasm_new(o->reasm_bytes, o->reasm_datagrams,
	    o->reasm_timeout_ns);
	if (corr == NULL || reasm == NULL) {
		sl_corr_free(corr);
		sl_reasm_free(reasm);
		return SL_ENOMEM;
	}
	struct sl_dctx ctx = {
		.reasm = reasm,
		.is_media = sl_corr_is_media,
		.media_user = corr,
		.rtp_ports = o->rtp_ports,
		.n_rtp_ports = o->n_rtp_ports,
	};
	struct sl_arena scratch;
	sl_arena_init(&scratch, SCRATCH_CHUNK, SCRATCH_CAP);
	enum sl_err e = SL_OK;
	for (;;) {
		struct sl_frame f;
		bool eof;
		e = sl_input_next(in, &f, &eof);
		if (e != SL_OK || eof)
			break;
		struct sl_packet pkt;
		sl_packet_init(&pkt, &scratch);
		pkt.frame = ++st->frames;
		pkt.ts_ns = f.ts_ns;
		pkt.caplen = f.caplen;
		pkt.wirelen = f.wirelen;
		pkt.linktype = f.linktype;
		if (!st->have_first) {
			st->have_first = true;
			st->first_ts = f.ts_ns;
		}
		sl_dissect_frame(&ctx, &pkt, f.data, f.caplen);
		st->anomalies += pkt.n_anomalies + pkt.anomalies_lost;
		if (pkt.app != SL_APP_NONE)
			st->by_app[pkt.app]++;
		else
			st->skip[pkt.skip < SL_SKIP__COUNT ? pkt.skip : SL_SKIP_NONE]++;
		e = sl_corr_packet(corr, &pkt);
		sl_arena_reset(&scratch);
		if (e != SL_OK)
			break;
	}
	sl_reasm_flush(reasm);
	if (e == SL_OK)
		e = sl_corr_finish(corr);
	sl_reasm_stats(reasm, &st->reasm);
	st->corr = *sl_corr_stats(corr);
	st->input = *sl_input_stats(in);
	sl_arena_free(&scratch);
	sl_reasm_free(reasm);
	sl_corr_free(corr);
	return e;
}

static int
by_count(const void *a, const void *b)
{
	const struct sl_run_count *x = a, *y = b;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->name, y->name);
}

size_t
sl_run_skipped(const struct sl_run_stats *st, struct sl_run_count *out, size_t n)
{
	struct sl_run_count all[SL_SKIP__COUNT + 8];
	size_t k = 0;
	for (int s = SL_SKIP_NONE + 1; s < SL_SKIP__COUNT; s++) {
		/* fragments are settled by the reassembler's own books below:
		 * a fragment held early may still be dropped at the end */
		if (s == SL_SKIP_FRAGMENT || s == SL_SKIP_FRAG_DROPPED)
			continue;
		all[k++] = (struct sl_run_count){ sl_skip_name((enum sl_skip)s),
		    sl_skip_id((enum sl_skip)s), st->skip[s] };
	}
	const struct sl_reasm_stats *r = &st->reasm;
	all[k++] = (struct sl_run_count){ "fragments reassembled", "fragments_reassembled",
	    r->frags_completed - r->datagrams_completed };
	all[k++] = (struct sl_run_count){ "fragments dropped", "fragments_dropped",
	    r->frags_dropped };
	all[k++] = (struct sl_run_count){ "duplicate fragments", "fragments_duplicate",
	    r->frags_dup };
	all[k++] = (struct sl_run_count){ "SIP without Call-ID", "sip_without_call_id",
	    st->corr.sip_uncorrelated };
	all[k++] = (struct sl_run_count){ "SIP over call memory cap", "sip_over_call_cap",
	    st->corr.msgs_over_cap };
	all[k++] = (struct sl_run_count){ "RTP without call", "rtp_without_call",
	    st->corr.rtp_unattributed };
	all[k++] = (struct sl_run_count){ "media over call memory cap", "media_over_call_cap",
	    st->corr.media_over_cap };
	all[k++] = (struct sl_run_count){ "RTCP without stream", "rtcp_without_stream",
	    st->corr.rtcp_unattributed };
	all[k++] = (struct sl_run_count){ "ICMP without stream", "icmp_without_stream",
	    st->corr.icmp_unattributed };
	qsort(all, k, sizeof all[0], by_count);
	size_t m = 0;
	for (size_t i = 0; i < k && m < n; i++)
		if (all[i].count)
			out[m++] = all[i];
	return m;
}
