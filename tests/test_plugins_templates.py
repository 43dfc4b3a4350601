"""The built-in algorithm files are templates: a copy with absolute imports and a new name is a
working folder plugin (numba kernel = numpy reference), and a plugin's kernel hash covers the
helper modules it imports from its folder."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import _plugin_sources as S
from _plugin_state import clean_plugins  # noqa: F401
from boundcheck import registry
from boundcheck.plugins import discover

ALG_DIR = Path(registry.algorithms.builtin_file("gd")).parent


def as_plugin(stem: str) -> tuple[str, str]:
    """(new name, text) of the built-in file ``stem`` with absolute imports and the name tpl-<name>."""
    text = (ALG_DIR / f"{stem}.py").read_text()
    text = re.sub(r"^from \.\. import ", "from boundcheck import ", text, flags=re.M)
    text = re.sub(r"^from \.\.(\w)", r"from boundcheck.\1", text, flags=re.M)
    text = re.sub(r"^from \.(\w)", r"from boundcheck.algorithms.\1", text, flags=re.M)
    old = registry.algorithms.get(next(n for n, m in registry.algorithms._table().items() if m == stem)).name
    new = f"tpl-{old}"
    text, n = re.subn(rf'(\n\s+name=)"{re.escape(old)}"', rf'\1"{new}"', text, count=1)
    assert n == 1, stem
    return new, text


FN = "smooth-strongly-convex[L=1,mu=0.1,d=4,seed=2]"
STEMS = sorted(registry.algorithms._table().values())


def _check_template(stem, tmp_path):
    from boundcheck.engine import run
    from boundcheck.engine.reference import run_reference
    from boundcheck.plugins.conformance_algorithm import noises
    from boundcheck.plugins.report import max_rel_diff

    name, text = as_plugin(stem)
    (spec,) = discover.load_file(S.write(tmp_path, f"tpl_{stem}.py", text) / f"tpl_{stem}.py")
    assert spec.name == name and registry.algorithms.origin(name).startswith("folder ")
    kw = dict(n_steps=15, n_runs=2, seed=3, checkpoints="all", keep_final=True)
    label, noise = noises(spec)[-1]
    a, b = run((spec, {}), FN, noise, **kw), run_reference((spec, {}), FN, noise, **kw)
    assert max_rel_diff(a.values, b.values) <= 1e-12 and max_rel_diff(a.final_x, b.final_x) <= 1e-12
    builtin = run((registry.algorithms.get(name[4:]), {}), FN, noise, **kw)
    assert np.array_equal(a.values, builtin.values, equal_nan=True)  # the copy is the same method


def test_heavy_ball_copy_is_a_working_plugin(tmp_path, clean_plugins):
    _check_template("heavy_ball", tmp_path)


@pytest.mark.slow
@pytest.mark.parametrize("stem", [s for s in STEMS if s != "heavy_ball"])
def test_every_builtin_copy_is_a_working_plugin(stem, tmp_path, clean_plugins):
    _check_template(stem, tmp_path)


_HASH = r"""
import sys
from boundcheck.plugins.discover import load_folder
from boundcheck.engine.api import kernel_for
from boundcheck.engine.problem import resolve
load_folder(sys.argv[1])
print(kernel_for(resolve("my-gd-helper", "smooth-convex[d=3]", None, None)).hash)
"""


def test_kernel_hash_covers_a_helper_module_of_the_folder(tmp_path):
    """Editing only the helper (not the plugin file) gives another kernel: no stale kernel."""
    helper = "from numba import njit\n\n\n@njit\ndef scale():\n    return 1.0\n"
    alg = S.ALGORITHM.replace('name="my-gd"', 'name="my-gd-helper"').replace(
        "STEP_SCALE = 1.0", "from _tpl_helper import scale").replace("-STEP_SCALE * P.step", "-scale() * P.step")
    S.write(tmp_path, "_tpl_helper.py", helper)
    S.write(tmp_path, "tpl_uses_helper.py", alg)

    def kernel_hash():
        p = subprocess.run([sys.executable, "-c", _HASH, str(tmp_path)], capture_output=True, text=True, timeout=300)
        assert p.returncode == 0, p.stderr[-2000:]
        return p.stdout.strip()

    h1, h1_again = kernel_hash(), kernel_hash()
    (tmp_path / "_tpl_helper.py").write_text(helper.replace("return 1.0", "return 0.5"))
    h2 = kernel_hash()
    assert h1 == h1_again and h2 != h1
