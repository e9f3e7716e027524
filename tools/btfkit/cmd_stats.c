// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * btfkit stats: counts per kind, strings, header and sections, byte order
 * (text or JSON); for trees of modules, the split-vs-standalone headline.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "btfkit/distill.h"
#include "btfkit/split.h"
#include "cli.h"

static const char *source_name(enum bk_source s)
{
	switch (s) {
	case BK_SOURCE_RAW: return "raw BTF";
	case BK_SOURCE_ELF: return "ELF .BTF section";
	default: return "new";
	}
}

static void print_stats(FILE *f, const char *path, const struct bk_btf *btf, const char *base_path)
{
	uint32_t per_kind[BK_NR_KINDS + 1] = { 0 };
	struct bk_btf_layout_info li;
	uint32_t first = bk_btf_start_id(btf), cnt = bk_btf_type_cnt(btf);

	bk_btf_layout_info(btf, &li);
	for (uint32_t id = first; id < cnt; id++) {
		unsigned k = bk_kind(bk_btf_type(btf, id));

		per_kind[k < BK_NR_KINDS ? k : BK_NR_KINDS]++;
	}
	fprintf(f, "file:        %s\n", path);
	fprintf(f, "source:      %s\n", source_name(bk_btf_source(btf)));
	fprintf(f, "byte order:  %s-endian\n", bk_btf_endian(btf) == BK_ENDIAN_LITTLE ? "little" : "big");
	fprintf(f, "size:        %u bytes\n", li.raw_size);
	fprintf(f, "header:      %u bytes\n", li.hdr_len);
	fprintf(f, "types:       offset %u, %u bytes, %u types", li.type_off, li.type_len,
	       bk_btf_nr_own_types(btf));
	if (bk_btf_nr_own_types(btf))
		fprintf(f, " (IDs %u..%u)", first, cnt - 1);
	fprintf(f, "\n");
	if (li.layout_len)
		fprintf(f, "kind layout: offset %u, %u bytes, %u kinds\n", li.layout_off, li.layout_len,
		       li.layout_len / 4);
	else
		fprintf(f, "kind layout: none\n");
	fprintf(f, "strings:     offset %u, %u bytes, %u strings\n", li.str_off, li.str_len,
	       li.nr_strings);
	if (bk_btf_ptr_size(btf))
		fprintf(f, "pointer:     %d bytes\n", bk_btf_ptr_size(btf));
	else
		fprintf(f, "pointer:     unknown\n");
	if (bk_btf_base(btf)) {
		const struct bk_btf *base = bk_btf_base(btf);

		fprintf(f, "split on:    %s (%u types, %u string bytes); own IDs start at %u, own strings at offset %u\n",
		       base_path, bk_btf_type_cnt(base) - 1, bk_btf_start_str_off(btf), first,
		       bk_btf_start_str_off(btf));
	}
	fprintf(f, "kinds:\n");
	for (unsigned k = 1; k <= BK_NR_KINDS; k++) {
		if (per_kind[k])
			fprintf(f, "  %-11s %u\n", k < BK_NR_KINDS ? bk_kind_name(k) : "(unknown)", per_kind[k]);
	}
}

static void jkey(FILE *f, const char *k)
{
	fprintf(f, "\"%s\":", k);
}

static void jstr(FILE *f, const char *s)
{
	struct bk_sink sink = bk_sink_file(f);

	bk_json_string(&sink, s);
}

