// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* btfkit embed: write BTF into a section of an ELF file, atomically (bk_btf_embed). */
#include <signal.h>
#include <string.h>

#include "btfkit/elf.h"
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

static int embed_run(struct cli *c)
{
	struct embed_opts *o = c->opts;
	const char *target = c->args[1];
	struct bk_diag diag = { 0 };
	struct bk_elf_write_opts wo = { .sz = sizeof(wo), .diag = &diag };
	struct bk_btf *btf = cli_open(c, c->args[0]);
	sigset_t block, old;
	int err;

	if (!btf)
		return EXIT_BAD_INPUT;
	/*
	 * Signals wait until the temporary file is renamed or removed: an
	 * interrupted embed leaves TARGET as it was and no stray file.
	 */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGQUIT);
	sigprocmask(SIG_BLOCK, &block, &old);
	err = bk_btf_embed(btf, target, o->section ? o->section : ".BTF", &wo);
	sigprocmask(SIG_SETMASK, &old, NULL);
	bk_btf_free(btf);
	if (err) {
		cli_error(target, "%s", diag.msg[0] ? diag.msg : bk_strerror(err));
		return EXIT_BAD_INPUT;
	}
	if (wo.signature_removed)
		fprintf(stderr, "btfkit: %s: module signature removed (it no longer matches); re-sign with scripts/sign-file\n",
			target);
	return EXIT_OK;
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
		"as it could no longer match: re-sign the module with scripts/sign-file.\n",
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
