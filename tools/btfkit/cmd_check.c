// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * btfkit check: would this kernel accept these modules' BTF? The library
 * (bk_module_check) applies the kernel module loader's checks, relocating
 * modules that carry a distilled base, and explains a failure; this file
 * prints one line per module (or one JSON line) and, after several, a
 * summary. Modules (a DIR stands for the modules under it) go through the
 * tree runner with CLI_OPEN_NONE: bk_module_check opens each one itself,
 * unchecked and keeping its distilled base, which a parse by the runner
 * could not do.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btfkit/distill.h"
#include "btfkit/validate.h"
#include "cli.h"

/* The running kernel's vmlinux BTF (BTFKIT_SYSFS_BTF stands in for /sys/kernel/btf). */
static const char *default_base(void)
{
	static char path[4096];

	snprintf(path, sizeof(path), "%s/vmlinux", cli_sysfs_dir());
	return path;
}

/* The totals over many modules (c->opts), folded in input order by check_collect. */
struct check_totals {
	size_t checked, ok, no_btf, loads, other_vmlinux, distilled, relocated;
	size_t skipped; /* the base itself, met in a directory (/sys/kernel/btf/vmlinux) */
};

/* What one module's check adds to the totals (cli_input.data). */
struct check_item {
	bool ok, has_btf, loads, other_vmlinux, distilled, relocated, skipped;
};

static int print_problem(const struct bk_problem *p, void *ctx)
{
	const char *path = ctx;
	char where[200];

	if (bk_problem_where(p, where, sizeof(where)) > 0)
		fprintf(cli_err_stream(), "btfkit: %s: %s (%s)\n", path, p->msg, where);
	else
		fprintf(cli_err_stream(), "btfkit: %s: %s\n", path, p->msg);
	return 0;
}

