// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The function-symbol index the function rules consult: for every name of
 * an ELF function symbol, how many symbols have it exactly, at how many
 * distinct addresses, and how many clone symbols (NAME.isra.0,
 * NAME.constprop.1, ...; not .cold/.part pieces) are named after it.
 * An open-addressing hash table at most a quarter full, built once before
 * the units are scanned and read-only afterwards (threads share it).
 */
#include <stdlib.h>
#include <string.h>

#include "enc_int.h"

static uint32_t name_hash(const char *s, size_t len)
{
	return bk__str_hash(s, len);
}

static struct fsym *fsym_slot(const struct enc *e, const char *name, size_t len)
{
	size_t mask = e->fsyms_cap - 1;

	for (size_t j = name_hash(name, len) & mask;; j = (j + 1) & mask) {
		struct fsym *f = &e->fsyms[j];

		if (!f->name || (f->len == len && !memcmp(f->name, name, len)))
			return f;
	}
}

const struct fsym *bk__enc_fsym(const struct enc *e, const char *name)
{
	const struct fsym *f;

	if (!e->fsyms_cap)
		return NULL;
	f = fsym_slot(e, name, strlen(name));
	return f->name ? f : NULL;
}

/* Remember an address per exact name to count distinct ones: a second table. */
struct addr_ent { const char *name; uint64_t addr; };

static int cmp_addr(const void *a, const void *b)
{
	const struct addr_ent *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

int bk__enc_fsyms_index(struct enc *e, struct bk_diag *diag)
{
	const struct dw_file *f = &e->f;
	struct addr_ent *ae;
	size_t cap = 16;

	e->have_fsyms = f->nr_funcs > 0;
	while (cap < 4 * f->nr_funcs + 16)
		cap *= 2;
	e->fsyms = calloc(cap, sizeof(*e->fsyms));
	ae = malloc((f->nr_funcs ? f->nr_funcs : 1) * sizeof(*ae));
	if (!e->fsyms || !ae) {
		free(ae);
		return bk__diag(diag, -ENOMEM, "out of memory");
	}
	e->fsyms_cap = cap;
	for (size_t i = 0; i < f->nr_funcs; i++) {
		const char *name = f->funcs[i].name, *dot = strchr(name, '.');
		struct fsym *s = fsym_slot(e, name, strlen(name));

		s->name = name;
		s->len = (uint32_t)strlen(name);
		s->exact++;
		/* in a relocatable file an address is a section and an offset */
		ae[i] = (struct addr_ent){ name, f->funcs[i].value ^ ((uint64_t)f->funcs[i].shndx << 48) };
		if (dot && dot != name && strncmp(dot + 1, "cold", 4) && strncmp(dot + 1, "part", 4)) {
			s = fsym_slot(e, name, (size_t)(dot - name));
			if (!s->name) {
				s->name = name;
				s->len = (uint32_t)(dot - name);
			}
			if (!s->clones++)
				s->clone = name;
		}
	}
	qsort(ae, f->nr_funcs, sizeof(*ae), cmp_addr);
	for (size_t i = 0; i < f->nr_funcs; i++) {
		if (i && !strcmp(ae[i].name, ae[i - 1].name) && ae[i].addr == ae[i - 1].addr)
			continue;
		fsym_slot(e, ae[i].name, strlen(ae[i].name))->addrs++;
	}
	free(ae);
	return 0;
}
