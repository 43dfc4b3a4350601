"""PEP values against the closed forms of T01-T06 (problems/*.toml) (1e-6 relative), and the registry."""
import math

import pytest

from boundcheck.algorithms.fgm import lambdas
from boundcheck.algorithms.ogm import thetas
from boundcheck.pep import closed_forms
from boundcheck.pep.build import build
from boundcheck.pep.solve import solve, worst_case

REL = 1e-6


def close(v, ref, rel=REL):
    return abs(v - ref) <= rel * abs(ref)


def t01(N, h, L=1.0, R=1.0):
    return L * R * R / 2 * max(1 / (2 * N * h + 1), (1 - h) ** (2 * N))


@pytest.mark.parametrize("h", [0.5, 1.0, 1.5])
def test_t01_gd_smooth_convex(h):
    for N in range(1, 21):
        r = worst_case(f"gd[h={h}]", "smooth-convex[L=1]", N)
        assert r.status == "optimal" and not r.relaxation
        assert close(r.value, t01(N, h)) and close(r.primal, t01(N, h)), (N, h, r.value)


def test_t01_quadratic_branch_and_scaling():
    for N in (1, 2, 3, 5):
        r = worst_case("gd[h=1.9]", "smooth-convex[L=1]", N)
        assert close(r.value, t01(N, 1.9)), (N, r.value)
    assert close(worst_case("gd[h=1.9]", "smooth-convex[L=1]", 5).value, 0.1743392, 1e-6)
    # L and R enter as L R^2 (the step is h/L)
    assert close(worst_case("gd[h=1]", "smooth-convex[L=3,R=2]", 4).value, t01(4, 1.0, 3.0, 2.0))


def test_t01_n100():
    r = worst_case("gd[h=1]", "smooth-convex[L=1]", 100)
    assert r.solver.startswith("SCS") and close(r.value, 1 / 402), r.value  # time: benchmarks/bench_pep.py


@pytest.mark.slow
@pytest.mark.parametrize("h", [0.5, 1.5])
def test_t01_n100_other_steps(h):
    assert close(worst_case(f"gd[h={h}]", "smooth-convex[L=1]", 100).value, t01(100, h))


@pytest.mark.parametrize("h", [0.5, 1.0, 1.5])
@pytest.mark.parametrize("N", [1, 3, 6])
def test_t02_min_gradient_nonconvex(h, N):
    c = 4 / (h * (4 - h)) if h <= 1 else 4 / (h * (4 - h * h))
    r = worst_case(f"gd[h={h}]", "smooth-nonconvex[L=1]", N, measure="grad-min", init="f-decrease")
    assert close(r.value, c / N), (r.value, c / N)
    assert not r.problem.meta["uses_star"]  # no minimizer is involved in T02


@pytest.mark.parametrize("h", [0.5, 1.0, 1.8])
@pytest.mark.parametrize("N", [1, 3])
def test_t03_strongly_convex(h, N):
    rho2n = max(abs(1 - h), abs(1 - h * 0.1)) ** (2 * N)
    f = "smooth-strongly-convex[L=1,mu=0.1]"
    assert close(worst_case(f"gd[h={h}]", f, N, measure="dist", init="dist").value, rho2n)
    assert close(worst_case(f"gd[h={h}]", f, N, measure="f-gap", init="f-gap").value, rho2n)


@pytest.mark.parametrize("N", [1, 2, 3, 5, 8])
def test_t04_ogm_tight_at_output_not_at_x(N):
    ref = 1 / (2 * thetas(N)[-1] ** 2)
    assert close(worst_case("ogm", "smooth-convex[L=1]", N).value, ref)
    if N == 1:  # measured at x_N the bound is violated (0.1667 > 0.125)
        assert worst_case("ogm", "smooth-convex[L=1]", N, measure="f-gap-last").value > 0.16


@pytest.mark.parametrize("N", [1, 2, 5, 10])
def test_t04_fgm_below_lam_n_bound(N):
    lam = lambdas(N + 1)
    v = worst_case("fgm", "smooth-convex[L=1]", N).value
    assert v <= 1 / (2 * lam[N - 1] ** 2) * (1 + REL)
    if N == 5:  # the WRONG index lam_{N+1} gives a bound the PEP exceeds (T04)
        assert v > 1 / (2 * lam[N] ** 2) and close(v, 0.034894, 1e-5)


@pytest.mark.parametrize("N", [1, 2, 5, 10])
def test_t06_subgradient_best_iterate(N):
    r = worst_case("subgradient[gamma=R/(M*sqrt(N+1))]", "convex-lipschitz[M=1]", N, measure="f-best")
    assert close(r.value, 1 / math.sqrt(N + 1)), r.value
    r2 = worst_case("subgradient[gamma=R/(M*sqrt(N+1))]", "convex-lipschitz[M=2,R=3]", N, measure="f-best")
    assert close(r2.value, 6 / math.sqrt(N + 1))


def test_pl_is_flagged_relaxation_and_matches_naive_value():
    r = worst_case("gd[h=1]", "pl[L=1,mu=0.2]", 1, measure="f-gap", init="f-gap")
    assert r.relaxation and not r.tight and "PL inequality" in r.relaxed_parts
    assert close(r.value, 8 / 11)
    for g, ref in ((0.5, 0.832970), (0.25, 0.908376)):  # T05 (b), the naive-relaxation value, not PEPit's formula
        assert close(worst_case(f"gd[h={g}]", "pl[L=1,mu=0.2]", 1, measure="f-gap", init="f-gap").value, ref, 1e-6)


def test_closed_form_registry_agrees_with_pep():
    cases = [("gd[h=1]", "smooth-convex[L=1]", 5, "f-gap", "dist"),
             ("gd[h=0.5]", "smooth-nonconvex[L=1]", 3, "grad-min", "f-decrease"),
             ("gd[h=1]", "smooth-strongly-convex[L=1,mu=0.1]", 3, "dist", "dist"),
             ("ogm", "smooth-convex[L=1]", 4, "f-gap", "dist"),
             ("fgm", "smooth-convex[L=1]", 5, "f-gap", "dist"),
             ("gd[h=1]", "pl[L=1,mu=0.2]", 1, "f-gap", "f-gap"),
             ("subgradient[gamma=R/(M*sqrt(N+1))]", "convex-lipschitz[M=1]", 4, "f-best", "dist")]
    for a, f, N, m, i in cases:
        model = build(a, f, N, m, i)
        cf, v = closed_forms.lookup(model)
        r = solve(model)
        if cf.kind == "upper":
            assert r.value <= v * (1 + REL)
        else:
            assert close(r.value, v), (a, f, cf.tag)
    # outside the theorem's parameters there is no closed form
    assert closed_forms.lookup(build("subgradient[gamma=0.1]", "convex-lipschitz[M=1]", 3, "f-best")) is None
    assert closed_forms.lookup(build("gd[h=1.8]", "smooth-nonconvex[L=1]", 3, "grad-min", "f-decrease")) is None
