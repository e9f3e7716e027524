#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Generate the fuzz seed inputs (tests/fuzz/mkseeds.py OUTDIR).

Writes OUTDIR/<target>/<name> for the targets raw, split, elf, elfwrite, dump, open
write, validate, dedup, distill and btfbase (dump, write, validate and dedup
inputs start with option bytes):
  - a synthetic BTF with every kind (little and big endian, v1 and layout
    headers, an unknown kind described by the kind-layout section);
  - slices of the Debian vmlinux BTF (the closure of list_head, sk_buff and
    file_operations, structs past a limit stubbed);
  - real module BTF from the Debian corpus made standalone: the base types a
    module refers to are copied (structs and unions as empty stubs of the same
    size, so the closure stays small), then the module's own types; the same
    types also as a split pair (stub base + module split);
  - tests/data/sample.bpf.o and the smallest corpus modules as ELF images,
    and minimal ELF32/ELF64 (both byte orders) wrappers around a .BTF;
  - gzip, xz and zstd streams of some of the above (and a gzip of zeros);
  - truncated and mutated headers;
  - (distill, btfbase) the split pairs as they are and distilled by
    `btfkit distill` ($BTFKIT, else build/btfkit, when built): as base +
    split pairs, and as minimal ELF modules with .BTF and .BTF.base.
