#!/usr/bin/env bash
# btfkit layout: the text for the sample object (golden, what pahole 1.24
# prints for it but for the differences docs/layout.md lists), TYPE lookup,
# --sizes, --holes, --cacheline, --json (valid JSON, errors as JSON), split
# BTF (-B), and the exit statuses: 0, 1 for bad input or an unknown TYPE,
# 2 for usage errors.
. "$BTFKIT_SRC/tests/lib.sh"
d=$(tmpdir)
trap 'rm -rf "$d"' EXIT
T="$BTFKIT_TEST_DATA"

"$BTFKIT" layout "$T/sample.bpf.o" sample > "$d/out" 2> "$d/err"
rc=$?
cat > "$d/want" <<'EOT'
struct sample {
	int                        a;                    /*     0     4 */
	unsigned int               flags:3;              /*     4: 0  4 */
	unsigned int               mode:5;               /*     4: 3  4 */

	/* XXX 24 bits hole, try to pack */

	long long                  wide;                 /*     8     8 */
	const volatile char   *    name;                 /*    16     8 */
	char                       buf[16][2];           /*    24    32 */
	struct list_head           node;                 /*    56    16 */
	/* --- cacheline 1 boundary (64 bytes) was 8 bytes ago --- */
	union value                v;                    /*    72     4 */
	enum color                 c;                    /*    76     4 */
	enum big                   b;                    /*    80     8 */
	struct opaque *            op;                   /*    88     8 */
	int *                      uptr;                 /*    96     8 */
	double                     d;                    /*   104     8 */
	bool                       ok;                   /*   112     1 */

	/* XXX 7 bytes hole, try to pack */

	int                        (*callback)(struct sample *, int, ...); /*   120     8 */
	/* --- cacheline 2 boundary (128 bytes) --- */
	struct {
		int                x;                    /*   128     4 */
		int                y;                    /*   132     4 */
	} anon;                                          /*   128     8 */
	u64                        tagged;               /*   136     8 */
EOT
head -n "$(wc -l < "$d/want")" "$d/out" > "$d/head"
if [ $rc -eq 0 ] && cmp -s "$d/head" "$d/want" && [ ! -s "$d/err" ]; then
	pass cli/layout-text
else
	fail cli/layout-text "rc=$rc $(diff "$d/want" "$d/head" | head -4 | tr '\n' ' ') $(head -1 "$d/err")"
fi
if command -v pahole >/dev/null; then
	# pahole 1.24 differs only where docs/layout.md says: nested array order,
	# tagged members (<ERROR>), FLOAT names ("single double")
	pahole -F btf "$T/sample.bpf.o" 2>/dev/null > "$d/pahole"
	"$BTFKIT" layout "$T/sample.bpf.o" > "$d/all"
	diff "$d/pahole" "$d/all" | grep '^[<>]' | sed -E 's/ +/ /g' | sort > "$d/delta"
	cat > "$d/want_delta" <<'EOT'
< 	<ERROR > uptr; /* 96 8 */
< 	char buf[2][16]; /* 24 32 */
< 	single double d; /* 104 8 */
< 	single float f; /* 0 4 */
> 	char buf[16][2]; /* 24 32 */
> 	double d; /* 104 8 */
> 	float f; /* 0 4 */
> 	int * uptr; /* 96 8 */
EOT
	sort -o "$d/want_delta" "$d/want_delta"
	if cmp -s "$d/delta" "$d/want_delta"; then
		pass "cli/layout-pahole (sample object: the differences docs/layout.md lists, nothing else)"
	else
		fail cli/layout-pahole "$(diff "$d/want_delta" "$d/delta" | head -4 | tr '\n' ' ')"
	fi
else
	skip cli/layout-pahole "pahole not installed (scripts/install-deps)"
fi

# lookups: NAME, "struct NAME", comma lists; an unknown name is bad input
a=$("$BTFKIT" layout "$T/sample.bpf.o" 'struct sample' | md5sum)
b=$("$BTFKIT" layout "$T/sample.bpf.o" sample,sample | md5sum)
c=$("$BTFKIT" layout "$T/sample.bpf.o" sample | md5sum)
[ "$a" = "$c" ] && [ "$b" != "$c" ] && pass cli/layout-lookup || fail cli/layout-lookup "struct NAME / comma lists"
"$BTFKIT" layout "$T/sample.bpf.o" nosuch > "$d/out" 2> "$d/err"
rc=$?
[ $rc -eq 1 ] && [ ! -s "$d/out" ] && grep -q "sample.bpf.o: no struct, union, enum or typedef named 'nosuch'" "$d/err" &&
	pass cli/layout-unknown-type || fail cli/layout-unknown-type "rc=$rc $(cat "$d/err")"

# --sizes: name, size, holes; --holes 1 keeps the structs with holes
"$BTFKIT" layout --sizes "$T/sample.bpf.o" > "$d/out"
grep -qx "$(printf 'sample\t144\t1')" "$d/out" && ! grep -q '/\*' "$d/out" &&
	pass cli/layout-sizes || fail cli/layout-sizes "$(head -3 "$d/out")"
"$BTFKIT" layout --holes 1 "$T/sample.bpf.o" | grep '^[a-z]' > "$d/out"
[ "$(cat "$d/out")" = "struct sample {" ] && pass cli/layout-holes || fail cli/layout-holes "$(cat "$d/out")"
"$BTFKIT" layout --cacheline 32 "$T/sample.bpf.o" sample > "$d/out"
grep -q 'cacheline 1 boundary (32 bytes)' "$d/out" && grep -q 'cachelines: 5,' "$d/out" &&
	pass cli/layout-cacheline || fail cli/layout-cacheline "$(grep -m2 cacheline "$d/out")"

# JSON parses; with --pretty too; errors are JSON on stdout
if command -v python3 >/dev/null; then
	for p in "" --pretty; do
		"$BTFKIT" layout --json $p "$T/sample.bpf.o" > "$d/out"
		if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); t=[x for x in d["types"] if x["name"]=="sample"][0]; assert t["holes"]==1 and t["members"][1]["bitfield_size"]==3, t' "$d/out"; then
			pass "cli/layout-json${p:+-pretty}"
		else
			fail "cli/layout-json${p:+-pretty}" "$(head -c 200 "$d/out")"
		fi
	done
