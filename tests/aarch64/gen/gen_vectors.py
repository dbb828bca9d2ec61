#!/usr/bin/env python3
"""Generate tests/aarch64/a64_vectors.inc from the vector specs in specs.py.

For every spec: assemble its code with aarch64-linux-gnu-as, take the
disassembly comment from aarch64-linux-gnu-objdump (at the address the code
runs at, 0x10000), and take the expected end state from the oracle
(gen/oracle.c, a static AArch64 program run under qemu-aarch64 -cpu
neoverse-n1): the state is installed through a signal frame, the code runs
until the stop BRK (or a SIGILL/SIGBUS) and the state is read back.  Specs
marked with an explicit `out` (Ferry-defined values such as CTR_EL0, and
SVC, which the oracle cannot run) are written by hand and not run.

The generated file is committed; rerun this script after editing specs.py:
    python3 tests/aarch64/gen/gen_vectors.py
Requires: gcc-aarch64-linux-gnu, binutils-aarch64-linux-gnu, qemu-user.
"""
import os
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, HERE)
import specs  # noqa: E402

CODE = 0x10000
DATA = 0x20000
DATA_SIZE = 0x1000
STOP_BRK = 0xd421e000
SIGILL, SIGTRAP, SIGBUS, SIGSEGV = 4, 5, 7, 11


# The default start state: keep in sync with tests/aarch64/a64_harness.c.
def default_x(n):
    return 0xc0de0000c0de0000 | (n << 32) | n


def default_v(n, half):
    return 0x7e57000000000000 | (n << 8) | half


def default_data():
    return bytearray(((i * 7 + 3) & 0xff) for i in range(DATA_SIZE))


DEFAULT_SP = DATA + 0x800


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, **kw)


