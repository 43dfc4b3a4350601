"""sweep (issue 17): --report .md/.html (the HTML checked in headless Chromium), grid values
without float noise, and the documented worker rule (one in-process worker for a small grid)."""
import pytest

from boundcheck.cli import main
from boundcheck.sweep.grid import fmt, parse_axis
from boundcheck.sweep.workers import TASKS_PER_WORKER, auto_workers
from test_report_html import _body, _chromium, _console_errors, _open

NONCONVEX = "T07-clip-nonconvex-rate"


@pytest.mark.parametrize("text,values", [("x=1.1:2.0:4", (1.1, 1.4, 1.7, 2.0)),
                                         ("x=0.1:0.9:9", (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9))])
def test_linspace_grid_values_are_the_decimals_they_stand_for(text, values):
    got = parse_axis(text).values
    assert got == values  # exactly the doubles of 1.4, 0.3 ... (numpy gives 1.4000000000000001)
    assert all(len(fmt(v)) <= 3 for v in got)  # printed as 1.4, 0.3, 2
    assert parse_axis("x=0:1e-13:2").values == (0.0, 1e-13)  # tiny values are not rounded away


def test_worker_rule_by_task_count():
    assert auto_workers(4, 2) == 1 and auto_workers(TASKS_PER_WORKER - 1, 64) == 1
    assert auto_workers(2 * TASKS_PER_WORKER, 2) == 2 and auto_workers(2 * TASKS_PER_WORKER, 64) == 2
    assert auto_workers(1000, 4) == 4


def test_small_sweep_runs_in_process_and_writes_both_reports(tmp_path, monkeypatch, capsys):
    from boundcheck.sweep import executors

    def no_spawn(*a, **k):
        raise AssertionError("a 2-task sweep must not start worker processes")

    monkeypatch.setattr(executors, "local", no_spawn)
    md, page = tmp_path / "s.md", tmp_path / "s.html"
    rc = main(["sweep", "--claim", NONCONVEX, "--grid", "noise.alpha=1.3,1.8", "--runs", "24", "--seed", "3",
               "--no-cache", "--report", str(md), "--report", str(page)])
    assert rc == 0, capsys.readouterr()
    text = md.read_text()
    assert text.startswith("# boundcheck sweep") and "| noise.alpha | claim | verdict |" in text
    assert "--grid noise.alpha=1.3,1.8" in text and "Bonferroni" in text
    h = page.read_text()
    assert h.startswith("<!DOCTYPE html>") and h.count('<figure class="plot"') == 1 and "<svg" in h
    assert "marker: PASS (judged)" in h or "marker: FAIL (judged)" in h or "marker: INCONCLUSIVE (judged)" in h
    if not _chromium():
        pytest.skip("chromium is not installed (apt-get install chromium; .ci/run installs it in CI)")
    r = _open(page, tmp_path / "prof", "--enable-logging=stderr", "--v=0", "--dump-dom")
    assert r.returncode == 0 and _console_errors(r.stderr) == []
    body = _body(r.stdout)
    assert body["data-errors"] == [] and all(w > 100 and h > 100 for w, h in body["data-plot-sizes"].values())


def test_report_extension_is_checked_before_the_sweep_runs(tmp_path, capsys):
    rc = main(["sweep", "--claim", NONCONVEX, "--grid", "noise.alpha=1.3", "--report", str(tmp_path / "s.pdf")])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and ".md or .html" in err[0]
