// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * btfkit relocate: move a module's split BTF from its distilled base onto
 * another base (bk_btf_relocate) and write it as raw split BTF.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "btfkit/distill.h"
#include "cli.h"

struct relocate_opts {
	const char *distilled; /* --distilled FILE */
};

static int relocate_option(struct cli *c, int key, const char *arg)
{
	(void)key;
	((struct relocate_opts *)c->opts)->distilled = arg;
	return 0;
}

static int print_unmatched(void *ctx, uint32_t dist_id, const char *msg)
{
	(void)dist_id;
	cli_error(ctx, "%s", msg);
	return 0;
}

/* MODULE on its distilled base: its own .BTF.base, or the --distilled file. */
static struct bk_btf *open_distilled(struct cli *c, const char *path, struct bk_btf **dist)
{
	struct relocate_opts *o = c->opts;
	struct bk_diag diag = { 0 };
	struct bk_open_opts oo = { .sz = sizeof(oo), .diag = &diag };
	struct bk_btf *btf;

	*dist = NULL;
	if (o->distilled) {
		*dist = cli_open_flags(c, o->distilled, CLI_OPEN_NO_BASE, NULL);
		if (!*dist)
			return NULL;
		if (bk_btf_check_distilled_base(*dist, &diag)) {
			cli_error(o->distilled, "%s", diag.msg);
			return NULL;
		}
		oo.base = *dist;
	}
	btf = bk_btf_open(strcmp(path, "-") ? path : "/dev/stdin", &oo);
	if (!btf && !o->distilled) {
		/* split BTF without a distilled base does not parse alone */
		struct bk_btf *plain = cli_open_flags(c, path, CLI_OPEN_QUIET, NULL);

		if (plain) {
			bk_btf_free(plain);
			cli_error(path, "no distilled base (.BTF.base): its BTF fits only the vmlinux it was built against; distill it first (btfkit distill)");
			return NULL;
		}
	}
	if (!btf) {
		cli_error(path, "%s", diag.msg[0] ? diag.msg : strerror(errno));
		return NULL;
	}
	if (!o->distilled && !bk_btf_has_distilled_base(btf)) {
		cli_error(path, "no distilled base (.BTF.base): this BTF is standalone, there is nothing to relocate");
		bk_btf_free(btf);
		return NULL;
	}
	return btf;
}

static int relocate_run(struct cli *c)
{
	const char *path = c->args[0];
	struct bk_diag diag = { 0 };
	struct bk_relocate_opts ro = { .sz = sizeof(ro), .diag = &diag };
	struct bk_btf *btf, *dist, *base;
	int ret = EXIT_BAD_INPUT;
	bool err;

	if (!c->base_path)
		return cli_usage_error("relocate", "missing the base to relocate onto (-B VMLINUX)");
	base = cli_base_for(c, path, &err);
	if (!base)
		return EXIT_BAD_INPUT;
	btf = open_distilled(c, path, &dist);
	if (!btf)
		goto out;
	if (c->verbose) {
		ro.cb = print_unmatched;
		ro.cb_ctx = (void *)path;
	}
	if (bk_btf_relocate(btf, base, &ro)) {
		cli_error(path, "cannot relocate onto %s: %s", c->base_path, diag.msg);
		goto out;
	}
	ret = cli_write_btf(btf, c->out_path, path) ? EXIT_BAD_INPUT : EXIT_OK;
out:
	bk_btf_free(btf);
	bk_btf_free(dist);
	return ret;
}

const struct cli_cmd cmd_relocate = {
	.name = "relocate",
	.summary = "move a module's BTF from its distilled base onto another vmlinux",
	.synopsis = "-B VMLINUX [OPTIONS] MODULE -o OUT",
	.description =
		"Relocate MODULE's split BTF from its distilled base (the module's .BTF.base,\n"
		"or the file given with --distilled when MODULE is the raw split BTF that\n"
		"'btfkit distill' wrote) onto VMLINUX, as the kernel's module loader does:\n"
		"every distilled type is matched to the VMLINUX type of the same name (and\n"
		"size, for INT, FLOAT and ENUM, for structs and unions the module holds by\n"
		"value, and for names several structs share). OUT gets the relocated split\n"
		"BTF, raw (atomically). When a type has no match or several, the error names\n"
		"it and its candidates; -v lists every such type.\n",
	.common = CLI_BASE | CLI_OUTPUT_REQUIRED,
	.opts = (const struct cli_opt[]){
		{ "base", 'B', "VMLINUX", "the base to relocate onto (required)" },
		{ "output", 'o', "OUT", "the relocated split BTF (required)" },
		{ "distilled", 'D', "FILE", "MODULE's distilled base, for a raw split BTF" },
		{ "verbose", 'v', NULL, "list every distilled type without a single match" },
		{ NULL, 0, NULL, NULL },
	},
	.opts_size = sizeof(struct relocate_opts),
	.option = relocate_option,
	.arg_name = "MODULE",
	.min_args = 1,
	.max_args = 1,
	.run = relocate_run,
};
