"""Create and update model instances with validation and a timeline entry, in one transaction.

Domain services call these helpers so every archive write is validated the same way (model field
validation, then the service's own rules) and recorded with old and new values.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from . import timeline
from .sensitive import mask_changes


def create_recorded(
    actor, instance: models.Model, verb: str, summary: timeline.Message, subjects=(), check=None
) -> models.Model:
    """Validate and insert `instance`, recording a creation event on its subjects' cards.

    `check(instance)` runs the service's own rules after field validation and may raise ValidationError.
    """
    instance.full_clean()
    if check:
        check(instance)
    with transaction.atomic():
        instance.save(force_insert=True)
        timeline.record(actor, verb, summary, subjects=[instance, *subjects])
    return instance


def update_recorded(
    actor,
    instance: models.Model,
    data: dict,
    allowed: set[str],
    verb: str,
    summary: timeline.Message,
    subjects=(),
    check=None,
) -> dict:
    """Apply `data` to `instance` (only `allowed` fields), validate, save and record the diff.

    Returns the {field: [old, new]} diff; nothing is written when it is empty.
    """
    unknown = set(data) - allowed
    if unknown:
        raise ValidationError({f: ValidationError(_("This field cannot be changed."), code="read_only") for f in unknown})
    changed = timeline.diff(instance, data)
    if not changed:
        return {}
    for field, value in data.items():
        setattr(instance, field, value)
    instance.full_clean()
    if check:
        check(instance)
    with transaction.atomic():
        instance.save(update_fields=[f for f in data if f in changed])
        # ID numbers are recorded masked: the timeline never holds one in clear.
        timeline.record(actor, verb, summary, subjects=[instance, *subjects], changes=mask_changes(changed))
    return changed