static void print_stats_json(FILE *f, const char *path, const struct bk_btf *btf, const char *base_path)
{
	uint32_t per_kind[BK_NR_KINDS + 1] = { 0 };
	struct bk_btf_layout_info li;
	uint32_t first = bk_btf_start_id(btf), cnt = bk_btf_type_cnt(btf);
	bool sep = false;

	bk_btf_layout_info(btf, &li);
	for (uint32_t id = first; id < cnt; id++) {
		unsigned k = bk_kind(bk_btf_type(btf, id));

		per_kind[k < BK_NR_KINDS ? k : BK_NR_KINDS]++;
	}
	fprintf(f, "{");
	jkey(f, "file");
	jstr(f, path);
	fprintf(f, ",");
	jkey(f, "source");
	jstr(f, source_name(bk_btf_source(btf)));
	fprintf(f, ",\"byte_order\":\"%s\"", bk_btf_endian(btf) == BK_ENDIAN_LITTLE ? "little" : "big");
	fprintf(f, ",\"size\":%u,\"header_len\":%u", li.raw_size, li.hdr_len);
	fprintf(f, ",\"types\":{\"offset\":%u,\"len\":%u,\"count\":%u", li.type_off, li.type_len,
	       bk_btf_nr_own_types(btf));
	if (bk_btf_nr_own_types(btf))
		fprintf(f, ",\"first_id\":%u,\"last_id\":%u", first, cnt - 1);
	fprintf(f, "}");
	if (li.layout_len)
		fprintf(f, ",\"kind_layout\":{\"offset\":%u,\"len\":%u,\"kinds\":%u}", li.layout_off,
		       li.layout_len, li.layout_len / 4);
	else
		fprintf(f, ",\"kind_layout\":null");
	fprintf(f, ",\"strings\":{\"offset\":%u,\"len\":%u,\"count\":%u}", li.str_off, li.str_len,
	       li.nr_strings);
	if (bk_btf_ptr_size(btf))
		fprintf(f, ",\"pointer_size\":%d", bk_btf_ptr_size(btf));
	else
		fprintf(f, ",\"pointer_size\":null");
	if (bk_btf_base(btf)) {
		const struct bk_btf *base = bk_btf_base(btf);

		fprintf(f, ",\"base\":{");
		jkey(f, "file");
		jstr(f, base_path);
		fprintf(f, ",\"types\":%u,\"str_len\":%u,\"start_id\":%u,\"start_str_off\":%u}",
		       bk_btf_type_cnt(base) - 1, bk_btf_start_str_off(btf), first,
		       bk_btf_start_str_off(btf));
	} else {
		fprintf(f, ",\"base\":null");
	}
	fprintf(f, ",\"kinds\":{");
	for (unsigned k = 1; k <= BK_NR_KINDS; k++) {
		if (!per_kind[k])
			continue;
		fprintf(f, "%s\"%s\":%u", sep ? "," : "", k < BK_NR_KINDS ? bk_kind_name(k) : "UNKNOWN",
		       per_kind[k]);
		sep = true;
	}
	fprintf(f, "}}");
}

/* A module's figures for the tree summary (the split-vs-standalone headline). */
struct stats_item {
	uint32_t kinds[BK_NR_KINDS + 1];
	uint64_t types, split_bytes, standalone_bytes;
};

struct stats_totals {
	struct stats_item sum;
	bool no_standalone;
	const char *base_path;
};

/* The own option state: --no-standalone, and the totals of a tree run. */
struct stats_opts {
	struct stats_totals t;
};

static int stats_option(struct cli *c, int key, const char *arg)
{
	(void)key; /* --no-standalone, the only own option */
	(void)arg;
	((struct stats_opts *)c->opts)->t.no_standalone = true;
	return 0;
}

