// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * btfkit check: would this kernel accept these modules' BTF? The library
 * (bk_module_check) applies the kernel module loader's checks, relocating
 * modules that carry a distilled base, and explains a failure; this file
 * prints one line per module (or one JSON line) and a summary.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btfkit/distill.h"
#include "btfkit/validate.h"
#include "cli.h"

/* The running kernel's vmlinux BTF; BTFKIT_SYSFS_BTF stands in for /sys/kernel/btf. */
static const char *default_base(void)
{
	static char path[4096];
	const char *d = getenv("BTFKIT_SYSFS_BTF");

	snprintf(path, sizeof(path), "%s/vmlinux", d && *d ? d : "/sys/kernel/btf");
	return path;
}

struct check_state {
	int n, n_ok, n_fail, n_nobtf;
	const char *path; /* the module being checked, for -v problem lines */
};

static int print_problem(const struct bk_problem *p, void *ctx)
{
	struct check_state *st = ctx;
	char where[200];

	if (bk_problem_where(p, where, sizeof(where)) > 0)
		fprintf(stderr, "btfkit: %s: %s (%s)\n", st->path, p->msg, where);
	else
		fprintf(stderr, "btfkit: %s: %s\n", st->path, p->msg);
	return 0;
}

static int print_unmatched(void *ctx, uint32_t dist_id, const char *msg)
{
	struct check_state *st = ctx;

	(void)dist_id;
	fprintf(stderr, "btfkit: %s: %s\n", st->path, msg);
	return 0;
}

static void jstr(FILE *f, const char *s)
{
	struct bk_sink sink = bk_sink_file(f);

	if (s && *s)
		bk_json_string(&sink, s);
	else
		fputs("null", f);
}

static void print_json(FILE *f, const char *path, const struct bk_module_check *r)
{
	fputs("{\"file\":", f);
	jstr(f, path);
	fprintf(f, ",\"ok\":%s,\"loads\":%s,\"btf\":%s,\"distilled\":%s,\"relocated\":%s,"
		   "\"other_vmlinux\":%s,\"problems\":%d,\"first_problem\":",
		r->ok ? "true" : "false", r->loads ? "true" : "false", r->has_btf ? "true" : "false",
		r->distilled ? "true" : "false", r->relocated ? "true" : "false",
		r->other_vmlinux ? "true" : "false", r->nr_problems);
	jstr(f, r->problem);
	fprintf(f, ",\"distilled_types\":%u,\"unmatched\":%u,\"refs\":{\"total\":%u,\"past_end\":%u,"
		   "\"wrong_kind\":%u},\"names\":{\"total\":%u,\"mid_string\":%u,\"past_end\":%u},\"reason\":",
		r->nr_dist_types, r->nr_unmatched, r->nr_refs, r->refs_past_end, r->refs_wrong_kind,
		r->nr_names, r->names_mid_string, r->names_past_end);
	jstr(f, r->reason);
	fputs(",\"fix\":", f);
	jstr(f, r->fix);
	fputc('}', f);
}

static void print_text(struct cli *c, const char *path, const struct bk_module_check *r)
{
	if (!r->ok) {
		printf("%s: FAIL: %s\n  fix: %s\n", path, r->reason, r->fix);
		return;
	}
	if (c->quiet)
		return;
	if (!r->has_btf)
		printf("%s: ok (no BTF)\n", path);
	else if (r->distilled)
		printf("%s: ok (relocated from its distilled base: %u types matched)\n", path,
		       r->nr_dist_types);
	else
		printf("%s: ok\n", path);
}

