/*
 * heap.c: malloc and friends over a page provider.
 *
 * Memory comes from the provider in regions; each region is a run of
 * chunks, ended by a sentinel header that is always "in use". A chunk
 * header records its size (bit 0: in use) and its predecessor's size, so
 * free can merge with both neighbours in O(1). Free chunks sit in
 * power-of-two size bins, doubly linked through their payload; malloc takes
 * the first fit from the smallest bin that can hold the request and splits
 * off the rest.
 *
 * MERC_HEAP_DEBUG adds a magic word and the requested size to each header,
 * a canary after the caller's bytes, and poison in free memory, checked on
 * free, realloc and reuse.
 */
#include <stdbool.h>
#include <stdint.h>

#include <mercury/heap.h>
#include <mercury/printf.h>
#include <mercury/string.h>

#define ALIGN 16
#define IN_USE ((size_t)1)

struct chunk {
	size_t size;      /* whole chunk in bytes, a multiple of ALIGN; | IN_USE */
	size_t prev_size; /* size of the chunk before; 0 if first in its region */
#ifdef MERC_HEAP_DEBUG
	size_t req;       /* bytes the caller asked for */
	size_t magic;     /* MAGIC_USED or MAGIC_FREE */
#endif
};

/* Kept in the payload of a free chunk. */
struct links {
	struct chunk *next, *prev;
};

/* At the start of each region. */
struct region {
	struct region *next;
	size_t size;
};

#define HDR sizeof(struct chunk)
#define MIN_CHUNK ((HDR + sizeof(struct links) + ALIGN - 1) & ~(size_t)(ALIGN - 1))
#define REGION_HDR ((sizeof(struct region) + ALIGN - 1) & ~(size_t)(ALIGN - 1))
#define REGION_MIN ((size_t)64 * 1024)
#define PAGE ((size_t)4096)
#define NBINS 64

#ifdef MERC_HEAP_DEBUG
#define CANARY_LEN 8
#define MAGIC_USED ((size_t)0xa110c8eda110c8edULL)
#define MAGIC_FREE ((size_t)0xf4eef4eef4eef4eeULL)
#define POISON 0xdd
#define POISON_WORD ((size_t)0xddddddddddddddddULL)
static const unsigned char canary[CANARY_LEN] = { 0xca, 0x4a, 0x21, 0xe5, 0x0b, 0xad, 0xf0, 0x0d };
#else
#define CANARY_LEN 0
#endif

_Static_assert(HDR % ALIGN == 0, "headers keep payloads aligned");

static heap_more_fn provider;
static heap_panic_fn panic_hook;
static struct chunk *bins[NBINS];
static struct region *regions;

void heap_init(heap_more_fn more)
{
	provider = more;
}

void heap_set_panic(heap_panic_fn panic)
{
	panic_hook = panic;
}

static void die(const char *what, const void *p)
{
	static char msg[128];

	snprintf(msg, sizeof(msg), "heap: %s (block %p)", what, p);
	if (panic_hook != NULL)
		panic_hook(msg);
	__builtin_trap();
}

static size_t csize(const struct chunk *c) { return c->size & ~IN_USE; }
static bool in_use(const struct chunk *c) { return c->size & IN_USE; }
static void *payload(struct chunk *c) { return (char *)c + HDR; }
static struct chunk *chunk_of(void *p) { return (struct chunk *)((char *)p - HDR); }
static struct chunk *next_chunk(struct chunk *c) { return (struct chunk *)((char *)c + csize(c)); }
static struct chunk *prev_chunk(struct chunk *c) { return (struct chunk *)((char *)c - c->prev_size); }
static struct links *links_of(struct chunk *c) { return payload(c); }

static unsigned bin_of(size_t size)
{
	return 63u - (unsigned)__builtin_clzll((unsigned long long)size);
}

static void bin_insert(struct chunk *c)
{
	unsigned b = bin_of(csize(c));
	struct links *l = links_of(c);

	l->prev = NULL;
	l->next = bins[b];
	if (bins[b] != NULL)
		links_of(bins[b])->prev = c;
	bins[b] = c;
}

static void bin_remove(struct chunk *c)
{
	struct links *l = links_of(c);

	if (l->prev != NULL)
		links_of(l->prev)->next = l->next;
	else
		bins[bin_of(csize(c))] = l->next;
	if (l->next != NULL)
		links_of(l->next)->prev = l->prev;
}

/* Sets c's size, keeping the in-use bit, and tells the next chunk. */
static void set_size(struct chunk *c, size_t size, bool used)
{
	c->size = size | (used ? IN_USE : 0);
	next_chunk(c)->prev_size = size;
}

#ifdef MERC_HEAP_DEBUG
/* Poisons a free chunk's payload beyond its links. */
static void poison(struct chunk *c)
{
	memset((char *)payload(c) + sizeof(struct links), POISON,
	       csize(c) - HDR - sizeof(struct links));
}

