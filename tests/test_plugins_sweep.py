"""Sweeps of plugin claims: the result cache key covers the folder's plugin code, and a worker
loads the folder's plugins before reading the claims."""
from __future__ import annotations

import _plugin_sources as S
from _plugin_state import clean_plugins  # noqa: F401
from boundcheck.sweep.task import Task, _claims


def test_task_key_changes_when_the_plugin_file_changes(tmp_path):
    S.write(tmp_path, "sw_key_gd.py", S.ALGORITHM, S.ALGORITHM_CLAIMS)
    f = str(tmp_path / "claims.toml")
    t = Task("U-my-gd-tight", f, S.ALGORITHM_CLAIMS)
    k1 = t.key("fp")
    assert t.key("fp") == k1
    (tmp_path / "sw_key_gd.py").write_text(S.ALGORITHM.replace("STEP_SCALE = 1.0", "STEP_SCALE = 0.5"))
    assert t.key("fp") != k1


def test_worker_loads_the_folder_plugins(tmp_path, clean_plugins):
    S.write(tmp_path, "sw_worker_gd.py", S.ALGORITHM.replace('name="my-gd"', 'name="sw-worker-gd"'),
            S.ALGORITHM_CLAIMS.replace('name = "my-gd"', 'name = "sw-worker-gd"'))
    claims = _claims(str(tmp_path / "claims.toml"), (tmp_path / "claims.toml").read_text())
    assert [c.algorithm for c in claims.values()] == ["sw-worker-gd"]


def test_task_key_without_plugins_is_unchanged(tmp_path):
    """A folder without *.py files: the key has no plugin part, so existing cache rows stay valid."""
    import hashlib
    import json
    from dataclasses import asdict

    t = Task("x", str(tmp_path / "c.toml"), "toml text")
    doc = asdict(t)
    doc["toml"] = hashlib.sha256(b"toml text").hexdigest()
    doc["overrides"] = []
    doc["fingerprint"] = "fp"
    del doc["require_evidence"]
    assert t.key("fp") == hashlib.sha256(json.dumps(doc, sort_keys=True).encode()).hexdigest()
