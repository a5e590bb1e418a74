"""Notices (通知/公告, issue 15 item 1): compose, send or schedule, follow the read rate live, re-send to the
households that have not read it, withdraw, print for the notice board; the saved segments."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from propdesk.core.errors import Conflict
from propdesk.engage.exports import XLSX
from propdesk.engage.models import Notice
from propdesk.engage.notices import pdf, selectors, services
from propdesk.org.selectors import get_project, projects_for

from ...decorators import staff_view
from ...forms import add_service_errors
from ...forms_engage_notices import NoticeForm, ResendForm, SegmentForm
from ...pagination import paginate
from ..listing import list_page


@staff_view
def notice_list(request):
    return list_page(request, "console/engage/notices/list.html",
                     lambda project, status: selectors.notices_for(request.user, project_id=project, status=status),
                     {"project": int, "status": Notice.Status}, statuses=Notice.Status.choices,
                     can_compose=services.can_compose(request.user))


def _save(request, form, notice=None):
    if not form.is_valid():
        return None
    try:
        project = notice.project if notice else get_project(request.user, form.cleaned_data["project"].pk)
        saved, _created = services.save_notice(request.user, project, form.data_for_service(), notice=notice,
                                               idempotency_key=form.cleaned_data.get("idempotency_key") or None)
        return saved
    except ValidationError as exc:
        add_service_errors(form, exc)
    except PermissionDenied:
        form.add_error(None, _("Only the front desk, butlers and managers of the project may write notices."))
    except Conflict as exc:
        form.add_error(None, exc.message)
    return None


@staff_view
def notice_add(request):
    form = NoticeForm(request.POST or None, projects=projects_for(request.user))
    if request.method == "POST" and (notice := _save(request, form)) is not None:
        messages.success(request, _("Notice saved as a draft."))
        return redirect("console:notice", notice_id=notice.pk)
    return render(request, "console/engage/notices/form.html", {"form": form})


@staff_view
def notice_edit(request, notice_id: int):
    notice = selectors.get_notice(request.user, notice_id)
    if not services.can_compose(request.user):
        raise PermissionDenied
    form = NoticeForm(request.POST or None, projects=projects_for(request.user), notice=notice)
    if request.method == "POST" and _save(request, form, notice) is not None:
        messages.success(request, _("Notice saved."))
        return redirect("console:notice", notice_id=notice.pk)
    return render(request, "console/engage/notices/form.html", {"form": form, "notice": notice})


@staff_view
def notice_detail(request, notice_id: int):
    notice = selectors.get_notice(request.user, notice_id)
    return render(request, "console/engage/notices/detail.html", {
        "notice": notice, "buildings": list(notice.buildings.all()),
        "units": list(notice.units.select_related("building")), "rate": selectors.read_rate(notice),
        "dispatches": selectors.dispatches_of(notice), "can_edit": services.can_compose(request.user),
        "can_send": services.can_send(request.user), "can_resend": services.can_resend(request.user),
        "resend_form": ResendForm()})


@staff_view
def notice_rate(request, notice_id: int):
    """The live read rate and the sendings' progress (polled by the detail page)."""
    notice = selectors.get_notice(request.user, notice_id)
    return render(request, "console/engage/notices/_rate.html", {
        "notice": notice, "rate": selectors.read_rate(notice), "dispatches": selectors.dispatches_of(notice)})


@staff_view
def notice_send(request, notice_id: int):
    """GET: how many households the audience reaches, to confirm; POST: send (or schedule)."""
    notice = selectors.get_notice(request.user, notice_id)
    if not services.can_send(request.user):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.send_notice(request.user, notice)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except Conflict as exc:
            messages.error(request, exc.message)
        else:
            if notice.status == Notice.Status.SCHEDULED:
                messages.success(request, _("Notice scheduled."))
            else:
                messages.success(request, _("Notice is being sent."))
        return redirect("console:notice", notice_id=notice.pk)
    return render(request, "console/engage/notices/confirm.html", {
        "notice": notice, "households": selectors.audience_size(notice), "action": "send"})


@staff_view
@require_POST
def notice_unschedule(request, notice_id: int):
    notice = selectors.get_notice(request.user, notice_id)
    try:
        services.cancel_schedule(request.user, notice)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The schedule was cancelled; the notice is a draft again."))
    return redirect("console:notice", notice_id=notice.pk)


@staff_view
def notice_resend(request, notice_id: int):
    """GET: how many households have not read it, to confirm; POST: re-send to them."""
    notice = selectors.get_notice(request.user, notice_id)
    if not services.can_resend(request.user):
        raise PermissionDenied
    form = ResendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sending = services.resend_to_unread(request.user, notice, form.cleaned_data["channels"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except Conflict as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Re-sent to %(count)d households that had not read it.")
                             % {"count": sending.households})
        return redirect("console:notice", notice_id=notice.pk)
    return render(request, "console/engage/notices/confirm.html", {
        "notice": notice, "households": selectors.read_rate(notice).unread, "action": "resend", "form": form})


@staff_view
def notice_withdraw(request, notice_id: int):
    """GET: confirm; POST: take the notice off the board (messages not yet sent are not sent)."""
    notice = selectors.get_notice(request.user, notice_id)
    if not services.can_send(request.user):
        raise PermissionDenied
    if request.method == "POST":
        try:
            services.withdraw_notice(request.user, notice)
        except Conflict as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Notice withdrawn."))
        return redirect("console:notice", notice_id=notice.pk)
    return render(request, "console/engage/notices/confirm.html", {
        "notice": notice, "households": notice.households, "action": "withdraw"})


@staff_view
def notice_recipients(request, notice_id: int):
    notice = selectors.get_notice(request.user, notice_id)
    unread = request.GET.get("unread") == "1"
    page = paginate(request, selectors.recipients_of(notice, unread_only=unread))
    return render(request, "console/engage/notices/recipients.html", {
        "notice": notice, "page": page, "unread": unread, "rate": selectors.read_rate(notice)})


@staff_view
def notice_recipients_export(request, notice_id: int):
    notice = selectors.get_notice(request.user, notice_id)
    response = HttpResponse(selectors.recipients_xlsx(notice), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="notice-{notice.pk}-read-receipts.xlsx"'
    return response


@staff_view
def notice_pdf(request, notice_id: int):
    notice = selectors.get_notice(request.user, notice_id)
    response = HttpResponse(pdf.notice_pdf(notice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf.filename(notice)}"'
    return response


# -- saved segments --------------------------------------------------------------------------------


@staff_view
def segment_list(request):
    return render(request, "console/engage/notices/segments.html", {
        "segments": selectors.segments_for(request.user)[:200], "can_compose": services.can_compose(request.user)})


@staff_view
def segment_edit(request, segment_id: int | None = None):
    segment = selectors.get_segment(request.user, segment_id) if segment_id else None
    form = SegmentForm(request.POST or None, projects=projects_for(request.user), segment=segment)
    if request.method == "POST" and form.is_valid():
        try:
            project = segment.project if segment else get_project(request.user, form.cleaned_data["project"].pk)
            services.save_segment(request.user, project, form.cleaned_data["name"], form.criteria(), segment=segment)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied:
            form.add_error(None, _("Only the front desk, butlers and managers of the project may save segments."))
        else:
            messages.success(request, _("Segment saved."))
            return redirect("console:segments")
    return render(request, "console/engage/notices/segment_form.html", {"form": form, "segment": segment})
