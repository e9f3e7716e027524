// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * btfkit validate: check BTF against the kernel's loader rules and list
 * every problem. Text mode prints one "btfkit: FILE: message (where)" line
 * per problem on stderr and nothing when the file is clean; --json prints
 * one JSON object on stdout either way. Exit 0 clean, 1 problems (or
 * unreadable input), 2 bad usage.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "btfkit/validate.h"
#include "cli.h"

/* s as a JSON string, escaped by the library (UTF-8 passes through whole). */
static void json_str(const char *s)
{
	struct bk_sink sink = bk_sink_file(stdout);

	bk_json_string(&sink, s);
}

/* The errno's name ("EINVAL", "ENOENT"; the kernel's internal 524 is ENOTSUPP). */
static const char *err_name(int err)
{
	const char *name = err < 0 ? strerrorname_np(-err) : NULL;

	if (err == -524)
		return "ENOTSUPP";
	return name ? name : "EINVAL";
}

struct vstate {
	const char *path;
	bool json;
	int n;
};

static void json_problem(struct vstate *s, const struct bk_problem *p)
{
	printf("%s\n    {\"type_id\": ", s->n ? "," : "");
	if (p->type_id)
		printf("%u, \"kind\": \"%s\", \"name\": ", p->type_id, bk_kind_name(p->kind));
	else
		printf("null, \"kind\": null, \"name\": ");
	if (p->name)
		json_str(p->name);
	else
		printf("null");
	printf(", \"member\": ");
	if (p->member >= 0)
		printf("%ld", p->member);
	else
		printf("null");
	printf(", \"byte_offset\": ");
	if (p->byte_offset >= 0)
		printf("%lld", p->byte_offset);
	else
		printf("null");
	printf(", \"error\": \"%s\", \"message\": ", err_name(p->err));
	json_str(p->msg);
	putchar('}');
}

static int on_problem(const struct bk_problem *p, void *ctx)
{
	struct vstate *s = ctx;
	char where[256];

	if (s->json) {
		json_problem(s, p);
	} else if (bk_problem_where(p, where, sizeof(where)) > 0) {
		cli_error(s->path, "%s (%s)", p->msg, where);
	} else {
		cli_error(s->path, "%s", p->msg);
	}
	s->n++;
	return 0;
}

static void json_begin(const char *path)
{
	printf("{\"file\": ");
	json_str(path);
	printf(", \"problems\": [");
}

static void json_end(bool valid, int n)
{
	printf("%s], \"valid\": %s}\n", n ? "\n  " : "", valid ? "true" : "false");
}

static int validate_one(struct cli *c, struct cli_input *in)
{
	struct vstate st = { .path = in->path, .json = c->json };
	struct bk_validate_opts vopts = { .sz = sizeof(vopts), .cb = on_problem, .ctx = &st };
	bool *kernel_module = c->opts;
	int n;

	if (!in->btf) {
		/* Not even parseable: the parser's reason is the one problem. */
		if (!c->json) {
			cli_error(in->path, "%s", in->diag.msg);
			return EXIT_BAD_INPUT;
		}
		json_begin(in->path);
		printf("\n    {\"type_id\": null, \"kind\": null, \"name\": null, \"member\": null, \"byte_offset\": null, \"error\": \"%s\", \"message\": ",
		       err_name(in->diag.err));
		json_str(in->diag.msg);
		putchar('}');
		json_end(false, 1);
		return EXIT_BAD_INPUT;
	}
	if (*kernel_module)
		vopts.flags |= BK_VALIDATE_KERNEL_MODULE;
	if (c->json)
		json_begin(in->path);
	n = bk_btf_validate(in->btf, &vopts);
	if (c->json)
		json_end(n == 0, st.n);
	if (n < 0)
		cli_error(in->path, "validation failed: %s", bk_strerror(n));
	return n == 0 ? EXIT_OK : EXIT_BAD_INPUT;
}

static int validate_option(struct cli *c, int key, const char *arg)
{
	(void)key;
	(void)arg;
	*(bool *)c->opts = true; /* --kernel-module, the only own option */
	return 0;
}

static int validate_run(struct cli *c)
{
	/* validate --json prints to stdout; its errors stay text on stderr */
	cli_json = 0;
	return cli_for_each_input(c, validate_one, CLI_OPEN_QUIET);
}

const struct cli_cmd cmd_validate = {
	.name = "validate",
	.summary = "check BTF with the kernel loader's rules, list every problem",
	.synopsis = "[OPTIONS] FILE",
	.description =
		"Check FILE with the rules of the Linux kernel's BTF loader (what\n"
		"BPF_BTF_LOAD checks for base BTF; for split BTF given with -B, what the\n"
		"kernel checks for module BTF on vmlinux, plus the resolve pass) and list\n"
		"every problem, one per line on stderr:\n"
		"  btfkit: FILE: MESSAGE (type [ID] KIND 'NAME', member N, byte offset X)\n"
		"MESSAGE is the kernel's wording. Nothing is printed when FILE is clean.\n"
		"Input that cannot be parsed at all gives one line with the reason.\n",
	.epilog = "Exit status: 0 valid, 1 problems found or unreadable input, 2 bad usage.\n",
	.common = CLI_BASE | CLI_JSON,
	.opts = (const struct cli_opt[]){
		{ "base", 'B', "FILE", "base BTF for split BTF input" },
		{ "kernel-module", CLI_LONG(0), NULL, "for split BTF, skip the resolve pass as the kernel\n"
						      "does when it loads module BTF" },
		{ "json", 'j', NULL, "print {\"file\":..., \"valid\":..., \"problems\":[...]}\n"
				     "on stdout instead (each problem: type_id, kind, name,\n"
				     "member, byte_offset, error, message; null when absent)" },
		{ NULL, 0, NULL, NULL },
	},
	.opts_size = sizeof(bool),
	.option = validate_option,
	.min_args = 1,
	.max_args = 1,
	.run = validate_run,
};
