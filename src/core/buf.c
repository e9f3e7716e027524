// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Growing buffers, the one way: a buffer of *cap elements grows by
 * doubling (from a minimum) to hold at least the elements needed, so n
 * appends cost O(n) copies in all. Used by the string set, the writer's
 * records, the in-memory output sink and the C printer's stacks and queues.
 */
#include <stdint.h>
#include <stdlib.h>

#include "internal.h"

int bk__grow(void **buf, size_t *cap, size_t need, size_t elem, size_t min_cap)
{
	size_t ncap = *cap ? *cap : min_cap;
	void *nb;

	if (need <= *cap)
		return 0;
	while (ncap < need)
		ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
	if (ncap > SIZE_MAX / elem)
		return -E2BIG;
	nb = realloc(*buf, ncap * elem);
	if (!nb)
		return -ENOMEM;
	*buf = nb;
	*cap = ncap;
	return 0;
}
