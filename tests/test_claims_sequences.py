"""Sequences defined by recurrence in claims (claims/sequences.py): exact values, linear cost,
one-line input errors, and T04's FGM/OGM bounds over an N grid."""
from __future__ import annotations

import math
import textwrap

import numpy as np
import pytest

from boundcheck.claims import load_catalogue
from boundcheck.claims.formula import numpy_function, parse
from boundcheck.claims.sequences import parse_sequences
from boundcheck.errors import FormulaError, UsageError

FGM = {"lam": ["lam(1) = 1", "lam(k+1) = (1 + sqrt(1 + 4*lam(k)^2))/2"]}
OGM = {"theta": ["theta(0) = 1", "theta(k+1) = (1 + sqrt(1 + 4*theta(k)^2))/2"]}


def _hand_lam(n):
    x = 1.0
    for _ in range(n - 1):
        x = (1 + math.sqrt(1 + 4 * x * x)) / 2
    return x


def test_values_at_small_n_match_the_hand_recursion():
    lam = parse_sequences(FGM, "t")["lam"]
    assert float(lam.term(1)) == 1.0
    assert float(lam.term(2)) == pytest.approx((1 + math.sqrt(5)) / 2, rel=1e-15)
    for n in (3, 5, 6, 10):
        assert float(lam.term(n)) == pytest.approx(_hand_lam(n), rel=1e-14)
    assert float(lam.term(5)) == pytest.approx(3.29488, abs=1e-5)  # T04's unrolled lam_5


def test_a_bound_with_a_sequence_on_a_grid_and_ogm_s_last_step():
    seqs = parse_sequences({**FGM, **OGM}, "t")
    fgm = numpy_function(parse("L*R^2/(2*lam(N)^2)", {"L", "R", "N"}, sequences=seqs))
    v = fgm(L=1.0, R=1.0, N=np.array([1.0, 2.0, 5.0]))
    assert v == pytest.approx([0.5, 1 / (2 * ((1 + math.sqrt(5)) / 2) ** 2), 0.0460565], rel=1e-6)
    ogm = numpy_function(parse("L*R^2/(2*((1 + sqrt(1 + 8*theta(N - 1)^2))/2)^2)", {"L", "R", "N"}, sequences=seqs))
    assert ogm(L=1.0, R=1.0, N=np.array([1.0, 5.0])) == pytest.approx([0.125, 1 / (2 * 5.18641 ** 2)], rel=1e-5)


def test_evaluation_is_linear_in_n_memoised_across_calls():
    lam = parse_sequences(FGM, "t")["lam"]
    f = numpy_function(parse("1/lam(N)", {"N"}, sequences={"lam": lam}))
    f(N=np.array([1.0, 10.0, 100.0, 1000.0]))
    assert lam.steps == 999                     # one recurrence step per term up to N = 1000
    f(N=np.array([500.0, 1000.0]))
    assert lam.steps == 999                     # memoised: nothing recomputed
    assert float(lam.term(1000)) == pytest.approx(_hand_lam(1000), rel=1e-12)


def test_a_sequence_may_use_an_earlier_one_and_reach_two_terms_back():
    seqs = parse_sequences({"fib": ["fib(0) = 0", "fib(1) = 1", "fib(k+2) = fib(k+1) + fib(k)"],
                            "g": ["g(0) = 1", "g(k+1) = g(k) + fib(k)"]}, "t")
    assert [int(seqs["fib"].term(n)) for n in range(10)] == [0, 1, 1, 2, 3, 5, 8, 13, 21, 34]
    assert int(seqs["fib"].term(100)) == 354224848179261915075  # 50 digits: exact at this size
    assert int(seqs["g"].term(5)) == 8  # 1 + fib(0) + ... + fib(4)


@pytest.mark.parametrize("table, needle", [
    ({"lam": ["lam(k+1) = (1 + sqrt(1 + 4*lam(k)^2))/2"]}, "no base case"),
    ({"lam": ["lam(1) = 1", "lam(k+1) = lam(k+1) + 1"]}, "never end"),
    ({"lam": ["lam(1) = 1", "lam(k) = lam(k+2)"]}, "never end"),
    ({"lam": ["lam(1) = 1"]}, "no recurrence"),
    ({"lam": ["lam(1) = 1", "lam(k+2) = lam(k)"]}, "base case"),
    ({"lam": ["lam(1) = 1", "lam(3) = 1", "lam(k+1) = lam(k)"]}, "consecutive"),
    ({"lam": ["lam(1) = 1", "lam(k+1) = __import__('os')"]}, "only the functions"),
    ({"lam": ["lam(1) = 1", "lam(k+1) = lam(k) + L"]}, "unknown name"),
    ({"lam": ["lam(1) = 1", "mu(k+1) = 2"]}, "left-hand side"),
    ({"sqrt": ["sqrt(1) = 1", "sqrt(k+1) = 2"]}, "built-in"),
])
def test_bad_definitions_are_one_line_formula_errors(table, needle):
    with pytest.raises(FormulaError) as e:
        parse_sequences(table, "f.toml:3")
    assert needle in str(e.value) and "\n" not in str(e.value)


