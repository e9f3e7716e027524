#!/usr/bin/env bash
# make install: into a real temporary PREFIX (the tree was built with the
# default PREFIX) every piece lands and the installed pkg-config file names
# that PREFIX, unpatched; programs build against it with pkg-config, linking
# the shared library (together with libbpf: the public prefixes do not
# collide) and the static one; a DESTDIR install writes ${prefix}-relative
# paths that 'pkg-config --define-prefix' relocates, and follows LIBDIR.
. "$BTFKIT_SRC/tests/lib.sh"
d=$(tmpdir)
trap 'rm -rf "$d"' EXIT
P="$d/prefix"
if ! make -s -C "$BTFKIT_SRC" BUILD="$BTFKIT_BUILD" install PREFIX="$P" >"$d/log" 2>&1; then
	fail cli/install "make install failed: $(tail -3 "$d/log")"
	exit 0
fi
missing=
for f in bin/btfkit lib/libbtfkit.a lib/libbtfkit.so.0.1.0 lib/libbtfkit.so.0 lib/libbtfkit.so \
	include/btfkit/btf.h include/btfkit/dump.h lib/pkgconfig/libbtfkit.pc share/man/man1/btfkit.1 \
	share/man/man3/libbtfkit.3 share/man/man3/btfkit-btf.3 share/man/man3/bk_btf_open.3 \
	share/bash-completion/completions/btfkit; do
	[ -e "$P/$f" ] || missing="$missing $f"
