"""Bad input fails clearly (exit 2), nonlinear methods name their op, the certify command works."""
import json
import subprocess
import sys

import pytest

from boundcheck.cli import main
from boundcheck.errors import ParamError, SolverError, UnknownNameError, UsageError
from boundcheck.ops import PEPLoweringError
from boundcheck.pep.build import build
from boundcheck.pep.solve import solve


@pytest.mark.parametrize("N", [0, -3, 2.5, True])
def test_bad_horizon(N):
    with pytest.raises(UsageError, match="N must be a positive integer"):
        build("gd", "smooth-convex[L=1]", N)


def test_bad_constants_and_names():
    with pytest.raises(ParamError, match="'L' must be in"):
        build("gd", "smooth-convex[L=-1]", 3)
    with pytest.raises(ParamError, match="mu"):
        build("gd", "smooth-strongly-convex[L=1,mu=2]", 3)
    with pytest.raises(UnknownNameError, match="did you mean 'f-gap'"):
        build("gd", "smooth-convex[L=1]", 3, measure="fgap")
    with pytest.raises(UnknownNameError, match="initial condition"):
        build("gd", "smooth-convex[L=1]", 3, init="distance")
    with pytest.raises(ParamError, match="'R' must be in"):
        build("gd", "smooth-convex[L=1]", 3, init="dist[R=-1]")
    with pytest.raises(UnknownNameError, match="SDP solver"):
        solve(build("gd", "smooth-convex[L=1]", 3), solver="mosek")


def test_class_without_pep_conditions():
    with pytest.raises(UsageError, match="no Gram-expressible condition"):
        build("gd", "l0l1-smooth[L0=1,L1=1]", 3)


@pytest.mark.parametrize("algo,op", [("clipped-sgd[c=1]", "clip"), ("nsgd[beta=1]", "normalize"),
                                     ("sign-sgd", "sign_axpy")])
def test_nonlinear_ops_name_themselves(algo, op):
    with pytest.raises(PEPLoweringError, match=rf"op '{op}'.*no exact PEP lowering") as e:
        build(algo, "smooth-convex[L=1]", 3)
    assert isinstance(e.value, UsageError)  # exit 2


def test_unbounded_measure_is_a_solver_error():
    """||x_N - x*||^2 of gd on smooth-convex from f(x0) - f* <= 1 is unbounded (flat functions):
    exit 3, never a number."""
    with pytest.raises(SolverError, match="no bound"):
        solve(build("gd", "smooth-convex[L=1]", 2, "dist", "f-gap"))


def test_inaccurate_is_refused_unless_accepted():
    """SCS stopped after 50 iterations reports 'optimal_inaccurate': refused, or flagged when accepted."""
    model = build("gd", "smooth-convex[L=1]", 6)
    with pytest.raises(SolverError, match="inaccurate"):
        solve(model, solver="SCS", cuts=False, solver_opts=dict(max_iters=50))
    r = solve(model, solver="SCS", cuts=False, solver_opts=dict(max_iters=50), accept_inaccurate=True)
    assert r.status == "inaccurate"


def test_certify_cli(tmp_path, capsys):
    out = tmp_path / "r.json"
    rc = main(["certify", "gd[h=1]", "--function", "smooth-convex[L=1]", "--N", "5",
               "--out", str(tmp_path / "certs"), "--json", str(out)])
    text = capsys.readouterr().out
    assert rc == 0 and "closed form: 0.04545454545" in text and "[T01, tight]" in text
    doc = json.loads(out.read_text())
    assert {"value", "primal", "status", "certificate"} <= set(doc) and "upper" not in doc
    assert abs(doc["value"] - 1 / 22) < 1e-8 and doc["status"] == "optimal"
    for args in (["--N", "0"], ["--N", "3", "--measure", "nope"], ["--N", "3", "--function", "smooth-convex[L=-1]"]):
        argv = ["certify", "gd", "--function", "smooth-convex[L=1]"] + args
        assert main(argv) == 2
    assert "error" in capsys.readouterr().err
    assert main(["certify", "clipped-sgd", "--function", "smooth-convex[L=1]", "--N", "3"]) == 2
    assert "op 'clip'" in capsys.readouterr().err


def test_certify_cli_relaxation_and_unbounded(capsys):
    assert main(["certify", "gd", "--function", "pl[L=1,mu=0.2]", "--N", "1", "--init", "f-gap",
                 "--out", "/nonexistent/none"]) in (0,)
    assert "relaxation:  yes" in capsys.readouterr().out
    assert main(["certify", "gd", "--function", "smooth-convex[L=1]", "--N", "2", "--measure", "dist",
                 "--init", "f-gap"]) == 3


def test_import_boundcheck_stays_light():
    code = "import sys, boundcheck; print('cvxpy' in sys.modules, 'sympy' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.split() == ["False", "False"]


def test_broken_pep_module_is_an_error_not_a_skip(monkeypatch, capsys):
    """A claim that lists pep is never judged on Monte Carlo alone because the PEP module does not
    import: run_pep raises ComputationError, and verify stops before running anything (exit 3)."""
    import boundcheck.verify.core as core
    from boundcheck.claims import load_catalogue, select
    from boundcheck.errors import ComputationError
    from boundcheck.verify.pep_engine import run_pep

    monkeypatch.setitem(sys.modules, "boundcheck.pep.build", None)  # import raises ImportError
    (claim,) = select(load_catalogue(), claim_id="T01-gd-tight")
    with pytest.raises(ComputationError, match="the PEP engine cannot be loaded"):
        run_pep(claim.bind({}))

    def no_engine(*a, **k):
        raise AssertionError("an engine ran although a listed engine is broken")

    monkeypatch.setattr(core, "_run_engine", no_engine)
    assert main(["verify", "--claim", "T01-gd-tight"]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "the PEP engine cannot be loaded (ModuleNotFoundError" in err[0], err


def test_certify_checks_the_solver_name_before_building(monkeypatch, capsys):
    import boundcheck.pep.build as pb

    def no_build(*a, **k):
        raise AssertionError("the PEP was built before the solver name was checked")

    monkeypatch.setattr(pb, "build", no_build)
    assert main(["certify", "gd", "--function", "smooth-convex", "--N", "3", "--solver", "mosek"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "unknown SDP solver 'mosek'" in err[0], err
