"""Renovation (装修, PRODUCT.md area 3; issue 13, item 2): application, review, agreement, deposit,
hot-work permits, patrols with rectification notices, completion acceptance and the deposit refund.

States: submitted → approved (with or without conditions) | rejected; approved → active once the owner
has signed the renovation agreement (装修管理协议) and the deposit is recorded; active → accepted at the
completion acceptance (竣工验收); accepted → closed when the deposit is refunded, less deductions with
their reasons. Deposits and fees are recorded with their receipt numbers and go to billing through
charges.py: the fee is a charge on the unit's bills, the deposit is demanded there, and the refund
with deductions is a set of deposit releases a manager approves.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from propdesk.core import timeline
from propdesk.core.errors import Conflict
from propdesk.core.phones import validate_phone
from propdesk.core.timeline import Message
from propdesk.org.access import require_project, require_role
from propdesk.org.models import Project

from . import attachments as drawings
from . import charges, common
from .models import (
    AcceptanceItem,
    AffairsSettings,
    DepositDeduction,
    HotWorkPermit,
    PatrolInspection,
    Rectification,
    Renovation,
)
from .roles import DESK, ENGINEERS, PATROL, REVIEWERS

S = Renovation.Status
CENT = Decimal("0.01")
MAX_PERMIT = dt.timedelta(days=7)
APPLICATION_FIELDS = ("scope", "contractor", "foreman", "foreman_phone", "workers", "planned_start",
                      "planned_end", "fire_filing_ref")


def money(value, field: str) -> Decimal:
    """A recorded amount: Decimal, 2 places (ROUND_HALF_UP), not negative."""
    try:
        amount = Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (ArithmeticError, ValueError, TypeError):
        raise ValidationError({field: _("Enter a valid amount.")}) from None
    if amount < 0 or not amount.is_finite():
        raise ValidationError({field: _("Enter a valid amount.")})
    return amount


def _subjects(r: Renovation) -> list:
    return [r, r.unit, r.applicant]


def _state(r: Renovation, *allowed, message=None):
    if r.status not in allowed:
        raise Conflict(message or _("This cannot be done while the renovation is “%(state)s”.") % {
            "state": r.get_status_display()}, state=r.status)


def _check_application(unit, applicant, data: dict, today) -> dict:
    errors = {}
    for name in ("scope", "contractor", "foreman", "foreman_phone", "planned_start", "planned_end"):
        if not data.get(name):
            errors[name] = _("This field is required.")
    if data.get("foreman_phone"):
        try:
            data["foreman_phone"] = validate_phone(data["foreman_phone"])
        except ValidationError as exc:
            errors["foreman_phone"] = exc.messages
    start, end = data.get("planned_start"), data.get("planned_end")
    if start and end and end < start:
        errors["planned_end"] = _("The end date is before the start date.")
    if start and start < today:
        errors["planned_start"] = _("The works cannot start in the past.")
    if unit.project.kind in (Project.Kind.OFFICE, Project.Kind.COMMERCIAL) and not data.get("fire_filing_ref"):
        errors["fire_filing_ref"] = _("Offices and shops need the fire-safety filing (消防报建) reference.")
    if common.current_role(applicant, unit, today) != "owner":
        errors["applicant"] = _("Only a current owner of the unit may apply for its renovation.")
    if errors:
        raise ValidationError(errors)
    return data


def apply(actor, *, unit, applicant, channel=Renovation.Channel.DESK, now=None, attachments=(),
          **data) -> Renovation:
    """A renovation application by the owner (portal: actor None) or taken at the desk (item 2), with its
    drawings and attachments (checked before anything is written: see attachments.py)."""
    now = now or timezone.now()
    if actor is not None:
        require_role(actor, DESK)
        require_project(actor, unit.project_id)
    unknown = set(data) - set(APPLICATION_FIELDS)
    if unknown:
        raise ValidationError({f: _("Unknown field.") for f in unknown})
    data = {k: (v.strip() if isinstance(v, str) else v) for k, v in data.items()}
    _check_application(unit, applicant, data, timezone.localdate(now))
    r = Renovation(project_id=unit.project_id, unit=unit, applicant=applicant, channel=channel, submitted_at=now,
                   **data)
    r.full_clean(exclude=["project", "unit", "applicant"])
    files = drawings.prepare(attachments)
    with transaction.atomic():
        r.save(force_insert=True)
        drawings.store(actor, r, files, now)
        timeline.record(actor, "affairs.renovation.applied", Message(
            gettext_noop("Renovation of %(unit)s applied for by %(name)s"),
            {"unit": unit.label, "name": applicant.name}), subjects=_subjects(r))
    return r


def review(actor, r: Renovation, *, decision: str, conditions: str = "", reason: str = "") -> Renovation:
    """The manager approves, approves with conditions, or rejects with a reason (item 2)."""
    require_role(actor, REVIEWERS)
    require_project(actor, r.project_id)
    _state(r, S.SUBMITTED)
    D = Renovation.Decision
    if decision not in D.values:
        raise ValidationError({"decision": _("Select a valid choice.")})
    if decision == D.APPROVE_WITH_CONDITIONS and not conditions.strip():
        raise ValidationError({"conditions": _("State the conditions.")})
    if decision == D.REJECT and not reason.strip():
        raise ValidationError({"reason": _("State the reason for the rejection.")})
    with transaction.atomic():
        r.decision, r.reviewed_by, r.reviewed_at = decision, actor, timezone.now()
        r.conditions = conditions.strip() if decision == D.APPROVE_WITH_CONDITIONS else ""
        r.reject_reason = reason.strip() if decision == D.REJECT else ""
        r.status = S.REJECTED if decision == D.REJECT else S.APPROVED
        r.save()
        msg = {D.APPROVE: gettext_noop("Renovation of %(unit)s approved"),
               D.APPROVE_WITH_CONDITIONS: gettext_noop("Renovation of %(unit)s approved with conditions"),
               D.REJECT: gettext_noop("Renovation of %(unit)s rejected")}[decision]
        timeline.record(actor, "affairs.renovation.reviewed", Message(msg, {"unit": r.unit.label}),
                        subjects=_subjects(r), changes={"decision": [None, decision]})
    return r


def sign_agreement(actor, r: Renovation, *, signed_by: str, deposit, deposit_receipt: str, fee=None,
                   fee_receipt: str = "", today=None) -> Renovation:
    """The owner signs the renovation agreement (its acceptance recorded) and the deposit is recorded with
    its receipt number; the works may then start: the first patrol is due on the planned start."""
    require_role(actor, DESK)
    require_project(actor, r.project_id)
    _state(r, S.APPROVED)
    errors = {}
    if not (signed_by or "").strip():
        errors["signed_by"] = _("Who signs the agreement?")
    if not (deposit_receipt or "").strip():
        errors["deposit_receipt"] = _("Enter the receipt number of the deposit.")
    if fee not in (None, "") and not (fee_receipt or "").strip():
        errors["fee_receipt"] = _("Enter the receipt number of the fee.")
    if errors:
        raise ValidationError(errors)
    deposit = money(deposit, "deposit")
    fee = money(fee, "fee") if fee not in (None, "") else None
    today = today or timezone.localdate()
    with transaction.atomic():
        r.agreement_signed_by, r.agreement_signed_at = signed_by.strip()[:50], timezone.now()
        r.deposit, r.deposit_receipt, r.fee, r.fee_receipt = deposit, deposit_receipt.strip(), fee, fee_receipt.strip()
        r.status = S.ACTIVE
        r.next_patrol_on = max(r.planned_start, today)
        r.save()
        charges.post_renovation(actor, r)
        timeline.record(actor, "affairs.renovation.agreement_signed", Message(
            gettext_noop("Renovation agreement of %(unit)s signed, deposit %(amount)s recorded (receipt %(receipt)s)"),
            {"unit": r.unit.label, "amount": deposit, "receipt": r.deposit_receipt}), subjects=_subjects(r))
    return r


def issue_permit(actor, r: Renovation, *, location: str, work: str, starts_at, ends_at, fire_watch: str,
                 extinguisher_checked: bool) -> HotWorkPermit:
    """A hot-work permit (动火作业) for an active renovation: a window that ends after it starts (at most 7
    days), a named fire watch, and the extinguisher checked before it is issued."""
    require_role(actor, ENGINEERS)
    require_project(actor, r.project_id)
    _state(r, S.ACTIVE, message=_("Hot-work permits are issued only while the works are in progress."))
    errors = {}
    for name, value in (("location", location), ("work", work), ("fire_watch", fire_watch)):
        if not (value or "").strip():
            errors[name] = _("This field is required.")
    if starts_at and ends_at and ends_at <= starts_at:
        errors["ends_at"] = _("The permit must end after it starts.")
    elif starts_at and ends_at and ends_at - starts_at > MAX_PERMIT:
        errors["ends_at"] = _("A permit is valid for at most 7 days; issue another one after it.")
    if not extinguisher_checked:
        errors["extinguisher_checked"] = _("Check the fire extinguisher on site before issuing the permit.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    with transaction.atomic():
        permit = HotWorkPermit.objects.create(
            renovation=r, number=common.placeholder_number(), location=location.strip(), work=work.strip(),
            starts_at=starts_at, ends_at=ends_at, fire_watch=fire_watch.strip(), extinguisher_checked=True,
            issued_by=actor, issued_at=now)
        permit.number = common.number_for("DH", permit.pk, timezone.localdate(starts_at))
        permit.save(update_fields=["number"])
        timeline.record(actor, "affairs.permit.issued", Message(
            gettext_noop("Hot-work permit %(number)s issued for %(unit)s"), {"number": permit.number,
                                                                             "unit": r.unit.label}),
            subjects=_subjects(r))
    return permit


def record_patrol(actor, r: Renovation, *, result: str, findings: str = "", photos=(), notice: str = "",
                  deadline=None, now=None) -> PatrolInspection:
    """A patrol of the site from a phone (item 2). A violation needs findings and a photo and may issue a
    rectification notice (整改通知) with a deadline; the next patrol is due after the project's interval."""
    require_role(actor, PATROL)
    require_project(actor, r.project_id)
    _state(r, S.ACTIVE, message=_("Only renovations in progress are patrolled."))
    now = now or timezone.now()
    today = timezone.localdate(now)
    if result not in PatrolInspection.Result.values:
        raise ValidationError({"result": _("Select a valid choice.")})
    prepared = common.prepare_photos(photos)
    errors = {}
    violation = result == PatrolInspection.Result.VIOLATION
    if violation and not findings.strip():
        errors["findings"] = _("Describe the violation.")
    if violation and not prepared:
        errors["photos"] = _("Take a photo of the violation.")
    if notice.strip() and not violation:
        errors["notice"] = _("A rectification notice follows a violation.")
    if notice.strip() and (deadline is None or deadline < today):
        errors["deadline"] = _("Give the rectification a deadline from today on.")
    if errors:
        raise ValidationError(errors)
    interval = AffairsSettings.for_project(r.project_id).patrol_interval_days
    with transaction.atomic():
        patrol = PatrolInspection.objects.create(renovation=r, due_on=r.next_patrol_on or today, done_at=now,
                                                 inspector=actor, result=result, findings=findings.strip())
        common.store_photos(actor, r.project_id, patrol, prepared)
        if notice.strip():
            Rectification.objects.create(inspection=patrol, notice=notice.strip(), deadline=deadline, issued_at=now)
        r.next_patrol_on = today + dt.timedelta(days=interval)
        r.save(update_fields=["next_patrol_on"])
        msg = (gettext_noop("Renovation patrol of %(unit)s: violation found") if violation
               else gettext_noop("Renovation patrol of %(unit)s: no problem"))
        timeline.record(actor, "affairs.renovation.patrolled", Message(msg, {"unit": r.unit.label}),
                        subjects=_subjects(r))
    return patrol


