"""Every write of community activities (社区活动, issue 15 item 2; PRODUCT.md area 5).

Staff of the service centre who keep the archive (front desk, butlers, managers) plan an activity (time,
place, capacity, audience, sign-up window), publish it, and afterwards write its record with photos. An
owner signs a household up in the portal (or the desk does it for them) while the window is open: the
sign-up is confirmed while places are left, otherwise it joins the waiting list; when a confirmed one is
cancelled, the waiting list moves up in order of arrival (each waiting sign-up that fits is confirmed
and told by SMS). At the door a phone page checks people in by phone number or sign-up code, and earns
them the project's attendance points. Sign-ups, cancellations and attendance are on the customer's and
the unit's card; the sign-up itself is decided under a lock of the activity row, so two households can
never both take the last place.
"""

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from propdesk.archive.models import CustomerPhone, Occupancy
from propdesk.core import timeline
from propdesk.core.errors import Conflict, NotFound
from propdesk.core.phones import normalize_phone
from propdesk.core.timeline import Message
from propdesk.notify.services import Contact, notify
from propdesk.org.access import ARCHIVE_EDITORS, has_role, require_project, require_role
from propdesk.service import photos as photo_rules

from ..idempotency import client_of, create_once
from ..models import Activity, ActivityPhoto, Signup

A = Activity.Status
S = Signup.Status
EDITABLE = {"title", "description", "place", "starts_at", "ends_at", "capacity", "max_seats", "signup_opens_at",
            "signup_closes_at", "roles", "buildings"}
# The door page opens this long before the start.
DOOR_OPENS = dt.timedelta(hours=2)


def can_organise(user) -> bool:
    return has_role(user, ARCHIVE_EDITORS)


def _check(activity: Activity, buildings) -> None:
    errors = {}
    activity.title = (activity.title or "").strip()
    activity.place = (activity.place or "").strip()
    activity.description = (activity.description or "").strip()
    if len(activity.description) > 4000:
        errors["description"] = _("At most %(max)d characters.") % {"max": 4000}
    a = activity
    if a.starts_at and a.ends_at and a.ends_at <= a.starts_at:
        errors["ends_at"] = _("The activity must end after it starts.")
    if a.signup_opens_at and a.signup_closes_at and a.signup_closes_at <= a.signup_opens_at:
        errors["signup_closes_at"] = _("Sign-up must close after it opens.")
    if a.signup_closes_at and a.starts_at and a.signup_closes_at > a.starts_at:
        errors["signup_closes_at"] = _("Sign-up must close before the activity starts.")
    if a.capacity is not None and a.capacity < 1:
        errors["capacity"] = _("At least one place.")
    if a.max_seats is not None and not 1 <= a.max_seats <= 10:
        errors["max_seats"] = _("From 1 to 10 places per sign-up.")
    roles = [r for r in dict.fromkeys(a.roles or []) if r]
    if any(r not in Occupancy.Role.values for r in roles):
        errors["roles"] = _("Select a valid choice.")
    a.roles = roles or list(Occupancy.Role.values)
    if buildings is not None and any(b.project_id != a.project_id for b in buildings):
        errors["buildings"] = _("Choose buildings of the activity's project.")
    try:
        a.full_clean(exclude=["created_by", "buildings", "description", "record"])
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages[0])
    if errors:
        raise ValidationError(errors)


def save_activity(actor, project, data: dict, activity: Activity | None = None,
                  idempotency_key: str | None = None) -> tuple[Activity, bool]:
    """Plan an activity (activity=None) or change one not yet finished or cancelled; returns (activity, created).

    A published activity keeps its sign-ups: its capacity may not drop below the places already confirmed.
    """
    require_project(actor, project.pk if activity is None else activity.project_id)
    require_role(actor, ARCHIVE_EDITORS)
    unknown = set(data) - EDITABLE
    if unknown:
        raise ValidationError({f: _("This field cannot be changed.") for f in unknown})
    if activity is not None and activity.status not in (A.DRAFT, A.PUBLISHED):
        raise Conflict(_("A finished or cancelled activity cannot be changed."), state=activity.status)
    target = activity or Activity(project=project, created_by=actor)
    for field in EDITABLE - {"buildings"}:
        if field in data:
            setattr(target, field, data[field])
    buildings = data.get("buildings")
    _check(target, buildings)
    if activity is not None and target.capacity < confirmed_places(activity):
        raise ValidationError({"capacity": _("%(n)d places are already confirmed.") % {"n": confirmed_places(activity)}})

    def write():
        with transaction.atomic():
            target.save()
            if buildings is not None:
                target.buildings.set(buildings)
            summary = gettext_noop("Activity planned: %(title)s") if activity is None else gettext_noop(
                "Activity changed: %(title)s")
            timeline.record(actor, "engage.activity_saved", Message(summary, {"title": target.title}),
                            subjects=[target.project])
        return target

    if activity is not None:
        return write(), False
    return create_once(client_of(actor), idempotency_key, Activity, write)


