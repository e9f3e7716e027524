// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * bk_module_check: would this kernel accept a module's BTF, and if not,
 * why, in words a module author can act on.
 *
 * The kernel's module loader (kernel/bpf/btf.c btf_parse_module) numbers a
 * module's split BTF after the running vmlinux's types and strings, checks
 * its header, strings, per-type rules and type-tag chains, and nothing else:
 * it cannot tell a module built against another vmlinux, whose references
 * then land on unrelated types. A module with a distilled base (.BTF.base)
 * has that base and its split checked, then is relocated onto vmlinux.
 *
 * Here the same: the module is opened unchecked (BK__OPEN_UNCHECKED: the
 * parser's reference checks, which would refuse such a module outright,
 * are skipped; only the validator sees the object) and validated with the
 * module loader's rules. Then, for split BTF, its references are counted
 * the way a wrong base shows: IDs past its last type, references to kinds
 * that cannot be meant (a FUNC to a non-FUNC_PROTO, a member to a FUNC,
 * ...), type names starting inside another string. Any of those means the
 * module was built against another vmlinux; the kernel may still load it,
 * but its types are then nonsense, so the check fails.
 */
#include <stdio.h>
#include <sys/stat.h>

#include "btfkit/distill.h"
#include "btfkit/validate.h"
#include "internal.h"

struct mcheck {
	struct bk_module_check *res;
	const struct bk_module_check_opts *opts; /* the caller's, read in full; NULL to stop */
	const char *part; /* "" or "distilled base (.BTF.base): " */
	char first_unmatched[512];
};

static int on_problem(const struct bk_problem *p, void *ctx)
{
	struct mcheck *mc = ctx;
	char where[200];

	if (!mc->res->problem[0]) {
		if (bk_problem_where(p, where, sizeof(where)) > 0)
			snprintf(mc->res->problem, sizeof(mc->res->problem), "%s%s (%s)", mc->part,
				 p->msg, where);
		else
			snprintf(mc->res->problem, sizeof(mc->res->problem), "%s%s", mc->part, p->msg);
	}
	if (mc->opts && mc->opts->cb && mc->opts->cb(p, mc->opts->ctx))
		mc->opts = NULL;
	return 0;
}

static int validate(struct mcheck *mc, const struct bk_btf *btf, const char *part)
{
	struct bk_validate_opts vo = { .sz = sizeof(vo), .cb = on_problem, .ctx = mc,
				       .flags = BK_VALIDATE_KERNEL_MODULE };
	int n;

	mc->part = part;
	n = bk_btf_validate(btf, &vo);
	return n < 0 ? n : (mc->res->nr_problems += n, 0);
}

/* "[5] STRUCT 'foo'" (names looked up with bounds checks). */
static const char *desc(char *buf, size_t n, const struct bk_btf *btf, uint32_t id)
{
	const struct bk_type *t = bk_btf_type(btf, id);
	const char *name = t && t->name_off ? bk_btf_str(btf, t->name_off) : "";

	if (!t)
		snprintf(buf, n, "[%u]", id);
	else
		snprintf(buf, n, "[%u] %s '%s'", id, bk_kind_name(bk_kind(t)),
			 !name ? "?" : *name ? name : "(anon)");
	return buf;
}

static bool kind_is_mod(unsigned k)
{
	return k == BK_KIND_CONST || k == BK_KIND_VOLATILE || k == BK_KIND_RESTRICT ||
	       k == BK_KIND_TYPE_TAG;
}

/* Can a reference from a type of kind from (field f of it) mean a type of kind to? */
static const char *expected_kind(unsigned from, unsigned to, bool array_index)
{
	switch (from) {
	case BK_KIND_FUNC:
		return to == BK_KIND_FUNC_PROTO ? NULL : "a FUNC_PROTO";
	case BK_KIND_DATASEC:
		return to == BK_KIND_VAR ? NULL : "a VAR";
	case BK_KIND_DECL_TAG:
		return to == BK_KIND_STRUCT || to == BK_KIND_UNION || to == BK_KIND_FUNC ||
			       to == BK_KIND_VAR || to == BK_KIND_TYPEDEF
		       ? NULL : "a STRUCT, UNION, FUNC, VAR or TYPEDEF";
	default:
		if (array_index)
			return to == BK_KIND_INT || to == BK_KIND_TYPEDEF || kind_is_mod(to)
			       ? NULL : "an INT";
		return to == BK_KIND_FUNC || to == BK_KIND_VAR || to == BK_KIND_DATASEC ||
			       to == BK_KIND_DECL_TAG
		       ? "a data type" : NULL;
	}
}

