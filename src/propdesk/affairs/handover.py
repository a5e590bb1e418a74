"""Move-in handover (入住交付) and move-out inspection (PRODUCT.md area 3; issue 13, item 1).

A handover copies the project's checklist (keys by kind and count, documents, meter readings,
fittings) into lines that staff tick on a tablet. A line marked defective or missing needs a photo and
becomes a warranty work order of the service desk at once; the line's state is its work order's state,
so the defect is followed to closure on the unit's card. Signing a move-in starts the new owner's
occupancy when the archive has none, which the callback plan's "new owner + 30 days" rule then reads.
A move-out inspection lists the unit's last known state (the move-in, updated by later renovation
acceptances) and reports every difference.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from propdesk.archive import services as archive_services
from propdesk.archive.models import Occupancy, UnitRecord
from propdesk.core import timeline
from propdesk.core.errors import Conflict
from propdesk.core.timeline import Message
from propdesk.org.access import MANAGERS, require_project, require_role
from propdesk.service import services as desk
from propdesk.service.models import WorkOrder

from . import common
from .common import stored_text
from .models import AcceptanceItem, ChecklistItem, Handover, HandoverLine
from .models.handover import ChecklistGroup
from .roles import DESK

Line = HandoverLine.Status
PROBLEMS = (Line.DEFECTIVE, Line.MISSING)
DEFAULT_CHECKLIST = [
    (ChecklistGroup.KEYS, "入户门钥匙", 3), (ChecklistGroup.KEYS, "单元门禁卡", 2), (ChecklistGroup.KEYS, "信报箱钥匙", 1),
    (ChecklistGroup.DOCUMENTS, "业主手册", 1), (ChecklistGroup.DOCUMENTS, "管理规约", 1),
    (ChecklistGroup.DOCUMENTS, "装修须知", 1), (ChecklistGroup.DOCUMENTS, "住宅质量保证书", 1),
    (ChecklistGroup.METERS, "水表读数", None), (ChecklistGroup.METERS, "电表读数", None),
    (ChecklistGroup.METERS, "燃气表读数", None),
    (ChecklistGroup.FITTINGS, "入户门及门锁", 1), (ChecklistGroup.FITTINGS, "窗户及玻璃", None),
    (ChecklistGroup.FITTINGS, "墙面地面", None), (ChecklistGroup.FITTINGS, "给排水及卫浴", None),
    (ChecklistGroup.FITTINGS, "电路开关插座", None), (ChecklistGroup.FITTINGS, "可视对讲", 1),
]


def checklist_for(project_id: int) -> list[ChecklistItem]:
    """The project's checklist; a project that configured none gets the default one (not stored)."""
    items = list(ChecklistItem.objects.filter(project_id=project_id, active=True))
    return items or [ChecklistItem(project_id=project_id, group=g, name=n, quantity=q, position=i)
                     for i, (g, n, q) in enumerate(DEFAULT_CHECKLIST)]


def set_checklist(actor, project, rows: list[tuple[str, str, int | None]]) -> list[ChecklistItem]:
    """Replace a project's handover checklist: (group, item, quantity) rows, in order (managers)."""
    require_role(actor, MANAGERS)
    require_project(actor, project.pk)
    names = [name.strip() for _g, name, _q in rows]
    if not rows or any(not n for n in names) or len(set(names)) != len(names):
        raise ValidationError({"rows": _("Give every line a name, each name once.")})
    if any(g not in ChecklistGroup.values for g, _n, _q in rows):
        raise ValidationError({"rows": _("Select a valid choice.")})
    with transaction.atomic():
        ChecklistItem.objects.filter(project=project).delete()
        items = ChecklistItem.objects.bulk_create(
            ChecklistItem(project=project, group=g, name=n.strip(), quantity=q, position=i)
            for i, (g, n, q) in enumerate(rows))
        timeline.record(actor, "affairs.checklist.set", Message(gettext_noop("Handover checklist changed")),
                        subjects=[project])
    return items


def _subjects(handover: Handover) -> list:
    return [handover, handover.unit, handover.customer]


