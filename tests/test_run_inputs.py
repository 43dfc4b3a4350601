"""``boundcheck run``: every input check happens before any computation, named as on the command line."""
from __future__ import annotations

import pytest

from boundcheck.cli import main


@pytest.fixture
def no_engine(monkeypatch):
    import boundcheck.engine as engine

    def fail(*a, **k):
        raise AssertionError("engine.run was called before the input error was found")

    monkeypatch.setattr(engine, "run", fail)


@pytest.mark.parametrize("argv,message", [
    (["--steps", "0"], "--steps must be a positive integer (got 0)"),
    (["--runs", "-2"], "--runs must be a positive integer (got -2)"),
    (["--seed", "-1"], "--seed must be an integer in [0, 2^63) (got -1)"),
    (["--steps", "10", "--checkpoints", "5,20"], "checkpoint 20 is beyond --steps = 10"),
    (["--show", "f_gap@lats"], "unknown metric 'f_gap@lats'; did you mean 'f_gap@last'"),
    (["--runs", "1000000000"], "1000000000 runs of 1000 steps"),
])
def test_inputs_are_checked_before_the_engine_runs(no_engine, capsys, argv, message):
    assert main(["run", "gd", "--function", "smooth-convex"] + argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0], err
    assert "n_steps" not in err[0] and "n_runs" not in err[0]


def test_a_constant_the_method_needs_is_named(capsys):
    assert main(["run", "gd", "--function", "l0l1-smooth", "--steps", "3", "--runs", "1"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "gd needs the problem constant 'L'" in err[0], err
