"""FP/SIMD instruction-vector specs for fp_gen_vectors.py (format: specs.py).

V(asm, **state): `asm` is GNU assembler text (';'-separated); state keys x0..x30,
sp, nzcv, v0..v31 ((lo, hi)), fpcr, fpsr, mem=[(addr, bytes, value)].  out=[...]
marks a hand-written (Ferry-defined) expectation.  Values of V registers are
built with the lane helpers below (B/H/S/D: integer lanes, F/DF: float/double).
"""
import struct

from specs import Spec

DATA = 0x20000
M64 = 0xffffffffffffffff

SPECS = []
_group = ["fp"]


def group(name):
    _group[0] = name


def V(asm, out=None, note=None, **state):
    SPECS.append(Spec(_group[0], asm, out, state, note))


def f(x):
    """Single-precision bits of x (ints pass through as raw bits)."""
    if isinstance(x, int):
        return x
    return struct.unpack("<I", struct.pack("<f", x))[0]


def d(x):
    """Double-precision bits of x (ints pass through as raw bits)."""
    if isinstance(x, int):
        return x
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def lanes(es, vals):
    n = 16 // es
    vals = list(vals) + [0] * (n - len(vals))
    v = 0
    for i, x in enumerate(vals):
        v |= (x & ((1 << (8 * es)) - 1)) << (8 * es * i)
    return (v & M64, v >> 64)


def B(*xs):
    return lanes(1, xs)


def H(*xs):
    return lanes(2, xs)


def S(*xs):
    return lanes(4, xs)


def D(*xs):
    return lanes(8, xs)


def F(*xs):
    return S(*[f(x) for x in xs])


def DF(*xs):
    return D(*[d(x) for x in xs])


def sd(x):
    """A scalar double in V (upper half non-zero, to see it cleared)."""
    return (d(x), 0x1111)


def ss(x):
    """A scalar single in V (rest non-zero)."""
    return (0x2222222200000000 | f(x), 0x1111)


# special values
DQNAN = 0x7ff8000000000001   # quiet NaN with a payload
DQNAN2 = 0xfff8000000000002
DSNAN = 0x7ff0000000000005   # signalling NaN
SQNAN = 0x7fc00001
SSNAN = 0x7f800003
DINF = d(float("inf"))
DMIN_NORMAL = 0x0010000000000000
DDENORM = 0x0000000000000003
SDENORM = 0x00000007
RP, RM, RZ = 0x400000, 0x800000, 0xc00000
DN, FZ = 0x2000000, 0x1000000

BYTES = list(range(0x10, 0x20))
BYTES2 = [0x80, 0x7f, 0x00, 0xff, 0x01, 0xfe, 0x40, 0xc0, 0x33, 0xcc, 0x55, 0xaa, 0x10, 0xf0, 0x0f, 0x99]

# ---------------------------------------------------------------------------
group("fp_arith")
V("fadd d0, d1, d2", v1=sd(1.5), v2=sd(2.25))
V("fadd s0, s1, s2", v1=ss(1.0), v2=ss(2.0 ** -30), note="inexact: IXC")
V("fsub d0, d1, d2", v1=sd(3.0), v2=sd(3.0), note="x - x = +0")
V("fsub d0, d1, d2", v1=sd(3.0), v2=sd(3.0), fpcr=RM, note="x - x = -0 when rounding down")
V("fsub s0, s1, s2", v1=ss(-1.25), v2=ss(0.5))
V("fmul d0, d1, d2", v1=sd(1e300), v2=sd(1e300), note="overflow: OFC IXC, +inf")
V("fmul d0, d1, d2", v1=sd(1e300), v2=sd(1e300), fpcr=RZ, note="overflow toward zero: max normal")
V("fmul s0, s1, s2", v1=ss(1e-30), v2=ss(1e-30), note="underflow to zero: UFC IXC")
V("fmul d0, d1, d2", v1=sd(-0.0), v2=sd(5.0))
V("fmul s0, s1, s2", v1=ss(float("inf")), v2=ss(0.0), note="inf * 0: default NaN, IOC")
V("fdiv d0, d1, d2", v1=sd(1.0), v2=sd(3.0))
V("fdiv d0, d1, d2", v1=sd(-1.0), v2=sd(0.0), note="divide by zero: -inf, DZC")
V("fdiv s0, s1, s2", v1=ss(0.0), v2=ss(0.0), note="0/0: default NaN, IOC")
V("fdiv s0, s1, s2", v1=ss(7.0), v2=ss(2.0))
V("fnmul d0, d1, d2", v1=sd(2.0), v2=sd(3.0))
V("fnmul s0, s1, s2", v1=ss(-2.0), v2=ss(0.0))
V("fneg d0, d1", v1=sd(2.5))
V("fneg s0, s1", v1=(SQNAN, 0x55), note="FNEG flips the sign of a NaN, no exception")
V("fabs d0, d1", v1=(DQNAN2, 7), note="FABS clears the sign of a NaN")
V("fabs s0, s1", v1=ss(-0.0))
V("fsqrt d0, d1", v1=sd(2.0))
V("fsqrt s0, s1", v1=ss(-4.0), note="sqrt of a negative: default NaN, IOC")
V("fsqrt d0, d1", v1=sd(-0.0), note="sqrt(-0) = -0")
V("fsqrt s0, s1", v1=ss(16.0))
V("fmax d0, d1, d2", v1=sd(-0.0), v2=sd(0.0), note="max(-0, +0) = +0")
V("fmin d0, d1, d2", v1=sd(0.0), v2=sd(-0.0), note="min(+0, -0) = -0")
V("fmax s0, s1, s2", v1=ss(1.0), v2=(SQNAN, 0), note="a quiet NaN wins in FMAX")
V("fmin s0, s1, s2", v1=ss(1.0), v2=ss(-3.0))
V("fmaxnm d0, d1, d2", v1=(DQNAN, 0), v2=sd(-7.0), note="FMAXNM: the number wins over a quiet NaN")
V("fminnm s0, s1, s2", v1=ss(2.0), v2=(SQNAN, 0))
V("fmaxnm d0, d1, d2", v1=(DQNAN, 0), v2=(DSNAN, 0), note="a signalling NaN still propagates (quieted), IOC")
V("fminnm d0, d1, d2", v1=sd(-1.0), v2=sd(-2.0))

group("fp_nan")
V("fadd d0, d1, d2", v1=(DQNAN, 0), v2=(DQNAN2, 0), note="two quiet NaNs: the first")
V("fadd d0, d1, d2", v1=(DQNAN, 0), v2=(DSNAN, 0), note="a signalling NaN has priority: quieted, IOC")
V("fmul s0, s1, s2", v1=ss(2.0), v2=(SSNAN, 0), note="SNaN quieted, payload kept")
V("fsub d0, d1, d2", v1=(DQNAN2, 0), v2=sd(1.0), note="negative quiet NaN propagates with its sign")
V("fadd d0, d1, d2", v1=(DQNAN, 0), v2=sd(1.0), fpcr=DN, note="FPCR.DN: default NaN")
V("fdiv s0, s1, s2", v1=(SSNAN, 0), v2=ss(1.0), fpcr=DN, note="FPCR.DN with an SNaN: default NaN, IOC")
V("fsqrt d0, d1", v1=(DSNAN, 0))
V("fadd d0, d1, d2", v1=sd(float("inf")), v2=sd(float("-inf")), note="inf - inf: default NaN (positive), IOC")
V("fmax d0, d1, d2", v1=(DSNAN, 0), v2=(DQNAN, 0))
V("fabs d0, d1", v1=(DSNAN, 0), note="FABS of an SNaN: no exception, not quieted")

group("fp_env")
V("fadd d0, d1, d2", v1=sd(1.0), v2=sd(2.0 ** -60), fpcr=RP, note="round up: next double above 1")
V("fadd d0, d1, d2", v1=sd(-1.0), v2=sd(-(2.0 ** -60)), fpcr=RM, note="round down")
V("fadd d0, d1, d2", v1=sd(-1.0), v2=sd(-(2.0 ** -60)), fpcr=RZ, note="round toward zero")
V("fmul s0, s1, s2", v1=ss(1.0 / 3), v2=ss(3.0), fpcr=RM)
V("fdiv d0, d1, d2", v1=sd(1.0), v2=sd(3.0), fpcr=RP)
V("fadd d0, d1, d2", v1=(DDENORM, 0), v2=sd(0.0), fpcr=FZ, note="FZ: denormal input flushed, IDC")
V("fmul d0, d1, d2", v1=(DMIN_NORMAL, 0), v2=sd(0.5), fpcr=FZ, note="FZ: denormal result flushed, UFC")
V("fmul d0, d1, d2", v1=(DMIN_NORMAL, 0), v2=sd(0.5), note="no FZ: exact denormal result, no flags")
V("fadd s0, s1, s2", v1=(SDENORM, 0), v2=(SDENORM, 0), note="denormal arithmetic without FZ")
V("fadd d0, d1, d2", v1=sd(1.0), v2=sd(2.0 ** -60), fpsr=0x8000001, note="FPSR bits accumulate")
V("fsqrt s0, s1", v1=ss(2.0), fpcr=RZ)
V("fmul s0, s1, s2", v1=ss(1e-30), v2=ss(3e-10), fpcr=FZ, note="FZ: inexact tiny result flushed, UFC only")
V("fmul s0, s1, s2", v1=ss(1e-30), v2=ss(3e-10), fpcr=FZ, fpsr=0x10, note="the same on the fast-path side")
V("fmul v0.4s, v1.4s, v2.4s", v1=F(1e-30, 1.0, 1e-20, 2.0), v2=F(3e-10, 3.0, 1e-20, 0.1), fpcr=FZ)
V("fcvt s0, d1", v1=sd(1e-40), fpcr=FZ, note="FZ: narrowing to a single denormal flushes")
V("fadd d0, d1, d2", v1=(DQNAN2, 0), v2=(DDENORM, 0), fpcr=FZ | DN, note="DN and FZ together")
V("fmadd s0, s1, s2, s3", v1=(SDENORM, 0), v2=ss(2.0), v3=ss(1.0), fpcr=FZ, note="FZ flushes FMA inputs: IDC")
V("fcmp d1, d2", v1=(DDENORM, 0), v2=sd(0.0), fpcr=FZ, note="FZ: a denormal compares equal to zero, IDC")
V("frecpe s0, s1", v1=ss(2e38), fpcr=FZ, note="FZ: a huge input's estimate underflows to zero")
V("fdiv d0, d1, d2", v1=sd(1.0), v2=sd(3.0), fpcr=RM | DN)
V("msr fpcr, x1; fadd d0, d1, d2; mrs x3, fpsr", x1=RP, v1=sd(1.0), v2=sd(2.0 ** -60),
  note="MSR FPCR takes effect on the next instruction")

group("fp_fma")
V("fmadd d0, d1, d2, d3", v1=sd(2.0), v2=sd(3.0), v3=sd(1.0))
V("fmadd d0, d1, d2, d3", v1=sd(1 + 2.0 ** -30), v2=sd(1 - 2.0 ** -30), v3=sd(-1.0),
  note="fused: -2^-60 exactly")
V("fmadd s0, s1, s2, s3", v1=ss(1 + 2.0 ** -12), v2=ss(1 - 2.0 ** -12), v3=ss(-1.0),
  note="fused single: -2^-24")
V("fmsub d0, d1, d2, d3", v1=sd(2.0), v2=sd(3.0), v3=sd(10.0), note="a - n*m")
V("fnmadd d0, d1, d2, d3", v1=sd(2.0), v2=sd(3.0), v3=sd(10.0), note="-a - n*m")
V("fnmsub d0, d1, d2, d3", v1=sd(2.0), v2=sd(3.0), v3=sd(10.0), note="-a + n*m")
V("fmsub s0, s1, s2, s3", v1=ss(1.5), v2=ss(2.0), v3=ss(3.0), note="exact zero: +0")
V("fmsub s0, s1, s2, s3", v1=ss(1.5), v2=ss(2.0), v3=ss(3.0), fpcr=RM, note="exact zero rounding down: -0")
V("fmadd d0, d1, d2, d3", v1=sd(float("inf")), v2=sd(0.0), v3=(DQNAN, 0),
  note="inf * 0 + qNaN: default NaN and IOC")
V("fmadd d0, d1, d2, d3", v1=(DQNAN, 0), v2=sd(1.0), v3=(DQNAN2, 0), note="the addend NaN is checked first")
V("fnmadd s0, s1, s2, s3", v1=(SQNAN, 0), v2=ss(1.0), v3=ss(1.0), note="FNMADD negates the NaN operand")
V("fmadd s0, s1, s2, s3", v1=ss(3e38), v2=ss(2.0), v3=ss(-3e38), note="no intermediate overflow")