def test_a_non_finite_term_and_an_index_below_the_start_are_errors():
    s = parse_sequences({"q": ["q(1) = 1", "q(k+1) = 1/(q(k) - 1)"]}, "t")["q"]
    with pytest.raises(FormulaError, match=r"q\(2\) is not a finite real number"):
        s.term(2)
    lam = parse_sequences(FGM, "t")["lam"]
    with pytest.raises(FormulaError, match="below its first base case"):
        lam.term(0)


# ----------------------------------------------------------------------------- in catalogue files
HEAD = """
title = "test"
[sequences]
lam = ["lam(1) = 1", "lam(k+1) = (1 + sqrt(1 + 4*lam(k)^2))/2"]
theta = ["theta(0) = 1", "theta(k+1) = (1 + sqrt(1 + 4*theta(k)^2))/2"]
[params]
L = { default = 1.0, domain = "(0, inf)", doc = "L" }
R = { default = 1.0, domain = "(0, inf)", doc = "R" }
[setting]
algorithm = { name = "fgm", h = 1 }
function = { name = "smooth-convex", L = "L", R = "R" }
[check]
N = [1, 2, 5, 10]
runs = 1
seed = 0
confidence = 0.95
index = "N steps"
"""


def _claim(cid, bound, engines='["pep"]', algorithm="fgm", iterate="last"):
    return f"""
[[claim]]
id = "{cid}"
kind = "upper"
metric = "f_gap"
iterate = "{iterate}"
bound = "{bound}"
engines = {engines}
expected = "PASS"
[claim.setting]
algorithm = {{ name = "{algorithm}", h = 1 }}
[claim.citation]
authors = ["test"]
year = 2024
title = "test"
venue = "test"
theorem = "1"
"""


def _load(tmp_path, text):
    d = tmp_path / "cat"
    d.mkdir(exist_ok=True)
    (d / "c.toml").write_text(textwrap.dedent(text))
    return load_catalogue([d])


def test_a_claim_indexing_below_the_sequence_is_a_catalogue_input_error(tmp_path):
    with pytest.raises(UsageError) as e:
        _load(tmp_path, HEAD + _claim("bad", "L*R^2/(2*lam(N - 1)^2)"))
    assert e.value.exit_code == 2 and "below its first base case" in str(e.value)


def test_t04_bounds_pass_on_a_grid_with_the_pep_and_a_10_percent_smaller_one_fails(tmp_path):
    """FGM's L R^2/(2 lam_N^2) holds on the grid; OGM's L R^2/(2 theta_N^2) at y_N is exact, so 0.9 of it
    fails (FGM's bound is not tight: its worst case is 0.76 of it at N = 5)."""
    from boundcheck.verify import verify_claims

    ogm = "L*R^2/(2*((1 + sqrt(1 + 8*theta(N - 1)^2))/2)^2)"
    claims = _load(tmp_path, HEAD + _claim("fgm", "L*R^2/(2*lam(N)^2)")
                   + _claim("ogm", ogm, algorithm="ogm", iterate="out")
                   + _claim("ogm-low", "0.9*" + ogm, algorithm="ogm", iterate="out"))
    fgm, ogm_ok, low = verify_claims(claims).results
    assert fgm.verdict.verdict == "PASS", fgm.verdict.reason
    assert ogm_ok.verdict.verdict == "PASS", ogm_ok.verdict.reason
    assert low.verdict.verdict == "FAIL", low.verdict.reason
    assert len(fgm.pep_info) == len(low.pep_info) == 4


def test_the_t04_claims_use_the_recurrence_on_a_grid():
    claims = {c.id: c for c in load_catalogue() if c.id.startswith("T04-")}
    for cid in ("T04-fgm-lamN", "T04-fgm-lamN1-index-error", "T04-ogm-tight"):
        c = claims[cid]
        assert "lam(" in c.bound_text or "theta(" in c.bound_text
        assert "sqrt(4*((1" not in c.bound_text          # no hand-unrolled nest
        assert len(c.check.N) >= 4


def test_info_of_a_claim_shows_the_sequences_its_bound_uses():
    from boundcheck.describe import info

    text = info("T04-ogm-tight")
    assert "where theta: theta(0) = 1; theta(k+1) = (1 + sqrt(1 + 4*theta(k)^2))/2" in text
