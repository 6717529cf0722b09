/*
 * fmt_float.h: the floating-point conversions of the printf family, for
 * user space only (mercury/lib/fmt_float.c). printf.c installs them on
 * first use; the kernel never does, so it never links float code.
 */
#ifndef MERCURY_FMT_FLOAT_H
#define MERCURY_FMT_FLOAT_H

#include <mercury/fmt.h>

/* The fmt_float_fn for f F e E g G a A: exact decimal expansion rounded
   half to even (glibc's output in the default rounding mode). A long
   double (L) is converted to double first. Not reentrant (static buffers). */
size_t fmt_float(fmt_sink sink, void *ctx, const struct fmt_spec *spec, va_list *ap);

/* fmt_set_float(fmt_float). */
void fmt_float_install(void);

#endif
