/* fuzz_sdp.c: one SDP body through the analyzer's dissector, then every
 * line through each field scanner of core/sdpscan.h, as the server and
 * phone (src/sip/sdp.c) call them too: the same bytes reach both worlds. */
#include <stddef.h>
#include <stdint.h>

#include "core/sdpscan.h"
#include "dissectors/dissector.h"
#include "dissectors/sdp.h"
#include "tests/fuzz/touch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned
scan_fields(const uint8_t *data, size_t size)
{
	struct sl_sdpscan sc;
	struct sl_sdpscan_line ln;
	unsigned sink = 0;

	sl_sdpscan_init(&sc, data, size);
	while (sl_sdpscan_next(&sc, &ln)) {
		struct sl_sdpscan_origin o;
		struct sl_sdpscan_media m;
		struct sl_sdpscan_rtpmap r;
		struct sl_str name, value;
		struct sl_ip ip;
		uint8_t pt;

		sink += sl_fuzz_touch(ln.raw) + sl_fuzz_touch(ln.value) + (unsigned)ln.span;
		sl_sdpscan_origin(ln.value, &o);
		sink += sl_fuzz_touch(o.user) + sl_fuzz_touch(o.sess_id);
		sink += sl_fuzz_touch(o.sess_ver);
		if (sl_sdpscan_conn(ln.value, &ip))
			sink += ip.family;
		if (sl_sdpscan_media(ln.value, &m)) {
			sink += sl_fuzz_touch(m.proto) + m.port;
			for (struct sl_str f = sl_sdpscan_token(&m.fmts); f.n;
			     f = sl_sdpscan_token(&m.fmts))
				sink += sl_sdpscan_pt(f, &pt) ? pt : sl_fuzz_touch(f);
		}
		sink += sl_fuzz_touch(m.type);
		sl_sdpscan_attr(ln.value, &name, &value);
		sink += sl_fuzz_touch(name) + sl_fuzz_touch(value);
		sink += (unsigned)sl_sdpscan_dir_name(sl_sdpscan_dir(name))[0];
		if (sl_sdpscan_rtpmap(value, &r))
			sink += sl_fuzz_touch(r.name) + r.pt + r.rate;
	}
	return sink;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sl_packet pkt;
	struct sl_sdp sdp;
	volatile unsigned sink = 0;

	sl_packet_init(&pkt, NULL);
	(void)sl_sdp_parse(&pkt, sl_str_make((const char *)data, size), &sdp);
	sink += sl_fuzz_touch(sdp.origin);
	for (uint8_t m = 0; m < sdp.n_media; m++) {
		const struct sl_sdp_media *md = &sdp.media[m];
		sink += sl_fuzz_touch(md->type) + sl_fuzz_touch(md->proto);
		for (uint8_t k = 0; k < md->n_fmt; k++)
			sink += sl_fuzz_touch(md->fmt[k].name);
		sink += (unsigned)sl_sdp_dir_name(md->dir)[0];
	}
	sink += scan_fields(data, size);
	(void)sink;
	return 0;
}
