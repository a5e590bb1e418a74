"""Forms of the owner's requests: report a problem, say it is not fixed, rate. They parse input only;
every rule is checked by propdesk.service.owner_actions."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from propdesk.service.owner_selectors import REPAIR, REPORT_TYPES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one input; their type and size are checked by the service (service.photos)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(PhotosField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class ReportForm(forms.Form):
    place = forms.ChoiceField(label=_("Where is it?"))
    location = forms.CharField(label=_("Where exactly (public area)"), max_length=100, required=False,
                               widget=forms.TextInput(attrs={"placeholder": _("e.g. lift lobby, 2nd entrance")}))
    kind = forms.ChoiceField(label=_("What is it?"), choices=REPORT_TYPES, initial=REPAIR)
    category = forms.TypedChoiceField(label=_("Category"), coerce=int, empty_value=None, required=False)
    description = forms.CharField(label=_("What is wrong?"), max_length=2000, widget=forms.Textarea(
        attrs={"rows": 4, "placeholder": _("e.g. the kitchen pipe burst and water is coming out")}))
    photos = PhotosField(label=_("Photos (up to 6, JPEG or PNG)"), required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args, units, buildings, categories, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        several = len({u.project_id for u in units}) > 1
        homes = [(f"unit:{u.pk}", f"{u.project.name} {u.full_label}" if several else u.full_label) for u in units]
        public = [(f"building:{b.pk}", _("Public area · %(building)s") % {
            "building": f"{b.project.name} {b.name}" if several else b.name}) for b in buildings]
        self.fields["place"].choices = [(_("My homes"), homes), (_("Public areas"), public)]
        if homes:
            self.fields["place"].initial = homes[0][0]
        self.fields["category"].choices = [("", _("Not sure"))] + [(c.pk, str(c)) for c in categories]

    def service_data(self) -> dict:
        d = self.cleaned_data
        unit_id, building_id = place_ids(d["place"])
        return {"unit_id": unit_id, "building_id": building_id, "location": d["location"], "kind": d["kind"],
                "category_id": d["category"], "description": d["description"], "photos": d["photos"],
                "idempotency_key": d["idempotency_key"]}


def place_ids(value: str) -> tuple[str | None, str | None]:
    """(unit id, building id) from a place choice such as "unit:12"; the service checks they are the owner's."""
    kind, _sep, pk = (value or "").partition(":")
    return (pk, None) if kind == "unit" else (None, pk) if kind == "building" else (None, None)


class NotFixedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    note = forms.CharField(label=_("What is still wrong?"), max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("How satisfied are you?"), coerce=int,
                                    choices=[(n, str(n)) for n in range(1, 6)], widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment (optional)"), max_length=1000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
