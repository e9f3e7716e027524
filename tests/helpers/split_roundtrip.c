// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * split_roundtrip -B VMLINUX -d TMPDIR < LIST: for each module path read
 * from standard input (one a line, relative to the current directory):
 * open its .BTF on VMLINUX, make it standalone (bk_btf_standalone, without
 * the final dedup, as 'btfkit split --standalone' writes it), split
 * that back onto VMLINUX (bk_btf_split), embed the result into a copy of
 * the module (bk_btf_embed), read the copy's .BTF back on VMLINUX and
 * compare its raw dump with the original's. VMLINUX is parsed once.
 *
 * Where the dumps differ, the original is deduplicated against VMLINUX
 * once more (bk_btf_split of the original itself): some modules' shipped
 * BTF keeps exact copies of vmlinux types that libbpf 1.1's dedup did not
 * map (struct module in 8021q, struct ib_device in hfi1), which btfkit's
 * dedup maps onto vmlinux; the round trip must then equal that.
 *
 * Prints one line per module: "SAME PATH" (the raw dump equals the
 * original's), "REDEDUP PATH" (equals the original deduplicated again),
 * "DIFF PATH COPY" (the copy is kept in TMPDIR for a closer look, e.g.
 * btf_canon) or "ERR PATH: reason"; then "checked N". Exit 0 unless the
 * arguments or VMLINUX are bad.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "btfkit/btf.h"
#include "btfkit/dump.h"
#include "btfkit/elf.h"
#include "btfkit/split.h"

static char *dump_raw(const struct bk_btf *btf)
{
	struct bk_membuf mb = { 0 };
	struct bk_sink sink = bk_sink_membuf(&mb);

	if (bk_dump(btf, &sink, NULL)) {
		free(mb.data);
		return NULL;
	}
	return mb.data ? mb.data : strdup("");
}

static int copy_file(const char *from, const char *to)
{
	char buf[1 << 16];
	int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ssize_t n;
	int err = in < 0 || out < 0;

	while (!err && (n = read(in, buf, sizeof(buf))) > 0)
		err = write(out, buf, (size_t)n) != n;
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out))
		err = 1;
	return err ? -1 : 0;
}

/* The round trip of one module; NULL when it went through, else why not. */
static const char *one(const char *path, struct bk_btf *base, const char *copy, int *same,
		       struct bk_diag *d)
{
	struct bk_open_opts o = { .sz = sizeof(o), .base = base, .diag = d };
	struct bk_split_opts so = { .sz = sizeof(so), .diag = d };
	struct bk_elf_write_opts wo = { .sz = sizeof(wo), .diag = d };
	struct bk_btf *orig, *alone = NULL, *back = NULL, *got = NULL, *again = NULL;
	char *a = NULL, *b = NULL, *r = NULL;
	const char *why = NULL;

	*same = 0;
	orig = bk_btf_open(path, &o);
	if (!orig)
		return d->msg;
	/* standalone as 'btfkit split --standalone' writes it: lossless, not deduplicated again */
	so.no_dedup = true;
	if (!(alone = bk_btf_standalone(orig, &so)))
		why = "standalone";
	else if (!(back = bk_btf_split(alone, base, &so)))
		why = "split";
	else if (copy_file(path, copy))
		why = "cannot copy the module";
	else if (bk_btf_embed(back, copy, ".BTF", &wo))
		why = "embed";
	else if (!(got = bk_btf_open(copy, &o)))
		why = "reading the copy back";
	else if (!(a = dump_raw(orig)) || !(b = dump_raw(got)))
		why = "dump";
	else if (!strcmp(a, b))
		*same = 1;
	else if (!(again = bk_btf_split(orig, base, &so)) || !(r = dump_raw(again)))
		why = "deduplicating the original again";
	else
		*same = strcmp(r, b) ? 0 : 2;
	if (why && d->msg[0]) {
		static char msg[600];

		snprintf(msg, sizeof(msg), "%s: %s", why, d->msg);
		why = msg;
	}
	free(a);
	free(b);
	free(r);
	bk_btf_free(again);
	bk_btf_free(got);
	bk_btf_free(back);
	bk_btf_free(alone);
	bk_btf_free(orig);
	return why;
}

int main(int argc, char **argv)
{
	const char *base_path = NULL, *dir = NULL;
	struct bk_diag d = { 0 };
	struct bk_open_opts o = { .sz = sizeof(o), .diag = &d };
	struct bk_btf *base;
	char line[4096], copy[4200];
	unsigned long n = 0, k = 0;
	int c;

	while ((c = getopt(argc, argv, "B:d:")) != -1) {
		if (c == 'B')
			base_path = optarg;
		else if (c == 'd')
			dir = optarg;
		else
			return 2;
	}
	if (!base_path || !dir) {
		fprintf(stderr, "usage: split_roundtrip -B VMLINUX -d TMPDIR < LIST\n");
		return 2;
	}
	base = bk_btf_open(base_path, &o);
	if (!base) {
		fprintf(stderr, "split_roundtrip: %s: %s\n", base_path, d.msg);
		return 2;
	}
	while (fgets(line, sizeof(line), stdin)) {
		const char *why;
		int same;

		line[strcspn(line, "\n")] = '\0';
		if (!*line)
			continue;
		snprintf(copy, sizeof(copy), "%s/%lu-%d.ko", dir, k++, (int)getpid());
		memset(&d, 0, sizeof(d));
		why = one(line, base, copy, &same, &d);
		if (why)
			printf("ERR %s: %s\n", line, why);
		else if (same)
			printf("%s %s\n", same == 1 ? "SAME" : "REDEDUP", line);
		else
			printf("DIFF %s %s\n", line, copy);
		if (why || same)
			unlink(copy);
		fflush(stdout);
		n++;
	}
	printf("checked %lu\n", n);
	bk_btf_free(base);
	return 0;
}
