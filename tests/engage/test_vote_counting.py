"""Civil Code art. 278 counted exactly (issue 15 item 5): hand-computed cases at the edge of every threshold.

Notation: each elector is (area in m², choice on matter 1) or (area, None) for an owner who did not vote.
"≥" (以上) includes the threshold; "> 1/2" (过半数) is strictly more than half.
"""

from decimal import Decimal

import pytest

from propdesk.engage.models import NonVoters
from propdesk.engage.votes.counting import FAILED, INVALID, PASSED, ElectorVote, decide

ORDINARY, SPECIAL = "4", "6"  # hiring the property company; raising the maintenance fund


def vote(rows, item=ORDINARY, rule=NonVoters.NOT_COUNTED):
    electors = [ElectorVote(Decimal(str(area)), None if choice is None else {"1": choice}) for area, choice in rows]
    return decide(electors, [(1, item)], rule)


def outcome(rows, item=ORDINARY, rule=NonVoters.NOT_COUNTED):
    return vote(rows, item, rule).matters[0].outcome


def test_participation_of_exactly_two_thirds_is_enough():
    # 200 of 300 m² and 2 of 3 owners take part: exactly 2/3 of both, "以上" includes it
    result = vote([(100, "for"), (100, "for"), (100, None)])
    assert [t.met for t in result.participation] == [True, True] and result.valid
    assert result.matters[0].outcome == PASSED


def test_one_hundredth_of_a_square_metre_below_two_thirds_is_invalid():
    # 199.99 of 299.99 m²: 2/3 of 299.99 is 199.9933…; 199.99 is short by 0.0033 m²
    assert outcome([(100, "for"), (99.99, "for"), (100, None)]) == INVALID
    # and one hundredth more makes it: 200.00 of 300.00
    assert outcome([(100, "for"), (100, "for"), (100, None)]) == PASSED


def test_areas_that_a_float_would_get_wrong_are_counted_exactly():
    # 33.33 + 33.34 = 66.67 of 100.00 m² ≥ 2/3 (66.666…); 33.33 + 33.33 = 66.66 is not
    three = [(33.33, "for"), (33.34, "for"), (33.33, None)]
    assert vote(three).participation[0].met
    assert not vote([(33.33, "for"), (33.33, "for"), (33.34, None)]).participation[0].met


def test_participation_needs_two_thirds_of_the_owners_too():
    # the area is there (300 of 400 m²) but only 1 owner of 3 takes part
    assert outcome([(300, "for"), (50, None), (50, None)]) == INVALID


def test_exactly_half_is_not_more_than_half():
    # 2 owners, 100 m² each, one for one against: 1/2 of area and heads, not "过半数"
    assert outcome([(100, "for"), (100, "against")]) == FAILED
    # one square metre more for: area 101/201 > 1/2 but heads still 1/2: failed
    assert outcome([(101, "for"), (100, "against")]) == FAILED
    # one owner more for: 2/3 of heads and of area
    assert outcome([(100, "for"), (100, "for"), (100, "against")]) == PASSED


def test_abstentions_count_as_taking_part_but_not_as_agreeing():
    # 3 take part (valid); 1 for, 1 against, 1 abstains: for is 1/3 of the participants
    assert outcome([(100, "for"), (100, "against"), (100, "abstain")]) == FAILED


def test_exactly_three_quarters_passes_a_special_matter():
    rows = [(100, "for"), (100, "for"), (100, "for"), (100, "against")]
    assert outcome(rows, SPECIAL) == PASSED  # 300/400 m² and 3/4 owners: "以上"
    assert outcome(rows, ORDINARY) == PASSED


def test_one_owner_fewer_than_three_quarters_fails_a_special_matter():
    rows = [(100, "for"), (100, "for"), (100, "against"), (100, "against")]
    assert outcome(rows, SPECIAL) == FAILED  # 2/4
    # 3 of 4 owners but 299.99 of 400 m²: the area falls short of 3/4 (300)
    rows = [(100, "for"), (100, "for"), (99.99, "for"), (100.01, "against")]
    assert outcome(rows, SPECIAL) == FAILED


def test_both_area_and_headcount_must_agree():
    # one large owner for (600 m²), three small against (100 each): area 600/900 > 1/2, heads 1/4: failed
    assert outcome([(600, "for"), (100, "against"), (100, "against"), (100, "against")]) == FAILED
    # the opposite: three small for, one large against: heads 3/4 > 1/2, area 300/900: failed
    assert outcome([(100, "for"), (100, "for"), (100, "for"), (600, "against")]) == FAILED


def test_the_rules_of_procedure_decide_how_non_voters_count():
    # 4 owners × 100 m²: two for, one against, one did not vote
    rows = [(100, "for"), (100, "for"), (100, "against"), (100, None)]
    # not counted (default): 3 take part; for = 2/3 of them: an ordinary matter passes, a special one fails
    assert outcome(rows, ORDINARY) == PASSED and outcome(rows, SPECIAL) == FAILED
    # counted as agreeing to nothing: 4 take part; for = 1/2, not more than half
    assert outcome(rows, ORDINARY, NonVoters.ABSTAIN) == FAILED
    # counted with the majority of the votes cast (for leads in area and heads): for = 3/4
    with_majority = vote(rows, SPECIAL, NonVoters.WITH_MAJORITY)
    assert with_majority.matters[0].non_voters_joined == "for" and with_majority.matters[0].outcome == PASSED


def test_with_majority_non_voters_join_no_side_when_area_and_heads_disagree():
    rows = [(300, "for"), (100, "against"), (100, "against"), (100, None), (100, None)]
    result = vote(rows, ORDINARY, NonVoters.WITH_MAJORITY)
    assert result.matters[0].non_voters_joined == "abstain"
    assert result.matters[0].outcome == FAILED  # for: 300 of 700 m², 1 of 5 owners


def test_the_participation_rule_applies_to_every_matter_alike():
    electors = [ElectorVote(Decimal("100"), {"1": "for", "2": "against"}), ElectorVote(Decimal("100"), None),
                ElectorVote(Decimal("100"), None)]
    result = decide(electors, [(1, ORDINARY), (2, SPECIAL)])
    assert not result.valid and [m.outcome for m in result.matters] == [INVALID, INVALID]


def test_percentages_are_rounded_for_display_only():
    result = vote([(100, "for"), (100, "for"), (100, None)])
    share = result.participation[0].share
    assert str(share.percent) == "66.67" and share.fraction == pytest.approx(2 / 3) and share.fraction * 3 == 2


def test_nobody_in_the_electorate_is_never_valid():
    assert outcome([]) == INVALID
