// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* btfkit diff: what changed between two BTFs, by name (the library's bk_diff_new). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "btfkit/diff.h"
#include "cli.h"

#define MAX_NAMES 256
#define EXIT_DIFFERENT 1 /* diff(1): 0 equal, 1 different, 2 trouble */
#define EXIT_TROUBLE 2

enum { OPT_NEW_BASE = CLI_LONG(0), OPT_TYPES = 't', OPT_KINDS = 'k' };

struct diff_opts {
	const char *new_base;
	const char *names[MAX_NAMES]; /* --types arguments, comma-separated lists */
	size_t nr_names;
	unsigned kinds;
};

static int diff_option(struct cli *c, int key, const char *arg)
{
	struct diff_opts *o = c->opts;

	switch (key) {
	case OPT_NEW_BASE:
		o->new_base = arg;
		return 0;
	case OPT_TYPES:
		if (!arg[strspn(arg, ", ")])
			return cli_usage_error("diff", "empty type name in --types");
		if (o->nr_names == MAX_NAMES)
			return cli_usage_error("diff", "at most %d --types options", MAX_NAMES);
		o->names[o->nr_names++] = arg;
		return 0;
	default:
		for (const char *p = arg; *p;) {
			size_t n = strcspn(p, ",");
			int k;

			for (k = 0; k < BK_DIFF_NR_KINDS; k++)
				if (strlen(bk_diff_kind_name(k)) == n &&
				    !strncmp(p, bk_diff_kind_name(k), n))
					break;
			if (k == BK_DIFF_NR_KINDS)
				return cli_usage_error("diff", "unknown kind '%.*s' in --kinds (expected struct, "
							       "union, enum, typedef, func, var, int, float)",
						       (int)n, p);
			o->kinds |= 1u << k;
			p += n + (p[n] == ',');
		}
		return 0;
	}
}

/* The --types names, split at commas (pointers into one copy); NULL after a message. */
static const char **split_names(const struct diff_opts *o, size_t *n, char **copy)
{
	size_t len = 0, cap = 1;
	const char **v;
	char *p;

	for (size_t i = 0; i < o->nr_names; i++) {
		len += strlen(o->names[i]) + 1;
		for (const char *q = o->names[i]; *q; q++)
			cap += *q == ',';
		cap++;
	}
	*copy = p = malloc(len + 1);
	v = calloc(cap, sizeof(*v));
	if (!p || !v) {
		free(p);
		free(v);
		cli_error(NULL, "out of memory");
		return NULL;
	}
	*n = 0;
	for (size_t i = 0; i < o->nr_names; i++) {
		char *save = NULL;

		strcpy(p, o->names[i]);
		for (char *tok = strtok_r(p, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			while (*tok == ' ')
				tok++;
			if (*tok)
				v[(*n)++] = tok;
		}
		p += strlen(o->names[i]) + 1;
	}
	return v;
}

static int diff_run(struct cli *c)
{
	const struct diff_opts *o = c->opts;
	const char *old_base = c->base_path;
	struct bk_diag diag = { 0 };
	struct bk_diff_opts dopts = { .sz = sizeof(dopts), .kinds = o->kinds, .diag = &diag };
	struct bk_btf *old = NULL, *new_btf = NULL;
	struct bk_membuf mb = { 0 };
	struct bk_sink sink = bk_sink_membuf(&mb);
	struct bk_diff *d = NULL;
	const char **names = NULL;
	char *copy = NULL;
	int ret = EXIT_TROUBLE, err;

	if (o->nr_names) {
		names = split_names(o, &dopts.nr_types, &copy);
		if (!names)
			goto out;
		dopts.types = names;
	}
	old = cli_open(c, c->args[0]);
	if (!old)
		goto out;
	if (o->new_base)
		c->base_path = o->new_base; /* the new file's base; opened once, freed by the layer */
	new_btf = cli_open(c, c->args[1]);
	c->base_path = old_base;
	if (!new_btf)
		goto out;
	d = bk_diff_new(old, new_btf, &dopts);
	if (!d) {
		cli_error(c->args[1], "%s", diag.msg[0] ? diag.msg : bk_strerror(-errno));
		goto out;
	}
	ret = bk_diff_count(d) ? EXIT_DIFFERENT : EXIT_OK;
	if (c->quiet)
		goto out;
	err = bk_diff_print(d, &sink, c->json ? BK_DIFF_JSON : BK_DIFF_TEXT);
	if (err) {
		cli_error(NULL, "%s", bk_strerror(err));
		ret = EXIT_TROUBLE;
		goto out;
	}
	if (c->json) {
		struct cli_out out;

		if (cli_out_open(&out, c->out_path)) {
			ret = EXIT_TROUBLE;
			goto out;
		}
		if (mb.len && mb.data[mb.len - 1] == '\n')
			mb.data[--mb.len] = 0;
		cli_print_json(out.f, mb.data ? mb.data : "{}", c->pretty);
		fputc('\n', out.f);
		if (cli_out_commit(&out))
			ret = EXIT_TROUBLE;
	} else if (cli_write_output(c->out_path, mb.data, mb.len)) {
		ret = EXIT_TROUBLE;
	}
out:
	bk_diff_free(d);
	bk_btf_free(new_btf);
	bk_btf_free(old);
	free(names);
	free(copy);
	free(mb.data);
	return ret;
}

const struct cli_cmd cmd_diff = {
	.name = "diff",
	.summary = "compare two BTFs by type name: added, removed and changed types",
	.synopsis = "[OPTIONS] OLD NEW",
	.description =
		"Compare the named types of OLD and NEW by kind and name, not by ID: types\n"
		"added, removed, and changed (size; members added, removed, retyped or\n"
		"moved; enum values; function prototypes and linkage; typedef and variable\n"
		"types; integer encodings), then a summary line. Anonymous structs and\n"
		"unions are compared through the struct that holds them (members of an\n"
		"anonymous member count as the parent's). Split BTF (modules) compares its\n"
		"own types: OLD on -B OLD_BASE, NEW on --new-base NEW_BASE (default: -B).\n",
	.epilog = "Exit status: 0 equal, 1 different, 2 usage error or bad input (as diff(1)).\n"
		  "With --json, errors are printed as {\"error\": \"FILE: message\"} on stdout.\n",
	.common = CLI_BASE | CLI_OUTPUT | CLI_JSON | CLI_QUIET,
	.opts = (const struct cli_opt[]){
		{ "base", 'B', "OLD_BASE", "base BTF of OLD when it is split BTF (module .ko)" },
		{ "new-base", OPT_NEW_BASE, "NEW_BASE", "base BTF of NEW (default: the -B base)" },
		{ "types", OPT_TYPES, "NAME,...", "only the types with these names (a plain name, or\n"
						   "\"KIND NAME\": \"struct sk_buff\"; repeatable)" },
		{ "kinds", OPT_KINDS, "KIND,...", "only these kinds: struct, union, enum, typedef,\n"
						  "func, var, int, float" },
		{ "json", 'j', NULL, "the differences as one JSON object" },
		{ "pretty", 'p', NULL, "indented JSON (implies --json)" },
		{ "quiet", 'q', NULL, "print nothing: the exit status says equal or different" },
		{ NULL, 0, NULL, NULL },
	},
	.opts_size = sizeof(struct diff_opts),
	.option = diff_option,
	.arg_name = "OLD NEW",
	.min_args = 2,
	.max_args = 2,
	.run = diff_run,
};
