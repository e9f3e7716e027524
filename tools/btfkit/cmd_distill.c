// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * btfkit distill: a module's distilled base and its split BTF rewritten onto
 * it (bk_btf_distill_base), written as two raw BTF files or into the module
 * as .BTF and .BTF.base (bk_elf_set_sections: both or neither, atomically).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "btfkit/distill.h"
#include "btfkit/elf.h"
#include "cli.h"

struct distill_opts {
	const char *base_out; /* --base-output FILE */
	bool embed;           /* --embed */
};

static int distill_option(struct cli *c, int key, const char *arg)
{
	struct distill_opts *o = c->opts;

	if (key == CLI_LONG(1))
		o->embed = true;
	else
		o->base_out = arg;
	return 0;
}

/* The byte order of the ELF file at path (EI_DATA), or -1 when it is not ELF. */
static int elf_endian(const char *path, enum bk_endian *e)
{
	unsigned char ident[6];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd < 0 ? -1 : pread(fd, ident, sizeof(ident), 0);

	if (fd >= 0)
		close(fd);
	if (n != (ssize_t)sizeof(ident) || memcmp(ident, "\177ELF", 4) || (ident[5] != 1 && ident[5] != 2))
		return -1;
	*e = ident[5] == 1 ? BK_ENDIAN_LITTLE : BK_ENDIAN_BIG;
	return 0;
}

/* Both into the module: .BTF and .BTF.base in its byte order, in one atomic write. */
static int embed_pair(struct bk_btf *db, struct bk_btf *ds, const char *path)
{
	struct bk_elf_section secs[2] = { { .name = ".BTF" }, { .name = ".BTF.base" } };
	void *sd = NULL, *bd = NULL;
	size_t sn, bn;
	enum bk_endian e;
	int err;

	if (elf_endian(path, &e)) {
		cli_error(path, "--embed needs an uncompressed ELF file (a .ko) to write into");
		return -1;
	}
	bk_btf_set_endian(db, e);
	bk_btf_set_endian(ds, e);
	if ((err = bk_btf_serialize(ds, &sd, &sn)) || (err = bk_btf_serialize(db, &bd, &bn))) {
		cli_error(path, "cannot serialize: %s", bk_strerror(err));
		free(sd);
		return -1;
	}
	secs[0].data = sd;
	secs[0].size = sn;
	secs[1].data = bd;
	secs[1].size = bn;
	err = cli_elf_write(path, path, NULL, NULL, secs, 2);
	free(sd);
	free(bd);
	return err;
}

/* Write the pair; both files, or (as far as renames allow) neither. */
static int write_pair(const struct bk_btf *db, const char *base_out, const struct bk_btf *ds,
		      const char *out)
{
	void *bd = NULL, *sd = NULL;
	size_t bn, sn;
	struct cli_out ob, os;
	int err;

	if ((err = bk_btf_serialize(db, &bd, &bn)) || (err = bk_btf_serialize(ds, &sd, &sn))) {
		cli_error(out, "cannot serialize: %s", bk_strerror(err));
		free(bd);
		return -1;
	}
	err = -1;
	if (cli_out_open(&ob, base_out))
		goto out;
	if (cli_out_open(&os, out)) {
		cli_out_abort(&ob);
		goto out;
	}
	if (fwrite(bd, 1, bn, ob.f) != bn || fwrite(sd, 1, sn, os.f) != sn) {
		cli_error(out, "write failed");
		cli_out_abort(&ob);
		cli_out_abort(&os);
		goto out;
	}
	if (cli_out_commit(&ob)) {
		cli_out_abort(&os);
		goto out;
	}
	err = cli_out_commit(&os);
out:
	free(bd);
	free(sd);
	return err;
}

