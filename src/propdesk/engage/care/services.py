"""Care (关怀, issue 15 item 4; PRODUCT.md area 5: greetings on festivals and birthdays, particular attention
to elderly residents; seed 004 3.3.2 节日关怀).

- Festival greetings: before a festival the butler team sees who is to be greeted (each household once,
  through its owner or else its tenant; on the Double Ninth, the elderly residents themselves) and sends
  them from the project's template through notify (SMS, and WeChat where the owner follows the service
  account). Each greeting is a Greeting row (once per customer, occasion and date) and an event on the
  customer's card. An owner who opted out is never greeted.
- Birthday greetings go out by themselves on the day (the daily job), from the project's birthday template
  while it is active; 29 February birthdays on 28 February in common years.
- Elderly households (a resident of ELDERLY_AGE or more, by the archive's birth date, or a care flag
  "elderly, living alone") get a door visit on the callback list (RuleKind.FESTIVAL_VISIT) due two days
  before the Spring Festival, the Mid-Autumn Festival and the Double Ninth.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from propdesk.archive.models import Customer, CustomerPhone, Occupancy
from propdesk.core import timeline
from propdesk.core.errors import NotFound
from propdesk.core.timeline import Message
from propdesk.notify.services import Outgoing, send_bulk, valid_address
from propdesk.org.access import ARCHIVE_EDITORS, require_project, require_role
from propdesk.org.models import Project

from .. import audience
from ..models import (
    CallbackTask,
    CareFlag,
    Channel,
    ContactPreference,
    Greeting,
    GreetingTemplate,
    Occasion,
    RuleKind,
)
from . import calendar

ELDERLY_AGE = 70            # a household with a resident this old gets the festival visits
ELDERLY_GREETING_AGE = 60   # the Double Ninth greeting goes to residents this old
VISIT_DAYS_BEFORE = 2       # the visit is due this many days before the festival
PLAN_AHEAD_DAYS = 10        # visits are planned this far ahead (the list shows them once due)
SEND_EARLY_DAYS = 14        # greetings may be sent this long before the day…
SEND_LATE_DAYS = 3          # …and this long after it
DEFAULT_TEXTS = {
    Occasion.SPRING_FESTIVAL: gettext_noop("Dear {name}, {project} Property Service Centre wishes you and your "
                                           "family a happy Spring Festival and a healthy new year!"),
    Occasion.LANTERN: gettext_noop("Dear {name}, happy Lantern Festival from {project} Property Service Centre!"),
    Occasion.DRAGON_BOAT: gettext_noop("Dear {name}, {project} Property Service Centre wishes you a peaceful "
                                       "Dragon Boat Festival!"),
    Occasion.MID_AUTUMN: gettext_noop("Dear {name}, {project} Property Service Centre wishes you and your family "
                                      "a happy Mid-Autumn Festival and a joyful reunion!"),
    Occasion.DOUBLE_NINTH: gettext_noop("Dear {name}, on the Double Ninth Festival {project} Property Service "
                                        "Centre wishes you good health and a long life!"),
    Occasion.NEW_YEAR: gettext_noop("Dear {name}, {project} Property Service Centre wishes you a happy New Year!"),
    Occasion.LABOUR_DAY: gettext_noop("Dear {name}, {project} Property Service Centre wishes you a happy Labour "
                                      "Day holiday!"),
    Occasion.NATIONAL_DAY: gettext_noop("Dear {name}, {project} Property Service Centre wishes you a happy "
                                        "National Day holiday!"),
    Occasion.BIRTHDAY: gettext_noop("Dear {name}, {project} Property Service Centre wishes you a happy "
                                    "birthday!"),
}
CHANNELS = ("sms", "wechat")


def templates_for(project: Project) -> dict[str, GreetingTemplate]:
    """The project's greeting templates, created from the default wording the first time they are asked for."""
    found = {t.occasion: t for t in GreetingTemplate.objects.filter(project=project)}
    missing = [o for o in Occasion.values if o not in found]
    if missing:
        with translation.override(settings.LANGUAGE_CODE):
            GreetingTemplate.objects.bulk_create(
                [GreetingTemplate(project=project, occasion=o, text=_(DEFAULT_TEXTS[o])[:200]) for o in missing],
                ignore_conflicts=True)
        found = {t.occasion: t for t in GreetingTemplate.objects.filter(project=project)}
    return found


