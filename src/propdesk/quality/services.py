"""Writes of the quality app: a manager sets a project's KPI target, recorded on the timeline."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from propdesk.core import timeline
from propdesk.core.timeline import Message
from propdesk.org.access import MANAGERS, require_project, require_role

from .kpis import KPIS
from .models import KpiTarget


def set_target(actor, project, code: str, target) -> KpiTarget | None:
    """Set (or, with target None/"", reset to the default) a project's target for one KPI."""
    require_role(actor, MANAGERS)
    require_project(actor, project.pk)
    if code not in KPIS:
        raise ValidationError({"code": _("Unknown KPI.")})
    value = None
    if target not in (None, ""):
        try:
            value = Decimal(str(target))
        except InvalidOperation as exc:
            raise ValidationError({"target": _("Enter a number.")}) from exc
        if value < 0 or value > 10000:
            raise ValidationError({"target": _("Enter a number between 0 and 10000.")})
    with transaction.atomic():
        current = KpiTarget.objects.filter(project=project, code=code).first()
        before = str(current.target) if current else None
        if value is None:
            if current:
                current.delete()
            row = None
        else:
            row, _created = KpiTarget.objects.update_or_create(project=project, code=code,
                                                               defaults={"target": value})
        timeline.record(actor, "quality.target_set", Message(
            gettext_noop("KPI target %(code)s set to %(target)s"),
            {"code": code, "target": str(value) if value is not None else "default"}),
            subjects=[project], changes={code: [before, str(value) if value is not None else None]})
    return row
