#!/usr/bin/env bash
# make install into a DESTDIR honours PREFIX, installs every piece, and a
# program built from the installed pkg-config file links libbtfkit together
# with libbpf (the public prefixes do not collide) and runs.
. "$BTFKIT_SRC/tests/lib.sh"
d=$(tmpdir)
trap 'rm -rf "$d"' EXIT
if ! make -s -C "$BTFKIT_SRC" BUILD="$BTFKIT_BUILD" install DESTDIR="$d" PREFIX=/opt/bk >"$d/log" 2>&1; then
	fail cli/install "make install failed: $(tail -3 "$d/log")"
	exit 0
fi
missing=
for f in bin/btfkit lib/libbtfkit.a lib/libbtfkit.so.0.1.0 lib/libbtfkit.so.0 lib/libbtfkit.so \
	include/btfkit/btf.h include/btfkit/dump.h lib/pkgconfig/libbtfkit.pc share/man/man1/btfkit.1 share/bash-completion/completions/btfkit; do
	[ -e "$d/opt/bk/$f" ] || missing="$missing $f"
done
if [ -n "$missing" ]; then fail cli/install "missing after install:$missing"; else pass cli/install; fi

soname=$(readelf -d "$d/opt/bk/lib/libbtfkit.so.0.1.0" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
[ "$soname" = libbtfkit.so.0 ] && pass cli/install-soname || fail cli/install-soname "soname is '$soname'"

# Only bk_* symbols are exported from the shared library.
bad=$(nm -D --defined-only "$d/opt/bk/lib/libbtfkit.so.0.1.0" | awk '$2 ~ /[TDBR]/ {print $3}' | grep -v '^bk_' | grep -v '^BTFKIT_' | head -5)
[ -z "$bad" ] && pass cli/install-exports-only-public || fail cli/install-exports-only-public "exported: $bad"

cat > "$d/prog.c" <<'C'
#include <stdio.h>
#include <btfkit/btf.h>
#include <bpf/btf.h>
int main(int argc, char **argv)
{
	struct bk_btf *b = bk_btf_open(argv[1], NULL);
	struct btf *l = btf__parse(argv[1], NULL);
	if (!b || !l)
		return 1;
	printf("%u %u\n", bk_btf_type_cnt(b), btf__type_cnt(l));
	bk_btf_free(b);
	btf__free(l);
	return 0;
}
C
pc="$d/opt/bk/lib/pkgconfig"
flags=$(sed "s|^prefix=.*|prefix=$d/opt/bk|; s|^libdir=.*|libdir=$d/opt/bk/lib|; s|^includedir=.*|includedir=$d/opt/bk/include|" "$pc/libbtfkit.pc" > "$d/libbtfkit.pc" && PKG_CONFIG_PATH="$d" pkg-config --cflags --libs libbtfkit)
san=
nm -D "$d/opt/bk/lib/libbtfkit.so.0.1.0" | grep -q __asan_init && san="-fsanitize=address,undefined"
if ! cc $san -o "$d/prog" "$d/prog.c" $flags -lbpf -Wl,-rpath,"$d/opt/bk/lib" 2>"$d/cc.log"; then
	fail cli/install-link-with-libbpf "$(head -3 "$d/cc.log")"
	exit 0
fi
out=$("$d/prog" "$BTFKIT_TEST_DATA/sample.bpf.o" 2>&1)
[ "$out" = "54 54" ] && pass cli/install-link-with-libbpf || fail cli/install-link-with-libbpf "output '$out'"
