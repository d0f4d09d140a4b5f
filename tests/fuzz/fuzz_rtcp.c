/* fuzz_rtcp.c: one UDP payload through the RTCP probe and compound walk. */
#include <stddef.h>
#include <stdint.h>

#include "dissectors/dissector.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct sl_dctx ctx = { .all_udp_media = true };
	struct sl_packet pkt;

	sl_packet_init(&pkt, NULL);
	struct sl_cur c = sl_cur_init(data, size);
	(void)sl_dissector_rtcp.probe(&ctx, &pkt, c);
	(void)sl_dissector_rtcp.dissect(&pkt, c);
	/* RTCP_MAX_PACKETS bounds the walk */
	if (pkt.rtcp.n_packets > 32)
		__builtin_trap();
	return 0;
}
