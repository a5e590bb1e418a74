"""The service standards published to owners (服务承诺, PRODUCT.md area 6: "make the intangible visible").

Generated from the project's own limits (SlaPolicy), never hand-written: when a manager tunes a limit,
the page owners read changes with it. Texts are built in the reader's language when called.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import sla


def minutes_text(minutes: int) -> str:
    """30 → "30 minutes"; 120 → "2 hours" (whole hours read as hours)."""
    if minutes >= 60 and minutes % 60 == 0:
        return hours_text(minutes // 60)
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


def hours_text(hours: int) -> str:
    return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}


def days_text(days: int) -> str:
    return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}


@dataclass
class Promise:
    key: str
    text: str


def published_promises(project) -> list[Promise]:
    """The project's promises to owners, in the order owners care about them."""
    p = sla.policy_for(project)
    return [
        Promise("emergency", _("Emergency repairs (water leak, power cut, gas leak, people trapped in a lift, "
                               "fire): response within %(limit)s") % {"limit": minutes_text(p.emergency_response_minutes)}),
        Promise("normal", _("Normal repairs and inquiries: response within %(limit)s")
                % {"limit": minutes_text(p.normal_response_minutes)}),
        Promise("complaint_general", _("General complaints: resolved within %(limit)s")
                % {"limit": hours_text(p.complaint_general_hours)}),
        Promise("complaint_complex", _("Complex complaints: resolved within %(limit)s")
                % {"limit": hours_text(p.complaint_complex_hours)}),
        Promise("transfer", _("Matters passed to another department: answered within %(limit)s")
                % {"limit": days_text(p.transfer_answer_days)}),
        Promise("callback", _("We call you back after every completed service")),
    ]
