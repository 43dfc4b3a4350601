"""Certificates bind what they state: an edit to ANY field of a stored certificate is refused,
naming the field. The fields are enumerated from the file itself (every leaf), so a field added to
the writer later is covered without touching this test."""
from __future__ import annotations

import copy
import json
import re
from fractions import Fraction
from pathlib import Path

import pytest

from boundcheck.cli import main
from boundcheck.pep.certificate_bind import KINDS, leaves
from boundcheck.pep.certificate_verify import verify_certificate

CERT = Path(__file__).resolve().parents[1] / "certificates" / "gd_h=1__smooth-convex_L=1__f-gap__N=2.json"
DOC = json.loads(CERT.read_text())
PATHS = [p for p, _ in leaves(DOC)]


def _tampered(v):
    """A small, type-preserving change of one leaf value."""
    if isinstance(v, bool):
        return not v
    if isinstance(v, int):
        return v + 1
    if isinstance(v, float):
        return v * (1 + 1e-12) + 1e-300 if v else 1e-12
    if isinstance(v, str):
        try:
            return str(Fraction(v) + Fraction(1, 10**12))
        except (ValueError, ZeroDivisionError):
            return v + "x"
    if v is None:
        return 0
    if isinstance(v, list):
        return ["x"]
    if isinstance(v, dict):
        return {"x": 1}
    raise AssertionError(type(v))


def _keys(doc, path):
    """The keys along ``path`` (dict keys may contain dots, e.g. the seal's 'solver.value')."""
    keys, rest = [], path
    while rest:
        if isinstance(doc, list):
            m = re.match(r"\[(\d+)\]\.?", rest)
            keys.append(int(m.group(1)))
            rest = rest[m.end():]
        else:
            k = max((k for k in doc if rest == k or rest.startswith(k + ".") or rest.startswith(k + "[")), key=len)
            keys.append(k)
            rest = rest[len(k):].lstrip(".")
        doc = doc[keys[-1]]
    return keys


def _set(doc, path, value):
    keys = _keys(doc, path)
    for k in keys[:-1]:
        doc = doc[k]
    doc[keys[-1]] = value


def _get(doc, path):
    for k in _keys(doc, path):
        doc = doc[k]
    return doc


def _named(path: str, reason: str) -> bool:
    """The reason names the field: its dotted path, or for the proof's arrays (rows, multipliers,
    feasible point) the array it is in."""
    head = re.sub(r"\[\d+\]", "", path)
    parts = head.split(".")
    names = {head} | {".".join(parts[:k]) for k in range(2, len(parts) + 1)}
    if parts[0] in ("data", "multipliers", "lower_point", "upper", "lower"):
        names |= {parts[0]}
    return any(f"'{n}{e}" in reason for n in names for e in ("'", ".", "["))


def test_the_stored_certificate_verifies_and_every_top_level_field_has_a_kind():
    assert verify_certificate(DOC).ok
    assert set(DOC) <= set(KINDS)
    assert len(PATHS) > 100


@pytest.mark.parametrize("path", PATHS)
def test_tampering_with_any_field_is_refused_naming_it(path):
    bad = copy.deepcopy(DOC)
    _set(bad, path, _tampered(_get(DOC, path)))
    rep = verify_certificate(bad)
    assert not rep.ok, f"edit of {path} accepted"
    assert _named(path, rep.reason), (path, rep.reason)


@pytest.mark.parametrize("path", ["problem.constants.L", "problem.init_params.R", "upper_float", "tight",
                                  "solver.value", "versions.numpy"])
def test_check_certificates_exits_3_naming_the_field(tmp_path, capsys, path):
    bad = copy.deepcopy(DOC)
    _set(bad, path, _tampered(_get(DOC, path)))
    f = tmp_path / "c.json"
    f.write_text(json.dumps(bad))
    assert main(["check-certificates", str(f)]) == 3
    out = capsys.readouterr()
    assert f"'{path}'" in out.out + out.err


def test_an_unknown_field_is_refused_as_unbound():
    bad = copy.deepcopy(DOC)
    bad["proved_by"] = "me"
    rep = verify_certificate(bad)
    assert not rep.ok and "'proved_by'" in rep.reason and "not bound" in rep.reason
    bad = copy.deepcopy(DOC)
    bad["problem"]["note"] = "x"
    rep = verify_certificate(bad)
    assert not rep.ok and "'problem.note'" in rep.reason


def test_a_removed_field_is_refused():
    for k in ("seal", "upper_float", "tight"):
        bad = copy.deepcopy(DOC)
        del bad[k]
        rep = verify_certificate(bad)
        assert not rep.ok and f"'{k}'" in rep.reason
    bad = copy.deepcopy(DOC)
    del bad["problem"]["constants"]
    rep = verify_certificate(bad)
    assert not rep.ok and "'problem.constants'" in rep.reason


def test_the_by_hand_check_in_the_docs_runs_and_proves_the_stored_bound(monkeypatch):
    """docs/certificates.md's Python block is a working checker (fractions + sympy, no boundcheck)."""
    doc = (CERT.parents[1] / "docs" / "certificates.md").read_text()
    code = doc.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(CERT.parents[1])
    exec(compile(code, "certificates.md", "exec"), {})
