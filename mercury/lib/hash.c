/*
 * hash.c: FNV-1a, and a string-keyed hash table with linear probing.
 *
 * Deleted slots become tombstones so probe chains stay intact; they are
 * dropped when the table is rebuilt, which happens once live keys plus
 * tombstones pass 70% of the slots. Each slot caches its key's hash, so
 * probing compares strings only on a full hash match.
 */
#include <mercury/hash.h>
#include <mercury/heap.h>
#include <mercury/string.h>

#define FNV32_BASIS 0x811c9dc5u
#define FNV32_PRIME 0x01000193u
#define FNV64_BASIS 0xcbf29ce484222325ull
#define FNV64_PRIME 0x00000100000001b3ull

uint32_t hash_fnv1a32(const void *data, size_t n)
{
	const unsigned char *p = data;
	uint32_t h = FNV32_BASIS;

	while (n-- > 0)
		h = (h ^ *p++) * FNV32_PRIME;
	return h;
}

uint64_t hash_fnv1a64(const void *data, size_t n)
{
	const unsigned char *p = data;
	uint64_t h = FNV64_BASIS;

	while (n-- > 0)
		h = (h ^ *p++) * FNV64_PRIME;
	return h;
}

uint32_t hash_fnv1a32_str(const char *s)
{
	return hash_fnv1a32(s, strlen(s));
}

uint64_t hash_fnv1a64_str(const char *s)
{
	return hash_fnv1a64(s, strlen(s));
}

struct htab_slot {
	const char *key; /* NULL: never used; TOMBSTONE: deleted */
	void *value;
	uint64_t hash;
};

static const char tombstone_mark;
#define TOMBSTONE (&tombstone_mark)

void htab_init(struct htab *t)
{
	t->slots = NULL;
	t->cap = t->count = t->used = 0;
}

void htab_free(struct htab *t)
{
	free(t->slots);
	htab_init(t);
}

static bool live(const struct htab_slot *s)
{
	return s->key != NULL && s->key != TOMBSTONE;
}

/* The slot holding key, or NULL. */
static struct htab_slot *find(const struct htab *t, const char *key, uint64_t h)
{
	size_t i, mask = t->cap - 1;

	if (t->cap == 0)
		return NULL;
	for (i = h & mask; t->slots[i].key != NULL; i = (i + 1) & mask) {
		struct htab_slot *s = &t->slots[i];
		if (s->key != TOMBSTONE && s->hash == h && strcmp(s->key, key) == 0)
			return s;
	}
	return NULL;
}

/* Places a key known to be absent into the first free or dead slot. */
static void place(struct htab *t, const char *key, void *value, uint64_t h)
{
	size_t i, mask = t->cap - 1;

	for (i = h & mask; live(&t->slots[i]); i = (i + 1) & mask)
		;
	if (t->slots[i].key == NULL)
		t->used++;
	t->slots[i].key = key;
	t->slots[i].value = value;
	t->slots[i].hash = h;
	t->count++;
}

/* Rebuilds into cap slots, dropping tombstones. */
static int rebuild(struct htab *t, size_t cap)
{
	struct htab_slot *old = t->slots;
	size_t i, oldcap = t->cap;

	if ((t->slots = calloc(cap, sizeof(*t->slots))) == NULL) {
		t->slots = old;
		return -1;
	}
	t->cap = cap;
	t->count = t->used = 0;
	for (i = 0; i < oldcap; i++)
		if (live(&old[i]))
			place(t, old[i].key, old[i].value, old[i].hash);
	free(old);
	return 0;
}

int htab_put(struct htab *t, const char *key, void *value)
{
	uint64_t h = hash_fnv1a64_str(key);
	struct htab_slot *s = find(t, key, h);

	if (s != NULL) {
		s->value = value;
		return 0;
	}
	if ((t->used + 1) * 10 > t->cap * 7) {
		size_t cap = t->cap == 0 ? 16 : t->cap;
		/* Double only if live keys need it; else just sweep tombstones. */
		while ((t->count + 1) * 10 > cap * 5)
			cap *= 2;
		if (rebuild(t, cap) != 0)
			return -1;
	}
	place(t, key, value, h);
	return 0;
}

bool htab_get(const struct htab *t, const char *key, void **value)
{
	struct htab_slot *s = find(t, key, hash_fnv1a64_str(key));

	if (s != NULL && value != NULL)
		*value = s->value;
	return s != NULL;
}

bool htab_del(struct htab *t, const char *key)
{
	struct htab_slot *s = find(t, key, hash_fnv1a64_str(key));

	if (s == NULL)
		return false;
	s->key = TOMBSTONE;
	s->value = NULL;
	t->count--;
	return true;
}

bool htab_next(const struct htab *t, size_t *iter, const char **key, void **value)
{
	for (; *iter < t->cap; (*iter)++) {
		const struct htab_slot *s = &t->slots[*iter];
		if (live(s)) {
			*key = s->key;
			*value = s->value;
			(*iter)++;
			return true;
		}
	}
	return false;
}
