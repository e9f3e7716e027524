// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The CLI's one output path: standard output for no -o or "-o -", else a
 * file replaced atomically through the library's bk_outfile (temporary
 * file, fsync, rename; the mode rule and the device/FIFO/symlink cases
 * are described in include/btfkit/write.h). Every error of a write, flush,
 * close, sync or rename is reported with the file's name and the errno
 * text, and the output is then abandoned: no partial file, no temporary
 * file, an existing file unchanged.
 *
 * An output is written either through the stdio stream f (on a duplicate
 * of the bk_outfile's descriptor for a file: fclose checks the stream's
 * last writes, then bk_outfile_commit syncs, closes and renames) or, for
 * the library's printers, through sink: straight to the descriptor with
 * write(2) in the library's 64 KiB chunks (bk_sink_fd), no stdio copy in
 * between; a command uses one or the other. The sink remembers the first
 * write error, so that it is reported against the output, not the input.
 * Standard output cannot be abandoned like a file; a command whose output
 * can fail midway (the C dump) takes it back with cli_out_take_back, which
 * can only cut back a regular file.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "btfkit/elf.h"
#include "cli.h"

static bool is_stdout(const char *path)
{
	return !path || !strcmp(path, "-");
}

static int out_write(void *ctx, const char *buf, size_t len)
{
	struct cli_out *out = ctx;
	struct bk_sink fd = bk_sink_fd(out->fd);
	int err = fd.write(fd.ctx, buf, len);

	if (err && !out->werr)
		out->werr = -err;
	return err;
}

int cli_out_open(struct cli_out *out, const char *path)
{
	struct bk_diag diag = { 0 };
	int fd;

	memset(out, 0, sizeof(*out));
	out->sink.write = out_write;
	out->sink.ctx = out;
	out->start = -1;
	if (is_stdout(path)) {
		struct stat st;

		fflush(stdout);
		out->f = stdout;
		out->fd = STDOUT_FILENO;
		out->name = "standard output";
		if (!fstat(STDOUT_FILENO, &st) && S_ISREG(st.st_mode)) {
			int fl = fcntl(STDOUT_FILENO, F_GETFL);

			out->start = fl >= 0 && (fl & O_APPEND) ? (long long)st.st_size
								 : (long long)lseek(STDOUT_FILENO, 0, SEEK_CUR);
		}
		return 0;
	}
	out->name = path;
	out->of = bk_outfile_open(path, &diag);
	if (!out->of) {
		cli_error(path, "%s", diag.msg[0] ? diag.msg : strerror(errno));
		return -1;
	}
	fd = dup(bk_outfile_fd(out->of));
	if (fd < 0 || !(out->f = fdopen(fd, "w"))) {
		cli_error(path, "cannot create output file: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		bk_outfile_abort(out->of);
		out->of = NULL;
		return -1;
	}
	out->fd = bk_outfile_fd(out->of);
	return 0;
}

int cli_out_commit(struct cli_out *out)
{
	struct bk_diag diag = { 0 };
	int err = 0;

	errno = 0;
	if (out->werr)
		err = out->werr;
	else if (fflush(out->f) || ferror(out->f))
		err = errno ? errno : EIO;
	if (!out->of) {
		if (err)
			cli_error(out->name, "write failed: %s", strerror(err));
		return err ? -1 : 0;
	}
	errno = 0;
	if (fclose(out->f) && !err)
		err = errno ? errno : EIO;
	out->f = NULL;
	if (err) {
		cli_error(out->name, "write failed: %s", strerror(err));
		bk_outfile_abort(out->of);
		out->of = NULL;
		return -1;
	}
	err = bk_outfile_commit(out->of, &diag);
	out->of = NULL;
	if (err) {
		cli_error(out->name, "%s", diag.msg[0] ? diag.msg : strerror(-err));
		return -1;
	}
	return 0;
}

void cli_out_abort(struct cli_out *out)
{
	if (!out->of)
		return;
	if (out->f)
		fclose(out->f);
	bk_outfile_abort(out->of);
	memset(out, 0, sizeof(*out));
}

void cli_out_take_back(struct cli_out *out)
{
	if (out->of || out->start < 0)
		return;
	fflush(out->f);
	/* best effort: the command fails with its own message either way */
	if (!ftruncate(out->fd, (off_t)out->start))
		lseek(out->fd, (off_t)out->start, SEEK_SET);
}

int cli_write_output(const char *path, const void *data, size_t size)
{
	struct bk_diag diag = { 0 };
	int err;

	if (is_stdout(path)) {
		errno = 0;
		if ((size && fwrite(data, 1, size, stdout) != size) || fflush(stdout)) {
			cli_error("standard output", "write failed: %s", strerror(errno ? errno : EIO));
			return -1;
		}
		return 0;
	}
	err = bk_write_file(path, data, size, &diag);
	if (err) {
		cli_error(path, "%s", diag.msg[0] ? diag.msg : strerror(-err));
		return -1;
	}
	return 0;
}

int cli_write_btf(const struct bk_btf *btf, const char *path, const char *what)
{
	size_t size;
	void *data;
	int err;

	err = bk_btf_serialize(btf, &data, &size);
	if (err) {
		cli_error(what, "cannot serialize: %s", bk_strerror(err));
		return -1;
	}
	err = cli_write_output(path, data, size);
	free(data);
	return err;
}

int cli_endian_option(struct cli *c, int key, const char *arg)
{
	struct cli_endian_opt *o = c->opts;

	(void)key;
	if (cli_parse_endian(arg, &o->endian))
		return cli_usage_error(c->cmd->name,
				       "unknown byte order '%s' (expected little, big or native)", arg);
	o->set = true;
	return 0;
}

int cli_parse_endian(const char *s, enum bk_endian *e)
{
	bool host_le = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;

	if (!strcmp(s, "little"))
		*e = BK_ENDIAN_LITTLE;
	else if (!strcmp(s, "big"))
		*e = BK_ENDIAN_BIG;
	else if (!strcmp(s, "native"))
		*e = host_le ? BK_ENDIAN_LITTLE : BK_ENDIAN_BIG;
	else
		return -1;
	return 0;
}

/*
 * Write ELF sections atomically: btf into section (bk_btf_embed, in the
 * target's byte order) when btf is given, else the n raw sections in secs
 * (bk_elf_set_sections: all or none). Signals wait until the temporary file
 * is renamed or removed, so an interrupted write leaves target as it was
 * and no stray file. Errors are printed under name.
 */
int cli_elf_write(const char *target, const char *name, const struct bk_btf *btf,
		  const char *section, const struct bk_elf_section *secs, size_t n)
{
	struct bk_diag diag = { 0 };
	struct bk_elf_write_opts wo = { .sz = sizeof(wo), .diag = &diag };
	sigset_t block, old;
	int err;

	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigaddset(&block, SIGQUIT);
	sigprocmask(SIG_BLOCK, &block, &old);
	if (btf)
		err = bk_btf_embed(btf, target, section ? section : ".BTF", &wo);
	else
		err = bk_elf_set_sections(target, secs, n, &wo);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (err) {
		cli_error(name, "%s", diag.msg[0] ? diag.msg : bk_strerror(err));
		return -1;
	}
	if (wo.signature_removed)
		fprintf(stderr, "btfkit: %s: module signature removed (it no longer matches); re-sign with scripts/sign-file\n",
			name);
	return 0;
}