/* Per-kind counts, split bytes and (unless skipped) standalone bytes. */
static int measure(struct cli *c, struct cli_input *in, struct stats_item *it)
{
	struct stats_opts *o = c->opts;
	struct bk_btf_layout_info li;
	struct bk_diag diag = { 0 };
	struct bk_split_opts so = { .sz = sizeof(so), .diag = &diag };
	uint32_t first = bk_btf_start_id(in->btf), cnt = bk_btf_type_cnt(in->btf);

	bk_btf_layout_info(in->btf, &li);
	for (uint32_t id = first; id < cnt; id++) {
		unsigned k = bk_kind(bk_btf_type(in->btf, id));

		it->kinds[k < BK_NR_KINDS ? k : BK_NR_KINDS]++;
	}
	it->types = cnt - first;
	it->split_bytes = li.raw_size;
	if (!o->t.no_standalone) {
		struct bk_btf *alone = bk_btf_standalone(in->btf, &so);

		if (!alone) {
			cli_error(in->path, "cannot make standalone BTF: %s",
				  diag.msg[0] ? diag.msg : strerror(errno));
			return EXIT_BAD_INPUT;
		}
		bk_btf_layout_info(alone, &li);
		it->standalone_bytes = li.raw_size;
		bk_btf_free(alone);
	}
	return EXIT_OK;
}

/* One module's JSON object; in a tree run with its headline figures. */
struct module_json {
	const struct cli_input *in;
	const char *base_path;
	const struct stats_item *it; /* NULL outside a tree run */
	bool no_standalone;
};

static void print_module_json(FILE *f, const void *arg)
{
	const struct module_json *m = arg;

	print_stats_json(f, m->in->path, m->in->btf, m->base_path);
	if (!m->it)
		return;
	fseek(f, -1, SEEK_END); /* reopen the object */
	fprintf(f, ",\"split_bytes\":%llu", (unsigned long long)m->it->split_bytes);
	if (!m->no_standalone)
		fprintf(f, ",\"standalone_bytes\":%llu", (unsigned long long)m->it->standalone_bytes);
	fputc('}', f);
}

static int stats_one(struct cli *c, struct cli_input *in)
{
	struct stats_opts *o = c->opts;
	/* a module read on the distilled base its ELF file carries */
	const char *base_path = bk_btf_has_distilled_base(in->btf) ? "its distilled base (.BTF.base)"
								   : cli_base_path(c, in->path);
	struct stats_item *it = NULL;

	if (in->tree) {
		it = calloc(1, sizeof(*it));
		if (!it) {
			cli_error(in->path, "out of memory");
			return EXIT_BAD_INPUT;
		}
		if (measure(c, in, it)) {
			free(it);
			return EXIT_BAD_INPUT;
		}
		in->data = it;
		if (!c->json)
			return EXIT_OK; /* text: the summary only */
	}
	if (!c->json) {
		print_stats(in->out, in->path, in->btf, base_path);
		return EXIT_OK;
	}
	if (cli_json_line(in->out, c->pretty, print_module_json,
			  &(struct module_json){ .in = in, .base_path = base_path, .it = it,
						 .no_standalone = o->t.no_standalone }))
		return EXIT_BAD_INPUT;
	return EXIT_OK;
}

static void stats_collect(struct cli *c, struct cli_input *in, int status)
{
	struct stats_opts *o = c->opts;
	struct stats_item *it = in->data;

	if (it && status == EXIT_OK) {
		for (unsigned k = 0; k <= BK_NR_KINDS; k++)
			o->t.sum.kinds[k] += it->kinds[k];
		o->t.sum.types += it->types;
		o->t.sum.split_bytes += it->split_bytes;
		o->t.sum.standalone_bytes += it->standalone_bytes;
	}
	if (!o->t.base_path)
		o->t.base_path = cli_base_path(c, in->path);
	free(it);
	in->data = NULL;
}

/* "1234567 bytes (1.2 MiB)" */
static void print_bytes(FILE *f, uint64_t b)
{
	fprintf(f, "%llu bytes (%.1f MiB)", (unsigned long long)b, (double)b / (1 << 20));
}

