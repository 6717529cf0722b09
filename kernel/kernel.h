/*
 * kernel.h: services every part of the kernel uses: printing, panics,
 * assertions and the boot command line.
 */
#ifndef KERNEL_KERNEL_H
#define KERNEL_KERNEL_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdarg.h>

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)	(((x) + (a) - 1) & ~((uint64_t)(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((uint64_t)(a) - 1))
#define PAGE_SIZE	4096ULL

int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int kvprintf(const char *fmt, va_list ap);
/* A message a user action caused: rate-limited, drops counted (klog.c). */
void klog_user(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Reports a broken kernel invariant, prints a backtrace and stops. */
__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt, ...);

#define kassert(c) \
	do { if (!(c)) panic("assertion failed: %s (%s:%d)", #c, __FILE__, __LINE__); } while (0)

/* The boot command line: "key" or "key=value" words. */
void cmdline_init(const char *line);
const char *cmdline_get(const char *key);	/* value, "" for a bare key, NULL if absent */
bool cmdline_has(const char *key);
const char *cmdline_all(void);

/* Symbol of the kernel's own text containing pc (from the embedded table). */
const char *ksym_lookup(uint64_t pc, uint64_t *offset);
/* Prints "  #n 0x... function+0x.." lines: pc (unless 0), then the frames from fp. */
void ksym_print_backtrace(uint64_t pc, uint64_t fp);
void ksym_print_frame(unsigned n, uint64_t pc, bool is_return);
void ksym_print_chain(unsigned first, uint64_t fp);

/* TSC value at kernel entry (boot.S). */
extern uint64_t boot_tsc;

#endif