group("fp_cvt")
V("fcvt s0, d1", v1=sd(1.0 / 3), note="double -> single rounds: IXC")
V("fcvt s0, d1", v1=sd(1e300), note="overflow: inf, OFC IXC")
V("fcvt s0, d1", v1=sd(1e300), fpcr=RZ, note="overflow toward zero: max single")
V("fcvt d0, s1", v1=ss(-2.5))
V("fcvt d0, s1", v1=(SSNAN, 0), note="SNaN widened: quieted, IOC")
V("fcvt s0, d1", v1=(DQNAN2, 0), note="NaN narrowed: top payload bits kept")
V("fcvt h0, s1", v1=ss(1.0 / 3))
V("fcvt h0, d1", v1=sd(65520.0), note="rounds to infinity in half precision")
V("fcvt h0, s1", v1=ss(1e-6), note="half denormal: UFC IXC")
V("fcvt s0, h1", v1=(0x3c01, 0x99))
V("fcvt d0, h1", v1=(0x8001, 0x99), note="smallest negative half denormal")
V("fcvt s0, h1", v1=(0x7c01, 0), note="half SNaN: quieted, IOC")
V("fcvt s0, d1", v1=(0x3690000000000001, 0), note="double -> single denormal, tiny: UFC")
V("scvtf d0, x1", x1=-12345678901)
V("scvtf s0, w1", x1=0x80000000)
V("scvtf s0, x1", x1=0x7fffffffffffffff, note="rounds: IXC")
V("ucvtf d0, x1", x1=M64, note="2^64 - 1 rounds to 2^64")
V("ucvtf d0, x1", x1=M64, fpcr=RZ, note="rounded toward zero")
V("ucvtf s0, w1", x1=0xffffffff)
V("scvtf d0, x1, #8", x1=-256)
V("ucvtf s0, w1, #16", x1=0x18000)
V("scvtf d0, w1, #32", x1=0x80000000)
V("fcvtzs x0, d1", v1=sd(-2.7))
V("fcvtzs w0, d1", v1=sd(3e9), note="saturates: IOC")
V("fcvtzs x0, d1", v1=(DQNAN, 0), note="NaN -> 0, IOC")
V("fcvtzu w0, s1", v1=ss(-1.5), note="negative -> 0, IOC")
V("fcvtzu x0, d1", v1=sd(1.8446744073709552e19), note="2^64 saturates to all ones")
V("fcvtzu w0, s1", v1=ss(-0.5), note="-0.5 truncates to 0: only IXC")
V("fcvtzs w0, s1", v1=ss(-2147483648.0), note="INT_MIN exactly: no exception")
V("fcvtns w0, d1", v1=sd(2.5), note="ties to even: 2")
V("fcvtns x0, d1", v1=sd(-3.5))
V("fcvtas w0, d1", v1=sd(2.5), note="ties away: 3")
V("fcvtas x0, s1", v1=ss(-2.5))
V("fcvtms x0, d1", v1=sd(-1.5))
V("fcvtps w0, s1", v1=ss(1.1))
V("fcvtnu w0, d1", v1=sd(3.5))
V("fcvtmu x0, d1", v1=sd(7.9))
V("fcvtpu w0, d1", v1=sd(-0.5), note="rounds to -0: 0, only IXC")
V("fcvtau x0, s1", v1=ss(0.5))
V("fcvtzs x0, d1, #4", v1=sd(-1.3))
V("fcvtzu w0, s1, #8", v1=ss(2.75))
V("fcvtzs w0, d1, #31", v1=sd(1.0), note="1.0 * 2^31 saturates")
V("frintn d0, d1", v1=sd(2.5))
V("frintn s0, s1", v1=ss(3.5))
V("frintp d0, d1", v1=sd(-0.5), note="rounds up to -0")
V("frintm s0, s1", v1=ss(-0.25))
V("frintz d0, d1", v1=sd(-7.9))
V("frinta d0, d1", v1=sd(-2.5))
V("frinta s0, s1", v1=ss(0.49999997))
V("frintx d0, d1", v1=sd(1.5), note="FRINTX: IXC")
V("frintx s0, s1", v1=ss(4.0), note="exact: no IXC")
V("frinti d0, d1", v1=sd(1.5), fpcr=RM, note="FRINTI uses FPCR: down")
V("frinti s0, s1", v1=ss(2.5))
V("frintn d0, d1", v1=sd(1e300))
V("frintm d0, d1", v1=(DSNAN, 0))
V("frintz s0, s1", v1=ss(8388607.5))

group("fp_cmp")
V("fcmp d1, d2", v1=sd(1.0), v2=sd(2.0), nzcv=0x0, note="less: N")
V("fcmp d1, d2", v1=sd(2.0), v2=sd(2.0), note="equal: ZC")
V("fcmp s1, s2", v1=ss(3.0), v2=ss(2.0), nzcv=0xf, note="greater: C")
V("fcmp d1, d2", v1=(DQNAN, 0), v2=sd(2.0), note="unordered: CV, no exception")
V("fcmpe d1, d2", v1=(DQNAN, 0), v2=sd(2.0), note="FCMPE: unordered signals IOC")
V("fcmp s1, s2", v1=(SSNAN, 0), v2=ss(2.0), note="FCMP with an SNaN: IOC")
V("fcmp d1, #0.0", v1=sd(-0.0), note="-0 == +0")
V("fcmp s1, #0.0", v1=ss(-5.0))
V("fcmpe s1, #0.0", v1=ss(5.0))
V("fcmp d1, d2", v1=sd(float("-inf")), v2=sd(-1e308))
V("fccmp d1, d2, #0x4, eq", v1=sd(1.0), v2=sd(2.0), nzcv=0x4, note="condition holds: compare")
V("fccmp d1, d2, #0x3, ne", v1=sd(1.0), v2=sd(2.0), nzcv=0x4, note="condition fails: #nzcv")
V("fccmp s1, s2, #0x0, ge", v1=ss(2.0), v2=ss(2.0), nzcv=0x9)
V("fccmpe d1, d2, #0x1, lt", v1=(DQNAN, 0), v2=sd(1.0), nzcv=0x8, note="FCCMPE: IOC on a quiet NaN")
V("fccmpe d1, d2, #0x1, gt", v1=(DQNAN, 0), v2=sd(1.0), nzcv=0x8, note="condition fails: no compare, no IOC")
V("fcsel d0, d1, d2, eq", v1=sd(1.0), v2=sd(2.0), nzcv=0x4)
V("fcsel d0, d1, d2, eq", v1=sd(1.0), v2=sd(2.0), nzcv=0x0)
V("fcsel s0, s1, s2, hi", v1=ss(1.0), v2=ss(2.0), nzcv=0x2)
V("fcsel s0, s1, s2, lt", v1=ss(1.0), v2=ss(2.0), nzcv=0x8)
V("fcmp d1, d2; cset w0, mi; cset w3, vs", v1=sd(1.0), v2=(DQNAN, 0), note="flags feed integer code")

group("fp_move")
V("fmov d0, #1.0")
V("fmov s0, #-0.5")
V("fmov d0, #31.0")
V("fmov s0, #0.125")
V("fmov d0, x1", x1=0x400921fb54442d18)
V("fmov x0, d1", v1=(0x123456789abcdef0, 0x55))
V("fmov w0, s1", v1=(0x123456789abcdef0, 0x55))
V("fmov s0, w1", x1=0xaaaaaaaa3f800000)
V("fmov v0.d[1], x1", x1=0x1122334455667788, v0=(0xabcdef, 0x1), note="the low half is kept")
V("fmov x0, v1.d[1]", v1=(1, 0x8877665544332211))
V("fmov d0, d1", v1=(0x1234, 0x5678))
V("fmov s0, s1", v1=(0x9876543212345678, 0x5678))
V("fmov d0, xzr")

group("fp_fast")
IXC = 0x10
V("fadd d0, d1, d2", v1=sd(1.0), v2=sd(2.0 ** -60), fpsr=IXC, note="FPSR.IXC set: host fast path")
V("fsub s0, s1, s2", v1=ss(3.0), v2=ss(3.0), fpsr=IXC, note="exact zero from a subtraction")
V("fmul d0, d1, d2", v1=sd(1e-200), v2=sd(1e-200), fpsr=IXC, note="underflow: the fast path must not be taken")
V("fmul s0, s1, s2", v1=ss(1e-20), v2=ss(1e-20), fpsr=IXC, note="denormal result: UFC")
V("fmul d0, d1, d2", v1=(DMIN_NORMAL | 1, 0), v2=sd(1 - 2.0 ** -53), fpsr=IXC,
  note="just above the smallest normal: not tiny")
V("fmul d0, d1, d2", v1=(DMIN_NORMAL, 0), v2=sd(1 - 2.0 ** -53), fpsr=IXC,
  note="rounds up to the smallest normal: tiny before rounding, UFC")
V("fmul d0, d1, d2", v1=(DMIN_NORMAL, 0), v2=sd(1 - 2.0 ** -53),
  note="tiny before rounding without the fast path")
V("fmul s0, s1, s2", v1=(0x00800000, 0), v2=ss(1 - 2.0 ** -24), fpcr=FZ,
  note="FZ: tiny before rounding flushes to zero")
V("fmadd d0, d1, d2, d3", v1=(DMIN_NORMAL, 0), v2=sd(-(1 - 2.0 ** -53)), v3=sd(-0.0),
  note="FMA result tiny before rounding")
V("fdiv d0, d1, d2", v1=(DMIN_NORMAL, 0), v2=sd(1 + 2.0 ** -52), fpcr=RP,
  note="rounds up to the smallest normal in RP")
V("fdiv d0, d1, d2", v1=sd(1.0), v2=sd(0.0), fpsr=IXC, note="divide by zero: DZC")
V("fdiv s0, s1, s2", v1=ss(0.0), v2=ss(0.0), fpsr=IXC, note="0/0: IOC, default NaN")
V("fadd d0, d1, d2", v1=sd(1e308), v2=sd(1e308), fpsr=IXC, note="overflow: OFC")
V("fadd d0, d1, d2", v1=(DQNAN2, 0), v2=sd(1.0), fpsr=IXC, note="NaN operand: Arm NaN rules")
V("fadd s0, s1, s2", v1=ss(1.0), v2=(SSNAN, 0), fpsr=IXC)
V("fmul d0, d1, d2", v1=sd(0.0), v2=sd(5.0), fpsr=IXC, note="zero product")
V("fdiv d0, d1, d2", v1=sd(10.0), v2=sd(4.0), fpsr=IXC)
V("fnmul s0, s1, s2", v1=ss(1.5), v2=ss(-2.0), fpsr=IXC)
V("fmadd d0, d1, d2, d3", v1=sd(1.5), v2=sd(2.0), v3=sd(0.25), fpsr=IXC)
V("fmsub s0, s1, s2, s3", v1=ss(1.5), v2=ss(2.0), v3=ss(3.0), fpsr=IXC, note="exact zero from an FMA")
V("fnmadd d0, d1, d2, d3", v1=sd(1e-160), v2=sd(1e-160), v3=sd(0.0), fpsr=IXC, note="FMA underflow")
V("fmadd d0, d1, d2, d3", v1=sd(float("inf")), v2=sd(0.0), v3=sd(1.0), fpsr=IXC, note="inf * 0: IOC")
V("fadd d0, d1, d2", v1=sd(1.0), v2=sd(2.0 ** -60), fpsr=IXC, fpcr=RP, note="not round-to-nearest: no fast path")
V("fadd d0, d1, d2", v1=(DDENORM, 0), v2=(DDENORM, 0), fpsr=IXC, fpcr=FZ, note="FZ: no fast path")
V("fsqrt d0, d1", v1=sd(2.0), fpsr=IXC)
V("scvtf d0, x1", x1=0x7fffffffffffffff, fpsr=IXC)
V("fadd v0.4s, v1.4s, v2.4s", v1=F(1.0, 1e38, 1e-38, 0.0), v2=F(2.0 ** -30, 1e38, -0.99e-38, SQNAN), fpsr=IXC)
V("fmla v0.2d, v1.2d, v2.2d", v0=DF(1.0, 0.0), v1=DF(3.0, 1e-200), v2=DF(2.0, 1e-200), fpsr=IXC)
V("fdiv v0.2d, v1.2d, v2.2d", v1=DF(1.0, 3.0), v2=DF(0.0, 3.0), fpsr=IXC)

# ---------------------------------------------------------------------------
group("simd_move")
V("movi v0.16b, #0xff")
V("movi v0.8b, #0x5a", note="64-bit form zeroes the upper half")
V("movi v0.2d, #0xff00ff0000ff00ff")
V("movi d0, #0xffff00000000ffff")
V("movi v0.4s, #0x12, lsl #8")
V("movi v0.8h, #0x34, lsl #8")
V("mvni v0.4s, #0x12, lsl #24")
V("mvni v0.8h, #0x34")
V("movi v0.4s, #0x12, msl #16")
V("mvni v0.2s, #0x12, msl #8")
V("orr v0.4s, #0x1, lsl #16", v0=S(1, 2, 3, 4))
V("bic v0.8h, #0xff", v0=H(0x1234, 0xffff, 0, 0xabcd, 1, 2, 3, 4))
V("orr v0.2s, #0x80, lsl #24", v0=S(1, 2, 3, 4))
V("fmov v0.4s, #1.5")
V("fmov v0.2d, #-2.0")
V("fmov v0.2s, #0.25")
V("dup v0.16b, w1", x1=0x1234)
V("dup v0.8h, w1", x1=0xfedcba98)
V("dup v0.2s, w1", x1=0x89abcdef)
V("dup v0.2d, x1", x1=0x0123456789abcdef)
V("dup v0.4s, v1.s[2]", v1=S(10, 11, 12, 13))
V("dup v0.8b, v1.b[15]", v1=B(*BYTES))
V("dup v0.8h, v1.h[7]", v1=H(1, 2, 3, 4, 5, 6, 7, 0x8888))
V("dup v0.2d, v1.d[1]", v1=D(5, 6))
V("mov s0, v1.s[3]", v1=S(10, 11, 12, 13), note="scalar DUP (MOV)")
V("mov d0, v1.d[1]", v1=D(5, 6))
V("mov b0, v1.b[9]", v1=B(*BYTES))
V("ins v0.s[1], w1", x1=0x77777777aaaaaaaa, v0=S(1, 2, 3, 4))
V("mov v0.d[1], x1", x1=0x0102030405060708)
V("mov v0.b[15], w1", x1=0x1ff)
V("mov v0.h[2], v1.h[6]", v1=H(0, 1, 2, 3, 4, 5, 0x6666, 7))
V("mov v0.d[0], v1.d[1]", v1=D(5, 6))
V("umov w0, v1.b[5]", v1=B(*BYTES2))
V("umov w0, v1.h[3]", v1=H(0, 1, 2, 0x8003))
V("mov w0, v1.s[3]", v1=S(1, 2, 3, 0xfffffffe))
V("mov x0, v1.d[1]", v1=D(1, 0x8000000000000001))
V("smov x0, v1.b[0]", v1=B(*BYTES2))
V("smov w0, v1.h[1]", v1=H(0, 0x8123))
V("smov x0, v1.s[1]", v1=S(0, 0x80000000))
V("mov v0.16b, v1.16b", v1=B(*BYTES))
V("mov v0.8b, v1.8b", v1=B(*BYTES))

group("simd_logic")
V("and v0.16b, v1.16b, v2.16b", v1=B(*BYTES), v2=B(*BYTES2))
V("and v0.8b, v1.8b, v2.8b", v1=B(*BYTES), v2=B(*BYTES2))
V("orr v0.16b, v1.16b, v2.16b", v1=B(*BYTES), v2=B(*BYTES2))
V("orn v0.16b, v1.16b, v2.16b", v1=B(*BYTES), v2=B(*BYTES2))
V("bic v0.8b, v1.8b, v2.8b", v1=B(*BYTES), v2=B(*BYTES2))
V("eor v0.16b, v1.16b, v2.16b", v1=B(*BYTES), v2=B(*BYTES2))
V("eor v0.16b, v0.16b, v0.16b", v0=B(*BYTES))
V("bsl v0.16b, v1.16b, v2.16b", v0=D(0xff00ff00f0f0f0f0, 0x0123456789abcdef), v1=D(M64, 0), v2=D(0, M64))
V("bit v0.16b, v1.16b, v2.16b", v0=D(0x1111111111111111, 0x2222222222222222), v1=D(M64, M64),
  v2=D(0xff00ff00ff00ff00, 0x0f0f))
V("bif v0.8b, v1.8b, v2.8b", v0=D(0x1111111111111111, 0x2222), v1=D(M64, M64), v2=D(0xff00ff00ff00ff00, 0))
V("not v0.16b, v1.16b", v1=B(*BYTES))
V("mvn v0.8b, v1.8b", v1=B(*BYTES))