def _set_status(actor, activity: Activity, expected, status: str, verb: str, summary: str, **changes):
    require_project(actor, activity.project_id)
    require_role(actor, ARCHIVE_EDITORS)
    with transaction.atomic():
        if not Activity.objects.filter(pk=activity.pk, status__in=expected).update(status=status, **changes):
            activity.refresh_from_db()
            raise Conflict(_("The activity's state does not allow this."), state=activity.status)
        activity.status = status
        for field, value in changes.items():
            setattr(activity, field, value)
        timeline.record(actor, verb, Message(summary, {"title": activity.title}), subjects=[activity.project])
    return activity


def publish_activity(actor, activity: Activity) -> Activity:
    """Show the activity to the households of its audience in the portal."""
    return _set_status(actor, activity, [A.DRAFT], A.PUBLISHED, "engage.activity_published",
                       gettext_noop("Activity published: %(title)s"))


def cancel_activity(actor, activity: Activity, reason: str) -> Activity:
    """Cancel the activity and tell every household signed up (confirmed or waiting) by SMS."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"cancel_reason": _("Say why the activity is cancelled.")})
    with transaction.atomic():
        _set_status(actor, activity, [A.DRAFT, A.PUBLISHED], A.CANCELLED, "engage.activity_cancelled",
                    gettext_noop("Activity cancelled: %(title)s"), cancel_reason=reason[:200])
        told = list(Signup.objects.filter(activity=activity).exclude(status=S.CANCELLED).select_related("customer"))
        message = Message(gettext_noop("%(project)s: the activity \"%(title)s\" on %(when)s is cancelled (%(reason)s)."),
                          {"project": activity.project.name, "title": activity.title, "reason": reason,
                           "when": timezone.localtime(activity.starts_at).strftime("%m-%d %H:%M")})
        notify(project=activity.project_id, event="engage.activity_cancelled", subject=message, body=message,
               customers=[Contact(customer_id=s.customer_id, name=s.customer.name, phone=s.phone) for s in told])
    return activity


def record_activity(actor, activity: Activity, record: str, now: dt.datetime | None = None) -> Activity:
    """Write what happened once the activity has started (活动记录); it is then finished."""
    now = now or timezone.now()
    record = (record or "").strip()
    if not record:
        raise ValidationError({"record": _("Write what happened.")})
    if len(record) > 4000:
        raise ValidationError({"record": _("At most %(max)d characters.") % {"max": 4000}})
    if activity.starts_at > now:
        raise Conflict(_("The record is written after the activity."), state=activity.status)
    return _set_status(actor, activity, [A.PUBLISHED, A.FINISHED], A.FINISHED, "engage.activity_recorded",
                       gettext_noop("Activity record written: %(title)s"), record=record)


def add_photos(actor, activity: Activity, uploads, caption: str = "") -> list[ActivityPhoto]:
    """Keep photos of the activity: each checked and re-encoded without its metadata (service.photos)."""
    require_project(actor, activity.project_id)
    require_role(actor, ARCHIVE_EDITORS)
    prepared = photo_rules.prepare_all(uploads)
    if not prepared:
        raise ValidationError({"photos": _("Choose at least one photo.")})
    from django.core.files.base import ContentFile

    with transaction.atomic():
        saved = []
        for photo in prepared:
            row = ActivityPhoto(activity=activity, caption=(caption or "").strip()[:100], uploaded_by=actor)
            row.image.save(photo.name, ContentFile(photo.content), save=False)
            row.save()
            saved.append(row)
        timeline.record(actor, "engage.activity_photos", Message(gettext_noop("%(count)d photos added to %(title)s"),
                                                                 {"count": len(saved), "title": activity.title}),
                        subjects=[activity.project])
    return saved


# -- sign-up ------------------------------------------------------------------------------------------


def confirmed_places(activity: Activity) -> int:
    return Signup.objects.filter(activity=activity, status=S.CONFIRMED).aggregate(n=Sum("seats"))["n"] or 0


def in_audience(activity: Activity, occupancy: Occupancy) -> bool:
    unit = occupancy.unit
    if unit.project_id != activity.project_id or occupancy.role not in (activity.roles or Occupancy.Role.values):
        return False
    buildings = set(activity.buildings.values_list("pk", flat=True))
    return not buildings or unit.building_id in buildings


def _new_code(activity: Activity) -> str:
    taken = set(Signup.objects.filter(activity=activity).values_list("code", flat=True))
    while True:
        code = f"{secrets.randbelow(10**6):06d}"
        if code not in taken:
            return code


def _sign_up(activity: Activity, occupancy: Occupancy, seats, phone: str, via: str, actor=None, now=None,
             attended: bool = False) -> Signup:
    """The one place a sign-up is decided: under a lock of the activity, confirmed if the places fit."""
    now = now or timezone.now()
    try:
        seats = int(seats)
    except (TypeError, ValueError):
        seats = 0
    if not 1 <= seats <= activity.max_seats:
        raise ValidationError({"seats": _("From 1 to %(max)d places.") % {"max": activity.max_seats}})
    phone = normalize_phone(phone or "")
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        if via != Signup.Via.DOOR and not locked.signup_open(now):
            raise Conflict(_("Sign-up for this activity is not open."), state=locked.status)
        if Signup.objects.filter(activity=activity, customer=occupancy.customer).exclude(status=S.CANCELLED).exists():
            raise Conflict(_("Your household is already signed up."), state="signed_up")
        free = locked.capacity - confirmed_places(locked)
        if via == Signup.Via.DOOR and seats > free:
            raise Conflict(_("The activity is full."), state="full")
        status = S.CONFIRMED if seats <= free else S.WAITING
        signup = Signup(activity=activity, customer=occupancy.customer, unit=occupancy.unit, seats=seats,
                        phone=phone, code=_new_code(activity), status=status, via=via, created_at=now,
                        attended_at=now if attended else None, checked_in_by=actor if attended else None)
        signup.save()
        summary = (gettext_noop("Signed up for %(title)s (%(seats)d places)") if status == S.CONFIRMED
                   else gettext_noop("On the waiting list of %(title)s (%(seats)d places)"))
        timeline.record(actor, "engage.signed_up", Message(summary, {"title": activity.title, "seats": seats}),
                        subjects=[occupancy.customer, occupancy.unit], at=now)
        if attended:
            _record_attendance(actor, signup, now)
    return signup


def owner_sign_up(owner, activity: Activity, unit_id: int, seats, phone: str = "", idempotency_key: str | None = None,
                  now=None) -> tuple[Signup, bool]:
    """An owner signs their household up in the portal, for one of their current homes in the audience."""
    occupancy = next((o for o in owner.occupancies if o.unit_id == unit_id and in_audience(activity, o)), None)
    if occupancy is None:
        raise ValidationError({"unit": _("Choose one of your homes that the activity is open to.")})

    def create():
        return _sign_up(activity, occupancy, seats, phone or owner.phone, Signup.Via.PORTAL, now=now)

    return create_once(client_of(owner), idempotency_key, Signup, create)


def desk_sign_up(actor, activity: Activity, phone: str, seats, now=None) -> Signup:
    """The desk signs up the household of a resident who called or came in, found by their phone."""
    require_project(actor, activity.project_id)
    require_role(actor, ARCHIVE_EDITORS)
    occupancy = _resident_by_phone(activity, phone)
    if occupancy is None:
        raise ValidationError({"phone": _("No resident of the activity's audience has this phone number.")})
    return _sign_up(activity, occupancy, seats, phone, Signup.Via.DESK, actor=actor, now=now)


def _resident_by_phone(activity: Activity, phone: str) -> Occupancy | None:
    digits = normalize_phone(phone or "")
    if len(digits) < 7:
        return None
    customers = CustomerPhone.objects.filter(number=digits, customer__project_id=activity.project_id).values(
        "customer_id")
    for occupancy in (Occupancy.objects.current().filter(customer_id__in=customers)
                      .select_related("unit", "customer").order_by("role", "start_date")):
        if in_audience(activity, occupancy):
            return occupancy
    return None


def cancel_signup(actor, signup: Signup, now=None) -> list[Signup]:
    """Cancel a sign-up before the activity starts; returns the waiting sign-ups that moved up.

    `actor` is the owner (portal) or a staff member (desk). The freed places go to the waiting list in
    order of arrival: each waiting sign-up whose places fit in what is free is confirmed and told by SMS.
    """
    now = now or timezone.now()
    activity = signup.activity
    if getattr(actor, "unit_ids", None) is None:  # staff
        require_project(actor, activity.project_id)
        require_role(actor, ARCHIVE_EDITORS)
    elif signup.customer_id not in actor.customer_ids:
        raise NotFound
    with transaction.atomic():
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        if locked.starts_at <= now or locked.status != A.PUBLISHED:
            raise Conflict(_("The activity has started or is no longer open; the sign-up stays."), state=locked.status)
        if not Signup.objects.filter(pk=signup.pk).exclude(status=S.CANCELLED).update(status=S.CANCELLED,
                                                                                        cancelled_at=now):
            raise Conflict(_("This sign-up was already cancelled."), state=S.CANCELLED)
        staff = actor if getattr(actor, "unit_ids", None) is None else None
        timeline.record(staff, "engage.signup_cancelled", Message(gettext_noop("Sign-up for %(title)s cancelled"),
                                                                  {"title": activity.title}),
                        subjects=[signup.customer, signup.unit], at=now)
        moved = _move_up(locked, now)
    return moved


def _move_up(activity: Activity, now) -> list[Signup]:
    free = activity.capacity - confirmed_places(activity)
    moved = []
    for waiting in Signup.objects.filter(activity=activity, status=S.WAITING).select_related("customer", "unit"):
        if waiting.seats > free:
            continue
        Signup.objects.filter(pk=waiting.pk, status=S.WAITING).update(status=S.CONFIRMED, promoted_at=now)
        waiting.status, waiting.promoted_at = S.CONFIRMED, now
        free -= waiting.seats
        moved.append(waiting)
        timeline.record(None, "engage.signup_moved_up", Message(
            gettext_noop("Moved up from the waiting list of %(title)s"), {"title": activity.title}),
            subjects=[waiting.customer, waiting.unit], at=now)
        message = Message(gettext_noop("%(project)s: a place became free — your household is confirmed for "
                                       "\"%(title)s\" on %(when)s. Your sign-up code is %(code)s."),
                          {"project": activity.project.name, "title": activity.title, "code": waiting.code,
                           "when": timezone.localtime(activity.starts_at).strftime("%m-%d %H:%M")})
        notify(project=activity.project_id, event="engage.signup_moved_up", subject=message, body=message,
               customers=[Contact(customer_id=waiting.customer_id, name=waiting.customer.name, phone=waiting.phone)])
        if free <= 0:
            break
    return moved


# -- at the door --------------------------------------------------------------------------------------


def check_in(actor, activity: Activity, typed: str, now=None) -> Signup:
    """Check a household in at the door by its sign-up code or a phone number; a resident of the audience
    who did not sign up is let in while places are free (a sign-up "at the door")."""
    require_project(actor, activity.project_id)
    require_role(actor, ARCHIVE_EDITORS)
    now = now or timezone.now()
    if activity.status not in (A.PUBLISHED, A.FINISHED) or not (
            activity.starts_at - DOOR_OPENS <= now <= activity.ends_at):
        raise Conflict(_("Check-in is open from two hours before the start until the end."), state=activity.status)
    typed = (typed or "").strip()
    digits = normalize_phone(typed)
    if not digits:
        raise ValidationError({"typed": _("Type the sign-up code or the phone number.")})
    live = Signup.objects.filter(activity=activity).exclude(status=S.CANCELLED).select_related("customer", "unit")
    found = None
    if len(digits) == 6:
        found = live.filter(code=digits).first()
    if found is None:
        phones = CustomerPhone.objects.filter(number=digits).values("customer_id")
        found = (live.filter(phone=digits).first() or live.filter(customer_id__in=phones).first())
    if found is None:
        occupancy = _resident_by_phone(activity, digits)
        if occupancy is None:
            raise NotFound
        return _sign_up(activity, occupancy, 1, digits, Signup.Via.DOOR, actor=actor, now=now, attended=True)
    if found.status == S.WAITING:
        raise Conflict(_("%(name)s is on the waiting list: no place is free.") % {"name": found.customer.name},
                       state=S.WAITING)
    if found.attended_at is not None:
        raise Conflict(_("%(name)s was already checked in at %(at)s.") % {
            "name": found.customer.name, "at": timezone.localtime(found.attended_at).strftime("%H:%M")},
            state="attended")
    with transaction.atomic():
        if not Signup.objects.filter(pk=found.pk, attended_at__isnull=True).update(attended_at=now,
                                                                                   checked_in_by=actor):
            raise Conflict(_("Already checked in."), state="attended")
        found.attended_at, found.checked_in_by = now, actor
        _record_attendance(actor, found, now)
    return found


def _record_attendance(actor, signup: Signup, now) -> None:
    timeline.record(actor, "engage.attended", Message(gettext_noop("Attended %(title)s"),
                                                      {"title": signup.activity.title}),
                    subjects=[signup.customer, signup.unit], at=now)
    from ..points import ledger

    ledger.earn_for_attendance(signup, now)


def signup_by_id(owner, signup_id: int) -> Signup:
    """One of the owner's own sign-ups, or NotFound."""
    signup = Signup.objects.select_related("activity__project", "unit", "customer").filter(
        pk=signup_id, customer_id__in=owner.customer_ids).first()
    if signup is None:
        raise NotFound
    return signup


