// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What every part of a unit's scan shares: DIE keys (an offset, with
 * KEY_TYPES for .debug_types), references followed to their key (within
 * the unit, ref_addr into another unit, a type unit's signature) and
 * queued when foreign, and the error messages, which name the unit and the
 * DIE offset. Leaf helpers: they call the DWARF reader only.
 */
#include <stdio.h>
#include <stdlib.h>

#include "scan_int.h"

uint64_t bk__scan_key_of(const struct dw_ctx *c, uint64_t off)
{
	return off | (c->u->sec == DS_TYPES ? KEY_TYPES : 0);
}

int bk__scan_nomem(struct scan *s)
{
	return bk__diag(s->diag, -ENOMEM, "out of memory");
}

int bk__scan_die_err(struct scan *s, const struct dw_ctx *c, const struct dw_die *d, int err,
		   const char *what)
{
	char tn[48];

	return bk__diag(s->diag, err, "unit 0x%llx, DIE 0x%llx (%s): %s",
			(unsigned long long)s->e->f.units[s->unit].off, (unsigned long long)d->off,
			d->ab ? bk__dw_tag_name(d->ab->tag, tn, sizeof(tn)) : "null", what);
	(void)c;
}

/*
 * The key a reference slot names, queued for encoding when it lies in
 * another unit. false when the slot is absent; -errno in *err.
 */
bool bk__scan_ref_key(struct scan *s, const struct dw_ctx *c, const struct dw_die *d,
		    enum dw_slot slot, uint64_t *key, int *err)
{
	const struct dw_unit *u = c->u;
	uint64_t v;

	*err = 0;
	if (!dw_has(d, slot))
		return false;
	v = d->v[slot];
	if (d->cls[slot] == C_SIG) {
		const struct dw_unit *tu = bk__dw_unit_by_sig(&s->e->f, v);

		if (!tu) {
			*err = bk__scan_die_err(s, c, d, -EINVAL, "reference to a type signature no type unit has");
			return false;
		}
		*key = tu->type_off | (tu->sec == DS_TYPES ? KEY_TYPES : 0);
	} else if (d->cls[slot] == C_REF) {
		if (v < u->die_off || v >= u->end) {
			/* ref_addr: always into .debug_info */
			if (!bk__dw_unit_of(&s->e->f, DS_INFO, v)) {
				*err = bk__scan_die_err(s, c, d, -EINVAL, "reference outside .debug_info's units");
				return false;
			}
			*key = v;
		} else {
			*key = bk__scan_key_of(c, v);
		}
	} else {
		*err = bk__scan_die_err(s, c, d, -EOPNOTSUPP,
			       d->cls[slot] == C_UNSUP ? "reference into a supplementary file (dwz -m), which is not supported"
						       : "reference of an unexpected form");
		return false;
	}
	return true;
}

/* Queue key for encoding when it is in another unit than the one walked. */
int bk__scan_want(struct scan *s, uint64_t key)
{
	const struct dw_unit *u = &s->e->f.units[s->unit];
	bool types = key & KEY_TYPES;
	uint64_t off = key & ~KEY_TYPES;
	uint64_t *slot;

	if (!key || (!types == (u->sec == DS_INFO) && off >= u->die_off && off < u->end))
		return 0;
	if (bk__enc_keymap_get(&s->seen, key) != NONE)
		return 0;
	if (bk__enc_keymap_put(&s->seen, key, 0))
		return bk__scan_nomem(s);
	slot = bk__enc_arr_push(&s->todo, sizeof(uint64_t));
	if (!slot)
		return bk__scan_nomem(s);
	*slot = key;
	return 0;
}