group("simd_arith")
V("add v0.16b, v1.16b, v2.16b", v1=B(*BYTES2), v2=B(*BYTES2))
V("add v0.8h, v1.8h, v2.8h", v1=H(0xffff, 0x8000, 1, 2, 0x7fff, 5, 6, 7), v2=H(1, 0x8000, 0xffff, 2, 1, 5, 6, 7))
V("add v0.4s, v1.4s, v2.4s", v1=S(0xffffffff, 1, 0x7fffffff, 3), v2=S(1, 2, 1, 0xfffffffd))
V("add v0.2d, v1.2d, v2.2d", v1=D(M64, 5), v2=D(2, 7))
V("add v0.2s, v1.2s, v2.2s", v1=S(1, 2, 3, 4), v2=S(10, 20, 30, 40))
V("add d0, d1, d2", v1=D(5, 1), v2=D(7, 1))
V("sub v0.16b, v1.16b, v2.16b", v1=B(*BYTES), v2=B(*BYTES2))
V("sub v0.4s, v1.4s, v2.4s", v1=S(0, 1, 0x80000000, 3), v2=S(1, 2, 1, 3))
V("sub v0.2d, v1.2d, v2.2d", v1=D(0, 10), v2=D(1, 3))
V("sub d0, d1, d2", v1=D(5, 1), v2=D(7, 1))
V("mul v0.8h, v1.8h, v2.8h", v1=H(0x1234, 2, 3, 0xffff, 5, 6, 7, 8), v2=H(0x100, 3, 0xffff, 0xffff, 5, 6, 7, 8))
V("mul v0.4s, v1.4s, v2.4s", v1=S(0x10000, 3, 0xffffffff, 7), v2=S(0x10000, 5, 2, 9))
V("mul v0.16b, v1.16b, v2.16b", v1=B(*BYTES), v2=B(*BYTES2))
V("mla v0.4s, v1.4s, v2.4s", v0=S(1, 1, 1, 1), v1=S(2, 3, 4, 5), v2=S(6, 7, 8, 9))
V("mls v0.8h, v1.8h, v2.8h", v0=H(100, 100, 100, 100, 0, 0, 0, 0), v1=H(2, 3, 4, 5, 1, 1, 1, 1), v2=H(6, 7, 8, 9, 1, 2, 3, 4))
V("mul v0.2s, v1.2s, v2.2s", v1=S(0x10001, 0xffffffff, 5, 6), v2=S(0x10001, 0xffffffff, 7, 8))
V("mla v0.2s, v1.2s, v2.2s", v0=S(0xffffffff, 5, 9, 9), v1=S(1, 0x10000), v2=S(1, 0x10000))
V("mls v0.4s, v1.4s, v2.4s", v0=S(0, 5, 0x80000000, 1), v1=S(1, 3, 1, 0xffffffff), v2=S(1, 2, 1, 0xffffffff))
V("neg v0.4s, v1.4s", v1=S(1, 0, 0x80000000, 0xffffffff))
V("neg v0.2d, v1.2d", v1=D(1, 0x8000000000000000))
V("neg d0, d1", v1=D(5, 9))
V("abs v0.16b, v1.16b", v1=B(*BYTES2))
V("abs v0.8h, v1.8h", v1=H(0x8000, 0xffff, 1, 0x7fff))
V("uqadd v0.16b, v1.16b, v2.16b", v1=B(*BYTES2), v2=B(*BYTES2), note="saturates: QC")
V("sqadd v0.8h, v1.8h, v2.8h", v1=H(0x7fff, 0x8000, 1, 2), v2=H(1, 0xffff, 1, 2))
V("uqsub v0.4s, v1.4s, v2.4s", v1=S(1, 5, 0, 0xffffffff), v2=S(2, 3, 0, 1))
V("sqsub v0.2d, v1.2d, v2.2d", v1=D(0x8000000000000000, 5), v2=D(1, 3))
V("sqadd b0, b1, b2", v1=B(0x70), v2=B(0x70), note="scalar saturating add")
V("uqadd d0, d1, d2", v1=D(M64 - 1, 0), v2=D(5, 0))
V("shadd v0.16b, v1.16b, v2.16b", v1=B(*BYTES2), v2=B(*BYTES))
V("uhadd v0.8h, v1.8h, v2.8h", v1=H(0xffff, 1, 3, 0x8000), v2=H(0xffff, 2, 4, 0x8000))
V("urhadd v0.16b, v1.16b, v2.16b", v1=B(*BYTES2), v2=B(*BYTES))
V("srhadd v0.4s, v1.4s, v2.4s", v1=S(0x80000000, 1, 0xffffffff, 2), v2=S(0x80000000, 2, 0, 5))
V("uhsub v0.4h, v1.4h, v2.4h", v1=H(0, 5, 0xffff, 2), v2=H(1, 2, 0, 2))
V("umax v0.16b, v1.16b, v2.16b", v1=B(*BYTES), v2=B(*BYTES2))
V("smax v0.16b, v1.16b, v2.16b", v1=B(*BYTES), v2=B(*BYTES2))
V("umin v0.8h, v1.8h, v2.8h", v1=H(1, 0xffff, 3, 4), v2=H(2, 0x7fff, 3, 1))
V("smin v0.4s, v1.4s, v2.4s", v1=S(1, 0xffffffff, 3, 4), v2=S(2, 0x7fffffff, 3, 0x80000000))
V("uabd v0.16b, v1.16b, v2.16b", v1=B(*BYTES), v2=B(*BYTES2))
V("sabd v0.8h, v1.8h, v2.8h", v1=H(0x8000, 0x7fff, 3, 4), v2=H(0x7fff, 0x8000, 5, 4))
V("uaba v0.4s, v1.4s, v2.4s", v0=S(100, 100, 100, 100), v1=S(1, 9, 3, 4), v2=S(5, 2, 3, 0))
V("pmul v0.16b, v1.16b, v2.16b", v1=B(*BYTES), v2=B(*BYTES2))
V("sqdmulh v0.8h, v1.8h, v2.8h", v1=H(0x8000, 0x4000, 0x7fff, 0xffff), v2=H(0x8000, 0x4000, 0x7fff, 0xffff))
V("sqrdmulh v0.4h, v1.4h, v2.4h", v1=H(0xffff, 0x8000, 0x1234, 0xfedc), v2=H(0x7fff, 0x7fff, 0xc000, 0xfedc),
  note="signed although U = 1")
V("sqrdmulh v0.4s, v1.4s, v2.4s", v1=S(0x80000000, 0x40000000, 3, 0x7fffffff), v2=S(0x80000000, 0x40000001, 0x40000000, 2))
V("sqdmulh s0, s1, s2", v1=S(0x80000000), v2=S(0x80000000), note="scalar: saturates, QC")

group("simd_cmp")
V("cmeq v0.16b, v1.16b, v2.16b", v1=B(*BYTES), v2=B(0x10, 0, 0x12, 0, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x1f))
V("cmeq v0.16b, v1.16b, #0", v1=B(1, 0, 2, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9))
V("cmeq v0.8b, v1.8b, #0", v1=B(1, 0, 2, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9))
V("cmeq v0.2d, v1.2d, v2.2d", v1=D(1, 2), v2=D(1, 3))
V("cmeq v0.8h, v1.8h, v2.8h", v1=H(1, 0x8000, 3, 0, 0xffff, 6, 7, 8), v2=H(1, 0, 3, 0, 0xfffe, 6, 0, 8))
V("cmeq v0.4s, v1.4s, v2.4s", v1=S(1, 0x80000000, 3, 0), v2=S(1, 0x80000001, 3, 0))
V("cmeq v0.4h, v1.4h, #0", v1=H(0, 0x8000, 0x100, 0, 5, 0, 0, 0))
V("cmeq v0.4s, v1.4s, #0", v1=S(0, 0x80000000, 1, 0))
V("cmtst v0.8h, v1.8h, v2.8h", v1=H(1, 0x8000, 3, 0, 0xffff, 6, 7, 8), v2=H(2, 0x8000, 1, 0, 0x100, 1, 0, 8))
V("cmtst v0.2s, v1.2s, v2.2s", v1=S(0x100, 0x80000000), v2=S(0xff, 0x80000000))
V("cmhi v0.16b, v1.16b, v2.16b", v1=B(*BYTES), v2=B(*BYTES2))
V("cmhs v0.8h, v1.8h, v2.8h", v1=H(1, 2, 3, 0xffff), v2=H(1, 3, 2, 0))
V("cmgt v0.16b, v1.16b, v2.16b", v1=B(*BYTES), v2=B(*BYTES2))
V("cmge v0.4s, v1.4s, v2.4s", v1=S(1, 0xffffffff, 3, 0), v2=S(1, 0, 2, 0x80000000))
V("cmtst v0.16b, v1.16b, v2.16b", v1=B(*BYTES), v2=B(*BYTES2))
V("cmgt v0.8h, v1.8h, #0", v1=H(1, 0, 0xffff, 0x7fff))
V("cmge v0.4s, v1.4s, #0", v1=S(1, 0, 0xffffffff, 0x80000000))
V("cmle v0.16b, v1.16b, #0", v1=B(*BYTES2))
V("cmlt v0.2d, v1.2d, #0", v1=D(M64, 1))
V("cmeq d0, d1, d2", v1=D(5, 1), v2=D(5, 2))
V("cmhi d0, d1, d2", v1=D(5, 1), v2=D(M64, 2))
V("cmlt d0, d1, #0", v1=D(M64, 1))
V("cmtst d0, d1, d2", v1=D(6, 0), v2=D(1, 0))

group("simd_reduce")
V("umaxp v0.16b, v1.16b, v2.16b", v1=B(*BYTES), v2=B(*BYTES2))
V("uminp v0.16b, v1.16b, v2.16b", v1=B(*BYTES), v2=B(*BYTES2))
V("smaxp v0.4s, v1.4s, v2.4s", v1=S(1, 0xffffffff, 3, 4), v2=S(0x80000000, 7, 0, 0))
V("addp v0.16b, v1.16b, v2.16b", v1=B(*BYTES), v2=B(*BYTES2))
V("addp v0.2d, v1.2d, v2.2d", v1=D(1, 2), v2=D(M64, 5))
V("addp v0.4h, v1.4h, v2.4h", v1=H(1, 2, 3, 4), v2=H(5, 6, 7, 8))
V("addp d0, v1.2d", v1=D(0x100, 0x23))
V("umaxv b0, v1.16b", v1=B(*BYTES2))
V("umaxv s0, v1.4s", v1=S(1, 0xfffffff0, 3, 4))
V("uminv h0, v1.8h", v1=H(9, 8, 7, 0xffff, 5, 6, 7, 8))
V("uminv b0, v1.8b", v1=B(*BYTES2))
V("smaxv h0, v1.8h", v1=H(0x8000, 0xffff, 2, 1))
V("sminv s0, v1.4s", v1=S(1, 0xffffffff, 3, 4))
V("addv b0, v1.16b", v1=B(*BYTES2))
V("addv s0, v1.4s", v1=S(1, 2, 3, 0xffffffff))
V("addv h0, v1.4h", v1=H(1, 2, 3, 4, 100, 100, 100, 100))
V("uaddlv h0, v1.16b", v1=B(*BYTES2))
V("saddlv d0, v1.4s", v1=S(0x80000000, 0x80000000, 1, 2))
V("uaddlp v0.8h, v1.16b", v1=B(*BYTES2))
V("saddlp v0.2s, v1.4h", v1=H(0x8000, 0x8000, 1, 0xffff))
V("sadalp v0.2d, v1.4s", v0=D(10, 20), v1=S(0xffffffff, 1, 5, 6))
V("uadalp v0.4h, v1.8b", v0=H(1, 2, 3, 4), v1=B(*BYTES2))

