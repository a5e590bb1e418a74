"""The filters of the security log page (company administrators only)."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.org.models import SecurityEvent


class AuditFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("All kinds")), *SecurityEvent.Kind.choices])
    who = forms.CharField(label=_("Username or mobile contains"), required=False, max_length=150)
    address = forms.CharField(label=_("Client address"), required=False, max_length=64)
    date_from = forms.DateField(label=_("Date from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Date to"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def values(self) -> dict:
        """The search's arguments: a day range becomes [from 00:00, the day after `to` 00:00) locally."""
        data = self.cleaned_data if self.is_valid() else {}

        def start_of(day):
            return timezone.make_aware(dt.datetime.combine(day, dt.time.min)) if day else None

        until = data.get("date_to")
        return {"kind": data.get("kind", ""), "who": data.get("who", ""), "address": data.get("address", ""),
                "since": start_of(data.get("date_from")),
                "until": start_of(until + dt.timedelta(days=1)) if until else None}
