// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * btfkit dump: print BTF as bpftool's raw text, JSON or a C header,
 * streamed to the output (dump_write says what a failure leaves behind).
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cli.h"

#define MAX_IDS 1024
#define MAX_NAMES 1024

enum { OPT_SORT = CLI_LONG(0), OPT_SPLIT_ONLY = CLI_LONG(1) };

struct dump_opts {
	enum bk_format format;
	bool format_given, sort, split_only;
	uint32_t ids[MAX_IDS];
	size_t nr_ids;
	const char *names[MAX_NAMES]; /* --types arguments, each a comma-separated list */
	size_t nr_names;
};

static const struct cli_opt dump_options[] = {
	{ "base", 'B', "FILE", "base BTF for split BTF input (module .ko, sysfs module)" },
	{ "format", 'f', "FMT", "output format: raw (default), c or json" },
	{ "id", 'i', "ID", "only type ID (repeatable; like bpftool root_id);\n"
			   "with -f c also everything it needs" },
	{ "types", 't', "NAME,...", "only the types with these names (a plain name, any kind,\n"
				    "or \"KIND NAME\": \"struct sk_buff\", \"typedef pid_t\",\n"
				    "\"func tcp_v4_rcv\"; repeatable); with -f c also everything\n"
				    "they need (for a func or var, the types it uses)" },
	{ "sort", OPT_SORT, NULL, "types in newer bpftool's sorted order (all of them)" },
	{ "split-only", OPT_SPLIT_ONLY, NULL, "C, split BTF: only the split's own types, for a header\n"
					      "included after the base's header (same --sort)" },
	{ "json", 'j', NULL, "the same as --format json" },
	{ "pretty", 'p', NULL, "JSON: indent like 'bpftool -p' (implies --format json)" },
	{ NULL, 0, NULL, NULL },
};

static int dump_option(struct cli *c, int key, const char *arg)
{
	struct dump_opts *o = c->opts;

	switch (key) {
	case 'f':
		if (!strcmp(arg, "raw"))
			o->format = BK_FORMAT_RAW;
		else if (!strcmp(arg, "c"))
			o->format = BK_FORMAT_C;
		else if (!strcmp(arg, "json"))
			o->format = BK_FORMAT_JSON;
		else
			return cli_usage_error("dump", "unknown format '%s' (expected raw, c or json)", arg);
		o->format_given = true;
		if (o->format == BK_FORMAT_JSON)
			c->json = true;
		return 0;
	case 'i': {
		char *end;
		unsigned long v;

		errno = 0;
		v = strtoul(arg, &end, 0);
		if (errno || *end || !*arg || v > UINT32_MAX || arg[0] == '-')
			return cli_usage_error("dump", "invalid type ID '%s'", arg);
		for (size_t i = 0; i < o->nr_ids; i++)
			if (o->ids[i] == v)
				return 0;
		if (o->nr_ids == MAX_IDS)
			return cli_usage_error("dump", "at most %d --id options", MAX_IDS);
		o->ids[o->nr_ids++] = (uint32_t)v;
		return 0;
	}
	case 't':
		if (o->nr_names == MAX_NAMES)
			return cli_usage_error("dump", "at most %d --types options", MAX_NAMES);
		o->names[o->nr_names++] = arg;
		return 0;
	case OPT_SORT:
		o->sort = true;
		return 0;
	case OPT_SPLIT_ONLY:
		o->split_only = true;
		return 0;
	}
	return 0;
}

static int add_id(struct dump_opts *o, uint32_t id)
{
	for (size_t j = 0; j < o->nr_ids; j++)
		if (o->ids[j] == id)
			return 0;
	if (o->nr_ids == MAX_IDS)
		return -E2BIG;
	o->ids[o->nr_ids++] = id;
	return 0;
}

/*
 * A C header cannot print a FUNC, VAR or FUNC_PROTO itself: it gets the
 * types they refer to (return and parameter types, the variable's type).
 */
static int add_for_c(struct dump_opts *o, const struct bk_btf *btf, uint32_t id)
{
	const struct bk_type *t = bk_btf_type(btf, id);
	int err = 0;

	switch (bk_kind(t)) {
	case BK_KIND_FUNC:
		return add_for_c(o, btf, t->type);
	case BK_KIND_VAR:
		return t->type ? add_id(o, t->type) : 0;
	case BK_KIND_FUNC_PROTO:
		if (t->type)
			err = add_id(o, t->type);
		for (unsigned i = 0; !err && i < bk_vlen(t); i++)
			if (bk_params(t)[i].type)
				err = add_id(o, bk_params(t)[i].type);
		return err;
	default:
		return add_id(o, id);
	}
}

