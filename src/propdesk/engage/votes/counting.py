"""How a vote of the owners is counted: Civil Code art. 278 and the SPC interpretation on building ownership
disputes arts. 8–9 (see /LAW.md of the product brief; issue 15 item 5). The one place of these rules.

- Participation (参与表决): the vote is valid only when the owners taking part hold at least two thirds of
  the exclusive area AND are at least two thirds of the owners. "以上" includes the threshold itself.
- Agreement: a matter of art. 278 items (6)–(8) — raising the maintenance fund, renovating or rebuilding,
  changing the use of common parts or using them for business — passes with at least three quarters of
  the participating area AND at least three quarters of the participating owners; every other matter with
  more than half of both ("过半数" is strictly more than half, Civil Code art. 1259).
- Owners are counted as the electorate was fixed when the vote opened (votes.electorate): one per owner
  however many units they hold, co-owners of a unit as one, the developer's unsold or undelivered units as
  one in all; the exclusive area is the units' registered area.
- Owners who did not vote are treated as the project's rules of procedure say (NonVoters, fixed when the
  vote opened): not counted as taking part (the default); counted as taking part but agreeing to nothing;
  or counted as taking part with the majority of the votes cast on each matter (the side, for or against,
  that leads in both area and headcount; with no such side they agree to nothing).

Every comparison is exact: areas are Decimals of two places turned into Fractions, headcounts integers;
nothing is ever a float. Percentages are rounded (half up) for display only.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from ..models import Matter, NonVoters

FOR, AGAINST, ABSTAIN = "for", "against", "abstain"
CHOICES = (FOR, AGAINST, ABSTAIN)
TWO_THIRDS, THREE_QUARTERS, HALF = Fraction(2, 3), Fraction(3, 4), Fraction(1, 2)
SPECIAL_ITEMS = (Matter.Item.RAISE_FUND, Matter.Item.REBUILD, Matter.Item.COMMON_PARTS)
PASSED, FAILED, INVALID = "passed", "failed", "invalid"


@dataclass(frozen=True)
class Share:
    """`part` of `whole`: an area in m² (Decimal) or a headcount (int)."""

    part: Decimal | int
    whole: Decimal | int

    @property
    def fraction(self) -> Fraction:
        return Fraction(self.part) / Fraction(self.whole) if self.whole else Fraction(0)

    @property
    def percent(self) -> Decimal:
        exact = self.fraction * 100
        return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)


@dataclass(frozen=True)
class Threshold:
    """One test of the law: `share` must reach `required` (≥), or exceed it when `strict` (>)."""

    measure: str  # "area" or "heads"
    share: Share
    required: Fraction
    strict: bool = False

    @property
    def met(self) -> bool:
        if not self.share.whole:
            return False
        return self.share.fraction > self.required if self.strict else self.share.fraction >= self.required

    @property
    def rule(self) -> str:
        return f"{'>' if self.strict else '≥'} {self.required.numerator}/{self.required.denominator}"


@dataclass(frozen=True)
class Side:
    area: Decimal = Decimal("0")
    heads: int = 0

    def __add__(self, other: "Side") -> "Side":
        return Side(self.area + other.area, self.heads + other.heads)


@dataclass
class MatterResult:
    matter_id: int
    item: str
    special: bool
    sides: dict  # {FOR|AGAINST|ABSTAIN: Side}, non-voters included as the rule says
    non_voters_joined: str | None  # the side the non-voters were added to, if any
    agreement: list[Threshold] = field(default_factory=list)
    outcome: str = INVALID


@dataclass
class VoteResult:
    total: Side
    voted: Side
    participants: Side
    non_voters: str
    participation: list[Threshold]
    matters: list[MatterResult]

    @property
    def valid(self) -> bool:
        return all(t.met for t in self.participation)


@dataclass(frozen=True)
class ElectorVote:
    """One elector as the count sees them: their area, and their choices ({matter id: choice}) or None."""

    area: Decimal
    choices: dict | None


def decide(electors: list[ElectorVote], matters: list[tuple[int, str]], non_voters: str = NonVoters.NOT_COUNTED
           ) -> VoteResult:
    """Count a vote: `matters` are (id, art. 278 item). Pure: no database, every rule of the module."""
    total = sum((Side(e.area, 1) for e in electors), Side())
    voted = sum((Side(e.area, 1) for e in electors if e.choices is not None), Side())
    absent = Side(total.area - voted.area, total.heads - voted.heads)
    participants = voted if non_voters == NonVoters.NOT_COUNTED else total
    participation = [Threshold("area", Share(participants.area, total.area), TWO_THIRDS),
                     Threshold("heads", Share(participants.heads, total.heads), TWO_THIRDS)]
    valid = all(t.met for t in participation)
    results = []
    for matter_id, item in matters:
        sides = {c: Side() for c in CHOICES}
        for e in electors:
            if e.choices is not None:
                choice = e.choices.get(str(matter_id), ABSTAIN)
                sides[choice if choice in CHOICES else ABSTAIN] += Side(e.area, 1)
        joined = None
        if non_voters == NonVoters.ABSTAIN:
            joined = ABSTAIN
        elif non_voters == NonVoters.WITH_MAJORITY:
            f, a = sides[FOR], sides[AGAINST]
            joined = FOR if f.area > a.area and f.heads > a.heads else (
                AGAINST if a.area > f.area and a.heads > f.heads else ABSTAIN)
        if joined is not None:
            sides[joined] += absent
        special = item in SPECIAL_ITEMS
        required, strict = (THREE_QUARTERS, False) if special else (HALF, True)
        agreement = [Threshold("area", Share(sides[FOR].area, participants.area), required, strict),
                     Threshold("heads", Share(sides[FOR].heads, participants.heads), required, strict)]
        outcome = INVALID if not valid else (PASSED if all(t.met for t in agreement) else FAILED)
        results.append(MatterResult(matter_id, item, special, sides, joined, agreement, outcome))
    return VoteResult(total, voted, participants, non_voters, participation, results)


def count(vote) -> VoteResult:
    """Count a vote from its electorate and ballots (the last ballot of each elector)."""
    ballots = dict(vote.ballots.values_list("elector_id", "choices"))
    electors = [ElectorVote(area, ballots.get(pk)) for pk, area in vote.electors.values_list("pk", "area")]
    matters = list(vote.matters.values_list("pk", "item"))
    return decide(electors, matters, vote.non_voters)
