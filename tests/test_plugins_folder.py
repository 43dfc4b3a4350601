"""Folder plugins (boundcheck/plugins/discover.py): the *.py files of a catalogue folder register
their specs before its claims are read, through the path the built-ins use (plugins/register.py)."""
from __future__ import annotations

import numpy as np
import pytest

import _plugin_sources as S
from _plugin_state import clean_plugins  # noqa: F401
from boundcheck import registry
from boundcheck.errors import PluginError
from boundcheck.plugins import discover


def test_folder_plugin_is_registered_and_usable_by_claims(tmp_path, clean_plugins):
    S.write(tmp_path, "fold_gd_a.py", S.ALGORITHM, S.ALGORITHM_CLAIMS)
    from boundcheck.claims import load_catalogue

    claims = load_catalogue([tmp_path])
    assert [c.algorithm for c in claims] == ["my-gd"]
    assert registry.algorithms.origin("my-gd") == f"folder {tmp_path.resolve() / 'fold_gd_a.py'}"
    assert "my-gd" in registry.algorithms.names()


def test_skipped_files_are_not_imported(tmp_path, clean_plugins):
    S.write(tmp_path, "_fold_helper_b.py", "raise RuntimeError('must not be imported')\n")
    S.write(tmp_path, "test_fold_b.py", "raise RuntimeError('must not be imported')\n")
    S.write(tmp_path, "conftest.py", "raise RuntimeError('must not be imported')\n")
    assert discover.load_folder(tmp_path) == []


def test_plugin_imports_its_helper_module(tmp_path, clean_plugins):
    helper = "def scale():\n    return 1.0\n"
    alg = S.ALGORITHM.replace("STEP_SCALE = 1.0", "from _fold_helper_c import scale\nSTEP_SCALE = scale()")
    S.write(tmp_path, "_fold_helper_c.py", helper)
    S.write(tmp_path, "fold_gd_c.py", alg)
    (spec,) = discover.load_folder(tmp_path)
    assert spec.name == "my-gd"


def test_clash_with_builtin_names_both_files(tmp_path, clean_plugins):
    S.write(tmp_path, "fold_gd_d.py", S.ALGORITHM.replace('name="my-gd"', 'name="gd"'))
    with pytest.raises(PluginError, match=r"fold_gd_d.py: algorithm name 'gd' is already the built-in one "
                                          r"defined in .*boundcheck/algorithms/gd.py"):
        discover.load_folder(tmp_path)


def test_clash_between_two_plugins_names_both_files(tmp_path, clean_plugins):
    S.write(tmp_path, "fold_gd_e1.py", S.ALGORITHM)
    S.write(tmp_path, "fold_gd_e2.py", S.ALGORITHM)
    with pytest.raises(PluginError, match=r"fold_gd_e2.py: algorithm name 'my-gd' is already defined by the "
                                          r"plugin .*fold_gd_e1.py"):
        discover.load_folder(tmp_path)


@pytest.mark.parametrize("text,pattern", [
    ("def f(:\n", r"fold_bad_f.py:1: syntax error in plugin"),
    (S.ALGORITHM.replace("def update(s, g, fx, P):\n    ops.axpy(s.x, -STEP_SCALE * P.step, g)\n", ""),
     r"fold_bad_f.py:\d+: the plugin failed to import: NameError: name 'update' is not defined; define "
     r"update\(s, g, fx, P\)"),
    (S.ALGORITHM.replace("update=update", "update=None"), r"fold_bad_f.py:\d+: the algorithm 'my-gd' has no update"),
    (S.ALGORITHM.replace("1.0, \"normalized step\"", "-1.0, \"normalized step\""),
     r"fold_bad_f.py:\d+: algorithm 'my-gd': the default of parameter 'h' \(-1.0\) is not valid"),
    ("import no_such_module_xyz\n", r"fold_bad_f.py:1: the plugin failed to import: ModuleNotFoundError"),
    ("PLUGIN = 3\n", r"fold_bad_f.py:1: PLUGIN must be an Algorithm, FunctionClass or NoiseModel"),
])
def test_broken_plugin_is_one_plugin_error_naming_file_and_line(tmp_path, clean_plugins, text, pattern):
    S.write(tmp_path, "fold_bad_f.py", text)
    with pytest.raises(PluginError, match=pattern) as e:
        discover.load_folder(tmp_path)
    assert "\n" not in str(e.value)


def test_module_name_taken_by_another_module(tmp_path, clean_plugins):
    S.write(tmp_path, "json.py", S.ALGORITHM)
    with pytest.raises(PluginError, match=r"json.py: the module name 'json' is already taken by"):
        discover.load_folder(tmp_path)


def test_edited_file_is_imported_again(tmp_path, clean_plugins):
    f = S.write(tmp_path, "fold_gd_g.py", S.ALGORITHM) / "fold_gd_g.py"
    (a,) = discover.load_folder(tmp_path)
    assert discover.load_folder(tmp_path)[0] is a  # unchanged: not imported again
    f.write_text(S.ALGORITHM.replace("STEP_SCALE = 1.0", "STEP_SCALE = 0.5"))
    (b,) = discover.load_folder(tmp_path)
    assert b is not a and registry.algorithms.get("my-gd") is b


