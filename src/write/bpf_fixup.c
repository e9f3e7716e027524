// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The changes libbpf makes to a BPF object's BTF before BPF_BTF_LOAD
 * (bk_btf_fixup_bpf_object, write.h), so that "btfkit validate prog.bpf.o"
 * checks what the kernel will actually be given. Reproduced from libbpf
 * 1.1's bpf_object__open (bpf_object__collect_externs, then
 * bpf_object__finalize_btf), in its order, with its results byte for byte
 * (tests/helpers/bpf_fixup_diff.c compares them):
 *
 *  1. If the .ksyms DATASEC holds a FUNC, a VAR "dummy_ksym" (global, of
 *     the first 32-bit INT) is appended.
 *  2. Externs: every undefined GLOBAL/WEAK NOTYPE symbol must have a BTF VAR
 *     or FUNC of extern linkage, inside the DATASEC .kconfig (VARs of bool,
 *     char, integer, libbpf_tristate enum or char array type) or .ksyms.
 *     They are sorted (.kconfig first, by alignment descending, size
 *     ascending, name); .kconfig VARs get offsets in that order, each
 *     aligned, the DATASEC the total size, linkage global; each .ksyms
 *     entry becomes 4 bytes at 4 * index: a VAR gets linkage global and the
 *     32-bit INT as type, a FUNC linkage global, its unnamed parameters the
 *     name "dummy_ksym", and its entry points at the dummy VAR.
 *  3. Every other DATASEC of size 0 gets the size of the ELF section of its
 *     name, and each of its global VARs the value of its ELF symbol
 *     (STT_OBJECT, GLOBAL or WEAK) as offset; a VAR whose symbol is hidden
 *     or internal becomes static (in DATASECs of any size). Then every
 *     DATASEC's entries are sorted by offset (stable).
 * Where libbpf refuses the object (no ELF section or symbol to take a value
 * from, an extern without BTF or in another section, an unsupported .kconfig
 * type, a weak extern function), the call fails with the reason, and btf
 * is unchanged. Kernel-feature sanitizing (libbpf rewrites kinds an old
 * kernel lacks) is not done: it depends on the kernel, not on the object.
 */
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "write_int.h"
#include "btfkit/write.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif

struct elf_info {
	Elf *elf;
	size_t shstrndx;
	Elf_Data *syms;
	size_t nsyms;
	size_t sym_strndx;
};

struct ext {
	const char *name;
	uint32_t id;  /* its VAR or FUNC */
	bool ksym;    /* .ksyms, else .kconfig */
	int64_t size; /* .kconfig: size and alignment of the type */
	int align;
	uint32_t off;
};

struct fix {
	struct bk_btf *btf;
	struct bk_fixup_opts opts; /* the caller's, read with bk__opts_get */
	struct bk_diag *diag;
	struct elf_info *ei;
	int n;
};

/* Report one change through the callback; 0 or the callback's non-zero. */
static int note(struct fix *f, uint32_t id, long member, const char *fmt, ...) BK_PRINTF(4, 5);
static int note(struct fix *f, uint32_t id, long member, const char *fmt, ...)
{
	struct bk_fixup fx = { .type_id = id, .member = member };
	char msg[512];
	va_list ap;

	f->n++;
	if (!f->opts.cb)
		return 0;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fx.msg = msg;
	return f->opts.cb(&fx, f->opts.ctx);
}

/*
 * An own type of kind (any kind when kind is BK_NR_KINDS) to change, or NULL:
 * the input is untrusted, so every referenced ID is checked before use.
 */
static struct bk_type *own_kind(struct bk_btf *btf, uint32_t id, unsigned kind)
{
	struct bk_type *t;

	if (id < bk_btf_start_id(btf) || id >= bk_btf_type_cnt(btf))
		return NULL;
	t = bk__own_type(btf, id);
	return kind == BK_NR_KINDS || bk_kind(t) == kind ? t : NULL;
}

