// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* btfkit dump: print BTF in bpftool's raw text format. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_IDS 1024

static void dump_usage(FILE *f)
{
	fprintf(f,
		"Usage: btfkit dump [OPTIONS] FILE\n"
		"\n"
		"Print the types of FILE exactly as 'bpftool btf dump file FILE' does.\n"
		"For split BTF (with a base) only the split's own types are printed.\n"
		"\n"
		"Options:\n"
		"  -B, --base FILE     base BTF for split BTF input (module .ko, sysfs module)\n"
		"  -f, --format FMT    output format: raw (default)\n"
		"  -i, --id ID         print only type ID (repeatable; like bpftool root_id)\n"
		"  -o, --output FILE   write to FILE (atomically) instead of standard output\n"
		"  -v, --verbose       say which base BTF is used\n"
		"  -h, --help          show this help\n");
}

int cmd_dump(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "base", required_argument, NULL, 'B' },
		{ "format", required_argument, NULL, 'f' },
		{ "id", required_argument, NULL, 'i' },
		{ "output", required_argument, NULL, 'o' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct bk_dump_opts dopts = { .sz = sizeof(dopts), .format = BK_FORMAT_RAW };
	const char *base_path = NULL, *out_path = NULL;
	uint32_t *ids = NULL;
	size_t nr_ids = 0;
	struct bk_btf *btf, *base;
	struct cli_out out;
	struct bk_sink sink;
	int c, err, ret = EXIT_BAD_INPUT;

	optind = 1;
	while ((c = getopt_long(argc, argv, "B:f:i:o:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'B':
			base_path = optarg;
			break;
		case 'f':
			if (!strcmp(optarg, "raw")) {
				dopts.format = BK_FORMAT_RAW;
			} else {
				free(ids);
				return cli_usage_error("dump", "unknown format '%s' (expected raw)", optarg);
			}
			break;
		case 'i': {
			char *end;
			unsigned long v;

			errno = 0;
			v = strtoul(optarg, &end, 0);
			if (errno || *end || !*optarg || v > UINT32_MAX || optarg[0] == '-') {
				free(ids);
				return cli_usage_error("dump", "invalid type ID '%s'", optarg);
			}
			if (!ids && !(ids = malloc(MAX_IDS * sizeof(*ids)))) {
				cli_error(NULL, "out of memory");
				return EXIT_BAD_INPUT;
			}
			if (nr_ids == MAX_IDS) {
				free(ids);
				return cli_usage_error("dump", "at most %d --id options", MAX_IDS);
			}
			ids[nr_ids++] = (uint32_t)v;
			break;
		}
		case 'o':
			out_path = optarg;
			break;
		case 'v':
			cli_verbose = 1;
			break;
		case 'h':
			free(ids);
			dump_usage(stdout);
			return EXIT_OK;
		default:
			free(ids);
			return cli_bad_option("dump", "B:f:i:o:vh", argv);
		}
	}
	if (argc - optind != 1) {
		free(ids);
		return cli_usage_error("dump", argc - optind ? "expected one FILE" : "missing FILE");
	}
	btf = cli_open(argv[optind], base_path, &base);
	if (!btf) {
		free(ids);
		return EXIT_BAD_INPUT;
	}
	for (size_t i = 0; i < nr_ids; i++) {
		if (ids[i] >= bk_btf_type_cnt(btf)) {
			cli_error(argv[optind], "type ID %u out of range (last ID is %u)", ids[i],
				  bk_btf_type_cnt(btf) - 1);
			goto out;
		}
	}
	dopts.ids = ids;
	dopts.nr_ids = nr_ids;
	if (cli_out_open(&out, out_path))
		goto out;
	sink = bk_sink_file(out.f);
	err = bk_dump(btf, &sink, &dopts);
	if (err) {
		cli_error(out_path ? out_path : argv[optind], "dump failed: %s", bk_strerror(err));
		cli_out_abort(&out);
		goto out;
	}
	if (cli_out_commit(&out))
		goto out;
	ret = EXIT_OK;
out:
	bk_btf_free(btf);
	bk_btf_free(base);
	free(ids);
	return ret;
}
