/*
 * heap.c: host tests of the allocator (mercury/lib/heap.c), built twice:
 * mercury-heap.t against the MERC_HEAP_DEBUG build, mercury-heap-nodebug.t
 * against the plain one. A randomized stress run checks every block against
 * a shadow model (size and fill pattern) and the heap's own invariants; then
 * alignment, realloc, calloc, out-of-memory and misuse detection.
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "rename.h"
#include <mercury/heap.h>
#include "unrename.h"

/* The page provider: glibc memory, within a budget. */
static size_t budget = (size_t)256 << 20, given;

static void *provide(size_t bytes)
{
	void *p;

	if (given + bytes > budget)
		return NULL;
	p = aligned_alloc(4096, bytes);
	if (p)
		given += bytes;
	return p; /* never returned to glibc: the heap keeps regions */
}

static jmp_buf on_panic;
static const char *panic_msg;

static void catch_panic(const char *msg)
{
	panic_msg = msg;
	longjmp(on_panic, 1);
}

/* Runs stmt expecting a heap panic whose message contains want. */
#define EXPECT_PANIC(stmt, want, ...)                                          \
	do {                                                                   \
		panic_msg = NULL;                                              \
		if (setjmp(on_panic) == 0) {                                   \
			stmt;                                                  \
		}                                                              \
		if (!ok(panic_msg && strstr(panic_msg, want), __VA_ARGS__))    \
			diag("panic: %s", panic_msg ? panic_msg : "(none)");   \
	} while (0)

struct slot {
	unsigned char *p;
	size_t n;
	unsigned char fill;
};

static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static size_t rand_size(void)
{
	uint64_t r = next_rand();

	switch (r % 8) {
	case 0: return 0;
	case 1: case 2: case 3: return (r >> 8) % 64;
	case 4: case 5: return (r >> 8) % 1024;
	case 6: return (r >> 8) % 16384;
	default: return (r >> 8) % 300000;
	}
}

static bool intact(const struct slot *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->p[i] != (unsigned char)(s->fill + i))
			return false;
	return true;
}

static void paint(struct slot *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		s->p[i] = (unsigned char)(s->fill + i);
}

static void test_stress(void)
{
	enum { NSLOTS = 400, NOPS = 30000 };
	static struct slot slots[NSLOTS];
	struct heap_stats st;
	int bad_data = 0, bad_align = 0, bad_count = 0, failed = 0;
	size_t live = 0, i;
	int op;

	for (op = 0; op < NOPS; op++) {
		struct slot *s = &slots[next_rand() % NSLOTS];
		uint64_t what = next_rand() % 3;

		if (s->p && !intact(s))
			bad_data++;
		if (s->p == NULL) {
			s->n = rand_size();
			failed += (s->p = merc_malloc(s->n)) == NULL;
			live += s->p != NULL;
		} else if (what == 0) {
			merc_free(s->p);
			s->p = NULL;
			live--;
			continue;
		} else {
			size_t n = rand_size(), keep = n < s->n ? n : s->n;
			unsigned char *q = merc_realloc(s->p, n);
			if (n == 0) {
				s->p = NULL; /* realloc(p, 0) frees */
				live--;
				continue;
			}
			failed += q == NULL;
			s->p = q;
			s->n = keep;
			bad_data += !intact(s);
			s->n = n;
		}
		if (s->p == NULL)
			continue;
		bad_align += (uintptr_t)s->p % 16 != 0;
		s->fill = (unsigned char)next_rand();
		paint(s);
		if (op % 1000 == 0) {
			heap_check(&st);
			bad_count += st.used_chunks != live;
		}
	}
	is_int(failed, 0, "no allocation failed");
	is_int(bad_data, 0, "every block kept its contents (shadow model)");
	is_int(bad_align, 0, "every block 16-byte aligned");
	is_int(bad_count, 0, "heap_check agrees on the number of live blocks");
	for (i = 0; i < NSLOTS; i++) {
		merc_free(slots[i].p);
		slots[i].p = NULL;
	}
	heap_check(&st);
	ok(st.used_chunks == 0 && st.used_bytes == 0, "everything freed");
	ok(st.free_bytes + 0 < st.region_bytes && st.free_chunks >= 1,
	   "free memory merged back (%zu free chunks in %zu bytes of regions)",
	   st.free_chunks, st.region_bytes);
}

