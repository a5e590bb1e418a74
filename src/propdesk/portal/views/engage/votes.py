"""Votes and reports for owners (issue 15 item 5): the owner votes as the elector their sign-in makes them,
may change the ballot until the deadline, and reads the result once the vote has closed; the reports the
service centre published (work reports, income and expense statements)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from propdesk.core.errors import Conflict
from propdesk.engage.assembly import selectors as assembly
from propdesk.engage.models import Vote
from propdesk.engage.votes import results, services
from propdesk.engage.votes import selectors as votes

from ...decorators import owner_view
from . import page_of


@owner_view
def vote_list(request):
    return render(request, "portal/engage/votes.html", {"votes": votes.votes_for_owner(request.owner),
                                                        "reports": assembly.owner_reports(request.owner)[:5]})


@owner_view
def vote_detail(request, vote_id: int):
    try:
        asked = int(request.GET.get("for") or request.POST.get("for") or 0) or None
    except ValueError:
        asked = None
    vote, elector, electors = votes.get_owner_vote(request.owner, vote_id, asked)
    matters = list(vote.matters.all())
    ballot = elector.ballot if hasattr(elector, "ballot") else None
    chosen = dict(ballot.choices) if ballot else {}
    error = None
    if request.method == "POST":
        chosen = {str(m.pk): request.POST.get(f"m{m.pk}", "") for m in matters}
        try:
            services.cast_ballot(request.owner, vote, chosen, elector_id=elector.pk)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        except Conflict as exc:
            messages.error(request, exc.message)
            return redirect(f"{request.path}?for={elector.pk}")
        else:
            messages.success(request, _("Your ballot is recorded. You may change it until the vote closes."))
            return redirect(f"{request.path}?for={elector.pk}")
    return render(request, "portal/engage/vote.html", {
        "vote": vote, "elector": elector, "electors": electors, "ballot": ballot, "error": error, "accepting": vote.accepting(),
        "rows": [(m, chosen.get(str(m.pk), "")) for m in matters],
        "result": results.context(vote) if vote.status == Vote.Status.CLOSED else None}, status=422 if error else 200)


@owner_view
def report_list(request):
    return render(request, "portal/engage/reports.html", {"page": page_of(request, assembly.owner_reports(request.owner))})


@owner_view
def report_detail(request, report_id: int):
    return render(request, "portal/engage/report.html", {"report": assembly.get_owner_report(request.owner, report_id)})


@owner_view
def report_file(request, report_id: int):
    report = assembly.get_owner_report(request.owner, report_id)
    if not report.attachment:
        raise Http404
    return FileResponse(report.attachment.open("rb"), as_attachment=True,
                        filename=report.attachment.name.rsplit("/", 1)[-1])
