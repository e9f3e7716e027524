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
#include <sys/stat.h>
#include <unistd.h>

#include "btfkit/validate.h"
#include "btfkit/write.h"
#include "cli.h"

/* The errno's name ("EINVAL", "ENOENT"; the kernel's internal 524 is ENOTSUPP). */
static const char *err_name(int err)
{
	const char *name = err < 0 ? strerrorname_np(-err) : NULL;

	if (err == -524)
		return "ENOTSUPP";
	return name ? name : "EINVAL";
}

/* validate's own options */
struct vopts {
	bool kernel_module, as_is;
};

/* One libbpf fix-up applied to the input (a BPF object). */
struct vfix {
	uint32_t type_id;
	long member;
	char *msg;
};

struct vstate {
	struct cli *c;
	FILE *out;
	const char *path;
	struct vfix *fixes;
	size_t nfixes;
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

/* "; " joined fix-ups applied to type id, for the message of a problem on it. */
static void fixes_of(const struct vstate *s, uint32_t id, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; id && i < s->nfixes && len < size; i++)
		if (s->fixes[i].type_id == id)
			len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? "; " : "",
						s->fixes[i].msg);
}

static int on_problem(const struct bk_problem *p, void *ctx)
{
	struct vstate *s = ctx;
	char where[256], fixes[512];

	fixes_of(s, p->type_id, fixes, sizeof(fixes));
	if (s->json)
		json_problem(s->json, p, s->n);
	else if (s->c->quiet)
		;
	else if (bk_problem_where(p, where, sizeof(where)) > 0)
		cli_error(s->path, "%s (%s)%s%s%s", p->msg, where, *fixes ? " [after libbpf's fix-up: " : "",
			  fixes, *fixes ? "]" : "");
	else
		cli_error(s->path, "%s", p->msg);
	s->n++;
	return 0;
}

static int on_fixup(const struct bk_fixup *f, void *ctx)
{
	struct vstate *s = ctx;
	struct vfix *m = realloc(s->fixes, (s->nfixes + 1) * sizeof(*m));

	if (!m || !(m[s->nfixes].msg = strdup(f->msg))) {
		s->fixes = m ? m : s->fixes;
		return -ENOMEM;
	}
	s->fixes = m;
	m[s->nfixes].type_id = f->type_id;
	m[s->nfixes++].member = f->member;
	if (s->c->verbose && !s->c->quiet)
		fprintf(cli_err_stream(), "btfkit: %s: libbpf fix-up: type [%u]: %s\n", s->path, f->type_id, f->msg);
	return 0;
}

/*
 * Where the fix-ups read the ELF file again: standard input redirected from
 * a file is that file (/dev/stdin); from a pipe, NULL: the library kept the
 * streamed ELF file whole.
 */
static const char *object_path(const char *path)
{
	struct stat st;

	if (strcmp(path, "-"))
		return path;
	return !fstat(STDIN_FILENO, &st) && S_ISREG(st.st_mode) ? "/dev/stdin" : NULL;
}

/*
 * A BPF object is checked as libbpf loads it: its fix-ups first (unless
 * --as-is). An object libbpf refuses gets that as a problem, and is then
 * checked as stored.
 */
static void apply_fixups(struct vstate *s, struct cli_input *in)
{
	struct bk_diag diag = { 0 };
	struct bk_fixup_opts fo = { .sz = sizeof(fo), .cb = on_fixup, .ctx = s, .diag = &diag };
	int n;

	n = bk_btf_fixup_bpf_object(in->btf, object_path(in->path), &fo);
	if (n < 0) {
		struct bk_problem p = { .member = -1, .byte_offset = -1, .err = n };
		char msg[600];

		snprintf(msg, sizeof(msg), "libbpf would refuse this BPF object: %s",
			 diag.msg[0] ? diag.msg : bk_strerror(n));
		p.msg = msg;
		on_problem(&p, s);
	}
}

static void free_fixes(struct vstate *s)
{
	for (size_t i = 0; i < s->nfixes; i++)
		free(s->fixes[i].msg);
	free(s->fixes);
}

/* Print the input's JSON object, one compact line (indented with --pretty). */
static int json_finish(struct vstate *s, bool valid)
{
	fprintf(s->json, "],\"valid\":%s", valid ? "true" : "false");
	if (s->nfixes) {
		fputs(",\"fixups\":[", s->json);
		for (size_t i = 0; i < s->nfixes; i++) {
			fprintf(s->json, "%s{\"type_id\":%u,\"member\":", i ? "," : "", s->fixes[i].type_id);
			if (s->fixes[i].member >= 0)
				fprintf(s->json, "%ld", s->fixes[i].member);
			else
				fputs("null", s->json);
			fputs(",\"message\":", s->json);
			json_str(s->json, s->fixes[i].msg);
			fputc('}', s->json);
		}
		fputc(']', s->json);
	}
	fputc('}', s->json);
	if (fclose(s->json)) {
		free(s->buf);
		cli_error(NULL, "out of memory");
		return EXIT_BAD_INPUT;
	}
	if (!s->c->quiet) {
		cli_print_json(s->out, s->buf, s->c->pretty);
		fputc('\n', s->out);
	}
	free(s->buf);
	return valid ? EXIT_OK : EXIT_BAD_INPUT;
}

