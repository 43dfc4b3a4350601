"""Exact arithmetic for PEP certificates: rationals, exact sparse sums, and a PSD proof.

Everything here is exact: numbers are ``fractions.Fraction`` or Python/flint integers; floats enter
only through ``Fraction(float)`` (exact) or as *hints* whose correctness is re-checked exactly.

The PSD proof (``psd_proof``), and why it is rigorous
-----------------------------------------------------
To show that a symmetric rational matrix ``M`` is PSD we exhibit a decomposition

    D M D = R^T R + E,      D = diag(2^-k_i) (powers of two),  R an integer matrix / 2^e,

and check *exactly, in integer arithmetic*, that ``E = D M D - R^T R`` is symmetric, has a
nonnegative diagonal and is diagonally dominant (``E_ii >= sum_{j != i} |E_ij|``). Then for every x

    x^T (D M D) x = ||R x||^2 + x^T E x >= 0,

because a symmetric diagonally dominant matrix with nonnegative diagonal is PSD (Gershgorin: every
eigenvalue lies in a disc centred at E_ii of radius sum_{j != i} |E_ij|, so it is >= 0). D is
invertible, hence M is PSD. Rows and columns of M that are exactly zero are dropped first (M is PSD
iff the rest is). Where R comes from does not matter for the proof: it is a floating-point Cholesky
factor of ``D M D - sigma I`` (sigma > 0 a margin, about half the smallest eigenvalue), rounded to
the grid 2^-e. The float errors only decide whether the exact check *succeeds*: E is then
``sigma I`` plus rounding noise of order n u per entry (u = 2^-53; the scaling D makes the diagonal
of D M D close to 1), so the check passes as soon as sigma exceeds about n^2 u, i.e. whenever the
smallest eigenvalue of the scaled matrix is above about 1e-11 at n = 300.

Cost: one float Cholesky and one exact integer product R^T R (python-flint's ``fmpz_mat`` when it
is installed, else int64 limbs in numpy; both are exact), O(n^3) on machine-size numbers, instead
of exact elimination over QQ whose numbers grow to thousands of digits (measured in
``certificate.py``'s docstring). A singular M cannot be proven PSD this way (nor in floating point
at all); ``certificate.py`` therefore proves PSD-ness of a slightly shifted residual.

``ldl_leading_minors`` is the exact-elimination alternative (fraction-free LU with python-flint), kept
for the measurements and as an independent cross-check in the tests.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

E_BITS = 62  # R is rounded to the grid 2^-E_BITS (R's entries are <= 1 in absolute value)


# ------------------------------------------------------------------------------- BLAS threads
class single_thread_blas:
    """Context manager: run numpy's OpenBLAS with one thread, then restore. Measured on the shared
    2-core machine: a 302 x 302 Cholesky takes 2.5 ms with one thread and 1.2 s with two threads
    when other processes load the cores (spinning BLAS threads); the float hints here are small
    dense matrices that gain nothing from threads. Best effort: a no-op where the OpenBLAS symbols
    are not found."""

    _fns = None

    @classmethod
    def _lookup(cls):
        if cls._fns is not None:
            return cls._fns
        cls._fns = []
        try:
            import ctypes

            libs = set()
            with open("/proc/self/maps") as fh:
                for line in fh:
                    path = line.split()[-1]
                    if "openblas" in path and ".so" in path:
                        libs.add(path)
            for path in sorted(libs):
                lib = ctypes.CDLL(path)
                for get, set_ in (("scipy_openblas_get_num_threads64_", "scipy_openblas_set_num_threads64_"),
                                  ("openblas_get_num_threads64_", "openblas_set_num_threads64_"),
                                  ("scipy_openblas_get_num_threads", "scipy_openblas_set_num_threads"),
                                  ("openblas_get_num_threads", "openblas_set_num_threads")):
                    if hasattr(lib, get) and hasattr(lib, set_):
                        g, st = getattr(lib, get), getattr(lib, set_)
                        g.restype = ctypes.c_int
                        st.argtypes = [ctypes.c_int]
                        cls._fns.append((g, st))
                        break
        except Exception:  # pragma: no cover - platform dependent
            cls._fns = []
        return cls._fns

    def __enter__(self):
        self._saved = []
        for g, st in self._lookup():
            try:
                self._saved.append((st, int(g())))
                st(1)
            except Exception:  # pragma: no cover
                pass
        return self

    def __exit__(self, *exc):
        for st, v in self._saved:
            try:
                st(v)
            except Exception:  # pragma: no cover
                pass
        return False


# ---------------------------------------------------------------------------------------- rationals
def frac(x) -> Fraction:
    """Exact rational from an int, a float (exact binary value), a Fraction or a string 'p/q'."""
    if isinstance(x, Fraction):
        return x
    if isinstance(x, (int, np.integer)):
        return Fraction(int(x))
    if isinstance(x, (float, np.floating)):
        if not math.isfinite(x):
            raise ValueError(f"non-finite number {x!r} has no exact rational value")
        return Fraction(float(x))
    if isinstance(x, str):
        return Fraction(x.strip())
    raise TypeError(f"cannot make an exact rational from {type(x).__name__}")


def frac_str(q: Fraction) -> str:
    """'p/q' (always with a denominator, also for integers)."""
    q = Fraction(q)
    return f"{q.numerator}/{q.denominator}"


def round_to_grid(x: float, bits: int) -> Fraction:
    """Nearest multiple of 2^-bits to x, as an exact rational."""
    return Fraction(round(Fraction(float(x)) * (1 << bits)), 1 << bits)


def common_denominator(values) -> int:
    d = 1
    for v in values:
        d = math.lcm(d, Fraction(v).denominator)
    return d


# ------------------------------------------------------------------------------- sparse exact sums
_FRAC_CACHE: dict[float, Fraction] = {}


def frac_cached(x: float) -> Fraction:
    """Fraction(float(x)), memoised (PEP rows repeat a handful of coefficients)."""
    x = float(x)
    q = _FRAC_CACHE.get(x)
    if q is None:
        q = frac(x)
        if len(_FRAC_CACHE) < 100_000:
            _FRAC_CACHE[x] = q
    return q


def sym_entries_from_dense_row(row_indices, row_values, n: int) -> dict[tuple[int, int], Fraction]:
    """Upper-triangle entries {(i, j): A_ij} (i <= j) of a symmetric n x n matrix given by the
    nonzeros of vec(A) (flat index k = i*n + j). Raises ValueError if A is not exactly symmetric."""
    full = {}
    for k, v in zip(row_indices.tolist() if hasattr(row_indices, "tolist") else row_indices,
                    row_values.tolist() if hasattr(row_values, "tolist") else row_values):
        if v != 0:
            full[divmod(int(k), n)] = v
    out = {}
    for (i, j), v in full.items():
        if full.get((j, i), 0.0) != v:   # float equality is exact equality of the rationals
            raise ValueError(f"matrix is not exactly symmetric at ({i},{j})")
        if i <= j:
            out[(i, j)] = frac_cached(v)
    return out


def sym_matrix(n: int, terms) -> list[list[Fraction]]:
    """Dense exact symmetric matrix sum_k w_k A_k from ``terms`` = iterable of (w, {(i,j): v})."""
    acc: dict[tuple[int, int], Fraction] = {}
    for w, entries in terms:
        if w == 0:
            continue
        for key, v in entries.items():
            acc[key] = acc.get(key, Fraction(0)) + w * v
    M = [[Fraction(0)] * n for _ in range(n)]
    for (i, j), v in acc.items():
        M[i][j] = v
        M[j][i] = v
    return M


def sym_matrix_int(n: int, terms, minus=None) -> tuple[list[list[int]], int]:
    """(M_num, den) with M = sum_k w_k A_k - C = M_num / den exactly, accumulated in integers over
    a common denominator (den = lcm of the w's denominators times lcm of the entries' and C's).
    ``terms``: iterable of (w, {(i, j): v}) upper triangles; ``minus``: C as such a dict."""
    terms = [(Fraction(w), e) for w, e in terms if w != 0]
    dw = 1
    for w, _ in terms:
        dw = math.lcm(dw, w.denominator)
    dv = 1
    for _, e in terms:
        for v in e.values():
            dv = math.lcm(dv, v.denominator)
    for v in (minus or {}).values():
        dv = math.lcm(dv, v.denominator)
    den = dw * dv
    acc: dict[tuple[int, int], int] = {}
    for w, e in terms:
        wi = w.numerator * (dw // w.denominator)
        for key, v in e.items():
            acc[key] = acc.get(key, 0) + wi * v.numerator * (dv // v.denominator)
    for key, v in (minus or {}).items():
        acc[key] = acc.get(key, 0) - dw * v.numerator * (dv // v.denominator)
    M = [[0] * n for _ in range(n)]
    for (i, j), v in acc.items():
        M[i][j] = v
        M[j][i] = v
    return M, den


def float_matrix(M_num: list[list[int]], den: int) -> np.ndarray:
    """M_num / den in float64, each entry correctly rounded."""
    return np.array([[v / den for v in row] for row in M_num], dtype=float)


def to_integer_matrix(M) -> tuple[list[list[int]], int]:
    """(M_num, den) with M = M_num / den, den the least common denominator."""
    den = common_denominator(v for row in M for v in row)
    return [[int(v * den) for v in row] for row in M], den


# ---------------------------------------------------------------------------- exact integer Gram
def _gram_flint(R: list[list[int]]):
    import flint

    Rm = flint.fmpz_mat(R)
    P = Rm.transpose() * Rm
    return [[int(x) for x in row] for row in P.tolist()]


def _gram_limbs(R: list[list[int]], limb_bits: int = 21):
    """R^T R exactly with int64 matrix products: R = sum_a R_a 2^(a*limb_bits) with every limb
    |R_a| < 2^limb_bits, so each entry of R_a^T R_b is a sum of rows(R) terms < 2^(2*limb_bits),
    exact in int64 while rows(R) < 2^(62 - 2*limb_bits)."""
    A = np.array(R, dtype=object)
    if A.shape[0] >= (1 << (62 - 2 * limb_bits)):
        raise ValueError("matrix too large for the int64 limb product")
    maxbits = max((abs(int(v)).bit_length() for v in A.ravel()), default=0)
    n_limbs = max(1, -(-(maxbits + 1) // limb_bits))
    mask = (1 << limb_bits) - 1
    limbs, rest = [], A
    for _ in range(n_limbs - 1):
        limbs.append((rest & mask).astype(np.int64))
        rest = rest >> limb_bits
    limbs.append(rest.astype(np.int64))
    out = np.zeros((A.shape[1], A.shape[1]), dtype=object)
    for a, La in enumerate(limbs):
        for b, Lb in enumerate(limbs):
            out = out + (La.T @ Lb).astype(object) * (1 << (limb_bits * (a + b)))
    return [[int(v) for v in row] for row in out]


def gram_exact(R: list[list[int]], backend: str = "auto") -> list[list[int]]:
    """R^T R for an integer matrix, exactly."""
    if backend in ("auto", "flint"):
        try:
            return _gram_flint(R)
        except ImportError:
            if backend == "flint":
                raise
    return _gram_limbs(R)


# ------------------------------------------------------------------------------------- PSD proof
@dataclass
class PSDProof:
    ok: bool
    n: int                      # size after dropping exactly-zero rows/columns
    dropped: list[int]          # indices of exactly-zero rows/columns
    sigma: float                # margin used for the float factor
    min_dominance: float        # min_i (E_ii - sum_j |E_ij|) / scale (>= 0 iff proven), float info
    reason: str = ""
    backend: str = ""


def _pow2_scaling(diag: list[Fraction]) -> list[int]:
    """k_i with 2^-k_i ~ 1/sqrt(M_ii), so that D M D has diagonal in [1/2, 2)."""
    ks = []
    for d in diag:
        # log2(sqrt(d)) rounded
        num, den = d.numerator, d.denominator
        l2 = (num.bit_length() - den.bit_length()) / 2.0
        ks.append(int(round(l2)))
    return ks


def psd_proof(M_num: list[list[int]], den: int = 1, sigma: float | None = None,
              backend: str = "auto") -> PSDProof:
    """Prove M = M_num/den PSD exactly (see the module docstring). ``ok`` False with a reason when
    the proof could not be completed (which does not prove that M is not PSD, unless the reason
    says so)."""
    with single_thread_blas():
        return _psd_proof(M_num, den, sigma, backend)


def _psd_proof(M_num, den, sigma, backend) -> PSDProof:
    n0 = len(M_num)
    keep, dropped = [], []
    for i in range(n0):
        if M_num[i][i] == 0:
            if any(M_num[i][j] != 0 for j in range(n0)):
                return PSDProof(False, n0, [], 0.0, -math.inf,
                                f"zero diagonal entry {i} with a nonzero off-diagonal entry: not PSD")
            dropped.append(i)
        elif M_num[i][i] < 0:
            return PSDProof(False, n0, [], 0.0, -math.inf, f"negative diagonal entry {i}: not PSD")
        else:
            keep.append(i)
        for j in range(i):
            if M_num[i][j] != M_num[j][i]:
                return PSDProof(False, n0, [], 0.0, -math.inf, f"not symmetric at ({i},{j})")
    n = len(keep)
    if n == 0:
        return PSDProof(True, 0, dropped, 0.0, 0.0, "zero matrix")
    # exact diagonal scaling by powers of two: Mt = D M D, D = diag(2^-k_i); as integers over dent
    ks = _pow2_scaling([Fraction(M_num[i][i], den) for i in keep])
    K = max(0, 2 * max(ks))
    # Mt_ij = M_ij 2^(-k_i-k_j) = M_num_ij 2^(K - k_i - k_j) / (den 2^K), K >= 0 and >= k_i + k_j
    Mt = [[M_num[a][b] << (K - ks[ia] - ks[ib]) for ib, b in enumerate(keep)]
          for ia, a in enumerate(keep)]
    dent = den << K
    Mf = np.array([[v / dent for v in row] for row in Mt], dtype=float)  # correctly rounded
    if sigma is None:
        lmin = float(np.linalg.eigvalsh(Mf)[0])
        sigma = lmin / 2
    if not sigma > 0:
        return PSDProof(False, n, dropped, float(sigma), -math.inf,
                        f"smallest eigenvalue of the scaled matrix is {2 * sigma:.3e} in floating point: "
                        "not strictly positive definite, so no exact proof was attempted", backend)
    try:
        Rf = np.linalg.cholesky(Mf - sigma * np.eye(n)).T  # upper: Mf - sigma I ~ Rf^T Rf
    except np.linalg.LinAlgError:
        return PSDProof(False, n, dropped, float(sigma), -math.inf,
                        f"floating-point Cholesky of the scaled matrix minus {sigma:.3e} I failed", backend)
    scale = float(1 << E_BITS)
    R_int = [[int(v) for v in row] for row in np.rint(Rf * scale)]
    used = backend
    if backend == "auto":
        try:
            import flint  # noqa: F401

            used = "flint"
        except ImportError:
            used = "limbs"
    P = gram_exact(R_int, used)
    # E = Mt/dent - P/2^(2e)  ->  E_num = Mt * 2^(2e) - dent * P  over dent * 2^(2e)
    sh = 2 * E_BITS
    worst = None
    for i in range(n):
        Ei = [(Mt[i][j] << sh) - dent * P[i][j] for j in range(n)]
        off = sum(abs(v) for j, v in enumerate(Ei) if j != i)
        slack = Ei[i] - off
        if worst is None or slack < worst:
            worst = slack
    mind = float(Fraction(worst, dent << sh))
    if worst < 0:
        return PSDProof(False, n, dropped, float(sigma), mind,
                        "the exact residual D M D - R^T R is not diagonally dominant (margin too small)",
                        used)
    return PSDProof(True, n, dropped, float(sigma), mind, "", used)


# ---------------------------------------------------------------- exact elimination (comparison)
def ldl_leading_minors(M_num: list[list[int]]) -> list[int]:
    """Leading principal minors of an integer matrix by fraction-free LU (python-flint). A symmetric
    matrix is positive definite iff all are > 0 (Sylvester). Raises if flint had to permute rows."""
    import flint

    P, L, D, U = flint.fmpz_mat(M_num).fflu()
    n = len(M_num)
    if any(P[i, j] != (1 if i == j else 0) for i in range(n) for j in range(n)):
        raise ValueError("fflu permuted rows: a leading minor is zero")
    return [int(U[i, i]) for i in range(n)]


__all__ = ["frac", "frac_cached", "sym_matrix_int", "float_matrix", "frac_str", "round_to_grid", "common_denominator", "sym_entries_from_dense_row",
           "sym_matrix", "to_integer_matrix", "gram_exact", "psd_proof", "PSDProof",
           "ldl_leading_minors"]
