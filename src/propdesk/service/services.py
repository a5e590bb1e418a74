"""Writes to work orders other than state changes: intake, reclassification, quotes, measures, notes.

State changes are in transitions.py; the SLA sweep in sweep.py. Every function checks the actor's
project, validates, writes in one transaction and records the timeline (PRODUCT.md area 2).
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from propdesk.archive.models import Customer
from propdesk.core import timeline
from propdesk.core.prepared import Prepared
from propdesk.core.timeline import Message
from propdesk.org.access import MANAGERS, has_role, require_project
from propdesk.org.models import Building, Project, Unit

from . import photos, sla, triage
from .models import (
    Attachment,
    Category,
    ChargeQuote,
    IdempotencyKey,
    PriceItem,
    SlaTimer,
    TemporaryMeasure,
    WorkOrder,
)
from .workflow import FINAL_STATES, OPEN_STATES

K = WorkOrder.Kind
RELATIONS = ["project", "category", "unit", "building", "requester", "first_receiver", "assignee", "department",
             "parent", "suggested_category", "price_item"]


def subjects(wo: WorkOrder) -> list:
    """The cards a work order's events appear on: its own, its unit's and its requester's.

    A card is a kind and an id: a unit or requester not already loaded is named by its id, not read."""
    return [wo, _by_id(wo, "unit", Unit), _by_id(wo, "requester", Customer)]


def _by_id(wo: WorkOrder, name: str, model):
    pk = getattr(wo, f"{name}_id")
    if pk is None:
        return None
    field = WorkOrder._meta.get_field(name)
    return getattr(wo, name) if field.is_cached(wo) else model(pk=pk)


def _check_intake(project: Project, kind, unit, building, location, requester, category, description):
    errors = {}
    if not (description or "").strip():
        errors["description"] = _("Describe the problem.")
    if unit is not None and unit.project_id != project.pk:
        errors["unit"] = _("The unit belongs to another project.")
    if building is not None and building.project_id != project.pk:
        errors["building"] = _("The building belongs to another project.")
    if requester is not None and requester.project_id != project.pk:
        errors["requester"] = _("The requester belongs to another project's archive.")
    if category is not None and category.project_id not in (None, project.pk):
        errors["category"] = _("The category belongs to another project.")
    if kind == K.REPAIR_HOME and unit is None:
        errors["unit"] = _("A repair in the home needs the unit.")
    if kind == K.REPAIR_PUBLIC and building is None and not (location or "").strip():
        errors["location"] = _("Say where the public-area fault is.")
    if errors:
        raise ValidationError(errors)


def create_work_order(
    actor, *, project: Project, kind: str, channel: str, description: str,
    unit: Unit | None = None, building: Building | None = None, location: str = "",
    requester: Customer | None = None, contact_name: str = "", contact_phone: str = "",
    category: Category | None = None, priority: str | None = None, complexity: str = "",
    received_at=None, idempotency_key: str | None = None, client: str | None = None,
) -> tuple[WorkOrder, bool]:
    """Receive a request; the receiving staff member becomes its first receiver (首问负责制).

    The triage suggests the category and whether it is an emergency; what staff choose instead is
    kept beside the suggestion and recorded as an override. Returns (work order, created): with an
    idempotency key already used by this actor, the first work order comes back and nothing is written.

    Self-service intake (the owner portal) passes actor=None and `client` (who sent it, for the
    idempotency key): nobody has received it yet, so first_receiver stays empty until the desk
    responds. Callers of that path check the owner's right to the unit themselves (owner_actions).
    """
    if actor is not None:
        require_project(actor, project.pk)
        client = f"staff:{actor.pk}"
    elif not client:
        raise ValueError("a work order received by no staff member needs the client that sent it")
    earlier = earlier_work_order(client, idempotency_key)
    if earlier is not None:
        return earlier, False
    if unit is not None and building is None:
        building = unit.building
    _check_intake(project, kind, unit, building, location, requester, category, description)
    suggestion = triage.suggest(description, project)
    wo = WorkOrder(
        project=project, kind=kind, channel=channel, description=description.strip(), unit=unit,
        building=building, location=location.strip(), requester=requester,
        contact_name=contact_name or (requester.name if requester else ""), contact_phone=contact_phone,
        category=category or suggestion.category, first_receiver=actor,
        priority=priority or (WorkOrder.Priority.EMERGENCY if suggestion.emergency else WorkOrder.Priority.NORMAL),
        complexity=complexity or (WorkOrder.Complexity.GENERAL if kind == K.COMPLAINT else ""),
        received_at=received_at or timezone.now(),
        suggested_category=suggestion.category, suggested_emergency=suggestion.emergency,
    )
    # Related objects were fetched through the user's scope and checked above: skip re-querying them.
    wo.full_clean(exclude=RELATIONS)
    received = Message(gettext_noop("Work order %(number)s received"), {})
    return store_new(actor, wo, client=client, idempotency_key=idempotency_key, verb="service.received",
                     summary=received, overrides=_overrides(wo, suggestion))


def earlier_work_order(client: str, key: str | None) -> WorkOrder | None:
    """The work order already stored for this client's idempotency key (a double tap, a retry), if any."""
    if not key:
        return None
    # The usual answer is "none": a one-column look at the unique index (compiled once: core.prepared), the
    # work order only when found.
    found = _EARLIER.rows(client, key)
    return WorkOrder.objects.get(pk=found[0][0]) if found and found[0][0] else None


