/*
 * buf.c: the bounded output buffer pages are rendered into. Overflow is
 * not an error here: the length keeps counting, so the caller can tell
 * how large a buffer the page needed (metrics_buf_overflow).
 */
#include <string.h>

#include "metrics.h"

void metrics_buf_put(struct metrics_buf *b, const char *s, size_t n)
{
	if (b->len < b->cap) {
		size_t room = b->cap - b->len;

		memcpy(b->p + b->len, s, n < room ? n : room);
	}
	b->len += n;
}

void metrics_buf_puts(struct metrics_buf *b, const char *s)
{
	metrics_buf_put(b, s, strlen(s));
}
