/* hold.c: the queue of hold.h. It is empty nearly always (a datagram's
 * fragments travel back to back), so its storage is two arrays reused
 * from their start whenever it empties: no allocation per frame. */
#include <stdlib.h>
#include <string.h>

#include "export/hold.h"

enum held_state { HELD_WAIT, HELD_KEEP, HELD_DROP };

struct sl_export_held {
	struct sl_export_rec rec;	/* rec.data: NULL, the bytes are at off */
	size_t off;
	enum held_state state;
	struct sl_export_frag frag;	/* HELD_WAIT */
};

void
sl_export_hold_init(struct sl_export_hold *h, size_t max_bytes, int64_t timeout_ns,
    sl_export_write_fn write, void *user)
{
	*h = (struct sl_export_hold){ .max_bytes = max_bytes, .timeout_ns = timeout_ns,
	    .write = write, .user = user };
}

void
sl_export_hold_free(struct sl_export_hold *h)
{
	free(h->q);
	free(h->bytes);
	h->q = NULL;
	h->bytes = NULL;
}

static size_t
live_bytes(const struct sl_export_hold *h)
{
	return h->head < h->n ? h->b_len - h->q[h->head].off : 0;
}

/* Writes and drops decided entries from the head, up to the first that
 * still waits. */
static enum sl_err
drain(struct sl_export_hold *h)
{
	while (h->head < h->n && h->q[h->head].state != HELD_WAIT) {
		struct sl_export_held *e = &h->q[h->head++];
		if (e->state == HELD_KEEP) {
			struct sl_export_rec r = e->rec;
			r.data = h->bytes + e->off;
			enum sl_err err = h->write(h->user, &r);
			if (err != SL_OK)
				return err;
		}
	}
	if (h->head == h->n)
		h->head = h->n = h->b_len = 0;
	return SL_OK;
}

/* Moves the live entries and their bytes to the start of the arrays. */
static void
compact(struct sl_export_hold *h)
{
	if (h->head == 0)
		return;
	size_t off = h->q[h->head].off;
	memmove(h->bytes, h->bytes + off, h->b_len - off);
	h->b_len -= off;
	h->n -= h->head;
	memmove(h->q, h->q + h->head, h->n * sizeof *h->q);
	h->head = 0;
	for (size_t i = 0; i < h->n; i++)
		h->q[i].off -= off;
}

static bool
grow(void **p, size_t *cap, size_t want, size_t sz)
{
	if (want <= *cap)
		return true;
	size_t c = *cap ? *cap : 16;
	while (c < want)
		c *= 2;
	void *q = realloc(*p, c * sz);
	if (q == NULL)
		return false;
	*p = q;
	*cap = c;
	return true;
}

/* Makes room for n more bytes by letting go of the oldest waiting
 * fragments (and writing what waited behind them). */
static enum sl_err
room(struct sl_export_hold *h, size_t n)
{
	while (h->head < h->n && live_bytes(h) + n > h->max_bytes) {
		h->q[h->head].state = HELD_DROP;
		enum sl_err err = drain(h);
		if (err != SL_OK)
			return err;
	}
	return SL_OK;
}

/* Appends r in state st (room() made first; r fits the cap). */
static enum sl_err
push(struct sl_export_hold *h, const struct sl_export_rec *r, enum held_state st,
    const struct sl_export_frag *k)
{
	compact(h);
	if (!grow((void **)&h->q, &h->cap, h->n + 1, sizeof *h->q) ||
	    !grow((void **)&h->bytes, &h->b_cap, h->b_len + r->caplen, 1))
		return SL_ENOMEM;
	struct sl_export_held *e = &h->q[h->n++];
	*e = (struct sl_export_held){ .rec = *r, .off = h->b_len, .state = st };
	e->rec.data = NULL;
	if (k)
		e->frag = *k;
	if (r->caplen)
		memcpy(h->bytes + h->b_len, r->data, r->caplen);
	h->b_len += r->caplen;
	return SL_OK;
}

enum sl_err
sl_export_hold_fragment(struct sl_export_hold *h, const struct sl_export_rec *r,
    const struct sl_export_frag *k)
{
	enum sl_err err = room(h, r->caplen);
	/* too big to hold at all: let go, as the reassembler would */
	if (err != SL_OK || r->caplen > h->max_bytes)
		return err;
	return push(h, r, HELD_WAIT, k);
}

static bool
same_frag(const struct sl_export_frag *a, const struct sl_export_frag *b)
{
	return a->id == b->id && sl_ip_eq(&a->src, &b->src) && sl_ip_eq(&a->dst, &b->dst);
}

enum sl_err
sl_export_hold_decide(struct sl_export_hold *h, const struct sl_export_frag *k, bool keep)
{
	for (size_t i = h->head; i < h->n; i++)
		if (h->q[i].state == HELD_WAIT && same_frag(&h->q[i].frag, k))
			h->q[i].state = keep ? HELD_KEEP : HELD_DROP;
	return drain(h);
}

enum sl_err
sl_export_hold_write(struct sl_export_hold *h, const struct sl_export_rec *r)
{
	enum sl_err err = room(h, r->caplen);
	if (err != SL_OK)
		return err;
	/* room() let go of every fragment if r alone is over the cap */
	if (h->head == h->n)
		return h->write(h->user, r);
	return push(h, r, HELD_KEEP, NULL);
}

enum sl_err
sl_export_hold_advance(struct sl_export_hold *h, int64_t now)
{
	/* later fragments wait at most as long as the head: checking the
	 * head alone is enough to keep things moving */
	while (h->head < h->n && h->q[h->head].state == HELD_WAIT &&
	    h->timeout_ns > 0 && now - h->q[h->head].rec.ts_ns > h->timeout_ns) {
		h->q[h->head].state = HELD_DROP;
		enum sl_err err = drain(h);
		if (err != SL_OK)
			return err;
	}
	return SL_OK;
}

enum sl_err
sl_export_hold_finish(struct sl_export_hold *h)
{
	for (size_t i = h->head; i < h->n; i++)
		if (h->q[i].state == HELD_WAIT)
			h->q[i].state = HELD_DROP;
	return drain(h);
}
