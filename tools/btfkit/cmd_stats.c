// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* btfkit stats: counts per kind, strings, header and sections, byte order (text or JSON). */
#include <stdlib.h>
#include <string.h>

#include "btfkit/distill.h"
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

static int stats_one(struct cli *c, struct cli_input *in)
{
	/* a module read on the distilled base its ELF file carries */
	const char *base_path = bk_btf_has_distilled_base(in->btf) ? "its distilled base (.BTF.base)"
								   : cli_base_path(c, in->path);
	struct cli_out out;

	if (cli_out_open(&out, c->out_path))
		return EXIT_BAD_INPUT;
	if (c->json) {
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		if (f)
			print_stats_json(f, in->path, in->btf, base_path);
		if (!f || fclose(f)) {
			free(buf);
			cli_out_abort(&out);
			cli_error(NULL, "out of memory");
			return EXIT_BAD_INPUT;
		}
		cli_print_json(out.f, buf, c->pretty);
		fputc('\n', out.f);
		free(buf);
	} else {
		print_stats(out.f, in->path, in->btf, base_path);
	}
	return cli_out_commit(&out) ? EXIT_BAD_INPUT : EXIT_OK;
}

static int stats_run(struct cli *c)
{
	return cli_for_each_input(c, stats_one, 0);
}

const struct cli_cmd cmd_stats = {
	.name = "stats",
	.summary = "summarise BTF: counts per kind, strings, sections",
	.synopsis = "[OPTIONS] FILE",
	.description =
		"Summarise FILE: type count per kind, string count and bytes, header and\n"
		"section sizes, byte order and, for split BTF, the base it was read on.\n",
	.common = CLI_BASE | CLI_OUTPUT | CLI_JSON,
	.opts = (const struct cli_opt[]){
		{ "json", 'j', NULL, "print one JSON object (errors as {\"error\": ...})" },
		{ NULL, 0, NULL, NULL },
	},
	.min_args = 1,
	.max_args = 1,
	.run = stats_run,
};
