// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * btfkit find: which BTF object holds a type of this name, and its ID there.
 * Searches vmlinux and every module (default: the kernel's BTF directory, in
 * parallel through the tree runner) and, for the kernel's BTF directory,
 * adds the live BTF object ID of each module (bk_live_btf_list), the ID BPF
 * programs pass to the kernel.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "btfkit/live.h"
#include "btfkit/tree.h"
#include "cli.h"

#define MAX_LIVE 4096

struct find_opts {
	int kind;       /* BK_KIND_*, or -1 for any */
	bool kind_set;
	/* the live kernel objects by name, filled before the run (read-only after) */
	struct { char name[64]; uint32_t id; } live[MAX_LIVE];
	int nr_live;
	bool live_ok;
	char sysfs_real[PATH_MAX];
	uint64_t matches;
};

static const struct { const char *name; int kind; } kinds[] = {
	{ "struct", BK_KIND_STRUCT }, { "union", BK_KIND_UNION }, { "enum", BK_KIND_ENUM },
	{ "typedef", BK_KIND_TYPEDEF }, { "func", BK_KIND_FUNC }, { "var", BK_KIND_VAR },
};

static int find_option(struct cli *c, int key, const char *arg)
{
	struct find_opts *o = c->opts;

	(void)key; /* --kind, the only own option */
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (!strcmp(arg, kinds[i].name)) {
			o->kind = kinds[i].kind;
			o->kind_set = true;
			return 0;
		}
	}
	return cli_usage_error("find", "unknown kind '%s' (expected struct, union, enum, typedef, func or var)",
			       arg);
}

/* "kvm" for .../kvm.ko.xz, "vmlinux" for /sys/kernel/btf/vmlinux (static buffer per thread). */
static const char *module_name(const char *path, char *buf, size_t size)
{
	static const char *const sfx[] = { ".ko.xz", ".ko.zst", ".ko.gz", ".ko" };
	const char *b = strrchr(path, '/');
	size_t n;

	b = b ? b + 1 : path;
	n = strlen(b);
	for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
		size_t s = strlen(sfx[i]);

		if (n > s && !strcmp(b + n - s, sfx[i])) {
			n -= s;
			break;
		}
	}
	snprintf(buf, size, "%.*s", (int)n, b);
	return buf;
}

/* The live object ID of a file in the kernel's BTF directory, 0 when none. */
static uint32_t live_id(const struct find_opts *o, const char *path, const char *module)
{
	char dir[PATH_MAX], real[PATH_MAX], *d;

	if (!o->live_ok || strlen(path) >= sizeof(dir))
		return 0;
	strcpy(dir, path);
	d = dirname(dir);
	if (!realpath(d, real) || strcmp(real, o->sysfs_real))
		return 0;
	for (int i = 0; i < o->nr_live; i++)
		if (!strcmp(o->live[i].name, module))
			return o->live[i].id;
	return 0;
}

static int print_match(struct cli *c, struct cli_input *in, uint32_t id, const char *module,
		       uint32_t obj)
{
	const struct bk_type *t = bk_btf_type(in->btf, id);
	int64_t size = -1;
	unsigned k = bk_kind(t);

	if (k == BK_KIND_STRUCT || k == BK_KIND_UNION || bk_is_any_enum(t) || k == BK_KIND_TYPEDEF ||
	    k == BK_KIND_VAR || k == BK_KIND_INT || k == BK_KIND_FLOAT || k == BK_KIND_DATASEC)
		size = bk_btf_resolve_size(in->btf, k == BK_KIND_VAR ? t->type : id);
	if (c->json) {
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);
		struct bk_sink s;

		if (!m)
			return -1;
		s = bk_sink_file(m);
		fputs("{\"module\":", m);
		bk_json_string(&s, module);
		fputs(",\"file\":", m);
		bk_json_string(&s, in->path);
		fprintf(m, ",\"id\":%u,\"kind\":\"%s\",\"name\":", id, bk_kind_name(k));
		bk_json_string(&s, bk_btf_name(in->btf, t));
		if (size >= 0)
			fprintf(m, ",\"size\":%lld", (long long)size);
		else
			fputs(",\"size\":null", m);
		if (obj)
			fprintf(m, ",\"btf_obj_id\":%u}", obj);
		else
			fputs(",\"btf_obj_id\":null}", m);
		if (fclose(m)) {
			free(buf);
			return -1;
		}
		cli_print_json(in->out, buf, c->pretty);
		fputc('\n', in->out);
		free(buf);
		return 0;
	}
	fprintf(in->out, "%s: [%u] %s '%s'", module, id, bk_kind_name(k), bk_btf_name(in->btf, t));
	if (size >= 0)
		fprintf(in->out, " size=%lld", (long long)size);
	if (obj)
		fprintf(in->out, " btf_obj_id=%u", obj);
	fputc('\n', in->out);
	return 0;
}