_EARLIER = Prepared(
    lambda client, key: IdempotencyKey.objects.filter(client=client, key=key).order_by("pk")
    .values_list("work_order_id")[:1],
    IdempotencyKey._meta.get_field("client"), IdempotencyKey._meta.get_field("key"))


def store_new(actor, wo: WorkOrder, *, client: str, idempotency_key: str | None, verb: str, summary: Message,
              overrides: dict | None = None) -> tuple[WorkOrder, bool]:
    """The one place a validated new work order is stored: with its limits, its nearest due time, the
    client's idempotency key and its first timeline entries, in one transaction. A retry that raced in
    with the same key gets the work order that won: (work order, created).

    Everything is built before the transaction opens (on SQLite it holds the database's one write
    lock): inside it run only the five inserts (work order, timers, key, events, links), so a writer
    waits for another's inserts, never for its Python. The new work order comes back with its timers
    and its timeline in hand (`timers_in_hand`, `timeline_in_hand` newest first): answering with it
    needs no query.
    """
    timers = sla.timers_for_new(wo)
    wo.next_due_at = sla.next_due(timers)
    key = IdempotencyKey(client=client, key=idempotency_key) if idempotency_key else None
    received = timeline.new_event(actor, verb, summary, at=wo.received_at)
    events = [received]
    if overrides:
        events.append(timeline.new_event(actor, "service.triage_overridden", Message(
            gettext_noop("Suggested classification overridden by staff")), changes=overrides, internal=True))
    try:
        with transaction.atomic():
            wo.save(force_insert=True)
            for timer in timers:
                timer.work_order = wo
            SlaTimer.objects.bulk_create(timers)
            if key is not None:
                key.work_order = wo
                key.save(force_insert=True)
            received.params = {"number": wo.number, **received.params}
            timeline.record_many([(received, subjects(wo))] + [(event, [wo]) for event in events[1:]])
    except IntegrityError:
        earlier = earlier_work_order(client, idempotency_key)
        if earlier is not None:
            return earlier, False
        raise
    wo.timers_in_hand = sorted(timers, key=lambda t: (t.started_at, t.pk))
    wo.timeline_in_hand = sorted(events, key=lambda e: (e.at, e.pk), reverse=True)
    return wo, True


def _overrides(wo: WorkOrder, suggestion) -> dict:
    changes = {}
    if suggestion.category is not None and wo.category_id != suggestion.category.pk:
        changes["category"] = [str(suggestion.category), str(wo.category or "")]
    if suggestion.emergency != (wo.priority == WorkOrder.Priority.EMERGENCY):
        changes["priority"] = [
            WorkOrder.Priority.EMERGENCY if suggestion.emergency else WorkOrder.Priority.NORMAL, wo.priority]
    return changes