static const char *name_of(struct bk_btf *btf, uint32_t id)
{
	const struct bk_type *t = bk_btf_type(btf, id);
	const char *s = t ? bk_btf_name(btf, t) : NULL;

	return s ? s : "";
}

/* The first type of kind named name, or 0. */
static uint32_t find_kind(struct bk_btf *btf, const char *name, unsigned kind)
{
	int id = bk_btf_find(btf, name, (int)kind);

	return id > 0 ? (uint32_t)id : 0;
}

/* The first INT of 32 bits (libbpf's find_int_btf_id), or 0. */
static uint32_t int32_id(struct bk_btf *btf)
{
	for (uint32_t id = 1; id < bk_btf_type_cnt(btf); id++) {
		const struct bk_type *t = bk_btf_type(btf, id);

		if (bk_kind(t) == BK_KIND_INT && bk_int_bits(t) == 32)
			return id;
	}
	return 0;
}

/* ---- the ELF side ---------------------------------------------------------- */

static int elf_open(struct elf_info *ei, const void *data, size_t size, struct bk_diag *diag)
{
	Elf_Scn *scn = NULL;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return bk__diag(diag, -EINVAL, "libelf initialisation failed");
	ei->elf = elf_memory((char *)data, size);
	if (!ei->elf || elf_getshdrstrndx(ei->elf, &ei->shstrndx))
		return bk__diag(diag, -EINVAL, "not a readable ELF file: %s", elf_errmsg(-1));
	while ((scn = elf_nextscn(ei->elf, scn))) {
		GElf_Shdr sh;

		if (gelf_getshdr(scn, &sh) && sh.sh_type == SHT_SYMTAB && sh.sh_entsize) {
			ei->syms = elf_getdata(scn, NULL);
			ei->nsyms = ei->syms ? ei->syms->d_size / sh.sh_entsize : 0;
			ei->sym_strndx = sh.sh_link;
			break;
		}
	}
	return 0;
}

/* Size of the ELF section called name; 0 when there is none. */
static uint64_t elf_sec_size(struct elf_info *ei, const char *name)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(ei->elf, scn))) {
		GElf_Shdr sh;
		const char *n;

		if (!gelf_getshdr(scn, &sh))
			continue;
		n = elf_strptr(ei->elf, ei->shstrndx, sh.sh_name);
		if (n && !strcmp(n, name))
			return sh.sh_size;
	}
	return 0;
}

static const char *sym_name(struct elf_info *ei, const GElf_Sym *s)
{
	return elf_strptr(ei->elf, ei->sym_strndx, s->st_name);
}

/* The variable's symbol as libbpf finds it (STT_OBJECT, GLOBAL or WEAK). */
static bool var_sym(struct elf_info *ei, const char *name, GElf_Sym *out)
{
	for (size_t i = 0; i < ei->nsyms; i++) {
		const char *n;

		if (!gelf_getsym(ei->syms, (int)i, out) || GELF_ST_TYPE(out->st_info) != STT_OBJECT ||
		    (GELF_ST_BIND(out->st_info) != STB_GLOBAL && GELF_ST_BIND(out->st_info) != STB_WEAK))
			continue;
		n = sym_name(ei, out);
		if (n && !strcmp(n, name))
			return true;
	}
	return false;
}

/* ---- externs (libbpf's bpf_object__collect_externs) ------------------------ */

/* The DATASEC whose entries include id, or 0. */
static uint32_t datasec_of(struct bk_btf *btf, uint32_t id)
{
	for (uint32_t s = 1; s < bk_btf_type_cnt(btf); s++) {
		const struct bk_type *t = bk_btf_type(btf, s);

		if (bk_kind(t) != BK_KIND_DATASEC)
			continue;
		for (unsigned i = 0; i < bk_vlen(t); i++)
			if (bk_secinfos(t)[i].type == id)
				return s;
	}
	return 0;
}

