/*
 * hash.c: host tests of mercury/lib/hash.c: FNV-1a against published test
 * vectors, and the string table against a shadow model under random puts,
 * gets and deletes (with the heap's allocator underneath); also strdup and
 * strndup, the other users of the heap in this library.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "rename.h"
#include <mercury/hash.h>
#include <mercury/heap.h>
#include <mercury/string.h>
#include "unrename.h"

static void *provide(size_t bytes) { return aligned_alloc(4096, bytes); }

static void test_fnv(void)
{
	is_int(hash_fnv1a32("", 0), 0x811c9dc5u, "fnv1a32 of empty");
	is_int(hash_fnv1a32_str("a"), 0xe40c292cu, "fnv1a32 of \"a\"");
	is_int(hash_fnv1a32_str("foobar"), 0xbf9cf968u, "fnv1a32 of \"foobar\"");
	ok(hash_fnv1a64("", 0) == 0xcbf29ce484222325ull, "fnv1a64 of empty");
	ok(hash_fnv1a64_str("a") == 0xaf63dc4c8601ec8cull, "fnv1a64 of \"a\"");
	ok(hash_fnv1a64_str("foobar") == 0x85944171f73967e8ull, "fnv1a64 of \"foobar\"");
	ok(hash_fnv1a32("a\0b", 3) != hash_fnv1a32("a\0c", 3), "bytes after a NUL count");
}

enum { NKEYS = 3000 };
static char keys[NKEYS][16];
static int present[NKEYS];
static void *values[NKEYS];

static void test_table(void)
{
	struct htab t = { 0 };
	uint64_t r = 88172645463325252ull;
	int bad_get = 0, bad_ret = 0, op, i, count = 0, seen = 0, bad_iter = 0;
	size_t iter = 0;
	const char *k;
	void *v;

	for (i = 0; i < NKEYS; i++)
		snprintf(keys[i], sizeof(keys[i]), "key-%d", i);
	ok(!htab_get(&t, "x", NULL) && !htab_del(&t, "x"), "empty table: nothing found");
	for (op = 0; op < 100000; op++) {
		r ^= r << 13; r ^= r >> 7; r ^= r << 17;
		i = (int)(r % NKEYS);
		switch ((r >> 32) % 4) {
		case 0: case 1:
			bad_ret += htab_put(&t, keys[i], (void *)(uintptr_t)(op + 1)) != 0;
			count += !present[i];
			present[i] = 1;
			values[i] = (void *)(uintptr_t)(op + 1);
			break;
		case 2:
			bad_ret += htab_del(&t, keys[i]) != present[i];
			count -= present[i];
			present[i] = 0;
			break;
		default:
			v = NULL;
			bad_get += htab_get(&t, keys[i], &v) != present[i] ||
				   (present[i] && v != values[i]);
		}
	}
	is_int(bad_ret, 0, "put and del return what the shadow model expects");
	is_int(bad_get, 0, "get agrees with the shadow model");
	is_int(t.count, count, "count agrees");
	ok(t.used * 10 <= t.cap * 7, "load stays under 70%% (%zu of %zu)", t.used, t.cap);
	while (htab_next(&t, &iter, &k, &v)) {
		seen++;
		i = atoi(k + 4);
		bad_iter += !present[i] || v != values[i] || k != keys[i];
	}
	ok(seen == count && bad_iter == 0, "iteration visits each live key once");
	htab_free(&t);
	ok(t.cap == 0 && !htab_get(&t, keys[0], NULL), "htab_free empties the table");
}

static void test_strdup(void)
{
	char *a = merc_strdup("libmercury"), *b = merc_strndup("libmercury", 3);
	char *c = merc_strndup("ab", 10);

	ok(a && strcmp(a, "libmercury") == 0, "strdup copies");
	ok(b && strcmp(b, "lib") == 0, "strndup stops at max");
	ok(c && strcmp(c, "ab") == 0, "strndup stops at the NUL");
	merc_free(a);
	merc_free(b);
	merc_free(c);
}

int main(void)
{
	heap_init(provide);
	test_strdup();
	test_fnv();
	test_table();
	return done_testing();
}
