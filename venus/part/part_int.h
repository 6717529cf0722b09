/* part_int.h: what part.c, mbr.c and gpt.c share. */
#ifndef VENUS_PART_INT_H
#define VENUS_PART_INT_H

#include "part.h"

int part_fail(struct part_table *t, const char *fmt, ...) __attribute__((format(__printf__, 2, 3)));
/* Reads sector lba into a sector_size buffer. */
int part_sector(struct blkdev *dev, uint64_t lba, uint8_t *buf);
int mbr_parse(struct blkdev *dev, const uint8_t *mbr, struct part_table *t);
int gpt_parse(struct blkdev *dev, struct part_table *t, unsigned flags);

#endif