group("simd_shift")
V("shl v0.16b, v1.16b, #3", v1=B(*BYTES2))
V("shl v0.2d, v1.2d, #63", v1=D(3, 2))
V("shl v0.4s, v1.4s, #0", v1=S(1, 2, 3, 4))
V("shl d0, d1, #1", v1=D(0x8000000000000001, 7))
V("ushr v0.16b, v1.16b, #1", v1=B(*BYTES2))
V("ushr v0.8h, v1.8h, #16", v1=H(0xffff, 1, 2, 3))
V("ushr v0.2d, v1.2d, #64", v1=D(M64, 1))
V("ushr v0.4s, v1.4s, #7", v1=S(0x80000000, 0xffffffff, 0x80, 0x7f))
V("ushr d0, d1, #4", v1=D(0xf0, 1))
V("sshr v0.8h, v1.8h, #15", v1=H(0x8000, 0x7fff, 0xffff, 1))
V("sshr v0.16b, v1.16b, #3", v1=B(*BYTES2))
V("sshr v0.2d, v1.2d, #64", v1=D(0x8000000000000000, 1))
V("sshr d0, d1, #1", v1=D(0x8000000000000000, 1))
V("usra v0.4s, v1.4s, #8", v0=S(1, 2, 3, 4), v1=S(0x100, 0x200, 0xffffffff, 0))
V("ssra v0.16b, v1.16b, #2", v0=B(*BYTES), v1=B(*BYTES2))
V("srshr v0.8h, v1.8h, #2", v1=H(6, 5, 0xfffe, 0xfffa))
V("urshr v0.2d, v1.2d, #64", v1=D(M64, 0x7fffffffffffffff))
V("urshr d0, d1, #1", v1=D(3, 0))
V("ursra v0.16b, v1.16b, #4", v0=B(*BYTES), v1=B(*BYTES2))
V("sli v0.2d, v1.2d, #8", v0=D(0x1122334455667788, 0xaabb), v1=D(0xff, 0x123))
V("sri v0.4s, v1.4s, #8", v0=S(0xaabbccdd, 0x11223344, 0, M64 & 0xffffffff), v1=S(0x12345678, 0xffffffff, 1, 0))
V("sri v0.16b, v1.16b, #8", v0=B(*BYTES), v1=B(*BYTES2), note="shift by the element size: Vd unchanged")
V("sli d0, d1, #4", v0=D(0xf, 0), v1=D(0xf0, 0))
V("shrn v0.8b, v1.8h, #4", v1=H(0x1234, 0xabcd, 0xffff, 0x0f0f, 0x8000, 1, 0x7ff0, 0x12))
V("shrn2 v0.16b, v1.8h, #4", v0=B(*BYTES), v1=H(0x1234, 0xabcd, 0xffff, 0x0f0f, 0x8000, 1, 0x7ff0, 0x12))
V("shrn v0.4h, v1.4s, #16", v1=S(0x12345678, 0x9abcdef0, 0xffff0000, 0x0000ffff))
V("rshrn v0.8b, v1.8h, #8", v1=H(0x1280, 0x127f, 0xff80, 1))
V("sqshrn v0.4h, v1.4s, #4", v1=S(0x7fffffff, 0x80000000, 0x100, 0xfffffff0))
V("uqshrn v0.8b, v1.8h, #1", v1=H(0x1ff, 0x200, 0x100, 0xffff))
V("sqrshrun v0.4h, v1.4s, #2", v1=S(0xfffffff0, 0x3fffe, 0x7ffff, 6))
V("sqshrun2 v0.8h, v1.4s, #1", v0=S(1, 2, 3, 4), v1=S(0xfffffff0, 0x3fffe, 0x7ffff, 6))
V("sqshrn s0, d1, #8", v1=D(0x123456789a, 0), note="scalar narrowing: saturates, QC")
V("uqshl v0.16b, v1.16b, #4", v1=B(*BYTES2))
V("sqshl v0.4s, v1.4s, #1", v1=S(0x40000000, 0xc0000000, 0x3fffffff, 0xbfffffff))
V("sqshlu v0.8h, v1.8h, #2", v1=H(0x8000, 0x1000, 0x4000, 0x7fff))
V("uqshl b0, b1, #7", v1=B(3))
V("ushll v0.8h, v1.8b, #0", v1=B(*BYTES2), note="UXTL")
V("uxtl v0.4s, v1.4h", v1=H(0x8000, 0xffff, 1, 2))
V("uxtl2 v0.2d, v1.4s", v1=S(1, 2, 0x80000000, 0xffffffff))
V("sxtl v0.8h, v1.8b", v1=B(*BYTES2))
V("sshll2 v0.4s, v1.8h, #3", v1=H(1, 2, 3, 4, 0x8000, 0xffff, 0x7fff, 5))
V("sshll v0.8h, v1.8b, #7", v1=B(*BYTES2), note="negative lanes shifted: no bits leak into the next lane")
V("sshll2 v0.8h, v1.16b, #1", v1=B(*BYTES2))
V("sshll v0.4s, v1.4h, #15", v1=H(0x8000, 0xffff, 0x7fff, 1))
V("sshll2 v0.2d, v1.4s, #31", v1=S(0, 0, 0x80000000, 0x7fffffff))
V("sxtl v0.2d, v1.2s", v1=S(0xffffffff, 5))
V("sxtl2 v0.4s, v1.8h", v1=H(0, 0, 0, 0, 0x8000, 0xffff, 0x7fff, 5))
V("ushll2 v0.8h, v1.16b, #5", v1=B(*BYTES2))
V("ushll v0.2d, v1.2s, #20", v1=S(0xffffffff, 0x80000000))
V("uxtl v1.8h, v1.8b", v1=B(*BYTES2), note="in place")
V("sshl v0.4s, v1.4s, v2.4s", v1=S(0x80000000, 8, 8, 0x40), v2=S(0xff, 1, 0xfe, 0x40))
V("ushl v0.16b, v1.16b, v2.16b", v1=B(*BYTES2), v2=B(1, 0xff, 7, 8, 0xf8, 0x80, 2, 0xfe, 0, 0, 1, 1, 3, 3, 0xfd, 0xfd))
V("ushl d0, d1, d2", v1=D(0x8000000000000001, 0), v2=D(0xff, 0))
V("srshl v0.8h, v1.8h, v2.8h", v1=H(7, 0xfff9, 0x8000, 3), v2=H(0xff, 0xff, 0xf0, 2))
V("urshl v0.2d, v1.2d, v2.2d", v1=D(3, M64), v2=D(0xff, 0xc0))
V("uqshl v0.8h, v1.8h, v2.8h", v1=H(0x8000, 1, 0x100, 0xffff), v2=H(1, 15, 9, 0xff))
V("sqrshl v0.4s, v1.4s, v2.4s", v1=S(0x40000000, 5, 0xfffffffb, 1), v2=S(2, 0xff, 0xff, 31))
V("uqshl v0.8b, v1.8b, v2.8b", v1=B(0, 0xff, 0xdd, 0x7f, 0xff, 0xff, 0x24, 0xff), v2=B(0x7f, 0xff, 0, 0x1d, 0x76, 0xf8, 0, 0xff),
  note="shift by more than the element size saturates: QC")
V("uqrshl v0.2d, v1.2d, v2.2d", v1=D(0xb39d12f576e57dd3, 0x3e16c1ce4366fb0b), v2=D(0xcabc15ca, 0x6b))
V("sqshl v0.4h, v1.4h, v2.4h", v1=H(0x8000, 1, 0xffff, 0), v2=H(16, 40, 0x30, 100))
V("xtn v0.8b, v1.8h", v1=H(0x1234, 0xabcd, 0xffff, 0x0f0f, 0x8000, 1, 0x7ff0, 0x12))
V("xtn2 v0.16b, v1.8h", v0=B(*BYTES), v1=H(0x1234, 0xabcd, 0xffff, 0x0f0f, 0x8000, 1, 0x7ff0, 0x12))
V("xtn v0.2s, v1.2d", v1=D(0x123456789, M64))
V("shrn v0.2s, v1.2d, #32", v1=D(0x123456789abcdef0, 0xfedcba9876543210))
V("shrn2 v0.8h, v1.4s, #3", v0=H(1, 2, 3, 4, 5, 6, 7, 8), v1=S(0x12345678, 0x9abcdef0, 0xffff0000, 0x0000ffff))
V("xtn v0.4h, v1.4s", v1=S(0x12345678, 0x9abcdef0, 0xffff0000, 0x0000ffff))
V("xtn2 v0.4s, v1.2d", v0=S(1, 2, 3, 4), v1=D(0x123456789, M64))
V("xtn v1.8b, v1.8h", v1=H(0x1234, 0xabcd, 0xffff, 0x0f0f, 0x8000, 1, 0x7ff0, 0x12), note="in place")
V("sqxtn v0.8b, v1.8h", v1=H(0x1234, 0xffab, 0x7f, 0xff80, 0x8000, 1, 0x80, 0xff7f))
V("uqxtn v0.4h, v1.4s", v1=S(0x10000, 0xffff, 5, 0x80000000))
V("sqxtun v0.8b, v1.8h", v1=H(0x1234, 0xffab, 0x7f, 0xff80, 0x8000, 1, 0x80, 0xff))
V("sqxtn2 v0.4s, v1.2d", v0=S(1, 2, 3, 4), v1=D(0x80000000, 0xffffffff7fffffff))
V("uqxtn b0, h1", v1=H(0x100))
V("shll v0.8h, v1.8b, #8", v1=B(*BYTES2))

group("simd_wide")
V("uaddl v0.8h, v1.8b, v2.8b", v1=B(*BYTES2), v2=B(*BYTES2))
V("saddl2 v0.4s, v1.8h, v2.8h", v1=H(0, 0, 0, 0, 0x8000, 0x7fff, 0xffff, 1), v2=H(0, 0, 0, 0, 0x8000, 1, 0xffff, 2))
V("uaddw v0.2d, v1.2d, v2.2s", v1=D(M64, 5), v2=S(1, 0xffffffff))
V("saddw2 v0.8h, v1.8h, v2.16b", v1=H(1, 2, 3, 4, 5, 6, 7, 8), v2=B(*BYTES2))
V("usubl v0.4s, v1.4h, v2.4h", v1=H(1, 0xffff, 3, 0), v2=H(2, 1, 3, 0xffff))
V("ssubw v0.4s, v1.4s, v2.4h", v1=S(1, 2, 3, 4), v2=H(0xffff, 0x8000, 1, 2))
V("umull v0.2d, v1.2s, v2.2s", v1=S(0xffffffff, 3), v2=S(0xffffffff, 5))
V("smull v0.4s, v1.4h, v2.4h", v1=H(0x8000, 0xffff, 3, 0x7fff), v2=H(0x8000, 5, 0xfffd, 0x7fff))
V("umull2 v0.8h, v1.16b, v2.16b", v1=B(*BYTES), v2=B(*BYTES2))
V("umlal v0.4s, v1.4h, v2.4h", v0=S(1, 2, 3, 4), v1=H(0xffff, 2, 3, 4), v2=H(0xffff, 5, 6, 7))
V("smlsl v0.2d, v1.2s, v2.2s", v0=D(0, 100), v1=S(0x80000000, 3), v2=S(0x80000000, 0xffffffff))
V("uabal v0.8h, v1.8b, v2.8b", v0=H(1, 1, 1, 1, 1, 1, 1, 1), v1=B(*BYTES2), v2=B(*BYTES))
V("uabdl v0.4s, v1.4h, v2.4h", v1=H(1, 0xffff, 3, 0), v2=H(2, 1, 3, 0xffff))
V("sabdl2 v0.2d, v1.4s, v2.4s", v1=S(0, 0, 0x80000000, 5), v2=S(0, 0, 0x7fffffff, 0xfffffffb))
V("addhn v0.8b, v1.8h, v2.8h", v1=H(0x1234, 0xff00, 0x80, 1, 2, 3, 4, 5), v2=H(0x0100, 0x0100, 0x80, 0, 0, 0, 0, 0xffff))
V("raddhn v0.4h, v1.4s, v2.4s", v1=S(0x8000, 0x7fff, 0xffff8000, 1), v2=S(0, 0, 0, 0))
V("subhn2 v0.4s, v1.2d, v2.2d", v0=S(1, 2, 3, 4), v1=D(0x100000000, 0), v2=D(1, 1))
V("pmull v0.8h, v1.8b, v2.8b", v1=B(*BYTES2), v2=B(*BYTES))
V("sqdmull v0.4s, v1.4h, v2.4h", v1=H(0x8000, 0x4000, 3, 0xffff), v2=H(0x8000, 0x4000, 0xfffd, 0xffff))
V("sqdmlal v0.2d, v1.2s, v2.2s", v0=D(0x7fffffffffffffff, 5), v1=S(1, 0x80000000), v2=S(1, 0x80000000))
V("sqdmull s0, h1, h2", v1=H(0x8000), v2=H(0x8000))

group("simd_elem")
V("mul v0.4s, v1.4s, v2.s[1]", v1=S(1, 2, 3, 4), v2=S(5, 6, 7, 8))
V("mul v0.8h, v1.8h, v2.h[7]", v1=H(1, 2, 3, 4, 5, 6, 7, 8), v2=H(0, 0, 0, 0, 0, 0, 0, 0x100))
V("mla v0.4h, v1.4h, v2.h[2]", v0=H(1, 1, 1, 1, 9, 9, 9, 9), v1=H(1, 2, 3, 4), v2=H(0, 0, 10))
V("mls v0.2s, v1.2s, v2.s[3]", v0=S(100, 100, 7, 7), v1=S(2, 3), v2=S(0, 0, 0, 10))
V("smull v0.4s, v1.4h, v2.h[3]", v1=H(0x8000, 2, 0xffff, 4), v2=H(0, 0, 0, 0xfffe))
V("umull2 v0.2d, v1.4s, v2.s[0]", v1=S(0, 0, 0xffffffff, 2), v2=S(0xffffffff))
V("smlal v0.2d, v1.2s, v2.s[2]", v0=D(1, 2), v1=S(0xffffffff, 3), v2=S(0, 0, 7))
V("sqdmulh v0.8h, v1.8h, v2.h[0]", v1=H(0x8000, 0x4000, 2, 3), v2=H(0x8000))
V("sqrdmulh s0, s1, v2.s[3]", v1=S(0x40000000), v2=S(0, 0, 0, 0x40000000))
V("sqdmull d0, s1, v2.s[1]", v1=S(0x80000000), v2=S(0, 0x80000000))

group("simd_perm")
V("uzp1 v0.16b, v1.16b, v2.16b", v1=B(*BYTES), v2=B(*BYTES2))
V("uzp2 v0.8h, v1.8h, v2.8h", v1=H(0, 1, 2, 3, 4, 5, 6, 7), v2=H(8, 9, 10, 11, 12, 13, 14, 15))
V("uzp1 v0.2s, v1.2s, v2.2s", v1=S(1, 2, 3, 4), v2=S(5, 6, 7, 8))
V("zip1 v0.4s, v1.4s, v2.4s", v1=S(0, 1, 2, 3), v2=S(4, 5, 6, 7))
V("zip2 v0.16b, v1.16b, v2.16b", v1=B(*BYTES), v2=B(*BYTES2))
V("zip1 v0.8b, v1.8b, v2.8b", v1=B(*BYTES), v2=B(*BYTES2))
V("zip2 v0.2d, v1.2d, v2.2d", v1=D(1, 2), v2=D(3, 4))
V("trn1 v0.8b, v1.8b, v2.8b", v1=B(*BYTES), v2=B(*BYTES2))
V("trn2 v0.16b, v1.16b, v2.16b", v1=B(*BYTES), v2=B(*BYTES2))
V("trn1 v0.4s, v1.4s, v2.4s", v1=S(0, 1, 2, 3), v2=S(4, 5, 6, 7))
V("ext v0.16b, v1.16b, v2.16b, #3", v1=B(*BYTES), v2=B(*BYTES2))
V("ext v0.8b, v1.8b, v2.8b, #7", v1=B(*BYTES), v2=B(*BYTES2))
V("ext v0.16b, v1.16b, v1.16b, #8", v1=B(*BYTES), note="swap halves")
V("uzp2 v0.4s, v1.4s, v2.4s", v1=S(0, 1, 2, 3), v2=S(4, 5, 6, 7))
V("uzp1 v0.4s, v1.4s, v2.4s", v1=S(0, 1, 2, 3), v2=S(4, 5, 6, 7))
V("uzp2 v0.2s, v1.2s, v2.2s", v1=S(0, 1, 2, 3), v2=S(4, 5, 6, 7))
V("zip2 v0.4s, v1.4s, v2.4s", v1=S(0, 1, 2, 3), v2=S(4, 5, 6, 7))
V("zip1 v0.2s, v1.2s, v2.2s", v1=S(0, 1, 2, 3), v2=S(4, 5, 6, 7))
V("zip2 v0.2s, v1.2s, v2.2s", v1=S(0, 1, 2, 3), v2=S(4, 5, 6, 7))
V("trn2 v0.4s, v1.4s, v2.4s", v1=S(0, 1, 2, 3), v2=S(4, 5, 6, 7))
V("trn1 v0.2s, v1.2s, v2.2s", v1=S(0, 1, 2, 3), v2=S(4, 5, 6, 7))
V("trn2 v0.2s, v1.2s, v2.2s", v1=S(0, 1, 2, 3), v2=S(4, 5, 6, 7))
V("uzp1 v0.2d, v1.2d, v2.2d", v1=D(1, 2), v2=D(3, 4))
V("uzp2 v0.2d, v1.2d, v2.2d", v1=D(1, 2), v2=D(3, 4))
V("zip1 v0.2d, v1.2d, v2.2d", v1=D(1, 2), v2=D(3, 4))
V("trn2 v0.2d, v1.2d, v2.2d", v1=D(1, 2), v2=D(3, 4))
V("zip1 v0.8h, v1.8h, v2.8h", v1=H(0, 1, 2, 3, 4, 5, 6, 7), v2=H(8, 9, 10, 11, 12, 13, 14, 15))
V("trn1 v0.4s, v0.4s, v0.4s", v0=S(0, 1, 2, 3), note="all operands the same register")
V("ext v0.16b, v1.16b, v2.16b, #0", v1=B(*BYTES), v2=B(*BYTES2))
V("ext v0.16b, v1.16b, v2.16b, #15", v1=B(*BYTES), v2=B(*BYTES2))
V("ext v0.16b, v1.16b, v2.16b, #8", v1=B(*BYTES), v2=B(*BYTES2))
V("ext v0.8b, v1.8b, v2.8b, #0", v1=B(*BYTES), v2=B(*BYTES2))
V("ext v1.16b, v1.16b, v2.16b, #12", v1=B(*BYTES), v2=B(*BYTES2), note="destination is a source")
V("rev64 v0.16b, v1.16b", v1=B(*BYTES))
V("rev64 v0.4s, v1.4s", v1=S(1, 2, 3, 4))
V("rev32 v0.8h, v1.8h", v1=H(0, 1, 2, 3, 4, 5, 6, 7))
V("rev16 v0.8b, v1.8b", v1=B(*BYTES))
V("tbl v0.16b, {v1.16b}, v2.16b", v1=B(*BYTES), v2=B(15, 0, 16, 255, 3, 3, 1, 2, 4, 5, 6, 7, 8, 9, 10, 0x80))
V("tbl v0.8b, {v1.16b, v2.16b}, v3.8b", v1=B(*BYTES), v2=B(*BYTES2), v3=B(31, 16, 0, 32, 17, 5, 40, 2))
V("tbl v0.16b, {v30.16b, v31.16b, v0.16b}, v3.16b", v30=B(*BYTES), v31=B(*BYTES2), v0=B(*range(0x40, 0x50)),
  v3=B(0, 16, 32, 47, 48, 1, 17, 33, 2, 18, 34, 3, 19, 35, 60, 15), note="table registers wrap to V0")