/* libbpf's find_kcfg_type: bool, char, integer, tristate enum, char array. */
static bool kcfg_type_ok(struct bk_btf *btf, uint32_t id, bool char_only)
{
	int rid = bk_btf_resolve(btf, id);
	const struct bk_type *t = rid > 0 ? bk_btf_type(btf, (uint32_t)rid) : NULL;
	const char *name = t ? bk_btf_name(btf, t) : NULL;

	if (!t)
		return false;
	switch (bk_kind(t)) {
	case BK_KIND_INT:
		if (bk_int_encoding(t) & BK_INT_BOOL)
			return !char_only && t->size == 1;
		if (t->size == 1)
			return true;
		return !char_only && t->size <= 8 && !(t->size & (t->size - 1));
	case BK_KIND_ENUM:
	case BK_KIND_ENUM64:
		return !char_only && (bk_kind(t) == BK_KIND_ENUM64 || t->size == 4) && name &&
		       !strcmp(name, "libbpf_tristate");
	case BK_KIND_ARRAY:
		return !char_only && bk_array_of(t)->nelems && kcfg_type_ok(btf, bk_array_of(t)->type, true);
	default:
		return false;
	}
}

static int cmp_ext(const void *pa, const void *pb)
{
	const struct ext *a = pa, *b = pb;

	if (a->ksym != b->ksym)
		return a->ksym ? 1 : -1;
	if (!a->ksym && a->align != b->align)
		return a->align > b->align ? -1 : 1;
	if (!a->ksym && a->size != b->size)
		return a->size < b->size ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* One extern symbol: its BTF, section and, for .kconfig, size and alignment. */
static int describe_ext(struct fix *f, const char *name, bool weak, struct ext *e)
{
	struct bk_btf *btf = f->btf;
	uint32_t cnt = bk_btf_type_cnt(btf), sec;
	const char *sname;

	e->name = name;
	for (e->id = 1; e->id < cnt; e->id++) {
		const struct bk_type *t = bk_btf_type(btf, e->id);
		const char *n;

		if (bk_kind(t) != BK_KIND_VAR && bk_kind(t) != BK_KIND_FUNC)
			continue;
		n = bk_btf_name(btf, t);
		if (!n || strcmp(n, name))
			continue;
		if ((bk_kind(t) == BK_KIND_VAR && bk_var_of(t)->linkage != BK_LINKAGE_EXTERN) ||
		    (bk_kind(t) == BK_KIND_FUNC && bk_vlen(t) != BK_LINKAGE_EXTERN))
			return bk__diag(f->diag, -EINVAL, "extern symbol '%s' is not extern in BTF (type [%u])",
					name, e->id);
		break;
	}
	if (e->id == cnt)
		return bk__diag(f->diag, -ENOENT, "no BTF for extern symbol '%s'", name);
	sec = datasec_of(btf, e->id);
	if (!sec)
		return bk__diag(f->diag, -ENOENT, "extern '%s' (type [%u]) is in no DATASEC", name, e->id);
	sname = name_of(btf, sec);
	if (!strcmp(sname, ".kconfig")) {
		const struct bk_type *t = bk_btf_type(btf, e->id);

		if (bk_kind(t) == BK_KIND_FUNC)
			return bk__diag(f->diag, -EOPNOTSUPP, "extern function '%s' in .kconfig", name);
		e->size = bk_btf_resolve_size(btf, t->type);
		e->align = bk_btf_align(btf, t->type);
		if (e->size <= 0 || e->align <= 0 || !kcfg_type_ok(btf, t->type, false))
			return bk__diag(f->diag, -EOPNOTSUPP, "extern '%s' (type [%u]): a type .kconfig does not support",
					name, e->id);
		return 0;
	}
	if (!strcmp(sname, ".ksyms")) {
		if (weak && bk_kind(bk_btf_type(btf, e->id)) == BK_KIND_FUNC)
			return bk__diag(f->diag, -EOPNOTSUPP, "extern weak function '%s'", name);
		e->ksym = true;
		return 0;
	}
	return bk__diag(f->diag, -EOPNOTSUPP, "extern '%s' in section '%s' (only .kconfig and .ksyms)", name,
			sname);
}

static int collect_externs(struct fix *f, struct ext **out, size_t *n)
{
	struct ext *exts = NULL;
	size_t cnt = 0;
	int err = 0;

	for (size_t i = 0; i < f->ei->nsyms && !err; i++) {
		GElf_Sym s;
		int bind;

		if (!gelf_getsym(f->ei->syms, (int)i, &s))
			continue;
		bind = GELF_ST_BIND(s.st_info);
		if (s.st_shndx != SHN_UNDEF || GELF_ST_TYPE(s.st_info) != STT_NOTYPE ||
		    (bind != STB_GLOBAL && bind != STB_WEAK) || !sym_name(f->ei, &s) || !*sym_name(f->ei, &s))
			continue;
		if (!(cnt & (cnt + 1))) {
			struct ext *m = realloc(exts, (cnt * 2 + 1) * sizeof(*m));

			if (!m) {
				err = bk__diag(f->diag, -ENOMEM, "out of memory");
				break;
			}
			exts = m;
		}
		memset(&exts[cnt], 0, sizeof(exts[cnt]));
		err = describe_ext(f, sym_name(f->ei, &s), bind == STB_WEAK, &exts[cnt++]);
	}
	if (err) {
		free(exts);
		return err;
	}
	if (cnt)
		qsort(exts, cnt, sizeof(*exts), cmp_ext);
	*out = exts;
	*n = cnt;
	return 0;
}

static struct ext *find_ext(struct ext *exts, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(exts[i].name, name))
			return &exts[i];
	return NULL;
}

