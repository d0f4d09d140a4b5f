/* fuzz_sip.c: one UDP payload through the SIP dissector (framing,
 * libosip2, SDP). Every returned slice is read back so ASan sees any
 * pointer into freed libosip2 memory or past the input. */
#include <stddef.h>
#include <stdint.h>

#include "dissectors/dissector.h"
#include "dissectors/sip.h"
#include "tests/fuzz/touch.h"

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
	struct sl_arena a;
	struct sl_packet pkt;
	volatile unsigned sink = 0;

	sl_arena_init(&a, 4096, 1u << 20);
	sl_packet_init(&pkt, &a);
	(void)sl_sip_looks_like(data, size);
	(void)sl_sip_dissect(&pkt, sl_cur_init(data, size));
	for (const struct sl_sip *m = pkt.sip; m; m = m->next) {
		const struct sl_str f[] = {
			m->raw, m->method, m->ruri, m->reason, m->call_id, m->from_uri,
			m->from_user, m->from_display, m->from_tag, m->to_uri, m->to_user,
			m->to_tag, m->cseq_method, m->via_branch, m->via_sent_by,
			m->via_transport, m->contact, m->reason_hdr, m->user_agent, m->xcid,
			m->auth_user, m->auth_realm, m->auth_uri, m->chal_realm,
			m->content_type, m->body,
		};
		for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
			sink += sl_fuzz_touch(f[i]);
		sink += (unsigned)sl_sip_status_text(m->status)[0];
		if (m->sdp) {
			sink += sl_fuzz_touch(m->sdp->origin);
			for (uint8_t i = 0; i < m->sdp->n_media; i++)
				for (uint8_t k = 0; k < m->sdp->media[i].n_fmt; k++)
					sink += sl_fuzz_touch(m->sdp->media[i].fmt[k].name);
		}
	}
	(void)sink;
	sl_arena_free(&a);
	return 0;
}
