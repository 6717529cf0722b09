/*
 * port.h: what the portable file-system code may use. Only libmercury's
 * freestanding string, printf and heap routines (mercury/lib/include), so
 * the same sources build for the host tests and for Ares's fs servers;
 * on the host these names resolve to the C library's.
 */
#ifndef VENUS_FS_PORT_H
#define VENUS_FS_PORT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <mercury/heap.h>
#include <mercury/printf.h>
#include <mercury/string.h>

#endif
