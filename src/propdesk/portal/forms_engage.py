"""Portal forms of the engage domain (activities, points, votes). They parse; the services decide."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _


class Keyed(forms.Form):
    """A form whose submit is done once: a double tap or a retry carries the same key."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)


class SignupForm(Keyed):
    unit = forms.TypedChoiceField(label=_("For my home"), coerce=int, choices=())
    seats = forms.TypedChoiceField(label=_("How many people"), coerce=int, choices=())
    phone = forms.CharField(label=_("Phone for the confirmation"), max_length=20)

    def __init__(self, *args, homes, max_seats: int, phone: str, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("phone", phone)
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(o.unit_id, f"{o.unit.project.name} {o.unit.label}") for o in homes]
        self.fields["seats"].choices = [(n, str(n)) for n in range(1, max_seats + 1)]


class RedeemForm(Keyed):
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=10, initial=1)
