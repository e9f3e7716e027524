// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The validator's reporting and the kernel's identifier rule, shared by
 * validate.c, validate_resolve.c and validate_special.c (a leaf: they call
 * it, it calls none of them). A problem goes to the caller's callback with
 * the type, member and byte offset it concerns (bk__vreport);
 * bk_problem_where spells that location.
 */
#include <stdio.h>

#include "validate_int.h"

long long bk__vpos(const struct bk__vctx *v, uint32_t id, size_t off)
{
	if (id < v->start_id || id >= v->type_cnt)
		return -1;
	return (long long)(v->types_pos + v->btf->type_offs[id - v->start_id] + off);
}

void bk__vreport(struct bk__vctx *v, uint32_t id, long member, long long pos, int err,
		 const char *fmt, ...)
{
	struct bk_problem p = { .type_id = id, .member = member, .byte_offset = pos, .err = err };
	char msg[768];
	va_list ap;

	if (v->stop)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (v->detail && v->count + 1 == v->detail_at) {
		size_t n = strlen(msg);

		/* the detail says where, in its own words */
		snprintf(msg + n, sizeof(msg) - n, ": %s", v->detail);
		p.byte_offset = -1;
	}
	p.msg = msg;
	if (id) {
		const struct bk_type *t = bk_btf_type(v->btf, id);

		if (t) {
			const char *name = bk_btf_str(v->btf, t->name_off);

			p.kind = bk_kind(t);
			p.name = name ? name : "";
		}
	}
	v->count++;
	if (v->opts->cb && v->opts->cb(&p, v->opts->ctx))
		v->stop = true;
}

int bk_problem_where(const struct bk_problem *p, char *buf, size_t size)
{
	int n = 0, r;

#define APPEND(...)                                                              \
	do {                                                                     \
		r = (size_t)n < size ? snprintf(buf + n, size - (size_t)n, __VA_ARGS__) \
				     : snprintf(NULL, 0, __VA_ARGS__);          \
		if (r < 0)                                                       \
			return -EINVAL;                                          \
		n += r;                                                          \
	} while (0)

	if (!buf && size)
		return -EINVAL;
	if (size)
		buf[0] = '\0';
	if (p->type_id) {
		APPEND("type [%u] %s '%s'", p->type_id, bk_kind_name(p->kind),
		       p->name && p->name[0] ? p->name : "(anon)");
		if (p->member >= 0)
			APPEND(", member %ld", p->member);
	}
	if (p->byte_offset >= 0)
		APPEND("%sbyte offset %lld", n ? ", " : "", p->byte_offset);
#undef APPEND
	return n;
}

/* ---- names ------------------------------------------------------------ */

/* isalpha()/isalnum() of the kernel's Latin-1 ctype table, plus '_' and '.'. */
static bool name_char_ok(unsigned char c, bool first)
{
	bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		     (c >= 192 && c != 215 && c != 247);
	bool digit = c >= '0' && c <= '9';

	if (first ? alpha : (alpha || digit))
		return true;
	return c == '_' || c == '.';
}

bool bk__vname_valid(const struct bk_btf *btf, uint32_t off)
{
	const char *s = bk_btf_str(btf, off);
	size_t i;

	if (!s || !name_char_ok((unsigned char)s[0], true))
		return false;
	for (i = 1; s[i] && i < BK_KERNEL_MAX_NAME_LEN; i++)
		if (!name_char_ok((unsigned char)s[i], false))
			return false;
	return !s[i];
}