def reclassify(actor, wo: WorkOrder, *, priority: str | None = None, category: Category | None = None,
               complexity: str | None = None, kind: str | None = None) -> dict:
    """Change priority, category, complexity or kind; running limits are re-timed to the new promise."""
    require_project(actor, wo.project_id)
    if wo.state in FINAL_STATES:
        raise ValidationError(_("A closed, cancelled or merged work order cannot be reclassified."))
    if category is not None and category.project_id not in (None, wo.project_id):
        raise ValidationError({"category": _("The category belongs to another project.")})
    data = {k: v for k, v in {"priority": priority, "category": category, "complexity": complexity,
                               "kind": kind}.items() if v is not None}
    changes = timeline.diff(wo, data)
    if not changes:
        return {}
    for field, value in data.items():
        setattr(wo, field, value)
    if wo.kind == K.COMPLAINT and not wo.complexity:
        wo.complexity = WorkOrder.Complexity.GENERAL
    wo.full_clean(exclude=["first_receiver"])
    with transaction.atomic():
        _retime(wo)
        wo.version += 1
        wo.save()
        timeline.record(actor, "service.reclassified", Message(
            gettext_noop("Work order %(number)s reclassified"), {"number": wo.number}),
            subjects=[wo], changes=changes)
    return changes


def _retime(wo: WorkOrder) -> None:
    policy = sla.policy_for(wo.project)
    timers = {t.kind: t for t in wo.timers.all()}
    respond = timers.get(SlaTimer.Kind.RESPOND)
    if respond and respond.stopped_at is None:
        sla.retime(respond, sla.response_limit(policy, wo), policy.warn_at_percent)
        respond.save()
    limit = sla.resolve_limit(policy, wo)
    resolve = timers.get(SlaTimer.Kind.RESOLVE)
    if limit is not None and resolve is None:
        resolve = sla.new_timer(wo, SlaTimer.Kind.RESOLVE, wo.received_at, limit, policy.warn_at_percent)
        if wo.resolved_at:
            resolve.stopped_at = wo.resolved_at
        resolve.save()
    elif limit is not None and resolve.stopped_at is None:
        sla.retime(resolve, limit, policy.warn_at_percent)
        resolve.save()
    elif limit is None and resolve is not None:
        resolve.delete()
    wo.next_due_at = sla.next_due(wo.timers.all())


# -- chargeable repairs, temporary measures, notes, attachments ---------------------------------------

def record_quote(actor, wo: WorkOrder, *, cause: str, method: str, price_item: PriceItem,
                 quantity: Decimal = Decimal("1")) -> ChargeQuote:
    """Before chargeable work the technician states cause, method and the fee from the price list."""
    require_project(actor, wo.project_id)
    if wo.state not in OPEN_STATES:
        raise ValidationError(_("Only an open work order can be quoted."))
    if price_item.project_id != wo.project_id or not price_item.is_published:
        raise ValidationError({"price_item": _("Choose an item of this project's published price list.")})
    if not cause.strip() or not method.strip():
        raise ValidationError({"cause": _("State the cause and the repair method.")})
    if quantity <= 0:
        raise ValidationError({"quantity": _("The quantity must be greater than zero.")})
    fee = price_item.price_for(quantity)
    with transaction.atomic():
        ChargeQuote.objects.filter(work_order=wo).delete()  # a new quote replaces one not yet consented
        quote = ChargeQuote.objects.create(work_order=wo, cause=cause.strip(), method=method.strip(),
                                           price_item=price_item, quantity=quantity, fee=fee, quoted_by=actor)
        WorkOrder.objects.filter(pk=wo.pk).update(is_chargeable=True)
        wo.is_chargeable = True
        timeline.record(actor, "service.quoted", Message(
            gettext_noop("Chargeable repair quoted: %(item)s, fee ¥%(fee)s"), {"item": price_item.name, "fee": fee}),
            subjects=subjects(wo), changes={"cause": [None, quote.cause], "method": [None, quote.method]})
    return quote


