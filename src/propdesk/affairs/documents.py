"""The documents of public affairs as PDFs in Chinese (WeasyPrint, Noto Sans CJK; see quality/report.py):
the signed handover (交付确认书), the renovation agreement (装修管理协议), the release pass (放行条) with a QR
code of its number for the gate's scanner, and the parking agreement (停车协议)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from propdesk.core.css import css_string

from . import handover as handover_rules
from .models import Handover

PDF = "application/pdf"


def qr_svg(text: str) -> str:
    """An inline SVG QR code of `text` (segno, no network, no files)."""
    import segno

    return segno.make(text, error="m").svg_inline(scale=4, border=2)


def _pdf(template: str, context: dict, title: str) -> bytes:
    from weasyprint import HTML  # heavy: loaded only when a document is built

    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(template, {
            **context, "language": settings.LANGUAGE_CODE, "now": timezone.localtime(),
            "header_text": mark_safe(css_string(str(title))),  # noqa: S308 - escaped for CSS
        })
    return HTML(string=html).write_pdf()


def handover_pdf(h: Handover) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        title = f"{h.unit.project.name} · {h.get_kind_display()} · {h.unit.label}"
        differences = (handover_rules.move_out_differences(h) if h.kind == Handover.Kind.MOVE_OUT else None)
    return _pdf("affairs/handover.html", {"h": h, "lines": h.lines.all(), "differences": differences}, title)


def renovation_pdf(r) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        title = f"{r.unit.project.name} · {gettext('Renovation agreement')} · {r.unit.label}"
    return _pdf("affairs/renovation.html", {"r": r}, title)


def pass_pdf(p) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        title = f"{p.unit.project.name} · {gettext('Release pass')} · {p.number}"
    return _pdf("affairs/pass.html", {"p": p, "qr": mark_safe(qr_svg(p.number))}, title)  # noqa: S308 - segno SVG


def parking_pdf(a) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        title = f"{a.space.project.name} · {gettext('Parking agreement')} · {a.agreement_number}"
    return _pdf("affairs/parking.html", {"a": a}, title)
