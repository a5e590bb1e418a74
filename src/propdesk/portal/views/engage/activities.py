"""Community activities for owners (issue 15 item 2): what is on for their homes, sign-up (confirmed or on
the waiting list), cancelling, their sign-up code for the door, and the photos of past activities."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from propdesk.core.errors import Conflict, NotFound
from propdesk.engage.activities import selectors, services

from ...decorators import owner_view
from ...forms_engage import SignupForm
from . import page_of


@owner_view
def activity_list(request):
    return render(request, "portal/engage/activities.html", {
        "page": page_of(request, selectors.activities_for_owner(request.owner)),
        "mine": list(selectors.owner_signups(request.owner).exclude(status="cancelled")[:10])})


def _homes(owner, activity):
    return [o for o in owner.occupancies if services.in_audience(activity, o)]


@owner_view
def activity_detail(request, activity_id: int):
    activity = selectors.get_owner_activity(request.owner, activity_id)
    homes = _homes(request.owner, activity)
    form = SignupForm(request.POST or None, homes=homes, max_seats=activity.max_seats, phone=request.owner.phone)
    if request.method == "POST" and form.is_valid():
        try:
            signup, _created = services.owner_sign_up(request.owner, activity, form.cleaned_data["unit"],
                                                      form.cleaned_data["seats"], form.cleaned_data["phone"],
                                                      idempotency_key=form.cleaned_data["idempotency_key"])
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        except Conflict as exc:
            form.add_error(None, exc.message)
        else:
            if signup.status == "confirmed":
                messages.success(request, _("You are signed up. Your sign-up code is %(code)s.") % {"code": signup.code})
            else:
                messages.success(request, _("The activity is full: you are on the waiting list. We will text you "
                                            "if a place becomes free."))
            return redirect("portal:activity", activity_id=activity.pk)
    mine = [(s, selectors.waiting_position(s)) for s in selectors.owner_signups(request.owner, activity)
            .exclude(status="cancelled")]
    return render(request, "portal/engage/activity.html", {
        "activity": activity, "form": form, "mine": mine, "open": activity.signup_open(),
        "photos": selectors.photos_of(activity) if activity.status == "finished" else []},
        status=422 if form.errors else 200)


@owner_view
@require_POST
def signup_cancel(request, signup_id: int):
    signup = services.signup_by_id(request.owner, signup_id)
    try:
        services.cancel_signup(request.owner, signup)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your sign-up is cancelled."))
    return redirect("portal:activity", activity_id=signup.activity_id)


@owner_view
def activity_photo(request, activity_id: int, photo_id: int):
    activity = selectors.get_owner_activity(request.owner, activity_id)
    photo = selectors.photos_of(activity).filter(pk=photo_id).first()
    if photo is None or activity.status != "finished":
        raise NotFound
    return FileResponse(photo.image.open("rb"), content_type="image/jpeg")
