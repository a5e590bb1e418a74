"""The owners' assembly and committee (业主大会 / 业主委员会, issue 15 item 5): meetings with agenda, sign-in and
minutes; reports published to owners; the rules of procedure; votes with ballots entered on paper or by
proxy, counted by Civil Code art. 278, with their result as a page, a PDF and an .xlsx."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from propdesk.core.errors import Conflict
from propdesk.engage.assembly import selectors as assembly
from propdesk.engage.assembly import services as meetings
from propdesk.engage.exports import XLSX
from propdesk.engage.votes import electorate, results
from propdesk.engage.votes import selectors as votes
from propdesk.engage.votes import services as voting
from propdesk.org.access import ARCHIVE_EDITORS, MANAGERS, has_role
from propdesk.org.selectors import get_project, projects_for

from ...decorators import staff_view
from ...forms import add_service_errors
from ...forms_engage_assembly import (
    BallotForm,
    MeetingForm,
    MinutesForm,
    ReportForm,
    RulesForm,
    SignInForm,
    VoteForm,
)
from ...pagination import paginate
from ..listing import list_page


def _problem(request, exc):
    messages.error(request, exc.message if isinstance(exc, Conflict) else " ".join(exc.messages))


# -- meetings -----------------------------------------------------------------------------------------


@staff_view
def meeting_list(request):
    return list_page(request, "console/engage/assembly/meetings.html", lambda: assembly.meetings_for(request.user),
                     can_manage=meetings.can_manage(request.user), reports=assembly.reports_for(request.user)[:20])


@staff_view
def meeting_edit(request, meeting_id: int | None = None):
    meeting = assembly.get_meeting(request.user, meeting_id) if meeting_id else None
    if not meetings.can_manage(request.user):
        raise PermissionDenied
    form = MeetingForm(request.POST or None, projects=projects_for(request.user), meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            project = meeting.project if meeting else get_project(request.user, form.cleaned_data["project"].pk)
            saved = meetings.save_meeting(request.user, project, form.data_for_service(), meeting=meeting)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("console:meeting", meeting_id=saved.pk)
    return render(request, "console/engage/assembly/meeting_form.html", {"form": form, "meeting": meeting})


@staff_view
def meeting_detail(request, meeting_id: int):
    meeting = assembly.get_meeting(request.user, meeting_id)
    sign_in_form, minutes_form = SignInForm(), MinutesForm(initial={"minutes": meeting.minutes})
    if request.method == "POST":
        if not has_role(request.user, ARCHIVE_EDITORS):
            raise PermissionDenied
        try:
            if request.POST.get("form") == "minutes":
                minutes_form = MinutesForm(request.POST)
                if minutes_form.is_valid():
                    meetings.write_minutes(request.user, meeting, minutes_form.cleaned_data["minutes"])
                    messages.success(request, _("Minutes saved."))
                    return redirect("console:meeting", meeting_id=meeting.pk)
            else:
                sign_in_form = SignInForm(request.POST)
                if sign_in_form.is_valid():
                    row = meetings.sign_in(request.user, meeting, **sign_in_form.cleaned_data)
                    messages.success(request, _("%(name)s signed in.") % {"name": row.name})
                    return redirect("console:meeting", meeting_id=meeting.pk)
        except ValidationError as exc:
            add_service_errors(sign_in_form if request.POST.get("form") != "minutes" else minutes_form, exc)
        except Conflict as exc:
            messages.error(request, exc.message)
    return render(request, "console/engage/assembly/meeting.html", {
        "meeting": meeting, "attendance": assembly.attendance_of(meeting), "sign_in_form": sign_in_form,
        "minutes_form": minutes_form, "can_record": has_role(request.user, ARCHIVE_EDITORS),
        "can_manage": meetings.can_manage(request.user), "votes": meeting.votes.all()})


# -- reports ------------------------------------------------------------------------------------------


@staff_view
def report_add(request):
    if not meetings.can_manage(request.user):
        raise PermissionDenied
    form = ReportForm(request.POST or None, request.FILES or None, projects=projects_for(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            project = get_project(request.user, form.cleaned_data["project"].pk)
            meetings.save_report(request.user, project, form.data_for_service(), form.cleaned_data["attachment"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Report saved; publish it when ready."))
            return redirect("console:meetings")
    return render(request, "console/engage/assembly/report_form.html", {"form": form})


@staff_view
@require_POST
def report_publish(request, report_id: int):
    report = assembly.get_report(request.user, report_id)
    try:
        meetings.publish_report(request.user, report)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Report published to the owners."))
    return redirect("console:meetings")


@staff_view
def report_file(request, report_id: int):
    report = assembly.get_report(request.user, report_id)
    if not report.attachment:
        raise Http404
    return FileResponse(report.attachment.open("rb"), as_attachment=True,
                        filename=report.attachment.name.rsplit("/", 1)[-1])


@staff_view
def rules_of_procedure(request, project_id: int):
    project = get_project(request.user, project_id)
    rules = voting.rules_for(project)
    form = RulesForm(request.POST or None, initial={"non_voters": rules.non_voters, "reference": rules.reference})
    if request.method == "POST":
        if not has_role(request.user, MANAGERS):
            raise PermissionDenied
        if form.is_valid():
            voting.set_rules(request.user, project, **form.cleaned_data)
            messages.success(request, _("Rules of procedure saved; votes already open keep theirs."))
            return redirect("console:votes")
    return render(request, "console/engage/assembly/rules.html", {"project": project, "form": form,
                                                                  "can_edit": has_role(request.user, MANAGERS)})


# -- votes --------------------------------------------------------------------------------------------


@staff_view
def vote_list(request):
    return list_page(request, "console/engage/assembly/votes.html", lambda: votes.votes_for(request.user),
                     can_manage=voting.can_manage(request.user), projects=projects_for(request.user))


@staff_view
def vote_edit(request, vote_id: int | None = None):
    vote = votes.get_vote(request.user, vote_id) if vote_id else None
    if not voting.can_manage(request.user):
        raise PermissionDenied
    form = VoteForm(request.POST or None, projects=projects_for(request.user), vote=vote)
    if request.method == "POST" and form.is_valid():
        try:
            project = vote.project if vote else get_project(request.user, form.cleaned_data["project"].pk)
            saved = voting.save_vote(request.user, project, form.data_for_service(), form.cleaned_data["matters"],
                                     vote=vote)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("console:vote", vote_id=saved.pk)
    return render(request, "console/engage/assembly/vote_form.html", {"form": form, "vote": vote})


@staff_view
def vote_detail(request, vote_id: int):
    vote = votes.get_vote(request.user, vote_id)
    query = (request.GET.get("q") or "").strip()[:50]
    return render(request, "console/engage/assembly/vote.html", {
        **results.context(vote), "page": paginate(request, votes.electors_of(vote, query)), "q": query,
        "can_manage": voting.can_manage(request.user), "can_enter": has_role(request.user, ARCHIVE_EDITORS)})


@staff_view
def vote_open(request, vote_id: int):
    """GET: the electorate it would fix, to confirm; POST: open."""
    vote = votes.get_vote(request.user, vote_id)
    if not voting.can_manage(request.user):
        raise PermissionDenied
    if request.method == "POST":
        try:
            voting.open_vote(request.user, vote)
        except (ValidationError, Conflict) as exc:
            _problem(request, exc)
        else:
            messages.success(request, _("The vote is open."))
        return redirect("console:vote", vote_id=vote.pk)
    electors = electorate.electorate(vote.project, timezone.localdate())
    return render(request, "console/engage/assembly/vote_open.html", {
        "vote": vote, "owners": len(electors), "area": sum(e["area"] for e in electors),
        "developer": next((e for e in electors if e["is_developer"]), None),
        "rule": voting.rules_for(vote.project).get_non_voters_display()})


@staff_view
@require_POST
def vote_close(request, vote_id: int):
    vote = votes.get_vote(request.user, vote_id)
    try:
        voting.close_vote(request.user, vote)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The vote is closed; its result is final."))
    return redirect("console:vote", vote_id=vote.pk)


@staff_view
def ballot_entry(request, elector_id: int):
    """The service centre enters a paper ballot or a proxy's for one owner; the owner's ballot history."""
    elector = votes.get_elector(request.user, elector_id)
    vote = elector.vote
    if not has_role(request.user, ARCHIVE_EDITORS):
        raise PermissionDenied
    matters = list(vote.matters.all())
    current = elector.ballot if hasattr(elector, "ballot") else None
    initial = {f"m{k}": v for k, v in (current.choices.items() if current else [])}
    form = BallotForm(request.POST or None, matters=matters, staff=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            voting.enter_ballot(request.user, vote, elector, form.choices(), d["paper_ref"], d["proxy_name"],
                                d["proxy_ref"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Ballot of %(owner)s entered.") % {"owner": elector.label})
            return redirect("console:vote", vote_id=vote.pk)
    return render(request, "console/engage/assembly/ballot.html", {
        "vote": vote, "elector": elector, "form": form, "revisions": votes.revisions_of(elector)})


@staff_view
def vote_result_pdf(request, vote_id: int):
    vote = votes.get_vote(request.user, vote_id)
    response = HttpResponse(results.result_pdf(vote), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="vote-{vote.pk}-result.pdf"'
    return response


@staff_view
def vote_result_xlsx(request, vote_id: int):
    vote = votes.get_vote(request.user, vote_id)
    response = HttpResponse(results.result_xlsx(vote), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="vote-{vote.pk}-result.xlsx"'
    return response
