// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * CLI helpers shared by convert and merge, the commands that write raw BTF:
 * their common options (-B -e -o -v -h) and usage checks, and writing raw
 * BTF to an output atomically.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "btfkit/write.h"
#include "cli.h"

int cli_write_btf(const struct bk_btf *btf, const char *out_path, const char *what)
{
	struct cli_out out;
	size_t size;
	void *data;
	int err;

	err = bk_btf_serialize(btf, &data, &size);
	if (err) {
		cli_error(what, "cannot serialize: %s", bk_strerror(err));
		return -1;
	}
	if (cli_out_open(&out, out_path)) {
		free(data);
		return -1;
	}
	if (size && fwrite(data, 1, size, out.f) != size) {
		cli_error(out_path, "write failed");
		cli_out_abort(&out);
		free(data);
		return -1;
	}
	free(data);
	return cli_out_commit(&out);
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

int cli_write_parse_opts(const char *cmd, void (*usage)(FILE *f), bool one_file,
			 int argc, char **argv, struct cli_write_opts *o)
{
	static const struct option longopts[] = {
		{ "base", required_argument, NULL, 'B' },
		{ "endian", required_argument, NULL, 'e' },
		{ "output", required_argument, NULL, 'o' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	*o = (struct cli_write_opts){ .endian = BK_ENDIAN_LITTLE };
	optind = 1;
	while ((c = getopt_long(argc, argv, "B:e:o:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'B':
			o->base_path = optarg;
			break;
		case 'e':
			if (cli_parse_endian(optarg, &o->endian))
				return cli_usage_error(cmd,
						       "unknown byte order '%s' (expected little, big or native)",
						       optarg);
			o->set_endian = true;
			break;
		case 'o':
			o->out_path = optarg;
			break;
		case 'v':
			cli_verbose = 1;
			break;
		case 'h':
			usage(stdout);
			return EXIT_OK;
		default:
			return cli_bad_option(cmd, "B:e:o:vh", argv);
		}
	}
	if (argc - optind < 1)
		return cli_usage_error(cmd, "missing FILE");
	if (one_file && argc - optind > 1)
		return cli_usage_error(cmd, "expected one FILE");
	if (!o->out_path)
		return cli_usage_error(cmd, "missing output file (-o OUT)");
	return CLI_GO_ON;
}
