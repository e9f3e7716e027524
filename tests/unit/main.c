// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit-test runner: see test.h. */
#include <stdarg.h>
#include <stdlib.h>

#include "test.h"

static struct bt_test *tests;
bool bt_failed;
static char first_failure[4096];

void bt_register(struct bt_test *t)
{
	struct bt_test **p = &tests;

	/* keep registration (= file, then definition) order */
	while (*p)
		p = &(*p)->next;
	*p = t;
}

void bt_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (bt_failed)
		return;
	bt_failed = true;
	n = snprintf(first_failure, sizeof(first_failure), "%s:%d: ", file, line);
	va_start(ap, fmt);
	vsnprintf(first_failure + n, sizeof(first_failure) - (size_t)n, fmt, ap);
	va_end(ap);
}

char *bt_dump_raw(const struct bk_btf *btf)
{
	struct bk_membuf mb = { 0 };
	struct bk_sink sink = bk_sink_membuf(&mb);

	if (bk_dump(btf, &sink, NULL)) {
		free(mb.data);
		return NULL;
	}
	if (!mb.data)
		return strdup("");
	return mb.data;
}

const char *bt_data(const char *name)
{
	static char path[4096];
	const char *dir = getenv("BTFKIT_TEST_DATA");

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "tests/data", name);
	return path;
}

int main(int argc, char **argv)
{
	int failed = 0;

	for (struct bt_test *t = tests; t; t = t->next) {
		if (argc > 1) {
			bool want = false;

			for (int i = 1; i < argc; i++)
				want |= !strcmp(argv[i], t->name);
			if (!want)
				continue;
		}
		bt_failed = false;
		t->fn();
		if (bt_failed) {
			printf("FAIL unit/%s: %s\n", t->name, first_failure);
			failed++;
		} else {
			printf("PASS unit/%s\n", t->name);
		}
		fflush(stdout);
	}
	return failed ? 1 : 0;
}