done
for h in "$BTFKIT_SRC"/include/btfkit/*.h; do
	[ -e "$P/include/btfkit/$(basename "$h")" ] || missing="$missing include/btfkit/$(basename "$h")"
	[ -e "$P/share/man/man3/btfkit-$(basename "$h" .h).3" ] || missing="$missing man3/btfkit-$(basename "$h" .h).3"
done
if [ -n "$missing" ]; then fail cli/install "missing after install:$missing"; else pass cli/install; fi
[ "$(sed -n 's/^prefix=//p' "$P/lib/pkgconfig/libbtfkit.pc")" = "$P" ] &&
	grep -qx 'libdir=${prefix}/lib' "$P/lib/pkgconfig/libbtfkit.pc" &&
	grep -qx 'includedir=${prefix}/include' "$P/lib/pkgconfig/libbtfkit.pc" &&
	pass cli/install-pc-prefix || fail cli/install-pc-prefix "$(head -3 "$P/lib/pkgconfig/libbtfkit.pc" | tr '\n' ' ')"
MANPATH="$P/share/man" man -w bk_dump 2>/dev/null | grep -q 'btfkit-dump.3' &&
	pass cli/install-man3-function-links || fail cli/install-man3-function-links "'man bk_dump' does not find btfkit-dump.3"

soname=$(readelf -d "$P/lib/libbtfkit.so.0.1.0" | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p')
[ "$soname" = libbtfkit.so.0 ] && pass cli/install-soname || fail cli/install-soname "soname is '$soname'"
# Only bk_* symbols are exported from the shared library.
bad=$(nm -D --defined-only "$P/lib/libbtfkit.so.0.1.0" | awk '$2 ~ /[TDBR]/ {print $3}' | grep -v '^bk_' | grep -v '^BTFKIT_' | head -5)
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
	printf("%u %u %s\n", bk_btf_type_cnt(b), btf__type_cnt(l), bk_version());
	bk_btf_free(b);
	btf__free(l);
	return 0;
}
C
san=
nm -D "$P/lib/libbtfkit.so.0.1.0" | grep -q __asan_init && san="-fsanitize=address,undefined"
want="54 54 $(sed -n 's/^VERSION := //p' "$BTFKIT_SRC/Makefile")"
export PKG_CONFIG_PATH="$P/lib/pkgconfig"

# dynamic: the shared library, found through the pkg-config file as installed
if cc $san -o "$d/dyn" "$d/prog.c" $(pkg-config --cflags --libs libbtfkit) -lbpf -Wl,-rpath,"$P/lib" 2>"$d/cc.log"; then
	out=$("$d/dyn" "$BTFKIT_TEST_DATA/sample.bpf.o" 2>&1)
	if [ "$out" = "$want" ] && readelf -d "$d/dyn" | grep -q 'NEEDED.*libbtfkit\.so\.0'; then
		pass cli/install-link-dynamic-with-libbpf
	else
		fail cli/install-link-dynamic-with-libbpf "output '$out', $(readelf -d "$d/dyn" | grep -c libbtfkit) libbtfkit NEEDED"
	fi
else
	fail cli/install-link-dynamic-with-libbpf "$(head -3 "$d/cc.log")"
fi
# static: libbtfkit.a and the Libs.private of the pkg-config file
if cc $san -o "$d/static" "$d/prog.c" $(pkg-config --cflags libbtfkit) \
	-Wl,-Bstatic $(pkg-config --static --libs libbtfkit) -Wl,-Bdynamic -lbpf 2>"$d/cc.log"; then
	out=$("$d/static" "$BTFKIT_TEST_DATA/sample.bpf.o" 2>&1)
	if [ "$out" = "$want" ] && ! readelf -d "$d/static" | grep -q 'NEEDED.*libbtfkit'; then
		pass cli/install-link-static
	else
		fail cli/install-link-static "output '$out', $(readelf -d "$d/static" | grep -c libbtfkit) libbtfkit NEEDED"
	fi
else
	fail cli/install-link-static "$(head -3 "$d/cc.log")"
fi

# DESTDIR + PREFIX + LIBDIR: the .pc names the final place, ${prefix}-relative, so
# that pkg-config --define-prefix finds the staged copy without any edit
S="$d/stage"
if make -s -C "$BTFKIT_SRC" BUILD="$BTFKIT_BUILD" install DESTDIR="$S" PREFIX=/opt/bk LIBDIR=/opt/bk/lib64 >"$d/log" 2>&1 &&
	[ -f "$S/opt/bk/lib64/libbtfkit.a" ] && [ -f "$S/opt/bk/lib64/pkgconfig/libbtfkit.pc" ] &&
	grep -qx 'prefix=/opt/bk' "$S/opt/bk/lib64/pkgconfig/libbtfkit.pc" &&
	grep -qx 'libdir=${prefix}/lib64' "$S/opt/bk/lib64/pkgconfig/libbtfkit.pc"; then
	flags=$(PKG_CONFIG_PATH="$S/opt/bk/lib64/pkgconfig" pkg-config --define-prefix --cflags --libs libbtfkit)
	if cc $san -o "$d/staged" "$d/prog.c" $flags -lbpf -Wl,-rpath,"$S/opt/bk/lib64" 2>"$d/cc.log" &&
		[ "$("$d/staged" "$BTFKIT_TEST_DATA/sample.bpf.o" 2>&1)" = "$want" ]; then
		pass cli/install-destdir-relocatable
	else
		fail cli/install-destdir-relocatable "flags '$flags': $(head -2 "$d/cc.log")"
	fi
else
	fail cli/install-destdir-relocatable "staged install: $(tail -2 "$d/log") $(head -3 "$S/opt/bk/lib64/pkgconfig/libbtfkit.pc" 2>&1)"
fi
# a LIBDIR outside PREFIX is written as an absolute path
make -s -C "$BTFKIT_SRC" BUILD="$BTFKIT_BUILD" install DESTDIR="$d/s2" PREFIX=/usr LIBDIR=/usr/lib/x86_64-linux-gnu >/dev/null 2>&1
grep -qx 'libdir=${prefix}/lib/x86_64-linux-gnu' "$d/s2/usr/lib/x86_64-linux-gnu/pkgconfig/libbtfkit.pc" 2>/dev/null &&
	make -s -C "$BTFKIT_SRC" BUILD="$BTFKIT_BUILD" install DESTDIR="$d/s3" PREFIX=/usr LIBDIR=/lib64 >/dev/null 2>&1 &&
	grep -qx 'libdir=/lib64' "$d/s3/lib64/pkgconfig/libbtfkit.pc" &&
	pass cli/install-libdir || fail cli/install-libdir "$(grep libdir= "$d"/s[23]/*/*/pkgconfig/libbtfkit.pc "$d"/s[23]/*/*/*/pkgconfig/libbtfkit.pc 2>&1 | tr '\n' ' ')"
