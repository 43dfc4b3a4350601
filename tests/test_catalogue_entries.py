"""The built-in catalogue as a whole (issue 6): it loads, it covers the catalogue tags T01-T25, and
every claim carries what a reader needs to trust it (citation, notes for B/C constants, unique id,
a setting that binds at its defaults)."""
from __future__ import annotations

import re

import numpy as np
import pytest

from boundcheck.claims import load_catalogue

# provenance grade B or C (docs/pitfalls.md#provenance-grades-and-tags) (the rate, constants or step sizes were not all read there)
BC_TAGS = {"T07", "T08", "T09", "T10", "T11", "T12", "T13", "T14", "T15", "T16", "T18", "T19", "T20",
           "T21", "T23", "T24", "T25"}


@pytest.fixture(scope="module")
def claims():
    return load_catalogue()


def _tag(c) -> str:
    m = re.match(r"^(T\d\d)-", c.id)
    return m.group(1) if m else ""


def test_at_least_20_distinct_tags(claims):
    tags = {_tag(c) for c in claims} - {""}
    assert len(tags) >= 20, sorted(tags)


def test_ids_unique(claims):
    ids = [c.id for c in claims]
    assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1]


def test_every_claim_cites_arxiv_or_venue(claims):
    for c in claims:
        assert c.citation.authors and c.citation.year and c.citation.title and c.citation.theorem, c.id
        assert c.citation.arxiv or c.citation.venue, f"{c.id}: citation needs an arxiv id or a venue"


def test_bc_claims_carry_notes(claims):
    """A constant or rate graded B or C (docs/pitfalls.md#provenance-grades-and-tags) must come with a note saying what was read."""
    for c in claims:
        if _tag(c) in BC_TAGS:
            text = (c.notes or "") + " " + _file_notes(c)
            assert len(text.strip()) > 40, f"{c.id}: a B/C claim needs notes on what was read"


def _file_notes(c) -> str:
    import tomllib

    return tomllib.loads(c.file.read_text()).get("notes", "") if c.file else ""


def test_expected_failures_are_the_documented_pitfalls(claims):
    fails = {c.id for c in claims if c.expected == "FAIL"}
    for must in ("T04-fgm-lamN1-index-error", "T04-ogm-at-xN", "T11-transcription-1-over-T",
                 "T22-kingma-ba-adam-regret"):
        assert must in fails, must


def test_every_claim_binds_at_its_defaults(claims):
    """At its defaults every claim is applicable (the built-in catalogue states its theorems where
    they hold; a SKIP at the defaults would be a claim that never runs) and its setting at every
    grid point names the claim's own plugins with validated parameters (no NaN)."""
    for c in claims:
        b = c.bind()
        assert b.skip_reason is None, f"{c.id}: not applicable at its defaults: {b.skip_reason}"
        assert len(b.points) >= 1, c.id
        for x in b.points:
            st = b.setting_at(x)
            assert st["function"][0] == c.function and st["algorithm"][0] == c.algorithm, (c.id, x)
            assert (st.get("noise") is None) == (c.noise is None), (c.id, x)
            for role, comp in st.items():
                if comp is None:
                    continue
                for k, v in comp[1].items():
                    if isinstance(v, float):  # +inf is a value (clip level c = inf: plain SGD)
                        assert not np.isnan(v) and v != -np.inf, (c.id, x, role, k, v)


def test_no_claim_uses_a_dedicated_runner(claims):
    """The former runners are finite-sum oracles of the MC engine (boundcheck/oracles)."""
    for c in claims:
        assert "runner" not in c.engines and c.runner is None, c.id
