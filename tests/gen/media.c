/* media.c: see media.h. */
#include "tests/gen/media.h"

#include <string.h>

void
slg_media_init(struct slg_media *m, slg_media_hook hook, void *ctx)
{
	memset(m, 0, sizeof(*m));
	m->hook = hook;
	m->ctx = ctx;
}

int
slg_media_add(struct slg_media *m, struct slg_rtp_stream *st)
{
	if (m->n >= SLG_MEDIA_MAX)
		return -1;
	m->st[m->n] = st;
	m->has[m->n] = slg_rtp_next(st, &m->pend[m->n]);
	m->n++;
	return 0;
}

int
slg_media_until(struct slg_media *m, struct slg_out *o, uint64_t until)
{
	for (;;) {
		unsigned best = SLG_MEDIA_MAX;
		struct slg_rtp_stream *st;
		uint8_t pl[512];
		size_t n;

		for (unsigned i = 0; i < m->n; i++)
			if (m->has[i] && m->pend[i].t < until &&
			    (best == SLG_MEDIA_MAX ||
			    m->pend[i].t < m->pend[best].t))
				best = i;
		if (best == SLG_MEDIA_MAX)
			return 0;
		st = m->st[best];
		if (m->hook != NULL)
			m->hook(m->ctx, o, best, &m->pend[best]);
		n = slg_rtp_make(st, &m->pend[best], pl, sizeof(pl));
		if (n == 0 || slg_out_udp(o, m->pend[best].t, st->from,
		    st->sport, st->to, st->dport, pl, n) != 0)
			return -1;
		m->has[best] = slg_rtp_next(st, &m->pend[best]);
	}
}
