/* cnode.h: CNodes, arrays of 2^radix capability slots. */
#ifndef KERNEL_CNODE_H
#define KERNEL_CNODE_H

#include "cap.h"

static inline struct cap *cnode_slot(const struct cap *cn, uint64_t index)
{
	return (struct cap *)cn->obj + index;
}

int cnode_invoke(struct cap *c, uint64_t label, unsigned len);
void cap_queue_dying_cnode(struct cap *slots, uint64_t nslots);

#endif
