// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Diagnostics: the one place errors get their human-readable detail, and the
 * error-code descriptions of bk_strerror().
 */
#include <stdio.h>

#include "internal.h"

int bk__diag(struct bk_diag *diag, int err, const char *fmt, ...)
{
	va_list ap;

	if (!diag)
		return err;
	diag->err = err;
	va_start(ap, fmt);
	vsnprintf(diag->msg, sizeof(diag->msg), fmt, ap);
	va_end(ap);
	return err;
}

const char *bk_strerror(int err)
{
	switch (err < 0 ? -err : err) {
	case 0: return "success";
	case EINVAL: return "malformed input or invalid argument";
	case ENOMEM: return "out of memory";
	case ENOENT: return "not found";
	case E2BIG: return "over a size limit";
	case EOPNOTSUPP: return "unsupported kind or extension";
	case ERANGE: return "value out of range";
	case ELOOP: return "type loop";
	case ENOSPC: return "too many elements";
	default: return "system error";
	}
}

const char *bk_version(void)
{
	return BKIT_VERSION_STRING;
}