static int check_one(struct cli *c, struct check_state *st, struct bk_btf *base, const char *path)
{
	struct bk_module_check r;
	struct bk_module_check_opts o = { .sz = sizeof(o), .cb = print_problem, .ctx = st,
					   .unmatched = print_unmatched };
	int err;

	st->path = path;
	err = bk_module_check(path, base, &r, c->verbose ? &o : NULL);
	if (err) {
		cli_error(path, "%s", r.reason);
		return EXIT_BAD_INPUT;
	}
	if (c->json) {
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		if (f)
			print_json(f, path, &r);
		if (!f || fclose(f)) {
			free(buf);
			cli_error(NULL, "out of memory");
			return EXIT_BAD_INPUT;
		}
		if (!c->quiet || !r.ok) {
			cli_print_json(stdout, buf, c->pretty);
			putchar('\n');
		}
		free(buf);
	} else {
		print_text(c, path, &r);
	}
	st->n++;
	if (!r.has_btf)
		st->n_nobtf++;
	if (r.ok)
		st->n_ok++;
	else
		st->n_fail++;
	return r.ok ? EXIT_OK : EXIT_BAD_INPUT;
}

static int check_run(struct cli *c)
{
	struct check_state st = { 0 };
	struct bk_btf *base;
	int status = EXIT_OK;

	cli_json = 0; /* the results go to stdout; errors stay text on stderr */
	if (!c->base_path)
		c->base_path = default_base();
	base = cli_open_flags(c, c->base_path, CLI_OPEN_NO_BASE, NULL);
	if (!base)
		return EXIT_BAD_INPUT;
	for (int i = 0; i < c->nargs; i++) {
		int ret = check_one(c, &st, base, c->args[i]);

		if (ret > status)
			status = ret;
	}
	if (!c->json && st.n > 1 && !c->quiet) {
		printf("%d modules: %d would load, %d would not%s", st.n, st.n_ok, st.n_fail,
		       st.n_nobtf ? "" : "\n");
		if (st.n_nobtf)
			printf(" (%d without BTF)\n", st.n_nobtf);
	}
	bk_btf_free(base);
	return status;
}

const struct cli_cmd cmd_check = {
	.name = "check",
	.summary = "would this kernel accept these modules' BTF? why not, and what to do",
	.synopsis = "[OPTIONS] MODULE...",
	.description =
		"Check each MODULE's BTF (an ELF .ko, compressed or not, or raw split BTF)\n"
		"against VMLINUX as the kernel's module loader does when it loads the module:\n"
		"split BTF numbered after VMLINUX's types and strings, checked by the\n"
		"kernel's rules; a module with a distilled base (.BTF.base) has it checked\n"
		"and relocated onto VMLINUX. A module built against another vmlinux is\n"
		"caught by its references (past its last type, at types of another kind,\n"
		"names starting inside other strings) even where the kernel would load it\n"
		"with nonsense types. Prints 'MODULE: ok' or 'MODULE: FAIL: why' and the\n"
		"fix; -v also lists on stderr every problem by the kernel's rules and every\n"
		"distilled type without a match.\n",
	.epilog = "Exit status: 0 every module would load, 1 some would not (or cannot be read),\n"
		  "2 bad usage.\n",
	.common = CLI_BASE | CLI_JSON | CLI_QUIET,
	.opts = (const struct cli_opt[]){
		{ "base", 'B', "VMLINUX", "the kernel's vmlinux BTF (default: the running\n"
					  "kernel's, /sys/kernel/btf/vmlinux)" },
		{ "json", 'j', NULL, "print one JSON line per MODULE on stdout instead\n"
				     "(ok, loads, btf, distilled, relocated, other_vmlinux,\n"
				     "problems, first_problem, counts, reason, fix)" },
		{ "pretty", 'p', NULL, "the JSON indented like 'bpftool -p' (implies --json)" },
		{ "quiet", 'q', NULL, "print only the modules that would not load" },
		{ "verbose", 'v', NULL, "also list on stderr every problem by the kernel's\n"
					"rules and every distilled type without a match" },
		{ NULL, 0, NULL, NULL },
	},
	.arg_name = "MODULE",
	.min_args = 1,
	.max_args = -1,
	.run = check_run,
};