/* Checks that bytes [from, to) of a free chunk's payload still hold poison. */
static void check_poison(struct chunk *c, size_t to)
{
	const unsigned char *p = payload(c);
	size_t i;

	for (i = sizeof(struct links); i < to; i++)
		if (p[i] != POISON)
			die("write after free", p);
}

static void mark_used(struct chunk *c, size_t req)
{
	c->req = req;
	c->magic = MAGIC_USED;
	memcpy((char *)payload(c) + req, canary, CANARY_LEN);
}

/* Validates a block handed back by the caller. */
static void check_block(struct chunk *c, const void *p)
{
	if (c->magic == MAGIC_FREE || c->magic == POISON_WORD)
		die("double free", p);
	if (c->magic != MAGIC_USED || !in_use(c))
		die("free of a pointer not from malloc, or its header was overwritten", p);
	if (memcmp((char *)payload(c) + c->req, canary, CANARY_LEN) != 0)
		die("overrun past the end of a block", p);
}
#else
static void poison(struct chunk *c) { (void)c; }
static void check_poison(struct chunk *c, size_t to) { (void)c; (void)to; }
static void mark_used(struct chunk *c, size_t req) { (void)c; (void)req; }
static void check_block(struct chunk *c, const void *p)
{
	if (!in_use(c))
		die("double free", p);
}
#endif

/* Marks c free, merges it with free neighbours, files it in a bin. */
static void release(struct chunk *c)
{
	struct chunk *n = next_chunk(c);
	size_t size = csize(c);

	c->size = size; /* not in use, even if it merges into its predecessor */
#ifdef MERC_HEAP_DEBUG
	c->magic = MAGIC_FREE;
#endif
	if (!in_use(n)) {
		bin_remove(n);
		size += csize(n);
	}
	if (c->prev_size != 0 && !in_use(prev_chunk(c))) {
		struct chunk *p = prev_chunk(c);
		bin_remove(p);
		size += csize(p);
		c = p;
	}
	set_size(c, size, false);
	poison(c);
	bin_insert(c);
}

/* Shrinks in-use chunk c to size, freeing the tail if it is big enough. */
static void split(struct chunk *c, size_t size)
{
	size_t rest = csize(c) - size;
	struct chunk *tail;

	if (rest < MIN_CHUNK)
		return;
	set_size(c, size, true);
	tail = next_chunk(c);
	tail->prev_size = size;
	set_size(tail, rest, true);
	release(tail);
}

/* Gets a new region big enough for a chunk of size need. */
static bool grow(size_t need)
{
	size_t bytes = REGION_HDR + need + HDR;
	struct region *r;
	struct chunk *c, *end;

	bytes = bytes < REGION_MIN ? REGION_MIN : (bytes + PAGE - 1) & ~(PAGE - 1);
	if (provider == NULL || (r = provider(bytes)) == NULL)
		return false;
	if ((uintptr_t)r % ALIGN != 0)
		die("page provider returned misaligned memory", r);
	r->next = regions;
	r->size = bytes;
	regions = r;
	c = (struct chunk *)((char *)r + REGION_HDR);
	c->prev_size = 0;
	c->size = (bytes - REGION_HDR - HDR) | IN_USE;
	end = next_chunk(c);
	end->size = IN_USE; /* the sentinel: size 0, always in use */
	end->prev_size = csize(c);
#ifdef MERC_HEAP_DEBUG
	end->magic = MAGIC_USED;
	c->magic = MAGIC_USED;
#endif
	release(c);
	return true;
}

/* First fit from the smallest bin that may hold need; NULL if none. */
static struct chunk *find_free(size_t need)
{
	unsigned b;

	for (b = bin_of(need); b < NBINS; b++) {
		struct chunk *c;
		for (c = bins[b]; c != NULL; c = links_of(c)->next)
			if (csize(c) >= need)
				return c;
	}
	return NULL;
}

