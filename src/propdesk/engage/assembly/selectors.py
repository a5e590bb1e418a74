"""Reads of meetings and reports: the console's (scoped) and the owner's (their projects' published reports)."""

from django.db.models import Count

from propdesk.core.errors import NotFound
from propdesk.org.access import get_scoped, scope

from ..models import Meeting, Report


def meetings_for(user):
    return scope(Meeting.objects.select_related("project"), user).annotate(signed=Count("attendance")).order_by(
        "-starts_at", "-id")


def get_meeting(user, meeting_id: int) -> Meeting:
    return get_scoped(Meeting.objects.select_related("project", "created_by"), user, pk=meeting_id)


def attendance_of(meeting: Meeting):
    return meeting.attendance.select_related("unit__building", "recorded_by")


def reports_for(user):
    return scope(Report.objects.select_related("project", "meeting"), user)


def get_report(user, report_id: int) -> Report:
    return get_scoped(Report.objects.select_related("project"), user, pk=report_id)


def owner_reports(owner):
    return Report.objects.filter(project_id__in=owner.project_ids, published_at__isnull=False).select_related(
        "project").order_by("-published_at", "-id")


def get_owner_report(owner, report_id: int) -> Report:
    report = owner_reports(owner).filter(pk=report_id).first()
    if report is None:
        raise NotFound
    return report
