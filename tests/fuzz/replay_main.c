// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Replay driver: a plain main() that feeds each file named on the command
 * line (directories are read one level deep) to the target's
 * LLVMFuzzerTestOneInput, exactly as libFuzzer would. Built into the normal
 * (sanitized) build as $(BUILD)/fuzz/replay-<target>; a crash, a sanitizer
 * report or a leak fails the run. Prints "replayed N inputs" at the end.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int replay_file(const char *path, unsigned long *n)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0;

	if (!f) {
		fprintf(stderr, "replay: %s: cannot open\n", path);
		return -1;
	}
	for (;;) {
		size_t got;

		if (len == cap) {
			uint8_t *nb;

			cap = cap ? cap * 2 : 1 << 16;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(f);
				return -1;
			}
			buf = nb;
		}
		got = fread(buf + len, 1, cap - len, f);
		if (!got)
			break;
		len += got;
	}
	fclose(f);
	/* libFuzzer hands the target an exactly sized heap copy: do the same */
	{
		uint8_t *exact = malloc(len ? len : 1);

		if (!exact) {
			free(buf);
			return -1;
		}
		memcpy(exact, buf, len);
		free(buf);
		if (getenv("REPLAY_VERBOSE"))
			fprintf(stderr, "replay: %s\n", path);
		LLVMFuzzerTestOneInput(exact, len);
		free(exact);
	}
	(*n)++;
	return 0;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int replay_dir(const char *dir, unsigned long *n)
{
	struct dirent *de;
	char **names = NULL;
	size_t nr = 0, cap = 0;
	int err = 0;
	DIR *d = opendir(dir);

	if (!d)
		return -1;
	while ((de = readdir(d))) {
		char *p;

		if (de->d_name[0] == '.')
			continue;
		if (nr == cap) {
			char **nn;

			cap = cap ? cap * 2 : 64;
			nn = realloc(names, cap * sizeof(*names));
			if (!nn) {
				err = -1;
				break;
			}
			names = nn;
		}
		if (asprintf(&p, "%s/%s", dir, de->d_name) < 0) {
			err = -1;
			break;
		}
		names[nr++] = p;
	}
	closedir(d);
	if (nr)
		qsort(names, nr, sizeof(*names), compare_names);
	for (size_t i = 0; i < nr; i++) {
		struct stat st;

		if (!err && stat(names[i], &st) == 0 && S_ISREG(st.st_mode))
			err = replay_file(names[i], n);
		free(names[i]);
	}
	free(names);
	return err;
}

int main(int argc, char **argv)
{
	unsigned long n = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;

		if (stat(argv[i], &st)) {
			fprintf(stderr, "replay: %s: no such file or directory\n", argv[i]);
			return 2;
		}
		if ((S_ISDIR(st.st_mode) ? replay_dir(argv[i], &n) : replay_file(argv[i], &n)))
			return 2;
	}
	printf("replayed %lu inputs\n", n);
	return 0;
}
