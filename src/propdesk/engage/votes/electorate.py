"""Who votes, and with what area: the electorate of a vote, fixed when it opens (SPC interpretation arts. 8–9).

- Every unit of the project is an exclusive part (专有部分); its area is the registered area the archive
  keeps for it (Unit.area).
- The owners of a unit are its current owner occupancies on the day the vote opens. The co-owners of a unit
  count as one; one owner of several units counts once. "One owner" is one person: one archive record, or
  several records with the same ID number (compared by its keyed hash) — not a shared phone, which spouses
  who each own a home may well have. So the units are grouped by shared owners, transitively, and each
  group is one elector with the area of all its units.
- The developer's units — marked unsold, or with no current owner (sold but not yet delivered) — are one
  elector in all, "the developer".
"""

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _

from propdesk.archive.models import Customer, Occupancy
from propdesk.org.models import Unit

MAX_UNITS_SHOWN = 5


class _Groups:
    """Union-find over hashable keys."""

    def __init__(self):
        self.parent: dict = {}

    def find(self, key):
        self.parent.setdefault(key, key)
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def join(self, a, b):
        self.parent[self.find(a)] = self.find(b)


def _unit_label(row) -> str:
    return "-".join(p for p in (row["building__code"], row["entrance"], row["number"]) if p)


def _units_label(labels: list[str]) -> str:
    labels = sorted(labels)
    if len(labels) <= MAX_UNITS_SHOWN:
        return "、".join(labels)
    return _("%(units)s and %(more)d more") % {"units": "、".join(labels[:MAX_UNITS_SHOWN]),
                                                "more": len(labels) - MAX_UNITS_SHOWN}


def electorate(project, day: dt.date) -> list[dict]:
    """The electors of `project` on `day`: dicts of label, units_label, area, units, unit_ids, customer_ids,
    is_developer (the developer last)."""
    units = {row["pk"]: row for row in Unit.objects.filter(project=project).values(
        "pk", "area", "status", "building__code", "entrance", "number")}
    owners = defaultdict(set)
    for unit_id, customer_id in (Occupancy.objects.current(day).filter(unit__project=project,
                                                                       role=Occupancy.Role.OWNER)
                                 .values_list("unit_id", "customer_id")):
        owners[unit_id].add(customer_id)
    groups = _Groups()
    developer = set()
    for unit_id, row in units.items():
        if row["status"] == Unit.Status.UNSOLD or not owners[unit_id]:
            developer.add(unit_id)
            continue
        for customer_id in owners[unit_id]:
            groups.join(("unit", unit_id), ("customer", customer_id))
    customer_ids = {c for ids in owners.values() for c in ids}
    names = {}
    for customer_id, name, id_hash in Customer.objects.filter(pk__in=customer_ids).values_list(
            "pk", "name", "id_number_hash"):
        names[customer_id] = name
        if id_hash:
            groups.join(("customer", customer_id), ("id", id_hash))
    members = defaultdict(lambda: {"units": [], "customers": set()})
    for unit_id in units:
        if unit_id in developer:
            continue
        group = members[groups.find(("unit", unit_id))]
        group["units"].append(unit_id)
        group["customers"] |= owners[unit_id]
    electors = []
    for group in members.values():
        unit_ids = sorted(group["units"])
        electors.append({
            "label": "、".join(sorted({names[c] for c in group["customers"]}))[:200],
            "units_label": _units_label([_unit_label(units[u]) for u in unit_ids])[:300],
            "area": sum((units[u]["area"] for u in unit_ids), Decimal("0")), "units": len(unit_ids),
            "unit_ids": unit_ids, "customer_ids": sorted(group["customers"]), "is_developer": False})
    electors.sort(key=lambda e: e["units_label"])
    if developer:
        unit_ids = sorted(developer)
        electors.append({
            "label": _("The developer (unsold or undelivered units)"),
            "units_label": _units_label([_unit_label(units[u]) for u in unit_ids])[:300],
            "area": sum((units[u]["area"] for u in unit_ids), Decimal("0")), "units": len(unit_ids),
            "unit_ids": unit_ids, "customer_ids": [], "is_developer": True})
    return electors
