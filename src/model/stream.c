/* stream.c: what counts as a media problem, decided once for the rtp
 * table, the store's media_problems column and its search. */
#include "model/model.h"

bool
sl_stream_seq_problems(const struct sl_stream *s)
{
	/* tshark's "Problems?" flags loss, sequence errors and duplicates alike */
	return s->lost != 0 || s->out_of_order || s->dups;
}

bool
sl_stream_problems(const struct sl_stream *s)
{
	return sl_stream_seq_problems(s) || s->after_bye_packets || s->icmp_unreachable;
}

bool
sl_call_media_problems(const struct sl_call *call)
{
	for (const struct sl_stream *s = call->streams; s; s = s->next)
		if (sl_stream_problems(s))
			return true;
	return false;
}
