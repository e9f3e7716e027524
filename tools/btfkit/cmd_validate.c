// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * btfkit validate: check BTF against the kernel's loader rules and list
 * every problem. Text mode prints one "btfkit: FILE: message (where)" line
 * per problem on stderr and nothing when the file is clean; --json prints
 * one compact JSON line per input on stdout either way (--pretty indents). Exit 0 clean, 1 problems (or
 * unreadable input), 2 bad usage.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "btfkit/validate.h"
#include "cli.h"

/* The errno's name ("EINVAL", "ENOENT"; the kernel's internal 524 is ENOTSUPP). */
static const char *err_name(int err)
{
	const char *name = err < 0 ? strerrorname_np(-err) : NULL;

	if (err == -524)
		return "ENOTSUPP";
	return name ? name : "EINVAL";
}

struct vstate {
	struct cli *c;
	const char *path;
	FILE *json; /* the input's JSON object being built (in buf), or NULL */
	char *buf;
	size_t len;
	int n;
};

static void json_str(FILE *f, const char *s)
{
	struct bk_sink sink = bk_sink_file(f);

	if (s)
		bk_json_string(&sink, s);
	else
		fputs("null", f);
}

/* One problem as a compact JSON object (null for what is absent). */
static void json_problem(FILE *f, const struct bk_problem *p, int n)
{
	fprintf(f, "%s{\"type_id\":", n ? "," : "");
	if (p->type_id)
		fprintf(f, "%u,\"kind\":\"%s\"", p->type_id, bk_kind_name(p->kind));
	else
		fputs("null,\"kind\":null", f);
	fputs(",\"name\":", f);
	json_str(f, p->name);
	if (p->member >= 0)
		fprintf(f, ",\"member\":%ld", p->member);
	else
		fputs(",\"member\":null", f);
	if (p->byte_offset >= 0)
		fprintf(f, ",\"byte_offset\":%lld", p->byte_offset);
	else
		fputs(",\"byte_offset\":null", f);
	fprintf(f, ",\"error\":\"%s\",\"message\":", err_name(p->err));
	json_str(f, p->msg);
	fputc('}', f);
}

static int on_problem(const struct bk_problem *p, void *ctx)
{
	struct vstate *s = ctx;
	char where[256];

	if (s->json)
		json_problem(s->json, p, s->n);
	else if (s->c->quiet)
		;
	else if (bk_problem_where(p, where, sizeof(where)) > 0)
		cli_error(s->path, "%s (%s)", p->msg, where);
	else
		cli_error(s->path, "%s", p->msg);
	s->n++;
	return 0;
}

/* Print the input's JSON object, one compact line (indented with --pretty). */
static int json_finish(struct vstate *s, bool valid)
{
	fprintf(s->json, "],\"valid\":%s}", valid ? "true" : "false");
	if (fclose(s->json)) {
		free(s->buf);
		cli_error(NULL, "out of memory");
		return EXIT_BAD_INPUT;
	}
	if (!s->c->quiet) {
		cli_print_json(stdout, s->buf, s->c->pretty);
		putchar('\n');
	}
	free(s->buf);
	return valid ? EXIT_OK : EXIT_BAD_INPUT;
}

static int validate_one(struct cli *c, struct cli_input *in)
{
	struct vstate st = { .c = c, .path = in->path };
	struct bk_validate_opts vopts = { .sz = sizeof(vopts), .cb = on_problem, .ctx = &st };
	bool *kernel_module = c->opts;
	int n;

	if (c->json) {
		st.json = open_memstream(&st.buf, &st.len);
		if (!st.json) {
			cli_error(NULL, "out of memory");
			return EXIT_BAD_INPUT;
		}
		fputs("{\"file\":", st.json);
		json_str(st.json, in->path);
		fputs(",\"problems\":[", st.json);
	}
	if (!in->btf) {
		/* Not even parseable: the parser's reason is the one problem. */
		struct bk_problem p = { .member = -1, .byte_offset = -1, .err = in->diag.err,
					.msg = in->diag.msg };

		on_problem(&p, &st);
		return c->json ? json_finish(&st, false) : EXIT_BAD_INPUT;
	}
	if (*kernel_module)
		vopts.flags |= BK_VALIDATE_KERNEL_MODULE;
	n = bk_btf_validate(in->btf, &vopts);
	if (n < 0)
		cli_error(in->path, "validation failed: %s", bk_strerror(n));
	if (c->json)
		return json_finish(&st, n == 0);
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
	/* validate --json prints its results on stdout; errors stay text on stderr */
	cli_json = 0;
	return cli_for_each_input(c, validate_one, CLI_OPEN_QUIET);
}

const struct cli_cmd cmd_validate = {
	.name = "validate",
	.summary = "check BTF with the kernel loader's rules, list every problem",
	.synopsis = "[OPTIONS] FILE...",
	.description =
		"Check each FILE with the rules of the Linux kernel's BTF loader (what\n"
		"BPF_BTF_LOAD checks for base BTF; for split BTF on a base, what the\n"
		"kernel checks for module BTF on vmlinux, plus the resolve pass) and list\n"
		"every problem, one per line on stderr:\n"
		"  btfkit: FILE: MESSAGE (type [ID] KIND 'NAME', member N, byte offset X)\n"
		"MESSAGE is the kernel's wording. Nothing is printed when FILE is clean.\n"
		"Input that cannot be parsed at all gives one line with the reason.\n",
	.epilog = "Exit status: 0 every FILE valid, 1 problems found or unreadable input,\n"
		  "2 bad usage.\n",
	.common = CLI_BASE | CLI_JSON | CLI_QUIET,
	.opts = (const struct cli_opt[]){
		{ "base", 'B', "FILE", "base BTF for split BTF input" },
		{ "kernel-module", CLI_LONG(0), NULL, "for split BTF, skip the resolve pass as the kernel\n"
						      "does when it loads module BTF" },
		{ "json", 'j', NULL, "print one line per FILE on stdout instead:\n"
				     "{\"file\":...,\"problems\":[...],\"valid\":...} (each problem:\n"
				     "type_id, kind, name, member, byte_offset, error, message;\n"
				     "null when absent)" },
		{ "pretty", 'p', NULL, "the JSON indented like 'bpftool -p' (implies --json)" },
		{ "quiet", 'q', NULL, "print no problems; only the exit status tells" },
		{ NULL, 0, NULL, NULL },
	},
	.opts_size = sizeof(bool),
	.option = validate_option,
	.min_args = 1,
	.max_args = -1,
	.run = validate_run,
};
