"""Reads of votes: the console's (scoped) and the owner's (the votes they are an elector of)."""

from django.db.models import Count, Exists, OuterRef

from propdesk.core.errors import NotFound
from propdesk.org.access import get_scoped, scope

from ..models import Ballot, BallotRevision, Elector, Vote
from . import services


def votes_for(user):
    return scope(Vote.objects.select_related("project"), user).annotate(
        given=Count("ballots", distinct=True)).order_by("-opens_at", "-id")


def get_vote(user, vote_id: int) -> Vote:
    return get_scoped(Vote.objects.select_related("project", "meeting"), user, pk=vote_id)


def get_elector(user, elector_id: int) -> Elector:
    return get_scoped(Elector.objects.select_related("vote"), user, pk=elector_id)


def electors_of(vote: Vote, query: str = ""):
    ballot = Ballot.objects.filter(elector=OuterRef("pk"))
    qs = vote.electors.annotate(voted=Exists(ballot)).select_related("ballot")
    if query:
        qs = qs.filter(units_label__icontains=query) | qs.filter(label__icontains=query)
    return qs.order_by("is_developer", "units_label", "id")


def revisions_of(elector: Elector):
    return BallotRevision.objects.filter(ballot__elector=elector).select_related("entered_by", "given_by_customer")


# -- the owner's ---------------------------------------------------------------------------------------


def votes_for_owner(owner):
    """Open and closed votes of the owner's projects in which they are an elector."""
    votes = Vote.objects.filter(project_id__in=owner.project_ids).exclude(status=Vote.Status.DRAFT).select_related(
        "project").order_by("-opens_at")
    mine = []
    for vote in votes[:50]:
        vote.electors_here = services.electors_of_owner(owner, vote)
        if vote.electors_here:
            mine.append(vote)
    return mine


def get_owner_vote(owner, vote_id: int, elector_id: int | None = None) -> tuple[Vote, Elector, list[Elector]]:
    vote = Vote.objects.filter(pk=vote_id, project_id__in=owner.project_ids).exclude(
        status=Vote.Status.DRAFT).select_related("project").first()
    if vote is None:
        raise NotFound
    electors = services.electors_of_owner(owner, vote)
    chosen = next((e for e in electors if elector_id in (None, e.pk)), None)
    if chosen is None:
        raise NotFound
    return vote, chosen, electors
