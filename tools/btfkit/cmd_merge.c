// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * btfkit merge: append the types of several BTF files into one raw BTF,
 * without deduplicating. With a base, every input is split BTF on it (read
 * against one shared base object) and the output is split BTF on it too.
 */
#include <errno.h>
#include <getopt.h>
#include <string.h>

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

static struct bk_btf *open_input(const char *path, struct bk_btf *base)
{
	struct bk_diag diag = { 0 };
	struct bk_open_opts opts = { .sz = sizeof(opts), .base = base, .diag = &diag };
	struct bk_btf *btf = bk_btf_open(path, &opts);

	if (!btf)
		cli_error(path, "%s", diag.msg[0] ? diag.msg : strerror(errno));
	return btf;
}

int cmd_merge(int argc, char **argv)
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
	struct bk_btf *base = NULL, *dst = NULL;
	enum bk_endian endian = BK_ENDIAN_LITTLE;
	bool set_endian = false;
	int c, err, ret = EXIT_BAD_INPUT;

	optind = 1;
	while ((c = getopt_long(argc, argv, "B:e:o:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'B':
			base_path = optarg;
			break;
		case 'e':
			if (cli_parse_endian(optarg, &endian))
				return cli_usage_error("merge",
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
			merge_usage(stdout);
			return EXIT_OK;
		default:
			return cli_bad_option("merge", "B:e:o:vh", argv);
		}
	}
	if (argc - optind < 1)
		return cli_usage_error("merge", "missing FILE");
	if (!out_path)
		return cli_usage_error("merge", "missing output file (-o OUT)");
	if (!base_path && (base_path = cli_sysfs_default_base(argv[optind]))) {
		if (cli_verbose)
			fprintf(stderr, "btfkit: %s: using %s as base BTF\n", argv[optind], base_path);
	}
	if (base_path && !(base = open_input(base_path, NULL)))
		return EXIT_BAD_INPUT;
	dst = bk_btf_new_empty(base);
	if (!dst) {
		cli_error(NULL, "out of memory");
		goto out;
	}
	if (set_endian)
		bk_btf_set_endian(dst, endian);
	for (int i = optind; i < argc; i++) {
		struct bk_btf *in = open_input(argv[i], base);

		if (!in)
			goto out;
		err = bk_btf_add_btf(dst, in);
		bk_btf_free(in);
		if (err < 0) {
			cli_error(argv[i], "cannot append: %s", bk_strerror(err));
			goto out;
		}
	}
	if (!cli_write_btf(dst, out_path, out_path))
		ret = EXIT_OK;
out:
	bk_btf_free(dst);
	bk_btf_free(base);
	return ret;
}
