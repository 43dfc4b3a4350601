"""Bind every stated field of a certificate to what is checked: nothing in the file is decoration.

A certificate (certificate.py) states more than the proof: the problem it is about
(``problem.constants.L``, ``problem.init_params.R``, ...), floats echoing the exact numbers
(``upper_float``), whether the PEP is tight, and where it came from (solver, versions, method).
A reader trusts all of it, so the checker must refuse a file in which any of it was edited. Each
field belongs to exactly one of these kinds (``KINDS``):

* ``proof``: the data, multipliers, bounds and feasible point the exact check runs on
  (certificate_verify.py); an edit breaks the proof or the comparison with the rebuilt problem;
* ``rebuilt``: the problem description; every key must equal the meta of the PEP that the
  description rebuilds to (``check_rebuilt``), and ``data.basis``/``f_names``/``m_total`` equal
  the rebuilt problem's. This includes ``problem.provenance``: each condition used with its status
  (exact / necessary / sufficient) and reference, read from the class file when rebuilt, so an
  edited status or reference is refused and named (``problem.provenance.conditions``);
* ``derived``: recomputed here from the proof fields (``upper_float`` = float(upper), ``tight`` =
  no relaxed part, ``rel_gap`` from upper and ``solver.value``, ...), compared exactly;
* ``canonical``: ``format`` and ``statement`` must be the format's own text;
* ``sealed``: provenance (``solver``, ``versions``, ``method``, ``lower_note``) is not a
  mathematical claim and cannot be recomputed; a per-field SHA-256 digest in ``seal`` catches an
  edit and names the field. The seal is not a signature (anyone can recompute it) and nothing in
  the proof depends on these fields; it keeps a hand edit from passing as the solver's output.

A field of no kind (e.g. one added to the writer but not here) is refused as "not bound", so a
new field cannot silently go unchecked. Errors are ``BindError(field, message)``.
"""
from __future__ import annotations

import hashlib
import json
from fractions import Fraction

STATEMENT = (
    "worst case of the PEP below <= upper, proven by weak duality: lam >= 0, "
    "sum lam_i b_i = c and S = sum lam_i A_i - C PSD, all checked in exact rational "
    "arithmetic. Coefficients are the float64 numbers of the method as run, taken exactly.")

KINDS = {
    "format": "canonical", "statement": "canonical",
    "problem": "rebuilt",
    "data": "proof", "multipliers": "proof", "upper": "proof", "lower": "proof", "lower_point": "proof",
    "upper_float": "derived", "lower_float": "derived", "rel_gap": "derived", "two_sided_gap": "derived",
    "tight": "derived", "relaxed_parts": "derived",
    "solver": "sealed", "versions": "sealed", "method": "sealed", "lower_note": "sealed",
    "seal": "seal",
}
REQUIRED = ("format", "problem", "statement", "tight", "relaxed_parts", "data", "multipliers", "upper",
            "upper_float", "lower", "rel_gap", "solver", "seal")
DATA_KEYS = ("n", "basis", "f_names", "m_total", "objective", "rows", "other_rows")


