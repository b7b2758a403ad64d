"""The machine score moves the way its documented formula says, and explains itself."""

from __future__ import annotations

from dataclasses import replace

from tests.verification.facts import facts
from verifier.consistency import relate
from verifier.independence import independent_sources
from verifier.scoring import is_party, score


def _claim(source_id: int, grade: str = "B", **fields: object):
    return facts(
        39,
        source_id=source_id,
        source_name=f"Outlet {source_id}",
        source_grade=grade,
        statement=fields.pop("statement", f"Outlet {source_id} says 39."),
        **fields,
    )


def _score(claim, *others):
    return score(claim, [(o, relate(claim, o)) for o in others])


def test_a_lone_claim_scores_from_its_grade_and_credibility():
    assert (
        _score(_claim(1, "A")).value > _score(_claim(1, "C")).value > _score(_claim(1, "E")).value
    )
    assert _score(_claim(1, "F")).value == 0.5
    assert _score(_claim(1, "B", credibility=2)).value > _score(_claim(1, "B")).value


def test_independent_agreement_raises_the_score_and_says_so():
    alone = _score(_claim(1))
    backed = _score(_claim(1), _claim(2, "B"))
    assert backed.value > alone.value
    assert "2 independent sources (Outlet 1 graded B; Outlet 2 graded B)" in backed.explanation


def test_copies_of_one_origin_count_once():
    syndicated = _claim(2, statement="Outlet 1 says 39.")
    same_originator = _claim(3, attributed_to="the regional ombudsman")
    original = _claim(1, attributed_to="the regional ombudsman")
    result = _score(original, syndicated, same_originator)
    assert result.value == _score(_claim(1, attributed_to="the regional ombudsman")).value
    assert "1 independent source" in result.explanation


def test_circular_reporting_is_detected_and_counted_once():
    a = _claim(1, cited_source_ids=(2,))
    b = _claim(2, cited_source_ids=(1,))
    c = _claim(3)
    independence = independent_sources([a, b, c])
    assert len(independence.clusters) == 2
    assert independence.circular[0].source_names == ("Outlet 1", "Outlet 2")
    result = score(a, [(b, relate(a, b)), (c, relate(a, c))], independence)
    assert "circular reporting" in result.explanation


def test_a_contradiction_lowers_the_score_and_names_the_rival():
    rival = replace(facts(45), source_id=9, source_name="Channel Z", source_grade="E")
    result = _score(_claim(1), rival)
    assert result.value < _score(_claim(1)).value
    assert "contradicted by claim" in result.explanation and "Channel Z" in result.explanation


def test_a_refuted_rival_does_not_count():
    rival = replace(facts(45), source_id=9, status="refuted")
    assert _score(_claim(1), rival).value == _score(_claim(1)).value


def test_party_attribution_and_hedges_lower_the_score():
    plain = _score(_claim(1)).value
    assert _score(_claim(1, attributed_to="Russian Ministry of Defense")).value < plain
    assert _score(_claim(1, hedges=("reportedly",))).value < plain
    assert _score(_claim(1, hedges=("reported",))).value == plain
    assert is_party("Ukraine's Ombudsman") and not is_party("Local media")


def test_decisions_on_related_claims_move_the_score_but_its_own_does_not():
    plain = _score(_claim(1), _claim(2)).value
    assert _score(_claim(1), _claim(2, status="verified")).value > plain
    own = _score(_claim(1, status="verified"), _claim(2))
    assert own.value == plain, "the score is a second opinion, not an echo of the reviewer"
    assert own.explanation == _score(_claim(1), _claim(2)).explanation
    rival = replace(facts(45), source_id=9, source_name="Channel Z", status="verified")
    assert (
        _score(_claim(1), rival).value
        < _score(_claim(1), replace(rival, status="unreviewed")).value
    )


def test_the_score_stays_within_bounds():
    best = _score(
        _claim(1, "A", credibility=1), *[_claim(i, "A", status="verified") for i in range(2, 9)]
    )
    rivals = [replace(facts(45 + i), source_id=10 + i, status="verified") for i in range(5)]
    worst = _score(_claim(1, "E", credibility=5, hedges=("allegedly",)), *rivals)
    assert 0.01 <= worst.value < 0.1 and 0.9 < best.value <= 0.99
