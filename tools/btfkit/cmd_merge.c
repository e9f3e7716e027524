// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * btfkit merge: append the types of several BTF files into one raw BTF,
 * without deduplicating. With a base, every input is split BTF on it (read
 * against one shared base object) and the output is split BTF on it too.
 */
#include "btfkit/write.h"
#include "cli.h"

static int merge_run(struct cli *c)
{
	struct cli_endian_opt *o = c->opts;
	struct bk_btf *base, *dst;
	int ret = EXIT_BAD_INPUT;
	bool err;

	/* the base of the first input (-B, or the default rule) is the output's */
	base = cli_base_for(c, c->args[0], &err);
	if (err)
		return EXIT_BAD_INPUT;
	dst = bk_btf_new_empty(base);
	if (!dst) {
		cli_error(NULL, "out of memory");
		return EXIT_BAD_INPUT;
	}
	if (o->set)
		bk_btf_set_endian(dst, o->endian);
	for (int i = 0; i < c->nargs; i++) {
		struct bk_btf *in = cli_open(c, c->args[i]);
		int e;

		if (!in)
			goto out;
		e = bk_btf_add_btf(dst, in);
		bk_btf_free(in);
		if (e < 0) {
			cli_error(c->args[i], "cannot append: %s", bk_strerror(e));
			goto out;
		}
	}
	if (!cli_write_btf(dst, c->out_path, c->out_path))
		ret = EXIT_OK;
out:
	bk_btf_free(dst);
	return ret;
}

const struct cli_cmd cmd_merge = {
	.name = "merge",
	.summary = "append several BTFs into one (no deduplication)",
	.synopsis = "[OPTIONS] -o OUT FILE...",
	.description =
		"Append the types of every FILE, in order, into one BTF written to OUT as\n"
		"raw BTF. Type IDs are renumbered, strings shared; nothing is deduplicated.\n"
		"With -B every FILE is split BTF on BASE and OUT is split BTF on BASE;\n"
		"references into BASE are kept. OUT is replaced atomically ('-' for\n"
		"standard output).\n",
	.common = CLI_BASE | CLI_OUTPUT_REQUIRED,
	.opts = (const struct cli_opt[]){
		{ "base", 'B', "FILE", "base BTF of the (split) inputs; default for\n"
				       "/sys/kernel/btf/MODULE inputs: /sys/kernel/btf/vmlinux" },
		{ "endian", 'e', "ORDER", "byte order of OUT: little, big or native\n"
					  "(default: native, or the base's)" },
		{ "output", 'o', "OUT", "output file (required)" },
		{ NULL, 0, NULL, NULL },
	},
	.opts_size = sizeof(struct cli_endian_opt),
	.option = cli_endian_option,
	.min_args = 1,
	.max_args = -1,
	.run = merge_run,
};
