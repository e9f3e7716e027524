/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A minimal unit-test harness. TEST(name) defines and registers a test;
 * CHECK()/CHECK_EQ()/CHECK_STR() record a failure and keep going;
 * REQUIRE() stops the test. The runner (main.c) prints one line per test,
 * "PASS unit/<name>" or "FAIL unit/<name>: <first failure>", and runs only
 * the tests named on its command line when any are.
 */
#ifndef BTFKIT_TEST_H
#define BTFKIT_TEST_H

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "btfkit/btf.h"
#include "btfkit/dump.h"

struct bt_test {
	const char *name;
	void (*fn)(void);
	struct bt_test *next;
};

void bt_register(struct bt_test *t);
void bt_fail(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
extern bool bt_failed;

#define TEST(tname)                                                          \
	static void test_##tname(void);                                      \
	static struct bt_test bt_##tname = { #tname, test_##tname, NULL };   \
	__attribute__((constructor)) static void bt_reg_##tname(void)        \
	{                                                                    \
		bt_register(&bt_##tname);                                    \
	}                                                                    \
	static void test_##tname(void)

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond))                                                 \
			bt_fail(__FILE__, __LINE__, "check failed: %s", #cond); \
	} while (0)

#define REQUIRE(cond)                                                        \
	do {                                                                 \
		if (!(cond)) {                                               \
			bt_fail(__FILE__, __LINE__, "requirement failed: %s", #cond); \
			return;                                              \
		}                                                            \
	} while (0)

#define CHECK_EQ(a, b)                                                       \
	do {                                                                 \
		long long _a = (long long)(a), _b = (long long)(b);          \
		if (_a != _b)                                                \
			bt_fail(__FILE__, __LINE__, "%s == %lld, expected %s == %lld", #a, _a, #b, _b); \
	} while (0)

#define CHECK_STR(a, b)                                                      \
	do {                                                                 \
		const char *_a = (a), *_b = (b);                             \
		if (!_a || !_b || strcmp(_a, _b))                            \
			bt_fail(__FILE__, __LINE__, "%s:\n---- got ----\n%s\n---- expected ----\n%s", #a, \
				_a ? _a : "(null)", _b ? _b : "(null)");     \
	} while (0)

/* Raw text dump of btf (own types), as a heap string the caller frees. */
char *bt_dump_raw(const struct bk_btf *btf);
/* Path of a file under tests/data (relative to the source tree root). */
const char *bt_data(const char *name);

#endif