static int distill_run(struct cli *c)
{
	struct distill_opts *o = c->opts;
	const char *path = c->args[0];
	struct bk_diag diag = { 0 };
	struct bk_distill_opts dopts = { .sz = sizeof(dopts), .diag = &diag };
	struct bk_btf *btf, *db, *ds;
	char *base_out = NULL;
	int ret = EXIT_BAD_INPUT;

	if (o->embed && (c->out_path || o->base_out))
		return cli_usage_error("distill", "--embed writes into MODULE: no -o or --base-output");
	if (!o->embed && !c->out_path)
		return cli_usage_error("distill", "missing output file (-o OUT) or --embed");
	if (!o->embed && !strcmp(c->out_path, "-") && !o->base_out)
		return cli_usage_error("distill", "with -o - (standard output), give the distilled base's file with --base-output");
	btf = cli_open(c, path);
	if (!btf)
		return EXIT_BAD_INPUT;
	if (!bk_btf_base(btf)) {
		cli_error(path, "not split BTF: give the vmlinux the module was built against with -B");
		goto out;
	}
	if (bk_btf_distill_base(btf, &db, &ds, &dopts)) {
		cli_error(path, "cannot distill: %s", diag.msg);
		goto out;
	}
	if (o->embed) {
		if (!embed_pair(db, ds, path))
			ret = EXIT_OK;
	} else if (!o->base_out && asprintf(&base_out, "%s.base", c->out_path) < 0) {
		cli_error(NULL, "out of memory");
		base_out = NULL;
	} else if (!write_pair(db, o->base_out ? o->base_out : base_out, ds, c->out_path)) {
		ret = EXIT_OK;
	}
	if (!ret) {
		if (c->verbose)
			fprintf(stderr, "btfkit: %s: distilled base of %u types, split of %u types (%u from the base)\n",
				path, bk_btf_type_cnt(db) - 1, bk_btf_nr_own_types(ds),
				bk_btf_nr_own_types(ds) - bk_btf_nr_own_types(btf));
	}
	free(base_out);
	bk_btf_free(ds);
	bk_btf_free(db);
out:
	bk_btf_free(btf);
	return ret;
}

const struct cli_cmd cmd_distill = {
	.name = "distill",
	.summary = "a module's distilled base (.BTF.base) and its BTF rewritten onto it",
	.synopsis = "-B VMLINUX [OPTIONS] MODULE -o OUT | --embed",
	.description =
		"Distill the base of MODULE's split BTF on VMLINUX: a minimal standalone BTF\n"
		"naming only the base types the module uses (INT, FLOAT and FWD as they are,\n"
		"named structs, unions and enums by name and size only), and the module's\n"
		"BTF rewritten onto it (base types that cannot be matched by name, such as\n"
		"typedefs, pointers, arrays and anonymous types, move into it). What libbpf's\n"
		"btf__distill_base writes, byte for byte: the kernel's module loader and\n"
		"libbpf relocate such a module onto the running kernel's BTF by name and\n"
		"size, so it loads on other builds of the kernel. OUT gets the rewritten\n"
		"split BTF (the module's .BTF), OUT.base the distilled base (.BTF.base), both\n"
		"raw and replaced atomically; or, with --embed, both go into MODULE as its\n"
		".BTF and .BTF.base sections, in one atomic replacement of the file (an\n"
		"appended module signature is removed: re-sign it). A MODULE that already\n"
		"has a distilled base is relocated onto VMLINUX first.\n",
	.common = CLI_BASE | CLI_OUTPUT,
	.opts = (const struct cli_opt[]){
		{ "base", 'B', "VMLINUX", "the base BTF MODULE was built against" },
		{ "output", 'o', "OUT", "the rewritten split BTF" },
		{ "base-output", CLI_LONG(0), "FILE", "the distilled base (default: OUT.base)" },
		{ "embed", CLI_LONG(1), NULL, "write both into MODULE (.BTF, .BTF.base) instead" },
		{ "verbose", 'v', NULL, "say how many types each part got" },
		{ NULL, 0, NULL, NULL },
	},
	.opts_size = sizeof(struct distill_opts),
	.option = distill_option,
	.arg_name = "MODULE",
	.min_args = 1,
	.max_args = 1,
	.run = distill_run,
};
