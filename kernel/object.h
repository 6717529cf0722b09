/*
 * object.h: how each kernel object type is created and destroyed.
 * Each object's file implements its own init and finalise; the table in
 * object.c ties them to the type.
 */
#ifndef KERNEL_OBJECT_H
#define KERNEL_OBJECT_H

#include <stdint.h>
#include "cap.h"

/* Size in bytes of an object of type with size_bits (0 if the size is invalid). */
uint64_t object_size(unsigned type, unsigned size_bits);
/* Required alignment, in bytes. */
uint64_t object_align(unsigned type, unsigned size_bits);
/* Makes a fresh object in zeroed memory at kaddr and fills in its first cap. */
void object_create(unsigned type, unsigned size_bits, uint64_t kaddr, struct cap *cap);
/* Destroys the object of the last cap c (called by cap_delete). */
void object_finalise(struct cap *c);
/* Undoes what this one cap did (its mapping), whether or not it was the last. */
void object_cap_removed(struct cap *c);
/* Fills out with a copy of src that may live in another slot: mapping state
 * is not copied. Returns E_OK or the error for caps that cannot be copied. */
int cap_derive(const struct cap *src, struct cap *out);

#endif