V("tbx v0.16b, {v1.16b}, v2.16b", v0=B(*BYTES2), v1=B(*BYTES), v2=B(15, 0, 16, 255, 3, 3, 1, 2, 4, 5, 6, 7, 8, 9, 10, 0x80))
V("tbx v0.8b, {v1.16b-v4.16b}, v5.8b", v1=B(*BYTES), v2=B(*BYTES2), v3=B(*range(0x40, 0x50)),
  v4=B(*range(0x60, 0x70)), v5=B(63, 48, 64, 33, 17, 0, 255, 47))

group("simd_count")
V("cnt v0.8b, v1.8b", v1=B(*BYTES2))
V("cnt v0.16b, v1.16b", v1=B(*BYTES2))
V("clz v0.4s, v1.4s", v1=S(0, 1, 0x80000000, 0x00ffffff))
V("clz v0.16b, v1.16b", v1=B(*BYTES2))
V("cls v0.8h, v1.8h", v1=H(0, 0xffff, 0x8000, 0x0fff, 0xf000, 1, 0x4000, 0xc000))
V("rbit v0.8b, v1.8b", v1=B(*BYTES2))
V("sqabs v0.16b, v1.16b", v1=B(*BYTES2))
V("sqneg v0.4s, v1.4s", v1=S(0x80000000, 1, 0, 0x7fffffff))
V("suqadd v0.8b, v1.8b", v0=B(0x70, 0x80, 0xff, 1), v1=B(0x20, 0xff, 0xff, 0x7f))
V("usqadd v0.8b, v1.8b", v0=B(0xf0, 0x10, 0x80, 1), v1=B(0x20, 0x80, 0x7f, 0xff))
V("sqabs d0, d1", v1=D(0x8000000000000000, 0))
V("abs d0, d1", v1=D(0xfffffffffffffffb, 0))

# ---------------------------------------------------------------------------
group("simd_fp")
V("fadd v0.4s, v1.4s, v2.4s", v1=F(1.0, -2.0, 1e38, 0.5), v2=F(2.0, 2.0, 1e38, 0.25))
V("fadd v0.2d, v1.2d, v2.2d", v1=DF(1.0, 1e308), v2=DF(2.0 ** -60, 1e308))
V("fadd v0.2s, v1.2s, v2.2s", v1=F(1.0, 2.0, 3.0, 4.0), v2=F(1.0, 1.0, 1.0, 1.0))
V("fsub v0.4s, v1.4s, v2.4s", v1=F(1.0, SQNAN, 0.0, 5.0), v2=F(2.0, 1.0, 0.0, SSNAN))
V("fmul v0.2d, v1.2d, v2.2d", v1=DF(3.0, -0.0), v2=DF(7.0, 1.0))
V("fdiv v0.4s, v1.4s, v2.4s", v1=F(1.0, 1.0, 0.0, 9.0), v2=F(3.0, 0.0, 0.0, 3.0))
V("fmla v0.4s, v1.4s, v2.4s", v0=F(1.0, 1.0, 1.0, 1.0), v1=F(2.0, 3.0, 4.0, 5.0), v2=F(0.5, 0.5, 0.5, 0.5))
V("fmls v0.2d, v1.2d, v2.2d", v0=DF(10.0, 0.0), v1=DF(2.0, 1 + 2.0 ** -30), v2=DF(3.0, 1 - 2.0 ** -30))
V("fmax v0.4s, v1.4s, v2.4s", v1=F(1.0, -0.0, SQNAN, 3.0), v2=F(2.0, 0.0, 1.0, -3.0))
V("fminnm v0.2d, v1.2d, v2.2d", v1=DF(1.0, DQNAN), v2=DF(-1.0, 5.0))
V("fmaxnm v0.4s, v1.4s, v2.4s", v1=F(1.0, SQNAN, SQNAN, 0.0), v2=F(-1.0, 5.0, SQNAN, -0.0))
V("fabd v0.4s, v1.4s, v2.4s", v1=F(1.0, -2.0, 3.0, 0.0), v2=F(2.0, 2.0, -1.0, -0.0))
V("fcmeq v0.4s, v1.4s, v2.4s", v1=F(1.0, SQNAN, -0.0, 2.0), v2=F(1.0, SQNAN, 0.0, 3.0))
V("fcmgt v0.2d, v1.2d, v2.2d", v1=DF(2.0, 1.0), v2=DF(1.0, DQNAN), note="ordered compare with a NaN: IOC")
V("fcmge v0.4s, v1.4s, v2.4s", v1=F(1.0, 2.0, 3.0, -1.0), v2=F(1.0, 3.0, 2.0, -1.0))
V("facgt v0.4s, v1.4s, v2.4s", v1=F(-3.0, 1.0, 2.0, -0.0), v2=F(2.0, -1.0, 5.0, 0.0))
V("facge v0.2d, v1.2d, v2.2d", v1=DF(-3.0, 1.0), v2=DF(3.0, -2.0))
V("faddp v0.4s, v1.4s, v2.4s", v1=F(1.0, 2.0, 3.0, 4.0), v2=F(5.0, 6.0, 7.0, 8.0))
V("fmaxp v0.2d, v1.2d, v2.2d", v1=DF(1.0, 2.0), v2=DF(-5.0, -6.0))
V("fminnmp v0.4s, v1.4s, v2.4s", v1=F(1.0, SQNAN, 3.0, 4.0), v2=F(5.0, 6.0, -7.0, 8.0))
V("faddp s0, v1.2s", v1=F(1.5, 2.25, 100.0, 100.0))
V("faddp d0, v1.2d", v1=DF(1.5, 2.25))
V("fmaxp s0, v1.2s", v1=F(-1.5, -2.25))
V("fminnmp d0, v1.2d", v1=DF(DQNAN, 2.25))
V("fmaxnmv s0, v1.4s", v1=F(1.0, SQNAN, 3.0, -4.0))
V("fmaxv s0, v1.4s", v1=F(1.0, 7.0, 3.0, -4.0))
V("fminv s0, v1.4s", v1=F(1.0, 7.0, 3.0, -4.0))
V("fminnmv s0, v1.4s", v1=F(SQNAN, SQNAN, 3.0, 4.0))
V("fmul v0.4s, v1.4s, v2.s[2]", v1=F(1.0, 2.0, 3.0, 4.0), v2=F(0.0, 0.0, 10.0, 0.0))
V("fmla v0.2d, v1.2d, v2.d[1]", v0=DF(1.0, 2.0), v1=DF(3.0, 4.0), v2=DF(0.0, 0.5))
V("fmls v0.2s, v1.2s, v2.s[1]", v0=F(1.0, 2.0, 3.0, 4.0), v1=F(3.0, 4.0), v2=F(0.0, 0.5))
V("fmul s0, s1, v2.s[3]", v1=ss(3.0), v2=F(0.0, 0.0, 0.0, 1.5))
V("fmla d0, d1, v2.d[1]", v0=sd(1.0), v1=sd(3.0), v2=DF(0.0, 2.0))
V("fmulx v0.4s, v1.4s, v2.4s", v1=F(float("inf"), 0.0, 2.0, -0.0), v2=F(0.0, float("-inf"), 3.0, float("inf")))
V("fmulx d0, d1, d2", v1=sd(float("-inf")), v2=sd(0.0), note="inf * 0 = -2.0 here")
V("fmulx s0, s1, v2.s[1]", v1=ss(2.0), v2=F(0.0, 3.0))
V("fneg v0.4s, v1.4s", v1=F(1.0, -2.0, 0.0, SQNAN))
V("fabs v0.2d, v1.2d", v1=DF(-1.0, DQNAN2))
V("fsqrt v0.4s, v1.4s", v1=F(4.0, 2.0, -1.0, 0.0))
V("fsqrt v0.2d, v1.2d", v1=DF(9.0, 1e-310))
V("frintn v0.4s, v1.4s", v1=F(0.5, 1.5, -2.5, 3.7))
V("frintm v0.2d, v1.2d", v1=DF(-0.5, 2.9))
V("frinta v0.4s, v1.4s", v1=F(0.5, 1.5, -2.5, 3.2))
V("frintz v0.2d, v1.2d", v1=DF(-0.7, 1e20))
V("frintp v0.2s, v1.2s", v1=F(-0.7, 1.2))
V("frintx v0.4s, v1.4s", v1=F(0.5, 1.0, -2.5, 3.5))
V("frinti v0.2d, v1.2d", v1=DF(2.5, -2.5), fpcr=RP)
V("fcvtzs v0.4s, v1.4s", v1=F(1.9, -1.9, 3e9, SQNAN))
V("fcvtzu v0.2d, v1.2d", v1=DF(-1.0, 1e19))
V("fcvtns v0.4s, v1.4s", v1=F(0.5, 1.5, 2.5, -0.5))
V("fcvtas v0.2d, v1.2d", v1=DF(0.5, -1.5))
V("fcvtms v0.4s, v1.4s", v1=F(0.5, -0.5, 2.5, -2.5))
V("fcvtps v0.2s, v1.2s", v1=F(0.5, -0.5))
V("fcvtnu v0.4s, v1.4s", v1=F(0.5, 1.5, 4294967296.0, -3.0))
V("scvtf v0.4s, v1.4s", v1=S(1, 0xffffffff, 0x7fffffff, 0x80000000))
V("ucvtf v0.2d, v1.2d", v1=D(M64, 12345))
V("scvtf v0.4s, v1.4s, #16", v1=S(0x10000, 0x18000, 0xffff0000, 1))
V("ucvtf v0.2s, v1.2s, #1", v1=S(3, 0xffffffff))
V("fcvtzs v0.2d, v1.2d, #4", v1=DF(1.5, -0.03125))
V("fcvtzu v0.4s, v1.4s, #8", v1=F(1.5, 255.999, -1.0, 16777216.0))
V("scvtf s0, s1", v1=S(0xfffffff6))
V("ucvtf d0, d1", v1=D(M64, 0))
V("fcvtzs d0, d1", v1=DF(-3.5, 0))
V("fcvtzu s0, s1", v1=F(7.5))
V("fcvtns d0, d1", v1=DF(2.5, 0))
V("fcvtzs s0, s1, #1", v1=F(-1.25))
V("ucvtf d0, d1, #8", v1=D(0x180, 0))
V("fcvtn v0.2s, v1.2d", v1=DF(1.0 / 3, 1e300))
V("fcvtn2 v0.4s, v1.2d", v0=S(1, 2, 3, 4), v1=DF(-2.5, 1e-50))
V("fcvtn v0.4h, v1.4s", v1=F(1.0, 65504.0, 1e-8, -0.5))
V("fcvtl v0.2d, v1.2s", v1=F(1.5, SSNAN))
V("fcvtl2 v0.4s, v1.8h", v1=H(0, 0, 0, 0, 0x3c00, 0xc000, 0x7c00, 0x0001))
V("fcvtxn s0, d1", v1=DF(1 + 2.0 ** -40, 0), note="round to odd")
V("fcvtxn v0.2s, v1.2d", v1=DF(1 + 2.0 ** -40, 2.0))
V("fcmeq v0.4s, v1.4s, #0.0", v1=F(0.0, -0.0, 1.0, SQNAN))
V("fcmlt v0.2d, v1.2d, #0.0", v1=DF(-1.0, 0.0))
V("fcmgt s0, s1, #0.0", v1=ss(1e-30))
V("fcmle v0.4s, v1.4s, #0.0", v1=F(0.0, -1.0, 1.0, SQNAN))
V("fcmge v0.2s, v1.2s, #0.0", v1=F(-0.0, -1e-40))
V("fcmge d0, d1, d2", v1=sd(2.0), v2=sd(2.0))
V("fcmgt s0, s1, s2", v1=ss(1.0), v2=ss(2.0))
V("facge s0, s1, s2", v1=ss(-3.0), v2=ss(2.0))
V("fabd d0, d1, d2", v1=sd(1.0), v2=sd(3.5))
V("frecpe v0.4s, v1.4s", v1=F(1.0, 3.0, 0.0, -0.25))
V("frecpe d0, d1", v1=sd(1e-310), note="reciprocal of a tiny denormal overflows")
V("frsqrte v0.2d, v1.2d", v1=DF(4.0, 2.0))
V("frsqrte s0, s1", v1=ss(-1.0))
V("frsqrte v0.4s, v1.4s", v1=F(0.25, 1e-40, float("inf"), -0.0))
V("frecps v0.4s, v1.4s, v2.4s", v1=F(2.0, float("inf"), 1.5, 0.0), v2=F(0.4, 0.0, 2.0, 1.0))
V("frsqrts v0.2d, v1.2d, v2.2d", v1=DF(2.0, 0.0), v2=DF(0.5, float("inf")))
V("frecpx d0, d1", v1=sd(3.0))
V("frecpx s0, s1", v1=ss(1e-40))
V("urecpe v0.4s, v1.4s", v1=S(0x80000000, 0xffffffff, 0x7fffffff, 0xc0000000))
V("ursqrte v0.2s, v1.2s", v1=S(0x40000000, 0x3fffffff))

