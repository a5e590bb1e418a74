"""The form for ordering a special service. It parses input only; propdesk.service.ordering decides."""

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.service.ordering import ASKS_QUANTITY, MAX_DAYS_AHEAD


class OrderForm(forms.Form):
    unit = forms.ChoiceField(label=_("For which home?"))
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"type": "time", "step": 1800}))
    quantity = forms.DecimalField(label=_("How many hours?"), min_value=0, max_digits=5, decimal_places=1,
                                  initial=1, widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.5"}))
    note = forms.CharField(label=_("Anything we should know? (optional)"), max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args, item, homes, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("idempotency_key", uuid.uuid4().hex)
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        kwargs["initial"].setdefault("date", tomorrow)
        kwargs["initial"].setdefault("time", dt.time(9, 0))
        super().__init__(*args, **kwargs)
        self.item = item
        self.fields["unit"].choices = [(o.unit_id, o.unit.full_label) for o in homes]
        if len(homes) == 1:
            self.fields["unit"].initial = homes[0].unit_id
        self.fields["date"].widget.attrs.update(min=timezone.localdate().isoformat(),
                                                max=(timezone.localdate()
                                                     + dt.timedelta(days=MAX_DAYS_AHEAD)).isoformat())
        if item.unit not in ASKS_QUANTITY:
            del self.fields["quantity"]
        elif item.unit == item.PriceUnit.ITEM:
            self.fields["quantity"].label = _("How many?")
            self.fields["quantity"].widget.attrs.update(step="1", inputmode="numeric")

    def when(self):
        """The appointment as an aware time in the project's time zone."""
        tz = ZoneInfo(self.item.project.timezone or "Asia/Shanghai")
        return dt.datetime.combine(self.cleaned_data["date"], self.cleaned_data["time"], tz)
