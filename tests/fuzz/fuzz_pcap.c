/* fuzz_pcap.c: the whole analyzer on one capture file (pcap or pcapng):
 * input reader -> dissectors -> reassembly -> correlator -> every report
 * (JSON, both ladder styles, both tables), the path `sipladder calls
 * --json`, `ladder` and `rtp` take, rendered into a capped memory buffer.
 *
 * The input is the capture itself, byte for byte, so any capture is a
 * seed. Report options that the CLI would take from the command line
 * come from the low bits of the last byte (usually packet payload or a
 * truncated record), so mutations reach them without a header of our own
 * that would make real captures useless as seeds. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "capture/source.h"
#include "engine/pipeline.h"
#include "reports/report.h"

#define OUT_CAP (4u << 20)

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct sink {
	struct sl_report_opts rep;
	struct sl_buf out;
	struct sl_report_table *calls, *rtp;	/* the tables need every row */
	uint64_t emitted;
	volatile unsigned bytes;	/* keeps the renderers' work observable */
};

static void
consume(struct sink *k)
{
	for (size_t i = 0; i < k->out.len; i++)
		k->bytes += (unsigned char)k->out.p[i];
	sl_buf_reset(&k->out);
}

/* A renderer that fails freed the buffer (buf.h): start a new one. */
static void
settle(struct sink *k, enum sl_err e)
{
	if (e == SL_OK)
		consume(k);
	else
		sl_buf_init(&k->out, OUT_CAP);
}

static enum sl_err
on_begin(void *user, const struct sl_run_stats *st)
{
	struct sink *k = user;
	k->rep.base_ts_ns = st->first_ts;
	return SL_OK;
}

static enum sl_err
on_call(void *user, const struct sl_call *call, const struct sl_run_stats *st)
{
	(void)st;
	struct sink *k = user;
	k->emitted++;
	struct sl_report_opts o = k->rep;
	settle(k, sl_report_json_call(&k->out, call, &o));
	o.style = SL_LADDER_STYLE_TEXT;
	settle(k, sl_report_ladder(&k->out, call, &o));
	o.style = SL_LADDER_STYLE_WIRESHARK;
	settle(k, sl_report_ladder(&k->out, call, &o));
	/* a table that ran out of room holds nothing: that is its contract */
	(void)sl_report_table_add(k->calls, call, &k->rep);
	(void)sl_report_table_add(k->rtp, call, &k->rep);
	return SL_OK;
}

static enum sl_err
on_end(void *user, const struct sl_run_stats *st)
{
	(void)st;
	struct sink *k = user;
	settle(k, sl_report_table_render(&k->out, k->calls));
	settle(k, sl_report_table_render(&k->out, k->rtp));
	return SL_OK;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	sl_osip_init();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint16_t ports[] = { 4000, 6000, 10000 };
	/* 0: the default; 15: below the minimum, widened by the renderer */
	static const unsigned widths[] = { 0, 15, 40, 60, 80, 132, 400, 2000 };
	char errbuf[SL_ERRBUF_SIZE];
	struct sl_input *in;
	if (sl_input_open_mem(&in, data, size, "fuzz", errbuf) != SL_OK)
		return 0;
	uint8_t knobs = size ? data[size - 1] : 0;

	struct sink *k = calloc(1, sizeof *k);
	if (k == NULL || (k->calls = sl_report_table_new(SL_REPORT_TABLE_CALLS)) == NULL ||
	    (k->rtp = sl_report_table_new(SL_REPORT_TABLE_RTP)) == NULL) {
		if (k)
			sl_report_table_free(k->calls);
		free(k);
		sl_input_close(in);
		return 0;
	}
	sl_buf_init(&k->out, OUT_CAP);
	sl_report_opts_default(&k->rep);
	k->rep.ascii = knobs & 1;
	k->rep.delta = knobs & 2;
	k->rep.rtp = !(knobs & 4);
	k->rep.width = widths[(knobs >> 4) & 7];

	struct sl_run_opts o;
	sl_run_opts_default(&o);
	o.corr.merge = !(knobs & 8);
	if (knobs & 0x80) {
		o.rtp_ports = ports;
		o.n_rtp_ports = sizeof ports / sizeof ports[0];
	}
	struct sl_sink sink = { .begin = on_begin, .call = on_call, .end = on_end, .user = k };
	struct sl_engine *eng = sl_engine_new(&o, &sink, 1);
	if (eng == NULL)
		__builtin_trap();
	enum sl_err e = sl_pipeline_run(in, eng, &sl_clock_monotonic);
	struct sl_run_stats st = *sl_engine_stats(eng);
	sl_engine_free(eng);
	const char *warn[16];
	size_t nw = sl_input_warnings(in, warn, 16);
	for (size_t i = 0; i < nw; i++)
		k->bytes += (unsigned char)warn[i][0];

	/* the books must balance: every fragment settled once the reassembler
	 * flushed, and one emitted call per call, registration or dialog
	 * opened (joined legs open none) */
	const struct sl_reasm_stats *r = &st.reasm;
	if (r->frags_in != r->frags_completed + r->frags_dropped + r->frags_dup + r->frags_pending ||
	    r->frags_pending || r->bytes_held)
		__builtin_trap();
	if (e == SL_OK && k->emitted != st.corr.calls + st.corr.registrations + st.corr.dialogs)
		__builtin_trap();

	sl_report_table_free(k->calls);
	sl_report_table_free(k->rtp);
	sl_buf_free(&k->out);
	sl_input_close(in);
	free(k);
	return 0;
}