/*
 * Add the IDs a --types name selects: "NAME" (every type of that name,
 * any kind) or "KIND NAME" with KIND a kind's name in lower case ("struct",
 * "typedef", "func", "var", ...; "enum" also finds ENUM64). 0, -ENOENT, -E2BIG.
 */
static int add_named(struct dump_opts *o, const struct bk_btf *btf, const char *spec)
{
	const char *sp = strchr(spec, ' ');
	int kind = -1, cnt;
	uint32_t buf[64];
	bool found = false;

	if (sp) {
		for (unsigned k = 1; k < BK_NR_KINDS; k++) {
			const char *kn = bk_kind_name(k);
			size_t n = strlen(kn);

			if ((size_t)(sp - spec) == n && !strncasecmp(spec, kn, n))
				kind = (int)k;
		}
		if (kind >= 0)
			for (spec = sp; *spec == ' '; spec++)
				;
	}
	cnt = bk_btf_find_all(btf, spec, -1, buf, 64);
	for (int i = 0; i < (cnt < 64 ? cnt : 64); i++) {
		unsigned k = bk_kind(bk_btf_type(btf, buf[i]));
		int err;

		if (kind >= 0 && k != (unsigned)kind &&
		    !(kind == BK_KIND_ENUM && k == BK_KIND_ENUM64))
			continue;
		found = true;
		err = o->format == BK_FORMAT_C ? add_for_c(o, btf, buf[i]) : add_id(o, buf[i]);
		if (err)
			return err;
	}
	return found ? 0 : -ENOENT;
}

/* Check --id against the BTF and turn --types into IDs; 0 or an exit status. */
static int select_types(struct cli *c, const struct bk_btf *btf)
{
	struct dump_opts *o = c->opts;
	size_t had_ids = o->nr_ids;

	for (size_t i = 0; i < o->nr_ids; i++) {
		if (o->ids[i] >= bk_btf_type_cnt(btf)) {
			cli_error(c->args[0], "type ID %u out of range (last ID is %u)", o->ids[i],
				  bk_btf_type_cnt(btf) - 1);
			return EXIT_BAD_INPUT;
		}
	}
	for (size_t i = 0; i < o->nr_names; i++) {
		char list[4096], *save = NULL;

		snprintf(list, sizeof(list), "%s", o->names[i]);
		for (char *tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			int err;

			while (*tok == ' ')
				tok++;
			if (!*tok)
				continue;
			err = add_named(o, btf, tok);
			if (err == -ENOENT) {
				cli_error(c->args[0], "no type named '%s'", tok);
				return EXIT_BAD_INPUT;
			} else if (err) {
				return cli_usage_error("dump", "--types: more than %d types", MAX_IDS);
			}
		}
	}
	if (o->nr_names && o->nr_ids == had_ids)
		return cli_usage_error("dump", "--types: no names given");
	return 0;
}

/* Include guard for --split-only: __<FILE BASENAME>_H__ in upper case. */
static void guard_for(char *g, size_t size, const char *path, int nfiles)
{
	const char *b = strrchr(path, '/');
	size_t n = 2;

	b = b ? b + 1 : path;
	if (nfiles > 1)
		b = "btfkit_modules";
	strcpy(g, "__");
	for (; *b && n + 5 < size; b++)
		g[n++] = isalnum((unsigned char)*b) ? (char)toupper((unsigned char)*b) : '_';
	strcpy(g + n, "_H__");
}

static int check_usage(struct cli *c)
{
	struct dump_opts *o = c->opts;

	if (c->json && o->format_given && o->format != BK_FORMAT_JSON)
		return cli_usage_error("dump", "--json and --pretty need --format json");
	if (c->json)
		o->format = BK_FORMAT_JSON;
	if (c->nargs > 1 && o->format != BK_FORMAT_C)
		return cli_usage_error("dump", "several FILEs need --format c");
	if (c->nargs > 1 && (o->nr_ids || o->nr_names))
		return cli_usage_error("dump", "--id and --types take one FILE");
	if (o->split_only && o->format != BK_FORMAT_C)
		return cli_usage_error("dump", "--split-only needs --format c");
	if (o->split_only && (o->nr_ids || o->nr_names))
		return cli_usage_error("dump", "--split-only prints all own types: no --id or --types");
	return 0;
}

