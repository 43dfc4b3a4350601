"""Issue 12, point 2: the ``init`` claim key (initial conditions as in ``certify --init``) is
honoured by both engines, so tight closed forms under T02's normalisation are checked by verify."""
import textwrap

import numpy as np
import pytest

from boundcheck import registry
from boundcheck.claims import load_file
from boundcheck.claims.init import normalise, on_level_set, parse_init
from boundcheck.engine import run
from boundcheck.errors import CatalogueError
from boundcheck.verify import verify_claims

T02 = '''
[params]
L = {{ default = 1.0, domain = "(0, inf)" }}
F0 = {{ default = 1.0, domain = "(0, inf)" }}
mu = {{ default = 0.5, domain = "(0, inf)" }}
[setting]
algorithm = {{ name = "gd", h = 1 }}
function = {{ name = "smooth-nonconvex", L = "L", d = 10 }}
[check]
N = [1, 2, 4]
[[claim]]
id = "I-T02"
kind = "upper"
metric = "grad_sq"
iterate = "min"
init = "f-decrease[F0=F0]"
bound = "{c}*L*F0/N"
engines = {engines}
expected = "PASS"
citation = {{ authors = "A. B", year = 2022, title = "t", theorem = "1" }}
[[claim]]
id = "I-PL"
kind = "upper"
metric = "f_gap"
iterate = "last"
init = {{ name = "f-gap", F0 = "F0" }}
bound = "(1 - mu/L)^N*F0"
engines = ["mc"]
expected = "PASS"
setting = {{ function = {{ name = "smooth-strongly-convex", L = "L", mu = "mu", d = 5 }} }}
citation = {{ authors = "A. B", year = 2016, title = "t", theorem = "1" }}
'''


def _claims(tmp_path, c="4/3", engines='["mc", "pep"]', F0=1.0):
    p = tmp_path / f"i{len(c)}{len(engines)}.toml"
    p.write_text(textwrap.dedent(T02.format(c=c, engines=engines)).replace('F0 = { default = 1.0', f'F0 = {{ default = {F0}'))
    return {c.id: c for c in load_file(p)}


def test_pep_reaches_the_tight_t02_value_under_f_decrease(tmp_path):
    r = verify_claims([_claims(tmp_path)["I-T02"]]).results[0]
    pep = r.engines["pep"]
    assert r.verdict.verdict == "PASS" and pep.verdict == "PASS"
    assert pep.measured == pytest.approx(pep.bound, rel=1e-4)  # 4/(3N): the closed form is attained
    assert pep.evidence == "strong" and r.evidence == "strong"
    low = verify_claims([_claims(tmp_path, c="0.9*4/3")["I-T02"]]).results[0]  # 10% too small: caught
    assert low.engines["pep"].verdict == "FAIL"


def test_mc_f_decrease_normalises_each_run_by_its_own_decrease(tmp_path):
    c = _claims(tmp_path, engines='["mc"]', F0=2.0)["I-T02"]
    r = verify_claims([c]).results[0]
    pts, X = r.data["mc"]
    inst = registry.functions.get("smooth-nonconvex").instance(L=1.0, d=10)
    res = run("gd[h=1]", "smooth-nonconvex[L=1,d=10]", None, n_steps=4, n_runs=1, checkpoints=[1, 2, 4],
              iterates=["min", "last"])
    dec = inst.f(inst.x0) - inst.f_star - res["f_gap@last"][:, 0]
    np.testing.assert_allclose(X[0], res["grad_sq@min"][:, 0] * 2.0 / dec, rtol=1e-10)
    assert r.verdict.verdict == "PASS"
    # no decrease, positive metric: never hidden
    assert normalise(parse_init("f-decrease[F0=1]", set(), "x"), {}, np.array([1.0]), 1.0, np.array([1.0]))[0] == np.inf


def test_f_gap_puts_x0_on_the_level_set_in_the_engine(tmp_path):
    inst = registry.functions.get("smooth-strongly-convex").instance(L=1.0, mu=0.5, d=5)
    moved = on_level_set(inst, 0.3)
    assert moved.f(moved.x0) - moved.f_star == pytest.approx(0.3, rel=1e-12)
    r = verify_claims([_claims(tmp_path, F0=0.3)["I-PL"]]).results[0]
    assert r.verdict.verdict == "PASS"
    res = run("gd[h=1]", moved, None, n_steps=1, n_runs=1, checkpoints=[1], iterates=["mean"])
    assert res["f_gap@mean"][0, 0] == pytest.approx(0.3, rel=1e-12)  # the metric at x_0 is F0


@pytest.mark.parametrize("raw,msg", [("f-gap", "needs F0"), ("bogus[R=1]", "unknown init"),
                                     ("dist[F0=1]", "takes only R"), (3, "must be NAME")])
def test_bad_init_is_a_catalogue_error(raw, msg):
    with pytest.raises(CatalogueError, match=msg):
        parse_init(raw, set(), "f.toml:1")


PL = '''
[params]
L = { default = 1.0, domain = "(0, inf)" }
mu = { default = 0.2, domain = "(0, inf)" }
F0 = { default = 1.0, domain = "(0, inf)" }
[setting]
algorithm = { name = "gd", h = 1 }
function = { name = "pl", mu = "mu", L = "L", d = 10 }
[check]
N = [1, 2]
[[claim]]
id = "T05-f-gap"
kind = "upper"
metric = "f_gap"
iterate = "last"
init = "f-gap[F0=F0]"
bound = "(2*(L - mu)/(2*L + mu))^N*F0"
engines = ["pep"]
expected = "PASS"
citation = { authors = "H. Abbaszadehpeivasti, E. de Klerk, M. Zamani", year = 2023, title = "t", theorem = "Thm 3" }
'''


def test_pl_pep_under_f_gap_reaches_8_over_11_and_says_it_could_not_refute(tmp_path):
    """T05 at mu = 0.2, h = 1: verify's PEP with f(x0) - f* <= F0 reaches the factor 8/11 per step
    (before, only certify did). The pl class's PEP is a relaxation, so its PASS could not have
    FAILed a stronger bound: infinite resolution, weak, said so."""
    p = tmp_path / "pl.toml"
    p.write_text(PL)
    v = verify_claims(load_file(p)).results[0].engines["pep"]
    assert v.verdict == "PASS"
    assert [pt["measured"] for pt in v.points] == pytest.approx([8 / 11, (8 / 11) ** 2], rel=1e-6)
    assert v.resolution["value"] is None and v.evidence == "weak" and "relaxation" in v.resolution["statement"]
