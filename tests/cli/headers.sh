#!/usr/bin/env bash
# Every public header compiles alone as C11 with -pedantic and as C++11
# (g++ -std=c++11 -Wall -Wextra -Werror), and has a section-3 man page,
# docs/man/btfkit-NAME.3 for include/btfkit/NAME.h, that names every BK_API
# function it declares (a header added later is covered automatically).
. "$BTFKIT_SRC/tests/lib.sh"
d=$(tmpdir)
trap 'rm -rf "$d"' EXIT
inc="$BTFKIT_SRC/include"

for h in "$inc"/btfkit/*.h; do
	n=$(basename "$h" .h)
	printf '#include <btfkit/%s.h>\nint btfkit_header_test;\n' "$n" > "$d/t.c"
	if gcc -std=c11 -pedantic -Wall -Wextra -Werror -I"$inc" -c "$d/t.c" -o "$d/t.o" 2> "$d/err"; then
		pass "cli/header-$n-c11-pedantic"
	else
		fail "cli/header-$n-c11-pedantic" "$(head -2 "$d/err" | tr '\n' ' ')"
	fi
	cp "$d/t.c" "$d/t.cc"
	if command -v g++ > /dev/null; then
		if g++ -std=c++11 -Wall -Wextra -Werror -I"$inc" -c "$d/t.cc" -o "$d/t.o" 2> "$d/err"; then
			pass "cli/header-$n-c++11"
		else
			fail "cli/header-$n-c++11" "$(head -2 "$d/err" | tr '\n' ' ')"
		fi
	else
		skip "cli/header-$n-c++11" "g++ not installed (scripts/install-deps)"
	fi
	page="$BTFKIT_SRC/docs/man/btfkit-$n.3"
	if [ ! -f "$page" ]; then
		fail "cli/header-$n-man3" "no docs/man/btfkit-$n.3 for include/btfkit/$n.h"
		continue
	fi
	missing=
	for f in $(sed -n 's/^BK_API[^(]*[ *]\(bk_[a-z0-9_]*\)(.*/\1/p' "$h"); do
		sed 's/\\-/-/g' "$page" | grep -q "\b$f\b" || missing="$missing $f"
	done
	[ -z "$missing" ] && pass "cli/header-$n-man3" || fail "cli/header-$n-man3" "btfkit-$n.3 does not name:$missing"
	grep -q "btfkit\\\\-$n (3)" "$BTFKIT_SRC/docs/man/libbtfkit.3" && pass "cli/header-$n-in-libbtfkit.3" ||
		fail "cli/header-$n-in-libbtfkit.3" "libbtfkit.3 does not list btfkit-$n(3)"
done

# a C++ program using the inline accessors and the library
cat > "$d/p.cc" <<'CC'
#include <btfkit/btf.h>
#include <btfkit/dump.h>
#include <cstdio>
int main(int argc, char **argv)
{
	struct bk_btf *b = bk_btf_open(argv[1], nullptr);
	if (!b)
		return 1;
	unsigned members = 0;
	for (uint32_t id = 1; id < bk_btf_type_cnt(b); id++) {
		const struct bk_type *t = bk_btf_type(b, id);
		if (bk_is_composite(t))
			members += bk_vlen(t) ? (bk_members(t)[0].type != 0) : 0;
	}
	std::printf("%u %u\n", bk_btf_type_cnt(b), members);
	bk_btf_free(b);
	return argc > 2;
}
CC
san=
nm "$BTFKIT_BUILD/libbtfkit.a" 2>/dev/null | grep -q __asan_ && san="-fsanitize=address,undefined"
if g++ -std=c++11 -Wall -Werror $san -I"$inc" "$d/p.cc" -o "$d/p" "$BTFKIT_BUILD/libbtfkit.a" \
	-lelf -llzma -lzstd -lz -llz4 -lbz2 -luring 2> "$d/err"; then
	out=$("$d/p" "$BTFKIT_TEST_DATA/sample.bpf.o" 2>&1)
	[ "$out" = "54 5" ] && pass cli/header-cxx-program || fail cli/header-cxx-program "output '$out'"
else
	fail cli/header-cxx-program "$(head -2 "$d/err" | tr '\n' ' ')"
fi