def recheck(actor, rect: Rectification, *, passed: bool, note: str = "") -> Rectification:
    """The re-check of a rectification notice: rectified, or not (then a new notice follows a patrol)."""
    r = rect.inspection.renovation
    require_role(actor, PATROL)
    require_project(actor, r.project_id)
    if rect.recheck:
        raise Conflict(_("This notice has already been re-checked."), state=rect.recheck)
    with transaction.atomic():
        rect.recheck = Rectification.Recheck.PASSED if passed else Rectification.Recheck.FAILED
        rect.rechecked_at, rect.rechecked_by, rect.recheck_note = timezone.now(), actor, note.strip()[:200]
        rect.save()
        msg = (gettext_noop("Rectification at %(unit)s re-checked: rectified") if passed
               else gettext_noop("Rectification at %(unit)s re-checked: not rectified"))
        timeline.record(actor, "affairs.rectification.rechecked", Message(msg, {"unit": r.unit.label}),
                        subjects=_subjects(r))
    return rect


def accept(actor, r: Renovation, *, items: list[tuple[str, bool, str]]) -> Renovation:
    """Completion acceptance (竣工验收): each item passed or not, with a note. It is refused while a
    rectification notice is open; a failed item is a reason for a deduction at the refund."""
    require_role(actor, ENGINEERS)
    require_project(actor, r.project_id)
    _state(r, S.ACTIVE)
    if not items or any(not (name or "").strip() for name, _p, _n in items):
        raise ValidationError({"items": _("List the items checked at the acceptance.")})
    open_notices = Rectification.objects.filter(inspection__renovation=r).exclude(
        recheck=Rectification.Recheck.PASSED).count()
    if open_notices:
        raise ValidationError({"items": _("%(count)d rectification notices are not yet rectified.") % {
            "count": open_notices}})
    with transaction.atomic():
        AcceptanceItem.objects.bulk_create(AcceptanceItem(renovation=r, name=n.strip()[:60], passed=bool(p),
                                                          note=(note or "").strip()[:200]) for n, p, note in items)
        r.status, r.accepted_at, r.accepted_by, r.next_patrol_on = S.ACCEPTED, timezone.now(), actor, None
        r.save()
        timeline.record(actor, "affairs.renovation.accepted", Message(
            gettext_noop("Renovation of %(unit)s accepted on completion"), {"unit": r.unit.label}),
            subjects=_subjects(r))
    return r


