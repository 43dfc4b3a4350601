"""``boundcheck list claims --problems DIR`` and ``boundcheck info CLAIM-ID`` (describe.py).

Bad-input rows for both commands are in test_bad_input_cli.py's CASES.
"""
from __future__ import annotations

from boundcheck.cli import main
from test_catalogue_fast import TRUE, _claims


def _cli(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_list_claims_of_a_users_folder(tmp_path, capsys):
    (tmp_path / "mine.toml").write_text(_claims(("A-true", TRUE, "PASS", "0 < h <= 1", True),
                                                ("B-slow", TRUE, "FAIL", "h >= 1.5", False)))
    code, out, err = _cli(capsys, "list", "claims", "--problems", str(tmp_path))
    assert code == 0 and err == ""
    rows = [l for l in out.splitlines() if l.startswith(("A-true", "B-slow"))]
    assert len(rows) == 2 and "T01-gd-tight" not in out  # only the folder given, not the built-in claims
    assert "Drori, Teboulle 2014, Thm 3.1" in rows[0] and "FAIL" in rows[1]


def test_info_describes_a_builtin_claim(capsys):
    code, out, err = _cli(capsys, "info", "T01-gd-tight")
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0] == "T01-gd-tight: Gradient descent on L-smooth convex functions: exact worst case"
    assert "kind: tight: f_gap at the last iterate = bound" in out
    assert "bound: L*R^2/(4*N*h + 2)" in lines
    assert "  function: smooth-convex[instance=huber,L=L,R=R,N=N,h=h]" in lines
    assert "  algorithm: gd[h=h]" in lines and "  noise: none (exact gradients)" in lines
    assert "assumptions (else SKIP): 0 < h <= 1" in lines
    assert "citation: Drori, Teboulle 2014, Thm 3.1" in lines and "  arxiv: 1206.3209" in lines
    assert "expected: PASS" in lines and "notes:" in lines
    assert lines[-1] == "check it: boundcheck verify --claim T01-gd-tight"


def test_info_describes_a_claim_of_a_users_folder(tmp_path, capsys):
    f = tmp_path / "mine.toml"
    f.write_text(_claims(("C-known-wrong", "L*R^2/(2*(4*N*h + 2))", "FAIL", "0 < h <= 1", True)))
    code, out, err = _cli(capsys, "info", "C-known-wrong", "--problems", str(tmp_path))
    assert code == 0 and err == ""
    assert "bound: L*R^2/(2*(4*N*h + 2))" in out
    assert "expected: FAIL  (a claim known to be wrong as stated: strict xfail)" in out
    assert f"file: {f}:" in out and out.rstrip().endswith(f"--problems {f}")
    code, out, err = _cli(capsys, "info", "C-known-wrong")  # not in the built-in catalogue
    assert code == 2 and "did you mean" not in err and "unknown name 'C-known-wrong'" in err and "claim id" in err


def test_info_still_describes_registry_entries(capsys):
    code, out, _ = _cli(capsys, "info", "gd")
    assert code == 0 and out.startswith("gd: ")
