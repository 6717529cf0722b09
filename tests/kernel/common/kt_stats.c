/*
 * kt_stats.c: median by in-place heap sort (no allocation, O(n log n), so
 * it is fine for the 10,000+ samples of each benchmark).
 */
#include "kt_stats.h"

static void sift_down(uint64_t *v, size_t root, size_t n)
{
	for (;;) {
		size_t c = 2 * root + 1;
		uint64_t t;

		if (c >= n)
			return;
		if (c + 1 < n && v[c + 1] > v[c])
			c++;
		if (v[root] >= v[c])
			return;
		t = v[root];
		v[root] = v[c];
		v[c] = t;
		root = c;
	}
}

uint64_t kt_median(uint64_t *v, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = n / 2; i-- > 0;)
		sift_down(v, i, n);
	for (size_t end = n - 1; end > 0; end--) {
		uint64_t t = v[0];

		v[0] = v[end];
		v[end] = t;
		sift_down(v, 0, end);
	}
	return v[(n - 1) / 2];
}