static int print_unmatched(void *ctx, uint32_t dist_id, const char *msg)
{
	(void)dist_id;
	fprintf(cli_err_stream(), "btfkit: %s: %s\n", (const char *)ctx, msg);
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

/* One module's result as a JSON object (arg: struct check_json). */
struct check_json {
	const char *path;
	const struct bk_module_check *r; /* NULL: not read, why says why */
	const char *why;
};

static void print_json(FILE *f, const void *arg)
{
	const struct check_json *j = arg;
	const struct bk_module_check *r = j->r;

	fputs("{\"file\":", f);
	jstr(f, j->path);
	if (!r) {
		fputs(",\"ok\":false,\"error\":", f);
		jstr(f, j->why);
		fputc('}', f);
		return;
	}
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

static void print_text(struct cli *c, FILE *out, const char *path, const struct bk_module_check *r)
{
	if (!r->ok) {
		fprintf(out, "%s: FAIL: %s\n  fix: %s\n", path, r->reason, r->fix);
		return;
	}
	if (c->quiet)
		return;
	if (!r->has_btf)
		fprintf(out, "%s: ok (no BTF)\n", path);
	else if (r->distilled)
		fprintf(out, "%s: ok (relocated from its distilled base: %u types matched)\n", path,
			r->nr_dist_types);
	else
		fprintf(out, "%s: ok\n", path);
}

/* The file at path is the base itself (as /sys/kernel/btf/vmlinux is in that directory). */
static bool is_base(struct cli *c, const char *path)
{
	char a[PATH_MAX], b[PATH_MAX];

	return realpath(path, a) && realpath(cli_base_path(c, path), b) && !strcmp(a, b);
}

/* A module that could not be read: {"file":...,"ok":false,"error":...} with --json, else text. */
static int report_unreadable(struct cli *c, struct cli_input *in, const char *why)
{
	if (!c->json)
		cli_error(in->path, "%s", why);
	else
		cli_json_line(in->out, c->pretty, print_json,
			      &(struct check_json){ .path = in->path, .why = why });
	return EXIT_BAD_INPUT;
}

static int add_item(struct cli_input *in, const struct check_item *v)
{
	struct check_item *it = malloc(sizeof(*it));

	if (!it) {
		cli_error(NULL, "out of memory");
		return -1;
	}
	*it = *v;
	in->data = it;
	return 0;
}

/*
 * One module, possibly in a worker thread (cli_for_each_input_ex with
 * CLI_OPEN_NONE): bk_module_check reads it; the result goes to in->out,
 * messages through cli_error and cli_err_stream, the counts to in->data.
 */
static int check_one(struct cli *c, struct cli_input *in)
{
	struct bk_module_check r;
	struct bk_module_check_opts o = { .sz = sizeof(o), .cb = print_problem,
					   .ctx = (void *)in->path, .unmatched = print_unmatched };
	struct bk_btf *base;
	bool err;

	base = cli_base_for(c, in->path, &err); /* opened (and frozen) by the runner */
	if (!base)
		return EXIT_BAD_INPUT;
	if (is_base(c, in->path)) {
		/* /sys/kernel/btf/vmlinux (met in that directory) is the base, not a module */
		if (c->json && !c->quiet) {
			fputs("{\"file\":", in->out);
			jstr(in->out, in->path);
			fputs(",\"skipped\":\"the base BTF, not a module\"}\n", in->out);
		} else if (!c->json && !c->quiet) {
			fprintf(in->out, "%s: skipped (the base BTF, not a module)\n", in->path);
		}
		return add_item(in, &(struct check_item){ .skipped = true }) ? EXIT_BAD_INPUT : EXIT_OK;
	}
	if (bk_module_check(in->path, base, &r, c->verbose ? &o : NULL))
		return report_unreadable(c, in, r.reason);
	if (c->json) {
		if ((!c->quiet || !r.ok) &&
		    cli_json_line(in->out, c->pretty, print_json,
				  &(struct check_json){ .path = in->path, .r = &r }))
			return EXIT_BAD_INPUT;
	} else {
		print_text(c, in->out, in->path, &r);
	}
	if (add_item(in, &(struct check_item){ .ok = r.ok, .has_btf = r.has_btf, .loads = r.loads,
						 .other_vmlinux = r.other_vmlinux,
						 .distilled = r.distilled, .relocated = r.relocated }))
		return EXIT_BAD_INPUT;
	return r.ok ? EXIT_OK : EXIT_BAD_INPUT;
}

static void check_collect(struct cli *c, struct cli_input *in, int status)
{
	struct check_totals *t = c->opts;
	struct check_item *it = in->data;

	if (it && it->skipped && status >= 0) {
		t->skipped++;
	} else if (it && status >= 0) {
		t->checked++;
		t->ok += it->ok;
		t->no_btf += !it->has_btf;
		t->loads += it->loads;
		t->other_vmlinux += it->other_vmlinux;
		t->distilled += it->distilled;
		t->relocated += it->relocated;
	}
	free(it);
	in->data = NULL;
}

/* After several modules: the totals, as a line or a JSON object (also with -q). */
static void check_summary(struct cli *c, FILE *f, size_t n, size_t failed)
{
	const struct check_totals *t = c->opts;
	size_t unreadable, n_all = n;
	char buf[400];

	(void)failed;
	n = n_all - t->skipped; /* modules only */
	unreadable = n - t->checked; /* n - ok: the modules that would not load, or could not be read */
	if (c->json) {
		snprintf(buf, sizeof(buf),
			 "{\"modules\":%zu,\"ok\":%zu,\"failed\":%zu,\"unreadable\":%zu,\"no_btf\":%zu,"
			 "\"loads\":%zu,\"other_vmlinux\":%zu,\"distilled\":%zu,\"relocated\":%zu}",
			 n, t->ok, n - t->ok, unreadable, t->no_btf, t->loads, t->other_vmlinux,
			 t->distilled, t->relocated);
		cli_print_json(f, buf, c->pretty);
		fputc('\n', f);
		return;
	}
	if (c->quiet)
		return;
	fprintf(f, "%zu modules: %zu would load", n, t->ok);
	if (t->no_btf)
		fprintf(f, " (%zu without BTF)", t->no_btf);
	fprintf(f, ", %zu would not", t->checked - t->ok);
	if (unreadable)
		fprintf(f, ", %zu could not be read", unreadable);
	fputc('\n', f);
}

static int check_run(struct cli *c)
{
	static const struct cli_each each = {
		.one = check_one, .flags = CLI_OPEN_NONE,
		.collect = check_collect, .summary = check_summary,
	};

	cli_json = 0; /* the results go to stdout; errors stay text on stderr */
	if (!c->base_path)
		c->base_path = default_base();
	return cli_for_each_input_ex(c, &each);
}

const struct cli_cmd cmd_check = {
	.name = "check",
	.summary = "would this kernel accept these modules' BTF? why not, and what to do",
	.synopsis = "[OPTIONS] MODULE|DIR...",
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
		"distilled type without a match.\n"
		"A DIR stands for the modules under it (*.ko, *.ko.xz, *.ko.zst, *.ko.gz),\n"
		"checked in parallel (-j N) and reported in path order whatever N is.\n"
		"The base itself (vmlinux in /sys/kernel/btf) is skipped, not a module.\n"
		"After several modules, a summary: 'N modules: X would load, Y would not'\n"
		"(with --json an object: modules, ok, failed, unreadable, no_btf, loads,\n"
		"other_vmlinux, distilled, relocated).\n",
	.epilog = "Exit status: 0 every module would load, 1 some would not (or cannot be read),\n"
		  "2 bad usage.\n",
	.common = CLI_BASE | CLI_JSON | CLI_QUIET | CLI_JOBS,
	.opts = (const struct cli_opt[]){
		{ "base", 'B', "VMLINUX", "the kernel's vmlinux BTF (default: the running\n"
					  "kernel's, /sys/kernel/btf/vmlinux)" },
		{ "json", 'j', NULL, "print one JSON line per MODULE on stdout instead\n"
				     "(ok, loads, btf, distilled, relocated, other_vmlinux,\n"
				     "problems, first_problem, counts, reason, fix; or\n"
				     "error when it cannot be read)" },
		{ "pretty", 'p', NULL, "the JSON indented like 'bpftool -p' (implies --json)" },
		{ "quiet", 'q', NULL, "print only the modules that would not load (and\n"
				      "no progress bar)" },
		{ "verbose", 'v', NULL, "also list on stderr every problem by the kernel's\n"
					"rules and every distilled type without a match" },
		{ NULL, 0, NULL, NULL },
	},
	.opts_size = sizeof(struct check_totals),
	.arg_name = "MODULE",
	.min_args = 1,
	.max_args = -1,
	.run = check_run,
};