def save_templates(actor, project: Project, texts: dict[str, tuple[str, bool]]) -> None:
    """Change the wording and the activity of the project's greetings ({occasion: (text, active)}); every
    text is checked before any is written."""
    require_project(actor, project.pk)
    require_role(actor, ARCHIVE_EDITORS)
    errors = {}
    for occasion, (text, _active) in texts.items():
        text = (text or "").strip()
        if occasion not in Occasion.values:
            errors[occasion] = _("Select a valid choice.")
        elif not text or len(text) > 200:
            errors[occasion] = _("Write the greeting (at most 200 characters).")
    if errors:
        raise ValidationError(errors)
    current = templates_for(project)
    with transaction.atomic():
        for occasion, (text, active) in texts.items():
            template = current[occasion]
            changes = timeline.diff(template, {"text": text.strip(), "is_active": bool(active)})
            if changes:
                GreetingTemplate.objects.filter(pk=template.pk).update(text=text.strip(), is_active=bool(active))
                timeline.record(actor, "engage.greeting_template", Message(
                    gettext_noop("Greeting for %(occasion)s changed"), {"occasion": template.get_occasion_display()}),
                    subjects=[project], changes=changes)


def _opted_out():
    return Exists(ContactPreference.objects.filter(customer=OuterRef("pk"), greetings_opt_out=True))


def recipients(project: Project, occasion: str, day: dt.date) -> list[Customer]:
    """Who the greeting of `occasion` on `day` goes to: not opted out, not yet greeted for it (see module)."""
    greeted = Greeting.objects.filter(customer=OuterRef("pk"), occasion=occasion, day=day)
    living = Occupancy.objects.filter(customer=OuterRef("pk")).current(day)
    if occasion == Occasion.BIRTHDAY:
        born = Q(birth_date__month=day.month, birth_date__day=day.day)
        if (day.month, day.day) == (2, 28) and not _leap(day.year):
            born |= Q(birth_date__month=2, birth_date__day=29)  # 29 February: greeted on the 28th this year
        qs = Customer.objects.filter(born, project=project).filter(Exists(living))
    elif occasion in calendar.ELDERLY_ONLY:
        qs = Customer.objects.filter(project=project, birth_date__lte=audience.years_ago(day, ELDERLY_GREETING_AGE))
        qs = qs.filter(Exists(living))
    else:
        households = audience.households(audience.Audience(project.pk, roles=(Occupancy.Role.OWNER,
                                                                               Occupancy.Role.TENANT)), day)
        qs = Customer.objects.filter(pk__in=list(households.values()))
    return list(qs.exclude(_opted_out()).exclude(Exists(greeted)).order_by("pk"))


def _leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def check_day(occasion: str, day: dt.date, today: dt.date) -> None:
    if occasion not in Occasion.values:
        raise ValidationError({"occasion": _("Select a valid choice.")})
    if occasion != Occasion.BIRTHDAY and calendar.festival_day(occasion, day.year) != day:
        raise ValidationError({"day": _("%(occasion)s is not on %(day)s.") % {
            "occasion": Occasion(occasion).label, "day": day.isoformat()}})
    if not day - dt.timedelta(days=SEND_EARLY_DAYS) <= today <= day + dt.timedelta(days=SEND_LATE_DAYS):
        raise ValidationError({"day": _("Greetings are sent from two weeks before the day until three days after.")})


def send_greetings(actor, project: Project, occasion: str, day: dt.date, now: dt.datetime | None = None) -> int:
    """Greet everyone `recipients()` names for the occasion, once; returns how many were greeted."""
    if actor is not None:
        require_project(actor, project.pk)
        require_role(actor, ARCHIVE_EDITORS)
    now = now or timezone.now()
    check_day(occasion, day, timezone.localdate(now))
    template = templates_for(project)[occasion]
    if not template.is_active:
        raise ValidationError({"occasion": _("This greeting is switched off in the project's templates.")})
    people = recipients(project, occasion, day)
    contacts = _contacts([c.pk for c in people])
    people = [c for c in people if contacts.get(c.pk)]
    if not people:
        return 0
    label = Occasion(occasion).label
    with translation.override(settings.LANGUAGE_CODE):  # what the owner reads, in Chinese
        subject = str(label)
    with transaction.atomic():
        Greeting.objects.bulk_create([Greeting(project=project, customer=c, occasion=occasion, day=day, sent_by=actor,
                                               sent_at=now) for c in people], ignore_conflicts=True)
        mine = dict(Greeting.objects.filter(occasion=occasion, day=day, sent_at=now, customer__in=people)
                    .values_list("customer_id", "pk"))
        people = [c for c in people if c.pk in mine]
        timeline.record_many((timeline.new_event(actor, "engage.greeted", Message(
            gettext_noop("%(occasion)s greeting sent"), {"occasion": label}), at=now), [c]) for c in people)
        messages = [Outgoing(once_key=f"greeting:{mine[c.pk]}:{channel}", channel=channel, address=address,
                             customer_id=c.pk, name=c.name, subject=subject,
                             body=template.text.replace("{name}", c.name).replace("{project}", project.name))
                    for c in people for channel, address in contacts[c.pk].items()]
        # In the same transaction: the greetings, their timeline and their messages exist together or not at
        # all; the messages leave once it commits (send_bulk enqueues on commit).
        send_bulk(project=project, event="engage.greeting", batch=f"greeting:{occasion}:{day.isoformat()}"[:40],
                  messages=messages)
    return len(people)


