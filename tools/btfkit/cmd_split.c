// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* btfkit split: standalone BTF, or split BTF on another base, as split BTF on BASE (bk_btf_split). */
#include <errno.h>
#include <string.h>

#include "btfkit/split.h"
#include "btfkit/write.h"
#include "cli.h"

struct split_opts {
	const char *from_base;
	bool standalone;
};

static int split_option(struct cli *c, int key, const char *arg)
{
	struct split_opts *o = c->opts;

	if (key == CLI_LONG(0))
		o->from_base = arg;
	else
		o->standalone = true;
	return 0;
}

static struct bk_btf *open_on(const char *path, struct bk_btf *base, struct bk_diag *diag)
{
	struct bk_open_opts o = { .sz = sizeof(o), .base = base, .diag = diag };

	memset(diag, 0, sizeof(*diag));
	return bk_btf_open(strcmp(path, "-") ? path : "/dev/stdin", &o);
}

static int split_run(struct cli *c)
{
	struct split_opts *o = c->opts;
	const char *in_path = c->args[0];
	struct bk_diag diag = { 0 };
	struct bk_split_opts sopts = { .sz = sizeof(sopts), .diag = &diag };
	struct bk_btf *base, *from = NULL, *in, *out;
	bool err;
	int ret;

	base = cli_base_for(c, in_path, &err);
	if (err)
		return EXIT_BAD_INPUT;
	if (!base) {
		cli_error(in_path, "no base BTF to split onto (-B BASE)");
		return EXIT_BAD_INPUT;
	}
	if (o->from_base) {
		from = open_on(o->from_base, NULL, &diag);
		if (!from) {
			cli_error(o->from_base, "%s", diag.msg[0] ? diag.msg : strerror(errno));
			return EXIT_BAD_INPUT;
		}
		in = open_on(in_path, from, &diag);
	} else if (o->standalone) {
		in = open_on(in_path, base, &diag);
	} else {
		/* standalone BTF; else split BTF on BASE itself (normalised again) */
		in = open_on(in_path, NULL, &diag);
		if (!in)
			in = open_on(in_path, base, &diag);
	}
	if (!in) {
		cli_error(in_path, "%s", diag.msg[0] ? diag.msg : strerror(errno));
		bk_btf_free(from);
		return EXIT_BAD_INPUT;
	}
	/* standalone: lossless (not deduplicated again), so that it splits back exactly */
	sopts.no_dedup = o->standalone;
	out = o->standalone ? bk_btf_standalone(in, &sopts) : bk_btf_split(in, base, &sopts);
	bk_btf_free(in);
	bk_btf_free(from);
	if (!out) {
		cli_error(in_path, "%s", diag.msg[0] ? diag.msg : strerror(errno));
		return EXIT_BAD_INPUT;
	}
	ret = cli_write_btf(out, c->out_path, in_path) ? EXIT_BAD_INPUT : EXIT_OK;
	bk_btf_free(out);
	return ret;
}

const struct cli_cmd cmd_split = {
	.name = "split",
	.summary = "make standalone or other-base BTF split BTF on a base",
	.synopsis = "-B BASE [OPTIONS] IN -o OUT",
	.description =
		"Write IN as split BTF on BASE to OUT (raw BTF): IN's types are appended to\n"
		"BASE and deduplicated against it, so every type BASE has becomes a reference\n"
		"to BASE and only the types BASE lacks stay, in their order. IN is standalone\n"
		"BTF (raw or an ELF file's .BTF, compressed or not), split BTF on another base\n"
		"given with --from-base (made standalone first: the types of that base it\n"
		"reaches, then its own), or split BTF on BASE itself (deduplicated again).\n"
		"OUT is replaced atomically; 'btfkit embed' puts it into a module.\n"
		"With --standalone, OUT is IN's standalone form instead: IN read as split BTF\n"
		"on BASE (or --from-base), every base type it reaches copied, then its own\n"
		"types (what the module's BTF would be without split BTF). It is not\n"
		"deduplicated again, so that splitting it back onto BASE gives IN's types.\n",
	.common = CLI_BASE | CLI_OUTPUT_REQUIRED,
	.opts = (const struct cli_opt[]){
		{ "base", 'B', "BASE", "the base to split onto (required)" },
		{ "from-base", CLI_LONG(0), "FILE", "the base IN is split BTF on, when not BASE" },
		{ "standalone", CLI_LONG(1), NULL, "write IN's standalone form (no base) instead" },
		{ "output", 'o', "OUT", "output file (required)" },
		{ NULL, 0, NULL, NULL },
	},
	.opts_size = sizeof(struct split_opts),
	.option = split_option,
	.min_args = 1,
	.max_args = 1,
	.run = split_run,
};
