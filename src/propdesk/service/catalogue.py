"""The published price list (收费标准 / 特约服务价目表), kept by the project's managers (PRODUCT.md area 4).

Special services are "priced in advance on a published price list": a manager adds, edits, publishes
and withdraws items; every change is on the project's timeline, so what an owner was shown on a given
day can be traced. An order keeps the price agreed when it was made (ordering.py), so editing a price
never changes an order already made. Items are never deleted (work orders point at them): they are
withdrawn by unpublishing.
"""

from django.db import transaction
from django.utils.translation import gettext_noop

from propdesk.core import timeline
from propdesk.core.timeline import Message
from propdesk.org.access import MANAGERS, get_scoped, has_role, require_project, require_role, scope

from .models import PriceItem

FIELDS = ("kind", "name", "unit", "price", "description", "is_published")


def price_items_for(user, project_id: int | None = None, kind: str | None = None):
    """Every item (published or not) of the user's projects."""
    qs = scope(PriceItem.objects.select_related("project"), user).order_by("project__code", "kind", "name")
    if project_id:
        qs = qs.filter(project_id=project_id)
    return qs.filter(kind=kind) if kind else qs


def get_price_item(user, item_id: int) -> PriceItem:
    return get_scoped(PriceItem.objects.select_related("project"), user, pk=item_id)


def can_manage(user) -> bool:
    """For pages: whether to show the add/edit/publish buttons (the services decide anyway)."""
    return has_role(user, MANAGERS)


def save_price_item(actor, project, data: dict, item: PriceItem | None = None) -> PriceItem:
    """Add an item to a project's price list (item=None) or change one; managers of the project only."""
    project_id = item.project_id if item is not None else project.pk
    require_project(actor, project_id)
    require_role(actor, MANAGERS)
    item = item or PriceItem(project=project)
    data = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items() if k in FIELDS}
    created = item.pk is None
    changes = {} if created else timeline.diff(item, data)
    for field, value in data.items():
        setattr(item, field, value)
    item.full_clean()
    with transaction.atomic():
        item.save()
        summary = gettext_noop("Price list: %(name)s added at ¥%(price)s") if created \
            else gettext_noop("Price list: %(name)s changed")
        timeline.record(actor, "service.price_item_saved", Message(summary, {"name": item.name, "price": item.price}),
                        subjects=[item.project], changes=changes)
    return item


def set_published(actor, item: PriceItem, published: bool) -> PriceItem:
    """Publish an item to owners or withdraw it; orders already made keep their price and item."""
    require_project(actor, item.project_id)
    require_role(actor, MANAGERS)
    if item.is_published == published:
        return item
    with transaction.atomic():
        PriceItem.objects.filter(pk=item.pk).update(is_published=published)
        item.is_published = published
        summary = gettext_noop("Price list: %(name)s published") if published \
            else gettext_noop("Price list: %(name)s withdrawn")
        timeline.record(actor, "service.price_item_published", Message(summary, {"name": item.name}),
                        subjects=[item.project], changes={"is_published": [not published, published]})
    return item
