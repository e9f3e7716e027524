// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * btfkit: the command-line tool. A table of subcommands, each defined in
 * its own cmd_*.c as a struct cli_cmd and run through the one CLI layer
 * (cli.h: option parsing, inputs, outputs, errors).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct cli_cmd *const commands[] = {
	&cmd_dump, &cmd_stats, &cmd_validate, &cmd_convert, &cmd_merge, &cmd_dedup, &cmd_embed,
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: btfkit COMMAND [OPTIONS] FILE...\n"
		"       btfkit --help | --version\n"
		"\n"
		"Read, query and print BTF (BPF Type Format) from raw BTF files, ELF files\n"
		"(vmlinux, kernel modules, BPF objects), /sys/kernel/btf, and xz, lzma,\n"
		"zstd, gzip, lz4 or bzip2 compressed forms of those, including bzImage\n"
		"kernels. Split BTF (modules) is read on a base given with -B (default for\n"
		"/sys/kernel/btf/MODULE: /sys/kernel/btf/vmlinux).\n"
		"\n"
		"Commands:\n");
	for (size_t i = 0; i < NR_COMMANDS; i++)
		fprintf(f, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
	fprintf(f,
		"\n"
		"Run 'btfkit COMMAND --help' for a command's options.\n"
		"Exit status: 0 success, 1 bad input, 2 bad usage.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage(stderr), EXIT_USAGE;
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("btfkit %s\n", bk_version());
		return EXIT_OK;
	}
	for (size_t i = 0; i < NR_COMMANDS; i++) {
		if (!strcmp(argv[1], commands[i]->name))
			return cli_main(commands[i], argc - 1, argv + 1);
	}
	return cli_usage_error(NULL, "unknown command '%s'", argv[1]);
}