static int find_one(struct cli *c, struct cli_input *in)
{
	struct find_opts *o = c->opts;
	const char *name = c->args[-1]; /* NAME comes before the inputs */
	uint32_t start = bk_btf_base(in->btf) ? bk_btf_start_id(in->btf) : 1, obj, found = 0;
	uint32_t *ids = NULL;
	char module[256];
	int passes = o->kind == BK_KIND_ENUM ? 2 : 1;

	module_name(in->path, module, sizeof(module));
	obj = live_id(o, in->path, module);
	for (int p = 0; p < passes; p++) {
		int kind = p ? BK_KIND_ENUM64 : o->kind_set ? o->kind : -1;
		int n = bk_btf_find_all(in->btf, name, kind, NULL, 0);

		if (n <= 0)
			continue;
		free(ids);
		ids = malloc((size_t)n * sizeof(*ids));
		if (!ids) {
			cli_error(in->path, "out of memory");
			return EXIT_BAD_INPUT;
		}
		n = bk_btf_find_all(in->btf, name, kind, ids, (size_t)n);
		/* a split BTF's own types only: its base is searched on its own */
		for (int i = 0; i < n; i++) {
			if (ids[i] < start)
				continue;
			if (print_match(c, in, ids[i], module, obj)) {
				free(ids);
				cli_error(in->path, "out of memory");
				return EXIT_BAD_INPUT;
			}
			found++;
		}
	}
	free(ids);
	in->data = (void *)(uintptr_t)(found + 1); /* non-NULL even for 0 */
	return EXIT_OK;
}

static void find_collect(struct cli *c, struct cli_input *in, int status)
{
	struct find_opts *o = c->opts;

	if (status == EXIT_OK && in->data)
		o->matches += (uintptr_t)in->data - 1;
	in->data = NULL;
}

static void find_summary(struct cli *c, FILE *out, size_t n, size_t failed)
{
	struct find_opts *o = c->opts;

	if (c->json) {
		char buf[128];

		snprintf(buf, sizeof(buf), "{\"matches\":%llu,\"modules\":%zu,\"failed\":%zu}",
			 (unsigned long long)o->matches, n, failed);
		cli_print_json(out, buf, c->pretty);
		fputc('\n', out);
	} else if (failed) {
		fflush(out);
		fprintf(stderr, "btfkit: %zu of %zu inputs failed\n", failed, n);
	}
}

static int find_run(struct cli *c)
{
	static const struct cli_each each = {
		.one = find_one, .collect = find_collect, .summary = find_summary,
		/* vmlinux among the inputs is read on its own, not on -B */
		.flags = CLI_OPEN_STANDALONE_FIRST,
	};
	struct find_opts *o = c->opts;
	char **args = c->args;
	int nargs = c->nargs, ret, n;
	struct bk_live_btf *l;

	if (!realpath(cli_sysfs_dir(), o->sysfs_real))
		o->sysfs_real[0] = '\0';
	/* the live objects, for IDs of what the kernel's BTF directory holds */
	n = o->sysfs_real[0] ? bk_live_btf_list(&l) : -ENOENT;
	if (n >= 0) {
		for (int i = 0; i < n && o->nr_live < MAX_LIVE; i++) {
			if (!l[i].kernel)
				continue;
			memcpy(o->live[o->nr_live].name, l[i].name, sizeof(o->live[0].name));
			o->live[o->nr_live++].id = l[i].id;
		}
		o->live_ok = true;
		bk_live_btf_free(l, n);
	} else if (c->verbose && n != -ENOENT) {
		fprintf(stderr, "btfkit: no BTF object IDs: %s\n", strerror(-n));
	}
	/*
	 * The operands after NAME are the inputs (none: the kernel's BTF
	 * directory); find_one reads NAME just before them, at args[-1].
	 */
	{
		char *v[3] = { args[0], (char *)cli_sysfs_dir(), NULL };

		c->args = nargs > 1 ? args + 1 : v + 1;
		c->nargs = nargs > 1 ? nargs - 1 : 1;
		ret = cli_for_each_input_ex(c, &each);
	}
	c->args = args;
	c->nargs = nargs;
	if (ret == EXIT_OK && !o->matches) {
		if (!c->json)
			cli_error(args[0], "no type of that name%s", o->kind_set ? " and kind" : "");
		ret = EXIT_BAD_INPUT;
	}
	return ret;
}

const struct cli_cmd cmd_find = {
	.name = "find",
	.summary = "find which BTF object (vmlinux, module) holds a type, and its IDs",
	.synopsis = "[OPTIONS] NAME [FILE|DIR...]",
	.description =
		"Search vmlinux and every module for types named NAME and print each match:\n"
		"  MODULE: [ID] KIND 'NAME' size=N btf_obj_id=OBJ\n"
		"ID is the type's ID in that BTF (a module's own types; split BTF IDs continue\n"
		"after vmlinux's), OBJ the kernel's ID of that BTF object, what BPF programs\n"
		"pass with the type ID (given for the kernel's BTF directory when bpf() may\n"
		"be called: root). Without FILE, the kernel's BTF directory (/sys/kernel/btf)\n"
		"is searched; a DIR stands for the modules under it. Exit status 1 when\n"
		"nothing matches.\n",
	.common = CLI_BASE | CLI_JSON | CLI_JOBS | CLI_QUIET,
	.opts = (const struct cli_opt[]){
		{ "kind", 'k', "KIND", "only this kind: struct, union, enum, typedef, func or var" },
		{ "json", 'j', NULL, "one JSON object per match (module, file, id, kind, name,\n"
				     "size, btf_obj_id), then {\"matches\",\"modules\",\"failed\"} for a DIR" },
		{ NULL, 0, NULL, NULL },
	},
	.opts_size = sizeof(struct find_opts),
	.option = find_option,
	.arg_name = "NAME",
	.min_args = 1,
	.max_args = -1,
	.run = find_run,
};
