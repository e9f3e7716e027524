// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * btfkit embed: write BTF into a section of an ELF file, atomically
 * (bk_btf_embed). TARGET '-' is a filter: the ELF file is read from standard
 * input into a temporary file, changed there, and copied to standard output
 * only when every step worked (nothing is written otherwise).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

struct embed_opts {
	const char *section;
};

static int embed_option(struct cli *c, int key, const char *arg)
{
	struct embed_opts *o = c->opts;

	(void)key; /* -s, the only own option */
	if (!*arg)
		return cli_usage_error("embed", "empty section name");
	o->section = arg;
	return 0;
}

/* Copy all of fd in to fd out; 0 or -errno. */
static int copy_fd(int in, int out)
{
	char buf[1 << 16];

	for (;;) {
		ssize_t n = read(in, buf, sizeof(buf)), done = 0;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n ? -errno : 0;
		while (done < n) {
			ssize_t w = write(out, buf + done, (size_t)(n - done));

			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				return -errno;
			done += w;
		}
	}
}

/*
 * Standard input into a new temporary file (its name in tmp, PATH_MAX
 * bytes); 0, or -1 after a message.
 */
static int stdin_to_tmp(char *tmp, size_t len)
{
	const char *dir = getenv("TMPDIR");
	int fd, err;

	snprintf(tmp, len, "%s/btfkit-embed.XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkstemp(tmp);
	if (fd < 0) {
		cli_error(tmp, "cannot create a temporary file: %s", strerror(errno));
		return -1;
	}
	err = copy_fd(STDIN_FILENO, fd);
	if (close(fd) && !err)
		err = -errno;
	if (err) {
		cli_error(err == -ENOSPC || err == -EIO ? tmp : "standard input", "read failed: %s",
			  strerror(-err));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* The changed temporary file to standard output; 0, or -1 after a message. */
static int tmp_to_stdout(const char *tmp)
{
	int fd = open(tmp, O_RDONLY | O_CLOEXEC), err;

	if (fd < 0) {
		cli_error(tmp, "cannot open: %s", strerror(errno));
		return -1;
	}
	err = copy_fd(fd, STDOUT_FILENO);
	close(fd);
	if (err) {
		cli_error("standard output", "write failed: %s", strerror(-err));
		return -1;
	}
	return 0;
}

static int embed_run(struct cli *c)
{
	struct embed_opts *o = c->opts;
	const char *target = c->args[1], *name = target;
	bool filter = !strcmp(target, "-");
	char tmp[4096];
	struct bk_btf *btf = cli_open(c, c->args[0]);
	int err;

	if (!btf)
		return EXIT_BAD_INPUT;
	if (filter) {
		if (stdin_to_tmp(tmp, sizeof(tmp))) {
			bk_btf_free(btf);
			return EXIT_BAD_INPUT;
		}
		target = tmp;
		name = "standard input";
	}
	err = cli_elf_write(target, name, btf, o->section, NULL, 0);
	bk_btf_free(btf);
	if (!err && filter && tmp_to_stdout(tmp))
		err = -EIO; /* reported */
	if (filter)
		unlink(tmp);
	return err ? EXIT_BAD_INPUT : EXIT_OK;
}

const struct cli_cmd cmd_embed = {
	.name = "embed",
	.summary = "write BTF into a section of an ELF file (a module), atomically",
	.synopsis = "[OPTIONS] BTF_FILE TARGET",
	.description =
		"Write the BTF of BTF_FILE (raw BTF or an ELF file's .BTF, compressed or not)\n"
		"into the ELF file TARGET as section .BTF, or the section --section names,\n"
		"replacing it when TARGET has one. Every other section, symbol and relocation\n"
		"of TARGET is kept, and every byte that need not change. TARGET is replaced\n"
		"atomically (temporary file in its directory, fsync, rename) and keeps its\n"
		"mode and owner; on any error it is left as it was. The BTF is written in\n"
		"TARGET's byte order. A kernel module signature appended to TARGET is removed,\n"
		"as it could no longer match: re-sign the module with scripts/sign-file.\n"
		"TARGET '-' reads the ELF file from standard input and writes the result\n"
		"to standard output (nothing when it fails).\n",
	.common = CLI_BASE,
	.opts = (const struct cli_opt[]){
		{ "base", 'B', "FILE", "base BTF for split BTF_FILE" },
		{ "section", 's', "NAME", "section to write (default .BTF)" },
		{ NULL, 0, NULL, NULL },
	},
	.opts_size = sizeof(struct embed_opts),
	.option = embed_option,
	.min_args = 2,
	.max_args = 2,
	.run = embed_run,
};