/* The counts that show a module built against another vmlinux. */
static void count_mismatch(struct bk_module_check *res, const struct bk_btf *m, char *first,
			   size_t first_len)
{
	uint32_t cnt = bk_btf_type_cnt(m), str_end = bk__str_end(m);
	const struct bk_btf *base = m->base;

	for (uint32_t id = m->start_id; id < cnt; id++) {
		struct bk_type *t = bk__own_type(m, id);
		struct bk__field_iter it;
		uint32_t *f, i = 0;

		if (t->name_off) {
			res->nr_names++;
			if (t->name_off >= str_end)
				res->names_past_end++;
			else if (t->name_off < m->start_str_off && !bk__str_starts(base, t->name_off))
				res->names_mid_string++;
		}
		if (bk__field_iter_init(&it, t, BK__FIELD_IDS))
			continue;
		while ((f = bk__field_iter_next(&it))) {
			const struct bk_type *to;
			const char *want = NULL;
			char a[160], b[160];
			bool index = bk_kind(t) == BK_KIND_ARRAY && i++ == 1;

			if (!*f)
				continue;
			res->nr_refs++;
			to = bk_btf_type(m, *f);
			if (!to) {
				if (!res->refs_past_end++ && !first[0])
					snprintf(first, first_len, "%s refers to [%u], past the last type [%u]",
						 desc(a, sizeof(a), m, id), *f, cnt - 1);
				continue;
			}
			want = expected_kind(bk_kind(t), bk_kind(to), index);
			if (want && !res->refs_wrong_kind++ && !first[0])
				snprintf(first, first_len, "%s refers to %s, where %s belongs",
					 desc(a, sizeof(a), m, id), desc(b, sizeof(b), m, *f), want);
		}
	}
	res->other_vmlinux = res->refs_past_end || res->refs_wrong_kind || res->names_mid_string ||
			     res->names_past_end;
}

static void explain_split(struct bk_module_check *res, const char *first)
{
	int n = 0;

	if (res->other_vmlinux) {
		n = snprintf(res->reason, sizeof(res->reason), "built against another vmlinux:");
		if (res->refs_past_end || res->refs_wrong_kind)
			n += snprintf(res->reason + n, sizeof(res->reason) - (size_t)n,
				      " %u of %u type references point past its last type or at types of another kind (first: %s);",
				      res->refs_past_end + res->refs_wrong_kind, res->nr_refs, first);
		if ((size_t)n < sizeof(res->reason) && (res->names_mid_string || res->names_past_end))
			n += snprintf(res->reason + n, sizeof(res->reason) - (size_t)n,
				      " %u of %u type names start inside another string or past the end of the strings;",
				      res->names_mid_string + res->names_past_end, res->nr_names);
		if ((size_t)n < sizeof(res->reason))
			snprintf(res->reason + n, sizeof(res->reason) - (size_t)n,
				 res->loads ? " the kernel's checks would pass it, but its types would be nonsense"
					    : " the kernel rejects it (%d problems, first: %s)",
				 res->nr_problems, res->problem);
		snprintf(res->fix, sizeof(res->fix),
			 "rebuild the module against this kernel's vmlinux, or ship a distilled base (btfkit distill --embed -B ITS_VMLINUX MODULE) so the kernel relocates it when loading");
	} else if (!res->loads) {
		snprintf(res->reason, sizeof(res->reason),
			 "its BTF breaks the kernel's rules (%d problems, first: %s)", res->nr_problems,
			 res->problem);
		snprintf(res->fix, sizeof(res->fix),
			 "regenerate the module's BTF with a pahole or btfkit encode that this kernel supports");
	}
}

static int count_unmatched(void *ctx, uint32_t dist_id, const char *msg)
{
	struct mcheck *mc = ctx;

	if (!mc->res->nr_unmatched++)
		snprintf(mc->first_unmatched, sizeof(mc->first_unmatched), "%s", msg);
	if (mc->opts && mc->opts->unmatched && mc->opts->unmatched(mc->opts->ctx, dist_id, msg))
		mc->opts = NULL;
	return 0;
}