# ---------------------------------------------------------------------------
group("simd_ldst")
V("ld1 {v0.16b}, [x0]", x0=DATA)
V("ld1 {v0.8b}, [x0]", x0=DATA + 3, note="64-bit form zeroes the upper half")
V("ld1 {v0.4s, v1.4s}, [x0], #32", x0=DATA + 1)
V("ld1 {v0.2d-v2.2d}, [x0], x2", x0=DATA, x2=0x100)
V("ld1 {v30.8h, v31.8h, v0.8h, v1.8h}, [x0]", x0=DATA + 0x40, note="register list wraps at V31")
V("ld1 {v4.2s, v5.2s}, [sp], #16")
V("st1 {v0.16b}, [x0]", x0=DATA + 8, v0=B(*BYTES))
V("st1 {v0.8b-v3.8b}, [x0], #32", x0=DATA + 5, v0=B(*BYTES), v1=B(*BYTES2), v2=D(1, 2), v3=D(3, 4))
V("st1 {v0.2d, v1.2d}, [x0], x3", x0=DATA + 0x10, x3=-16, v0=D(1, 2), v1=D(3, 4))
V("ld2 {v0.16b, v1.16b}, [x0]", x0=DATA)
V("ld2 {v0.4h, v1.4h}, [x0], #16", x0=DATA + 2)
V("ld2 {v31.2d, v0.2d}, [x0]", x0=DATA)
V("ld3 {v0.4s-v2.4s}, [x0], #48", x0=DATA)
V("ld3 {v5.8b-v7.8b}, [x0]", x0=DATA + 1)
V("ld4 {v0.8b-v3.8b}, [x0], #32", x0=DATA)
V("ld4 {v0.8h-v3.8h}, [x0]", x0=DATA + 6)
V("st2 {v0.8h, v1.8h}, [x0]", x0=DATA, v0=H(0, 1, 2, 3, 4, 5, 6, 7), v1=H(0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17))
V("st3 {v0.16b-v2.16b}, [x0], #48", x0=DATA + 3, v0=B(*BYTES), v1=B(*BYTES2), v2=B(*range(0x40, 0x50)))
V("st4 {v0.2s-v3.2s}, [x0]", x0=DATA, v0=S(1, 2), v1=S(3, 4), v2=S(5, 6), v3=S(7, 8))
V("st4 {v0.2d-v3.2d}, [x0], x1", x0=DATA + 8, x1=64, v0=D(1, 2), v1=D(3, 4), v2=D(5, 6), v3=D(7, 8))
V("ld1 {v0.b}[5], [x0]", x0=DATA + 9)
V("ld1 {v0.s}[3], [x0], #4", x0=DATA + 1)
V("ld1 {v0.d}[1], [x0]", x0=DATA + 0x20)
V("ld2 {v0.h, v1.h}[7], [x0], x2", x0=DATA, x2=3)
V("ld3 {v0.d-v2.d}[1], [x0]", x0=DATA + 8)
V("ld4 {v0.b-v3.b}[15], [x0], #4", x0=DATA + 0x11)
V("st1 {v0.d}[1], [x0]", x0=DATA + 4, v0=D(0x1111, 0x0102030405060708))
V("st1 {v1.h}[6], [x0], #2", x0=DATA, v1=H(0, 1, 2, 3, 4, 5, 0xbeef, 7))
V("st2 {v0.s, v1.s}[2], [x0]", x0=DATA + 1, v0=S(1, 2, 0xaaaaaaaa, 4), v1=S(5, 6, 0xbbbbbbbb, 8))
V("st4 {v0.h-v3.h}[1], [x0], #8", x0=DATA, v0=H(0, 0x1111), v1=H(0, 0x2222), v2=H(0, 0x3333), v3=H(0, 0x4444))
V("st3 {v0.b-v2.b}[0], [x0]", x0=DATA + 0x30, v0=B(0xa1), v1=B(0xb2), v2=B(0xc3))
V("ld1r {v0.16b}, [x0]", x0=DATA + 7)
V("ld1r {v0.2s}, [x0], #4", x0=DATA + 4)
V("ld1r {v0.2d}, [x0], x5", x0=DATA, x5=-8)
V("ld2r {v0.8h, v1.8h}, [x0]", x0=DATA + 2)
V("ld3r {v0.4s-v2.4s}, [x0], #12", x0=DATA)
V("ld4r {v0.8b-v3.8b}, [x0]", x0=DATA + 0x50)
V("ld4r {v0.2d-v3.2d}, [x0], #32", x0=DATA)

# ---------------------------------------------------------------------------
# Random vectors (fixed seed): operands drawn from pools of interesting values
# (zeros, denormals, the smallest normal, infinities, quiet and signalling
# NaNs with payloads, conversion bounds, saturation edges) or random bits,
# random FPCR modes (RN/RP/RM/RZ, FZ, DN) and FPSR (with and without IXC,
# i.e. the host fast path), over many scalar, vector FP and integer forms.
import random  # noqa: E402

rnd = random.Random(20240611)

RND_D = [0, 1 << 63, 1, 3, (1 << 52) - 1, 1 << 52, (1 << 52) | 1, d(1.0), d(-1.0), d(1.5), d(2.5),
         d(-2.5), d(0.5), d(1e308), d(-1e308), d(1e-308), 0x7fefffffffffffff, DINF, DINF | 1 << 63,
         0x7ff8000000000000, 0x7ff8000000000123, 0xfff8000000000077, 0x7ff0000000000001,
         0xfff0000000000abc, d(3.0), d(1 / 3), d(2.0 ** 63), d(-2.0 ** 63), d(2.0 ** 64), d(2.0 ** 31),
         d(-2.0 ** 31 - 1), d(4294967295.5), d(0.49999999999999994), d(123456789.123), d(-0.75),
         d(1 + 2.0 ** -52), d(2.0 ** -1022 * 1.5)]
RND_S = [0, 1 << 31, 1, 7, 0x7fffff, 0x800000, 0x800001, f(1.0), f(-1.0), f(1.5), f(2.5), f(-2.5),
         f(0.5), f(3e38), f(-3e38), f(1e-38), 0x7f7fffff, 0x7f800000, 0xff800000, 0x7fc00000,
         0x7fc00123, 0xffc00077, 0x7f800001, 0xff800abc, f(3.0), f(1 / 3), f(2.0 ** 31), f(-2.0 ** 31),
         f(2.0 ** 32), f(65504.0), f(65520.0), f(6e-8), f(1e-5), f(0.1), f(-0.75), f(1 + 2.0 ** -23),
         f(16777217.0)]
RND_FPCR = [0, 0, 0, RP, RM, RZ, FZ, DN, FZ | DN, FZ | RZ]
RND_FPSR = [0, 0, 0x10, 0x10, 0x1f]
RND_X = [0, 1, M64, 1 << 63, (1 << 63) - 1, 0xffffffff, 0x80000000, 12345]
RND_SCALAR = [
    "fadd {t}0, {t}1, {t}2", "fsub {t}0, {t}1, {t}2", "fmul {t}0, {t}1, {t}2", "fdiv {t}0, {t}1, {t}2",
    "fmax {t}0, {t}1, {t}2", "fmin {t}0, {t}1, {t}2", "fmaxnm {t}0, {t}1, {t}2",
    "fminnm {t}0, {t}1, {t}2", "fnmul {t}0, {t}1, {t}2", "fmadd {t}0, {t}1, {t}2, {t}3",
    "fmsub {t}0, {t}1, {t}2, {t}3", "fnmadd {t}0, {t}1, {t}2, {t}3", "fnmsub {t}0, {t}1, {t}2, {t}3",
    "fsqrt {t}0, {t}1", "fabs {t}0, {t}1", "fneg {t}0, {t}1", "frintn {t}0, {t}1", "frintp {t}0, {t}1",
    "frintm {t}0, {t}1", "frintz {t}0, {t}1", "frinta {t}0, {t}1", "frintx {t}0, {t}1",
    "frinti {t}0, {t}1", "fcmp {t}1, {t}2", "fcmpe {t}1, {t}2", "fcmp {t}1, #0.0",
    "fccmp {t}1, {t}2, #5, ne", "fcvtzs x0, {t}1", "fcvtzs w0, {t}1", "fcvtzu x0, {t}1",
    "fcvtzu w0, {t}1", "fcvtns x0, {t}1", "fcvtas w0, {t}1", "fcvtms x0, {t}1", "fcvtps w0, {t}1",
    "fcvtnu w0, {t}1", "fcvtau x0, {t}1", "fcvtzs x0, {t}1, #10", "fcvtzu w0, {t}1, #31",
    "scvtf {t}0, x1", "ucvtf {t}0, x1", "scvtf {t}0, w1", "ucvtf {t}0, w1, #7", "scvtf {t}0, x1, #60",
    "fcvt {o}0, {t}1", "fcvt h0, {t}1", "frecpe {t}0, {t}1", "frsqrte {t}0, {t}1",
    "frecps {t}0, {t}1, {t}2", "frsqrts {t}0, {t}1, {t}2", "frecpx {t}0, {t}1",
    "fmulx {t}0, {t}1, {t}2", "fabd {t}0, {t}1, {t}2", "fcmeq {t}0, {t}1, {t}2",
    "fcmge {t}0, {t}1, {t}2", "facgt {t}0, {t}1, {t}2", "fcmlt {t}0, {t}1, #0.0",
    "fcvtzs {t}0, {t}1", "ucvtf {t}0, {t}1",
]
RND_VECTOR = [
    "fadd v0.{a}, v1.{a}, v2.{a}", "fmul v0.{a}, v1.{a}, v2.{a}", "fdiv v0.{a}, v1.{a}, v2.{a}",
    "fmla v0.{a}, v1.{a}, v2.{a}", "fmls v0.{a}, v1.{a}, v2.{a}", "fmaxnmp v0.{a}, v1.{a}, v2.{a}",
    "faddp v0.{a}, v1.{a}, v2.{a}", "fminp v0.{a}, v1.{a}, v2.{a}", "frecps v0.{a}, v1.{a}, v2.{a}",
    "fsqrt v0.{a}, v1.{a}", "frinta v0.{a}, v1.{a}", "fcvtzu v0.{a}, v1.{a}", "fcvtms v0.{a}, v1.{a}",
    "scvtf v0.{a}, v1.{a}", "fcmgt v0.{a}, v1.{a}, #0.0", "frsqrte v0.{a}, v1.{a}",
    "frecpe v0.{a}, v1.{a}", "fmulx v0.{a}, v1.{a}, v2.{a}", "fcvtzs v0.{a}, v1.{a}, #3",
    "ucvtf v0.{a}, v1.{a}, #5",
]


def rnd_fp(dbl):
    if dbl:
        return rnd.choice(RND_D) if rnd.random() < 0.8 else rnd.getrandbits(64)
    return rnd.choice(RND_S) if rnd.random() < 0.8 else rnd.getrandbits(32)


def rnd_fpv(dbl):
    if dbl:
        return (rnd_fp(True), rnd_fp(True))
    return (rnd_fp(False) | rnd_fp(False) << 32, rnd_fp(False) | rnd_fp(False) << 32)


group("fp_random")
for _ in range(320):
    dbl = rnd.random() < 0.5
    if rnd.random() < 0.7:
        t, o = ("d", "s") if dbl else ("s", "d")
        x1 = rnd.getrandbits(64) if rnd.random() < 0.5 else rnd.choice(RND_X)
        V(rnd.choice(RND_SCALAR).format(t=t, o=o), v1=rnd_fpv(dbl), v2=rnd_fpv(dbl), v3=rnd_fpv(dbl),
          x1=x1, fpcr=rnd.choice(RND_FPCR), fpsr=rnd.choice(RND_FPSR), nzcv=rnd.getrandbits(4))
    else:
        a = "2d" if dbl else rnd.choice(["4s", "2s"])
        V(rnd.choice(RND_VECTOR).format(a=a), v0=rnd_fpv(dbl), v1=rnd_fpv(dbl), v2=rnd_fpv(dbl),
          fpcr=rnd.choice(RND_FPCR), fpsr=rnd.choice(RND_FPSR))

RND_EDGE = [0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff,
            0x7fffffffffffffff, 0x8000000000000000, M64]
A3 = ["16b", "8b", "8h", "4h", "4s", "2s"]
A3D = A3 + ["2d"]
ES = {"16b": 0, "8b": 0, "8h": 1, "4h": 1, "4s": 2, "2s": 2, "2d": 3}
RND_3SAME = [
    ("add", A3D), ("sub", A3D), ("mul", A3), ("mla", A3), ("mls", A3), ("pmul", ["16b", "8b"]),
    ("shadd", A3), ("uhadd", A3), ("srhadd", A3), ("urhadd", A3), ("shsub", A3), ("uhsub", A3),
    ("sqadd", A3D), ("uqadd", A3D), ("sqsub", A3D), ("uqsub", A3D), ("cmgt", A3D), ("cmge", A3D),
    ("cmhi", A3D), ("cmhs", A3D), ("cmeq", A3D), ("cmtst", A3D), ("sshl", A3D), ("ushl", A3D),
    ("sqshl", A3D), ("uqshl", A3D), ("srshl", A3D), ("urshl", A3D), ("sqrshl", A3D), ("uqrshl", A3D),
    ("smax", A3), ("umax", A3), ("smin", A3), ("umin", A3), ("sabd", A3), ("uabd", A3), ("saba", A3),
    ("uaba", A3), ("smaxp", A3), ("umaxp", A3), ("sminp", A3), ("uminp", A3), ("addp", A3D),
    ("sqdmulh", ["8h", "4h", "4s", "2s"]), ("sqrdmulh", ["8h", "4h", "4s", "2s"]),
    ("uzp1", A3D), ("uzp2", A3D), ("zip1", A3D), ("zip2", A3D), ("trn1", A3D), ("trn2", A3D),
    ("and", ["16b", "8b"]), ("bsl", ["16b", "8b"]), ("bif", ["16b"]), ("orn", ["8b"]),
]
RND_2MISC = [
    ("abs", A3D), ("neg", A3D), ("sqabs", A3D), ("sqneg", A3D), ("cls", A3), ("clz", A3),
    ("cnt", ["16b", "8b"]), ("rbit", ["16b", "8b"]), ("rev64", A3), ("rev32", ["16b", "8b", "8h", "4h"]),
    ("rev16", ["16b", "8b"]), ("suqadd", A3D), ("usqadd", A3D), ("not", ["16b"]),
]
RND_ZERO = [("cmeq", A3D), ("cmgt", A3D), ("cmge", A3D), ("cmle", A3D), ("cmlt", A3D)]
RND_NARROW = [("xtn", "8b", "8h"), ("xtn2", "16b", "8h"), ("sqxtn", "4h", "4s"), ("uqxtn", "2s", "2d"),
              ("sqxtun", "8b", "8h"), ("sqxtn2", "8h", "4s"), ("uqxtn2", "4s", "2d")]
