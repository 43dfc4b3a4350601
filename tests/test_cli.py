"""CLI contract: one-line errors on stderr with exit 2, listings, info."""
import subprocess
import sys

import pytest

from boundcheck import registry
from boundcheck.cli import main


def run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_list_functions_shows_every_class_with_constants(capsys):
    code, out, err = run(capsys, "list", "functions")
    assert code == 0 and not err
    for cls in registry.functions:
        line = next(l for l in out.splitlines() if l.startswith(cls.name + " "))
        for p in cls.constants:
            assert p.name in line


@pytest.mark.parametrize("kind", ["noise", "algorithms"])
def test_list_other_registries(capsys, kind):
    code, out, _ = run(capsys, "list", kind)
    reg = registry.noise if kind == "noise" else registry.algorithms
    assert code == 0 and all(n in out for n in reg.names())


def test_info_describes_a_class(capsys):
    name = registry.functions.names()[0]
    code, out, _ = run(capsys, "info", name)
    assert code == 0 and "definition" in out and "certified constants" in out


@pytest.mark.parametrize("args,pattern", [
    (["info", "smooth-convx"], "did you mean 'smooth-convex'"),
    (["info", "smooth-convex[L=-1]"], "'L' must be in (0, inf) (got -1)"),
    (["info", "smooth-convex[L=1"], "must end with ']'"),
    (["info", "smooth-convex[LL=1]"], "unknown parameter 'LL'; did you mean 'L'"),
    (["lst"], "did you mean 'list'"),
    (["list", "fuctions"], "fuctions"),
])
def test_errors_are_one_line_exit_2(capsys, args, pattern):
    code, out, err = run(capsys, *args)
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and pattern in err, err
    assert "Traceback" not in err


def test_console_script_exit_code():
    r = subprocess.run([sys.executable, "-m", "boundcheck.cli", "info", "nope-class"], capture_output=True, text=True)
    assert r.returncode == 2 and r.stderr.count("\n") == 1 and "unknown name 'nope-class'" in r.stderr


def test_quasar_convex_gamma_out_of_domain(capsys):
    assert "quasar-convex" in registry.functions  # a rename must fail here, not skip silently
    code, _, err = run(capsys, "info", "quasar-convex[gamma=1.5]")
    assert code == 2 and "'gamma' must be in (0, 1] (got 1.5)" in err and err.count("\n") == 1


def test_import_is_light():
    """import boundcheck, and loading every function class, noise model and algorithm, must not
    import cvxpy or sympy (they load only for the PEP and the claims)."""
    code = ("import sys, boundcheck; from boundcheck import registry;"
            "[list(r) for r in (registry.functions, registry.noise, registry.algorithms)];"
            "bad=[m for m in ('cvxpy','sympy') if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
