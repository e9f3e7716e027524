// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Per-CPU variables, once every unit is known: a VAR for each object
 * symbol of .data..percpu that a top-level DWARF variable lives at (the
 * first unit's wins for an address), named as the symbol and typed as the
 * DWARF variable; linkage global for DW_AT_external, else static. Then one
 * DATASEC ".data..percpu" listing them by offset, each with the symbol's
 * size, the section's size being where the last one ends. This is what
 * pahole 1.24 to 1.27 write and what the kernel reads per-CPU variables
 * from (PAHOLE-REFERENCE.md A.10).
 *
 * Skipped: variables of a size-0 type; symbols whose name is not a valid
 * BTF identifier and variables of type void (both fatal unless
 * encode_force, as in pahole).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#include "enc_int.h"
#include "btfkit/write.h"

static int cmp_var(const void *a, const void *b)
{
	const struct vcand *x = *(const struct vcand *const *)a, *y = *(const struct vcand *const *)b;

	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	return x < y ? -1 : x > y;
}

static bool valid_name(const char *s)
{
	if (!s[0] || (!isalpha((unsigned char)s[0]) && s[0] != '_'))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

struct info {
	int id;
	uint32_t off, size;
};

int bk__enc_var_add_all(const struct enc *e, struct bk_btf *btf, struct cands *c, struct bk_diag *diag)
{
	bool force = e->features & BK_ENC_ENCODE_FORCE;
	size_t n = c->vars.cnt, ni = 0;
	const struct vcand **v;
	struct info *info;
	int err = 0, ds;

	if (!n)
		return 0;
	v = malloc(n * sizeof(*v));
	info = malloc(n * sizeof(*info));
	if (!v || !info) {
		err = bk__diag(diag, -ENOMEM, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		v[i] = &ARR_AT(&c->vars, struct vcand, i);
	qsort(v, n, sizeof(*v), cmp_var);
	for (size_t i = 0; i < n; i++) {
		const struct dw_sym *sym = &e->f.percpu[v[i]->sym];
		int64_t size;
		int id;

		if (i && v[i]->off == v[i - 1]->off)
			continue;
		if (!valid_name(sym->name)) {
			if (force)
				continue;
			err = bk__diag(diag, -EINVAL,
				       "per-CPU symbol '%s' is not a valid BTF name (encode_force skips it)",
				       sym->name);
			goto out;
		}
		if (!v[i]->type) {
			if (force)
				continue;
			err = bk__diag(diag, -EINVAL,
				       "per-CPU variable '%s' (unit 0x%llx, DIE 0x%llx) has type void (encode_force skips it)",
				       sym->name, (unsigned long long)e->f.units[v[i]->unit].off,
				       (unsigned long long)v[i]->die);
			goto out;
		}
		size = bk_btf_resolve_size(btf, v[i]->type);
		if (size <= 0)
			continue;
		if (v[i]->off > UINT32_MAX || sym->size > UINT32_MAX || v[i]->off + sym->size > UINT32_MAX) {
			err = bk__diag(diag, -E2BIG, "per-CPU variable '%s' lies beyond 4 GiB", sym->name);
			goto out;
		}
		id = bk_btf_add_var(btf, sym->name, v[i]->external ? 1 : 0, (int)v[i]->type);
		for (uint32_t j = 0; id > 0 && j < v[i]->nr_tags; j++) {
			const struct ftag *t = &ARR_AT(&c->tags, struct ftag, v[i]->first_tag + j);
			int r = bk_btf_add_decl_tag(btf, t->value, id, -1);

			if (r < 0)
				id = r;
		}
		if (id < 0) {
			err = bk__diag(diag, id, "per-CPU variable '%s': %s", sym->name, bk_strerror(id));
			goto out;
		}
		info[ni++] = (struct info){ id, (uint32_t)v[i]->off, (uint32_t)sym->size };
	}
	if (!ni)
		goto out;
	ds = bk_btf_add_datasec(btf, ".data..percpu", info[ni - 1].off + info[ni - 1].size);
	for (size_t i = 0; ds > 0 && i < ni; i++) {
		int r = bk_btf_add_datasec_var_info(btf, info[i].id, info[i].off, info[i].size);

		if (r < 0)
			ds = r;
	}
	if (ds < 0)
		err = bk__diag(diag, ds, "cannot add DATASEC .data..percpu: %s", bk_strerror(ds));
out:
	free(v);
	free(info);
	return err;
}
