// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* btfkit stats: counts per kind, strings, header and sections, byte order. */
#include <getopt.h>
#include <string.h>

#include "cli.h"

static void stats_usage(FILE *f)
{
	fprintf(f,
		"Usage: btfkit stats [OPTIONS] FILE\n"
		"\n"
		"Summarise FILE: type count per kind, string count and bytes, header and\n"
		"section sizes, byte order and, for split BTF, the base it was read on.\n"
		"\n"
		"Options:\n"
		"  -B, --base FILE   base BTF for split BTF input\n"
		"  -v, --verbose     say which base BTF is used\n"
		"  -h, --help        show this help\n");
}

static const char *source_name(enum bk_source s)
{
	switch (s) {
	case BK_SOURCE_RAW: return "raw BTF";
	case BK_SOURCE_ELF: return "ELF .BTF section";
	default: return "new";
	}
}

static void print_stats(const char *path, const struct bk_btf *btf, const char *base_path)
{
	uint32_t per_kind[BK_NR_KINDS + 1] = { 0 };
	struct bk_btf_layout_info li;
	uint32_t first = bk_btf_start_id(btf), cnt = bk_btf_type_cnt(btf);

	bk_btf_layout_info(btf, &li);
	for (uint32_t id = first; id < cnt; id++) {
		unsigned k = bk_kind(bk_btf_type(btf, id));

		per_kind[k < BK_NR_KINDS ? k : BK_NR_KINDS]++;
	}
	printf("file:        %s\n", path);
	printf("source:      %s\n", source_name(bk_btf_source(btf)));
	printf("byte order:  %s-endian\n", bk_btf_endian(btf) == BK_ENDIAN_LITTLE ? "little" : "big");
	printf("size:        %u bytes\n", li.raw_size);
	printf("header:      %u bytes\n", li.hdr_len);
	printf("types:       offset %u, %u bytes, %u types", li.type_off, li.type_len,
	       bk_btf_nr_own_types(btf));
	if (bk_btf_nr_own_types(btf))
		printf(" (IDs %u..%u)", first, cnt - 1);
	printf("\n");
	if (li.layout_len)
		printf("kind layout: offset %u, %u bytes, %u kinds\n", li.layout_off, li.layout_len,
		       li.layout_len / 4);
	else
		printf("kind layout: none\n");
	printf("strings:     offset %u, %u bytes, %u strings\n", li.str_off, li.str_len,
	       li.nr_strings);
	if (bk_btf_ptr_size(btf))
		printf("pointer:     %d bytes\n", bk_btf_ptr_size(btf));
	else
		printf("pointer:     unknown\n");
	if (bk_btf_base(btf)) {
		const struct bk_btf *base = bk_btf_base(btf);

		printf("split on:    %s (%u types, %u string bytes); own IDs start at %u, own strings at offset %u\n",
		       base_path, bk_btf_type_cnt(base) - 1, bk_btf_start_str_off(btf), first,
		       bk_btf_start_str_off(btf));
	}
	printf("kinds:\n");
	for (unsigned k = 1; k <= BK_NR_KINDS; k++) {
		if (per_kind[k])
			printf("  %-11s %u\n", k < BK_NR_KINDS ? bk_kind_name(k) : "(unknown)", per_kind[k]);
	}
}

int cmd_stats(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "base", required_argument, NULL, 'B' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *base_path = NULL;
	struct bk_btf *btf, *base;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "B:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'B':
			base_path = optarg;
			break;
		case 'v':
			cli_verbose = 1;
			break;
		case 'h':
			stats_usage(stdout);
			return EXIT_OK;
		default:
			return cli_bad_option("stats", "B:vh", argv);
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("stats", argc - optind ? "expected one FILE" : "missing FILE");
	btf = cli_open(argv[optind], base_path, &base);
	if (!btf)
		return EXIT_BAD_INPUT;
	print_stats(argv[optind], btf, cli_base_used);
	bk_btf_free(btf);
	bk_btf_free(base);
	if (fflush(stdout) || ferror(stdout)) {
		cli_error(NULL, "error writing standard output");
		return EXIT_BAD_INPUT;
	}
	return EXIT_OK;
}