static void check_distilled(struct mcheck *mc, struct bk_btf *m, struct bk_btf *base)
{
	struct bk_module_check *res = mc->res;
	struct bk_diag diag = { 0 };
	struct bk_relocate_opts ro = { .sz = sizeof(ro), .diag = &diag, .cb = count_unmatched,
				       .cb_ctx = mc };

	res->distilled = true;
	res->nr_dist_types = bk_btf_type_cnt(bk_btf_base(m)) - 1;
	if (validate(mc, bk_btf_base(m), "distilled base (.BTF.base): ") || validate(mc, m, ""))
		return;
	res->relocated = bk_btf_relocate(m, base, &ro) == 0;
	res->loads = res->relocated && !res->nr_problems;
	res->ok = res->loads;
	if (res->nr_problems) {
		snprintf(res->reason, sizeof(res->reason),
			 "its BTF breaks the kernel's rules (%d problems, first: %s)", res->nr_problems,
			 res->problem);
		snprintf(res->fix, sizeof(res->fix),
			 "regenerate the module's BTF and distilled base with a pahole or btfkit that this kernel supports");
	} else if (!res->relocated && res->nr_unmatched) {
		snprintf(res->reason, sizeof(res->reason),
			 "its distilled base does not fit this kernel: %u of %u distilled types have no single match in this kernel's BTF (first: %s)",
			 res->nr_unmatched, res->nr_dist_types, mc->first_unmatched);
		snprintf(res->fix, sizeof(res->fix),
			 "rebuild the module against this kernel: it uses types this kernel lacks or has changed (a struct it holds by value must keep its size)");
	} else if (!res->relocated) {
		snprintf(res->reason, sizeof(res->reason), "its distilled base cannot be relocated: %s",
			 diag.msg);
		snprintf(res->fix, sizeof(res->fix),
			 "regenerate the module's BTF and distilled base (btfkit distill --embed)");
	}
}

int bk_module_check(const char *path, struct bk_btf *base, struct bk_module_check *res,
		    const struct bk_module_check_opts *opts)
{
	struct bk_diag diag = { 0 };
	struct bk_open_opts o = { .sz = sizeof(o), .base = base, .diag = &diag };
	struct bk_module_check_opts mo = { .sz = sizeof(mo) };
	struct mcheck mc = { .res = res, .opts = &mo };
	char first[400] = "";
	struct bk_btf *m;
	struct stat st;
	int err;

	if (!path || !base || !res)
		return -EINVAL;
	memset(res, 0, sizeof(*res));
	if ((err = bk__opts_get(&mo, sizeof(mo), opts)))
		return err;
	if (stat(path, &st) < 0) {
		err = -errno;
		snprintf(res->reason, sizeof(res->reason), "cannot open: %s", strerror(-err));
		return err;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(res->reason, sizeof(res->reason), "is a directory");
		return -EISDIR;
	}
	m = bk__btf_open(path, &o, BK_OPEN_KEEP_DISTILLED | BK__OPEN_UNCHECKED);
	res->has_btf = true;
	if (!m) {
		if (diag.err == -ENOENT) {
			/* no .BTF section: the kernel has nothing to check */
			res->has_btf = false;
			res->ok = res->loads = true;
			return 0;
		}
		if (diag.err == -ENOMEM || diag.err == -EIO || diag.err == -EACCES) {
			snprintf(res->reason, sizeof(res->reason), "%s", diag.msg);
			return diag.err;
		}
		res->nr_problems = 1;
		snprintf(res->problem, sizeof(res->problem), "%.*s", (int)sizeof(res->problem) - 1,
			 diag.msg);
		snprintf(res->reason, sizeof(res->reason), "its BTF is malformed: %s", diag.msg);
		snprintf(res->fix, sizeof(res->fix),
			 "regenerate the module's BTF (pahole -J --btf_base VMLINUX, or btfkit encode)");
		return 0;
	}
	if (bk_btf_has_distilled_base(m)) {
		check_distilled(&mc, m, base);
	} else {
		err = validate(&mc, m, "");
		if (err) {
			bk_btf_free(m);
			snprintf(res->reason, sizeof(res->reason), "%s", bk_strerror(err));
			return err;
		}
		res->loads = res->nr_problems == 0;
		count_mismatch(res, m, first, sizeof(first));
		res->ok = res->loads && !res->other_vmlinux;
		explain_split(res, first);
	}
	bk_btf_free(m);
	return 0;
}
