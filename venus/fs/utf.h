/* utf.h: UTF-8 <-> UTF-16 for on-disk names (FAT long names, GPT). */
#ifndef VENUS_FS_UTF_H
#define VENUS_FS_UTF_H

#include <stddef.h>
#include <stdint.h>

/* Converts NUL-terminated UTF-8 to UTF-16 (surrogate pairs for planes
   above 0). Returns the number of units, or -1 if s is not valid UTF-8
   or needs more than max units. */
int utf8_to_utf16(const char *s, uint16_t *out, int max);
/* Converts n UTF-16 units (stopping at a 0) to NUL-terminated UTF-8; an
   unpaired surrogate becomes U+FFFD. Returns the length written, or -1
   if outlen is too small. */
int utf16_to_utf8(const uint16_t *in, int n, char *out, size_t outlen);

#endif
