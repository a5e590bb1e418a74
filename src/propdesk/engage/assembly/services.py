"""Meetings of the owners' assembly and committee, and the reports published to owners (issue 15 item 5; seed
000 三、业主沟通: 协助召开业主大会、定期公布管理工作报告、财务收支报表; 业委会定期例会).

Managers plan meetings and publish reports; the front desk, butlers and managers sign people in and write
the minutes. A report is visible to the project's owners in the portal from its publication; another
domain (billing's income and expense statements) publishes through `publish_report` with its own file.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from propdesk.archive.models import CustomerPhone, Occupancy
from propdesk.core import timeline
from propdesk.core.errors import Conflict
from propdesk.core.phones import normalize_phone
from propdesk.core.timeline import Message
from propdesk.org.access import ARCHIVE_EDITORS, MANAGERS, has_role, require_project, require_role

from ..idempotency import client_of, create_once
from ..models import Attendance, Meeting, Report

M = Meeting.Status
ATTACHMENT_TYPES = {b"%PDF": ".pdf", b"PK\x03\x04": ".xlsx"}
MAX_ATTACHMENT = 10 * 1024 * 1024


def can_manage(user) -> bool:
    return has_role(user, MANAGERS)


def save_meeting(actor, project, data: dict, meeting: Meeting | None = None) -> Meeting:
    """Plan a meeting (body, title, time, place, agenda) or change one not yet held."""
    require_project(actor, project.pk if meeting is None else meeting.project_id)
    require_role(actor, MANAGERS)
    if meeting is not None and meeting.status != M.PLANNED:
        raise Conflict(_("Only a planned meeting can be changed."), state=meeting.status)
    target = meeting or Meeting(project=project, created_by=actor)
    for field in ("body", "title", "starts_at", "place", "agenda"):
        if field in data:
            setattr(target, field, data[field].strip() if isinstance(data[field], str) else data[field])
    if not target.agenda:
        raise ValidationError({"agenda": _("Write the agenda.")})
    target.full_clean(exclude=["created_by", "minutes"])
    with transaction.atomic():
        target.save()
        summary = gettext_noop("Meeting planned: %(title)s") if meeting is None else gettext_noop(
            "Meeting changed: %(title)s")
        timeline.record(actor, "engage.meeting_saved", Message(summary, {"title": target.title}),
                        subjects=[target.project])
    return target


def sign_in(actor, meeting: Meeting, *, name: str = "", phone: str = "", capacity: str = Attendance.Capacity.OWNER,
            now: dt.datetime | None = None) -> Attendance:
    """Sign a person in: an owner found by phone (named from the archive, once per meeting), or anyone by name."""
    require_project(actor, meeting.project_id)
    require_role(actor, ARCHIVE_EDITORS)
    if meeting.status == M.CANCELLED:
        raise Conflict(_("The meeting was cancelled."), state=meeting.status)
    if capacity not in Attendance.Capacity.values:
        raise ValidationError({"capacity": _("Select a valid choice.")})
    customer = unit = None
    digits = normalize_phone(phone or "")
    if digits:
        found = (Occupancy.objects.current().filter(unit__project_id=meeting.project_id,
                                                    customer__in=CustomerPhone.objects.filter(number=digits)
                                                    .values("customer_id"))
                 .select_related("customer", "unit").order_by("role").first())
        if found is None:
            raise ValidationError({"phone": _("Nobody of the project has this phone number.")})
        customer, unit, name = found.customer, found.unit, name or found.customer.name
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Write the name, or the phone of an owner.")})
    if customer is not None and Attendance.objects.filter(meeting=meeting, customer=customer).exists():
        raise Conflict(_("%(name)s has already signed in.") % {"name": name}, state="signed_in")
    with transaction.atomic():
        row = Attendance.objects.create(meeting=meeting, name=name[:100], capacity=capacity, customer=customer,
                                        unit=unit, signed_at=now or timezone.now(), recorded_by=actor)
        if customer is not None:
            timeline.record(actor, "engage.meeting_signed_in", Message(gettext_noop("Signed in at %(title)s"),
                                                                       {"title": meeting.title}),
                            subjects=[customer, unit])
    return row


def write_minutes(actor, meeting: Meeting, minutes: str) -> Meeting:
    """The minutes of a meeting once it has started; the meeting is then held."""
    require_project(actor, meeting.project_id)
    require_role(actor, ARCHIVE_EDITORS)
    minutes = (minutes or "").strip()
    if not minutes:
        raise ValidationError({"minutes": _("Write the minutes.")})
    if meeting.status == M.CANCELLED:
        raise Conflict(_("The meeting was cancelled."), state=meeting.status)
    if meeting.starts_at > timezone.now():
        raise Conflict(_("The minutes are written once the meeting has started."), state=meeting.status)
    with transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(minutes=minutes[:20000], status=M.HELD)
        meeting.refresh_from_db()
        timeline.record(actor, "engage.meeting_minutes", Message(gettext_noop("Minutes of %(title)s written"),
                                                                 {"title": meeting.title}), subjects=[meeting.project])
    return meeting


def _check_attachment(upload) -> tuple[str, bytes] | None:
    if not upload:
        return None
    if (getattr(upload, "size", 0) or 0) > MAX_ATTACHMENT:
        raise ValidationError({"attachment": _("The file is larger than 10 MB.")})
    upload.seek(0)
    data = upload.read(MAX_ATTACHMENT + 1)
    suffix = next((s for magic, s in ATTACHMENT_TYPES.items() if data.startswith(magic)), None)
    if suffix is None or len(data) > MAX_ATTACHMENT:
        raise ValidationError({"attachment": _("Attach a PDF or an .xlsx file.")})
    return suffix, data


def save_report(actor, project, data: dict, attachment=None, report: Report | None = None) -> Report:
    """Write a report (kind, title, period, text, an optional PDF or .xlsx file); unpublished until published."""
    require_project(actor, project.pk if report is None else report.project_id)
    require_role(actor, MANAGERS)
    target = report or Report(project=project, created_by=actor)
    for field in ("kind", "title", "period", "body", "meeting"):
        if field in data:
            setattr(target, field, data[field].strip() if isinstance(data[field], str) else data[field])
    if target.meeting is not None and target.meeting.project_id != target.project_id:
        raise ValidationError({"meeting": _("Choose a meeting of the report's project.")})
    checked = _check_attachment(attachment)
    if not target.body and not checked and not target.attachment:
        raise ValidationError({"body": _("Write the report or attach its file.")})
    target.full_clean(exclude=["created_by", "attachment", "meeting"])
    with transaction.atomic():
        if checked:
            suffix, content = checked
            target.attachment.save(f"report-{timezone.localdate():%Y%m%d}{suffix}", ContentFile(content), save=False)
        target.save()
        timeline.record(actor, "engage.report_saved", Message(gettext_noop("Report written: %(title)s"),
                                                              {"title": target.title}), subjects=[target.project])
    return target


def publish_report(actor, report: Report, now: dt.datetime | None = None) -> Report:
    """Show the report to the project's owners in the portal."""
    require_project(actor, report.project_id)
    require_role(actor, MANAGERS)
    now = now or timezone.now()
    with transaction.atomic():
        if not Report.objects.filter(pk=report.pk, published_at__isnull=True).update(published_at=now):
            raise Conflict(_("The report is already published."), state="published")
        report.published_at = now
        timeline.record(actor, "engage.report_published", Message(gettext_noop("Report published to owners: %(title)s"),
                                                                   {"title": report.title}), subjects=[report.project])
    return report


# -- creates of the API: once per Idempotency-Key (engage.idempotency), returning (object, created) --------


def plan_meeting_once(actor, project, data: dict, idempotency_key: str | None = None) -> tuple[Meeting, bool]:
    return create_once(client_of(actor), idempotency_key, Meeting, lambda: save_meeting(actor, project, data))


def sign_in_once(actor, meeting: Meeting, idempotency_key: str | None = None, **person) -> tuple[Attendance, bool]:
    return create_once(client_of(actor), idempotency_key, Attendance, lambda: sign_in(actor, meeting, **person))