The fuzzer's corpus (tests/fuzz/corpus) starts from these and is minimized
with -merge=1 (scripts/fuzz --merge).
"""
import os
import struct
import subprocess
import sys

CORPUS = os.environ.get("BTFKIT_CORPUS", "/var/cache/btfkit-corpus")
SRC = os.path.dirname(os.path.abspath(__file__)) + "/../.."

INT, PTR, ARRAY, STRUCT, UNION, ENUM, FWD, TYPEDEF, VOLATILE, CONST, RESTRICT, \
    FUNC, FUNC_PROTO, VAR, DATASEC, FLOAT, DECL_TAG, TYPE_TAG, ENUM64 = range(1, 20)
INFO_SZ = {INT: 4, ARRAY: 12, VAR: 4, DECL_TAG: 4}
ELEM_SZ = {STRUCT: 12, UNION: 12, ENUM: 8, FUNC_PROTO: 8, DATASEC: 12, ENUM64: 12}
REF3 = {PTR, TYPEDEF, VOLATILE, CONST, RESTRICT, FUNC, FUNC_PROTO, VAR, DECL_TAG, TYPE_TAG}


def fields(kind, nwords):
    """(string word indices, ID word indices) of a record of nwords words."""
    strs, ids = [0], []
    if kind in REF3:
        ids.append(2)
    if kind == ARRAY:
        ids += [3, 4]
    step = {STRUCT: 3, UNION: 3, ENUM: 2, ENUM64: 3, FUNC_PROTO: 2, DATASEC: 3}.get(kind)
    if step:
        for w in range(3, nwords, step):
            if kind != DATASEC:
                strs.append(w)
            if kind in (STRUCT, UNION, FUNC_PROTO):
                ids.append(w + 1)
            if kind == DATASEC:
                ids.append(w)
    return strs, ids


def rec_words(kind, vlen):
    return 3 + INFO_SZ.get(kind, 0) // 4 + vlen * ELEM_SZ.get(kind, 0) // 4


class Btf:
    """A decoded raw BTF: records as word lists (native ints) and strings."""

    def __init__(self, data, base=None):
        magic, ver, flags, hdr_len = struct.unpack_from("<HBBI", data)
        assert magic == 0xEB9F
        toff, tlen, soff, slen = struct.unpack_from("<4I", data, 8)
        self.strs = data[hdr_len + soff:hdr_len + soff + slen]
        self.base = base
        self.start_id = base.type_cnt() if base else 1
        self.start_str = (base.start_str + len(base.strs)) if base else 0
        self.recs = []
        t = data[hdr_len + toff:hdr_len + toff + tlen]
        off = 0
        while off < len(t):
            info = struct.unpack_from("<I", t, off + 4)[0]
            n = rec_words((info >> 24) & 0x7F, info & 0xFFFFFF)
            self.recs.append(list(struct.unpack_from("<%dI" % n, t, off)))
            off += 4 * n

    def type_cnt(self):
        return self.start_id + len(self.recs)

    def rec(self, tid):
        if tid < self.start_id:
            return self.base.rec(tid)
        return self.recs[tid - self.start_id]

    def str(self, off):
        if off < self.start_str:
            return self.base.str(off)
        s = self.strs[off - self.start_str:]
        return s[:s.index(b"\0")].decode("latin-1")


def kind_of(words):
    return (words[1] >> 24) & 0x7F


class Builder:
    """Types as word lists whose string fields hold Python strings."""

    def __init__(self):
        self.types = []

    def add(self, kind, name, rest, vlen=0, kflag=0, items=()):
        w = [name, (kflag << 31) | (kind << 24) | vlen] + list(rest)
        for it in items:
            w += list(it)
        self.types.append(w)
        return len(self.types)  # ID (1-based) in a standalone BTF


def encode(types, start_id=1, base_strs=None, start_str=0, big=False, hdr_len=24,
           layout=None, type_cnt_check=True):
    """Raw BTF bytes for types (word lists; string fields are str)."""
    strtab = bytearray(b"" if base_strs is not None else b"\0")
    index = {}
    if base_strs is None:
        index[""] = 0

    def stroff(s):
        if s == "" and base_strs is not None:
            return 0
        if base_strs is not None and s in base_strs:
            return base_strs[s]
        if s not in index:
            index[s] = start_str + len(strtab)
            strtab.extend(s.encode("latin-1") + b"\0")
        return index[s]

    body = bytearray()
    e = ">" if big else "<"
    for w in types:
        kind = kind_of([0, w[1]])
        strs, _ = fields(kind, len(w)) if kind < 20 else ([0], [])
        out = []
        for i, x in enumerate(w):
            out.append(stroff(x) if i in strs and isinstance(x, str) else x & 0xFFFFFFFF)
        body += struct.pack(e + "%dI" % len(out), *out)
    lay = bytearray()
    if layout:
        for info_sz, elem_sz, fl in layout:
            lay += struct.pack(e + "BBH", info_sz, elem_sz, fl)
    tlen = len(body)
    loff = tlen if layout else 0
    soff = tlen + len(lay)
    hdr = struct.pack(e + "HBBI4I", 0xEB9F, 1, 0, hdr_len, 0, tlen, soff, len(strtab))
    if hdr_len >= 28:
        hdr += struct.pack(e + "I", loff)
    if hdr_len >= 32:
        hdr += struct.pack(e + "I", len(lay))
    hdr += b"\0" * (hdr_len - len(hdr))
    return bytes(hdr + body + lay + strtab)


def strings_of(blob):
    """{string: offset} of a raw (little-endian) BTF blob's string section."""
    hdr_len = struct.unpack_from("<I", blob, 4)[0]
    soff, slen = struct.unpack_from("<2I", blob, 16)
    s = blob[hdr_len + soff:hdr_len + soff + slen]
    out, i = {}, 0
    for part in s.split(b"\0")[:-1]:
        out.setdefault(part.decode("latin-1"), i)
        i += len(part) + 1
    return out


