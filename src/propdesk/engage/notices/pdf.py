"""The printable notice for the building's notice board (A4, Chinese, WeasyPrint; see quality/report.py)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from ..models import Notice


def render_html(notice: Notice) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string("engage/pdf/notice.html", {
            "notice": notice, "project": notice.project, "buildings": "、".join(b.name for b in notice.buildings.all()),
            "date": timezone.localtime(notice.published_at or timezone.now()),
            "language": settings.LANGUAGE_CODE})


def notice_pdf(notice: Notice) -> bytes:
    from weasyprint import HTML  # heavy (Pango, fonts): loaded only when a PDF is built

    return HTML(string=render_html(notice)).write_pdf()


def filename(notice: Notice) -> str:
    return f"notice-{notice.project.code}-{notice.pk}.pdf"