static void test_align(void)
{
	size_t align;
	int bad = 0;
	void *p = NULL;

	for (align = 1; align <= 65536; align <<= 1) {
		unsigned char *q = merc_aligned_alloc(align, 100);
		bad += q == NULL || (uintptr_t)q % align != 0;
		if (q) {
			memset(q, 1, 100);
			merc_free(q);
		}
	}
	is_int(bad, 0, "aligned_alloc for every power of two up to 64 KiB");
	ok(merc_aligned_alloc(48, 10) == NULL, "aligned_alloc refuses a non-power of two");
	is_int(merc_posix_memalign(&p, 4, 8), HEAP_EINVAL, "posix_memalign: align below sizeof(void *)");
	is_int(merc_posix_memalign(&p, 24, 8), HEAP_EINVAL, "posix_memalign: align not a power of two");
	ok(merc_posix_memalign(&p, 4096, 5000) == 0 && (uintptr_t)p % 4096 == 0,
	   "posix_memalign(4096)");
	merc_free(p);
	p = merc_memalign(256, 1);
	ok(p && (uintptr_t)p % 256 == 0, "memalign");
	merc_free(p);
}

static void test_realloc_calloc(void)
{
	struct heap_stats st;
	unsigned char *p, *q;
	size_t i;
	int bad = 0;

	p = merc_realloc(NULL, 10);
	ok(p != NULL, "realloc(NULL, n) allocates");
	for (i = 0; i < 10; i++)
		p[i] = (unsigned char)i;
	for (i = 10; i < 100000; i = i * 3 + 1) {
		q = merc_realloc(p, i);
		bad += q == NULL || memcmp(q, "\0\1\2\3\4\5\6\7\10\11", 10) != 0;
		p = q;
	}
	is_int(bad, 0, "realloc growth keeps the contents");
	q = merc_realloc(p, 5);
	ok(q == p && memcmp(q, "\0\1\2\3\4", 5) == 0, "realloc shrinks in place");
	ok(merc_realloc(q, 0) == NULL, "realloc(p, 0) frees and returns NULL");
	p = merc_calloc(1000, 8);
	for (i = 0, bad = 0; i < 8000; i++)
		bad += p[i] != 0;
	ok(p && bad == 0, "calloc zeroes");
	merc_free(p);
	ok(merc_calloc(SIZE_MAX / 2, 4) == NULL, "calloc overflow refused");
	ok(merc_reallocarray(NULL, SIZE_MAX / 2, 4) == NULL, "reallocarray overflow refused");
	ok(merc_malloc(SIZE_MAX) == NULL && merc_malloc(SIZE_MAX / 2 + 1) == NULL,
	   "absurd sizes refused");
	merc_free(NULL);
	ok(1, "free(NULL) does nothing");
	budget = given + 128 * 1024;
	p = merc_malloc(64 * 1024);
	ok(p != NULL, "allocation within the provider's budget");
	ok(merc_malloc(1 << 20) == NULL, "out of memory: NULL");
	merc_free(p);
	heap_check(&st);
	is_int(st.used_chunks, 0, "heap consistent after running out");
	budget = (size_t)256 << 20;
}

static void test_misuse(void)
{
	unsigned char *p = merc_malloc(40), *q;

	merc_free(p);
	EXPECT_PANIC(merc_free(p), "double free", "double free caught");
	p = merc_malloc(24);
	q = merc_malloc(24);
	merc_free(p);
	merc_free(q); /* merges into p's chunk */
	EXPECT_PANIC(merc_free(q), "double free", "double free of a merged block caught");
	EXPECT_PANIC(merc_free((char *)merc_malloc(32) + 8), "misaligned",
		     "free of a pointer into a block caught");
#ifdef MERC_HEAP_DEBUG
	p = merc_malloc(13);
	p[13] = 'X'; /* one past the end */
	EXPECT_PANIC(merc_free(p), "overrun", "overrun past the end caught on free");
	p[13] = 0xca;
	merc_free(p);
	p = merc_malloc(100);
	p[100] = 0;
	EXPECT_PANIC(merc_realloc(p, 5000), "overrun", "overrun caught on realloc");
	p[100] = 0xca;
	merc_free(p);
	p = merc_malloc(200);
	merc_free(p);
	p[150] = 1; /* write after free */
	EXPECT_PANIC(merc_malloc(200), "write after free", "write after free caught on reuse");
	p[150] = 0xdd;
	q = merc_malloc(200);
	ok(q == p, "the block is reused once the poison is restored");
	merc_free(q);
#endif
}

int main(void)
{
	heap_init(provide);
	heap_set_panic(catch_panic);
	test_stress();
	test_align();
	test_realloc_calloc();
	test_misuse();
	return done_testing();
}
