/*
 * hash.h: FNV-1a hashing (also the IPC interface ids) and a small
 * open-addressing table from strings to pointers (mercury/lib/hash.c).
 */
#ifndef MERCURY_HASH_H
#define MERCURY_HASH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* FNV-1a over n bytes (32- and 64-bit variants, standard offset bases and
   primes, so values match every other FNV-1a implementation). */
uint32_t hash_fnv1a32(const void *data, size_t n);
uint64_t hash_fnv1a64(const void *data, size_t n);
/* The same over a NUL-terminated string (without its NUL). */
uint32_t hash_fnv1a32_str(const char *s);
uint64_t hash_fnv1a64_str(const char *s);

struct htab_slot;

/*
 * String -> pointer map. Keys are not copied: each must stay alive and
 * unchanged while it is in the table. Zero-initialised (or htab_init) is
 * empty; the slot array comes from malloc and grows at 70% load.
 */
struct htab {
	struct htab_slot *slots;
	size_t cap;   /* slots, a power of two (0 before the first put) */
	size_t count; /* live keys */
	size_t used;  /* live keys plus tombstones */
};

void htab_init(struct htab *t);
/* Frees the slot array (not the keys or values); the table is empty after. */
void htab_free(struct htab *t);
/* Sets key's value, replacing any old one. Returns 0, or -1 if out of memory
   (the table is unchanged then). */
int htab_put(struct htab *t, const char *key, void *value);
/* True if key is present, with its value in *value (if value is not NULL). */
bool htab_get(const struct htab *t, const char *key, void **value);
/* Removes key; true if it was present. */
bool htab_del(struct htab *t, const char *key);
/* Iterates: start with *iter = 0; each true return yields one entry, in no
   particular order. The table must not change during the iteration. */
bool htab_next(const struct htab *t, size_t *iter, const char **key, void **value);

#endif
