/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The btfkit CLI layer: one option parser, one input path, one output path
 * and one way to report errors, shared by every command. The CLI uses only
 * the public library API.
 *
 * ADDING A COMMAND (see cmd_stats.c for a small one, cmd_dump.c for one
 * with many options):
 *  1. tools/btfkit/cmd_NAME.c defines `const struct cli_cmd cmd_NAME`:
 *     its summary, synopsis and --help text, the common options it takes
 *     (.common, CLI_* below), a table of its own options (.opts, each
 *     { "long-name", 'x' or CLI_LONG(n), "ARG" or NULL, "help" }), the
 *     size of the struct its option callback fills (.opts_size; the layer
 *     allocates it zeroed, c->opts points at it), the callback itself
 *     (.option, called once per own option in command-line order), the
 *     operand count (.min_args, .max_args) and .run.
 *  2. Declare it below (extern const struct cli_cmd cmd_NAME) and add
 *     &cmd_NAME to the table in main.c, in the order --help lists it.
 *  3. run(c) reads c->args (operands), c->base_path, c->out_path, c->json
 *     ... as parsed; opens inputs with cli_open (or cli_for_each_input);
 *     writes with cli_out_open/cli_out_commit or cli_write_output /
 *     cli_write_btf; reports problems with cli_error and usage errors
 *     with cli_usage_error; returns an EXIT_* status. The layer frees the
 *     bases it opened and checks standard output after run returns.
 *  4. Documentation, checked by tests/cli/docs.sh for every command
 *     'btfkit --help' lists (so it fails until these are done):
 *     - docs/man/btfkit.1: a section `.SS "btfkit NAME SYNOPSIS"` under
 *       COMMANDS saying what the command does, with a .TP entry for every
 *       option its --help prints (common ones included: -B, -o, -v, -h...);
 *     - tools/btfkit/bash-completion/btfkit: NAME in _btfkit_commands (and
 *       in the 'help' branch), a line in _btfkit_options listing every
 *       option, and value completion in _btfkit() for options taking a
 *       fixed set of words (and their names in _btfkit_with_arg);
 *     - README.md: a `btfkit NAME ...` line in the command list.
 *     --help is generated from the tables, so it cannot drift from what the
 *     parser accepts. Exit statuses follow the one rule below.
 *
 * What the layer guarantees every command:
 *  - Options before or after operands, clusters (-vp), -Bfile / -B file,
 *    --opt=value / --opt value, unique prefixes of long names, "--" ends
 *    options, "-" is an operand (standard input). Usage errors name the
 *    option ("option '-B' requires an argument", "unrecognized option
 *    '--x'", "invalid option '-q'") and exit 2 before any input is read.
 *  - -v/--verbose and -h/--help for every command; -j is JSON where the
 *    command takes CLI_JSON, and threads where it takes CLI_JOBS and a
 *    number follows (-j4, -j 4), like make's -j.
 *  - Inputs: cli_open applies the default base rule (-B, else for a module
 *    under the kernel's BTF directory, that directory's vmlinux), opens
 *    each base once, reads '-' as standard input, and reports failures as
 *    "btfkit: FILE: reason".
 *  - Outputs: '-' (or no -o) is standard output; a file is replaced
 *    atomically (bk_outfile in the library: temporary file, fsync, rename;
 *    new files 0644 minus umask, an existing file's mode kept); every
 *    write, flush, fsync, close and rename error is reported with the file
 *    name and the errno text, and turns the exit status into 1.
 *  - Exit statuses: 0 success, 1 bad input / failed check / I/O error,
 *    2 usage error.
 */
#ifndef BTFKIT_CLI_H
#define BTFKIT_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "btfkit/btf.h"
#include "btfkit/dump.h"
#include "btfkit/write.h"

/* Exit statuses, one rule for every command. */
#define EXIT_OK 0
#define EXIT_BAD_INPUT 1 /* bad input, a check that failed, an I/O error */
#define EXIT_USAGE 2

/* The common options a command takes: flags for struct cli_cmd.common. */
enum cli_common {
	CLI_BASE = 1u << 0,            /* -B, --base FILE (c->base_path) */
	CLI_OUTPUT = 1u << 1,          /* -o, --output FILE (c->out_path; '-' stdout) */
	CLI_OUTPUT_REQUIRED = 1u << 2, /* -o must be given (implies CLI_OUTPUT) */
	CLI_JSON = 1u << 3,            /* -j, --json and -p, --pretty (c->json, c->pretty) */
	CLI_JOBS = 1u << 4,            /* -j N, --jobs N (c->jobs; 0 = not given) */
	CLI_QUIET = 1u << 5,           /* -q, --quiet (c->quiet) */
};

/* Keys of long-only options: CLI_LONG(0), CLI_LONG(1), ... */
#define CLI_LONG(n) (256 + (n))

/*
 * One option in a command's table (ends with an entry whose name is NULL).
 * An entry named like a common option ("base", "output", "verbose", ...)
 * only replaces that option's --help text (and argument name) and its
 * position in the list. Own options must not take the common letters
 * (B o j p q v h); an own option's callback must not allocate (keep
 * pointers into argv, or fixed arrays in the option struct): nothing frees
 * option state but the layer, after run or after a usage error.
 */
struct cli_opt {
	const char *name; /* long name, without "--" */
	int key;          /* short option letter, or CLI_LONG(n) */
	const char *arg;  /* the argument's name in --help ("FMT"), NULL: a flag */
	const char *help; /* --help text; '\n' continues on an indented line */
};

struct cli;

struct cli_cmd {
	const char *name;
	const char *summary;     /* one line for 'btfkit --help' */
	const char *synopsis;    /* after "Usage: btfkit NAME ", e.g. "[OPTIONS] FILE..." */
	const char *description; /* --help text before "Options:" (ends with '\n') */
	const char *epilog;      /* --help text after the options, or NULL */
	unsigned common;         /* enum cli_common flags */
	const struct cli_opt *opts; /* own options, or NULL */
	size_t opts_size;        /* bytes of own option state at c->opts */
	/* An own option (key from the table, arg or NULL): 0, or EXIT_USAGE after cli_usage_error. */
	int (*option)(struct cli *c, int key, const char *arg);
	const char *arg_name;    /* operands in messages ("FILE"; NULL means "FILE") */
	int min_args, max_args;  /* operand count; max_args < 0: no limit */
	int (*run)(struct cli *c);
};

/* A parsed invocation, handed to run(). */
struct cli {
	const struct cli_cmd *cmd;
	const char *base_path; /* -B FILE, or NULL */
	const char *out_path;  /* -o FILE, or NULL (standard output); "-" is standard output too */
	bool json, pretty, quiet; /* --pretty implies --json */
	int verbose;           /* number of -v */
	unsigned jobs;         /* -j N; 0 when not given (the command's default) */
	char **args;           /* operands, in order */
	int nargs;
	void *opts;            /* the command's own option state (opts_size bytes) */
	/* private to the layer */
	struct cli_base *bases;
};

/* The commands (main.c lists them in this order in --help). */
extern const struct cli_cmd cmd_dump, cmd_stats, cmd_validate, cmd_convert, cmd_merge, cmd_dedup,
	cmd_split, cmd_embed, cmd_distill, cmd_relocate, cmd_check, cmd_encode, cmd_find,
	cmd_list, cmd_layout, cmd_diff;

/* ---- running a command (main.c) ------------------------------------------ */

/* Parse argv (argv[0] is the command name) for cmd, run it, clean up; the exit status. */
int cli_main(const struct cli_cmd *cmd, int argc, char **argv);
/* Print cmd's --help (generated from its tables) to f. */
void cli_help(const struct cli_cmd *cmd, FILE *f);
/* The command called name (main.c's table), or NULL. */
const struct cli_cmd *cli_find_cmd(const char *name);

/* ---- errors ---------------------------------------------------------------- */

extern int cli_verbose;
/* Set when JSON output was requested: errors become {"error":...} on stdout. */
extern int cli_json;

/* "btfkit: FILE: message" on stderr (or {"error":"FILE: message"} with cli_json). */
void cli_error(const char *file, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * Usage error: "btfkit CMD: message", CMD's usage line and a pointer to
 * --help on stderr (cmd NULL: the tool's); returns EXIT_USAGE. The message
 * names the option or argument at fault.
 */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Print compact JSON text (no whitespace outside strings) as it is, or with
 * pretty re-indented as bpftool -p indents. Commands with JSON output build
 * it compact and print it with this, so --pretty works the same everywhere.
 */
void cli_print_json(FILE *f, const char *json, bool pretty);
/*
 * One JSON line on out: print(f, arg) writes compact JSON into memory, which
 * is then printed with cli_print_json (--pretty honoured) and a newline.
 * 0, or -1 after an "out of memory" message.
 */
int cli_json_line(FILE *out, bool pretty, void (*print)(FILE *f, const void *arg), const void *arg);

/* ---- inputs ---------------------------------------------------------------- */

/*
 * Open input path ('-' is standard input) on its base: -B when given, else
 * for a module in the kernel's BTF directory (/sys/kernel/btf; the
 * environment variable BTFKIT_SYSFS_BTF stands in for it, for tests) that
 * directory's vmlinux, with a note on stderr under -v. Each base is opened
 * once and owned by c. The caller frees the result with bk_btf_free. On
 * failure prints "btfkit: FILE: reason" and returns NULL.
 */
struct bk_btf *cli_open(struct cli *c, const char *path);

enum cli_open_flags {
	CLI_OPEN_NO_BASE = 1u << 0,          /* never on a base (the base file itself) */
	CLI_OPEN_STANDALONE_FIRST = 1u << 1, /* try without the base first (dedup) */
	CLI_OPEN_QUIET = 1u << 2,            /* no message on failure (diag has it) */
	/*
	 * cli_for_each_input: do not open the input, hand one() its path only
	 * (in->btf is NULL), for commands that read the file themselves
	 * (check: bk_module_check). The bases are opened and frozen as usual
	 * (unless CLI_OPEN_NO_BASE); one() gets its base with cli_base_for.
	 */
	CLI_OPEN_NONE = 1u << 3,
};
/* cli_open with flags; with a diag, the failure's reason is left there too. */
struct bk_btf *cli_open_flags(struct cli *c, const char *path, unsigned flags,
			      struct bk_diag *diag);
/* The base BTF path cli_open uses for path (-B or the default rule), or NULL. */
const char *cli_base_path(struct cli *c, const char *path);
/* The base object for path (opened once), NULL when none; on failure prints and sets *err. */
struct bk_btf *cli_base_for(struct cli *c, const char *path, bool *err);

/* One input handed to a cli_for_each_input callback. */
struct cli_input {
	const char *path;
	struct bk_btf *btf;  /* NULL when it could not be opened (CLI_OPEN_QUIET): diag says why;
			      * always NULL with CLI_OPEN_NONE */
	struct bk_diag diag;
	FILE *out;           /* write the input's output here (never to stdout directly) */
	bool tree;           /* one of many inputs (a directory operand, or several) */
	void *data;          /* the command's own result for collect(), or NULL */
};
/*
 * Open every input in turn (cli_open_flags with flags) and call fn with it;
 * the layer frees each BTF after fn returns. Without CLI_OPEN_QUIET an
 * input that cannot be opened is reported and counted (status 1). Returns
 * the largest status fn returned or an input earned.
 *
 * Inputs: each operand; a directory operand stands for the modules under it
 * (*.ko, *.ko.xz, *.ko.zst, *.ko.gz, sorted by path, each file once; every
 * file for the kernel's BTF directory). One plain file runs in this thread
 * as it always did. Several inputs, or any directory, run in parallel
 * (c->jobs threads, default one per core): fn then runs in worker threads,
 * so it must write only to in->out and report only through cli_error (both
 * are captured and printed per input, in input order: the output does not
 * depend on -j); it may read the bases, never change them. A progress bar
 * shows on stderr when it is a terminal (not with -q); Ctrl-C stops the run
 * promptly, removes the output file and returns 130. The output (-o for
 * commands that take CLI_OUTPUT, else standard output) is opened once by
 * the layer. After a run over many inputs, summary() prints the summary
 * (default, for a directory: {"modules":N,"failed":M} with --json, a count
 * of failures on stderr otherwise); failures make the status 1.
 */
struct cli_each {
	int (*one)(struct cli *c, struct cli_input *in);
	unsigned flags; /* enum cli_open_flags */
	/*
	 * Optional, in the calling thread, in input order after one(): fold
	 * in->data into the command's totals and free it; status < 0 means the
	 * run stopped and the result is only to be freed.
	 */
	void (*collect)(struct cli *c, struct cli_input *in, int status);
	/* Optional: the summary after many inputs, written to out. */
	void (*summary)(struct cli *c, FILE *out, size_t n, size_t failed);
};
int cli_for_each_input_ex(struct cli *c, const struct cli_each *e);
int cli_for_each_input(struct cli *c, int (*fn)(struct cli *c, struct cli_input *in),
		       unsigned flags);

/*
 * The inputs the operands stand for, as cli_for_each_input_ex expands them
 * (directories to the modules under them), for commands that need them all
 * at once: a NULL-terminated array of n paths, each and the array to free.
 * *tree is set when a directory was among the operands. NULL after an
 * error message (an unreadable directory or entry).
 */
char **cli_expand_paths(struct cli *c, int *n, bool *tree);

/* The kernel's BTF directory: /sys/kernel/btf, or BTFKIT_SYSFS_BTF (tests). */
const char *cli_sysfs_dir(void);
/*
 * In this thread, send cli_error's messages (and JSON errors) to err and
 * out instead of stderr and stdout; NULL, NULL ends it. Used by the tree
 * runner's workers.
 */
void cli_capture(FILE *out, FILE *err);
/* Where this thread's messages go: the captured stream or stderr. */
FILE *cli_err_stream(void);

/* ---- outputs --------------------------------------------------------------- */

/* An output being written: standard output directly, or a file atomically. */
struct cli_out {
	FILE *f;               /* write here with stdio, */
	struct bk_sink sink;   /* or here (bk_dump, ...): write(2) on fd, unbuffered */
	int fd;
	int werr;              /* the sink's first write error (errno) */
	const char *name;      /* the path, or "standard output", for messages */
	struct bk_outfile *of; /* the file being replaced; NULL for standard output */
	long long start;       /* standard output that is a regular file: its offset at open, else -1 */
};
/*
 * Start output to path (NULL or "-": standard output); 0, or -1 after a
 * message. out->sink points at out, which must stay where it is.
 */
int cli_out_open(struct cli_out *out, const char *path);
/* Flush, sync and put the file in place; 0, or -1 after a message (nothing left behind). */
int cli_out_commit(struct cli_out *out);
/* Give up a file output (removes the temporary file); standard output is left as is. */
void cli_out_abort(struct cli_out *out);
/*
 * Take back what a failed command streamed to standard output, where that
 * is possible: a regular file (a shell's '>' or '>>') is cut back to its
 * length at cli_out_open; a pipe or terminal keeps what it was sent.
 */
void cli_out_take_back(struct cli_out *out);
/* Write a whole buffer to path as above; 0, or -1 after a message. */
int cli_write_output(const char *path, const void *data, size_t size);
/* Serialize btf as raw BTF and write it to path; 0, or -1 after a message naming what. */
int cli_write_btf(const struct bk_btf *btf, const char *path, const char *what);
/*
 * Write the ELF file target atomically: btf into section (NULL: ".BTF"),
 * in target's byte order, when btf is given; else the n raw sections in
 * secs, all or none. SIGINT/SIGTERM/SIGHUP/SIGQUIT are held until target is
 * renamed or left as it was; a removed module signature is reported.
 * Messages name the file name (target, or e.g. "standard input"). 0, or -1
 * after a message.
 */
struct bk_elf_section;
int cli_elf_write(const char *target, const char *name, const struct bk_btf *btf,
		  const char *section, const struct bk_elf_section *secs, size_t n);
/* "little", "big" or "native" to a byte order; 0 or -1. */
int cli_parse_endian(const char *s, enum bk_endian *e);
/*
 * -e, --endian ORDER for commands that write raw BTF: their .option when
 * it is their only own option, with .opts_size = sizeof(struct cli_endian_opt).
 */
struct cli_endian_opt {
	enum bk_endian endian;
	bool set; /* -e given */
};
int cli_endian_option(struct cli *c, int key, const char *arg);

#endif