else
	skip cli/layout-json "python3 not installed"
fi
"$BTFKIT" layout --json "$T/sample.bpf.o" nosuch > "$d/out" 2> "$d/err"
rc=$?
[ $rc -eq 1 ] && grep -q '^{"error":".*nosuch' "$d/out" && pass cli/layout-json-error || fail cli/layout-json-error "rc=$rc $(cat "$d/out")"

# split BTF: a module on its base prints its own types
if [ -r "$BTFKIT_CORPUS/vmlinux" ] && [ -s "$BTFKIT_CORPUS/modules.list" ]; then
	m="$BTFKIT_CORPUS/$(grep -m1 '/ext4.ko' "$BTFKIT_CORPUS/modules.list")"
	"$BTFKIT" layout -B "$BTFKIT_CORPUS/vmlinux" "$m" ext4_sb_info > "$d/out" 2> "$d/err"
	grep -q '^struct ext4_sb_info {' "$d/out" && pass cli/layout-split || fail cli/layout-split "$(head -2 "$d/err")"
else
	skip cli/layout-split "corpus not fetched (scripts/fetch-corpus)"
fi

# usage errors exit 2, --help 0
"$BTFKIT" layout --help | grep -q '^Usage: btfkit layout' && pass cli/layout-help || fail cli/layout-help "no usage"
bad=
for args in "" "--cacheline 0 $T/sample.bpf.o" "--holes x $T/sample.bpf.o" \
	"--bogus $T/sample.bpf.o"; do
	# shellcheck disable=SC2086
	"$BTFKIT" layout $args > "$d/out" 2> "$d/err"
	rc=$?
	[ $rc -eq 2 ] && [ ! -s "$d/out" ] && grep -q '^btfkit layout: ' "$d/err" ||
		bad="${bad:-'$args': rc=$rc $(head -1 "$d/err")}"
done
# with --json the usage error is JSON too
"$BTFKIT" layout --sizes --json "$T/sample.bpf.o" > "$d/out" 2> "$d/err"
rc=$?
[ $rc -eq 2 ] && grep -q '^{"error":"layout: --sizes and --json exclude each other"}' "$d/out" ||
	bad="${bad:-'--sizes --json': rc=$rc $(cat "$d/out")}"
[ -z "$bad" ] && pass cli/layout-usage || fail cli/layout-usage "$bad"
"$BTFKIT" layout /nonexistent > "$d/out" 2> "$d/err"
[ $? -eq 1 ] && grep -q '^btfkit: /nonexistent: ' "$d/err" && pass cli/layout-bad-input || fail cli/layout-bad-input "$(cat "$d/err")"
