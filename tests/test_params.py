"""Parameter validation: messages name the parameter and its domain (property-based)."""
import math

import pytest
from hypothesis import given, strategies as st

from boundcheck.errors import ParamError, SpecSyntaxError
from boundcheck.params import Choice, Interval, Param, Relation, validate
from boundcheck.spec import parse_kv, parse_spec

ALPHA = Param("alpha", Interval(1, 2, lo_open=True), 2.0, "moment order")


def test_message_format_is_pinned():
    with pytest.raises(ParamError, match=r"^'alpha' must be in \(1, 2\] \(got 2.5\)$"):
        ALPHA.check("2.5")


@given(st.floats(allow_nan=False, allow_infinity=True))
def test_interval_accepts_exactly_its_domain(v):
    inside = 1 < v <= 2
    if inside:
        assert ALPHA.check(v) == v
    else:
        with pytest.raises(ParamError, match="'alpha' must be in"):
            ALPHA.check(v)


@given(st.text(min_size=1).filter(lambda s: _not_number(s)))
def test_non_numbers_are_rejected_with_the_name(s):
    with pytest.raises(ParamError, match="'alpha' must be a number"):
        ALPHA.check(s)


def _not_number(s):
    try:
        float(s.strip().lower().replace("infinity", "inf"))
        return False
    except ValueError:
        return True


@given(st.integers(min_value=-5, max_value=5), st.floats(0.01, 0.99))
def test_integer_domain(k, frac):
    p = Param("N", Interval(1, math.inf, integer=True), 1, "horizon")
    if k >= 1:
        assert p.check(str(k)) == k
    else:
        with pytest.raises(ParamError):
            p.check(k)
    with pytest.raises(ParamError, match="integer"):
        p.check(k + frac)


def test_validate_fills_defaults_rejects_unknown_and_relations():
    ps = (Param("L", Interval(0, math.inf, lo_open=True), 1.0), Param("mu", Interval(0, math.inf, lo_open=True), 0.1))
    rel = (Relation(lambda p: p["mu"] <= p["L"], "'mu' must be <= 'L'"),)
    assert validate(ps, {}, owner="c", relations=rel) == {"L": 1.0, "mu": 0.1}
    with pytest.raises(ParamError, match="did you mean 'mu'"):
        validate(ps, {"muu": 1}, owner="c")
    with pytest.raises(ParamError, match="'mu' must be <= 'L'"):
        validate(ps, {"mu": 2}, owner="c", relations=rel)
    with pytest.raises(ParamError, match="one of"):
        Param("kind", Choice(("a", "b")), "a").check("c")


def test_spec_grammar():
    s = parse_spec("smooth-strongly-convex[L=1,mu=0.1]")
    assert s.name == "smooth-strongly-convex" and s.params == {"L": "1", "mu": "0.1"}
    assert parse_spec("sgd[gamma=min(1,1/sqrt(t))]").params == {"gamma": "min(1,1/sqrt(t))"}
    assert parse_kv("alpha=1.5") == {"alpha": "1.5"}
    for bad in ["", "Foo", "gd[h=1", "gd[h]", "gd[h=]", "gd[h=1,h=2]", "gd[h=(1]"]:
        with pytest.raises(SpecSyntaxError):
            parse_spec(bad)