/* .ksyms: each entry 4 bytes at 4 * index; VARs typed int, FUNCs through the dummy VAR. */
static int fix_ksyms(struct fix *f, uint32_t sec, struct ext *exts, size_t n, uint32_t dummy)
{
	struct bk_btf *btf = f->btf;
	uint32_t int_id = int32_id(btf), off = 0;
	struct bk_type *st = own_kind(btf, sec, BK_KIND_DATASEC);
	int err = 0;

	for (unsigned i = 0; st && i < bk_vlen(st) && !err; i++, off += 4) {
		struct bk_var_secinfo *vs = (struct bk_var_secinfo *)bk_secinfos(st) + i;
		uint32_t vid = vs->type;
		struct bk_type *vt = own_kind(btf, vid, BK_NR_KINDS);

		if (!vt || (bk_kind(vt) != BK_KIND_VAR && bk_kind(vt) != BK_KIND_FUNC))
			return bk__diag(f->diag, -EINVAL, ".ksyms entry %u is not an own VAR or FUNC (type [%u])",
					i, vid);
		if (!find_ext(exts, n, name_of(btf, vid)))
			return bk__diag(f->diag, -ESRCH, "no extern symbol for .ksyms entry '%s' (type [%u])",
					name_of(btf, vid), vid);
		if (bk_kind(vt) == BK_KIND_FUNC) {
			struct bk_type *proto = own_kind(btf, vt->type, BK_KIND_FUNC_PROTO);
			struct bk_type *dt = own_kind(btf, dummy, BK_KIND_VAR);
			struct bk_param *p;

			if (!proto || !dt)
				return bk__diag(f->diag, -EINVAL, "extern function '%s' (type [%u]) has no own FUNC_PROTO",
						name_of(btf, vid), vid);
			p = (struct bk_param *)bk_params(proto);
			for (unsigned j = 0; j < bk_vlen(proto); j++)
				if (p[j].type && !p[j].name_off)
					p[j].name_off = dt->name_off;
			vs->type = dummy;
			vt->info = (vt->info & ~0xffffu) | BK_LINKAGE_GLOBAL;
			err = note(f, vid, -1, "extern function in .ksyms: linkage global, its entry %u points at VAR 'dummy_ksym' [%u]",
				   i, dummy);
		} else {
			((struct bk_var *)bk_var_of(vt))->linkage = BK_LINKAGE_GLOBAL;
			vt->type = int_id;
			err = note(f, vid, -1, "extern variable in .ksyms: linkage global, type [%u] (int)", int_id);
		}
		vs->offset = off;
		vs->size = 4;
	}
	if (!st)
		return bk__diag(f->diag, -EINVAL, ".ksyms (type [%u]) is not an own DATASEC", sec);
	if (!err)
		err = note(f, sec, -1, "DATASEC size %u -> %u (4 bytes per .ksyms entry)", st->size, off);
	st->size = off;
	return err;
}