def _contacts(customer_ids: list[int]) -> dict[int, dict[str, str]]:
    """{customer id: {channel: address}}: the first usable mobile, and the WeChat openid if any."""
    found: dict[int, dict[str, str]] = {}
    for customer_id, number in (CustomerPhone.objects.filter(customer_id__in=customer_ids).order_by("id")
                                .values_list("customer_id", "number")):
        if "sms" not in found.get(customer_id, {}) and valid_address("sms", number):
            found.setdefault(customer_id, {})["sms"] = number
    for customer_id, openid in (ContactPreference.objects.filter(customer_id__in=customer_ids)
                                .exclude(wechat_openid="").values_list("customer_id", "wechat_openid")):
        found.setdefault(customer_id, {})["wechat"] = openid
    return found


def send_birthday_greetings(today: dt.date | None = None, now: dt.datetime | None = None) -> int:
    """The daily job: today's birthdays in every project whose birthday greeting is active."""
    today = today or timezone.localdate()
    sent = 0
    for project in Project.objects.order_by("pk"):
        if templates_for(project)[Occasion.BIRTHDAY].is_active:
            sent += send_greetings(None, project, Occasion.BIRTHDAY, today, now=now)
    return sent


def plan_festival_visits(today: dt.date | None = None) -> int:
    """Put the door visits of the elderly households on the callback list for the coming festivals (once:
    CallbackTask is unique per kind, customer and due date); returns how many were planned."""
    today = today or timezone.localdate()
    planned = 0
    for festival in calendar.festivals_between(today, today + dt.timedelta(days=PLAN_AHEAD_DAYS)):
        if not festival.visits:
            continue
        due = max(today, festival.day - dt.timedelta(days=VISIT_DAYS_BEFORE))
        for project in Project.objects.order_by("pk"):
            already = set(CallbackTask.objects.filter(project=project, kind=RuleKind.FESTIVAL_VISIT, due_date=due)
                          .values_list("customer_id", flat=True))
            tasks = [CallbackTask(project=project, kind=RuleKind.FESTIVAL_VISIT, channel=Channel.DOOR_VISIT,
                                  customer_id=customer_id, unit_id=unit_id, due_date=due)
                     for unit_id, customer_id in elderly_households(project, festival.day).items()
                     if customer_id not in already]
            CallbackTask.objects.bulk_create(tasks, ignore_conflicts=True)  # a concurrent run: its rows stay
            planned += len(tasks)
    return planned


def elderly_households(project: Project, day: dt.date) -> dict[int, int]:
    """{unit id: customer id} of the households with a resident of ELDERLY_AGE or more (or flagged as elderly
    living alone) on `day`; the oldest such resident is the one visited."""
    flagged = CareFlag.objects.filter(Q(until__isnull=True) | Q(until__gte=day), customer=OuterRef("customer_id"),
                                      reason=CareFlag.Reason.ELDERLY_ALONE, since__lte=day)
    rows = (Occupancy.objects.current(day).filter(unit__project=project)
            .filter(Q(customer__birth_date__lte=audience.years_ago(day, ELDERLY_AGE)) | Exists(flagged))
            .order_by("unit_id", "customer__birth_date", "customer_id").values_list("unit_id", "customer_id"))
    chosen: dict[int, int] = {}
    for unit_id, customer_id in rows:
        chosen.setdefault(unit_id, customer_id)
    return chosen


def set_greetings_opt_out(actor, customer: Customer, opt_out: bool) -> ContactPreference:
    """An owner (portal) or the desk on their behalf says whether the customer wants greetings."""
    if getattr(actor, "customer_ids", None) is not None:
        if customer.pk not in actor.customer_ids:
            raise NotFound
        staff = None
    else:
        require_project(actor, customer.project_id)
        require_role(actor, ARCHIVE_EDITORS)
        staff = actor
    with transaction.atomic():
        preference, _created = ContactPreference.objects.select_for_update().get_or_create(customer=customer)
        if preference.greetings_opt_out != bool(opt_out):
            preference.greetings_opt_out = bool(opt_out)
            preference.changed_at = timezone.now()
            preference.save(update_fields=["greetings_opt_out", "changed_at"])
            summary = gettext_noop("Greetings declined") if opt_out else gettext_noop("Greetings welcome again")
            timeline.record(staff, "engage.greetings_preference", Message(summary), subjects=[customer])
    return preference