RND_LONG = [("saddl", "8h", "8b"), ("uaddl2", "4s", "8h"), ("ssubl", "2d", "2s"), ("usubl2", "8h", "16b"),
            ("smull", "4s", "4h"), ("umull2", "2d", "4s"), ("smlal", "8h", "8b"), ("umlsl2", "4s", "8h"),
            ("sabal", "2d", "2s"), ("uabdl2", "8h", "16b"), ("sqdmull", "4s", "4h"),
            ("sqdmlal2", "2d", "4s"), ("sqdmlsl", "4s", "4h"), ("pmull", "8h", "8b")]
RND_WIDE = [("saddw", "8h", "8b"), ("uaddw2", "4s", "8h"), ("ssubw2", "2d", "4s"), ("usubw", "8h", "8b")]
RND_HIGHNARROW = [("addhn", "8b", "8h"), ("raddhn2", "8h", "4s"), ("subhn", "2s", "2d"),
                  ("rsubhn2", "16b", "8h")]
RND_ACROSS = [("addv", ["16b", "8b", "8h", "4s"]), ("saddlv", ["16b", "8h", "4s"]),
              ("uaddlv", ["8b", "4h", "4s"]), ("smaxv", ["16b", "4h", "4s"]), ("umaxv", ["8b", "8h", "4s"]),
              ("sminv", ["16b", "8h"]), ("uminv", ["16b", "4s"])]
RND_PAIRLONG = [("saddlp", ["16b", "8b", "8h", "4h", "4s", "2s"]), ("uaddlp", ["16b", "4h", "2s"]),
                ("sadalp", ["8b", "8h", "4s"]), ("uadalp", ["16b", "4h", "2s"])]
PAIRLONG_DST = {"16b": "8h", "8b": "4h", "8h": "4s", "4h": "2s", "4s": "2d", "2s": "1d"}
RND_SHR = ["sshr", "ushr", "ssra", "usra", "srshr", "urshr", "srsra", "ursra", "sri"]
RND_SHL = ["shl", "sli", "sqshl", "uqshl", "sqshlu"]
RND_WIDEN = ["sshll", "ushll", "sshll2", "ushll2"]
RND_SHRN = ["shrn", "rshrn", "sqshrn", "uqshrn", "sqrshrn", "uqrshrn", "sqshrun", "sqrshrun"]
RND_INT_SCALAR = [
    "sqadd b0, b1, b2", "uqsub h0, h1, h2", "sqshl s0, s1, s2", "uqrshl d0, d1, d2", "sqdmulh h0, h1, h2",
    "sqrdmulh s0, s1, v2.s[1]", "cmhs d0, d1, d2", "sshl d0, d1, d2", "sqabs b0, b1", "sqneg h0, h1",
    "suqadd s0, s1", "usqadd d0, d1", "sqxtn b0, h1", "uqxtn h0, s1", "sqxtun s0, d1",
    "sqshrn b0, h1, #3", "uqrshrn s0, d1, #17", "sqshrun h0, s1, #9", "sqshl d0, d1, #63",
    "uqshl s0, s1, #31", "sqshlu b0, b1, #7", "srshr d0, d1, #64", "ursra d0, d1, #1", "sri d0, d1, #64",
    "sli d0, d1, #0", "sqdmull d0, s1, s2", "sqdmlal s0, h1, v2.h[7]", "sqdmlsl d0, s1, s2",
    "addp d0, v1.2d", "cmtst d0, d1, d2", "abs d0, d1", "neg d0, d1", "cmle d0, d1, #0",
]


