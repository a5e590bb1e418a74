"""Reads of community activities: the console's (scoped through org.access) and the owner's (their homes)."""

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from propdesk.core.errors import NotFound
from propdesk.org.access import get_scoped, scope
from propdesk.org.models import Unit

from ..models import Activity, ActivityPhoto, Signup

A, S = Activity.Status, Signup.Status


def _with_counts(qs):
    return qs.annotate(
        confirmed=Sum("signups__seats", filter=Q(signups__status=S.CONFIRMED), default=0),
        waiting=Count("signups", filter=Q(signups__status=S.WAITING)),
        attended=Count("signups", filter=Q(signups__attended_at__isnull=False)))


def activities_for(user, project_id: int | None = None, status: str | None = None):
    qs = scope(Activity.objects.select_related("project"), user)
    if project_id:
        qs = qs.filter(project_id=project_id)
    if status:
        qs = qs.filter(status=status)
    return _with_counts(qs).order_by("-starts_at", "-id")


def get_activity(user, activity_id: int) -> Activity:
    return get_scoped(_with_counts(Activity.objects.select_related("project", "created_by")), user, pk=activity_id)


def signups_of(activity: Activity):
    """Confirmed first, then the waiting list in its order, then the cancelled ones."""
    order = {S.CONFIRMED: 0, S.WAITING: 1, S.CANCELLED: 2}
    rows = list(Signup.objects.filter(activity=activity).select_related("customer", "unit__building", "checked_in_by"))
    return sorted(rows, key=lambda s: (order[s.status], s.created_at, s.pk))


def get_signup(user, signup_id: int) -> Signup:
    return get_scoped(Signup.objects.select_related("activity__project", "customer", "unit"), user, pk=signup_id)


def photos_of(activity: Activity):
    return ActivityPhoto.objects.filter(activity=activity)


def get_photo(user, photo_id: int) -> ActivityPhoto:
    return get_scoped(ActivityPhoto.objects.select_related("activity"), user, pk=photo_id)


def signups_xlsx(activity: Activity) -> bytes:
    from django.utils.translation import gettext as _

    from ..exports import workbook

    rows = ([s.get_status_display(), s.unit.label if s.unit else "", s.customer.name, s.phone, s.seats, s.code,
             s.get_via_display(), s.created_at, s.attended_at] for s in signups_of(activity))
    return workbook(_("Sign-ups"), [_("Status"), _("Unit"), _("Name"), _("Phone"), _("Places"), _("Sign-up code"),
                                    _("Signed up via"), _("Signed up"), _("Attended")], rows)


# -- the owner's -------------------------------------------------------------------------------------


def _for_owner(owner):
    """Activities of the owner's projects open to one of their current homes (buildings and roles)."""
    units = Unit.objects.filter(pk__in=owner.unit_ids).values_list("pk", "building_id", "project_id")
    buildings = [b for _u, b, _p in units]
    roles = sorted({o.role for o in owner.occupancies})
    targeted = Activity.buildings.through.objects.filter(activity_id=OuterRef("pk"))
    qs = Activity.objects.filter(project_id__in=owner.project_ids).filter(
        ~Exists(targeted) | Exists(targeted.filter(building_id__in=buildings)))
    matches = [a.pk for a in qs.only("pk", "roles") if set(a.roles or []) & set(roles)]
    return Activity.objects.filter(pk__in=matches)


def activities_for_owner(owner, now=None):
    """Published activities not yet over (and finished ones with a record), soonest first."""
    now = now or timezone.now()
    mine = Signup.objects.filter(activity_id=OuterRef("pk"), customer_id__in=owner.customer_ids).exclude(
        status=S.CANCELLED)
    qs = _for_owner(owner).filter(Q(status=A.PUBLISHED, ends_at__gte=now) | Q(status=A.FINISHED))
    return (_with_counts(qs).select_related("project").annotate(signed_up=Exists(mine))
            .order_by("status", "starts_at", "id"))


def get_owner_activity(owner, activity_id: int) -> Activity:
    activity = _with_counts(_for_owner(owner).filter(pk=activity_id).exclude(status=A.DRAFT)).select_related(
        "project").first()
    if activity is None:
        raise NotFound
    return activity


def owner_signups(owner, activity: Activity | None = None):
    qs = Signup.objects.filter(customer_id__in=owner.customer_ids).select_related("activity", "unit__building")
    return qs.filter(activity=activity) if activity is not None else qs.order_by("-created_at")


def waiting_position(signup: Signup) -> int | None:
    """Where a waiting sign-up stands in the list (1 = next to move up)."""
    if signup.status != S.WAITING:
        return None
    return Signup.objects.filter(activity_id=signup.activity_id, status=S.WAITING).filter(
        Q(created_at__lt=signup.created_at) | Q(created_at=signup.created_at, pk__lt=signup.pk)).count() + 1
