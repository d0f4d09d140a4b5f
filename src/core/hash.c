/* hash.c: byte hashing (8 bytes at a time, splitmix finaliser) and the
 * chained table of hash.h. */
#include "core/hash.h"

#include <stdlib.h>
#include <string.h>

uint64_t
sl_hash_bytes(const void *p, size_t n, uint64_t seed)
{
	const unsigned char *s = p;
	uint64_t h = seed ^ (n * 0x9e3779b97f4a7c15ULL);
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h = sl_hash_u64(h ^ w);
		s += 8;
		n -= 8;
	}
	uint64_t w = 0;
	for (size_t i = 0; i < n; i++)
		w |= (uint64_t)s[i] << (8 * i);
	return sl_hash_u64(h ^ w ^ 0x5bd1e995u);
}

enum sl_err
sl_hmap_init(struct sl_hmap *m, size_t nb_hint)
{
	size_t nb = 16;
	while (nb < nb_hint)
		nb *= 2;
	m->b = calloc(nb, sizeof *m->b);
	m->nb = m->b ? nb : 0;
	m->count = 0;
	return m->b ? SL_OK : SL_ENOMEM;
}

void
sl_hmap_cleanup(struct sl_hmap *m)
{
	free(m->b);
	m->b = NULL;
	m->nb = 0;
	m->count = 0;
}

struct sl_hnode *
sl_hmap_find(const struct sl_hmap *m, uint64_t hash, sl_hmap_eq_fn eq,
    const void *key)
{
	if (m->nb == 0)
		return NULL;
	for (struct sl_hnode *n = m->b[hash & (m->nb - 1)]; n; n = n->next)
		if (n->hash == hash && eq(n, key))
			return n;
	return NULL;
}

static void
grow(struct sl_hmap *m)
{
	size_t nb = m->nb * 2;
	struct sl_hnode **b = calloc(nb, sizeof *b);
	if (b == NULL)
		return;
	for (size_t i = 0; i < m->nb; i++) {
		struct sl_hnode *n = m->b[i];
		while (n) {
			struct sl_hnode *next = n->next;
			size_t j = n->hash & (nb - 1);
			n->next = b[j];
			b[j] = n;
			n = next;
		}
	}
	free(m->b);
	m->b = b;
	m->nb = nb;
}

void
sl_hmap_insert(struct sl_hmap *m, struct sl_hnode *n, uint64_t hash)
{
	if (m->nb == 0 && sl_hmap_init(m, 16) != SL_OK)
		return;
	if (m->count >= m->nb)
		grow(m);
	n->hash = hash;
	size_t i = hash & (m->nb - 1);
	n->next = m->b[i];
	m->b[i] = n;
	m->count++;
}

bool
sl_hmap_remove(struct sl_hmap *m, struct sl_hnode *n)
{
	if (m->nb == 0)
		return false;
	for (struct sl_hnode **pp = &m->b[n->hash & (m->nb - 1)]; *pp; pp = &(*pp)->next) {
		if (*pp == n) {
			*pp = n->next;
			m->count--;
			return true;
		}
	}
	return false;
}