def synthetic():
    b = Builder()
    i32 = b.add(INT, "int", [4], items=[[(1 << 24) | 32]])
    u8 = b.add(INT, "unsigned char", [1], items=[[8]])
    lng = b.add(INT, "long int", [8], items=[[(1 << 24) | 64]])
    flt = b.add(FLOAT, "double", [8])
    s_id = len(b.types) + 1
    ptr = b.add(PTR, "", [s_id + 1])  # -> struct s (forward reference)
    s = b.add(STRUCT, "s", [24], vlen=4, kflag=1,
              items=[["a", i32, 0], ["b", u8, (3 << 24) | 32], ["next", ptr, 64], ["arr", s_id + 5, 128]])
    assert s == s_id + 1
    u = b.add(UNION, "u", [8], vlen=2, items=[["x", lng, 0], ["y", flt, 0]])
    e = b.add(ENUM, "e", [4], vlen=2, kflag=1, items=[["E_A", 0xFFFFFFFF], ["E_B", 7]])
    e64 = b.add(ENUM64, "e64", [8], vlen=1, items=[["E64", 1, 0x80000000]])
    arr = b.add(ARRAY, "", [0], items=[[u8, i32, 8]])
    assert arr == s_id + 5
    b.add(FWD, "fwd_u", [0], kflag=1)
    td = b.add(TYPEDEF, "s_t", [s])
    c = b.add(CONST, "", [td])
    v = b.add(VOLATILE, "", [c])
    r = b.add(RESTRICT, "", [b.add(PTR, "", [v])])
    tt = b.add(TYPE_TAG, "user", [r])
    proto = b.add(FUNC_PROTO, "", [i32], vlen=3, items=[["p", tt], ["q", e], ["", 0]])
    fn = b.add(FUNC, "f", [proto], vlen=1)
    var = b.add(VAR, "g", [u], items=[[1]])
    b.add(DATASEC, ".data", [16], vlen=1, items=[[var, 0, 8]])
    b.add(DECL_TAG, "tag", [fn], items=[[0]])
    b.add(DECL_TAG, "tag2", [s], items=[[0xFFFFFFFF]])
    b.add(TYPEDEF, "e64_t", [e64])
    return b.types


def closure_standalone(mod, vml):
    """Module split types made standalone: (types, number of stub types)."""
    order, newid = [], {}
    work = []

    def need(tid):
        if tid == 0 or tid >= mod.start_id or tid in newid:
            return
        newid[tid] = None
        work.append(tid)

    for w in mod.recs:
        for i in fields(kind_of(w), len(w))[1]:
            need(w[i])
    while work:
        tid = work.pop(0)
        order.append(tid)
        w = vml.rec(tid)
        if kind_of(w) in (STRUCT, UNION):
            continue
        for i in fields(kind_of(w), len(w))[1]:
            need(w[i])
    for n, tid in enumerate(order):
        newid[tid] = n + 1
    shift = len(order) + 1 - mod.start_id

    def remap(x):
        if x == 0:
            return 0
        return newid[x] if x < mod.start_id else x + shift

    types = []
    for tid in order:
        w = list(vml.rec(tid))
        k = kind_of(w)
        if k in (STRUCT, UNION):
            w = w[:3]
            w[1] &= ~0xFFFFFF
        s, ids = fields(k, len(w))
        for i in s:
            w[i] = vml.str(w[i])
        for i in ids:
            w[i] = remap(w[i])
        types.append(w)
    for w in mod.recs:
        w = list(w)
        s, ids = fields(kind_of(w), len(w))
        for i in s:
            w[i] = mod.str(w[i])
        for i in ids:
            w[i] = remap(w[i])
        types.append(w)
    return types, len(order)


def vmlinux_slice(vml, roots, limit):
    """Real vmlinux types: the closure of roots (IDs), in ID order, with
    structs and unions past the first limit types stubbed (no members)."""
    keep, work = {}, list(roots)
    while work:
        tid = work.pop(0)
        if tid == 0 or tid in keep:
            continue
        w = vml.rec(tid)
        full = len(keep) < limit or kind_of(w) not in (STRUCT, UNION)
        keep[tid] = full
        if full:
            work += [w[i] for i in fields(kind_of(w), len(w))[1]]
    order = sorted(keep)
    newid = {tid: n + 1 for n, tid in enumerate(order)}
    types = []
    for tid in order:
        w = list(vml.rec(tid))
        k = kind_of(w)
        if not keep[tid]:
            w = w[:3]
            w[1] &= ~0xFFFFFF
        strs, ids = fields(k, len(w))
        for i in strs:
            w[i] = vml.str(w[i])
        for i in ids:
            w[i] = newid.get(w[i], 0) if w[i] else 0
        types.append(w)
    return types


