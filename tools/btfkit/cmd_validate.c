// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * btfkit validate: check BTF against the kernel's loader rules and list
 * every problem. Text mode prints one "btfkit: FILE: message (where)" line
 * per problem on stderr and nothing when the file is clean; --json prints
 * one JSON object on stdout either way. Exit 0 clean, 1 problems (or
 * unreadable input), 2 bad usage.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "btfkit/validate.h"
#include "cli.h"


static void validate_usage(FILE *f)
{
	fprintf(f,
		"Usage: btfkit validate [OPTIONS] FILE\n"
		"\n"
		"Check FILE with the rules of the Linux kernel's BTF loader (what\n"
		"BPF_BTF_LOAD checks for base BTF; for split BTF given with -B, what the\n"
		"kernel checks for module BTF on vmlinux, plus the resolve pass) and list\n"
		"every problem, one per line on stderr:\n"
		"  btfkit: FILE: MESSAGE (type [ID] KIND 'NAME', member N, byte offset X)\n"
		"MESSAGE is the kernel's wording. Nothing is printed when FILE is clean.\n"
		"Input that cannot be parsed at all gives one line with the reason.\n"
		"\n"
		"Options:\n"
		"  -B, --base FILE     base BTF for split BTF input\n"
		"      --kernel-module for split BTF, skip the resolve pass as the kernel\n"
		"                      does when it loads module BTF\n"
		"  -j, --json          print {\"file\":..., \"valid\":..., \"problems\":[...]}\n"
		"                      on stdout instead (each problem: type_id, kind, name,\n"
		"                      member, byte_offset, error, message; null when absent)\n"
		"  -h, --help          show this help\n"
		"\n"
		"Exit status: 0 valid, 1 problems found or unreadable input, 2 bad usage.\n");
}

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static const char *err_name(int err)
{
	switch (-err) {
	case EINVAL: return "EINVAL";
	case E2BIG: return "E2BIG";
	case EEXIST: return "EEXIST";
	case ELOOP: return "ELOOP";
	case ENOMEM: return "ENOMEM";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case 524: return "ENOTSUPP";
	default: return "EINVAL";
	}
}

struct vstate {
	const char *path;
	bool json;
	int n;
};

static void json_problem(struct vstate *s, const struct bk_problem *p)
{
	printf("%s\n    {\"type_id\": ", s->n ? "," : "");
	if (p->type_id)
		printf("%u, \"kind\": \"%s\", \"name\": ", p->type_id, bk_kind_name(p->kind));
	else
		printf("null, \"kind\": null, \"name\": ");
	if (p->name)
		json_str(p->name);
	else
		printf("null");
	printf(", \"member\": ");
	if (p->member >= 0)
		printf("%ld", p->member);
	else
		printf("null");
	printf(", \"byte_offset\": ");
	if (p->byte_offset >= 0)
		printf("%lld", p->byte_offset);
	else
		printf("null");
	printf(", \"error\": \"%s\", \"message\": ", err_name(p->err));
	json_str(p->msg);
	putchar('}');
}

static int on_problem(const struct bk_problem *p, void *ctx)
{
	struct vstate *s = ctx;
	char where[256];

	if (s->json) {
		json_problem(s, p);
	} else if (bk_problem_where(p, where, sizeof(where)) > 0) {
		cli_error(s->path, "%s (%s)", p->msg, where);
	} else {
		cli_error(s->path, "%s", p->msg);
	}
	s->n++;
	return 0;
}

static void json_begin(const char *path)
{
	printf("{\"file\": ");
	json_str(path);
	printf(", \"problems\": [");
}

static void json_end(bool valid, int n)
{
	printf("%s], \"valid\": %s}\n", n ? "\n  " : "", valid ? "true" : "false");
}

int cmd_validate(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "base", required_argument, NULL, 'B' },
		{ "json", no_argument, NULL, 'j' },
		{ "kernel-module", no_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct vstate st = { 0 };
	struct bk_validate_opts vopts = { .sz = sizeof(vopts), .cb = on_problem, .ctx = &st };
	struct bk_diag diag = { 0 };
	struct bk_open_opts oopts = { .sz = sizeof(oopts), .diag = &diag };
	const char *base_path = NULL, *path;
	struct bk_btf *btf, *base = NULL;
	int c, n, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "B:jh", longopts, NULL)) != -1) {
		switch (c) {
		case 'B':
			base_path = optarg;
			break;
		case 'j':
			st.json = true;
			break;
		case 'K':
			vopts.flags |= BK_VALIDATE_KERNEL_MODULE;
			break;
		case 'h':
			validate_usage(stdout);
			return EXIT_OK;
		default:
			return cli_usage_error("validate", "invalid option");
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("validate", argc - optind ? "expected one FILE" : "missing FILE");
	path = st.path = argv[optind];
	if (!base_path)
		base_path = cli_sysfs_default_base(path);
	if (base_path) {
		base = bk_btf_open(base_path, &oopts);
		if (!base) {
			cli_error(base_path, "%s", diag.msg[0] ? diag.msg : strerror(errno));
			return EXIT_BAD_INPUT;
		}
	}
	oopts.base = base;
	btf = bk_btf_open(path, &oopts);
	if (!btf) {
		/* Not even parseable: the parser's reason is the one problem. */
		const char *msg = diag.msg[0] ? diag.msg : strerror(errno);

		if (st.json) {
			json_begin(path);
			printf("\n    {\"type_id\": null, \"kind\": null, \"name\": null, \"member\": null, \"byte_offset\": null, \"error\": \"%s\", \"message\": ",
			       err_name(diag.err ? diag.err : -errno));
			json_str(msg);
			putchar('}');
			json_end(false, 1);
			fflush(stdout);
		} else {
			cli_error(path, "%s", msg);
		}
		bk_btf_free(base);
		return EXIT_BAD_INPUT;
	}
	if (st.json)
		json_begin(path);
	n = bk_btf_validate(btf, &vopts);
	if (st.json)
		json_end(n == 0, st.n);
	if (n < 0)
		cli_error(path, "validation failed: %s", bk_strerror(n));
	ret = n == 0 ? EXIT_OK : EXIT_BAD_INPUT;
	bk_btf_free(btf);
	bk_btf_free(base);
	if (fflush(stdout) || ferror(stdout)) {
		cli_error(NULL, "error writing standard output");
		return EXIT_BAD_INPUT;
	}
	return ret;
}
