"""Reads of the care calendar: the year ahead of a project, with what is to do before each occasion."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q

from propdesk.archive.models import Customer

from ..models import CallbackTask, ContactPreference, Greeting, Occasion, RuleKind
from . import calendar, services

# Occasions closer than this get their figures computed (the rest of the year shows the dates only).
DETAIL_DAYS = 45


@dataclass
class Row:
    festival: calendar.Festival
    to_greet: int | None = None
    greeted: int = 0
    visits_planned: int = 0
    visits_done: int = 0
    can_send: bool = False


def year_ahead(project, today: dt.date) -> list[Row]:
    """The festivals of the coming year; for the near ones, who is still to greet, who was, and the visits."""
    festivals = calendar.festivals_between(today - dt.timedelta(days=services.SEND_LATE_DAYS),
                                           today + dt.timedelta(days=365))
    greeted = {(row["occasion"], row["day"]): row["n"] for row in Greeting.objects.filter(
        project=project, day__in=[f.day for f in festivals]).exclude(occasion=Occasion.BIRTHDAY)
        .values("occasion", "day").annotate(n=Count("id")).order_by()}
    visits = {row["due_date"]: row for row in CallbackTask.objects.filter(
        project=project, kind=RuleKind.FESTIVAL_VISIT, due_date__gte=today - dt.timedelta(days=10))
        .values("due_date").annotate(planned=Count("id"), done=Count("id", filter=Q(status="done")))}
    rows = []
    for festival in festivals:
        row = Row(festival, greeted=greeted.get((festival.occasion, festival.day), 0))
        due = festival.day - dt.timedelta(days=services.VISIT_DAYS_BEFORE)
        for day, counts in visits.items():
            if festival.visits and due - dt.timedelta(days=services.PLAN_AHEAD_DAYS) <= day <= festival.day:
                row.visits_planned += counts["planned"]
                row.visits_done += counts["done"]
        if festival.day <= today + dt.timedelta(days=DETAIL_DAYS):
            row.to_greet = len(services.recipients(project, festival.occasion, festival.day))
            try:
                services.check_day(festival.occasion, festival.day, today)
                row.can_send = True
            except Exception:  # outside the sending window: the page shows the figures only
                row.can_send = False
        rows.append(row)
    return rows


def birthdays_ahead(project, today: dt.date, days: int = 30) -> list[tuple[dt.date, Customer]]:
    """Residents' birthdays in the coming `days` days (those who declined greetings are marked)."""
    declined = set(ContactPreference.objects.filter(customer__project=project, greetings_opt_out=True)
                   .values_list("customer_id", flat=True))
    days_ahead = [today + dt.timedelta(days=n) for n in range(days + 1)]
    born = Q()
    for day in days_ahead:
        born |= Q(birth_date__month=day.month, birth_date__day=day.day)
        if (day.month, day.day) == (2, 28):
            born |= Q(birth_date__month=2, birth_date__day=29)
    found = []
    for customer in Customer.objects.filter(born, project=project).only("pk", "name", "birth_date"):
        for year in (today.year, today.year + 1):
            day = calendar.birthday_in(year, customer.birth_date)
            if today <= day <= today + dt.timedelta(days=days):
                customer.declined = customer.pk in declined
                customer.turning = calendar.age_on(customer.birth_date, day)
                found.append((day, customer))
                break
    return sorted(found, key=lambda pair: (pair[0], pair[1].name))
