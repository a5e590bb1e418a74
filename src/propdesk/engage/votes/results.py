"""A vote's result as people read it: for each matter the area and headcount figures against both thresholds
of Civil Code art. 278, and in words why it passed, failed or was invalid; the PDF and the .xlsx of it."""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ..exports import workbook
from ..models import Ballot, NonVoters, Vote
from . import counting


def _area(value) -> str:
    return f"{Decimal(value):,.2f}"


def threshold_text(t: counting.Threshold, what: str) -> str:
    """'participating area 6,667.00 of 10,000.00 m² = 66.67 %, needs ≥ 2/3: met'."""
    measure = (_("area %(part)s of %(whole)s m²") % {"part": _area(t.share.part), "whole": _area(t.share.whole)}
               if t.measure == "area" else
               _("owners %(part)d of %(whole)d") % {"part": t.share.part, "whole": t.share.whole})
    verdict = _("met") if t.met else _("not met")
    return _("%(what)s %(measure)s = %(percent)s %%, needs %(rule)s: %(verdict)s") % {
        "what": what, "measure": measure, "percent": t.share.percent, "rule": t.rule, "verdict": verdict}


def why(result: counting.VoteResult, matter: counting.MatterResult) -> str:
    """The sentence that says why the matter passed, failed or was invalid."""
    if matter.outcome == counting.INVALID:
        missing = [t for t in result.participation if not t.met]
        which = "、".join(_("the area") if t.measure == "area" else _("the number of owners") for t in missing)
        return _("Invalid: the owners taking part do not reach two thirds of %(which)s (Civil Code art. 278 "
                 "para. 2).") % {"which": which}
    rule = (_("at least three quarters of the participating area and of the participating owners (art. 278, "
              "items 6 to 8)") if matter.special else
            _("more than half of the participating area and of the participating owners (art. 278)"))
    if matter.outcome == counting.PASSED:
        return _("Passed: the votes for reach %(rule)s.") % {"rule": rule}
    short = "、".join(_("the area") if t.measure == "area" else _("the number of owners")
                     for t in matter.agreement if not t.met)
    return _("Failed: the votes for do not reach %(rule)s — short on %(which)s.") % {"rule": rule, "which": short}


@dataclass
class MatterRow:
    matter: object
    result: counting.MatterResult
    why: str
    lines: list[str]


def rows_of(vote: Vote, result: counting.VoteResult) -> list[MatterRow]:
    matters = {m.pk: m for m in vote.matters.all()}
    participation = [threshold_text(t, _("Taking part:")) for t in result.participation]
    rows = []
    for m in result.matters:
        agreement = [threshold_text(t, _("For:")) for t in m.agreement]
        rows.append(MatterRow(matters[m.matter_id], m, why(result, m), participation + agreement))
    return rows


def context(vote: Vote) -> dict:
    result = counting.count(vote)
    return {"vote": vote, "result": result, "rows": rows_of(vote, result), "ballots": vote.ballots.count(),
            "final": vote.status == Vote.Status.CLOSED, "rule": NonVoters(vote.non_voters).label,
            "outcomes": {counting.PASSED: pgettext("vote", "Passed"), counting.FAILED: _("Failed"), counting.INVALID: _("Invalid")},
            "built_at": timezone.localtime()}


def result_pdf(vote: Vote) -> bytes:
    from weasyprint import HTML

    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string("engage/pdf/vote_result.html", {**context(vote), "language": settings.LANGUAGE_CODE})
    return HTML(string=html).write_pdf()


def result_xlsx(vote: Vote) -> bytes:
    """Sheet 1: each matter's figures and outcome; sheet 2: every ballot (owner, area, how given, choices)."""
    data = context(vote)
    res = data["result"]
    head = [_("Matter"), _("Art. 278 item"), _("Outcome"), _("Why"), _("Area for (m²)"), _("Area against (m²)"),
            _("Area abstaining (m²)"), _("Owners for"), _("Owners against"), _("Owners abstaining"),
            _("Participating area (m²)"), _("Participating owners"), _("Total area (m²)"), _("Owners in all")]
    rows = []
    for row in data["rows"]:
        s = row.result.sides
        rows.append([f"{row.matter.number}. {row.matter.title}", row.matter.get_item_display(),
                     str(data["outcomes"][row.result.outcome]), row.why,
                     s[counting.FOR].area, s[counting.AGAINST].area, s[counting.ABSTAIN].area,
                     s[counting.FOR].heads, s[counting.AGAINST].heads, s[counting.ABSTAIN].heads,
                     res.participants.area, res.participants.heads, res.total.area, res.total.heads])
    matters = list(vote.matters.all())
    ballots = Ballot.objects.filter(vote=vote).select_related("elector").order_by("elector__units_label")
    label = {c: str(t) for c, t in ((counting.FOR, _("for")), (counting.AGAINST, _("against")),
                                    (counting.ABSTAIN, _("abstain")))}
    ballot_rows = ([b.elector.label, b.elector.units_label, b.elector.area, b.get_via_display(), b.paper_ref,
                    b.proxy_name, b.proxy_ref, b.revision, b.updated_at]
                   + [label.get(b.choices.get(str(m.pk)), "") for m in matters] for b in ballots)
    ballot_head = [_("Owner"), _("Units"), _("Area (m²)"), _("Given via"), _("Paper ballot number"), _("Proxy"),
                   _("Power of attorney"), _("Version"), _("Last given")] + [f"{m.number}." for m in matters]
    return workbook(_("Result"), head, rows, sheets=[(_("Ballots"), ballot_head, ballot_rows)])
