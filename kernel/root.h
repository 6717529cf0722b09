/* root.h: the first user program. */
#ifndef KERNEL_ROOT_H
#define KERNEL_ROOT_H

#include <stdbool.h>

/* Builds and starts the root task from the initrd; false if there is none. */
bool root_task_start(void);

#endif