def section(path, name):
    """Bytes of section name of a little-endian ELF64 file."""
    with open(path, "rb") as f:
        d = f.read()
    shoff, = struct.unpack_from("<Q", d, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", d, 0x3A)
    secs = [struct.unpack_from("<IIQQQQ", d, shoff + i * shentsize) for i in range(shnum)]
    stroff = secs[shstrndx][4]
    for sh in secs:
        n = d[stroff + sh[0]:]
        if n[:n.index(b"\0")].decode() == name:
            return d[sh[4]:sh[4] + sh[5]]
    raise KeyError(name)


def mini_elf(btf, bits=64, big=False, pad=0, base=None):
    """A minimal relocatable ELF holding btf as its .BTF section (pad bytes in),
    and base as its .BTF.base section when given."""
    e = ">" if big else "<"
    shstr = b"\0.BTF\0.shstrtab\0.BTF.base\0"
    ehsz, shsz = (64, 64) if bits == 64 else (52, 40)
    btf_off = ehsz + pad
    base_off = btf_off + len(btf)
    shstr_off = base_off + (len(base) if base is not None else 0)
    sh_off = (shstr_off + len(shstr) + 7) & ~7
    nsec = 4 if base is not None else 3
    ident = b"\x7fELF" + bytes([2 if bits == 64 else 1, 2 if big else 1, 1]) + b"\0" * 9
    if bits == 64:
        hdr = ident + struct.pack(e + "HHIQQQIHHHHHH", 1, 247, 1, 0, 0, sh_off, 0, ehsz, 0, 0, shsz, nsec, 2)
        sec = lambda n, t, off, sz: struct.pack(e + "IIQQQQIIQQ", n, t, 0, 0, off, sz, 0, 0, 1, 0)
    else:
        hdr = ident + struct.pack(e + "HHIIIIIHHHHHH", 1, 247, 1, 0, 0, sh_off, 0, ehsz, 0, 0, shsz, nsec, 2)
        sec = lambda n, t, off, sz: struct.pack(e + "IIIIIIIIII", n, t, 0, 0, off, sz, 0, 0, 1, 0)
    img = bytearray(hdr + b"\0" * pad + btf + (base or b"") + shstr)
    img += b"\0" * (sh_off - len(img))
    img += b"\0" * shsz + sec(1, 1, btf_off, len(btf)) + sec(6, 3, shstr_off, len(shstr))
    if base is not None:
        img += sec(16, 1, base_off, len(base))
    return bytes(img)


def distill(base, split):
    """(distilled base, distilled split) by `btfkit distill`, or None."""
    import tempfile
    exe = os.environ.get("BTFKIT") or SRC + "/build/btfkit"
    if not os.access(exe, os.X_OK):
        return None
    with tempfile.TemporaryDirectory() as d:
        open(d + "/b", "wb").write(base)
        open(d + "/s", "wb").write(split)
        r = subprocess.run([exe, "distill", "-B", d + "/b", d + "/s", "-o", d + "/o"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if r.returncode:
            return None
        return open(d + "/o.base", "rb").read(), open(d + "/o", "rb").read()


def main():
    out = sys.argv[1]
    seeds = {t: {} for t in ("raw", "split", "elf", "dump", "open", "write", "validate", "dedup",
                             "elfwrite", "distill", "btfbase")}
    syn = synthetic()
    raw = seeds["raw"]
    raw["syn-le"] = encode(syn)
    raw["syn-be"] = encode(syn, big=True)
    raw["syn-hdr32"] = encode(syn, hdr_len=32, layout=[(4, 0, 0)] * 20)
    # an unknown kind 21 described by the layout section (info 4, elem 8)
    unk = syn + [["", (21 << 24) | 2, 0, 7, 1, 2, 3, 4]]
    raw["syn-unknown-kind"] = encode(unk, hdr_len=32,
                                     layout=[(0, 0, 0)] * 21 + [(4, 8, 0)])
    raw["syn-hdr28"] = encode(syn, hdr_len=28)
    # headers: truncated, mutated lengths
    base = raw["syn-le"]
    raw["trunc-hdr"] = base[:20]
    raw["trunc-types"] = base[:60]
    raw["hdr-4GiB"] = base[:12] + struct.pack("<I", 0xFFFFFFF0) + base[16:]
    raw["hdr-len-big"] = base[:4] + struct.pack("<I", 0x7FFFFFFF) + base[8:]
    raw["empty-types"] = encode([])

    # real module BTF (split on vmlinux), made standalone and as split pairs
    vpath = CORPUS + "/vmlinux"
    mods = ["x/lib/modules/6.1.0-50-amd64/kernel/lib/crc7.ko",
            "x/lib/modules/6.1.0-50-amd64/kernel/lib/math/cordic.ko",
            "x/lib/modules/6.1.0-50-amd64/kernel/crypto/crct10dif_common.ko",
            "x/lib/modules/6.1.0-50-amd64/kernel/fs/nls/nls_cp437.ko",
            "x/lib/modules/6.1.0-50-amd64/kernel/drivers/input/misc/pcspkr.ko"]
    split = seeds["split"]
    if os.path.exists(vpath):
        vml = Btf(section(vpath, ".BTF"))
        names = {}
        for i, w in enumerate(vml.recs):
            if kind_of(w) in (STRUCT, UNION) and w[0]:
                names.setdefault(vml.str(w[0]), i + 1)
        for root, limit in (("list_head", 50), ("sk_buff", 60), ("file_operations", 80)):
            if root in names:
                raw["vmlinux-" + root] = encode(vmlinux_slice(vml, [names[root]], limit))
        for m in mods:
            p = CORPUS + "/" + m
            if not os.path.exists(p):
                continue
            name = os.path.basename(p)[:-3]
            mod = Btf(section(p, ".BTF"), vml)
            types, nstub = closure_standalone(mod, vml)
            raw["mod-" + name] = encode(types)
            b = encode(types[:nstub])
            s = encode(types[nstub:], start_id=nstub + 1, base_strs=strings_of(b),
                       start_str=len(strings_of_raw(b)))
            split["mod-" + name] = struct.pack("<I", len(b)) + b + s
            seeds["elf"]["ko-" + name] = open(p, "rb").read()
    # synthetic split: base = synthetic, split adds types referring to it
    b = raw["syn-le"]
    nb = len(syn)
    sp = [["s2", (STRUCT << 24) | 2, 16, "a", 1, 0, "s", nb + 3, 64],
          ["", (PTR << 24), nb + 1], ["", (CONST << 24), 6],
          ["s_t", (TYPEDEF << 24), nb + 1]]
    split["syn"] = struct.pack("<I", len(b)) + b + encode(sp, start_id=nb + 1, base_strs=strings_of(b),
                                                        start_str=len(strings_of_raw(b)))
    split["syn-be"] = struct.pack("<I", len(raw["syn-be"])) + raw["syn-be"] + \
        encode(sp, start_id=nb + 1, base_strs=strings_of(b), start_str=len(strings_of_raw(b)), big=True)

    elf = seeds["elf"]
    elf["sample.bpf.o"] = open(SRC + "/tests/data/sample.bpf.o", "rb").read()
    elf["mini64-le"] = mini_elf(raw["syn-le"])
    elf["mini64-be"] = mini_elf(raw["syn-be"], big=True)
    elf["mini32-le"] = mini_elf(raw["syn-le"], bits=32)
    elf["mini32-be"] = mini_elf(raw["syn-be"], bits=32, big=True)
    # .BTF at odd offsets: every record and the layout section misaligned
    elf["mini64-le-odd"] = mini_elf(raw["syn-hdr32"], pad=1)
    elf["mini32-be-odd"] = mini_elf(raw["syn-be"], bits=32, big=True, pad=3)
    elf["mini64-le-odd-unknown"] = mini_elf(raw["syn-unknown-kind"], pad=2)
    raw["sample-btf"] = section(SRC + "/tests/data/sample.bpf.o", ".BTF")

    # compressed forms of raw and ELF inputs (target "open")
    import gzip
    import lzma
    op = seeds["open"]
    for k in ("syn-le", "syn-be", "mod-pcspkr"):
        if k in raw:
            op[k + ".gz"] = gzip.compress(raw[k], mtime=0)
            op[k + ".xz"] = lzma.compress(raw[k], check=lzma.CHECK_CRC32)
    op["mini64-le.gz"] = gzip.compress(elf["mini64-le"], mtime=0)
    op["sample.bpf.o.xz"] = lzma.compress(elf["sample.bpf.o"], check=lzma.CHECK_CRC32)
    try:
        op["syn-le.zst"] = subprocess.run(["zstd", "-q", "-c"], input=raw["syn-le"], check=True,
                                          stdout=subprocess.PIPE).stdout
    except (OSError, subprocess.CalledProcessError):
        pass
    op["gz-zeros"] = gzip.compress(bytes(1 << 22), mtime=0)
    op["syn-le"] = raw["syn-le"]
    op["mini32-be"] = elf["mini32-be"]

    dump = seeds["dump"]
    for i, (k, v) in enumerate(sorted(raw.items())):
        if k.startswith(("syn", "mod", "sample", "vmlinux")):
            dump[k] = bytes([i % 16, 1, 0, 5, 0, 9, 0, 3, 0]) + v

    wr = seeds["write"]
    for i, (k, v) in enumerate(sorted(raw.items())):
        if k.startswith(("syn", "mod", "sample", "vmlinux")):
            wr[k] = bytes([(7 + 8 * i) & 0xFF]) + v

    dd = seeds["dedup"]
    for k, v in raw.items():
        if k.startswith(("syn", "mod", "sample", "vmlinux")):
            dd[k] = b"\0" + v + v[24:0]
    for k, v in split.items():
        dd["split-" + k] = b"\1" + v
    va = seeds["validate"]
    for k, v in raw.items():
        va[k] = b"\0" + v
    for k, v in split.items():
        va["split-" + k] = b"\1" + v

    # ELF section writing: a control byte (name, size, second section) + ELF image
    ew = seeds["elfwrite"]
    for i, (k, v) in enumerate(sorted(elf.items())):
        if k.startswith("ko-") and len(v) > 200000:
            continue
        for ctl in (0x00, 0x0d, 0x1e, 0x2b ^ (i & 3), 0x36):
            ew["%s-%02x" % (k, ctl)] = bytes([ctl]) + v
    ew["sample.bpfeb.o-03"] = b"\x03" + open(SRC + "/tests/data/sample.bpfeb.o", "rb").read()

    # distilled bases: the split pairs, distilled (little endian ones)
    ds, bb = seeds["distill"], seeds["btfbase"]
    for k, v in split.items():
        ds[k] = v
        n = struct.unpack_from("<I", v)[0]
        pair = distill(v[4:4 + n], v[4 + n:])
        if pair is None:
            continue
        db, dsp = pair
        ds["distilled-" + k] = struct.pack("<I", len(db)) + db + dsp
        bb["ko-" + k] = mini_elf(dsp, base=db)
        bb["ko32-" + k] = mini_elf(dsp, bits=32, base=db)
        bb["ko-odd-" + k] = mini_elf(dsp, pad=3, base=db)
    bb["no-base"] = elf["mini64-le"]

    for t, files in seeds.items():
        os.makedirs(out + "/" + t, exist_ok=True)
        for k, v in files.items():
            with open(out + "/" + t + "/" + k, "wb") as f:
                f.write(v)
    print(" ".join("%s=%d" % (t, len(f)) for t, f in seeds.items()))


def strings_of_raw(blob):
    hdr_len = struct.unpack_from("<I", blob, 4)[0]
    soff, slen = struct.unpack_from("<2I", blob, 16)
    return blob[hdr_len + soff:hdr_len + soff + slen]


if __name__ == "__main__":
    main()