def refund_deposit(actor, r: Renovation, *, deductions: list[tuple[object, str]], voucher: str) -> Renovation:
    """The deposit comes back less deductions, each with its amount and reason (item 2): through billing's
    deposit release (the rest refunded, each deduction kept with its reason), which needs the deposit
    paid at the cashier and a manager's approval there."""
    require_role(actor, REVIEWERS)
    require_project(actor, r.project_id)
    _state(r, S.ACCEPTED)
    rows = []
    for amount, reason in deductions:
        if not (reason or "").strip():
            raise ValidationError({"deductions": _("Give every deduction its reason.")})
        rows.append(DepositDeduction(renovation=r, amount=money(amount, "deductions"), reason=reason.strip()[:200]))
    total = sum((d.amount for d in rows), Decimal("0.00"))
    deposit = r.deposit or Decimal("0.00")
    if total > deposit:
        raise ValidationError({"deductions": _("The deductions (%(total)s) exceed the deposit (%(deposit)s).") % {
            "total": total, "deposit": deposit}})
    if not (voucher or "").strip():
        raise ValidationError({"voucher": _("Enter the refund voucher number.")})
    with transaction.atomic():
        DepositDeduction.objects.bulk_create(rows)
        charges.release_renovation_deposit(actor, r, refund=deposit - total, deductions=rows, voucher=voucher.strip())
        r.refund_amount, r.refund_receipt, r.refunded_at = deposit - total, voucher.strip(), timezone.now()
        r.status = S.CLOSED
        r.save()
        timeline.record(actor, "affairs.renovation.refunded", Message(
            gettext_noop("Renovation deposit of %(unit)s refunded: %(amount)s"),
            {"unit": r.unit.label, "amount": r.refund_amount}), subjects=_subjects(r))
    return r
