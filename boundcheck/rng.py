"""Per-run random streams for numba kernels: xoshiro256+ seeded by splitmix64(seed, run).

Every Monte Carlo run owns a 4-word state, derived from (seed, run) alone, so results are
bit-identical whatever the number of threads (numba's built-in np.random under prange is not:
each thread has its own state). Measured cost (benchmarks/bench_engine.py): about 6 ns per
coordinate-step on 2 threads for Pareto or Gaussian noise, against 28-87 ns with numba's np.random.

The same functions run in plain Python (NUMBA_DISABLE_JIT, the reference engine) with identical
output, because all arithmetic is on explicit uint64 values masked to 64 bits.
"""
from __future__ import annotations

import math
import warnings

import numpy as np
from llvmlite import ir
from numba import int64, njit, types, uint64
from numba.core import cgutils
from numba.extending import intrinsic, overload

# an overload's body is only ever called from compiled code: numba need not build its C-callable
# wrapper (compile time, as engine/inner.py)
_NO_CFUNC = {"no_cfunc_wrapper": True}

_M64 = 0xFFFFFFFFFFFFFFFF

# Under NUMBA_DISABLE_JIT these functions run on numpy uint64 scalars, whose wrap-around (the
# intended 64-bit arithmetic) raises "overflow encountered" warnings: silence exactly those.
warnings.filterwarnings("ignore", message="overflow encountered", category=RuntimeWarning,
                        module=r"boundcheck\.rng")


@njit(inline="always")
def _rotl(x, k):
    return (x << uint64(k)) | (x >> uint64(64 - k))


@njit(inline="always")
def _splitmix64(z):
    z = z + uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> uint64(30))) * uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> uint64(27))) * uint64(0x94D049BB133111EB)
    return z ^ (z >> uint64(31))


@njit(inline="always")
def seed_state(seed, run, state):
    """Fill ``state`` (uint64[4]) from (seed, run) with splitmix64; never all-zero."""
    z = _splitmix64(uint64(seed) ^ _splitmix64(uint64(run) + uint64(0x632BE59BD9B4E019)))
    for k in range(4):
        z = _splitmix64(z + uint64(k))
        state[k] = z
    if state[0] == 0 and state[1] == 0 and state[2] == 0 and state[3] == 0:
        state[0] = uint64(1)


@njit(inline="always")
def next_u64(s):
    """xoshiro256+ (Blackman and Vigna 2018); upper bits used for doubles."""
    result = s[0] + s[3]
    t = s[1] << uint64(17)
    s[2] ^= s[0]
    s[3] ^= s[1]
    s[1] ^= s[2]
    s[0] ^= s[3]
    s[2] ^= t
    s[3] = _rotl(s[3], 45)
    return result


@njit(inline="always")
def uniform(s):
    """U ~ Uniform[0, 1): 53 random bits."""
    return float(next_u64(s) >> uint64(11)) * (1.0 / 9007199254740992.0)


@njit(inline="always")
def uniform_open(s):
    """U ~ Uniform(0, 1): never 0, so log(U) and U**(-1/beta) are finite."""
    return (float(next_u64(s) >> uint64(11)) + 0.5) * (1.0 / 9007199254740992.0)


@njit
def normal_pair(s):
    """Two independent N(0, 1) by Marsaglia's polar method (exact; no sin/cos; the rejection
    loop consumes a variable but deterministic number of draws from the stream)."""
    while True:
        u = 2.0 * uniform(s) - 1.0
        v = 2.0 * uniform(s) - 1.0
        q = u * u + v * v
        if 0.0 < q < 1.0:
            f = np.sqrt(-2.0 * np.log(q) / q)
            return u * f, v * f


@njit
def fill_normal(s, out, scale):
    """out[i] = scale * N(0, 1), i.i.d."""
    d = out.shape[0]
    i = 0
    while i + 1 < d:
        a, b = normal_pair(s)
        out[i] = scale * a
        out[i + 1] = scale * b
        i += 2
    if i < d:
        a, b = normal_pair(s)
        out[i] = scale * a


# ----------------------------------------------------------------------------- call-free log and exp
# Samplers that transform a block of draws (noise/pareto.py) need log and exp in a loop that LLVM
# can vectorise: no calls (numba calls libm's scalar log/exp), no branches, no exceptions (hence
# error_model="numpy" in the callers). These are fdlibm's algorithms (Sun Microsystems, 1993; the
# same as FreeBSD's msun e_log.c and e_exp.c), accurate to < 1 ulp, written with explicit bit
# casts. Under NUMBA_DISABLE_JIT the same formulas run on Python floats and give the same bits.

def f64_bits(x):
    """The IEEE-754 bits of the double x, as uint64."""
    return np.float64(x).view(np.uint64)


def bits_f64(u):
    """The double whose IEEE-754 bits are the uint64 u."""
    return np.uint64(u).view(np.float64)


@intrinsic
def _f64_bits(typingctx, x):
    if not isinstance(x, types.Float):
        return None

    def codegen(context, builder, sig, args):
        v = context.cast(builder, args[0], sig.args[0], types.float64)
        return builder.bitcast(v, ir.IntType(64))

    return types.uint64(x), codegen