/* Start the input's JSON object; false when out of memory. */
static bool json_begin(struct vstate *s)
{
	s->json = open_memstream(&s->buf, &s->len);
	if (!s->json) {
		cli_error(NULL, "out of memory");
		return false;
	}
	fputs("{\"file\":", s->json);
	json_str(s->json, s->path);
	fputs(",\"problems\":[", s->json);
	return true;
}

/* The end of one input with n problems (< 0: it could not be checked). */
static int end(struct vstate *s, int n)
{
	int ret;

	if (s->json)
		ret = json_finish(s, n == 0);
	else
		ret = n == 0 ? EXIT_OK : EXIT_BAD_INPUT;
	free_fixes(s);
	return ret;
}

/*
 * The end of an input the parser refused: n problems, or -errno (then,
 * when nothing was reported, the reason in diag is the one problem).
 */
static int finish(struct vstate *s, int n, const struct bk_diag *diag)
{
	if (n < 0 && !s->n) {
		struct bk_problem p = { .member = -1, .byte_offset = -1,
					.err = diag->err ? diag->err : n,
					.msg = diag->msg[0] ? diag->msg : bk_strerror(n) };

		on_problem(&p, s);
	} else if (n < 0) {
		cli_error(s->path, "validation failed: %s", diag->msg[0] ? diag->msg : bk_strerror(n));
	}
	return end(s, n);
}

/*
 * A file btfkit's parser refuses is read again with bk_btf_validate_path,
 * unchecked, so that what the parser refuses (references, names, headers,
 * sections, records) is still reported in the kernel's words. Standard
 * input cannot be read again: the parser's reason is the one problem.
 */
static int validate_unparsed(struct vstate *s, struct cli_input *in,
			     const struct bk_validate_opts *vopts)
{
	struct bk_diag diag = { 0 };
	struct bk_btf *base;
	bool err;

	if (!strcmp(in->path, "-"))
		return finish(s, -EINVAL, &in->diag);
	base = cli_base_for(s->c, in->path, &err);
	if (err) /* said when the base was opened */
		return finish(s, -EINVAL, &in->diag);
	return finish(s, bk_btf_validate_path(in->path, base, vopts, &diag), &diag);
}

static int validate_one(struct cli *c, struct cli_input *in)
{
	struct vstate st = { .c = c, .out = in->out,
			      .path = strcmp(in->path, "-") ? in->path : "standard input" };
	struct bk_validate_opts vopts = { .sz = sizeof(vopts), .cb = on_problem, .ctx = &st };
	struct vopts *o = c->opts;
	int n;

	if (c->json && !json_begin(&st))
		return EXIT_BAD_INPUT;
	if (o->kernel_module)
		vopts.flags |= BK_VALIDATE_KERNEL_MODULE;
	if (!in->btf)
		return validate_unparsed(&st, in, &vopts);
	if (!o->as_is)
		apply_fixups(&st, in);
	n = bk_btf_validate(in->btf, &vopts);
	if (n < 0)
		cli_error(st.path, "validation failed: %s", bk_strerror(n));
	else
		n = st.n; /* with a fix-up libbpf would refuse */
	return end(&st, n);
}

static int validate_option(struct cli *c, int key, const char *arg)
{
	struct vopts *o = c->opts;

	(void)arg;
	if (key == CLI_LONG(0))
		o->kernel_module = true;
	else
		o->as_is = true;
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
		"MESSAGE is the kernel's wording, also for what btfkit cannot parse\n"
		"(a bad header, section, string section or record: the kernel's words,\n"
		"then btfkit's account). Nothing is printed when FILE is clean.\n"
		"A BPF object is checked as libbpf loads it: first the fix-ups libbpf\n"
		"applies (DATASEC sizes from the ELF sections, variable offsets from the\n"
		"ELF symbols, hidden variables made static, the .kconfig and .ksyms\n"
		"externs laid out); a problem on a fixed-up type says which fix-up\n"
		"applied, and -v lists them all.\n"
		"A DIR stands for the modules under it (*.ko, *.ko.xz, *.ko.zst, *.ko.gz),\n"
		"checked in parallel (-j N) and reported in path order; then, with --json,\n"
		"{\"modules\":N,\"failed\":M}, else a count of the modules with problems on\n"
		"stderr.\n",
	.epilog = "Exit status: 0 every FILE valid, 1 problems found or unreadable input,\n"
		  "2 bad usage.\n",
	.common = CLI_BASE | CLI_JSON | CLI_QUIET | CLI_JOBS,
	.opts = (const struct cli_opt[]){
		{ "base", 'B', "FILE", "base BTF for split BTF input" },
		{ "kernel-module", CLI_LONG(0), NULL, "for split BTF, skip the resolve pass as the kernel\n"
						      "does when it loads module BTF" },
		{ "as-is", CLI_LONG(1), NULL, "check a BPF object's BTF as stored, without the\n"
					       "fix-ups libbpf applies before loading it" },
		{ "json", 'j', NULL, "print one line per FILE on stdout instead:\n"
				     "{\"file\":...,\"problems\":[...],\"valid\":...} (each problem:\n"
				     "type_id, kind, name, member, byte_offset, error, message;\n"
				     "null when absent)" },
		{ "pretty", 'p', NULL, "the JSON indented like 'bpftool -p' (implies --json)" },
		{ "quiet", 'q', NULL, "print no problems (and no progress bar); only the\n"
				      "exit status tells" },
		{ NULL, 0, NULL, NULL },
	},
	.opts_size = sizeof(struct vopts),
	.option = validate_option,
	.min_args = 1,
	.max_args = -1,
	.run = validate_run,
};
