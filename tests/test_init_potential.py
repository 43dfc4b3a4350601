"""Issue 12, init ``potential[E0]``: f(x0) - f* + mu/2 ||x0 - x*||^2 <= E0 (mu the class's), the
initial condition of T04's strongly convex case (d'Aspremont, Scieur, Taylor 2021, Cor. 4.15:
f(x_N) - f* <= (1 - sqrt(mu/L))^N E0 for FGM with constant momentum), honoured by the PEP (one
constraint on the Gram matrix and function values) and the Monte Carlo engine (x0 on the ray from
x* where the potential equals E0), so that verify checks the corollary against its closed form."""
from __future__ import annotations

import math
import textwrap

import numpy as np
import pytest

from boundcheck import registry
from boundcheck.claims import load_catalogue, load_file
from boundcheck.claims.init import mc_function, on_potential_level, parse_init
from boundcheck.cli import main
from boundcheck.errors import CatalogueError
from boundcheck.pep.build import build
from boundcheck.pep.solve import solve
from boundcheck.verify import verify_claims

L, MU = 1.0, 0.1
SC_FGM = "fgm[h=1,variant=strongly-convex]"
CLASS = f"smooth-strongly-convex[L={L},mu={MU}]"


def rate(N: int, c: float = 1.0) -> float:
    return (1 - c * math.sqrt(MU / L)) ** N


def pep_value(N: int, E0: float = 1.0) -> float:
    return solve(build(SC_FGM, CLASS, N, "f-gap", f"potential[E0={E0}]")).value


def pepit_sc_fgm(N: int) -> float:
    """PEPit (an independent implementation, a test oracle only), the model written here from the
    method's definition: x_{t+1} = y_t - grad f(y_t)/L, y_{t+1} = x_{t+1} + q (x_{t+1} - x_t),
    y_0 = x_0, q = (sqrt L - sqrt mu)/(sqrt L + sqrt mu); f(x_N) - f* under
    f(x0) - f* + mu/2 ||x0 - x*||^2 <= 1."""
    pytest.importorskip("PEPit")
    from PEPit import PEP
    from PEPit.functions import SmoothStronglyConvexFunction

    q = (math.sqrt(L) - math.sqrt(MU)) / (math.sqrt(L) + math.sqrt(MU))
    problem = PEP()
    f = problem.declare_function(SmoothStronglyConvexFunction, mu=MU, L=L)
    xs = f.stationary_point()
    fs = f(xs)
    x0 = problem.set_initial_point()
    problem.set_initial_condition(f(x0) - fs + MU / 2 * (x0 - xs) ** 2 <= 1)
    x, y = x0, x0
    for _ in range(N):
        xn = y - f.gradient(y) / L
        y = xn + q * (xn - x)
        x = xn
    problem.set_performance_metric(f(x) - fs)
    return problem.solve(wrapper="cvxpy", solver="CLARABEL", verbose=0)


@pytest.mark.parametrize("N", [1, 2, 5])
def test_pep_is_below_the_corollary_and_matches_pepit(N):
    v = pep_value(N)
    assert v <= rate(N)
    assert v == pytest.approx(pepit_sc_fgm(N), rel=1e-5)


def test_pep_value_at_n2_is_pepits_documented_value_and_scales_with_e0():
    v = pep_value(2)
    assert v == pytest.approx(0.347602, rel=1e-5)  # PEPit's example: mu = 0.1, L = 1, N = 2
    assert pep_value(2, E0=3.0) == pytest.approx(3 * v, rel=1e-5)  # homogeneous in E0: the constraint is used


def test_the_potential_is_not_the_f_gap_condition():
    """With the mu/2 ||x0 - x*||^2 term dropped (init f-gap), the worst case is larger: the PEP
    really reads the distance term."""
    f_gap = solve(build(SC_FGM, CLASS, 2, "f-gap", "f-gap[F0=1]")).value
    assert f_gap > pep_value(2) * 1.05