/* Chunk size for a request of n bytes; 0 if n is absurdly large. */
static size_t chunk_size(size_t n)
{
	size_t need;

	if (n > SIZE_MAX / 2)
		return 0;
	need = (HDR + n + CANARY_LEN + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	return need < MIN_CHUNK ? MIN_CHUNK : need;
}

void *malloc(size_t n)
{
	size_t need = chunk_size(n);
	struct chunk *c;

	if (need == 0)
		return NULL;
	if ((c = find_free(need)) == NULL) {
		if (!grow(need) || (c = find_free(need)) == NULL)
			return NULL;
	}
	check_poison(c, need - HDR);
	bin_remove(c);
	set_size(c, csize(c), true);
	split(c, need);
	mark_used(c, n);
	return payload(c);
}

/* The chunk of a caller's pointer, checked. */
static struct chunk *owned(void *p)
{
	if ((uintptr_t)p % ALIGN != 0)
		die("free of a misaligned pointer", p);
	check_block(chunk_of(p), p);
	return chunk_of(p);
}

void free(void *p)
{
	if (p != NULL)
		release(owned(p));
}

void *calloc(size_t count, size_t n)
{
	void *p;

	if (n != 0 && count > SIZE_MAX / n)
		return NULL;
	if ((p = malloc(count * n)) != NULL)
		memset(p, 0, count * n);
	return p;
}

/* Grows chunk c in place to need by taking its free successor; true if
   it now fits. */
static bool grow_in_place(struct chunk *c, size_t need)
{
	struct chunk *n = next_chunk(c);

	if (in_use(n) || csize(c) + csize(n) < need)
		return false;
	bin_remove(n);
	set_size(c, csize(c) + csize(n), true);
	return true;
}

/* The bytes of a block the caller may use. */
static size_t usable(struct chunk *c)
{
#ifdef MERC_HEAP_DEBUG
	return c->req;
#else
	return csize(c) - HDR;
#endif
}

void *realloc(void *p, size_t n)
{
	struct chunk *c;
	size_t need;
	void *q;

	if (p == NULL)
		return malloc(n);
	if (n == 0) {
		free(p);
		return NULL;
	}
	c = owned(p);
	if ((need = chunk_size(n)) == 0)
		return NULL;
	if (need <= csize(c) || grow_in_place(c, need)) {
		split(c, need);
		mark_used(c, n);
		return p;
	}
	if ((q = malloc(n)) == NULL)
		return NULL;
	memcpy(q, p, usable(c));
	release(c);
	return q;
}

void *reallocarray(void *p, size_t count, size_t n)
{
	if (n != 0 && count > SIZE_MAX / n)
		return NULL;
	return realloc(p, count * n);
}

void *aligned_alloc(size_t align, size_t n)
{
	struct chunk *c, *a;
	char *p, *q;
	size_t front;

	if (align == 0 || (align & (align - 1)) != 0)
		return NULL;
	if (align <= ALIGN)
		return malloc(n);
	if (n > SIZE_MAX / 4 || (p = malloc(n + align + MIN_CHUNK)) == NULL)
		return NULL;
	q = (char *)(((uintptr_t)p + MIN_CHUNK + align - 1) & ~(uintptr_t)(align - 1));
	if ((uintptr_t)p % align == 0)
		q = p;
	c = chunk_of(p);
	if (q != p) {
		/* Cut the front off as a free chunk of its own. */
		front = (size_t)(q - p);
		a = chunk_of(q);
		a->prev_size = front;
		set_size(a, csize(c) - front, true);
		set_size(c, front, true);
		release(c);
		c = a;
	}
	split(c, chunk_size(n));
	mark_used(c, n);
	return payload(c);
}

void *memalign(size_t align, size_t n)
{
	return aligned_alloc(align, n);
}

int posix_memalign(void **out, size_t align, size_t n)
{
	void *p;

	if (align < sizeof(void *) || (align & (align - 1)) != 0)
		return HEAP_EINVAL;
	if ((p = aligned_alloc(align, n)) == NULL)
		return HEAP_ENOMEM;
	*out = p;
	return 0;
}

/* Checks one region's chunk chain and adds it up into st. */
static void check_region(struct region *r, struct heap_stats *st)
{
	struct chunk *c = (struct chunk *)((char *)r + REGION_HDR);
	char *end = (char *)r + r->size - HDR;
	size_t prev = 0;
	bool prev_free = false;

	for (; (char *)c < end; c = next_chunk(c)) {
		if (c->prev_size != prev || csize(c) < MIN_CHUNK || csize(c) % ALIGN)
			die("chunk header corrupted", payload(c));
		if (!in_use(c) && prev_free)
			die("two free chunks side by side", payload(c));
		prev_free = !in_use(c);
		prev = csize(c);
		*(in_use(c) ? &st->used_bytes : &st->free_bytes) += csize(c);
		(*(in_use(c) ? &st->used_chunks : &st->free_chunks))++;
	}
	if ((char *)c != end || c->size != IN_USE || c->prev_size != prev)
		die("region end corrupted", c);
}

void heap_check(struct heap_stats *st)
{
	struct region *r;
	size_t binned = 0;
	unsigned b;

	memset(st, 0, sizeof(*st));
	for (r = regions; r != NULL; r = r->next) {
		st->region_bytes += r->size;
		check_region(r, st);
	}
	for (b = 0; b < NBINS; b++) {
		struct chunk *c;
		for (c = bins[b]; c != NULL; c = links_of(c)->next, binned++)
			if (in_use(c) || bin_of(csize(c)) != b)
				die("free list corrupted", payload(c));
	}
	if (binned != st->free_chunks)
		die("free list and chunks disagree", NULL);
}