/* .kconfig: offsets in the sorted externs' order, each aligned; linkage global. */
static int fix_kconfig(struct fix *f, uint32_t sec, struct ext *exts, size_t n)
{
	struct bk_btf *btf = f->btf;
	struct bk_type *st = own_kind(btf, sec, BK_KIND_DATASEC);
	uint32_t off = 0;
	int err = 0;

	if (!st)
		return bk__diag(f->diag, -EINVAL, ".kconfig (type [%u]) is not an own DATASEC", sec);
	for (size_t i = 0; i < n; i++) {
		if (exts[i].ksym)
			continue;
		exts[i].off = (off + (uint32_t)exts[i].align - 1) / (uint32_t)exts[i].align * (uint32_t)exts[i].align;
		off = exts[i].off + (uint32_t)exts[i].size;
	}
	for (unsigned i = 0; i < bk_vlen(st) && !err; i++) {
		struct bk_var_secinfo *vs = (struct bk_var_secinfo *)bk_secinfos(st) + i;
		struct ext *e = find_ext(exts, n, name_of(btf, vs->type));

		struct bk_type *vt = own_kind(btf, vs->type, BK_KIND_VAR);

		if (!e || !vt)
			return bk__diag(f->diag, -ESRCH, "no extern variable for .kconfig entry '%s' (type [%u])",
					name_of(btf, vs->type), vs->type);
		((struct bk_var *)bk_var_of(vt))->linkage = BK_LINKAGE_GLOBAL;
		vs->offset = e->off;
		err = note(f, vs->type, -1, "extern variable in .kconfig: linkage global, offset %u", e->off);
	}
	if (!err)
		err = note(f, sec, -1, "DATASEC size %u -> %u (the .kconfig variables)", st->size, off);
	st->size = off;
	return err;
}

/* ---- DATASECs (libbpf's btf_fixup_datasec) --------------------------------- */

