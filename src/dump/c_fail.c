// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The C dumper's failure state (a leaf of the C emitter: every C file calls
 * it). The first failure is kept, with its message in the caller's diag;
 * later ones are dropped. bk__cd_enter bounds every descent: at most
 * BK__CD_MAX_DEPTH nested levels and BK__CD_MAX_STEPS emissions per call,
 * so hostile type graphs end in an error instead of deep recursion or
 * endless output.
 */
#include <stdio.h>

#include "c_int.h"

void bk__cd_fail(struct bk_c_dumper *d, int err)
{
	if (!d->err)
		d->err = err;
}

void bk__cd_failf(struct bk_c_dumper *d, int err, const char *fmt, ...)
{
	va_list ap;

	if (d->err)
		return;
	d->err = err;
	if (!d->diag)
		return;
	d->diag->err = err;
	va_start(ap, fmt);
	vsnprintf(d->diag->msg, sizeof(d->diag->msg), fmt, ap);
	va_end(ap);
}

bool bk__cd_enter(struct bk_c_dumper *d, uint32_t id, const char *what)
{
	if (d->depth >= BK__CD_MAX_DEPTH) {
		bk__cd_failf(d, -ELOOP, "%s nest deeper than %d levels (type [%u])", what,
			     BK__CD_MAX_DEPTH, id);
		return false;
	}
	if (++d->steps > BK__CD_MAX_STEPS) {
		bk__cd_failf(d, -E2BIG, "type graph too large to print: over %u steps (type [%u])",
			     BK__CD_MAX_STEPS, id);
		return false;
	}
	return !d->err;
}