/* Open every FILE; several must be split BTF on one base. 0 or an exit status. */
static int open_all(struct cli *c, struct bk_btf **btfs)
{
	struct dump_opts *o = c->opts;

	for (int k = 0; k < c->nargs; k++)
		if (!(btfs[k] = cli_open(c, c->args[k])))
			return EXIT_BAD_INPUT;
	for (int k = 1; k < c->nargs; k++) {
		if (!bk_btf_base(btfs[0]) || bk_btf_base(btfs[k]) != bk_btf_base(btfs[0])) {
			cli_error(c->args[0], "several FILEs need a base BTF (-B)");
			return EXIT_BAD_INPUT;
		}
	}
	if (o->split_only && !bk_btf_base(btfs[0])) {
		cli_error(c->args[0], "--split-only needs split BTF and its base (-B)");
		return EXIT_BAD_INPUT;
	}
	return select_types(c, btfs[0]);
}

/*
 * Where the dump goes: streamed straight to the file or standard output in
 * the library's 64 KiB chunks, whatever the format, so the output is never
 * held in memory. Raw and JSON dumps fail only before their first byte or
 * on a write error; the C dumper can fail midway (a type cycle C cannot
 * express). Then a file output (-o) is abandoned (its temporary file
 * removed, an existing file kept), standard output that is a regular file
 * is cut back to where it was, and a pipe or terminal keeps the partial
 * header it was sent; the message and exit status 1 follow in every case.
 */
static int dump_write(struct cli *c, struct bk_btf **btfs, struct bk_dump_opts *dopts)
{
	struct cli_out out;
	int err;

	if (cli_out_open(&out, c->out_path))
		return EXIT_BAD_INPUT;
	if (c->nargs > 1)
		err = bk_dump_c_modules(btfs, (size_t)c->nargs, &out.sink, dopts);
	else
		err = bk_dump(btfs[0], &out.sink, dopts);
	if (err && !out.werr)
		cli_error(c->args[0], dopts->diag->msg[0] ? "%s" : "dump failed: %s",
			  dopts->diag->msg[0] ? dopts->diag->msg : bk_strerror(err));
	if (err && !out.werr) {
		cli_out_take_back(&out);
		cli_out_abort(&out);
	} else {
		err = cli_out_commit(&out) || err;
	}
	return err ? EXIT_BAD_INPUT : EXIT_OK;
}

/*
 * One module of a tree (raw text or JSON): raw text after a "# FILE" line,
 * JSON as one object {"file": FILE, "types": [...]}.
 */
static int dump_one(struct cli *c, struct cli_input *in)
{
	struct dump_opts *o = c->opts;
	struct bk_diag diag = { 0 };
	struct bk_dump_opts dopts = { .sz = sizeof(dopts), .diag = &diag, .format = o->format,
				      .sort = o->sort };
	struct bk_membuf mb = { 0 }, jb = { 0 };
	struct bk_sink sink = bk_sink_membuf(&mb), js = bk_sink_membuf(&jb);
	int err = bk_dump(in->btf, &sink, &dopts);

	if (err) {
		cli_error(in->path, diag.msg[0] ? "%s" : "dump failed: %s",
			  diag.msg[0] ? diag.msg : bk_strerror(err));
	} else if (o->format == BK_FORMAT_JSON) {
		/* {"types":...} becomes {"file":"PATH","types":...} */
		err = bk_json_string(&js, in->path);
		if (!err && jb.data && mb.len && mb.data[0] == '{') {
			char *obj = NULL;

			while (mb.len && mb.data[mb.len - 1] == '\n')
				mb.data[--mb.len] = '\0';
			if (asprintf(&obj, "{\"file\":%s,%s", jb.data, mb.data + 1) < 0) {
				cli_error(NULL, "out of memory");
				err = -ENOMEM;
			} else {
				cli_print_json(in->out, obj, c->pretty);
				fputc('\n', in->out);
				free(obj);
			}
		}
	} else {
		fprintf(in->out, "# %s\n", in->path);
		if (mb.len)
			fwrite(mb.data, 1, mb.len, in->out);
	}
	free(mb.data);
	free(jb.data);
	return err ? EXIT_BAD_INPUT : EXIT_OK;
}