@intrinsic
def _bits_f64(typingctx, u):
    if not isinstance(u, types.Integer):
        return None

    def codegen(context, builder, sig, args):
        v = context.cast(builder, args[0], sig.args[0], types.uint64)
        return builder.bitcast(v, ir.DoubleType())

    return types.float64(u), codegen


@overload(f64_bits, jit_options=_NO_CFUNC)
def _f64_bits_nb(x):
    return lambda x: _f64_bits(x)


@overload(bits_f64, jit_options=_NO_CFUNC)
def _bits_f64_nb(u):
    return lambda u: _bits_f64(u)


_MANT = 0xFFFFFFFFFFFFF  # the 52 fraction bits
_LN2_HI = 6.93147180369123816490e-01
_LN2_LO = 1.90821492927058770002e-10
_LG1, _LG2, _LG3, _LG4 = (6.666666666666735130e-01, 3.999999999940941908e-01,
                          2.857142874366239149e-01, 2.222219843214978396e-01)
_LG5, _LG6, _LG7 = 1.818357216161805012e-01, 1.531383769920937332e-01, 1.479819860511658591e-01
_INV_LN2 = 1.44269504088896338700e+00
_P1, _P2, _P3 = 1.66666666666666019037e-01, -2.77777777770155933842e-03, 6.61375632143793436117e-05
_P4, _P5 = -1.65339022054652515390e-06, 4.13813679705723846039e-08
_EXP_MAX = 7.09782712893383973096e+02  # log(DBL_MAX): e^y overflows above


@njit(inline="always")
def log_normal(x):
    """log(x) for a positive normal double x (fdlibm e_log.c): x = 2^k m with m in
    [sqrt(2)/2, sqrt(2)), f = m - 1 (exact), s = f/(2 + f), log(1 + f) = 2 atanh(s) =
    f - f^2/2 + s (f^2/2 + R(s^2)), R a degree-14 even minimax polynomial; error < 1 ulp."""
    b = f64_bits(x)
    k = float(int64(b >> uint64(52)) - 1023)
    m = bits_f64((b & uint64(_MANT)) | uint64(0x3FF0000000000000))  # m in [1, 2)
    hi = m > 1.4142135623730951
    m = m * 0.5 if hi else m
    k = k + 1.0 if hi else k
    f = m - 1.0
    hfsq = 0.5 * f * f
    s = f / (2.0 + f)
    z = s * s
    w = z * z
    t1 = w * (_LG2 + w * (_LG4 + w * _LG6))
    t2 = z * (_LG1 + w * (_LG3 + w * (_LG5 + w * _LG7)))
    return k * _LN2_HI - ((hfsq - (s * (hfsq + (t1 + t2)) + k * _LN2_LO)) - f)


@njit(inline="always")
def exp_nonneg(y):
    """e^y for y >= 0 (fdlibm e_exp.c): y = n ln2 + r with |r| <= ln2/2 (ln2 split in two so
    that n ln2 is exact), e^r = 1 + 2r/(2 - c) with c = r - r^2 P(r^2), P a degree-5 minimax
    polynomial, then times 2^n built from its bits; error < 1 ulp; +inf above log(DBL_MAX)."""
    yc = min(y, _EXP_MAX)
    n = int64(_INV_LN2 * yc + 0.5)
    dn = float(n)
    hi = yc - dn * _LN2_HI
    lo = dn * _LN2_LO
    r = hi - lo
    t = r * r
    c = r - t * (_P1 + t * (_P2 + t * (_P3 + t * (_P4 + t * _P5))))
    er = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi)
    # 2^n = 2^(n-1) * 2: n <= 1024 here, and 2^1024 is not a double
    e = er * bits_f64(uint64(n + 1022) << uint64(52)) * 2.0
    return e if y <= _EXP_MAX else math.inf


def borrowed(a):
    """``a`` itself (the compiled version drops the reference count, see below)."""
    return a


@intrinsic
def _borrowed(typingctx, a):
    if not isinstance(a, types.Array):
        return None

    def codegen(context, builder, sig, args):
        arr = context.make_array(sig.args[0])(context, builder, value=args[0])
        arr.meminfo = cgutils.get_null_value(arr.meminfo.type)
        arr.parent = cgutils.get_null_value(arr.parent.type)
        return arr._getvalue()

    return a(a), codegen


@overload(borrowed, jit_options=_NO_CFUNC)
def _borrowed_nb(a):
    """In compiled code: the same array without an owner (meminfo NULL, as for numba.carray), so
    passing it to the samplers' helpers costs no atomic reference counting. A sampler's inner loop
    passes its stream ``s`` to the ziggurat's call for every draw, and the incref/decref pair around
    that call cost more than the draw itself (measured: 2 ns per draw borrowed, 17-33 ns not).
    Safe while the caller's reference outlives the loop, as it does inside a sampler call."""
    return lambda a: _borrowed(a)


def new_states(seed: int, n_runs: int) -> np.ndarray:
    """States for runs 0..n_runs-1 (uint64[n_runs, 4])."""
    st = np.empty((n_runs, 4), dtype=np.uint64)
    for r in range(n_runs):
        seed_state(seed, r, st[r])
    return st