class BindError(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(f"field '{field}': {message}")
        self.field = field


def leaves(obj, path: str = ""):
    """(dotted path, value) of every leaf; empty containers are leaves too."""
    if isinstance(obj, dict) and obj:
        for k, v in obj.items():
            yield from leaves(v, f"{path}.{k}" if path else str(k))
    elif isinstance(obj, list) and obj:
        for i, v in enumerate(obj):
            yield from leaves(v, f"{path}[{i}]")
    else:
        yield path, obj


def _digest(v) -> str:
    return hashlib.sha256(json.dumps(v, sort_keys=True).encode()).hexdigest()[:24]


def seal(cert: dict) -> dict:
    """{path: digest} for every leaf of the sealed fields present in ``cert``."""
    return {p: _digest(v) for k, kind in KINDS.items() if kind == "sealed" and k in cert
            for p, v in leaves(cert[k], k)}


def _same(a, b) -> bool:
    """Exact equality of JSON values (a float must be the same double)."""
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def check_fields(d: dict, upper: Fraction, lower: Fraction | None) -> None:
    """Everything that can be checked from the file alone (all kinds but ``rebuilt``)."""
    for k in d:
        if k not in KINDS:
            raise BindError(k, "not bound by any check of this format (unknown field)")
    for k in REQUIRED:
        if k not in d:
            raise BindError(k, "missing")
    if d["statement"] != STATEMENT:
        raise BindError("statement", "is not the statement of this format")
    for k in d["data"]:
        if k not in DATA_KEYS:
            raise BindError(f"data.{k}", "not bound by any check of this format (unknown field)")
    # sealed (first: an edited solver value is named as such, not as a wrong rel_gap)
    stored, now = d["seal"], seal(d)
    if not isinstance(stored, dict):
        raise BindError("seal", "expected an object {field: digest}")
    for p in now:
        if p not in stored:
            raise BindError(p, "not covered by the seal (added or restructured after writing)")
        if stored[p] != now[p]:
            raise BindError(p, f"edited after the certificate was written (its digest 'seal.{p}' differs)")
    for p in stored:
        if p not in now:
            raise BindError(p, "sealed when written, now missing or restructured "
                               f"(or 'seal.{p}' was added)")
    # derived
    if not _same(d["upper_float"], float(upper)):
        raise BindError("upper_float", f"{d['upper_float']!r} != float('upper') = {float(upper)!r}")
    lf = d.get("lower_float")
    if not _same(lf, None if lower is None else float(lower)):
        raise BindError("lower_float", f"{lf!r} does not match 'lower' = {d.get('lower')!r}")
    tg = d.get("two_sided_gap")
    want = float((upper - lower) / upper) if lower is not None and upper else None
    if not _same(tg, want):
        raise BindError("two_sided_gap", f"{tg!r} != ('upper' - 'lower')/'upper' = {want!r}")
    sv = d["solver"].get("value") if isinstance(d["solver"], dict) else None
    if not isinstance(sv, (int, float)) or isinstance(sv, bool):
        raise BindError("solver.value", f"expected a number, got {sv!r}")
    rg = (float(upper) - sv) / abs(sv) if sv != 0 else float(upper) - sv
    if not _same(d["rel_gap"], rg):
        raise BindError("rel_gap", f"{d['rel_gap']!r} != ('upper' - 'solver.value')/|'solver.value'| = {rg!r}")
    parts = (d.get("problem") or {}).get("relaxed_parts")
    if not _same(d["relaxed_parts"], parts):
        raise BindError("relaxed_parts", f"{d['relaxed_parts']!r} != 'problem.relaxed_parts' = {parts!r}")
    restricted = (d.get("problem") or {}).get("restricted_parts")
    if d["tight"] is not (not parts and not restricted):
        raise BindError("tight", f"{d['tight']!r}, but 'problem.relaxed_parts' = {parts!r} and "
                                 f"'problem.restricted_parts' = {restricted!r}")
    if lower is not None and not d["tight"]:
        raise BindError("lower", "a relaxed PEP has no lower bound from the class")


def normal(v):
    """The JSON form a value of the builder's meta takes in a certificate (certificate._describe)."""
    if not isinstance(v, (str, int, float, bool, type(None), list, dict, tuple)):
        v = str(v)
    return json.loads(json.dumps(v, default=str))


def check_rebuilt(d: dict, prob) -> None:
    """Every key of ``problem`` and the data's names equal those of the rebuilt PEP ``prob``."""
    meta = dict(getattr(prob, "meta", {}) or {})
    stored = d["problem"]
    if not isinstance(stored, dict):
        raise BindError("problem", "expected an object")
    for k in sorted(set(stored) | set(meta)):
        if k not in meta:
            raise BindError(f"problem.{k}", "not part of the rebuilt problem (unbound)")
        if k not in stored:
            raise BindError(f"problem.{k}", "missing (the rebuilt problem states it)")
        want = normal(meta[k])
        if not _same(stored[k], want):
            sub = stored[k]
            if isinstance(sub, dict) and isinstance(want, dict):
                for kk in sorted(set(sub) | set(want)):
                    if not _same(sub.get(kk, "<missing>"), want.get(kk, "<missing>")):
                        raise BindError(f"problem.{k}.{kk}", f"stored {sub.get(kk, '<missing>')!r}, "
                                        f"rebuilt {want.get(kk, '<missing>')!r}")
            raise BindError(f"problem.{k}", f"stored {stored[k]!r}, rebuilt {want!r}")
    data = d["data"]
    if not _same(data.get("basis"), list(prob.basis)):
        raise BindError("data.basis", "differs from the rebuilt problem's basis")
    if not _same(data.get("f_names"), list(prob.f_names)):
        raise BindError("data.f_names", "differs from the rebuilt problem's function values")
    total = int(meta.get("rows_total", prob.m))
    if d.get("lower") is None and not _same(data.get("m_total"), total):
        raise BindError("data.m_total", f"{data.get('m_total')!r} != {total} rows in the rebuilt problem")


__all__ = ["STATEMENT", "KINDS", "BindError", "leaves", "seal", "check_fields", "check_rebuilt"]
