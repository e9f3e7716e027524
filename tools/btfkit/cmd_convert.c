// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* btfkit convert: write the BTF of a file (raw or ELF) as raw BTF, in a chosen byte order. */
#include <getopt.h>

#include "btfkit/write.h"
#include "cli.h"

static void convert_usage(FILE *f)
{
	fprintf(f,
		"Usage: btfkit convert [OPTIONS] FILE -o OUT\n"
		"\n"
		"Write the BTF of FILE (raw BTF, an ELF file's .BTF section, compressed or\n"
		"not) to OUT as raw BTF. Unchanged BTF is written byte for byte as read;\n"
		"for split BTF only the split's own types and strings are written, as the\n"
		"kernel and libbpf expect. OUT is replaced atomically ('-' for standard\n"
		"output).\n"
		"\n"
		"Options:\n"
		"  -B, --base FILE       base BTF for split BTF input\n"
		"  -e, --endian ORDER    byte order of OUT: little, big or native\n"
		"                        (default: the byte order of FILE)\n"
		"  -o, --output OUT      output file (required)\n"
		"  -v, --verbose         say which base BTF is used\n"
		"  -h, --help            show this help\n");
}

int cmd_convert(int argc, char **argv)
{
	struct cli_write_opts o;
	struct bk_btf *btf, *base;
	int ret = cli_write_parse_opts("convert", convert_usage, true, argc, argv, &o);

	if (ret != CLI_GO_ON)
		return ret;
	btf = cli_open(argv[optind], o.base_path, &base);
	if (!btf)
		return EXIT_BAD_INPUT;
	if (o.set_endian)
		bk_btf_set_endian(btf, o.endian);
	ret = cli_write_btf(btf, o.out_path, argv[optind]) ? EXIT_BAD_INPUT : EXIT_OK;
	bk_btf_free(btf);
	bk_btf_free(base);
	return ret;
}
