// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * btfkit dump: print BTF as bpftool's raw text, JSON or a C header. Output
 * is built in memory and written only when complete (no partial output).
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MAX_IDS 1024
#define MAX_FILES 65536

static void dump_usage(FILE *f)
{
	fprintf(f,
		"Usage: btfkit dump [OPTIONS] FILE...\n"
		"\n"
		"Print the types of FILE exactly as 'bpftool btf dump file FILE [format c]'\n"
		"does (raw text, JSON as 'bpftool -j', or a C header like vmlinux.h).\n"
		"For split BTF (with a base), raw and JSON print only the split's own\n"
		"types; C prints the base's types too unless --split-only is given.\n"
		"Several FILEs (C only) must be split BTF on one base: one header holds\n"
		"each of their types once.\n"
		"\n"
		"Options:\n"
		"  -B, --base FILE       base BTF for split BTF input (module .ko, sysfs module)\n"
		"  -f, --format FMT      output format: raw (default), c or json\n"
		"  -i, --id ID           only type ID (repeatable; like bpftool root_id);\n"
		"                        with -f c also everything it needs\n"
		"  -t, --types NAME,...  only the types with these names (\"struct X\", \"union X\",\n"
		"                        \"enum X\" or a plain name; repeatable); with -f c also\n"
		"                        everything they need, a header that compiles alone\n"
		"      --sort            types in newer bpftool's sorted order (all of them)\n"
		"      --split-only      C, split BTF: only the split's own types, for a header\n"
		"                        included after the base's header (same --sort)\n"
		"  -p, --pretty          JSON: indent like 'bpftool -p'\n"
		"  -o, --output FILE     write to FILE (atomically) instead of standard output\n"
		"  -v, --verbose         say which base BTF is used\n"
		"  -h, --help            show this help\n"
		"\n"
		"With -f json, errors are printed as {\"error\": \"FILE: message\"} on stdout.\n");
}

struct idlist {
	uint32_t *ids;
	size_t n, cap;
};

static int add_id(struct idlist *l, uint32_t id)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->ids[i] == id)
			return 0;
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 64;
		uint32_t *n = realloc(l->ids, ncap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		l->ids = n;
		l->cap = ncap;
	}
	l->ids[l->n++] = id;
	return 0;
}

/* Resolve "struct X" / "union X" / "enum X" / "X" to IDs; 0 or -ENOENT. */
static int add_named(struct idlist *l, const struct bk_btf *btf, const char *spec)
{
	static const struct { const char *pfx; int kind, kind2; } pfx[] = {
		{ "struct ", BK_KIND_STRUCT, -1 },
		{ "union ", BK_KIND_UNION, -1 },
		{ "enum ", BK_KIND_ENUM, BK_KIND_ENUM64 },
	};
	int kinds[2] = { -1, -2 };
	uint32_t buf[64];
	bool found = false;

	for (size_t i = 0; i < sizeof(pfx) / sizeof(pfx[0]); i++) {
		size_t n = strlen(pfx[i].pfx);

		if (!strncmp(spec, pfx[i].pfx, n)) {
			spec += n;
			kinds[0] = pfx[i].kind;
			kinds[1] = pfx[i].kind2;
			break;
		}
	}
	for (int k = 0; k < 2; k++) {
		int cnt;

		if (kinds[k] == -2 || (k == 1 && kinds[1] < 0))
			continue;
		cnt = bk_btf_find_all(btf, spec, kinds[k], buf, 64);
		if (cnt > 64)
			cnt = 64;
		for (int i = 0; i < cnt; i++) {
			unsigned kind = bk_kind(bk_btf_type(btf, buf[i]));

			/* plain names: the types a header can define */
			if (kinds[k] < 0 && kind != BK_KIND_STRUCT && kind != BK_KIND_UNION &&
			    kind != BK_KIND_ENUM && kind != BK_KIND_ENUM64 && kind != BK_KIND_TYPEDEF &&
			    kind != BK_KIND_FWD && kind != BK_KIND_INT && kind != BK_KIND_FLOAT)
				continue;
			if (add_id(l, buf[i]))
				return -ENOMEM;
			found = true;
		}
	}
	return found ? 0 : -ENOENT;
}

