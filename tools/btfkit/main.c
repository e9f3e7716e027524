// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * btfkit: the command-line tool. A table of subcommands, each defined in
 * its own cmd_*.c as a struct cli_cmd and run through the one CLI layer
 * (cli.h: option parsing, inputs, outputs, errors).
 *
 * Before dispatching, main accepts what a bpftool user types: options
 * before the command (btfkit -j -B vmlinux dump mod.ko; they are handed to
 * the command as if written after it), "btfkit help [COMMAND]", "btfkit
 * version", and bpftool's own spelling "btfkit btf dump file FILE [format
 * raw|c] [root_id ID]...". An unknown command gets the nearest known one
 * as a suggestion.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const struct cli_cmd *const commands[] = {
	&cmd_dump, &cmd_stats, &cmd_validate, &cmd_convert, &cmd_merge, &cmd_dedup, &cmd_split, &cmd_embed,
	&cmd_distill, &cmd_relocate, &cmd_check,
	&cmd_encode, &cmd_find, &cmd_list, &cmd_layout, &cmd_diff,
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

const struct cli_cmd *cli_find_cmd(const char *name)
{
	for (size_t i = 0; i < NR_COMMANDS; i++)
		if (name && !strcmp(name, commands[i]->name))
			return commands[i];
	return NULL;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: btfkit [GLOBAL OPTIONS] COMMAND [OPTIONS] FILE...\n"
		"       btfkit help [COMMAND] | version\n"
		"       btfkit btf dump file FILE [format raw|c] [root_id ID]...  (bpftool's spelling)\n"
		"\n"
		"Read, query and print BTF (BPF Type Format) from raw BTF files, ELF files\n"
		"(vmlinux, kernel modules, BPF objects), /sys/kernel/btf, and xz/zstd/gzip\n"
		"compressed forms of those, including bzImage kernels. Split BTF (modules)\n"
		"is read on a base given with -B (default for a module in /sys/kernel/btf:\n"
		"its vmlinux). '-' is standard input or output.\n"
		"\n"
		"Commands:\n");
	for (size_t i = 0; i < NR_COMMANDS; i++)
		fprintf(f, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
	fprintf(f,
		"\n"
		"Global options (before COMMAND, as with bpftool; the command must take them):\n"
		"  -B, --base FILE, -j, --json, -p, --pretty, -o FILE, -v, -q, --jobs N\n"
		"\n"
		"Run 'btfkit help COMMAND' or 'btfkit COMMAND --help' for a command's options.\n"
		"Exit status: 0 success, 1 bad input (or a failed check, or BTFs that\n"
		"differ), 2 bad usage.\n");
}

/* Levenshtein distance of two short words (capped at 16 characters). */
static size_t distance(const char *a, const char *b)
{
	size_t la = strnlen(a, 16), lb = strnlen(b, 16), d[17][17];

	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;

			d[i][j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
	}
	return d[la][lb];
}

static int unknown_command(const char *name)
{
	const char *best = NULL;
	size_t best_d = 3; /* suggest within two edits, or a prefix */

	for (size_t i = 0; i < NR_COMMANDS + 2; i++) {
		const char *c = i < NR_COMMANDS ? commands[i]->name : i == NR_COMMANDS ? "help" : "version";
		size_t dist = distance(name, c);

		if (*name && !strncmp(c, name, strlen(name)))
			dist = 1;
		if (dist < best_d) {
			best = c;
			best_d = dist;
		}
	}
	if (best)
		return cli_usage_error(NULL, "unknown command '%s'; did you mean '%s'?", name, best);
	return cli_usage_error(NULL, "unknown command '%s'", name);
}

/*
 * Leading options the commands share (-B FILE, -j, --json, ...): how many
 * argv words the one at i takes; 0 not such an option, -1 its argument is missing.
 */
static int global_option_words(char **argv, int i, int argc)
{
	static const char *const with_arg[] = { "-B", "--base", "-o", "--output", "--jobs" };
	static const char *const flags[] = { "-j", "--json", "-p", "--pretty", "-v", "--verbose",
					     "-q", "--quiet" };
	const char *a = argv[i];
	const char *eq = strchr(a, '=');

	for (size_t k = 0; k < sizeof(with_arg) / sizeof(with_arg[0]); k++) {
		size_t n = strlen(with_arg[k]);

		if (!strcmp(a, with_arg[k]))
			return i + 1 < argc ? 2 : -1;
		if (!strncmp(a, with_arg[k], n) && ((a[1] != '-' && a[n]) || (eq && eq == a + n)))
			return 1;
	}
	for (size_t k = 0; k < sizeof(flags) / sizeof(flags[0]); k++)
		if (!strcmp(a, flags[k]))
			return 1;
	/* -j N (threads), -vp and other clusters of flags */
	if (!strcmp(a, "-j") || (a[0] == '-' && a[1] == 'j' && a[2] >= '0' && a[2] <= '9'))
		return 1;
	if (a[0] == '-' && a[1] != '-' && a[1] && strspn(a + 1, "jpvq") == strlen(a + 1))
		return 1;
	return 0;
}

/*
 * bpftool's "btf dump file FILE... [format raw|c] [root_id ID]..." as the
 * arguments of "dump"; words[0] is "dump". Returns the word count, or -1
 * after a usage error.
 */
static int from_bpftool(int argc, char **argv, char **words)
{
	int n = 1, nfiles = 0;
	char **files = words + argc + 1; /* the second half of words */

	words[0] = "dump";
	if (argc < 1 || strcmp(argv[0], "dump")) {
		cli_usage_error(NULL, "'btf %s': btfkit knows bpftool's 'btf dump file FILE'; see 'btfkit help'",
				argc ? argv[0] : "");
		return -1;
	}
	for (int i = 1; i < argc; i++) {
		const char *kw = argv[i];

		if (!strcmp(kw, "unsorted"))
			continue; /* btfkit's default order is bpftool 7.1's: unsorted */
		if (!strcmp(kw, "id") || !strcmp(kw, "prog") || !strcmp(kw, "map")) {
			cli_usage_error(NULL, "'btf dump %s' reads BTF loaded in the kernel; btfkit reads files: "
					      "'btf dump file FILE' (/sys/kernel/btf/vmlinux for the kernel's)",
					kw);
			return -1;
		}
		if (i + 1 >= argc || (strcmp(kw, "file") && strcmp(kw, "format") && strcmp(kw, "root_id"))) {
			cli_usage_error(NULL, "'btf dump': unexpected '%s' (expected file FILE, format raw|c, root_id ID)",
					kw);
			return -1;
		}
		if (!strcmp(kw, "file")) {
			files[nfiles++] = argv[++i];
			continue;
		}
		words[n++] = !strcmp(kw, "format") ? "--format" : "--id";
		words[n++] = argv[++i];
	}
	words[n++] = "--";
	memmove(words + n, files, (size_t)nfiles * sizeof(*words));
	return n + nfiles;
}

int main(int argc, char **argv)
{
	char **words = calloc((size_t)argc * 3 + 4, sizeof(*words));
	int first = 1, n = 0, ret;
	const struct cli_cmd *cmd;

	if (!words) {
		cli_error(NULL, "out of memory");
		return EXIT_BAD_INPUT;
	}
	/* options before the command, as bpftool takes them */
	while (first < argc && argv[first][0] == '-' && strcmp(argv[first], "--help") &&
	       strcmp(argv[first], "-h") && strcmp(argv[first], "--version") && strcmp(argv[first], "-V")) {
		int k = global_option_words(argv, first, argc);

		if (k < 0) {
			free(words);
			return cli_usage_error(NULL, "option '%s' requires an argument", argv[first]);
		}
		if (!k) {
			free(words);
			if (first + 1 >= argc && strncmp(argv[first], "--", 2))
				return cli_usage_error(NULL, "missing COMMAND after '%s'", argv[first]);
			return cli_usage_error(NULL, "unrecognized option '%s' before the command", argv[first]);
		}
		first += k;
	}
	if (first >= argc) {
		free(words);
		if (first > 1)
			return cli_usage_error(NULL, "missing COMMAND");
		return usage(stderr), EXIT_USAGE;
	}
	if (!strcmp(argv[first], "--help") || !strcmp(argv[first], "-h") ||
	    (!strcmp(argv[first], "help") &&
	     (first + 1 >= argc || !strcmp(argv[first + 1], "--help") || !strcmp(argv[first + 1], "help")))) {
		free(words);
		usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[first], "--version") || !strcmp(argv[first], "-V") ||
	    !strcmp(argv[first], "version")) {
		free(words);
		printf("btfkit %s\n", bk_version());
		return EXIT_OK;
	}
	if (!strcmp(argv[first], "help")) {
		cmd = cli_find_cmd(argv[first + 1]);
		free(words);
		if (!cmd)
			return unknown_command(argv[first + 1]);
		cli_help(cmd, stdout);
		return EXIT_OK;
	}
	if (!strcmp(argv[first], "btf")) {
		n = from_bpftool(argc - first - 1, argv + first + 1, words);
		if (n < 0) {
			free(words);
			return EXIT_USAGE;
		}
	} else {
		words[n++] = argv[first];
		for (int i = first + 1; i < argc; i++)
			words[n++] = argv[i];
	}
	cmd = cli_find_cmd(words[0]);
	if (!cmd) {
		ret = unknown_command(words[0]);
		free(words);
		return ret;
	}
	/* the global options go right after the command name (before any "--") */
	memmove(words + 1 + (first - 1), words + 1, (size_t)(n - 1) * sizeof(*words));
	memcpy(words + 1, argv + 1, (size_t)(first - 1) * sizeof(*words));
	n += first - 1;
	words[n] = NULL;
	ret = cli_main(cmd, n, words);
	free(words);
	return ret;
}
