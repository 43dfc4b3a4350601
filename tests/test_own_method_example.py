"""docs/own-method.md's worked example (examples/own-method/) runs as documented: verify, pytest,
check-plugin and certify, with no change to the package."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "own-method"
BIN = Path(sys.executable).parent


def _run(args, tmp_path, **env):
    e = {k: v for k, v in os.environ.items() if k != "BOUNDCHECK_PROBLEMS"}
    e.update(env)
    return subprocess.run(args, cwd=tmp_path, env=e, capture_output=True, text=True, timeout=900)


def test_doc_names_the_example_commands():
    doc = (REPO / "docs" / "own-method.md").read_text()
    for cmd in ("boundcheck verify --problems examples/own-method --all", "pytest examples/own-method",
                "boundcheck check-plugin examples/own-method/my_method.py", "runs its code"):
        assert cmd in doc, cmd


def test_check_plugin_and_certify(tmp_path):
    p = _run([str(BIN / "boundcheck"), "check-plugin", str(EXAMPLE / "my_method.py")], tmp_path)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "PASS  PEP lowering" in p.stdout and " 0 failed" in p.stdout
    out = tmp_path / "cert.json"
    p = _run([str(BIN / "boundcheck"), "certify", "my-hb[h=0.25,beta=0.5]", "--function", "smooth-convex[L=1]",
              "--N", "5", "--out", str(tmp_path / "certs"), "--json", str(out)], tmp_path,
             BOUNDCHECK_PROBLEMS=str(EXAMPLE))
    assert p.returncode == 0, p.stderr
    assert 0 < json.loads(out.read_text())["value"] < 1.0 / 2  # below f(x0) - f* <= L R^2/2


@pytest.mark.slow
def test_verify_and_pytest(tmp_path):
    out = tmp_path / "v.json"
    p = _run([str(BIN / "boundcheck"), "verify", "--problems", str(EXAMPLE), "--all", "--json", str(out)], tmp_path)
    assert p.returncode == 0, p.stderr[-2000:]
    assert {c["id"]: c["verdict"] for c in json.loads(out.read_text())["claims"]} == {
        "MYHB-avg-bound": "PASS", "MYHB-avg-rate": "PASS"}
    t = _run([sys.executable, "-m", "pytest", str(EXAMPLE), "-q", "-o", "addopts=", "-p", "no:cacheprovider"], tmp_path)
    assert t.returncode == 0 and "2 passed" in t.stdout, t.stdout[-2000:] + t.stderr[-2000:]