def test_env_folder_plugins_are_found_by_name(tmp_path, clean_plugins, monkeypatch):
    S.write(tmp_path, "fold_gd_h.py", S.ALGORITHM.replace('name="my-gd"', 'name="my-gd-env"'))
    monkeypatch.setenv("BOUNDCHECK_PROBLEMS", str(tmp_path))
    assert registry.algorithms.get("my-gd-env").name == "my-gd-env"


def test_user_kernel_numba_equals_reference(tmp_path, clean_plugins):
    """The engines run a user algorithm like a built-in: numba kernel = numpy reference."""
    from boundcheck.engine import run
    from boundcheck.engine.reference import run_reference

    S.write(tmp_path, "fold_gd_i.py", S.ALGORITHM.replace('name="my-gd"', 'name="my-gd-i"'))
    discover.load_folder(tmp_path)
    fn = "smooth-strongly-convex[L=1,mu=0.1,d=4,seed=1]"
    kw = dict(n_steps=20, n_runs=1, seed=0, checkpoints="all", keep_final=True)
    a, b = run("my-gd-i[h=0.5]", fn, None, **kw), run_reference("my-gd-i[h=0.5]", fn, None, **kw)
    assert np.allclose(a.values, b.values, rtol=1e-12, atol=0)
    from boundcheck.engine.api import _KERNELS

    (k,) = [k for k in _KERNELS.values() if k.spec.alg_name == "my-gd-i"]
    assert str(tmp_path.resolve() / "fold_gd_i.py") in k.sources  # the user's file is in the kernel's hash


def _run_alg(name, engine="numba"):
    from boundcheck.engine import run
    from boundcheck.engine.reference import run_reference

    f = run if engine == "numba" else run_reference
    return f(name, "smooth-strongly-convex[L=1,mu=0.1,d=3,seed=1]", None, n_steps=5, n_runs=1)


def test_op_numba_cannot_compile_names_plugin_file_and_line(tmp_path, clean_plugins):
    src = S.ALGORITHM.replace('name="my-gd"', 'name="my-gd-j"').replace(
        "    ops.axpy(s.x, -STEP_SCALE * P.step, g)\n",
        "    ops.axpy(s.x, -STEP_SCALE * P.step, g)\n    helper(s.x)\n") + "\n\ndef helper(x):\n    return x\n"
    S.write(tmp_path, "fold_gd_j.py", src)
    discover.load_folder(tmp_path)
    line = src.splitlines().index("    helper(s.x)") + 1
    with pytest.raises(PluginError, match=rf"fold_gd_j.py:{line}: numba cannot compile the algorithm plugin 'my-gd-j' "
                                          r"\(.*helper.*\); use only what numba compiles") as e:
        _run_alg("my-gd-j")
    assert "\n" not in str(e.value)


@pytest.mark.parametrize("engine", ["numba", "numpy"])
def test_exception_inside_user_kernel_names_the_plugin(tmp_path, clean_plugins, engine):
    src = S.ALGORITHM.replace('name="my-gd"', 'name="my-gd-k"').replace(
        "    ops.axpy(s.x, -STEP_SCALE * P.step, g)\n",
        "    if P.step > 0.1:\n        raise ValueError('step too large for my-gd-k')\n"
        "    ops.axpy(s.x, -STEP_SCALE * P.step, g)\n")
    S.write(tmp_path, "fold_gd_k.py", src)
    discover.load_folder(tmp_path)
    where = r"fold_gd_k.py(:\d+)?"  # the line when a Python frame (or numba) shows it
    with pytest.raises(PluginError, match=rf"{where}: the algorithm plugin 'my-gd-k' raised ValueError: step too "
                                          r"large for my-gd-k") as e:
        _run_alg("my-gd-k", engine)
    assert "\n" not in str(e.value)


def test_builtins_go_through_the_same_registration_checks(monkeypatch):
    """registry.get of a built-in reads its module with specs_of/check_spec, as for a plugin file."""
    from boundcheck.plugins import register

    seen = []
    real = register.check_spec
    monkeypatch.setattr(register, "check_spec", lambda spec, file: seen.append((spec.name, file)) or real(spec, file))
    monkeypatch.setattr(registry.algorithms, "_cache", {})
    assert registry.algorithms.get("ogm").name == "ogm"
    assert seen and seen[0][0] == "ogm" and seen[0][1].endswith("algorithms/ogm.py")


def test_info_describes_a_folder_plugin(tmp_path, clean_plugins):
    from boundcheck.describe import info

    S.write(tmp_path, "fold_gd_info.py", S.ALGORITHM.replace('name="my-gd"', 'name="my-gd-info"'))
    assert "my-gd-info" in info("my-gd-info", [str(tmp_path)])


def test_edited_helper_reimports_the_plugin_in_the_same_process(tmp_path, clean_plugins):
    S.write(tmp_path, "_fold_helper_l.py", "SCALE = 1.0\n")
    alg = S.ALGORITHM.replace('name="my-gd"', 'name="my-gd-l"').replace(
        "STEP_SCALE = 1.0", "from _fold_helper_l import SCALE as STEP_SCALE")
    S.write(tmp_path, "fold_gd_l.py", alg)
    import sys

    discover.load_folder(tmp_path)
    assert sys.modules["fold_gd_l"].STEP_SCALE == 1.0
    (tmp_path / "_fold_helper_l.py").write_text("SCALE = 0.50\n")  # another size: a stale .pyc cannot match
    (b,) = discover.load_folder(tmp_path)
    assert sys.modules["fold_gd_l"].STEP_SCALE == 0.5 and registry.algorithms.get("my-gd-l") is b
