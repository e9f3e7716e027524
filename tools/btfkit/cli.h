/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Shared pieces of the btfkit CLI: the subcommand table, input opening with
 * base BTF selection, error reporting and atomic output files. The CLI uses
 * only the public library API.
 */
#ifndef BTFKIT_CLI_H
#define BTFKIT_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "btfkit/btf.h"
#include "btfkit/dump.h"

/* Exit statuses. */
#define EXIT_OK 0
#define EXIT_BAD_INPUT 1
#define EXIT_USAGE 2

struct cli_cmd {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

extern int cli_verbose;
/* Set when JSON output was requested: errors become {"error":...} on stdout. */
extern int cli_json;
/* The base BTF path cli_open last used (given or defaulted), or NULL. */
extern const char *cli_base_used;

/* "btfkit: FILE: message" on stderr (or {"error":"FILE: message"} with cli_json). */
void cli_error(const char *file, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Usage error: message, hint to --help, returns EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Report the option getopt_long rejected (run with opterr = 0; optstring is
 * the command's short options) as a usage error; returns EXIT_USAGE.
 */
int cli_bad_option(const char *cmd, const char *optstring, char **argv);

/*
 * The default base for PATH: DIR/vmlinux when PATH is DIR/MODULE with DIR
 * the kernel's BTF directory (BTFKIT_SYSFS_BTF for tests), else NULL.
 */
const char *cli_sysfs_default_base(const char *path);
/*
 * Open an input. base_path may be NULL. For /sys/kernel/btf/<module> with no
 * base given, /sys/kernel/btf/vmlinux becomes the base (with -v, a note on
 * stderr says so); the environment variable BTFKIT_SYSFS_BTF replaces the
 * directory /sys/kernel/btf (used by the tests). On success *base_out
 * holds the opened base (or NULL) which the caller frees after the BTF.
 * On failure prints the error and returns NULL.
 */
struct bk_btf *cli_open(const char *path, const char *base_path, struct bk_btf **base_out);
/* Open path (split BTF on base when base is not NULL); on failure print the error, NULL. */
struct bk_btf *cli_open_one(const char *path, struct bk_btf *base);

/* Output to a file atomically: written to a temporary file, renamed on commit. */
/*
 * Regular files (new ones, existing ones, symlinks to them) are replaced by
 * rename; an existing device, FIFO or socket (/dev/null) is written in place.
 */
struct cli_out {
	FILE *f;
	char *path;     /* final path, NULL for stdout */
	char *tmp_path; /* NULL when path is written in place */
};
int cli_out_open(struct cli_out *out, const char *path);
/* Flush and rename into place; returns 0 or prints an error and returns -1. */
int cli_out_commit(struct cli_out *out);
/* Remove the temporary file (on any error path). */
void cli_out_abort(struct cli_out *out);

/* Serialize btf and write it to out_path atomically; 0, or -1 after an error message. */
int cli_write_btf(const struct bk_btf *btf, const char *out_path, const char *what);
/* "little", "big" or "native" to a byte order; 0 or -1. */
int cli_parse_endian(const char *s, enum bk_endian *e);

/* The options of the commands that write raw BTF (convert, merge). */
struct cli_write_opts {
	const char *base_path; /* -B, or NULL */
	const char *out_path;  /* -o; never NULL once parsed */
	enum bk_endian endian; /* -e; applies only when set_endian */
	bool set_endian;
};
/* cli_write_parse_opts: the options are good, the command goes on. */
#define CLI_GO_ON (-1)
/*
 * Parse -B -e -o -v -h for command cmd (usage prints its --help), then
 * check that there is a FILE (exactly one with one_file) and -o OUT. Returns
 * CLI_GO_ON with the FILEs at argv[optind..argc-1], or the exit status to
 * return: EXIT_OK after --help, EXIT_USAGE after a usage error.
 */
int cli_write_parse_opts(const char *cmd, void (*usage)(FILE *f), bool one_file,
			 int argc, char **argv, struct cli_write_opts *o);

int cmd_dump(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_merge(int argc, char **argv);
int cmd_dedup(int argc, char **argv);

#endif