def start_handover(actor, *, unit, customer, kind: str = Handover.Kind.MOVE_IN, date=None) -> Handover:
    """Open a handover of `unit` to (or, moving out, from) `customer` with the checklist's lines.

    A move-in lists the project's checklist; a move-out lists the unit's baseline (last move-in and
    later renovation acceptance items) so the same things are checked and compared."""
    require_role(actor, DESK)
    require_project(actor, unit.project_id)
    if customer.project_id != unit.project_id:
        raise ValidationError({"customer": _("The customer belongs to another project's archive.")})
    if kind not in Handover.Kind.values:
        raise ValidationError({"kind": _("Select a valid choice.")})
    date = date or timezone.localdate()
    if kind == Handover.Kind.MOVE_IN:
        lines = [HandoverLine(group=i.group, name=i.name, expected_quantity=i.quantity, position=n)
                 for n, i in enumerate(checklist_for(unit.project_id))]
    else:
        lines = [HandoverLine(group=b.group, name=b.name, expected_quantity=b.quantity, position=n)
                 for n, b in enumerate(baseline(unit).values())]
    with transaction.atomic():
        handover = Handover.objects.create(unit=unit, customer=customer, kind=kind, date=date, staff=actor)
        for line in lines:
            line.handover = handover
        HandoverLine.objects.bulk_create(lines)
        verb = "affairs.handover.started" if kind == Handover.Kind.MOVE_IN else "affairs.move_out.started"
        msg = (gettext_noop("Move-in handover of %(unit)s to %(name)s started") if kind == Handover.Kind.MOVE_IN
               else gettext_noop("Move-out inspection of %(unit)s started"))
        timeline.record(actor, verb, Message(msg, {"unit": unit.label, "name": customer.name}),
                        subjects=_subjects(handover))
    return handover


def _require_open(handover: Handover):
    if handover.status != Handover.Status.OPEN:
        raise Conflict(_("This handover is signed: it can no longer be changed."), state=handover.status)


def add_line(actor, handover: Handover, *, name: str, group: str = ChecklistGroup.OTHER) -> HandoverLine:
    """A line that is not on the checklist (cabling left in the ceiling, a broken tile…)."""
    require_role(actor, DESK)
    require_project(actor, handover.unit.project_id)
    _require_open(handover)
    if not (name or "").strip():
        raise ValidationError({"name": _("This field is required.")})
    last = handover.lines.order_by("-position").values_list("position", flat=True).first() or 0
    return HandoverLine.objects.create(handover=handover, group=group, name=name.strip()[:60], position=last + 1)


