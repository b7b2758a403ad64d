"""Properties of the interval logic, over generated quantities and periods."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from verifier.consistency import INVERSE, ClaimFacts, Interval, interval_for, relate
from verifier.grouping import blocking_keys

QUALIFIERS = ("exact", "approximate", "more_than", "at_least", "less_than", "at_most", "range")
values = st.integers(min_value=1, max_value=5000).map(float)
days = st.integers(min_value=0, max_value=2000).map(lambda d: date(2020, 1, 1) + timedelta(d))


@st.composite
def periods(draw: st.DrawFn) -> tuple[date | None, date | None]:
    start, end = sorted((draw(days), draw(days)))
    return (None if draw(st.booleans()) and draw(st.booleans()) else start), end


@st.composite
def claims(draw: st.DrawFn, *, period: tuple | None = None, unit: str | None = None) -> ClaimFacts:
    qualifier = draw(st.sampled_from(QUALIFIERS))
    low, high = sorted((draw(values), draw(values)))
    start, end = period or draw(periods())
    return ClaimFacts(
        id=draw(st.integers(min_value=1, max_value=10**6)),
        value=low,
        lower=low,
        upper=high if qualifier == "range" else low,
        qualifier=qualifier,
        unit=unit or draw(st.sampled_from(("child", "ukrainian", "kilometer", "drone"))),
        time_start=start,
        time_end=end,
        places=(draw(st.sampled_from(("Klyazma", "Luhansk Oblast", "Kherson"))),),
    )


@given(claims(), claims())
def test_relate_is_symmetric_up_to_direction(a, b):
    forward, backward = relate(a, b), relate(b, a)
    if a.id == b.id:
        return
    assert (forward is None) == (backward is None)
    if forward is not None:
        assert backward.kind == INVERSE[forward.kind]


@given(claims())
def test_a_claim_is_the_same_as_its_own_restatement(a):
    copy = ClaimFacts(**{**_fields(a), "id": a.id + 1})
    assert relate(a, copy).kind == "same"


@given(claims(), claims())
def test_claims_the_engine_relates_always_share_a_blocking_key(a, b):
    # The period rule of blocking (last four years) holds for periods up to four years long.
    if relate(a, b) is not None and all(_years(c) <= 4 for c in (a, b)):
        assert blocking_keys(a) & blocking_keys(b)


@given(st.data())
def test_same_period_same_unit_contradicts_exactly_when_the_intervals_are_disjoint(data):
    period = data.draw(periods())
    a = data.draw(claims(period=period, unit="child"))
    b = data.draw(claims(period=period, unit="child"))
    b = ClaimFacts(**{**_fields(b), "places": a.places, "id": a.id + 1})
    disjoint = not a.interval.overlaps(b.interval)
    assert (relate(a, b).kind == "contradicts") == disjoint


@given(st.sampled_from(QUALIFIERS), values, values)
def test_an_interval_overlaps_itself_and_holds_its_number(qualifier, v, w):
    low, high = sorted((v, w))
    interval = interval_for(qualifier, low, low, high)
    assert interval.overlaps(interval)
    if qualifier in ("exact", "approximate", "at_least", "at_most", "range"):
        assert interval.overlaps(Interval(low, low))


@given(values, values)
def test_open_ends_do_not_meet(v, w):
    assert not Interval(v, v).overlaps(Interval(v, float("inf"), lower_open=True))
    assert Interval(0, v).overlaps(Interval(v, v))
    assert not Interval(0, v, upper_open=True).overlaps(Interval(v, v))
    assert Interval(min(v, w), max(v, w)).overlaps(Interval(max(v, w), max(v, w) + 1))


def _fields(c: ClaimFacts) -> dict:
    names = [f for f in ClaimFacts.__dataclass_fields__ if ClaimFacts.__dataclass_fields__[f].init]
    return {name: getattr(c, name) for name in names}


def _years(c: ClaimFacts) -> int:
    start, end = c.period.start, c.period.end
    if start is None:
        return 99  # "as of": open towards the past
    return end.year - start.year + 1 if end else 99
