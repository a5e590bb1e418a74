"""Every register of public affairs as .xlsx (issue 13, item 7), written through core.xlsx (text stays text).

Each register is read through the staff member's scoped selectors and written in Chinese; ID numbers
appear only masked."""

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from openpyxl import Workbook

from propdesk.core import xlsx

from . import selectors

MAX_ROWS = 100_000


def _local(dt_value):
    return timezone.localtime(dt_value).strftime("%Y-%m-%d %H:%M") if dt_value else ""


def _handovers(user, project_id):
    yield [_("Date"), _("Kind"), _("Unit"), _("Customer"), _("Status"), _("Signed by"), _("Handled by")]
    for h in selectors.handovers_for(user, project_id).order_by("date", "id")[:MAX_ROWS]:
        yield [h.date, h.get_kind_display(), h.unit.label, h.customer.name, h.get_status_display(), h.signed_by,
               h.staff.display_name]


def _renovations(user, project_id):
    yield [_("Unit"), _("Applicant"), _("Contractor"), _("Foreman"), _("Planned start"), _("Planned end"),
           _("Status"), _("Deposit"), _("Deposit receipt number"), _("Management fee"), _("Deposit refunded")]
    for r in selectors.renovations_for(user, project_id).order_by("submitted_at", "id")[:MAX_ROWS]:
        yield [r.unit.label, r.applicant.name, r.contractor, r.foreman, r.planned_start, r.planned_end,
               r.get_status_display(), r.deposit, r.deposit_receipt, r.fee, r.refund_amount]


def _permits(user, project_id):
    """动火作业登记: permit number, unit, where, what, window, fire watch, who issued it."""
    yield [_("Permit number"), _("Unit"), _("Location"), _("Work"), _("Valid from"), _("Valid until"),
           _("Fire watch"), _("Extinguisher checked"), _("Issued by")]
    for p in selectors.permits_for(user, project_id).order_by("starts_at", "id")[:MAX_ROWS]:
        yield [p.number, p.renovation.unit.label, p.location, p.work, _local(p.starts_at), _local(p.ends_at),
               p.fire_watch, _("Yes") if p.extinguisher_checked else _("No"), p.issued_by.display_name]


def _patrols(user, project_id):
    """装修巡查记录: each patrol, its findings, and the rectification notice with its re-check."""
    yield [_("Inspected"), _("Unit"), _("Inspector"), _("Result"), _("Findings"), _("Rectification notice"),
           _("Deadline"), _("Re-check")]
    for p in selectors.patrols_for(user, project_id).order_by("done_at", "id")[:MAX_ROWS]:
        rect = getattr(p, "rectification", None)
        yield [_local(p.done_at), p.renovation.unit.label, p.inspector.display_name, p.get_result_display(),
               p.findings, rect.notice if rect else "", rect.deadline if rect else None,
               rect.get_recheck_display() if rect else ""]


def _releases(user, project_id):
    """物品放行登记表: pass number, unit, item and quantity passed, guard, time."""
    yield [_("Time"), _("Pass number"), _("Unit"), _("Item"), _("Quantity"), _("Guard")]
    for e in selectors.register_entries(user, project_id).order_by("at", "id")[:MAX_ROWS]:
        yield [_local(e.at), e.release_pass.number, e.release_pass.unit.label, e.item.name, e.quantity,
               e.guard.display_name]


def _parking(user, project_id):
    yield [_("Space"), _("Zone / level"), _("Kind"), _("Unit"), _("Customer"), _("Plates"), _("From"), _("Until"),
           _("Monthly price"), _("Agreement number"), _("Receipt number")]
    for a in selectors.allocations_for(user, project_id).order_by("space__number", "start_date")[:MAX_ROWS]:
        yield [a.space.number, a.space.zone, a.get_kind_display(), a.unit.label, a.customer.name, a.plates,
               a.start_date, a.end_date, a.monthly_price, a.agreement_number, a.receipt]


def _visitors(user, project_id):
    yield [_("Arrived"), _("Left"), _("Visitor"), _("ID document number"), _("Phone"), _("Unit"), _("Purpose"),
           _("Plate number"), _("Number of people"), _("Guard")]
    for v in selectors.visits_for(user, project_id).order_by("checked_in_at", "id")[:MAX_ROWS]:
        yield [_local(v.checked_in_at), _local(v.checked_out_at), v.visitor.name, v.visitor.id_number_mask,
               v.visitor.phone, v.unit.label, v.purpose, v.plate, v.people, v.checked_in_by.display_name]


def _found(user, project_id):
    yield [_("Number"), _("Item"), _("Place"), _("Found at"), _("Kept at"), _("Status"), _("Claimant"),
           _("ID document number"), _("Claimed"), _("Disposed of")]
    for i in selectors.found_items_for(user, project_id).select_related("claim").order_by("found_at", "id")[:MAX_ROWS]:
        claim = getattr(i, "claim", None) if i.status == "claimed" else None
        yield [i.number, i.description, " ".join(x for x in (i.building.name if i.building else "", i.floor, i.place) if x),
               _local(i.found_at), i.kept_at, i.get_status_display(), claim.claimant_name if claim else "",
               claim.id_number_mask if claim else "", _local(claim.claimed_at) if claim else "",
               _local(i.disposed_at)]


REGISTERS = {
    "handovers": (gettext_noop("Handovers"), _handovers),
    "renovations": (gettext_noop("Renovations"), _renovations),
    "permits": (gettext_noop("Hot-work permits"), _permits),
    "patrols": (gettext_noop("Renovation patrols"), _patrols),
    "releases": (gettext_noop("Release register"), _releases),
    "parking": (gettext_noop("Parking"), _parking),
    "visitors": (gettext_noop("Visitor register"), _visitors),
    "found": (gettext_noop("Lost and found"), _found),
}


def export(user, register: str, project_id: int | None = None) -> tuple[str, bytes]:
    """(file name, .xlsx bytes) of one register as `user` may see it; KeyError for an unknown register."""
    title, rows = REGISTERS[register]
    with translation.override(settings.LANGUAGE_CODE):
        wb = Workbook()
        ws = wb.active
        ws.title = _(title)[:31]
        for row in rows(user, project_id):
            ws.append(row)
        ws.freeze_panes = "A2"
    return f"{register}-{timezone.localdate():%Y%m%d}.xlsx", xlsx.to_bytes(wb)
