"""Community activities (社区活动, issue 15 item 2): plan, publish, sign households up at the desk, the door
page on a phone (check-in by phone number or sign-up code), photos and the record afterwards."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from propdesk.core.errors import Conflict, NotFound
from propdesk.engage.activities import selectors, services
from propdesk.engage.exports import XLSX
from propdesk.engage.models import Activity
from propdesk.org.selectors import get_project, projects_for

from ...decorators import staff_view
from ...forms import add_service_errors
from ...forms_engage import ActivityForm, DeskSignupForm, DoorForm, PhotosForm, ReasonForm, RecordForm
from ..listing import list_page


def _errors(request, exc):
    messages.error(request, exc.message if isinstance(exc, Conflict) else " ".join(exc.messages))


@staff_view
def activity_list(request):
    return list_page(request, "console/engage/activities/list.html",
                     lambda status: selectors.activities_for(request.user, status=status), {"status": Activity.Status},
                     statuses=Activity.Status.choices, can_organise=services.can_organise(request.user))


def _save(request, form, activity=None):
    if not form.is_valid():
        return None
    try:
        project = activity.project if activity else get_project(request.user, form.cleaned_data["project"].pk)
        saved, _created = services.save_activity(request.user, project, form.data_for_service(), activity=activity,
                                                 idempotency_key=form.cleaned_data.get("idempotency_key") or None)
        return saved
    except ValidationError as exc:
        add_service_errors(form, exc)
    except PermissionDenied:
        form.add_error(None, _("Only the front desk, butlers and managers of the project organise activities."))
    except Conflict as exc:
        form.add_error(None, exc.message)
    return None


@staff_view
def activity_add(request):
    form = ActivityForm(request.POST or None, projects=projects_for(request.user))
    if request.method == "POST" and (activity := _save(request, form)) is not None:
        messages.success(request, _("Activity saved as a draft."))
        return redirect("console:activity", activity_id=activity.pk)
    return render(request, "console/engage/activities/form.html", {"form": form})


@staff_view
def activity_edit(request, activity_id: int):
    activity = selectors.get_activity(request.user, activity_id)
    if not services.can_organise(request.user):
        raise PermissionDenied
    form = ActivityForm(request.POST or None, projects=projects_for(request.user), activity=activity)
    if request.method == "POST" and _save(request, form, activity) is not None:
        messages.success(request, _("Activity saved."))
        return redirect("console:activity", activity_id=activity.pk)
    return render(request, "console/engage/activities/form.html", {"form": form, "activity": activity})


@staff_view
def activity_detail(request, activity_id: int):
    activity = selectors.get_activity(request.user, activity_id)
    return render(request, "console/engage/activities/detail.html", {
        "activity": activity, "signups": selectors.signups_of(activity), "photos": selectors.photos_of(activity),
        "buildings": list(activity.buildings.all()), "can_organise": services.can_organise(request.user),
        "signup_form": DeskSignupForm(), "photos_form": PhotosForm()})


@staff_view
@require_POST
def activity_publish(request, activity_id: int):
    activity = selectors.get_activity(request.user, activity_id)
    try:
        services.publish_activity(request.user, activity)
    except Conflict as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Activity published in the portal."))
    return redirect("console:activity", activity_id=activity.pk)


@staff_view
def activity_cancel(request, activity_id: int):
    """GET: confirm with a reason; POST: cancel and tell the households signed up."""
    activity = selectors.get_activity(request.user, activity_id)
    if not services.can_organise(request.user):
        raise PermissionDenied
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_activity(request.user, activity, form.cleaned_data["reason"])
        except (ValidationError, Conflict) as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Activity cancelled; the households signed up were told."))
        return redirect("console:activity", activity_id=activity.pk)
    return render(request, "console/engage/activities/cancel.html", {"activity": activity, "form": form})


@staff_view
@require_POST
def activity_signup(request, activity_id: int):
    """The desk signs up a resident's household, found by phone."""
    activity = selectors.get_activity(request.user, activity_id)
    form = DeskSignupForm(request.POST)
    if form.is_valid():
        try:
            signup = services.desk_sign_up(request.user, activity, form.cleaned_data["phone"],
                                           form.cleaned_data["seats"])
        except (ValidationError, Conflict) as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("%(name)s signed up: %(status)s, code %(code)s.") % {
                "name": signup.customer.name, "status": signup.get_status_display(), "code": signup.code})
    else:
        messages.error(request, _("Type the resident's phone and the number of places."))
    return redirect("console:activity", activity_id=activity.pk)


@staff_view
@require_POST
def signup_cancel(request, signup_id: int):
    signup = selectors.get_signup(request.user, signup_id)
    try:
        moved = services.cancel_signup(request.user, signup)
    except (ValidationError, Conflict) as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Sign-up cancelled; %(n)d moved up from the waiting list.") % {"n": len(moved)})
    return redirect("console:activity", activity_id=signup.activity_id)


@staff_view
def activity_door(request, activity_id: int):
    """The phone page at the door: type the sign-up code or the phone number, see who it is."""
    activity = selectors.get_activity(request.user, activity_id)
    if not services.can_organise(request.user):
        raise PermissionDenied
    form, result, problem = DoorForm(request.POST or None), None, None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.check_in(request.user, activity, form.cleaned_data["typed"])
        except NotFound:
            problem = _("Nobody of the activity's audience has this code or phone number.")
        except (ValidationError, Conflict) as exc:
            problem = exc.message if isinstance(exc, Conflict) else " ".join(exc.messages)
        form = DoorForm()
        activity = selectors.get_activity(request.user, activity_id)
    return render(request, "console/engage/activities/door.html", {
        "activity": activity, "form": form, "result": result, "problem": problem}, status=422 if problem else 200)


@staff_view
@require_POST
def activity_photos(request, activity_id: int):
    activity = selectors.get_activity(request.user, activity_id)
    form = PhotosForm(request.POST)
    try:
        saved = services.add_photos(request.user, activity, request.FILES.getlist("photos"),
                                    caption=form.data.get("caption", ""))
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("%(n)d photos added.") % {"n": len(saved)})
    return redirect("console:activity", activity_id=activity.pk)


@staff_view
def activity_photo(request, photo_id: int):
    photo = selectors.get_photo(request.user, photo_id)
    return FileResponse(photo.image.open("rb"), content_type="image/jpeg")


@staff_view
def activity_record(request, activity_id: int):
    activity = selectors.get_activity(request.user, activity_id)
    if not services.can_organise(request.user):
        raise PermissionDenied
    form = RecordForm(request.POST or None, initial={"record": activity.record})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_activity(request.user, activity, form.cleaned_data["record"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        except Conflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Record saved."))
            return redirect("console:activity", activity_id=activity.pk)
    return render(request, "console/engage/activities/record.html", {"activity": activity, "form": form})


@staff_view
def activity_export(request, activity_id: int):
    activity = selectors.get_activity(request.user, activity_id)
    response = HttpResponse(selectors.signups_xlsx(activity), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="activity-{activity.pk}-signups.xlsx"'
    return response
