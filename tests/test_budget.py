"""Sizes and budgets (boundcheck/budget.py, verify/cost.py): refused before allocating or computing."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from boundcheck import budget, registry
from boundcheck.cli import main
from boundcheck.errors import ParamError, SizeError

T01 = Path(__file__).resolve().parents[1] / "problems" / "gd_smooth_convex.toml"


def _no_call(name):
    def fail(*a, **k):
        raise AssertionError(f"{name} was called: the size check came too late")
    return fail


def test_dense_instance_at_d_1e7_is_refused_before_allocating(monkeypatch):
    from boundcheck.functions.families import quadratic

    monkeypatch.setattr(quadratic, "build_matrix", _no_call("build_matrix"))
    with pytest.raises(SizeError, match=r"10000000 x 10000000 matrix .* over the limit"):
        registry.functions.get("smooth-convex").instance(d=10**7)


def test_o_of_d_generator_at_large_d_still_builds():
    inst = registry.functions.get("l0l1-smooth").instance(d=10**6)
    assert inst.d == 10**6 and inst.x0.shape == (10**6,)


def test_memory_limit_override_and_bad_value(monkeypatch):
    cls = registry.functions.get("smooth-convex")
    monkeypatch.setenv("BOUNDCHECK_MAX_MEMORY", "1K")
    with pytest.raises(SizeError, match="BOUNDCHECK_MAX_MEMORY=1K"):
        cls.instance(d=50)
    monkeypatch.setenv("BOUNDCHECK_MAX_MEMORY", "1G")
    assert cls.instance(d=50).d == 50
    monkeypatch.setenv("BOUNDCHECK_MAX_MEMORY", "lots")
    with pytest.raises(ParamError, match="BOUNDCHECK_MAX_MEMORY='lots' is not a positive number"):
        budget.memory_limit()


def test_cost_model_scales():
    cls = registry.functions.get("smooth-convex")
    p = cls.validate({"d": 100})
    a = budget.monte_carlo(cls, p, 1000, 10, 5)
    b = budget.monte_carlo(cls, p, 1000, 20, 5)
    assert b.seconds == pytest.approx(2 * a.seconds)
    assert budget.instance(cls, cls.validate({"d": 200})).bytes > 3.9 * budget.instance(cls, p).bytes
    assert budget.pep(100).bytes > 3.9 * budget.pep(49).bytes


def test_run_refuses_before_computing(monkeypatch, capsys):
    import boundcheck.engine as engine

    monkeypatch.setattr(engine, "run", _no_call("engine.run"))
    assert main(["run", "gd", "--function", "smooth-convex", "--runs", str(10**9)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "1000000000 runs" in err[0] and "over the limit" in err[0]
    monkeypatch.setenv("BOUNDCHECK_MAX_SECONDS", "1")
    assert main(["run", "gd", "--function", "smooth-convex", "--steps", str(10**9)]) == 2
    err = capsys.readouterr().err
    assert "over the time limit of 1 s (BOUNDCHECK_MAX_SECONDS=1)" in err


def test_certify_refuses_before_building(monkeypatch, capsys):
    import boundcheck.pep.build as pb

    monkeypatch.setattr(pb, "build", _no_call("pep build"))
    assert main(["certify", "gd", "--function", "smooth-convex", "--N", str(10**9)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "the PEP at N=1000000000" in err[0] and "lower --N" in err[0]


def _catalogue(tmp_path, n_grid, budget_s=None, engines=None):
    text = T01.read_text().replace("N = [1, 2, 5, 10, 20, 50]", f"N = {n_grid}")
    if budget_s is not None:
        text = text.replace("budget_s = 5", f"budget_s = {budget_s}")
    if engines is not None:
        text = text.replace('engines = ["mc", "pep"]', f"engines = {engines}")
    (tmp_path / "t01.toml").write_text(text)
    return str(tmp_path)


def test_verify_huge_grid_is_refused_before_anything_runs(tmp_path, monkeypatch, capsys):
    import boundcheck.verify.core as core

    monkeypatch.setattr(core, "_run_engine", _no_call("an engine"))
    d = _catalogue(tmp_path, "[1, 100000000]")
    assert main(["verify", "--problems", d, "--claim", "T01-gd-tight"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "claim 'T01-gd-tight' (pep): the PEP at N=100000000" in err[0]


def test_budget_s_exceeded_is_inconclusive_not_run(tmp_path, monkeypatch, capsys):
    """T01 by Monte Carlo to N = 10^9 (deterministic, one run): an optimistic estimate of about 1 s
    against budget_s = 0.1 is not started; with budget_s = 1000 it would be (checked on the estimate)."""
    import boundcheck.verify.core as core
    from boundcheck.claims import load_file
    from boundcheck.verify.cost import precheck

    monkeypatch.setattr(core, "_run_engine", _no_call("an engine"))
    d = _catalogue(tmp_path, "[1, 1000000000]", budget_s=0.1, engines='["mc"]')
    out = tmp_path / "v.json"
    assert main(["verify", "--problems", d, "--claim", "T01-gd-tight", "--json", str(out)]) == 3
    doc = json.loads(out.read_text())
    c = doc["claims"][0]
    assert c["verdict"] == "INCONCLUSIVE"
    assert "over the claim's budget_s = 0.1 s" in c["reason"]
    roomy = _catalogue(tmp_path, "[1, 1000000000]", budget_s=1000, engines='["mc"]')
    claims = [c for c in load_file(Path(roomy) / "t01.toml") if c.id == "T01-gd-tight"]
    assert precheck([(c, c.bind({}), c.engines) for c in claims], None) == {}


def test_every_catalogue_claim_fits_its_budget():
    """The estimate is optimistic: no claim of the catalogue is refused on its own budget_s."""
    from boundcheck.claims import load_catalogue
    from boundcheck.verify.cost import estimate

    cat = load_catalogue()
    claims = list(cat.values()) if isinstance(cat, dict) else list(cat)
    assert claims
    for c in claims:
        b = c.bind({})
        if b.skip_reason:
            continue
        est = estimate(b, 1 if c.deterministic else c.check.runs, c.engines)
        assert est.seconds < c.check.budget_s, (c.id, est.seconds, c.check.budget_s)


def test_axis_instance_is_o_of_d():
    """T03's worst case diag(L, mu, ..., mu) keeps its curvatures as a (1, d) row, not a d x d matrix."""
    inst = registry.functions.get("smooth-strongly-convex").instance(instance="axis", d=10**6, L=1, mu=0.1)
    assert inst.data[1].shape == (1, 10**6)
    x = inst.x_star.copy()
    x[0] += 1.0
    x[1] += 2.0
    assert inst.f(x) == pytest.approx(0.5 * (1.0 + 0.1 * 4.0)) and inst.g(x)[:2] == pytest.approx([1.0, 0.2])
