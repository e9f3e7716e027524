// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* CLI helper shared by convert and merge: write raw BTF to an output atomically. */
#include <stdlib.h>

#include "btfkit/write.h"
#include "cli.h"

int cli_write_btf(const struct bk_btf *btf, const char *out_path, const char *what)
{
	struct cli_out out;
	size_t size;
	void *data;
	int err;

	err = bk_btf_serialize(btf, &data, &size);
	if (err) {
		cli_error(what, "cannot serialize: %s", bk_strerror(err));
		return -1;
	}
	if (cli_out_open(&out, out_path)) {
		free(data);
		return -1;
	}
	if (size && fwrite(data, 1, size, out.f) != size) {
		cli_error(out_path, "write failed");
		cli_out_abort(&out);
		free(data);
		return -1;
	}
	free(data);
	return cli_out_commit(&out);
}
