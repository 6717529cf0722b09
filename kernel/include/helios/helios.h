/* helios/helios.h: the whole kernel ABI in one include. */
#ifndef HELIOS_HELIOS_H
#define HELIOS_HELIOS_H

#include <helios/errors.h>
#include <helios/objects.h>
#include <helios/syscall.h>
#include <helios/invoke.h>
#include <helios/bootinfo.h>
#include <helios/trace.h>
#include <helios/stats.h>
#include <helios/debugexit.h>

#endif