static void sort_entries(struct bk_var_secinfo *v, unsigned n)
{
	for (unsigned i = 1; i < n; i++) {
		struct bk_var_secinfo x = v[i];
		unsigned j = i;

		for (; j > 0 && v[j - 1].offset > x.offset; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

static int fix_datasec(struct fix *f, uint32_t sec)
{
	struct bk_btf *btf = f->btf;
	struct bk_type *st = own_kind(btf, sec, BK_KIND_DATASEC);
	const char *sname = name_of(btf, sec);
	struct bk_var_secinfo *vs = (struct bk_var_secinfo *)bk_secinfos(st);
	bool set_offsets = false, sorted = true;
	int err = 0;

	if (strcmp(sname, ".kconfig") && strcmp(sname, ".ksyms")) {
		if (!st->size) {
			uint64_t size = elf_sec_size(f->ei, sname);

			if (!size || size > UINT32_MAX)
				return bk__diag(f->diag, -ENOENT,
						"DATASEC '%s' (type [%u]) has size 0 and no ELF section gives it one",
						sname, sec);
			st->size = (uint32_t)size;
			set_offsets = true;
			err = note(f, sec, -1, "DATASEC size 0 -> %u from ELF section '%s'", st->size, sname);
		}
		for (unsigned i = 0; i < bk_vlen(st) && !err; i++) {
			struct bk_type *vt = own_kind(btf, vs[i].type, BK_KIND_VAR);
			const char *vname = name_of(btf, vs[i].type);
			struct bk_var *var;
			GElf_Sym sym;
			int vis;

			if (!vt)
				return bk__diag(f->diag, -EINVAL, "DATASEC '%s' (type [%u]) entry %u is not an own VAR",
						sname, sec, i);
			var = (struct bk_var *)bk_var_of(vt);
			if (var->linkage == BK_LINKAGE_STATIC || var->linkage == BK_LINKAGE_EXTERN)
				continue;
			if (!var_sym(f->ei, vname, &sym))
				return bk__diag(f->diag, -ENOENT, "no ELF symbol for VAR '%s' (type [%u]) of DATASEC '%s'",
						vname, vs[i].type, sname);
			if (set_offsets && vs[i].offset != sym.st_value) {
				err = note(f, sec, (long)i, "VAR '%s' offset %u -> %llu from its ELF symbol", vname,
					   vs[i].offset, (unsigned long long)sym.st_value);
				vs[i].offset = (uint32_t)sym.st_value;
			}
			vis = GELF_ST_VISIBILITY(sym.st_other);
			if (!err && (vis == STV_HIDDEN || vis == STV_INTERNAL)) {
				var->linkage = BK_LINKAGE_STATIC;
				err = note(f, vs[i].type, -1, "VAR linkage global -> static (its ELF symbol is %s)",
					   vis == STV_HIDDEN ? "hidden" : "internal");
			}
		}
	}
	for (unsigned i = 1; i < bk_vlen(st); i++)
		sorted &= vs[i - 1].offset <= vs[i].offset;
	if (!sorted && !err) {
		sort_entries(vs, bk_vlen(st));
		err = note(f, sec, -1, "DATASEC entries sorted by offset");
	}
	return err;
}

static int fixup(struct fix *f)
{
	struct bk_btf *btf = f->btf;
	uint32_t ksyms = find_kind(btf, ".ksyms", BK_KIND_DATASEC), kconfig = 0, dummy = 0;
	struct ext *exts = NULL;
	size_t n = 0;
	int err = 0;

	if (!f->ei->syms)
		return 0; /* no symbol table: libbpf looks for no externs either */
	if (ksyms) {
		const struct bk_type *t = bk_btf_type(btf, ksyms);

		for (unsigned i = 0; i < bk_vlen(t); i++) {
			const struct bk_type *e = bk_btf_type(btf, bk_secinfos(t)[i].type);

			if (!e || bk_kind(e) != BK_KIND_FUNC)
				continue;
			err = bk_btf_add_var(btf, "dummy_ksym", BK_LINKAGE_GLOBAL, (int)int32_id(btf));
			if (err < 0)
				return bk__diag(f->diag, err, "cannot add VAR 'dummy_ksym': %s", bk_strerror(err));
			dummy = (uint32_t)err;
			err = note(f, dummy, -1, "VAR 'dummy_ksym' added for the extern functions in .ksyms");
			break;
		}
	}
	if (!err)
		err = collect_externs(f, &exts, &n);
	if (err)
		return err;
	ksyms = kconfig = 0;
	for (size_t i = 0; i < n; i++) {
		if (exts[i].ksym)
			ksyms = datasec_of(btf, exts[i].id);
		else
			kconfig = datasec_of(btf, exts[i].id);
	}
	if (ksyms)
		err = fix_ksyms(f, ksyms, exts, n, dummy);
	if (!err && kconfig)
		err = fix_kconfig(f, kconfig, exts, n);
	free(exts);
	for (uint32_t id = bk_btf_start_id(btf); !err && id < bk_btf_type_cnt(btf); id++)
		if (bk_kind(bk_btf_type(btf, id)) == BK_KIND_DATASEC)
			err = fix_datasec(f, id);
	return err;
}

/* Is data an ELF file for BPF (e_machine EM_BPF, either byte order)? */
static bool is_bpf_elf(const uint8_t *d, size_t size)
{
	uint16_t m;

	if (size < 20 || memcmp(d, "\177ELF", 4))
		return false;
	m = d[5] == ELFDATA2MSB ? (uint16_t)(d[18] << 8 | d[19]) : (uint16_t)(d[19] << 8 | d[18]);
	return m == EM_BPF;
}

int bk_btf_fixup_bpf_mem(struct bk_btf *btf, const void *elf, size_t size,
			 const struct bk_fixup_opts *opts)
{
	struct elf_info ei = { 0 };
	struct fix f = { .btf = btf, .ei = &ei };
	struct bk_btf *copy;
	void *data;
	size_t len;
	int err;

	if ((err = bk__opts_get(&f.opts, sizeof(f.opts), opts)))
		return err;
	f.diag = f.opts.diag;
	if (!btf || (!elf && size))
		return bk__diag(f.diag, -EINVAL, "bad arguments");
	if (!is_bpf_elf(elf, size) || btf->base)
		return 0;
	err = elf_open(&ei, elf, size, f.diag);
	if (err)
		goto out;
	/* all or nothing: work on a copy, keep it only when every step worked */
	err = bk_btf_serialize(btf, &data, &len);
	if (err)
		goto out;
	copy = bk_btf_from_mem(data, len, NULL);
	free(data);
	if (!copy || (err = bk__btf_make_writable(copy))) {
		err = copy ? err : -ENOMEM;
		bk_btf_free(copy);
		goto out;
	}
	copy->source = btf->source;
	copy->file_off = btf->file_off;
	copy->ptr_sz = btf->ptr_sz;
	f.btf = copy;
	err = fixup(&f);
	if (!err) {
		/* the fixed copy takes btf's place (same address for the caller) */
		struct bk_btf tmp = *btf;

		*btf = *copy;
		*copy = tmp;
	}
	/* before the old object goes: elf may be its image (path NULL) */
	elf_end(ei.elf);
	ei.elf = NULL;
	bk_btf_free(copy);
out:
	if (ei.elf)
		elf_end(ei.elf);
	return err ? err : f.n;
}

int bk_btf_fixup_bpf_object(struct bk_btf *btf, const char *path, const struct bk_fixup_opts *opts)
{
	struct bk_fixup_opts o = { 0 };
	struct bk_diag *diag;
	uint8_t head[20], *dec = NULL;
	struct stat st;
	void *map;
	size_t dec_len;
	ssize_t got;
	int fd, err;

	if ((err = bk__opts_get(&o, sizeof(o), opts)))
		return err;
	diag = o.diag;

	if (!btf)
		return bk__diag(diag, -EINVAL, "bad arguments");
	if (btf->source != BK_SOURCE_ELF || btf->base)
		return 0;
	if (!path) {
		/* the ELF file btf was read whole from (a stream, memory), still held */
		if (!btf->img.whole_elf)
			return bk__diag(diag, -EINVAL,
					"the ELF file was not kept (read from a file): give its path");
		return bk_btf_fixup_bpf_mem(btf, btf->img.data, btf->img.size, opts);
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		err = fd < 0 || errno ? -errno : -EINVAL;
		if (fd >= 0)
			close(fd);
		return bk__diag(diag, err ? err : -EINVAL, "cannot reread the ELF file: %s",
				strerror(err ? -err : EINVAL));
	}
	got = pread(fd, head, sizeof(head), 0);
	if (got < 4 || (!is_bpf_elf(head, (size_t)got) &&
			bk__detect_compression(head, (size_t)got) == BK__COMP_NONE)) {
		close(fd);
		return 0; /* not a BPF object */
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return bk__diag(diag, -errno, "cannot map the ELF file: %s", strerror(errno));
	if (is_bpf_elf(map, (size_t)st.st_size)) {
		err = bk_btf_fixup_bpf_mem(btf, map, (size_t)st.st_size, opts);
	} else {
		err = bk__decompress(map, (size_t)st.st_size, &dec, &dec_len, diag);
		if (!err)
			err = bk_btf_fixup_bpf_mem(btf, dec, dec_len, opts);
		free(dec);
	}
	munmap(map, (size_t)st.st_size);
	return err;
}
