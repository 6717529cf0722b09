/*
 * map.c: a hash table from byte-string keys to fixed-size values, the
 * store behind associative arrays, thread-local variables and every
 * aggregation. Keys are the encoded tuples of tuple.c. A map may be
 * given a limit: past it, puts fail (the caller counts a drop).
 */
#include <stdlib.h>
#include <string.h>

#include "runtime.h"

uint64_t tr_hash(const void *data, size_t n)
{
	const unsigned char *p = data;
	uint64_t h = 0xcbf29ce484222325ull;	/* FNV-1a */

	for (size_t i = 0; i < n; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h ^ (h >> 29);
}

static size_t value_offset(size_t keylen)
{
	return (keylen + 15) & ~(size_t)15;
}

void *tr_entry_value(struct tr_map_entry *e)
{
	return e->data + value_offset(e->keylen);
}

static void grow(struct tr_map *m)
{
	size_t n = m->nbuckets ? 2 * m->nbuckets : 64;
	struct tr_map_entry **b = tr_xalloc(n * sizeof *b);

	for (size_t i = 0; i < m->nbuckets; i++) {
		struct tr_map_entry *e = m->buckets[i], *next;

		for (; e; e = next) {
			next = e->next;
			e->next = b[e->hash & (n - 1)];
			b[e->hash & (n - 1)] = e;
		}
	}
	free(m->buckets);
	m->buckets = b;
	m->nbuckets = n;
}

struct tr_map_entry *tr_map_find(const struct tr_map *m, const void *key, size_t keylen)
{
	uint64_t h;

	if (!m->nbuckets)
		return NULL;
	h = tr_hash(key, keylen);
	for (struct tr_map_entry *e = m->buckets[h & (m->nbuckets - 1)]; e; e = e->next)
		if (e->hash == h && e->keylen == keylen && !memcmp(e->data, key, keylen))
			return e;
	return NULL;
}

struct tr_map_entry *tr_map_put(struct tr_map *m, const void *key, size_t keylen, size_t vallen,
				int *created)
{
	struct tr_map_entry *e = tr_map_find(m, key, keylen);

	*created = 0;
	if (e)
		return e;
	if (m->limit && m->count >= m->limit)
		return NULL;
	if (m->count >= m->nbuckets)
		grow(m);
	e = tr_xalloc(sizeof *e + value_offset(keylen) + vallen);
	e->hash = tr_hash(key, keylen);
	e->keylen = (uint32_t)keylen;
	memcpy(e->data, key, keylen);
	e->next = m->buckets[e->hash & (m->nbuckets - 1)];
	m->buckets[e->hash & (m->nbuckets - 1)] = e;
	m->count++;
	*created = 1;
	return e;
}

void tr_map_remove(struct tr_map *m, struct tr_map_entry *victim)
{
	struct tr_map_entry **pp = &m->buckets[victim->hash & (m->nbuckets - 1)];

	for (; *pp; pp = &(*pp)->next)
		if (*pp == victim) {
			*pp = victim->next;
			free(victim);
			m->count--;
			return;
		}
}

/* Entries in an array the caller frees; *n gets how many. */
struct tr_map_entry **tr_map_entries(const struct tr_map *m, size_t *n)
{
	struct tr_map_entry **all = tr_xalloc((m->count ? m->count : 1) * sizeof *all);
	size_t k = 0;

	for (size_t i = 0; i < m->nbuckets; i++)
		for (struct tr_map_entry *e = m->buckets[i]; e; e = e->next)
			all[k++] = e;
	*n = k;
	return all;
}

void tr_map_clear(struct tr_map *m)
{
	for (size_t i = 0; i < m->nbuckets; i++) {
		struct tr_map_entry *e = m->buckets[i], *next;

		for (; e; e = next) {
			next = e->next;
			free(e);
		}
	}
	free(m->buckets);
	m->buckets = NULL;
	m->nbuckets = 0;
	m->count = 0;
}
