"""The per-entry summary at the top of a verify report (verify/entries.py).

Built from small ClaimResult-shaped records, so the grading, the counting and the "what it would
have caught" line are checked without running any claim.
"""
from types import SimpleNamespace as NS

from boundcheck import evidence
from boundcheck.verify import entries


def result(cid, verdict, expected="PASS", res=None):
    th = evidence.Thresholds()
    v = None if verdict is None else NS(verdict=verdict, unexpected=(verdict == "FAIL" and expected == "PASS")
                                        or (verdict == "PASS" and expected == "FAIL"))
    return NS(claim=NS(id=cid, expected=expected, thresholds=th), verdict=v, resolution=res)


def fac(k):
    return evidence.factor(k).as_dict()


def test_entry_of_takes_the_leading_token():
    assert entries.entry_of("T04-fgm-lamN") == "T04"
    assert entries.entry_of("T25") == "T25"
    assert entries.entry_of("my-claim") == "my"


def test_best_grade_counts_only_passes_expected_to_pass():
    rows = entries.summarise([
        result("T02-a", "PASS", res=fac(10.0)),            # weak
        result("T02-b", "PASS", res=fac(1.2)),             # strong
        result("T02-c", "FAIL", expected="FAIL"),         # negative control that did its job
        result("T05-a", "PASS", expected="FAIL", res=fac(1.1)),  # unexpected PASS: no evidence
        result("T05-b", "PASS", res=fac(3.0)),             # moderate
        result("T09-a", "INCONCLUSIVE"),
        result("T10-a", None),
    ])
    by = {r.entry: r for r in rows}
    assert [r.entry for r in rows] == ["T02", "T05", "T09", "T10"]
    assert by["T02"].best_grade == "strong" and by["T02"].best_claim == "T02-b"
    assert by["T02"].controls_failed == ["T02-c"] and by["T02"].n_controls == 1
    assert by["T05"].best_grade == "moderate" and by["T05"].best_claim == "T05-b"
    assert by["T05"].verdicts["unexpected"] == 1
    assert by["T09"].best_grade == "none" and "nothing" in by["T09"].caught_text()
    assert by["T10"].verdict_text() == "1 SKIP"
    assert "1.2" in by["T02"].caught_text() and "T02-c FAILed as expected" in by["T02"].caught_text()


def test_finer_resolution_wins_within_a_grade():
    rows = entries.summarise([result("T01-a", "PASS", res=fac(1.4)), result("T01-b", "PASS", res=fac(1.01))])
    assert rows[0].best_claim == "T01-b"


def test_markdown_table_lists_every_entry_and_counts_strong_ones():
    res = [result("T01-a", "PASS", res=fac(1.0)), result("T12-a", "PASS", res=fac(50.0)),
           result("T12-b", "FAIL", expected="FAIL")]
    md = "\n".join(entries.markdown(res))
    assert "| T01 | 1 | strong | 1 PASS |" in md
    assert "| T12 | 2 (1 negative control) | weak | 1 PASS, 1 FAIL (expected) |" in md
    assert "1 of 2 entries have a PASS graded strong" in md
    assert entries.markdown(res[:1]) == []  # one entry: no summary table
