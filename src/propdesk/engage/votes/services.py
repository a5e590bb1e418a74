"""Every write of owners' votes (业主共同决定, issue 15 item 5; PRODUCT.md area 5).

Managers draft a vote (its matters, each with its item of art. 278), open it — which fixes its electorate
(electorate.py) and the rule of the rules of procedure for non-voters — and close it once the deadline has
passed. Each owner entitled gives one ballot: in the portal (the owner's identity is their sign-in), or
on paper entered by the service centre with the paper's number, or through a proxy recorded with the
power of attorney. A ballot may be changed until the deadline; the last one counts, once; every version
is kept (BallotRevision) and on the owner's card. After the deadline nothing is accepted. Counting is
counting.py.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from propdesk.archive.models import Customer
from propdesk.core import timeline
from propdesk.core.errors import Conflict, NotFound
from propdesk.core.timeline import Message
from propdesk.org.access import ARCHIVE_EDITORS, MANAGERS, has_role, require_project, require_role

from ..models import Ballot, BallotRevision, Elector, Matter, NonVoters, RulesOfProcedure, Vote
from . import counting, electorate

V = Vote.Status
MAX_MATTERS = 30


def can_manage(user) -> bool:
    return has_role(user, MANAGERS)


def rules_for(project) -> RulesOfProcedure:
    rules, _created = RulesOfProcedure.objects.get_or_create(project=project)
    return rules


def set_rules(actor, project, non_voters: str, reference: str = "") -> RulesOfProcedure:
    """Record how the project's rules of procedure treat owners who do not vote (a vote already open keeps
    the rule it opened with)."""
    require_project(actor, project.pk)
    require_role(actor, MANAGERS)
    if non_voters not in NonVoters.values:
        raise ValidationError({"non_voters": _("Select a valid choice.")})
    rules = rules_for(project)
    changes = timeline.diff(rules, {"non_voters": non_voters, "reference": (reference or "").strip()[:200]})
    if changes:
        with transaction.atomic():
            RulesOfProcedure.objects.filter(pk=rules.pk).update(non_voters=non_voters,
                                                                reference=(reference or "").strip()[:200],
                                                                updated_at=timezone.now())
            timeline.record(actor, "engage.rules_of_procedure", Message(
                gettext_noop("Rules of procedure: owners who do not vote are %(rule)s"),
                {"rule": NonVoters(non_voters).label}), subjects=[project], changes=changes)
        rules.refresh_from_db()
    return rules


def _clean_matters(matters) -> list[dict]:
    rows = []
    for n, matter in enumerate(matters or [], start=1):
        title = (matter.get("title") or "").strip()
        item = str(matter.get("item") or "")
        if not title or len(title) > 200:
            raise ValidationError({"matters": _("Matter %(n)d: write the matter (at most 200 characters).") % {"n": n}})
        if item not in Matter.Item.values:
            raise ValidationError({"matters": _("Matter %(n)d: choose its item of art. 278.") % {"n": n}})
        rows.append({"number": n, "title": title, "item": item})
    if not rows:
        raise ValidationError({"matters": _("Put at least one matter to the vote.")})
    if len(rows) > MAX_MATTERS:
        raise ValidationError({"matters": _("At most %(max)d matters.") % {"max": MAX_MATTERS}})
    return rows


def save_vote(actor, project, data: dict, matters: list[dict], vote: Vote | None = None) -> Vote:
    """Draft a vote (vote=None) or change a draft: title, description, meeting, opens_at, closes_at, and the
    matters (title and art. 278 item) replacing the old ones."""
    require_project(actor, project.pk if vote is None else vote.project_id)
    require_role(actor, MANAGERS)
    if vote is not None and vote.status != V.DRAFT:
        raise Conflict(_("Only a draft vote can be changed."), state=vote.status)
    target = vote or Vote(project=project, created_by=actor)
    for field in ("title", "description", "meeting", "opens_at", "closes_at"):
        if field in data:
            setattr(target, field, data[field].strip() if isinstance(data[field], str) else data[field])
    errors = {}
    rows = None
    try:
        rows = _clean_matters(matters)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if target.meeting is not None and target.meeting.project_id != target.project_id:
        errors["meeting"] = [_("Choose a meeting of the vote's project.")]
    if target.opens_at and target.closes_at and target.closes_at <= target.opens_at:
        errors["closes_at"] = [_("The vote must close after it opens.")]
    try:
        target.full_clean(exclude=["created_by", "meeting", "description"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        target.save()
        target.matters.all().delete()
        Matter.objects.bulk_create([Matter(vote=target, **row) for row in rows])
        summary = gettext_noop("Vote drafted: %(title)s") if vote is None else gettext_noop("Vote changed: %(title)s")
        timeline.record(actor, "engage.vote_saved", Message(summary, {"title": target.title}), subjects=[target.project])
    return target


def open_vote(actor, vote: Vote, now: dt.datetime | None = None) -> Vote:
    """Open a draft: fix its electorate (as of today) and its rule for non-voters; ballots are then accepted
    from `opens_at` until `closes_at`."""
    require_project(actor, vote.project_id)
    require_role(actor, MANAGERS)
    now = now or timezone.now()
    if vote.closes_at <= now:
        raise ValidationError({"closes_at": _("The closing time has passed.")})
    if not vote.matters.exists():
        raise ValidationError({"matters": _("Put at least one matter to the vote.")})
    electors = electorate.electorate(vote.project, timezone.localdate(now))
    if not electors:
        raise ValidationError(_("The project has no unit: there is nobody to vote."))
    rule = rules_for(vote.project).non_voters
    total_area = sum((e["area"] for e in electors), Decimal("0"))
    with transaction.atomic():
        if not Vote.objects.filter(pk=vote.pk, status=V.DRAFT).update(
                status=V.OPEN, opened_at=now, non_voters=rule, total_area=total_area, total_owners=len(electors)):
            raise Conflict(_("Only a draft vote can be opened."), state=vote.status)
        Elector.objects.bulk_create([Elector(vote=vote, **e) for e in electors])
        timeline.record(actor, "engage.vote_opened", Message(
            gettext_noop("Vote opened: %(title)s (%(owners)d owners, %(area)s m²)"),
            {"title": vote.title, "owners": len(electors), "area": total_area}), subjects=[vote.project])
    vote.refresh_from_db()
    return vote


def close_vote(actor, vote: Vote, now: dt.datetime | None = None) -> Vote:
    """Close a vote whose deadline has passed (actor None: the periodic job); its result is then final."""
    if actor is not None:
        require_project(actor, vote.project_id)
        require_role(actor, MANAGERS)
    now = now or timezone.now()
    if vote.closes_at > now:
        raise Conflict(_("The vote is open until %(at)s.") % {
            "at": timezone.localtime(vote.closes_at).strftime("%Y-%m-%d %H:%M")}, state=vote.status)
    with transaction.atomic():
        if not Vote.objects.filter(pk=vote.pk, status=V.OPEN).update(status=V.CLOSED, closed_at=now):
            raise Conflict(_("Only an open vote can be closed."), state=vote.status)
        result = counting.count(vote)
        passed = sum(1 for m in result.matters if m.outcome == counting.PASSED)
        timeline.record(actor, "engage.vote_closed", Message(
            gettext_noop("Vote closed: %(title)s — %(passed)d of %(matters)d matters passed"),
            {"title": vote.title, "passed": passed, "matters": len(result.matters)}), subjects=[vote.project])
    vote.refresh_from_db()
    return vote


def close_due_votes(now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    closed = 0
    for vote in Vote.objects.filter(status=V.OPEN, closes_at__lte=now):
        try:
            close_vote(None, vote, now)
            closed += 1
        except Conflict:
            continue
    return closed


# -- ballots ----------------------------------------------------------------------------------------


def _clean_choices(vote: Vote, choices: dict) -> dict:
    matters = [str(pk) for pk in vote.matters.values_list("pk", flat=True)]
    clean, missing = {}, []
    for key in matters:
        value = (choices or {}).get(key, (choices or {}).get(int(key)))
        if value not in counting.CHOICES:
            missing.append(key)
        else:
            clean[key] = value
    if missing:
        raise ValidationError({"choices": _("Give your choice (for, against or abstain) on every matter.")})
    return clean


def electors_of_owner(owner, vote: Vote) -> list[Elector]:
    """The electors a signed-in owner may vote as: those holding one of the archive records their mobile
    carries (usually one; two when, say, a husband and wife who each own a home share the number)."""
    mine = set(owner.customer_ids)
    ids = [pk for pk, customer_ids in vote.electors.filter(is_developer=False).values_list("pk", "customer_ids")
           if mine & set(customer_ids)]
    return list(Elector.objects.filter(pk__in=ids).order_by("units_label"))


def elector_of_owner(owner, vote: Vote, elector_id: int | None = None) -> Elector:
    """The elector the owner votes as (the one asked for, or their first); NotFound when they are none."""
    electors = electors_of_owner(owner, vote)
    chosen = next((e for e in electors if elector_id in (None, e.pk)), None)
    if chosen is None:
        raise NotFound
    return chosen


def _give(vote: Vote, elector: Elector, choices: dict, now, *, via: str, customer: Customer | None = None,
          staff=None, paper_ref: str = "", proxy_name: str = "", proxy_ref: str = "") -> Ballot:
    """The one place a ballot is stored: while the vote accepts ballots, the elector's only ballot is created
    or replaced, and the version is kept."""
    clean = _clean_choices(vote, choices)
    fields = {"via": via, "choices": clean, "paper_ref": paper_ref, "proxy_name": proxy_name, "proxy_ref": proxy_ref,
              "given_by_customer": customer, "entered_by": staff, "updated_at": now}
    for _attempt in range(2):  # two first ballots at once: the loser of the insert replaces instead
        try:
            with transaction.atomic():
                locked = Vote.objects.select_for_update().get(pk=vote.pk)
                if not locked.accepting(now):
                    raise Conflict(_("The vote does not accept ballots now (it opens at %(opens)s and closes at "
                                     "%(closes)s).") % {
                        "opens": timezone.localtime(locked.opens_at).strftime("%Y-%m-%d %H:%M"),
                        "closes": timezone.localtime(locked.closes_at).strftime("%Y-%m-%d %H:%M")},
                        state=locked.status)
                ballot = Ballot.objects.select_for_update().filter(elector=elector).first()
                if ballot is None:
                    ballot = Ballot.objects.create(vote=vote, elector=elector, created_at=now, revision=1, **fields)
                else:
                    for name, value in fields.items():
                        setattr(ballot, name, value)
                    ballot.revision += 1
                    ballot.save()
                BallotRevision.objects.create(ballot=ballot, number=ballot.revision, at=now, via=via, choices=clean,
                                              paper_ref=paper_ref, proxy_name=proxy_name, proxy_ref=proxy_ref,
                                              given_by_customer=customer, entered_by=staff)
                summary = (gettext_noop("Ballot given on %(title)s (%(via)s)") if ballot.revision == 1
                           else gettext_noop("Ballot on %(title)s changed (%(via)s, version %(n)d)"))
                owners = list(Customer.objects.filter(pk__in=elector.customer_ids))
                timeline.record(staff, "engage.ballot", Message(summary, {
                    "title": vote.title, "via": Ballot.Via(via).label, "n": ballot.revision}), subjects=owners, at=now)
            return ballot
        except IntegrityError:
            continue
    raise Conflict(_("Please try again."))


def cast_ballot(owner, vote: Vote, choices: dict, now=None, elector_id: int | None = None) -> Ballot:
    """An owner votes in the portal, as the elector their sign-in makes them (`elector_id` when several)."""
    elector = elector_of_owner(owner, vote, elector_id)
    customer = Customer.objects.filter(pk__in=set(owner.customer_ids) & set(elector.customer_ids)).first()
    return _give(vote, elector, choices, now or timezone.now(), via=Ballot.Via.PORTAL, customer=customer)


def enter_ballot(actor, vote: Vote, elector: Elector, choices: dict, paper_ref: str, proxy_name: str = "",
                 proxy_ref: str = "", now=None) -> Ballot:
    """The service centre enters a paper ballot with the paper's number; a proxy's ballot also with the proxy's
    name and the number of the power of attorney."""
    require_project(actor, vote.project_id)
    require_role(actor, ARCHIVE_EDITORS)
    if elector.vote_id != vote.pk:
        raise NotFound
    paper_ref, proxy_name, proxy_ref = (paper_ref or "").strip(), (proxy_name or "").strip(), (proxy_ref or "").strip()
    errors = {}
    if not paper_ref:
        errors["paper_ref"] = _("Write the number of the paper ballot.")
    if proxy_name and not proxy_ref:
        errors["proxy_ref"] = _("Write the number of the power of attorney.")
    if proxy_ref and not proxy_name:
        errors["proxy_name"] = _("Write the proxy's name.")
    if errors:
        raise ValidationError(errors)
    via = Ballot.Via.PROXY if proxy_name else Ballot.Via.PAPER
    return _give(vote, elector, choices, now or timezone.now(), via=via, staff=actor, paper_ref=paper_ref[:40],
                 proxy_name=proxy_name[:100], proxy_ref=proxy_ref[:40])
