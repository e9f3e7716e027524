// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The one option parser of the CLI, and --help generated from the same
 * tables, so a command's help always lists exactly what it accepts.
 *
 * A command's options are the common ones its cli_cmd.common selects (plus
 * -v and -h, which every command takes) and its own table. The parser
 * follows getopt_long's conventions (options anywhere, clusters, attached
 * or separate arguments, --name=value, unique prefixes of long names, "--"
 * ends options, "-" is an operand) with its messages, except that a
 * missing argument is always reported as such (getopt says "invalid
 * option '-B'" for a trailing "-pB"). One extension: where a command takes
 * both CLI_JSON and CLI_JOBS, -j followed by a number (-j4, -j 4) is the
 * thread count and -j alone is --json, as with make's -j.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Keys the parser uses for the common options (own options are >= 0). */
enum {
	K_BASE = -1,
	K_OUTPUT = -2,
	K_JSON = -3,
	K_PRETTY = -4,
	K_JOBS = -5,
	K_QUIET = -6,
	K_VERBOSE = -7,
	K_HELP = -8,
};

struct opt {
	const char *name;
	int shortc; /* option letter, or 0 */
	int key;
	const char *arg;
	const char *help;
};

/* The common options, in the order --help lists them after a command's own. */
static const struct {
	unsigned flag; /* 0: every command */
	struct opt o;
} common[] = {
	{ CLI_BASE, { "base", 'B', K_BASE, "FILE",
		      "base BTF of split BTF input (default for a module\n"
		      "in /sys/kernel/btf: its vmlinux)" } },
	{ CLI_OUTPUT, { "output", 'o', K_OUTPUT, "FILE",
			"write to FILE atomically instead of standard output ('-')" } },
	{ CLI_JSON, { "json", 'j', K_JSON, NULL, "JSON output (errors as {\"error\": ...} on stdout)" } },
	{ CLI_JSON, { "pretty", 'p', K_PRETTY, NULL, "indented JSON (implies --json)" } },
	{ CLI_JOBS, { "jobs", 'j', K_JOBS, "N", "threads (default: one per core)" } },
	{ CLI_QUIET, { "quiet", 'q', K_QUIET, NULL, "print nothing; only the exit status tells" } },
	{ 0, { "verbose", 'v', K_VERBOSE, NULL, "say which base BTF is used" } },
	{ 0, { "help", 'h', K_HELP, NULL, "show this help" } },
};
#define NR_COMMON (sizeof(common) / sizeof(common[0]))
#define MAX_OPTS 64
#define MAX_JOBS 1024
/* apply()'s status after --help: stop, exit 0 */
#define HELP_SHOWN 1000

static unsigned enabled_common(const struct cli_cmd *cmd)
{
	unsigned f = cmd->common;

	if (f & CLI_OUTPUT_REQUIRED)
		f |= CLI_OUTPUT;
	return f;
}

/*
 * The command's options in --help order: -B first, then its own table (an
 * entry named like a common option places that option there, with the
 * entry's help), then the remaining common options. Returns the count.
 */
static size_t build_opts(const struct cli_cmd *cmd, struct opt *out)
{
	unsigned f = enabled_common(cmd);
	bool placed[NR_COMMON] = { false };
	size_t n = 0;

	for (size_t k = 0; k < NR_COMMON; k++) {
		bool overridden = false;

		if (common[k].flag && !(f & common[k].flag))
			placed[k] = true;
		for (const struct cli_opt *o = cmd->opts; o && o->name; o++)
			overridden |= !strcmp(o->name, common[k].o.name);
		if (!placed[k] && common[k].o.key == K_BASE && !overridden) {
			out[n++] = common[k].o;
			placed[k] = true;
		}
	}
	for (const struct cli_opt *o = cmd->opts; o && o->name && n < MAX_OPTS - NR_COMMON; o++) {
		size_t k;

		for (k = 0; k < NR_COMMON; k++)
			if (!strcmp(o->name, common[k].o.name))
				break;
		if (k < NR_COMMON) {
			if (placed[k])
				continue; /* not enabled, or listed twice */
			out[n] = common[k].o;
			out[n].help = o->help;
			if (o->arg)
				out[n].arg = o->arg;
			placed[k] = true;
		} else {
			out[n] = (struct opt){ o->name, o->key < 256 ? o->key : 0, o->key, o->arg, o->help };
		}
		n++;
	}
	for (size_t k = 0; k < NR_COMMON; k++)
		if (!placed[k])
			out[n++] = common[k].o;
	return n;
}

/* ---- --help ---------------------------------------------------------------- */

static int opt_left(const struct opt *o, char *buf, size_t size)
{
	int n;

	if (o->shortc)
		n = snprintf(buf, size, "  -%c, --%s", o->shortc, o->name);
	else
		n = snprintf(buf, size, "      --%s", o->name);
	if (o->arg && n >= 0 && (size_t)n < size)
		n += snprintf(buf + n, size - (size_t)n, " %s", o->arg);
	return n;
}

void cli_help(const struct cli_cmd *cmd, FILE *f)
{
	struct opt opts[MAX_OPTS];
	size_t n = build_opts(cmd, opts);
	int width = 0;
	char left[128];

	fprintf(f, "Usage: btfkit %s %s\n", cmd->name, cmd->synopsis);
	if (cmd->description)
		fprintf(f, "\n%s", cmd->description);
	fprintf(f, "\nOptions:\n");
	for (size_t i = 0; i < n; i++) {
		int w = opt_left(&opts[i], left, sizeof(left));

		if (w > width && w <= 26)
			width = w;
	}
	width += 2;
	for (size_t i = 0; i < n; i++) {
		int w = opt_left(&opts[i], left, sizeof(left));

		if (w + 2 > width)
			fprintf(f, "%s\n%*s", left, width, "");
		else
			fprintf(f, "%-*s", width, left);
		for (const char *h = opts[i].help; *h; h++) {
			fputc(*h, f);
			if (*h == '\n')
				fprintf(f, "%*s", width, "");
		}
		fputc('\n', f);
	}
	if (cmd->epilog)
		fprintf(f, "\n%s", cmd->epilog);
}

/* ---- parsing --------------------------------------------------------------- */

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* Look up --name (name_len bytes): exact match, else a unique prefix. */
static const struct opt *find_long(const struct cli_cmd *cmd, const struct opt *opts, size_t n,
				   const char *arg, size_t name_len, int *ret)
{
	const struct opt *hit = NULL;
	size_t nhits = 0;

	for (size_t i = 0; i < n; i++)
		if (strlen(opts[i].name) == name_len && !strncmp(opts[i].name, arg + 2, name_len))
			return &opts[i];
	for (size_t i = 0; i < n; i++) {
		if (!strncmp(opts[i].name, arg + 2, name_len)) {
			hit = &opts[i];
			nhits++;
		}
	}
	if (nhits == 1)
		return hit;
	if (!nhits) {
		*ret = cli_usage_error(cmd->name, "unrecognized option '--%.*s'", (int)name_len, arg + 2);
	} else {
		char list[512];
		size_t len = 0;

		list[0] = '\0';
		for (size_t i = 0; i < n && len < sizeof(list); i++)
			if (!strncmp(opts[i].name, arg + 2, name_len))
				len += (size_t)snprintf(list + len, sizeof(list) - len, " '--%s'", opts[i].name);
		*ret = cli_usage_error(cmd->name, "option '--%.*s' is ambiguous; possibilities:%s",
				       (int)name_len, arg + 2, list);
	}
	return NULL;
}

static const struct opt *find_short(const struct opt *opts, size_t n, int ch, int key_not)
{
	for (size_t i = 0; i < n; i++)
		if (opts[i].shortc == ch && opts[i].key != key_not)
			return &opts[i];
	return NULL;
}

/* Apply one option; 0 to go on, HELP_SHOWN after --help, else the exit status. */
static int apply(struct cli *c, const struct opt *o, const char *arg, const char *spelling)
{
	const struct cli_cmd *cmd = c->cmd;

	switch (o->key) {
	case K_BASE:
		c->base_path = arg;
		return 0;
	case K_OUTPUT:
		c->out_path = arg;
		return 0;
	case K_JSON:
		c->json = true;
		return 0;
	case K_PRETTY:
		c->json = c->pretty = true;
		return 0;
	case K_JOBS: {
		char *end;
		unsigned long v;

		errno = 0;
		v = strtoul(arg, &end, 10);
		if (errno || *end || !all_digits(arg) || v < 1 || v > MAX_JOBS)
			return cli_usage_error(cmd->name, "option '%s' wants a thread count from 1 to %d, not '%s'",
					       spelling, MAX_JOBS, arg);
		c->jobs = (unsigned)v;
		return 0;
	}
	case K_QUIET:
		c->quiet = true;
		return 0;
	case K_VERBOSE:
		c->verbose++;
		cli_verbose = c->verbose;
		return 0;
	case K_HELP:
		cli_help(cmd, stdout);
		return HELP_SHOWN;
	default:
		return cmd->option ? cmd->option(c, o->key, arg) : 0;
	}
}

/* One cluster of short options ("-vpB", "-Bfile", "-j4"); advances *i past arguments taken. */
static int parse_short(struct cli *c, const struct opt *opts, size_t n, int argc, char **argv,
		       int *i)
{
	const struct cli_cmd *cmd = c->cmd;
	unsigned f = enabled_common(cmd);
	char spelling[3] = "-?";

	for (const char *p = argv[*i] + 1; *p; p++) {
		const struct opt *o;
		const char *arg = NULL;
		int ret;

		spelling[1] = *p;
		if (*p == 'j' && (f & CLI_JOBS)) {
			/* -jN / -j N: threads; -j alone: JSON where the command has it */
			if (all_digits(p + 1)) {
				arg = p + 1;
			} else if (!p[1] && *i + 1 < argc && all_digits(argv[*i + 1])) {
				arg = argv[++*i];
			} else if (!(f & CLI_JSON)) {
				if (p[1])
					arg = p + 1;
				else if (*i + 1 < argc)
					arg = argv[++*i];
				else
					return cli_usage_error(cmd->name, "option '-j' requires an argument");
			}
			o = find_short(opts, n, 'j', arg ? K_JSON : K_JOBS);
			ret = apply(c, o, arg, spelling);
			if (ret || arg)
				return ret;
			continue;
		}
		o = find_short(opts, n, (unsigned char)*p, 0);
		if (!o)
			return cli_usage_error(cmd->name, "invalid option '-%c'", *p);
		if (o->arg) {
			if (p[1])
				arg = p + 1;
			else if (*i + 1 < argc)
				arg = argv[++*i];
			else
				return cli_usage_error(cmd->name, "option '-%c' requires an argument", *p);
		}
		ret = apply(c, o, arg, spelling);
		if (ret || o->arg)
			return ret;
	}
	return 0;
}

static int parse_long(struct cli *c, const struct opt *opts, size_t n, int argc, char **argv,
		      int *i)
{
	const char *a = argv[*i], *eq = strchr(a, '=');
	size_t name_len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
	const char *arg = NULL;
	char spelling[80];
	int ret = EXIT_USAGE;
	const struct opt *o = find_long(c->cmd, opts, n, a, name_len, &ret);

	if (!o)
		return ret;
	snprintf(spelling, sizeof(spelling), "--%s", o->name);
	if (!o->arg && eq)
		return cli_usage_error(c->cmd->name, "option '%s' doesn't allow an argument", spelling);
	if (o->arg) {
		if (eq)
			arg = eq + 1;
		else if (*i + 1 < argc)
			arg = argv[++*i];
		else
			return cli_usage_error(c->cmd->name, "option '%s' requires an argument", spelling);
	}
	return apply(c, o, arg, spelling);
}

/* Parse argv for c->cmd into c; -1 to run the command, else the exit status. */
static int parse(struct cli *c, int argc, char **argv)
{
	const struct cli_cmd *cmd = c->cmd;
	const char *what = cmd->arg_name ? cmd->arg_name : "FILE";
	struct opt opts[MAX_OPTS];
	size_t n = build_opts(cmd, opts);
	bool done = false;
	int ret;

	c->args = calloc((size_t)argc + 1, sizeof(*c->args));
	if (cmd->opts_size)
		c->opts = calloc(1, cmd->opts_size);
	if (!c->args || (cmd->opts_size && !c->opts)) {
		cli_error(NULL, "out of memory");
		return EXIT_BAD_INPUT;
	}
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (done || a[0] != '-' || !a[1]) {
			c->args[c->nargs++] = argv[i];
			continue;
		}
		if (!strcmp(a, "--")) {
			done = true;
			continue;
		}
		ret = a[1] == '-' ? parse_long(c, opts, n, argc, argv, &i)
				  : parse_short(c, opts, n, argc, argv, &i);
		if (ret)
			return ret == HELP_SHOWN ? EXIT_OK : ret;
	}
	if (c->nargs < cmd->min_args)
		return c->nargs && cmd->min_args > 1
			       ? cli_usage_error(cmd->name, "expected at least %d %ss", cmd->min_args, what)
			       : cli_usage_error(cmd->name, "missing %s", what);
	if (cmd->max_args >= 0 && c->nargs > cmd->max_args)
		return cmd->max_args == 1
			       ? cli_usage_error(cmd->name, "expected one %s", what)
			       : cli_usage_error(cmd->name, "at most %d %ss", cmd->max_args, what);
	if ((cmd->common & CLI_OUTPUT_REQUIRED) && !c->out_path)
		return cli_usage_error(cmd->name, "missing output file (-o OUT)");
	/* standard input can be read once: '-' as two operands, or as -B and an operand */
	for (int k = 0, seen = c->base_path && !strcmp(c->base_path, "-"); k < c->nargs; k++)
		if (!strcmp(c->args[k], "-") && seen++)
			return cli_usage_error(cmd->name, "standard input ('-') given more than once");
	if (c->json)
		cli_json = 1;
	return -1;
}

/* Bases opened by the input path (cli_input.c). */
void cli__free_bases(struct cli *c);

int cli_main(const struct cli_cmd *cmd, int argc, char **argv)
{
	struct cli c = { .cmd = cmd };
	int ret = parse(&c, argc, argv);

	if (ret < 0)
		ret = cmd->run(&c);
	cli__free_bases(&c);
	free(c.args);
	free(c.opts);
	if (fflush(stdout) || ferror(stdout)) {
		int err = errno ? errno : EIO;

		cli_json = 0; /* standard output is what failed */
		cli_error("standard output", "write failed: %s", strerror(err));
		if (ret == EXIT_OK)
			ret = EXIT_BAD_INPUT;
	}
	return ret;
}