def record_line(actor, line: HandoverLine, *, status: str, quantity=None, reading=None, note: str = "",
                photos=()) -> HandoverLine:
    """Tick a line, or mark it defective or missing with a photo (item 1).

    On a move-in, a defective or missing line opens a warranty work order (保修) for the unit at once,
    requested by the new owner; the line keeps the link, and its state is that work order's state."""
    handover = line.handover
    require_role(actor, DESK)
    require_project(actor, handover.unit.project_id)
    _require_open(handover)
    if status not in Line.values or status == Line.PENDING:
        raise ValidationError({"status": _("Select a valid choice.")})
    prepared = common.prepare_photos(photos)
    errors = {}
    if status in PROBLEMS:
        if not (note or "").strip():
            errors["note"] = _("Say what is wrong.")
        if not prepared and not common.photos_of(line).exists():
            errors["photos"] = _("Take a photo of the defect.")
    if line.group == ChecklistGroup.METERS and status == Line.OK and reading is None:
        errors["reading"] = _("Enter the meter reading.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        line.status, line.quantity, line.reading, line.note = status, quantity, reading, (note or "").strip()[:200]
        if status in PROBLEMS and handover.kind == Handover.Kind.MOVE_IN and line.work_order_id is None:
            line.work_order, _created = desk.create_work_order(
                actor, project=handover.unit.project, kind=WorkOrder.Kind.REPAIR_HOME,
                channel=WorkOrder.Channel.WALK_IN, unit=handover.unit, requester=handover.customer,
                description=stored_text(gettext_noop("Warranty (handover defect): %(item)s — %(note)s"),
                                        item=line.name, note=line.note))
            # the warranty flag: the queue filters on it and shows it on the row (item 1)
            WorkOrder.objects.filter(pk=line.work_order.pk).update(is_warranty=True)
            line.work_order.is_warranty = True
        line.save()
        common.store_photos(actor, handover.unit.project_id, line, prepared)
        timeline.record(actor, "affairs.handover.line", Message(
            gettext_noop("Handover item %(item)s: %(status)s"), {"item": line.name, "status": status}),
            subjects=[handover])
    return line


def sign_handover(actor, handover: Handover, *, signed_by: str) -> Handover:
    """The owner signs the handover once every line is checked.

    Signing a move-in starts the owner's occupancy on the handover date when the archive has none for
    this customer and unit (then the callback plan calls the new owner 30 days later), and keeps a
    handover record on the unit's card."""
    require_role(actor, DESK)
    unit = handover.unit
    require_project(actor, unit.project_id)
    _require_open(handover)
    if not (signed_by or "").strip():
        raise ValidationError({"signed_by": _("Who signs the handover?")})
    pending = list(handover.lines.filter(status=Line.PENDING).values_list("name", flat=True))
    if pending:
        raise ValidationError({"lines": _("Check every line before signing: %(items)s.") % {
            "items": "、".join(pending)}})
    with transaction.atomic():
        handover.status, handover.signed_by, handover.signed_at = (
            Handover.Status.SIGNED, signed_by.strip()[:50], timezone.now())
        handover.save(update_fields=["status", "signed_by", "signed_at"])
        problems = handover.lines.filter(status__in=PROBLEMS).count()
        if handover.kind == Handover.Kind.MOVE_IN:
            if not Occupancy.objects.filter(unit=unit, customer=handover.customer).exists():
                archive_services.add_occupancy(actor, unit=unit, customer=handover.customer,
                                               role=Occupancy.Role.OWNER, start_date=handover.date)
            title = stored_text(gettext_noop("Move-in handover to %(name)s"), name=handover.customer.name)
        else:
            title = stored_text(gettext_noop("Move-out inspection of %(name)s"), name=handover.customer.name)
        archive_services.add_unit_record(
            actor, unit, kind=UnitRecord.Kind.HANDOVER, date=handover.date, title=title[:100],
            details=stored_text(gettext_noop("Items with problems: %(count)d."), count=problems),
            status=UnitRecord.Status.OPEN if problems else UnitRecord.Status.CLOSED)
        timeline.record(actor, "affairs.handover.signed", Message(
            gettext_noop("Handover of %(unit)s signed by %(name)s"), {"unit": unit.label, "name": handover.signed_by}),
            subjects=_subjects(handover))
    return handover


# -- comparing with the unit's last known state -------------------------------------------------

@dataclass
class BaselineLine:
    group: str
    name: str
    quantity: int | None
    status: str
    note: str
    source: str


def baseline(unit) -> dict[str, BaselineLine]:
    """The unit's last known state item by item: the last signed move-in, then the acceptance items of
    renovations accepted after it (a renovation changes what the unit holds)."""
    last_in = (Handover.objects.filter(unit=unit, kind=Handover.Kind.MOVE_IN, status=Handover.Status.SIGNED)
               .order_by("-date", "-id").first())
    out: dict[str, BaselineLine] = {}
    if last_in is not None:
        for line in last_in.lines.order_by("position", "id"):
            out[line.name] = BaselineLine(line.group, line.name, line.quantity if line.quantity is not None
                                          else line.expected_quantity, line.status, line.note,
                                          _("Move-in %(date)s") % {"date": last_in.date})
    accepted = AcceptanceItem.objects.filter(renovation__unit=unit, renovation__accepted_at__isnull=False)
    if last_in is not None:
        accepted = accepted.filter(renovation__accepted_at__date__gte=last_in.date)
    for item in accepted.select_related("renovation").order_by("renovation__accepted_at", "id"):
        out[item.name] = BaselineLine(ChecklistGroup.FITTINGS, item.name, None,
                                      Line.OK if item.passed else Line.DEFECTIVE, item.note,
                                      _("Renovation accepted %(date)s") % {
                                          "date": timezone.localdate(item.renovation.accepted_at)})
    return out


@dataclass
class Difference:
    name: str
    before: str
    after: str
    source: str


def _state(status: str, quantity, note: str) -> str:
    text = str(Line(status).label)
    if quantity is not None:
        text += f" ×{quantity}"
    return f"{text}（{note}）" if note else text


def move_out_differences(handover: Handover) -> list[Difference]:
    """Every item whose state at move-out differs from the baseline, and every item found only now
    (the seed's ceiling cabling left behind by the previous tenant)."""
    base = baseline(handover.unit)
    out = []
    for line in handover.lines.order_by("position", "id"):
        if line.status == Line.PENDING:
            continue
        now = _state(line.status, line.quantity, line.note)
        before = base.get(line.name)
        if before is None:
            out.append(Difference(line.name, _("Not recorded before"), now, ""))
            continue
        same_status = before.status == line.status
        same_count = line.quantity is None or before.quantity is None or before.quantity == line.quantity
        if not (same_status and same_count):
            out.append(Difference(line.name, _state(before.status, before.quantity, before.note), now,
                                  before.source))
    return out