/* Include guard for --split-only: __<FILE BASENAME>_H__ in upper case. */
static char *guard_for(const char *path, size_t nfiles)
{
	const char *b = strrchr(path, '/');
	char *g, *p;

	b = b ? b + 1 : path;
	if (nfiles > 1)
		b = "btfkit_modules";
	g = malloc(strlen(b) + 8);
	if (!g)
		return NULL;
	p = g + sprintf(g, "__");
	for (; *b; b++)
		*p++ = isalnum((unsigned char)*b) ? (char)toupper((unsigned char)*b) : '_';
	strcpy(p, "_H__");
	return g;
}

int cmd_dump(int argc, char **argv)
{
	enum { OPT_SORT = 256, OPT_SPLIT_ONLY };
	static const struct option longopts[] = {
		{ "base", required_argument, NULL, 'B' },
		{ "format", required_argument, NULL, 'f' },
		{ "id", required_argument, NULL, 'i' },
		{ "types", required_argument, NULL, 't' },
		{ "sort", no_argument, NULL, OPT_SORT },
		{ "split-only", no_argument, NULL, OPT_SPLIT_ONLY },
		{ "pretty", no_argument, NULL, 'p' },
		{ "output", required_argument, NULL, 'o' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct bk_diag diag = { 0 };
	struct bk_dump_opts dopts = { .sz = sizeof(dopts), .format = BK_FORMAT_RAW, .diag = &diag };
	const char *base_path = NULL, *out_path = NULL;
	struct idlist ids = { 0 };
	char *names = NULL, *guard = NULL;
	size_t names_len = 0, nfiles = 0;
	struct bk_btf **btfs = NULL, *base = NULL;
	struct bk_membuf mb = { 0 };
	struct bk_sink sink = bk_sink_membuf(&mb);
	struct cli_out out;
	int c, err, ret = EXIT_BAD_INPUT;

	optind = 1;
	while ((c = getopt_long(argc, argv, "B:f:i:t:po:vh", longopts, NULL)) != -1) {
		switch (c) {
		case 'B':
			base_path = optarg;
			break;
		case 'f':
			if (!strcmp(optarg, "raw")) {
				dopts.format = BK_FORMAT_RAW;
			} else if (!strcmp(optarg, "c")) {
				dopts.format = BK_FORMAT_C;
			} else if (!strcmp(optarg, "json")) {
				dopts.format = BK_FORMAT_JSON;
				cli_json = 1;
			} else {
				ret = cli_usage_error("dump", "unknown format '%s' (expected raw, c or json)",
						      optarg);
				goto out;
			}
			break;
		case 'i': {
			char *end;
			unsigned long v;

			errno = 0;
			v = strtoul(optarg, &end, 0);
			if (errno || *end || !*optarg || v > UINT32_MAX || optarg[0] == '-') {
				ret = cli_usage_error("dump", "invalid type ID '%s'", optarg);
				goto out;
			}
			if (ids.n == MAX_IDS) {
				ret = cli_usage_error("dump", "at most %d --id options", MAX_IDS);
				goto out;
			}
			if (add_id(&ids, (uint32_t)v)) {
				cli_error(NULL, "out of memory");
				goto out;
			}
			break;
		}
		case 't': {
			size_t n = strlen(optarg);
			char *nn = realloc(names, names_len + n + 2);

			if (!nn) {
				cli_error(NULL, "out of memory");
				goto out;
			}
			names = nn;
			if (names_len)
				names[names_len++] = ',';
			memcpy(names + names_len, optarg, n + 1);
			names_len += n;
			break;
		}
		case OPT_SORT:
			dopts.sort = true;
			break;
		case OPT_SPLIT_ONLY:
			dopts.c_split_only = true;
			break;
		case 'p':
			dopts.pretty = true;
			break;
		case 'o':
			out_path = optarg;
			break;
		case 'v':
			cli_verbose = 1;
			break;
		case 'h':
			dump_usage(stdout);
			ret = EXIT_OK;
			goto out;
		default:
			ret = cli_bad_option("dump", "B:f:i:t:po:vh", argv);
			goto out;
		}
	}
	cli_json = dopts.format == BK_FORMAT_JSON;
	nfiles = (size_t)(argc - optind);
	if (!nfiles) {
		ret = cli_usage_error("dump", "missing FILE");
		goto out;
	}
	if (nfiles > MAX_FILES) {
		ret = cli_usage_error("dump", "at most %d FILEs", MAX_FILES);
		goto out;
	}
	if (nfiles > 1 && dopts.format != BK_FORMAT_C) {
		ret = cli_usage_error("dump", "several FILEs need --format c");
		goto out;
	}
	if (nfiles > 1 && (ids.n || names)) {
		ret = cli_usage_error("dump", "--id and --types take one FILE");
		goto out;
	}
	if (dopts.c_split_only && dopts.format != BK_FORMAT_C) {
		ret = cli_usage_error("dump", "--split-only needs --format c");
		goto out;
	}
	if (dopts.c_split_only && (ids.n || names)) {
		ret = cli_usage_error("dump", "--split-only prints all own types: no --id or --types");
		goto out;
	}

	btfs = calloc(nfiles, sizeof(*btfs));
	if (!btfs) {
		cli_error(NULL, "out of memory");
		goto out;
	}
	btfs[0] = cli_open(argv[optind], base_path, &base);
	if (!btfs[0])
		goto out;
	for (size_t k = 1; k < nfiles; k++) {
		struct bk_diag odiag = { 0 };
		struct bk_open_opts oo = { .sz = sizeof(oo), .base = base, .diag = &odiag };

		btfs[k] = bk_btf_open(argv[optind + k], &oo);
		if (!btfs[k]) {
			cli_error(argv[optind + k], "%s", odiag.msg[0] ? odiag.msg : strerror(errno));
			goto out;
		}
	}
	if (nfiles > 1 && !base) {
		cli_error(argv[optind], "several FILEs need a base BTF (-B)");
		goto out;
	}
	if (dopts.c_split_only && !base) {
		cli_error(argv[optind], "--split-only needs split BTF and its base (-B)");
		goto out;
	}
	for (size_t i = 0; i < ids.n; i++) {
		if (ids.ids[i] >= bk_btf_type_cnt(btfs[0])) {
			cli_error(argv[optind], "type ID %u out of range (last ID is %u)", ids.ids[i],
				  bk_btf_type_cnt(btfs[0]) - 1);
			goto out;
		}
	}
	if (names) {
		for (char *tok = strtok(names, ","); tok; tok = strtok(NULL, ",")) {
			while (*tok == ' ')
				tok++;
			if (!*tok)
				continue;
			err = add_named(&ids, btfs[0], tok);
			if (err == -ENOENT) {
				cli_error(argv[optind], "no type named '%s'", tok);
				goto out;
			} else if (err) {
				cli_error(NULL, "out of memory");
				goto out;
			}
		}
		if (!ids.n) {
			ret = cli_usage_error("dump", "--types: no names given");
			goto out;
		}
	}
	dopts.ids = ids.ids;
	dopts.nr_ids = ids.n;
	if (dopts.c_split_only) {
		guard = guard_for(argv[optind], nfiles);
		if (!guard) {
			cli_error(NULL, "out of memory");
			goto out;
		}
		dopts.c_guard = guard;
	}
	if (nfiles > 1)
		err = bk_dump_c_modules(btfs, nfiles, &sink, &dopts);
	else
		err = bk_dump(btfs[0], &sink, &dopts);
	if (err) {
		if (diag.msg[0])
			cli_error(argv[optind], "%s", diag.msg);
		else
			cli_error(argv[optind], "dump failed: %s", bk_strerror(err));
		goto out;
	}
	if (cli_out_open(&out, out_path))
		goto out;
	if (mb.len && fwrite(mb.data, 1, mb.len, out.f) != mb.len) {
		cli_error(out_path ? out_path : "standard output", "write failed: %s", strerror(errno));
		cli_out_abort(&out);
		goto out;
	}
	if (cli_out_commit(&out))
		goto out;
	ret = EXIT_OK;
out:
	for (size_t k = btfs ? nfiles : 0; k-- > 0;)
		bk_btf_free(btfs[k]);
	free(btfs);
	bk_btf_free(base);
	free(ids.ids);
	free(names);
	free(guard);
	free(mb.data);
	return ret;
}
