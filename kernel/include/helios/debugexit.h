/*
 * helios/debugexit.h: how a test run under QEMU ends: a byte written to
 * isa-debug-exit's port, which makes QEMU exit with (byte << 1) | 1. Success
 * is not 0: QEMU's own exit status for a start-up error is 1, which a 0
 * written would look like; success here is QEMU status 33, failure 3
 * (tools/qemu-run turns them into 0 and 1).
 */
#ifndef HELIOS_DEBUGEXIT_H
#define HELIOS_DEBUGEXIT_H

#define HL_DEBUG_EXIT_PORT	0xF4
#define HL_DEBUG_EXIT_OK	0x10
#define HL_DEBUG_EXIT_FAIL	0x01

#endif