def record_consent(actor, wo: WorkOrder, *, consent_by: str, method: str) -> ChargeQuote:
    """The owner's consent to the quoted fee: who, when, how."""
    require_project(actor, wo.project_id)
    quote = ChargeQuote.objects.filter(work_order=wo).first()
    if quote is None:
        raise ValidationError(_("Record the cause, method and fee before the owner's consent."))
    if not consent_by.strip():
        raise ValidationError({"consent_by": _("Who gave the consent?")})
    if method not in ChargeQuote.ConsentMethod.values:
        raise ValidationError({"method": _("Choose how the consent was given.")})
    with transaction.atomic():
        quote.consent_by, quote.consent_method, quote.consent_at = consent_by.strip(), method, timezone.now()
        quote.save()
        timeline.record(actor, "service.consented", Message(
            gettext_noop("%(who)s consented to the fee of ¥%(fee)s"), {"who": quote.consent_by, "fee": quote.fee}),
            subjects=subjects(wo))
    return quote


MEASURE_MESSAGES = {
    TemporaryMeasure.Kind.WARNING_SIGN: gettext_noop("Temporary measure: warning sign put up. %(note)s"),
    TemporaryMeasure.Kind.SUPPLY_ISOLATED: gettext_noop("Temporary measure: supply isolated. %(note)s"),
    TemporaryMeasure.Kind.NOTICE: gettext_noop("Temporary measure: owners notified. %(note)s"),
    TemporaryMeasure.Kind.OTHER: gettext_noop("Temporary measure: %(note)s"),
}


def add_measure(actor, wo: WorkOrder, *, kind: str, note: str = "") -> TemporaryMeasure:
    """A temporary measure while the fault waits (warning sign, supply isolated, notice)."""
    require_project(actor, wo.project_id)
    measure = TemporaryMeasure(work_order=wo, kind=kind, note=note.strip(), by=actor)
    measure.full_clean()
    with transaction.atomic():
        measure.save()
        timeline.record(actor, "service.measure", Message(MEASURE_MESSAGES[measure.kind], {"note": measure.note}),
                        subjects=subjects(wo))
    return measure


def add_note(actor, wo: WorkOrder, text: str, internal: bool = True) -> None:
    """A staff note on the work order; internal notes are never shown to the owner."""
    require_project(actor, wo.project_id)
    if not text.strip():
        raise ValidationError({"text": _("Write the note.")})
    with transaction.atomic():
        timeline.record(actor, "service.note", text.strip(), subjects=[wo], internal=internal)


def add_attachment(actor, wo: WorkOrder, upload) -> Attachment:
    """A photo of the fault: JPEG or PNG, at most 10 MB, stored re-encoded without EXIF (photos.py)."""
    require_project(actor, wo.project_id)
    photo = photos.prepare(upload)
    with transaction.atomic():
        (attachment,) = store_photos(wo, [photo], uploaded_by=actor)
        timeline.record(actor, "service.photo", Message(gettext_noop("Photo attached")), subjects=[wo])
    return attachment


def store_photos(wo: WorkOrder, prepared: list, uploaded_by=None) -> list[Attachment]:
    """Keep photos already checked and re-encoded by photos.prepare(); the caller records the event."""
    return [Attachment.objects.create(work_order=wo, file=ContentFile(p.content, name=p.name), name=p.name[:100],
                                      content_type=p.content_type, size=p.size, uploaded_by=uploaded_by)
            for p in prepared]


def save_sla_policy(actor, project: Project, data: dict):
    """A project manager tunes the project's limits; the change is on the project's timeline."""
    require_project(actor, project.pk)
    if not has_role(actor, MANAGERS):
        raise PermissionDenied
    policy = sla.policy_for(project)
    changes = timeline.diff(policy, data)
    for field, value in data.items():
        setattr(policy, field, value)
    policy.full_clean(exclude=["project"])
    with transaction.atomic():
        policy.save()
        timeline.record(actor, "service.sla_changed", Message(gettext_noop("Service limits changed")),
                        subjects=[project], changes=changes)
    project._sla_policy_cache = policy
    return policy
