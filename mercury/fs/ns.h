/*
 * mercury/fs/ns.h: the namespace's table, for file.c (ns.c).
 */
#ifndef MERCURY_FS_NS_H
#define MERCURY_FS_NS_H

#include <stdbool.h>
#include <mercury/hl.h>

#include "file.h"

struct ns_mount_entry {
	bool used;
	char path[NS_PATH_MAX + 1];
	hl_cptr_t fid;		/* the root of what is mounted, never opened */
	unsigned flags;
	int order;		/* within a union: lower first */
};

/* The members of the mount point that covers path, in union order, into
 * out (NS_MOUNTS room); how many (0: none), and in *rest the path below it. */
unsigned ns_members(const char *path, const struct ns_mount_entry **out, const char **rest);

#endif
