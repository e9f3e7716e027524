// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * btfkit dedup: append one or more inputs and deduplicate them into one raw
 * BTF. With -B the output is split BTF on BASE holding only what BASE lacks;
 * each input is standalone BTF or split BTF on BASE (an input that parses as
 * standalone BTF is taken as standalone). --explain NAME prints, for each
 * pair of types named NAME that stayed distinct, the first field path where
 * their type graphs differ.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "btfkit/dedup.h"
#include "btfkit/write.h"
#include "cli.h"

static void dedup_usage(FILE *f)
{
	fprintf(f,
		"Usage: btfkit dedup [OPTIONS] -o OUT IN...\n"
		"\n"
		"Append the inputs (raw BTF or ELF files; each standalone, or split BTF on\n"
		"BASE) and deduplicate them: equivalent types are merged, forward\n"
		"declarations resolved, unused strings dropped. Writes raw BTF to OUT. With\n"
		"-B, OUT is split BTF on BASE holding only the types BASE lacks.\n"
		"\n"
		"Options:\n"
		"  -B, --base FILE      base BTF: output is split BTF on it\n"
		"  -o, --output FILE    output file (written atomically)\n"
		"      --explain NAME   for each pair of types named NAME left distinct, print\n"
		"                       the first field path where they differ\n"
		"  -v, --verbose        print type counts before and after\n"
		"  -h, --help           show this help\n");
}

static struct bk_btf *open_input(const char *path, struct bk_btf *base)
{
	struct bk_diag diag = { 0 };
	struct bk_open_opts o = { .sz = sizeof(o), .diag = &diag };
	struct bk_btf *btf;

	/* standalone first: split BTF does not parse without its base */
	btf = bk_btf_open(path, &o);
	if (btf || !base) {
		if (!btf)
			cli_error(path, "%s", diag.msg);
		return btf;
	}
	memset(&diag, 0, sizeof(diag));
	o.base = base;
	btf = bk_btf_open(path, &o);
	if (!btf)
		cli_error(path, "%s", diag.msg);
	return btf;
}

static void explain(const struct bk_btf *btf, const char *name)
{
	uint32_t *ids;
	int n = bk_btf_find_all(btf, name, -1, NULL, 0), pairs = 0;
	char why[1024];

	if (n <= 0) {
		printf("no type named '%s'\n", name);
		return;
	}
	ids = calloc((size_t)n, sizeof(*ids));
	if (!ids)
		return;
	n = bk_btf_find_all(btf, name, -1, ids, (size_t)n);
	for (int i = 0; i < n; i++) {
		for (int j = i + 1; j < n; j++) {
			const struct bk_type *a = bk_btf_type(btf, ids[i]), *b = bk_btf_type(btf, ids[j]);
			int r = bk_btf_dedup_explain(btf, ids[j], ids[i], why, sizeof(why));

			if (r < 0)
				continue;
			pairs++;
			printf("[%u] %s '%s' vs [%u] %s '%s': %s\n", ids[i], bk_kind_name(bk_kind(a)),
			       name, ids[j], bk_kind_name(bk_kind(b)), name,
			       r ? why : "equivalent");
		}
	}
	if (!pairs)
		printf("one type named '%s': [%u] %s\n", name, ids[0],
		       bk_kind_name(bk_kind(bk_btf_type(btf, ids[0]))));
	free(ids);
}

int cmd_dedup(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "base", required_argument, NULL, 'B' },
		{ "output", required_argument, NULL, 'o' },
		{ "explain", required_argument, NULL, 'E' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *base_path = NULL, *out_path = NULL, *explain_name = NULL;
	struct bk_btf *base = NULL, *out = NULL, *in;
	struct bk_diag diag = { 0 };
	struct bk_dedup_opts dopts = { .sz = sizeof(dopts), .diag = &diag };
	uint64_t nin = 0;
	int c, err, ret = EXIT_BAD_INPUT;

	optind = 1;
	while ((c = getopt_long(argc, argv, "B:o:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'B':
			base_path = optarg;
			break;
		case 'o':
			out_path = optarg;
			break;
		case 'E':
			explain_name = optarg;
			break;
		case 'v':
			cli_verbose = 1;
			break;
		case 'h':
			dedup_usage(stdout);
			return EXIT_OK;
		default:
			return cli_usage_error("dedup", "invalid option");
		}
	}
	if (!out_path)
		return cli_usage_error("dedup", "missing -o OUT");
	if (optind >= argc)
		return cli_usage_error("dedup", "missing input file");
	if (base_path) {
		struct bk_diag bd = { 0 };
		struct bk_open_opts o = { .sz = sizeof(o), .diag = &bd };

		base = bk_btf_open(base_path, &o);
		if (!base) {
			cli_error(base_path, "%s", bd.msg);
			return EXIT_BAD_INPUT;
		}
	}
	for (int i = optind; i < argc; i++) {
		in = open_input(argv[i], base);
		if (!in)
			goto out;
		nin += bk_btf_nr_own_types(in);
		if (argc - optind == 1 && bk_btf_base(in) == base) {
			out = in; /* one input of the right shape: dedup it in place */
			break;
		}
		if (!out) {
			out = bk_btf_new_empty(base);
			if (!out) {
				bk_btf_free(in);
				cli_error(argv[i], "out of memory");
				goto out;
			}
		}
		err = bk_btf_add_btf(out, in);
		bk_btf_free(in);
		if (err < 0) {
			cli_error(argv[i], "cannot append: %s", bk_strerror(err));
			goto out;
		}
	}
	err = bk_btf_dedup(out, &dopts);
	if (err) {
		cli_error(argv[optind], "%s", diag.msg);
		goto out;
	}
	if (cli_verbose)
		fprintf(stderr, "btfkit: dedup: %llu input types, %u after\n", (unsigned long long)nin,
			bk_btf_nr_own_types(out));
	err = bk_btf_write_file(out, out_path);
	if (err) {
		cli_error(out_path, "cannot write: %s", bk_strerror(err));
		goto out;
	}
	if (explain_name)
		explain(out, explain_name);
	if (fflush(stdout) || ferror(stdout)) {
		cli_error(NULL, "error writing standard output");
		goto out;
	}
	ret = EXIT_OK;
out:
	bk_btf_free(out);
	bk_btf_free(base);
	return ret;
}
