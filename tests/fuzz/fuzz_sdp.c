/* fuzz_sdp.c: one SDP body through the line parser. */
#include <stddef.h>
#include <stdint.h>

#include "dissector.h"
#include "sdp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sl_packet pkt;
	struct sl_sdp sdp;
	volatile unsigned sink = 0;

	sl_packet_init(&pkt, NULL);
	(void)sl_sdp_parse(&pkt, sl_str_make((const char *)data, size), &sdp);
	/* every slice must lie inside the input */
	for (size_t i = 0; i < sdp.origin.n; i++)
		sink += (unsigned char)sdp.origin.p[i];
	for (uint8_t m = 0; m < sdp.n_media; m++) {
		const struct sl_sdp_media *md = &sdp.media[m];
		for (size_t i = 0; i < md->type.n; i++)
			sink += (unsigned char)md->type.p[i];
		for (size_t i = 0; i < md->proto.n; i++)
			sink += (unsigned char)md->proto.p[i];
		for (uint8_t k = 0; k < md->n_fmt; k++)
			for (size_t i = 0; i < md->fmt[k].name.n; i++)
				sink += (unsigned char)md->fmt[k].name.p[i];
		sink += (unsigned)sl_sdp_dir_name(md->dir)[0];
	}
	(void)sink;
	return 0;
}