static void stats_summary(struct cli *c, FILE *f, size_t n, size_t failed)
{
	struct stats_opts *o = c->opts;
	const struct stats_item *s = &o->t.sum;
	bool sep = false;

	if (c->json) {
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);

		if (!m)
			return;
		fprintf(m, "{\"modules\":%zu,\"failed\":%zu,\"types\":%llu,\"kinds\":{", n, failed,
			(unsigned long long)s->types);
		for (unsigned k = 1; k <= BK_NR_KINDS; k++) {
			if (!s->kinds[k])
				continue;
			fprintf(m, "%s\"%s\":%u", sep ? "," : "",
				k < BK_NR_KINDS ? bk_kind_name(k) : "UNKNOWN", s->kinds[k]);
			sep = true;
		}
		fprintf(m, "},\"split_bytes\":%llu", (unsigned long long)s->split_bytes);
		if (o->t.no_standalone)
			fprintf(m, ",\"standalone_bytes\":null}");
		else
			fprintf(m, ",\"standalone_bytes\":%llu}", (unsigned long long)s->standalone_bytes);
		if (!fclose(m)) {
			cli_print_json(f, buf, c->pretty);
			fputc('\n', f);
		}
		free(buf);
		return;
	}
	fprintf(f, "modules:         %zu (%zu failed)\n", n, failed);
	if (o->t.base_path)
		fprintf(f, "base:            %s\n", o->t.base_path);
	fprintf(f, "types:           %llu\n", (unsigned long long)s->types);
	for (unsigned k = 1; k <= BK_NR_KINDS; k++)
		if (s->kinds[k])
			fprintf(f, "  %-15s%u\n", k < BK_NR_KINDS ? bk_kind_name(k) : "(unknown)", s->kinds[k]);
	fprintf(f, "split BTF:       ");
	print_bytes(f, s->split_bytes);
	fprintf(f, "\nstandalone BTF:  ");
	if (o->t.no_standalone) {
		fprintf(f, "not computed (--no-standalone)\n");
	} else {
		print_bytes(f, s->standalone_bytes);
		if (s->split_bytes)
			fprintf(f, ", %.1fx the split BTF", (double)s->standalone_bytes / (double)s->split_bytes);
		fputc('\n', f);
	}
	if (failed) {
		fflush(f);
		fprintf(stderr, "btfkit: %zu of %zu inputs failed\n", failed, n);
	}
}

static int stats_run(struct cli *c)
{
	static const struct cli_each each = {
		.one = stats_one, .collect = stats_collect, .summary = stats_summary,
	};

	return cli_for_each_input_ex(c, &each);
}

const struct cli_cmd cmd_stats = {
	.name = "stats",
	.summary = "summarise BTF: counts per kind, strings, sections; split vs standalone for trees",
	.synopsis = "[OPTIONS] FILE",
	.description =
		"Summarise FILE: type count per kind, string count and bytes, header and\n"
		"section sizes, byte order and, for split BTF, the base it was read on.\n"
		"\n"
		"FILE may be a directory: the modules under it (*.ko, *.ko.xz, *.ko.zst,\n"
		"*.ko.gz), read in parallel on BASE. Then it prints the number of modules,\n"
		"their own types per kind, the bytes their split BTF takes in total, and\n"
		"the bytes the same modules would take as standalone BTF (each module\n"
		"alone, with every base type it reaches, deduplicated). With --json, one\n"
		"object per module (with its split_bytes and standalone_bytes) and a\n"
		"summary object (modules, failed, types, kinds, split_bytes,\n"
		"standalone_bytes). The figures do not depend on -j.\n",
	.common = CLI_BASE | CLI_OUTPUT | CLI_JSON | CLI_JOBS | CLI_QUIET,
	.opts = (const struct cli_opt[]){
		{ "json", 'j', NULL, "print JSON objects (errors as {\"error\": ...})" },
		{ "no-standalone", CLI_LONG(0), NULL, "for trees: skip the standalone size (the slow half)" },
		{ NULL, 0, NULL, NULL },
	},
	.opts_size = sizeof(struct stats_opts),
	.option = stats_option,
	.min_args = 1,
	.max_args = 1,
	.run = stats_run,
};
