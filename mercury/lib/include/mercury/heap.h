/*
 * heap.h: libmercury's memory allocator (mercury/lib/heap.c).
 *
 * malloc and friends with standard semantics, over memory obtained from a
 * page provider supplied at start-up (later: untyped -> frames -> pages).
 * Built with MERC_HEAP_DEBUG, freed memory is poisoned and checked on
 * reuse, every block carries a canary checked on free and realloc, and a
 * double free is caught by name; all failures go to the panic hook.
 * Not thread-safe: Ares processes are single-threaded for now.
 */
#ifndef MERCURY_HEAP_H
#define MERCURY_HEAP_H

#include <stddef.h>

/* Returns at least `bytes` bytes of fresh memory (16-byte aligned, never
   given back), or NULL if none is left. */
typedef void *(*heap_more_fn)(size_t bytes);

/* Called with a human-readable message on heap corruption or misuse;
   must not return (if it does, the heap traps). */
typedef void (*heap_panic_fn)(const char *msg);

/* In a spawned process, which owns no memory to grow a heap from: gives
 * the heap an arena of bytes in the program's bss instead of the 64 KiB
 * default (write it once, at file scope, in the program). */
#define MERC_HEAP_ARENA(bytes)							\
	char merc_heap_arena[bytes] __attribute__((aligned(16)));		\
	const size_t merc_heap_arena_size = (bytes)

/* Sets the page provider; call before the first allocation. */
void heap_init(heap_more_fn more);
/* Sets the panic hook (default: trap). */
void heap_set_panic(heap_panic_fn panic);

void *malloc(size_t n);
void free(void *p);
void *calloc(size_t count, size_t n);
void *realloc(void *p, size_t n);
void *reallocarray(void *p, size_t count, size_t n);
/* align: a power of two. NULL if not, or if out of memory. */
void *aligned_alloc(size_t align, size_t n);
void *memalign(size_t align, size_t n);
/* Returns 0, or HEAP_EINVAL (align not a power-of-two multiple of
   sizeof(void *)) or HEAP_ENOMEM; *out is untouched on failure. */
int posix_memalign(void **out, size_t align, size_t n);
enum { HEAP_ENOMEM = 12, HEAP_EINVAL = 22 }; /* POSIX ENOMEM, EINVAL values */

struct heap_stats {
	size_t region_bytes; /* obtained from the provider */
	size_t used_bytes;   /* in allocated chunks, headers included */
	size_t free_bytes;   /* in free chunks, headers included */
	size_t used_chunks, free_chunks;
};

/* Walks every chunk, checking the heap's invariants (panics on a broken
   one), and fills *st. */
void heap_check(struct heap_stats *st);

#endif
