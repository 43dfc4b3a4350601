"""The HTML report (issue 17): ``--report`` by extension and repeatable, a self-contained page,
and the page opened in headless Chromium (no script error, every claim id, every plot with a
non-zero rendered size; the screenshot is kept as an artifact).

The browser test needs Debian's ``chromium`` (.ci/run installs it); without it the test skips and
says so. Artifacts go to $BOUNDCHECK_ARTIFACTS, else pytest's temporary folder (path printed).
"""
import json
import os
import re
import shutil
import subprocess
import textwrap
from html.parser import HTMLParser
from pathlib import Path

import pytest

from boundcheck.cli import main
from test_verify import CLIP, T01

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """One verify run over three claims (a tight PASS on mc and pep, its halved copy that FAILs, a
    noisy rate claim), writing the Markdown and the HTML report together."""
    tmp = tmp_path_factory.mktemp("html")
    cat = tmp / "cat"
    cat.mkdir()
    (cat / "t01.toml").write_text(textwrap.dedent(T01.format(id="T01-gd-tight", bound="L*R^2/(4*N*h + 2)",
                                                             expected="PASS")))
    (cat / "t01bad.toml").write_text(textwrap.dedent(T01.format(id="T01-gd-tight-halved", bound="L*R^2/(2*(4*N*h + 2))",
                                                                expected="FAIL")))
    clip = textwrap.dedent(CLIP.format(seed=3, id="T07-clip-copy", exponent="-2*(alpha - 1)/alpha"))
    # a small, pre-asymptotic grid: the fitted slope is too shallow and the claim FAILs (recorded as
    # expected); what matters here is a noisy claim with a band in the report, not its verdict
    clip = clip.replace('N = "2^8:2^14:7:log"', 'N = "2^6:2^9:4:log"').replace("runs = 200", "runs = 30")
    (cat / "clip.toml").write_text(clip.replace('expected = "PASS"', 'expected = "FAIL"'))
    md, page = tmp / "out" / "r.md", tmp / "out" / "r.html"
    rc = main(["verify", "--problems", str(cat), "--all", "--report", str(md), "--report", str(page)])
    return rc, md, page, ["T01-gd-tight", "T01-gd-tight-halved", "T07-clip-copy"]


def test_report_format_follows_the_extension_and_one_run_writes_both(reports):
    rc, md, page, ids = reports
    assert rc == 0
    assert md.read_text().startswith("# boundcheck verify")
    text = page.read_text()
    assert text.startswith("<!DOCTYPE html>")
    for cid in ids:
        assert f'id="{cid}"' in text and f'href="#{cid}"' in text
    assert text.count('<figure class="plot"') == 3 and "<math" in text and "false-alarm budget" in text
    assert "certified worst case" in text and "Bonferroni" in text and "reproduce" in text
    # the summary sorts by severity: FAIL rows carry sort key 0, PASS 3; evidence weak 0 .. strong 2
    assert re.search(r'<td data-sort="0"><span class="FAIL">', text) and re.search(r'<td data-sort="3"><span class="PASS">', text)
    assert '<td data-sort="2"><span class="strong">' in text


class _Refs(HTMLParser):
    """Every attribute that could load something from outside the file."""

    def __init__(self):
        super().__init__()
        self.loads = []

    def handle_starttag(self, tag, attrs):
        for k, v in attrs:
            if k in ("src", "srcset", "xlink:href", "data") or (tag == "link" and k == "href"):
                if v and not v.startswith(("#", "data:")):
                    self.loads.append((tag, k, v))


def test_html_report_is_self_contained(reports):
    text = reports[2].read_text()
    p = _Refs()
    p.feed(text)
    assert p.loads == []
    assert not re.search(r"@import|url\((?!#)", text)


def test_report_with_an_unknown_extension_is_one_usage_line(tmp_path, capsys):
    rc = main(["verify", "--claim", "T01-gd-tight", "--report", str(tmp_path / "r.txt")])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 2 and len(err) == 1 and ".md or .html" in err[0]
    assert not (tmp_path / "r.txt").exists()


def _chromium():
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _artifacts(tmp_path_factory) -> Path:
    d = Path(os.environ.get("BOUNDCHECK_ARTIFACTS") or tmp_path_factory.getbasetemp() / "artifacts")
    d.mkdir(parents=True, exist_ok=True)
    return d


def _open(page: Path, profile: Path, *extra) -> subprocess.CompletedProcess:
    return subprocess.run([_chromium(), *FLAGS, f"--user-data-dir={profile}", *extra, page.resolve().as_uri()],
                          capture_output=True, text=True, timeout=120)