static bool any_dir(struct cli *c)
{
	struct stat st;

	for (int k = 0; k < c->nargs; k++)
		if (strcmp(c->args[k], "-") && !stat(c->args[k], &st) && S_ISDIR(st.st_mode))
			return true;
	return false;
}

static int dump_run(struct cli *c)
{
	struct dump_opts *o = c->opts;
	struct bk_diag diag = { 0 };
	struct bk_dump_opts dopts = { .sz = sizeof(dopts), .diag = &diag };
	struct bk_btf **btfs = calloc((size_t)c->nargs, sizeof(*btfs));
	char guard[256], **paths = NULL, **args = c->args;
	int nargs = c->nargs, ret = check_usage(c);
	bool tree = false;

	if (!ret && any_dir(c) && o->format != BK_FORMAT_C) {
		/* raw text or JSON of many modules: each on its own, in path order */
		struct cli_each each = { .one = dump_one };

		if (o->nr_ids || o->nr_names) {
			free(btfs);
			return cli_usage_error("dump", "--id and --types take one FILE");
		}
		free(btfs);
		return cli_for_each_input_ex(c, &each);
	}
	if (!ret && o->format == BK_FORMAT_C) {
		/* C: a directory stands for its modules, all in one header */
		paths = cli_expand_paths(c, &c->nargs, &tree);
		if (!paths)
			ret = EXIT_BAD_INPUT;
		else
			c->args = paths;
		free(btfs);
		btfs = calloc((size_t)c->nargs + 1, sizeof(*btfs));
		if (!ret && tree && (o->nr_ids || o->nr_names))
			ret = cli_usage_error("dump", "--id and --types take one FILE");
	}
	if (!ret && !btfs)
		cli_error(NULL, "out of memory"), ret = EXIT_BAD_INPUT;
	if (!ret)
		ret = open_all(c, btfs);
	if (ret)
		goto out;
	dopts.format = o->format;
	dopts.pretty = c->pretty;
	dopts.sort = o->sort;
	dopts.c_split_only = o->split_only;
	dopts.ids = o->ids;
	dopts.nr_ids = o->nr_ids;
	if (o->split_only) {
		guard_for(guard, sizeof(guard), c->args[0], c->nargs);
		dopts.c_guard = guard;
	}
	ret = dump_write(c, btfs, &dopts);
out:
	for (int k = btfs ? c->nargs : 0; k-- > 0;)
		bk_btf_free(btfs[k]);
	free(btfs);
	if (paths) {
		for (int k = 0; k < c->nargs; k++)
			free(paths[k]);
		free(paths);
	}
	c->args = args;
	c->nargs = nargs;
	return ret;
}

const struct cli_cmd cmd_dump = {
	.name = "dump",
	.summary = "print BTF as bpftool-compatible raw text, C header or JSON",
	.synopsis = "[OPTIONS] FILE...",
	.description =
		"Print the types of FILE exactly as 'bpftool btf dump file FILE [format c]'\n"
		"does (raw text, JSON as 'bpftool -j', or a C header like vmlinux.h).\n"
		"For split BTF (with a base), raw and JSON print only the split's own\n"
		"types; C prints the base's types too unless --split-only is given.\n"
		"Several FILEs in C must be split BTF on one base: one header holds each\n"
		"of their types once. A directory stands for the modules under it (*.ko,\n"
		"*.ko.xz, *.ko.zst, *.ko.gz, in path order): in C all in that one header;\n"
		"in raw text and JSON each module's own dump, read in parallel (-j N),\n"
		"printed in path order: raw text after a '# FILE' line, JSON as one\n"
		"{\"file\": FILE, \"types\": [...]} object per module, then\n"
		"{\"modules\": N, \"failed\": M}.\n",
	.epilog = "With -f json, errors are printed as {\"error\": \"FILE: message\"} on stdout.\n",
	.common = CLI_BASE | CLI_OUTPUT | CLI_JSON | CLI_JOBS | CLI_QUIET,
	.opts = dump_options,
	.opts_size = sizeof(struct dump_opts),
	.option = dump_option,
	.min_args = 1,
	.max_args = 65536,
	.run = dump_run,
};