def test_certify_accepts_potential_and_prints_the_closed_form(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = main(["certify", SC_FGM, "--function", CLASS, "--N", "2", "--init", "potential[E0=1]",
                 "--out", str(tmp_path / "certs")])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "f(x0) - f* + mu/2 ||x0 - x*||^2 <= E0" in out
    assert "closed form: 0.467544" in out and "[T04, upper]" in out


@pytest.mark.parametrize("argv", [
    ["certify", "fgm", "--function", "smooth-convex[L=1]", "--N", "2", "--init", "potential[E0=1]"],
])
def test_certify_potential_on_a_class_without_mu_is_one_line(argv, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = main(argv)
    out = capsys.readouterr()
    assert code == 2 and "Traceback" not in out.out + out.err
    lines = out.err.strip().splitlines()
    assert len(lines) == 1 and "needs the class constant mu" in lines[0] and "smooth-convex" in lines[0]


# ---------------------------------------------------------------------------- Monte Carlo
def test_mc_places_x0_on_the_potential_level_along_the_seeded_ray():
    name, params = "smooth-strongly-convex", dict(L=L, mu=MU, d=6)
    inst = registry.functions.get(name).instance(**params)
    moved = mc_function(parse_init("potential[E0=E0]", {"E0"}, "x"), {"E0": 2.5}, (name, params))
    r = moved.x0 - moved.x_star
    pot = moved.f(moved.x0) - moved.f_star + MU / 2 * float(r @ r)
    assert pot == pytest.approx(2.5, rel=1e-12)
    u = inst.x0 - inst.x_star  # same direction as the generated (seeded) x0
    assert abs(float(r @ u)) == pytest.approx(np.linalg.norm(r) * np.linalg.norm(u), rel=1e-12)
    assert float(r @ u) > 0
    assert moved.params["R"] == pytest.approx(np.linalg.norm(r), rel=1e-12)
    # mu enters: the f-gap placement with F0 = 2.5 puts x0 further out
    assert np.linalg.norm(on_potential_level(inst, 2.5, 0.0).x0 - inst.x_star) > np.linalg.norm(r)


HEAD = """
[params]
L = {{ default = 1.0, domain = "(0, inf)" }}
mu = {{ default = 0.1, domain = "(0, inf)" }}
E0 = {{ default = 1.0, domain = "(0, inf)" }}
[setting]
algorithm = {{ name = "fgm", h = 1, variant = "strongly-convex" }}
function = {{ name = "smooth-strongly-convex", L = "L", mu = "mu", d = 10 }}
[check]
N = [1, 2, 5, 10]
runs = 1
seed = 0
[[claim]]
id = "P"
kind = "upper"
metric = "f_gap"
iterate = "last"
init = "potential[E0=E0]"
bound = "{bound}"
assumptions = ["mu < L"]
engines = {engines}
expected = "PASS"
citation = {{ authors = "A. d'Aspremont, D. Scieur, A. Taylor", year = 2021, title = "t", theorem = "Cor. 4.15" }}
"""


def _claim(tmp_path, bound, engines='["pep"]', function=None):
    text = textwrap.dedent(HEAD.format(bound=bound, engines=engines))
    if function is not None:
        text += f"setting = {{ function = {function} }}\n"
    p = tmp_path / f"p{abs(hash((bound, engines, function)))}.toml"
    p.write_text(text)
    return load_file(p)[0]


def _verify(claim):
    return verify_claims([claim]).results[0]


def test_catalogue_claim_passes_with_its_resolution_on_both_engines():
    c = [c for c in load_catalogue() if c.id == "T04-fgm-sc-potential"]
    assert len(c) == 1 and c[0].init.name == "potential"
    r = _verify(c[0])
    assert r.verdict.verdict == "PASS" and r.evidence == "strong"
    pep, mc = r.engines["pep"], r.engines["mc"]
    assert pep.verdict == "PASS" and mc.verdict == "PASS"
    pv = [p["measured"] for p in pep.points]
    assert [p["N"] for p in pep.points] == [1, 2, 5, 10]
    assert all(v <= rate(p["N"]) for v, p in zip(pv, pep.points))
    # resolution: the smallest bound/measured over the grid (N = 1 here; the exact comparison's
    # tolerance, 1e-6 relative, included), the same for the claim
    k = min(rate(p["N"]) / v for v, p in zip(pv, pep.points))
    assert pep.resolution["value"] == pytest.approx(k, rel=1e-5) and k == pytest.approx(1.2479, rel=1e-4)
    assert r.resolution["value"] == pytest.approx(k, rel=1e-6)
    # Monte Carlo on the PEP's own worst case, x0 at potential E0: it attains the PEP values
    assert [p["measured"] for p in mc.points] == pytest.approx(pv, rel=1e-6)


def test_a_bound_strengthened_beyond_its_resolution_fails(tmp_path):
    """Just beyond the resolution (bound / k^1.05) FAILs, just inside (k^0.95) PASSes."""
    k = _verify(_claim(tmp_path, "(1 - sqrt(mu/L))^N*E0")).engines["pep"].resolution["value"]
    beyond = _verify(_claim(tmp_path, f"(1 - sqrt(mu/L))^N*E0/{k ** 1.05!r}"))
    inside = _verify(_claim(tmp_path, f"(1 - sqrt(mu/L))^N*E0/{k ** 0.95!r}"))
    assert beyond.verdict.verdict == "FAIL" and inside.verdict.verdict == "PASS"


def test_a_faster_rate_or_half_the_constant_fails_on_both_engines(tmp_path):
    worst = '{ name = "smooth-strongly-convex", instance = "pep-worst", L = "L", mu = "mu" }'
    r = _verify(_claim(tmp_path, "(1 - 1.3*sqrt(mu/L))^N*E0", engines='["pep", "mc"]', function=worst))
    assert r.verdict.verdict == "FAIL"
    for e in ("pep", "mc"):
        fails = [p["N"] for p in r.engines[e].points if p["verdict"] == "FAIL"]
        assert fails == [2, 5], (e, fails)  # (1 - 1.3 sqrt(0.1))^N is still above the worst case at N = 1, 10
    half = _verify(_claim(tmp_path, "(1 - sqrt(mu/L))^N*E0/2"))
    assert half.verdict.verdict == "FAIL"
    assert [p["N"] for p in half.engines["pep"].points if p["verdict"] == "FAIL"] == [1, 2, 5]


def test_a_random_instance_passes_and_is_graded_below_the_worst_case(tmp_path):
    """On the generated quadratic (x0 placed at potential E0) the bound holds with room: the mc
    engine's own resolution is larger than the PEP's."""
    r = _verify(_claim(tmp_path, "(1 - sqrt(mu/L))^N*E0", engines='["pep", "mc"]'))
    assert r.verdict.verdict == "PASS"
    assert r.engines["mc"].resolution["value"] > r.engines["pep"].resolution["value"]


def test_potential_on_a_class_without_mu_is_a_catalogue_error(tmp_path):
    text = textwrap.dedent(HEAD.format(bound="(1 - sqrt(mu/L))^N*E0", engines='["pep"]')).replace(
        'function = { name = "smooth-strongly-convex", L = "L", mu = "mu", d = 10 }',
        'function = { name = "smooth-convex", L = "L", d = 10 }')
    p = tmp_path / "nomu.toml"
    p.write_text(text)
    with pytest.raises(CatalogueError, match=r"init potential needs the class constant mu, which smooth-convex"):
        load_file(p)


def test_verify_on_a_class_without_mu_is_one_line_exit_2(tmp_path, capsys, monkeypatch):
    d = tmp_path / "cat"
    d.mkdir()
    (d / "c.toml").write_text(textwrap.dedent(HEAD.format(bound="(1 - sqrt(mu/L))^N*E0", engines='["pep"]')).replace(
        'function = { name = "smooth-strongly-convex", L = "L", mu = "mu", d = 10 }',
        'function = { name = "smooth-convex", L = "L", d = 10 }'))
    monkeypatch.chdir(tmp_path)
    code = main(["verify", "--all", "--problems", str(d)])
    out = capsys.readouterr()
    lines = out.err.strip().splitlines()
    assert code == 2 and "Traceback" not in out.out + out.err
    assert len(lines) == 1 and "needs the class constant mu" in lines[0]
