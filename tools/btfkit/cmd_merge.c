// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * btfkit merge: append the types of several BTF files into one raw BTF,
 * without deduplicating. With a base, every input is split BTF on it (read
 * against one shared base object) and the output is split BTF on it too.
 */
#include <getopt.h>

#include "btfkit/write.h"
#include "cli.h"

static void merge_usage(FILE *f)
{
	fprintf(f,
		"Usage: btfkit merge [OPTIONS] -o OUT FILE...\n"
		"\n"
		"Append the types of every FILE, in order, into one BTF written to OUT as\n"
		"raw BTF. Type IDs are renumbered, strings shared; nothing is deduplicated.\n"
		"With -B every FILE is split BTF on BASE and OUT is split BTF on BASE;\n"
		"references into BASE are kept. OUT is replaced atomically ('-' for\n"
		"standard output).\n"
		"\n"
		"Options:\n"
		"  -B, --base FILE       base BTF of the (split) inputs; default for\n"
		"                        /sys/kernel/btf/MODULE inputs: /sys/kernel/btf/vmlinux\n"
		"  -e, --endian ORDER    byte order of OUT: little, big or native\n"
		"                        (default: native, or the base's)\n"
		"  -o, --output OUT      output file (required)\n"
		"  -v, --verbose         say which base BTF is used\n"
		"  -h, --help            show this help\n");
}

int cmd_merge(int argc, char **argv)
{
	struct cli_write_opts o;
	const char *base_path;
	struct bk_btf *base = NULL, *dst = NULL;
	int err, ret = cli_write_parse_opts("merge", merge_usage, false, argc, argv, &o);

	if (ret != CLI_GO_ON)
		return ret;
	ret = EXIT_BAD_INPUT;
	base_path = o.base_path;
	if (!base_path && (base_path = cli_sysfs_default_base(argv[optind]))) {
		if (cli_verbose)
			fprintf(stderr, "btfkit: %s: using %s as base BTF\n", argv[optind], base_path);
	}
	if (base_path && !(base = cli_open_one(base_path, NULL)))
		return EXIT_BAD_INPUT;
	dst = bk_btf_new_empty(base);
	if (!dst) {
		cli_error(NULL, "out of memory");
		goto out;
	}
	if (o.set_endian)
		bk_btf_set_endian(dst, o.endian);
	for (int i = optind; i < argc; i++) {
		struct bk_btf *in = cli_open_one(argv[i], base);

		if (!in)
			goto out;
		err = bk_btf_add_btf(dst, in);
		bk_btf_free(in);
		if (err < 0) {
			cli_error(argv[i], "cannot append: %s", bk_strerror(err));
			goto out;
		}
	}
	if (!cli_write_btf(dst, o.out_path, o.out_path))
		ret = EXIT_OK;
out:
	bk_btf_free(dst);
	bk_btf_free(base);
	return ret;
}
