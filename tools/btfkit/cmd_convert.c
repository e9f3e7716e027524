// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* btfkit convert: write the BTF of a file (raw or ELF) as raw BTF, in a chosen byte order. */
#include "btfkit/write.h"
#include "cli.h"

static int convert_run(struct cli *c)
{
	struct cli_endian_opt *o = c->opts;
	struct bk_btf *btf = cli_open(c, c->args[0]);
	int ret;

	if (!btf)
		return EXIT_BAD_INPUT;
	if (o->set)
		bk_btf_set_endian(btf, o->endian);
	ret = cli_write_btf(btf, c->out_path, c->args[0]) ? EXIT_BAD_INPUT : EXIT_OK;
	bk_btf_free(btf);
	return ret;
}

const struct cli_cmd cmd_convert = {
	.name = "convert",
	.summary = "write BTF as raw BTF, in either byte order",
	.synopsis = "[OPTIONS] FILE -o OUT",
	.description =
		"Write the BTF of FILE (raw BTF, an ELF file's .BTF section, compressed or\n"
		"not) to OUT as raw BTF. Unchanged BTF is written byte for byte as read;\n"
		"for split BTF only the split's own types and strings are written, as the\n"
		"kernel and libbpf expect. OUT is replaced atomically ('-' for standard\n"
		"output).\n",
	.common = CLI_BASE | CLI_OUTPUT_REQUIRED,
	.opts = (const struct cli_opt[]){
		{ "base", 'B', "FILE", "base BTF for split BTF input" },
		{ "endian", 'e', "ORDER", "byte order of OUT: little, big or native\n"
					  "(default: the byte order of FILE)" },
		{ "output", 'o', "OUT", "output file (required)" },
		{ NULL, 0, NULL, NULL },
	},
	.opts_size = sizeof(struct cli_endian_opt),
	.option = cli_endian_option,
	.min_args = 1,
	.max_args = 1,
	.run = convert_run,
};
