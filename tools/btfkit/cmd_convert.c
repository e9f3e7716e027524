// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* btfkit convert: write the BTF of a file (raw or ELF) as raw BTF, in a chosen byte order. */
#include <getopt.h>
#include <string.h>

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

/* Parse a byte order name; returns 0 or -1. */
int cli_parse_endian(const char *s, enum bk_endian *e)
{
	bool host_le = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;

	if (!strcmp(s, "little"))
		*e = BK_ENDIAN_LITTLE;
	else if (!strcmp(s, "big"))
		*e = BK_ENDIAN_BIG;
	else if (!strcmp(s, "native"))
		*e = host_le ? BK_ENDIAN_LITTLE : BK_ENDIAN_BIG;
	else
		return -1;
	return 0;
}

int cmd_convert(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "base", required_argument, NULL, 'B' },
		{ "endian", required_argument, NULL, 'e' },
		{ "output", required_argument, NULL, 'o' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *base_path = NULL, *out_path = NULL;
	struct bk_btf *btf, *base;
	enum bk_endian endian = BK_ENDIAN_LITTLE;
	bool set_endian = false;
	int c, ret = EXIT_BAD_INPUT;

	optind = 1;
	while ((c = getopt_long(argc, argv, "B:e:o:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'B':
			base_path = optarg;
			break;
		case 'e':
			if (cli_parse_endian(optarg, &endian))
				return cli_usage_error("convert",
						       "unknown byte order '%s' (expected little, big or native)",
						       optarg);
			set_endian = true;
			break;
		case 'o':
			out_path = optarg;
			break;
		case 'v':
			cli_verbose = 1;
			break;
		case 'h':
			convert_usage(stdout);
			return EXIT_OK;
		default:
			return cli_bad_option("convert", "B:e:o:vh", argv);
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("convert", argc - optind ? "expected one FILE" : "missing FILE");
	if (!out_path)
		return cli_usage_error("convert", "missing output file (-o OUT)");
	btf = cli_open(argv[optind], base_path, &base);
	if (!btf)
		return EXIT_BAD_INPUT;
	if (set_endian)
		bk_btf_set_endian(btf, endian);
	if (!cli_write_btf(btf, out_path, argv[optind]))
		ret = EXIT_OK;
	bk_btf_free(btf);
	bk_btf_free(base);
	return ret;
}
