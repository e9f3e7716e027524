// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * btfkit encode: generate BTF from the DWARF of an ELF file, as pahole -J
 * does (the library's bk_btf_encode does the work), to a raw BTF file or,
 * with --embed, into FILE's own .BTF section. With -B the output is
 * split BTF on BASE holding only what BASE lacks (a kernel module on
 * vmlinux). -v prints, one per line, each function left without a FUNC
 * and why, and each function known only by a clone symbol that got one.
 */
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "btfkit/encode.h"
#include "cli.h"

struct encode_opts {
	const char *features;
	const char *lang_exclude;
	bool embed;
};

enum { OPT_FEATURES, OPT_LANG_EXCLUDE, OPT_EMBED };

static int encode_option(struct cli *c, int key, const char *arg)
{
	struct encode_opts *o = c->opts;
	struct bk_diag diag = { 0 };
	uint32_t f;

	switch (key) {
	case CLI_LONG(OPT_FEATURES):
		if (bk_encode_parse_features(arg, &f, &diag))
			return cli_usage_error("encode", "--features: %s", diag.msg);
		o->features = arg;
		return 0;
	case CLI_LONG(OPT_LANG_EXCLUDE):
		o->lang_exclude = arg;
		return 0;
	case CLI_LONG(OPT_EMBED):
		o->embed = true;
		return 0;
	}
	return 0;
}

static void encode_log(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "btfkit: encode: %s\n", msg);
}

/*
 * With worker threads, let the process reuse the memory it frees. glibc
 * gives each thread its own arena, so what a batch's worker frees is not
 * what the merging thread's next array gets, and arrays over the (moving)
 * mmap threshold are unmapped on free and mapped afresh: every page of them
 * faults again, and page faults are what this program's time goes to on a
 * virtual machine. One arena, arrays under 4 MiB from the heap and no trim
 * below 256 MiB: xfs.ko on vmlinux at -j2 went from 0.33-0.38 s to
 * 0.25-0.29 s, peak RSS from 38 to 40 MiB (vmlinux: unchanged, 1.6-1.8 s).
 * One thread gains little (0.33 to 0.32 s) for 6 MiB more, so it keeps the
 * defaults. Process-wide settings: the program's choice, not the library's.
 */
static void tune_malloc(unsigned jobs)
{
#if defined(M_ARENA_MAX) && defined(M_MMAP_THRESHOLD) && defined(M_TRIM_THRESHOLD)
	if (jobs <= 1)
		return;
	mallopt(M_ARENA_MAX, 1);
	mallopt(M_MMAP_THRESHOLD, 4 << 20);
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
#else
	(void)jobs;
#endif
}

static int encode_run(struct cli *c)
{
	const struct encode_opts *o = c->opts;
	struct bk_diag diag = { 0 };
	struct bk_encode_opts eo = { .sz = sizeof(eo), .jobs = c->jobs, .diag = &diag };
	struct bk_btf *btf;
	bool err;
	int ret;

	if (o->embed == (c->out_path != NULL))
		return cli_usage_error("encode", o->embed ? "-o and --embed exclude each other"
							  : "missing output: -o OUT or --embed");
	eo.base = cli_base_for(c, c->args[0], &err);
	if (err)
		return EXIT_BAD_INPUT;
	if (o->features) {
		bk_encode_parse_features(o->features, &eo.features, NULL);
		if (!eo.features)
			eo.features = BK_ENC_NONE;
	}
	eo.lang_exclude = o->lang_exclude;
	if (c->verbose)
		eo.log = encode_log;
	tune_malloc(c->jobs);
	btf = bk_btf_encode(c->args[0], &eo);
	if (!btf) {
		cli_error(c->args[0], "%s", diag.msg[0] ? diag.msg : bk_strerror(-errno));
		return EXIT_BAD_INPUT;
	}
	if (c->verbose)
		fprintf(stderr, "btfkit: encode: %u types\n", bk_btf_nr_own_types(btf));
	if (o->embed)
		ret = cli_elf_write(c->args[0], c->args[0], btf, ".BTF", NULL, 0) ? EXIT_BAD_INPUT : EXIT_OK;
	else
		ret = cli_write_btf(btf, c->out_path, c->out_path) ? EXIT_BAD_INPUT : EXIT_OK;
	bk_btf_free(btf);
	return ret;
}

const struct cli_cmd cmd_encode = {
	.name = "encode",
	.summary = "generate BTF from an ELF file's DWARF (as pahole -J)",
	.synopsis = "[OPTIONS] (-o OUT | --embed) FILE",
	.description =
		"Generate BTF from the DWARF of FILE (a vmlinux, a kernel module, a\n"
		"user-space program or object) and write it to OUT as raw BTF, or (--embed)\n"
		"into FILE's .BTF section, in place and atomically. Every type of\n"
		"every unit is encoded and the units' types deduplicated; functions get a\n"
		"FUNC by the current kernel build's rules, per-CPU variables a VAR in a\n"
		"DATASEC .data..percpu. With -B, OUT is split BTF on BASE holding only what\n"
		"BASE lacks (a kernel module on vmlinux). The output is the same for any -j.\n",
	.epilog =
		"Features (pahole's --btf_features names; all are on by default):\n"
		"  encode_force    skip what cannot be encoded instead of failing\n"
		"  var             per-CPU variables (VAR, DATASEC .data..percpu)\n"
		"  float           floating-point types as FLOAT\n"
		"  decl_tag        btf_decl_tag annotations as DECL_TAG\n"
		"  type_tag        btf_type_tag annotations as TYPE_TAG\n"
		"  enum64          enums over 4 bytes as ENUM64\n"
		"  optimized_func  functions known only by a clone symbol (foo.isra.0)\n"
		"  consistent_func skip functions with inconsistent prototypes, moved or\n"
		"                  lost parameters, or several definitions of one name\n"
		"LIST items apply in order: NAME or +NAME adds, -NAME removes, 'default' and\n"
		"'all' add those sets. A LIST starting with a bare NAME starts from no\n"
		"feature (as pahole's --btf_features); pahole 1.24 with the kernel 6.1 flags\n"
		"is --features var,float,decl_tag,type_tag,enum64.\n",
	.common = CLI_BASE | CLI_OUTPUT | CLI_JOBS,
	.opts = (const struct cli_opt[]){
		{ "base", 'B', "BASE", "base BTF: OUT is split BTF on it" },
		{ "jobs", 'j', "N", "encode with N threads (default 1)" },
		{ "features", CLI_LONG(OPT_FEATURES), "LIST", "encoder features, comma-separated (below)" },
		{ "lang-exclude", CLI_LONG(OPT_LANG_EXCLUDE), "LANGS",
		  "skip units of these languages (pahole's names:\n"
		  "rust, c++, c89, ...; default rust, '' none)" },
		{ "output", 'o', "OUT", "write raw BTF to OUT (atomically; '-' standard output)" },
		{ "embed", CLI_LONG(OPT_EMBED), NULL, "write the BTF into FILE's .BTF section instead\n"
						      "(replaced or added; every other section kept)" },
		{ "verbose", 'v', NULL, "print each function left without a FUNC and why" },
		{ NULL, 0, NULL, NULL },
	},
	.opts_size = sizeof(struct encode_opts),
	.option = encode_option,
	.min_args = 1,
	.max_args = 1,
	.run = encode_run,
};
