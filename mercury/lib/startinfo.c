/*
 * startinfo.c: the layout of a spawned process's start data (struct
 * start_info, argv and envp vectors, their strings), built by the parent
 * in its own memory with the child's addresses in every pointer. Portable:
 * the host tests check it (tests/mercury/startinfo.c).
 */
#include <mercury/start.h>
#include <mercury/string.h>

static unsigned vector_len(const char *const *v)
{
	unsigned n = 0;

	while (v && v[n])
		n++;
	return n;
}

/* Copies the strings of v after *off, their offsets into ptrs, NULL-terminated. */
static int put_vector(char *buf, size_t size, size_t *off, uint64_t *ptrs,
		      const char *const *v, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		size_t len = strlen(v[i]) + 1;

		if (len > size - *off)
			return E_RANGE;
		memcpy(buf + *off, v[i], len);
		ptrs[i] = *off;		/* an offset until the base is known */
		*off += len;
	}
	ptrs[n] = 0;
	return E_OK;
}

int start_build(const struct spawn_opts *o, uint64_t top, uint64_t first_cptr, void *buf,
		size_t size, uint64_t *base, size_t *len, const char **why)
{
	const char *const default_argv[] = { o->name, NULL };
	const char *const *argv = o->argv ? o->argv : default_argv;
	unsigned argc = vector_len(argv), envc = vector_len(o->envp);
	struct start_info *si = buf;
	uint64_t *aptr = (uint64_t *)(si + 1), *eptr = aptr + argc + 1;
	size_t off = sizeof(*si) + ((size_t)argc + 1 + envc + 1) * 8;

	*why = "argv and environment too large";
	if (off > size || o->ncaps > SPAWN_MAX_CAPS)
		return E_RANGE;
	memset(buf, 0, off);
	if (put_vector(buf, size, &off, aptr, argv, argc) ||
	    put_vector(buf, size, &off, eptr, o->envp, envc))
		return E_RANGE;
	*len = off;
	*base = (top - off) & ~15ull;
	for (unsigned i = 0; i < argc; i++)
		aptr[i] += *base;
	for (unsigned i = 0; i < envc; i++)
		eptr[i] += *base;
	si->magic = START_MAGIC;
	si->argc = argc;
	si->argv = (char **)(uintptr_t)(*base + sizeof(*si));
	si->envp = (char **)(uintptr_t)(*base + sizeof(*si) + ((uint64_t)argc + 1) * 8);
	si->ipc_buffer = START_IPC_BUFFER;
	si->ncaps = o->ncaps;
	for (unsigned i = 0; i < o->ncaps; i++) {
		strlcpy(si->caps[i].name, o->caps[i].name, SPAWN_NAME_MAX);
		si->caps[i].cptr = first_cptr + i;
	}
	strlcpy(si->name, o->name, SPAWN_NAME_MAX);
	*why = NULL;
	return E_OK;
}
