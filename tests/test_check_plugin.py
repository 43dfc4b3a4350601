"""``boundcheck check-plugin``: the built-ins' conformance battery on a user's plugin. Each kind has
a planted defect the battery must report (a check that can PASS must be able to FAIL), and the
built-ins themselves pass it unchanged."""
from __future__ import annotations

import pytest

import _plugin_sources as S
from _plugin_state import clean_plugins  # noqa: F401
from boundcheck import registry
from boundcheck.cli import main
from boundcheck.plugins.battery import run_battery

# numba and numpy paths that differ: a helper whose compiled version (numba overload) is not the
# Python one, so the kernel and the numpy reference take different steps
ALG_DIFFERS = S.ALGORITHM.replace('name="my-gd"', 'name="cp-gd-differs"').replace(
    "STEP_SCALE = 1.0", "from numba.extending import overload\n\n\ndef scale():\n    return 1.0\n\n\n"
                        "@overload(scale)\ndef _scale_jit():\n    return lambda: 1.001\n").replace(
    "-STEP_SCALE * P.step", "-scale() * P.step")
# the certified L is 10% below the true largest curvature
FN_OPTIMISTIC = S.FUNCTION.replace('name="my-quad"', 'name="cp-quad-optimistic"').replace(
    'Certified(float(c.max()),', 'Certified(0.9 * float(c.max()),')
# Cauchy draws (tail index 1: E|xi| = inf) declared with every moment finite, and no law to test
NOISE_INFINITE = S.NOISE.replace('name="my-uniform"', 'name="cp-cauchy-claims-light"').replace(
    "out[i] = NOISE_SCALE * theta[0] * (2.0 * uniform(s) - 1.0)",
    "out[i] = theta[0] * np.tan(np.pi * (uniform(s) - 0.5))").replace("moment_bound=moment, law=law",
                                                                      "moment_bound=moment, law=None")


def _check(tmp_path, capsys, name, text, *extra):
    f = S.write(tmp_path, name, text) / name
    code = main(["check-plugin", str(f), *extra])
    return code, capsys.readouterr().out


def test_good_plugins_pass(tmp_path, clean_plugins, capsys):
    for name, text in (("cp_good_gd.py", S.ALGORITHM.replace('name="my-gd"', 'name="cp-good-gd"')),
                       ("cp_good_quad.py", S.FUNCTION.replace('name="my-quad"', 'name="cp-good-quad"')),
                       ("cp_good_uniform.py", S.NOISE.replace('name="my-uniform"', 'name="cp-good-uniform"'))):
        code, out = _check(tmp_path / name[:-3], capsys, name, text, "--no-nojit")
        assert code == 0 and " 0 failed" in out and "FAIL" not in out, out


def test_algorithm_whose_numba_and_numpy_paths_differ_fails(tmp_path, clean_plugins, capsys):
    code, out = _check(tmp_path, capsys, "cp_gd_differs.py", ALG_DIFFERS)
    assert code == 1, out
    fails = [ln for ln in out.splitlines() if ln.strip().startswith("FAIL")]
    assert any("numba = numpy reference (exact): max relative difference" in ln for ln in fails), out
    assert any("numba = NUMBA_DISABLE_JIT (exact)" in ln for ln in fails), out


def test_class_with_L_declared_10_percent_optimistic_fails(tmp_path, clean_plugins, capsys):
    code, out = _check(tmp_path, capsys, "cp_quad_optimistic.py", FN_OPTIMISTIC)
    assert code == 1, out
    assert any(ln.strip().startswith("FAIL  [diag] declared conditions hold with the certified constants")
               and "violations" in ln for ln in out.splitlines()), out


def test_noise_declaring_a_moment_its_samples_lack_fails_the_hill_test(tmp_path, clean_plugins, capsys):
    code, out = _check(tmp_path, capsys, "cp_cauchy.py", NOISE_INFINITE)
    assert code == 1, out
    (hill,) = [ln for ln in out.splitlines() if "tail index (Hill)" in ln]
    assert hill.strip().startswith("FAIL") and "infinite q*-th moment" in hill and "power vs" in hill, hill


def test_broken_plugin_is_exit_2(tmp_path, clean_plugins, capsys):
    f = S.write(tmp_path, "cp_broken.py", "def f(:\n") / "cp_broken.py"
    assert main(["check-plugin", str(f)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cp_broken.py:1: syntax error" in err[0]


FAST = [("algorithm", "gd"), ("function class", "smooth-convex"), ("noise model", "gaussian")]


def _all_builtins():
    return [(k, n) for k, reg in registry.ALL.items() for n in reg._table()]


@pytest.mark.parametrize("kind,name", FAST)
def test_builtins_pass_check_plugin_sample(kind, name):
    checks = run_battery(registry.ALL[kind].get(name), None, nojit=False)
    assert [c for c in checks if c.status == "FAIL"] == [], [c.line() for c in checks]


@pytest.mark.slow
@pytest.mark.parametrize("kind,name", [c for c in _all_builtins() if c not in FAST])
def test_every_builtin_passes_check_plugin(kind, name):
    checks = run_battery(registry.ALL[kind].get(name), None, nojit=True)
    assert [c for c in checks if c.status == "FAIL"] == [], [c.line() for c in checks]


def test_builtin_file_checks_as_built_in(capsys):
    """check-plugin on a built-in file reads it through the registry (no clash with itself)."""
    from pathlib import Path

    import boundcheck

    f = Path(boundcheck.__file__).parent / "noise" / "gaussian.py"
    assert main(["check-plugin", str(f)]) == 0
    assert "noise model 'gaussian' (built-in)" in capsys.readouterr().out


def test_pep_lowering_names_the_op_it_cannot_lower(tmp_path, clean_plugins):
    """A deterministic plugin with a clipped step: the PEP check says which op does not lower (N/A),
    and a linear one lowers (pass)."""
    from boundcheck.plugins.conformance_algorithm import pep_lowering
    from boundcheck.plugins.discover import load_file

    text = S.ALGORITHM.replace('name="my-gd"', 'name="cp-clip-gd"').replace(
        "    ops.axpy(s.x, -STEP_SCALE * P.step, g)\n", "    ops.clip(g, 1.0)\n    ops.axpy(s.x, -STEP_SCALE * P.step, g)\n")
    (spec,) = load_file(S.write(tmp_path, "cp_clip_gd.py", text) / "cp_clip_gd.py")
    c = pep_lowering(spec)
    assert c.status == "n/a" and "clip" in c.detail and "cp-clip-gd" in c.detail, c.line()
    (lin,) = load_file(S.write(tmp_path / "lin", "cp_lin_gd.py", S.ALGORITHM.replace('name="my-gd"', 'name="cp-lin"'))
                       / "cp_lin_gd.py")
    assert pep_lowering(lin).status == "pass"


def test_file_without_plugin_is_exit_2(tmp_path, clean_plugins, capsys):
    f = S.write(tmp_path, "cp_noplugin.py", "X = 1\n") / "cp_noplugin.py"
    assert main(["check-plugin", str(f)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cp_noplugin.py: defines no PLUGIN" in err[0]
