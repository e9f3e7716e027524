#!/usr/bin/env bash
# btfkit find and btfkit list. find: module matching in a stand-in for
# /sys/kernel/btf (BTFKIT_SYSFS_BTF holding the corpus vmlinux and modules as
# raw BTF), type IDs and sizes checked against bpftool's dump, --kind,
# JSON, files and trees, no match; on the live system the BTF object ID
# against bpftool. list: against 'bpftool btf list' (plain and -j) with a
# BTF object of our own loaded (BPF_BTF_LOAD), the only entries compared
# being vmlinux and ours (others may come and go while the tests run).
. "$BTFKIT_SRC/tests/lib.sh"
d=$(tmpdir)
trap 'exec 9>&-; rm -rf "$d"' EXIT
hold="$BTFKIT_BUILD/tests/btf_hold"

# the live vmlinux object's ID per bpftool (empty when bpf() is not allowed)
live_vmlinux=$(bpftool -j btf list 2>/dev/null | python3 -c '
import json, sys
for o in json.load(sys.stdin):
    if o.get("kernel") and o.get("name") == "vmlinux": print(o["id"])' 2>/dev/null)

if need_corpus cli/find-standin && need_bpftool cli/find-standin; then
	S="$d/sysfs"
	mkdir "$S"
	"$BTFKIT" convert "$VMLINUX" -o "$S/vmlinux"
	for m in kvm kvm-intel e1000e; do
		ko=$(grep "/$m\.ko$" "$BTFKIT_CORPUS/modules.list" | head -1)
		"$BTFKIT" convert -B "$VMLINUX" "$BTFKIT_CORPUS/$ko" -o "$S/$m"
	done

	t=cli/find-standin
	# struct kvm_mmu_page: defined in kvm, only declared (FWD) in vmlinux
	BTFKIT_SYSFS_BTF="$S" "$BTFKIT" find kvm_mmu_page > "$d/f1" 2> "$d/f1.err"
	rc=$?
	want=$(bpftool btf dump file "$S/kvm" -B "$S/vmlinux" | sed -n "s/^\[\([0-9]*\)\] STRUCT 'kvm_mmu_page' size=\([0-9]*\) .*/kvm: [\1] STRUCT 'kvm_mmu_page' size=\2/p")
	fwd=$(bpftool btf dump file "$S/vmlinux" | sed -n "s/^\[\([0-9]*\)\] FWD 'kvm_mmu_page' .*/vmlinux: [\1] FWD 'kvm_mmu_page'/p")
	[ -n "$live_vmlinux" ] && fwd="$fwd btf_obj_id=$live_vmlinux"
	if [ $rc = 0 ] && [ -n "$want" ] && [ "$(cat "$d/f1")" = "$want
$fwd" ]; then
		pass "$t ($want; $fwd)"
	else
		fail $t "exit $rc, got '$(cat "$d/f1" "$d/f1.err")', bpftool says '$want' '$fwd'"
	fi

	t=cli/find-standin-vmlinux-object-id
	BTFKIT_SYSFS_BTF="$S" "$BTFKIT" find -k struct task_struct > "$d/f2" 2>&1
	id=$(bpftool btf dump file "$S/vmlinux" | sed -n "s/^\[\([0-9]*\)\] STRUCT 'task_struct' size=\([0-9]*\) .*/\1 \2/p")
	if [ -z "$live_vmlinux" ]; then
		want="vmlinux: [${id% *}] STRUCT 'task_struct' size=${id#* }"
	else
		want="vmlinux: [${id% *}] STRUCT 'task_struct' size=${id#* } btf_obj_id=$live_vmlinux"
	fi
	if [ "$(cat "$d/f2")" = "$want" ]; then
		pass "$t$( [ -n "$live_vmlinux" ] || echo ' (no bpf() privileges: without the object ID)')"
	else
		fail $t "got '$(cat "$d/f2")', expected '$want'"
	fi

	t=cli/find-kind-and-json
	BTFKIT_SYSFS_BTF="$S" "$BTFKIT" find --kind func kvm_vcpu_kick --json > "$d/f3"
	BTFKIT_SYSFS_BTF="$S" "$BTFKIT" find --kind struct kvm_vcpu_kick > /dev/null 2> "$d/f3.err"
	rc=$?
	fid=$(bpftool btf dump file "$S/kvm" -B "$S/vmlinux" | sed -n "s/^\[\([0-9]*\)\] FUNC 'kvm_vcpu_kick' .*/\1/p")
	if head -1 "$d/f3" | grep -q "^{\"module\":\"kvm\",\"file\":\"$S/kvm\",\"id\":$fid,\"kind\":\"FUNC\",\"name\":\"kvm_vcpu_kick\",\"size\":null,\"btf_obj_id\":null}$" &&
		[ "$(tail -1 "$d/f3")" = '{"matches":1,"modules":4,"failed":0}' ] && [ $rc = 1 ] &&
		grep -q "no type of that name and kind" "$d/f3.err"; then
		pass $t
	else
		fail $t "$(cat "$d/f3" "$d/f3.err" | head -3 | tr '\n' ' ')"
	fi

	t=cli/find-files-and-trees
	mods="$MODDIR/6.1.0-50-amd64/kernel/arch/x86/kvm"
	"$BTFKIT" find -B "$VMLINUX" -j1 -k struct kvm_mmu_page "$mods" "$VMLINUX" > "$d/t1"
	"$BTFKIT" find -B "$VMLINUX" -j2 -k struct kvm_mmu_page "$mods" "$VMLINUX" > "$d/t2"
	"$BTFKIT" find -B "$VMLINUX" kvm_mmu_page "$mods/kvm-amd.ko" > /dev/null 2>&1
	rc=$?
	if cmp -s "$d/t1" "$d/t2" && [ "$(grep -c . "$d/t1")" = 1 ] && grep -q "^kvm: \[$(head -1 "$d/f1" | sed 's/.*\[\([0-9]*\)\].*/\1/')\] STRUCT 'kvm_mmu_page'" "$d/t1" &&
		[ $rc = 1 ]; then
		pass $t
	else
		fail $t "$(cat "$d/t1") / exit $rc"
	fi
fi

t=cli/find-live
if [ -n "$live_vmlinux" ] && [ -r /sys/kernel/btf/vmlinux ]; then
	"$BTFKIT" find -k struct task_struct > "$d/l1"
	line=$(grep '^vmlinux: ' "$d/l1")
	id=$(bpftool btf dump file /sys/kernel/btf/vmlinux | sed -n "s/^\[\([0-9]*\)\] STRUCT 'task_struct' size=\([0-9]*\) .*/\1 \2/p")
	if [ "$line" = "vmlinux: [${id% *}] STRUCT 'task_struct' size=${id#* } btf_obj_id=$live_vmlinux" ]; then
		pass "$t ($line)"
	else
		fail $t "got '$line', bpftool: ID ${id% *}, object $live_vmlinux"
	fi
else
	skip $t "no bpf() privileges or no /sys/kernel/btf/vmlinux"
fi

t=cli/list-vs-bpftool
if [ -z "$live_vmlinux" ]; then
	skip $t "no bpf() privileges (bpftool btf list fails)"
elif need_helper $t "$hold"; then
	# hold a BTF object of our own while both tools list
	mkfifo "$d/fifo"
	"$hold" "$BTFKIT_TEST_DATA/validate-ok.btf" < "$d/fifo" > "$d/held" 2> "$d/held.err" &
	exec 9> "$d/fifo"
	for _ in $(seq 50); do [ -s "$d/held" ] && break; sleep 0.1; done
	mine=$(cat "$d/held")
	"$BTFKIT" list > "$d/ours" 2> "$d/ours.err"
	"$BTFKIT" list --json > "$d/ours.json"
	bpftool btf list > "$d/ref"
	bpftool -j btf list > "$d/ref.json"
	exec 9>&-
	wait
	pick() { grep -E "^($live_vmlinux|$mine): " "$1"; }
	pickj() {
		python3 -c '
import json, sys
keep = {int(sys.argv[2]), int(sys.argv[3])}
for o in json.load(open(sys.argv[1])):
    if o["id"] in keep:
        print(json.dumps({k: o.get(k) for k in ("id", "size", "prog_ids", "map_ids", "kernel", "name")}, sort_keys=True))' "$1" "$live_vmlinux" "$mine"
	}
	if [ -n "$mine" ] && [ "$(pick "$d/ours" | wc -l)" = 2 ] && [ "$(pick "$d/ours")" = "$(pick "$d/ref")" ] &&
		[ "$(pickj "$d/ours.json")" = "$(pickj "$d/ref.json")" ] && [ "$(pickj "$d/ours.json" | wc -l)" = 2 ]; then
		pass "$t (vmlinux $live_vmlinux and a loaded BTF $mine: $(pick "$d/ours" | tail -1))"
	else
		fail $t "ours '$(pick "$d/ours" | tr '\n' ' ')' bpftool '$(pick "$d/ref" | tr '\n' ' ')' $(cat "$d/ours.err" "$d/held.err")"
	fi
fi
