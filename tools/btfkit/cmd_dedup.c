// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * btfkit dedup: append one or more inputs and deduplicate them into one raw
 * BTF. With -B the output is split BTF on BASE holding only what BASE lacks;
 * each input is standalone BTF or split BTF on BASE (an input that parses as
 * standalone BTF is taken as standalone). --explain NAME prints, for each
 * pair of types named NAME that stayed distinct, the first field path where
 * their type graphs differ.
 */
#include <stdlib.h>
#include <string.h>

#include "btfkit/dedup.h"
#include "btfkit/write.h"
#include "cli.h"

static void explain(const struct bk_btf *btf, const char *name)
{
	uint32_t *ids;
	int n = bk_btf_find_all(btf, name, -1, NULL, 0), pairs = 0;
	char why[1024];

	if (n <= 0) {
		printf("no type named '%s'\n", name);
		return;
	}
	ids = calloc((size_t)n, sizeof(*ids));
	if (!ids)
		return;
	n = bk_btf_find_all(btf, name, -1, ids, (size_t)n);
	for (int i = 0; i < n; i++) {
		for (int j = i + 1; j < n; j++) {
			const struct bk_type *a = bk_btf_type(btf, ids[i]), *b = bk_btf_type(btf, ids[j]);
			int r = bk_btf_dedup_explain(btf, ids[j], ids[i], why, sizeof(why));

			if (r < 0)
				continue;
			pairs++;
			printf("[%u] %s '%s' vs [%u] %s '%s': %s\n", ids[i], bk_kind_name(bk_kind(a)),
			       name, ids[j], bk_kind_name(bk_kind(b)), name,
			       r ? why : "equivalent");
		}
	}
	if (!pairs)
		printf("one type named '%s': [%u] %s\n", name, ids[0],
		       bk_kind_name(bk_kind(bk_btf_type(btf, ids[0]))));
	free(ids);
}

static int dedup_option(struct cli *c, int key, const char *arg)
{
	(void)key;
	*(const char **)c->opts = arg; /* --explain NAME, the only own option */
	return 0;
}

/* Append every input to one BTF (the single input itself when it has the right base). */
static struct bk_btf *gather(struct cli *c, struct bk_btf *base, uint64_t *nin)
{
	struct bk_btf *out = NULL, *in;
	int err;

	for (int i = 0; i < c->nargs; i++) {
		in = cli_open_flags(c, c->args[i], CLI_OPEN_STANDALONE_FIRST, NULL);
		if (!in)
			goto fail;
		*nin += bk_btf_nr_own_types(in);
		if (c->nargs == 1 && bk_btf_base(in) == base)
			return in; /* one input of the right shape: dedup it in place */
		if (!out && !(out = bk_btf_new_empty(base))) {
			bk_btf_free(in);
			cli_error(c->args[i], "out of memory");
			goto fail;
		}
		err = bk_btf_add_btf(out, in);
		bk_btf_free(in);
		if (err < 0) {
			cli_error(c->args[i], "cannot append: %s", bk_strerror(err));
			goto fail;
		}
	}
	return out;
fail:
	bk_btf_free(out);
	return NULL;
}

static int dedup_run(struct cli *c)
{
	const char *explain_name = *(const char **)c->opts;
	struct bk_diag diag = { 0 };
	struct bk_dedup_opts dopts = { .sz = sizeof(dopts), .diag = &diag };
	struct bk_btf *base, *out;
	uint64_t nin = 0;
	int ret = EXIT_BAD_INPUT;
	bool err;

	/* the output is split on the base of the first input (-B or the default rule) */
	base = cli_base_for(c, c->args[0], &err);
	if (err)
		return EXIT_BAD_INPUT;
	out = gather(c, base, &nin);
	if (!out)
		return EXIT_BAD_INPUT;
	if (bk_btf_dedup(out, &dopts)) {
		cli_error(c->args[0], "%s", diag.msg);
		goto out;
	}
	if (c->verbose)
		fprintf(stderr, "btfkit: dedup: %llu input types, %u after\n", (unsigned long long)nin,
			bk_btf_nr_own_types(out));
	if (cli_write_btf(out, c->out_path, c->out_path))
		goto out;
	if (explain_name)
		explain(out, explain_name);
	ret = EXIT_OK;
out:
	bk_btf_free(out);
	return ret;
}

const struct cli_cmd cmd_dedup = {
	.name = "dedup",
	.summary = "append and deduplicate BTF (split BTF on a base too)",
	.synopsis = "[OPTIONS] -o OUT FILE...",
	.description =
		"Append the inputs (raw BTF or ELF files; each standalone, or split BTF on\n"
		"BASE) and deduplicate them: equivalent types are merged, forward\n"
		"declarations resolved, unused strings dropped. Writes raw BTF to OUT. With\n"
		"-B, OUT is split BTF on BASE holding only the types BASE lacks.\n",
	.common = CLI_BASE | CLI_OUTPUT_REQUIRED,
	.opts = (const struct cli_opt[]){
		{ "base", 'B', "FILE", "base BTF: output is split BTF on it" },
		{ "output", 'o', "FILE", "output file (written atomically; '-' standard output)" },
		{ "explain", CLI_LONG(0), "NAME", "for each pair of types named NAME left distinct, print\n"
						  "the first field path where they differ" },
		{ "verbose", 'v', NULL, "print type counts before and after" },
		{ NULL, 0, NULL, NULL },
	},
	.opts_size = sizeof(const char *),
	.option = dedup_option,
	.min_args = 1,
	.max_args = -1,
	.run = dedup_run,
};
