/* fuzz_rtp.c: one UDP payload through the RTP probe and dissector. */
#include <stddef.h>
#include <stdint.h>

#include "dissectors/dissector.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct sl_dctx ctx = { .all_udp_media = true };
	struct sl_packet pkt;
	volatile size_t sink;

	sl_packet_init(&pkt, NULL);
	struct sl_cur c = sl_cur_init(data, size);
	if (sl_dissector_rtp.probe(&ctx, &pkt, c) &&
	    sl_dissector_rtp.dissect(&pkt, c) == SL_OK) {
		/* the payload length must fit in the input */
		if (pkt.rtp.payload_len > size)
			__builtin_trap();
	}
	sink = pkt.rtp.payload_len;
	(void)sink;
	return 0;
}
