// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* btfkit list: the running kernel's BTF objects, as 'bpftool btf list' prints them (bk_live_btf_list). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "btfkit/live.h"
#include "cli.h"

static void ids(FILE *f, const char *label, const uint32_t *v, uint32_t n, bool json)
{
	if (json) {
		fprintf(f, ",\"%s\":[", label);
		for (uint32_t i = 0; i < n; i++)
			fprintf(f, "%s%u", i ? "," : "", v[i]);
		fputc(']', f);
		return;
	}
	for (uint32_t i = 0; i < n; i++)
		fprintf(f, "%s%u", i ? "," : label, v[i]);
}

static int list_run(struct cli *c)
{
	struct bk_live_btf *l;
	struct cli_out out;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;
	int n = bk_live_btf_list(&l);

	if (n < 0) {
		cli_error(NULL, "cannot list the kernel's BTF objects: %s%s", strerror(-n),
			  n == -EPERM ? " (bpf() needs CAP_BPF or root)" : "");
		return EXIT_BAD_INPUT;
	}
	if (cli_out_open(&out, c->out_path)) {
		bk_live_btf_free(l, n);
		return EXIT_BAD_INPUT;
	}
	f = c->json ? open_memstream(&buf, &len) : out.f;
	if (!f) {
		cli_error(NULL, "out of memory");
		cli_out_abort(&out);
		bk_live_btf_free(l, n);
		return EXIT_BAD_INPUT;
	}
	if (c->json)
		fputc('[', f);
	for (int i = 0; i < n; i++) {
		const struct bk_live_btf *b = &l[i];

		if (c->json) {
			fprintf(f, "%s{\"id\":%u,\"size\":%u", i ? "," : "", b->id, b->size);
			ids(f, "prog_ids", b->prog_ids, b->nr_progs, true);
			ids(f, "map_ids", b->map_ids, b->nr_maps, true);
			fprintf(f, ",\"kernel\":%s", b->kernel ? "true" : "false");
			if (b->name[0]) {
				struct bk_sink s = bk_sink_file(f);

				fputs(",\"name\":", f);
				bk_json_string(&s, b->name);
			}
			if (b->base_id)
				fprintf(f, ",\"base_id\":%u", b->base_id);
			fputc('}', f);
			continue;
		}
		fprintf(f, "%u: ", b->id);
		if (b->kernel)
			fprintf(f, "name [%s]  ", b->name);
		else if (b->name[0])
			fprintf(f, "name %s  ", b->name);
		else
			fprintf(f, "name <anon>  ");
		fprintf(f, "size %uB", b->size);
		ids(f, "  prog_ids ", b->prog_ids, b->nr_progs, false);
		ids(f, "  map_ids ", b->map_ids, b->nr_maps, false);
		if (b->base_id)
			fprintf(f, "  base %u", b->base_id);
		fputc('\n', f);
	}
	if (c->json) {
		fputc(']', f);
		if (fclose(f)) {
			cli_error(NULL, "out of memory");
			free(buf);
			cli_out_abort(&out);
			bk_live_btf_free(l, n);
			return EXIT_BAD_INPUT;
		}
		cli_print_json(out.f, buf, c->pretty);
		fputc('\n', out.f);
		free(buf);
	}
	bk_live_btf_free(l, n);
	return cli_out_commit(&out) ? EXIT_BAD_INPUT : EXIT_OK;
}

const struct cli_cmd cmd_list = {
	.name = "list",
	.summary = "list the running kernel's BTF objects (IDs, names, sizes, bases)",
	.synopsis = "[OPTIONS]",
	.description =
		"Print the BTF objects the running kernel holds, as 'bpftool btf list' does:\n"
		"  ID: name [vmlinux]  size NB\n"
		"  ID: name [MODULE]  size NB  base ID\n"
		"  ID: name <anon>  size NB  prog_ids ID,...  map_ids ID,...\n"
		"The ID is what BPF programs pass to the kernel (btf_obj_fd, btf_id); kernel\n"
		"objects (vmlinux, modules) have their name in brackets; a module's BTF is\n"
		"split BTF on vmlinux, whose ID is its base. Needs bpf() privileges (root).\n",
	.common = CLI_OUTPUT | CLI_JSON,
	.opts = (const struct cli_opt[]){
		{ "json", 'j', NULL, "print the list as 'bpftool -j btf list' does, with base_id" },
		{ NULL, 0, NULL, NULL },
	},
	.min_args = 0,
	.max_args = 0,
	.run = list_run,
};
