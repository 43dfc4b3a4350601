"""The repository cites only what a user of the repository can open.

Design notes outside the repository (the theorem reference, the interface and architecture notes,
the groundwork measurements) and their numbered "pitfalls" were once cited from docs, code comments
and the catalogue; a user cannot follow such a citation. The pitfalls now live in docs/pitfalls.md
under stable anchors, and every docs page and heading anchor cited must exist.
"""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCANNED = ["README.md", "Makefile", "setup.cfg", "docs", "boundcheck", "problems", "tests", "benchmarks"]
SUFFIXES = {".md", ".py", ".toml", ".cfg", ""}

# built from pieces so that this file does not match itself
OUTSIDE = re.compile("|".join([
    r"theorems" + r"\.md", r"groundwork" + r"\.md", r"anchors" + r"\.md",
    r"INTER" + r"FACES", r"ARCHI" + r"TECTURE(?:\.md| lesson)",
    r"\b[Pp]it" + r"falls? [0-9]+",
]))
CITED_DOC = re.compile(r"docs/([A-Za-z0-9_-]+\.md)(?:#([a-z0-9-]+))?")


def _files():
    for name in SCANNED:
        p = ROOT / name
        paths = [p] if p.is_file() else sorted(p.rglob("*")) if p.is_dir() else []
        for f in paths:
            if f.is_file() and f.suffix in SUFFIXES and "__pycache__" not in f.parts:
                yield f


def _anchors(doc: Path) -> set[str]:
    """GitHub-style anchors of the doc's headings."""
    out = set()
    for line in doc.read_text(encoding="utf-8").splitlines():
        m = re.match(r"#+\s+(.*)", line)
        if m:
            slug = re.sub(r"[^a-z0-9 _-]", "", m.group(1).strip().lower()).replace(" ", "-")
            out.add(slug)
    return out


def test_no_citation_of_documents_outside_the_repository():
    hits = [f"{f.relative_to(ROOT)}:{n}: {line.strip()[:100]}"
            for f in _files() for n, line in enumerate(f.read_text(encoding="utf-8", errors="replace").splitlines(), 1)
            if OUTSIDE.search(line)]
    assert not hits, "citations of documents that are not in the repository:\n" + "\n".join(hits)


def test_every_cited_doc_and_anchor_exists():
    missing = []
    for f in _files():
        for n, line in enumerate(f.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            for m in CITED_DOC.finditer(line):
                doc = ROOT / "docs" / m.group(1)
                if not doc.is_file():
                    missing.append(f"{f.relative_to(ROOT)}:{n}: docs/{m.group(1)} does not exist")
                elif m.group(2) and m.group(2) not in _anchors(doc):
                    missing.append(f"{f.relative_to(ROOT)}:{n}: no heading #{m.group(2)} in docs/{m.group(1)}")
    assert not missing, "\n".join(missing)


def test_the_anchor_check_can_fail():
    assert "which-iterate" in _anchors(ROOT / "docs" / "pitfalls.md")
    assert "pitfall-4" not in _anchors(ROOT / "docs" / "pitfalls.md")
    assert OUTSIDE.search("see " + "theorems" + ".md T01") and OUTSIDE.search("(" + "pitfall" + " 7)")
