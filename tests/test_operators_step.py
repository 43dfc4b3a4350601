"""The step-length measure ||x_N - x_{N-1}||^2 (PEP measure step-sq, claim metric step_sq).

* the PEP value on proximal point equals PEPit's (its own proximal_point example, called as an
  oracle) to 1e-5 relative, and Gu-Yang's (1 - 1/N)^(N-1)/N R^2 at any step gamma;
* the measure reads x_{N-1} as the method wrote it, also for a method with two oracle calls per
  iteration (extragradient: x_{N-1} is x_{K-1}, since the extrapolation step leaves x alone);
* a claim on step_sq checked by the Monte Carlo engine is a one-line load error (the engine does not
  record x_{N-1}), and T25-ppa-step-tight PASSes while its planted half constant FAILs.
"""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from boundcheck.errors import CatalogueError
from boundcheck.pep.build import build
from boundcheck.pep.closed_forms import lookup
from boundcheck.pep.solve import worst_case

ROOT = Path(__file__).resolve().parents[1]


def gu_yang(N: int, R: float = 1.0) -> float:
    return R * R * (1 - 1 / N) ** (N - 1) / N


@pytest.mark.parametrize("N,gamma", [(2, 1.0), (3, 2.0), (4, 0.5)])
def test_step_sq_equals_pepit_proximal_point(N, gamma):
    pytest.importorskip("PEPit")
    from PEPit.examples.monotone_inclusions_variational_inequalities.proximal_point import wc_proximal_point

    theirs, _ = wc_proximal_point(alpha=gamma, n=N, wrapper="cvxpy", solver="CLARABEL", verbose=-1)
    ours = worst_case(f"proximal-point[gamma={gamma}]", "monotone", N, "step-sq")
    assert ours.status == "optimal"
    assert ours.value == pytest.approx(theirs, rel=1e-5), (ours.value, theirs)
    assert ours.value == pytest.approx(gu_yang(N), rel=1e-6)


def test_step_sq_reads_the_previous_state_x():
    """The measure's matrix is that of ||x_N - x_{N-1}||^2 with x_{N-1} the state's x before the last
    step: for proximal point x_N - x_{N-1} = -gamma g_N, so the objective is gamma^2 <g_N, g_N>."""
    m = build("proximal-point[gamma=2]", "monotone", 3, "step-sq")
    C = m.C.toarray()  # the objective <C, G>
    e = np.zeros(m.n)
    e[3] = 2.0  # x_3 - x_2 = -2 g_3, g_3 = basis vector 3
    assert np.allclose(C, np.outer(e, e))


def test_step_sq_on_extragradient_is_the_iteration_step():
    """EG at N = 4 oracle calls (K = 2): x_{N-1} in engine steps is x_1 (the extrapolation leaves x),
    so step-sq is ||x_2 - x_1||^2 = gamma^2 ||F(y_1)||^2, not a difference of engine-step states
    that would read y."""
    m = build("extragradient[h=0.5]", "lipschitz-monotone", 4, "step-sq")
    C = m.C.toarray()  # the objective <C, G>
    # x_2 - x_1 = -gamma g(y_1); y_1 is the 4th oracle point (x0, y0, x1, y1): basis vector 4
    e = np.zeros(m.n)
    e[4] = 0.5
    assert np.allclose(C, np.outer(e, e))


def test_step_sq_on_gd_is_the_gradient_step():
    """On gd (h = 1, L = 1, smooth convex) x_N - x_{N-1} = -g_{N-1}: the worst step at N = 3 is the
    worst ||grad f(x_2)||^2, which the existing measure grad-min cannot give (it is a minimum)."""
    a = worst_case("gd", "smooth-convex", 3, "step-sq").value
    m = build("gd", "smooth-convex", 3, "step-sq")
    C = m.C.toarray()
    e = np.zeros(m.n)
    e[3] = 1.0  # g_2 is basis vector 3 (x0 - x*, g_0, g_1, g_2)
    assert np.allclose(C, np.outer(e, e)) and 0 < a < 1


def test_closed_form_registered_for_certify():
    cf, v = lookup(build("proximal-point[gamma=2]", "monotone", 3, "step-sq"))
    assert cf.kind == "tight" and v == pytest.approx(gu_yang(3))
    cf, v = lookup(build("proximal-point[gamma=2]", "comonotone[rho=0.5]", 4, "step-sq"))
    assert v == pytest.approx(4 * 0.75 ** 3 / (4 * 2 * 1))
    w = worst_case("proximal-point[gamma=2]", "comonotone[rho=0.5]", 4, "step-sq").value
    assert w == pytest.approx(v, rel=1e-6)


CLAIM = """
title = "step"
tag = "T25"
[params]
R = 1.0
[setting]
algorithm = { name = "proximal-point", gamma = 1.0 }
function = { name = "monotone", R = "R", d = 4 }
[check]
N = [2, 3]
runs = 1
[[claim]]
id = "T25-step-planted"
kind = "upper"
metric = "step_sq"
iterate = "last"
bound = "R^2*(1 - 1/N)^(N - 1)/(2*N)"
engines = ENGINES
expected = "FAIL"
[claim.citation]
authors = ["test"]
year = 2026
title = "Gu-Yang halved"
theorem = "planted"
"""


def test_monte_carlo_on_step_sq_is_a_one_line_load_error(tmp_path):
    from boundcheck.claims import load_catalogue

    (tmp_path / "c.toml").write_text(CLAIM.replace("ENGINES", '["pep", "mc"]'))
    with pytest.raises(CatalogueError) as e:
        load_catalogue([tmp_path])
    msg = str(e.value)
    assert "does not record x_(N-1)" in msg and len(msg.splitlines()) == 1


def test_step_claim_passes_and_its_half_constant_fails(tmp_path):
    from boundcheck.claims import load_catalogue
    from boundcheck.verify import verify_claims

    (tmp_path / "c.toml").write_text(CLAIM.replace("ENGINES", '["pep"]'))
    text = (ROOT / "problems" / "monotone_operators.toml").read_text()
    (tmp_path / "monotone_operators.toml").write_text(text.replace("N = [1, 2, 3, 5, 8]", "N = [2, 5]"))
    ids = {"T25-ppa-step-tight", "T25-step-planted"}
    claims = [c for c in load_catalogue([tmp_path]) if c.id in ids]
    assert len(claims) == 2
    v = {r.claim.id: r.verdict for r in verify_claims(claims).results}
    assert v["T25-ppa-step-tight"].verdict == "PASS" and v["T25-ppa-step-tight"].evidence == "strong"
    assert v["T25-step-planted"].verdict == "FAIL"
    assert math.isfinite(v["T25-step-planted"].measured)
