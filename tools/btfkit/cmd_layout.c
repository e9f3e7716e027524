// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* btfkit layout: struct layouts as pahole prints them (the library's bk_layout_dump). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "btfkit/layout.h"
#include "cli.h"

enum { OPT_CACHELINE = 'c', OPT_EXPAND = 'E', OPT_HOLES = 'H', OPT_SIZES = 's' };

struct layout_opts {
	uint32_t cacheline, min_holes;
	bool expand, sizes;
};

static int parse_u32(const char *s, uint32_t min, uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (errno || *end || !*s || *s == '-' || v > UINT32_MAX || v < min)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int layout_option(struct cli *c, int key, const char *arg)
{
	struct layout_opts *o = c->opts;

	switch (key) {
	case OPT_CACHELINE:
		if (parse_u32(arg, 1, &o->cacheline))
			return cli_usage_error("layout", "invalid cache-line size '%s'", arg);
		return 0;
	case OPT_HOLES:
		if (parse_u32(arg, 0, &o->min_holes))
			return cli_usage_error("layout", "invalid hole count '%s'", arg);
		return 0;
	case OPT_EXPAND:
		o->expand = true;
		return 0;
	default:
		o->sizes = true;
		return 0;
	}
}

/* The IDs of the TYPE operands (comma-separated lists allowed); 0, or -1 after a message. */
static int find_types(const struct bk_btf *btf, const char *file, char **specs, int n,
		      uint32_t **ids, size_t *nr)
{
	for (int i = 0; i < n; i++) {
		char *list = strdup(specs[i]), *save = NULL;

		if (!list)
			goto nomem;
		for (char *tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			uint32_t *more;
			int id;

			while (*tok == ' ')
				tok++;
			if (!*tok)
				continue;
			id = bk_layout_find(btf, tok);
			if (id < 0) {
				cli_error(file, "no struct, union, enum or typedef named '%s'", tok);
				free(list);
				return -1;
			}
			more = realloc(*ids, (*nr + 1) * sizeof(**ids));
			if (!more) {
				free(list);
				goto nomem;
			}
			*ids = more;
			(*ids)[(*nr)++] = (uint32_t)id;
		}
		free(list);
	}
	return 0;
nomem:
	cli_error(NULL, "out of memory");
	return -1;
}

static int layout_run(struct cli *c)
{
	const struct layout_opts *o = c->opts;
	struct bk_diag diag = { 0 };
	struct bk_layout_opts lo = {
		.sz = sizeof(lo),
		.format = c->json ? BK_LAYOUT_JSON : o->sizes ? BK_LAYOUT_SIZES : BK_LAYOUT_TEXT,
		.cacheline = o->cacheline,
		.expand = o->expand,
		.min_holes = o->min_holes,
		.diag = &diag,
	};
	struct bk_membuf mb = { 0 };
	struct bk_sink sink = bk_sink_membuf(&mb);
	struct bk_btf *btf;
	uint32_t *ids = NULL;
	size_t nr = 0;
	int err, ret = EXIT_BAD_INPUT;

	if (o->sizes && c->json)
		return cli_usage_error("layout", "--sizes and --json exclude each other");
	btf = cli_open(c, c->args[0]);
	if (!btf)
		return EXIT_BAD_INPUT;
	if (find_types(btf, c->args[0], c->args + 1, c->nargs - 1, &ids, &nr))
		goto out;
	lo.ids = ids;
	lo.nr_ids = nr;
	err = bk_layout_dump(btf, &sink, &lo);
	if (err) {
		cli_error(c->args[0], "%s", diag.msg[0] ? diag.msg : bk_strerror(err));
		goto out;
	}
	if (c->json) {
		struct cli_out out;

		if (cli_out_open(&out, c->out_path))
			goto out;
		if (mb.data)
			mb.data[mb.len && mb.data[mb.len - 1] == '\n' ? mb.len - 1 : mb.len] = 0;
		cli_print_json(out.f, mb.data ? mb.data : "", c->pretty);
		fputc('\n', out.f);
		ret = cli_out_commit(&out) ? EXIT_BAD_INPUT : EXIT_OK;
	} else {
		ret = cli_write_output(c->out_path, mb.data, mb.len) ? EXIT_BAD_INPUT : EXIT_OK;
	}
out:
	bk_btf_free(btf);
	free(ids);
	free(mb.data);
	return ret;
}

const struct cli_cmd cmd_layout = {
	.name = "layout",
	.summary = "struct layouts as pahole prints them: offsets, holes, cache lines",
	.synopsis = "[OPTIONS] FILE [TYPE...]",
	.description =
		"Print how the structs and unions of FILE are laid out, as\n"
		"'pahole -F btf -C TYPE' prints them: every member with its offset and size\n"
		"(bitfields with bit offset and width), holes, bit holes, padding, cache-line\n"
		"boundaries and a summary; alignment and packing inferred from the offsets\n"
		"(docs/layout.md). TYPE is NAME (the first struct, union, enum or typedef so\n"
		"named), 'struct NAME', 'union NAME', 'enum NAME' or 'typedef NAME'; several\n"
		"may be given, also comma-separated. Without TYPE: every named struct and\n"
		"union (the module's own for split BTF).\n",
	.epilog = "With --json, errors are printed as {\"error\": \"FILE: message\"} on stdout.\n",
	.common = CLI_BASE | CLI_OUTPUT | CLI_JSON,
	.opts = (const struct cli_opt[]){
		{ "cacheline", OPT_CACHELINE, "N", "cache-line size in bytes (default 64)" },
		{ "expand", OPT_EXPAND, NULL, "print member types inline, nested (pahole -E)" },
		{ "holes", OPT_HOLES, "N", "only structs with at least N holes (pahole -H)" },
		{ "sizes", OPT_SIZES, NULL, "one line per type: name, size, holes, tab-separated\n"
					    "(pahole -s)" },
		{ "json", 'j', NULL, "the layouts as JSON" },
		{ "pretty", 'p', NULL, "indented JSON (implies --json)" },
		{ NULL, 0, NULL, NULL },
	},
	.opts_size = sizeof(struct layout_opts),
	.option = layout_option,
	.min_args = 1,
	.max_args = -1,
	.run = layout_run,
};
