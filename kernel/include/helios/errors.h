/*
 * helios/errors.h: the one error enum of the Ares ABI. The kernel returns
 * these as a syscall's status; the service bus and the file protocol use
 * the same values; Luna converts them to errno in one place.
 */
#ifndef HELIOS_ERRORS_H
#define HELIOS_ERRORS_H

enum hl_error {
	E_OK = 0,	/* success */
	E_INVAL,	/* an argument is invalid (bad label, length, flag or combination) */
	E_NOCAP,	/* the cptr names no capability: empty slot, bad depth or index */
	E_TYPE,		/* the capability is of the wrong object type */
	E_PERM,		/* the capability lacks a right the operation needs */
	E_NOMEM,	/* the Untyped region has no room left */
	E_BUSY,		/* the object is in use: Untyped with live children, IRQ claimed, ... */
	E_EXIST,	/* the destination slot is occupied */
	E_RANGE,	/* a size, alignment, address, port or priority is out of range */
	E_FAULT,	/* a user buffer (IPC buffer) is missing or unmapped */
	E_DEAD,		/* the peer went away: endpoint deleted, caller gone, reply used */
	E_AGAIN,	/* a non-blocking operation would have blocked */
	E_NOSYS,	/* unknown syscall number or invocation label */
	E_MAPPED,	/* already mapped, or the mapping slot is occupied */
	E_NOTABLE,	/* a page-table level is missing; the value says which (hl_obj_type) */
	E_COUNT
};

#endif
