"""Issue 14's acceptance: in a temporary folder outside the repository, a user's algorithm,
function class or noise model file and a claims file using it. With no change to the package:
``boundcheck verify --problems DIR --all`` works, ``pytest DIR`` works, and editing the plugin
file changes the result of the next run (a new kernel hash: no stale kernel is served)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import _plugin_sources as S

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

KINDS = {
    # kind: (file, source, claims, edit (old -> new) that breaks the claim)
    "algorithm": ("acc_my_gd.py", S.ALGORITHM, S.ALGORITHM_CLAIMS, ("STEP_SCALE = 1.0", "STEP_SCALE = 0.5")),
    "function": ("acc_my_quad.py", S.FUNCTION, S.FUNCTION_CLAIMS, ("GRAD_SCALE = 1.0", "GRAD_SCALE = 2.0")),
    "noise": ("acc_my_uniform.py", S.NOISE, S.NOISE_CLAIMS, ("NOISE_SCALE = 1.0", "NOISE_SCALE = 10.0")),
}


def _run(args, cwd):
    env = {k: v for k, v in os.environ.items() if k != "BOUNDCHECK_PROBLEMS"}
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


def _verify(folder: Path, out: Path):
    p = _run([str(BIN / "boundcheck"), "verify", "--problems", str(folder), "--all", "--json", str(out)], folder)
    data = json.loads(out.read_text()) if out.exists() else None
    return p, data


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(KINDS))
def test_user_plugin_folder_outside_the_repo(kind, tmp_path):
    name, src, claims, (old, new) = KINDS[kind]
    folder = S.write(tmp_path / "mine", name, src, claims)
    assert REPO not in folder.resolve().parents

    p, before = _verify(folder, tmp_path / "before.json")
    assert p.returncode == 0, p.stderr[-2000:]
    (c,) = before["claims"]
    assert c["verdict"] == "PASS", c["reason"]

    t = _run([sys.executable, "-m", "pytest", str(folder), "-q", "-p", "no:cacheprovider"], folder)
    assert t.returncode == 0 and "1 passed" in t.stdout, t.stdout[-2000:] + t.stderr[-2000:]

    (folder / name).write_text(src.replace(old, new))
    p, after = _verify(folder, tmp_path / "after.json")
    (c2,) = after["claims"]
    assert after["kernel_hashes"] != before["kernel_hashes"]  # a new kernel, compiled from the edit
    assert c2["measured"] != c["measured"]
    assert c2["verdict"] == "FAIL" and p.returncode == 1, (c2["verdict"], c2["reason"], p.stderr[-1000:])


def test_pytest_reports_a_broken_plugin_as_one_collection_error(tmp_path):
    folder = S.write(tmp_path / "broken", "acc_broken.py", "def f(:\n", S.ALGORITHM_CLAIMS)
    t = _run([sys.executable, "-m", "pytest", str(folder), "-q", "-p", "no:cacheprovider"], folder)
    assert t.returncode != 0
    lines = [ln for ln in t.stdout.splitlines() if ln.startswith("boundcheck: error:")]
    assert len(lines) == 1 and "acc_broken.py:1: syntax error in plugin" in lines[0], t.stdout[-2000:]
