"""A project's own settings of public affairs, kept by its managers (issue 13: item 1 "a checklist
configurable per project", item 2 "patrol inspections scheduled at a project-set interval", item 6
"a project-set number of days" before an unclaimed item is posted, "a longer period" before disposal).

The numbers and the checklist are saved together in one transaction: a bad line of the checklist
leaves the numbers unchanged too.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from propdesk.core import timeline
from propdesk.core.timeline import Message
from propdesk.org.access import MANAGERS, require_project, require_role

from . import handover
from .models import AffairsSettings, ChecklistItem

# field: (smallest, largest) accepted
LIMITS = {"patrol_interval_days": (1, 30), "unclaimed_notice_days": (1, 90), "disposal_days": (7, 3650)}


def _check(numbers: dict) -> dict:
    errors = {}
    clean = {}
    for name, (low, high) in LIMITS.items():
        value = numbers.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            errors[name] = _("Enter a whole number of days from %(low)d to %(high)d.") % {"low": low, "high": high}
        else:
            clean[name] = value
    if not errors and clean["disposal_days"] <= clean["unclaimed_notice_days"]:
        errors["disposal_days"] = _("Disposal must come later than the posting on the notice board.")
    if errors:
        raise ValidationError(errors)
    return clean


def configure(actor, project, *, checklist: list[tuple[str, str, int | None]], **numbers) -> AffairsSettings:
    """Save the project's handover checklist (group, item, quantity rows in order) and its numbers of days
    (managers of the project only)."""
    require_role(actor, MANAGERS)
    require_project(actor, project.pk)
    unknown = set(numbers) - set(LIMITS)
    if unknown:
        raise ValidationError({f: _("Unknown field.") for f in unknown})
    clean = _check(numbers)
    current = [(i.group, i.name, i.quantity) for i in ChecklistItem.objects.filter(project=project, active=True)]
    with transaction.atomic():
        if [(g, n.strip(), q) for g, n, q in checklist] != current:
            handover.set_checklist(actor, project, checklist)
        row = AffairsSettings.for_project(project.pk)
        before = {name: getattr(row, name) for name in LIMITS}
        for name, value in clean.items():
            setattr(row, name, value)
        row.save()
        changes = {name: [before[name], clean[name]] for name in LIMITS if before[name] != clean[name]}
        if changes:
            timeline.record(actor, "affairs.settings.changed", Message(
                gettext_noop("Public affairs settings of %(project)s changed"), {"project": project.name}),
                subjects=[project], changes=changes)
    return row