def rnd_vec(es):
    bits = 8 << es
    v = 0
    for i in range(128 // bits):
        x = rnd.choice(RND_EDGE) if rnd.random() < 0.4 else rnd.getrandbits(bits)
        v |= (x & ((1 << bits) - 1)) << (bits * i)
    return (v & M64, v >> 64)


def rnd_int(asm, regs):
    V(asm, **{"v%d" % r: rnd_vec(es) for r, es in regs})


group("simd_random")
for _ in range(320):
    k = rnd.random()
    if k < 0.35:
        op, arr = rnd.choice(RND_3SAME)
        a = rnd.choice(arr)
        rnd_int("%s v0.%s, v1.%s, v2.%s" % (op, a, a, a), [(0, ES[a]), (1, ES[a]), (2, ES[a])])
    elif k < 0.45:
        op, arr = rnd.choice(RND_2MISC)
        a = rnd.choice(arr)
        rnd_int("%s v0.%s, v1.%s" % (op, a, a), [(0, ES[a]), (1, ES[a])])
    elif k < 0.5:
        op, arr = rnd.choice(RND_ZERO)
        a = rnd.choice(arr)
        rnd_int("%s v0.%s, v1.%s, #0" % (op, a, a), [(1, ES[a])])
    elif k < 0.55:
        op, dst, src = rnd.choice(RND_NARROW)
        rnd_int("%s v0.%s, v1.%s" % (op, dst, src), [(0, ES[dst]), (1, ES[src])])
    elif k < 0.65:
        op, dst, src = rnd.choice(RND_LONG + RND_WIDE + RND_HIGHNARROW)
        first = dst if (op, dst, src) in RND_WIDE else src
        rnd_int("%s v0.%s, v1.%s, v2.%s" % (op, dst, first, src), [(0, ES[dst]), (1, ES[first]), (2, ES[src])])
    elif k < 0.7:
        op, arr = rnd.choice(RND_ACROSS)
        a = rnd.choice(arr)
        reg = ("bhs"[min(ES[a], 2)] if op in ("addv", "smaxv", "umaxv", "sminv", "uminv") else "hsd"[ES[a]])
        rnd_int("%s %s0, v1.%s" % (op, reg, a), [(1, ES[a])])
    elif k < 0.75:
        op, arr = rnd.choice(RND_PAIRLONG)
        a = rnd.choice(arr)
        rnd_int("%s v0.%s, v1.%s" % (op, PAIRLONG_DST[a], a), [(0, ES[a]), (1, ES[a])])
    elif k < 0.85:
        a = rnd.choice(A3D)
        bits = 8 << ES[a]
        if rnd.random() < 0.5:
            asm = "%s v0.%s, v1.%s, #%d" % (rnd.choice(RND_SHR), a, a, rnd.randint(1, bits))
        else:
            asm = "%s v0.%s, v1.%s, #%d" % (rnd.choice(RND_SHL), a, a, rnd.randint(0, bits - 1))
        rnd_int(asm, [(0, ES[a]), (1, ES[a])])
    elif k < 0.87:
        op = rnd.choice(RND_WIDEN)
        dst, src = rnd.choice([("8h", "8b"), ("4s", "4h"), ("2d", "2s")])
        if op.endswith("2"):
            src = {"8b": "16b", "4h": "8h", "2s": "4s"}[src]
        rnd_int("%s v0.%s, v1.%s, #%d" % (op, dst, src, rnd.randint(0, (8 << ES[src]) - 1)),
                [(0, ES[dst]), (1, ES[src])])
    elif k < 0.9:
        op = rnd.choice(RND_SHRN)
        dst, src = rnd.choice([("8b", "8h"), ("4h", "4s"), ("2s", "2d")])
        if rnd.random() < 0.5:
            op += "2"
            dst = {"8b": "16b", "4h": "8h", "2s": "4s"}[dst]
        rnd_int("%s v0.%s, v1.%s, #%d" % (op, dst, src, rnd.randint(1, 8 << ES[dst])),
                [(0, ES[dst]), (1, ES[src])])
    elif k < 0.95:
        op = rnd.choice(["mul", "mla", "mls", "sqdmulh", "sqrdmulh", "smull", "umlal2", "sqdmull", "sqdmlal"])
        if op in ("smull", "umlal2", "sqdmull", "sqdmlal"):
            dst, src, e, top = rnd.choice([("4s", "4h", "h", 7), ("2d", "2s", "s", 3)])
            if op.endswith("2"):
                src = {"4h": "8h", "2s": "4s"}[src]
        else:
            dst, e, top = rnd.choice([("8h", "h", 7), ("4s", "s", 3), ("4h", "h", 7), ("2s", "s", 3)])
            src = dst
        m = rnd.randint(0, 15) if e == "h" else rnd.randint(0, 31)
        rnd_int("%s v0.%s, v1.%s, v%d.%s[%d]" % (op, dst, src, m, e, rnd.randint(0, top)),
                [(0, 2), (1, 2), (m, 2)])
    else:
        rnd_int(rnd.choice(RND_INT_SCALAR), [(0, 3), (1, rnd.randint(0, 3)), (2, rnd.randint(0, 3))])


group("fp_unimp")
V(".inst 0x1ee22820", out=["EXIT(undef, 0x10000)"], note="fadd h0, h1, h2: FEAT_FP16 is not implemented")
V(".inst 0x4e829420", out=["EXIT(undef, 0x10000)"], note="sdot v0.4s, v1.16b, v2.16b: FEAT_DotProd")
V(".inst 0x4e284820", out=["EXIT(undef, 0x10000)"], note="aese v0.16b, v1.16b: FEAT_AES")
V(".inst 0x1e7e0020", out=["EXIT(undef, 0x10000)"], note="fjcvtzs w0, d1: FEAT_JSCVT")
V(".inst 0x1ee70020", out=["EXIT(undef, 0x10000)"], note="fmov h0, w1: FEAT_FP16")
V(".inst 0x0ee0e020", out=["EXIT(undef, 0x10000)"], note="pmull v0.1q, v1.1d, v0.1d: FEAT_PMULL")
V(".inst 0x1e284020", out=["EXIT(undef, 0x10000)"], note="frint32z s0, s1: FEAT_FRINTTS")
V(".inst 0x6e80cc20", out=["EXIT(undef, 0x10000)"], note="fcmla v0.4s, v1.4s, v0.4s, #90: FEAT_FCMA")
V(".inst 0x0e22ec20", out=["EXIT(undef, 0x10000)"], note="fmlal v0.2s, v1.2h, v2.2h: FEAT_FHM")
V(".inst 0xce628020", out=["EXIT(undef, 0x10000)"], note="sha512h q0, q1, v2.2d: FEAT_SHA512")

group("fp_undef")
V(".inst 0x1ea02820", note="fadd with ftype 10: unallocated")
V(".inst 0x0ee08420", note="add with size 11 and Q 0 (.1d): unallocated")
V(".inst 0x0c417800", note="ld1 (no offset) with a nonzero Rm field: unallocated")
V(".inst 0x1e66c020", note="FP data-processing 1 source, opcode 001101: unallocated")
V(".inst 0x2ea05820", note="rbit with size 10: unallocated")
V(".inst 0x0e605820", note="cnt with size 01: unallocated")
V(".inst 0x1e224020", note="fcvt from single to single: unallocated")
V(".inst 0x9ea60020", note="fmov x0 with ftype 10, rmode 00: unallocated")
V(".inst 0x1e022820", note="scvtf s0, w1 with scale < 32 (fbits > 32): unallocated")
V(".inst 0x0e080420", note="dup .1d (element): unallocated")
V(".inst 0x0e083c20", note="umov w0 from a D lane (needs Q=1): unallocated")
V(".inst 0x2e024020", note="ext of 64-bit vectors with index 8: unallocated")
V(".inst 0x0c400c00", note="ld4 .1d: unallocated")

# The boundaries of the host fast paths (a64_fp_fast.c, a64_fp_helpers.c):
# every vector form in one helper call, one lane failing the check sends the
# whole vector down the full path; scalar FCMP, FCVTZ*, SCVTF/UCVTF, FCVT.
group("fp_fast_vec")
SMIN_NORMAL = 0x00800000
V("fadd v0.2d, v1.2d, v2.2d", v1=DF(1.0, 2.5), v2=DF(2.0 ** -60, -2.5), fpsr=IXC,
  note="fast: a normal lane and an exact zero")
V("fadd v0.2d, v1.2d, v2.2d", v1=DF(1.0, 2.0), v2=DF(2.0, 4.0), note="exact, FPSR clear: no flags")
V("fdiv v0.2d, v1.2d, v2.2d", v1=DF(1.0, 2.0), v2=DF(3.0, 4.0), note="inexact with IXC clear: full path")
V("fadd v0.4s, v1.4s, v2.4s", v1=F(1.0, 2.0, SSNAN, 4.0), v2=F(1.0, 1.0, 1.0, 1.0), fpsr=IXC,
  note="one signalling NaN lane: IOC, quieted")
V("fadd v0.2s, v1.2s, v2.2s", v1=(F(1.0, 2.0)[0], F(SSNAN, 0.0)[0]), v2=(F(1.0, 1.0)[0], F(1.0, 0.0)[0]),
  v0=DF(7.0, 7.0), fpsr=IXC, note=".2s: the upper lanes (a NaN, 0/0) must not count")
V("fdiv v0.2s, v1.2s, v2.2s", v1=(F(1.0, 2.0)[0], 0), v2=(F(3.0, 5.0)[0], 0), fpsr=IXC,
  note=".2s division: upper lanes 0/0 must raise nothing")
V("fsub v0.4s, v1.4s, v2.4s", v1=F(SMIN_NORMAL | 1, 3.0, 1.0, 1.0), v2=F(SMIN_NORMAL, 1.0, 1.0, -1.0),
  fpsr=IXC, note="an exact denormal difference: no UFC")
V("fmul v0.2d, v1.2d, v2.2d", v1=DF(1e-200, 3.0), v2=DF(1e-200, 3.0), fpsr=IXC, note="underflow lane")
V("fmul v0.2d, v1.2d, v2.2d", v1=DF(DMIN_NORMAL, 2.0), v2=DF(1 - 2.0 ** -53, 1.0), fpsr=IXC,
  note="rounds up to the smallest normal: tiny before rounding, UFC")
V("fmul v0.2d, v1.2d, v2.2d", v1=DF(DMIN_NORMAL | 1, 2.0), v2=DF(1 - 2.0 ** -53, 1.0), fpsr=IXC,
  note="just above the smallest normal: not tiny")
V("fmul v0.4s, v1.4s, v2.4s", v1=F(SMIN_NORMAL, 1.0, 1.0, 1.0), v2=F(1 - 2.0 ** -24, 1.0, 1.0, 1.0),
  fpsr=IXC, note="single: rounds up to the smallest normal, UFC")
V("fmul v0.4s, v1.4s, v2.4s", v1=F(0.0, 1.0, -0.0, 2.0), v2=F(5.0, 1.0, 3.0, -0.0), fpsr=IXC,
  note="zero products: exact, signed zeros")
V("fmul v0.4s, v1.4s, v2.4s", v1=F(3e38, 1.0, 1.0, 1.0), v2=F(10.0, 1.0, 1.0, 1.0), fpsr=IXC,
  note="overflow lane: OFC, IXC")
V("fdiv v0.4s, v1.4s, v2.4s", v1=F(1.0, 0.0, 6.0, 1.0), v2=F(0.0, 0.0, 3.0, float("inf")), fpsr=IXC,
  note="x/0 (DZC), 0/0 (IOC), x/inf")
V("fdiv v0.2d, v1.2d, v2.2d", v1=DF(1.0, -1.0), v2=DF(float("inf"), 3.0), fpsr=IXC, note="x/inf = 0")
V("fadd v0.4s, v1.4s, v2.4s", v1=F(1.0, 1.0, -1.0, 3.0), v2=F(2.0 ** -30, -(2.0 ** -30), 2.0 ** -30, 0.1),
  fpcr=RM, fpsr=IXC, note="round toward minus infinity: full path")
V("fadd v0.2d, v1.2d, v2.2d", v1=DF(1.0, 1.0), v2=DF(2.0 ** -60, 2.0 ** -61), fpcr=RP, fpsr=IXC)
V("fadd v0.4s, v1.4s, v2.4s", v1=F(SDENORM, 1.0, 2.0, 3.0), v2=F(1.0, 1.0, 1.0, 1.0), fpcr=FZ, fpsr=IXC,
  note="FZ: a denormal input is flushed, IDC")
V("fadd v0.2d, v1.2d, v2.2d", v1=DF(DDENORM, DDENORM), v2=DF(DDENORM, 1.0), fpsr=IXC,
  note="denormals without FZ: exact denormal sum, no UFC")
V("fmul v0.2d, v1.2d, v2.2d", v1=DF(DDENORM, 2.0 ** 1000), v2=DF(2.0 ** 100, 2.0 ** 100), fpsr=IXC,
  note="a denormal operand with a normal product")
V("fsub v0.2d, v1.2d, v2.2d", v1=(3 * DMIN_NORMAL, d(5.0)), v2=(2 * DMIN_NORMAL, d(1.0)), fpsr=IXC,
  note="exactly the smallest normal, exact")
V("fmla v0.4s, v1.4s, v2.4s", v0=F(SQNAN, 1.0, 2.0, 3.0), v1=F(1.0, 2.0, 3.0, 4.0),
  v2=F(1.0, 0.5, 0.25, 1e-3), fpsr=IXC, note="NaN accumulator lane")
V("fmla v0.4s, v1.4s, v2.4s", v0=F(SQNAN, 1.0, 2.0, 3.0), v1=F(1.0, 2.0, 3.0, 4.0),
  v2=F(1.0, 0.5, 0.25, 1e-3), fpcr=DN, fpsr=IXC, note="DN: default NaN")
V("fmla v0.2d, v1.2d, v2.2d", v0=DF(-6.0, 1.0), v1=DF(2.0, 1e-3), v2=DF(3.0, 7.0), fpsr=IXC,
  note="exact cancellation to +0")
V("fmla v0.2d, v1.2d, v2.2d", v0=DF(-0.0, 1.0), v1=DF(-0.0, 1e-3), v2=DF(3.0, 7.0), fpsr=IXC,
  note="-0 + -0*3 = +0, sign rules")
V("fmla v0.2d, v1.2d, v2.2d", v0=DF(0.0, 1.0), v1=DF(1e-160, 1.0), v2=DF(1e-160, 1.0), fpsr=IXC,
  note="FMA underflow lane")
V("fmls v0.2s, v1.2s, v2.2s", v0=(F(float("inf"), 1.0)[0], 0), v1=(F(1.0, 2.0)[0], 0),
  v2=(F(float("inf"), 3.0)[0], 0), fpsr=IXC, note="inf - inf: IOC")
V("fmls v0.4s, v1.4s, v2.4s", v0=F(1.0, 2.0, 3.0, 4.0), v1=F(0.1, 0.2, 0.3, 0.4), v2=F(3.0, 3.0, 3.0, 3.0),
  fpsr=IXC, note="fast FMLS")
V("fmla v0.2d, v1.2d, v2.d[1]", v0=DF(1.0, 2.0), v1=DF(0.1, 0.2), v2=DF(99.0, 3.0), fpsr=IXC)
V("fmls v0.4s, v1.4s, v2.s[3]", v0=F(1.0, 2.0, 3.0, 4.0), v1=F(0.1, 0.2, 0.3, 0.4), v2=F(9, 9, 9, 0.7),
  fpsr=IXC)
V("fmul v0.4s, v1.4s, v2.s[2]", v1=F(1.0, 2.0, 3.0, 1e-30), v2=F(9, 9, 1e-10, 9), fpsr=IXC,
  note="by element, one underflowing lane")
V("fmul v0.2s, v1.2s, v2.s[1]", v1=(F(1.5, -2.5)[0], F(SSNAN, 0.0)[0]), v2=F(9, 0.1, 9, 9), fpsr=IXC)
V("fmul v0.2d, v1.2d, v2.d[0]", v1=DF(1.5, -2.5), v2=DF(0.1, DSNAN), fpsr=IXC)
V("fmul v1.2d, v1.2d, v1.2d", v1=DF(1.5, -2.5), fpsr=IXC, note="destination = sources")
V("fadd v2.4s, v1.4s, v2.4s", v1=F(1.5, -2.5, 3.0, 0.1), v2=F(0.1, 0.2, 0.3, 0.4), fpsr=IXC)
# FNEG/FABS (plain IR)
V("fneg v0.4s, v1.4s", v1=F(1.0, SSNAN, -0.0, float("inf")), note="sign flip only: no IOC")
V("fabs v0.2d, v1.2d", v1=(DSNAN | 1 << 63, d(-3.5)))
V("fneg v0.2s, v1.2s", v1=(F(1.0, SQNAN)[0], 0x1234), v0=DF(1.0, 2.0), note="upper half zeroed")
V("fabs v3.4s, v3.4s", v3=F(-1.0, SQNAN | 1 << 31, -0.0, 2.0))
# FCMP
V("fcmp d1, d2", v1=(DDENORM, 0), v2=(DDENORM + 1, 0), note="denormals without FZ: no IDC")
V("fcmp d1, d2", v1=(DDENORM, 0), v2=(DDENORM + 1, 0), fpcr=FZ, note="FZ: both flushed, equal, IDC")
V("fcmp s1, s2", v1=ss(-0.0), v2=ss(0.0), note="-0 == +0")
V("fcmp d1, d2", v1=sd(float("inf")), v2=sd(1e308))
V("fcmp s1, #0.0", v1=ss(-1e-3))
V("fcmpe d1, d2", v1=(DQNAN, 0), v2=sd(1.0), note="FCMPE of a quiet NaN: IOC")
V("fcmp d1, d2", v1=(DQNAN, 0), v2=sd(1.0), note="FCMP of a quiet NaN: unordered, no IOC")
V("fccmp s1, s2, #0, eq", v1=ss(2.0), v2=ss(1.0), nzcv=4)
# FCVTZS/FCVTZU to a general register
V("fcvtzs w0, d1", v1=sd(2.0 ** 31 - 0.5), note="fits, inexact")
V("fcvtzs w0, d1", v1=sd(2.0 ** 31), note="saturates: IOC")
V("fcvtzs w0, d1", v1=sd(-2.0 ** 31 - 0.5), note="truncates to INT32_MIN: IXC only")
V("fcvtzs w0, d1", v1=sd(-2.0 ** 31 - 1.0), note="saturates")
V("fcvtzs x0, d1", v1=sd(-2.0 ** 63), note="INT64_MIN, exact")
V("fcvtzs x0, d1", v1=sd(2.0 ** 63), note="saturates")
V("fcvtzs x0, s1", v1=ss(-2.0 ** 63), note="INT64_MIN from a single")
V("fcvtzu w0, d1", v1=sd(-0.5), note="0, IXC")
V("fcvtzu w0, d1", v1=sd(-1.0), note="saturates to 0: IOC")
V("fcvtzu w0, s1", v1=ss(4294967040.0), note="largest single below 2^32")
V("fcvtzu x0, d1", v1=sd(2.0 ** 64 - 2048), note="largest double below 2^64")
V("fcvtzu x0, d1", v1=sd(2.0 ** 64), note="saturates")
V("fcvtzs x0, s1", v1=(SDENORM, 0), fpcr=FZ, note="FZ: flushed, IDC")
V("fcvtzs w0, d1", v1=(DDENORM | 1 << 63, 0), note="denormal without FZ: 0, IXC")
V("fcvtzs w0, d1", v1=sd(3.0), note="exact: no flags")
V("fcvtzs x0, d1", v1=sd(1e15 + 0.5), fpsr=IXC)
V("fcvtzs w0, s1", v1=(SQNAN, 0), note="NaN: 0, IOC")
# SCVTF/UCVTF from a general register
V("scvtf d0, x1", x1=(1 << 53) + 1, note="inexact in RN: IXC")
V("scvtf d0, x1", x1=(1 << 53) + 1, fpcr=RP, note="inexact in RP: full path")
V("scvtf d0, x1", x1=(1 << 53) + 2, fpcr=RZ, note="exact in RZ")
V("scvtf s0, x1", x1=(1 << 24) + 1)
V("scvtf s0, w1", x1=0x80000000, note="INT32_MIN: exact")
V("scvtf d0, x1", x1=1 << 63, note="INT64_MIN: exact")
V("scvtf d0, x1", x1=(-((1 << 53) + 1)) & M64, fpcr=RM)
V("ucvtf d0, x1", x1=M64, note="top bit set")
V("ucvtf s0, w1", x1=0xffffffff, note="inexact single")
V("scvtf d0, w1, #16", x1=0xfffe8000, note="fixed point")
V("ucvtf s0, x1, #64", x1=0x7fffffffffffffff)
V("scvtf s0, x1, #60", x1=0x123456789abcdef1, fpcr=RZ)
# FCVT between single and double
V("fcvt d0, s1", v1=(SSNAN, 0), note="signalling NaN: IOC, quieted")
V("fcvt d0, s1", v1=(SDENORM, 0), fpcr=FZ, note="FZ: flushed, IDC")
V("fcvt d0, s1", v1=(SDENORM, 0), note="denormal, exact")
V("fcvt d0, s1", v1=ss(0.1), fpcr=RM)
V("fcvt s0, d1", v1=sd(1 / 3), fpsr=IXC, note="fast path")
V("fcvt s0, d1", v1=sd(1 / 3), note="IXC")
V("fcvt s0, d1", v1=sd(1e-40), fpsr=IXC, note="denormal result: UFC")
V("fcvt s0, d1", v1=sd(2.0 ** -126 * (1 - 2.0 ** -30)), fpsr=IXC,
  note="rounds up to the smallest normal single: UFC")
V("fcvt s0, d1", v1=sd(1e39), fpsr=IXC, note="overflow")
V("fcvt s0, d1", v1=sd(-0.0), note="exact zero")
V("fcvt s0, d1", v1=(DQNAN2, 0), fpsr=IXC, note="NaN: Arm payload rules")
# vector conversions and compares (fast lanes, one lane failing)
V("fcvtzs v0.4s, v1.4s", v1=F(1.5, -2.5, 2.0 ** 31, 3.0), note="one lane saturates: IOC")
V("fcvtzs v0.4s, v1.4s", v1=F(1.5, -2.5, -(2.0 ** 31), 3.0), note="INT32_MIN lane, IXC")
V("fcvtzu v0.2d, v1.2d", v1=DF(-0.5, 2.0 ** 64 - 2048), note="0 with IXC, the largest fit")
V("fcvtzs v0.2d, v1.2d, #10", v1=DF(1.0 / 3, -2.0 ** 52), note="fixed point: one lane overflows")
V("fcvtzu v0.2s, v1.2s, #3", v1=(F(1.0625, 0.1)[0], F(SSNAN, 0.0)[0]), note="upper lanes ignored")
V("fcvtzs v0.4s, v1.4s", v1=F(SDENORM, 1.0, 2.0, 3.0), fpcr=FZ, note="FZ: full path, IDC")
V("fcvtzs v0.2d, v1.2d", v1=DF(1.0, 2.0), v0=DF(5.0, 5.0), note="exact")
V("scvtf v0.4s, v1.4s", v1=S(0x01000001, 0xffffffff, 0x80000000, 7), note="inexact lane: IXC")
V("scvtf v0.4s, v1.4s", v1=S(0x01000001, 0xffffffff, 0x80000000, 7), fpcr=RP, note="inexact in RP")
V("ucvtf v0.2d, v1.2d", v1=D(M64, 5), note="top bit set: full path")
V("ucvtf v0.2d, v1.2d, #64", v1=D(1 << 62, 3))
V("scvtf v0.2s, v1.2s, #31", v1=S(0x7fffffff, 0x80000000), fpcr=RZ)
V("fcmge v0.4s, v1.4s, v2.4s", v1=F(1.0, SQNAN, 2.0, -0.0), v2=F(1.0, 1.0, 3.0, 0.0),
  note="a quiet NaN lane: FCMGE signals IOC")
V("fcmeq v0.4s, v1.4s, v2.4s", v1=F(1.0, SQNAN, 2.0, -0.0), v2=F(1.0, 1.0, 3.0, 0.0),
  note="FCMEQ of a quiet NaN: no IOC")
V("fcmgt v0.2d, v1.2d, v2.2d", v1=DF(DDENORM, 2.0), v2=(0, d(1.0)), note="denormal > 0 without FZ")
V("fcmgt v0.2d, v1.2d, v2.2d", v1=DF(DDENORM, 2.0), v2=(0, d(1.0)), fpcr=FZ, note="FZ: 0 > 0, IDC")
V("facgt v0.2s, v1.2s, v2.2s", v1=(F(-3.0, 1.0)[0], F(SSNAN, 0)[0]), v2=(F(2.0, -1.0)[0], 0))
V("fcmle v0.4s, v1.4s, #0.0", v1=F(-0.0, 1e-30, -1.0, float("inf")))
V("fcmlt v0.2d, v1.2d, #0.0", v1=DF(-0.0, -1e-300))
V("fcmeq v0.2d, v1.2d, #0.0", v1=(DDENORM, d(-0.0)), fpcr=FZ, note="FZ: a denormal equals zero, IDC")
