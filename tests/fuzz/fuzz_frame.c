/* fuzz_frame.c: whole frames through sl_dissect_frame, with reassembly.
 * Input: byte 0 picks the link type from the supported list; the rest is
 * a sequence of frames, each a 2-byte big-endian length and the bytes
 * (the last one takes what is left). Frames are 7 s apart in capture
 * time and the reassembly timeout is 15 s, so timeouts happen too. Every
 * UDP flow counts as media so every dissector is reached. */
#include <stddef.h>
#include <stdint.h>

#include "dissectors/dissector.h"
#include "dissectors/reasm.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
	static const int linktypes[] = { 1, 113, 276, 0, 108, 12, 101, 228, 229 };
	static const uint16_t ports[] = { 5004 };
	if (size < 1)
		return 0;
	struct sl_reasm *r = sl_reasm_new(256u << 10, 8, 15000000000LL);
	if (r == NULL)
		return 0;
	struct sl_dctx ctx = {
		.reasm = r, .all_udp_media = true, .rtp_ports = ports, .n_rtp_ports = 1,
	};
	struct sl_arena a;
	sl_arena_init(&a, 4096, 1u << 20);
	int linktype = linktypes[data[0] % (sizeof(linktypes) / sizeof(linktypes[0]))];
	struct sl_cur in = sl_cur_init(data + 1, size - 1);
	volatile unsigned sink = 0;

	for (uint64_t frame = 1; sl_cur_left(&in) && frame <= 64; frame++) {
		size_t len = sl_cur_be16(&in);
		if (in.bad)
			break;
		if (len > sl_cur_left(&in))
			len = sl_cur_left(&in);
		struct sl_cur f = sl_cur_take(&in, len);
		struct sl_packet pkt;
		sl_packet_init(&pkt, &a);
		pkt.frame = frame;
		pkt.ts_ns = (int64_t)frame * 7000000000LL;
		pkt.linktype = linktype;
		pkt.caplen = (uint32_t)len;
		pkt.wirelen = (uint32_t)len + (uint32_t)(frame & 1);
		sl_dissect_frame(&ctx, &pkt, f.p, len);
		if (pkt.app == SL_APP_NONE && pkt.skip == SL_SKIP_NONE)
			__builtin_trap();
		for (size_t i = 0; i < sl_cur_left(&pkt.l4); i++)
			sink += pkt.l4.p[i];
		for (const struct sl_sip *m = pkt.sip; m; m = m->next)
			for (size_t i = 0; i < m->call_id.n; i++)
				sink += (unsigned char)m->call_id.p[i];
		sink += (unsigned)sl_skip_name(pkt.skip)[0];
		sl_arena_reset(&a);
	}
	sl_reasm_flush(r);
	struct sl_reasm_stats st;
	sl_reasm_stats(r, &st);
	if (st.frags_in != st.frags_completed + st.frags_dropped + st.frags_dup + st.frags_pending ||
	    st.frags_pending || st.bytes_held)
		__builtin_trap();
	(void)sink;
	sl_reasm_free(r);
	sl_arena_free(&a);
	return 0;
}
