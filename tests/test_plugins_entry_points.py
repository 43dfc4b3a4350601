"""Package plugins: entry points in the groups boundcheck.algorithms / functions / noise, from a
small distribution (a dist-info folder with entry_points.txt) put on sys.path; no pip, no network."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

import _plugin_sources as S
from _plugin_state import clean_plugins  # noqa: F401
from boundcheck import registry
from boundcheck.errors import PluginError
from boundcheck.plugins import entry_points


def _dist(root, entries: str, modules: dict):
    info = root / "mylab_plugins-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: mylab-plugins\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(entries)
    for name, text in modules.items():
        (root / f"{name}.py").write_text(text)
    return root


LAB = {"ep_lab_gd": S.ALGORITHM.replace('name="my-gd"', 'name="lab-gd"'),
       "ep_lab_noise": S.NOISE.replace('name="my-uniform"', 'name="lab-uniform"')}
ENTRIES = ("[boundcheck.algorithms]\nlab-gd = ep_lab_gd\n\n"
           "[boundcheck.noise]\nlab-uniform = ep_lab_noise:PLUGIN\n")


@pytest.fixture
def lab(tmp_path, clean_plugins, monkeypatch):
    root = _dist(tmp_path, ENTRIES, LAB)
    monkeypatch.syspath_prepend(str(root))
    monkeypatch.setattr(entry_points, "_DONE", False)
    return root


def test_entry_point_plugins_are_registered_with_their_package(lab):
    assert registry.algorithms.get("lab-gd").name == "lab-gd"  # found when the name is looked up
    assert registry.algorithms.origin("lab-gd") == "package mylab-plugins"
    assert registry.noise.get("lab-uniform").name == "lab-uniform"  # an entry point naming the spec
    assert registry.noise.origin("lab-uniform") == "package mylab-plugins"
    assert registry.algorithms.origin("gd") == "built-in"


def test_list_marks_package_plugins(lab):
    from boundcheck.describe import list_entries

    rows = [r for r in list_entries("algorithms").splitlines() if r.startswith("lab-gd ")]
    assert len(rows) == 1 and rows[0].rstrip().endswith("package mylab-plugins")


def test_broken_entry_point_is_a_plugin_error_naming_it(tmp_path, clean_plugins, monkeypatch):
    root = _dist(tmp_path, "[boundcheck.algorithms]\nbroken = ep_lab_broken\n", {"ep_lab_broken": "import nope_xyz\n"})
    monkeypatch.syspath_prepend(str(root))
    monkeypatch.setattr(entry_points, "_DONE", False)
    with pytest.raises(PluginError, match=r"entry point 'broken' = 'ep_lab_broken' of mylab-plugins .*cannot be "
                                          r"imported: ModuleNotFoundError"):
        registry.algorithms.get("no-such-alg")


def test_entry_point_clash_with_builtin(tmp_path, clean_plugins, monkeypatch):
    root = _dist(tmp_path, "[boundcheck.algorithms]\nsgd = ep_lab_sgd\n",
                 {"ep_lab_sgd": S.ALGORITHM.replace('name="my-gd"', 'name="sgd"')})
    monkeypatch.syspath_prepend(str(root))
    monkeypatch.setattr(entry_points, "_DONE", False)
    with pytest.raises(PluginError, match=r"ep_lab_sgd.py: algorithm name 'sgd' is already the built-in one defined "
                                          r"in .*algorithms/sgd.py"):
        registry.algorithms.names()


def test_cli_lists_a_package_plugin(tmp_path):
    root = _dist(tmp_path, ENTRIES, LAB)
    env = dict(os.environ, PYTHONPATH=str(root))
    env.pop("BOUNDCHECK_PROBLEMS", None)
    p = subprocess.run([sys.executable, "-m", "boundcheck.cli", "list", "noise"], env=env, capture_output=True,
                       text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    assert any(r.startswith("lab-uniform ") and r.rstrip().endswith("package mylab-plugins")
               for r in p.stdout.splitlines()), p.stdout