def assemble(asm, tmp):
    """Words and objdump disassembly of `asm` (';'-separated) placed at CODE."""
    src = os.path.join(tmp, "v.s")
    obj = os.path.join(tmp, "v.o")
    binf = os.path.join(tmp, "v.bin")
    lines = [s.strip() for s in asm.split(";") if s.strip()]
    with open(src, "w") as f:
        f.write(".arch armv8.5-a+lse+crc+rcpc\n.text\n")
        for ln in lines:
            f.write(ln + "\n")
    run(["aarch64-linux-gnu-as", "-o", obj, src])
    run(["aarch64-linux-gnu-objcopy", "-O", "binary", "-j", ".text", obj, binf])
    data = open(binf, "rb").read()
    words = list(struct.unpack("<%dI" % (len(data) // 4), data))
    dis = run(["aarch64-linux-gnu-objdump", "-D", "-z", "-b", "binary", "-m", "aarch64",
               "--adjust-vma=0x%x" % CODE, binf]).stdout.decode()
    texts = []
    for ln in dis.splitlines():
        parts = ln.split("\t")
        if len(parts) >= 3 and parts[0].strip().endswith(":"):
            t = " ".join(p.strip() for p in parts[2:] if p.strip())
            t = t.split("//")[0].strip()
            texts.append(" ".join(t.split()))
    if len(texts) != len(words):
        raise SystemExit("objdump gave %d lines for %d words: %s" % (len(texts), len(words), asm))
    return words, texts


def start_state(spec):
    st = {"x": [default_x(n) for n in range(31)], "sp": DEFAULT_SP, "nzcv": 0,
          "tpidr": 0, "fpcr": 0, "fpsr": 0,
          "v": [[default_v(n, 0), default_v(n, 1)] for n in range(32)],
          "data": default_data()}
    for k, val in spec.state.items():
        if k.startswith("x") and k[1:].isdigit():
            st["x"][int(k[1:])] = val & (2**64 - 1)
        elif k.startswith("v") and k[1:].isdigit():
            st["v"][int(k[1:])] = [val[0], val[1]]
        elif k in ("sp", "nzcv", "tpidr", "fpcr", "fpsr"):
            st[k] = val
        elif k == "mem":
            for addr, size, value in val:
                assert DATA <= addr and addr + size <= DATA + DATA_SIZE, spec.asm
                for i in range(size):
                    st["data"][addr - DATA + i] = (value >> (8 * i)) & 0xff
        else:
            raise SystemExit("unknown state key %s in %s" % (k, spec.asm))
    return st


VIN = struct.Struct("<II8I31Q5Q64Q%ds" % DATA_SIZE)
VOUT = struct.Struct("<31Q6Q64QqqQ%ds" % DATA_SIZE)


def pack_in(words, st):
    code = (words + [0] * 8)[:8]
    v = [w for pair in st["v"] for w in pair]
    return VIN.pack(len(words), 0, *code, *st["x"], st["sp"], st["nzcv"], st["tpidr"],
                    st["fpcr"], st["fpsr"], *v, bytes(st["data"]))


def unpack_out(b):
    f = VOUT.unpack(b)
    o = {"x": list(f[0:31]), "sp": f[31], "pc": f[32], "nzcv": f[33], "tpidr": f[34],
         "fpcr": f[35], "fpsr": f[36]}
    v = f[37:37 + 64]
    o["v"] = [[v[2 * i], v[2 * i + 1]] for i in range(32)]
    o["signo"], o["sicode"], o["siaddr"] = f[101], f[102], f[103]
    o["data"] = bytearray(f[104])
    return o


def build_oracle(tmp):
    exe = os.path.join(tmp, "oracle")
    run(["aarch64-linux-gnu-gcc", "-O1", "-static", "-Wall", "-o", exe,
         os.path.join(HERE, "oracle.c")])
    return exe


def hexv(v):
    return "0x%x" % v


def mem_items(before, after):
    """Changed byte runs as M(addr, n, value) items of at most 8 bytes."""
    items = []
    i = 0
    while i < DATA_SIZE:
        if before[i] == after[i]:
            i += 1
            continue
        j = i
        while j < DATA_SIZE and j - i < 8 and before[j] != after[j]:
            j += 1
        n = j - i
        val = int.from_bytes(after[i:j], "little")
        items.append("M(0x%x, %d, 0x%x)" % (DATA + i, n, val))
        i = j
    return items


def state_items(base, st, with_mem=True):
    """Items describing st where it differs from base."""
    items = []
    for n in range(31):
        if st["x"][n] != base["x"][n]:
            items.append("X(%d, %s)" % (n, hexv(st["x"][n])))
    if st["sp"] != base["sp"]:
        items.append("SP(%s)" % hexv(st["sp"]))
    if st["nzcv"] != base["nzcv"]:
        items.append("NZCV(0x%x)" % st["nzcv"])
    for n in range(32):
        if st["v"][n] != base["v"][n]:
            items.append("V(%d, %s, %s)" % (n, hexv(st["v"][n][0]), hexv(st["v"][n][1])))
    for k, name in (("tpidr", "TPIDR"), ("fpcr", "FPCR"), ("fpsr", "FPSR")):
        if st[k] != base[k]:
            items.append("%s(%s)" % (name, hexv(st[k])))
    if with_mem:
        items += mem_items(base["data"], st["data"])
    return items


def oracle_out(spec, words, st, o):
    """OUT items from the oracle's end state o."""
    end = dict(o)
    items = state_items(st, end)
    stop = CODE + 4 * len(words)
    if o["signo"] == SIGTRAP:
        if o["pc"] != stop:
            items.append("EXIT(brk, %s)" % hexv(o["pc"]))
    elif o["signo"] == SIGILL:
        items.append("EXIT(undef, %s)" % hexv(o["pc"]))
    elif o["signo"] == SIGBUS:
        items.append("EXIT(fault, %s)" % hexv(o["pc"]))
        items.append("FAULT(%s)" % hexv(o["siaddr"]))
    else:
        raise SystemExit("oracle: signal %d at 0x%x for %s" % (o["signo"], o["pc"], spec.asm))
    return items


def main():
    out_path = os.path.join(HERE, "..", "a64_vectors.inc")
    with tempfile.TemporaryDirectory() as tmp:
        assembled = []
        for spec in specs.SPECS:
            words, texts = assemble(spec.asm, tmp)
            assembled.append((spec, words, texts, start_state(spec)))
        oracle = build_oracle(tmp)
        todo = [a for a in assembled if a[0].out is None]
        blob = b"".join(pack_in(w, st) for (_, w, _, st) in todo)
        res = subprocess.run(["qemu-aarch64", "-cpu", "neoverse-n1", oracle], input=blob,
                             capture_output=True, check=True).stdout
        if len(res) != VOUT.size * len(todo):
            raise SystemExit("oracle returned %d bytes for %d vectors" % (len(res), len(todo)))
        outs = {}
        for i, a in enumerate(todo):
            outs[id(a[0])] = unpack_out(res[i * VOUT.size:(i + 1) * VOUT.size])

    base = start_state(specs.Spec("nop", "", None, {}))
    lines = [
        "/* GENERATED by tests/aarch64/gen/gen_vectors.py from gen/specs.py: do not edit.",
        " * A64 instruction vectors: code (each word with its objdump disassembly),",
        " * start state (on top of the harness defaults, a64_harness.c) and expected",
        " * end state (what differs from the start).  Expected states come from the",
        " * oracle (gen/oracle.c under qemu-aarch64 -cpu neoverse-n1) unless the spec",
        " * is marked hand-written (Ferry-defined values, SVC). */",
    ]
    group = None
    for (spec, words, texts, st) in assembled:
        if spec.group != group:
            group = spec.group
            lines.append("")
            lines.append("/* ---- %s ---- */" % group)
        code = ", ".join("0x%08x /* %s */" % (w, t) for w, t in zip(words, texts))
        ins = state_items(base, st)
        if spec.out is None:
            outs_items = oracle_out(spec, words, st, outs[id(spec)])
            src = ""
        else:
            outs_items = list(spec.out)
            src = " /* hand-written */"
        note = " /* %s */" % spec.note if spec.note else ""
        lines.append('{"%s", __LINE__, CODE(%s),%s%s' % (group, code, note, src))
        lines.append("    IN(%s)," % ", ".join(ins))
        lines.append("    OUT(%s)}," % ", ".join(outs_items))
    with open(out_path, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("wrote %d vectors to %s" % (len(assembled), os.path.normpath(out_path)))


if __name__ == "__main__":
    main()
