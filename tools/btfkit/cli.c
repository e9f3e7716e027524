// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * CLI error reporting: "btfkit: FILE: message" on stderr for bad input and
 * I/O errors, "btfkit CMD: message" plus a pointer to --help for usage
 * errors, and {"error":"FILE: message"} on standard output instead when
 * the command prints JSON (cli_json), so a JSON consumer sees the error.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_verbose;
int cli_json;

/* Per-thread capture of messages (cli_capture): NULL means stdout/stderr. */
static _Thread_local FILE *cap_out, *cap_err;

void cli_capture(FILE *out, FILE *err)
{
	cap_out = out;
	cap_err = err;
}

FILE *cli_err_stream(void)
{
	return cap_err ? cap_err : stderr;
}

/* {"error":"FILE: message"} on stdout, the JSON string escaped by the library. */
static void json_error(const char *file, const char *fmt, va_list ap)
{
	char msg[1024];
	FILE *out = cap_out ? cap_out : stdout;
	struct bk_sink sink = bk_sink_file(out);
	int n = 0;

	if (file)
		n = snprintf(msg, sizeof(msg), "%s: ", file);
	if (n < 0 || (size_t)n >= sizeof(msg))
		n = 0;
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	fputs("{\"error\":", out);
	bk_json_string(&sink, msg);
	fputs("}\n", out);
	fflush(out);
}

void cli_error(const char *file, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (cli_json) {
		json_error(file, fmt, ap);
		va_end(ap);
		return;
	}
	if (!cap_err)
		fflush(stdout);
	if (file)
		fprintf(cli_err_stream(), "btfkit: %s: ", file);
	else
		fprintf(cli_err_stream(), "btfkit: ");
	vfprintf(cli_err_stream(), fmt, ap);
	va_end(ap);
	fputc('\n', cli_err_stream());
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	const struct cli_cmd *c = cli_find_cmd(cmd);
	va_list ap;

	va_start(ap, fmt);
	if (cli_json) {
		json_error(cmd, fmt, ap);
		va_end(ap);
		return EXIT_USAGE;
	}
	fprintf(stderr, "btfkit%s%s: ", cmd ? " " : "", cmd ? cmd : "");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (c)
		fprintf(stderr, "\nUsage: btfkit %s %s", c->name, c->synopsis);
	else
		fprintf(stderr, "\nUsage: btfkit [GLOBAL OPTIONS] COMMAND [OPTIONS] FILE...");
	fprintf(stderr, "\nTry 'btfkit %s%s--help' for more information.\n", cmd ? cmd : "",
		cmd ? " " : "");
	return EXIT_USAGE;
}

/*
 * Print compact JSON text, or with pretty the same re-indented in the
 * style of bpftool -p (its json_writer): object members one per line,
 * indented four spaces per level, "key": value; array elements stay on the
 * line ("[{" ... "},{"); empty containers print as {} and []. Strings are
 * copied through untouched (escapes included).
 */
void cli_print_json(FILE *f, const char *json, bool pretty)
{
	enum { MAX_DEPTH = 256 };
	bool in_object[MAX_DEPTH], empty[MAX_DEPTH];
	bool want_key = false;
	int depth = 0;

	if (!pretty) {
		fputs(json, f);
		return;
	}
	for (const char *p = json; *p; p++) {
		const char *q;

		switch (*p) {
		case '}':
		case ']':
			depth -= depth > 0;
			if (depth < MAX_DEPTH && !empty[depth])
				fprintf(f, "\n%*s", 4 * depth, "");
			fputc(*p, f);
			continue;
		case ',':
			fputc(',', f);
			want_key = depth > 0 && depth <= MAX_DEPTH && in_object[depth - 1];
			continue;
		case ':':
			fputs(": ", f);
			continue;
		case ' ':
		case '\n':
			continue;
		}
		/* a value or a key starts: its container is not empty */
		if (depth > 0 && depth <= MAX_DEPTH)
			empty[depth - 1] = false;
		switch (*p) {
		case '"':
			for (q = p + 1; *q && *q != '"'; q += *q == '\\' && q[1] ? 2 : 1)
				;
			if (want_key)
				fprintf(f, "\n%*s", 4 * depth, "");
			want_key = false;
			fwrite(p, 1, (size_t)(q - p) + (*q != 0), f);
			p = *q ? q : q - 1;
			break;
		case '{':
		case '[':
			fputc(*p, f);
			if (depth < MAX_DEPTH) {
				in_object[depth] = *p == '{';
				empty[depth] = true;
			}
			depth++;
			want_key = *p == '{';
			break;
		default:
			fputc(*p, f);
		}
	}
}

int cli_json_line(FILE *out, bool pretty, void (*print)(FILE *f, const void *arg), const void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (f)
		print(f, arg);
	if (!f || fclose(f)) {
		free(buf);
		cli_error(NULL, "out of memory");
		return -1;
	}
	cli_print_json(out, buf, pretty);
	fputc('\n', out);
	free(buf);
	return 0;
}
