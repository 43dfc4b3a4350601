"""Build a PEP: run the method symbolically, then turn conditions, measure and init into rows.

``build(algorithm, function, N, measure, init)`` validates every input (UsageError, exit 2),
runs the algorithm file on symbolic points (driver.py) and returns a ``Model``: blocks of rows,
each one local form (lift.py) lifted over a set of point tuples:

* the function class's conditions, read from its file: ``pair`` over all ordered pairs of the
  evaluated points (and x* when it takes part), ``star`` against x*, ``point`` at each point;
  ``pep = "none"`` conditions are skipped, ``pep = "relaxation"`` ones mark the result a relaxation;
  skipping a ``pep = "none"`` condition whose role is interpolation/defining also does;
* the initial condition (row ``init``), and for a min-measure the epigraph rows
  ``t - m(p_i) <= 0`` (rows ``measure(i)``) with objective t.

Pair blocks are the only large ones (O(N^2) rows); ``Model.problem(masks)`` assembles the subset
that the cutting-plane loop (solve.py) selects, and ``Model.violations`` checks all the others on a
primal solution.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from .. import registry
from ..errors import UsageError
from ..ops import PEPLoweringError
from ..params import validate
from ..spec import Spec, parse_spec
from . import driver, lift, measures
from .problem import PEPProblem


@dataclass
class Block:
    tag: str
    form: lift.LocalForm
    tuples: np.ndarray            # (T, k) point indices; index P is x*
    cut: bool                     # eligible for cutting planes (pair conditions)
    mask: np.ndarray = None       # rows currently included

    def __post_init__(self):
        if self.mask is None:
            self.mask = np.ones(len(self.tuples), dtype=bool)


@dataclass
class Model:
    blocks: list[Block]
    X: np.ndarray                 # (P+1+extra) x n coefficient rows of x (row P = x* = 0)
    Gr: np.ndarray
    fidx: np.ndarray              # index into F, -1 = the constant 0 (x*, non-oracle points)
    P: int                        # number of oracle points
    n_f: int
    C: sp.csr_matrix
    c: np.ndarray
    f_names: list[str]
    labels: list[str]
    relaxed_parts: tuple[str, ...]
    meta: dict = field(default_factory=dict)
    algo_P: object = None         # the algorithm's make_params output (steps as run)
    # Diagonal rescaling of the variables (None: none): G = D G' D with D = diag(gram_scale) and
    # F = f_scale * F'. problem() then states the PEP in (G', F'): rows <D A_i D, G'> + (b_i f_scale) . F'
    # <= r_i, objective likewise. The feasible sets correspond one to one, so the optimal value does
    # not change (S' = D S D is PSD iff S is); each row and the objective are also normalised by their
    # largest coefficient (multipliers scale by known factors; the value is divided by
    # meta["scaled"]["objective"]). The solver's numbers are then O(1) when the worst case spans many
    # orders of magnitude (GD with a large step: |g_k| ~ 2^k).
    gram_scale: np.ndarray | None = None
    f_scale: np.ndarray | None = None
    @property
    def n(self) -> int:
        return self.X.shape[1]

    def _label(self, i: int) -> str:
        return "*" if i == self.P else str(i)

    def _row_name(self, tag: str, t) -> str:
        if tag == "init":
            return "init"
        if tag == "measure":
            return f"measure({self._label(t[0])})"
        return f"{tag}({','.join(self._label(i) for i in t)})"

    def problem(self) -> PEPProblem:
        """The PEP with the rows currently selected by the blocks' masks."""
        As, Bs, rs, names = [], [], [], []
        for b in self.blocks:
            tup = b.tuples[b.mask]
            if not len(tup):
                continue
            A, B, r = lift.lift(b.form, tup, self.X, self.Gr, self.fidx, self.n_f)
            if b.tag.startswith("measure"):
                B[:, self.n_f - 1] += 1.0  # t - m(p_i) <= 0
            keep = (np.diff(A.indptr) > 0) | B.any(axis=1)
            if np.any(~keep & (r < 0)):
                raise UsageError(f"condition {b.tag} is infeasible on its own (0 <= {r[~keep].min()})")
            As.append(A[keep]), Bs.append(B[keep]), rs.append(r[keep])
            names += [self._row_name(b.tag, t) for t, k in zip(tup, keep) if k]
        A, B, C, c = sp.vstack(As, format="csr"), np.vstack(Bs), self.C, self.c
        meta = dict(self.meta, rows_total=sum(len(b.tuples) for b in self.blocks))
        if self.gram_scale is not None:
            dd = np.outer(self.gram_scale, self.gram_scale)
            A = sp.csr_matrix(A @ sp.diags(dd.reshape(-1)))
            C = sp.csr_matrix(C.multiply(dd))
            B, c = B * self.f_scale, c * self.f_scale
            # and each row divided by its largest coefficient: lam_i r_i is unchanged, lam_i is
            # multiplied by that norm (the multipliers are those of the normalised rows)
            w = np.maximum(abs(A).max(axis=1).toarray().ravel(), np.abs(B).max(axis=1, initial=0.0))
            w = np.where(w > 0, w, 1.0)
            A, B, r = sp.csr_matrix(sp.diags(1 / w) @ A), B / w[:, None], np.concatenate(rs) / w
            # and the objective divided by its largest coefficient: the solver's value is value/wo
            # (scaled_solve multiplies it back; the multipliers are those of the scaled objective)
            wo = float(max(abs(C).max() if C.nnz else 0.0, np.abs(c).max(initial=0.0))) or 1.0
            C, c = C / wo, c / wo
            meta["scaled"] = {"gram": self.gram_scale.tolist(), "f": self.f_scale.tolist(), "rows": w.tolist(),
                              "objective": wo}
        else:
            r = np.concatenate(rs)
        return PEPProblem(
            n=self.n, basis=["x0-x*"] + [f"g{i}" for i in range(self.n - 1)], f_names=self.f_names,
            C=C, c=c, A=A, B=B, r=r, names=names, meta=meta)

    def unscale(self, G: np.ndarray, F: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(G, F) in the PEP's own variables from the solver's (G', F') (identity when unscaled)."""
        if self.gram_scale is None:
            return G, F
        return G * np.outer(self.gram_scale, self.gram_scale), F * self.f_scale

    def violations(self, G: np.ndarray, F: np.ndarray, tol: float) -> int:
        """Add every omitted row violated by more than ``tol`` at (G, F) (the solver's variables,
        unscaled here); return how many."""
        scaled = self.f_scale is not None
        G, F = self.unscale(G, F)
        W = np.vstack([self.X, self.Gr])
        M = W @ G @ W.T
        Fext = np.concatenate([F, [0.0]])
        added = 0
        for b in self.blocks:
            if not b.cut or b.mask.all():
                continue
            vals = lift.values(b.form, b.tuples, M, Fext, self.fidx, len(self.X))
            if scaled:  # in rescaled variables: a violation relative to the size of the points' values
                fs = np.append(self.f_scale[: self.P], self.f_scale[: self.P].min(initial=1.0))
                pts = np.clip(b.tuples, 0, self.P)
                vals = vals / fs[pts].max(axis=1)
            new = (~b.mask) & (vals < -tol)
            b.mask |= new
            added += int(new.sum())
        return added

    def start_cuts(self) -> None:
        """Generic start: pairs of consecutive evaluated points and pairs with x*."""
        for b in self.blocks:
            if b.cut:
                i, j = b.tuples[:, 0], b.tuples[:, 1]
                b.mask = (np.abs(i - j) == 1) | (i == self.P) | (j == self.P)


def _spec(s) -> Spec:
    return s if isinstance(s, Spec) else parse_spec(str(s))


def _form(fn, k, what: str):
    try:
        return lift.local_form(fn, k)
    except PEPLoweringError as e:
        raise PEPLoweringError(f"{what}: {e}") from None


def _uses(form: lift.LocalForm, a: int) -> tuple[bool, bool]:
    """(uses x or g of point a, uses g or f of point a) in a local form."""
    anyx = form.Q[2 * a].any()
    anyg = form.Q[2 * a + 1].any() or form.q[a] != 0.0
    return bool(anyx or anyg), bool(anyg)


def provenance(fc, used) -> dict:
    """The provenance record of a PEP (certificates, certify, verify): each condition used with its
    status and reference, and what the value then is: ``exact`` (all exact: the worst case),
    ``necessary`` (some only necessary: an upper bound), ``sufficient`` (some only sufficient: a
    lower bound), ``mixed`` (both: neither bound is proven)."""
    kinds = {cd.provenance for cd in used}
    overall = "mixed" if {"necessary", "sufficient"} <= kinds else \
        "necessary" if "necessary" in kinds else "sufficient" if "sufficient" in kinds else "exact"
    omitted = [cd.provenance_entry() for cd in fc.conditions if cd.pep == "none" and cd.role in ("interpolation", "defining")]
    if omitted and overall in ("exact", "necessary"):
        overall = "necessary"  # a defining condition left out only enlarges the feasible set
    elif omitted:
        overall = "mixed"
    return {"class": fc.name, "overall": overall, "value_is": VALUE_IS[overall],
            "conditions": [cd.provenance_entry() for cd in used], "omitted": omitted}


VALUE_IS = {"exact": "the worst case over the class", "necessary": "an upper bound on the worst case (relaxation)",
            "sufficient": "a lower bound on the worst case (restriction)",
            "mixed": "neither an upper nor a lower bound is proven (relaxation and restriction)"}


def build(algorithm, function, N, measure: str = "f-gap", init="dist") -> Model:
    if not isinstance(N, (int, np.integer)) or isinstance(N, bool) or N < 1:
        raise UsageError(f"N must be a positive integer number of steps (got {N!r})")
    aspec, fspec, ispec = _spec(algorithm), _spec(function), _spec(init)
    alg, fc = registry.algorithms.get(aspec.name), registry.functions.get(fspec.name)
    ap, fp = alg.validate(aspec.params), fc.validate(fspec.params)
    if alg.name == "forward-backward" and str(fp.get("instance", "")) == "split":  # algorithms/forward_backward.py
        raise UsageError(f"{fc.name}[instance=split] is a split problem A + B, but the PEP models one operator class: "
                         "its forward-backward has B = 0, a restriction of that problem; use the Monte Carlo engine")
    meas, ini = measures.measure(str(measure)), measures.init(ispec.name)
    given = dict(ispec.params)
    if ini.name == "dist" and "R" not in given:
        given["R"] = fp["R"]
    ip = validate(ini.params, given, owner=f"init {ini.name}")
    consts = {p.name: fp[p.name] for p in fc.constants}
    missing = [k for k in ini.needs if k not in consts]
    if missing:
        raise UsageError(f"init {ini.name} needs the class constant {', '.join(missing)}, which {fc.name} does not "
                         f"have (constants: {', '.join(consts)})")
    iv = dict(ip, **{k: consts[k] for k in ini.needs})  # the expression's values: params and class constants
    why = fc.pep_unsupported(consts) if fc.pep_unsupported is not None else None
    if why:
        raise UsageError(f"{fc.name}: no PEP at these constants: {why}")
    prob = dict(consts, R=ip.get("R", fp["R"]), d=fp["d"], f_star=0.0)
    if not any(cd.pep != "none" for cd in fc.conditions):
        raise UsageError(f"{fc.name} has no Gram-expressible condition (all its conditions are pep='none'), "
                         "so no PEP can bound a method on it; use the Monte Carlo engine (boundcheck run/verify)")
    try:
        run = driver.run(alg, ap, int(N), prob)
    except KeyError as e:
        raise UsageError(f"{alg.name} needs the problem constant {e} (for its step), which {fc.name} does not "
                         f"provide (constants: {', '.join(consts)})") from None
    orc = run.oracle

    if meas.prev and meas.at != "last":
        raise UsageError(f"measure {meas.name} reads x_(N-1): it is taken at the last iterate only")
    km = 3 if meas.prev else 2  # slots (p, [pprev,] ps)
    mform = _form(lambda *p: meas.expr(*p), km, f"measure {meas.name}")
    iform = _form(lambda p0, po, ps: ini.expr(p0, po, ps, iv), 3, f"init {ini.name}")
    if getattr(fc, "operator", False) and (np.any(mform.q) or np.any(iform.q)):  # functions/operator.py
        what = f"measure {meas.name}" if np.any(mform.q) else f"init {ini.name}"
        raise UsageError(f"{fc.name} is an operator class (g = F(x), no function values) but the {what} reads f; "
                         "use a measure of F or x (grad-sq, grad-min, dist, dist-last) and the init dist")
    extra = []  # non-oracle points (only x is used): (coefficients,)

    def point(v, need_oracle: bool, label: str) -> int:
        if need_oracle:
            return orc(v, label)[0]
        extra.append(v.c)
        return -len(extra)  # resolved below

    m_need = _uses(mform, 0)[1]
    if meas.at == "min":
        m_pts = list(dict.fromkeys(run.queries + [point(run.out, True, "out")]))
    else:
        m_pts = [point(run.out if meas.at == "out" else run.last, m_need, meas.at)]
    m_prev = [point(run.prev, _uses(mform, 1)[1], "prev")] if meas.prev else []  # x_{N-1}
    i0 = point(run.x0, _uses(iform, 0)[1], "x0")
    iout = point(run.out, _uses(iform, 1)[1], "out") if _uses(iform, 1)[0] else i0
    star = _uses(mform, km - 1)[0] or _uses(iform, 2)[0] or any(
        cd.arity == "star" and cd.pep != "none" and not cd.with_star for cd in fc.conditions)

    P, n = orc.P, orc.n
    X0, G0 = orc.matrices()
    Xe = np.zeros((len(extra), n))
    for r, e in enumerate(extra):
        Xe[r, : len(e)] = e[:n]
    X = np.vstack([X0, np.zeros((1, n)), Xe])
    Gr = np.vstack([G0, np.zeros((1 + len(extra), n))])
    fix = lambda i: P + 1 + (-i - 1) if i < 0 else i  # noqa: E731
    has_t = meas.at == "min"
    n_f = P + int(has_t)
    fidx = np.concatenate([np.arange(P), -np.ones(1 + len(extra), dtype=int)])

    blocks, relaxed, restricted, used, tags = [], [], [], [], {}
    cpts = list(range(P)) + ([P] if star else [])
    for cd in fc.conditions:
        if not cd.applies(consts) or (cd.with_star and not star):
            continue
        if cd.pep == "none":
            if cd.role in ("interpolation", "defining"):
                relaxed.append(f"{cd.name} (not Gram-expressible, omitted)")
            continue
        used.append(cd)
        if cd.pep == "relaxation":
            relaxed.append(cd.name)
        elif cd.pep == "restriction":
            restricted.append(cd.name)
        base = {"interpolation": "interp", "necessary": "nec", "defining": "def"}[cd.role]
        tags[base] = tags.get(base, 0) + 1
        tag = base if tags[base] == 1 else f"{base}{tags[base]}"
        k = 1 if cd.arity == "point" else 2
        form = _form((lambda e: (lambda *p: e(*p, consts)))(cd.expr), k, f"condition '{cd.name}' of {fc.name}")
        if cd.arity == "pair":
            tup = np.array([(i, j) for i in cpts for j in cpts if i != j], dtype=np.int64).reshape(-1, 2)
        elif cd.arity == "star":
            tup = np.array([(i, P) for i in range(P)], dtype=np.int64).reshape(-1, 2)
        else:
            tup = np.array(cpts, dtype=np.int64).reshape(-1, 1)
        blocks.append(Block(tag, form, tup, cut=cd.arity == "pair"))
    blocks.append(Block("init", iform, np.array([[fix(i0), fix(iout), P]]), cut=False))

    C, c = sp.csr_matrix((n, n)), np.zeros(n_f)
    if has_t:
        blocks.append(Block("measure", mform, np.array([[fix(i), P] for i in m_pts]), cut=False))
        c[-1] = 1.0
    else:
        A, B, r = lift.lift(mform, np.array([[fix(i) for i in m_pts + m_prev] + [P]]), X, Gr, fidx, n_f)
        assert r[0] == 0.0, "measures are homogeneous"
        C, c = sp.csr_matrix(-A.reshape(n, n)), -B[0]
    f_names = [f"f({lb})" for lb in orc.labels] + (["t"] if has_t else [])
    meta = dict(algorithm=str(aspec), function=str(fspec), N=int(N), measure=meas.name, init=str(ispec),
                algorithm_params=ap, constants=consts, init_params=ip, points=list(orc.labels),
                uses_star=bool(star), conditions=[cd.name for cd in used],
                relaxed_parts=list(relaxed), restricted_parts=list(restricted),
                provenance=provenance(fc, used))
    return Model(blocks, X, Gr, fidx, P, n_f, C, c, f_names, orc.labels, tuple(relaxed), meta, run.params)


__all__ = ["Block", "Model", "build"]
