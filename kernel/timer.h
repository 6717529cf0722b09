/* timer.h: the kernel tick. */
#ifndef KERNEL_TIMER_H
#define KERNEL_TIMER_H

#define TIMER_HZ 100

#endif