def _body(dom: str) -> dict:
    m = re.search(r"<body([^>]*)>", dom)
    attrs = dict(re.findall(r'([\w-]+)="([^"]*)"', m.group(1))) if m else {}
    from html import unescape

    return {k: json.loads(unescape(v)) for k, v in attrs.items() if k.startswith("data-")}


def _console_errors(stderr: str) -> list[str]:
    return [s for s in stderr.splitlines() if "CONSOLE" in s and ("Uncaught" in s or "Error" in s)]


def test_html_report_opens_in_headless_chromium(reports, tmp_path, tmp_path_factory):
    if not _chromium():
        pytest.skip("chromium is not installed (apt-get install chromium; .ci/run installs it in CI)")
    _, _, page, ids = reports
    shot = _artifacts(tmp_path_factory) / "verify-report.png"
    r = _open(page, tmp_path / "p1", "--window-size=1200,2400", f"--screenshot={shot}")
    assert r.returncode == 0, r.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
    print(f"\nscreenshot: {shot} ({shot.stat().st_size} bytes)")
    r = _open(page, tmp_path / "p2", "--enable-logging=stderr", "--v=0", "--dump-dom")
    assert r.returncode == 0, r.stderr[-2000:]
    assert _console_errors(r.stderr) == []
    body = _body(r.stdout)
    assert body["data-errors"] == []
    for cid in ids:
        assert f'id="{cid}"' in r.stdout
    sizes = body["data-plot-sizes"]
    assert set(sizes) == set(ids)
    assert all(w > 100 and h > 100 for w, h in sizes.values()), sizes


def test_the_browser_check_sees_a_script_error(tmp_path):
    """The checks above can fail: a page whose script throws is reported by both of them."""
    if not _chromium():
        pytest.skip("chromium is not installed (apt-get install chromium; .ci/run installs it in CI)")
    from boundcheck.report.html import page

    bad = tmp_path / "bad.html"
    bad.write_text(page("bad", ["<p>x</p>"]).replace("<script>", "<script>window.setTimeout(function(){});"
                                                     "undefinedFunction();</script><script>", 1))
    r = _open(bad, tmp_path / "p", "--enable-logging=stderr", "--v=0", "--dump-dom")
    assert _console_errors(r.stderr), r.stderr[-2000:]


@pytest.mark.slow
def test_verify_all_html_report_in_chromium_and_its_grid_layout(tmp_path, tmp_path_factory):
    """The acceptance run: ``verify --all --report out.html`` (the whole catalogue, minutes) opens in
    headless Chromium with no console error, every claim id and a non-empty plot per claim that ran;
    the same report's PNG grid has every legend outside every axes and no panel outside the figure."""
    from boundcheck.claims import load_catalogue
    from boundcheck.report.figures import grid
    from boundcheck.verify import parse_overrides, verify_claims
    from test_report_figures import _inside

    report = verify_claims(load_catalogue(None), parse_overrides(None, None), command="boundcheck verify --all")
    from boundcheck.report.html import verify_page

    page = tmp_path / "out.html"
    page.write_text(verify_page(report))
    ids = [r.claim.id for r in report.results]
    ran = [r.claim.id for r in report.results if r.data]
    fig = grid(report.results, report.budget)
    fig.canvas.draw()
    rend = fig.canvas.get_renderer()
    for ax in fig.axes:
        assert _inside(ax.get_tightbbox(rend), fig.bbox)
        lb = ax.get_legend().get_window_extent(rend)
        assert not any(lb.overlaps(o.get_window_extent(rend)) for o in fig.axes)
    if not _chromium():
        pytest.skip("chromium is not installed (apt-get install chromium; .ci/run installs it in CI)")
    shot = _artifacts(tmp_path_factory) / "verify-all-report.png"
    r = _open(page, tmp_path / "p1", "--window-size=1200,4000", f"--screenshot={shot}")
    assert r.returncode == 0 and shot.exists()
    print(f"\nscreenshot: {shot} ({shot.stat().st_size} bytes)")
    r = _open(page, tmp_path / "p2", "--enable-logging=stderr", "--v=0", "--dump-dom")
    assert _console_errors(r.stderr) == []
    body = _body(r.stdout)
    assert body["data-errors"] == []
    assert all(f'id="{cid}"' in r.stdout for cid in ids)
    assert set(body["data-plot-sizes"]) == set(ran)
    assert all(w > 100 and h > 100 for w, h in body["data-plot-sizes"].values())
